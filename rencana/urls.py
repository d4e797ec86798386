from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path

from rencana.api import api
from rencana.core import views as core_views

urlpatterns = [
    path("", include("rencana.core.urls")),
    path("akun/", include("rencana.accounts.urls")),
    path("", include("rencana.regions.urls")),
    path("", include("rencana.accounts.urls_users")),
    path("", include("rencana.planning.urls")),
    path("", include("rencana.monitoring.urls")),
    path("", include("rencana.monitoring.urls_reports")),
    path("", include("rencana.monitoring.urls_eval")),
    path("", include("rencana.strategy.urls")),
    path("", include("rencana.gender.urls")),
    path("", include("rencana.permits.urls")),
    path("", include("rencana.outreach.urls")),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("api/v1/", api.urls),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler403 = "rencana.core.views.error_403"
handler404 = "rencana.core.views.error_404"
handler500 = "rencana.core.views.error_500"
