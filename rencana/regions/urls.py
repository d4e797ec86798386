from django.urls import include, path

from rencana.regions import views

app_name = "regions"

urlpatterns = [
    path("", include("rencana.regions.urls_wilayah")),
    path("pemda/<str:kode>/peta/", views.pemda_map, name="peta"),
    path("pemda/<str:kode>/opd/", views.opd_list, name="opd_list"),
    path("pemda/<str:kode>/opd/ekspor.xlsx", views.opd_export, name="opd_export"),
    path("pemda/<str:kode>/opd/baru/", views.opd_create, name="opd_create"),
    path("pemda/<str:kode>/opd/impor/", views.opd_import, name="opd_import"),
    path("pemda/<str:kode>/opd/impor/templat.xlsx", views.opd_import_template, name="opd_import_template"),
    path("pemda/<str:kode>/opd/<int:opd_id>/", views.opd_edit, name="opd_edit"),
    path("pemda/<str:kode>/opd/<int:opd_id>/status/", views.opd_toggle, name="opd_toggle"),
]
