"""URL patterns of the GAP/GBS and ARG pages; included by rencana/gender/urls.py (namespace "gender")."""

from django.urls import URLPattern, path

from rencana.gender import views_gap

P = "pemda/<str:kode>/pug/"

urlpatterns: list[URLPattern] = [
    path(P + "gap/", views_gap.gap_list, name="gap_list"),
    path(P + "gap/mulai/<int:node_id>/", views_gap.gap_start, name="gap_start"),
    path(P + "gap/<int:gap_id>/", views_gap.gap_detail, name="gap_detail"),
    path(P + "gap/<int:gap_id>/gbs.pdf", views_gap.gbs_pdf, name="gbs_pdf"),
    path(P + "gap/<int:gap_id>/gbs.docx", views_gap.gbs_docx, name="gbs_docx"),
    path(P + "arg/", views_gap.arg_list, name="arg_list"),
    path(P + "arg/<int:node_id>/", views_gap.arg_tag, name="arg_tag"),
]
