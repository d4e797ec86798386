"""Read queries of outreach evaluation, shared by the pages and the reports.

`event_results(event)` reads everything the results page, the PDF and the XLSX show in a fixed number of
queries whatever the number of items, participants and answers (three: items with their aggregates,
every answer as plain tuples, participant counts), then hands plain numbers to `stats`:

- a knowledge item with individual answers is computed from them (before/after %, gain, g, McNemar's
  exact test on the participants who answered both moments); without answers, from its published
  percentages (aggregate-only entry); with neither it is listed as empty;
- a Likert item with individual answers gets its distribution and mean; without, its published mean;
- the knowledge summary averages the items that have both percentages; the overall satisfaction is the
  mean of the Likert item means (`stats.likert_overall`).
"""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from rencana.core.errors import NotFoundError
from rencana.outreach import stats
from rencana.outreach.models import Event, Item, ItemKind, Moment, Participant, Response
from rencana.regions.models import Pemda


def events_of(pemda: Pemda, *, q: str = "", tahun: int | None = None) -> QuerySet[Event]:
    """The pemda's events, newest first, with participant counts (one query per page)."""
    events = Event.objects.filter(pemda=pemda).annotate(
        jumlah_peserta=Count("peserta", distinct=True),
        jumlah_hadir=Count("peserta", filter=Q(peserta__hadir=True), distinct=True),
        jumlah_butir=Count("butir", distinct=True),
    )
    q = " ".join(q.replace("\x00", "").split())[:100]
    if q:
        events = events.filter(Q(judul__icontains=q) | Q(tempat__icontains=q) | Q(narasumber__icontains=q))
    if tahun is not None:
        events = events.filter(tanggal__year=tahun)
    return events.order_by("-tanggal", "-id")


def get_event(pemda: Pemda, kegiatan_id: int) -> Event:
    """The event of this pemda; another pemda's (or a missing) one is "not found"."""
    event = Event.objects.filter(pemda=pemda, pk=kegiatan_id).select_related("pemda").first()
    if event is None:
        raise NotFoundError(_("Kegiatan sosialisasi tidak ditemukan."))
    return event


def participants_of(event: Event) -> QuerySet[Participant]:
    return (
        Participant.objects.filter(kegiatan=event).annotate(jumlah_jawaban=Count("jawaban")).order_by("nomor")
    )


def get_participant(event: Event, peserta_id: int) -> Participant:
    participant = Participant.objects.filter(kegiatan=event, pk=peserta_id).first()
    if participant is None:
        raise NotFoundError(_("Peserta tidak ditemukan pada kegiatan ini."))
    return participant


def items_of(event: Event) -> list[Item]:
    """Knowledge items first, then Likert items, each by number, with their aggregate (one query)."""
    items = list(Item.objects.filter(kegiatan=event).select_related("agregat"))
    order = {ItemKind.PENGETAHUAN: 0, ItemKind.LIKERT: 1}
    return sorted(items, key=lambda i: (order.get(ItemKind(i.jenis), 2), i.nomor, i.pk))


def aggregate_of(item: Item) -> Any:
    """The item's AggregateResult or None (reads the `select_related` cache, no query when prefetched)."""
    try:
        return item.agregat
    except Item.agregat.RelatedObjectDoesNotExist:
        return None


def answers_of(participant: Participant) -> dict[tuple[int, str], int]:
    return {
        (butir_id, saat): nilai
        for butir_id, saat, nilai in Response.objects.filter(peserta=participant).values_list(
            "butir_id", "saat", "nilai"
        )
    }


@dataclass(frozen=True)
class KnowledgeRow:
    item: Item
    result: stats.KnowledgeResult


@dataclass(frozen=True)
class LikertRow:
    item: Item
    result: stats.LikertSummary


@dataclass(frozen=True)
class EventResults:
    event: Event
    knowledge: list[KnowledgeRow]
    summary: stats.GainSummary
    likert: list[LikertRow]
    overall: stats.LikertOverall
    peserta: int
    hadir: int
    responden: int  # participants with at least one answer
    aggregate_only: bool  # every figure comes from published aggregates

    @property
    def has_mcnemar(self) -> bool:
        return any(row.result.mcnemar is not None for row in self.knowledge)

    @property
    def empty(self) -> bool:
        return not self.knowledge and not self.likert


def event_results(event: Event) -> EventResults:
    """Every result of an event (see the module docstring); three queries."""
    items = items_of(event)
    answers: dict[int, dict[str, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    respondents: set[int] = set()
    for butir_id, peserta_id, saat, nilai in Response.objects.filter(
        pemda_id=event.pemda_id, butir__kegiatan=event
    ).values_list("butir_id", "peserta_id", "saat", "nilai"):
        answers[butir_id][saat][peserta_id] = nilai
        respondents.add(peserta_id)
    counts = Participant.objects.filter(kegiatan=event).aggregate(
        peserta=Count("id"), hadir=Count("id", filter=Q(hadir=True))
    )
    knowledge: list[KnowledgeRow] = []
    likert: list[LikertRow] = []
    from_aggregate = 0
    for item in items:
        given = answers.get(item.pk)
        aggregate = aggregate_of(item)
        if item.jenis == ItemKind.PENGETAHUAN:
            if given:
                result = stats.knowledge_from_answers(
                    given.get(Moment.SEBELUM, {}), given.get(Moment.SESUDAH, {})
                )
            elif aggregate is not None:
                result = stats.knowledge_from_percent(
                    aggregate.sebelum_persen, aggregate.sesudah_persen, aggregate.n
                )
                from_aggregate += 1
            else:
                result = stats.knowledge_from_percent(None, None)
            knowledge.append(KnowledgeRow(item, result))
        else:
            if given:
                summary = stats.likert_summary(given.get(Moment.SESUDAH, {}).values())
            elif aggregate is not None:
                summary = stats.likert_from_mean(aggregate.rata_rata, aggregate.n)
                from_aggregate += 1
            else:
                summary = stats.likert_from_mean(None)
            likert.append(LikertRow(item, summary))
    return EventResults(
        event=event,
        knowledge=knowledge,
        summary=stats.summarize_gains(row.result.gain for row in knowledge),
        likert=likert,
        overall=stats.likert_overall(row.result for row in likert),
        peserta=counts["peserta"],
        hadir=counts["hadir"],
        responden=len(respondents),
        aggregate_only=bool(items) and from_aggregate > 0 and not respondents,
    )
