"""URL patterns of one part of the PUG module; included by rencana/gender/urls.py (namespace "gender").

Public comparison of the kabupaten/kota of a province (`provinsi` = Kemendagri province code, e.g. "35")
by IPM, IPG, IDG or IKG published by BPS; see `gender.views_compare` for the query parameters.
"""

from django.urls import URLPattern, path

from rencana.gender import views_compare

urlpatterns: list[URLPattern] = [
    path("pug/perbandingan/<str:provinsi>/", views_compare.compare_page, name="compare"),
    path(
        "pug/perbandingan/<str:provinsi>/peta.geojson", views_compare.compare_geojson, name="compare_geojson"
    ),
]
