"""Printable drafts assembled from what the applicant entered (issue 7, item 4).

1. *Draf usulan HKm* (`proposal_data` -> `proposal_docx` / `proposal_pdf`): what a farmer group prints,
   signs and hands in for a Persetujuan Pengelolaan Hutan Kemasyarakatan (PermenLHK 9/2021; field case 4:
   "farmers cannot write the proposal"):
   - a cover letter (surat permohonan) from the group's chair, addressed as typed in the wizard (default:
     the official authorised to grant the approval), listing the attachments;
   - I. the group profile (name, village, kecamatan, kabupaten, date formed, officers, members by sex);
   - II. the member list (name, NIK, sex, role, a signature column) to be acknowledged by the village head;
   - III. the managed area: area requested, area computed from the uploaded map (and the difference),
     forest area, location, and the map outline (PDF: drawn as SVG; DOCX: the bounding coordinates);
   - IV. the work plan: the summary and the activity table;
   - V. the attachments: every document the permit type asks for, ticked when uploaded.
2. *Lembar persiapan NIB* (`nib_data` -> `nib_docx` / `nib_pdf`): the data a micro business enters in OSS
   (oss.go.id), in OSS's order: account (email, mobile number), owner (name as on the KTP, NIK, sex),
   business (name, KBLI 2020 code and title, location, address, market, capital and the micro-scale check of
   PP 7/2021: capital up to Rp1.000.000.000 excluding land and buildings), the self-declaration, and the
   steps in OSS. Registration is free; the sheet says so.

Personal data: member NIKs (and the owner's NIK and phone on the NIB sheet) are masked ("3201********0001")
unless the requester may see them (`show_nik`, "permit.process"). Phone numbers of members never appear.
Without WeasyPrint's system libraries the PDFs raise `PdfUnavailableError` naming the Debian packages: the
page shows the message (503), never a 500; the DOCX always works.
"""

import io
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from rencana.core.dates import format_tanggal
from rencana.core.numbers import format_angka, format_rupiah
from rencana.monitoring.reports import DEBIAN_PDF_PACKAGES, PdfUnavailableError
from rencana.permits import kbli as kbli_codes
from rencana.permits import services_workflow, wizard
from rencana.permits.models import (
    Application,
    ApplicationDocument,
    AreaMap,
    FarmerGroup,
    GroupMember,
    MemberRole,
    MicroBusiness,
    Sex,
)
from rencana.permits.nik import mask_nik, mask_telepon
from rencana.regions.models import Region

PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DEFAULT_KEPADA = "Pejabat yang berwenang menerbitkan Persetujuan Pengelolaan Hutan Kemasyarakatan"
MICRO_CAPITAL = Decimal(1_000_000_000)
ROLE_ORDER = {MemberRole.KETUA: 0, MemberRole.SEKRETARIS: 1, MemberRole.BENDAHARA: 2, MemberRole.ANGGOTA: 3}
MAP_WIDTH = 480
MAP_HEIGHT = 320


# --- map outline (pure) ----------------------------------------------------------------------------


def _rings(geometry: Any) -> list[list[tuple[float, float]]]:
    """The rings of a GeoJSON Polygon or MultiPolygon as (longitude, latitude) lists; [] otherwise."""
    if not isinstance(geometry, dict):
        return []
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else []
    rings: list[list[tuple[float, float]]] = []
    for polygon in polygons or []:
        if not isinstance(polygon, list):
            continue
        for ring in polygon:
            points = []
            for point in ring if isinstance(ring, list) else []:
                if isinstance(point, list | tuple) and len(point) >= 2:
                    try:
                        x, y = float(point[0]), float(point[1])
                    except (TypeError, ValueError):
                        continue
                    if math.isfinite(x) and math.isfinite(y):
                        points.append((x, y))
            if len(points) >= 3:
                rings.append(points)
    return rings


@dataclass(frozen=True)
class MapOutline:
    svg: str
    barat: float
    timur: float
    selatan: float
    utara: float


def map_outline(geometry: Any, width: int = MAP_WIDTH, height: int = MAP_HEIGHT) -> MapOutline | None:
    """An SVG drawing of the area's outline (north up, east-west scaled by cos(latitude) so shapes keep
    their proportions) and its bounding coordinates; None when the geometry has no polygon."""
    rings = _rings(geometry)
    if not rings:
        return None
    xs = [x for ring in rings for x, _y in ring]
    ys = [y for ring in rings for _x, y in ring]
    west, east, south, north = min(xs), max(xs), min(ys), max(ys)
    factor = math.cos(math.radians((south + north) / 2)) or 1.0
    span_x = max((east - west) * factor, 1e-9)
    span_y = max(north - south, 1e-9)
    margin = 16
    scale = min((width - 2 * margin) / span_x, (height - 2 * margin) / span_y)
    offset_x = (width - span_x * scale) / 2
    offset_y = (height - span_y * scale) / 2

    def point(x: float, y: float) -> str:
        px = offset_x + (x - west) * factor * scale
        py = offset_y + (north - y) * scale
        return f"{px:.1f},{py:.1f}"

    path = " ".join("M " + " L ".join(point(x, y) for x, y in ring) + " Z" for ring in rings)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="peta areal kelola">'
        f'<rect x="0.5" y="0.5" width="{width - 1}" height="{height - 1}" fill="#f7faf7" stroke="#888"/>'
        f'<path d="{path}" fill="#cfe8cf" fill-rule="evenodd" stroke="#1a5d1a" stroke-width="1.5"/>'
        f'<g font-family="DejaVu Sans, sans-serif" font-size="11" fill="#333">'
        f'<path d="M {width - 24},34 L {width - 18},16 L {width - 12},34 Z" fill="#333"/>'
        f'<text x="{width - 18}" y="48" text-anchor="middle">U</text></g></svg>'
    )
    return MapOutline(svg=svg, barat=west, timur=east, selatan=south, utara=north)


def _coordinate(value: float, positive: str, negative: str) -> str:
    hemisphere = positive if value >= 0 else negative
    return f"{format_angka(Decimal(str(abs(value))), 5)}° {hemisphere}"


# --- HKm proposal ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberRow:
    nomor: int
    nama: str
    nik: str
    jenis_kelamin: str
    peran: str


@dataclass(frozen=True)
class DocumentRow:
    nama: str
    wajib: bool
    ada: bool


@dataclass
class ProposalData:
    kode_lacak: str
    jenis_nama: str
    dasar_hukum: str
    pemda_nama: str
    tempat: str
    tanggal: str
    kepada: str
    kelompok_nama: str
    desa: str
    kecamatan: str
    kabupaten: str
    provinsi: str
    tanggal_bentuk: str
    ketua: str
    sekretaris: str
    bendahara: str
    anggota: list[MemberRow]
    jumlah_laki: int
    jumlah_perempuan: int
    luas_dinyatakan: str
    luas_peta: str
    selisih_luas: str
    kawasan: str
    lokasi_areal: str
    peta: MapOutline | None
    rencana_ringkas: str
    rencana: list[dict[str, str]]
    dokumen: list[DocumentRow]
    nik_disamarkan: bool
    dibuat: str
    biaya: str = ""
    catatan: list[str] = field(default_factory=list)

    @property
    def jumlah_anggota(self) -> int:
        return len(self.anggota)

    @property
    def peta_svg(self) -> SafeString:
        # Built from numbers only (map_outline formats floats), never from user text.
        return mark_safe(self.peta.svg) if self.peta else mark_safe("")  # noqa: S308

    @property
    def peta_batas(self) -> str:
        if self.peta is None:
            return ""
        return _("Batas koordinat: {barat} sampai {timur}, {selatan} sampai {utara}.").format(
            barat=_coordinate(self.peta.barat, "BT", "BB"),
            timur=_coordinate(self.peta.timur, "BT", "BB"),
            selatan=_coordinate(self.peta.selatan, "LU", "LS"),
            utara=_coordinate(self.peta.utara, "LU", "LS"),
        )

    @property
    def filename(self) -> str:
        return f"usulan-hkm-{self.kode_lacak}"


def _ancestors(region: Region | None) -> dict[str, str]:
    """Names of the desa and its kecamatan, kabupaten/kota and provinsi (by the code's prefixes)."""
    names = {"desa": "", "kecamatan": "", "kabupaten": "", "provinsi": ""}
    if region is None:
        return names
    parts = region.kode.split(".")
    codes = {".".join(parts[:n]): key for n, key in ((1, "provinsi"), (2, "kabupaten"), (3, "kecamatan"))}
    for kode, nama in Region.objects.filter(kode__in=list(codes)).values_list("kode", "nama"):
        names[codes[kode]] = nama
    names["desa"] = region.nama
    return names


def _luas(value: Decimal | None) -> str:
    return _("{luas} ha").format(luas=format_angka(value, 2)) if value is not None else "—"


def _sex_label(value: str) -> str:
    return "P" if value == Sex.P else "L" if value == Sex.L else "—"


def _role_label(value: str) -> str:
    try:
        return str(MemberRole(value).label)
    except ValueError:
        return value


def _document_rows(application: Application) -> list[DocumentRow]:
    definition = services_workflow.definition_of(application)
    uploaded = set(
        ApplicationDocument.objects.filter(permohonan=application).values_list("kode_dokumen", flat=True)
    )
    has_map = AreaMap.objects.filter(permohonan=application).exists()
    rows = []
    for doc in definition.stage(definition.awal).dokumen if definition.has_stage(definition.awal) else ():
        ada = doc.kode in uploaded or (doc.jenis == "peta" and has_map)
        rows.append(DocumentRow(nama=doc.nama, wajib=doc.wajib, ada=ada))
    return rows


def _member_rows(group: FarmerGroup) -> list[GroupMember]:
    members = list(GroupMember.objects.filter(kelompok=group))
    members.sort(
        key=lambda m: (ROLE_ORDER.get(MemberRole(m.peran), 9) if m.peran in MemberRole.values else 9, m.pk)
    )
    return members


def _today_text() -> str:
    return format_tanggal(timezone.localdate())


def proposal_data(application: Application, *, show_nik: bool) -> ProposalData:
    """The HKm proposal of `application` (a farmer group's), NIKs masked unless `show_nik`."""
    group = application.kelompok
    if group is None:
        raise ValueError("proposal_data needs a farmer group's application")
    definition = services_workflow.definition_of(application)
    data = application.data if isinstance(application.data, dict) else {}
    names = _ancestors(group.desa if group.desa_id else None)
    members = _member_rows(group)
    officers = {m.peran: m.nama for m in members if m.peran != MemberRole.ANGGOTA}
    area_map = AreaMap.objects.filter(permohonan=application).first()
    luas = application.luas_dinyatakan if application.luas_dinyatakan is not None else group.luas_dinyatakan
    selisih = ""
    if area_map is not None and luas:
        difference = (Decimal(area_map.luas_ha) - Decimal(luas)) / Decimal(luas) * 100
        selisih = _("{persen}% dari luas yang dimohon (dibulatkan 1 desimal, ROUND_HALF_UP)").format(
            persen=("+" if difference > 0 else "") + format_angka(difference, 1)
        )
    kabupaten = names["kabupaten"] or application.pemda.nama
    return ProposalData(
        kode_lacak=application.kode_lacak,
        jenis_nama=definition.nama,
        dasar_hukum=definition.dasar_hukum,
        pemda_nama=application.pemda.nama,
        tempat=names["desa"] or kabupaten,
        tanggal=_today_text(),
        kepada=str(data.get("kepada") or DEFAULT_KEPADA),
        kelompok_nama=group.nama,
        desa=names["desa"],
        kecamatan=names["kecamatan"],
        kabupaten=kabupaten,
        provinsi=names["provinsi"],
        tanggal_bentuk=format_tanggal(group.tanggal_bentuk) if group.tanggal_bentuk else "—",
        ketua=officers.get(MemberRole.KETUA, "") or group.ketua,
        sekretaris=officers.get(MemberRole.SEKRETARIS, ""),
        bendahara=officers.get(MemberRole.BENDAHARA, ""),
        anggota=[
            MemberRow(
                nomor=n,
                nama=m.nama,
                nik=m.nik if show_nik else mask_nik(m.nik),
                jenis_kelamin=_sex_label(m.jenis_kelamin),
                peran=_role_label(m.peran),
            )
            for n, m in enumerate(members, start=1)
        ],
        jumlah_laki=sum(1 for m in members if m.jenis_kelamin == Sex.L),
        jumlah_perempuan=sum(1 for m in members if m.jenis_kelamin == Sex.P),
        luas_dinyatakan=_luas(luas),
        luas_peta=_luas(area_map.luas_ha) if area_map is not None else _("peta belum diunggah"),
        selisih_luas=selisih,
        kawasan=str(data.get("kawasan") or group.kawasan or "—"),
        lokasi_areal=str(data.get("lokasi_areal") or "—"),
        peta=map_outline(area_map.geometri) if area_map is not None else None,
        rencana_ringkas=str(data.get("rencana_kerja") or ""),
        rencana=wizard.work_plan_rows(data),
        dokumen=_document_rows(application),
        nik_disamarkan=not show_nik,
        dibuat=_today_text(),
        biaya=definition.biaya,
    )


def _docx_base() -> Any:
    from docx import Document
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin = section.bottom_margin = Cm(2)
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    return document


def _docx_table(document: Any, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = str(text)


def _docx_facts(document: Any, rows: Sequence[tuple[str, str]]) -> None:
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        left, right = table.add_row().cells
        left.text = ""
        left.paragraphs[0].add_run(label).bold = True
        right.text = str(value)


def _docx_signatures(document: Any, columns: Sequence[tuple[str, str]]) -> None:
    table = document.add_table(rows=1, cols=len(columns))
    for cell, (role, name) in zip(table.rows[0].cells, columns, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(role)
        for _i in range(3):
            cell.add_paragraph("")
        cell.add_paragraph(f"( {name or '..............................'} )")


def proposal_sections(data: ProposalData) -> dict[str, Any]:
    """Labels and rows shared by the DOCX and the PDF (one wording, two formats)."""
    profile = [
        (_("Nama kelompok"), data.kelompok_nama),
        (_("Desa/kelurahan/pekon"), data.desa or "—"),
        (_("Kecamatan"), data.kecamatan or "—"),
        (_("Kabupaten/kota"), data.kabupaten or "—"),
        (_("Provinsi"), data.provinsi or "—"),
        (_("Tanggal dibentuk"), data.tanggal_bentuk),
        (_("Ketua"), data.ketua or "—"),
        (_("Sekretaris"), data.sekretaris or "—"),
        (_("Bendahara"), data.bendahara or "—"),
        (
            _("Jumlah anggota"),
            _("{n} orang ({l} laki-laki, {p} perempuan)").format(
                n=data.jumlah_anggota, l=data.jumlah_laki, p=data.jumlah_perempuan
            ),
        ),
    ]
    area = [
        (_("Luas areal kelola yang dimohon"), data.luas_dinyatakan),
        (_("Luas terhitung dari peta"), data.luas_peta),
        (_("Kawasan hutan"), data.kawasan),
        (_("Letak areal"), data.lokasi_areal),
    ]
    if data.selisih_luas:
        area.insert(2, (_("Selisih luas peta"), data.selisih_luas))
    return {"profile": profile, "area": area}


def proposal_docx(data: ProposalData) -> bytes:
    """The proposal as a Word document the group can edit, print and sign."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK

    document = _docx_base()
    sections = proposal_sections(data)
    right = document.add_paragraph(f"{data.tempat}, {data.tanggal}")
    right.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for line in (
        _("Nomor    : ........................"),
        _("Lampiran : 1 (satu) berkas"),
        _("Perihal  : Permohonan {jenis}").format(jenis=data.jenis_nama),
    ):
        document.add_paragraph(line)
    document.add_paragraph(_("Kepada Yth.\n{kepada}\ndi tempat").format(kepada=data.kepada))
    document.add_paragraph(
        _(
            "Yang bertanda tangan di bawah ini, Ketua Kelompok Tani {kelompok}, Desa/Pekon {desa}, Kecamatan "
            "{kecamatan}, {kabupaten}, dengan ini mengajukan permohonan {jenis} atas areal kelola seluas "
            "{luas} di kawasan {kawasan}. Bersama surat ini kami lampirkan profil kelompok, daftar anggota, "
            "keterangan areal kelola dan peta, rencana kerja, serta dokumen kelengkapan."
        ).format(
            kelompok=data.kelompok_nama,
            desa=data.desa or "—",
            kecamatan=data.kecamatan or "—",
            kabupaten=data.kabupaten,
            jenis=data.jenis_nama,
            luas=data.luas_dinyatakan,
            kawasan=data.kawasan,
        )
    )
    document.add_paragraph(
        _("Demikian permohonan ini kami sampaikan. Atas perhatiannya kami ucapkan terima kasih.")
    )
    _docx_signatures(
        document,
        [
            (_("Ketua Kelompok Tani {kelompok}").format(kelompok=data.kelompok_nama), data.ketua),
            (_("Sekretaris"), data.sekretaris),
        ],
    )
    document.add_paragraph(_("Mengetahui,\nKepala Desa/Pekon {desa}").format(desa=data.desa or "—"))
    document.add_paragraph("\n\n( .............................. )")
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    document.add_heading(_("I. Profil kelompok"), level=2)
    _docx_facts(document, sections["profile"])
    document.add_heading(_("II. Daftar anggota"), level=2)
    if data.nik_disamarkan:
        document.add_paragraph(
            _("NIK disamarkan pada draf ini; tulis NIK lengkap sesuai KTP sebelum ditandatangani.")
        )
    _docx_table(
        document,
        [_("No"), _("Nama"), _("NIK"), _("L/P"), _("Peran"), _("Tanda tangan")],
        [[str(m.nomor), m.nama, m.nik, m.jenis_kelamin, m.peran, ""] for m in data.anggota],
    )
    document.add_paragraph(_("Mengetahui,\nKepala Desa/Pekon {desa}").format(desa=data.desa or "—"))
    document.add_paragraph("\n\n( .............................. )")

    document.add_heading(_("III. Areal kelola"), level=2)
    _docx_facts(document, sections["area"])
    if data.peta is not None:
        document.add_paragraph(data.peta_batas)
        document.add_paragraph(_("Gambar batas areal ada pada versi PDF dan peta yang diunggah."))
    document.add_heading(_("IV. Rencana kerja"), level=2)
    document.add_paragraph(data.rencana_ringkas or "—")
    if data.rencana:
        _docx_table(
            document,
            [_("No"), _("Kegiatan"), _("Waktu"), _("Target/volume"), _("Keterangan")],
            [
                [str(n), r["kegiatan"], r["waktu"], r["target"], r["keterangan"]]
                for n, r in enumerate(data.rencana, start=1)
            ],
        )
    document.add_heading(_("V. Kelengkapan dokumen"), level=2)
    _docx_table(
        document,
        [_("Dokumen"), _("Wajib"), _("Sudah ada")],
        [[d.nama, _("ya") if d.wajib else _("tidak"), "✓" if d.ada else "—"] for d in data.dokumen],
    )
    footer = document.add_paragraph(
        _("Kode lacak {kode}. Draf dibuat dengan Rencana pada {tanggal}. {biaya}").format(
            kode=data.kode_lacak, tanggal=data.dibuat, biaya=_biaya_text(data.biaya)
        )
    )
    footer.runs[0].italic = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _biaya_text(biaya: str) -> str:
    if not biaya or biaya.strip().lower() == "gratis":
        return _("Layanan ini gratis: jangan memberi uang kepada siapa pun untuk permohonan ini.")
    return biaya


# --- NIB preparation sheet -------------------------------------------------------------------------


NIB_STATEMENTS = (
    gettext_noop("Saya menjalankan usaha ini sendiri dan data yang saya isi benar sesuai KTP."),
    gettext_noop("Saya sanggup menjaga kebersihan, keamanan dan ketertiban tempat usaha."),
    gettext_noop(
        "Saya sanggup memenuhi standar dan ketentuan kegiatan usaha yang berlaku (mis. kebersihan pangan)."
    ),
    gettext_noop("Saya memahami bahwa NIB diterbitkan melalui OSS tanpa biaya."),
)


def nib_statements() -> list[str]:
    return [_(s) for s in NIB_STATEMENTS]


OSS_STEPS = (
    gettext_noop(
        "Buka oss.go.id dan daftar akun dengan NIK, email dan nomor HP yang aktif (kode verifikasi dikirim "
        "ke email)."
    ),
    gettext_noop("Pilih jenis pelaku usaha orang perseorangan, lalu lengkapi data pribadi sesuai KTP."),
    gettext_noop(
        "Isi data usaha: nama usaha, lokasi dan alamat, modal usaha, dan kode KBLI dari lembar ini."
    ),
    gettext_noop(
        "Periksa kembali KBLI di OSS: bila judulnya berbeda, pilih kode yang paling sesuai dengan "
        "kegiatan usaha."
    ),
    gettext_noop("Centang pernyataan mandiri, lalu terbitkan NIB. Simpan atau cetak NIB yang terbit."),
)


def oss_steps() -> list[str]:
    return [_(s) for s in OSS_STEPS]


@dataclass
class NibSheet:
    kode_lacak: str
    pemda_nama: str
    tanggal: str
    nama_usaha: str
    pemilik: str
    nik: str
    jenis_kelamin: str
    telepon: str
    email: str
    kbli: str
    kbli_judul: str
    uraian_usaha: str
    desa: str
    kecamatan: str
    kabupaten: str
    provinsi: str
    alamat: str
    pasar: str
    modal: str
    skala: str
    pernyataan: list[tuple[str, bool]]
    langkah: list[str]
    data_disamarkan: bool

    @property
    def filename(self) -> str:
        code = self.kode_lacak or "usaha"
        return f"persiapan-nib-{code}"

    def rows(self) -> dict[str, list[tuple[str, str]]]:
        return {
            "akun": [
                (_("Email"), self.email or "—"),
                (_("Nomor HP"), self.telepon or "—"),
            ],
            "pemilik": [
                (_("Nama sesuai KTP"), self.pemilik),
                (_("NIK"), self.nik or "—"),
                (_("Jenis kelamin"), self.jenis_kelamin or "—"),
            ],
            "usaha": [
                (_("Nama usaha"), self.nama_usaha),
                (_("Kegiatan usaha (kata-kata sendiri)"), self.uraian_usaha or "—"),
                (_("Kode KBLI 2020"), f"{self.kbli} {self.kbli_judul}".strip() or "—"),
                (_("Kelurahan/desa"), self.desa or "—"),
                (_("Kecamatan"), self.kecamatan or "—"),
                (_("Kabupaten/kota"), self.kabupaten or "—"),
                (_("Provinsi"), self.provinsi or "—"),
                (_("Alamat/tempat berjualan"), self.alamat or "—"),
                (_("Pasar"), self.pasar or "—"),
                (_("Modal usaha (di luar tanah dan bangunan)"), self.modal),
                (_("Skala usaha"), self.skala),
            ],
        }


def nib_data(business: MicroBusiness, application: Application | None, *, show_nik: bool) -> NibSheet:
    """The NIB preparation sheet of `business` (with the answers of its application, when there is one)."""
    data = application.data if application is not None and isinstance(application.data, dict) else {}
    names = _ancestors(business.lokasi if business.lokasi_id else None)
    if business.modal is None:
        modal, skala = "—", _("belum dapat ditentukan (modal belum diisi)")
    else:
        modal = format_rupiah(business.modal)
        skala = (
            _("usaha mikro (modal sampai Rp1.000.000.000, PP 7/2021)")
            if business.modal <= MICRO_CAPITAL
            else _("bukan usaha mikro: modal lebih dari Rp1.000.000.000 (PP 7/2021)")
        )
    checked = bool(data.get("pernyataan_mandiri"))
    return NibSheet(
        kode_lacak=application.kode_lacak if application is not None else "",
        pemda_nama=business.pemda.nama,
        tanggal=_today_text(),
        nama_usaha=business.nama_usaha,
        pemilik=business.pemilik,
        nik=business.nik if show_nik else mask_nik(business.nik),
        jenis_kelamin=str(Sex(business.jenis_kelamin).label) if business.jenis_kelamin in Sex.values else "",
        telepon=business.telepon if show_nik else mask_telepon(business.telepon),
        email=str(data.get("akun_oss") or ""),
        kbli=business.kbli,
        kbli_judul=kbli_codes.kbli_title(business.kbli),
        uraian_usaha=str(data.get("uraian_usaha") or ""),
        desa=names["desa"],
        kecamatan=names["kecamatan"],
        kabupaten=names["kabupaten"] or business.pemda.nama,
        provinsi=names["provinsi"],
        alamat=business.alamat,
        pasar=business.pasar,
        modal=modal,
        skala=skala,
        pernyataan=[(s, checked) for s in nib_statements()],
        langkah=oss_steps(),
        data_disamarkan=not show_nik,
    )


def nib_docx(sheet: NibSheet) -> bytes:
    document = _docx_base()
    document.add_heading(_("Lembar persiapan NIB (OSS) — usaha mikro"), level=1)
    document.add_paragraph(
        _("Pendaftaran NIB gratis. {pemda} · {tanggal}{kode}").format(
            pemda=sheet.pemda_nama,
            tanggal=sheet.tanggal,
            kode=_(" · kode lacak {kode}").format(kode=sheet.kode_lacak) if sheet.kode_lacak else "",
        )
    )
    rows = sheet.rows()
    for title, key in (
        (_("A. Akun OSS"), "akun"),
        (_("B. Pemilik usaha"), "pemilik"),
        (_("C. Data usaha"), "usaha"),
    ):
        document.add_heading(title, level=2)
        _docx_facts(document, rows[key])
    if sheet.data_disamarkan:
        document.add_paragraph(_("NIK dan nomor HP disamarkan pada lembar ini; isi di OSS sesuai KTP."))
    document.add_heading(_("D. Pernyataan mandiri"), level=2)
    for text, checked in sheet.pernyataan:
        document.add_paragraph(f"[{'✓' if checked else ' '}] {text}")
    document.add_heading(_("E. Langkah di OSS"), level=2)
    for number, step in enumerate(sheet.langkah, start=1):
        document.add_paragraph(f"{number}. {step}")
    document.add_paragraph(
        _("Daftar KBLI di aplikasi ini adalah sebagian kode KBLI 2020; periksa kembali kodenya di OSS.")
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- PDF -------------------------------------------------------------------------------------------

PDF_CSS = """
@page { size: A4 portrait; margin: 18mm 18mm 18mm 20mm;
        @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; color: #555; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 10pt; color: #111; line-height: 1.4; }
h1 { font-size: 13pt; text-align: center; margin: 0 0 3mm; }
h2 { font-size: 11.5pt; margin: 6mm 0 2mm; }
p { margin: 0 0 2mm; }
.right { text-align: right; }
.page-break { break-before: page; }
table { width: 100%; border-collapse: collapse; margin: 0 0 3mm; }
th, td { border: 0.6pt solid #444; padding: 1.5mm 2mm; vertical-align: top; text-align: left; }
th { background: #f0f0f0; }
table.facts th { width: 38%; }
td.sign { height: 9mm; width: 22%; }
.signatures { display: flex; justify-content: space-between; margin-top: 8mm; }
.signatures div { width: 45%; }
.space { height: 16mm; }
.note { font-size: 8.5pt; color: #444; }
figure { margin: 2mm 0; }
figure svg { width: 120mm; height: auto; }
"""


def _pdf(html: str) -> bytes:
    try:
        from weasyprint import CSS, HTML
        from weasyprint.urls import URLFetcher
    except (ImportError, OSError) as exc:
        raise PdfUnavailableError(
            _(
                "PDF tidak dapat dibuat di server ini: WeasyPrint atau pustaka sistemnya tidak tersedia "
                "({sebab}). Pasang paket Python weasyprint dan paket Debian {paket}, lalu coba lagi; "
                "sementara itu unduh versi DOCX."
            ).format(sebab=type(exc).__name__, paket=DEBIAN_PDF_PACKAGES)
        ) from exc
    progress = logging.getLogger("weasyprint.progress")
    if progress.level == logging.NOTSET:
        progress.setLevel(logging.WARNING)
    # Everything is inline: no file, network or data URL is ever fetched while rendering.
    fetcher = URLFetcher(allowed_protocols=())
    try:
        content: bytes = HTML(string=html, url_fetcher=fetcher).write_pdf(
            stylesheets=[CSS(string=PDF_CSS, url_fetcher=fetcher)]
        )
    except OSError as exc:
        raise PdfUnavailableError(
            _(
                "PDF gagal dibuat: {sebab}. Periksa paket Debian {paket}; sementara itu unduh versi DOCX."
            ).format(sebab=exc, paket=DEBIAN_PDF_PACKAGES)
        ) from exc
    return content


def proposal_html(data: ProposalData) -> str:
    """The HTML WeasyPrint turns into the proposal PDF (never served to browsers)."""
    return render_to_string(
        "permits/proposal_pdf.html",
        {"p": data, "sections": proposal_sections(data), "biaya": _biaya_text(data.biaya)},
    )


def proposal_pdf(data: ProposalData) -> bytes:
    return _pdf(proposal_html(data))


def nib_html(sheet: NibSheet) -> str:
    return render_to_string("permits/nib_pdf.html", {"s": sheet, "rows": sheet.rows()})


def nib_pdf(sheet: NibSheet) -> bytes:
    return _pdf(nib_html(sheet))
