"""Demo governments and their work units (OPD).

The OPD lists follow the usual structure of Indonesian regional apparatus (PP 18/2016 on Perangkat
Daerah and the SIPD unit codes: urusan code(s) + unit number). Names are realistic, codes simplified.
"""

from typing import Any, TextIO

from rencana.regions.models import Opd
from rencana.regions.services import opd_create, pemda_ensure

DEMO_PEMDA = ["63.02", "35.75", "18.06", "32.75", "35", "18"]

# (kode, nama, singkatan, urusan)
KOTABARU_OPD: list[tuple[str, str, str, str]] = [
    ("1.01.0.00.0.00.01.0000", "Dinas Pendidikan", "Disdik", "1.01 Pendidikan"),
    ("1.02.0.00.0.00.01.0000", "Dinas Kesehatan", "Dinkes", "1.02 Kesehatan"),
    ("1.02.0.00.0.00.02.0000", "Rumah Sakit Umum Daerah Kotabaru", "RSUD", "1.02 Kesehatan"),
    (
        "1.03.0.00.0.00.01.0000",
        "Dinas Pekerjaan Umum dan Penataan Ruang",
        "Dinas PUPR",
        "1.03 Pekerjaan umum dan penataan ruang",
    ),
    (
        "1.04.2.10.0.00.01.0000",
        "Dinas Perumahan Rakyat, Kawasan Permukiman dan Pertanahan",
        "Disperkimtan",
        "1.04 Perumahan dan kawasan permukiman; 2.10 Pertanahan",
    ),
    (
        "1.05.0.00.0.00.01.0000",
        "Satuan Polisi Pamong Praja dan Pemadam Kebakaran",
        "Satpol PP dan Damkar",
        "1.05 Ketenteraman, ketertiban umum dan perlindungan masyarakat",
    ),
    (
        "1.05.0.00.0.00.02.0000",
        "Badan Penanggulangan Bencana Daerah",
        "BPBD",
        "1.05 Ketenteraman, ketertiban umum dan perlindungan masyarakat",
    ),
    ("1.06.0.00.0.00.01.0000", "Dinas Sosial", "Dinsos", "1.06 Sosial"),
    (
        "2.07.2.20.0.00.01.0000",
        "Dinas Tenaga Kerja dan Transmigrasi",
        "Disnakertrans",
        "2.07 Tenaga kerja; 2.20 Transmigrasi",
    ),
    (
        "2.08.2.14.0.00.01.0000",
        "Dinas Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk dan Keluarga Berencana",
        "Dinas PPPAPPKB",
        "2.08 Pemberdayaan perempuan dan perlindungan anak; "
        "2.14 Pengendalian penduduk dan keluarga berencana",
    ),
    ("2.09.0.00.0.00.01.0000", "Dinas Ketahanan Pangan", "DKP", "2.09 Pangan"),
    ("2.11.0.00.0.00.01.0000", "Dinas Lingkungan Hidup dan Kehutanan", "DLHK", "2.11 Lingkungan hidup"),
    (
        "2.12.0.00.0.00.01.0000",
        "Dinas Kependudukan dan Pencatatan Sipil",
        "Disdukcapil",
        "2.12 Administrasi kependudukan dan pencatatan sipil",
    ),
    (
        "2.13.0.00.0.00.01.0000",
        "Dinas Pemberdayaan Masyarakat dan Desa",
        "Dinas PMD",
        "2.13 Pemberdayaan masyarakat dan desa",
    ),
    ("2.15.0.00.0.00.01.0000", "Dinas Perhubungan", "Dishub", "2.15 Perhubungan"),
    (
        "2.16.2.21.0.00.01.0000",
        "Dinas Komunikasi, Informatika, Statistik dan Persandian",
        "Diskominfo",
        "2.16 Komunikasi dan informatika; 2.17 Statistik; 2.21 Persandian",
    ),
    (
        "2.17.3.30.0.00.01.0000",
        "Dinas Koperasi, Usaha Mikro dan Perdagangan",
        "Diskopumdag",
        "2.17 Koperasi, usaha kecil dan menengah; 3.30 Perdagangan",
    ),
    (
        "2.18.0.00.0.00.01.0000",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        "DPMPTSP",
        "2.18 Penanaman modal",
    ),
    (
        "2.19.3.26.0.00.01.0000",
        "Dinas Kepemudaan, Olahraga dan Pariwisata",
        "Disporapar",
        "2.19 Kepemudaan dan olahraga; 3.26 Pariwisata",
    ),
    ("2.22.0.00.0.00.01.0000", "Dinas Kebudayaan", "Disbud", "2.22 Kebudayaan"),
    (
        "2.23.2.24.0.00.01.0000",
        "Dinas Perpustakaan dan Kearsipan",
        "Dispersip",
        "2.23 Perpustakaan; 2.24 Kearsipan",
    ),
    ("3.25.0.00.0.00.01.0000", "Dinas Perikanan", "Diskan", "3.25 Kelautan dan perikanan"),
    ("3.27.0.00.0.00.01.0000", "Dinas Pertanian", "Distan", "3.27 Pertanian"),
    ("3.31.0.00.0.00.01.0000", "Dinas Perindustrian", "Disperin", "3.31 Perindustrian"),
    ("4.01.0.00.0.00.01.0000", "Sekretariat Daerah", "Setda", "4.01 Sekretariat daerah"),
    ("4.02.0.00.0.00.01.0000", "Sekretariat DPRD", "Setwan", "4.02 Sekretariat DPRD"),
    (
        "5.01.5.05.0.00.01.0000",
        "Badan Perencanaan Pembangunan, Riset dan Inovasi Daerah",
        "Bapperida",
        "5.01 Perencanaan; 5.05 Penelitian dan pengembangan",
    ),
    ("5.02.0.00.0.00.01.0000", "Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD", "5.02 Keuangan"),
    ("5.02.0.00.0.00.02.0000", "Badan Pendapatan Daerah", "Bapenda", "5.02 Keuangan"),
    (
        "5.03.5.04.0.00.01.0000",
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        "BKPSDM",
        "5.03 Kepegawaian; 5.04 Pendidikan dan pelatihan",
    ),
    ("6.01.0.00.0.00.01.0000", "Inspektorat Daerah", "Inspektorat", "6.01 Inspektorat daerah"),
    (
        "8.01.0.00.0.00.01.0000",
        "Badan Kesatuan Bangsa dan Politik",
        "Kesbangpol",
        "8.01 Kesatuan bangsa dan politik",
    ),
    ("7.01.0.00.0.00.01.0000", "Kecamatan Pulau Laut Utara", "Kec. PLU", "7.01 Kecamatan"),
    ("7.01.0.00.0.00.02.0000", "Kecamatan Kelumpang Hulu", "Kec. Kelumpang Hulu", "7.01 Kecamatan"),
]


def _short_list(bappeda: str) -> list[tuple[str, str, str, str]]:
    """A smaller, realistic OPD set for the other demo governments."""
    picks = {
        "1.01.0.00.0.00.01.0000",
        "1.02.0.00.0.00.01.0000",
        "1.03.0.00.0.00.01.0000",
        "1.06.0.00.0.00.01.0000",
        "2.08.2.14.0.00.01.0000",
        "2.11.0.00.0.00.01.0000",
        "2.13.0.00.0.00.01.0000",
        "2.17.3.30.0.00.01.0000",
        "2.18.0.00.0.00.01.0000",
        "3.27.0.00.0.00.01.0000",
        "4.01.0.00.0.00.01.0000",
        "5.02.0.00.0.00.01.0000",
        "6.01.0.00.0.00.01.0000",
    }
    rows = [row for row in KOTABARU_OPD if row[0] in picks]
    rows.append(
        ("5.01.5.05.0.00.01.0000", bappeda, "Bappeda", "5.01 Perencanaan; 5.05 Penelitian dan pengembangan")
    )
    return rows


DEMO_OPD: dict[str, list[tuple[str, str, str, str]]] = {
    "63.02": KOTABARU_OPD,
    # Provinsi Lampung: holds the imported 2005 table of HKm groups per kabupaten (permits demo).
    "18": _short_list("Badan Perencanaan Pembangunan Daerah"),
    "35.75": _short_list("Badan Perencanaan Pembangunan Daerah"),
    "18.06": [
        *_short_list("Badan Perencanaan Pembangunan Daerah"),
        (
            "2.11.0.00.0.00.02.0000",
            "Kesatuan Pengelolaan Hutan Lindung Kota Agung Utara (mitra)",
            "KPHL",
            "Kehutanan (urusan provinsi)",
        ),
    ],
    "32.75": _short_list("Badan Perencanaan Pembangunan, Riset dan Inovasi Daerah"),
    "35": [
        *_short_list("Badan Perencanaan Pembangunan Daerah Provinsi"),
        ("3.29.0.00.0.00.01.0000", "Dinas Kehutanan", "Dishut", "3.29 Kehutanan"),
        (
            "3.28.0.00.0.00.01.0000",
            "Dinas Energi dan Sumber Daya Mineral",
            "Dinas ESDM",
            "3.28 Energi dan sumber daya mineral",
        ),
    ],
}


def load(*, stdout: TextIO | Any) -> int:
    created = 0
    for kode in DEMO_PEMDA:
        pemda, made = pemda_ensure(actor=None, kode=kode)
        created += int(made)
        existing = set(Opd.objects.filter(pemda=pemda).values_list("kode", flat=True))
        for opd_kode, nama, singkatan, urusan in DEMO_OPD[kode]:
            if opd_kode in existing:
                continue
            opd_create(actor=None, pemda=pemda, kode=opd_kode, nama=nama, singkatan=singkatan, urusan=urusan)
            created += 1
    return created
