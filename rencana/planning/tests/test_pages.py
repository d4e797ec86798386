import io
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from rencana.accounts.services import role_assign
from rencana.core.roles import Role
from rencana.planning import plan_io, services
from rencana.planning.models import Indicator, IndicatorTarget, NodeLink, PlanDocument, PlanNode
from rencana.planning.services import NodeInput
from rencana.planning.tests.conftest import Plan

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(name: str, plan: Plan, document: PlanDocument | None = None, **kwargs: Any) -> str:
    args: dict[str, Any] = {"kode": plan.pemda.kode, **kwargs}
    if document is not None:
        args["document_id"] = document.pk
    return reverse(f"planning:{name}", kwargs=args)


def _operator(plan: Plan) -> User:
    user = User.objects.create_user(username="operator-uji", password="sandi-uji-123")
    role_assign(actor=None, user=user, pemda=plan.pemda, role=Role.OPERATOR_OPD, opd=plan.opd)
    return user


def test_document_list_and_scores_fragment(plan: Plan) -> None:
    client = _client(plan.perencana)
    page = client.get(_url("documents", plan))
    assert page.status_code == 200
    assert "RKPD Kabupaten Kotabaru 2026" in page.content.decode()
    scores = client.get(_url("document_scores", plan, plan.rkpd)).content.decode()
    assert "100.00%" in scores or "100,00%" in scores


def test_tree_page_query_count_does_not_grow_with_the_tree(plan: Plan) -> None:
    client = _client(plan.perencana)
    url = _url("document", plan, plan.rkpd)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for number in range(3, 30):
        services.node_create(
            actor=None,
            document=plan.rkpd,
            parent=plan.kegiatan,
            data=NodeInput(
                jenis="sub_kegiatan",
                kode=f"1.02.02.2.01.{number:04d}",
                nama=f"Sub-kegiatan {number}",
                luar_nomenklatur=True,
                pagu={2026: Decimal(1000)},
            ),
        )
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
    assert "Sub-kegiatan 29" in response.content.decode()


def test_planner_adds_a_node_through_the_form(plan: Plan) -> None:
    client = _client(plan.perencana)
    url = _url("node_create", plan, plan.rkpd) + f"?induk={plan.kegiatan.pk}&jenis=sub_kegiatan"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "jenis": "sub_kegiatan",
            "kode": "1.02.02.2.01.0002",
            "nama": "",
            "opd": plan.opd.pk,
            "sasaran": [plan.sasaran.pk],
            "pagu_2026": "150.000.000",
            "isi_indikator": "on",
            "induk": plan.kegiatan.pk,
        },
    )
    assert response.status_code == 302
    node = PlanNode.objects.get(dokumen=plan.rkpd, kode="1.02.02.2.01.0002")
    assert node.nama == "Pembangunan Puskesmas" and node.induk_id == plan.kegiatan.pk
    assert node.pagu.get().jumlah == Decimal("150000000")
    assert Indicator.objects.filter(node=node, jenis="output").exists()


def test_bad_form_input_is_explained_in_indonesian(plan: Plan) -> None:
    client = _client(plan.perencana)
    url = _url("node_create", plan, plan.rkpd) + f"?induk={plan.kegiatan.pk}"
    response = client.post(
        url,
        {
            "jenis": "sub_kegiatan",
            "kode": "1.02.02.2.01.9999",
            "pagu_2026": "5.319.05",
            "induk": plan.kegiatan.pk,
        },
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert "ambigu" in text
    assert not PlanNode.objects.filter(kode="1.02.02.2.01.9999").exists()


def test_indicator_form_saves_targets_for_every_year(plan: Plan) -> None:
    client = _client(plan.perencana)
    url = _url("indicator_create", plan, plan.rpjmd, node_id=plan.sasaran.pk)
    response = client.post(
        url,
        {
            "nama": "Indeks Pembangunan Gender (IPG)",
            "jenis": "outcome",
            "satuan": "indeks",
            "polaritas": "positif",
            "agregasi": "akhir_periode",
            "baseline_tahun": "2023",
            "baseline_nilai": "85,05",
            **{f"target_{t}": f"85,{t - 2000}" for t in range(2025, 2030)},
        },
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(nama__startswith="Indeks Pembangunan Gender")
    assert indicator.baseline_nilai == Decimal("85.05")
    assert dict(IndicatorTarget.objects.filter(indikator=indicator).values_list("tahun", "nilai"))[
        2029
    ] == Decimal("85.29")


def test_target_grid_saves_all_rows_at_once_and_keeps_everything_on_a_bad_cell(plan: Plan) -> None:
    client = _client(plan.perencana)
    url = _url("target_grid", plan, plan.rpjmd)
    page = client.get(url)
    assert page.status_code == 200
    indicator = plan.indicator
    data = {f"t_{indicator.pk}_{t}": "0,5" for t in range(2025, 2030)}
    data[f"v_{indicator.pk}"] = str(indicator.version)
    data[f"t_{indicator.pk}_2027"] = "nol koma lima"
    response = client.post(url, data)
    assert response.status_code == 400
    assert IndicatorTarget.objects.get(indikator=indicator, tahun=2025).nilai == Decimal("0.53")
    data[f"t_{indicator.pk}_2027"] = "0,5"
    assert client.post(url, data).status_code == 302
    assert set(IndicatorTarget.objects.filter(indikator=indicator).values_list("nilai", flat=True)) == {
        Decimal("0.5")
    }


def test_stage_buttons_lock_and_the_revision_is_editable(plan: Plan) -> None:
    client = _client(plan.perencana)
    doc = plan.rpjmd
    for tahap in ("rancangan", "musrenbang", "rancangan_akhir", "ditetapkan"):
        doc.refresh_from_db()
        client.post(_url("document_stage", plan, doc), {"tahap": tahap, "version": doc.version})
    doc.refresh_from_db()
    assert doc.terkunci
    response = client.post(
        _url("node_create", plan, doc), {"jenis": "misi", "nama": "Misi setelah penetapan"}, follow=True
    )
    assert "terkunci" in response.content.decode()
    assert not PlanNode.objects.filter(nama="Misi setelah penetapan").exists()
    response = client.post(_url("document_revise", plan, doc))
    revision = PlanDocument.objects.get(revisi_dari=doc)
    assert response.status_code == 302
    assert client.get(_url("document_diff", plan, revision)).status_code == 200


def test_an_opd_operator_edits_only_its_own_lines(plan: Plan) -> None:
    client = _client(_operator(plan))
    own = client.get(_url("node_edit", plan, plan.rkpd, node_id=plan.sub.pk))
    assert own.status_code == 200
    assert client.get(_url("node_edit", plan, plan.rpjmd, node_id=plan.sasaran.pk)).status_code == 403
    foreign = services.node_create(
        actor=None,
        document=plan.rkpd,
        parent=None,
        data=NodeInput(jenis="program", kode="X.XX.01", opd=plan.other_opd),
    )
    assert client.get(_url("node_edit", plan, plan.rkpd, node_id=foreign.pk)).status_code == 403
    # Nor can it move its own line to another OPD.
    response = client.post(
        _url("node_edit", plan, plan.rkpd, node_id=plan.sub.pk),
        {
            "jenis": "sub_kegiatan",
            "kode": plan.sub.kode,
            "opd": plan.other_opd.pk,
            "version": plan.sub.version,
        },
    )
    assert response.status_code == 403
    assert client.get(_url("document_create", plan)).status_code == 403


def test_import_page_checks_first_then_imports(plan: Plan) -> None:
    client = _client(plan.perencana)
    data = plan_io.document_export_bytes(plan.rkpd)
    same_year = services.document_create(
        actor=None, pemda=plan.pemda, jenis="RKPD", tahun_mulai=2026, nama="Ulang", induk=plan.rpjmd
    )
    upload = io.BytesIO(data)
    upload.name = "rkpd.xlsx"
    url = _url("document_import", plan, same_year)
    checked = client.post(url, {"berkas": upload, "aksi": "periksa"})
    assert checked.status_code == 200 and checked.context["result"].created == 3
    assert not PlanNode.objects.filter(dokumen=same_year).exists()
    done = client.post(url, {"token": checked.context["token"], "aksi": "impor"})
    assert done.status_code == 302
    assert PlanNode.objects.filter(dokumen=same_year).count() == 3
    assert NodeLink.objects.filter(dari__dokumen=same_year).count() == 1


def test_check_page_and_its_xlsx(plan: Plan) -> None:
    services.node_update(
        actor=None,
        node=plan.program,
        expected_version=plan.program.version,
        data=NodeInput(jenis="program", kode="1.02.02", opd=plan.opd, sasaran_ids=[]),
    )
    client = _client(plan.perencana)
    page = client.get(_url("document_check", plan, plan.rkpd))
    assert "tidak_tertaut_sasaran" in page.content.decode()
    export = client.get(_url("document_check", plan, plan.rkpd) + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet is not None
    assert "tidak_tertaut_sasaran" in [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_nomenclature_search_is_public(edition: Any, client: Client) -> None:
    response = client.get(reverse("planning:nomenclature_results"), {"q": "puskesmas", "pilih": "1"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "1.02.02.2.01.0002" in text and "data-fill-kode" in text
    by_code = client.get(reverse("planning:nomenclature"), {"q": "1.02.02.2"}).content.decode()
    assert "1.02.02.2.01.0001" in by_code


def test_api_check_returns_the_documented_json(plan: Plan) -> None:
    client = _client(plan.perencana)
    response = client.get(f"/api/v1/pemda/{plan.pemda.kode}/perencanaan/{plan.rkpd.pk}/pemeriksaan")
    body = response.json()
    assert response.status_code == 200
    assert body["pct_pagu_traceable"] == 100.0
    assert set(body["counts"]) == {"error", "warning", "info"}
    detail = client.get(f"/api/v1/pemda/{plan.pemda.kode}/perencanaan/{plan.rpjmd.pk}").json()
    sasaran = next(n for n in detail["simpul"] if n["jenis"] == "sasaran")
    assert sasaran["indikator"][0]["polaritas"] == "negatif"
    assert [t["tahun"] for t in sasaran["indikator"][0]["target"]] == [2025, 2026, 2027, 2028, 2029]
