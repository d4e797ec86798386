from django.urls import path

from rencana.monitoring import views_eval

app_name = "evaluasi"

P = "pemda/<str:kode>/evaluasi/"

urlpatterns = [
    path(P, views_eval.pemda, name="pemda"),
    path(P + "opd/<int:opd_id>/", views_eval.opd, name="opd"),
    path(P + "program/<int:node_id>/", views_eval.program, name="program"),
    path(P + "sasaran/<int:node_id>/", views_eval.sasaran, name="sasaran"),
    path("publik/<str:kode>/capaian/", views_eval.public_summary, name="public"),
]
