"""Public calculator pages of IPM, IPG, GDI, GII and IKG; included by rencana/gender/urls.py (namespace
"gender"). Route parameter `nama`: the calculator (ipm | ipg | gdi | gii | ikg)."""

from django.urls import URLPattern, path

from rencana.gender import views_calc

urlpatterns: list[URLPattern] = [
    path("pug/kalkulator/", views_calc.calc_index, name="calc_index"),
    path("pug/kalkulator/<str:nama>/", views_calc.calc, name="calc"),
]
