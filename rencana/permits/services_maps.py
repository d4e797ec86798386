"""Writes and checks of managed-area maps (*peta areal kelola*) and the officer's forest-area layer.

- `map_upload` reads an uploaded GeoJSON, KML/KMZ or zipped shapefile (`rencana.permits.geometry`),
  refuses anything that is not a valid polygon in Indonesia with a message saying what and where,
  replaces the application's previous map, measures the area and runs the checks; audited.
- `map_check` compares the map with the declared area, with the maps of the OTHER active applications
  of the same pemda (overlap in ha, by tracking code only: never a name, NIK or phone) and with the
  pemda's active forest-area layer (the part outside it, in ha and %).
- `forest_layer_upload` (officer) stores a new forest-area layer and deactivates the previous one.

Who may upload: an officer ("permit.process") at any stage; the application's facilitator or applicant
while its stage may be edited (drafting, returned for correction). The view checks it with
`may_upload_map`; `map_upload` checks it again for a logged-in actor (the demo loader acts as the system).
The stored findings (`AreaMap.pemeriksaan`) are refreshed for every map a new upload or layer touches.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rencana.accounts.scope import scope_for
from rencana.core.audit import audit_record
from rencana.core.errors import ApplicationError, ConflictError, NotFoundError, PermissionDeniedError
from rencana.core.numbers import format_angka
from rencana.core.roles import Role
from rencana.core.scope import Scope
from rencana.permits import access, geometry
from rencana.permits.models import Application, ApplicationStatus, AreaMap, ForestLayer
from rencana.permits.services_workflow import definition_of, stage_of
from rencana.regions.models import Pemda

MAX_NAMA_LAPISAN = 200
APPLICANT_ROLES = frozenset({Role.PENDAMPING.value, Role.PEMOHON.value})


@dataclass(frozen=True)
class _Subject:
    application: Application
    area: geometry.Area
    catatan: tuple[str, ...] = ()  # notes of the upload, kept when the findings are refreshed


# ------------------------------------------------------------------------------------------------
# Reading


def active_layer(pemda_id: int) -> ForestLayer | None:
    """The pemda's active forest layer, without its (possibly large) geometry: see `layer_area`."""
    return (
        ForestLayer.objects.filter(pemda_id=pemda_id, aktif=True)
        .defer("geometri")
        .order_by("-diunggah", "-pk")
        .first()
    )


@lru_cache(maxsize=4)
def _layer_area_cached(layer_id: int, uploaded: str) -> geometry.Area | None:
    stored = ForestLayer.objects.filter(pk=layer_id).values_list("geometri", flat=True).first()
    return geometry.from_geojson(stored)


def layer_area(layer: ForestLayer | None) -> geometry.Area | None:
    """The layer's geometry as shapely. A layer's geometry never changes once stored, so the parsed
    geometry is kept per process (a province layer can take seconds to parse); the upload time is part
    of the key so a reused id (a test database rolled back) never returns another layer's geometry."""
    if layer is None:
        return None
    return _layer_area_cached(layer.pk, layer.diunggah.isoformat() if layer.diunggah else "")


@lru_cache(maxsize=4)
def _layer_preview_cached(layer_id: int, uploaded: str) -> dict[str, Any] | None:
    area = _layer_area_cached(layer_id, uploaded)
    return geometry.to_geojson(geometry.simplified(area)) if area is not None else None


def layer_preview(layer: ForestLayer | None) -> dict[str, Any] | None:
    """The layer simplified for drawing (at most about 20,000 vertices), as a GeoJSON geometry."""
    if layer is None:
        return None
    return _layer_preview_cached(layer.pk, layer.diunggah.isoformat() if layer.diunggah else "")


def _active_maps(pemda_id: int) -> list[_Subject]:
    """Maps of the pemda's active (not rejected) applications, geometry parsed."""
    rows = (
        AreaMap.objects.filter(pemda_id=pemda_id)
        .exclude(permohonan__status=ApplicationStatus.DITOLAK)
        .select_related("permohonan", "permohonan__jenis")
        .order_by("permohonan_id")
    )
    subjects = []
    for row in rows:
        area = geometry.from_geojson(row.geometri)
        if area is not None:
            stored = row.pemeriksaan if isinstance(row.pemeriksaan, dict) else {}
            notes = stored.get("catatan")
            catatan = tuple(str(n) for n in notes) if isinstance(notes, list) else ()
            subjects.append(_Subject(application=row.permohonan, area=area, catatan=catatan))
    return subjects


def _others(subject: _Subject, maps: Iterable[_Subject]) -> list[tuple[str, geometry.Area]]:
    min_x, min_y, max_x, max_y = subject.area.bounds
    found = []
    for other in maps:
        if other.application.pk == subject.application.pk:
            continue
        o_min_x, o_min_y, o_max_x, o_max_y = other.area.bounds
        if o_min_x > max_x or o_max_x < min_x or o_min_y > max_y or o_max_y < min_y:
            continue
        found.append((other.application.kode_lacak, other.area))
    return found


def _stage_name(application: Application) -> str:
    try:
        definition = definition_of(application)
    except Exception:  # a damaged type definition must not break the map check
        return application.tahap
    if not definition.has_stage(application.tahap):
        return application.tahap
    return definition.stage(application.tahap).nama


def _findings(
    subject: _Subject, maps: Iterable[_Subject], layer: ForestLayer | None, whole_layer: Any
) -> dict[str, Any]:
    application = subject.application
    area = subject.area
    luas = geometry.area_ha(area)
    comparison = geometry.compare_declared(luas, application.luas_dinyatakan)
    by_code = {m.application.kode_lacak: m.application for m in maps}
    overlaps = []
    for overlap in geometry.overlaps(area, _others(subject, maps)):
        other = by_code.get(overlap.kode_lacak)
        overlaps.append(
            {
                "kode_lacak": overlap.kode_lacak,
                "luas_ha": str(overlap.luas_ha),
                "persen": str(overlap.persen),
                "tahap": other.tahap if other is not None else "",
                "tahap_nama": _stage_name(other) if other is not None else "",
                "status": other.status if other is not None else "",
            }
        )
    result: dict[str, Any] = {
        "ada_peta": True,
        "luas_ha": str(geometry.ha(luas)),
        "luas_geodesik_ha": str(geometry.ha(geometry.geodesic_area_ha(area))),
        "luas_dinyatakan_ha": str(application.luas_dinyatakan) if application.luas_dinyatakan else None,
        "selisih_ha": str(comparison.selisih_ha) if comparison else None,
        "selisih_persen": str(comparison.selisih_persen) if comparison else None,
        "toleransi_persen": str(geometry.TOLERANSI_LUAS_PERSEN),
        "luas_sesuai": comparison.sesuai if comparison else None,
        "tumpang_tindih": overlaps,
        "lapisan": None,
        "di_luar_kawasan_ha": None,
        "di_luar_kawasan_persen": None,
        "diperiksa": timezone.now().isoformat(timespec="seconds"),
        "catatan": list(subject.catatan),
    }
    if layer is not None and whole_layer is not None:
        outside = geometry.outside(area, whole_layer)
        result["lapisan"] = {"id": layer.pk, "nama": layer.nama}
        result["di_luar_kawasan_ha"] = str(outside.di_luar_ha)
        result["di_luar_kawasan_persen"] = str(outside.di_luar_persen)
    return result


def map_check(application: Application) -> dict[str, Any]:
    """The findings for `application`'s map now: declared vs measured, overlaps, part outside the layer.

    Decimal values are strings (JSON-safe); overlaps name other applications by tracking code only.
    """
    peta = AreaMap.objects.filter(permohonan_id=application.pk).first()
    area = geometry.from_geojson(peta.geometri) if peta is not None else None
    if area is None:
        return {"ada_peta": False, "tumpang_tindih": []}
    layer = active_layer(application.pemda_id)
    subject = _Subject(application=application, area=area)
    return _findings(subject, _active_maps(application.pemda_id), layer, layer_area(layer))


def may_upload_map(scope: Scope, user: Any, application: Application) -> bool:
    """Officers at any stage; the application's facilitator/applicant while its stage may be edited."""
    roles = access.acting_roles(scope, user, application)
    if roles & access.OFFICER_ROLES:
        return True
    if roles & APPLICANT_ROLES:
        stage = stage_of(application)
        return stage is not None and stage.dapat_diubah
    return False


def require_may_upload(scope: Scope, user: Any, application: Application) -> None:
    """Refuse with the reason: the stage is locked for the applicant side (409), or not theirs (403)."""
    if may_upload_map(scope, user, application):
        return
    if access.acting_roles(scope, user, application) & APPLICANT_ROLES:
        raise ConflictError(
            _(
                "Permohonan sudah diajukan dan sedang diproses; petanya tidak bisa diganti kecuali "
                "permohonan dikembalikan untuk perbaikan."
            ),
            code="tidak_dapat_diubah",
        )
    raise PermissionDeniedError(_("Anda tidak berwenang mengunggah peta permohonan ini."))


def _require_may_upload(actor: Any, application: Application) -> None:
    if not getattr(actor, "is_authenticated", False):
        return  # the system (demo loader, commands)
    require_may_upload(scope_for(actor, application.pemda), actor, application)


# ------------------------------------------------------------------------------------------------
# Writing


def _read_upload(upload: UploadedFile | None, limits: geometry.Limits) -> tuple[str, bytes]:
    if upload is None:
        raise ApplicationError(
            _("Pilih berkas peta yang akan diunggah."),
            errors=[{"kolom": "berkas", "pesan": _("Pilih berkas peta.")}],
        )
    name = PurePosixPath((upload.name or "peta").replace("\\", "/")).name[:200]
    size = upload.size or 0
    if size > limits.max_bytes:
        message = _("Berkas peta paling besar {batas} MB (berkas ini {ukuran} MB).").format(
            batas=limits.max_bytes // 1048576, ukuran=f"{size / 1048576:.1f}".replace(".", ",")
        )
        raise ApplicationError(
            message, code="berkas_terlalu_besar", errors=[{"kolom": "berkas", "pesan": message}]
        )
    data = bytearray()
    for chunk in upload.chunks():
        data.extend(chunk)
        if len(data) > limits.max_bytes:
            message = _("Berkas peta paling besar {batas} MB.").format(batas=limits.max_bytes // 1048576)
            raise ApplicationError(
                message, code="berkas_terlalu_besar", errors=[{"kolom": "berkas", "pesan": message}]
            )
    return name, bytes(data)


def _parse(data: bytes, name: str, limits: geometry.Limits, *, perbaiki: bool = False) -> geometry.ParsedMap:
    try:
        return geometry.parse(data, name, limits=limits, perbaiki=perbaiki)
    except geometry.GeometryError as exc:
        raise ApplicationError(
            exc.message, code=exc.kode, errors=[{"kolom": "berkas", "pesan": exc.message}]
        ) from exc


def _refresh(pemda_id: int, only: set[int] | None = None) -> None:
    """Recompute the stored findings of the pemda's maps (of applications `only`, if given)."""
    maps = _active_maps(pemda_id)
    layer = active_layer(pemda_id)
    area_of_layer = layer_area(layer)
    for subject in maps:
        if only is not None and subject.application.pk not in only:
            continue
        AreaMap.objects.filter(permohonan_id=subject.application.pk).update(
            pemeriksaan=_findings(subject, maps, layer, area_of_layer)
        )


def _map_state(peta: AreaMap | None) -> dict[str, Any] | None:
    if peta is None:
        return None
    return {
        "nama_berkas": peta.nama_berkas,
        "format_berkas": peta.format_berkas,
        "luas_ha": str(peta.luas_ha),
    }


@transaction.atomic
def map_upload(*, actor: Any, application: Application, upload: UploadedFile) -> AreaMap:
    """Store `upload` as the managed-area map of `application`, replacing the previous one."""
    row = Application.objects.select_for_update().filter(pk=application.pk).select_related("jenis").first()
    if row is None:
        raise NotFoundError(_("Permohonan tidak ditemukan."))
    _require_may_upload(actor, row)
    name, data = _read_upload(upload, geometry.MAP_LIMITS)
    parsed = _parse(data, name, geometry.MAP_LIMITS)
    area = parsed.geometri
    luas = geometry.ha(geometry.area_ha(area))
    previous = AreaMap.objects.filter(permohonan_id=row.pk).first()
    before = _map_state(previous)
    stored = previous.pemeriksaan if previous is not None and isinstance(previous.pemeriksaan, dict) else {}
    before_codes = {str(o.get("kode_lacak")) for o in stored.get("tumpang_tindih", []) if isinstance(o, dict)}
    user = actor if getattr(actor, "is_authenticated", False) else None
    peta = previous or AreaMap(pemda_id=row.pemda_id, permohonan=row)
    peta.geometri = geometry.to_geojson(area)
    peta.luas_ha = luas
    peta.nama_berkas = name
    peta.format_berkas = parsed.format
    peta.diunggah_oleh = user
    peta.pemeriksaan = {}
    peta.save()
    findings = map_check(row)
    findings["catatan"] = list(parsed.catatan)
    peta.pemeriksaan = findings
    AreaMap.objects.filter(pk=peta.pk).update(pemeriksaan=findings)
    # The other side of every overlap, before and after, sees the new state too.
    touched = before_codes | {o["kode_lacak"] for o in findings.get("tumpang_tindih", [])}
    if touched:
        ids = set(
            Application.objects.filter(pemda_id=row.pemda_id, kode_lacak__in=touched).values_list(
                "pk", flat=True
            )
        )
        _refresh(row.pemda_id, only=ids)
    audit_record(
        actor=actor,
        action="map_upload",
        instance=row,
        pemda_id=row.pemda_id,
        before=before,
        after={
            **(_map_state(peta) or {}),
            "sha256": hashlib.sha256(data).hexdigest(),
            "ukuran": len(data),
            "jumlah_bagian": parsed.jumlah_bagian,
            "jumlah_titik": parsed.jumlah_titik,
            "tumpang_tindih": [o["kode_lacak"] for o in findings.get("tumpang_tindih", [])],
            "di_luar_kawasan_ha": findings.get("di_luar_kawasan_ha"),
        },
    )
    return peta


def _clean_name(nama: Any) -> str:
    text = " ".join(nama.split()) if isinstance(nama, str) else ""
    if not text:
        raise ApplicationError(
            _("Nama lapisan wajib diisi."),
            errors=[{"kolom": "nama", "pesan": _("Nama lapisan wajib diisi.")}],
        )
    if len(text) > MAX_NAMA_LAPISAN:
        raise ApplicationError(
            _("Nama lapisan paling panjang {n} karakter.").format(n=MAX_NAMA_LAPISAN),
            errors=[{"kolom": "nama", "pesan": _("Nama lapisan terlalu panjang.")}],
        )
    return text


@transaction.atomic
def forest_layer_upload(*, actor: Any, pemda: Pemda, nama: str, upload: UploadedFile) -> ForestLayer:
    """Store a forest-area layer for `pemda` (officer); the previous active layer is deactivated.

    Small flaws of large official layers (self-touching rings) are repaired (GEOS MakeValid) instead of
    refused; the number repaired is in the audit record.
    """
    name = _clean_name(nama)
    file_name, data = _read_upload(upload, geometry.LAYER_LIMITS)
    parsed = _parse(data, file_name, geometry.LAYER_LIMITS, perbaiki=True)
    previous = list(
        ForestLayer.objects.select_for_update().filter(pemda=pemda, aktif=True).values_list("pk", "nama")
    )
    ForestLayer.objects.filter(pk__in=[pk for pk, _nama in previous]).update(aktif=False)
    layer = ForestLayer.objects.create(
        pemda=pemda,
        nama=name,
        geometri=geometry.to_geojson(parsed.geometri),
        luas_ha=geometry.ha(geometry.area_ha(parsed.geometri)),
        aktif=True,
        diunggah_oleh=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        actor=actor,
        action="forest_layer_upload",
        instance=layer,
        pemda_id=pemda.pk,
        before={"aktif": [pk for pk, _nama in previous]} if previous else None,
        after={
            "nama": name,
            "nama_berkas": file_name,
            "format_berkas": parsed.format,
            "sha256": hashlib.sha256(data).hexdigest(),
            "luas_ha": str(layer.luas_ha),
            "jumlah_bagian": parsed.jumlah_bagian,
            "jumlah_titik": parsed.jumlah_titik,
            "catatan": list(parsed.catatan),
        },
    )
    _refresh(pemda.pk)
    return layer


@transaction.atomic
def forest_layer_deactivate(*, actor: Any, layer: ForestLayer) -> ForestLayer:
    """Stop using `layer` for checks (it stays listed); maps are re-checked without it."""
    row = ForestLayer.objects.select_for_update().filter(pk=layer.pk).first()
    if row is None:
        raise NotFoundError(_("Lapisan kawasan hutan tidak ditemukan."))
    if not row.aktif:
        raise ConflictError(_("Lapisan ini sudah tidak aktif."), code="sudah_nonaktif")
    ForestLayer.objects.filter(pk=row.pk).update(aktif=False)
    row.aktif = False
    audit_record(
        actor=actor,
        action="forest_layer_deactivate",
        instance=row,
        pemda_id=row.pemda_id,
        before={"aktif": True},
        after={"aktif": False},
    )
    _refresh(row.pemda_id)
    layer.aktif = False
    return row


def overlap_features(application: Application) -> dict[str, Any]:
    """A GeoJSON FeatureCollection for the map page: the application's map, the overlapping maps of other
    applications (tracking code only) with the shared parts, and the active forest layer near the map with
    the part of the map outside it. Labels are translated here; the page's script sets them as text."""
    features: list[dict[str, Any]] = []
    peta = AreaMap.objects.filter(permohonan_id=application.pk).first()
    area = geometry.from_geojson(peta.geometri) if peta is not None else None
    if area is None:
        return {"type": "FeatureCollection", "features": features}
    centre_label = _("Areal kelola {kode}: {luas} ha").format(
        kode=application.kode_lacak, luas=format_angka(geometry.ha(geometry.area_ha(area)), 2)
    )
    layer = active_layer(application.pemda_id)
    whole_layer = layer_area(layer)
    if layer is not None and whole_layer is not None:
        near = geometry.clip(whole_layer, area, margin=_margin(area))
        if not near.is_empty:
            features.append(_feature(near, "kawasan", _("Kawasan hutan: {nama}").format(nama=layer.nama)))
        rest = geometry.outside_part(area, whole_layer)
        rest_ha = geometry.area_ha(rest, pusat=None)
        if not rest.is_empty and rest_ha >= geometry.MIN_TUMPANG_TINDIH_HA:
            label = _("Di luar kawasan hutan: {luas} ha").format(luas=format_angka(geometry.ha(rest_ha), 2))
            features.append(_feature(rest, "di_luar_kawasan", label))
    subject = _Subject(application=application, area=area)
    maps = _active_maps(application.pemda_id)
    others = dict(_others(subject, maps))
    for overlap in geometry.overlaps(area, others.items()):
        other = others[overlap.kode_lacak]
        features.append(
            _feature(
                other, "lain", _("Permohonan lain {kode}").format(kode=overlap.kode_lacak), overlap.kode_lacak
            )
        )
        features.append(
            _feature(
                area.intersection(other),
                "tumpang_tindih",
                _("Tumpang tindih dengan {kode}: {luas} ha").format(
                    kode=overlap.kode_lacak, luas=format_angka(overlap.luas_ha, 2)
                ),
                overlap.kode_lacak,
            )
        )
    features.append(_feature(area, "permohonan", centre_label, application.kode_lacak))
    return {"type": "FeatureCollection", "features": features}


def _margin(area: geometry.Area) -> float:
    min_x, min_y, max_x, max_y = area.bounds
    return max(0.005, 0.5 * max(max_x - min_x, max_y - min_y))


def _feature(shape: Any, peran: str, label: str, kode_lacak: str = "") -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": geometry.to_geojson(geometry.polygonal(shape)),
        "properties": {"peran": peran, "label": label, "kode_lacak": kode_lacak},
    }
