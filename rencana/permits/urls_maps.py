"""URL patterns of one part of the permits module; included by rencana/permits/urls.py (namespace "permits").

Managed-area maps of an application and the officer's forest-area layers.
"""

from django.urls import URLPattern, path

from rencana.permits import views_maps

urlpatterns: list[URLPattern] = [
    path(
        "pemda/<str:kode>/izin/permohonan/<int:application_id>/peta/",
        views_maps.map_upload,
        name="map_upload",
    ),
    path(
        "pemda/<str:kode>/izin/permohonan/<int:application_id>/peta.geojson",
        views_maps.map_geojson,
        name="map_geojson",
    ),
    path("pemda/<str:kode>/izin/kawasan-hutan/", views_maps.forest_layers, name="forest_layers"),
]
