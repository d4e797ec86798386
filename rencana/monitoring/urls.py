from django.urls import path

from rencana.monitoring import views
from rencana.monitoring.views_io import realization_import, realization_template

app_name = "monitoring"

P = "pemda/<str:kode>/monev/"

urlpatterns = [
    path(P, views.home, name="home"),
    path(P + "opd/<int:opd_id>/", views.opd_quarter, name="opd"),
    path(P + "opd/<int:opd_id>/impor/", realization_import, name="realization_import"),
    path(P + "opd/<int:opd_id>/templat.xlsx", realization_template, name="realization_template"),
    path(P + "realisasi/<int:node_id>/<int:tahun>/<int:triwulan>/", views.entry, name="entry"),
    path(P + "bukti/<int:evidence_id>/", views.evidence_download, name="evidence"),
    path(P + "verifikasi/", views.queue, name="queue"),
    path(P + "terlambat/", views.late, name="late"),
    path(P + "batas-waktu/", views.deadlines, name="deadlines"),
    path(P + "ringkasan/", views.dashboard_panel, name="dashboard_panel"),
]
