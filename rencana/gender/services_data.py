"""Sex-disaggregated data (data terpilah) and index components of a pemda: the writes.

Terms
- *Data terpilah* (`SexValue`): the value of one indicator for women (perempuan) and for men
  (laki-laki), in one region and year, with its source (sumber) and status: *sementara* (provisional,
  may still change) or *tetap* (final). Only an indicator of the pemda's plans flagged "terpilah menurut
  jenis kelamin" (`Indicator.terpilah_gender`) takes such values (Permendagri 67/2011 on PUG in the
  regions: sex-disaggregated data are the base of gender analysis).
- *Komponen indeks* (`IndexComponent`): one input of IPM by sex, IPG or IKG (BPS) for a region and year,
  with its source; `gender.selectors_data.compute_pemda_indices` computes the indices from them.
- *Wilayah*: a Kemendagri region code; it must be the pemda's own region or one inside it ("63.02.01" is
  inside "63.02").

Rules (every write)
- Numbers arrive as numbers or as text in Indonesian or plain notation (`core.numbers.parse_angka`:
  "5.319,05", "5319.05", "Rp 11.899.000"); never negative. A sex value is stored with 4 decimals, a
  component with 6 (ROUND_HALF_UP); at least one of the two sexes must be given; the source is required.
- Component ranges (`COMPONENT_RULES`, as data): UHH 20–100 years; HLS 0–25 and RLS 0–20 years;
  expenditure more than Rp 0 (at most Rp 1 000 000 000 per person per year); MTF and MHPK20 proportions
  0–1 (28 % is written 0,28); DPRD seats, SMA+ and TPAK percentages 0–100.
- Every invalid field is reported at once (`ApplicationError.errors`, one `{"kolom", "pesan"}` each);
  another pemda's indicator is "not found"; an indicator that is not flagged is refused with the way to
  flag it.
- Optimistic locking: `expected_version` None writes whatever is stored (imports, the demo); 0 means
  "I saw no value" (a value created meanwhile is a conflict); n > 0 must be the stored version (409
  otherwise). Writing the same values again writes nothing and records no audit event, so an import
  can be repeated. Each create, change and delete is one transaction with an audit record (old -> new).

Who may write (an OPD operator only its own OPD's indicators, the Pokja PUG and Bappeda everything;
components only `pug.manage`) is checked by the views and the importer through `gender.access`.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rencana.core.audit import audit_record, snapshot
from rencana.core.errors import ApplicationError, ConflictError, NotFoundError
from rencana.core.locking import STALE_MESSAGE, save_versioned
from rencana.core.numbers import AngkaError, format_angka, parse_angka
from rencana.gender.models import ComponentCode, DataStatus, IndexComponent, SexValue
from rencana.gender.selectors_data import compute_pemda_indices, in_pemda
from rencana.planning.models import Indicator
from rencana.regions.models import Pemda, Region

__all__ = [
    "COMPONENT_RULES",
    "ComponentRule",
    "component_delete",
    "component_set",
    "compute_pemda_indices",
    "sexvalue_delete",
    "sexvalue_set",
]

MIN_TAHUN = 1990
MAX_TAHUN = 2100
MAX_SUMBER = 255
SEX_PLACES = Decimal("0.0001")
COMPONENT_PLACES = Decimal("0.000001")
# Largest values the columns hold (20 digits with 4, resp. 6, decimals).
MAX_SEX_VALUE = Decimal("9999999999999999")
MAX_COMPONENT_VALUE = Decimal("99999999999999")


# --- component ranges, as data --------------------------------------------------------------------


@dataclass(frozen=True)
class ComponentRule:
    """The accepted range of a component; `minimum_exclusive` refuses the minimum itself (Rp 0)."""

    minimum: Decimal
    maximum: Decimal
    pesan: Any  # lazy text with {label}, {minimum}, {maximum}
    minimum_exclusive: bool = False


_YEARS = gettext_lazy("{label}: isi jumlah tahun antara {minimum} dan {maximum}.")
_PROPORTION = gettext_lazy("{label}: isi proporsi antara 0 dan 1, bukan persen (28% ditulis 0,28).")
_PERCENT = gettext_lazy("{label}: isi persentase antara 0 dan 100.")
_RUPIAH = gettext_lazy(
    "{label}: isi rupiah per orang per tahun, lebih dari Rp 0 dan paling besar Rp {maximum}."
)

_UHH = ComponentRule(Decimal(20), Decimal(100), _YEARS)
_HLS = ComponentRule(Decimal(0), Decimal(25), _YEARS)
_RLS = ComponentRule(Decimal(0), Decimal(20), _YEARS)
_RP = ComponentRule(Decimal(0), Decimal(1_000_000_000), _RUPIAH, minimum_exclusive=True)
_PROP = ComponentRule(Decimal(0), Decimal(1), _PROPORTION)
_PCT = ComponentRule(Decimal(0), Decimal(100), _PERCENT)

COMPONENT_RULES: Mapping[str, ComponentRule] = {
    ComponentCode.UHH_P: _UHH,
    ComponentCode.UHH_L: _UHH,
    ComponentCode.HLS_P: _HLS,
    ComponentCode.HLS_L: _HLS,
    ComponentCode.RLS_P: _RLS,
    ComponentCode.RLS_L: _RLS,
    ComponentCode.PENGELUARAN_P: _RP,
    ComponentCode.PENGELUARAN_L: _RP,
    ComponentCode.MTF: _PROP,
    ComponentCode.MHPK20: _PROP,
    ComponentCode.LEGISLATIF_P: _PCT,
    ComponentCode.LEGISLATIF_L: _PCT,
    ComponentCode.SMA_P: _PCT,
    ComponentCode.SMA_L: _PCT,
    ComponentCode.TPAK_P: _PCT,
    ComponentCode.TPAK_L: _PCT,
}


# --- shared checks ---------------------------------------------------------------------------------


class _Errors:
    """Every invalid field of one write, reported together."""

    def __init__(self) -> None:
        self.items: list[dict[str, str]] = []

    def add(self, kolom: str, pesan: str) -> None:
        self.items.append({"kolom": kolom, "pesan": pesan})

    def raise_if_any(self, judul: str) -> None:
        if self.items:
            raise ApplicationError(
                _("{judul}: {daftar}").format(judul=judul, daftar=" ".join(e["pesan"] for e in self.items)),
                code="tidak_valid",
                errors=self.items,
            )


def _decimal(value: object, kolom: str, label: str, errors: _Errors) -> Decimal | None:
    """A number from a number or from text in Indonesian or plain notation; None when blank."""
    if value is None:
        return None
    if isinstance(value, bool):
        errors.add(kolom, _("{label}: isi dengan angka.").format(label=label))
        return None
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            return parse_angka(text)
        except AngkaError as exc:
            errors.add(kolom, _("{label}: {pesan}").format(label=label, pesan=exc.message))
            return None
    if isinstance(value, float):
        if not math.isfinite(value):
            errors.add(kolom, _("{label}: isi dengan angka terhingga.").format(label=label))
            return None
        return Decimal(repr(value))
    if isinstance(value, int | Decimal):
        number = Decimal(value)
        if not number.is_finite():
            errors.add(kolom, _("{label}: isi dengan angka terhingga.").format(label=label))
            return None
        return number
    errors.add(kolom, _("{label}: isi dengan angka.").format(label=label))
    return None


def _quantize(value: Decimal, places: Decimal) -> Decimal:
    try:
        return value.quantize(places, rounding=ROUND_HALF_UP)
    except InvalidOperation:  # too many digits for the context: far outside every range anyway
        return value


def _tahun(value: object, errors: _Errors) -> int:
    tahun: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        tahun = value
    elif isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 4:
        tahun = int(value.strip())
    if tahun is None or not MIN_TAHUN <= tahun <= MAX_TAHUN:
        errors.add(
            "tahun",
            _("Tahun harus 4 angka antara {awal} dan {akhir}.").format(awal=MIN_TAHUN, akhir=MAX_TAHUN),
        )
        return 0
    return tahun


def _region(pemda: Pemda, kode: object, errors: _Errors) -> Region | None:
    """The region `kode`, if it is the pemda's own region or inside it."""
    text = kode.strip() if isinstance(kode, str) else ""
    if not text:
        errors.add("wilayah", _("Kode wilayah wajib diisi (mis. {kode}).").format(kode=pemda.region_id))
        return None
    if len(text) > 13:
        errors.add("wilayah", _("Kode wilayah “{kode}” terlalu panjang.").format(kode=text[:20]))
        return None
    region = Region.objects.filter(kode=text).first()
    if region is None:
        errors.add(
            "wilayah",
            _("Kode wilayah “{kode}” tidak ada dalam daftar wilayah Kemendagri.").format(kode=text),
        )
        return None
    if not in_pemda(pemda, region.kode):
        errors.add(
            "wilayah",
            _(
                "Wilayah {kode} {nama} berada di luar {pemda}; isi wilayah {pemda_kode} atau wilayah di "
                "dalamnya."
            ).format(kode=region.kode, nama=region.nama, pemda=pemda.nama, pemda_kode=pemda.region_id),
        )
        return None
    return region


def _sumber(value: object, errors: _Errors) -> str:
    text = " ".join(value.split()) if isinstance(value, str) else ""
    if not text:
        errors.add("sumber", _("Sumber data wajib diisi (mis. “BPS Kabupaten, Susenas 2024”)."))
    elif len(text) > MAX_SUMBER:
        errors.add(
            "sumber",
            _("Sumber data paling panjang {n} karakter (terisi {m}).").format(n=MAX_SUMBER, m=len(text)),
        )
    return text


def _status(value: object, default: str, errors: _Errors) -> str:
    text = value.strip().lower() if isinstance(value, str) else ""
    if not text:
        return default
    if text not in DataStatus.values:
        errors.add("status", _("Status harus “sementara” atau “tetap”."))
        return default
    return text


def _check_version(current: int | None, expected_version: int | None) -> None:
    """None: no check; 0: nothing may be stored yet; n: the stored version must be n."""
    if expected_version is None:
        return
    if (current or 0) != expected_version:
        raise ConflictError(
            _(STALE_MESSAGE).format(expected=expected_version, current=current or 0), code="versi_usang"
        )


def _indicator_for(pemda: Pemda, indicator: Indicator, errors: _Errors) -> None:
    if indicator.pemda_id != pemda.pk:
        raise NotFoundError(
            _("Indikator tidak ditemukan di pemda ini."),
            errors=[{"kolom": "indikator", "pesan": _("Indikator tidak ditemukan di pemda ini.")}],
        )
    if not indicator.terpilah_gender:
        errors.add(
            "indikator",
            _(
                "Indikator “{nama}” tidak ditandai “terpilah menurut jenis kelamin”. Tandai dulu pada "
                "indikator di dokumen perencanaan, lalu isi datanya."
            ).format(nama=_short(indicator.nama)),
        )


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- data terpilah ---------------------------------------------------------------------------------


def sexvalue_set(
    *,
    actor: Any,
    pemda: Pemda,
    indicator: Indicator,
    wilayah_kode: str,
    tahun: int | str,
    perempuan: Decimal | int | float | str | None,
    laki_laki: Decimal | int | float | str | None,
    sumber: str,
    status: str = DataStatus.SEMENTARA,
    expected_version: int | None = None,
) -> SexValue:
    """Create or change the value of `indicator` for women and men in a region and year.

    Refuses (400, every bad field named in `errors`): an indicator that is not flagged, a region outside
    the pemda, an implausible year, a negative or malformed number, both values blank, no source, an
    unknown status; another pemda's indicator is 404; a stale `expected_version` 409 (see the module
    docstring). Unchanged values write nothing.
    """
    errors = _Errors()
    _indicator_for(pemda, indicator, errors)
    region = _region(pemda, wilayah_kode, errors)
    year = _tahun(tahun, errors)
    values: dict[str, Decimal | None] = {}
    for kolom, raw, label in (
        ("perempuan", perempuan, _("Nilai perempuan")),
        ("laki_laki", laki_laki, _("Nilai laki-laki")),
    ):
        number = _decimal(raw, kolom, label, errors)
        if number is not None and number < 0:
            errors.add(kolom, _("{label} tidak boleh negatif.").format(label=label))
            number = None
        elif number is not None and number > MAX_SEX_VALUE:
            errors.add(kolom, _("{label} terlalu besar.").format(label=label))
            number = None
        values[kolom] = _quantize(number, SEX_PLACES) if number is not None else None
    if (
        values["perempuan"] is None
        and values["laki_laki"] is None
        and not any(e["kolom"] in ("perempuan", "laki_laki") for e in errors.items)
    ):
        errors.add("perempuan", _("Isi paling sedikit satu nilai: perempuan atau laki-laki."))
    source = _sumber(sumber, errors)
    state = _status(status, DataStatus.SEMENTARA, errors)
    errors.raise_if_any(_("Data terpilah belum benar"))
    assert region is not None
    changes = {
        "perempuan": values["perempuan"],
        "laki_laki": values["laki_laki"],
        "sumber": source,
        "status": state,
    }
    with transaction.atomic():
        existing = (
            SexValue.objects.select_for_update()
            .filter(indikator=indicator, wilayah_id=region.kode, tahun=year)
            .first()
        )
        _check_version(existing.version if existing else None, expected_version)
        if existing is None:
            try:
                with transaction.atomic():
                    created = SexValue.objects.create(
                        pemda=pemda, indikator=indicator, wilayah_id=region.kode, tahun=year, **changes
                    )
            except IntegrityError as exc:  # created by someone else at the same moment
                raise ConflictError(
                    _("Data ini baru saja diisi pengguna lain; muat ulang halaman lalu periksa."),
                    code="sudah_ada",
                ) from exc
            audit_record(
                actor=actor,
                action="create",
                instance=created,
                pemda_id=pemda.pk,
                after=snapshot(created, SexValue.AUDITED_FIELDS),
            )
            return created
        _update(existing, actor=actor, changes=changes, fields=SexValue.AUDITED_FIELDS, extra=("diubah",))
        return existing


def sexvalue_delete(*, actor: Any, value: SexValue, expected_version: int | None = None) -> None:
    """Delete one sex-disaggregated value (audited; a stale version is refused)."""
    with transaction.atomic():
        current = SexValue.objects.select_for_update().filter(pk=value.pk).first()
        if current is None:
            raise NotFoundError(_("Data terpilah ini sudah tidak ada."))
        _check_version(current.version, expected_version)
        before = snapshot(current, SexValue.AUDITED_FIELDS)
        audit_record(actor=actor, action="delete", instance=current, pemda_id=current.pemda_id, before=before)
        current.delete()


def _update(
    instance: SexValue | IndexComponent,
    *,
    actor: Any,
    changes: Mapping[str, Any],
    fields: tuple[str, ...],
    extra: tuple[str, ...] = (),
) -> None:
    before = snapshot(instance, fields)
    for name, value in changes.items():
        setattr(instance, name, value)
    after = snapshot(instance, fields)
    changed = [k for k in fields if before[k] != after[k]]
    if not changed:
        return
    if "diubah" in extra:
        instance.diubah = timezone.now()  # type: ignore[union-attr]
    save_versioned(instance, expected_version=instance.version, fields=[*changed, *extra])
    audit_record(
        actor=actor,
        action="update",
        instance=instance,
        pemda_id=instance.pemda_id,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
    )


# --- index components ------------------------------------------------------------------------------


def component_label(kode: str) -> str:
    try:
        return str(ComponentCode(kode).label)
    except ValueError:
        return kode


def _component_value(kode: str, raw: object, errors: _Errors) -> Decimal | None:
    label = component_label(kode)
    rule = COMPONENT_RULES.get(kode)
    number = _decimal(raw, "nilai", label, errors)
    if number is None:
        if not any(e["kolom"] == "nilai" for e in errors.items):
            errors.add("nilai", _("{label}: nilai wajib diisi.").format(label=label))
        return None
    if rule is None:
        return None
    too_low = number <= rule.minimum if rule.minimum_exclusive else number < rule.minimum
    if too_low or number > rule.maximum:
        errors.add(
            "nilai",
            str(rule.pesan).format(
                label=label,
                minimum=format_angka(rule.minimum, 0),
                maximum=format_angka(rule.maximum, 0),
            ),
        )
        return None
    return _quantize(number, COMPONENT_PLACES)


def component_set(
    *,
    actor: Any,
    pemda: Pemda,
    wilayah_kode: str,
    tahun: int | str,
    kode: str,
    nilai: Decimal | int | float | str | None,
    sumber: str,
    status: str = DataStatus.TETAP,
    expected_version: int | None = None,
) -> IndexComponent:
    """Create or change one index component of a region and year (rules in the module docstring)."""
    errors = _Errors()
    region = _region(pemda, wilayah_kode, errors)
    year = _tahun(tahun, errors)
    code = kode.strip().lower() if isinstance(kode, str) else ""
    value: Decimal | None = None
    if code not in ComponentCode.values:
        errors.add(
            "kode",
            _("Komponen “{kode}” tidak dikenal; pilih salah satu dari: {daftar}.").format(
                kode=_short(str(kode or ""), 30), daftar=", ".join(ComponentCode.values)
            ),
        )
    else:
        value = _component_value(code, nilai, errors)
    source = _sumber(sumber, errors)
    state = _status(status, DataStatus.TETAP, errors)
    errors.raise_if_any(_("Komponen indeks belum benar"))
    assert region is not None and value is not None
    changes = {"nilai": value, "sumber": source, "status": state}
    with transaction.atomic():
        existing = (
            IndexComponent.objects.select_for_update()
            .filter(pemda=pemda, wilayah_id=region.kode, tahun=year, kode=code)
            .first()
        )
        _check_version(existing.version if existing else None, expected_version)
        if existing is None:
            try:
                with transaction.atomic():
                    created = IndexComponent.objects.create(
                        pemda=pemda, wilayah_id=region.kode, tahun=year, kode=code, **changes
                    )
            except IntegrityError as exc:
                raise ConflictError(
                    _("Data ini baru saja diisi pengguna lain; muat ulang halaman lalu periksa."),
                    code="sudah_ada",
                ) from exc
            audit_record(
                actor=actor,
                action="create",
                instance=created,
                pemda_id=pemda.pk,
                after=snapshot(created, IndexComponent.AUDITED_FIELDS),
            )
            return created
        _update(existing, actor=actor, changes=changes, fields=IndexComponent.AUDITED_FIELDS)
        return existing


def component_delete(*, actor: Any, component: IndexComponent, expected_version: int | None = None) -> None:
    """Delete one index component (audited; a stale version is refused)."""
    with transaction.atomic():
        current = IndexComponent.objects.select_for_update().filter(pk=component.pk).first()
        if current is None:
            raise NotFoundError(_("Komponen indeks ini sudah tidak ada."))
        _check_version(current.version, expected_version)
        before = snapshot(current, IndexComponent.AUDITED_FIELDS)
        audit_record(actor=actor, action="delete", instance=current, pemda_id=current.pemda_id, before=before)
        current.delete()
