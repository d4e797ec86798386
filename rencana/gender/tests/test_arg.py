"""ARG tagging and the share of the APBD that is gender-responsive, per OPD and overall."""

import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from rencana.core.errors import ApplicationError, ConflictError
from rencana.core.models import AuditEvent
from rencana.gender import services_gap
from rencana.gender.models import ArgTag
from rencana.gender.services_gap import ArgLine, arg_shares, arg_summary, arg_tag_remove, arg_tag_set, share
from rencana.gender.tests.test_gap_pages import client_for
from rencana.gender.tests.test_gap_services import TAHUN, Pug, add_sub, make_pug
from rencana.planning.models import NodeBudget, PlanNode
from rencana.regions.models import Pemda

KODE = "63.02"


@pytest.fixture
def pug(pemda_a: Pemda) -> Pug:
    return make_pug(pemda_a)


D = Decimal


def arg_url() -> str:
    return reverse("gender:arg_list", kwargs={"kode": KODE})


def tag_url(node: PlanNode) -> str:
    return reverse("gender:arg_tag", kwargs={"kode": KODE, "node_id": node.pk})


# --- pure shares ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (D(150), D(250), D("60.00")),
        (D(75), D(175), D("42.86")),
        (D(1), D(3), D("33.33")),
        (D(2), D(3), D("66.67")),
        (D("0.125"), D(100), D("0.13")),  # ROUND_HALF_UP, not banker's rounding (0.12)
        (D("0.135"), D(100), D("0.14")),
        (D(0), D(100), D("0.00")),
        (D(5), D(0), None),
    ],
)
def test_share_rounds_half_up_to_two_decimals(
    part: Decimal, whole: Decimal, expected: Decimal | None
) -> None:
    assert share(part, whole) == expected


def test_arg_shares_per_opd_and_overall() -> None:
    summary = arg_shares(
        [
            ArgLine(1, "Dinas A", "spesifik", 1, D(100)),
            ArgLine(1, "Dinas A", None, 1, D(25)),
            ArgLine(2, "Dinas B", "kesetaraan", 1, D(50)),
            ArgLine(2, "Dinas B", None, 1, D(75)),
        ],
        TAHUN,
    )
    a, b = summary.rows
    assert (a.opd, a.pagu, a.pagu_arg, a.persen, a.sub_kegiatan, a.ditandai) == (
        "Dinas A",
        D(125),
        D(100),
        D("80.00"),
        2,
        1,
    )
    assert (b.opd, b.pagu, b.pagu_arg, b.persen) == ("Dinas B", D(125), D(50), D("40.00"))
    total = summary.total
    assert (total.pagu, total.pagu_arg, total.persen) == (D(250), D(150), D("60.00"))
    assert total.per_kategori == {"spesifik": D(100), "kesetaraan": D(50), "kelembagaan": D(0)}
    assert total.persen_kategori("spesifik") == D("40.00")
    assert arg_shares([], TAHUN).total.persen is None


# --- the summary from the database ------------------------------------------------------------------


def small_example(pug: Pug) -> list[PlanNode]:
    """Sub-kegiatan with pagu 100, 50, 25 (first OPD) and 75 (second OPD); 100 and 50 tagged."""
    plan = pug.plan
    PlanNode.objects.filter(pk=plan.sub.pk).delete()  # build_plan's own sub-kegiatan (pagu 750 juta)
    nodes = [
        add_sub(plan, "1.02.02.2.01.0101", D(100)),
        add_sub(plan, "1.02.02.2.01.0102", D(50)),
        add_sub(plan, "1.02.02.2.01.0103", D(25)),
        add_sub(plan, "1.02.02.2.01.0104", D(75), opd=plan.other_opd),
    ]
    arg_tag_set(actor=None, node=nodes[0], kategori="spesifik")
    arg_tag_set(actor=None, node=nodes[1], kategori="kesetaraan", catatan="Layanan ramah perempuan")
    return nodes


def test_arg_summary_computes_the_shares_exactly(pug: Pug) -> None:
    small_example(pug)
    summary = arg_summary(pug.plan.pemda, TAHUN)
    assert summary.document == pug.plan.rkpd
    first, second = summary.rows
    assert (first.opd, first.pagu, first.pagu_arg, first.persen) == (
        "Dinas Rahasia Kotabaru",
        D(175),
        D(150),
        D("85.71"),
    )
    assert (first.sub_kegiatan, first.ditandai) == (3, 2)
    assert (second.opd, second.pagu, second.pagu_arg, second.persen) == (
        "Badan Khusus Kotabaru",
        D(75),
        D(0),
        D("0.00"),
    )
    assert (summary.total.pagu, summary.total.pagu_arg, summary.total.persen) == (D(250), D(150), D("60.00"))
    assert summary.total.persen_kategori("kesetaraan") == D("20.00")
    # Limited to one OPD (an OPD operator's view).
    only = arg_summary(pug.plan.pemda, TAHUN, opd_ids=frozenset({pug.plan.other_opd.pk}))
    assert [r.opd for r in only.rows] == ["Badan Khusus Kotabaru"] and only.total.pagu == D(75)


def test_arg_summary_without_rkpd_or_pagu(pug: Pug) -> None:
    assert arg_summary(pug.plan.pemda, 2031).rows == []
    NodeBudget.objects.filter(node=pug.plan.sub).delete()
    arg_tag_set(actor=None, node=pug.plan.sub, kategori="kelembagaan")
    summary = arg_summary(pug.plan.pemda, TAHUN)
    assert summary.total.sub_kegiatan == 1 and summary.total.ditandai == 1
    assert summary.total.pagu == D(0) and summary.total.persen is None


def test_the_newest_rkpd_revision_counts(pug: Pug) -> None:
    from rencana.planning.models import PlanDocument

    revision = PlanDocument.objects.create(
        pemda=pug.plan.pemda,
        jenis="RKPD",
        nama="RKPD 2026 perubahan",
        tahun_mulai=TAHUN,
        tahun_akhir=TAHUN,
        revisi_ke=1,
    )
    assert services_gap.rkpd_for(pug.plan.pemda, TAHUN) == revision
    assert arg_summary(pug.plan.pemda, TAHUN).rows == []


def test_summary_query_count_is_constant(pug: Pug, django_assert_num_queries: Any) -> None:
    plan = pug.plan
    with django_assert_num_queries(2):
        arg_summary(plan.pemda, TAHUN)
    for n in range(2, 30):
        node = add_sub(plan, f"1.02.02.2.01.{n:04d}", D(n), opd=plan.opd if n % 2 else plan.other_opd)
        if n % 3 == 0:
            arg_tag_set(actor=None, node=node, kategori="spesifik" if n % 2 else "kelembagaan")
    with django_assert_num_queries(2):
        summary = arg_summary(plan.pemda, TAHUN)
    assert summary.total.sub_kegiatan == 29


# --- services -------------------------------------------------------------------------------------


def test_tag_set_change_remove_with_versions_and_audit(pug: Pug) -> None:
    node = pug.plan.sub
    tag = arg_tag_set(actor=pug.pokja, node=node, kategori="spesifik", catatan=" catatan ")
    assert (tag.kategori, tag.catatan, tag.version) == ("spesifik", "catatan", 1)
    with pytest.raises(ConflictError):  # someone else tagged it meanwhile (the user saw it untagged)
        arg_tag_set(actor=None, node=node, kategori="kesetaraan")
    tag = arg_tag_set(actor=pug.pokja, node=node, kategori="kesetaraan", expected_version=1)
    assert (tag.kategori, tag.version) == ("kesetaraan", 2)
    with pytest.raises(ConflictError):
        arg_tag_set(actor=None, node=node, kategori="kelembagaan", expected_version=1)
    with pytest.raises(ConflictError):
        arg_tag_remove(actor=None, tag=tag, expected_version=1)
    arg_tag_remove(actor=pug.pokja, tag=tag, expected_version=2)
    assert not ArgTag.objects.exists()
    events = AuditEvent.objects.filter(object_type="gender.argtag").order_by("id")
    assert [e.action for e in events] == ["create", "update", "delete"]
    assert events[1].before == {"kategori": "spesifik", "catatan": "catatan"}
    assert events[1].after == {"kategori": "kesetaraan", "catatan": ""}


def test_tag_set_validates(pug: Pug) -> None:
    with pytest.raises(ApplicationError) as caught:
        arg_tag_set(actor=None, node=pug.plan.sub, kategori="lain", catatan="x" * 2001)
    assert [e["kolom"] for e in caught.value.errors] == ["kategori", "catatan"]
    with pytest.raises(ApplicationError) as caught:
        arg_tag_set(actor=None, node=pug.plan.kegiatan, kategori="spesifik")
    assert caught.value.code == "bukan_sub_kegiatan"


# --- pages ------------------------------------------------------------------------------------------


def test_arg_page_shows_rows_tags_and_shares(pug: Pug) -> None:
    small_example(pug)
    page = client_for(pug.pokja).get(arg_url(), {"tahun": TAHUN}).content.decode()
    assert "60,00 %" in page and "85,71 %" in page
    assert "Layanan ramah perempuan" in page
    assert "Rp 100" in page and "Rp 250" in page
    assert "dibulatkan 2 desimal (ROUND_HALF_UP)" in page


def test_tagging_through_the_page(pug: Pug) -> None:
    client = client_for(pug.operator)
    node = pug.plan.sub
    response = client.post(
        tag_url(node),
        {
            "aksi": "tandai",
            "kategori": "kesetaraan",
            "catatan": "Ruang laktasi",
            "version": "",
            "tahun": TAHUN,
            "q": "rumah",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == arg_url() + f"?tahun={TAHUN}&q=rumah#simpul-{node.pk}"
    tag = ArgTag.objects.get(node=node)
    assert (tag.kategori, tag.catatan, tag.pemda_id) == ("kesetaraan", "Ruang laktasi", pug.plan.pemda.pk)
    # A stale form (still thinks it is untagged) is a message, nothing changes.
    stale = client.post(tag_url(node), {"aksi": "tandai", "kategori": "spesifik", "version": ""}, follow=True)
    assert "baru saja ditandai oleh pengguna lain" in stale.content.decode()
    assert ArgTag.objects.get(node=node).kategori == "kesetaraan"
    bad = client.post(tag_url(node), {"aksi": "tandai", "kategori": "zzz", "version": "1"}, follow=True)
    assert "Pilih kategori ARG" in bad.content.decode()
    assert client.post(tag_url(node), {"aksi": "hapus", "version": "1"}).status_code == 302
    assert not ArgTag.objects.exists()
    gone = client.post(tag_url(node), {"aksi": "hapus", "version": "1"}, follow=True)
    assert "belum ditandai" in gone.content.decode()
    assert (
        client.post(tag_url(pug.plan.kegiatan), {"aksi": "tandai", "kategori": "spesifik"}).status_code == 302
    )
    assert not ArgTag.objects.exists()


def test_opd_operator_cannot_tag_or_see_another_opds_sub_kegiatan(pug: Pug) -> None:
    plan = pug.plan
    other = add_sub(plan, "1.02.02.2.01.0002", D(40), opd=plan.other_opd, nama="Pembangunan Puskesmas")
    client = client_for(pug.operator)
    response = client.post(tag_url(other), {"aksi": "tandai", "kategori": "spesifik"})
    assert response.status_code == 404
    assert not ArgTag.objects.exists()
    page = client.get(arg_url(), {"tahun": TAHUN}).content.decode()
    assert "Pembangunan Puskesmas" not in page and "Badan Khusus Kotabaru" not in page
    assert "Hanya OPD Anda yang ditampilkan." in page
    # Read-only roles see everything, change nothing.
    pimpinan = client_for(pug.pimpinan)
    assert "Pembangunan Puskesmas" in pimpinan.get(arg_url(), {"tahun": TAHUN}).content.decode()
    assert pimpinan.post(tag_url(other), {"aksi": "tandai", "kategori": "spesifik"}).status_code == 403


def test_arg_exports(pug: Pug) -> None:
    small_example(pug)
    client = client_for(pug.pokja)
    response = client.get(arg_url(), {"tahun": str(TAHUN), "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "OPD" and rows[0][-1] == "Persentase responsif gender (%)"
    assert rows[-1][0] == "Total" and rows[-1][3] == 250 and rows[-1][-2] == 150 and rows[-1][-1] == 60
    response = client.get(arg_url(), {"tahun": str(TAHUN), "format": "xlsx_sub"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    lines = list(sheet.iter_rows(values_only=True))
    assert len(lines) == 5
    assert lines[1][1:] == (
        "1.02.02.2.01.0101",
        "Sub-kegiatan uji 1.02.02.2.01.0101",
        100,
        "Spesifik gender",
        None,  # an empty note
    )


def test_arg_page_query_count_is_constant(
    pug: Pug, django_assert_max_num_queries: Any, settings: Any
) -> None:
    settings.RENCANA_PAGE_SIZE = 50
    plan = pug.plan
    client = client_for(pug.pokja)
    with django_assert_max_num_queries(40) as small:
        assert client.get(arg_url(), {"tahun": TAHUN}).status_code == 200
    for n in range(2, 25):
        node = add_sub(plan, f"1.02.02.2.01.{n:04d}", D(n), opd=plan.opd if n % 2 else plan.other_opd)
        if n % 3 == 0:
            arg_tag_set(actor=None, node=node, kategori="kesetaraan")
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(arg_url(), {"tahun": TAHUN}).content.decode()
    assert "1.02.02.2.01.0024" in page


def test_arg_page_survives_junk(pug: Pug) -> None:
    client = client_for(pug.pokja)
    assert (
        client.get(
            arg_url(), {"tahun": "x", "opd": "abc", "q": "%", "halaman": "-3", "format": "csv"}
        ).status_code
        == 200
    )
    assert client.get(arg_url(), {"tahun": "2099"}).status_code == 200
