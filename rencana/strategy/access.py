"""Who may read and change a strategic analysis, and who may score in its workshop."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from rencana.core.errors import NotFoundError, PermissionDeniedError
from rencana.core.scope import Scope
from rencana.regions.models import Pemda
from rencana.strategy.models import Analysis, Participant

SESSION_KEY = "strategy_peserta"


def get_analysis(pemda: Pemda, analysis_id: int) -> Analysis:
    analysis = Analysis.objects.filter(pemda=pemda, pk=analysis_id).select_related("opd", "pemda").first()
    if analysis is None:
        raise NotFoundError(_("Analisis strategis tidak ditemukan."))
    return analysis


def can_manage(scope: Scope) -> bool:
    return scope.has("strategy.manage")


def require_manage(scope: Scope) -> None:
    if not can_manage(scope):
        raise PermissionDeniedError(
            _("Hanya perencana Bappeda atau admin pemda yang memfasilitasi analisis ini.")
        )


def session_participants(request: HttpRequest) -> list[int]:
    raw = request.session.get(SESSION_KEY, [])
    return [int(x) for x in raw if isinstance(x, int)]


def remember_participant(request: HttpRequest, participant: Participant) -> None:
    ids = session_participants(request)
    if participant.pk not in ids:
        request.session[SESSION_KEY] = [*ids, participant.pk]


def participant_for(request: HttpRequest, participant_id: int) -> Participant:
    """The participant this browser may act as: claimed by its one-time link in this session, or the
    logged-in user's own participant record. Anything else is 'not found' (no hint it exists)."""
    participant = (
        Participant.objects.select_related("analisis", "analisis__pemda").filter(pk=participant_id).first()
    )
    if participant is None:
        raise NotFoundError(_("Halaman penilaian tidak ditemukan."))
    user: Any = getattr(request, "user", None)
    own = user is not None and user.is_authenticated and participant.user_id == user.pk
    if not own and participant.pk not in session_participants(request):
        raise NotFoundError(_("Halaman penilaian tidak ditemukan."))
    return participant
