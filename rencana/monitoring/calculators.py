"""e-Monev calculators for `rencana calc` (discovered by `rencana.core.calculators.discover`).

`capaian`: `{"target": 0.45, "realisasi": 0.551, "polaritas": "negatif"}` ->
`{"capaian": 77.56, "predikat": "Tinggi", "alasan": null}` (rules in `monitoring.achievement`); with target 0,
`{"capaian": null, "predikat": null, "alasan": "tidak dapat dihitung: target 0"}`. A missing field, a
value that is not a JSON number, a negative number or an unknown polaritas is a `CalcInputError`.
"""

from decimal import Decimal
from typing import Any

from rencana.core.calculators import CalcInputError, register, require_text
from rencana.monitoring.achievement import capaian


def require_number(data: dict[str, Any], field: str) -> Decimal:
    """Field `field` of the input: a JSON number, not negative."""
    if field not in data:
        raise CalcInputError(f"Isian “{field}” wajib ada pada masukan.")
    value = data[field]
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise CalcInputError(
            f"Isian “{field}” harus berupa angka JSON (mis. 0.45), bukan teks atau nilai lain."
        )
    number = Decimal(value)
    if not number.is_finite():
        raise CalcInputError(f"Isian “{field}” harus berupa angka terhingga.")
    if number < 0:
        raise CalcInputError(f"Isian “{field}” tidak boleh negatif.")
    return number


@register(
    "capaian",
    'Capaian dan predikat Permendagri 86/2017: {"target": 0.45, "realisasi": 0.551, "polaritas": "negatif"}.',
)
def capaian_calc(data: dict[str, Any]) -> dict[str, Any]:
    """`{"target", "realisasi", "polaritas"}` -> `{"capaian", "predikat", "alasan"}` (module docstring)."""
    target = require_number(data, "target")
    realisasi = require_number(data, "realisasi")
    polaritas = require_text(data, "polaritas")
    try:
        hasil = capaian(target, realisasi, polaritas)
    except ValueError as exc:
        raise CalcInputError(str(exc)) from None
    return {"capaian": hasil.capaian, "predikat": hasil.predikat, "alasan": hasil.alasan}
