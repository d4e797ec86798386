"""Writes to plan documents, logframe nodes and indicators: validated, one transaction, audited.

Every write refuses an adopted (ditetapkan) document: a change to it is a revision
(`document_revise`), a new version that goes through the stages again. Edits carry the version they
were based on (optimistic locking); a write that changes nothing writes and audits nothing.
Permission checks belong to the caller (views, API, commands) through `rencana.planning.access`.
"""

import datetime
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from rencana.core.audit import audit_record, snapshot
from rencana.core.errors import ApplicationError, ConflictError, NotFoundError
from rencana.core.locking import save_versioned
from rencana.planning import codes, levels
from rencana.planning.models import (
    Aggregation,
    DocumentKind,
    Indicator,
    IndicatorKind,
    IndicatorTarget,
    NodeBudget,
    NodeLink,
    NomenclatureEdition,
    NomenclatureItem,
    PlanDocument,
    PlanNode,
    Polarity,
    Stage,
)
from rencana.regions.models import Opd, Pemda, Region

Lookup = Callable[[str, str], NomenclatureItem | None]
MAX_PAGU = Decimal("9999999999999999.99")
MAX_VALUE = Decimal("9999999999999999.9999")


def _invalid(message: str, errors: list[dict[str, str]]) -> ApplicationError:
    return ApplicationError(
        message % {"daftar": "; ".join(e["pesan"] for e in errors)} if "%(daftar)s" in message else message,
        errors=errors,
    )


def _refuse_locked(document: PlanDocument) -> None:
    if document.terkunci:
        raise ConflictError(
            _("%(nama)s sudah ditetapkan dan terkunci. Buat perubahan (revisi) untuk mengubahnya.")
            % {"nama": document.nama},
            code="dokumen_terkunci",
        )


# --- documents -------------------------------------------------------------------------------


def default_document_name(*, pemda: Pemda, jenis: str, tahun_mulai: int, opd: Opd | None) -> str:
    end = levels.period_end(jenis, tahun_mulai)
    label = DocumentKind(jenis).label
    years = str(tahun_mulai) if end == tahun_mulai else f"{tahun_mulai}–{end}"
    owner = opd.nama if opd is not None else pemda.nama
    return f"{label} {owner} {years}"


def _check_document_fields(
    *, pemda: Pemda, jenis: str, tahun_mulai: int, opd: Opd | None, induk: PlanDocument | None, nama: str
) -> list[dict[str, str]]:
    errors: list[dict[str, str]] = []
    if jenis not in levels.PERIOD_YEARS:
        errors.append({"kolom": "jenis", "pesan": _("Jenis dokumen tidak dikenal.")})
        return errors
    if not 2000 <= tahun_mulai <= 2100:
        errors.append({"kolom": "tahun_mulai", "pesan": _("Tahun awal harus antara 2000 dan 2100.")})
    if jenis in levels.OPD_DOCUMENTS:
        if opd is None:
            errors.append({"kolom": "opd", "pesan": _("Renstra dan Renja wajib menyebut OPD-nya.")})
        elif opd.pemda_id != pemda.pk:
            errors.append({"kolom": "opd", "pesan": _("OPD bukan milik pemda ini.")})
    elif opd is not None:
        errors.append({"kolom": "opd", "pesan": _("Hanya Renstra dan Renja yang dimiliki satu OPD.")})
    if induk is not None:
        expected = levels.PARENT_KIND[jenis]
        end = levels.period_end(jenis, tahun_mulai)
        if induk.pemda_id != pemda.pk:
            errors.append({"kolom": "induk", "pesan": _("Dokumen induk bukan milik pemda ini.")})
        elif induk.jenis != expected:
            errors.append(
                {
                    "kolom": "induk",
                    "pesan": _("Induk %(jenis)s harus %(induk)s.")
                    % {"jenis": DocumentKind(jenis).label, "induk": expected or "-"},
                }
            )
        elif not (induk.tahun_mulai <= tahun_mulai and end <= induk.tahun_akhir):
            errors.append(
                {
                    "kolom": "induk",
                    "pesan": _("Periode %(awal)s–%(akhir)s tidak berada di dalam periode dokumen induk.")
                    % {"awal": tahun_mulai, "akhir": end},
                }
            )
        elif jenis == "RENJA" and opd is not None and induk.opd_id not in (None, opd.pk):
            errors.append({"kolom": "induk", "pesan": _("Dokumen induk milik OPD lain.")})
    if len(nama) > 255:
        errors.append({"kolom": "nama", "pesan": _("Nama dokumen paling panjang 255 karakter.")})
    return errors


@transaction.atomic
def document_create(
    *,
    actor: Any,
    pemda: Pemda,
    jenis: str,
    tahun_mulai: int,
    opd: Opd | None = None,
    induk: PlanDocument | None = None,
    nama: str = "",
    edisi: NomenclatureEdition | None = None,
) -> PlanDocument:
    nama = " ".join(nama.split())
    errors = _check_document_fields(
        pemda=pemda, jenis=jenis, tahun_mulai=tahun_mulai, opd=opd, induk=induk, nama=nama
    )
    if errors:
        raise _invalid(_("Dokumen belum benar: %(daftar)s"), errors)
    if edisi is None:
        edisi = induk.edisi_nomenklatur if induk is not None else None
    if edisi is None:
        edisi = NomenclatureEdition.objects.order_by("-kode").first()
    document = PlanDocument.objects.create(
        pemda=pemda,
        jenis=jenis,
        opd=opd,
        induk=induk,
        tahun_mulai=tahun_mulai,
        tahun_akhir=levels.period_end(jenis, tahun_mulai),
        nama=nama or default_document_name(pemda=pemda, jenis=jenis, tahun_mulai=tahun_mulai, opd=opd),
        edisi_nomenklatur=edisi,
    )
    audit_record(
        actor=actor,
        action="create",
        instance=document,
        pemda_id=pemda.pk,
        after=snapshot(document, PlanDocument.AUDITED_FIELDS),
    )
    return document


@transaction.atomic
def document_update(
    *, actor: Any, document: PlanDocument, expected_version: int, nama: str, induk: PlanDocument | None
) -> PlanDocument:
    _refuse_locked(document)
    nama = " ".join(nama.split())
    errors = _check_document_fields(
        pemda=document.pemda,
        jenis=document.jenis,
        tahun_mulai=document.tahun_mulai,
        opd=document.opd,
        induk=induk,
        nama=nama,
    )
    if not nama:
        errors.append({"kolom": "nama", "pesan": _("Nama dokumen wajib diisi.")})
    if errors:
        raise _invalid(_("Dokumen belum benar: %(daftar)s"), errors)
    before = snapshot(document, PlanDocument.AUDITED_FIELDS)
    document.nama = nama
    document.induk = induk
    after = snapshot(document, PlanDocument.AUDITED_FIELDS)
    if before == after:
        if document.version != expected_version:
            save_versioned(document, expected_version=expected_version, fields=[])
        return document
    save_versioned(document, expected_version=expected_version, fields=["nama", "induk", "diubah"])
    audit_record(
        actor=actor,
        action="update",
        instance=document,
        pemda_id=document.pemda_id,
        before=before,
        after=after,
    )
    return document


STAGE_REFUSALS = {
    "ditetapkan": "Dokumen yang sudah ditetapkan tidak bisa berpindah tahap; buat perubahan (revisi).",
    "lompat": "Tahap hanya bisa maju atau mundur satu langkah.",
    "tidak_dikenal": "Tahap tidak dikenal.",
}


@transaction.atomic
def document_set_stage(
    *,
    actor: Any,
    document: PlanDocument,
    expected_version: int,
    tahap: str,
    tanggal: datetime.date | None = None,
) -> PlanDocument:
    move = levels.stage_move(document.tahap, tahap)
    if not move.allowed:
        raise ConflictError(_(STAGE_REFUSALS[move.reason]), code="tahap_tidak_sah")
    before = snapshot(document, ["tahap", "ditetapkan_pada"])
    document.tahap = tahap
    if tahap == Stage.DITETAPKAN:
        document.ditetapkan_pada = tanggal or datetime.date.today()
    save_versioned(document, expected_version=expected_version, fields=["tahap", "ditetapkan_pada", "diubah"])
    audit_record(
        actor=actor,
        action="stage",
        instance=document,
        pemda_id=document.pemda_id,
        before=before,
        after=snapshot(document, ["tahap", "ditetapkan_pada"]),
    )
    return document


@transaction.atomic
def document_revise(*, actor: Any, document: PlanDocument) -> PlanDocument:
    """A perubahan: a copy of an adopted document, one revision number up, at stage "rancangan"."""
    if not document.terkunci:
        raise ConflictError(
            _("Hanya dokumen yang sudah ditetapkan yang direvisi; dokumen ini masih bisa diubah langsung."),
            code="belum_ditetapkan",
        )
    if PlanDocument.objects.filter(revisi_dari=document).exists():
        raise ConflictError(
            _("Dokumen ini sudah memiliki perubahan; ubah versi terbarunya."), code="sudah_direvisi"
        )
    copy = PlanDocument.objects.create(
        pemda_id=document.pemda_id,
        jenis=document.jenis,
        opd_id=document.opd_id,
        induk_id=document.induk_id,
        tahun_mulai=document.tahun_mulai,
        tahun_akhir=document.tahun_akhir,
        nama=document.nama,
        tahap=Stage.RANCANGAN,
        revisi_ke=document.revisi_ke + 1,
        revisi_dari=document,
        edisi_nomenklatur_id=document.edisi_nomenklatur_id,
    )
    _copy_nodes(document, copy)
    audit_record(
        actor=actor,
        action="revise",
        instance=copy,
        pemda_id=document.pemda_id,
        before={"dokumen": document.pk, "revisi_ke": document.revisi_ke},
        after=snapshot(copy, PlanDocument.AUDITED_FIELDS),
    )
    return copy


def _copy_nodes(source: PlanDocument, target: PlanDocument) -> None:
    """Copy nodes, links, pagu, indicators, targets; links to the document's own sasaran follow the copy."""
    nodes = list(PlanNode.objects.filter(dokumen=source).order_by("id"))
    mapping: dict[int, PlanNode] = {}
    # After a move a parent may have a larger id than its child: create in tree order.
    by_parent: dict[int | None, list[PlanNode]] = {}
    for node in nodes:
        by_parent.setdefault(node.induk_id, []).append(node)
    queue = list(by_parent.get(None, []))
    ordered: list[PlanNode] = []
    while queue:
        node = queue.pop(0)
        ordered.append(node)
        queue.extend(by_parent.get(node.pk, []))
    for node in ordered:
        old_id = node.pk
        parent = mapping[node.induk_id] if node.induk_id is not None else None
        clone = PlanNode.objects.create(
            pemda_id=node.pemda_id,
            dokumen=target,
            jenis=node.jenis,
            induk=parent,
            kode=node.kode,
            nama=node.nama,
            urutan=node.urutan,
            opd_id=node.opd_id,
            luar_nomenklatur=node.luar_nomenklatur,
            sumber_dana=node.sumber_dana,
            lokasi=node.lokasi,
        )
        mapping[old_id] = clone
    NodeLink.objects.bulk_create(
        NodeLink(
            pemda_id=link.pemda_id,
            dari=mapping[link.dari_id],
            ke_id=mapping[link.ke_id].pk if link.ke_id in mapping else link.ke_id,
        )
        for link in NodeLink.objects.filter(dari__dokumen=source)
    )
    NodeBudget.objects.bulk_create(
        NodeBudget(pemda_id=b.pemda_id, node=mapping[b.node_id], tahun=b.tahun, jumlah=b.jumlah)
        for b in NodeBudget.objects.filter(node__dokumen=source)
    )
    indicator_map: dict[int, Indicator] = {}
    for indicator in Indicator.objects.filter(node__dokumen=source).order_by("id"):
        old_id = indicator.pk
        indicator.pk = None
        indicator.id = None
        indicator.node = mapping[indicator.node_id]
        indicator.version = 1
        indicator.save()
        indicator_map[old_id] = indicator
    IndicatorTarget.objects.bulk_create(
        IndicatorTarget(
            pemda_id=t.pemda_id, indikator=indicator_map[t.indikator_id], tahun=t.tahun, nilai=t.nilai
        )
        for t in IndicatorTarget.objects.filter(indikator__node__dokumen=source)
    )


# --- nodes -----------------------------------------------------------------------------------


def known_sasaran_ids(document: PlanDocument) -> set[int]:
    """Sasaran a node of `document` may serve: its own, its ancestors', and its OPD's Renstra."""
    document_ids = {document.pk}
    parent = document.induk
    while parent is not None:
        document_ids.add(parent.pk)
        parent = parent.induk
    renstra = PlanDocument.objects.filter(
        pemda_id=document.pemda_id,
        jenis=DocumentKind.RENSTRA,
        tahun_mulai__lte=document.tahun_mulai,
        tahun_akhir__gte=document.tahun_akhir,
    )
    if document.opd_id is not None:
        renstra = renstra.filter(opd_id=document.opd_id)
    document_ids.update(renstra.values_list("pk", flat=True))
    return set(
        PlanNode.objects.filter(dokumen_id__in=document_ids, jenis="sasaran").values_list("pk", flat=True)
    )


def nomenclature_lookup_for(document: PlanDocument) -> Lookup | None:
    """One-code lookups against the document's edition (the import builds a dict instead).

    None when the document has no edition (no nomenclature loaded): codes are then not checked.
    """
    edition_id = document.edisi_nomenklatur_id
    if edition_id is None:
        return None

    def lookup(kode: str, pemda_kind: str) -> NomenclatureItem | None:
        if edition_id is None:
            return None
        items = list(
            NomenclatureItem.objects.filter(
                edisi_id=edition_id, kode=kode, berlaku_untuk__in=[pemda_kind, "semua"]
            )
        )
        items.sort(key=lambda i: i.berlaku_untuk != pemda_kind)
        return items[0] if items else None

    return lookup


def _clean_lokasi(pemda: Pemda, raw: str | Iterable[str]) -> tuple[str, list[dict[str, str]]]:
    parts = raw.replace(",", ";").split(";") if isinstance(raw, str) else list(raw)
    kodes = [p.strip() for p in parts if p.strip()]
    errors: list[dict[str, str]] = []
    if not kodes:
        return "", errors
    own = [k for k in kodes if k == pemda.kode or k.startswith(pemda.kode + ".")]
    foreign = [k for k in kodes if k not in own]
    if foreign:
        errors.append(
            {
                "kolom": "lokasi",
                "pesan": _("Lokasi di luar wilayah pemda: %(kode)s.") % {"kode": ", ".join(foreign[:5])},
            }
        )
    existing = set(Region.objects.filter(kode__in=own).values_list("kode", flat=True))
    unknown = [k for k in own if k not in existing]
    if unknown:
        errors.append(
            {
                "kolom": "lokasi",
                "pesan": _("Kode wilayah tidak dikenal: %(kode)s.") % {"kode": ", ".join(unknown[:5])},
            }
        )
    return ";".join(dict.fromkeys(kodes)), errors


def _clean_pagu(
    document: PlanDocument, pagu: Mapping[int, Decimal | None]
) -> tuple[dict[int, Decimal], list[dict[str, str]]]:
    clean: dict[int, Decimal] = {}
    errors: list[dict[str, str]] = []
    for tahun, jumlah in pagu.items():
        if jumlah is None:
            continue
        if tahun not in document.tahun:
            errors.append(
                {
                    "kolom": "pagu",
                    "pesan": _("Tahun pagu %(tahun)s di luar periode dokumen.") % {"tahun": tahun},
                }
            )
        elif jumlah < 0:
            errors.append({"kolom": "pagu", "pesan": _("Pagu tidak boleh negatif.")})
        elif jumlah > MAX_PAGU:
            errors.append({"kolom": "pagu", "pesan": _("Pagu terlalu besar.")})
        else:
            clean[tahun] = jumlah.quantize(Decimal("0.01"))
    return clean, errors


class NodeInput:
    """The editable fields of a node, cleaned and validated against its document."""

    def __init__(
        self,
        *,
        jenis: str,
        nama: str = "",
        kode: str = "",
        opd: Opd | None = None,
        luar_nomenklatur: bool = False,
        sumber_dana: str = "",
        lokasi: str | Iterable[str] = "",
        sasaran_ids: Iterable[int] | None = None,
        pagu: Mapping[int, Decimal | None] | None = None,
    ) -> None:
        self.jenis = jenis
        self.nama = " ".join(nama.split())
        self.kode = kode
        self.opd = opd
        self.luar_nomenklatur = luar_nomenklatur
        self.sumber_dana = " ".join(sumber_dana.split())
        self.lokasi = lokasi
        self.sasaran_ids = None if sasaran_ids is None else sorted(set(sasaran_ids))
        self.pagu = pagu


def _validate_node(
    document: PlanDocument,
    data: NodeInput,
    parent: PlanNode | None,
    *,
    lookup: Lookup | None,
    known_sasaran: set[int] | None,
) -> tuple[dict[str, Any], dict[int, Decimal] | None, list[dict[str, str]], NomenclatureItem | None]:
    pemda = document.pemda
    errors: list[dict[str, str]] = []
    parent_kind = parent.jenis if parent is not None else None
    if parent is not None and parent.dokumen_id != document.pk:
        errors.append({"kolom": "induk", "pesan": _("Induk berada di dokumen lain.")})
    allowed = levels.allowed_children(document.jenis, parent_kind)
    if data.jenis not in allowed:
        where = _("di puncak dokumen") if parent is None else _("di bawah %(induk)s") % {"induk": str(parent)}
        errors.append(
            {
                "kolom": "jenis",
                "pesan": _("%(jenis)s tidak bisa ditempatkan %(where)s; yang boleh: %(boleh)s.")
                % {
                    "jenis": data.jenis.replace("_", "-"),
                    "where": where,
                    "boleh": ", ".join(k.replace("_", "-") for k in allowed) or "-",
                },
            }
        )
    kode = ""
    item: NomenclatureItem | None = None
    budget = levels.is_budget(data.jenis)
    if data.kode not in ("", None) and budget:
        try:
            kode = codes.normalize_kode(data.kode)
        except ValueError as exc:
            errors.append({"kolom": "kode", "pesan": str(exc)})
    elif data.kode:
        # Visi/misi/tujuan/sasaran numbering ("1.1.3") is the planner's own, not a nomenclature code.
        kode = " ".join(str(data.kode).split())
    if len(kode) > 40:
        errors.append({"kolom": "kode", "pesan": _("Kode paling panjang 40 karakter.")})
    if budget and kode and not data.luar_nomenklatur and lookup is not None:
        kind = codes.pemda_kind_of(pemda.jenis)
        parent_kode = parent.kode if parent is not None and levels.is_budget(parent.jenis) else None
        problems = codes.check_code(
            kode, level=data.jenis, parent_kode=parent_kode, pemda_kind=kind, lookup=lookup
        )
        for problem in problems:
            errors.append(
                {
                    "kolom": "kode",
                    "pesan": problem
                    + " "
                    + _("Pilih kode dari nomenklatur, atau tandai “di luar nomenklatur” bila disengaja."),
                }
            )
        if not problems:
            item = lookup(kode, kind)
    nama = data.nama
    if not nama and item is not None:
        nama = item.nama
    code_refused = any(e["kolom"] == "kode" for e in errors)
    if not nama and not code_refused:
        errors.append({"kolom": "nama", "pesan": _("Nama wajib diisi.")})
    elif len(nama) > 2000:
        errors.append({"kolom": "nama", "pesan": _("Nama paling panjang 2.000 karakter.")})
    opd = data.opd
    if opd is None and document.opd_id is not None:
        opd = document.opd
    if opd is None and parent is not None and parent.opd_id is not None and levels.is_budget(data.jenis):
        # A kegiatan under an OPD's program is run by that OPD.
        opd = parent.opd
    if opd is not None:
        if opd.pemda_id != pemda.pk:
            errors.append({"kolom": "opd", "pesan": _("OPD bukan milik pemda ini.")})
        elif document.opd_id is not None and opd.pk != document.opd_id:
            errors.append({"kolom": "opd", "pesan": _("Dokumen OPD hanya memuat kegiatan OPD itu sendiri.")})
    lokasi = ""
    lokasi_errors: list[dict[str, str]] = []
    if data.lokasi:
        if data.jenis != "sub_kegiatan":
            errors.append({"kolom": "lokasi", "pesan": _("Lokasi hanya diisi pada sub-kegiatan.")})
        else:
            lokasi, lokasi_errors = _clean_lokasi(pemda, data.lokasi)
    errors.extend(lokasi_errors)
    if len(data.sumber_dana) > 120:
        errors.append({"kolom": "sumber_dana", "pesan": _("Sumber dana paling panjang 120 karakter.")})
    if data.sasaran_ids:
        if not budget:
            errors.append(
                {
                    "kolom": "sasaran",
                    "pesan": _("Hanya program, kegiatan dan sub-kegiatan yang ditautkan ke sasaran."),
                }
            )
        else:
            known = known_sasaran if known_sasaran is not None else known_sasaran_ids(document)
            unknown = [i for i in data.sasaran_ids if i not in known]
            if unknown:
                errors.append(
                    {"kolom": "sasaran", "pesan": _("Sasaran yang dipilih tidak ditemukan di dokumen induk.")}
                )
    pagu = None
    if data.pagu is not None:
        if not budget and any(v is not None for v in data.pagu.values()):
            errors.append(
                {"kolom": "pagu", "pesan": _("Pagu hanya diisi pada program, kegiatan dan sub-kegiatan.")}
            )
        else:
            pagu, pagu_errors = _clean_pagu(document, data.pagu)
            errors.extend(pagu_errors)
    fields = {
        "jenis": data.jenis,
        "kode": kode,
        "nama": nama,
        "opd": opd,
        "luar_nomenklatur": data.luar_nomenklatur if budget else False,
        "sumber_dana": data.sumber_dana,
        "lokasi": lokasi,
    }
    return fields, pagu, errors, item


def _refuse_duplicate(
    document: PlanDocument, fields: dict[str, Any], *, exclude_id: int | None = None
) -> None:
    """A budget code appears once per OPD in a document (X.XX.01 is run by every OPD, each its own)."""
    if not fields["kode"] or not levels.is_budget(fields["jenis"]):
        return
    opd = fields["opd"]
    taken = PlanNode.objects.filter(dokumen=document, jenis=fields["jenis"], kode=fields["kode"])
    taken = taken.filter(opd=opd) if opd is not None else taken.filter(opd__isnull=True)
    if exclude_id is not None:
        taken = taken.exclude(pk=exclude_id)
    if taken.exists():
        raise ConflictError(
            _("Kode %(kode)s sudah ada di dokumen ini untuk OPD yang sama.") % {"kode": fields["kode"]},
            code="kode_ganda",
            errors=[{"kolom": "kode", "pesan": _("Kode sudah dipakai di dokumen ini.")}],
        )


def _pagu_state(node: PlanNode) -> dict[str, str]:
    return {str(b.tahun): str(b.jumlah) for b in NodeBudget.objects.filter(node=node).order_by("tahun")}


def _links_state(node: PlanNode) -> list[int]:
    return sorted(NodeLink.objects.filter(dari=node).values_list("ke_id", flat=True))


def _write_pagu(node: PlanNode, pagu: dict[int, Decimal]) -> None:
    existing = {b.tahun: b for b in NodeBudget.objects.filter(node=node)}
    for tahun, jumlah in pagu.items():
        row = existing.pop(tahun, None)
        if row is None:
            NodeBudget.objects.create(pemda_id=node.pemda_id, node=node, tahun=tahun, jumlah=jumlah)
        elif row.jumlah != jumlah:
            row.jumlah = jumlah
            row.save(update_fields=["jumlah"])
    for row in existing.values():
        row.delete()


def _write_links(node: PlanNode, sasaran_ids: list[int]) -> None:
    current = set(NodeLink.objects.filter(dari=node).values_list("ke_id", flat=True))
    wanted = set(sasaran_ids)
    NodeLink.objects.filter(dari=node, ke_id__in=current - wanted).delete()
    NodeLink.objects.bulk_create(
        NodeLink(pemda_id=node.pemda_id, dari=node, ke_id=i) for i in sorted(wanted - current)
    )


def _node_state(node: PlanNode) -> dict[str, Any]:
    state = snapshot(node, PlanNode.AUDITED_FIELDS)
    state["pagu"] = _pagu_state(node)
    state["sasaran"] = _links_state(node)
    return state


@transaction.atomic
def node_create(
    *,
    actor: Any,
    document: PlanDocument,
    parent: PlanNode | None,
    data: NodeInput,
    lookup: Lookup | None = None,
    known_sasaran: set[int] | None = None,
    prefill_indicator: bool = True,
) -> PlanNode:
    _refuse_locked(document)
    lookup = lookup or nomenclature_lookup_for(document)
    fields, pagu, errors, item = _validate_node(
        document, data, parent, lookup=lookup, known_sasaran=known_sasaran
    )
    if errors:
        raise _invalid(_("Simpul belum benar: %(daftar)s"), errors)
    _refuse_duplicate(document, fields)
    siblings = PlanNode.objects.filter(dokumen=document, induk=parent)
    last = siblings.order_by("-urutan").values_list("urutan", flat=True).first()
    node = PlanNode.objects.create(
        pemda_id=document.pemda_id, dokumen=document, induk=parent, urutan=(last or 0) + 1, **fields
    )
    if pagu:
        _write_pagu(node, pagu)
    if data.sasaran_ids:
        _write_links(node, data.sasaran_ids)
    audit_record(
        actor=actor, action="create", instance=node, pemda_id=document.pemda_id, after=_node_state(node)
    )
    if prefill_indicator and item is not None and item.indikator and node.jenis == "sub_kegiatan":
        # The nomenclature metadata names the sub-kegiatan's output indicator and unit.
        indicator_create(
            actor=actor,
            node=node,
            # An output of a sub-kegiatan is counted per quarter (units built, people trained).
            data=IndicatorInput(
                nama=item.indikator,
                satuan=item.satuan,
                jenis=IndicatorKind.OUTPUT,
                agregasi=Aggregation.KUMULATIF,
            ),
        )
    return node


@transaction.atomic
def node_update(
    *,
    actor: Any,
    node: PlanNode,
    expected_version: int,
    data: NodeInput,
    lookup: Lookup | None = None,
    known_sasaran: set[int] | None = None,
) -> PlanNode:
    document = node.dokumen
    _refuse_locked(document)
    if data.jenis != node.jenis:
        raise ApplicationError(_("Jenis simpul tidak bisa diubah; hapus dan buat yang baru."))
    lookup = lookup or nomenclature_lookup_for(document)
    fields, pagu, errors, _item = _validate_node(
        document, data, node.induk, lookup=lookup, known_sasaran=known_sasaran
    )
    if errors:
        raise _invalid(_("Simpul belum benar: %(daftar)s"), errors)
    if fields["kode"] != node.kode or fields["opd"] != node.opd:
        _refuse_duplicate(document, fields, exclude_id=node.pk)
    before = _node_state(node)
    for name, value in fields.items():
        setattr(node, name, value)
    if pagu is not None:
        _write_pagu(node, pagu)
    if data.sasaran_ids is not None:
        _write_links(node, data.sasaran_ids)
    after = _node_state(node)
    if before == after:
        if node.version != expected_version:
            save_versioned(node, expected_version=expected_version, fields=[])
        return node
    save_versioned(node, expected_version=expected_version, fields=[*fields, "diubah"])
    audit_record(
        actor=actor, action="update", instance=node, pemda_id=node.pemda_id, before=before, after=after
    )
    return node


def _descendant_ids(node: PlanNode) -> set[int]:
    rows = PlanNode.objects.filter(dokumen_id=node.dokumen_id).values_list("pk", "induk_id")
    children: dict[int | None, list[int]] = {}
    for pk, parent in rows:
        children.setdefault(parent, []).append(pk)
    found: set[int] = set()
    stack = [node.pk]
    while stack:
        current = stack.pop()
        for child in children.get(current, []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


@transaction.atomic
def node_move(*, actor: Any, node: PlanNode, expected_version: int, parent: PlanNode | None) -> PlanNode:
    """Put `node` (with its subtree) under another parent of the same document, at the end."""
    document = node.dokumen
    _refuse_locked(document)
    if parent is not None and (parent.pk == node.pk or parent.pk in _descendant_ids(node)):
        raise ApplicationError(
            _("Simpul tidak bisa dipindah ke bawah dirinya sendiri."), code="pindah_tidak_sah"
        )
    if parent is not None and parent.dokumen_id != document.pk:
        raise ApplicationError(_("Induk berada di dokumen lain."), code="pindah_tidak_sah")
    allowed = levels.allowed_children(document.jenis, parent.jenis if parent is not None else None)
    if node.jenis not in allowed:
        raise ApplicationError(
            _("%(jenis)s tidak bisa ditempatkan di bawah %(induk)s.")
            % {"jenis": node.get_jenis_display(), "induk": str(parent) if parent else _("puncak dokumen")},
            code="pindah_tidak_sah",
        )
    # The code encodes its parent (1.02.02.2.01 belongs to 1.02.02): a move must keep that true.
    coded = parent is not None and levels.is_budget(node.jenis) and node.kode and not node.luar_nomenklatur
    if coded and parent is not None and parent.kode and codes.parent_kode(node.kode) != parent.kode:
        raise ApplicationError(
            _("Kode %(kode)s bukan turunan %(induk)s; ubah kodenya dulu atau tandai di luar nomenklatur.")
            % {"kode": node.kode, "induk": parent.kode},
            code="pindah_tidak_sah",
        )
    if node.induk_id == (parent.pk if parent else None):
        return node
    before = {"induk": node.induk_id, "urutan": node.urutan}
    last = (
        PlanNode.objects.filter(dokumen=document, induk=parent)
        .order_by("-urutan")
        .values_list("urutan", flat=True)
        .first()
    )
    node.induk = parent
    node.urutan = (last or 0) + 1
    save_versioned(node, expected_version=expected_version, fields=["induk", "urutan", "diubah"])
    audit_record(
        actor=actor,
        action="move",
        instance=node,
        pemda_id=node.pemda_id,
        before=before,
        after={"induk": node.induk_id, "urutan": node.urutan},
    )
    return node


@transaction.atomic
def node_shift(*, actor: Any, node: PlanNode, expected_version: int, direction: int) -> PlanNode:
    """Swap `node` with its previous (direction -1) or next (+1) sibling."""
    _refuse_locked(node.dokumen)
    siblings = list(
        PlanNode.objects.filter(dokumen_id=node.dokumen_id, induk_id=node.induk_id).order_by("urutan", "id")
    )
    index = next(i for i, s in enumerate(siblings) if s.pk == node.pk)
    other_index = index + (1 if direction > 0 else -1)
    if not 0 <= other_index < len(siblings):
        return node
    if siblings[index].version != expected_version:
        save_versioned(node, expected_version=expected_version, fields=[])
    siblings[index], siblings[other_index] = siblings[other_index], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        if sibling.urutan != position:
            PlanNode.objects.filter(pk=sibling.pk).update(urutan=position)
    node.refresh_from_db()
    audit_record(
        actor=actor, action="reorder", instance=node, pemda_id=node.pemda_id, after={"urutan": node.urutan}
    )
    return node


@transaction.atomic
def node_delete(*, actor: Any, node: PlanNode, expected_version: int) -> None:
    _refuse_locked(node.dokumen)
    if node.version != expected_version:
        save_versioned(node, expected_version=expected_version, fields=[])
    served = NodeLink.objects.filter(ke=node).exclude(dari__dokumen_id=node.dokumen_id).count()
    if served:
        raise ConflictError(
            _("%(nama)s masih dilayani %(n)s program/kegiatan di dokumen lain; lepaskan tautannya dulu.")
            % {"nama": str(node), "n": served},
            code="masih_ditautkan",
        )
    descendants = _descendant_ids(node)
    before = _node_state(node)
    before["turunan"] = len(descendants)
    try:
        # A savepoint: the refusal below must leave the surrounding transaction usable.
        with transaction.atomic():
            node.delete()
    except ProtectedError as exc:
        kinds = sorted({str(obj._meta.verbose_name) for obj in exc.protected_objects})
        raise ConflictError(
            _(
                "%(nama)s tidak dapat dihapus: masih dipakai oleh %(apa)s "
                "(mis. realisasi e-Monev atau lembar GAP)."
            )
            % {"nama": str(node), "apa": ", ".join(kinds)},
            code="masih_dipakai",
        ) from exc
    audit_record(actor=actor, action="delete", instance=node, pemda_id=node.pemda_id, before=before)


# --- indicators ------------------------------------------------------------------------------


class IndicatorInput:
    def __init__(
        self,
        *,
        nama: str,
        satuan: str = "",
        jenis: str = IndicatorKind.OUTCOME,
        polaritas: str = Polarity.POSITIF,
        agregasi: str = Aggregation.AKHIR_PERIODE,
        definisi: str = "",
        formula: str = "",
        sumber_data: str = "",
        baseline_tahun: int | None = None,
        baseline_nilai: Decimal | None = None,
        terpilah_gender: bool = False,
        target: Mapping[int, Decimal | None] | None = None,
    ) -> None:
        self.nama = " ".join(nama.split())
        self.satuan = " ".join(satuan.split())
        self.jenis = jenis
        self.polaritas = polaritas
        self.agregasi = agregasi
        self.definisi = definisi.strip()
        self.formula = formula.strip()
        self.sumber_data = " ".join(sumber_data.split())
        self.baseline_tahun = baseline_tahun
        self.baseline_nilai = baseline_nilai
        self.terpilah_gender = terpilah_gender
        self.target = target


def _validate_indicator(
    node: PlanNode, data: IndicatorInput
) -> tuple[dict[str, Any], dict[int, Decimal] | None, list[dict[str, str]]]:
    errors: list[dict[str, str]] = []
    if node.jenis not in levels.INDICATOR_KINDS:
        errors.append(
            {
                "kolom": "node",
                "pesan": _("Indikator hanya untuk tujuan, sasaran, program, kegiatan dan sub-kegiatan."),
            }
        )
    if not data.nama:
        errors.append({"kolom": "nama", "pesan": _("Nama indikator wajib diisi.")})
    elif len(data.nama) > 1000:
        errors.append({"kolom": "nama", "pesan": _("Nama indikator paling panjang 1.000 karakter.")})
    if len(data.satuan) > 100:
        errors.append({"kolom": "satuan", "pesan": _("Satuan paling panjang 100 karakter.")})
    if len(data.sumber_data) > 255:
        errors.append({"kolom": "sumber_data", "pesan": _("Sumber data paling panjang 255 karakter.")})
    if data.jenis not in IndicatorKind.values:
        errors.append({"kolom": "jenis", "pesan": _("Jenis indikator harus outcome atau output.")})
    if data.polaritas not in Polarity.values:
        errors.append({"kolom": "polaritas", "pesan": _("Polaritas harus positif atau negatif.")})
    if data.agregasi not in Aggregation.values:
        errors.append(
            {"kolom": "agregasi", "pesan": _("Agregasi harus kumulatif, akhir_periode atau rata_rata.")}
        )
    if data.baseline_tahun is not None and not 1990 <= data.baseline_tahun <= 2100:
        errors.append({"kolom": "baseline_tahun", "pesan": _("Tahun baseline harus antara 1990 dan 2100.")})
    if data.baseline_nilai is not None and abs(data.baseline_nilai) > MAX_VALUE:
        errors.append({"kolom": "baseline_nilai", "pesan": _("Nilai baseline terlalu besar.")})
    targets: dict[int, Decimal] | None = None
    if data.target is not None:
        targets = {}
        years = node.dokumen.tahun
        for tahun, nilai in data.target.items():
            if nilai is None:
                continue
            if tahun not in years:
                errors.append(
                    {
                        "kolom": "target",
                        "pesan": _("Tahun target %(tahun)s di luar periode dokumen.") % {"tahun": tahun},
                    }
                )
            elif abs(nilai) > MAX_VALUE:
                errors.append({"kolom": "target", "pesan": _("Target terlalu besar.")})
            else:
                targets[tahun] = nilai.quantize(Decimal("0.0001"))
    fields = {
        "nama": data.nama,
        "satuan": data.satuan,
        "jenis": data.jenis,
        "polaritas": data.polaritas,
        "agregasi": data.agregasi,
        "definisi": data.definisi,
        "formula": data.formula,
        "sumber_data": data.sumber_data,
        "baseline_tahun": data.baseline_tahun,
        "baseline_nilai": None
        if data.baseline_nilai is None
        else data.baseline_nilai.quantize(Decimal("0.0001")),
        "terpilah_gender": data.terpilah_gender,
    }
    return fields, targets, errors


def _target_state(indicator: Indicator) -> dict[str, str]:
    return {
        str(t.tahun): str(t.nilai)
        for t in IndicatorTarget.objects.filter(indikator=indicator).order_by("tahun")
    }


def _indicator_state(indicator: Indicator) -> dict[str, Any]:
    state = snapshot(indicator, Indicator.AUDITED_FIELDS)
    state["target"] = _target_state(indicator)
    return state


def _write_targets(indicator: Indicator, targets: dict[int, Decimal]) -> None:
    existing = {t.tahun: t for t in IndicatorTarget.objects.filter(indikator=indicator)}
    for tahun, nilai in targets.items():
        row = existing.pop(tahun, None)
        if row is None:
            IndicatorTarget.objects.create(
                pemda_id=indicator.pemda_id, indikator=indicator, tahun=tahun, nilai=nilai
            )
        elif row.nilai != nilai:
            row.nilai = nilai
            row.save(update_fields=["nilai"])
    for row in existing.values():
        row.delete()


@transaction.atomic
def indicator_create(*, actor: Any, node: PlanNode, data: IndicatorInput) -> Indicator:
    _refuse_locked(node.dokumen)
    fields, targets, errors = _validate_indicator(node, data)
    if errors:
        raise _invalid(_("Indikator belum benar: %(daftar)s"), errors)
    last = Indicator.objects.filter(node=node).order_by("-urutan").values_list("urutan", flat=True).first()
    indicator = Indicator.objects.create(pemda_id=node.pemda_id, node=node, urutan=(last or 0) + 1, **fields)
    if targets:
        _write_targets(indicator, targets)
    audit_record(
        actor=actor,
        action="create",
        instance=indicator,
        pemda_id=node.pemda_id,
        after=_indicator_state(indicator),
    )
    return indicator


@transaction.atomic
def indicator_update(
    *, actor: Any, indicator: Indicator, expected_version: int, data: IndicatorInput
) -> Indicator:
    node = indicator.node
    _refuse_locked(node.dokumen)
    fields, targets, errors = _validate_indicator(node, data)
    if errors:
        raise _invalid(_("Indikator belum benar: %(daftar)s"), errors)
    before = _indicator_state(indicator)
    for name, value in fields.items():
        setattr(indicator, name, value)
    if targets is not None:
        _write_targets(indicator, targets)
    after = _indicator_state(indicator)
    if before == after:
        if indicator.version != expected_version:
            save_versioned(indicator, expected_version=expected_version, fields=[])
        return indicator
    save_versioned(indicator, expected_version=expected_version, fields=[*fields, "diubah"])
    audit_record(
        actor=actor,
        action="update",
        instance=indicator,
        pemda_id=indicator.pemda_id,
        before=before,
        after=after,
    )
    return indicator


@transaction.atomic
def indicator_delete(*, actor: Any, indicator: Indicator, expected_version: int) -> None:
    _refuse_locked(indicator.node.dokumen)
    if indicator.version != expected_version:
        save_versioned(indicator, expected_version=expected_version, fields=[])
    audit_record(
        actor=actor,
        action="delete",
        instance=indicator,
        pemda_id=indicator.pemda_id,
        before=_indicator_state(indicator),
    )
    indicator.delete()


def get_node(document: PlanDocument, node_id: int) -> PlanNode:
    node = (
        PlanNode.objects.filter(dokumen=document, pk=node_id)
        .select_related("dokumen", "induk", "opd")
        .first()
    )
    if node is None:
        raise NotFoundError(_("Simpul tidak ditemukan di dokumen ini."))
    return node
