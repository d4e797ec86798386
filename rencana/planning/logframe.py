"""The logframe checker: proves (or disproves) that every activity of a plan document traces to a goal.

Pure: plain dataclasses in, plain dataclasses out; no database. `selectors.logframe_input` builds the input.

Terms
- *Simpul anggaran* (budget node): program, kegiatan, sub_kegiatan; *anak anggaran*: a budget child.
- *Tertelusur* (traced): a budget node that, or one of whose ancestors, links to a sasaran id in
  `known_sasaran_ids` (sasaran of this document and its parents).
- *Simpul daun anggaran* (leaf budget node): a budget node without budget children; pagu is counted there,
  summed over the years of the document (`tahun`). Its OPD is its own or the nearest ancestor's.
- *Indikator lengkap*: a non-blank satuan, a baseline year and value, and a target for every year.

Rules (code: severity)
1. misi_tanpa_tujuan (error): a misi without a tujuan child.
2. tanpa_indikator (error): a tujuan or sasaran without an indicator.
3. indikator_tanpa_satuan (error); indikator_tanpa_baseline (warning: year or value missing);
   indikator_tanpa_target (error: names the years of the period without a target).
4. target_berlawanan_polaritas (warning): consecutive values (baseline first when it precedes the targets,
   then the targets of the period in year order) that fall for a positif or rise for a negatif indicator.
5. tidak_tertaut_sasaran (error): an untraced budget node, reported only at the top of each wholly untraced
   subtree (a node with a traced descendant is not reported; its untraced parts are), with the number of
   sub-kegiatan below; tautan_sasaran_rusak (error): a link to a sasaran id outside `known_sasaran_ids`.
6. sub_kegiatan_tanpa_indikator_output (error); sub_kegiatan_tanpa_pagu (error: no pagu > 0 in any year).
7. program_tidak_ada_di_induk (error, RKPD) and sub_kegiatan_tidak_ada_di_induk (error, RENJA): a code that
   the parent document does not have; an empty parent set gives one induk_tanpa_program /
   induk_tanpa_sub_kegiatan warning instead (only when the document has such coded nodes).
8. pagu_anak_melebihi_induk (error): in a year where a budget node has pagu > 0, its budget children's pagu
   sum exceeds it (one finding per node, listing years and excess).
9. kode_ganda (error): several nodes share (jenis, kode, OPD); the OPD is inherited from the nearest ancestor
   when a node has none. One finding per group, on the first node.
10. With a nomenclature only, for coded budget nodes: kode_luar_nomenklatur (error; info when the planner
    marked the node luar_nomenklatur), kode_tingkat_salah (error: the code is of another level),
    kode_induk_salah (error: the parent budget node's code is not the entry's kode_induk; checked only when
    the level is right).
11. tanpa_kode (warning): a budget node without a code.

Findings are sorted by severity (error, warning, info), then by the input order of their node (document-wide
findings first); the tree walk is linear in the number of nodes and indicators.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from itertools import pairwise
from types import MappingProxyType
from typing import Any

from django.utils.translation import gettext as _

BUDGET_KINDS = frozenset({"program", "kegiatan", "sub_kegiatan"})
LABEL_LENGTH = 120
NAME_IN_MESSAGE_LENGTH = 60
ZERO = Decimal(0)
CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def _empty_pagu() -> Mapping[int, Decimal]:
    return MappingProxyType({})


# --- input ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NodeData:
    id: int
    jenis: str  # "visi", "misi", "tujuan", "sasaran", "strategi", "arah_kebijakan", "program", ...
    kode: str  # "" when none
    nama: str
    induk_id: int | None  # parent node id within the same document
    opd_id: int | None = None
    opd_nama: str = ""
    sasaran_ids: tuple[int, ...] = ()  # sasaran this node serves (budget nodes only)
    pagu: Mapping[int, Decimal] = field(default_factory=_empty_pagu)  # year -> pagu
    luar_nomenklatur: bool = False  # the planner marked the code as deliberately outside the nomenclature


@dataclass(frozen=True)
class IndicatorData:
    id: int
    node_id: int
    nama: str
    satuan: str
    polaritas: str  # "positif" | "negatif"
    jenis: str  # "outcome" | "output"
    baseline_tahun: int | None
    baseline_nilai: Decimal | None
    targets: Mapping[int, Decimal]  # year -> target


@dataclass(frozen=True)
class NomenclatureEntry:
    kode: str
    level: str  # "urusan", "bidang", "program", "kegiatan", "sub_kegiatan"
    kode_induk: str
    nama: str


@dataclass(frozen=True)
class DocumentData:
    id: int
    jenis: str  # "RPJPD", "RPJMD", "RENSTRA", "RKPD", "RENJA"
    nama: str
    tahun: tuple[int, ...]  # every year of the period
    nodes: tuple[NodeData, ...]
    indicators: tuple[IndicatorData, ...]
    known_sasaran_ids: frozenset[int] = frozenset()  # sasaran of this document and its parents
    parent_jenis: str = ""  # "" when there is no parent document
    parent_program_codes: frozenset[str] | None = None  # RKPD: program codes of its RPJMD
    parent_sub_kegiatan_codes: frozenset[str] | None = None  # RENJA: sub-kegiatan codes of its RKPD
    nomenclature: Mapping[str, NomenclatureEntry] | None = None  # None = skip the code checks


# --- output -----------------------------------------------------------------------------------------


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


SEVERITY_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True)
class Finding:
    rule: str  # stable rule code, e.g. "misi_tanpa_tujuan"
    severity: Severity
    node_id: int | None
    node_label: str  # jenis label + kode + nama, at most LABEL_LENGTH characters
    message: str  # what is wrong, naming the node
    fix: str  # how to fix it
    indicator_id: int | None = None
    opd_nama: str = ""


@dataclass(frozen=True)
class OpdScore:
    opd_nama: str  # "" = nodes without an OPD
    pagu_total: Decimal
    pagu_traceable: Decimal
    pct_pagu_traceable: Decimal | None


@dataclass(frozen=True)
class CheckResult:
    document_id: int
    findings: tuple[Finding, ...]
    pagu_total: Decimal
    pagu_traceable: Decimal
    pct_pagu_traceable: Decimal | None
    indicators_total: int
    indicators_complete: int
    pct_indicators_complete: Decimal | None
    per_opd: tuple[OpdScore, ...]

    def counts(self) -> dict[str, int]:
        counts = {severity.value: 0 for severity in Severity}
        for finding in self.findings:
            counts[finding.severity.value] += 1
        return counts


# --- formatting -------------------------------------------------------------------------------------


def _group_thousands(digits: str) -> str:
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return ".".join(groups)


def _rupiah(value: Decimal) -> str:
    """Money in Indonesian notation: "Rp1.250.000.000", cents only when there are any ("Rp12,50")."""
    amount = value.quantize(CENT, rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    whole, _dot, cents = f"{abs(amount):f}".partition(".")
    text = f"{sign}Rp{_group_thousands(whole)}"
    return f"{text},{cents}" if cents.strip("0") else text


def _angka(value: Decimal, *, keep_zeros: bool = False) -> str:
    """A number in Indonesian notation, without trailing zeros unless asked: "1.234,5"."""
    if not value.is_finite():
        return str(value)
    sign = "-" if value < 0 else ""
    whole, _dot, fraction = f"{abs(value):f}".partition(".")
    if not keep_zeros:
        fraction = fraction.rstrip("0")
    text = f"{sign}{_group_thousands(whole)}"
    return f"{text},{fraction}" if fraction else text


def _persen(value: Decimal | None) -> str:
    return "-" if value is None else _angka(value.quantize(CENT), keep_zeros=True) + "%"


def _pct(part: Decimal, total: Decimal) -> Decimal | None:
    if total == 0:
        return None
    return (HUNDRED * part / total).quantize(CENT, rounding=ROUND_HALF_UP)


def _trim(text: str, length: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _years(years: Iterable[int]) -> str:
    return ", ".join(str(y) for y in years)


def _jenis_labels() -> dict[str, str]:
    return {
        "visi": _("Visi"),
        "misi": _("Misi"),
        "tujuan": _("Tujuan"),
        "sasaran": _("Sasaran"),
        "strategi": _("Strategi"),
        "arah_kebijakan": _("Arah kebijakan"),
        "program": _("Program"),
        "kegiatan": _("Kegiatan"),
        "sub_kegiatan": _("Sub-kegiatan"),
        "urusan": _("Urusan"),
        "bidang": _("Bidang urusan"),
    }


def _texts() -> dict[str, str]:
    """Every message and fix, translated once per check ("<rule>[:<variant>]:pesan" / ":perbaiki")."""
    return {
        "misi_tanpa_tujuan:pesan": _("%(simpul)s belum memiliki tujuan."),
        "misi_tanpa_tujuan:perbaiki": _(
            "Tambahkan minimal satu tujuan di bawah misi ini, atau hapus misi bila tidak dipakai."
        ),
        "tanpa_indikator:pesan": _("%(simpul)s belum memiliki indikator."),
        "tanpa_indikator:perbaiki": _(
            "Tambahkan indikator kinerja yang terukur, lengkap dengan satuan, baseline, dan target setiap "
            "tahun periode."
        ),
        "indikator_tanpa_satuan:pesan": _("Indikator “%(indikator)s” pada %(simpul)s belum memiliki satuan."),
        "indikator_tanpa_satuan:perbaiki": _("Isi satuan indikator, misalnya persen, orang, unit, atau km."),
        "indikator_tanpa_baseline:pesan": _(
            "Indikator “%(indikator)s” pada %(simpul)s belum memiliki baseline (tahun dan nilai)."
        ),
        "indikator_tanpa_baseline:perbaiki": _(
            "Isi tahun dan nilai baseline, yaitu capaian terakhir sebelum periode dokumen dimulai."
        ),
        "indikator_tanpa_target:pesan": _(
            "Indikator “%(indikator)s” pada %(simpul)s belum memiliki target untuk tahun %(tahun)s."
        ),
        "indikator_tanpa_target:perbaiki": _("Isi target indikator untuk setiap tahun periode dokumen."),
        "target_berlawanan_polaritas:positif:pesan": _(
            "Target indikator “%(indikator)s” pada %(simpul)s turun padahal polaritasnya positif "
            "(makin tinggi makin baik): %(tahun)s."
        ),
        "target_berlawanan_polaritas:negatif:pesan": _(
            "Target indikator “%(indikator)s” pada %(simpul)s naik padahal polaritasnya negatif "
            "(makin rendah makin baik): %(tahun)s."
        ),
        "target_berlawanan_polaritas:perbaiki": _(
            "Periksa kembali target pada tahun tersebut; bila arahnya memang benar, periksa polaritas "
            "indikator."
        ),
        "tidak_tertaut_sasaran:pesan": _("%(simpul)s tidak tertaut ke sasaran mana pun."),
        "tidak_tertaut_sasaran:dengan_anak:pesan": _(
            "%(simpul)s tidak tertaut ke sasaran mana pun, begitu pula %(jumlah)d sub-kegiatan di bawahnya."
        ),
        "tidak_tertaut_sasaran:perbaiki": _(
            "Simpul anggaran ini tampaknya disalin dari tahun lalu tanpa dikaitkan ke tujuan: tautkan ke "
            "sasaran yang dilayaninya, atau hapus bila tidak lagi diperlukan."
        ),
        "tautan_sasaran_rusak:pesan": _(
            "%(simpul)s tertaut ke %(jumlah)d sasaran yang tidak ada di dokumen ini maupun dokumen induknya "
            "(id %(ids)s): sasaran itu sudah dihapus atau milik pemda lain."
        ),
        "tautan_sasaran_rusak:perbaiki": _(
            "Hapus tautan yang rusak, lalu tautkan ke sasaran yang berlaku di dokumen ini atau dokumen "
            "induknya."
        ),
        "sub_kegiatan_tanpa_indikator_output:pesan": _(
            "%(simpul)s belum memiliki indikator keluaran (output)."
        ),
        "sub_kegiatan_tanpa_indikator_output:perbaiki": _(
            "Tambahkan indikator berjenis output yang mengukur keluaran sub-kegiatan, lengkap dengan satuan "
            "dan target."
        ),
        "sub_kegiatan_tanpa_pagu:pesan": _(
            "%(simpul)s belum memiliki pagu pada tahun mana pun dalam periode %(periode)s."
        ),
        "sub_kegiatan_tanpa_pagu:perbaiki": _(
            "Isi pagu indikatif sub-kegiatan, atau hapus sub-kegiatan bila tidak dianggarkan."
        ),
        "program_tidak_ada_di_induk:pesan": _("%(simpul)s tidak ada di %(induk)s induk."),
        "program_tidak_ada_di_induk:perbaiki": _(
            "Gunakan program yang tercantum di %(induk)s induk, atau tambahkan program ini ke %(induk)s "
            "melalui perubahan dokumen."
        ),
        "induk_tanpa_program:pesan": _(
            "%(induk)s induk belum memiliki program, sehingga program dokumen ini belum dapat dicocokkan."
        ),
        "induk_tanpa_program:perbaiki": _(
            "Lengkapi program di %(induk)s induk, lalu jalankan pemeriksaan lagi."
        ),
        "sub_kegiatan_tidak_ada_di_induk:pesan": _("%(simpul)s tidak ada di %(induk)s induk."),
        "sub_kegiatan_tidak_ada_di_induk:perbaiki": _(
            "Gunakan sub-kegiatan yang tercantum di %(induk)s induk, atau tambahkan sub-kegiatan ini ke "
            "%(induk)s melalui perubahan dokumen."
        ),
        "induk_tanpa_sub_kegiatan:pesan": _(
            "%(induk)s induk belum memiliki sub-kegiatan, sehingga sub-kegiatan dokumen ini belum dapat "
            "dicocokkan."
        ),
        "induk_tanpa_sub_kegiatan:perbaiki": _(
            "Lengkapi sub-kegiatan di %(induk)s induk, lalu jalankan pemeriksaan lagi."
        ),
        "pagu_anak_melebihi_induk:pesan": _(
            "Jumlah pagu di bawah %(simpul)s melebihi pagunya (%(rincian)s)."
        ),
        "pagu_anak_melebihi_induk:tahun": _("%(tahun)d: jumlah %(anak)s, pagu %(induk)s, lebih %(selisih)s"),
        "pagu_anak_melebihi_induk:perbaiki": _(
            "Kurangi pagu di bawahnya atau naikkan pagu simpul ini, agar jumlahnya tidak melebihi pagu induk."
        ),
        "kode_ganda:pesan": _(
            "Kode %(kode)s dipakai oleh %(jumlah)d simpul %(jenis)s sekaligus, termasuk %(simpul)s."
        ),
        "kode_ganda:perbaiki": _("Beri setiap simpul kode yang unik, atau gabungkan simpul yang sama."),
        "kode_luar_nomenklatur:pesan": _(
            "Kode %(kode)s pada %(simpul)s tidak ada dalam nomenklatur yang berlaku untuk pemda ini."
        ),
        "kode_luar_nomenklatur:perbaiki": _(
            "Pilih kode dari nomenklatur Permendagri 90/2019 yang berlaku, atau tandai simpul sengaja di "
            "luar nomenklatur bila memang dikehendaki."
        ),
        "kode_luar_nomenklatur:ditandai:pesan": _(
            "Kode %(kode)s pada %(simpul)s di luar nomenklatur dan sudah ditandai sengaja oleh perencana."
        ),
        "kode_luar_nomenklatur:ditandai:perbaiki": _(
            "Tidak perlu tindakan; ganti kodenya bila nomenklatur kelak memuat kode yang sesuai."
        ),
        "kode_tingkat_salah:pesan": _(
            "Kode %(kode)s pada %(simpul)s adalah kode %(tingkat)s dalam nomenklatur, bukan kode %(jenis)s."
        ),
        "kode_tingkat_salah:perbaiki": _(
            "Gunakan kode tingkat %(jenis)s, atau pindahkan simpul ke tingkat yang sesuai dengan kodenya."
        ),
        "kode_induk_salah:pesan": _(
            "Menurut nomenklatur, kode %(kode)s pada %(simpul)s berada di bawah %(kode_induk)s, bukan di "
            "bawah %(induk)s."
        ),
        "kode_induk_salah:perbaiki": _(
            "Pindahkan simpul ke bawah %(kode_induk)s, atau gunakan kode yang berada di bawah %(induk)s."
        ),
        "tanpa_kode:pesan": _("%(simpul)s belum memiliki kode."),
        "tanpa_kode:perbaiki": _(
            "Isi kode sesuai nomenklatur Permendagri 90/2019, atau tandai sengaja di luar nomenklatur bila "
            "memang tidak ada kode yang sesuai."
        ),
    }


# --- the checker ------------------------------------------------------------------------------------


class _Checker:
    """One pass over one document: the tree maps are built once, each rule reads them."""

    def __init__(self, doc: DocumentData) -> None:
        self.doc = doc
        self.years = tuple(sorted(set(doc.tahun)))
        self.labels = _jenis_labels()
        self.text = _texts()
        self.findings: list[Finding] = []
        self.by_id: dict[int, NodeData] = {}
        self.order: dict[int, int] = {}
        for index, node in enumerate(doc.nodes):
            self.by_id[node.id] = node
            self.order.setdefault(node.id, index)
        self._walk()
        self.indicators_of: dict[int, list[IndicatorData]] = defaultdict(list)
        for indicator in doc.indicators:
            self.indicators_of[indicator.node_id].append(indicator)
        self._label_cache: dict[int, tuple[str, str]] = {}

    def _walk(self) -> None:
        """Pre-order walk from the roots; a parent outside the document or a cycle makes a node a root."""
        listed: dict[int, list[int]] = defaultdict(list)
        for node in self.doc.nodes:
            if node.induk_id is not None and node.induk_id in self.by_id and node.induk_id != node.id:
                listed[node.induk_id].append(node.id)
        self.parent: dict[int, int | None] = {}
        self.children: dict[int, list[int]] = defaultdict(list)
        self.preorder: list[int] = []
        starts = [n.id for n in self.doc.nodes if n.induk_id is None or n.induk_id not in self.by_id]
        starts += [n.id for n in self.doc.nodes]  # whatever a cycle kept unreached
        for start in starts:
            if start in self.parent:
                continue
            self.parent[start] = None
            stack = [start]
            while stack:
                current = stack.pop()
                self.preorder.append(current)
                fresh: list[int] = []
                for child in listed.get(current, ()):
                    if child not in self.parent:
                        self.parent[child] = current
                        fresh.append(child)
                self.children[current].extend(fresh)
                stack.extend(reversed(fresh))
        # Inherited OPD (own first, else the nearest ancestor's).
        self.opd_nama: dict[int, str] = {}
        self.opd_id: dict[int, int | None] = {}
        for node_id in self.preorder:
            node = self.by_id[node_id]
            parent = self.parent[node_id]
            self.opd_nama[node_id] = node.opd_nama or (self.opd_nama[parent] if parent is not None else "")
            own_opd = node.opd_id
            self.opd_id[node_id] = own_opd if own_opd is not None or parent is None else self.opd_id[parent]

    # -- labels and emitting --

    def jenis_label(self, jenis: str) -> str:
        return self.labels.get(jenis) or jenis.replace("_", " ").capitalize()

    def _names(self, node_id: int | None) -> tuple[str, str]:
        """(node_label, the node as named in a message)."""
        if node_id is None:
            return _trim(f"{self.doc.jenis} {self.doc.nama}", LABEL_LENGTH), self.doc.jenis
        cached = self._label_cache.get(node_id)
        if cached is not None:
            return cached
        node = self.by_id.get(node_id)
        if node is None:
            names = (str(node_id), str(node_id))
        else:
            head = " ".join(part for part in (self.jenis_label(node.jenis), node.kode.strip()) if part)
            nama = " ".join(node.nama.split())
            label = _trim(f"{head} {nama}" if nama else head, LABEL_LENGTH)
            named = f"{head} “{_trim(nama, NAME_IN_MESSAGE_LENGTH)}”" if nama else head
            names = (label, named)
        self._label_cache[node_id] = names
        return names

    def named(self, node_id: int) -> str:
        return self._names(node_id)[1]

    def add(
        self,
        rule: str,
        severity: Severity,
        node_id: int | None,
        values: Mapping[str, object] | None = None,
        *,
        variant: str = "",
        indicator: IndicatorData | None = None,
    ) -> None:
        """A finding of `rule`: the texts of the rule (or of its variant), filled with `values` plus
        "simpul" (the node as named in a message) and "indikator" (the indicator's name)."""
        key = f"{rule}:{variant}" if variant else rule
        values = {**(values or {})}
        if node_id is not None:
            values["simpul"] = self.named(node_id)
        if indicator is not None:
            values["indikator"] = _trim(indicator.nama, NAME_IN_MESSAGE_LENGTH)
        message = self.text.get(f"{key}:pesan") or self.text[f"{rule}:pesan"]
        fix = self.text.get(f"{key}:perbaiki") or self.text[f"{rule}:perbaiki"]
        self.findings.append(
            Finding(
                rule=rule,
                severity=severity,
                node_id=node_id,
                node_label=self._names(node_id)[0],
                message=message % values,
                fix=fix % values,
                indicator_id=indicator.id if indicator is not None else None,
                opd_nama=self.opd_nama.get(node_id, "") if node_id is not None else "",
            )
        )

    def budget_children(self, node_id: int) -> list[int]:
        return [c for c in self.children.get(node_id, ()) if self.by_id[c].jenis in BUDGET_KINDS]

    def budget_nodes(self) -> list[NodeData]:
        return [node for node in self.doc.nodes if node.jenis in BUDGET_KINDS]

    # -- rules --

    def check_strategic(self) -> None:
        for node in self.doc.nodes:
            if node.jenis == "misi":
                if not any(self.by_id[c].jenis == "tujuan" for c in self.children.get(node.id, ())):
                    self.add("misi_tanpa_tujuan", Severity.ERROR, node.id)
            elif node.jenis in ("tujuan", "sasaran") and not self.indicators_of.get(node.id):
                self.add("tanpa_indikator", Severity.ERROR, node.id)

    def check_indicators(self) -> int:
        """Indicator rules; returns how many indicators are complete."""
        complete = 0
        for indicator in self.doc.indicators:
            has_satuan = bool(indicator.satuan.strip())
            has_baseline = indicator.baseline_tahun is not None and indicator.baseline_nilai is not None
            missing = [y for y in self.years if indicator.targets.get(y) is None]
            if has_satuan and has_baseline and not missing:
                complete += 1
            node_id = indicator.node_id
            if not has_satuan:
                self.add("indikator_tanpa_satuan", Severity.ERROR, node_id, indicator=indicator)
            if not has_baseline:
                self.add("indikator_tanpa_baseline", Severity.WARNING, node_id, indicator=indicator)
            if missing:
                values = {"tahun": _years(missing)}
                self.add("indikator_tanpa_target", Severity.ERROR, node_id, values, indicator=indicator)
            self._check_polarity(indicator)
        return complete

    def _check_polarity(self, indicator: IndicatorData) -> None:
        polaritas = indicator.polaritas.strip().lower()
        if polaritas not in ("positif", "negatif"):
            return
        points = [(y, indicator.targets[y]) for y in self.years if indicator.targets.get(y) is not None]
        if not points:
            return
        if (
            indicator.baseline_tahun is not None
            and indicator.baseline_nilai is not None
            and indicator.baseline_tahun < points[0][0]
        ):
            points.insert(0, (indicator.baseline_tahun, indicator.baseline_nilai))
        wrong = [
            f"{y1}→{y2} ({_angka(v1)} → {_angka(v2)})"
            for (y1, v1), (y2, v2) in pairwise(points)
            if (v2 < v1 if polaritas == "positif" else v2 > v1)
        ]
        if wrong:
            self.add(
                "target_berlawanan_polaritas",
                Severity.WARNING,
                indicator.node_id,
                {"tahun": "; ".join(wrong)},
                variant=polaritas,
                indicator=indicator,
            )

    def check_links(self) -> tuple[dict[int, bool], list[int]]:
        """Traceability rules; returns whether each node is traced, and the leaf budget nodes."""
        known = self.doc.known_sasaran_ids
        traced: dict[int, bool] = {}
        for node_id in self.preorder:
            node = self.by_id[node_id]
            parent = self.parent[node_id]
            own = any(s in known for s in node.sasaran_ids)
            traced[node_id] = own or (parent is not None and traced[parent])
            broken = list(dict.fromkeys(s for s in node.sasaran_ids if s not in known))
            if broken:
                values = {"jumlah": len(broken), "ids": _years(broken)}
                self.add("tautan_sasaran_rusak", Severity.ERROR, node_id, values)
        # Bottom-up: is the whole budget subtree untraced, and how many sub-kegiatan does it hold.
        wholly_untraced: dict[int, bool] = {}
        sub_count: dict[int, int] = {}
        leaves: list[int] = []
        for node_id in reversed(self.preorder):
            node = self.by_id[node_id]
            if node.jenis not in BUDGET_KINDS:
                continue
            kids = self.budget_children(node_id)
            if not kids:
                leaves.append(node_id)
            wholly_untraced[node_id] = not traced[node_id] and all(wholly_untraced[c] for c in kids)
            sub_count[node_id] = (node.jenis == "sub_kegiatan") + sum(sub_count[c] for c in kids)
        for node_id in self.preorder:
            if not wholly_untraced.get(node_id):
                continue
            parent = self.parent[node_id]
            if parent is not None and wholly_untraced.get(parent):
                continue  # reported at its ancestor
            below = sub_count[node_id] - (self.by_id[node_id].jenis == "sub_kegiatan")
            self.add(
                "tidak_tertaut_sasaran",
                Severity.ERROR,
                node_id,
                {"jumlah": below},
                variant="dengan_anak" if below else "",
            )
        leaves.reverse()  # back to pre-order
        return traced, leaves

    def check_sub_kegiatan(self) -> None:
        periode = f"{self.years[0]}-{self.years[-1]}" if len(self.years) > 1 else _years(self.years)
        for node in self.budget_nodes():
            if node.jenis != "sub_kegiatan":
                continue
            if not any(i.jenis.strip().lower() == "output" for i in self.indicators_of.get(node.id, ())):
                self.add("sub_kegiatan_tanpa_indikator_output", Severity.ERROR, node.id)
            if not any((node.pagu.get(y) or ZERO) > 0 for y in self.years):
                self.add("sub_kegiatan_tanpa_pagu", Severity.ERROR, node.id, {"periode": periode})

    def check_parent_codes(self) -> None:
        doc = self.doc
        if doc.jenis == "RKPD" and doc.parent_program_codes is not None:
            self._check_parent_set("program", doc.parent_program_codes, doc.parent_jenis or "RPJMD")
        if doc.jenis == "RENJA" and doc.parent_sub_kegiatan_codes is not None:
            self._check_parent_set("sub_kegiatan", doc.parent_sub_kegiatan_codes, doc.parent_jenis or "RKPD")

    def _check_parent_set(self, jenis: str, codes: frozenset[str], induk: str) -> None:
        coded = [n for n in self.budget_nodes() if n.jenis == jenis and n.kode.strip()]
        if not coded:
            return
        if not codes:
            self.add(f"induk_tanpa_{jenis}", Severity.WARNING, None, {"induk": induk})
            return
        stripped = {c.strip() for c in codes}
        for node in coded:
            if node.kode.strip() not in stripped:
                self.add(f"{jenis}_tidak_ada_di_induk", Severity.ERROR, node.id, {"induk": induk})

    def check_pagu(self) -> None:
        per_year = self.text["pagu_anak_melebihi_induk:tahun"]
        for node in self.budget_nodes():
            kids = [self.by_id[c] for c in self.budget_children(node.id)]
            if not kids:
                continue
            excess: list[str] = []
            for year in self.years:
                own = node.pagu.get(year) or ZERO
                if own <= 0:
                    continue
                total = sum(((k.pagu.get(year) or ZERO) for k in kids), ZERO)
                if total > own:
                    amounts = {"anak": _rupiah(total), "induk": _rupiah(own), "selisih": _rupiah(total - own)}
                    excess.append(per_year % {"tahun": year, **amounts})
            if excess:
                self.add("pagu_anak_melebihi_induk", Severity.ERROR, node.id, {"rincian": "; ".join(excess)})

    def check_duplicates(self) -> None:
        groups: dict[tuple[str, str, int | None], list[int]] = defaultdict(list)
        for node in self.doc.nodes:
            kode = node.kode.strip()
            if kode:
                groups[(node.jenis, kode, self.opd_id[node.id])].append(node.id)
        for (jenis, kode, _opd), members in groups.items():
            if len(members) > 1:
                values = {"kode": kode, "jumlah": len(members), "jenis": self.jenis_label(jenis).lower()}
                self.add("kode_ganda", Severity.ERROR, members[0], values)

    def check_codes(self) -> None:
        nomenclature = self.doc.nomenclature
        for node in self.budget_nodes():
            kode = node.kode.strip()
            if not kode:
                self.add("tanpa_kode", Severity.WARNING, node.id)
                continue
            if nomenclature is None:
                continue
            values: dict[str, object] = {"kode": kode}
            entry = nomenclature.get(kode)
            if entry is None:
                if node.luar_nomenklatur:
                    self.add("kode_luar_nomenklatur", Severity.INFO, node.id, values, variant="ditandai")
                else:
                    self.add("kode_luar_nomenklatur", Severity.ERROR, node.id, values)
                continue
            if entry.level != node.jenis:
                values["tingkat"] = self.jenis_label(entry.level).lower()
                values["jenis"] = self.jenis_label(node.jenis).lower()
                self.add("kode_tingkat_salah", Severity.ERROR, node.id, values)
                continue
            parent_id = self.parent.get(node.id)
            parent = self.by_id[parent_id] if parent_id is not None else None
            if parent is None or parent.jenis not in BUDGET_KINDS or not parent.kode.strip():
                continue
            if entry.kode_induk.strip() != parent.kode.strip():
                values["kode_induk"] = entry.kode_induk.strip()
                values["induk"] = parent.kode.strip()
                self.add("kode_induk_salah", Severity.ERROR, node.id, values)

    # -- scores --

    def pagu_scores(
        self, traced: Mapping[int, bool], leaves: list[int]
    ) -> tuple[Decimal, Decimal, tuple[OpdScore, ...]]:
        total = ZERO
        traceable = ZERO
        per_opd_total: dict[str, Decimal] = defaultdict(Decimal)
        per_opd_traceable: dict[str, Decimal] = defaultdict(Decimal)
        for node_id in leaves:
            node = self.by_id[node_id]
            amount = sum(((node.pagu.get(y) or ZERO) for y in self.years), ZERO)
            opd = self.opd_nama[node_id]
            total += amount
            per_opd_total[opd] += amount
            counted = amount if traced[node_id] else ZERO
            traceable += counted
            per_opd_traceable[opd] += counted
        per_opd = tuple(
            OpdScore(
                opd_nama=opd,
                pagu_total=per_opd_total[opd],
                pagu_traceable=per_opd_traceable[opd],
                pct_pagu_traceable=_pct(per_opd_traceable[opd], per_opd_total[opd]),
            )
            for opd in sorted(per_opd_total, key=lambda name: (name.casefold(), name))
        )
        return total, traceable, per_opd

    def sorted_findings(self) -> tuple[Finding, ...]:
        last = len(self.doc.nodes)

        def key(finding: Finding) -> tuple[int, int]:
            node_order = -1 if finding.node_id is None else self.order.get(finding.node_id, last)
            return SEVERITY_RANK[finding.severity], node_order

        return tuple(sorted(self.findings, key=key))


def check_document(doc: DocumentData) -> CheckResult:
    """Every rule of the module docstring over one document, with the traceability scores."""
    checker = _Checker(doc)
    checker.check_strategic()
    complete = checker.check_indicators()
    traced, leaves = checker.check_links()
    checker.check_sub_kegiatan()
    checker.check_parent_codes()
    checker.check_pagu()
    checker.check_duplicates()
    checker.check_codes()
    pagu_total, pagu_traceable, per_opd = checker.pagu_scores(traced, leaves)
    indicators_total = len(doc.indicators)
    return CheckResult(
        document_id=doc.id,
        findings=checker.sorted_findings(),
        pagu_total=pagu_total,
        pagu_traceable=pagu_traceable,
        pct_pagu_traceable=_pct(pagu_traceable, pagu_total),
        indicators_total=indicators_total,
        indicators_complete=complete,
        pct_indicators_complete=_pct(Decimal(complete), Decimal(indicators_total)),
        per_opd=per_opd,
    )


# --- rendering --------------------------------------------------------------------------------------


def _money(value: Decimal) -> str:
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))


def _pct_number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def result_to_dict(result: CheckResult) -> dict[str, Any]:
    """JSON-ready: money as strings with two decimals ("1234.00"), percentages as numbers or null."""
    return {
        "document_id": result.document_id,
        "counts": result.counts(),
        "findings": [
            {
                "rule": f.rule,
                "severity": f.severity.value,
                "node_id": f.node_id,
                "node_label": f.node_label,
                "message": f.message,
                "fix": f.fix,
                "indicator_id": f.indicator_id,
                "opd_nama": f.opd_nama,
            }
            for f in result.findings
        ],
        "pagu_total": _money(result.pagu_total),
        "pagu_traceable": _money(result.pagu_traceable),
        "pct_pagu_traceable": _pct_number(result.pct_pagu_traceable),
        "indicators_total": result.indicators_total,
        "indicators_complete": result.indicators_complete,
        "pct_indicators_complete": _pct_number(result.pct_indicators_complete),
        "per_opd": [
            {
                "opd_nama": s.opd_nama,
                "pagu_total": _money(s.pagu_total),
                "pagu_traceable": _money(s.pagu_traceable),
                "pct_pagu_traceable": _pct_number(s.pct_pagu_traceable),
            }
            for s in result.per_opd
        ],
    }


def result_to_text(result: CheckResult) -> str:
    """One finding per line ("[ERROR] rule label: message Perbaiki: fix"), then the summary."""
    perbaiki = _("Perbaiki:")
    lines = [
        f"[{f.severity.value.upper()}] {f.rule} {f.node_label}: {f.message} {perbaiki} {f.fix}"
        for f in result.findings
    ]
    if not lines:
        lines.append(_("Tidak ada temuan."))
    lines.append("")
    lines.append(_("Ringkasan: %(error)d galat, %(warning)d peringatan, %(info)d info.") % result.counts())
    lines.append(
        _("Pagu tertelusur ke sasaran: %(tertelusur)s dari %(total)s (%(persen)s).")
        % {
            "tertelusur": _rupiah(result.pagu_traceable),
            "total": _rupiah(result.pagu_total),
            "persen": _persen(result.pct_pagu_traceable),
        }
    )
    lines.append(
        _("Indikator lengkap: %(lengkap)d dari %(total)d (%(persen)s).")
        % {
            "lengkap": result.indicators_complete,
            "total": result.indicators_total,
            "persen": _persen(result.pct_indicators_complete),
        }
    )
    if result.per_opd:
        lines.append(_("Per OPD:"))
        for score in result.per_opd:
            lines.append(
                "- "
                + _("%(opd)s: %(tertelusur)s dari %(total)s (%(persen)s)")
                % {
                    "opd": score.opd_nama or _("Tanpa OPD"),
                    "tertelusur": _rupiah(score.pagu_traceable),
                    "total": _rupiah(score.pagu_total),
                    "persen": _persen(score.pct_pagu_traceable),
                }
            )
    return "\n".join(lines)
