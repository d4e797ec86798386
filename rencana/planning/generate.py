"""Realistic budget trees drawn from the nomenclature, written in bulk (demo data and benchmarks).

An OPD runs the programs of the bidang urusan in its unit code (SIPD: "1.04.2.10.0.00.01.0000"
serves 1.04 and 2.10) plus the supporting program X.XX.01 that every OPD has. Sub-kegiatan are
spread over OPDs in proportion to what their bidang offer. Pagu is drawn per sub-kegiatan (rupiah,
whole thousands) and summed upwards; every sub-kegiatan gets the output indicator and unit of the
nomenclature metadata, programs an outcome indicator. Programs are linked to the sasaran that
`sasaran_for(bidang)` names, so one bidang always serves the same sasaran.

Bulk writes skip the per-record audit trail on purpose: this is seed data, not a user's change.
"""

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from rencana.planning.models import (
    Indicator,
    IndicatorKind,
    IndicatorTarget,
    NodeBudget,
    NodeLink,
    NomenclatureItem,
    PlanDocument,
    PlanNode,
)
from rencana.regions.models import Opd

BATCH = 2000


def opd_bidang(kode: str) -> list[str]:
    """The bidang urusan an OPD serves, from its SIPD unit code."""
    parts = kode.split(".")
    found = []
    for i in range(0, min(len(parts), 6), 2):
        if i + 1 < len(parts) and parts[i] not in ("0", "") and parts[i + 1] not in ("00", ""):
            found.append(f"{parts[i]}.{parts[i + 1]}")
    return found


@dataclass
class Generated:
    programs: int = 0
    kegiatan: int = 0
    sub_kegiatan: int = 0
    indicators: int = 0


def _catalogue(edition_id: int, pemda_kind: str) -> dict[str, dict[str, list[NomenclatureItem]]]:
    """program/kegiatan/sub-kegiatan of one kind of pemda, grouped by parent code."""
    children: dict[str, dict[str, list[NomenclatureItem]]] = {
        "program": defaultdict(list),
        "kegiatan": defaultdict(list),
        "sub_kegiatan": defaultdict(list),
    }
    items = NomenclatureItem.objects.filter(
        edisi_id=edition_id,
        level__in=["program", "kegiatan", "sub_kegiatan"],
        berlaku_untuk__in=[pemda_kind, "semua"],
    ).order_by("kode")
    for item in items:
        children[item.level][item.kode_induk].append(item)
    return children


def generate_budget_tree(
    *,
    document: PlanDocument,
    opds: list[Opd],
    pemda_kind: str,
    sub_kegiatan: int,
    sasaran_for: Callable[[str], int | None] | None = None,
    seed: int = 2026,
) -> Generated:
    """Add up to `sub_kegiatan` sub-kegiatan (with their kegiatan and programs) to `document`.

    One pass over the OPDs' programs, 1 to 4 sub-kegiatan per kegiatan: the 34 demo OPDs yield at most
    about 2,800 whatever is asked; larger sets need more OPDs (the benchmark adds kecamatan and units).
    """
    assert document.edisi_nomenklatur_id is not None
    rng = random.Random(seed)
    catalogue = _catalogue(document.edisi_nomenklatur_id, pemda_kind)
    years = document.tahun
    plan: list[tuple[Opd, NomenclatureItem, list[tuple[NomenclatureItem, list[NomenclatureItem]]]]] = []
    offered: dict[int, int] = {}
    per_opd: dict[
        int, list[tuple[NomenclatureItem, list[tuple[NomenclatureItem, list[NomenclatureItem]]]]]
    ] = {}
    for opd in opds:
        programs: list[tuple[NomenclatureItem, list[tuple[NomenclatureItem, list[NomenclatureItem]]]]] = []
        for bidang in [*opd_bidang(opd.kode), "X.XX"]:
            for program in catalogue["program"].get(bidang, []):
                kegiatan = [
                    (k, catalogue["sub_kegiatan"].get(k.kode, []))
                    for k in catalogue["kegiatan"].get(program.kode, [])
                ]
                kegiatan = [(k, subs) for k, subs in kegiatan if subs]
                if kegiatan:
                    programs.append((program, kegiatan))
        per_opd[opd.pk] = programs
        offered[opd.pk] = sum(len(subs) for _p, ks in programs for _k, subs in ks)
    total_offered = sum(offered.values()) or 1
    for opd in opds:
        quota = max(3, round(sub_kegiatan * offered[opd.pk] / total_offered)) if offered[opd.pk] else 0
        chosen: list[tuple[NomenclatureItem, list[tuple[NomenclatureItem, list[NomenclatureItem]]]]] = []
        remaining = quota
        programs = per_opd[opd.pk]
        # Supporting program first (every OPD runs it), then the bidang's programs.
        programs.sort(key=lambda p: (not p[0].kode.startswith("X"), p[0].kode))
        for program, kegiatan in programs:
            if remaining <= 0:
                break
            picked: list[tuple[NomenclatureItem, list[NomenclatureItem]]] = []
            for keg, subs in kegiatan:
                if remaining <= 0:
                    break
                take = subs[: min(len(subs), remaining, rng.randint(1, 4))]
                remaining -= len(take)
                picked.append((keg, take))
            chosen.append((program, picked))
        for program, picked in chosen:
            plan.append((opd, program, picked))
    result = Generated()
    program_nodes: list[PlanNode] = []
    urutan = PlanNode.objects.filter(dokumen=document, induk=None).count()
    for index, (opd, program, _picked) in enumerate(plan, start=urutan + 1):
        program_nodes.append(
            PlanNode(
                pemda_id=document.pemda_id,
                dokumen=document,
                jenis="program",
                kode=program.kode,
                nama=program.nama,
                urutan=index,
                opd=opd,
            )
        )
    PlanNode.objects.bulk_create(program_nodes, batch_size=BATCH)
    kegiatan_nodes: list[PlanNode] = []
    kegiatan_items: list[tuple[PlanNode, list[NomenclatureItem]]] = []
    links: list[NodeLink] = []
    for program_node, (opd, program, picked) in zip(program_nodes, plan, strict=True):
        target = sasaran_for(".".join(program.kode.split(".")[:2])) if sasaran_for else None
        if target is not None:
            links.append(NodeLink(pemda_id=document.pemda_id, dari=program_node, ke_id=target))
        for position, (keg, subs) in enumerate(picked, start=1):
            node = PlanNode(
                pemda_id=document.pemda_id,
                dokumen=document,
                jenis="kegiatan",
                induk=program_node,
                kode=keg.kode,
                nama=keg.nama,
                urutan=position,
                opd=opd,
            )
            kegiatan_nodes.append(node)
            kegiatan_items.append((node, subs))
    PlanNode.objects.bulk_create(kegiatan_nodes, batch_size=BATCH)
    NodeLink.objects.bulk_create(links, batch_size=BATCH)
    sub_nodes: list[tuple[PlanNode, NomenclatureItem]] = []
    for keg_node, subs in kegiatan_items:
        for position, item in enumerate(subs, start=1):
            sub_nodes.append(
                (
                    PlanNode(
                        pemda_id=document.pemda_id,
                        dokumen=document,
                        jenis="sub_kegiatan",
                        induk=keg_node,
                        kode=item.kode,
                        nama=item.nama,
                        urutan=position,
                        opd_id=keg_node.opd_id,
                        sumber_dana=rng.choice(["DAU", "DAU", "DAK Fisik", "DBH", "PAD"]),
                    ),
                    item,
                )
            )
    PlanNode.objects.bulk_create([n for n, _ in sub_nodes], batch_size=BATCH)
    budgets: list[NodeBudget] = []
    indicators: list[Indicator] = []
    target_values: list[dict[int, Decimal]] = []
    kegiatan_pagu: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for node, item in sub_nodes:
        base = Decimal(rng.randint(50, 2500)) * 1_000_000
        first_target = rng.randint(1, 40)
        for tahun in years:
            amount = (base * Decimal(1 + 0.05 * (tahun - years[0]))).quantize(Decimal("1000"))
            budgets.append(NodeBudget(pemda_id=document.pemda_id, node=node, tahun=tahun, jumlah=amount))
            assert node.induk_id is not None
            kegiatan_pagu[node.induk_id][tahun] += amount
        indicators.append(
            Indicator(
                pemda_id=document.pemda_id,
                node=node,
                jenis=IndicatorKind.OUTPUT,
                nama=item.indikator or f"Jumlah {item.nama}",
                satuan=item.satuan or "Dokumen",
                agregasi="kumulatif",
                baseline_tahun=years[0] - 1,
                baseline_nilai=Decimal(rng.randint(0, first_target)),
                urutan=1,
            )
        )
        target_values.append({t: Decimal(first_target + 2 * (t - years[0])) for t in years})
    program_pagu: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for node in kegiatan_nodes:
        for tahun, amount in kegiatan_pagu[node.pk].items():
            budgets.append(NodeBudget(pemda_id=document.pemda_id, node=node, tahun=tahun, jumlah=amount))
            assert node.induk_id is not None
            program_pagu[node.induk_id][tahun] += amount
    for node in program_nodes:
        for tahun, amount in program_pagu[node.pk].items():
            budgets.append(NodeBudget(pemda_id=document.pemda_id, node=node, tahun=tahun, jumlah=amount))
        indicators.append(
            Indicator(
                pemda_id=document.pemda_id,
                node=node,
                jenis=IndicatorKind.OUTCOME,
                nama=f"Persentase capaian sasaran {node.nama.lower().removeprefix('program ')}"[:1000],
                satuan="%",
                baseline_tahun=years[0] - 1,
                baseline_nilai=Decimal(rng.randint(40, 80)),
                urutan=1,
            )
        )
        target_values.append({t: Decimal(min(100, 80 + 4 * (t - years[0]))) for t in years})
    NodeBudget.objects.bulk_create(budgets, batch_size=BATCH)
    Indicator.objects.bulk_create(indicators, batch_size=BATCH)
    IndicatorTarget.objects.bulk_create(
        (
            IndicatorTarget(pemda_id=document.pemda_id, indikator=indicator, tahun=tahun, nilai=value)
            for indicator, values in zip(indicators, target_values, strict=True)
            for tahun, value in values.items()
        ),
        batch_size=BATCH,
    )
    result.programs = len(program_nodes)
    result.kegiatan = len(kegiatan_nodes)
    result.sub_kegiatan = len(sub_nodes)
    result.indicators = len(indicators)
    return result
