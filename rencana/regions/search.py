"""Region search over the Kemendagri code list (kode wilayah, edition loaded by `rencana regions load`).

Two kinds of query:

- a code or code prefix ("35", "35.75", "35.75.0"): an index range on the primary key
  (`kode >= q AND kode < q || U+FFFF`), shallow codes first;
- words ("kota pasuruan", "sukamaju"): every word must be the start of a word of the region's
  search key; each word is a prefix range on the indexed `RegionSearchToken.token`. Ranking:
  the level implied by a leading "kota"/"kabupaten" first, then exact name, name prefix, other
  matches; within each, higher levels first (provinsi, kabupaten/kota, kecamatan, desa/kelurahan).

On SQLite the prefixes are index ranges (BINARY collation compares bytes); on PostgreSQL they are
`LIKE 'prefix%'` served by `varchar_pattern_ops` indexes, correct whatever the database collation.
Measured latency: docs/benchmarks.md, section "Wilayah".
"""

from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Length

from rencana.regions import editions
from rencana.regions.models import Region, RegionSearchToken

MAX_QUERY = 100
MAX_WORDS = 6
MAX_LIMIT = 100
# Highest code point of the Basic Multilingual Plane: sorts after every character of codes and words.
_TOP = "\uffff"

_LEVEL_RANK = Case(
    *(When(level=level, then=Value(rank)) for level, rank in editions.LEVEL_RANK.items()),
    default=Value(9),
    output_field=IntegerField(),
)


def _prefix_range(field: str, prefix: str) -> Q:
    if connection.vendor == "postgresql":
        # LIKE 'prefix%' is right under any collation and uses the varchar_pattern_ops indexes of
        # migration 0003; a range on a linguistic collation (en_US, id_ID) would mis-order "." and "-".
        return Q(**{f"{field}__startswith": prefix})
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + _TOP})


def _scoped(qs: QuerySet[Region], level: str | None, parent: str | None) -> QuerySet[Region]:
    if level:
        qs = qs.filter(level=level)
    if parent:
        qs = qs.filter(parent_id=parent)
    return qs


def region_search(
    q: str, *, level: str | None = None, parent: str | None = None, limit: int = 20
) -> list[Region]:
    """Regions matching `q` (code prefix or words), best first; [] for empty or unusable input."""
    limit = max(1, min(int(limit), MAX_LIMIT))
    if level and level not in editions.LEVELS:
        return []
    text = (q or "")[:MAX_QUERY].strip()
    if parent is not None:
        parent = parent.strip()[:13] or None
        if parent is not None and not editions.looks_like_code(parent):
            return []
    if not text:
        return []
    qs = Region.objects.select_related("parent")
    if editions.looks_like_code(text):
        matches = _scoped(qs.filter(_prefix_range("kode", text)), level, parent)
        return list(matches.order_by(Length("kode"), "kode")[:limit])

    key, implied_level = editions.strip_admin_prefix(editions.normalize(text))
    words = [word[:40] for word in editions.tokens(key)][:MAX_WORDS]
    if not words:
        return []
    for word in words:
        qs = qs.filter(
            kode__in=RegionSearchToken.objects.filter(_prefix_range("token", word)).values("region_id")
        )
    qs = _scoped(qs, level, parent)
    closeness = Case(
        When(nama_cari=key, then=Value(0)),
        When(nama_cari__startswith=key, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    ordering: list[Case] = [closeness, _LEVEL_RANK]
    if implied_level is not None:
        # "kota batu" prefers Kota Batu to the kecamatan Batu.
        ordering.insert(
            0, Case(When(level=implied_level, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
    return list(qs.order_by(*ordering, "nama_cari", "kode")[:limit])


def region_get(kode: str) -> Region | None:
    """One region with its parent, or None."""
    return Region.objects.select_related("parent").filter(kode=kode[:13]).first()


def region_ancestors(region: Region) -> list[Region]:
    """Provinsi down to the direct parent of `region` (codes are hierarchical: one query)."""
    parts = region.kode.split(".")
    codes = [".".join(parts[:i]) for i in range(1, len(parts))]
    if not codes:
        return []
    return list(Region.objects.filter(kode__in=codes).order_by(Length("kode")))


def region_children(region: Region) -> QuerySet[Region]:
    return Region.objects.filter(parent_id=region.kode).order_by("kode")
