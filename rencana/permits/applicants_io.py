"""Members of a farmer group and micro businesses from Excel (XLSX/CSV), through the core import framework.

Anggota kelompok (`MEMBER_SPEC`, one file per group): *Nama* (required, as on the KTP), *NIK* (required,
16 digits; format the column as Text: Excel turns a 16-digit number into 15 significant digits and
changes the last one, so a NIK read as a decimal number is refused), *Jenis kelamin* (P/L or
Perempuan/Laki-laki), *Peran* (ketua, sekretaris, bendahara, anggota; blank = anggota), *Telepon*
(optional). The natural key is the NIK: a row whose NIK is already a member of the group updates that
member; importing the same file twice changes nothing.

Usaha mikro (`BUSINESS_SPEC`, one file per pemda, e.g. the twenty traders of a market): *Nama usaha* and
*Pemilik* (required; together the natural key, case and spaces ignored), *NIK*, *Jenis kelamin*,
*Telepon*, *KBLI* (5 digits, as text), *Kode wilayah* (the desa/kelurahan code, e.g. 32.75.01.1001),
*Alamat*, *Pasar*, *Modal (Rp)* (Indonesian notation). A row matches only a business the importing user
may see (`selectors_apply.visible_businesses`); otherwise it creates one. On a row that updates a business,
a blank optional cell keeps the stored value (NIK and phone are shown masked to most users, so an exported
list cannot carry them back).

Both run through `core.imports`: a dry run lists every bad row and column and writes nothing; a commit
writes all rows or none, each through `services_apply` (validated, audited). When some cells cannot be
read, the dry run still asks the services about the rows that could be read (rolled back), so one
upload lists every problem of the file.
"""

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from rencana.core import imports
from rencana.core.errors import ApplicationError
from rencana.core.imports import CellParser, Column, ImportResult, ImportRow, ImportSpec, Outcome, row_errors
from rencana.core.scope import Scope
from rencana.core.tabular import RowError, TabularError, cell_text, check_rows, read_table, sort_errors
from rencana.permits import selectors_apply, services_apply
from rencana.permits.models import FarmerGroup, GroupMember, MemberRole, MicroBusiness
from rencana.permits.nik import clean_nik, nik_problem
from rencana.regions.models import Pemda


def nik_cell() -> CellParser:
    def parse(raw: Any) -> str:
        if isinstance(raw, bool):
            raise ValueError(_("Isi dengan 16 angka NIK."))
        if isinstance(raw, float):
            raise ValueError(
                _(
                    "NIK terbaca sebagai angka desimal: Excel mengubah angka 16 digit (angka terakhir "
                    "berubah). Format kolom NIK sebagai Teks lalu ketik ulang NIK-nya."
                )
            )
        nik = clean_nik(str(raw) if isinstance(raw, int) else cell_text(raw))
        problem = nik_problem(nik)
        if problem:
            raise ValueError(problem)
        return nik

    return CellParser(parse, "16 angka, kolom berformat Teks", number_format="@")


def kbli_cell() -> CellParser:
    def parse(raw: Any) -> str:
        text = str(raw) if isinstance(raw, int) and not isinstance(raw, bool) else cell_text(raw)
        text = text.strip()
        if not (len(text) == 5 and text.isdigit()):
            raise ValueError(_("Kode KBLI terdiri dari 5 angka, mis. 56104."))
        return text

    return CellParser(parse, "5 angka, mis. 56104", number_format="@")


def text_code() -> CellParser:
    def parse(raw: Any) -> str:
        text = cell_text(raw)
        if len(text) > 13 or not all(c.isdigit() or c == "." for c in text):
            raise ValueError(_("Kode wilayah ditulis seperti 32.75.01.1001 (format sel Teks)."))
        return text

    return CellParser(
        parse, "Kode wilayah desa/kelurahan sebagai teks, mis. 32.75.01.1001", number_format="@"
    )


def phone_cell() -> CellParser:
    def parse(raw: Any) -> str:
        if isinstance(raw, float):
            raise ValueError(_("Format kolom Telepon sebagai Teks agar angka 0 di depan tidak hilang."))
        return cell_text(str(raw) if isinstance(raw, int) and not isinstance(raw, bool) else raw)[:20]

    return CellParser(parse, "Nomor HP sebagai teks, mis. 081234567890", number_format="@")


SEX_CHOICE = imports.choice(("P", "Perempuan"), ("L", "Laki-laki"))
ROLE_CHOICE = imports.choice(*[(value, str(label)) for value, label in MemberRole.choices])

MEMBER_SPEC = ImportSpec(
    title="Anggota kelompok",
    columns=(
        Column("nama", "Nama", imports.text(150), required=True, example="Siti Aminah", note="Sesuai KTP."),
        Column(
            "nik",
            "NIK",
            nik_cell(),
            required=True,
            example="1806014101900001",
            note="16 angka dari KTP atau KK. Format kolom sebagai Teks.",
        ),
        Column(
            "jenis_kelamin",
            "Jenis kelamin",
            SEX_CHOICE,
            required=True,
            example="P",
            note="P (perempuan) atau L (laki-laki).",
            aliases=("jk", "l/p", "p/l"),
        ),
        Column(
            "peran",
            "Peran",
            ROLE_CHOICE,
            default=MemberRole.ANGGOTA.value,
            example="anggota",
            note="ketua, sekretaris, bendahara atau anggota (paling banyak satu ketua, satu sekretaris, "
            "satu bendahara).",
        ),
        Column(
            "telepon", "Telepon", phone_cell(), default="", example="081234567890", aliases=("hp", "no hp")
        ),
    ),
    natural_key=("nik",),
)

BUSINESS_SPEC = ImportSpec(
    title="Usaha mikro",
    columns=(
        Column("nama_usaha", "Nama usaha", imports.text(200), required=True, example="Bakso Pak Eko"),
        Column(
            "pemilik", "Pemilik", imports.text(150), required=True, example="Eko Prasetyo", note="Sesuai KTP."
        ),
        Column(
            "nik", "NIK", nik_cell(), default="", example="3275011203850002", note="16 angka; boleh kosong."
        ),
        Column("jenis_kelamin", "Jenis kelamin", SEX_CHOICE, default="", example="L", aliases=("jk",)),
        Column(
            "telepon", "Telepon", phone_cell(), default="", example="081234567890", aliases=("hp", "no hp")
        ),
        Column("kbli", "KBLI", kbli_cell(), default="", example="56104", note="Kode KBLI 2020, 5 angka."),
        Column(
            "lokasi",
            "Kode wilayah",
            text_code(),
            default="",
            example="32.75.01.1001",
            note="Kode kelurahan/desa tempat usaha (Kemendagri).",
            aliases=("kode desa", "kode kelurahan"),
        ),
        Column("alamat", "Alamat", imports.text(300), default="", example="Jl. Elang Raya, lapak 12"),
        Column("pasar", "Pasar", imports.text(200), default="", example="Pasar Kaget Jalan Elang Raya"),
        Column(
            "modal",
            "Modal (Rp)",
            imports.angka(),
            example="2.500.000",
            note="Modal usaha di luar tanah dan bangunan, rupiah penuh.",
            aliases=("modal",),
        ),
    ),
    natural_key=("nama_usaha", "pemilik"),
)


def _run_checked(spec: ImportSpec, *, path: Path, dry_run: bool, applier: imports.Applier) -> ImportResult:
    """`core.imports.run_import`; when cells are unreadable, also the services' verdict on the readable rows
    (rolled back), so one dry run lists every problem of the file."""
    result = imports.run_import(spec, path=path, dry_run=dry_run, applier=applier)
    if result.ok or any(e.row == 0 for e in result.errors):
        return result
    try:
        table = read_table(path, header_names=set().union(*(c.names() for c in spec.columns)))
    except TabularError:
        return result
    rows, cell_errors = check_rows(spec, table)
    if not cell_errors or not rows:
        return result
    more: list[RowError] = []
    with transaction.atomic():
        applier.load(rows)
        for row in rows:
            try:
                with transaction.atomic():
                    applier.apply(row)
            except ApplicationError as exc:
                more.extend(row_errors(spec, row, exc))
            except IntegrityError:
                continue
        transaction.set_rollback(True)
    seen = {(e.row, e.column, e.message) for e in result.errors}
    extra = [e for e in more if (e.row, e.column, e.message) not in seen]
    return ImportResult(dry_run=dry_run, errors=sort_errors([*result.errors, *extra]))


# --- members ---------------------------------------------------------------------------------------


class MemberApplier:
    def __init__(self, *, actor: Any, group: FarmerGroup) -> None:
        self.actor = actor
        self.group = group
        self.existing: dict[str, GroupMember] = {}

    def load(self, rows: Sequence[ImportRow]) -> None:
        self.existing = {m.nik: m for m in GroupMember.objects.filter(kelompok=self.group)}

    def apply(self, row: ImportRow) -> Outcome:
        values = row.values
        current = self.existing.get(values["nik"])
        data = services_apply.MemberInput(
            nama=values["nama"],
            nik=values["nik"],
            jenis_kelamin=values["jenis_kelamin"],
            peran=values.get("peran") or (current.peran if current else MemberRole.ANGGOTA.value),
            telepon=values.get("telepon", current.telepon if current else ""),
        )
        if current is None:
            member = services_apply.member_add(actor=self.actor, group=self.group, data=data)
            self.existing[member.nik] = member
            return Outcome.CREATED
        before = (current.nama, current.jenis_kelamin, current.peran, current.telepon)
        member = services_apply.member_update(actor=self.actor, member=current, data=data)
        after = (member.nama, member.jenis_kelamin, member.peran, member.telepon)
        return Outcome.UNCHANGED if before == after else Outcome.UPDATED


def member_import_run(*, actor: Any, group: FarmerGroup, path: Path, dry_run: bool) -> ImportResult:
    """Import the members of `group` from `path`: a dry run writes nothing; a commit writes all or nothing."""
    return _run_checked(
        MEMBER_SPEC, path=path, dry_run=dry_run, applier=MemberApplier(actor=actor, group=group)
    )


def member_template_bytes() -> bytes:
    return imports.template_xlsx(MEMBER_SPEC)


# --- businesses ------------------------------------------------------------------------------------


def _key(nama_usaha: str, pemilik: str) -> tuple[str, str]:
    return (" ".join(nama_usaha.split()).casefold(), " ".join(pemilik.split()).casefold())


class BusinessApplier:
    def __init__(self, *, actor: Any, pemda: Pemda, scope: Scope) -> None:
        self.actor = actor
        self.pemda = pemda
        self.scope = scope
        self.existing: dict[tuple[str, str], MicroBusiness] = {}

    def load(self, rows: Sequence[ImportRow]) -> None:
        visible = selectors_apply.visible_businesses(self.scope, self.actor, self.pemda).select_related(
            "lokasi"
        )
        self.existing = {_key(b.nama_usaha, b.pemilik): b for b in visible}

    def apply(self, row: ImportRow) -> Outcome:
        values = row.values
        key = _key(values["nama_usaha"], values["pemilik"])
        current = self.existing.get(key)

        def pick(name: str, stored: Any, default: Any = "") -> Any:
            if name in values and values[name] not in (None, ""):
                return values[name]
            if name in values and current is None:
                return default
            return stored if current is not None else default

        data = services_apply.BusinessInput(
            nama_usaha=values["nama_usaha"],
            pemilik=values["pemilik"],
            nik=pick("nik", getattr(current, "nik", "")),
            telepon=pick("telepon", getattr(current, "telepon", "")),
            jenis_kelamin=pick("jenis_kelamin", getattr(current, "jenis_kelamin", "")),
            kbli=pick("kbli", getattr(current, "kbli", "")),
            lokasi_kode=pick("lokasi", getattr(current, "lokasi_id", "") or ""),
            alamat=pick("alamat", getattr(current, "alamat", "")),
            pasar=pick("pasar", getattr(current, "pasar", "")),
            modal=pick("modal", getattr(current, "modal", None), None),
        )
        if current is None:
            business = services_apply.business_create(actor=self.actor, pemda=self.pemda, data=data)
            self.existing[key] = business
            return Outcome.CREATED
        version = current.version
        business = services_apply.business_update(
            actor=self.actor, business=current, expected_version=version, data=data
        )
        return Outcome.UNCHANGED if business.version == version else Outcome.UPDATED


def business_import_run(*, actor: Any, pemda: Pemda, scope: Scope, path: Path, dry_run: bool) -> ImportResult:
    """Import micro businesses of `pemda` from `path` (all or nothing; a dry run writes nothing)."""
    return _run_checked(
        BUSINESS_SPEC,
        path=path,
        dry_run=dry_run,
        applier=BusinessApplier(actor=actor, pemda=pemda, scope=scope),
    )


def business_template_bytes() -> bytes:
    return imports.template_xlsx(BUSINESS_SPEC)
