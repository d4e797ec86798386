"""Demo plans of Kabupaten Kotabaru (63.02): RPJMD 2025–2029, RKPD 2026 and a Renja per OPD.

- RPJMD: Misi 1 / Tujuan 1 / Sasaran 3 carry the gender-mainstreaming indicators of the field case
  (`data/cases/kotabaru_pug_indikator.csv`: IPM 70.61 (2023) -> 75.37 (2029); IKG 0.551 -> 0.450,
  negatif; IPG 85.05 and IDG 75.95 without published targets). Years between baseline and the
  published 2029 target are interpolated linearly for the demo. Other visi/misi/tujuan/sasaran
  texts are illustrative, not the adopted Perda.
- RKPD 2026: about 1,100 sub-kegiatan drawn from the 2027 nomenclature (kab/kota) for the 34 OPDs
  (`rencana.planning.generate`), linked through their programs to the RPJMD's sasaran.
- Deliberate defects so the logframe checker has something to show, one of each class: a misi
  without tujuan, a sasaran without indicator, an indicator without unit/baseline/targets, targets
  against the polarity, programs copied "from last year" without a sasaran, a sub-kegiatan
  without pagu and one without output indicator, an RKPD program absent from the RPJMD, a Renja
  sub-kegiatan absent from the RKPD, a kegiatan whose sub-kegiatan exceed its pagu, a duplicate
  code, a code outside the nomenclature (and one marked as such).
"""

from decimal import Decimal
from typing import Any, TextIO

from django.db.models import Max

from rencana.planning import generate, services
from rencana.planning.models import (
    Indicator,
    IndicatorKind,
    IndicatorTarget,
    NodeBudget,
    NodeLink,
    PlanDocument,
    PlanNode,
    Stage,
)
from rencana.planning.nomenclature import nomenclature_load
from rencana.planning.services import IndicatorInput, NodeInput
from rencana.regions.models import Opd, Pemda

PEMDA = "63.02"
GROWTH = Decimal("1.05")
RKPD_SUB_KEGIATAN = 1100

VISI = "Kotabaru yang Maju, Sejahtera dan Berkeadilan (contoh demo)"
# (kode, misi, [(kode tujuan, tujuan, [(kode sasaran, sasaran)])])
MISI: list[tuple[str, str, list[tuple[str, str, list[tuple[str, str]]]]]] = [
    (
        "1",
        "Mewujudkan sumber daya manusia yang sehat, cerdas, berdaya saing dan setara gender",
        [
            (
                "1.1",
                "Meningkatnya kualitas hidup dan kesetaraan gender masyarakat",
                [
                    ("1.1.1", "Meningkatnya derajat kesehatan masyarakat"),
                    ("1.1.2", "Meningkatnya kualitas pendidikan"),
                    ("1.1.3", "Meningkatnya pembangunan manusia yang responsif gender"),
                ],
            )
        ],
    ),
    (
        "2",
        "Mewujudkan perekonomian daerah yang tangguh berbasis potensi lokal",
        [
            (
                "2.1",
                "Meningkatnya pertumbuhan ekonomi yang inklusif",
                [
                    ("2.1.1", "Meningkatnya produktivitas pertanian, perikanan dan kehutanan"),
                    ("2.1.2", "Meningkatnya investasi dan usaha mikro"),
                ],
            )
        ],
    ),
    (
        "3",
        "Mewujudkan infrastruktur dan lingkungan hidup yang berkelanjutan",
        [
            (
                "3.1",
                "Meningkatnya kualitas infrastruktur wilayah dan lingkungan",
                [
                    ("3.1.1", "Meningkatnya konektivitas wilayah"),
                    ("3.1.2", "Meningkatnya kualitas lingkungan hidup"),
                ],
            )
        ],
    ),
    (
        "4",
        "Mewujudkan tata kelola pemerintahan yang bersih, efektif dan melayani",
        [
            (
                "4.1",
                "Meningkatnya kualitas tata kelola pemerintahan",
                [("4.1.1", "Meningkatnya akuntabilitas kinerja dan keuangan daerah")],
            )
        ],
    ),
    # Deliberately without tujuan (checker rule misi_tanpa_tujuan).
    ("5", "Mewujudkan kehidupan masyarakat yang religius dan berbudaya", []),
]

# (sasaran kode, nama, satuan, polaritas, baseline tahun, baseline, {tahun: target}, terpilah)
YEARS = (2025, 2026, 2027, 2028, 2029)


def _interpolate(
    base_year: int, base: Decimal, end_year: int, end: Decimal, places: str
) -> dict[int, Decimal]:
    step = (end - base) / (end_year - base_year)
    return {t: (base + step * (t - base_year)).quantize(Decimal(places)) for t in YEARS}


INDICATORS: list[tuple[str, str, str, str, int | None, Decimal | None, dict[int, Decimal], bool]] = [
    # The field case (Kotabaru PUG, 2025): Misi 1 / Tujuan 1 / Sasaran 3.
    (
        "1.1.3",
        "Indeks Pembangunan Manusia (IPM)",
        "indeks",
        "positif",
        2023,
        Decimal("70.61"),
        _interpolate(2023, Decimal("70.61"), 2029, Decimal("75.37"), "0.01"),
        False,
    ),
    ("1.1.3", "Indeks Pembangunan Gender (IPG)", "indeks", "positif", 2023, Decimal("85.05"), {}, True),
    ("1.1.3", "Indeks Pemberdayaan Gender (IDG)", "indeks", "positif", 2023, Decimal("75.95"), {}, True),
    (
        "1.1.3",
        "Indeks Ketimpangan Gender (IKG)",
        "indeks",
        "negatif",
        2023,
        Decimal("0.551"),
        _interpolate(2023, Decimal("0.551"), 2029, Decimal("0.450"), "0.001"),
        True,
    ),
    (
        "1.1",
        "Indeks Kualitas Hidup (contoh)",
        "indeks",
        "positif",
        2024,
        Decimal("68.2"),
        {t: Decimal("69") + (t - 2025) for t in YEARS},
        False,
    ),
    (
        "1.1.1",
        "Angka Harapan Hidup",
        "tahun",
        "positif",
        2024,
        Decimal("68.95"),
        {t: Decimal("69.10") + Decimal("0.15") * (t - 2025) for t in YEARS},
        True,
    ),
    (
        "1.1.2",
        "Rata-rata Lama Sekolah",
        "tahun",
        "positif",
        2024,
        Decimal("7.9"),
        {t: Decimal("8.0") + Decimal("0.1") * (t - 2025) for t in YEARS},
        True,
    ),
    (
        "2.1",
        "Pertumbuhan Ekonomi",
        "%",
        "positif",
        2024,
        Decimal("4.8"),
        {t: Decimal("5.0") for t in YEARS},
        False,
    ),
    # Targets falling although higher is better (rule target_berlawanan_polaritas).
    (
        "2.1.1",
        "Nilai Tukar Petani",
        "indeks",
        "positif",
        2024,
        Decimal("104.2"),
        {
            2025: Decimal("105"),
            2026: Decimal("106"),
            2027: Decimal("104"),
            2028: Decimal("103"),
            2029: Decimal("102"),
        },
        False,
    ),
    (
        "2.1.2",
        "Jumlah usaha mikro yang memiliki NIB",
        "unit",
        "positif",
        2024,
        Decimal("3120"),
        {t: Decimal(3500 + 400 * (t - 2025)) for t in YEARS},
        False,
    ),
    (
        "3.1",
        "Indeks Infrastruktur Wilayah (contoh)",
        "indeks",
        "positif",
        2024,
        Decimal("61"),
        {t: Decimal(62 + (t - 2025)) for t in YEARS},
        False,
    ),
    (
        "3.1.1",
        "Persentase jalan kabupaten dalam kondisi mantap",
        "%",
        "positif",
        2024,
        Decimal("63.5"),
        {t: Decimal("65") + 2 * (t - 2025) for t in YEARS},
        False,
    ),
    # No unit, no baseline, no targets (rules indikator_tanpa_satuan/baseline/target).
    ("3.1.2", "Indeks Kualitas Lingkungan Hidup", "", "positif", None, None, {}, False),
    (
        "4.1",
        "Nilai SAKIP",
        "nilai",
        "positif",
        2024,
        Decimal("62.1"),
        {t: Decimal("63") + 2 * (t - 2025) for t in YEARS},
        False,
    ),
    # Sasaran 4.1.1 deliberately has no indicator (rule tanpa_indikator).
]

# Which RPJMD sasaran a bidang urusan serves (the first two parts of a program code).
SASARAN_BY_BIDANG = {
    "1.02": "1.1.1",
    "1.01": "1.1.2",
    "1.06": "1.1.3",
    "2.08": "1.1.3",
    "2.14": "1.1.3",
    "2.12": "1.1.3",
    "3.25": "2.1.1",
    "3.27": "2.1.1",
    "3.29": "2.1.1",
    "2.09": "2.1.1",
    "2.17": "2.1.2",
    "2.18": "2.1.2",
    "3.30": "2.1.2",
    "3.31": "2.1.2",
    "3.26": "2.1.2",
    "1.03": "3.1.1",
    "1.04": "3.1.1",
    "2.15": "3.1.1",
    "2.11": "3.1.2",
}
DEFAULT_SASARAN = "4.1.1"


def _rpjmd(pemda: Pemda, edition_id: int | None) -> PlanDocument:
    document = services.document_create(
        actor=None, pemda=pemda, jenis="RPJMD", tahun_mulai=2025, nama="RPJMD Kabupaten Kotabaru 2025–2029"
    )
    if edition_id is not None:
        document.edisi_nomenklatur_id = edition_id
        document.save(update_fields=["edisi_nomenklatur"])
    visi = services.node_create(
        actor=None, document=document, parent=None, data=NodeInput(jenis="visi", nama=VISI)
    )
    sasaran_by_kode: dict[str, PlanNode] = {}
    for misi_kode, misi_nama, tujuan_list in MISI:
        misi = services.node_create(
            actor=None,
            document=document,
            parent=visi,
            data=NodeInput(jenis="misi", kode=misi_kode, nama=misi_nama),
        )
        for tujuan_kode, tujuan_nama, sasaran_list in tujuan_list:
            tujuan = services.node_create(
                actor=None,
                document=document,
                parent=misi,
                data=NodeInput(jenis="tujuan", kode=tujuan_kode, nama=tujuan_nama),
            )
            sasaran_by_kode[tujuan_kode] = tujuan
            for sasaran_kode, sasaran_nama in sasaran_list:
                sasaran_by_kode[sasaran_kode] = services.node_create(
                    actor=None,
                    document=document,
                    parent=tujuan,
                    data=NodeInput(jenis="sasaran", kode=sasaran_kode, nama=sasaran_nama),
                )
    for kode, nama, satuan, polaritas, base_year, base, targets, gender in INDICATORS:
        services.indicator_create(
            actor=None,
            node=sasaran_by_kode[kode],
            data=IndicatorInput(
                nama=nama,
                satuan=satuan,
                polaritas=polaritas,
                baseline_tahun=base_year,
                baseline_nilai=base,
                target=dict(targets),
                terpilah_gender=gender,
                sumber_data="BPS Kabupaten Kotabaru" if "Indeks" in nama else "",
            ),
        )
    services.node_create(
        actor=None,
        document=document,
        parent=sasaran_by_kode["1.1.3"],
        data=NodeInput(
            jenis="strategi",
            nama=(
                "Pengarusutamaan gender dalam perencanaan dan penganggaran seluruh OPD "
                "(PPRG sampai sub-kegiatan)"
            ),
        ),
    )
    return document


def _rpjmd_programs(rpjmd: PlanDocument, rkpd: PlanDocument, sasaran_for: Any) -> None:
    """The RPJMD's programs: every program the RKPD runs but one (rule program_tidak_ada_di_induk)."""
    codes = sorted(set(PlanNode.objects.filter(dokumen=rkpd, jenis="program").values_list("kode", flat=True)))
    dropped = "2.22.02" if "2.22.02" in codes else [c for c in codes if not c.startswith("X")][-1]
    codes = [c for c in codes if c != dropped]
    start = PlanNode.objects.filter(dokumen=rpjmd, induk=None).count()
    nodes = [
        PlanNode(
            pemda_id=rpjmd.pemda_id, dokumen=rpjmd, jenis="program", kode=kode, nama=kode, urutan=start + i
        )
        for i, kode in enumerate(codes, start=1)
    ]
    from rencana.planning.models import NomenclatureItem

    names = dict(
        NomenclatureItem.objects.filter(edisi_id=rpjmd.edisi_nomenklatur_id, kode__in=codes, level="program")
        .exclude(berlaku_untuk="provinsi")
        .values_list("kode", "nama")
    )
    for node in nodes:
        node.nama = names.get(node.kode, node.kode)
    PlanNode.objects.bulk_create(nodes)
    # Indicative pagu for the period: the RKPD 2026 amount, growing 5% a year.
    per_code: dict[str, Decimal] = {}
    for kode, jumlah in NodeBudget.objects.filter(node__dokumen=rkpd, node__jenis="program").values_list(
        "node__kode", "jumlah"
    ):
        per_code[kode] = per_code.get(kode, Decimal(0)) + jumlah
    NodeBudget.objects.bulk_create(
        NodeBudget(
            pemda_id=rpjmd.pemda_id,
            node=node,
            tahun=tahun,
            jumlah=(per_code.get(node.kode, Decimal(0)) * GROWTH ** (tahun - 2026)).quantize(Decimal("1000")),
        )
        for node in nodes
        for tahun in YEARS
    )
    NodeLink.objects.bulk_create(
        NodeLink(pemda_id=rpjmd.pemda_id, dari=node, ke_id=target)
        for node in nodes
        if (target := sasaran_for(".".join(node.kode.split(".")[:2]))) is not None
    )


def _break_rkpd(rkpd: PlanDocument, sasaran: dict[str, int]) -> None:
    """One of each defect the checker must find (see the module docstring)."""
    subs = list(PlanNode.objects.filter(dokumen=rkpd, jenis="sub_kegiatan").order_by("id"))
    # A sub-kegiatan without pagu and one without output indicator.
    NodeBudget.objects.filter(node=subs[5]).delete()
    Indicator.objects.filter(node=subs[9]).delete()
    # A kegiatan whose sub-kegiatan together exceed its pagu.
    kegiatan = PlanNode.objects.filter(dokumen=rkpd, jenis="kegiatan").order_by("id")[3]
    NodeBudget.objects.filter(node=kegiatan).update(jumlah=Decimal("1000000"))
    # A duplicate code, as an older spreadsheet import would leave it.
    twin = subs[20]
    PlanNode.objects.create(
        pemda_id=twin.pemda_id,
        dokumen=rkpd,
        jenis="sub_kegiatan",
        induk_id=twin.induk_id,
        kode=twin.kode,
        nama=twin.nama,
        urutan=99,
        opd_id=twin.opd_id,
    )
    # Codes outside the nomenclature: one typed wrong, one marked as deliberate.
    wrong = subs[30]
    PlanNode.objects.filter(pk=wrong.pk).update(kode=wrong.kode[:-4] + "9999")
    marked = subs[40]
    PlanNode.objects.filter(pk=marked.pk).update(kode=marked.kode[:-4] + "9998", luar_nomenklatur=True)
    # Programs "copied from last year": no sasaran, and one that the RPJMD does not have.
    copied = list(
        PlanNode.objects.filter(dokumen=rkpd, jenis="program")
        .exclude(kode__startswith="X")
        .order_by("-id")[:3]
    )
    NodeLink.objects.filter(dari__in=copied).delete()


def _renja(rkpd: PlanDocument, opds: list[Opd]) -> int:
    """A Renja per OPD with the OPD's part of the RKPD (bulk copy)."""
    created = 0
    nodes = list(PlanNode.objects.filter(dokumen=rkpd).order_by("id"))
    budgets: dict[int, list[NodeBudget]] = {}
    for budget in NodeBudget.objects.filter(node__dokumen=rkpd):
        budgets.setdefault(budget.node_id, []).append(budget)
    indicators: dict[int, list[Indicator]] = {}
    for indicator in Indicator.objects.filter(node__dokumen=rkpd):
        indicators.setdefault(indicator.node_id, []).append(indicator)
    targets: dict[int, list[IndicatorTarget]] = {}
    for target in IndicatorTarget.objects.filter(indikator__node__dokumen=rkpd):
        targets.setdefault(target.indikator_id, []).append(target)
    links: dict[int, list[int]] = {}
    for dari, ke in NodeLink.objects.filter(dari__dokumen=rkpd).values_list("dari_id", "ke_id"):
        links.setdefault(dari, []).append(ke)
    for opd in opds:
        own = [n for n in nodes if n.opd_id == opd.pk]
        if not own:
            continue
        renja = services.document_create(
            actor=None, pemda=rkpd.pemda, jenis="RENJA", tahun_mulai=2026, opd=opd, induk=rkpd
        )
        mapping: dict[int, PlanNode] = {}
        for level in ("program", "kegiatan", "sub_kegiatan"):
            batch = []
            for node in own:
                if node.jenis != level:
                    continue
                clone = PlanNode(
                    pemda_id=node.pemda_id,
                    dokumen=renja,
                    jenis=node.jenis,
                    induk=mapping.get(node.induk_id) if node.induk_id else None,
                    kode=node.kode,
                    nama=node.nama,
                    urutan=node.urutan,
                    opd_id=opd.pk,
                    luar_nomenklatur=node.luar_nomenklatur,
                    sumber_dana=node.sumber_dana,
                )
                batch.append((node.pk, clone))
            PlanNode.objects.bulk_create([c for _, c in batch])
            mapping.update(dict(batch))
        NodeBudget.objects.bulk_create(
            NodeBudget(pemda_id=b.pemda_id, node=mapping[old], tahun=b.tahun, jumlah=b.jumlah)
            for old in mapping
            for b in budgets.get(old, [])
        )
        NodeLink.objects.bulk_create(
            NodeLink(pemda_id=rkpd.pemda_id, dari=mapping[old], ke_id=ke)
            for old in mapping
            for ke in links.get(old, [])
        )
        new_indicators: list[tuple[int, Indicator]] = []
        for old in mapping:
            for indicator in indicators.get(old, []):
                copy = Indicator(
                    pemda_id=indicator.pemda_id,
                    node=mapping[old],
                    jenis=indicator.jenis,
                    nama=indicator.nama,
                    satuan=indicator.satuan,
                    polaritas=indicator.polaritas,
                    agregasi=indicator.agregasi,
                    baseline_tahun=indicator.baseline_tahun,
                    baseline_nilai=indicator.baseline_nilai,
                    urutan=indicator.urutan,
                )
                new_indicators.append((indicator.pk, copy))
        Indicator.objects.bulk_create([c for _, c in new_indicators])
        IndicatorTarget.objects.bulk_create(
            IndicatorTarget(pemda_id=t.pemda_id, indikator=copied, tahun=t.tahun, nilai=t.nilai)
            for old_id, copied in new_indicators
            for t in targets.get(old_id, [])
        )
        created += 1 + len(mapping)
    return created


def load(*, stdout: TextIO | Any) -> int:
    editions = [nomenclature_load(edisi) for edisi in ("2020", "2027")]
    created = sum(1 for report in editions if getattr(report, "changed", False))
    pemda = Pemda.objects.filter(kode=PEMDA).first()
    if pemda is None or PlanDocument.objects.filter(pemda=pemda).exists():
        return created
    from rencana.planning.models import NomenclatureEdition

    edition = NomenclatureEdition.objects.get(kode="2027")
    rpjmd = _rpjmd(pemda, edition.pk)
    sasaran = dict(PlanNode.objects.filter(dokumen=rpjmd, jenis="sasaran").values_list("kode", "pk"))
    services.document_set_stage(
        actor=None, document=rpjmd, expected_version=rpjmd.version, tahap=Stage.RANCANGAN
    )
    rkpd = services.document_create(
        actor=None,
        pemda=pemda,
        jenis="RKPD",
        tahun_mulai=2026,
        induk=rpjmd,
        nama="RKPD Kabupaten Kotabaru 2026",
        edisi=edition,
    )
    opds = list(Opd.objects.filter(pemda=pemda, aktif=True).order_by("kode"))

    def sasaran_for(bidang: str) -> int | None:
        return sasaran[SASARAN_BY_BIDANG.get(bidang, DEFAULT_SASARAN)]

    generated = generate.generate_budget_tree(
        document=rkpd,
        opds=opds,
        pemda_kind="kabkota",
        sub_kegiatan=RKPD_SUB_KEGIATAN,
        sasaran_for=sasaran_for,
    )
    _rpjmd_programs(rpjmd, rkpd, sasaran_for)
    _break_rkpd(rkpd, sasaran)
    renja_rows = _renja(rkpd, opds)
    # A Renja sub-kegiatan the RKPD does not have (rule sub_kegiatan_tidak_ada_di_induk).
    renja = PlanDocument.objects.filter(induk=rkpd, jenis="RENJA").order_by("opd__kode").first()
    if renja is not None:
        kegiatan = PlanNode.objects.filter(dokumen=renja, jenis="kegiatan").order_by("id").first()
        if kegiatan is not None:
            last = PlanNode.objects.filter(dokumen=renja).aggregate(m=Max("urutan"))["m"] or 0
            extra = PlanNode.objects.create(
                pemda_id=pemda.pk,
                dokumen=renja,
                jenis="sub_kegiatan",
                induk=kegiatan,
                kode=kegiatan.kode + ".9997",
                nama="Sub-kegiatan tambahan yang tidak ada di RKPD (contoh)",
                urutan=last + 1,
                opd_id=renja.opd_id,
                luar_nomenklatur=True,
            )
            NodeBudget.objects.create(pemda_id=pemda.pk, node=extra, tahun=2026, jumlah=Decimal("150000000"))
            Indicator.objects.create(
                pemda_id=pemda.pk,
                node=extra,
                jenis=IndicatorKind.OUTPUT,
                nama="Jumlah kegiatan",
                satuan="kegiatan",
            )
    stdout.write(
        f"Perencanaan demo {pemda.nama}: RPJMD 2025–2029, RKPD 2026 ({generated.sub_kegiatan} sub-kegiatan, "
        f"{generated.programs} program), Renja per OPD."
    )
    return created + generated.programs + generated.kegiatan + generated.sub_kegiatan + renja_rows
