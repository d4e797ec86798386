"""The printable drafts: HKm proposal (DOCX, PDF) and the NIB preparation sheet."""

import io
from decimal import Decimal
from typing import Any

import pytest
from docx import Document

from rencana.permits import proposal, services_apply
from rencana.permits.models import Application, AreaMap
from rencana.permits.tests.apply_support import ApplyWorld, apply_world, nik, upload

__all__ = ["apply_world"]

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[104.6, -5.4], [104.61, -5.4], [104.61, -5.39], [104.6, -5.39], [104.6, -5.4]]],
}


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


# --- map outline (pure) ------------------------------------------------------------------------------


def test_map_outline_draws_a_polygon_north_up() -> None:
    outline = proposal.map_outline(SQUARE)
    assert outline is not None
    assert outline.svg.startswith("<svg") and '<path d="M ' in outline.svg and " Z" in outline.svg
    assert (outline.barat, outline.timur, outline.selatan, outline.utara) == (104.6, 104.61, -5.4, -5.39)


def test_map_outline_multipolygon_and_junk() -> None:
    multi = {"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"], SQUARE["coordinates"]]}
    outline = proposal.map_outline(multi)
    assert outline is not None and outline.svg.count(" Z") == 3  # two rings and the north arrow
    for junk in (
        None,
        {},
        {"type": "Point", "coordinates": [1, 2]},
        {"type": "Polygon", "coordinates": [[["a", "b"]]]},
    ):
        assert proposal.map_outline(junk) is None
    # Text in a geometry never reaches the SVG: only numbers are written.
    evil = {"type": "Polygon", "coordinates": [[[1, 1], [2, 1], [2, 2], ["<script>", 1], [1, 1]]]}
    outline = proposal.map_outline(evil)
    assert outline is not None and "script" not in outline.svg


# --- HKm proposal ------------------------------------------------------------------------------------


@pytest.fixture
def hkm(apply_world: ApplyWorld) -> Application:
    group = apply_world.group(members=4)
    application = apply_world.hkm(group)
    application.data = {
        "kawasan": "Register 30 Gunung Tanggamus",
        "lokasi_areal": "Blok 3, petak 12",
        "rencana_kerja": "Menanam kopi di bawah tegakan.",
        "rencana_kegiatan": [
            {"kegiatan": "Pembibitan", "waktu": "Tahun ke-1", "target": "5.000 bibit", "keterangan": ""}
        ],
        "kepada": "Kepala Dinas Kehutanan",
    }
    application.luas_dinyatakan = Decimal("40.00")
    application.save()
    AreaMap.objects.create(
        pemda=apply_world.pemda, permohonan=application, geometri=SQUARE, luas_ha=Decimal("44")
    )
    services_apply.document_add(
        actor=apply_world.pendamping,
        application=application,
        kode_dokumen="ad_art",
        upload=upload(),
    )
    return application


def test_proposal_data_gathers_profile_members_area_plan_documents(hkm: Application) -> None:
    data = proposal.proposal_data(hkm, show_nik=False)
    assert data.kelompok_nama == "KTH Sinar Harapan" and data.desa == "Negeri Ratu"
    assert (
        data.kecamatan == "Kota Agung"
        and data.kabupaten == "Kabupaten Tanggamus"
        and data.provinsi == "Lampung"
    )
    assert data.jumlah_anggota == 4 and data.jumlah_laki == 3 and data.jumlah_perempuan == 1
    assert data.ketua == "Anggota 1" and data.anggota[0].peran == "Ketua"
    assert all("*" in m.nik for m in data.anggota)
    assert data.luas_dinyatakan == "40,00 ha" and data.luas_peta == "44,00 ha"
    assert data.selisih_luas.startswith("+10,0%")
    assert data.peta is not None and "Register 30" in data.kawasan
    assert data.rencana[0]["kegiatan"] == "Pembibitan" and data.kepada == "Kepala Dinas Kehutanan"
    documents = {d.nama: d.ada for d in data.dokumen}
    assert documents["AD/ART kelompok"] is True and documents["Peta areal kelola kelompok"] is True
    assert documents["Rencana kerja"] is False


def test_officer_version_shows_full_nik(hkm: Application) -> None:
    data = proposal.proposal_data(hkm, show_nik=True)
    assert data.anggota[0].nik == nik(1) and not data.nik_disamarkan


def test_proposal_docx_contains_every_section(hkm: Application) -> None:
    text = docx_text(proposal.proposal_docx(proposal.proposal_data(hkm, show_nik=False)))
    for expected in (
        "Permohonan Persetujuan Pengelolaan Hutan Kemasyarakatan (HKm)",
        "Kepala Dinas Kehutanan",
        "I. Profil kelompok",
        "II. Daftar anggota",
        "III. Areal kelola",
        "IV. Rencana kerja",
        "V. Kelengkapan dokumen",
        "KTH Sinar Harapan",
        "1806********0001",
        "Pembibitan",
        "Batas koordinat",
        hkm.kode_lacak,
        "gratis",
    ):
        assert expected in text, expected
    assert nik(1) not in text


def test_proposal_pdf_renders_with_the_map(hkm: Application) -> None:
    data = proposal.proposal_data(hkm, show_nik=False)
    html = proposal.proposal_html(data)
    assert "<svg" in html and "II. Daftar anggota" in html
    content = proposal.proposal_pdf(data)
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert "KTH Sinar Harapan" in text and "1806********0001" in text


def test_proposal_without_map_or_members(apply_world: ApplyWorld) -> None:
    application = apply_world.hkm(apply_world.group())
    data = proposal.proposal_data(application, show_nik=False)
    assert data.peta is None and data.luas_peta == "peta belum diunggah" and data.anggota == []
    assert docx_text(proposal.proposal_docx(data))
    assert proposal.proposal_pdf(data).startswith(b"%PDF")


def test_pdf_unavailable_is_a_503_message(hkm: Application, monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def refuse(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("weasyprint"):
            raise OSError("cannot load library")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", refuse)
    with pytest.raises(proposal.PdfUnavailableError) as caught:
        proposal.proposal_pdf(proposal.proposal_data(hkm, show_nik=False))
    assert caught.value.status == 503 and "DOCX" in caught.value.message


# --- NIB sheet ---------------------------------------------------------------------------------------


def test_nib_sheet_has_the_oss_data_masked(apply_world: ApplyWorld) -> None:
    business = services_apply.business_create(
        actor=apply_world.pemohon,
        pemda=apply_world.pemda,
        data=services_apply.BusinessInput(
            nama_usaha="Bakso Pak Eko",
            pemilik="Eko",
            nik=nik(31),
            telepon="081234567890",
            jenis_kelamin="L",
            kbli="56104",
            lokasi_kode="18.06.01.1001",
            alamat="Jl. Pasar",
            pasar="Pasar Kota Agung",
            modal=Decimal(3_000_000),
        ),
    )
    sheet = proposal.nib_data(business, None, show_nik=False)
    assert sheet.nik == "1806********0031" and sheet.telepon == "0812*****890"
    assert sheet.kbli_judul == "Penyediaan Makanan Keliling/Tempat Tidak Tetap"
    assert sheet.modal == "Rp 3.000.000" and "usaha mikro" in sheet.skala
    assert sheet.desa == "Baros" and sheet.kecamatan == "Kota Agung"
    text = docx_text(proposal.nib_docx(sheet))
    assert "Lembar persiapan NIB" in text and "56104" in text and nik(31) not in text and "oss.go.id" in text
    pdf = pdf_text(proposal.nib_pdf(sheet))
    assert "Bakso Pak Eko" in pdf and "gratis" in pdf
    full = proposal.nib_data(business, None, show_nik=True)
    assert full.nik == nik(31)


def test_nib_sheet_flags_capital_above_micro(apply_world: ApplyWorld) -> None:
    business = services_apply.business_create(
        actor=apply_world.pemohon,
        pemda=apply_world.pemda,
        data=services_apply.BusinessInput(nama_usaha="Toko Besar", pemilik="X", modal=Decimal(2_000_000_000)),
    )
    assert proposal.nib_data(business, None, show_nik=False).skala.startswith("bukan usaha mikro")
    business.modal = None
    assert "belum" in proposal.nib_data(business, None, show_nik=False).skala
