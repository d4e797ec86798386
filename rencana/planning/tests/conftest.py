"""Planning fixtures: a tiny nomenclature edition and a small RPJMD + RKPD of pemda A."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User

from rencana.accounts.services import role_assign
from rencana.core.roles import Role
from rencana.planning import services
from rencana.planning.models import Indicator, NomenclatureEdition, NomenclatureItem, PlanDocument, PlanNode
from rencana.planning.services import IndicatorInput, NodeInput
from rencana.regions.models import Opd, Pemda

# (kode, level, nama, kode_induk, berlaku, indikator, satuan)
ITEMS = [
    ("1", "urusan", "URUSAN PEMERINTAHAN WAJIB YANG BERKAITAN DENGAN PELAYANAN DASAR", "", "semua", "", ""),
    ("1.02", "bidang", "URUSAN PEMERINTAHAN BIDANG KESEHATAN", "1", "semua", "", ""),
    (
        "1.02.02",
        "program",
        "PROGRAM PEMENUHAN UPAYA KESEHATAN PERORANGAN DAN UPAYA KESEHATAN MASYARAKAT",
        "1.02",
        "semua",
        "",
        "",
    ),
    (
        "1.02.02.1.01",
        "kegiatan",
        "Penyediaan Fasilitas Pelayanan Kesehatan Provinsi",
        "1.02.02",
        "provinsi",
        "",
        "",
    ),
    (
        "1.02.02.1.01.0001",
        "sub_kegiatan",
        "Pembangunan Rumah Sakit Provinsi",
        "1.02.02.1.01",
        "provinsi",
        "",
        "",
    ),
    (
        "1.02.02.2.01",
        "kegiatan",
        "Penyediaan Fasilitas Pelayanan Kesehatan untuk UKM dan UKP Kewenangan Daerah Kabupaten/Kota",
        "1.02.02",
        "kabkota",
        "",
        "",
    ),
    (
        "1.02.02.2.01.0001",
        "sub_kegiatan",
        "Pembangunan Rumah Sakit beserta Sarana dan Prasarana Pendukungnya",
        "1.02.02.2.01",
        "kabkota",
        "Jumlah Rumah Sakit yang Dibangun",
        "Unit",
    ),
    (
        "1.02.02.2.01.0002",
        "sub_kegiatan",
        "Pembangunan Puskesmas",
        "1.02.02.2.01",
        "kabkota",
        "Jumlah Puskesmas yang Dibangun",
        "Unit",
    ),
    ("X", "urusan", "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH", "", "semua", "", ""),
    ("X.XX", "bidang", "URUSAN PEMERINTAHAN BIDANG XX", "X", "semua", "", ""),
    (
        "X.XX.01",
        "program",
        "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA",
        "X.XX",
        "kabkota",
        "",
        "",
    ),
    (
        "X.XX.01.2.01",
        "kegiatan",
        "Perencanaan, Penganggaran, dan Evaluasi Kinerja Perangkat Daerah",
        "X.XX.01",
        "kabkota",
        "",
        "",
    ),
    (
        "X.XX.01.2.01.0001",
        "sub_kegiatan",
        "Penyusunan Dokumen Perencanaan Perangkat Daerah",
        "X.XX.01.2.01",
        "kabkota",
        "Jumlah Dokumen Perencanaan Perangkat Daerah",
        "Dokumen",
    ),
]


def make_edition(kode: str = "uji", items: Sequence[tuple[str, ...]] | None = None) -> NomenclatureEdition:
    edition, _ = NomenclatureEdition.objects.get_or_create(kode=kode, defaults={"nama": f"Edisi {kode}"})
    NomenclatureItem.objects.bulk_create(
        NomenclatureItem(
            edisi=edition,
            kode=k,
            level=level,
            nama=nama,
            kode_induk=induk,
            berlaku_untuk=berlaku,
            indikator=indikator,
            satuan=satuan,
            nama_cari=nama.lower(),
        )
        for k, level, nama, induk, berlaku, indikator, satuan in (items or ITEMS)
    )
    return edition


@pytest.fixture
def edition(db: Any) -> NomenclatureEdition:
    return make_edition()


@dataclass
class Plan:
    pemda: Pemda
    opd: Opd
    other_opd: Opd
    rpjmd: PlanDocument
    misi: PlanNode
    tujuan: PlanNode
    sasaran: PlanNode
    indicator: Indicator
    rkpd: PlanDocument
    program: PlanNode
    kegiatan: PlanNode
    sub: PlanNode
    perencana: User


def build_plan(pemda: Pemda, actor: Any = None) -> Plan:
    opd, other = list(Opd.objects.filter(pemda=pemda).order_by("kode"))[:2]
    rpjmd = services.document_create(actor=actor, pemda=pemda, jenis="RPJMD", tahun_mulai=2025)
    misi = services.node_create(
        actor=actor, document=rpjmd, parent=None, data=NodeInput(jenis="misi", kode="1", nama="Misi satu")
    )
    tujuan = services.node_create(
        actor=actor,
        document=rpjmd,
        parent=misi,
        data=NodeInput(jenis="tujuan", kode="1.1", nama="Tujuan satu"),
    )
    sasaran = services.node_create(
        actor=actor,
        document=rpjmd,
        parent=tujuan,
        data=NodeInput(jenis="sasaran", kode="1.1.3", nama="Meningkatnya kesetaraan gender"),
    )
    services.indicator_create(
        actor=actor,
        node=tujuan,
        data=IndicatorInput(
            nama="Indeks Pembangunan Manusia (IPM)",
            satuan="indeks",
            baseline_tahun=2023,
            baseline_nilai=Decimal("70.61"),
            target={t: Decimal("71") + t - 2025 for t in range(2025, 2030)},
        ),
    )
    indicator = services.indicator_create(
        actor=actor,
        node=sasaran,
        data=IndicatorInput(
            nama="Indeks Ketimpangan Gender (IKG)",
            satuan="indeks",
            polaritas="negatif",
            baseline_tahun=2023,
            baseline_nilai=Decimal("0.551"),
            target={
                2025: Decimal("0.53"),
                2026: Decimal("0.51"),
                2027: Decimal("0.49"),
                2028: Decimal("0.47"),
                2029: Decimal("0.45"),
            },
            terpilah_gender=True,
        ),
    )
    services.node_create(
        actor=actor,
        document=rpjmd,
        parent=None,
        data=NodeInput(jenis="program", kode="1.02.02", sasaran_ids=[sasaran.pk]),
    )
    rkpd = services.document_create(actor=actor, pemda=pemda, jenis="RKPD", tahun_mulai=2026, induk=rpjmd)
    program = services.node_create(
        actor=actor,
        document=rkpd,
        parent=None,
        data=NodeInput(
            jenis="program",
            kode="1.02.02",
            opd=opd,
            sasaran_ids=[sasaran.pk],
            pagu={2026: Decimal("900000000")},
        ),
    )
    kegiatan = services.node_create(
        actor=actor,
        document=rkpd,
        parent=program,
        data=NodeInput(jenis="kegiatan", kode="1.02.02.2.01", opd=opd, pagu={2026: Decimal("900000000")}),
    )
    sub = services.node_create(
        actor=actor,
        document=rkpd,
        parent=kegiatan,
        data=NodeInput(
            jenis="sub_kegiatan", kode="1.02.02.2.01.0001", opd=opd, pagu={2026: Decimal("750000000")}
        ),
    )
    user = User.objects.create_user(username=f"perencana-{pemda.kode}", password="sandi-uji-123")
    role_assign(actor=None, user=user, pemda=pemda, role=Role.PERENCANA)
    return Plan(
        pemda, opd, other, rpjmd, misi, tujuan, sasaran, indicator, rkpd, program, kegiatan, sub, user
    )


@pytest.fixture
def plan(pemda_a: Pemda, edition: NomenclatureEdition) -> Plan:
    return build_plan(pemda_a)
