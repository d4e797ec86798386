"""Pages of the PUG module, namespace "gender". Each part keeps its own patterns module."""

from django.urls import path

from rencana.gender import urls_calc, urls_compare, urls_data, urls_gap, urls_readiness, views

app_name = "gender"

urlpatterns = [
    path("pemda/<str:kode>/pug/", views.home, name="home"),
    *urls_data.urlpatterns,
    *urls_gap.urlpatterns,
    *urls_readiness.urlpatterns,
    *urls_compare.urlpatterns,
    *urls_calc.urlpatterns,
]
