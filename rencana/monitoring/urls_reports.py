from django.urls import path

from rencana.monitoring import views_reports as views

app_name = "monev_reports"

P = "pemda/<str:kode>/"

urlpatterns = [
    path(P + "evaluasi/laporan/", views.report_page, name="reports"),
    path(P + "monev/peringatan/", views.warnings_page, name="warnings"),
    path(P + "monev/peringatan/opd/<int:opd_id>/", views.warnings_opd, name="warnings_opd"),
    path(P + "monev/saran/", views.advice_page, name="advice"),
    path(P + "monev/saran/keputusan.xlsx", views.decisions_export, name="decisions_export"),
    path(P + "monev/saran/<int:node_id>/keputusan/", views.advice_decide, name="decide"),
]
