"""Pages of PUG readiness, PPE and roadmap: Pokja PUG edits, an OPD operator reads but cannot write, another
pemda's users get 404, empty states, evidence download headers, no 500 on bad input."""

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from rencana.core.roles import Role
from rencana.gender import ppe
from rencana.gender import services_readiness as services
from rencana.gender.models import IndexValue, PpeAssessment, Prerequisite, PrerequisiteEvidence, RoadmapTarget
from rencana.regions.models import Opd, Pemda

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% bukti Kotabaru\n"


def _url(name: str, pemda: Pemda, **kwargs: Any) -> str:
    return reverse(f"gender:{name}", kwargs={"kode": pemda.kode, **kwargs})


@pytest.fixture
def pokja(client_as: Callable[..., Client], pemda_a: Pemda) -> Client:
    return client_as(Role.POKJA_PUG, pemda_a)


@pytest.fixture
def operator(client_as: Callable[..., Client], pemda_a: Pemda) -> Client:
    return client_as(Role.OPERATOR_OPD, pemda_a, Opd.objects.filter(pemda=pemda_a).first())


@pytest.fixture
def outsider(client_as: Callable[..., Client], pemda_b: Pemda) -> Client:
    return client_as(Role.ADMIN_PEMDA, pemda_b)


def _text(response: Any) -> str:
    return response.content.decode()


# --- readiness ---------------------------------------------------------------------------------------------


def test_readiness_empty_state_shows_the_seven_prerequisites(operator: Client, pemda_a: Pemda) -> None:
    response = operator.get(_url("readiness", pemda_a))
    assert response.status_code == 200
    body = _text(response)
    assert "0 dari 7 prasyarat terpenuhi" in body
    for label in ("Komitmen", "Kebijakan", "Kelembagaan", "Data terpilah", "Partisipasi masyarakat"):
        assert label in body
    assert body.count("Belum ada bukti.") == 7
    assert "Ubah status atau tambah bukti" not in body  # read-only for an operator


def test_pokja_updates_a_prerequisite_and_adds_evidence(pokja: Client, pemda_a: Pemda) -> None:
    prereq = services.prerequisites_for(pemda_a)[2]
    url = _url("prerequisite", pemda_a, prereq_id=prereq.pk)
    assert pokja.get(url).status_code == 200
    response = pokja.post(
        url,
        {"aksi": "simpan", "status": "terpenuhi", "catatan": "SK Pokja PUG 2025", "version": prereq.version},
    )
    assert response.status_code == 302
    prereq.refresh_from_db()
    assert (prereq.status, prereq.catatan) == ("terpenuhi", "SK Pokja PUG 2025")
    stale = pokja.post(url, {"aksi": "simpan", "status": "belum", "catatan": "", "version": 0}, follow=True)
    assert "telah diubah oleh pengguna lain" in _text(stale)
    prereq.refresh_from_db()
    assert prereq.status == "terpenuhi"

    upload = SimpleUploadedFile("sk-pokja.pdf", PDF, content_type="application/pdf")
    response = pokja.post(
        url, {"aksi": "unggah", "judul": "SK Bupati Pokja PUG", "berkas": upload, "tautan": ""}
    )
    assert response.status_code == 302
    evidence = PrerequisiteEvidence.objects.get(prasyarat=prereq)
    bad = SimpleUploadedFile("palsu.pdf", b"<script>alert(1)</script>", content_type="application/pdf")
    response = pokja.post(url, {"aksi": "unggah", "judul": "Palsu", "berkas": bad})
    assert response.status_code == 400
    assert "Bukti harus berupa PDF, JPG atau PNG." in _text(response)
    response = pokja.post(url, {"aksi": "unggah", "judul": "Tanpa apa-apa"})
    assert response.status_code == 400
    assert PrerequisiteEvidence.objects.filter(prasyarat=prereq).count() == 1

    download = pokja.get(_url("evidence_download", pemda_a, pug_evidence_id=evidence.pk))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment")
    assert "sk-pokja.pdf" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]

    readiness = _text(pokja.get(_url("readiness", pemda_a)))
    assert "1 dari 7 prasyarat terpenuhi" in readiness
    assert "SK Bupati Pokja PUG" in readiness

    response = pokja.post(url, {"aksi": "hapus_bukti", "bukti": str(evidence.pk)})
    assert response.status_code == 302
    assert not PrerequisiteEvidence.objects.filter(pk=evidence.pk).exists()


def test_reference_only_evidence_has_no_download(pokja: Client, pemda_a: Pemda) -> None:
    prereq = services.prerequisites_for(pemda_a)[0]
    evidence = services.evidence_add(
        actor=None, prereq=prereq, judul="Perda 16/2013", tautan="Perda No. 16 Tahun 2013"
    )
    assert pokja.get(_url("evidence_download", pemda_a, pug_evidence_id=evidence.pk)).status_code == 404
    assert "Perda No. 16 Tahun 2013" in _text(pokja.get(_url("readiness", pemda_a)))


def test_operator_reads_but_cannot_write(operator: Client, pemda_a: Pemda) -> None:
    prereq = services.prerequisites_for(pemda_a)[0]
    evidence = services.evidence_add(
        actor=None, prereq=prereq, judul="Perda", upload=SimpleUploadedFile("perda.pdf", PDF)
    )
    url = _url("prerequisite", pemda_a, prereq_id=prereq.pk)
    page = operator.get(url)
    assert page.status_code == 200
    assert "Tambah bukti" not in _text(page) and 'name="aksi"' not in _text(page)
    assert operator.get(_url("evidence_download", pemda_a, pug_evidence_id=evidence.pk)).status_code == 200
    writes = [
        (url, {"aksi": "simpan", "status": "terpenuhi", "catatan": "", "version": prereq.version}),
        (url, {"aksi": "unggah", "judul": "x", "tautan": "y"}),
        (url, {"aksi": "hapus_bukti", "bukti": str(evidence.pk)}),
        (_url("ppe_list", pemda_a), {"tahun": "2025"}),
        (_url("roadmap", pemda_a), {"indeks": "IPM", "target_2025": "71"}),
    ]
    for target, data in writes:
        assert operator.post(target, data).status_code == 403, target
    prereq.refresh_from_db()
    assert prereq.status == "belum"
    assert PrerequisiteEvidence.objects.filter(prasyarat=prereq).count() == 1
    assert not PpeAssessment.objects.exists() and not RoadmapTarget.objects.exists()
    assessment = services.ppe_start(actor=None, pemda=pemda_a, tahun=2025)
    for name, data in (("ppe_detail", {"k_KOM1": "2", "version": "1"}), ("ppe_criteria", {"aksi": "bawaan"})):
        target = _url(name, pemda_a, assessment_id=assessment.pk)
        assert operator.get(target).status_code == 200
        assert operator.post(target, data).status_code == 403
    assessment.refresh_from_db()
    assert assessment.jawaban == {}


def test_another_pemdas_user_gets_404(outsider: Client, pemda_a: Pemda, pemda_b: Pemda) -> None:
    prereq = services.prerequisites_for(pemda_a)[0]
    evidence = services.evidence_add(
        actor=None, prereq=prereq, judul="Perda", upload=SimpleUploadedFile("perda.pdf", PDF)
    )
    assessment = services.ppe_start(actor=None, pemda=pemda_a, tahun=2025)
    for url in (
        _url("readiness", pemda_a),
        _url("prerequisite", pemda_a, prereq_id=prereq.pk),
        _url("evidence_download", pemda_a, pug_evidence_id=evidence.pk),
        _url("ppe_list", pemda_a),
        _url("ppe_detail", pemda_a, assessment_id=assessment.pk),
        _url("roadmap", pemda_a),
        _url("pokja", pemda_a),
    ):
        assert outsider.get(url).status_code == 404, url
    # Pemda A's objects through pemda B's own URLs: not found either.
    for url in (
        _url("prerequisite", pemda_b, prereq_id=prereq.pk),
        _url("evidence_download", pemda_b, pug_evidence_id=evidence.pk),
        _url("ppe_detail", pemda_b, assessment_id=assessment.pk),
        _url("ppe_criteria", pemda_b, assessment_id=assessment.pk),
    ):
        response = outsider.get(url)
        assert response.status_code == 404, url
        assert "Perda" not in _text(response)
    response = outsider.post(
        _url("prerequisite", pemda_b, prereq_id=prereq.pk),
        {"aksi": "simpan", "status": "terpenuhi", "catatan": "", "version": prereq.version},
    )
    assert response.status_code == 404
    assert Prerequisite.objects.get(pk=prereq.pk).status == "belum"


# --- PPE ---------------------------------------------------------------------------------------------------


def test_ppe_start_answer_and_score_through_the_pages(pokja: Client, pemda_a: Pemda) -> None:
    empty = pokja.get(_url("ppe_list", pemda_a))
    assert "Belum ada penilaian mandiri PPE." in _text(empty)
    assert "bukan ambang resmi KemenPPPA" in _text(empty)
    response = pokja.post(_url("ppe_list", pemda_a), {"tahun": "2025"})
    assert response.status_code == 302
    assessment = PpeAssessment.objects.get(pemda=pemda_a, tahun=2025)
    duplicate = pokja.post(_url("ppe_list", pemda_a), {"tahun": "2025"})
    assert duplicate.status_code == 400 and "sudah ada" in _text(duplicate)
    assert pokja.post(_url("ppe_list", pemda_a), {"tahun": "abc"}).status_code == 400

    url = _url("ppe_detail", pemda_a, assessment_id=assessment.pk)
    page = _text(pokja.get(url))
    assert "bukan ambang resmi KemenPPPA" in page
    assert "0 / 56" in page and "Belum berpredikat" in page
    answers = {f"k_{c.kode}": "2" for c in ppe.DEFAULT_CRITERIA[:17]}  # 34 of 56 = 60,71%
    response = pokja.post(url, {**answers, "version": str(assessment.version)})
    assert response.status_code == 302
    page = _text(pokja.get(url))
    assert "34 / 56 (60,71%)" in page
    assert "Madya" in page
    assert "11 kriteria belum dijawab" in page
    bad = pokja.post(url, {"k_KOM1": "7", "version": str(assessment.version + 1)})
    assert bad.status_code == 400
    assert "Jawaban KOM1 harus bilangan bulat 0 sampai 2." in _text(bad)
    assessment.refresh_from_db()
    assert len(assessment.jawaban) == 17
    list_page = _text(pokja.get(_url("ppe_list", pemda_a)))
    assert "60,71%" in list_page or "60.71%" in list_page
    export = pokja.get(_url("ppe_list", pemda_a) + "?unduh=xlsx")
    assert export.status_code == 200 and "spreadsheetml" in export["Content-Type"]


def test_ppe_criteria_are_edited_as_text_lines(pokja: Client, pemda_a: Pemda) -> None:
    assessment = services.ppe_start(actor=None, pemda=pemda_a, tahun=2025)
    url = _url("ppe_criteria", pemda_a, assessment_id=assessment.pk)
    page = _text(pokja.get(url))
    assert "KOM1 | komitmen | 2 |" in page
    assert "bukan ambang resmi KemenPPPA" in page
    gap = pokja.post(
        url,
        {
            "kriteria": "A | komitmen | 2 | Ada Perda?",
            "predikat": "0 | 40 | Rendah\n50 | 100 | Tinggi",
            "version": "1",
        },
    )
    assert gap.status_code == 400
    assert "Ada celah antara 40 dan 50" in _text(gap)
    unreadable = pokja.post(url, {"kriteria": "A | komitmen", "predikat": "0 | 100 | X", "version": "1"})
    assert unreadable.status_code == 400 and "Baris 1" in _text(unreadable)
    response = pokja.post(
        url,
        {
            "kriteria": "A | komitmen | 2 | Ada Perda?\nB | hasil | 4 | IKG turun?",
            "predikat": "0 | 50 | Pratama\n50 | 100 | Madya",
            "version": str(assessment.version),
        },
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    criteria, bands = ppe.config_from_json(assessment.kriteria)
    assert [c.kode for c in criteria] == ["A", "B"] and [b.label for b in bands] == ["Pratama", "Madya"]
    detail = _text(pokja.get(_url("ppe_detail", pemda_a, assessment_id=assessment.pk)))
    assert "telah diubah dari bawaan" in detail
    response = pokja.post(url, {"aksi": "bawaan", "version": str(assessment.version)})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.kriteria == ppe.default_config_json()


def test_unreadable_ppe_snapshot_shows_a_message_not_a_500(pokja: Client, pemda_a: Pemda) -> None:
    assessment = PpeAssessment.objects.create(pemda=pemda_a, tahun=2024, kriteria={"rusak": 1})
    for name in ("ppe_detail", "ppe_criteria"):
        response = pokja.get(_url(name, pemda_a, assessment_id=assessment.pk))
        assert response.status_code == 200
    assert "tidak terbaca" in _text(pokja.get(_url("ppe_list", pemda_a)))
    response = pokja.post(_url("ppe_detail", pemda_a, assessment_id=assessment.pk), {"version": "1"})
    assert response.status_code in (302, 400)


# --- roadmap -----------------------------------------------------------------------------------------------


def test_roadmap_targets_actuals_and_ikg_negatif(pokja: Client, pemda_a: Pemda) -> None:
    url = _url("roadmap", pemda_a)
    empty = _text(pokja.get(url))
    assert "Belum ada target peta jalan." in empty
    assert "negatif: makin kecil makin baik" in empty
    IndexValue.objects.create(
        wilayah=pemda_a.region, tahun=2023, indeks="IKG", nilai=Decimal("0.551"), sumber="BPS"
    )
    IndexValue.objects.create(
        wilayah=pemda_a.region, tahun=2025, indeks="IPM", nilai=Decimal("71.30"), sumber="BPS"
    )
    bad = pokja.post(url, {"indeks": "IKG", "target_2025": "0,530", "target_2029": "45", "target_2027": "x"})
    assert bad.status_code == 400
    body = _text(bad)
    assert "Target IKG harus antara 0 dan 1." in body
    assert 'value="45"' in body  # the typed values are kept
    assert not RoadmapTarget.objects.exists()
    response = pokja.post(
        url,
        {"indeks": "IKG", "target_2025": "0,530", "target_2029": "0,450", "kembali": "dari=2025&sampai=2029"},
    )
    assert response.status_code == 302 and response["Location"].endswith("?dari=2025&sampai=2029")
    response = pokja.post(url, {"indeks": "IPM", "target_2025": "71,20", "target_2029": "75,37"})
    assert response.status_code == 302
    page = _text(pokja.get(url))
    assert "77,56%" in page  # IKG 2029 target 0,450 against 2023 actual 0,551
    assert "perlu turun 0,101 poin lagi" in page
    assert "100,14%" in page  # IPM 2025: 71,30 / 71,20
    assert "Target tercapai: 0,10 poin di atas target." in page
    assert 'value="0,53"' in page
    export = pokja.get(url + "?unduh=xlsx")
    assert export.status_code == 200 and "spreadsheetml" in export["Content-Type"]


@pytest.mark.parametrize(
    "query",
    [
        "?dari=abc&sampai=2029",
        "?dari=2029&sampai=2025",
        "?dari=1900&sampai=2000",
        "?dari=2000&sampai=2099",
        "?dari=2025",
    ],
)
def test_roadmap_bad_years_are_a_message(pokja: Client, pemda_a: Pemda, query: str) -> None:
    response = pokja.get(_url("roadmap", pemda_a) + query)
    assert response.status_code in (200, 400)
    assert "message error" in _text(response)
    response = pokja.post(_url("roadmap", pemda_a), {"indeks": "XYZ", "target_2025": "1"})
    assert response.status_code == 400


JUNK = ["²", "-1", "99999999999999999999", "", "x" * 300, "1e5", "\u0663"]


def test_junk_in_every_form_never_answers_500(pokja: Client, pemda_a: Pemda) -> None:
    prereq = services.prerequisites_for(pemda_a)[0]
    assessment = services.ppe_start(actor=None, pemda=pemda_a, tahun=2025)
    meeting = services.pokja_meeting_add(
        actor=None, pemda=pemda_a, tanggal=datetime.date(2025, 1, 2), agenda="Rapat", notulen=""
    )
    targets = [
        (
            _url("prerequisite", pemda_a, prereq_id=prereq.pk),
            ("aksi", "status", "catatan", "version", "bukti", "judul"),
        ),
        (_url("ppe_list", pemda_a), ("tahun",)),
        (_url("ppe_detail", pemda_a, assessment_id=assessment.pk), ("k_KOM1", "k_HAS4", "version")),
        (
            _url("ppe_criteria", pemda_a, assessment_id=assessment.pk),
            ("kriteria", "predikat", "version", "aksi"),
        ),
        (_url("roadmap", pemda_a), ("indeks", "target_2025", "target_²０２５", "kembali")),
        (_url("pokja", pemda_a), ("aksi", "anggota", "nama", "opd", "peran", "tanggal", "agenda", "peserta")),
        (_url("pokja_meeting", pemda_a, meeting_id=meeting.pk), ("tanggal", "agenda", "notulen", "peserta")),
    ]
    for url, fields in targets:
        for junk in JUNK:
            for action in (
                "",
                "simpan",
                "unggah",
                "hapus_bukti",
                "anggota_simpan",
                "anggota_nonaktif",
                "rapat_tambah",
            ):
                data = dict.fromkeys(fields, junk)
                if "aksi" in fields:
                    data["aksi"] = action
                response = pokja.post(url, data)
                assert response.status_code < 500, (url, junk, action)
        for query in (
            "?ubah=²",
            "?halaman=²",
            "?halaman_rapat=-1",
            "?dari=²０２５&sampai=2029",
            "?unduh=xlsx",
        ):
            assert pokja.get(url + query).status_code < 500, (url, query)


def test_list_pages_query_count_does_not_grow(
    pokja: Client, pemda_a: Pemda, django_assert_max_num_queries: Any
) -> None:
    def grow(n: int) -> None:
        prereqs = services.prerequisites_for(pemda_a)
        for i in range(n):
            services.evidence_add(actor=None, prereq=prereqs[i % 7], judul=f"Bukti {i}", tautan=f"No. {i}")
            member = services.pokja_member_add(actor=None, pemda=pemda_a, nama=f"Anggota {i}")
            services.pokja_meeting_add(
                actor=None,
                pemda=pemda_a,
                tanggal=datetime.date(2025, 1, 1 + i),
                agenda=f"Rapat {i}",
                peserta=[member],
            )
            services.ppe_start(actor=None, pemda=pemda_a, tahun=2010 + i)
            services.roadmap_set(actor=None, pemda=pemda_a, indeks="IPM", targets={2020 + i: "70"})

    grow(2)
    counts = {}
    for name in ("readiness", "ppe_list", "roadmap", "pokja"):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as small:
            assert pokja.get(_url(name, pemda_a)).status_code == 200
        counts[name] = len(small)
    grow_more = 12
    for i in range(grow_more):
        prereqs = services.prerequisites_for(pemda_a)
        services.evidence_add(actor=None, prereq=prereqs[i % 7], judul=f"Lagi {i}", tautan="x")
        member = services.pokja_member_add(actor=None, pemda=pemda_a, nama=f"Lagi {i}")
        services.pokja_meeting_add(
            actor=None,
            pemda=pemda_a,
            tanggal=datetime.date(2025, 2, 1 + i),
            agenda=f"Lagi {i}",
            peserta=[member],
        )
        services.ppe_start(actor=None, pemda=pemda_a, tahun=2030 + i)
    for name, count in counts.items():
        with django_assert_max_num_queries(count):
            assert pokja.get(_url(name, pemda_a)).status_code == 200
