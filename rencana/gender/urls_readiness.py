"""URL patterns of PUG readiness (prerequisites, PPE, roadmap, Pokja); included by rencana/gender/urls.py
(namespace "gender")."""

from django.urls import URLPattern, path

from rencana.gender import views_readiness as views

P = "pemda/<str:kode>/pug/"

urlpatterns: list[URLPattern] = [
    path(P + "kesiapan/", views.readiness, name="readiness"),
    path(P + "kesiapan/<int:prereq_id>/", views.prerequisite, name="prerequisite"),
    path(P + "kesiapan/bukti/<int:pug_evidence_id>/", views.evidence_download, name="evidence_download"),
    path(P + "ppe/", views.ppe_list, name="ppe_list"),
    path(P + "ppe/<int:assessment_id>/", views.ppe_detail, name="ppe_detail"),
    path(P + "ppe/<int:assessment_id>/kriteria/", views.ppe_criteria, name="ppe_criteria"),
    path(P + "peta-jalan/", views.roadmap_page, name="roadmap"),
    path(P + "pokja/", views.pokja, name="pokja"),
    path(P + "pokja/rapat/<int:meeting_id>/", views.pokja_meeting, name="pokja_meeting"),
]
