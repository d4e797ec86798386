"""Pages of data terpilah: list, entry (OPD scoping), completeness, export; and the components page."""

import io
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from rencana.core.roles import Role
from rencana.gender import services_data
from rencana.gender.models import IndexComponent, IndexValue, SexValue
from rencana.gender.selectors_data import completeness
from rencana.gender.tests.test_data_services import World, build_world
from rencana.regions.models import Pemda

D = Decimal


@pytest.fixture(autouse=True)
def indonesian() -> Iterator[None]:
    with translation.override("id"):
        yield


@pytest.fixture
def w(pemda_a: Pemda) -> World:
    return build_world(pemda_a)


def url(name: str, w: World, **kwargs: Any) -> str:
    return reverse(f"gender:{name}", kwargs={"kode": w.pemda.kode, **kwargs})


def entry_url(w: World, indicator: Any) -> str:
    return url("data_entry", w, indicator_id=indicator.pk)


def form(**overrides: Any) -> dict[str, Any]:
    data = {
        "wilayah": "63.02",
        "tahun": "2024",
        "perempuan": "48,5",
        "laki_laki": "51,5",
        "sumber": "Dinas, laporan 2024",
        "status": "sementara",
        "version": "0",
    }
    data.update(overrides)
    return data


def add(w: World, indicator: Any, tahun: int = 2024, wilayah: str = "63.02") -> SexValue:
    return services_data.sexvalue_set(
        actor=w.actor,
        pemda=w.pemda,
        indicator=indicator,
        wilayah_kode=wilayah,
        tahun=tahun,
        perempuan="10",
        laki_laki="12",
        sumber="BPS",
    )


# --- OPD scoping -----------------------------------------------------------------------------------


def test_operator_writes_its_own_opds_indicator(w: World, client_as: Callable[..., Client]) -> None:
    client = client_as(Role.OPERATOR_OPD, w.pemda, w.plan.opd)
    response = client.post(entry_url(w, w.opd_indicator), form())
    assert response.status_code == 302
    value = SexValue.objects.get(indikator=w.opd_indicator)
    assert value.perempuan == D("48.5")
    assert "tahun=2024" in response["Location"]


def test_operator_of_another_opd_cannot_write(w: World, client_as: Callable[..., Client]) -> None:
    client = client_as(Role.OPERATOR_OPD, w.pemda, w.plan.other_opd)
    assert client.post(entry_url(w, w.opd_indicator), form()).status_code == 403
    # a pemda-wide indicator (RPJMD sasaran) belongs to the Pokja PUG and Bappeda
    assert client.post(entry_url(w, w.pemda_indicator), form()).status_code == 403
    assert not SexValue.objects.exists()
    # ... but reads every indicator's data, without the form
    add(w, w.opd_indicator)
    response = client.get(entry_url(w, w.opd_indicator))
    assert response.status_code == 200
    assert 'name="perempuan"' not in response.content.decode()
    assert "Dinas Rahasia Kotabaru" in response.content.decode()


def test_operator_cannot_delete_another_opds_value(w: World, client_as: Callable[..., Client]) -> None:
    value = add(w, w.opd_indicator)
    client = client_as(Role.OPERATOR_OPD, w.pemda, w.plan.other_opd)
    response = client.post(
        entry_url(w, w.opd_indicator), {"aksi": "hapus", "value_id": value.pk, "version": 1}
    )
    assert response.status_code == 403
    assert SexValue.objects.filter(pk=value.pk).exists()


def test_read_only_roles_cannot_write(w: World, client_as: Callable[..., Client]) -> None:
    client = client_as(Role.PIMPINAN, w.pemda)
    assert client.get(entry_url(w, w.opd_indicator)).status_code == 200
    assert client.post(entry_url(w, w.opd_indicator), form()).status_code == 403
    assert client.get(url("data_import", w)).status_code == 403


def test_pokja_writes_pemda_wide_indicator(w: World, client_as: Callable[..., Client]) -> None:
    client = client_as(Role.POKJA_PUG, w.pemda)
    response = client.post(entry_url(w, w.pemda_indicator), form(wilayah="63.02.01"))
    assert response.status_code == 302
    assert SexValue.objects.get().wilayah_id == "63.02.01"


def test_another_pemdas_indicator_is_404(w: World, pemda_b: Pemda, client_as: Callable[..., Client]) -> None:
    client = client_as(Role.ADMIN_PEMDA, pemda_b)
    response = client.get(
        reverse("gender:data_entry", kwargs={"kode": "35.75", "indicator_id": w.opd_indicator.pk})
    )
    assert response.status_code == 404


# --- entry form ------------------------------------------------------------------------------------


def test_entry_shows_every_bad_field_with_400(
    w: World, pemda_b: Pemda, client_as: Callable[..., Client]
) -> None:
    client = client_as(Role.PERENCANA, w.pemda)
    response = client.post(
        entry_url(w, w.opd_indicator),
        form(wilayah="35.75", perempuan="-1", laki_laki="5.319.05", sumber=" "),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert body.count('class="field-error"') >= 3
    assert "di luar" in body and "tidak boleh negatif" in body
    assert not SexValue.objects.exists()


def test_entry_stale_version_is_409_and_keeps_the_typed_values(
    w: World, client_as: Callable[..., Client]
) -> None:
    value = add(w, w.opd_indicator)
    client = client_as(Role.PERENCANA, w.pemda)
    response = client.post(entry_url(w, w.opd_indicator), form(perempuan="77,7", version="0"))
    assert response.status_code == 409
    assert "77,7" in response.content.decode()
    value.refresh_from_db()
    assert value.perempuan == D("10")


def test_entry_opens_a_stored_value_for_editing(w: World, client_as: Callable[..., Client]) -> None:
    add(w, w.opd_indicator)
    client = client_as(Role.PERENCANA, w.pemda)
    body = client.get(entry_url(w, w.opd_indicator) + "?wilayah=63.02&tahun=2024").content.decode()
    assert 'name="version" value="1"' in body
    assert 'value="10"' in body
    response = client.post(entry_url(w, w.opd_indicator), form(perempuan="11", version="1"))
    assert response.status_code == 302
    assert SexValue.objects.get().version == 2


def test_unflagged_indicator_page_explains_how_to_flag_it(w: World, client_as: Callable[..., Client]) -> None:
    client = client_as(Role.ADMIN_PEMDA, w.pemda)
    response = client.get(entry_url(w, w.unflagged))
    assert response.status_code == 200
    body = response.content.decode()
    assert "tidak ditandai" in body
    assert 'name="perempuan"' not in body
    assert client.post(entry_url(w, w.unflagged), form()).status_code == 400


def test_delete_from_the_entry_page(w: World, client_as: Callable[..., Client]) -> None:
    value = add(w, w.opd_indicator)
    client = client_as(Role.OPERATOR_OPD, w.pemda, w.plan.opd)
    response = client.post(
        entry_url(w, w.opd_indicator), {"aksi": "hapus", "value_id": value.pk, "version": 1}
    )
    assert response.status_code == 302
    assert not SexValue.objects.exists()


# --- list, export, completeness --------------------------------------------------------------------


def test_list_shows_flagged_indicators_with_values_of_the_year(
    w: World, client_as: Callable[..., Client]
) -> None:
    add(w, w.opd_indicator, tahun=2024)
    add(w, w.opd_indicator, tahun=2023, wilayah="63.02.01")
    client = client_as(Role.OPERATOR_OPD, w.pemda, w.plan.other_opd)
    body = client.get(url("data_list", w) + "?tahun=2024").content.decode()
    assert "Jumlah peserta pelatihan" in body
    assert "Persentase ASN mengikuti pelatihan PUG" in body
    assert "Indeks Ketimpangan Gender (IKG)" in body
    assert "Jumlah rumah sakit" not in body  # not flagged
    assert "Pulau Laut Utara" not in body  # 2023 only
    assert "Belum ada data 2024" in body
    filtered = client.get(url("data_list", w) + f"?tahun=2024&opd={w.plan.opd.pk}").content.decode()
    assert "Jumlah peserta pelatihan" in filtered and "Persentase ASN" not in filtered
    pemda_only = client.get(url("data_list", w) + "?opd=pemda").content.decode()
    assert "Indeks Ketimpangan Gender" in pemda_only and "Jumlah peserta" not in pemda_only


def test_list_query_count_does_not_grow_with_indicators(
    w: World, client_as: Callable[..., Client], django_assert_max_num_queries: Any
) -> None:
    for indicator in (w.opd_indicator, w.other_indicator, w.pemda_indicator):
        add(w, indicator)
        add(w, indicator, wilayah="63.02.01")
    client = client_as(Role.PERENCANA, w.pemda)
    with django_assert_max_num_queries(14):
        assert client.get(url("data_list", w) + "?tahun=2024").status_code == 200


def test_export_has_the_import_columns_and_the_values(w: World, client_as: Callable[..., Client]) -> None:
    add(w, w.opd_indicator)
    client = client_as(Role.PIMPINAN, w.pemda)
    response = client.get(url("data_export", w) + "?tahun=2024")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == (
        "ID indikator",
        "Nama indikator",
        "Satuan",
        "Kode wilayah",
        "Nama wilayah",
        "Tahun",
    )
    assert rows[1][0] == w.opd_indicator.pk
    assert rows[1][6:] == (10, 12, "BPS", "sementara")


def test_completeness_counts_per_opd(w: World, client_as: Callable[..., Client]) -> None:
    add(w, w.opd_indicator, tahun=2024)
    add(w, w.other_indicator, tahun=2023)
    groups = {g.nama: g for g in completeness(w.pemda, 2024)}
    assert (groups["Dinas Rahasia Kotabaru"].total, groups["Dinas Rahasia Kotabaru"].terisi) == (1, 1)
    assert (groups["Badan Khusus Kotabaru"].total, groups["Badan Khusus Kotabaru"].terisi) == (1, 0)
    assert [i.pk for i in groups["Badan Khusus Kotabaru"].kurang] == [w.other_indicator.pk]
    assert groups["Tingkat pemda (tanpa OPD)"].kurang == [w.pemda_indicator]
    assert list(groups)[-1] == "Tingkat pemda (tanpa OPD)"

    client = client_as(Role.OPERATOR_OPD, w.pemda, w.plan.other_opd)
    body = client.get(url("data_completeness", w) + "?tahun=2024").content.decode()
    assert "1 dari 3 indikator" in body
    fill = entry_url(w, w.other_indicator) + "?tahun=2024&amp;wilayah=63.02"
    assert fill in body  # the operator's own OPD: a link to fill
    assert entry_url(w, w.pemda_indicator) + "?" not in body  # not the operator's to fill
    response = client.get(url("data_completeness", w) + "?tahun=2024&format=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 4 and rows[0][0] == "OPD"


# --- components ------------------------------------------------------------------------------------


BOGOR = {
    "mtf": "0,280",
    "mhpk20": "0,324",
    "legislatif_l": "90,91",
    "legislatif_p": "9,09",
    "sma_l": "38,98",
    "sma_p": "31,15",
    "tpak_l": "85,13",
    "tpak_p": "41,27",
}


def component_form(kode: str, nilai: str, **overrides: Any) -> dict[str, Any]:
    data = {
        "wilayah": "63.02",
        "tahun": "2022",
        "kode": kode,
        "nilai": nilai,
        "sumber": "BPS 2022",
        "status": "tetap",
    }
    data.update(overrides)
    return data


def test_components_page_computes_ikg_next_to_the_published_value(
    w: World, client_as: Callable[..., Client]
) -> None:
    client = client_as(Role.POKJA_PUG, w.pemda)
    for kode, nilai in BOGOR.items():
        response = client.post(url("components", w) + "?tahun=2022", component_form(kode, nilai))
        assert response.status_code == 302, response.content.decode()[:500]
    IndexValue.objects.create(wilayah_id="63.02", tahun=2022, indeks="IKG", nilai=D("0.590"), sumber="BPS")
    body = client.get(url("components", w) + "?tahun=2022").content.decode()
    assert "0,588" in body  # computed
    assert "0,590" in body  # published
    assert "BPS 2022" in body  # provenance
    assert "Umur harapan hidup perempuan" in body  # IPG: missing components listed


def test_components_form_is_for_pug_manage_only(w: World, client_as: Callable[..., Client]) -> None:
    client = client_as(Role.OPERATOR_OPD, w.pemda, w.plan.opd)
    assert client.get(url("components", w)).status_code == 200
    assert client.post(url("components", w), component_form("mtf", "0,2")).status_code == 403
    assert client.get(url("components_import", w)).status_code == 403
    assert not IndexComponent.objects.exists()


def test_components_bad_value_is_400_with_the_message(w: World, client_as: Callable[..., Client]) -> None:
    client = client_as(Role.PERENCANA, w.pemda)
    response = client.post(url("components", w), component_form("mtf", "28"))
    assert response.status_code == 400
    assert "28% ditulis 0,28" in response.content.decode()
