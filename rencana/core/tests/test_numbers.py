import contextlib
import re
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from rencana.core.numbers import AngkaError, format_angka, format_rupiah, parse_angka

D = Decimal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5.319,05", D("5319.05")),
        ("5319,05", D("5319.05")),
        ("5319.05", D("5319.05")),
        ("1.234.567", D("1234567")),
        ("1.234.567,891", D("1234567.891")),
        ("0.551", D("0.551")),
        ("0,551", D("0.551")),
        ("1234.567", D("1234.567")),
        ("12.5", D("12.5")),
        ("-12,5", D("-12.5")),
        ("\u221212,5", D("-12.5")),
        ("+3", D("3")),
        ("  42 ", D("42")),
        ("007", D("7")),
        ("Rp 1.500.000", D("1500000")),
        ("Rp1.500.000", D("1500000")),
        ("rp. 1.500.000,50", D("1500000.50")),
        ("Rp 5.319", D("5319")),
        ("Rp 1.500.000,-", D("1500000")),
        ("-Rp 1.500", D("-1500")),
        ("Rp -1.500", D("-1500")),
    ],
)
def test_accepted_forms(text: str, expected: Decimal) -> None:
    assert parse_angka(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("5.319.05", "pengelompokan ribuan"),
        ("5.319.05", "5.319,05"),
        ("1,234.56", "notasi Inggris"),
        ("5.319", "Tulis “5319” atau “5,319”"),
        ("999.999", "ambigu"),
        ("", "kosong"),
        ("   ", "kosong"),
        ("abc", "hanya boleh berisi angka"),
        ("12a", "hanya boleh berisi angka"),
        ("1,2,3", "lebih dari satu koma"),
        ("NaN", "bukan angka"),
        ("inf", "bukan angka"),
        ("-Infinity", "bukan angka"),
        ("1e5", "bukan angka"),
        ("1 234,5", "spasi"),
        ("12,5%", "tanpa tanda %"),
        (",5", "diapit angka"),
        ("5,", "diapit angka"),
        ("5.", "diapit angka"),
        ("1..2", "bukan angka"),
        ("01.234.567", "pengelompokan"),
        ("1.23.456", "pengelompokan"),
        ("Rp 12.50", "Untuk rupiah"),
        ("Rp", "tidak ada angkanya"),
        ("+-5", "hanya boleh"),
        ("١٢٣", "hanya boleh"),
        ("1" * 101, "terlalu panjang"),
    ],
)
def test_rejected_forms_say_why(text: str, fragment: str) -> None:
    with pytest.raises(AngkaError) as info:
        parse_angka(text)
    assert fragment in info.value.message
    assert "\n" not in info.value.message


def test_percent_only_when_asked() -> None:
    assert parse_angka("12,5%", persen=True) == D("12.5")
    assert parse_angka("12,5 %", persen=True) == D("12.5")
    assert parse_angka("12,5", persen=True) == D("12.5")


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (D("5319.05"), 2, "5.319,05"),
        (D("5319.045"), 2, "5.319,05"),  # ROUND_HALF_UP, not banker's rounding
        (D("5319.0449"), 2, "5.319,04"),
        (D("-1234567.5"), 0, "-1.234.568"),
        (D("-0.001"), 2, "0,00"),
        (0, 2, "0,00"),
        (999, 0, "999"),
        (1000, 0, "1.000"),
        (0.1, 3, "0,100"),
        (2.675, 2, "2,68"),  # the float's shortest text is 2.675, so it rounds up as typed
        (D("1E+30"), 0, "1.000.000.000.000.000.000.000.000.000.000"),
    ],
)
def test_format_angka(value: Decimal | int | float, decimals: int, expected: str) -> None:
    assert format_angka(value, decimals) == expected


def test_format_rupiah() -> None:
    assert format_rupiah(1500000) == "Rp 1.500.000"
    assert format_rupiah(D("-1500.5")) == "-Rp 1.501"
    assert format_rupiah(D("1500.5"), 2) == "Rp 1.500,50"
    assert parse_angka(format_rupiah(-1500000)) == -1500000


@pytest.mark.parametrize("bad", [D("NaN"), D("Infinity"), float("nan"), float("inf")])
def test_format_refuses_non_finite(bad: Decimal | float) -> None:
    with pytest.raises(ValueError, match="NaN"):
        format_angka(bad)


decimals_in_range = st.integers(min_value=0, max_value=4).flatmap(
    lambda places: st.tuples(
        st.decimals(
            min_value=D("-1e15"), max_value=D("1e15"), places=places, allow_nan=False, allow_infinity=False
        ),
        st.just(places),
    )
)


@given(decimals_in_range)
@example((D("5319.05"), 2))
@example((D("-0.5"), 1))
def test_format_then_parse_round_trips(case: tuple[Decimal, int]) -> None:
    value, places = case
    # At least one decimal: a whole number 1.000-999.999 written without decimals ("5.319") is the
    # ambiguous form the parser refuses (see test_whole_thousands_without_decimals_are_refused).
    shown = format_angka(value, max(places, 1))
    assert parse_angka(shown) == value
    assert parse_angka(format_rupiah(value, max(places, 1))) == value


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_whole_numbers_round_trip_unless_ambiguous(value: int) -> None:
    shown = format_angka(value, 0)
    if 1000 <= abs(value) <= 999_999:
        with pytest.raises(AngkaError, match="ambigu"):
            parse_angka(shown)
    else:
        assert parse_angka(shown) == value
    assert parse_angka(format_rupiah(value)) == value  # "Rp" makes the dot a thousands separator


def test_whole_thousands_without_decimals_are_refused() -> None:
    with pytest.raises(AngkaError):
        parse_angka(format_angka(5319, 0))


AMBIGUOUS = re.compile(r"-?[1-9][0-9]{0,2}\.[0-9]{3}")


@given(
    st.decimals(min_value=D("-1e12"), max_value=D("1e12"), allow_nan=False, allow_infinity=False, places=6)
)
@example(D("5.319"))
@example(D("0.551"))
@example(D("1234.567"))
def test_plain_decimal_text_parses_back_when_unambiguous(value: Decimal) -> None:
    plain = format(value, "f")
    if AMBIGUOUS.fullmatch(plain):
        with pytest.raises(AngkaError, match="ambigu"):
            parse_angka(plain)
    else:
        assert parse_angka(plain) == value
        assert parse_angka(plain.replace(".", ",")) == value


@given(st.text(max_size=60))
@example("5.319.05")
@example("\x00")
@example("Rp")
@example("-")
@example("%")
def test_arbitrary_text_raises_only_angka_error(text: str) -> None:
    try:
        result = parse_angka(text)
    except AngkaError as exc:
        assert exc.message
    else:
        assert result.is_finite()


@given(st.text(alphabet="0123456789.,-+ Rp%", max_size=20))
def test_number_like_text_raises_only_angka_error(text: str) -> None:
    with contextlib.suppress(AngkaError):
        parse_angka(text, persen=True)
