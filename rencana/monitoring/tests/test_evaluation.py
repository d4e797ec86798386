from decimal import Decimal

import pytest

from rencana.monitoring import evaluation, services
from rencana.monitoring.models import Realization
from rencana.monitoring.tests.conftest import Monev
from rencana.planning.models import Indicator, IndicatorTarget

pytestmark = pytest.mark.django_db


def _verified(monev: Monev, triwulan: int, value: str, anggaran: str = "100000000") -> Realization:
    plan = monev.plan
    indicator = Indicator.objects.get(node=plan.sub)
    realization = services.realization_save(
        actor=None,
        node=plan.sub,
        tahun=2026,
        triwulan=triwulan,
        expected_version=None,
        anggaran=Decimal(anggaran),
        values={indicator.pk: Decimal(value)},
    )
    services.realization_submit(actor=None, realization=realization, expected_version=realization.version)
    services.realization_verify(actor=None, realization=realization, expected_version=realization.version)
    return realization


@pytest.fixture
def target(monev: Monev) -> Indicator:
    indicator = Indicator.objects.get(node=monev.plan.sub)
    IndicatorTarget.objects.update_or_create(
        pemda=monev.plan.pemda, indikator=indicator, tahun=2026, defaults={"nilai": Decimal(4)}
    )
    return indicator


def test_kumulatif_quarters_add_up_against_the_annual_target(monev: Monev, target: Indicator) -> None:
    Indicator.objects.filter(pk=target.pk).update(agregasi="kumulatif")
    _verified(monev, 1, "1")
    _verified(monev, 2, "2")
    result = evaluation.evaluate(monev.plan.pemda, 2026, 2)
    line = result.lines[0]
    assert line.indicators[0].realisasi == Decimal(3)
    assert (line.capaian, line.predikat) == (Decimal("75.00"), "Sedang")
    assert line.serapan == achievement_absorption("200000000", "750000000")
    assert result.per_sasaran()[0].label.startswith("1.1.3")


def achievement_absorption(spent: str, pagu: str) -> Decimal | None:
    from rencana.monitoring import achievement

    return achievement.absorption(Decimal(spent), Decimal(pagu))


def test_a_correction_in_progress_does_not_hide_the_verified_figures(monev: Monev, target: Indicator) -> None:
    realization = _verified(monev, 1, "4")
    services.realization_revise(actor=None, realization=realization)
    line = evaluation.evaluate(monev.plan.pemda, 2026, 1).lines[0]
    assert line.capaian == Decimal("100.00")
    assert line.statuses == ["draft"]


def test_only_verified_figures_count_unless_asked(monev: Monev, target: Indicator) -> None:
    plan = monev.plan
    realization = services.realization_save(
        actor=None,
        node=plan.sub,
        tahun=2026,
        triwulan=1,
        expected_version=None,
        anggaran=Decimal(1),
        values={target.pk: Decimal(4)},
    )
    services.realization_submit(actor=None, realization=realization, expected_version=realization.version)
    assert evaluation.evaluate(plan.pemda, 2026, 1).lines[0].capaian is None
    assert evaluation.evaluate(plan.pemda, 2026, 1, include_submitted=True).lines[0].capaian == Decimal(
        "100.00"
    )


def test_an_absurd_value_leaves_one_indicator_unrated_not_the_page_broken(
    monev: Monev, target: Indicator
) -> None:
    IndicatorTarget.objects.filter(indikator=target).update(nilai=Decimal("0.0001"))
    _verified(monev, 1, "1000000000000000")
    line = evaluation.evaluate(monev.plan.pemda, 2026, 1).lines[0]
    assert line.indicators[0].capaian.capaian is None and line.indicators[0].capaian.alasan
