"""The e-Monev API: the list scoped per operator, the draft/submit/verify/return flow, 403/404/409."""

import json
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from rencana.accounts.services import token_create
from rencana.monitoring import services
from rencana.monitoring.models import Realization, RealizationValue, Status
from rencana.monitoring.tests.conftest import Monev
from rencana.planning import services as plan_services
from rencana.planning.models import Indicator, PlanNode
from rencana.planning.services import IndicatorInput, NodeInput

pytestmark = pytest.mark.django_db

BASE = "/api/v1/pemda/63.02/monev/realisasi"


class Api:
    def __init__(self, user: User) -> None:
        _token, raw = token_create(user=user, nama="uji")
        self.headers = {"Authorization": f"Bearer {raw}"}
        self.client = Client()

    def get(self, path: str, **query: Any) -> Any:
        return self.client.get(path, query, headers=self.headers)

    def send(self, method: str, path: str, body: dict[str, Any]) -> Any:
        return self.client.generic(
            method, path, data=json.dumps(body), content_type="application/json", headers=self.headers
        )


def _other_sub(monev: Monev) -> PlanNode:
    plan = monev.plan
    program = plan_services.node_create(
        actor=None,
        document=plan.rkpd,
        parent=None,
        data=NodeInput(jenis="program", kode="X.XX.01", opd=plan.other_opd),
    )
    kegiatan = plan_services.node_create(
        actor=None, document=plan.rkpd, parent=program, data=NodeInput(jenis="kegiatan", kode="X.XX.01.2.01")
    )
    return plan_services.node_create(
        actor=None,
        document=plan.rkpd,
        parent=kegiatan,
        data=NodeInput(jenis="sub_kegiatan", kode="X.XX.01.2.01.0001"),
    )


def _path(node: PlanNode, triwulan: int = 2, action: str = "") -> str:
    return f"{BASE}/{node.pk}/2026/{triwulan}" + (f"/{action}" if action else "")


def _save(user: User, node: PlanNode, triwulan: int = 2, anggaran: str = "1000") -> Realization:
    return services.realization_save(
        actor=user,
        node=node,
        tahun=2026,
        triwulan=triwulan,
        expected_version=None,
        anggaran=Decimal(anggaran),
        values={i.pk: Decimal(1) for i in Indicator.objects.filter(node=node)},
    )


def test_the_list_shows_current_entries_scoped_to_the_operators_opd(monev: Monev) -> None:
    own = monev.plan.sub
    other = _other_sub(monev)
    _save(monev.operator, own, 1)
    _save(monev.operator, own, 2)
    _save(monev.other_operator, other, 2)

    mine = Api(monev.operator).get(BASE, tahun=2026)
    assert mine.status_code == 200
    body = mine.json()
    assert body["count"] == 2
    assert {(i["node_kode"], i["triwulan"]) for i in body["items"]} == {(own.kode, 1), (own.kode, 2)}
    item = body["items"][0]
    assert item["opd_kode"] == monev.plan.opd.kode and item["status"] == "draft" and item["revisi_ke"] == 0
    assert Decimal(item["anggaran"]) == Decimal(1000)
    indicator = Indicator.objects.get(node=own)
    assert [(v["indikator_id"], v["nama"], Decimal(v["nilai"])) for v in item["nilai"]] == [
        (indicator.pk, indicator.nama, Decimal(1))
    ]

    theirs = Api(monev.other_operator).get(BASE, tahun=2026).json()
    assert [i["node_kode"] for i in theirs["items"]] == [other.kode]

    verifier = Api(monev.verifier)
    assert verifier.get(BASE, tahun=2026).json()["count"] == 3
    assert verifier.get(BASE, tahun=2026, triwulan=2).json()["count"] == 2
    assert verifier.get(BASE, tahun=2026, opd_id=monev.plan.other_opd.pk).json()["count"] == 1
    assert verifier.get(BASE, tahun=2025).json()["count"] == 0
    paged = verifier.get(BASE, tahun=2026, page=2, page_size=2).json()
    assert (paged["count"], paged["page"], len(paged["items"])) == (3, 2, 1)

    # An operator asking for another OPD: that OPD does not exist for them.
    assert Api(monev.operator).get(BASE, opd_id=monev.plan.other_opd.pk).status_code == 404
    assert Api(monev.operator).get(BASE, triwulan=9).status_code == 422


def test_the_list_shows_only_the_newest_revision(monev: Monev) -> None:
    realization = _save(monev.operator, monev.plan.sub)
    services.realization_submit(
        actor=monev.operator, realization=realization, expected_version=realization.version
    )
    services.realization_verify(
        actor=monev.verifier, realization=realization, expected_version=realization.version
    )
    services.realization_revise(actor=monev.operator, realization=realization)
    items = Api(monev.verifier).get(BASE, tahun=2026).json()["items"]
    assert [(i["revisi_ke"], i["status"]) for i in items] == [(1, "draft")]


def test_save_submit_return_resubmit_and_verify(monev: Monev) -> None:
    node = monev.plan.sub
    indicator = Indicator.objects.get(node=node)
    operator, verifier = Api(monev.operator), Api(monev.verifier)

    created = operator.send(
        "PUT",
        _path(node),
        {
            "anggaran": "125000000.50",
            "nilai": [{"indikator_id": indicator.pk, "nilai": 1}],
            "faktor_pendukung": "Lahan tersedia",
            "version": None,
        },
    )
    assert created.status_code == 200, created.content
    body = created.json()
    assert body["status"] == "draft" and body["node_id"] == node.pk and body["triwulan"] == 2
    assert Decimal(body["anggaran"]) == Decimal("125000000.50")
    assert Decimal(body["nilai"][0]["nilai"]) == Decimal(1)
    assert body["faktor_pendukung"] == "Lahan tersedia"

    # An existing entry is changed only with its version.
    missing = operator.send("PUT", _path(node), {"anggaran": 1})
    assert missing.status_code == 409 and missing.json()["code"] == "versi_wajib"
    updated = operator.send(
        "PUT",
        _path(node),
        {"anggaran": 130000000, "nilai": [{"indikator_id": indicator.pk, "nilai": "2,5"}], "version": 1},
    )
    assert updated.status_code == 422  # "2,5" is not a JSON decimal: use "2.5" or 2.5
    updated = operator.send(
        "PUT",
        _path(node),
        {"anggaran": 130000000, "nilai": [{"indikator_id": indicator.pk, "nilai": "2.5"}], "version": 1},
    )
    assert updated.status_code == 200, updated.content
    assert updated.json()["version"] == 2 and updated.json()["faktor_pendukung"] == ""  # replaced
    stale = operator.send("PUT", _path(node), {"anggaran": 1, "version": 1})
    assert stale.status_code == 409 and stale.json()["code"] == "versi_usang"

    submitted = operator.send("POST", _path(node, action="ajukan"), {"version": 2})
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    locked = operator.send("PUT", _path(node), {"anggaran": 1, "version": 3})
    assert locked.status_code == 409 and locked.json()["code"] == "realisasi_terkunci"

    no_reason = verifier.send("POST", _path(node, action="kembalikan"), {"version": 3, "alasan": " "})
    assert no_reason.status_code == 400
    returned = verifier.send(
        "POST", _path(node, action="kembalikan"), {"version": 3, "alasan": "Bukti kurang"}
    )
    assert returned.status_code == 200
    assert (
        returned.json()["status"] == "returned" and returned.json()["alasan_pengembalian"] == "Bukti kurang"
    )

    again = operator.send(
        "PUT",
        _path(node),
        {"anggaran": "120000000", "nilai": [{"indikator_id": indicator.pk, "nilai": 3}], "version": 4},
    )
    assert again.status_code == 200 and again.json()["status"] == "returned"
    assert operator.send("POST", _path(node, action="ajukan"), {"version": 5}).json()["status"] == "submitted"
    stale_verify = verifier.send("POST", _path(node, action="verifikasi"), {"version": 5})
    assert stale_verify.status_code == 409
    verified = verifier.send("POST", _path(node, action="verifikasi"), {"version": 6})
    assert verified.status_code == 200
    assert verified.json()["status"] == "verified" and verified.json()["diverifikasi_pada"]
    twice = verifier.send("POST", _path(node, action="verifikasi"), {"version": 7})
    assert twice.status_code == 409 and twice.json()["code"] == "transisi_tidak_sah"

    realization = Realization.objects.get()
    assert (realization.status, realization.anggaran) == (Status.VERIFIED, Decimal("120000000"))
    assert realization.diverifikasi_oleh == monev.verifier


def test_put_replaces_the_draft_and_refuses_bad_values(monev: Monev) -> None:
    node = monev.plan.sub
    first = Indicator.objects.get(node=node)
    second = plan_services.indicator_create(actor=None, node=node, data=IndicatorInput(nama="Kedua"))
    operator = Api(monev.operator)
    response = operator.send(
        "PUT",
        _path(node),
        {"nilai": [{"indikator_id": first.pk, "nilai": 1}, {"indikator_id": second.pk, "nilai": 2}]},
    )
    assert [v["nama"] for v in response.json()["nilai"]] == [first.nama, "Kedua"]
    response = operator.send(
        "PUT", _path(node), {"nilai": [{"indikator_id": second.pk, "nilai": 5}], "version": 1}
    )
    assert [(v["indikator_id"], Decimal(v["nilai"])) for v in response.json()["nilai"]] == [(second.pk, 5)]

    other_indicator = monev.plan.indicator  # an indicator of the RPJMD, not of this node
    foreign = operator.send(
        "PUT", _path(node), {"nilai": [{"indikator_id": other_indicator.pk, "nilai": 1}], "version": 2}
    )
    assert foreign.status_code == 400 and foreign.json()["errors"]
    negative = operator.send(
        "PUT", _path(node), {"nilai": [{"indikator_id": first.pk, "nilai": -1}], "version": 2}
    )
    assert negative.status_code == 400
    over_pagu = operator.send("PUT", _path(node), {"anggaran": "800000000", "version": 2})
    assert over_pagu.status_code == 400 and over_pagu.json()["errors"][0]["kolom"] == "anggaran"
    too_precise = operator.send("PUT", _path(node), {"anggaran": "1.005", "version": 2})
    assert too_precise.status_code == 422
    not_a_number = operator.send("PUT", _path(node), {"anggaran": "NaN", "version": 2})
    assert not_a_number.status_code == 422
    duplicate = operator.send(
        "PUT",
        _path(node),
        {
            "nilai": [{"indikator_id": first.pk, "nilai": 1}, {"indikator_id": first.pk, "nilai": 2}],
            "version": 2,
        },
    )
    assert duplicate.status_code == 400
    bad_quarter = operator.send("PUT", _path(node, triwulan=5), {"anggaran": 1})
    assert bad_quarter.status_code == 400
    assert RealizationValue.objects.get().nilai == Decimal(5)


def test_submit_needs_every_value(monev: Monev) -> None:
    node = monev.plan.sub
    operator = Api(monev.operator)
    operator.send("PUT", _path(node), {"anggaran": 1})
    response = operator.send("POST", _path(node, action="ajukan"), {"version": 1})
    assert response.status_code == 400
    assert any(e["kolom"].startswith("nilai_") for e in response.json()["errors"])


def test_scope_answers_404_for_another_opd_and_403_without_the_role(monev: Monev) -> None:
    node = monev.plan.sub
    other = _other_sub(monev)
    _save(monev.other_operator, other)
    operator = Api(monev.operator)
    # Another OPD's line: as if it did not exist, for every operation.
    assert operator.send("PUT", _path(other), {"anggaran": 1, "version": 1}).status_code == 404
    assert operator.send("POST", _path(other, action="ajukan"), {"version": 1}).status_code == 404
    # Nothing to submit yet; an unknown node.
    assert operator.send("POST", _path(node, action="ajukan"), {"version": 1}).status_code == 404
    assert operator.send("PUT", f"{BASE}/999999/2026/2", {"anggaran": 1}).status_code == 404
    # Operators do not verify; verifiers and admins do not enter.
    assert operator.send("POST", _path(other, action="verifikasi"), {"version": 1}).status_code == 403
    assert (
        operator.send("POST", _path(other, action="kembalikan"), {"version": 1, "alasan": "x"}).status_code
        == 403
    )
    assert Api(monev.verifier).send("PUT", _path(node), {"anggaran": 1}).status_code == 403
    assert (
        Api(monev.plan.perencana).send("POST", _path(other, action="ajukan"), {"version": 1}).status_code
        == 403
    )
    # A verifier with nothing submitted: the workflow refuses.
    response = Api(monev.verifier).send("POST", _path(other, action="verifikasi"), {"version": 1})
    assert response.status_code == 409
    # Outsiders and anonymous callers.
    stranger = User.objects.create_user(username="orang-luar", password="sandi-uji-123")
    assert Api(stranger).get(BASE).status_code == 404
    assert Client().get(BASE).status_code == 401
    assert Realization.objects.get().status == Status.DRAFT
