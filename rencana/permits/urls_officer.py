"""Officer pages of the permits module; included by rencana/permits/urls.py (namespace "permits")."""

from django.urls import URLPattern, path

from rencana.permits import views_officer

urlpatterns: list[URLPattern] = [
    path("pemda/<str:kode>/izin/", views_officer.home, name="home"),
    path(
        "pemda/<str:kode>/izin/permohonan/<int:application_id>/",
        views_officer.application_detail,
        name="officer_application",
    ),
    path(
        "pemda/<str:kode>/izin/permohonan/<int:application_id>/aksi/",
        views_officer.application_action,
        name="officer_action",
    ),
]
