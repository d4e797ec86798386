from django.urls import path

from rencana.strategy import views, views_reports

app_name = "strategy"

P = "pemda/<str:kode>/strategi/"
A = P + "<int:analysis_id>/"

urlpatterns = [
    path(P, views.analysis_list, name="list"),
    path(P + "baru/", views.analysis_create, name="create"),
    path(A, views.analysis_detail, name="detail"),
    path(A + "ubah/", views.analysis_edit, name="edit"),
    path(A + "buka-kembali/", views.analysis_reopen, name="reopen"),
    path(A + "faktor/baru/", views.factor_create, name="factor_create"),
    path(A + "faktor/<int:factor_id>/", views.factor_edit, name="factor_edit"),
    path(A + "faktor/<int:factor_id>/hapus/", views.factor_delete, name="factor_delete"),
    path(A + "matriks/", views.matrix_edit, name="matrix"),
    path(A + "lokakarya/", views.workshop_page, name="workshop"),
    path(A + "lokakarya/status/", views.workshop_status, name="workshop_status"),
    path(A + "lokakarya/peserta/", views.participant_add, name="participant_add"),
    path(
        A + "lokakarya/peserta/<int:participant_id>/tautan/", views.participant_link, name="participant_link"
    ),
    path(A + "lokakarya/buka/", views.round_open, name="round_open"),
    path(A + "lokakarya/tutup/", views.round_close, name="round_close"),
    path(A + "tows/", views.tows, name="tows"),
    path(A + "tows/<int:strategy_id>/", views.tows_edit, name="tows_edit"),
    path(A + "tows/<int:strategy_id>/hapus/", views.tows_delete, name="tows_delete"),
    path(A + "isu/", views.issues, name="issues"),
    path(A + "isu/<int:issue_id>/", views.issue_detail, name="issue"),
    path(A + "isu/<int:issue_id>/hapus/", views.issue_delete, name="issue_delete"),
    path(A + "litmus/", views.litmus_edit, name="litmus"),
    path(A + "laporan/", views_reports.report_page, name="report"),
    path(A + "laporan.xlsx", views_reports.report_xlsx, name="report_xlsx"),
    path(A + "laporan.pdf", views_reports.report_pdf, name="report_pdf"),
    path("lokakarya/<str:token>/", views.join, name="join"),
    path("lokakarya/nilai/<int:participant_id>/", views.score, name="score"),
]
