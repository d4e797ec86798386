"""The Kotabaru PUG demo: readiness as in 2025, Pokja reactivated, roadmap, baselines, PPE; idempotent."""

import io
from decimal import Decimal

from rencana.gender import demo, services_readiness
from rencana.gender.models import IndexValue, PokjaMeeting, PokjaMember, PpeAssessment, RoadmapTarget
from rencana.regions.models import Pemda


def test_kotabaru_demo_records_pug_as_in_2025_and_loads_once(pemda_a: Pemda) -> None:
    out = io.StringIO()
    created = demo.load(stdout=out)
    assert created > 0
    progress = services_readiness.readiness_progress(pemda_a)
    assert (progress.terpenuhi, progress.sebagian, progress.belum) == (1, 3, 3)
    assert PokjaMember.objects.filter(pemda=pemda_a, peran="tim_teknis").count() == 4
    assert PokjaMeeting.objects.filter(pemda=pemda_a).count() == 1
    assert RoadmapTarget.objects.get(pemda=pemda_a, indeks="IKG", tahun=2029).target == Decimal("0.450")
    assert RoadmapTarget.objects.get(pemda=pemda_a, indeks="IPM", tahun=2029).target == Decimal("75.37")
    assert IndexValue.objects.get(wilayah_id="63.02", indeks="IKG", tahun=2023).nilai == Decimal("0.551")
    assessment = PpeAssessment.objects.get(pemda=pemda_a, tahun=2025)
    assert services_readiness.ppe_score(assessment).predikat
    assert "PUG Kotabaru" in out.getvalue()
    assert demo.load(stdout=io.StringIO()) == 0
