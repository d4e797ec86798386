"""Template filters for plan values: numbers as the planner typed them, in Indonesian notation."""

from decimal import Decimal
from typing import Any

from django import template

from rencana.core.numbers import format_angka

register = template.Library()


@register.filter
def angka(value: Any) -> str:
    """0.4500 -> "0,45"; 1250000 -> "1.250.000"; None -> "". Stored with 4 decimals, shown unpadded."""
    if value is None or value == "":
        return ""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    exponent = number.normalize().as_tuple().exponent
    decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    return format_angka(number, min(decimals, 4))
