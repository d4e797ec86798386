"""Strategy fixtures: the Kota Pasuruan case (acceptance factors, weights and ratings) in pemda B."""

import csv
import datetime
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from rencana.accounts.services import role_assign
from rencana.core.roles import Role
from rencana.regions.models import Pemda
from rencana.strategy import services
from rencana.strategy.models import Analysis, Factor

DATA = Path(__file__).resolve().parent / "data"


def pasuruan_rows() -> list[dict[str, str]]:
    with (DATA / "swot_kota_pasuruan.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def add_factors(analysis: Analysis, actor: User | None = None) -> list[Factor]:
    return [
        services.factor_create(
            actor=actor,
            analysis=analysis,
            data=services.FactorInput(jenis=row["jenis"], kode=row["kode"], faktor=row["faktor"]),
        )
        for row in pasuruan_rows()
    ]


def set_pasuruan_matrix(analysis: Analysis, actor: User | None = None) -> None:
    entries = {row["kode"]: services.MatrixEntry(row["bobot"], row["rating"]) for row in pasuruan_rows()}
    analysis.refresh_from_db()
    services.matrix_set(actor=actor, analysis=analysis, expected_version=analysis.version, entries=entries)


@dataclass
class Pasuruan:
    pemda: Pemda
    planner: User
    analysis: Analysis


@pytest.fixture
def pasuruan(pemda_b: Pemda) -> Pasuruan:
    """An analysis of Bappeda Kota Pasuruan with the acceptance factors and their final matrix set."""
    planner = User.objects.create_user(username="perencana-pasuruan", password="sandi-uji-123")
    role_assign(actor=None, user=planner, pemda=pemda_b, role=Role.PERENCANA)
    analysis = services.analysis_create(
        actor=planner,
        pemda=pemda_b,
        data=services.AnalysisInput(
            judul="Analisis strategis Bappeda Kota Pasuruan",
            tanggal=datetime.date(2026, 11, 2),
            fasilitator="Tim uji",
        ),
    )
    add_factors(analysis, planner)
    set_pasuruan_matrix(analysis, planner)
    analysis.refresh_from_db()
    return Pasuruan(pemda=pemda_b, planner=planner, analysis=analysis)


@pytest.fixture
def open_analysis(pemda_b: Pemda) -> Pasuruan:
    """The same factors without weights or ratings (status terbuka), ready for a workshop."""
    planner = User.objects.create_user(username="fasilitator-pasuruan", password="sandi-uji-123")
    role_assign(actor=None, user=planner, pemda=pemda_b, role=Role.PERENCANA)
    analysis = services.analysis_create(
        actor=planner,
        pemda=pemda_b,
        data=services.AnalysisInput(judul="Lokakarya SWOT Bappeda", tanggal=datetime.date(2026, 11, 3)),
    )
    add_factors(analysis, planner)
    analysis.refresh_from_db()
    return Pasuruan(pemda=pemda_b, planner=planner, analysis=analysis)
