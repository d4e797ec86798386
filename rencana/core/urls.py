from django.urls import path

from rencana.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("sehat/", views.health, name="health"),
    path("pemda/<str:kode>/", views.dashboard, name="dashboard_pemda"),
    path("beranda/", views.dashboard_redirect, name="dashboard"),
    path("pemda/<str:kode>/audit/", views.audit_list, name="audit"),
    path("pemda/<str:kode>/audit/ekspor.xlsx", views.audit_export, name="audit_export"),
    path("pemda/<str:kode>/audit/<int:event_id>/", views.audit_detail, name="audit_detail"),
]
