from datetime import date

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from rencana.core.dates import MAX_YEAR, MIN_YEAR, TanggalError, format_tanggal, parse_tanggal

NOV_21 = date(2026, 11, 21)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("21/11/2026", NOV_21),
        ("21-11-2026", NOV_21),
        ("21.11.2026", NOV_21),
        ("2026-11-21", NOV_21),
        ("2026/11/21", NOV_21),
        ("21 November 2026", NOV_21),
        ("21 november 2026", NOV_21),
        ("21 NOVEMBER 2026", NOV_21),
        ("21 Nov 2026", NOV_21),
        ("21 Nov. 2026", NOV_21),
        ("21-Nov-2026", NOV_21),
        ("  21   Nopember  2026 ", NOV_21),
        ("3/4/2026", date(2026, 4, 3)),  # day first: 3 April, never March 4
        ("03/04/2026", date(2026, 4, 3)),
        ("1 Januari 2026", date(2026, 1, 1)),
        ("1 Mei 2026", date(2026, 5, 1)),
        ("1 May 2026", date(2026, 5, 1)),
        ("17 Agustus 1945", date(1945, 8, 17)),
        ("17 Agu 1945", date(1945, 8, 17)),
        ("17 Agt 1945", date(1945, 8, 17)),
        ("17 Ags 1945", date(1945, 8, 17)),
        ("17 Aug 1945", date(1945, 8, 17)),
        ("1 Sep 2026", date(2026, 9, 1)),
        ("1 Sept 2026", date(2026, 9, 1)),
        ("1 Okt 2026", date(2026, 10, 1)),
        ("25 Des 2026", date(2026, 12, 25)),
        ("29 Februari 2028", date(2028, 2, 29)),
    ],
)
def test_accepted_forms(text: str, expected: date) -> None:
    assert parse_tanggal(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("31/02/2026", "tidak ada di kalender"),
        ("29 Februari 2026", "tidak ada di kalender"),
        ("21/13/2026", "bulan 13 tidak ada"),
        ("11/21/2026", "hari, bulan, tahun"),  # US order is refused, not swapped
        ("21/11/26", "empat angka"),
        ("21 Foo 2026", "tidak dikenal"),
        ("1/1/1800", "antara 1900 dan 2100"),
        ("", "kosong"),
        ("besok", "bukan tanggal"),
        ("21/11-2026", "bukan tanggal"),
        ("2026-11-21T10:00", "bukan tanggal"),
        ("x" * 50, "terlalu panjang"),
    ],
)
def test_rejected_forms_say_why(text: str, fragment: str) -> None:
    with pytest.raises(TanggalError) as info:
        parse_tanggal(text)
    assert fragment in info.value.message


def test_format_tanggal() -> None:
    assert format_tanggal(NOV_21) == "21 November 2026"
    assert format_tanggal(date(2026, 1, 5)) == "5 Januari 2026"


dates = st.dates(min_value=date(MIN_YEAR, 1, 1), max_value=date(MAX_YEAR, 12, 31))


@given(dates)
def test_round_trips(value: date) -> None:
    assert parse_tanggal(format_tanggal(value)) == value
    assert parse_tanggal(value.isoformat()) == value
    assert parse_tanggal(value.strftime("%d/%m/%Y")) == value
    assert parse_tanggal(value.strftime("%d-%m-%Y")) == value
    abbreviated = format_tanggal(value).split()
    abbreviated[1] = abbreviated[1][:3]
    assert parse_tanggal(" ".join(abbreviated).upper()) == value


@given(st.text(max_size=40))
@example("31/02/2026")
@example("99/99/9999")
@example("0/0/0")
def test_arbitrary_text_raises_only_tanggal_error(text: str) -> None:
    try:
        parse_tanggal(text)
    except TanggalError as exc:
        assert exc.message
