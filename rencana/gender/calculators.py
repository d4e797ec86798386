"""Human development and gender calculators for `rencana calc` (discovered by `rencana.core.calculators`).

The methods, ranges and rounding are those of `gender.indices`; a JSON number arrives as Decimal (or int),
a rounded value leaves as a Decimal (a JSON number with its published decimals), a raw value as a float.

- `ipm`: `{"uhh": 73.93, "hls": 13.15, "rls": 8.77, "pengeluaran": 11899000}` ->
  `{"ipm": 74.39, "ipm_raw": ..., "indeks_kesehatan": ..., "indeks_pendidikan": ...,
  "indeks_pengeluaran": ..., "status": "tinggi"}` (BPS metode baru, 2 decimals).
- `ipg`: `{"perempuan": {"uhh", "hls", "rls", "pengeluaran"}, "laki_laki": {...}}` ->
  `{"ipm_perempuan", "ipm_laki_laki", "ipg"}` (2 decimals; each sex's own expenditure).
- `gdi`: `{"female": {"le", "eys", "mys", "gni_pc"}, "male": {...}}` -> `{"hdi_f", "hdi_m", "gdi",
  "gdi_raw"}` (UNDP; `gdi` 3 decimals, the HDIs by sex raw).
- `gii`: `{"mmr", "abr", "pr_f", "pr_m", "se_f", "se_m", "lfpr_f", "lfpr_m"}` (shares in percent) ->
  `{"gii", "gii_raw"}` (UNDP, 3 decimals).
- `ikg`: `{"mtf", "mhpk20", "legislatif_l", "legislatif_p", "sma_l", "sma_p", "tpak_l", "tpak_p"}` (MTF
  and MHPK20 proportions, the rest percent) -> `{"ikg", "ikg_raw"}` (BPS, 3 decimals).

A missing field, a value that is not a JSON number (true/false included), a nested group that is not an
object, or a value out of its range is a `CalcInputError` naming the field ("perempuan.uhh" inside a
group).
"""

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from rencana.core.calculators import CalcInputError, register
from rencana.gender.indices import (
    IndexInputError,
    SexComponents,
    UndpComponents,
    gdi,
    gii,
    ikg,
    ipg,
    ipm,
)

IPM_FIELDS = ("uhh", "hls", "rls", "pengeluaran")
HDI_FIELDS = ("le", "eys", "mys", "gni_pc")
GII_FIELDS = ("mmr", "abr", "pr_f", "pr_m", "se_f", "se_m", "lfpr_f", "lfpr_m")
IKG_FIELDS = ("mtf", "mhpk20", "legislatif_l", "legislatif_p", "sma_l", "sma_p", "tpak_l", "tpak_p")


def _name(field: str, group: str | None) -> str:
    return field if group is None else f"{group}.{field}"


def require_json_number(data: dict[str, Any], field: str, group: str | None = None) -> Decimal | int:
    """Field `field` of the input (inside `group` if given): a JSON number, never true/false."""
    name = _name(field, group)
    if field not in data:
        raise CalcInputError(_("Isian “{field}” wajib ada pada masukan.").format(field=name))
    value = data[field]
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise CalcInputError(
            _("Isian “{field}” harus berupa angka JSON (mis. 73.93), bukan teks atau nilai lain.").format(
                field=name
            )
        )
    return value


def require_group(data: dict[str, Any], group: str) -> dict[str, Any]:
    """Field `group` of the input: a JSON object."""
    if group not in data:
        raise CalcInputError(_("Isian “{field}” wajib ada pada masukan.").format(field=group))
    value = data[group]
    if not isinstance(value, dict):
        raise CalcInputError(
            _("Isian “{field}” harus berupa objek JSON berisi {fields}.").format(
                field=group, fields=", ".join(_fields_of(group))
            )
        )
    return value


def _fields_of(group: str) -> tuple[str, ...]:
    return IPM_FIELDS if group in ("perempuan", "laki_laki") else HDI_FIELDS


def _numbers(data: dict[str, Any], fields: tuple[str, ...], group: str | None = None) -> list[Decimal | int]:
    return [require_json_number(data, field, group) for field in fields]


@register(
    "ipm",
    'IPM BPS metode baru: {"uhh": 73.93, "hls": 13.15, "rls": 8.77, "pengeluaran": 11899000}.',
)
def ipm_calc(data: dict[str, Any]) -> dict[str, Any]:
    """`{"uhh", "hls", "rls", "pengeluaran"}` -> IPM (2 decimals), raw IPM, the three indices, status."""
    values = _numbers(data, IPM_FIELDS)
    try:
        hasil = ipm(*values)
    except IndexInputError as exc:
        raise CalcInputError(exc.message) from None
    return {
        "ipm": hasil.ipm,
        "ipm_raw": hasil.ipm_raw,
        "indeks_kesehatan": hasil.indeks_kesehatan,
        "indeks_pendidikan": hasil.indeks_pendidikan,
        "indeks_pengeluaran": hasil.indeks_pengeluaran,
        "status": hasil.status,
    }


@register(
    "ipg",
    'IPG BPS: {"perempuan": {"uhh", "hls", "rls", "pengeluaran"}, "laki_laki": {...}}, '
    "pengeluaran per jenis kelamin.",
)
def ipg_calc(data: dict[str, Any]) -> dict[str, Any]:
    """`{"perempuan": {...}, "laki_laki": {...}}` -> IPM of each sex and IPG (2 decimals)."""
    perempuan = SexComponents(*_numbers(require_group(data, "perempuan"), IPM_FIELDS, "perempuan"))
    laki_laki = SexComponents(*_numbers(require_group(data, "laki_laki"), IPM_FIELDS, "laki_laki"))
    try:
        hasil = ipg(perempuan, laki_laki)
    except IndexInputError as exc:
        raise CalcInputError(exc.message) from None
    return {
        "ipm_perempuan": hasil.ipm_perempuan.ipm,
        "ipm_laki_laki": hasil.ipm_laki_laki.ipm,
        "ipg": hasil.ipg,
    }


@register(
    "gdi",
    'GDI UNDP: {"female": {"le", "eys", "mys", "gni_pc"}, "male": {...}}.',
)
def gdi_calc(data: dict[str, Any]) -> dict[str, Any]:
    """`{"female": {...}, "male": {...}}` -> HDI of each sex (raw), GDI (3 decimals) and raw GDI."""
    female = UndpComponents(*_numbers(require_group(data, "female"), HDI_FIELDS, "female"))
    male = UndpComponents(*_numbers(require_group(data, "male"), HDI_FIELDS, "male"))
    try:
        hasil = gdi(female, male)
    except IndexInputError as exc:
        raise CalcInputError(exc.message) from None
    return {
        "hdi_f": hasil.hdi_f.hdi_raw,
        "hdi_m": hasil.hdi_m.hdi_raw,
        "gdi": hasil.gdi,
        "gdi_raw": hasil.gdi_raw,
    }


@register(
    "gii",
    'GII UNDP (persen): {"mmr", "abr", "pr_f", "pr_m", "se_f", "se_m", "lfpr_f", "lfpr_m"}.',
)
def gii_calc(data: dict[str, Any]) -> dict[str, Any]:
    """`{"mmr", "abr", "pr_f", ...}` -> GII (3 decimals) and raw GII."""
    values = _numbers(data, GII_FIELDS)
    try:
        hasil = gii(*values)
    except IndexInputError as exc:
        raise CalcInputError(exc.message) from None
    return {"gii": hasil.gii, "gii_raw": hasil.gii_raw}


@register(
    "ikg",
    'IKG BPS: {"mtf", "mhpk20" (proporsi), "legislatif_l", "legislatif_p", "sma_l", "sma_p", '
    '"tpak_l", "tpak_p" (persen)}.',
)
def ikg_calc(data: dict[str, Any]) -> dict[str, Any]:
    """`{"mtf", "mhpk20", "legislatif_l", ...}` -> IKG (3 decimals) and raw IKG."""
    values = _numbers(data, IKG_FIELDS)
    try:
        hasil = ikg(*values)
    except IndexInputError as exc:
        raise CalcInputError(exc.message) from None
    return {"ikg": hasil.ikg, "ikg_raw": hasil.ikg_raw}
