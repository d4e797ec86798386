"""Public region pages (search, detail)."""

from django.urls import path

from rencana.regions import views_wilayah

urlpatterns = [
    path("wilayah/", views_wilayah.wilayah_cari, name="wilayah_cari"),
    path("wilayah/<str:kode>/", views_wilayah.wilayah_detail, name="wilayah_detail"),
]
