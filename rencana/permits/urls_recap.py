"""URL patterns of one part of the permits module; included by rencana/permits/urls.py (namespace "permits").

Recaps of farmer groups per kabupaten/kota (views_recap.py); `recap_id` names a RecapImport of the pemda.
"""

from django.urls import URLPattern, path

from rencana.permits import views_recap

urlpatterns: list[URLPattern] = [
    path("pemda/<str:kode>/izin/rekap/", views_recap.recap_index, name="recap"),
    path("pemda/<str:kode>/izin/rekap/impor/", views_recap.recap_import, name="recap_import"),
    path("pemda/<str:kode>/izin/rekap/templat/", views_recap.recap_template, name="recap_template"),
    path("pemda/<str:kode>/izin/rekap/<int:recap_id>/", views_recap.recap_detail, name="recap_detail"),
]
