"""Outreach calculator for `rencana calc` (discovered by `rencana.core.calculators.discover`).

`outreach`: `{"butir": [{"sebelum": 35, "sesudah": 100}, {"sebelum": 10, "sesudah": 65}]}` (before and after
percentages of each knowledge item, 0–100) ->

    {"butir": [{"nomor": 1, "sebelum": 35, "sesudah": 100, "gain": 65, "gain_ternormalisasi": 1,
                "kategori": "tinggi", "alasan": null}, ...],
     "rata_rata": {"sebelum": 22.5, "sesudah": 82.5, "gain": 60, "gain_ternormalisasi": 0.81,
                   "butir_gain_ternormalisasi": 2, "kategori": "tinggi"},
     "gain_ternormalisasi_kelas": 0.77, "kategori_kelas": "tinggi",
     "pembulatan": "2 desimal, ROUND_HALF_UP"}

`gain` = sesudah - sebelum (points); `gain_ternormalisasi` g = (sesudah - sebelum) / (100 - sebelum),
null with `alasan` "tidak terdefinisi: sebelum 100%" when sebelum is 100; `kategori` is Hake's band
(tinggi g ≥ 0,7, sedang ≥ 0,3, rendah). `rata_rata` holds the means over the items (g over the items
where it is defined); `gain_ternormalisasi_kelas` is Hake's class g of the two means. Method and
rounding: `rencana.outreach.stats`.

Optional `"kepuasan": [4.63, 4.62, ...]` (Likert item means, 1–5) adds
`"kepuasan": {"butir": 6, "rata_rata": 4.7}`: the mean of the item means (the study's overall satisfaction).

A missing field, a value that is not a JSON number, or one outside its range is a `CalcInputError` naming the
field with its JSON path, items counted from 0 as in `jq` (`butir[2].sebelum` is the third item).
"""

from decimal import Decimal
from typing import Any

from rencana.core.calculators import CalcInputError, register
from rencana.outreach import stats

MAX_ITEMS = 1000
ALASAN_TEXT = {
    stats.ALASAN_SEBELUM_100: "tidak terdefinisi: sebelum 100%",
    stats.ALASAN_TANPA_DATA: "tidak dapat dihitung: sebelum atau sesudah kosong",
}


def _position(path: str) -> str:
    """ "butir[2].sebelum" -> " (butir ke-3)" for people who count from 1."""
    if "[" not in path:
        return ""
    index = path.split("[", 1)[1].split("]", 1)[0]
    return f" (butir ke-{int(index) + 1})" if index.isdigit() else ""


def _number(value: Any, path: str, low: int, high: int, unit: str = "") -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise CalcInputError(
            f"Isian “{path}”{_position(path)} harus berupa angka JSON (mis. 35), bukan teks atau nilai lain."
        )
    number = Decimal(value)
    if not number.is_finite():
        raise CalcInputError(f"Isian “{path}”{_position(path)} harus berupa angka terhingga.")
    if number < low or number > high:
        raise CalcInputError(
            f"Isian “{path}”{_position(path)} harus antara {low} dan {high}{unit}, bukan {value}."
        )
    return number


def _list(data: dict[str, Any], field: str, *, required: bool) -> list[Any] | None:
    if field not in data:
        if required:
            example = '{"butir": [{"sebelum": 35, "sesudah": 100}]}'
            raise CalcInputError(f"Isian “{field}” wajib ada pada masukan, mis. {example}.")
        return None
    value = data[field]
    if not isinstance(value, list):
        raise CalcInputError(f"Isian “{field}” harus berupa daftar JSON ([...]).")
    if not value:
        raise CalcInputError(f"Isian “{field}” tidak boleh kosong: isi paling sedikit satu butir.")
    if len(value) > MAX_ITEMS:
        raise CalcInputError(f"Isian “{field}” paling banyak {MAX_ITEMS} butir (terisi {len(value)}).")
    return value


def _item(raw: Any, index: int) -> tuple[Decimal, Decimal]:
    path = f"butir[{index}]"
    if not isinstance(raw, dict):
        raise CalcInputError(
            f'Isian “{path}”{_position(path)} harus berupa objek, mis. {{"sebelum": 35, "sesudah": 100}}.'
        )
    values = []
    for field in ("sebelum", "sesudah"):
        if field not in raw:
            raise CalcInputError(f"Isian “{path}.{field}”{_position(path)} wajib ada.")
        values.append(_number(raw[field], f"{path}.{field}", 0, 100, "%"))
    return values[0], values[1]


def _gain_json(number: int, gain: stats.Gain) -> dict[str, Any]:
    return {
        "nomor": number,
        "sebelum": gain.sebelum,
        "sesudah": gain.sesudah,
        "gain": gain.gain,
        "gain_ternormalisasi": gain.g,
        "kategori": gain.kategori,
        "alasan": ALASAN_TEXT.get(gain.alasan) if gain.alasan else None,
    }


@register(
    "outreach",
    'Gain dan gain ternormalisasi per butir sosialisasi: {"butir": [{"sebelum": 35, "sesudah": 100}, ...]}.',
)
def outreach_calc(data: dict[str, Any]) -> dict[str, Any]:
    """`{"butir": [{"sebelum", "sesudah"}, ...], "kepuasan"?: [...]}` -> gains and averages (see above)."""
    raw_items = _list(data, "butir", required=True)
    assert raw_items is not None
    pairs = [_item(raw, index) for index, raw in enumerate(raw_items)]
    raw_means = _list(data, "kepuasan", required=False)
    means = (
        [_number(raw, f"kepuasan[{index}]", 1, 5) for index, raw in enumerate(raw_means)]
        if raw_means is not None
        else None
    )
    gains = [stats.gain_of(before, after) for before, after in pairs]
    summary = stats.summarize_gains(gains)
    result: dict[str, Any] = {
        "butir": [_gain_json(number, gain) for number, gain in enumerate(gains, start=1)],
        "rata_rata": {
            "sebelum": summary.sebelum,
            "sesudah": summary.sesudah,
            "gain": summary.gain,
            "gain_ternormalisasi": summary.g,
            "butir_gain_ternormalisasi": summary.g_butir,
            "kategori": summary.g_kategori,
        },
        "gain_ternormalisasi_kelas": summary.g_kelas,
        "kategori_kelas": summary.g_kelas_kategori,
        "pembulatan": "2 desimal, ROUND_HALF_UP",
    }
    if means is not None:
        result["kepuasan"] = {"butir": len(means), "rata_rata": stats.overall_mean(means)}
    return result
