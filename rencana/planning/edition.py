"""Moving a plan document to another nomenclature edition.

Each budget node's code is mapped with `codes.map_codes` (same code, else the same name within the
same program, else the new edition's "previous code" column). Mapped codes are rewritten (and the
name too, when the planner had kept the nomenclature's name); what cannot be mapped is listed for
a planner to decide and marked "di luar nomenklatur" so the checker keeps flagging it (as info)
until someone picks a new code. One transaction, one audit event per changed node.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from rencana.core.audit import audit_record
from rencana.core.errors import ApplicationError
from rencana.core.locking import save_versioned
from rencana.planning import codes, levels
from rencana.planning.models import NomenclatureEdition, PlanDocument, PlanNode
from rencana.planning.nomenclature import edition_mapping
from rencana.planning.services import _refuse_locked

HOW = {
    codes.KODE_SAMA: "kode sama",
    codes.NAMA_SAMA: "nama sama dalam program",
    codes.KODE_SEBELUMNYA: "kode sebelumnya",
}


@dataclass
class Change:
    node_id: int
    old: str
    new: str
    nama: str
    new_nama: str
    how: str


@dataclass
class Unmapped:
    node_id: int
    kode: str
    nama: str


@dataclass
class Preview:
    same_code: int = 0
    same_name: int = 0
    previous_code: int = 0
    changes: list[Change] = field(default_factory=list)
    unmapped: list[Unmapped] = field(default_factory=list)

    @property
    def mapped_count(self) -> int:
        return self.same_code + self.same_name + self.previous_code


def edition_preview(*, document: PlanDocument, edition: NomenclatureEdition) -> Preview:
    preview = Preview()
    if document.edisi_nomenklatur_id is None:
        raise ApplicationError(_("Dokumen ini belum memakai edisi nomenklatur mana pun."))
    kind = codes.pemda_kind_of(document.pemda.jenis)
    assert document.edisi_nomenklatur is not None
    mapping = edition_mapping(document.edisi_nomenklatur, edition, kind)
    nodes = (
        PlanNode.objects.filter(dokumen=document, jenis__in=levels.BUDGET_KINDS)
        .exclude(kode="")
        .order_by("id")
    )
    for node in nodes:
        if node.luar_nomenklatur:
            continue
        found = mapping.get(node.kode)
        if found is None or found.baru is None:
            preview.unmapped.append(Unmapped(node.pk, node.kode, node.nama))
            continue
        if found.cara == codes.KODE_SAMA:
            preview.same_code += 1
        elif found.cara == codes.NAMA_SAMA:
            preview.same_name += 1
        else:
            preview.previous_code += 1
        new_nama = found.baru.nama if node.nama == found.lama.nama else node.nama
        if found.baru.kode != node.kode or new_nama != node.nama:
            preview.changes.append(
                Change(
                    node.pk, node.kode, found.baru.kode, node.nama, new_nama, HOW.get(found.cara, found.cara)
                )
            )
    return preview


@transaction.atomic
def edition_apply(
    *, actor: Any, document: PlanDocument, edition: NomenclatureEdition, expected_version: int
) -> Preview:
    _refuse_locked(document)
    preview = edition_preview(document=document, edition=edition)
    before_edition = document.edisi_nomenklatur_id
    document.edisi_nomenklatur = edition
    save_versioned(document, expected_version=expected_version, fields=["edisi_nomenklatur", "diubah"])
    nodes = {
        n.pk: n
        for n in PlanNode.objects.filter(
            pk__in=[c.node_id for c in preview.changes] + [u.node_id for u in preview.unmapped]
        )
    }
    for change in preview.changes:
        node = nodes[change.node_id]
        PlanNode.objects.filter(pk=node.pk).update(
            kode=change.new, nama=change.new_nama, version=node.version + 1
        )
        audit_record(
            actor=actor,
            action="remap",
            instance=node,
            pemda_id=document.pemda_id,
            before={"kode": change.old, "nama": change.nama},
            after={"kode": change.new, "nama": change.new_nama, "cara": change.how},
        )
    for item in preview.unmapped:
        node = nodes[item.node_id]
        PlanNode.objects.filter(pk=node.pk).update(luar_nomenklatur=True, version=node.version + 1)
        audit_record(
            actor=actor,
            action="remap",
            instance=node,
            pemda_id=document.pemda_id,
            before={"kode": item.kode, "luar_nomenklatur": False},
            after={"kode": item.kode, "luar_nomenklatur": True, "cara": "tidak terpetakan"},
        )
    audit_record(
        actor=actor,
        action="edition",
        instance=document,
        pemda_id=document.pemda_id,
        before={"edisi_nomenklatur": before_edition},
        after={
            "edisi_nomenklatur": edition.pk,
            "dipetakan": preview.mapped_count,
            "diubah": len(preview.changes),
            "perlu_keputusan": len(preview.unmapped),
        },
    )
    return preview
