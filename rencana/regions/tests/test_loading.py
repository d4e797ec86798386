"""Loading the shipped Kemendagri editions into the database (full loads: marked slow).

One test function runs the whole sequence (2025, 2025 again, 2022, 2025) because each full load
of 91,599 codes costs seconds.
"""

from collections import Counter
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from rencana.core.models import AuditEvent
from rencana.regions import editions
from rencana.regions.loading import regions_load
from rencana.regions.models import Pemda, ReferenceDataLoad, Region, RegionBoundary, RegionSearchToken


def _xdist_group(name: str) -> pytest.MarkDecorator:
    # With `-p no:xdist` the xdist_group marker is not registered and --strict-markers rejects it.
    try:
        return pytest.mark.xdist_group(name)
    except pytest.fail.Exception:
        return pytest.mark.slow


def _db_levels() -> dict[str, int]:
    counts = Counter(Region.objects.values_list("level", flat=True))
    return {level: counts.get(level, 0) for level in editions.LEVELS}


def _tokens() -> set[tuple[str, str, int]]:
    return set(RegionSearchToken.objects.values_list("token", "region_id", "rank"))


@pytest.mark.slow
@_xdist_group("regions_full_load")
@pytest.mark.django_db
def test_load_sequence_2025_again_2022_2025() -> None:
    # 1. First load of 2025 into an empty table.
    first = regions_load(edition="2025")
    levels = _db_levels()
    assert (
        levels["provinsi"],
        levels["kabupaten"] + levels["kota"],
        levels["kecamatan"],
        levels["desa"] + levels["kelurahan"],
    ) == (38, 514, 7285, 83_762)
    assert first.counts == levels
    assert len(first.added) == 91_599 and not first.removed and not first.renamed
    pasuruan = Region.objects.get(kode="35.75")
    assert (pasuruan.nama, pasuruan.level, pasuruan.parent_id, pasuruan.nama_cari) == (
        "Kota Pasuruan",
        "kota",
        "35",
        "pasuruan",
    )
    assert Region.objects.get(kode="63.02").level == "kabupaten"
    boundary_lengths = Counter(len(k) for k in RegionBoundary.objects.values_list("region_id", flat=True))
    assert boundary_lengths == {5: 514, 8: 7285}
    record = ReferenceDataLoad.objects.get(dataset="wilayah")
    assert (record.edisi, record.summary["ditambah"]) == ("2025", 91_599)
    assert ReferenceDataLoad.objects.get(dataset="batas").summary["jumlah"] == 7799
    assert AuditEvent.objects.filter(action="reference_load", object_id="2025").count() == 1
    fresh_tokens = _tokens()
    expected_tokens = sum(len(editions.tokens(row.nama_cari)) for row in editions.read_edition("2025"))
    assert len(fresh_tokens) == expected_tokens

    # 2. The same edition again, through the command: nothing changes, nothing is audited.
    out = StringIO()
    call_command("regions", "load", "--no-progress", stdout=out)
    assert "Tidak ada perubahan" in out.getvalue()
    assert "38" in out.getvalue() and "7.285" in out.getvalue()
    assert AuditEvent.objects.filter(action="reference_load").count() == 1

    # 3. Back to 2022: the report compares with what the database held (2025).
    # A pemda registered on a code that the edition drops keeps its region (reported, not deleted).
    papua_bd = Pemda.objects.create(
        kode="96", region_id="96", nama="Provinsi Papua Barat Daya", jenis="provinsi"
    )
    back = regions_load(edition="2022")
    assert (len(back.added), len(back.removed), len(back.renamed)) == (1250, 1258, 2245)
    assert "96" in back.removed  # the 2022 file has no province row for Papua Barat Daya
    assert back.kept == ["96"]
    assert Region.objects.filter(kode="96", edisi="2025").exists()
    papua_bd.delete()
    Region.objects.filter(kode="96").delete()
    assert Region.objects.count() == 91_591
    assert not Region.objects.exclude(edisi="2022").exists()
    assert Region.objects.get(kode="11.01").nama == "KAB. ACEH SELATAN"
    # Boundaries belong to the 2025 edition and are not rewritten when the region edition changes.
    assert not back.boundaries_written and RegionBoundary.objects.count() == 7799

    # 4. And forward again to 2025: exactly the file diff of PROVENANCE.md (1,258 / 1,250 / 2,245).
    # The database held the 2022 file as is (without province 96), so the database diff and the
    # file diff agree; 96 counts as added.
    forward = regions_load(edition="2025")
    assert (len(forward.added), len(forward.removed), len(forward.renamed)) == (1258, 1250, 2245)
    assert "96" in forward.added
    renamed = {r.kode: r for r in forward.renamed}
    assert (renamed["11.01"].old, renamed["11.01"].new) == ("KAB. ACEH SELATAN", "Kabupaten Aceh Selatan")
    assert _db_levels() == first.counts
    assert _tokens() == fresh_tokens
    assert ReferenceDataLoad.objects.get(dataset="wilayah").edisi == "2025"
    event = AuditEvent.objects.filter(action="reference_load", object_id="2025").latest("pk")
    after: dict[str, Any] = event.after or {}
    assert (after["ditambah"], after["dihapus"], after["berganti_nama"]) == (1258, 1250, 2245)
    assert event.pemda_id is None


@pytest.mark.django_db
def test_unknown_edition_is_an_indonesian_command_error() -> None:
    with pytest.raises(CommandError, match="tidak dikenal"):
        call_command("regions", "load", "--edition", "2019", "--no-progress")
    assert not Region.objects.exists()


def test_diff_command_needs_no_database() -> None:
    out = StringIO()
    call_command("regions", "diff", "--from", "2022", "--to", "2025", stdout=out)
    text = out.getvalue()
    assert "Ditambah: 1258 kode" in text
    assert "Dihapus: 1250 kode" in text
    assert "Berganti nama: 2245 kode" in text
