import pytest
from django.test import Client
from django.urls import reverse

from rencana.planning import edition as edition_service
from rencana.planning.models import NomenclatureEdition, PlanNode
from rencana.planning.tests.conftest import ITEMS, Plan, make_edition

pytestmark = pytest.mark.django_db


def _newer() -> NomenclatureEdition:
    """The next edition: 0001 renumbered to 0005 (same name), 0002 dropped, the rest unchanged."""
    items = []
    for row in ITEMS:
        if row[0] == "1.02.02.2.01.0001":
            row = ("1.02.02.2.01.0005", *row[1:])
        if row[0] == "1.02.02.2.01.0002":
            continue
        items.append(row)
    return make_edition("uji2", items)


def test_preview_maps_by_code_then_by_name_and_lists_the_rest(plan: Plan) -> None:
    from rencana.planning import services
    from rencana.planning.services import NodeInput

    services.node_create(
        actor=None,
        document=plan.rkpd,
        parent=plan.kegiatan,
        data=NodeInput(jenis="sub_kegiatan", kode="1.02.02.2.01.0002", opd=plan.opd),
    )
    newer = _newer()
    preview = edition_service.edition_preview(document=plan.rkpd, edition=newer)
    assert preview.same_code == 2  # program and kegiatan
    assert preview.same_name == 1
    assert [(c.old, c.new) for c in preview.changes] == [("1.02.02.2.01.0001", "1.02.02.2.01.0005")]
    assert [u.kode for u in preview.unmapped] == ["1.02.02.2.01.0002"]


def test_applying_rewrites_codes_and_flags_what_a_planner_must_decide(plan: Plan) -> None:
    newer = _newer()
    client = Client()
    client.force_login(plan.perencana)
    url = reverse("planning:document_edition", kwargs={"kode": plan.pemda.kode, "document_id": plan.rkpd.pk})
    page = client.get(url, {"edisi": newer.pk})
    assert "1.02.02.2.01.0005" in page.content.decode()
    response = client.post(url, {"edisi": newer.pk, "terapkan": "1", "version": plan.rkpd.version})
    assert response.status_code == 302
    plan.rkpd.refresh_from_db()
    assert plan.rkpd.edisi_nomenklatur_id == newer.pk
    assert PlanNode.objects.get(pk=plan.sub.pk).kode == "1.02.02.2.01.0005"
