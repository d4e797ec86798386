"""URL patterns of one part of the permits module; included by rencana/permits/urls.py (namespace "permits").

Public (no login): the tracking page of an application by its code, and the complaint form of a pemda.
Tenant: the Inspektorat's complaint inbox.
"""

from django.urls import URLPattern, path

from rencana.permits import views_public

urlpatterns: list[URLPattern] = [
    path("izin/lacak/", views_public.track_form, name="track_form"),
    path("izin/lacak/<str:kode_lacak>/", views_public.track, name="track"),
    path("izin/pengaduan-publik/<str:kode>/", views_public.complaint_public, name="complaint_public"),
    path("pemda/<str:kode>/izin/pengaduan/", views_public.complaints, name="complaints"),
    path("pemda/<str:kode>/izin/pengaduan/unduh/", views_public.complaint_export, name="complaint_export"),
    path(
        "pemda/<str:kode>/izin/pengaduan/<int:complaint_id>/",
        views_public.complaint_detail,
        name="complaint_detail",
    ),
]
