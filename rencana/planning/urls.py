from django.urls import path

from rencana.planning import views, views_io, views_nomenclature

app_name = "planning"

D = "pemda/<str:kode>/perencanaan/<int:document_id>/"

urlpatterns = [
    path("nomenklatur/", views_nomenclature.nomenclature_page, name="nomenclature"),
    path("nomenklatur/hasil/", views_nomenclature.nomenclature_results, name="nomenclature_results"),
    path("pemda/<str:kode>/perencanaan/", views.document_list, name="documents"),
    path("pemda/<str:kode>/perencanaan/baru/", views.document_create, name="document_create"),
    path("pemda/<str:kode>/perencanaan/panduan/", views.plan_help, name="help"),
    path("pemda/<str:kode>/perencanaan/ringkasan/", views.dashboard_panel, name="dashboard_panel"),
    path(D + "skor/", views.document_scores, name="document_scores"),
    path(
        "pemda/<str:kode>/perencanaan/impor/templat-<str:jenis>.xlsx",
        views_io.import_template,
        name="import_template",
    ),
    path(D, views.document_detail, name="document"),
    path(D + "ubah/", views.document_edit, name="document_edit"),
    path(D + "tahap/", views.document_stage, name="document_stage"),
    path(D + "perubahan/", views.document_revise, name="document_revise"),
    path(D + "banding/", views.document_diff, name="document_diff"),
    path(D + "periksa/", views.document_check, name="document_check"),
    path(D + "ekspor.xlsx", views_io.document_export, name="document_export"),
    path(D + "impor/", views_io.document_import, name="document_import"),
    path(D + "target/", views_io.target_grid, name="target_grid"),
    path(D + "edisi/", views_io.document_edition, name="document_edition"),
    path(D + "simpul/baru/", views.node_create, name="node_create"),
    path(D + "simpul/<int:node_id>/", views.node_edit, name="node_edit"),
    path(D + "simpul/<int:node_id>/pindah/", views.node_move, name="node_move"),
    path(D + "simpul/<int:node_id>/hapus/", views.node_delete, name="node_delete"),
    path(D + "simpul/<int:node_id>/indikator/baru/", views.indicator_create, name="indicator_create"),
    path(D + "indikator/<int:indicator_id>/", views.indicator_edit, name="indicator_edit"),
    path(D + "indikator/<int:indicator_id>/hapus/", views.indicator_delete, name="indicator_delete"),
]
