"""Gender Analysis Pathway (GAP), Gender Budget Statement (GBS) fields and ARG tagging: writes and reads.

Terms (Permendagri 67/2011 on PUG in the regions; KemenPPPA/Bappenas guide to PPRG, "Alur Kerja Analisis
Gender"):
- *GAP* (`GapWorksheet`): the nine steps of the gender analysis of one sub-kegiatan in one year.
  1 the policy/program/kegiatan and its aim; 2 data pembuka wawasan (sex-disaggregated data);
  3 gender gap factors: 3a access, 3b participation, 3c control, 3d benefit; 4 internal causes (inside
  the OPD); 5 external causes (outside it); 6 the reformulated aim; 7 the action plan; 8 baseline data;
  9 gender indicators. `STEPS` below is the table of steps, their fields, explanations and which steps a
  final worksheet needs (1, 2, 3 with at least one of 3a-3d, 6, 7 and 9).
- Workflow (`TRANSITIONS`): draf -> final (the required steps filled) -> draf (to edit again). A final
  worksheet is locked: saving it is refused (409) until it is taken back to draft.
- *Pre-fill* (`gap_prefill`): step 1 from the program, kegiatan and sub-kegiatan names and codes and the
  sasaran it serves (its own `NodeLink`, else its kegiatan's, else its program's); step 2 from the
  sex-disaggregated values (`SexValue`) of the sub-kegiatan's own indicators and, when it has none, of
  the indicators flagged `terpilah_gender` of the sasaran it serves, with their source; step 8 from the
  baselines of those indicators and the latest sex-disaggregated value; step 9 suggested from the
  output indicators; the GBS budget from the node's pagu (`NodeBudget`) of the year.
- *ARG tag* (`ArgTag`): a sub-kegiatan tagged gender-specific (spesifik), gender-equality (kesetaraan) or
  PUG-institutional (kelembagaan).
- *Share of the APBD that is gender-responsive* (`arg_summary`): per OPD and for the pemda, the pagu of
  the tagged sub-kegiatan (per category and in total) over the pagu of all sub-kegiatan, in percent,
  rounded to 2 decimals ROUND_HALF_UP (`share`). Decision: the base is the sub-kegiatan of the pemda's
  RKPD of the year (its newest revision, as e-Monev reports against it). The OPDs' Renja documents
  repeat the RKPD's sub-kegiatan of their OPD, so counting them as well would count a rupiah twice; a
  Renja sub-kegiatan can still have its own GAP and tag, but only the RKPD's count in the share.

Every write is one transaction with an audit record and optimistic locking (`core.locking`); the
scope (which OPD a user may touch) is checked by the views through `gender.access`.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rencana.core.audit import audit_record, snapshot
from rencana.core.errors import ApplicationError, ConflictError, NotFoundError
from rencana.core.locking import STALE_MESSAGE, save_versioned
from rencana.core.numbers import format_angka
from rencana.gender.models import ArgCategory, ArgTag, GapStatus, GapWorksheet, SexValue
from rencana.planning.models import (
    DocumentKind,
    Indicator,
    IndicatorTarget,
    NodeBudget,
    NodeKind,
    NodeLink,
    PlanDocument,
    PlanNode,
)
from rencana.regions.models import Opd, Pemda, Region

# Longest text accepted in one step (a few pages); a longer paste is almost surely a mistake.
MAX_TEXT = 20_000
MAX_NOTE = 2_000
# Largest budget the field holds (18 digits, 2 decimals).
MAX_ANGGARAN = Decimal("9999999999999999.99")
# Years of sex-disaggregated data shown per indicator in step 2.
SEX_YEARS = 3
GAP_DOCUMENT_KINDS = (DocumentKind.RKPD, DocumentKind.RENJA)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


# --- the nine steps, as data ------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    nomor: str  # "1" ... "9"
    judul: Any  # lazy text
    penjelasan: Any  # lazy text: what to write, for OPD staff who are not gender specialists
    fields: tuple[str, ...]
    wajib: bool  # needed before the worksheet can be final (for step 3: at least one of its fields)


STEPS: tuple[Step, ...] = (
    Step(
        "1",
        gettext_lazy("Kebijakan/program/kegiatan dan tujuannya"),
        gettext_lazy(
            "Tuliskan program, kegiatan dan sub-kegiatan yang dianalisis beserta tujuan yang ingin dicapai "
            "(sasaran yang dilayani). Sudah diisi dari dokumen perencanaan; periksa dan lengkapi."
        ),
        ("kebijakan",),
        True,
    ),
    Step(
        "2",
        gettext_lazy("Data pembuka wawasan"),
        gettext_lazy(
            "Data terpilah menurut jenis kelamin (perempuan dan laki-laki) yang menunjukkan ada atau "
            "tidaknya kesenjangan, dengan sumbernya. Bisa data kuantitatif (angka) maupun kualitatif (hasil "
            "pengamatan, kajian)."
        ),
        ("data_pembuka",),
        True,
    ),
    Step(
        "3",
        gettext_lazy("Faktor kesenjangan gender"),
        gettext_lazy(
            "Dari data langkah 2, di mana perempuan dan laki-laki berbeda? Akses: kesempatan memperoleh "
            "layanan atau sumber daya. Partisipasi: keikutsertaan dalam kegiatan dan pengambilan keputusan. "
            "Kontrol: penguasaan atas sumber daya dan keputusan. Manfaat: hasil yang dinikmati. Isi minimal "
            "satu."
        ),
        ("faktor_akses", "faktor_partisipasi", "faktor_kontrol", "faktor_manfaat"),
        True,
    ),
    Step(
        "4",
        gettext_lazy("Sebab kesenjangan internal"),
        gettext_lazy(
            "Penyebab dari dalam OPD: aturan, prosedur, anggaran, SDM, budaya kerja atau cara layanan "
            "diberikan yang membuat kesenjangan terjadi."
        ),
        ("sebab_internal",),
        False,
    ),
    Step(
        "5",
        gettext_lazy("Sebab kesenjangan eksternal"),
        gettext_lazy(
            "Penyebab dari luar OPD: norma dan budaya masyarakat, jarak dan biaya, beban kerja di rumah, "
            "kebijakan pihak lain."
        ),
        ("sebab_eksternal",),
        False,
    ),
    Step(
        "6",
        gettext_lazy("Reformulasi tujuan"),
        gettext_lazy(
            "Rumuskan kembali tujuan sub-kegiatan agar menjawab kesenjangan yang ditemukan (responsif "
            "gender)."
        ),
        ("tujuan_reformulasi",),
        True,
    ),
    Step(
        "7",
        gettext_lazy("Rencana aksi"),
        gettext_lazy(
            "Langkah konkret untuk mencapai tujuan baru, satu baris per langkah. Setiap baris menjadi "
            "komponen rencana tindak lanjut di GBS."
        ),
        ("rencana_aksi",),
        True,
    ),
    Step(
        "8",
        gettext_lazy("Data dasar (baseline)"),
        gettext_lazy(
            "Nilai awal yang dipakai untuk mengukur kemajuan, sebaiknya terpilah menurut jenis kelamin. "
            "Sudah diisi dari baseline indikator dan data terpilah terakhir."
        ),
        ("baseline",),
        False,
    ),
    Step(
        "9",
        gettext_lazy("Indikator gender"),
        gettext_lazy(
            "Ukuran keberhasilan yang menunjukkan berkurangnya kesenjangan, terpilah menurut jenis kelamin "
            "bila mungkin. Disarankan dari indikator keluaran sub-kegiatan; sesuaikan."
        ),
        ("indikator_gender",),
        True,
    ),
)
FACTOR_LABELS = {
    "faktor_akses": gettext_lazy("3a. Akses"),
    "faktor_partisipasi": gettext_lazy("3b. Partisipasi"),
    "faktor_kontrol": gettext_lazy("3c. Kontrol"),
    "faktor_manfaat": gettext_lazy("3d. Manfaat"),
}
GBS_FIELDS = ("analisis_situasi", "dampak")
TEXT_FIELDS = (*GapWorksheet.STEP_FIELDS, *GBS_FIELDS)

# Workflow: status -> statuses it may move to; only a draft may be edited.
TRANSITIONS: dict[str, frozenset[str]] = {
    GapStatus.DRAFT: frozenset({GapStatus.FINAL}),
    GapStatus.FINAL: frozenset({GapStatus.DRAFT}),
}
EDITABLE = frozenset({GapStatus.DRAFT})


def step_label(step: Step) -> str:
    return _("Langkah {nomor} ({judul})").format(nomor=step.nomor, judul=step.judul)


def missing_steps(values: Mapping[str, str]) -> list[Step]:
    """The required steps still empty in `values` (field -> text); step 3 needs one of 3a-3d."""
    return [
        step
        for step in STEPS
        if step.wajib and not any((values.get(name) or "").strip() for name in step.fields)
    ]


# --- input ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GapInput:
    """The editable fields of a worksheet: the twelve step texts and the GBS fields."""

    kebijakan: str = ""
    data_pembuka: str = ""
    faktor_akses: str = ""
    faktor_partisipasi: str = ""
    faktor_kontrol: str = ""
    faktor_manfaat: str = ""
    sebab_internal: str = ""
    sebab_eksternal: str = ""
    tujuan_reformulasi: str = ""
    rencana_aksi: str = ""
    baseline: str = ""
    indikator_gender: str = ""
    analisis_situasi: str = ""
    anggaran: Decimal | None = None
    dampak: str = ""

    @classmethod
    def of(cls, gap: GapWorksheet) -> "GapInput":
        return cls(**{f.name: getattr(gap, f.name) for f in fields(cls)})

    def texts(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in TEXT_FIELDS}


def _clean_text(value: Any) -> str:
    text = "" if value is None else str(value)
    # Windows line ends from browsers; trailing spaces of every line and blank edges are noise.
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip()


def _invalid(message: str, errors: list[dict[str, str]]) -> ApplicationError:
    summary = "; ".join(e["pesan"] for e in errors)
    return ApplicationError(message.format(daftar=summary), errors=errors)


def _validate(data: GapInput) -> dict[str, Any]:
    """The cleaned values of `data`; `ApplicationError` listing every bad field."""
    errors: list[dict[str, str]] = []
    values: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        text = _clean_text(getattr(data, name))
        if "\x00" in text:
            errors.append({"kolom": name, "pesan": _("Teks berisi karakter NUL yang tidak sah.")})
        elif len(text) > MAX_TEXT:
            errors.append(
                {
                    "kolom": name,
                    "pesan": _("Isian terlalu panjang ({n} karakter, paling banyak {maks}).").format(
                        n=format_angka(len(text), 0), maks=format_angka(MAX_TEXT, 0)
                    ),
                }
            )
        values[name] = text
    anggaran = data.anggaran
    if anggaran is not None:
        try:
            anggaran = Decimal(anggaran).quantize(CENT, rounding=ROUND_HALF_UP)
        except (InvalidOperation, TypeError, ValueError):
            anggaran = None
            errors.append({"kolom": "anggaran", "pesan": _("Alokasi anggaran harus berupa angka rupiah.")})
        else:
            if anggaran < 0:
                errors.append({"kolom": "anggaran", "pesan": _("Alokasi anggaran tidak boleh negatif.")})
            elif anggaran > MAX_ANGGARAN:
                errors.append({"kolom": "anggaran", "pesan": _("Alokasi anggaran terlalu besar.")})
    values["anggaran"] = anggaran
    if errors:
        raise _invalid(_("Lembar GAP belum benar: {daftar}"), errors)
    return values


def _require_final_ready(values: Mapping[str, str]) -> None:
    missing = missing_steps(values)
    if not missing:
        return
    errors = [
        {
            "kolom": step.fields[0],
            "pesan": (
                _("{langkah} wajib diisi: isi minimal satu dari akses, partisipasi, kontrol atau manfaat.")
                if len(step.fields) > 1
                else _("{langkah} wajib diisi.")
            ).format(langkah=step_label(step)),
        }
        for step in missing
    ]
    raise ApplicationError(
        _("Lembar GAP belum dapat difinalkan. Langkah yang belum diisi: {daftar}.").format(
            daftar=", ".join(step_label(step) for step in missing)
        ),
        code="gap_belum_lengkap",
        errors=errors,
    )


def _check_version(gap: GapWorksheet, expected_version: int) -> None:
    if gap.version != expected_version:
        raise ConflictError(
            _(STALE_MESSAGE).format(expected=expected_version, current=gap.version), code="versi_usang"
        )


def _check_move(gap: GapWorksheet, target: str) -> None:
    if target not in TRANSITIONS.get(gap.status, frozenset()):
        raise ConflictError(
            _("Lembar GAP berstatus {status}; tidak dapat diubah menjadi {tujuan}.").format(
                status=GapStatus(gap.status).label, tujuan=GapStatus(target).label
            ),
            code="status_tidak_sah",
        )


# --- facts of a sub-kegiatan (the pre-fill and the page's "data from the plan") ---------------------


@dataclass(frozen=True)
class SexRow:
    indikator_id: int
    indikator: str
    satuan: str
    wilayah: str
    tahun: int
    perempuan: Decimal | None
    laki_laki: Decimal | None
    sumber: str
    status: str

    @property
    def selisih(self) -> Decimal | None:
        if self.perempuan is None or self.laki_laki is None:
            return None
        return self.perempuan - self.laki_laki

    @property
    def perempuan_text(self) -> str:
        return "—" if self.perempuan is None else _num(self.perempuan)

    @property
    def laki_laki_text(self) -> str:
        return "—" if self.laki_laki is None else _num(self.laki_laki)


@dataclass(frozen=True)
class IndicatorFact:
    indicator: Indicator
    target: Decimal | None  # of the worksheet's year

    @property
    def nama(self) -> str:
        return self.indicator.nama

    @property
    def satuan(self) -> str:
        return self.indicator.satuan

    @property
    def baseline_text(self) -> str:
        if self.indicator.baseline_nilai is None:
            return "—"
        text = with_unit(self.indicator.baseline_nilai, self.satuan)
        return f"{text} ({self.indicator.baseline_tahun})" if self.indicator.baseline_tahun else text

    @property
    def target_text(self) -> str:
        return with_unit(self.target, self.satuan)


@dataclass
class NodeFacts:
    """What the plan says about a sub-kegiatan in a year: the inputs of the pre-fill and of the GBS."""

    node: PlanNode
    tahun: int
    program: PlanNode | None
    kegiatan: PlanNode | None
    opd: Opd | None
    sasaran: list[PlanNode]
    indicators: list[IndicatorFact]  # the sub-kegiatan's own
    gender_indicators: list[IndicatorFact]  # whose sex-disaggregated data fill step 2
    data_dari: str  # "sub_kegiatan", "sasaran" or "" (no disaggregated indicator found)
    sex_rows: list[SexRow] = field(default_factory=list)
    pagu: Decimal | None = None

    @property
    def output_indicators(self) -> list[IndicatorFact]:
        outputs = [f for f in self.indicators if f.indicator.jenis == "output"]
        return outputs or self.indicators


def _num(value: Decimal) -> str:
    """A value with up to 4 decimals and no trailing zeros, in Indonesian notation."""
    exponent = value.normalize().as_tuple().exponent
    decimals = min(4, -exponent) if isinstance(exponent, int) and exponent < 0 else 0
    return format_angka(value, decimals)


def with_unit(value: Decimal | None, satuan: str) -> str:
    if value is None:
        return "—"
    return f"{_num(value)} {satuan}".strip()


def node_label(node: PlanNode | None) -> str:
    if node is None:
        return ""
    return f"{node.kode} {node.nama}".strip()


def _ancestors(node: PlanNode) -> tuple[PlanNode | None, PlanNode | None]:
    """(program, kegiatan) above a sub-kegiatan, from the `select_related` chain."""
    kegiatan = node.induk if node.induk is not None and node.induk.jenis == NodeKind.KEGIATAN else None
    start = kegiatan or node.induk
    program = None
    current = start
    while current is not None:
        if current.jenis == NodeKind.PROGRAM:
            program = current
            break
        current = current.induk
    return program, kegiatan


def _facts_of(indicators: Iterable[Indicator], targets: Mapping[int, Decimal]) -> list[IndicatorFact]:
    return [IndicatorFact(i, targets.get(i.pk)) for i in indicators]


def _sex_rows(pemda: Pemda, indicators: Sequence[Indicator], tahun: int) -> list[SexRow]:
    """Per indicator: the pemda's own region over the latest `SEX_YEARS` years up to `tahun`, or, when
    only smaller regions have data, every region of the latest year (two queries)."""
    if not indicators:
        return []
    by_id = {i.pk: i for i in indicators}
    values = list(
        SexValue.objects.filter(pemda=pemda, indikator_id__in=by_id, tahun__lte=tahun).order_by(
            "indikator_id", "-tahun", "wilayah_id"
        )
    )
    names = dict(Region.objects.filter(kode__in={v.wilayah_id for v in values}).values_list("kode", "nama"))
    grouped: dict[int, list[SexValue]] = defaultdict(list)
    for value in values:
        grouped[value.indikator_id].append(value)
    rows: list[SexRow] = []
    for indicator in indicators:
        found = grouped.get(indicator.pk, [])
        own = [v for v in found if v.wilayah_id == pemda.region_id]
        if own:
            years = sorted({v.tahun for v in own}, reverse=True)[:SEX_YEARS]
            chosen = [v for v in own if v.tahun in years]
        elif found:
            latest = found[0].tahun
            chosen = [v for v in found if v.tahun == latest]
        else:
            chosen = []
        rows.extend(
            SexRow(
                indikator_id=indicator.pk,
                indikator=indicator.nama,
                satuan=indicator.satuan,
                wilayah=names.get(v.wilayah_id, v.wilayah_id),
                tahun=v.tahun,
                perempuan=v.perempuan,
                laki_laki=v.laki_laki,
                sumber=v.sumber,
                status=v.get_status_display(),
            )
            for v in chosen
        )
    return rows


def node_facts(node: PlanNode, tahun: int) -> NodeFacts:
    """The facts of a sub-kegiatan in a year, in a fixed number of queries (at most ten)."""
    node = (
        PlanNode.objects.select_related("opd", "dokumen__opd", "induk__induk__induk", "pemda")
        .filter(pk=node.pk)
        .get()
    )
    pemda = node.pemda
    program, kegiatan = _ancestors(node)
    chain = [n for n in (node, kegiatan, program) if n is not None]
    links: dict[int, list[PlanNode]] = defaultdict(list)
    for link in (
        NodeLink.objects.filter(pemda=pemda, dari_id__in=[n.pk for n in chain])
        .select_related("ke")
        .order_by("ke__kode", "ke_id")
    ):
        links[link.dari_id].append(link.ke)
    sasaran = next((links[n.pk] for n in chain if links.get(n.pk)), [])
    own = list(Indicator.objects.filter(pemda=pemda, node=node).order_by("urutan", "id"))
    flagged = list(
        Indicator.objects.filter(
            pemda=pemda, node_id__in=[s.pk for s in sasaran], terpilah_gender=True
        ).order_by("node_id", "urutan", "id")
    )
    targets = dict(
        IndicatorTarget.objects.filter(
            pemda=pemda, indikator_id__in=[i.pk for i in (*own, *flagged)], tahun=tahun
        ).values_list("indikator_id", "nilai")
    )
    own_rows = _sex_rows(pemda, own, tahun)
    if own_rows:
        data_dari, gender, rows = (
            "sub_kegiatan",
            [i for i in own if any(r.indikator_id == i.pk for r in own_rows)],
            own_rows,
        )
    elif flagged:
        data_dari, gender, rows = "sasaran", flagged, _sex_rows(pemda, flagged, tahun)
    else:
        data_dari, gender, rows = "", [], []
    pagu = (
        NodeBudget.objects.filter(pemda=pemda, node=node, tahun=tahun)
        .values_list("jumlah", flat=True)
        .first()
    )
    return NodeFacts(
        node=node,
        tahun=tahun,
        program=program,
        kegiatan=kegiatan,
        opd=node.opd or node.dokumen.opd,
        sasaran=sasaran,
        indicators=_facts_of(own, targets),
        gender_indicators=_facts_of(gender, targets),
        data_dari=data_dari,
        sex_rows=rows,
        pagu=pagu,
    )


def _sex_line(row: SexRow) -> str:
    line = _("{indikator}, {wilayah} {tahun}: perempuan {p}, laki-laki {l}").format(
        indikator=row.indikator,
        wilayah=row.wilayah,
        tahun=row.tahun,
        p=with_unit(row.perempuan, row.satuan),
        l=with_unit(row.laki_laki, row.satuan),
    )
    if row.selisih is not None:
        line += _(" (selisih perempuan dikurangi laki-laki {selisih})").format(selisih=_num(row.selisih))
    line += ". " + (
        _("Sumber: {sumber}.").format(sumber=row.sumber) if row.sumber else _("Sumber belum dicatat.")
    )
    return f"- {line}"


def _step1(facts: NodeFacts) -> str:
    lines = []
    if facts.program is not None:
        lines.append(_("Program: {nama}").format(nama=node_label(facts.program)))
    if facts.kegiatan is not None:
        lines.append(_("Kegiatan: {nama}").format(nama=node_label(facts.kegiatan)))
    lines.append(_("Sub-kegiatan: {nama}").format(nama=node_label(facts.node)))
    if facts.opd is not None:
        lines.append(_("OPD pelaksana: {nama}").format(nama=facts.opd.nama))
    for sasaran in facts.sasaran:
        lines.append(_("Tujuan (sasaran yang dilayani): {nama}").format(nama=node_label(sasaran)))
    for fact in facts.output_indicators:
        lines.append(
            _("Keluaran: {nama}, target {tahun}: {target}").format(
                nama=fact.nama, tahun=facts.tahun, target=with_unit(fact.target, fact.satuan)
            )
        )
    return "\n".join(lines)


def _step2(facts: NodeFacts) -> str:
    if not facts.gender_indicators:
        return ""
    if facts.data_dari == "sub_kegiatan":
        lines = [_("Data terpilah indikator sub-kegiatan ini:")]
    else:
        lines = [
            _(
                "Sub-kegiatan ini belum memiliki data terpilah; data terpilah sasaran yang dilayani "
                "({sasaran}):"
            ).format(sasaran="; ".join(node_label(s) for s in facts.sasaran))
        ]
    for fact in facts.gender_indicators:
        rows = [r for r in facts.sex_rows if r.indikator_id == fact.indicator.pk]
        if rows:
            lines.extend(_sex_line(r) for r in rows)
        else:
            lines.append(
                "- "
                + _("{indikator}: belum ada data terpilah menurut jenis kelamin.").format(indikator=fact.nama)
            )
    return "\n".join(lines)


def _step8(facts: NodeFacts) -> str:
    lines = []
    seen: set[int] = set()
    for fact in (*facts.indicators, *facts.gender_indicators):
        indicator = fact.indicator
        if indicator.pk in seen:
            continue
        seen.add(indicator.pk)
        parts = []
        if indicator.baseline_nilai is not None:
            parts.append(
                _("baseline {tahun}: {nilai}").format(
                    tahun=indicator.baseline_tahun or "—",
                    nilai=with_unit(indicator.baseline_nilai, indicator.satuan),
                )
            )
        rows = [r for r in facts.sex_rows if r.indikator_id == indicator.pk]
        if rows:
            latest = rows[0]
            parts.append(
                _("data terpilah terakhir ({tahun}, {wilayah}): perempuan {p}, laki-laki {l}").format(
                    tahun=latest.tahun,
                    wilayah=latest.wilayah,
                    p=with_unit(latest.perempuan, latest.satuan),
                    l=with_unit(latest.laki_laki, latest.satuan),
                )
            )
        if parts:
            lines.append(f"- {indicator.nama}: " + "; ".join(parts))
    return "\n".join(lines)


def _step9(facts: NodeFacts) -> str:
    return "\n".join(
        "- "
        + _(
            "{nama} ({satuan}), dipilah menurut jenis kelamin penerima manfaat (perempuan dan laki-laki); "
            "target {tahun}: {target}"
        ).format(
            nama=fact.nama,
            satuan=fact.satuan or "—",
            tahun=facts.tahun,
            target=with_unit(fact.target, fact.satuan),
        )
        for fact in facts.output_indicators
    )


def gap_prefill(facts: NodeFacts) -> GapInput:
    """The pre-filled worksheet of a sub-kegiatan (steps 1, 2, 8, 9 and the budget)."""
    return GapInput(
        kebijakan=_step1(facts),
        data_pembuka=_step2(facts),
        baseline=_step8(facts),
        indikator_gender=_step9(facts),
        anggaran=facts.pagu,
    )


# --- writes: the worksheet --------------------------------------------------------------------------


def _require_sub_kegiatan(node: PlanNode) -> None:
    if node.jenis != NodeKind.SUB_KEGIATAN:
        raise ApplicationError(
            _("GAP dan penandaan ARG hanya untuk sub-kegiatan; {nama} adalah {jenis}.").format(
                nama=node_label(node) or node.pk, jenis=NodeKind(node.jenis).label.lower()
            ),
            code="bukan_sub_kegiatan",
        )


def gap_start(*, actor: Any, node: PlanNode, tahun: int) -> GapWorksheet:
    """A new worksheet of the sub-kegiatan `node` (of an RKPD or Renja) for `tahun`, pre-filled."""
    _require_sub_kegiatan(node)
    document = node.dokumen
    if document.jenis not in GAP_DOCUMENT_KINDS:
        raise ApplicationError(
            _("GAP disusun untuk sub-kegiatan RKPD atau Renja, bukan {jenis}.").format(
                jenis=DocumentKind(document.jenis).label
            ),
            code="dokumen_tidak_sah",
        )
    if tahun not in document.tahun:
        raise ApplicationError(
            _("Tahun {tahun} di luar periode {dokumen} ({awal}-{akhir}).").format(
                tahun=tahun, dokumen=document.nama, awal=document.tahun_mulai, akhir=document.tahun_akhir
            ),
            code="tahun_tidak_sah",
        )
    existing = GapWorksheet.objects.filter(node=node, tahun=tahun).first()
    if existing is not None:
        raise ConflictError(
            _("Lembar GAP sub-kegiatan ini untuk tahun {tahun} sudah ada.").format(tahun=tahun),
            code="gap_sudah_ada",
        )
    facts = node_facts(node, tahun)
    prefill = gap_prefill(facts)
    values = _validate(prefill)
    try:
        with transaction.atomic():
            gap = GapWorksheet.objects.create(
                pemda_id=node.pemda_id,
                node=node,
                opd=facts.opd,
                tahun=tahun,
                dibuat_oleh=actor if getattr(actor, "is_authenticated", False) else None,
                **values,
            )
            audit_record(
                actor=actor,
                action="create",
                instance=gap,
                pemda_id=node.pemda_id,
                after=snapshot(gap, GapWorksheet.AUDITED_FIELDS),
            )
    except IntegrityError as exc:  # two people started it at the same moment
        raise ConflictError(
            _("Lembar GAP sub-kegiatan ini untuk tahun {tahun} sudah ada.").format(tahun=tahun),
            code="gap_sudah_ada",
        ) from exc
    return gap


def _write(
    gap: GapWorksheet, *, actor: Any, action: str, expected_version: int, changes: Mapping[str, Any]
) -> None:
    """Apply `changes` with optimistic locking and audit what changed (one transaction)."""
    before = snapshot(gap, GapWorksheet.AUDITED_FIELDS)
    for name, value in changes.items():
        setattr(gap, name, value)
    after = snapshot(gap, GapWorksheet.AUDITED_FIELDS)
    changed = [k for k in GapWorksheet.AUDITED_FIELDS if before[k] != after[k]]
    with transaction.atomic():
        gap.diubah = timezone.now()
        save_versioned(gap, expected_version=expected_version, fields=[*changed, "diubah"])
        if changed:
            audit_record(
                actor=actor,
                action=action,
                instance=gap,
                pemda_id=gap.pemda_id,
                before={k: before[k] for k in changed},
                after={k: after[k] for k in changed},
            )


def gap_update(
    *, actor: Any, gap: GapWorksheet, expected_version: int, data: GapInput, status: str | None = None
) -> GapWorksheet:
    """Save the worksheet's texts and GBS fields; `status=final` also finalizes it (all in one step).

    A final worksheet is locked (409) until taken back to draft; a stale version is refused (409);
    invalid input (400) names every bad field; finalizing lists every required step still empty.
    """
    _check_version(gap, expected_version)
    if gap.status not in EDITABLE:
        raise ConflictError(
            _("Lembar GAP ini sudah final dan terkunci. Kembalikan ke draf untuk mengubahnya."),
            code="gap_terkunci",
        )
    target = gap.status if status is None else status
    if target not in GapStatus.values:
        raise ApplicationError(_("Status lembar GAP tidak dikenal."), code="status_tidak_sah")
    if target != gap.status:
        _check_move(gap, target)
    values = _validate(data)
    if target == GapStatus.FINAL:
        _require_final_ready(values)
    values["status"] = target
    _write(
        gap,
        actor=actor,
        action="finalize" if target != gap.status else "update",
        expected_version=expected_version,
        changes=values,
    )
    return gap


def gap_finalize(*, actor: Any, gap: GapWorksheet, expected_version: int) -> GapWorksheet:
    """Draft -> final, when steps 1, 2, 3 (one of 3a-3d), 6, 7 and 9 are filled."""
    _check_version(gap, expected_version)
    _check_move(gap, GapStatus.FINAL)
    _require_final_ready({name: getattr(gap, name) for name in GapWorksheet.STEP_FIELDS})
    _write(
        gap,
        actor=actor,
        action="finalize",
        expected_version=expected_version,
        changes={"status": GapStatus.FINAL},
    )
    return gap


def gap_reopen(*, actor: Any, gap: GapWorksheet, expected_version: int) -> GapWorksheet:
    """Final -> draft, to edit it again (the final texts stay in the audit trail)."""
    _check_version(gap, expected_version)
    _check_move(gap, GapStatus.DRAFT)
    _write(
        gap,
        actor=actor,
        action="reopen",
        expected_version=expected_version,
        changes={"status": GapStatus.DRAFT},
    )
    return gap


# --- writes: ARG tags -------------------------------------------------------------------------------


def arg_tag_set(
    *, actor: Any, node: PlanNode, kategori: str, catatan: str = "", expected_version: int | None = None
) -> ArgTag:
    """Tag a sub-kegiatan (or change its tag). `expected_version` is the tag's version the user saw;
    None means the user saw it untagged, so a tag added meanwhile by someone else is a conflict."""
    _require_sub_kegiatan(node)
    catatan = _clean_text(catatan)
    errors = []
    if kategori not in ArgCategory.values:
        errors.append(
            {"kolom": "kategori", "pesan": _("Pilih kategori ARG: spesifik, kesetaraan atau kelembagaan.")}
        )
    if len(catatan) > MAX_NOTE or "\x00" in catatan:
        errors.append(
            {
                "kolom": "catatan",
                "pesan": _("Catatan paling panjang {maks} karakter.").format(maks=format_angka(MAX_NOTE, 0)),
            }
        )
    if errors:
        raise _invalid(_("Penandaan ARG belum benar: {daftar}"), errors)
    tag = ArgTag.objects.filter(node=node).first()
    if tag is None:
        if expected_version is not None:
            raise ConflictError(
                _("Tanda ARG sub-kegiatan ini telah dihapus oleh pengguna lain; muat ulang halaman."),
                code="versi_usang",
            )
        try:
            with transaction.atomic():
                tag = ArgTag.objects.create(
                    pemda_id=node.pemda_id, node=node, kategori=kategori, catatan=catatan
                )
                audit_record(
                    actor=actor,
                    action="create",
                    instance=tag,
                    pemda_id=node.pemda_id,
                    after=snapshot(tag, ArgTag.AUDITED_FIELDS),
                )
        except IntegrityError as exc:
            raise ConflictError(
                _("Sub-kegiatan ini baru saja ditandai oleh pengguna lain; muat ulang halaman."),
                code="versi_usang",
            ) from exc
        return tag
    if expected_version is None:
        raise ConflictError(
            _("Sub-kegiatan ini baru saja ditandai oleh pengguna lain; muat ulang halaman."),
            code="versi_usang",
        )
    before = snapshot(tag, ArgTag.AUDITED_FIELDS)
    tag.kategori, tag.catatan = kategori, catatan
    after = snapshot(tag, ArgTag.AUDITED_FIELDS)
    with transaction.atomic():
        tag.diubah = timezone.now()
        save_versioned(tag, expected_version=expected_version, fields=["kategori", "catatan", "diubah"])
        if before != after:
            audit_record(
                actor=actor, action="update", instance=tag, pemda_id=tag.pemda_id, before=before, after=after
            )
    return tag


def arg_tag_remove(*, actor: Any, tag: ArgTag, expected_version: int) -> None:
    before = snapshot(tag, ArgTag.AUDITED_FIELDS)
    with transaction.atomic():
        deleted, _rows = ArgTag.objects.filter(pk=tag.pk, version=expected_version).delete()
        if not deleted:
            current = ArgTag.objects.filter(pk=tag.pk).values_list("version", flat=True).first()
            if current is None:
                raise NotFoundError(_("Tanda ARG sudah dihapus."))
            raise ConflictError(
                _(STALE_MESSAGE).format(expected=expected_version, current=current), code="versi_usang"
            )
        audit_record(
            actor=actor,
            action="delete",
            object_type=ArgTag._meta.label_lower,
            object_id=str(tag.pk),
            object_label=str(tag),
            pemda_id=tag.pemda_id,
            before=before,
        )


# --- reads ------------------------------------------------------------------------------------------


def rkpd_for(pemda: Pemda, tahun: int) -> PlanDocument | None:
    """The newest revision of the pemda's RKPD of `tahun`: the sub-kegiatan of the year."""
    return (
        PlanDocument.objects.filter(pemda=pemda, jenis=DocumentKind.RKPD, tahun_mulai=tahun)
        .order_by("-revisi_ke", "-pk")
        .first()
    )


def gap_queryset(
    pemda: Pemda,
    *,
    opd_ids: frozenset[int] | None,
    tahun: int | None = None,
    opd_id: int | None = None,
    status: str = "",
) -> QuerySet[GapWorksheet]:
    """The worksheets a user may read (`opd_ids`: None = every OPD), filtered."""
    qs = GapWorksheet.objects.filter(pemda=pemda).select_related("node", "opd")
    if opd_ids is not None:
        qs = qs.filter(opd_id__in=opd_ids)
    if tahun is not None:
        qs = qs.filter(tahun=tahun)
    if opd_id is not None:
        qs = qs.filter(opd_id=opd_id)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-tahun", "opd__kode", "node__kode", "pk")


def sub_kegiatan_queryset(
    document: PlanDocument, *, opd_ids: frozenset[int] | None, opd_id: int | None = None, q: str = ""
) -> QuerySet[PlanNode]:
    """The document's sub-kegiatan (of the OPDs in `opd_ids`; None = all), by code or name, with the
    year's pagu annotated as `pagu_tahun` and the ARG tag joined."""
    budget = NodeBudget.objects.filter(
        pemda_id=document.pemda_id, node_id=OuterRef("pk"), tahun=document.tahun_mulai
    ).values("jumlah")[:1]
    qs = (
        PlanNode.objects.filter(pemda_id=document.pemda_id, dokumen=document, jenis=NodeKind.SUB_KEGIATAN)
        .select_related("opd", "tanda_arg")
        .annotate(pagu_tahun=Subquery(budget))
    )
    if opd_ids is not None:
        qs = qs.filter(opd_id__in=opd_ids)
    if opd_id is not None:
        qs = qs.filter(opd_id=opd_id)
    q = " ".join(q.split())[:100]
    if q:
        qs = qs.filter(Q(kode__startswith=q) | Q(nama__icontains=q))
    return qs.order_by("opd__kode", "kode", "pk")


@dataclass(frozen=True)
class ArgLine:
    """A group of sub-kegiatan of one OPD with one tag (or none): the input of `arg_shares`."""

    opd_id: int | None
    opd: str
    kategori: str | None  # None = not tagged
    jumlah: int  # how many sub-kegiatan
    pagu: Decimal


@dataclass
class ArgShare:
    opd_id: int | None
    opd: str
    pagu: Decimal = Decimal(0)
    per_kategori: dict[str, Decimal] = field(
        default_factory=lambda: {k: Decimal(0) for k in ArgCategory.values}
    )
    sub_kegiatan: int = 0
    ditandai: int = 0

    @property
    def pagu_arg(self) -> Decimal:
        return sum(self.per_kategori.values(), Decimal(0))

    @property
    def persen(self) -> Decimal | None:
        return share(self.pagu_arg, self.pagu)

    def persen_kategori(self, kategori: str) -> Decimal | None:
        return share(self.per_kategori[kategori], self.pagu)


@dataclass
class ArgSummary:
    tahun: int
    document: PlanDocument | None
    rows: list[ArgShare]
    total: ArgShare


def share(part: Decimal, whole: Decimal) -> Decimal | None:
    """`part` as a percentage of `whole`, 2 decimals ROUND_HALF_UP; None when `whole` is 0."""
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(CENT, rounding=ROUND_HALF_UP)


def arg_shares(lines: Iterable[ArgLine], tahun: int, document: PlanDocument | None = None) -> ArgSummary:
    """Pure: the per-OPD and overall shares from grouped lines (OPDs in the order first seen)."""
    rows: dict[int | None, ArgShare] = {}
    total = ArgShare(opd_id=None, opd=_("Total"))
    for line in lines:
        row = rows.setdefault(line.opd_id, ArgShare(opd_id=line.opd_id, opd=line.opd))
        for target in (row, total):
            target.pagu += line.pagu
            target.sub_kegiatan += line.jumlah
            if line.kategori is not None:
                target.per_kategori[line.kategori] += line.pagu
                target.ditandai += line.jumlah
    return ArgSummary(tahun=tahun, document=document, rows=list(rows.values()), total=total)


def arg_summary(pemda: Pemda, tahun: int, *, opd_ids: frozenset[int] | None = None) -> ArgSummary:
    """Shares of the year's RKPD sub-kegiatan pagu that are ARG-tagged, per OPD and overall (3 queries)."""
    document = rkpd_for(pemda, tahun)
    if document is None:
        return arg_shares([], tahun)
    qs = PlanNode.objects.filter(pemda=pemda, dokumen=document, jenis=NodeKind.SUB_KEGIATAN)
    if opd_ids is not None:
        qs = qs.filter(opd_id__in=opd_ids)
    grouped = list(
        qs.values("opd_id", "opd__kode", "opd__nama", "tanda_arg__kategori")
        .annotate(
            jumlah=Count("pk", distinct=True),
            pagu_total=Sum("pagu__jumlah", filter=Q(pagu__tahun=tahun)),
        )
        .order_by("opd__kode", "opd_id", "tanda_arg__kategori")
    )
    no_opd = _("Tanpa OPD")
    return arg_shares(
        (
            ArgLine(
                opd_id=g["opd_id"],
                opd=g["opd__nama"] or no_opd,
                kategori=g["tanda_arg__kategori"],
                jumlah=g["jumlah"],
                pagu=g["pagu_total"] or Decimal(0),
            )
            for g in grouped
        ),
        tahun,
        document,
    )
