"""Pages of the permits module, namespace "permits". Each part keeps its own patterns module."""

from rencana.permits import urls_apply, urls_maps, urls_officer, urls_public, urls_recap, urls_types

app_name = "permits"

urlpatterns = [
    *urls_officer.urlpatterns,
    *urls_types.urlpatterns,
    *urls_apply.urlpatterns,
    *urls_maps.urlpatterns,
    *urls_public.urlpatterns,
    *urls_recap.urlpatterns,
]
