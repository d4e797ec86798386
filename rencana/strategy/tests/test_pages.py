"""Pages and API of the strategic analysis: the Pasuruan figures on the page and through the API, bad input
keeps nothing, participants score through their own links, roles are enforced."""

import json
import re
from decimal import Decimal

from django.test import Client
from django.urls import reverse

from rencana.core.roles import Role
from rencana.regions.models import Opd
from rencana.strategy import services
from rencana.strategy.models import AnalysisStatus, Factor, Participant
from rencana.strategy.tests.conftest import DATA, Pasuruan, pasuruan_rows


def login(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def url(name: str, p: Pasuruan, **extra: object) -> str:
    return reverse(f"strategy:{name}", kwargs={"kode": p.pemda.kode, "analysis_id": p.analysis.pk, **extra})


def test_the_page_shows_the_published_result_and_both_pictures(pasuruan: Pasuruan) -> None:
    response = login(pasuruan.planner).get(url("detail", pasuruan))
    html = response.content.decode()
    assert response.status_code == 200
    for key, text in (
        ("strength_score", "1,95"),
        ("weakness_score", "0,55"),
        ("ifas_total", "2,50"),
        ("opportunity_score", "2,05"),
        ("threat_score", "0,80"),
        ("efas_total", "2,85"),
        ("x", "1,40"),
        ("y", "1,25"),
    ):
        assert re.search(rf'data-key="{key}">{re.escape(text)}<', html), key
    assert "agresif (SO)" in html
    assert 'data-key="ie">V' in html
    assert html.count("<svg") >= 2


def test_the_api_gives_the_calc_swot_shape(pasuruan: Pasuruan) -> None:
    response = login(pasuruan.planner).get(
        f"/api/v1/pemda/{pasuruan.pemda.kode}/strategi/{pasuruan.analysis.pk}"
    )
    assert response.status_code == 200
    expected = json.loads((DATA / "swot_kota_pasuruan_expected.json").read_text(encoding="utf-8"))
    expected.pop("note")
    hasil = response.json()["hasil"]
    assert {
        k: (float(v) if isinstance(v, str) and k in ("x", "y") else v) for k, v in hasil.items()
    }.keys() == expected.keys()
    assert float(hasil["x"]) == 1.40 and float(hasil["y"]) == 1.25
    assert float(hasil["ifas"]["total"]) == 2.50 and float(hasil["efas"]["total"]) == 2.85
    assert hasil["quadrant"] == "I" and hasil["ie_matrix_cell"] == "V"


def test_the_api_refuses_a_bad_matrix_and_keeps_the_old_one(pasuruan: Pasuruan) -> None:
    client = login(pasuruan.planner)
    body = {
        "version": pasuruan.analysis.version,
        "faktor": [
            {
                "kode": r["kode"],
                "bobot": "0.10" if r["kode"] == "S1" else r["bobot"],
                "rating": 5 if r["kode"] == "W1" else r["rating"],
            }
            for r in pasuruan_rows()
        ],
    }
    response = client.put(
        f"/api/v1/pemda/{pasuruan.pemda.kode}/strategi/{pasuruan.analysis.pk}/matriks",
        body,
        content_type="application/json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {e["kolom"] for e in errors} >= {"IFAS", "W1"}
    assert Factor.objects.get(analisis=pasuruan.analysis, kode="S1").bobot == Decimal("0.2")


def test_the_matrix_form_names_every_problem_and_saves_nothing(open_analysis: Pasuruan) -> None:
    client = login(open_analysis.planner)
    data: dict[str, object] = {"version": open_analysis.analysis.version}
    for r in pasuruan_rows():
        data[f"bobot_{r['kode']}"] = r["bobot"]
        data[f"rating_{r['kode']}"] = r["rating"]
    data["bobot_S1"] = "0,10"
    data["rating_S2"] = "5"
    response = client.post(url("matrix", open_analysis), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "0,90" in html and "S2" in html
    assert 'value="0,10"' in html  # what was typed stays in the form
    assert not Factor.objects.filter(analisis=open_analysis.analysis, bobot__isnull=False).exists()


def test_an_empty_factor_gets_a_message(open_analysis: Pasuruan) -> None:
    response = login(open_analysis.planner).post(
        url("factor_create", open_analysis), {"jenis": "S", "faktor": ""}
    )
    assert response.status_code == 400
    assert "wajib diisi" in response.content.decode()


def test_participants_score_through_one_time_links_and_the_facilitator_sees_them(
    open_analysis: Pasuruan,
) -> None:
    facilitator = login(open_analysis.planner)
    for name in ("Peserta Satu", "Peserta Dua"):
        facilitator.post(url("participant_add", open_analysis), {"nama": name})
    page = facilitator.get(url("workshop", open_analysis)).content.decode()
    links = re.findall(r'<code class="one-time-link">([^<]+)</code>', page)
    assert len(links) == 2
    analysis = open_analysis.analysis
    analysis.refresh_from_db()
    facilitator.post(url("round_open", open_analysis), {"version": analysis.version})
    for link in links:
        guest = Client()
        path = link.split("testserver", 1)[1]
        assert guest.get(path).status_code == 200  # a link preview does not use it up
        landing = guest.post(path)
        assert landing.status_code == 302
        form = {f"mentah_{r['kode']}": str(int(Decimal(r["bobot"]) * 100)) for r in pasuruan_rows()}
        form |= {f"rating_{r['kode']}": r["rating"] for r in pasuruan_rows()}
        saved = guest.post(landing["Location"], form)
        assert saved.status_code == 302, saved.content.decode()[:2000]
        assert Client().post(path).status_code == 409  # the link worked once
    status = facilitator.get(url("workshop_status", open_analysis)).content.decode()
    assert "Peserta Satu" in status and "Peserta Dua" in status
    analysis.refresh_from_db()
    closed = facilitator.post(
        url("round_close", open_analysis), {"metode": "mean", "version": analysis.version}
    )
    assert closed.status_code == 302
    analysis.refresh_from_db()
    assert analysis.status == AnalysisStatus.CLOSED
    detail = facilitator.get(url("detail", open_analysis)).content.decode()
    assert 'data-key="x">1,40<' in detail


def test_a_scoring_page_is_private_to_its_participant(open_analysis: Pasuruan) -> None:
    participant, _link = services.participant_add(actor=None, analysis=open_analysis.analysis, nama="Tamu")
    target = reverse("strategy:score", kwargs={"participant_id": participant.pk})
    assert Client().get(target).status_code == 404
    assert login(open_analysis.planner).get(target).status_code == 404


def test_a_user_participant_scores_after_login(open_analysis: Pasuruan, make_user: object) -> None:
    member = make_user(Role.PIMPINAN, open_analysis.pemda)  # type: ignore[operator]
    facilitator = login(open_analysis.planner)
    facilitator.post(url("participant_add", open_analysis), {"username": member.username, "nama": ""})
    participant = Participant.objects.get(analisis=open_analysis.analysis, user=member)
    assert (
        login(member).get(reverse("strategy:score", kwargs={"participant_id": participant.pk})).status_code
        == 200
    )


def test_an_operator_reads_but_cannot_facilitate(pasuruan: Pasuruan, make_user: object) -> None:
    opd = Opd.objects.filter(pemda=pasuruan.pemda).first()
    operator = login(make_user(Role.OPERATOR_OPD, pasuruan.pemda, opd))  # type: ignore[operator]
    assert operator.get(url("detail", pasuruan)).status_code == 200
    assert operator.get(url("matrix", pasuruan)).status_code == 403
    response = operator.post(url("tows", pasuruan), {"sel": "SO", "teks": "x"})
    assert response.status_code == 403


def test_tows_page_favours_the_quadrants_cell(pasuruan: Pasuruan) -> None:
    html = login(pasuruan.planner).get(url("tows", pasuruan)).content.decode()
    assert re.search(r'class="tows-cell favoured"[^>]*aria-labelledby="sel-SO"', html)
    assert not re.search(r'class="tows-cell favoured"[^>]*aria-labelledby="sel-WT"', html)


def test_issue_page_scores_the_litmus_test_and_ranks(pasuruan: Pasuruan) -> None:
    client = login(pasuruan.planner)
    created = client.post(url("issues", pasuruan), {"pertanyaan": "Bagaimana memperkuat sistem informasi?"})
    assert created.status_code == 302
    issue_url = created["Location"]
    version = pasuruan.analysis.isu.get().version
    answers = {f"litmus_L{n:02d}": "3" if n <= 10 else "2" for n in range(1, 14)}
    client.post(issue_url, {"aksi": "litmus", "version": version, **answers})
    html = client.get(issue_url).content.decode()
    assert '<span id="skor-litmus">36</span>' in html
    assert "sangat strategis" in html
    bad = client.post(issue_url, {"aksi": "litmus", "version": version + 1, "litmus_L01": "7"})
    assert bad.status_code == 400


def test_litmus_bands_must_cover_the_range(pasuruan: Pasuruan) -> None:
    client = login(pasuruan.planner)
    items = "\n".join(f"L{n:02d} | Butir {n}?" for n in range(1, 14))
    response = client.post(
        url("litmus", pasuruan),
        {"version": pasuruan.analysis.version, "items": items, "bands": "13-20 rendah\n22-39 tinggi"},
    )
    assert response.status_code == 400
    ok = client.post(
        url("litmus", pasuruan),
        {"version": pasuruan.analysis.version, "items": items, "bands": "13-26 rendah\n27-39 tinggi"},
    )
    assert ok.status_code == 302


def test_the_list_explains_itself_when_empty(pemda_b: object, make_user: object) -> None:
    planner = make_user(Role.PERENCANA, pemda_b)  # type: ignore[operator]
    html = login(planner).get(reverse("strategy:list", kwargs={"kode": "35.75"})).content.decode()
    assert "Belum ada analisis strategis" in html
