"""Calculators: small pure computations callable as `rencana calc <name>` (JSON in, JSON out).

A *calculator* is a function `(dict) -> dict` registered with `@register(name, description)`. It
reads its fields from the input object, raises `CalcInputError` with an Indonesian message naming
the field when the input is wrong, and returns a JSON-serialisable object (Decimal and date values
are allowed; the command turns them into JSON numbers and ISO dates).

Discovery: every installed app may have a `calculators` module; `discover()` imports them all
(`django.utils.module_loading.autodiscover_modules`), so an app adds a calculator by defining it in
`<app>/calculators.py`, with no registration elsewhere.

JSON numbers in the input arrive as `Decimal` (exact, never binary floats), see the `calc` command.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rencana.core.numbers import AngkaError, format_angka, parse_angka

CalcFunction = Callable[[dict[str, Any]], dict[str, Any]]


class CalcInputError(ValueError):
    """The input object is wrong; `message` (Indonesian) says which field and why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Calculator:
    name: str
    description: str
    function: CalcFunction


_registry: dict[str, Calculator] = {}


def register(name: str, description: str) -> Callable[[CalcFunction], CalcFunction]:
    def decorator(function: CalcFunction) -> CalcFunction:
        current = _registry.get(name)
        if current is not None and (current.function.__module__, current.function.__qualname__) != (
            function.__module__,
            function.__qualname__,
        ):
            raise ValueError(f"calculator {name!r} is already registered by {current.function.__module__}")
        _registry[name] = Calculator(name, description, function)
        return function

    return decorator


def discover() -> None:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("calculators")


def get_calculator(name: str) -> Calculator | None:
    return _registry.get(name)


def all_calculators() -> list[Calculator]:
    return sorted(_registry.values(), key=lambda c: c.name)


def require_text(data: dict[str, Any], field: str) -> str:
    """Field `field` of the input, which must be a string."""
    if field not in data:
        raise CalcInputError(f"Isian “{field}” wajib ada pada masukan.")
    value = data[field]
    if not isinstance(value, str):
        raise CalcInputError(f"Isian “{field}” harus berupa teks (string JSON).")
    return value


@register("angka", 'Baca angka notasi Indonesia/polos: {"teks": "5.319,05"} -> nilai dan teks baku.')
def angka(data: dict[str, Any]) -> dict[str, Any]:
    """`{"teks": "5.319,05"}` -> `{"nilai": 5319.05, "teks_baku": "5.319,05"}`.

    `nilai` is a JSON number; `teks_baku` is the same value in Indonesian notation with the decimals
    that were typed, exact even where a JSON reader's float would round.
    """
    try:
        value = parse_angka(require_text(data, "teks"))
    except AngkaError as exc:
        raise CalcInputError(exc.message) from None
    exponent = value.as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return {"nilai": value, "teks_baku": format_angka(value, decimals)}


def json_default(value: Any) -> Any:
    """`json.dumps` fallback: Decimal -> int or float, date -> ISO text."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} tidak dapat dijadikan JSON")
