# ruff: noqa: RUF001
"""Public calculator pages: every acceptance row reproduced at published precision through the form
(Indonesian notation), the step-by-step explanation with the actual numbers, hostile input -> 400 with a
message beside each bad field, unknown calculator -> 404."""

import csv
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from rencana.core.numbers import format_angka, parse_angka
from rencana.gender.views_calc import CALCULATORS, compute

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def indonesian() -> Iterator[None]:
    with translation.override("id"):
        yield


def rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def indonesian_notation(text: str) -> str:
    """A CSV number as a planner types it: "11899000" -> "11.899.000", "73.93" -> "73,93"."""
    value = parse_angka(text)
    places = len(text.split(".")[1]) if "." in text else 0
    return format_angka(value, places)


def page(client: Client, nama: str, data: dict[str, str]) -> Any:
    return client.get(reverse("gender:calc", kwargs={"nama": nama}) + "?" + urlencode(data))


def result_of(body: str, label: str) -> str:
    match = re.search(rf"<dt>{label}</dt><dd><strong>([^<]+)</strong>", body)
    assert match, f"no result {label}"
    return match.group(1)


def field_errors(body: str) -> dict[str, str]:
    return dict(re.findall(r'id="err_(\w+)">([^<]*)<', body))


@pytest.mark.parametrize("row", rows("ipm_bps.csv"), ids=lambda r: r["wilayah"])
def test_ipm_rows(client: Client, row: dict[str, str]) -> None:
    data = {f: indonesian_notation(row[f]) for f in ("uhh", "hls", "rls", "pengeluaran")}
    response = page(client, "ipm", data)
    assert response.status_code == 200
    body = response.content.decode()
    assert result_of(body, "IPM") == format_angka(parse_angka(row["ipm_publikasi"]), 2)
    uhh = indonesian_notation(row["uhh"])
    assert f"Indeks kesehatan = (UHH − 20) / (85 − 20) = ({uhh} − 20) / 65 = " in body


@pytest.mark.parametrize("row", rows("ikg_bps.csv"), ids=lambda r: r["wilayah"])
def test_ikg_rows(client: Client, row: dict[str, str]) -> None:
    fields = ("mtf", "mhpk20", "legislatif_l", "legislatif_p", "sma_l", "sma_p", "tpak_l", "tpak_p")
    response = page(client, "ikg", {f: indonesian_notation(row[f]) for f in fields})
    assert response.status_code == 200
    body = response.content.decode()
    assert result_of(body, "IKG") == format_angka(parse_angka(row["ikg_publikasi"]), 3)
    assert "h = √(0,00005 / (MTF × MHPK20))" in body


def plain(text: str) -> str:
    """A CSV number without thousands separators and with a decimal comma: "7905.917421" -> "7905,917421"
    ("33.929" with a dot would be ambiguous, and refused)."""
    return text.replace(".", ",")


@pytest.mark.parametrize("row", rows("gdi_gii_undp_2021.csv"), ids=lambda r: r["iso3"])
def test_gdi_and_gii_rows_in_plain_notation(client: Client, row: dict[str, str]) -> None:
    gdi = {
        f"{sex}_{f}": plain(row[f"{f}_{s}"])
        for sex, s in (("female", "f"), ("male", "m"))
        for f in ("le", "eys", "mys", "gni_pc")
    }
    response = page(client, "gdi", gdi)
    assert response.status_code == 200, field_errors(response.content.decode())
    assert result_of(response.content.decode(), "GDI") == format_angka(parse_angka(row["gdi"]), 3)
    gii_fields = ("mmr", "abr", "pr_f", "pr_m", "se_f", "se_m", "lfpr_f", "lfpr_m")
    gii = {f: plain(row[f]) + ("%" if f.startswith(("pr", "se", "lfpr")) else "") for f in gii_fields}
    response = page(client, "gii", gii)
    assert response.status_code == 200, field_errors(response.content.decode())
    assert result_of(response.content.decode(), "GII") == format_angka(parse_angka(row["gii"]), 3)


def test_ambiguous_dot_is_refused_not_guessed(client: Client) -> None:
    data = {"mmr": "177", "abr": "33.929", "pr_f": "21", "pr_m": "79", "se_f": "51", "se_m": "58"}
    errors = field_errors(page(client, "gii", {**data, "lfpr_f": "53,7", "lfpr_m": "81,7"}).content.decode())
    assert set(errors) == {"abr"} and "ambigu" in errors["abr"]


def test_ipg_equal_components_give_100(client: Client) -> None:
    calculator = CALCULATORS["ipg"]
    body = page(client, "ipg", {f.name: f.contoh for f in calculator.fields}).content.decode()
    assert result_of(body, "IPG") == "100,00"
    assert result_of(body, "IPM perempuan") == "74,39"
    assert "IPG = 100 × IPM perempuan / IPM laki-laki" in body


def test_every_example_link_computes(client: Client) -> None:
    for calculator in CALCULATORS.values():
        response = page(client, calculator.nama, {f.name: f.contoh for f in calculator.fields})
        assert response.status_code == 200, calculator.nama
        assert "Langkah perhitungan" in response.content.decode()


def test_index_and_blank_forms(client: Client) -> None:
    body = client.get(reverse("gender:calc_index")).content.decode()
    for nama in CALCULATORS:
        assert reverse("gender:calc", kwargs={"nama": nama}) in body
    for nama in CALCULATORS:
        assert client.get(reverse("gender:calc", kwargs={"nama": nama})).status_code == 200
        assert client.get(reverse("gender:calc", kwargs={"nama": nama}) + "?q=x&page=-1").status_code == 200
        assert client.get(reverse("gender:calc", kwargs={"nama": nama}) + "?uhh=%00").status_code < 500


@pytest.mark.parametrize("nama", ["xyz", "IPM", "..", "ipm.json"])
def test_unknown_calculator_is_404(client: Client, nama: str) -> None:
    assert client.get(reverse("gender:calc", kwargs={"nama": nama})).status_code == 404


def test_hostile_input_gives_400_with_a_message_per_field(client: Client) -> None:
    response = page(
        client,
        "ikg",
        {
            "mtf": "28",
            "mhpk20": "abc",
            "legislatif_p": "5.319.05",
            "tpak_l": "-1",
            "sma_p": "0",
            "sma_l": "1e9",
        },
    )
    assert response.status_code == 400
    errors = field_errors(response.content.decode())
    assert set(errors) == {
        "mtf",
        "mhpk20",
        "legislatif_p",
        "legislatif_l",
        "sma_p",
        "sma_l",
        "tpak_p",
        "tpak_l",
    }
    assert "proporsi" in errors["mtf"]
    assert "Wajib diisi" in errors["tpak_p"]
    assert "Langkah perhitungan" not in response.content.decode()


@pytest.mark.parametrize(
    ("nama", "data", "field"),
    [
        ("ipm", {"uhh": "19", "hls": "13", "rls": "8", "pengeluaran": "11.899.000"}, "uhh"),
        ("ipm", {"uhh": "70", "hls": "13", "rls": "8", "pengeluaran": "1000"}, "pengeluaran"),
        ("ipm", {"uhh": "70", "hls": "-1", "rls": "8", "pengeluaran": "11.899.000"}, "hls"),
        ("ipm", {"uhh": "9" * 100, "hls": "1", "rls": "1", "pengeluaran": "9" * 101}, "pengeluaran"),
        (
            "gii",
            {
                "mmr": "177",
                "abr": "0",
                "pr_f": "0",
                "pr_m": "100",
                "se_f": "1",
                "se_m": "1",
                "lfpr_f": "1",
                "lfpr_m": "1",
            },
            "abr",
        ),
        (
            "gdi",
            {
                "female_le": "22",
                "female_eys": "1",
                "female_mys": "1",
                "female_gni_pc": "1",
                "male_le": "70",
                "male_eys": "1",
                "male_mys": "1",
                "male_gni_pc": "1",
            },
            "female_le",
        ),
        (
            "ipg",
            {
                "perempuan_uhh": "70",
                "perempuan_hls": "13",
                "perempuan_rls": "8",
                "perempuan_pengeluaran": "11.899.000",
                "laki_laki_uhh": "17,5",
                "laki_laki_hls": "13",
                "laki_laki_rls": "8",
                "laki_laki_pengeluaran": "11.899.000",
            },
            "laki_laki_uhh",
        ),
    ],
)
def test_out_of_range_values_are_named(client: Client, nama: str, data: dict[str, str], field: str) -> None:
    response = page(client, nama, data)
    assert response.status_code == 400
    assert field in field_errors(response.content.decode())


def test_all_zero_gii_shares_do_not_crash(client: Client) -> None:
    data = {
        "mmr": "0",
        "abr": "1e-9",
        "pr_f": "0",
        "pr_m": "0",
        "se_f": "0",
        "se_m": "0",
        "lfpr_f": "0",
        "lfpr_m": "0",
    }
    response = page(client, "gii", data)
    assert response.status_code == 400


def test_gii_with_zero_parliament_share_explains_the_floor(client: Client) -> None:
    data = {
        "mmr": "177",
        "abr": "33,9",
        "pr_f": "0",
        "pr_m": "100",
        "se_f": "51",
        "se_m": "58",
        "lfpr_f": "53,7",
        "lfpr_m": "81,7",
    }
    response = page(client, "gii", data)
    assert response.status_code == 200
    assert "0,1%" in response.content.decode()


def test_compute_is_pure_and_names_each_bad_field() -> None:
    calculator = CALCULATORS["ipm"]
    explained, errors, form_error = compute(
        calculator, {"uhh": "150", "hls": "20", "rls": "20", "pengeluaran": "30.000.000"}
    )
    assert explained is not None and not errors and not form_error  # above the maximum: capped, as BPS does
    assert explained.hasil[0].nilai == "100,00"
    explained, errors, _ = compute(calculator, {"uhh": "10", "hls": "-1", "rls": "x", "pengeluaran": ""})
    assert explained is None
    assert set(errors) == {"uhh", "hls", "rls", "pengeluaran"}


def test_english_page_translates_the_steps(client: Client) -> None:
    with translation.override("en"):
        calculator = CALCULATORS["ipm"]
        explained, _errors, _ = compute(calculator, {f.name: f.contoh for f in calculator.fields})
    assert explained is not None
