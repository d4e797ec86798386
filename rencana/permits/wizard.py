"""The guided application (wizard): its steps, and which step fixes which checklist item. Pure (no ORM).

One step per screen, in plain Indonesian for low-literacy applicants and their facilitators (issue 7,
item 3). The steps follow the applicant kind of the permit type (`PermitDefinition.jenis_pemohon`):

- kelompok (HKm): *kelompok* (group and members) -> *areal* (managed area and map) -> *rencana* (work
  plan) -> *dokumen* (documents) -> *periksa* (check and submit);
- usaha (NIB): *usaha* (business and owner, OSS account) -> *kbli* (activity code found by describing the
  business) -> *lokasi* (location and capital) -> *pernyataan* (self-declaration) -> [*dokumen*, when the
  drafting stage names documents] -> *periksa*.

`step_for_item` maps a checklist item code ("pemohon", "anggota", "isian:<field>", "dokumen:<code>") to
the step where it is filled, so the check page links each missing item to its screen. A field not named
by any step goes to *periksa*. `clean_work_plan` keeps the non-empty rows of the work-plan table.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MAX_WORK_ROWS = 20
WORK_COLUMNS = ("kegiatan", "waktu", "target", "keterangan")
WORK_TEXT_MAX = 300
PERIKSA = "periksa"
DOKUMEN = "dokumen"


@dataclass(frozen=True)
class Step:
    kode: str
    judul: str | Promise
    petunjuk: str | Promise
    isian: tuple[str, ...] = ()
    # Checklist item codes (besides "isian:<field>") that this step fixes.
    items: tuple[str, ...] = ()


KELOMPOK = Step(
    "kelompok",
    _("Kelompok dan anggota"),
    _("Periksa data kelompok. Tambahkan semua anggota dengan NIK dari KTP atau KK."),
    items=("pemohon", "anggota"),
)
AREAL = Step(
    "areal",
    _("Areal dan peta"),
    _("Tulis luas dan letak lahan yang dimohon. Peta batas lahan diunggah di halaman peta."),
    isian=("kawasan", "luas_dinyatakan", "lokasi_areal"),
    items=("peta",),
)
RENCANA = Step(
    "rencana",
    _("Rencana kerja"),
    _("Tulis apa yang akan kelompok kerjakan di lahan itu, dan kapan."),
    isian=("rencana_kerja", "rencana_kegiatan", "kepada"),
)
USAHA = Step(
    "usaha",
    _("Data usaha"),
    _("Tulis nama usaha dan data pemilik sesuai KTP. Siapkan email dan nomor HP untuk akun OSS."),
    isian=("nama_usaha", "pemilik", "nik", "jenis_kelamin", "telepon", "akun_oss"),
    items=("pemohon",),
)
KBLI = Step(
    "kbli",
    _("Jenis usaha (KBLI)"),
    _("Ceritakan usaha Anda dengan kata-kata sendiri, lalu pilih kode yang paling cocok."),
    isian=("kbli", "uraian_usaha"),
)
LOKASI = Step(
    "lokasi",
    _("Lokasi dan modal"),
    _("Tulis tempat berjualan dan modal usaha (tanpa tanah dan bangunan)."),
    isian=("lokasi", "alamat", "pasar", "modal"),
)
PERNYATAAN = Step(
    "pernyataan",
    _("Pernyataan mandiri"),
    _("Baca setiap pernyataan. Centang bila Anda sanggup memenuhinya."),
    isian=("pernyataan_mandiri",),
)
DOKUMEN_STEP = Step(
    DOKUMEN,
    _("Dokumen"),
    _("Unggah foto atau pindaian setiap dokumen. Satu dokumen boleh beberapa foto."),
)
PERIKSA_STEP = Step(
    PERIKSA,
    _("Periksa dan ajukan"),
    _("Lihat apa yang masih kurang. Tombol ajukan aktif bila semua sudah lengkap."),
)


def steps_for(jenis_pemohon: str, *, has_documents: bool) -> tuple[Step, ...]:
    """The wizard's steps for an applicant kind ("kelompok" or "usaha")."""
    if jenis_pemohon == "usaha":
        middle: tuple[Step, ...] = (USAHA, KBLI, LOKASI, PERNYATAAN)
    else:
        middle = (KELOMPOK, AREAL, RENCANA)
    return (*middle, *((DOKUMEN_STEP,) if has_documents else ()), PERIKSA_STEP)


def find_step(steps: Sequence[Step], kode: str) -> Step | None:
    return next((s for s in steps if s.kode == kode), None)


def neighbours(steps: Sequence[Step], kode: str) -> tuple[Step | None, Step | None]:
    """(previous step, next step) of `kode`."""
    codes = [s.kode for s in steps]
    if kode not in codes:
        return None, None
    index = codes.index(kode)
    before = steps[index - 1] if index > 0 else None
    after = steps[index + 1] if index + 1 < len(steps) else None
    return before, after


def step_for_item(steps: Sequence[Step], item_kode: str, *, peta_documents: Iterable[str] = ()) -> str:
    """The step that fixes checklist item `item_kode` (see the module docstring)."""
    codes = {s.kode for s in steps}
    if item_kode.startswith("isian:"):
        field = item_kode.split(":", 1)[1]
        for step in steps:
            if field in step.isian:
                return step.kode
        return PERIKSA
    if item_kode.startswith("dokumen:"):
        document = item_kode.split(":", 1)[1]
        if document in set(peta_documents) and "areal" in codes:
            return "areal"
        return DOKUMEN if DOKUMEN in codes else PERIKSA
    for step in steps:
        if item_kode in step.items:
            return step.kode
    return PERIKSA


def _cell(value: Any) -> str:
    text = "".join(ch for ch in str(value or "") if ch >= " ")
    return " ".join(text.split())[:WORK_TEXT_MAX]


def clean_work_plan(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    """The work-plan rows with at least one cell filled, trimmed, at most `MAX_WORK_ROWS`."""
    kept: list[dict[str, str]] = []
    for row in rows:
        cells = {column: _cell(row.get(column)) for column in WORK_COLUMNS}
        if any(cells.values()):
            kept.append(cells)
        if len(kept) >= MAX_WORK_ROWS:
            break
    return kept


def work_plan_rows(data: Mapping[str, Any]) -> list[dict[str, str]]:
    """The stored work-plan rows of an application's answers (tolerant of hand-edited data)."""
    raw = data.get("rencana_kegiatan") if isinstance(data, Mapping) else None
    if not isinstance(raw, list):
        return []
    return clean_work_plan(r for r in raw if isinstance(r, Mapping))
