"""Demo strategic analysis of Bappeda Kota Pasuruan (35.75), after field case 1 (`data/cases/README.md`).

- A small draft RPJMD 2025–2029 of Kota Pasuruan (only when the pemda has none yet): visi, two misi, a
  tujuan and a sasaran under the first misi. Its texts are illustrative, not the adopted Perda.
- The analysis "Analisis strategis Bappeda Kota Pasuruan" with the eleven factors of the acceptance case
  (`acceptance/swot_kota_pasuruan.csv`), internal profile (SAP) and external profile (ETOP).
- A closed workshop round: three participants scored every factor; the median of their weights
  (re-normalized) and ratings gives exactly the acceptance matrix (IFAS 2,50, EFAS 2,85, quadrant I).
  One participant gave the acceptance values themselves; the other two deviate symmetrically around them.
- TOWS strategies of the study, the four it chose marked terpilih; one strategic issue per strategy,
  scored with the default litmus test so that the four chosen issues rank highest; the chosen issues are
  linked to the RPJMD, and one becomes a draft strategi under the RPJMD sasaran.

Everything is written through the services (audited, validated). Idempotent: nothing happens when the
pemda does not exist or the analysis is already there.
"""

import datetime
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q

from rencana.planning import services as plan_services
from rencana.planning.models import PlanDocument, PlanNode
from rencana.planning.services import NodeInput
from rencana.regions.models import Opd, Pemda
from rencana.strategy import services
from rencana.strategy.models import Analysis, Factor, StrategicIssue, TowsStrategy

PEMDA = "35.75"
JUDUL = "Analisis strategis Bappeda Kota Pasuruan"
TANGGAL = datetime.date(2026, 10, 15)
FASILITATOR = "Tim Penelitian dan Pengembangan Bappeda Kota Pasuruan"
RUANG_LINGKUP = (
    "Profil internal Bappeda Kota Pasuruan (SAP, strategic advantage profile: SDM, sarana dan prasarana, "
    "visi dan misi, koordinasi perencanaan, kelembagaan) dan profil lingkungan eksternal (ETOP, "
    "environmental threat and opportunity profile: Kepala Daerah, DPRD dan LSM, pemerintah pusat, "
    "sarana komunikasi dan informasi, otonomi daerah). Faktor dari studi analisis strategis Bappeda "
    "Kota Pasuruan (2004); bobot dan rating lokakarya ini ilustratif."
)
BUKTI_SAP = "Studi analisis strategis Bappeda Kota Pasuruan (2004), profil internal (SAP)."
BUKTI_ETOP = "Studi analisis strategis Bappeda Kota Pasuruan (2004), profil eksternal (ETOP)."

# Illustrative RPJMD texts (a demo, not the adopted Perda of Kota Pasuruan).
RPJMD_NAMA = "RPJMD Kota Pasuruan 2025–2029 (rancangan demo)"
VISI = "Kota Pasuruan yang Maju, Sejahtera, Berbudaya dan Berkelanjutan (contoh demo)"
MISI_1 = "Mewujudkan tata kelola pemerintahan yang baik, akuntabel dan berbasis data"
MISI_2 = "Mewujudkan perekonomian kota yang berdaya saing berbasis perdagangan dan jasa"
TUJUAN = "Meningkatnya kualitas perencanaan dan pengendalian pembangunan daerah"
SASARAN = "Meningkatnya keselarasan, ketersediaan data dan akuntabilitas perencanaan pembangunan daerah"

# (jenis, kode, faktor, penjelasan): the acceptance factors; penjelasan after the case description.
FACTORS: list[tuple[str, str, str, str]] = [
    (
        "S",
        "S1",
        "SDM Bappeda relatif sesuai kebutuhan",
        "Jumlah dan kualifikasi pegawai Bappeda relatif sesuai dengan kebutuhan tugas perencanaan.",
    ),
    (
        "S",
        "S2",
        "Sarana dan prasarana memadai",
        "Ruang kerja, peralatan dan sarana pendukung kerja Bappeda memadai.",
    ),
    (
        "S",
        "S3",
        "Visi dan misi Bappeda jelas",
        "Visi dan misi Bappeda dirumuskan dengan jelas dan menjadi acuan kerja.",
    ),
    (
        "S",
        "S4",
        "Proses koordinasi perencanaan berjalan",
        "Koordinasi perencanaan dengan OPD berjalan; kelembagaan Bappeda cukup mantap.",
    ),
    (
        "W",
        "W1",
        "Sistem mutasi pegawai kurang akomodatif",
        "Mutasi pegawai kurang memperhatikan kebutuhan tenaga perencana yang sudah terlatih.",
    ),
    (
        "W",
        "W2",
        "Proses perencanaan dan pengawasan lemah",
        "Pegawai cenderung menunggu juklak/juknis, budaya kekeluargaan yang berlebihan menghambat "
        "evaluasi, dan kerja berorientasi pada proses, bukan pada misi.",
    ),
    (
        "O",
        "O1",
        "Komitmen dan perhatian Kepala Daerah terhadap Bappeda",
        "Kepala Daerah memberi perhatian dan dukungan kepada peran Bappeda.",
    ),
    (
        "O",
        "O2",
        "Tersedianya sarana komunikasi dan informasi",
        "Sarana komunikasi dan informasi tersedia untuk menghimpun dan menyebarkan data pembangunan.",
    ),
    (
        "O",
        "O3",
        "Otonomi daerah memberi kewenangan perencanaan",
        "Kewenangan merencanakan pembangunan kota berada di daerah.",
    ),
    (
        "T",
        "T1",
        "Keretakan kerja sama dengan DPRD dan LSM",
        "Hubungan kerja dengan DPRD dan LSM retak sehingga dukungan terhadap rencana berkurang.",
    ),
    (
        "T",
        "T2",
        "Ketergantungan pada pemerintah pusat",
        "Pendanaan dan petunjuk pembangunan masih banyak bergantung pada pemerintah pusat.",
    ),
]

# Workshop answers per participant: (nama, instansi, raw importance, rating), both in `KODES` order.
# The first gives the acceptance weights (as numbers summing to 100) and ratings; the other two deviate
# symmetrically, so that every factor's median is the acceptance value and each matrix's medians sum to
# exactly 1,00 (no re-normalization is needed). The third writes IFAS importance summing to 200 and EFAS
# importance on a 1–5 scale: only the proportions count.
KODES = ("S1", "S2", "S3", "S4", "W1", "W2", "O1", "O2", "O3", "T1", "T2")
PARTICIPANTS: list[tuple[str, str, tuple[int, ...], tuple[int, ...]]] = [
    (
        "Kepala Bidang Perencanaan",
        "Bappeda Kota Pasuruan",
        (20, 15, 15, 10, 15, 25, 25, 20, 15, 20, 20),
        (3, 3, 4, 3, 2, 1, 4, 3, 3, 2, 2),
    ),
    (
        "Kepala Bidang Data dan Litbang",
        "Bappeda Kota Pasuruan",
        (25, 10, 20, 5, 10, 30, 30, 15, 20, 20, 15),
        (4, 3, 4, 2, 2, 1, 4, 4, 3, 1, 2),
    ),
    (
        "Sekretaris Bappeda",
        "Bappeda Kota Pasuruan",
        (30, 40, 20, 30, 40, 40, 4, 5, 2, 4, 5),
        (3, 2, 4, 3, 1, 2, 3, 3, 2, 3, 3),
    ),
]
RINGKASAN_DISKUSI = (
    "Peserta sepakat pada sebagian besar faktor. Rating T1 (keretakan kerja sama dengan DPRD dan LSM) "
    "paling berbeda: Kepala Bidang Data dan Litbang menilainya 1, Sekretaris Bappeda 3; disepakati "
    "memakai median (2) dan memantau hubungan dengan DPRD dalam Rakorbang. W2 (proses perencanaan dan "
    "pengawasan lemah) diakui sebagai kelemahan terbesar dengan bobot 0,25."
)

# TOWS strategies: (key, sel, teks, factor kodes, terpilih).
# The study chose (a) SO1, (b) SO2, (c) WO2 and (d) WT1.
STRATEGIES: list[tuple[str, str, str, tuple[str, ...], bool]] = [
    (
        "SO1",
        "SO",
        "Memanfaatkan SDM Bappeda yang memadai untuk meningkatkan profesionalisme pegawai sebagai perencana.",
        ("S1", "O1", "O3"),
        True,
    ),
    (
        "SO2",
        "SO",
        "Mengembangkan sistem informasi pembangunan daerah: menerbitkan profil “Kota dalam Angka”, "
        "menyampaikan laporan hasil pembangunan kepada masyarakat secara berkala, dan menjadikan Bappeda "
        "pusat jaringan komputer yang menghimpun data dari setiap kecamatan.",
        ("S2", "S4", "O2"),
        True,
    ),
    (
        "WO1",
        "WO",
        "Memperbaiki sistem mutasi pegawai dengan memanfaatkan komitmen Kepala Daerah.",
        ("W1", "O1"),
        False,
    ),
    (
        "WO2",
        "WO",
        "Meningkatkan kualitas produk perencanaan.",
        ("W2", "O2", "O3"),
        True,
    ),
    (
        "ST1",
        "ST",
        "Memanfaatkan proses koordinasi untuk memperbaiki kerja sama dengan DPRD dan LSM.",
        ("S4", "T1"),
        False,
    ),
    (
        "ST2",
        "ST",
        "Memanfaatkan visi dan misi yang jelas untuk mengelola perencanaan.",
        ("S3", "T2"),
        False,
    ),
    (
        "WT1",
        "WT",
        "Meningkatkan perencanaan dan pengawasan hasil pembangunan: Rakorbang yang intensif, koordinasi "
        "dengan badan pengawas daerah, serta melaporkan kegagalan beserta jalan keluarnya kepada Kepala "
        "Daerah dan masyarakat.",
        ("W2", "T1"),
        True,
    ),
]

# One strategic issue per strategy: (strategy key, pertanyaan, kaitan visi-misi, litmus answers L01..L13).
# Totals: SO2 33 and WT1 31 "sangat strategis", WO2 28 and SO1 25 "cukup strategis", WO1 21, ST1 20 and
# ST2 15 "kurang strategis".
ISSUES: list[tuple[str, str, str, tuple[int, ...]]] = [
    (
        "SO1",
        "Bagaimana Bappeda memanfaatkan SDM yang memadai untuk meningkatkan profesionalisme pegawainya "
        "sebagai perencana?",
        "Misi 1 (tata kelola yang baik dan akuntabel): perencanaan yang bermutu memerlukan perencana "
        "yang profesional.",
        (2, 3, 2, 2, 2, 1, 1, 3, 2, 2, 2, 2, 1),
    ),
    (
        "SO2",
        "Bagaimana Bappeda mengembangkan sistem informasi pembangunan daerah yang menghimpun data dari "
        "setiap kecamatan dan menyajikannya kepada Kepala Daerah dan masyarakat?",
        "Misi 1 (tata kelola berbasis data): Tujuan 1.1 dan Sasaran 1.1.1 menuntut data pembangunan yang "
        "tersedia dan terbuka.",
        (3, 3, 3, 2, 3, 1, 3, 2, 3, 3, 2, 3, 2),
    ),
    (
        "WO1",
        "Bagaimana komitmen Kepala Daerah dapat dimanfaatkan untuk memperbaiki sistem mutasi pegawai agar "
        "tenaga perencana yang terlatih tetap terjaga?",
        "Misi 1 (tata kelola yang baik): kesinambungan tenaga perencana.",
        (2, 1, 2, 1, 1, 1, 1, 2, 2, 3, 2, 1, 2),
    ),
    (
        "WO2",
        "Bagaimana meningkatkan kualitas produk perencanaan Bappeda agar menjadi acuan OPD dan DPRD?",
        "Misi 1 (tata kelola yang akuntabel): Tujuan 1.1, kualitas perencanaan pembangunan daerah.",
        (2, 2, 3, 2, 2, 1, 1, 2, 3, 2, 3, 3, 2),
    ),
    (
        "ST1",
        "Bagaimana proses koordinasi perencanaan dapat memperbaiki kerja sama Bappeda dengan DPRD dan LSM?",
        "Misi 1 (tata kelola yang baik): dukungan DPRD dan masyarakat terhadap rencana.",
        (2, 1, 2, 1, 1, 1, 1, 1, 2, 2, 2, 1, 3),
    ),
    (
        "ST2",
        "Bagaimana visi dan misi Bappeda yang jelas dimanfaatkan untuk mengelola perencanaan dan mengurangi "
        "ketergantungan pada pemerintah pusat?",
        "Visi kota dan Misi 1: kemandirian perencanaan daerah.",
        (1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1),
    ),
    (
        "WT1",
        "Bagaimana memperbaiki perencanaan dan pengawasan hasil pembangunan agar kegagalan diketahui lebih "
        "awal dan dilaporkan beserta jalan keluarnya kepada Kepala Daerah dan masyarakat?",
        "Misi 1 (tata kelola yang akuntabel): Tujuan 1.1 dan Sasaran 1.1.1, pengendalian pembangunan daerah.",
        (3, 2, 3, 3, 2, 1, 1, 2, 2, 3, 3, 3, 3),
    ),
]
# The chosen issue that becomes a draft strategi under the RPJMD sasaran.
ISSUE_TO_NODE = "SO2"
STRATEGI_RPJMD = (
    "Pengembangan sistem informasi pembangunan daerah yang menghimpun data dari setiap kecamatan "
    "dan melaporkan hasil pembangunan kepada masyarakat secara berkala"
)


def _planner(pemda: Pemda) -> Any:
    """The demo planner of this pemda (accounts demo), or None when it is not there."""
    return (
        get_user_model()
        .objects.filter(
            username="perencana", role_assignments__pemda=pemda, role_assignments__role="perencana"
        )
        .first()
    )


def _bappeda(pemda: Pemda) -> Opd | None:
    return (
        Opd.objects.filter(pemda=pemda)
        .filter(
            Q(singkatan__iexact="Bappeda")
            | Q(nama__icontains="Bappeda")
            | Q(nama__istartswith="Badan Perencanaan Pembangunan")
        )
        .order_by("kode")
        .first()
    )


def _rpjmd(pemda: Pemda, actor: Any) -> tuple[PlanNode | None, PlanNode | None, int]:
    """The RPJMD tujuan and sasaran the issues are linked to (a draft RPJMD is made when there is none)."""
    if PlanDocument.objects.filter(pemda=pemda, jenis="RPJMD").exists():
        nodes = services.linkable_nodes(pemda)
        tujuan = next((n for n in nodes if n.jenis == "tujuan"), None)
        sasaran = next((n for n in nodes if n.jenis == "sasaran"), None)
        return tujuan, sasaran, 0
    document = plan_services.document_create(
        actor=actor, pemda=pemda, jenis="RPJMD", tahun_mulai=2025, nama=RPJMD_NAMA
    )

    def node(parent: PlanNode | None, jenis: str, kode: str, nama: str) -> PlanNode:
        return plan_services.node_create(
            actor=actor, document=document, parent=parent, data=NodeInput(jenis=jenis, kode=kode, nama=nama)
        )

    visi = node(None, "visi", "", VISI)
    misi_1 = node(visi, "misi", "1", MISI_1)
    node(visi, "misi", "2", MISI_2)
    tujuan = node(misi_1, "tujuan", "1.1", TUJUAN)
    sasaran = node(tujuan, "sasaran", "1.1.1", SASARAN)
    return tujuan, sasaran, 6


def _workshop(analysis: Analysis, actor: Any) -> int:
    planner = actor
    people = []
    for index, (nama, instansi, _raw, _ratings) in enumerate(PARTICIPANTS):
        # The demo planner, when present, is the first participant; the others use one-time links
        # (their secrets are not kept: the facilitator makes a new link when needed).
        user = planner if index == 0 else None
        participant, _token = services.participant_add(
            actor=actor, analysis=analysis, nama=nama, instansi=instansi, user=user
        )
        people.append(participant)
    rnd = services.round_open(actor=actor, analysis=analysis, expected_version=analysis.version)
    for participant, (_nama, _instansi, raw, ratings) in zip(people, PARTICIPANTS, strict=True):
        services.submission_save(
            participant=participant,
            rnd=rnd,
            data=services.ScoreInput(
                mentah={k: str(v) for k, v in zip(KODES, raw, strict=True)},
                rating={k: str(v) for k, v in zip(KODES, ratings, strict=True)},
                berpasangan={},
            ),
            expected_version=None,
        )
    services.round_close(
        actor=actor,
        analysis=analysis,
        expected_version=analysis.version,
        method="median",
        ringkasan=RINGKASAN_DISKUSI,
    )
    return len(people) * 2 + 1  # participants, submissions, the round


def _issues(
    analysis: Analysis,
    actor: Any,
    strategies: dict[str, TowsStrategy],
    tujuan: PlanNode | None,
    sasaran: PlanNode | None,
) -> int:
    created = 0
    items, _bands = services.litmus_config(analysis)
    links = [n.pk for n in (tujuan, sasaran) if n is not None]
    for key, pertanyaan, kaitan, answers in ISSUES:
        strategy = strategies[key]
        issue = services.issue_create(
            actor=actor,
            analysis=analysis,
            pertanyaan=pertanyaan,
            kaitan_visi_misi=kaitan,
            strategi_id=strategy.pk,
        )
        created += 1
        services.issue_score(
            actor=actor,
            issue=issue,
            expected_version=issue.version,
            answers={item.kode: str(a) for item, a in zip(items, answers, strict=True)},
        )
        if not strategy.terpilih:
            continue
        services.issue_update(
            actor=actor,
            issue=issue,
            expected_version=issue.version,
            pertanyaan=issue.pertanyaan,
            kaitan_visi_misi=issue.kaitan_visi_misi,
            strategi_id=strategy.pk,
            terpilih=True,
        )
        if links:
            services.issue_link(actor=actor, issue=issue, node_ids=links)
        if key == ISSUE_TO_NODE and sasaran is not None and not sasaran.dokumen.terkunci:
            services.issue_make_node(
                actor=actor, issue=issue, parent=sasaran, jenis="strategi", nama=STRATEGI_RPJMD
            )
            created += 1
    return created


def load(*, stdout: TextIO | Any) -> int:
    pemda = Pemda.objects.filter(kode=PEMDA).first()
    if pemda is None or Analysis.objects.filter(pemda=pemda, judul=JUDUL).exists():
        return 0
    with transaction.atomic():
        actor = _planner(pemda)
        tujuan, sasaran, created = _rpjmd(pemda, actor)
        analysis = services.analysis_create(
            actor=actor,
            pemda=pemda,
            data=services.AnalysisInput(
                judul=JUDUL,
                tanggal=TANGGAL,
                ruang_lingkup=RUANG_LINGKUP,
                fasilitator=FASILITATOR,
                opd=_bappeda(pemda),
            ),
        )
        created += 1
        factors: dict[str, Factor] = {}
        for jenis, kode, faktor, penjelasan in FACTORS:
            factors[kode] = services.factor_create(
                actor=actor,
                analysis=analysis,
                data=services.FactorInput(
                    jenis=jenis,
                    kode=kode,
                    faktor=faktor,
                    penjelasan=penjelasan,
                    bukti=BUKTI_SAP if jenis in ("S", "W") else BUKTI_ETOP,
                ),
            )
        created += len(factors)
        created += _workshop(analysis, actor)
        strategies: dict[str, TowsStrategy] = {}
        for key, sel, teks, kodes, terpilih in STRATEGIES:
            strategies[key] = services.tows_create(
                actor=actor,
                analysis=analysis,
                sel=sel,
                teks=teks,
                factor_ids=[factors[k].pk for k in kodes],
                terpilih=terpilih,
            )
        created += len(strategies)
        created += _issues(analysis, actor, strategies, tujuan, sasaran)
    chosen = sum(1 for *_rest, terpilih in STRATEGIES if terpilih)
    issues = StrategicIssue.objects.filter(analisis=analysis).count()
    stdout.write(
        f"Analisis strategis demo {pemda.nama}: {len(FACTORS)} faktor SWOT, lokakarya {len(PARTICIPANTS)} "
        f"peserta (putaran ditutup, median), {len(STRATEGIES)} strategi TOWS ({chosen} terpilih), "
        f"{issues} isu strategis dengan uji litmus."
    )
    return created
