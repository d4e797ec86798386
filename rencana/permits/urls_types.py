"""Permit-type pages of the permits module; included by rencana/permits/urls.py (namespace "permits")."""

from django.urls import URLPattern, path

from rencana.permits import views_types

urlpatterns: list[URLPattern] = [
    path("pemda/<str:kode>/izin/jenis/", views_types.types_list, name="types"),
    path("pemda/<str:kode>/izin/jenis/pasang-bawaan/", views_types.types_ensure, name="types_ensure"),
    path("pemda/<str:kode>/izin/jenis/<int:type_id>/", views_types.type_detail, name="type_detail"),
    path(
        "pemda/<str:kode>/izin/jenis/<int:type_id>/versi-baru/",
        views_types.type_new_version,
        name="type_new_version",
    ),
]
