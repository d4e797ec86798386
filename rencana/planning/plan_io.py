"""Plans in and out of Excel: the RKPD/Renja budget table and the RPJMD matrix.

Budget table (RKPD, Renja, and the budget part of Renstra/RPJMD), one row per program, kegiatan
or sub-kegiatan — the level is read from the shape of the code (1.02.02 program, 1.02.02.2.01
kegiatan, 1.02.02.2.01.0001 sub-kegiatan). Natural key: Kode + OPD. A row whose parent is not in
the file (a sub-kegiatan without its kegiatan row) gets that parent created from the name columns
or the nomenclature. Several indicators of one node are written on separate lines of one cell
(Indikator, Satuan and each Target column line up).

RPJMD matrix (RPJPD/RPJMD/Renstra): one row per indicator of a tujuan or sasaran, placed by Kode
misi / Kode tujuan / Kode sasaran; natural key: the three codes and the indicator name.

Both: imports never delete; columns missing from the file leave stored values alone; exporting and
importing back changes nothing; messy files are accepted where the meaning is unambiguous (title
rows above the header, codes that Excel turned into numbers, Indonesian numbers, spaces).
"""

import io
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from rencana.core import imports
from rencana.core.errors import ApplicationError
from rencana.core.imports import CellParser, Column, ImportResult, ImportRow, ImportSpec, Outcome
from rencana.core.numbers import AngkaError, parse_angka
from rencana.core.tabular import cell_text
from rencana.planning import codes, levels, selectors, services
from rencana.planning.models import (
    Aggregation,
    Indicator,
    IndicatorKind,
    NomenclatureItem,
    PlanDocument,
    PlanNode,
    Polarity,
)
from rencana.regions.models import Opd

# --- cell parsers -----------------------------------------------------------------------------


def _kode() -> CellParser:
    def parse(raw: Any) -> str:
        return codes.normalize_kode(raw)

    return CellParser(
        parse, "Kode Permendagri 90, mis. 1.02.02.2.01.0001 (ketik sebagai teks)", number_format="@"
    )


def _nomor() -> CellParser:
    """A planner's own numbering of misi/tujuan/sasaran ("1.1.3"), kept as typed."""

    def parse(raw: Any) -> str:
        if isinstance(raw, float):
            # Excel turned "1.1" into a number; "1.10" cannot be told from "1.1" any more.
            return format(raw, ".15g")
        value = " ".join(cell_text(raw).split())
        if len(value) > 40:
            raise ValueError("Paling panjang 40 karakter.")
        return value

    return CellParser(parse, "Nomor urut, mis. 1, 1.1, 1.1.3 (ketik sebagai teks)", number_format="@")


def _cell_lines(raw: Any) -> str:
    """A cell's text keeping its line structure: a blank line stands for a blank value."""
    if isinstance(raw, str):
        return raw.replace("\r\n", "\n").replace("\r", "\n")
    return cell_text(raw)


def _lines(max_len: int) -> CellParser:
    def parse(raw: Any) -> list[str]:
        text = _cell_lines(raw)
        if len(text) > max_len:
            raise ValueError(f"Paling panjang {max_len} karakter (terisi {len(text)}).")
        return [" ".join(line.split()) for line in text.split("\n")] if text.strip() else []

    return CellParser(parse, "Teks; beberapa indikator ditulis per baris (Alt+Enter)", number_format="@")


def _number_lines() -> CellParser:
    def parse(raw: Any) -> list[Decimal | None]:
        if isinstance(raw, bool):
            raise ValueError("Isi dengan angka, bukan ya/tidak.")
        if isinstance(raw, int):
            return [Decimal(raw)]
        if isinstance(raw, float):
            return [Decimal(format(raw, ".15g"))]
        values: list[Decimal | None] = []
        text = _cell_lines(raw)
        if not text.strip():
            return []
        for number, line in enumerate(text.split("\n"), start=1):
            line = line.strip()
            if not line or line == "-":
                values.append(None)
                continue
            try:
                values.append(parse_angka(line))
            except AngkaError as exc:
                raise ValueError(f"Baris {number} di sel ini: {exc.message}") from None
        return values

    return CellParser(parse, "Angka (5.319,05); satu baris per indikator")


def _fmt(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


# --- budget table (RKPD / Renja) -----------------------------------------------------------------


def budget_spec(document: PlanDocument) -> ImportSpec:
    years = document.tahun
    single = len(years) == 1
    year_columns: list[Column] = []
    for tahun in years:
        target_label = "Target" if single else f"Target {tahun}"
        pagu_label = "Pagu" if single else f"Pagu {tahun}"
        year_columns.append(
            Column(
                f"target_{tahun}",
                target_label,
                _number_lines(),
                default=[],
                example="100",
                aliases=(f"target {tahun}",),
                note=f"Target tahun {tahun}, satu baris per indikator.",
            )
        )
        year_columns.append(
            Column(
                f"pagu_{tahun}",
                pagu_label,
                imports.angka(minimum=Decimal(0)),
                example="1.250.000.000",
                aliases=(
                    f"pagu {tahun}",
                    f"pagu indikatif {tahun}",
                    "pagu (rp)" if single else f"pagu {tahun} (rp)",
                ),
                note=f"Pagu tahun {tahun} dalam rupiah.",
            )
        )
    return ImportSpec(
        title=f"{document.get_jenis_display()} {years[0]}"[:31],
        columns=(
            Column(
                "kode",
                "Kode",
                _kode(),
                required=True,
                example="1.02.02.2.01.0001",
                aliases=("kode rekening", "kode program/kegiatan/sub kegiatan"),
                note=(
                    "Tingkat dibaca dari bentuk kode: program U.BB.PP, kegiatan U.BB.PP.J.KK, "
                    "sub-kegiatan U.BB.PP.J.KK.SSSS."
                ),
            ),
            Column("urusan", "Urusan", imports.text(500), default="", note="Informasi; tidak disimpan."),
            Column(
                "bidang",
                "Bidang",
                imports.text(500),
                default="",
                aliases=("bidang urusan",),
                note="Informasi; tidak disimpan.",
            ),
            Column(
                "program", "Program", imports.text(2000), default="", note="Nama program (baris program)."
            ),
            Column(
                "kegiatan", "Kegiatan", imports.text(2000), default="", note="Nama kegiatan (baris kegiatan)."
            ),
            Column(
                "sub_kegiatan",
                "Sub-kegiatan",
                imports.text(2000),
                default="",
                aliases=("sub kegiatan", "subkegiatan"),
                note="Nama sub-kegiatan; kosong = nama dari nomenklatur.",
            ),
            Column(
                "indikator", "Indikator", _lines(4000), default=[], example="Jumlah Rumah Sakit yang Dibangun"
            ),
            Column("satuan", "Satuan", _lines(1000), default=[], example="Unit"),
            *year_columns,
            Column(
                "lokasi",
                "Lokasi",
                imports.text(2000),
                default="",
                example="63.02.01;63.02.01.2001",
                note="Kode wilayah kecamatan/desa, dipisah titik koma (sub-kegiatan).",
            ),
            Column("sumber_dana", "Sumber dana", imports.text(120), default="", example="DAU"),
            Column(
                "opd",
                "OPD",
                imports.text(200),
                required=document.opd_id is None,
                default="",
                example="1.02.0.00.0.00.01.0000",
                aliases=("kode opd", "perangkat daerah", "skpd"),
                note="Kode atau nama OPD pelaksana.",
            ),
            Column(
                "sasaran",
                "Sasaran",
                imports.text(2000),
                default="",
                example="1.1.3",
                aliases=("kode sasaran", "sasaran rpjmd"),
                note="Kode sasaran yang dilayani (RPJMD/Renstra), dipisah titik koma.",
            ),
            Column(
                "luar_nomenklatur",
                "Luar nomenklatur",
                imports.boolean(),
                default=False,
                example="tidak",
                note="“ya” bila kode sengaja di luar nomenklatur (akan ditandai pemeriksa).",
            ),
        ),
        natural_key=("kode", "opd"),
    )


class _Context:
    """What both appliers need once per import: OPDs, sasaran, nomenclature, existing nodes."""

    def __init__(self, document: PlanDocument) -> None:
        self.document = document
        pemda = document.pemda
        opds = list(Opd.objects.filter(pemda=pemda))
        self.opd_by_key: dict[str, Opd] = {}
        for opd in opds:
            self.opd_by_key[opd.kode.casefold()] = opd
        for opd in opds:
            self.opd_by_key.setdefault(" ".join(opd.nama.split()).casefold(), opd)
        self.known_sasaran = services.known_sasaran_ids(document)
        self.sasaran_by_key: dict[str, int] = {}
        own_first = sorted(
            PlanNode.objects.filter(pk__in=self.known_sasaran).values_list(
                "pk", "kode", "nama", "dokumen_id"
            ),
            key=lambda r: (r[3] != document.pk, r[3] != document.induk_id, r[0]),
        )
        for pk, kode, nama, _doc in own_first:
            if kode:
                self.sasaran_by_key.setdefault(kode.casefold(), pk)
            self.sasaran_by_key.setdefault(" ".join(nama.split()).casefold(), pk)
        self.kind = codes.pemda_kind_of(pemda.jenis)
        self.items: dict[tuple[str, str], NomenclatureItem] = {}
        if document.edisi_nomenklatur_id is not None:
            for item in NomenclatureItem.objects.filter(edisi_id=document.edisi_nomenklatur_id):
                self.items[(item.kode, item.berlaku_untuk)] = item

    def lookup(self, kode: str, pemda_kind: str) -> NomenclatureItem | None:
        return self.items.get((kode, pemda_kind)) or self.items.get((kode, "semua"))


def _opd_of(context: _Context, value: str) -> Opd | None:
    if not value:
        return context.document.opd
    opd = context.opd_by_key.get(" ".join(value.split()).casefold())
    if opd is None:
        raise ApplicationError(
            _("OPD “%(opd)s” tidak dikenal di pemda ini (tulis kodenya atau namanya persis).")
            % {"opd": value},
            errors=[{"kolom": "opd", "pesan": _("OPD tidak dikenal: %(opd)s.") % {"opd": value}}],
        )
    return opd


def _sasaran_ids(context: _Context, value: str) -> list[int]:
    ids: list[int] = []
    missing: list[str] = []
    for part in value.split(";"):
        key = " ".join(part.split()).casefold()
        if not key:
            continue
        found = context.sasaran_by_key.get(key)
        if found is None:
            missing.append(part.strip())
        else:
            ids.append(found)
    if missing:
        raise ApplicationError(
            _("Sasaran tidak ditemukan di dokumen induk: %(daftar)s.") % {"daftar": ", ".join(missing)},
            errors=[
                {
                    "kolom": "sasaran",
                    "pesan": _("Sasaran tidak ditemukan di dokumen ini atau dokumen induknya: %(daftar)s.")
                    % {"daftar": ", ".join(missing)},
                }
            ],
        )
    return ids


def _sync_indicators(
    *,
    actor: Any,
    node: PlanNode,
    names: list[str],
    units: list[str] | None,
    targets: dict[int, list[Decimal | None]] | None,
    existing: list[Indicator],
) -> bool:
    """Create or update the row's indicators (matched by name); True when anything changed."""
    if units is not None and units and len(units) != len(names):
        raise ApplicationError(
            _("Jumlah baris Satuan (%(s)s) tidak sama dengan jumlah indikator (%(i)s).")
            % {"s": len(units), "i": len(names)},
            errors=[{"kolom": "satuan", "pesan": _("Tulis satu satuan per baris indikator.")}],
        )
    for tahun, values in (targets or {}).items():
        if values and len(values) != len(names):
            raise ApplicationError(
                _("Jumlah baris target %(tahun)s tidak sama dengan jumlah indikator.") % {"tahun": tahun},
                errors=[{"kolom": f"target_{tahun}", "pesan": _("Tulis satu target per baris indikator.")}],
            )
    by_name = {" ".join(i.nama.split()).casefold(): i for i in existing}
    changed = False
    for index, name in enumerate(names):
        if not name:
            continue
        indicator = by_name.get(name.casefold())
        current_targets: dict[int, Decimal] = (
            dict(getattr(indicator, "target_per_tahun", {})) if indicator else {}
        )
        wanted_targets: dict[int, Decimal | None] = dict(current_targets)
        for tahun, values in (targets or {}).items():
            wanted_targets[tahun] = values[index] if values else None
        unit = units[index] if units else (indicator.satuan if indicator else "")
        if indicator is None:
            kind = IndicatorKind.OUTCOME if node.jenis == "program" else IndicatorKind.OUTPUT
            services.indicator_create(
                actor=actor,
                node=node,
                data=services.IndicatorInput(nama=name, satuan=unit, jenis=kind, target=wanted_targets),
            )
            changed = True
            continue
        version = indicator.version
        updated = services.indicator_update(
            actor=actor,
            indicator=indicator,
            expected_version=indicator.version,
            data=services.IndicatorInput(
                nama=indicator.nama,
                satuan=unit,
                jenis=indicator.jenis,
                polaritas=indicator.polaritas,
                agregasi=indicator.agregasi,
                definisi=indicator.definisi,
                formula=indicator.formula,
                sumber_data=indicator.sumber_data,
                baseline_tahun=indicator.baseline_tahun,
                baseline_nilai=indicator.baseline_nilai,
                terpilah_gender=indicator.terpilah_gender,
                target=wanted_targets,
            ),
        )
        changed = changed or updated.version != version
    return changed


class BudgetApplier:
    def __init__(self, *, actor: Any, document: PlanDocument) -> None:
        self.actor = actor
        self.document = document
        self.nodes: dict[tuple[str, int | None], PlanNode] = {}
        self.rows: dict[int, selectors.TreeRow] = {}

    def load(self, rows: Sequence[ImportRow]) -> None:
        self.context = _Context(self.document)
        tree = selectors.tree(self.document)
        self.rows = tree.by_id
        for row in tree.rows:
            node = row.node
            if levels.is_budget(node.jenis) and node.kode:
                self.nodes[(node.kode, node.opd_id)] = node

    def _ensure_parent(
        self, kode: str, opd: Opd | None, values: dict[str, Any], *, luar: bool
    ) -> PlanNode | None:
        level = codes.level_of(kode)
        if level == "program":
            return None
        parent_kode = codes.parent_kode(kode)
        parent_level = codes.level_of(parent_kode)
        key = (parent_kode, opd.pk if opd else None)
        parent = self.nodes.get(key)
        if parent is not None:
            return parent
        if parent_level not in ("program", "kegiatan"):
            return None
        grandparent = self._ensure_parent(parent_kode, opd, values, luar=luar)
        name = values.get(parent_level, "") if level != parent_level else ""
        parent = services.node_create(
            actor=self.actor,
            document=self.document,
            parent=grandparent,
            data=services.NodeInput(
                jenis=parent_level,
                kode=parent_kode,
                nama=name,
                opd=opd,
                luar_nomenklatur=luar and not self.context.lookup(parent_kode, self.context.kind),
            ),
            lookup=self.context.lookup,
            known_sasaran=self.context.known_sasaran,
            prefill_indicator=False,
        )
        self.nodes[key] = parent
        self.rows[parent.pk] = selectors.TreeRow(node=parent, depth=0)
        return parent

    def apply(self, row: ImportRow) -> Outcome:
        values = row.values
        kode: str = values["kode"]
        level = codes.level_of(kode)
        if level not in levels.BUDGET_KINDS:
            raise ApplicationError(
                _("Kode %(kode)s bukan kode program, kegiatan atau sub-kegiatan.") % {"kode": kode},
                errors=[
                    {"kolom": "kode", "pesan": _("Bentuk kode tidak dikenali: %(kode)s.") % {"kode": kode}}
                ],
            )
        opd = _opd_of(self.context, values.get("opd", ""))
        luar = bool(values.get("luar_nomenklatur", False))
        name = values.get(level, "")
        years = self.document.tahun
        pagu = {t: values[f"pagu_{t}"] for t in years if f"pagu_{t}" in values}
        node = self.nodes.get((kode, opd.pk if opd else None))
        targets = {t: values[f"target_{t}"] for t in years if f"target_{t}" in values}
        names = values.get("indikator")
        units = values.get("satuan")
        if node is None:
            parent = self._ensure_parent(kode, opd, values, luar=luar)
            node = services.node_create(
                actor=self.actor,
                document=self.document,
                parent=parent,
                data=services.NodeInput(
                    jenis=level,
                    kode=kode,
                    nama=name,
                    opd=opd,
                    luar_nomenklatur=luar,
                    sumber_dana=values.get("sumber_dana", ""),
                    lokasi=values.get("lokasi", ""),
                    sasaran_ids=_sasaran_ids(self.context, values.get("sasaran", "")),
                    pagu=pagu,
                ),
                lookup=self.context.lookup,
                known_sasaran=self.context.known_sasaran,
                prefill_indicator=not names,
            )
            self.nodes[(kode, node.opd_id)] = node
            if names:
                _sync_indicators(
                    actor=self.actor, node=node, names=names, units=units, targets=targets, existing=[]
                )
            return Outcome.CREATED
        tree_row = self.rows.get(node.pk)
        current_links = [s.pk for s in tree_row.sasaran] if tree_row else []
        current_pagu = dict(tree_row.pagu) if tree_row else {}
        version = node.version
        merged_pagu: dict[int, Decimal | None] = {**current_pagu, **pagu}
        node = services.node_update(
            actor=self.actor,
            node=node,
            expected_version=node.version,
            data=services.NodeInput(
                jenis=node.jenis,
                kode=kode,
                nama=name or node.nama,
                opd=opd,
                luar_nomenklatur=values.get("luar_nomenklatur", node.luar_nomenklatur),
                sumber_dana=values.get("sumber_dana", node.sumber_dana),
                lokasi=values.get("lokasi", node.lokasi),
                sasaran_ids=_sasaran_ids(self.context, values["sasaran"])
                if "sasaran" in values
                else current_links,
                pagu=merged_pagu,
            ),
            lookup=self.context.lookup,
            known_sasaran=self.context.known_sasaran,
        )
        changed = node.version != version
        if names:
            existing = tree_row.indicators if tree_row else []
            changed = (
                _sync_indicators(
                    actor=self.actor, node=node, names=names, units=units, targets=targets, existing=existing
                )
                or changed
            )
        return Outcome.UPDATED if changed else Outcome.UNCHANGED


# --- RPJMD matrix ----------------------------------------------------------------------------


def matrix_spec(document: PlanDocument) -> ImportSpec:
    years = document.tahun
    return ImportSpec(
        title=f"Matriks {document.get_jenis_display()}"[:31],
        columns=(
            Column(
                "misi_kode",
                "Kode misi",
                _nomor(),
                default="",
                example="1",
                note="Kosong untuk Renstra (tanpa misi).",
            ),
            Column(
                "misi", "Misi", imports.text(2000), default="", example="Mewujudkan sumber daya manusia ..."
            ),
            Column("tujuan_kode", "Kode tujuan", _nomor(), required=True, example="1.1"),
            Column(
                "tujuan", "Tujuan", imports.text(2000), default="", example="Meningkatnya kualitas hidup ..."
            ),
            Column(
                "sasaran_kode",
                "Kode sasaran",
                _nomor(),
                default="",
                example="1.1.3",
                note="Kosong: indikator tujuan.",
            ),
            Column(
                "sasaran", "Sasaran", imports.text(2000), default="", example="Meningkatnya kesetaraan gender"
            ),
            Column(
                "indikator",
                "Indikator",
                imports.text(1000),
                default="",
                example="Indeks Ketimpangan Gender (IKG)",
            ),
            Column("satuan", "Satuan", imports.text(100), default="", example="indeks"),
            Column(
                "polaritas",
                "Polaritas",
                imports.choice(*[(v, v) for v in Polarity.values]),
                default="positif",
                example="negatif",
                note="positif: makin tinggi makin baik; negatif: makin rendah makin baik.",
            ),
            Column(
                "agregasi",
                "Agregasi",
                imports.choice(*[(v, v) for v in Aggregation.values]),
                default="akhir_periode",
                example="akhir_periode",
            ),
            Column(
                "baseline_tahun",
                "Tahun baseline",
                imports.angka(minimum=Decimal(1990), maximum=Decimal(2100)),
                example="2023",
            ),
            Column("baseline_nilai", "Baseline", imports.angka(), example="0,551"),
            *[
                Column(
                    f"target_{t}", f"Target {t}", imports.angka(), example="0,45", note=f"Target tahun {t}."
                )
                for t in years
            ],
            Column("definisi", "Definisi", imports.text(4000), default=""),
            Column("formula", "Formula", imports.text(4000), default=""),
            Column("sumber_data", "Sumber data", imports.text(255), default="", example="BPS"),
            Column("terpilah_gender", "Terpilah gender", imports.boolean(), default=False, example="tidak"),
        ),
        natural_key=("misi_kode", "tujuan_kode", "sasaran_kode", "indikator"),
    )


class MatrixApplier:
    def __init__(self, *, actor: Any, document: PlanDocument) -> None:
        self.actor = actor
        self.document = document

    def load(self, rows: Sequence[ImportRow]) -> None:
        tree = selectors.tree(self.document)
        self.rows = tree.by_id
        self.nodes: dict[tuple[int | None, str, str], PlanNode] = {}
        visi = [r.node for r in tree.rows if r.node.jenis == "visi"]
        self.visi = visi[0] if len(visi) == 1 else None
        for row in tree.rows:
            node = row.node
            if node.kode:
                self.nodes[(node.induk_id, node.jenis, node.kode)] = node

    def _node(self, parent: PlanNode | None, jenis: str, kode: str, nama: str) -> tuple[PlanNode, bool]:
        key = (parent.pk if parent else None, jenis, kode)
        node = self.nodes.get(key)
        if node is None:
            node = services.node_create(
                actor=self.actor,
                document=self.document,
                parent=parent,
                data=services.NodeInput(jenis=jenis, kode=kode, nama=nama),
                prefill_indicator=False,
            )
            self.nodes[key] = node
            self.rows[node.pk] = selectors.TreeRow(node=node, depth=0)
            return node, True
        if nama and nama != node.nama:
            version = node.version
            node = services.node_update(
                actor=self.actor,
                node=node,
                expected_version=node.version,
                data=services.NodeInput(jenis=jenis, kode=kode, nama=nama, opd=node.opd),
            )
            return node, node.version != version
        return node, False

    def apply(self, row: ImportRow) -> Outcome:
        values = row.values
        created = False
        changed = False
        parent: PlanNode | None = None
        if values.get("misi_kode"):
            parent, made = self._node(self.visi, "misi", values["misi_kode"], values.get("misi", ""))
            created |= made
        tujuan, made = self._node(parent, "tujuan", values["tujuan_kode"], values.get("tujuan", ""))
        created |= made
        target_node = tujuan
        if values.get("sasaran_kode"):
            target_node, made = self._node(
                tujuan, "sasaran", values["sasaran_kode"], values.get("sasaran", "")
            )
            created |= made
        name = values.get("indikator", "")
        if name:
            tree_row = self.rows.get(target_node.pk)
            existing = {
                " ".join(i.nama.split()).casefold(): i for i in (tree_row.indicators if tree_row else [])
            }
            indicator = existing.get(" ".join(name.split()).casefold())
            years = self.document.tahun
            current: dict[int, Decimal] = (
                dict(getattr(indicator, "target_per_tahun", {})) if indicator else {}
            )
            targets: dict[int, Decimal | None] = {
                **current,
                **{t: values[f"target_{t}"] for t in years if f"target_{t}" in values},
            }
            baseline_year = values.get("baseline_tahun", indicator.baseline_tahun if indicator else None)
            data = services.IndicatorInput(
                nama=name,
                satuan=values.get("satuan", indicator.satuan if indicator else ""),
                jenis=indicator.jenis if indicator else IndicatorKind.OUTCOME,
                polaritas=values.get("polaritas", indicator.polaritas if indicator else Polarity.POSITIF),
                agregasi=values.get(
                    "agregasi", indicator.agregasi if indicator else Aggregation.AKHIR_PERIODE
                ),
                definisi=values.get("definisi", indicator.definisi if indicator else ""),
                formula=values.get("formula", indicator.formula if indicator else ""),
                sumber_data=values.get("sumber_data", indicator.sumber_data if indicator else ""),
                baseline_tahun=int(baseline_year) if baseline_year is not None else None,
                baseline_nilai=values.get("baseline_nilai", indicator.baseline_nilai if indicator else None),
                terpilah_gender=values.get(
                    "terpilah_gender", indicator.terpilah_gender if indicator else False
                ),
                target=targets,
            )
            if indicator is None:
                new = services.indicator_create(actor=self.actor, node=target_node, data=data)
                new.target_per_tahun = {t: v for t, v in targets.items() if v is not None}  # type: ignore[attr-defined]
                if tree_row is not None:
                    tree_row.indicators.append(new)
                created = True
            else:
                version = indicator.version
                indicator = services.indicator_update(
                    actor=self.actor, indicator=indicator, expected_version=indicator.version, data=data
                )
                changed = indicator.version != version
        if created:
            return Outcome.CREATED
        return Outcome.UPDATED if changed else Outcome.UNCHANGED


# --- entry points ----------------------------------------------------------------------------


def spec_for(document: PlanDocument, layout: str) -> ImportSpec:
    return matrix_spec(document) if layout == "matriks" else budget_spec(document)


def default_layout(document: PlanDocument) -> str:
    return "matriks" if document.jenis in ("RPJPD", "RPJMD") else "anggaran"


def document_import(
    *, actor: Any, document: PlanDocument, path: Path, dry_run: bool, layout: str = ""
) -> ImportResult:
    if document.terkunci:
        services._refuse_locked(document)
    layout = layout or default_layout(document)
    spec = spec_for(document, layout)
    applier: imports.Applier
    if layout == "matriks":
        applier = MatrixApplier(actor=actor, document=document)
    else:
        applier = BudgetApplier(actor=actor, document=document)
    return imports.run_import(spec, path=path, dry_run=dry_run, applier=applier)


def template_bytes(document: PlanDocument, layout: str = "") -> bytes:
    return imports.template_xlsx(spec_for(document, layout or default_layout(document)))


def _names_by_prefix(context: _Context, kode: str) -> dict[str, str]:
    names: dict[str, str] = {}
    parts = kode.split(".")
    for level, count in (("urusan", 1), ("bidang", 2)):
        if len(parts) >= count:
            item = context.lookup(".".join(parts[:count]), context.kind)
            names[level] = item.nama if item else ""
    return names


def _write_sheet(title: str, headers: list[str], rows: list[list[Any]], caption: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append([caption])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for column in sheet.iter_cols(min_row=3):
        for cell in column:
            if isinstance(cell.value, str):
                cell.number_format = "@"
                if "\n" in cell.value:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def document_export_bytes(document: PlanDocument, layout: str = "") -> bytes:
    """The document in the same layout the importer reads (the title row above the header is skipped)."""
    layout = layout or default_layout(document)
    spec = spec_for(document, layout)
    headers = [c.label for c in spec.columns]
    tree = selectors.tree(document)
    rows: list[list[Any]] = []
    years = document.tahun
    if layout == "matriks":
        for row in tree.rows:
            node = row.node
            if node.jenis not in ("tujuan", "sasaran"):
                continue
            tujuan = (
                node
                if node.jenis == "tujuan"
                else tree.by_id[node.induk_id].node
                if node.induk_id in tree.by_id
                else None
            )
            if tujuan is None:
                continue
            misi = tree.by_id[tujuan.induk_id].node if tujuan.induk_id in tree.by_id else None
            base = [
                misi.kode if misi and misi.jenis == "misi" else "",
                misi.nama if misi and misi.jenis == "misi" else "",
                tujuan.kode,
                tujuan.nama,
                node.kode if node.jenis == "sasaran" else "",
                node.nama if node.jenis == "sasaran" else "",
            ]
            indicators: list[Indicator | None] = list(row.indicators) or [None]
            for indicator in indicators:
                if indicator is None:
                    rows.append([*base, *[""] * (len(headers) - len(base))])
                    continue
                targets = indicator.target_per_tahun  # type: ignore[attr-defined]
                rows.append(
                    [
                        *base,
                        indicator.nama,
                        indicator.satuan,
                        indicator.polaritas,
                        indicator.agregasi,
                        indicator.baseline_tahun or "",
                        _fmt(indicator.baseline_nilai),
                        *[_fmt(targets.get(t)) for t in years],
                        indicator.definisi,
                        indicator.formula,
                        indicator.sumber_data,
                        "ya" if indicator.terpilah_gender else "tidak",
                    ]
                )
    else:
        context = _Context(document)
        names: dict[str, str] = {}
        for row in tree.rows:
            node = row.node
            if not levels.is_budget(node.jenis):
                continue
            names[node.jenis] = node.nama
            for deeper in levels.BUDGET_KINDS[levels.BUDGET_KINDS.index(node.jenis) + 1 :]:
                names[deeper] = ""
            prefix_names = _names_by_prefix(context, node.kode)
            year_cells: list[Any] = []
            for t in years:
                year_cells.append("\n".join(_fmt(i.target_per_tahun.get(t)) for i in row.indicators))  # type: ignore[attr-defined]
                year_cells.append(_fmt(row.pagu.get(t)) if t in row.pagu else "")
            rows.append(
                [
                    node.kode,
                    prefix_names.get("urusan", ""),
                    prefix_names.get("bidang", ""),
                    names.get("program", ""),
                    names.get("kegiatan", ""),
                    names.get("sub_kegiatan", ""),
                    "\n".join(i.nama for i in row.indicators),
                    "\n".join(i.satuan for i in row.indicators),
                    *year_cells,
                    node.lokasi,
                    node.sumber_dana,
                    node.opd.kode if node.opd is not None else "",
                    ";".join(s.kode or s.nama for s in row.sasaran),
                    "ya" if node.luar_nomenklatur else "tidak",
                ]
            )
    return _write_sheet(spec.title, headers, rows, document.nama)
