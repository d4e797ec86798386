# ruff: noqa: E501 - the demo texts are data, one sentence per line
"""Demo of gender mainstreaming (PUG): Kabupaten Kotabaru as in 2025 (case 2 of the field cases) and the
BPS comparison of Jawa Timur's 38 kabupaten/kota.

Kotabaru (63.02): PUG is in the Perda (16/2013), the Perbup (24/2016), the RPJPD and the RPJMD (Misi 1 /
Tujuan 1 / Sasaran 3, the planning demo's IPM, IPG, IDG, IKG indicators), but stopped in 2023–2024; the Pokja
PUG was reactivated in 2025 with a technical "driver" team (BAPPERIDA, Dinas PPPAPPKB, BPKAD, Inspektorat,
Dinas PMD); ARG is not integrated into the APBD; staff capacity for gender analysis is limited. The demo
records that state: readiness, the Pokja and its 2025 meeting, a PPE self-assessment 2025, the roadmap
targets (IPM 75.37 and IKG 0.450 in 2029 from the RPJMD; intermediate years interpolated), the 2023 baselines
as index values, GAP worksheets with Gender Budget Statements for sub-kegiatan of Dinas PPPAPPKB and Dinas
Kesehatan, and ARG tags on them. GAP texts, meeting minutes and PPE answers are illustrative.

Jawa Timur: the shipped BPS file (gender/data/) is loaded as reference index values, so the comparison page
(`/pug/perbandingan/35/?sorot=35.75`) ranks the 38 kabupaten/kota with Kota Pasuruan highlighted.
"""

import dataclasses
import datetime
from decimal import Decimal
from typing import Any, TextIO

from django.contrib.auth import get_user_model

from rencana.gender import bps, services_gap, services_readiness
from rencana.gender.models import ArgTag, GapWorksheet, IndexValue, PokjaMember, Prerequisite
from rencana.planning.models import PlanDocument, PlanNode
from rencana.regions.models import Opd, Pemda

PEMDA = "63.02"
TAHUN = 2026
OPD_PPPAPPKB = "2.08.2.14.0.00.01.0000"
OPD_DINKES = "1.02.0.00.0.00.01.0000"
BASELINE_SOURCE = "RPJMD Kabupaten Kotabaru 2025–2029 (baseline 2023)"
BASELINES_2023 = {
    "IPM": Decimal("70.61"),
    "IPG": Decimal("85.05"),
    "IDG": Decimal("75.95"),
    "IKG": Decimal("0.551"),
}
# RPJMD targets for 2029 and the years between, interpolated from the 2023 baseline.
ROADMAP = {
    "IPM": {2025: "72,20", 2026: "72,99", 2027: "73,78", 2028: "74,58", 2029: "75,37"},
    "IKG": {2025: "0,517", 2026: "0,500", 2027: "0,484", 2028: "0,467", 2029: "0,450"},
}

READINESS = [
    (
        "komitmen",
        "terpenuhi",
        "PUG dalam RPJPD 2025–2045 (Misi 1, arah kebijakan 14) dan RPJMD 2025–2029 (Misi 1, Tujuan 1, Sasaran 3).",
    ),
    ("kebijakan", "sebagian", "Perda 16/2013 dan Perbup 24/2016 ada; ARG belum terintegrasi dalam APBD."),
    (
        "kelembagaan",
        "sebagian",
        "Pokja PUG (terakhir aktif 2019) diaktifkan kembali pada 2025 dengan RAD PUG.",
    ),
    ("sumber_daya", "belum", "Kapasitas aparatur OPD untuk analisis gender masih terbatas."),
    ("data_terpilah", "belum", "Belum ada data terpilah yang dipakai dalam perencanaan."),
    ("alat_analisis", "belum", "GAP/GBS belum dipakai OPD; pelatihan GAP sampai sub-kegiatan direncanakan."),
    ("partisipasi", "sebagian", "Organisasi perempuan hadir di musrenbang, belum terlibat dalam pemantauan."),
]

POKJA = [
    ("Kepala BAPPERIDA", "Ketua Pokja PUG", "ketua", None),
    ("Kepala Dinas PPPAPPKB", "Sekretaris Pokja PUG", "sekretaris", OPD_PPPAPPKB),
    ("Kepala Bidang Pemerintahan dan Pembangunan Manusia BAPPERIDA", "Tim teknis PPRG", "tim_teknis", None),
    ("Kepala Bidang Anggaran BPKAD", "Tim teknis PPRG", "tim_teknis", None),
    ("Inspektur Pembantu", "Tim teknis PPRG (pengawasan)", "tim_teknis", None),
    ("Kepala Bidang Pemberdayaan Masyarakat Dinas PMD", "Tim teknis PPRG", "tim_teknis", None),
    ("Kepala Bidang Kesehatan Masyarakat Dinas Kesehatan", "Anggota", "anggota", OPD_DINKES),
]

PPE_ANSWERS = {
    "KOM1": 2,
    "KOM2": 2,
    "KOM3": 0,
    "KEB1": 2,
    "KEB2": 0,
    "KEB3": 0,
    "KEL1": 1,
    "KEL2": 1,
    "KEL3": 0,
    "KEL4": 1,
    "SDM1": 0,
    "SDM2": 0,
    "SDM3": 0,
    "DAT1": 0,
    "DAT2": 0,
    "DAT3": 0,
    "ALT1": 0,
    "ALT2": 0,
    "ALT3": 0,
    "PAR1": 1,
    "PAR2": 0,
}

# (OPD code, words to find the sub-kegiatan by, GAP texts by field, ARG category)
GAP_CASES: list[tuple[str, tuple[str, ...], dict[str, str], str]] = [
    (
        OPD_PPPAPPKB,
        ("perempuan", "gender", "pengarusutamaan"),
        {
            "data_pembuka": (
                "Contoh ilustratif: peserta pelatihan usaha 2024: 62 perempuan, 118 laki-laki; "
                "TPAK perempuan Kotabaru jauh di bawah laki-laki (lihat komponen IKG)."
            ),
            "faktor_akses": "Perempuan pelaku usaha mikro di desa pesisir sulit menjangkau pelatihan di ibu kota kabupaten.",
            "faktor_partisipasi": "Perempuan jarang hadir dalam musrenbang desa (perkiraan di bawah 20% peserta).",
            "faktor_kontrol": "Keputusan penggunaan dana desa untuk pemberdayaan ditentukan perangkat desa laki-laki.",
            "faktor_manfaat": "Program pemberdayaan ekonomi lebih banyak dinikmati kelompok tani laki-laki.",
            "sebab_internal": "Belum ada data terpilah peserta kegiatan; staf belum terlatih analisis gender.",
            "sebab_eksternal": "Beban ganda perempuan dan jarak desa pesisir ke pusat kegiatan.",
            "tujuan_reformulasi": "Meningkatkan partisipasi dan manfaat kegiatan bagi perempuan di desa pesisir.",
            "rencana_aksi": "Pelatihan dilaksanakan di kecamatan\nKuota minimal 40% peserta perempuan\nPencatatan peserta terpilah",
            "indikator_gender": "Persentase peserta perempuan; persentase desa pesisir yang terjangkau.",
            "dampak": "Kesenjangan partisipasi perempuan dalam pemberdayaan ekonomi menurun.",
        },
        "spesifik",
    ),
    (
        OPD_DINKES,
        ("ibu", "gizi", "kesehatan keluarga", "persalinan"),
        {
            "data_pembuka": (
                "Contoh ilustratif: persalinan di fasilitas kesehatan 2024 di kecamatan kepulauan lebih rendah "
                "daripada di daratan; kehadiran suami di kelas ibu hamil belum dicatat."
            ),
            "faktor_akses": "Ibu hamil di pulau-pulau kecil sulit menjangkau fasilitas kesehatan untuk bersalin.",
            "faktor_partisipasi": "Suami jarang terlibat dalam kelas ibu hamil.",
            "faktor_kontrol": "Keputusan tempat bersalin sering diambil keluarga besar, bukan ibu.",
            "faktor_manfaat": "Layanan kesehatan ibu belum menjangkau desa terpencil secara merata.",
            "sebab_internal": "Jadwal kelas ibu hamil pada jam kerja; data persalinan belum terpilah per desa.",
            "sebab_eksternal": "Transportasi laut terbatas dan biaya perjalanan tinggi.",
            "tujuan_reformulasi": "Meningkatkan persalinan di fasilitas kesehatan dan keterlibatan suami.",
            "rencana_aksi": "Kelas ibu hamil di luar jam kerja bersama suami\nRumah tunggu kelahiran di puskesmas pulau",
            "indikator_gender": "Persentase persalinan di fasilitas kesehatan; persentase suami hadir di kelas ibu hamil.",
            "dampak": "Menurunnya persalinan di luar fasilitas kesehatan (komponen MTF pada IKG).",
        },
        "kesetaraan",
    ),
]


def _actor() -> Any:
    return (
        get_user_model().objects.filter(username="pokja.pug").first()
        or get_user_model().objects.filter(username="admin").first()
    )


def _sub_kegiatan(rkpd: PlanDocument, opd: Opd | None, words: tuple[str, ...]) -> PlanNode | None:
    if opd is None:
        return None
    nodes = list(
        PlanNode.objects.filter(dokumen=rkpd, jenis="sub_kegiatan", opd=opd).order_by("kode", "id")[:400]
    )
    for word in words:
        for node in nodes:
            if word in node.nama.lower():
                return node
    return nodes[0] if nodes else None


def _load_kotabaru(pemda: Pemda, stdout: TextIO | Any) -> int:
    actor = _actor()
    created = 0
    for kode, status, catatan in READINESS:
        services_readiness.prerequisite_set(
            actor=actor, pemda=pemda, kode=kode, status=status, catatan=catatan
        )
    created += Prerequisite.objects.filter(pemda=pemda).count()
    prereqs = {p.kode: p for p in services_readiness.prerequisites_for(pemda=pemda)}
    services_readiness.evidence_add(
        actor=actor,
        prereq=prereqs["kebijakan"],
        judul="Perda Kabupaten Kotabaru tentang PUG",
        tautan="Perda No. 16 Tahun 2013",
    )
    services_readiness.evidence_add(
        actor=actor,
        prereq=prereqs["kebijakan"],
        judul="Perbup pedoman teknis PUG",
        tautan="Perbup No. 24 Tahun 2016",
    )
    opds = {o.kode: o for o in Opd.objects.filter(pemda=pemda)}
    members = []
    for nama, jabatan, peran, opd_kode in POKJA:
        members.append(
            services_readiness.pokja_member_add(
                actor=actor,
                pemda=pemda,
                nama=nama,
                jabatan=jabatan,
                opd=opds.get(opd_kode or ""),
                peran=peran,
            )
        )
    services_readiness.pokja_meeting_add(
        actor=actor,
        pemda=pemda,
        tanggal=datetime.date(2025, 6, 12),
        agenda="Reaktivasi Pokja PUG dan penyusunan RAD PUG 2025–2029",
        notulen=(
            "1. Pokja PUG terakhir aktif 2019; SK baru disiapkan.\n"
            "2. Tim teknis PPRG: BAPPERIDA, Dinas PPPAPPKB, BPKAD, Inspektorat, Dinas PMD.\n"
            "3. Setiap OPD dilatih GAP dan GBS sampai sub-kegiatan; target RKPD 2026.\n"
            "4. Peta jalan PUG 2025–2029 diselaraskan dengan RPJMD (IPM, IPG, IDG, IKG).\n"
            "5. Sasaran: minimal predikat Madya pada PPE dalam lima tahun."
        ),
        peserta=members,
    )
    created += len(members) + 1
    for indeks, targets in ROADMAP.items():
        services_readiness.roadmap_set(actor=actor, pemda=pemda, indeks=indeks, targets=targets)
        created += len(targets)
    for indeks, nilai in BASELINES_2023.items():
        _value, made = IndexValue.objects.get_or_create(
            wilayah_id=pemda.region_id,
            tahun=2023,
            indeks=indeks,
            defaults={"nilai": nilai, "sumber": BASELINE_SOURCE},
        )
        created += int(made)
    assessment = services_readiness.ppe_start(actor=actor, pemda=pemda, tahun=2025)
    services_readiness.ppe_answer(
        actor=actor, assessment=assessment, expected_version=assessment.version, answers=PPE_ANSWERS
    )
    created += 1
    rkpd = (
        PlanDocument.objects.filter(pemda=pemda, jenis="RKPD", tahun_mulai=TAHUN)
        .order_by("-revisi_ke")
        .first()
    )
    if rkpd is not None:
        for opd_kode, words, texts, kategori in GAP_CASES:
            node = _sub_kegiatan(rkpd, opds.get(opd_kode), words)
            if node is None or GapWorksheet.objects.filter(node=node, tahun=TAHUN).exists():
                continue
            gap = services_gap.gap_start(actor=actor, node=node, tahun=TAHUN)
            data = services_gap.GapInput.of(gap)
            # Keep what the worksheet pre-filled from the plan; add the demo's texts where it is empty.
            filled: dict[str, Any] = {k: texts[k] for k in texts if not getattr(data, k)}
            merged = dataclasses.replace(data, **filled)
            services_gap.gap_update(
                actor=actor, gap=gap, expected_version=gap.version, data=merged, status="final"
            )
            services_gap.arg_tag_set(
                actor=actor, node=node, kategori=kategori, catatan="Dari GAP/GBS demo", expected_version=None
            )
            created += 2
    stdout.write(
        f"PUG Kotabaru: 7 prasyarat, Pokja {len(members)} orang, peta jalan IPM/IKG, PPE 2025, "
        f"{GapWorksheet.objects.filter(pemda=pemda).count()} GAP/GBS, "
        f"{ArgTag.objects.filter(pemda=pemda).count()} tanda ARG."
    )
    return created


def load(*, stdout: TextIO | Any) -> int:
    created = 0
    pemda = Pemda.objects.filter(kode=PEMDA).first()
    if pemda is not None and not PokjaMember.objects.filter(pemda=pemda).exists():
        created += _load_kotabaru(pemda, stdout)
    result = bps.load_jatim(stdout=None)
    if result.created:
        stdout.write(f"BPS Jawa Timur: {result.created} nilai indeks dimuat.")
    return created + result.created
