from django.urls import path

from rencana.monitoring import views

app_name = "monitoring"

P = "pemda/<str:kode>/monev/"

urlpatterns = [
    path(P, views.home, name="home"),
    path(P + "opd/<int:opd_id>/", views.opd_quarter, name="opd"),
    path(P + "realisasi/<int:node_id>/<int:tahun>/<int:triwulan>/", views.entry, name="entry"),
    path(P + "bukti/<int:evidence_id>/", views.evidence_download, name="evidence"),
    path(P + "verifikasi/", views.queue, name="queue"),
    path(P + "terlambat/", views.late, name="late"),
    path(P + "batas-waktu/", views.deadlines, name="deadlines"),
]
