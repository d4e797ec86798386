"""OPD import: a pemda's list of work units from XLSX or CSV.

Columns (headers as in the OPD export, so an exported list can be edited and imported back):
Kode (required; the natural key within the pemda), Nama (required), Singkatan, Urusan/bidang,
Aktif (ya/tidak, blank = ya). A row whose Kode exists updates that OPD; a new Kode creates one.
OPDs missing from the file are left alone (an import never deletes). Writes go through
`rencana.regions.services`, which validate, audit and check the version; a row that changes
nothing writes nothing.
"""

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rencana.core import imports
from rencana.core.imports import Column, ImportResult, ImportRow, ImportSpec, Outcome
from rencana.regions import services
from rencana.regions.models import Opd, Pemda

OPD_SPEC = ImportSpec(
    title="OPD",
    columns=(
        Column(
            "kode",
            "Kode",
            imports.text(40),
            required=True,
            example="1.02.0.00.0.00.01.0000",
            note="Kode unik OPD di pemda ini; dipakai untuk mengenali OPD yang sudah ada.",
        ),
        Column("nama", "Nama", imports.text(200), required=True, example="Dinas Kesehatan"),
        Column("singkatan", "Singkatan", imports.text(40), default="", example="Dinkes"),
        Column(
            "urusan",
            "Urusan/bidang",
            imports.text(255),
            default="",
            example="Kesehatan",
            aliases=("urusan", "bidang", "urusan/bidang yang diampu"),
        ),
        Column(
            "aktif",
            "Aktif",
            imports.boolean(),
            default=True,
            example="ya",
            note="“tidak” menonaktifkan OPD (datanya tetap tersimpan).",
        ),
    ),
    natural_key=("kode",),
)


class OpdApplier:
    def __init__(self, *, actor: Any, pemda: Pemda) -> None:
        self.actor = actor
        self.pemda = pemda
        self.existing: dict[str, Opd] = {}

    def load(self, rows: Sequence[ImportRow]) -> None:
        self.existing = {opd.kode: opd for opd in Opd.objects.filter(pemda=self.pemda)}

    def apply(self, row: ImportRow) -> Outcome:
        values = row.values
        opd = self.existing.get(values["kode"])
        if opd is None:
            opd = services.opd_create(
                actor=self.actor,
                pemda=self.pemda,
                kode=values["kode"],
                nama=values["nama"],
                singkatan=values.get("singkatan", ""),
                urusan=values.get("urusan", ""),
            )
            if not values.get("aktif", True):
                services.opd_set_active(actor=self.actor, opd=opd, expected_version=opd.version, aktif=False)
            return Outcome.CREATED
        # The services write (and audit) only what differs; the version tells whether they did.
        version = opd.version
        opd = services.opd_update(
            actor=self.actor,
            opd=opd,
            expected_version=opd.version,
            kode=opd.kode,
            nama=values["nama"],
            singkatan=values.get("singkatan", opd.singkatan),
            urusan=values.get("urusan", opd.urusan),
        )
        if "aktif" in values:
            opd = services.opd_set_active(
                actor=self.actor, opd=opd, expected_version=opd.version, aktif=values["aktif"]
            )
        return Outcome.UNCHANGED if opd.version == version else Outcome.UPDATED


def opd_import_run(*, actor: Any, pemda: Pemda, path: Path, dry_run: bool) -> ImportResult:
    return imports.run_import(
        OPD_SPEC, path=path, dry_run=dry_run, applier=OpdApplier(actor=actor, pemda=pemda)
    )


def opd_import_template_bytes() -> bytes:
    return imports.template_xlsx(OPD_SPEC)
