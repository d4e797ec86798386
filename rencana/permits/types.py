"""Permit types (jenis izin) as versioned data.

A `PermitType` row is one version of a type; its `definisi` is the JSON checked by
`rencana.permits.workflow.load_definition`. Versions are never edited: a change is a new version
(`type_new_version`), the older ones stay for the applications that started under them, and only the
newest is `aktif` (new applications use it, see `services_workflow.active_type`).

Two types ship with the application as data files (`permits/data/jenis_*.json`): the community-forestry
permit *Persetujuan Pengelolaan HKm* (PermenLHK 9/2021) and *NIB for a micro business* through OSS.
`ensure_shipped_types` creates their version 1 when absent (idempotent; `rencana izin types ensure`).
"""

import json
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from rencana.core.audit import audit_record
from rencana.core.errors import ApplicationError, ConflictError
from rencana.permits.models import PermitType
from rencana.permits.workflow import DefinitionError, PermitDefinition, load_definition

DATA_DIR = Path(__file__).resolve().parent / "data"
SHIPPED: dict[str, str] = {"hkm": "jenis_hkm.json", "nib": "jenis_nib.json"}
MAX_DEFINITION_CHARS = 200_000


def shipped_definition(kode: str) -> dict[str, Any]:
    """The JSON definition shipped for type `kode`."""
    data: dict[str, Any] = json.loads((DATA_DIR / SHIPPED[kode]).read_text(encoding="utf-8"))
    return data


def ensure_shipped_types() -> list[PermitType]:
    """Create version 1 of each shipped type that has no version yet; returns the rows created."""
    created: list[PermitType] = []
    for kode in SHIPPED:
        with transaction.atomic():
            if PermitType.objects.filter(kode=kode).exists():
                continue
            data = shipped_definition(kode)
            definition = load_definition(data)
            row = PermitType.objects.create(
                kode=kode,
                versi=1,
                nama=definition.nama,
                dasar_hukum=definition.dasar_hukum,
                definisi=data,
                aktif=True,
            )
            audit_record(actor=None, action="create", instance=row, after={"kode": kode, "versi": 1})
            created.append(row)
    return created


def definition_problems(data: Any) -> list[str]:
    """Every problem of a definition (empty when it can be used)."""
    try:
        load_definition(data)
    except DefinitionError as exc:
        return exc.problems
    return []


def parse_definition_text(text: str) -> dict[str, Any]:
    """The JSON object typed in the editor, or an `ApplicationError` saying where it is broken."""
    if len(text) > MAX_DEFINITION_CHARS:
        raise ApplicationError(
            _("Definisi terlalu panjang (paling banyak {n} karakter).").format(
                n=f"{MAX_DEFINITION_CHARS:,}".replace(",", ".")
            ),
            errors=[{"kolom": "definisi", "pesan": _("Definisi terlalu panjang.")}],
        )
    try:
        data = json.loads(text)
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        column = getattr(exc, "colno", None)
        message = _("JSON tidak sah di baris {baris}, kolom {kolom}.").format(
            baris=line or "?", kolom=column or "?"
        )
        raise ApplicationError(message, errors=[{"kolom": "definisi", "pesan": message}]) from exc
    if not isinstance(data, dict):
        message = _("Definisi harus berupa objek JSON ({...}).")
        raise ApplicationError(message, errors=[{"kolom": "definisi", "pesan": message}])
    return data


@transaction.atomic
def type_new_version(
    actor: Any,
    kode: str,
    definisi: dict[str, Any],
    dasar_hukum: str,
    nama: str,
    *,
    versi_dasar: int | None = None,
) -> PermitType:
    """A new version of type `kode` from `definisi` (checked); it becomes the active version.

    `versi_dasar` is the version the editor started from: when a newer one was saved meanwhile, the
    edit is stale and refused (409), like any optimistic-locking conflict.
    """
    if not isinstance(definisi, dict):
        raise ApplicationError(_("Definisi harus berupa objek JSON."))
    data = dict(definisi)
    # The columns and the JSON say the same: the arguments win, the JSON's values fill blanks.
    data["nama"] = (nama or "").strip() or str(data.get("nama", "")).strip()
    data["dasar_hukum"] = (dasar_hukum or "").strip() or str(data.get("dasar_hukum", "")).strip()
    if str(data.get("kode", "")).strip() != kode:
        raise ApplicationError(
            _("Kode di definisi (“{ada}”) harus sama dengan kode jenis izin “{kode}”.").format(
                ada=data.get("kode", ""), kode=kode
            ),
            errors=[{"kolom": "definisi", "pesan": _("Kode jenis izin tidak boleh diubah.")}],
        )
    try:
        definition = load_definition(data)
    except DefinitionError as exc:
        raise ApplicationError(
            _("Definisi belum bisa dipakai: {n} masalah.").format(n=len(exc.problems)),
            errors=[{"kolom": "definisi", "pesan": p} for p in exc.problems],
        ) from exc
    rows = list(PermitType.objects.select_for_update().filter(kode=kode).order_by("-versi"))
    latest = rows[0].versi if rows else 0
    if versi_dasar is not None and versi_dasar != latest:
        raise ConflictError(
            _(
                "Jenis izin ini sudah punya versi {sekarang} sejak Anda membuka versi {dasar}. "
                "Tidak ada yang disimpan: buka versi terbaru, lalu ulangi perubahan Anda."
            ).format(sekarang=latest, dasar=versi_dasar),
            code="versi_usang",
        )
    versi = (PermitType.objects.filter(kode=kode).aggregate(m=Max("versi"))["m"] or 0) + 1
    try:
        with transaction.atomic():
            row = PermitType.objects.create(
                kode=kode,
                versi=versi,
                nama=definition.nama,
                dasar_hukum=definition.dasar_hukum,
                definisi=data,
                aktif=True,
                dibuat_oleh=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError as exc:
        raise ConflictError(
            _("Versi baru jenis izin ini baru saja disimpan orang lain; muat ulang dan ulangi."),
            code="versi_usang",
        ) from exc
    PermitType.objects.filter(kode=kode).exclude(pk=row.pk).update(aktif=False)
    audit_record(
        actor=actor,
        action="new_version",
        instance=row,
        before={"versi": latest} if latest else None,
        after={"kode": kode, "versi": versi, "nama": definition.nama},
    )
    return row


def definition_of_type(permit_type: PermitType) -> PermitDefinition:
    """The checked definition of a stored version (a stored definition that fails is a 400, never a 500)."""
    try:
        return load_definition(permit_type.definisi)
    except DefinitionError as exc:
        raise ApplicationError(
            _("Definisi jenis izin {nama} v{versi} rusak: {masalah}").format(
                nama=permit_type.nama, versi=permit_type.versi, masalah="; ".join(exc.problems[:5])
            ),
            code="definisi_rusak",
        ) from exc
