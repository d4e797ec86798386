"""URL patterns of the sex-disaggregated data and index components pages; included by
rencana/gender/urls.py (namespace "gender"). See `gender.views_data`."""

from django.urls import URLPattern, path

from rencana.gender import views_data

P = "pemda/<str:kode>/pug/"

urlpatterns: list[URLPattern] = [
    path(P + "data/", views_data.data_list, name="data_list"),
    path(P + "data/kelengkapan/", views_data.data_completeness, name="data_completeness"),
    path(P + "data/impor/", views_data.data_import, name="data_import"),
    path(P + "data/impor/templat.xlsx", views_data.data_import_template, name="data_import_template"),
    path(P + "data/ekspor.xlsx", views_data.data_export, name="data_export"),
    path(P + "data/<int:indicator_id>/", views_data.data_entry, name="data_entry"),
    path(P + "komponen/", views_data.components, name="components"),
    path(P + "komponen/impor/", views_data.components_import, name="components_import"),
    path(
        P + "komponen/impor/templat.xlsx",
        views_data.components_import_template,
        name="components_import_template",
    ),
    path(P + "komponen/ekspor.xlsx", views_data.components_export, name="components_export"),
]
