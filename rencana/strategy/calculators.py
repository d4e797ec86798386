"""SWOT calculators for `rencana calc` (discovered by `rencana.core.calculators.discover`).

`swot`: `{"faktor": [{"jenis": "S", "kode": "S1", "faktor": "SDM memadai", "bobot": 0.20, "rating": 3},
...]}` -> the IFAS/EFAS figures of `strategy.swot.result_json`: `{"ifas": {"strength_score",
"weakness_score", "total", "weights_sum"}, "efas": {"opportunity_score", "threat_score", "total",
"weights_sum"}, "x", "y", "quadrant", "quadrant_strategy", "ie_matrix_cell", "ie_strategy"}`, numbers
rounded to 2 decimals ROUND_HALF_UP (rules in `strategy.swot`).

A missing or non-list "faktor" is a `CalcInputError` naming the field; every other problem (a factor that
is not an object, unknown jenis, empty statement, duplicate kode, bad bobot or rating, weights of a matrix
not summing to 1,00) is reported at once in one message, each naming its factor.
"""

from typing import Any

from django.utils.translation import gettext as _

from rencana.core.calculators import CalcInputError, register
from rencana.strategy.swot import Factor, Problem, SwotInputError, compute, result_json


def _field(entry: dict[str, Any], name: str) -> Any:
    """A field of one factor object; None when it is missing (the validation names it)."""
    return entry.get(name)


def read_factors(data: dict[str, Any]) -> tuple[list[Factor], list[Problem]]:
    """The factors of the input, and a problem for each list entry that is not a JSON object."""
    if "faktor" not in data:
        raise CalcInputError(_("Isian “faktor” wajib ada pada masukan: daftar faktor SWOT."))
    entries = data["faktor"]
    if not isinstance(entries, list):
        raise CalcInputError(
            _(
                "Isian “faktor” harus berupa daftar (array JSON) faktor, mis. "
                '[{"jenis": "S", "kode": "S1", "faktor": "...", "bobot": 0.2, "rating": 3}].'
            )
        )
    factors: list[Factor] = []
    problems: list[Problem] = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            problems.append(
                Problem(
                    "",
                    "faktor",
                    _(
                        "Faktor ke-{nomor} harus berupa objek JSON dengan isian jenis, kode, faktor, bobot "
                        "dan rating."
                    ).format(nomor=number),
                )
            )
            continue
        factors.append(
            Factor(
                jenis=_field(entry, "jenis"),
                kode=_field(entry, "kode"),
                faktor=_field(entry, "faktor"),
                bobot=_field(entry, "bobot"),
                rating=_field(entry, "rating"),
            )
        )
    return factors, problems


@register(
    "swot",
    'IFAS/EFAS (Rangkuti), kuadran SWOT dan matriks IE: {"faktor": [{"jenis": "S", "kode": "S1", '
    '"faktor": "...", "bobot": 0.20, "rating": 3}, ...]}.',
)
def swot_calc(data: dict[str, Any]) -> dict[str, Any]:
    """`{"faktor": [...]}` -> `result_json` (module docstring); every problem in one `CalcInputError`."""
    factors, problems = read_factors(data)
    try:
        result = compute(factors)
    except SwotInputError as exc:
        problems.extend(exc.problems)
        raise CalcInputError(" ".join(problem.pesan for problem in problems)) from None
    if problems:
        raise CalcInputError(" ".join(problem.pesan for problem in problems))
    return result_json(result)
