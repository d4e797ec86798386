"""Sex-disaggregated data and index components of a pemda: the reads, and IPM by sex / IPG / IKG computed
from the stored components with the provenance of every input.

Terms (see `gender.services_data` for the writes and `gender.indices` for the methods)
- *Indikator terpilah*: an indicator of one of the pemda's plan documents flagged "terpilah menurut jenis
  kelamin". Its *OPD* is the OPD of its logframe node, else the OPD of its document (a Renstra or Renja);
  an indicator of a pemda-wide node (visi ... sasaran of the RPJMD) has none and belongs to Bappeda.
- *Kelengkapan* (completeness) of a year: per OPD, how many of its flagged indicators have at least one
  value (any region of the pemda) for that year, and which have none.
- *Hasil hitung* (`Computed`): IPM perempuan and IPM laki-laki (`indices.ipm_by_sex`), IPG
  (`indices.ipg`) and IKG (`indices.ikg`) of a region and year from its `IndexComponent` rows. A result
  lists the components it used with their value, source and status; when a component is missing it lists
  every missing one and has no value (never a guess); when the engine refuses a value (e.g. UHH below the
  method's minimum) the message is kept and there is no value. Computed values are never written to
  `IndexValue`, which holds published figures: the published value of the region and year is shown next
  to the computed one (`PemdaIndices.terbit`).
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import F, Max, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from rencana.core.scope import Scope
from rencana.gender import access
from rencana.gender.indices import (
    LAKI_LAKI,
    PEREMPUAN,
    IndexInputError,
    JenisKelamin,
    SexComponents,
    ikg,
    ipg,
    ipm_by_sex,
)
from rencana.gender.models import ComponentCode, DataStatus, IndexComponent, IndexName, IndexValue, SexValue
from rencana.planning.models import Indicator
from rencana.regions.models import Opd, Pemda, Region

C = ComponentCode
IPM_P_CODES: tuple[str, ...] = (C.UHH_P, C.HLS_P, C.RLS_P, C.PENGELUARAN_P)
IPM_L_CODES: tuple[str, ...] = (C.UHH_L, C.HLS_L, C.RLS_L, C.PENGELUARAN_L)
IPG_CODES: tuple[str, ...] = (*IPM_P_CODES, *IPM_L_CODES)
IKG_CODES: tuple[str, ...] = (
    C.MTF,
    C.MHPK20,
    C.LEGISLATIF_P,
    C.LEGISLATIF_L,
    C.SMA_P,
    C.SMA_L,
    C.TPAK_P,
    C.TPAK_L,
)


# --- regions and scope -----------------------------------------------------------------------------


def in_pemda(pemda: Pemda, kode: str) -> bool:
    """Whether region `kode` is the pemda's own region or inside it ("63.02.01" is inside "63.02")."""
    own = pemda.region_id
    return kode == own or kode.startswith(own + ".")


def pemda_regions(pemda: Pemda) -> QuerySet[Region]:
    """The pemda's own region and the regions directly inside it (kecamatan, or kabupaten/kota)."""
    return Region.objects.filter(Q(kode=pemda.region_id) | Q(parent_id=pemda.region_id)).order_by("kode")


def region_names(kodes: Iterable[str]) -> dict[str, str]:
    return dict(Region.objects.filter(kode__in=set(kodes)).values_list("kode", "nama"))


def can_edit_indicator(scope: Scope, opd_id: int | None) -> bool:
    """Whether the user may write the data of an indicator of `opd_id` (None: a pemda-wide indicator,
    kept by the Pokja PUG and Bappeda only)."""
    if not scope.has("pug.edit"):
        return False
    allowed = access.editable_opds(scope)
    return allowed is None or (opd_id is not None and opd_id in allowed)


# --- flagged indicators and their values ----------------------------------------------------------


def flagged_indicators(
    pemda: Pemda, *, opd_id: int | None = None, q: str = "", tanpa_opd: bool = False
) -> QuerySet[Indicator]:
    """The pemda's indicators flagged "terpilah menurut jenis kelamin", each annotated with `opd_efektif`
    (the node's OPD, else the document's), with node, document and OPD fetched in the same query."""
    qs = (
        Indicator.objects.filter(pemda=pemda, terpilah_gender=True)
        .select_related("node", "node__opd", "node__dokumen", "node__dokumen__opd")
        .annotate(opd_efektif=Coalesce(F("node__opd_id"), F("node__dokumen__opd_id")))
        .order_by("node__dokumen__tahun_mulai", "node__dokumen_id", "node__kode", "urutan", "id")
    )
    if opd_id is not None:
        qs = qs.filter(opd_efektif=opd_id)
    elif tanpa_opd:
        qs = qs.filter(opd_efektif__isnull=True)
    if q:
        qs = qs.filter(nama__icontains=q)
    return qs


def flagged_indicator(pemda: Pemda, indicator_id: int) -> Indicator | None:
    """One indicator of the pemda (flagged or not: the entry page explains how to flag it)."""
    return (
        Indicator.objects.filter(pemda=pemda, pk=indicator_id)
        .select_related("node", "node__opd", "node__dokumen", "node__dokumen__opd")
        .annotate(opd_efektif=Coalesce(F("node__opd_id"), F("node__dokumen__opd_id")))
        .first()
    )


def indicator_opd_id(indicator: Indicator) -> int | None:
    annotated = getattr(indicator, "opd_efektif", None)
    if annotated is not None:
        return int(annotated)
    return indicator.node.opd_id or indicator.node.dokumen.opd_id


def sex_values(
    pemda: Pemda, indicator_ids: Iterable[int], tahun: int | None = None
) -> dict[int, list[SexValue]]:
    """Values of the indicators (one query), per indicator, newest year first, then by region."""
    qs = SexValue.objects.filter(pemda=pemda, indikator_id__in=list(indicator_ids))
    if tahun is not None:
        qs = qs.filter(tahun=tahun)
    grouped: dict[int, list[SexValue]] = defaultdict(list)
    for value in qs.order_by("indikator_id", "-tahun", "wilayah_id"):
        grouped[value.indikator_id].append(value)
    return grouped


def sexvalue_export_rows(
    pemda: Pemda, *, tahun: int | None = None, opd_id: int | None = None, q: str = ""
) -> QuerySet[SexValue]:
    qs = (
        SexValue.objects.filter(pemda=pemda, indikator__terpilah_gender=True)
        .select_related("indikator")
        .annotate(opd_efektif=Coalesce(F("indikator__node__opd_id"), F("indikator__node__dokumen__opd_id")))
        .order_by("indikator_id", "tahun", "wilayah_id")
    )
    if tahun is not None:
        qs = qs.filter(tahun=tahun)
    if opd_id is not None:
        qs = qs.filter(opd_efektif=opd_id)
    if q:
        qs = qs.filter(indikator__nama__icontains=q)
    return qs


def default_tahun(pemda: Pemda) -> int:
    """The latest year with sex-disaggregated data, else the year before the budget year."""
    latest = SexValue.objects.filter(pemda=pemda).aggregate(t=Max("tahun"))["t"]
    return int(latest) if latest else pemda.tahun_anggaran - 1


def pemda_opds(pemda: Pemda) -> QuerySet[Opd]:
    return Opd.objects.filter(pemda=pemda).order_by("nama")


# --- completeness ---------------------------------------------------------------------------------


@dataclass
class OpdCompleteness:
    opd_id: int | None
    nama: str
    indikator: list[Indicator] = field(default_factory=list)
    kurang: list[Indicator] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.indikator)

    @property
    def terisi(self) -> int:
        return self.total - len(self.kurang)

    @property
    def persen(self) -> Decimal:
        """Share of the flagged indicators with data, 0 decimals ROUND_HALF_UP."""
        if not self.total:
            return Decimal(0)
        return (Decimal(100) * self.terisi / self.total).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def completeness(pemda: Pemda, tahun: int) -> list[OpdCompleteness]:
    """Per OPD (by name; the pemda-wide group last): its flagged indicators and those without any value
    in `tahun`. Three queries."""
    indicators = list(flagged_indicators(pemda))
    filled = set(
        SexValue.objects.filter(pemda=pemda, tahun=tahun, indikator__terpilah_gender=True).values_list(
            "indikator_id", flat=True
        )
    )
    names = dict(Opd.objects.filter(pemda=pemda).values_list("pk", "nama"))
    groups: dict[int | None, OpdCompleteness] = {}
    for indicator in indicators:
        opd_id = indicator_opd_id(indicator)
        group = groups.get(opd_id)
        if group is None:
            nama = names.get(opd_id, "") if opd_id is not None else _("Tingkat pemda (tanpa OPD)")
            group = groups[opd_id] = OpdCompleteness(opd_id, nama)
        group.indikator.append(indicator)
        if indicator.pk not in filled:
            group.kurang.append(indicator)
    return sorted(groups.values(), key=lambda g: (g.opd_id is None, g.nama.casefold()))


# --- components and computed indices --------------------------------------------------------------


def component_rows(
    pemda: Pemda, *, tahun: int | None = None, wilayah: str | None = None
) -> QuerySet[IndexComponent]:
    qs = IndexComponent.objects.filter(pemda=pemda)
    if tahun is not None:
        qs = qs.filter(tahun=tahun)
    if wilayah:
        qs = qs.filter(wilayah_id=wilayah)
    return qs.order_by("tahun", "wilayah_id", "kode")


def component_years(pemda: Pemda) -> list[int]:
    return sorted(
        set(IndexComponent.objects.filter(pemda=pemda).values_list("tahun", flat=True)), reverse=True
    )


@dataclass(frozen=True)
class ComponentFact:
    """One stored component as an input of a computation: value, source and status (provenance)."""

    kode: str
    label: str
    nilai: Decimal
    sumber: str
    status: str
    status_label: str
    pk: int = 0
    version: int = 0


@dataclass(frozen=True)
class Computed:
    kunci: str  # "ipm_perempuan", "ipm_laki_laki", "ipg", "ikg"
    nama: str
    desimal: int  # published precision: 2 (IPM, IPG), 3 (IKG)
    komponen: tuple[ComponentFact, ...]  # the inputs present, in the method's order
    kurang: tuple[str, ...] = ()  # codes of the missing inputs
    nilai: Decimal | None = None  # as published, ROUND_HALF_UP
    raw: float | None = None
    galat: str = ""  # the engine's refusal of a value
    hasil: Any = None  # IpmResult, IpgResult or IkgResult (intermediate indices)

    @property
    def ok(self) -> bool:
        return self.nilai is not None

    @property
    def kurang_label(self) -> list[str]:
        return [str(ComponentCode(k).label) for k in self.kurang]


@dataclass(frozen=True)
class Published:
    indeks: str
    nilai: Decimal
    sumber: str


@dataclass(frozen=True)
class PemdaIndices:
    wilayah: str
    wilayah_nama: str
    tahun: int
    komponen: Mapping[str, ComponentFact]
    ipm_perempuan: Computed
    ipm_laki_laki: Computed
    ipg: Computed
    ikg: Computed
    terbit: Mapping[str, Published]  # IndexValue of the region and year, by index name

    @property
    def hasil(self) -> tuple[Computed, ...]:
        return (self.ipm_perempuan, self.ipm_laki_laki, self.ipg, self.ikg)

    @property
    def kurang(self) -> tuple[str, ...]:
        """Every component still missing for IPG and IKG, in the order of `ComponentCode`."""
        present = set(self.komponen)
        return tuple(k for k in ComponentCode.values if k not in present)


def _status_label(status: str) -> str:
    try:
        return str(DataStatus(status).label)
    except ValueError:
        return status


def component_fact(component: IndexComponent) -> ComponentFact:
    return ComponentFact(
        kode=component.kode,
        label=str(ComponentCode(component.kode).label)
        if component.kode in ComponentCode.values
        else component.kode,
        nilai=component.nilai,
        sumber=component.sumber,
        status=component.status,
        status_label=_status_label(component.status),
        pk=component.pk,
        version=component.version,
    )


def _inputs(
    facts: Mapping[str, ComponentFact], codes: Sequence[str]
) -> tuple[tuple[ComponentFact, ...], tuple[str, ...]]:
    present = tuple(facts[k] for k in codes if k in facts)
    missing = tuple(k for k in codes if k not in facts)
    return present, missing


def indices_from_components(
    facts: Mapping[str, ComponentFact],
) -> tuple[Computed, Computed, Computed, Computed]:
    """IPM perempuan, IPM laki-laki, IPG and IKG from the components (pure: no database)."""

    def value(code: str) -> Decimal:
        return facts[code].nilai

    results: list[Computed] = []
    sexes: tuple[tuple[str, str, tuple[str, ...], JenisKelamin], ...] = (
        ("ipm_perempuan", _("IPM perempuan"), IPM_P_CODES, PEREMPUAN),
        ("ipm_laki_laki", _("IPM laki-laki"), IPM_L_CODES, LAKI_LAKI),
    )
    for kunci, nama, codes, sex in sexes:
        present, missing = _inputs(facts, codes)
        if missing:
            results.append(Computed(kunci, nama, 2, present, missing))
            continue
        try:
            uhh, hls, rls, pengeluaran = (value(k) for k in codes)
            hasil = ipm_by_sex(uhh, hls, rls, pengeluaran, sex)
        except IndexInputError as exc:
            results.append(Computed(kunci, nama, 2, present, galat=exc.message))
            continue
        results.append(Computed(kunci, nama, 2, present, nilai=hasil.ipm, raw=hasil.ipm_raw, hasil=hasil))

    present, missing = _inputs(facts, IPG_CODES)
    if missing:
        results.append(Computed("ipg", "IPG", 2, present, missing))
    else:
        try:
            hasil_ipg = ipg(
                SexComponents(*(value(k) for k in IPM_P_CODES)),
                SexComponents(*(value(k) for k in IPM_L_CODES)),
            )
        except IndexInputError as exc:
            results.append(Computed("ipg", "IPG", 2, present, galat=exc.message))
        else:
            results.append(
                Computed(
                    "ipg", "IPG", 2, present, nilai=hasil_ipg.ipg, raw=hasil_ipg.ipg_raw, hasil=hasil_ipg
                )
            )

    present, missing = _inputs(facts, IKG_CODES)
    if missing:
        results.append(Computed("ikg", "IKG", 3, present, missing))
    else:
        try:
            hasil_ikg = ikg(
                mtf=value(C.MTF),
                mhpk20=value(C.MHPK20),
                legislatif_l=value(C.LEGISLATIF_L),
                legislatif_p=value(C.LEGISLATIF_P),
                sma_l=value(C.SMA_L),
                sma_p=value(C.SMA_P),
                tpak_l=value(C.TPAK_L),
                tpak_p=value(C.TPAK_P),
            )
        except IndexInputError as exc:
            results.append(Computed("ikg", "IKG", 3, present, galat=exc.message))
        else:
            results.append(
                Computed(
                    "ikg", "IKG", 3, present, nilai=hasil_ikg.ikg, raw=hasil_ikg.ikg_raw, hasil=hasil_ikg
                )
            )
    ipm_p, ipm_l, ipg_result, ikg_result = results
    return ipm_p, ipm_l, ipg_result, ikg_result


def compute_pemda_indices(pemda: Pemda, wilayah: Region | str, tahun: int) -> PemdaIndices:
    """IPM by sex, IPG and IKG of `wilayah` in `tahun` from the pemda's stored components, each with its
    inputs' provenance, and the published `IndexValue`s of the region and year (two or three queries)."""
    if isinstance(wilayah, Region):
        kode, nama = wilayah.kode, wilayah.nama
    else:
        kode = wilayah
        nama = Region.objects.filter(kode=kode).values_list("nama", flat=True).first() or kode
    facts = {
        c.kode: component_fact(c)
        for c in IndexComponent.objects.filter(pemda=pemda, wilayah_id=kode, tahun=tahun)
    }
    ipm_p, ipm_l, ipg_result, ikg_result = indices_from_components(facts)
    terbit = {
        v.indeks: Published(v.indeks, v.nilai, v.sumber)
        for v in IndexValue.objects.filter(wilayah_id=kode, tahun=tahun, indeks__in=IndexName.values)
    }
    return PemdaIndices(
        wilayah=kode,
        wilayah_nama=nama,
        tahun=tahun,
        komponen=facts,
        ipm_perempuan=ipm_p,
        ipm_laki_laki=ipm_l,
        ipg=ipg_result,
        ikg=ikg_result,
        terbit=terbit,
    )
