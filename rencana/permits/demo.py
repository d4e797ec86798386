# ruff: noqa: E501 - demo texts are data
"""Demo of permit assistance (field cases 4 and 5).

Tanggamus (18.06), around protected forest Register 30: an illustrative forest-area layer, eight farmer groups
(pekon taken from the region list) of 15–24 members each, with HKm applications in every stage — drafting,
administrative verification, correction, technical/field verification (one overdue), recommendation,
decision, approved, rejected — and two whose managed areas overlap; twenty street vendors of Kota Bekasi
(32.75) preparing their NIB. Provinsi Lampung (18): the 2005 table of HKm groups per kabupaten imported as
printed except for the one ambiguous number, so its reconciliation report shows the three remaining
warnings. Names, NIKs, coordinates and dates are invented for the demo; the Lampung table is as published
(with "5.319.05" read as 5.319,05).
"""

import datetime
import json
import random
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from rencana.accounts.scope import scope_for
from rencana.permits import services_apply, services_maps, services_recap, services_workflow
from rencana.permits.kbli import kbli_load
from rencana.permits.models import Application, FarmerGroup, MicroBusiness, RecapImport
from rencana.permits.types import ensure_shipped_types
from rencana.regions.models import Pemda, Region

TANGGAMUS = "18.06"
LAMPUNG = "18"
BEKASI = "32.75"
LAMPUNG_TABLE = Path(__file__).resolve().parent / "tests" / "data" / "hkm_kelompok_lampung_2005.csv"
PDF = b"%PDF-1.4\n% dokumen demo\n%%EOF\n"
# Register 30 Gunung Tanggamus (illustrative rectangle near Gisting/Pulau Panggung, not the legal boundary).
FOREST = [[104.60, -5.33], [104.78, -5.33], [104.78, -5.20], [104.60, -5.20], [104.60, -5.33]]
GIVEN = [
    "Sutrisno",
    "Wayan",
    "Siti",
    "Made",
    "Sri",
    "Joko",
    "Nyoman",
    "Rahmat",
    "Ani",
    "Ketut",
    "Dewi",
    "Agus",
    "Ratna",
    "Bambang",
    "Yuni",
    "Slamet",
    "Ayu",
    "Hendra",
    "Lina",
    "Wartini",
    "Paijo",
    "Suparmi",
    "Iwan",
    "Nur",
]
FAMILY = ["Wijaya", "Saputra", "Lestari", "Susanto", "Handayani", "Pratama", "Kusuma", "Rahayu"]
WOMEN = {"Siti", "Sri", "Ani", "Dewi", "Ratna", "Yuni", "Ayu", "Lina", "Wartini", "Suparmi", "Nur"}
# (group name, stage to reach, days in that stage, overlapping the previous group's area)
GROUPS: list[tuple[str, str, int, bool]] = [
    ("KTH Wana Lestari", "penyusunan", 3, False),
    ("KTH Sumber Rejeki", "verifikasi_administrasi", 2, False),
    ("KTH Tunas Harapan", "perbaikan", 6, False),
    ("KTH Karya Tani Makmur", "verifikasi_teknis", 20, False),  # overdue: 20 of 14 days
    ("KTH Sido Mulyo", "rekomendasi", 1, True),  # overlaps Karya Tani Makmur
    ("KTH Mekar Jaya", "keputusan", 4, False),
    ("KTH Hijau Lestari", "disetujui", 30, False),
    ("KTH Bukit Asri", "ditolak", 12, False),
]
PATH = ["verifikasi_administrasi", "verifikasi_teknis", "rekomendasi", "keputusan"]
VENDORS = [
    ("Warung Nasi Uduk Bu Sri", "56102"),
    ("Gorengan Pak Joko", "56104"),
    ("Es Kelapa Muda Mang Ujang", "56306"),
    ("Sayur Segar Bu Yuni", "47219"),
    ("Pakaian Anak Ayu", "47711"),
    ("Kue Basah Mbak Lina", "47242"),
]


def _user(username: str) -> Any:
    return get_user_model().objects.filter(username=username).first()


def _polygon(lon: float, lat: float, size: float = 0.012) -> bytes:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]}).encode()


def _transition(application: Application, aksi: str, user: Any, alasan: str = "") -> Application:
    application.refresh_from_db()
    return services_workflow.transition(
        actor=user,
        application=application,
        expected_version=application.version,
        aksi=aksi,
        alasan=alasan,
        scope=scope_for(user, application.pemda),
    )


def _hkm_application(
    pemda: Pemda, group: FarmerGroup, index: int, facilitator: Any, overlap: bool
) -> Application:
    application = services_workflow.application_create(
        actor=facilitator, pemda=pemda, jenis_kode="hkm", kelompok=group
    )
    application = services_workflow.application_update(
        actor=facilitator,
        application=application,
        expected_version=application.version,
        data={
            "kawasan": "Hutan lindung Register 30 Gunung Tanggamus (dalam PIAPS)",
            "rencana_kerja": "Tanam kopi di bawah tegakan, MPTS (alpukat, durian, petai), patroli bersama, pembibitan kelompok.",
        },
        luas_dinyatakan=group.luas_dinyatakan,
    )
    lon = 104.62 + 0.02 * (index - 1 if overlap else index)
    services_maps.map_upload(
        actor=facilitator,
        application=application,
        upload=SimpleUploadedFile(f"areal-{index}.geojson", _polygon(lon + (0.006 if overlap else 0), -5.30)),
    )
    definition = services_workflow.definition_of(application)
    for requirement in definition.stage("penyusunan").dokumen:
        if getattr(requirement, "jenis", "") == "peta" or requirement.kode == "peta_areal_kelola":
            continue
        services_apply.document_add(
            actor=facilitator,
            application=application,
            kode_dokumen=requirement.kode,
            upload=SimpleUploadedFile(f"{requirement.kode}.pdf", PDF, content_type="application/pdf"),
        )
    return application


def _advance(application: Application, target: str, facilitator: Any, officer: Any) -> Application:
    if target == "penyusunan":
        return application
    application = _transition(application, "ajukan", facilitator)
    if target == "perbaikan":
        return _transition(
            application,
            "minta_perbaikan",
            officer,
            "Surat pengantar pekon belum ditandatangani kepala pekon.",
        )
    if target == "verifikasi_administrasi":
        return application
    application = _transition(application, "verifikasi", officer)
    if target == "verifikasi_teknis":
        return application
    application.refresh_from_db()
    services_workflow.schedule_field_verification(
        actor=officer,
        application=application,
        expected_version=application.version,
        tanggal=timezone.localdate(),
        scope=scope_for(officer, application.pemda),
    )
    application = _transition(application, "verifikasi", officer)
    if target == "rekomendasi":
        return application
    application = _transition(
        application, "rekomendasikan", officer, "Areal berada di blok pemanfaatan; kelompok aktif."
    )
    if target == "keputusan":
        return application
    if target == "disetujui":
        return _transition(application, "setujui", officer, "Memenuhi syarat PermenLHK 9/2021.")
    return _transition(
        application, "tolak", officer, "Areal tumpang tindih dengan izin lain yang sudah terbit."
    )


def _load_tanggamus(pemda: Pemda, stdout: TextIO | Any) -> int:
    facilitator, officer = _user("pendamping"), _user("petugas.izin")
    villages = list(
        Region.objects.filter(
            kode__startswith=f"{pemda.kode}.", level__in=services_apply.VILLAGE_LEVELS
        ).order_by("kode")[:40:5]
    )
    if facilitator is None or officer is None or len(villages) < len(GROUPS):
        return 0
    services_maps.forest_layer_upload(
        actor=officer,
        pemda=pemda,
        nama="Kawasan hutan lindung Register 30 (ilustrasi demo)",
        upload=SimpleUploadedFile(
            "register30.geojson", json.dumps({"type": "Polygon", "coordinates": [FOREST]}).encode()
        ),
    )
    rng = random.Random(30)
    created = 0
    for index, (nama, target, days, overlap) in enumerate(GROUPS):
        village = villages[index]
        group = services_apply.group_create(
            actor=facilitator,
            pemda=pemda,
            data=services_apply.GroupInput(
                nama=nama,
                desa_kode=village.kode,
                ketua="",
                luas_dinyatakan=Decimal(str(150 + 10 * index)),
                kawasan="Register 30 Gunung Tanggamus",
            ),
        )
        size = 15 + rng.randrange(10)
        for n in range(size):
            name = f"{GIVEN[(index * 3 + n) % len(GIVEN)]} {FAMILY[(n + index) % len(FAMILY)]}"
            female = name.split()[0] in WOMEN
            day = 1 + (n * 7 + index) % 28
            nik = f"180601{day + (40 if female else 0):02d}{1 + n % 12:02d}{70 + (n + index) % 30:02d}{index * 100 + n + 1:04d}"
            services_apply.member_add(
                actor=facilitator,
                group=group,
                data=services_apply.MemberInput(
                    nama=name,
                    nik=nik,
                    jenis_kelamin="P" if female else "L",
                    peran="ketua"
                    if n == 0
                    else ("sekretaris" if n == 1 else ("bendahara" if n == 2 else "anggota")),
                ),
            )
        application = _hkm_application(pemda, group, index, facilitator, overlap)
        application = _advance(application, target, facilitator, officer)
        Application.objects.filter(pk=application.pk).update(
            tahap_sejak=timezone.now() - datetime.timedelta(days=days)
        )
        created += size + 2
    stdout.write(f"Izin Tanggamus: {len(GROUPS)} kelompok tani dengan permohonan HKm di setiap tahap.")
    return created


def _load_bekasi(pemda: Pemda, stdout: TextIO | Any) -> int:
    facilitator = _user("petugas.izin")
    if facilitator is None:
        return 0
    village = (
        Region.objects.filter(kode__startswith=f"{pemda.kode}.", level__in=services_apply.VILLAGE_LEVELS)
        .order_by("kode")
        .first()
    )
    created = 0
    for n in range(20):
        usaha, kbli = VENDORS[n % len(VENDORS)]
        business = services_apply.business_create(
            actor=facilitator,
            pemda=pemda,
            data=services_apply.BusinessInput(
                nama_usaha=f"{usaha} {n + 1}",
                pemilik=f"{GIVEN[n % len(GIVEN)]} {FAMILY[n % len(FAMILY)]}",
                nik=f"327501{1 + n % 28:02d}{1 + n % 12:02d}80{n + 1:04d}",
                kbli=kbli,
                lokasi_kode=village.kode if village else "",
                alamat="Pasar Kaget Jalan Elang Raya",
                pasar="Pasar Kaget Jalan Elang Raya",
                modal=Decimal(3_000_000 + 250_000 * n),
            ),
        )
        application = services_workflow.application_create(
            actor=facilitator, pemda=pemda, jenis_kode="nib", usaha=business
        )
        if n % 2 == 0:
            services_workflow.application_update(
                actor=facilitator,
                application=application,
                expected_version=application.version,
                data={"akun_oss": "sudah", "pernyataan_mandiri": n % 4 == 0},
            )
        created += 2
    stdout.write("NIB Bekasi: 20 pedagang kaki lima dengan penyiapan NIB.")
    return created


def _load_lampung(stdout: TextIO | Any) -> int:
    pemda = Pemda.objects.filter(kode=LAMPUNG).first()
    if pemda is None:
        return 0
    if RecapImport.objects.filter(pemda=pemda).exists():
        return 0
    # As printed, except the ambiguous "5.319.05", which the import rejects until a person corrects it.
    text = LAMPUNG_TABLE.read_text(encoding="utf-8").replace("5.319.05", '"5.319,05"')
    result = services_recap.recap_import(
        actor=_user("admin"),
        pemda=pemda,
        data=text.encode(),
        nama_berkas="hkm_kelompok_lampung_2005.csv",
        judul="Kelompok HKm per kabupaten, Provinsi Lampung 2005",
        tahun=2005,
        sumber="Studi HKm Register 30 (2010), tabel 2005 sebagaimana tercetak",
    )
    stdout.write(f"Rekap HKm Lampung 2005: {len(result.masalah)} peringatan rekonsiliasi.")
    return len(result.rows)


def load(*, stdout: TextIO | Any) -> int:
    ensure_shipped_types()
    kbli_load()
    created = 0
    tanggamus = Pemda.objects.filter(kode=TANGGAMUS).first()
    if tanggamus is not None and not FarmerGroup.objects.filter(pemda=tanggamus).exists():
        created += _load_tanggamus(tanggamus, stdout)
    bekasi = Pemda.objects.filter(kode=BEKASI).first()
    if bekasi is not None and not MicroBusiness.objects.filter(pemda=bekasi).exists():
        created += _load_bekasi(bekasi, stdout)
    created += _load_lampung(stdout)
    return created
