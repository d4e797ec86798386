"""The shape rules of plan documents, as data (DESIGN.md; Permendagri 86/2017 on the cascade).

- *Kaskade dokumen*: RPJPD (20 years) > RPJMD (5) > Renstra OPD (5); RPJMD > RKPD (1) > Renja OPD (1).
- *Simpul strategis*: visi > misi > tujuan > sasaran > strategi > arah kebijakan (an arah kebijakan may
  also sit directly under a sasaran, and in an RPJPD under a misi).
- *Simpul anggaran*: program > kegiatan > sub-kegiatan, each with a Permendagri 90 code; they serve
  sasaran through links, not through the tree.
- *Tahap*: rancangan awal > rancangan > musrenbang > rancangan akhir > ditetapkan; one step forward
  or back, and an adopted (ditetapkan) document is locked: a change is a new version (perubahan).
"""

from dataclasses import dataclass

PERIOD_YEARS = {"RPJPD": 20, "RPJMD": 5, "RENSTRA": 5, "RKPD": 1, "RENJA": 1}
PARENT_KIND = {"RPJPD": None, "RPJMD": "RPJPD", "RENSTRA": "RPJMD", "RKPD": "RPJMD", "RENJA": "RKPD"}
OPD_DOCUMENTS = frozenset({"RENSTRA", "RENJA"})

STRATEGIC_KINDS = ("visi", "misi", "tujuan", "sasaran", "strategi", "arah_kebijakan")
BUDGET_KINDS = ("program", "kegiatan", "sub_kegiatan")
INDICATOR_KINDS = frozenset({"tujuan", "sasaran", "program", "kegiatan", "sub_kegiatan"})
ROOT_KINDS = frozenset({"visi", "misi", "program"})

CHILD_KINDS: dict[str | None, tuple[str, ...]] = {
    None: ("visi", "misi", "program"),
    "visi": ("misi",),
    "misi": ("tujuan", "arah_kebijakan"),
    "tujuan": ("sasaran",),
    "sasaran": ("strategi", "arah_kebijakan"),
    "strategi": ("arah_kebijakan",),
    "arah_kebijakan": (),
    "program": ("kegiatan",),
    "kegiatan": ("sub_kegiatan",),
    "sub_kegiatan": (),
}

DOCUMENT_KINDS_ALLOWED: dict[str, frozenset[str]] = {
    "RPJPD": frozenset({"visi", "misi", "tujuan", "sasaran", "arah_kebijakan"}),
    "RPJMD": frozenset({*STRATEGIC_KINDS, "program"}),
    "RENSTRA": frozenset({"tujuan", "sasaran", "strategi", "arah_kebijakan", *BUDGET_KINDS}),
    "RKPD": frozenset(BUDGET_KINDS),
    "RENJA": frozenset(BUDGET_KINDS),
}

STAGES = ("rancangan_awal", "rancangan", "musrenbang", "rancangan_akhir", "ditetapkan")
ADOPTED = "ditetapkan"


def allowed_children(document_kind: str, parent_kind: str | None) -> tuple[str, ...]:
    """Kinds of node that may be added under `parent_kind` (None = at the top) in a document."""
    allowed = DOCUMENT_KINDS_ALLOWED[document_kind]
    kinds = tuple(k for k in CHILD_KINDS[parent_kind] if k in allowed)
    # A Renstra starts at tujuan (the OPD's goals serve the RPJMD's sasaran).
    if parent_kind is None and document_kind == "RENSTRA":
        kinds = ("tujuan", "program")
    return kinds


def is_budget(kind: str) -> bool:
    return kind in BUDGET_KINDS


@dataclass(frozen=True)
class StageMove:
    allowed: bool
    reason: str = ""


def stage_move(current: str, target: str) -> StageMove:
    """Whether a document may go from stage `current` to `target` (one step, never out of ditetapkan)."""
    if current == ADOPTED:
        return StageMove(False, "ditetapkan")
    if target not in STAGES or current not in STAGES:
        return StageMove(False, "tidak_dikenal")
    if abs(STAGES.index(target) - STAGES.index(current)) != 1:
        return StageMove(False, "lompat")
    return StageMove(True)


def period_end(document_kind: str, start_year: int) -> int:
    return start_year + PERIOD_YEARS[document_kind] - 1
