"""Demo outreach event of Kota Bekasi (32.75), after field case 5 (`data/cases/README.md`).

The licensing outreach to the street vendors of Pasar Kaget Jalan Elang Raya on 3 December 2022 with the
one-stop licensing office (DPMPTSP) and the state pawnshop (Pegadaian): its title, agenda and speakers as
the case describes them, the 20 vendors who attended (numbered, names left blank), and the study's two
published tables (`data/outreach_bekasi_2022_pengetahuan.csv`, `data/outreach_bekasi_2022_kepuasan.csv`)
imported as aggregate results with n = 20 through `services.aggregate_import`. The results page then shows
the overall satisfaction 4,70 (mean of the six item means) and the gains of the ten knowledge items
(e.g. item 1: 35 % → 100 %, gain 65, g = 1,00).

Everything is written through the services (validated, audited), by the demo permit officer
("petugas.izin") when the accounts demo made it. Idempotent: nothing happens when the pemda does not exist
or the event is already there.
"""

import datetime
from pathlib import Path
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction

from rencana.outreach import services
from rencana.outreach.models import Event, ItemKind
from rencana.regions.models import Pemda

PEMDA = "32.75"
JUDUL = "Sosialisasi perizinan usaha mikro bagi pedagang Pasar Kaget Jalan Elang Raya"
TANGGAL = datetime.date(2022, 12, 3)
TEMPAT = "Pasar Kaget Jalan Elang Raya, Kota Bekasi"
SASARAN = "Pedagang kaki lima (PKL) Pasar Kaget Jalan Elang Raya"
AGENDA = "\n".join(
    [
        "Kebijakan pelayanan publik",
        "Persiapan dan persyaratan usaha kecil",
        "Mekanisme perizinan di pelayanan terpadu satu pintu (DPMPTSP)",
        "Pengertian usaha mikro",
        "Pencatatan stok barang",
        "Tanya jawab",
    ]
)
NARASUMBER = "\n".join(
    [
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu (DPMPTSP) Kota Bekasi",
        "PT Pegadaian",
    ]
)
PESERTA = 20
SUMBER = "Studi sosialisasi perizinan PKL Pasar Kaget Jalan Elang Raya, Kota Bekasi (2022), tabel terbitan"
DATA = Path(__file__).resolve().parent / "data"
TABLES = (
    (ItemKind.PENGETAHUAN.value, DATA / "outreach_bekasi_2022_pengetahuan.csv"),
    (ItemKind.LIKERT.value, DATA / "outreach_bekasi_2022_kepuasan.csv"),
)


def _officer(pemda: Pemda) -> Any:
    """The demo permit officer of this pemda (accounts demo), or None when it is not there."""
    return (
        get_user_model()
        .objects.filter(
            username="petugas.izin", role_assignments__pemda=pemda, role_assignments__role="petugas_izin"
        )
        .first()
    )


def load(*, stdout: TextIO | Any) -> int:
    pemda = Pemda.objects.filter(kode=PEMDA).first()
    if pemda is None or Event.objects.filter(pemda=pemda, judul=JUDUL, tanggal=TANGGAL).exists():
        return 0
    created = 0
    with transaction.atomic():
        actor = _officer(pemda)
        event = services.event_create(
            actor=actor,
            pemda=pemda,
            data=services.EventInput(
                judul=JUDUL,
                tanggal=TANGGAL,
                tempat=TEMPAT,
                penyelenggara="",
                agenda=AGENDA,
                narasumber=NARASUMBER,
                sasaran=SASARAN,
            ),
        )
        created += 1
        created += len(services.participants_add_blank(actor=actor, event=event, jumlah=PESERTA))
        for jenis, path in TABLES:
            result = services.aggregate_import(
                actor=actor, event=event, path=path, dry_run=False, jenis=jenis, n=PESERTA, sumber=SUMBER
            )
            if not result.ok:
                problems = "; ".join(f"baris {e.row} {e.column}: {e.message}" for e in result.errors)
                raise RuntimeError(f"Tabel demo {path.name} ditolak: {problems}")
            created += result.created
    stdout.write(
        f"Sosialisasi demo {pemda.nama}: {PESERTA} peserta hadir, 10 butir pengetahuan dan 6 butir kepuasan "
        "(hasil agregat terbitan, kepuasan keseluruhan 4,70)."
    )
    return created
