"""Pages of outreach evaluation, namespace "outreach".

Tenant pages under `pemda/<kode>/sosialisasi/`; `<kegiatan_id>` names an outreach `Event` of that pemda. The
public phone form is `sosialisasi/isi/<token>/` (the event's secret link).
"""

from django.urls import path

from rencana.outreach import views

app_name = "outreach"

EVENT = "pemda/<str:kode>/sosialisasi/<int:kegiatan_id>/"

urlpatterns = [
    path("pemda/<str:kode>/sosialisasi/", views.event_list, name="list"),
    path("pemda/<str:kode>/sosialisasi/baru/", views.event_create, name="create"),
    path(EVENT, views.event_detail, name="detail"),
    path(EVENT + "ubah/", views.event_edit, name="edit"),
    path(EVENT + "hapus/", views.event_delete, name="delete"),
    path(EVENT + "peserta/", views.participants, name="participants"),
    path(EVENT + "butir/", views.items, name="items"),
    path(EVENT + "formulir/", views.paper_form, name="paper_form"),
    path(EVENT + "agregat/", views.aggregate, name="aggregate"),
    path(EVENT + "agregat/templat/", views.aggregate_template, name="aggregate_template"),
    path(EVENT + "tautan/", views.phone_link, name="phone_link"),
    path(EVENT + "hasil/", views.results, name="results"),
    path(EVENT + "hasil.xlsx", views.results_xlsx, name="results_xlsx"),
    path(EVENT + "hasil.pdf", views.results_pdf, name="results_pdf"),
    path("sosialisasi/isi/<str:token>/", views.phone_form, name="phone_form"),
]
