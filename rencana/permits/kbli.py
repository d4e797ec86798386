"""KBLI 2020 codes for the NIB preparation: the shipped subset, its loader and a search by description.

KBLI (Klasifikasi Baku Lapangan Usaha Indonesia 2020, Peraturan BPS No. 2 Tahun 2020) gives every
business activity a five-digit code; OSS asks for it when a micro business registers its NIB. The
product ships a subset relevant to micro businesses (`data/kbli_2020_subset.csv`, see
`data/PROVENANCE.md`): it is to be verified in OSS, not a legal reference.

- `kbli_load()` writes the shipped rows into `KbliItem`, idempotently: missing codes are created,
  changed titles/notes updated, unchanged rows and codes not in the file left alone.
- `search(query, entries)` (pure) ranks entries by the words of a description a vendor would type
  ("jualan bakso keliling"): each query word scores against the words of the title, the note and the
  keywords: 3 for the same word, 2 for the same root (Indonesian affixes such as ber-, me-, pe-, -an,
  -kan removed by `root`), 1 when one word begins with the other (at least 4 letters); a word with no
  match scores 0. Entries are ordered by total score, then by how many query words matched, then by
  code; entries scoring 0 are left out. Digits in the query match codes by prefix ("5610" finds
  56101-56109), which outranks words.
- `kbli_search(query)` runs `search` over the `KbliItem` rows, or over the shipped file while the
  table is empty (so the wizard works before anyone has run the loader).
"""

import csv
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db import transaction

DATA_FILE = Path(__file__).resolve().parent / "data" / "kbli_2020_subset.csv"
KODE_RE = re.compile(r"^\d{5}$")
MAX_QUERY = 200
STOPWORDS = frozenset(
    {
        "dan",
        "yang",
        "di",
        "ke",
        "atau",
        "dari",
        "untuk",
        "dengan",
        "serta",
        "saya",
        "kami",
        "usaha",
        "ini",
        "itu",
        "pada",
        "para",
        "lainnya",
        "sejenisnya",
        "bukan",
        "utamanya",
        "berbagai",
        "macam",
        "barang",
        "kbli",
        "mis",
    }
)
_PREFIXES = (
    "meng",
    "meny",
    "mem",
    "men",
    "me",
    "peng",
    "peny",
    "pem",
    "pen",
    "per",
    "pe",
    "ber",
    "ter",
    "di",
    "ke",
)
_SUFFIXES = ("kan", "nya", "an", "i")


@dataclass(frozen=True)
class KbliEntry:
    kode: str
    judul: str
    uraian: str = ""
    kata_kunci: str = ""

    @property
    def label(self) -> str:
        return f"{self.kode} {self.judul}"


@dataclass(frozen=True)
class Match:
    entry: KbliEntry
    score: int
    matched: int


def words(text: str) -> list[str]:
    """Lower-case words of `text`, accents removed, punctuation as spaces, stopwords dropped."""
    folded = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii").lower()
    return [w for w in re.split(r"[^a-z0-9]+", folded) if w and w not in STOPWORDS]


def root(word: str) -> str:
    """A rough Indonesian root: one prefix and one suffix removed while at least 3 letters remain."""
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            word = word[len(prefix) :]
            break
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word


def _word_score(query_word: str, candidates: Sequence[str]) -> int:
    best = 0
    query_root = root(query_word)
    for word in candidates:
        if word == query_word:
            return 3
        if root(word) == query_root:
            best = max(best, 2)
        elif min(len(word), len(query_word)) >= 4 and (
            word.startswith(query_word) or query_word.startswith(word)
        ):
            best = max(best, 1)
    return best


def _entry_words(entry: KbliEntry) -> tuple[str, ...]:
    return tuple(dict.fromkeys(words(f"{entry.judul} {entry.uraian} {entry.kata_kunci}")))


def search(query: str, entries: Iterable[KbliEntry], limit: int = 10) -> list[Match]:
    """Entries matching the words (or code digits) of `query`, best first (see the module docstring)."""
    text = str(query or "").replace("\x00", " ")[:MAX_QUERY]
    digits = [w for w in re.findall(r"\d+", text) if 2 <= len(w) <= 5]
    query_words = [w for w in words(text) if not w.isdigit()]
    if not digits and not query_words:
        return []
    found: list[Match] = []
    for entry in entries:
        score = 0
        matched = 0
        if any(entry.kode.startswith(d) for d in digits):
            score += 10
            matched += 1
        if query_words:
            candidates = _entry_words(entry)
            for word in query_words:
                points = _word_score(word, candidates)
                score += points
                matched += 1 if points else 0
        if score > 0:
            found.append(Match(entry=entry, score=score, matched=matched))
    found.sort(key=lambda m: (-m.score, -m.matched, m.entry.kode))
    return found[: max(0, limit)]


@cache
def shipped_entries() -> tuple[KbliEntry, ...]:
    """The rows of the shipped subset file."""
    with DATA_FILE.open(encoding="utf-8", newline="") as fh:
        return tuple(
            KbliEntry(
                kode=row["kode"].strip(),
                judul=row["judul"].strip(),
                uraian=row["keterangan"].strip(),
                kata_kunci=row["kata_kunci"].strip(),
            )
            for row in csv.DictReader(fh)
        )


def search_text(entry: KbliEntry) -> str:
    """What `KbliItem.cari` stores: the searchable words of title, note and keywords."""
    return " ".join(_entry_words(entry))


@transaction.atomic
def kbli_load() -> dict[str, int]:
    """Write the shipped subset into `KbliItem`; returns counts {"baru", "diubah", "tetap"}."""
    from rencana.permits.models import KbliItem

    existing = {
        item.kode: item for item in KbliItem.objects.filter(kode__in=[e.kode for e in shipped_entries()])
    }
    counts = {"baru": 0, "diubah": 0, "tetap": 0}
    for entry in shipped_entries():
        values = {"judul": entry.judul, "uraian": entry.uraian, "cari": search_text(entry)}
        item = existing.get(entry.kode)
        if item is None:
            KbliItem.objects.create(kode=entry.kode, **values)
            counts["baru"] += 1
        elif any(getattr(item, k) != v for k, v in values.items()):
            KbliItem.objects.filter(kode=entry.kode).update(**values)
            counts["diubah"] += 1
        else:
            counts["tetap"] += 1
    return counts


def _entries() -> list[KbliEntry]:
    from rencana.permits.models import KbliItem

    rows = list(KbliItem.objects.values_list("kode", "judul", "uraian", "cari"))
    if not rows:
        return list(shipped_entries())
    return [KbliEntry(kode=k, judul=j, uraian=u, kata_kunci=c) for k, j, u, c in rows]


def kbli_search(query: str, limit: int = 10) -> list[Match]:
    """`search` over the loaded KBLI items (the shipped file while none are loaded)."""
    return search(query, _entries(), limit=limit)


def kbli_title(kode: str) -> str:
    """The title of `kode` from the loaded items or the shipped file; "" when unknown."""
    from rencana.permits.models import KbliItem

    if not KODE_RE.match(kode or ""):
        return ""
    title = KbliItem.objects.filter(kode=kode).values_list("judul", flat=True).first()
    if title:
        return str(title)
    return next((e.judul for e in shipped_entries() if e.kode == kode), "")
