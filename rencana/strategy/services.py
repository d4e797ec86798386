"""Writes of the strategic analysis: validated, one transaction, audited; stale edits refused.

The arithmetic lives in the pure modules (`swot`, `workshop`, `litmus`); this module checks the input
against them, writes, and records who did what. Permission checks belong to the caller
(`rencana.strategy.access`).
"""

import datetime
import hashlib
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from rencana.core.audit import audit_record, snapshot
from rencana.core.errors import ApplicationError, ConflictError, NotFoundError
from rencana.core.locking import save_versioned
from rencana.core.numbers import AngkaError, format_angka, parse_angka
from rencana.planning.models import Indicator, PlanDocument, PlanNode
from rencana.regions.models import Opd, Pemda
from rencana.strategy import litmus, swot, workshop
from rencana.strategy.models import (
    Aggregation,
    Analysis,
    AnalysisStatus,
    Factor,
    FactorKind,
    Participant,
    Round,
    StrategicIssue,
    Submission,
    TowsCell,
    TowsStrategy,
    WeightMethod,
)

MATRIX_OF = {"S": "IFAS", "W": "IFAS", "O": "EFAS", "T": "EFAS"}
# Which factor kinds a TOWS cell may combine.
CELL_KINDS = {"SO": {"S", "O"}, "WO": {"W", "O"}, "ST": {"S", "T"}, "WT": {"W", "T"}}
# Strategic nodes an issue may be linked to or turned into.
LINKABLE_KINDS = ("tujuan", "sasaran", "strategi")
PARENT_OF_NEW = {"tujuan": "misi", "sasaran": "tujuan", "strategi": "sasaran"}


def _invalid(message: str, errors: list[dict[str, str]]) -> ApplicationError:
    detail = "; ".join(e["pesan"] for e in errors)
    return ApplicationError(f"{message} {detail}".strip(), errors=errors)


def _clean_text(value: str) -> str:
    return " ".join((value or "").split())


def _parse_decimal(raw: Any) -> Decimal | None:
    """A typed number in Indonesian or plain notation; None when blank; AngkaError when unreadable."""
    if raw is None:
        return None
    if isinstance(raw, Decimal):
        return raw
    if isinstance(raw, int | float):
        return Decimal(str(raw))
    text = str(raw).strip()
    if not text:
        return None
    return parse_angka(text)


def _parse_rating(raw: Any) -> int | str | None:
    """An integer rating; None when blank; the raw text when it is not a whole number (reported later)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        return str(raw)
    if value != value.to_integral_value():
        return str(raw)
    return int(value)


def _refuse_closed(analysis: Analysis) -> None:
    if analysis.status == AnalysisStatus.CLOSED:
        raise ConflictError(
            _("Analisis ini sudah ditutup. Buka kembali analisis untuk mengubahnya."), code="analisis_ditutup"
        )


def _refuse_scoring(analysis: Analysis) -> None:
    if analysis.status == AnalysisStatus.SCORING:
        raise ConflictError(
            _(
                "Putaran penilaian sedang berjalan: faktor dan bobot tidak dapat diubah "
                "sampai putaran ditutup."
            ),
            code="penilaian_berjalan",
        )


# --- analyses --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnalysisInput:
    judul: str
    tanggal: datetime.date | None
    ruang_lingkup: str = ""
    fasilitator: str = ""
    opd: Opd | None = None
    metode_agregasi: str = Aggregation.MEDIAN
    metode_bobot: str = WeightMethod.RAW


def _check_analysis(pemda: Pemda, data: AnalysisInput) -> list[dict[str, str]]:
    errors: list[dict[str, str]] = []
    if not _clean_text(data.judul):
        errors.append({"kolom": "judul", "pesan": _("Judul analisis wajib diisi.")})
    if data.tanggal is None:
        errors.append({"kolom": "tanggal", "pesan": _("Tanggal wajib diisi.")})
    if data.opd is not None and data.opd.pemda_id != pemda.pk:
        errors.append({"kolom": "opd", "pesan": _("OPD bukan milik pemda ini.")})
    if data.metode_agregasi not in Aggregation.values:
        errors.append({"kolom": "metode_agregasi", "pesan": _("Cara agregasi tidak dikenal.")})
    if data.metode_bobot not in WeightMethod.values:
        errors.append({"kolom": "metode_bobot", "pesan": _("Cara pengisian bobot tidak dikenal.")})
    return errors


def default_litmus() -> dict[str, Any]:
    items = litmus.DEFAULT_ITEMS
    return {
        "items": [
            {
                "kode": i.kode,
                "pertanyaan": i.pertanyaan,
                "operasional": i.operasional,
                "strategis": i.strategis,
            }
            for i in items
        ],
        "bands": [[b.minimum, b.maximum, b.label] for b in litmus.default_bands(len(items))],
    }


def litmus_config(analysis: Analysis) -> tuple[list[litmus.LitmusItem], list[litmus.Band]]:
    config = analysis.litmus or default_litmus()
    items = [
        litmus.LitmusItem(
            kode=i["kode"],
            pertanyaan=i["pertanyaan"],
            operasional=i.get("operasional", ""),
            strategis=i.get("strategis", ""),
        )
        for i in config.get("items", [])
    ]
    bands = [litmus.Band(int(b[0]), int(b[1]), str(b[2])) for b in config.get("bands", [])]
    return items, bands


@transaction.atomic
def analysis_create(*, actor: Any, pemda: Pemda, data: AnalysisInput) -> Analysis:
    errors = _check_analysis(pemda, data)
    if errors:
        raise _invalid(_("Analisis belum benar:"), errors)
    assert data.tanggal is not None  # checked above
    analysis = Analysis.objects.create(
        pemda=pemda,
        opd=data.opd,
        judul=_clean_text(data.judul),
        tanggal=data.tanggal,
        ruang_lingkup=data.ruang_lingkup.strip(),
        fasilitator=_clean_text(data.fasilitator),
        metode_agregasi=data.metode_agregasi,
        metode_bobot=data.metode_bobot,
        litmus=default_litmus(),
        dibuat_oleh=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        actor=actor,
        action="create",
        instance=analysis,
        pemda_id=pemda.pk,
        after=snapshot(analysis, Analysis.AUDITED_FIELDS),
    )
    return analysis


@transaction.atomic
def analysis_update(
    *, actor: Any, analysis: Analysis, expected_version: int, data: AnalysisInput
) -> Analysis:
    errors = _check_analysis(analysis.pemda, data)
    if errors:
        raise _invalid(_("Analisis belum benar:"), errors)
    before = snapshot(analysis, Analysis.AUDITED_FIELDS)
    analysis.judul = _clean_text(data.judul)
    analysis.tanggal = data.tanggal  # type: ignore[assignment]
    analysis.ruang_lingkup = data.ruang_lingkup.strip()
    analysis.fasilitator = _clean_text(data.fasilitator)
    analysis.opd = data.opd
    analysis.metode_agregasi = data.metode_agregasi
    analysis.metode_bobot = data.metode_bobot
    after = snapshot(analysis, Analysis.AUDITED_FIELDS)
    if after == before:
        return analysis
    save_versioned(
        analysis,
        expected_version=expected_version,
        fields=("judul", "tanggal", "ruang_lingkup", "fasilitator", "opd", "metode_agregasi", "metode_bobot"),
    )
    audit_record(
        actor=actor,
        action="update",
        instance=analysis,
        pemda_id=analysis.pemda_id,
        before=before,
        after=after,
    )
    return analysis


@transaction.atomic
def analysis_reopen(*, actor: Any, analysis: Analysis, expected_version: int) -> Analysis:
    if analysis.status != AnalysisStatus.CLOSED:
        raise ConflictError(_("Hanya analisis yang sudah ditutup yang dapat dibuka kembali."), code="status")
    before = snapshot(analysis, ("status",))
    analysis.status = AnalysisStatus.OPEN
    save_versioned(analysis, expected_version=expected_version, fields=("status",))
    audit_record(
        actor=actor,
        action="reopen",
        instance=analysis,
        pemda_id=analysis.pemda_id,
        before=before,
        after={"status": analysis.status},
    )
    return analysis


@transaction.atomic
def litmus_set(
    *,
    actor: Any,
    analysis: Analysis,
    expected_version: int,
    items: Sequence[litmus.LitmusItem],
    bands: Sequence[litmus.Band],
) -> Analysis:
    problems = litmus.validate_config(items, bands)
    if problems:
        raise _invalid(_("Uji litmus belum benar:"), [{"kolom": "litmus", "pesan": p} for p in problems])
    before = snapshot(analysis, ("litmus",))
    analysis.litmus = {
        "items": [
            {
                "kode": i.kode,
                "pertanyaan": i.pertanyaan,
                "operasional": i.operasional,
                "strategis": i.strategis,
            }
            for i in items
        ],
        "bands": [[b.minimum, b.maximum, b.label] for b in bands],
    }
    save_versioned(analysis, expected_version=expected_version, fields=("litmus",))
    audit_record(
        actor=actor,
        action="update",
        instance=analysis,
        pemda_id=analysis.pemda_id,
        before=before,
        after={"litmus": analysis.litmus},
    )
    return analysis


# --- factors ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FactorInput:
    jenis: str
    faktor: str
    kode: str = ""
    penjelasan: str = ""
    bukti: str = ""
    indikator_ids: tuple[int, ...] = ()


def _next_kode(analysis: Analysis, jenis: str) -> str:
    taken = set(Factor.objects.filter(analisis=analysis).values_list("kode", flat=True))
    n = 1
    while f"{jenis}{n}" in taken:
        n += 1
    return f"{jenis}{n}"


def _check_factor(
    analysis: Analysis, data: FactorInput, *, exclude_id: int | None = None
) -> tuple[str, list[Indicator], list[dict[str, str]]]:
    errors: list[dict[str, str]] = []
    if data.jenis not in FactorKind.values:
        errors.append({"kolom": "jenis", "pesan": _("Jenis faktor harus S, W, O atau T.")})
    if not _clean_text(data.faktor):
        errors.append({"kolom": "faktor", "pesan": _("Pernyataan faktor wajib diisi.")})
    kode = _clean_text(data.kode).upper() or (
        _next_kode(analysis, data.jenis) if data.jenis in FactorKind.values else ""
    )
    if len(kode) > 10:
        errors.append({"kolom": "kode", "pesan": _("Kode paling panjang 10 karakter.")})
    elif kode and Factor.objects.filter(analisis=analysis, kode=kode).exclude(pk=exclude_id or 0).exists():
        errors.append(
            {"kolom": "kode", "pesan": _("Kode {kode} sudah dipakai faktor lain.").format(kode=kode)}
        )
    indicators = list(Indicator.objects.filter(pk__in=data.indikator_ids, pemda_id=analysis.pemda_id))
    if len(indicators) != len(set(data.indikator_ids)):
        errors.append({"kolom": "indikator", "pesan": _("Indikator bukti harus milik pemda ini.")})
    return kode, indicators, errors


def _factor_state(factor: Factor) -> dict[str, Any]:
    state = snapshot(factor, Factor.AUDITED_FIELDS)
    state["indikator"] = sorted(factor.indikator.values_list("pk", flat=True))
    return state


@transaction.atomic
def factor_create(*, actor: Any, analysis: Analysis, data: FactorInput) -> Factor:
    _refuse_closed(analysis)
    _refuse_scoring(analysis)
    kode, indicators, errors = _check_factor(analysis, data)
    if errors:
        raise _invalid(_("Faktor belum benar:"), errors)
    last = Factor.objects.filter(analisis=analysis, jenis=data.jenis).aggregate(m=Max("urutan"))["m"] or 0
    factor = Factor.objects.create(
        pemda_id=analysis.pemda_id,
        analisis=analysis,
        jenis=data.jenis,
        kode=kode,
        faktor=_clean_text(data.faktor),
        penjelasan=data.penjelasan.strip(),
        bukti=data.bukti.strip(),
        urutan=last + 1,
    )
    factor.indikator.set(indicators)
    audit_record(
        actor=actor, action="create", instance=factor, pemda_id=analysis.pemda_id, after=_factor_state(factor)
    )
    return factor


@transaction.atomic
def factor_update(*, actor: Any, factor: Factor, expected_version: int, data: FactorInput) -> Factor:
    analysis = factor.analisis
    _refuse_closed(analysis)
    _refuse_scoring(analysis)
    kode, indicators, errors = _check_factor(analysis, data, exclude_id=factor.pk)
    if errors:
        raise _invalid(_("Faktor belum benar:"), errors)
    before = _factor_state(factor)
    factor.jenis = data.jenis
    factor.kode = kode
    factor.faktor = _clean_text(data.faktor)
    factor.penjelasan = data.penjelasan.strip()
    factor.bukti = data.bukti.strip()
    save_versioned(
        factor, expected_version=expected_version, fields=("jenis", "kode", "faktor", "penjelasan", "bukti")
    )
    factor.indikator.set(indicators)
    after = _factor_state(factor)
    if after != before:
        audit_record(
            actor=actor,
            action="update",
            instance=factor,
            pemda_id=factor.pemda_id,
            before=before,
            after=after,
        )
    return factor


@transaction.atomic
def factor_delete(*, actor: Any, factor: Factor, expected_version: int) -> None:
    _refuse_closed(factor.analisis)
    _refuse_scoring(factor.analisis)
    if factor.version != expected_version:
        raise ConflictError(
            _("Faktor ini telah diubah oleh pengguna lain sejak Anda membukanya. Muat ulang halaman."),
            code="versi_usang",
        )
    before = _factor_state(factor)
    pemda_id = factor.pemda_id
    audit_record(actor=actor, action="delete", instance=factor, pemda_id=pemda_id, before=before)
    factor.delete()


def factors_of(analysis: Analysis) -> list[Factor]:
    return list(Factor.objects.filter(analisis=analysis).order_by("jenis", "urutan", "id"))


def pure_factors(factors: Iterable[Factor]) -> list[swot.Factor]:
    """The stored final matrix as input of `swot.compute` (factors without a score are left out)."""
    return [
        swot.Factor(jenis=f.jenis, kode=f.kode, faktor=f.faktor, bobot=f.bobot, rating=f.rating)
        for f in factors
        if f.bobot is not None and f.rating is not None
    ]


# --- the final matrix entered directly --------------------------------------------------------


@dataclass(frozen=True)
class MatrixEntry:
    bobot: str
    rating: str


def normalize_entries(factors: Sequence[Factor], raw: Mapping[str, str]) -> workshop.Normalization | None:
    """Raw importance numbers per factor kode -> weights per matrix (None when unreadable)."""
    values: dict[str, Decimal] = {}
    for f in factors:
        try:
            number = _parse_decimal(raw.get(f.kode, ""))
        except AngkaError:
            return None
        if number is None:
            return None
        values[f.kode] = number
    return None if not values else _normalize_by_matrix(factors, values)


def _normalize_by_matrix(factors: Sequence[Factor], values: Mapping[str, Decimal]) -> workshop.Normalization:
    weights: dict[str, Decimal] = {}
    steps: list[str] = []
    total = Decimal(0)
    for matrix in ("IFAS", "EFAS"):
        part = {f.kode: values[f.kode] for f in factors if MATRIX_OF[f.jenis] == matrix and f.kode in values}
        if not part:
            continue
        result = workshop.normalize_raw(part)
        weights.update(result.weights)
        steps.append(f"{matrix}:")
        steps.extend(result.steps)
        total += result.total_raw
    return workshop.Normalization(weights=weights, total_raw=total, steps=steps)


@transaction.atomic
def matrix_set(
    *,
    actor: Any,
    analysis: Analysis,
    expected_version: int,
    entries: Mapping[str, MatrixEntry],
    normalize: bool = False,
) -> tuple[Analysis, list[str]]:
    """Set every factor's final weight and rating at once; all or nothing.

    `entries` maps factor kode -> typed weight and rating. With `normalize`, the weights are raw
    importance numbers divided by their matrix's sum (the explanation is returned and recorded).
    """
    _refuse_closed(analysis)
    _refuse_scoring(analysis)
    factors = factors_of(analysis)
    errors: list[dict[str, str]] = []
    known = {f.kode for f in factors}
    for kode in sorted(set(entries) - known):
        errors.append(
            {"kolom": kode, "pesan": _("Faktor {kode} tidak ada pada analisis ini.").format(kode=kode)}
        )
    weights: dict[str, Decimal | None] = {}
    ratings: dict[str, Any] = {}
    for f in factors:
        entry = entries.get(f.kode, MatrixEntry("", ""))
        try:
            weights[f.kode] = _parse_decimal(entry.bobot)
        except AngkaError as exc:
            errors.append(
                {
                    "kolom": f"{f.kode}.bobot",
                    "pesan": _("Faktor {kode}: bobot {pesan}").format(kode=f.kode, pesan=exc.message),
                }
            )
            weights[f.kode] = None
        ratings[f.kode] = _parse_rating(entry.rating)
    steps: list[str] = []
    if normalize and not errors:
        present = {k: v for k, v in weights.items() if v is not None}
        if len(present) == len(factors):
            try:
                norm = _normalize_by_matrix(factors, present)
            except ValueError as exc:
                errors.append({"kolom": "bobot", "pesan": str(getattr(exc, "message", exc))})
            else:
                weights = dict(norm.weights)
                steps = norm.steps
    pure = []
    for f in factors:
        rating = ratings[f.kode]
        pure.append(
            swot.Factor(jenis=f.jenis, kode=f.kode, faktor=f.faktor, bobot=weights[f.kode], rating=rating)
        )
    problems = swot.validate(pure)
    errors.extend({"kolom": p.kode, "pesan": p.pesan} for p in problems)
    if errors:
        raise _invalid(_("Matriks tidak disimpan:"), errors)
    before = {f.kode: [format_angka(f.bobot, 4) if f.bobot is not None else None, f.rating] for f in factors}
    for f in factors:
        f.bobot = weights[f.kode]
        f.rating = ratings[f.kode]
        f.version += 1
    Factor.objects.bulk_update(factors, ["bobot", "rating", "version"])
    who = getattr(actor, "username", "") or _("sistem")
    analysis.catatan_matriks = [
        _("Matriks diisi langsung oleh {who} pada {when}.").format(
            who=who, when=timezone.localtime().strftime("%d-%m-%Y %H:%M")
        ),
        *steps,
    ]
    save_versioned(analysis, expected_version=expected_version, fields=("catatan_matriks",))
    after = {f.kode: [format_angka(f.bobot, 4) if f.bobot is not None else None, f.rating] for f in factors}
    audit_record(
        actor=actor,
        action="matrix_set",
        instance=analysis,
        pemda_id=analysis.pemda_id,
        before={"matriks": before},
        after={"matriks": after},
    )
    return analysis, steps


def matrix_result(factors: Sequence[Factor]) -> tuple[swot.SwotResult | None, list[swot.Problem]]:
    """The IFAS/EFAS result of the stored matrix, or the problems that keep it from being computed."""
    pure = [
        swot.Factor(jenis=f.jenis, kode=f.kode, faktor=f.faktor, bobot=f.bobot, rating=f.rating)
        for f in factors
    ]
    problems = swot.validate(pure)
    if problems:
        return None, problems
    return swot.compute(pure), []


# --- workshop ----------------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def participant_add(
    *, actor: Any, analysis: Analysis, nama: str, instansi: str = "", user: Any = None
) -> tuple[Participant, str]:
    """Add a participant; returns it and the one-time link secret ("" for a participant with a user)."""
    _refuse_closed(analysis)
    nama = _clean_text(nama) or (
        getattr(user, "get_full_name", lambda: "")() or getattr(user, "username", "")
    )
    if not nama:
        raise _invalid(
            _("Peserta belum benar:"), [{"kolom": "nama", "pesan": _("Nama peserta wajib diisi.")}]
        )
    if user is not None and Participant.objects.filter(analisis=analysis, user=user).exists():
        raise _invalid(
            _("Peserta belum benar:"), [{"kolom": "user", "pesan": _("Pengguna ini sudah menjadi peserta.")}]
        )
    token = "" if user is not None else secrets.token_urlsafe(24)
    participant = Participant.objects.create(
        pemda_id=analysis.pemda_id,
        analisis=analysis,
        nama=nama[:150],
        instansi=_clean_text(instansi)[:200],
        user=user,
        token_hash=_token_hash(token) if token else "",
    )
    audit_record(
        actor=actor,
        action="create",
        instance=participant,
        pemda_id=analysis.pemda_id,
        after={"nama": participant.nama, "instansi": participant.instansi, "user": getattr(user, "pk", None)},
    )
    return participant, token


@transaction.atomic
def participant_new_link(*, actor: Any, participant: Participant) -> str:
    """A fresh one-time link for a participant (the old one stops working)."""
    _refuse_closed(participant.analisis)
    token = secrets.token_urlsafe(24)
    participant.token_hash = _token_hash(token)
    participant.token_dipakai = None
    participant.save(update_fields=["token_hash", "token_dipakai"])
    audit_record(actor=actor, action="new_link", instance=participant, pemda_id=participant.pemda_id)
    return token


@transaction.atomic
def participant_claim(token: str) -> Participant:
    """Use a one-time link: it works once; the browser that used it keeps the participant in its session."""
    if not token or len(token) > 100:
        raise NotFoundError(_("Tautan peserta tidak dikenal."))
    participant = (
        Participant.objects.select_for_update()
        .select_related("analisis")
        .filter(token_hash=_token_hash(token))
        .first()
    )
    if participant is None:
        raise NotFoundError(_("Tautan peserta tidak dikenal."))
    if participant.token_dipakai is not None:
        raise ConflictError(
            _("Tautan ini sudah dipakai pada {when}. Minta tautan baru kepada fasilitator.").format(
                when=timezone.localtime(participant.token_dipakai).strftime("%d-%m-%Y %H:%M")
            ),
            code="tautan_terpakai",
        )
    participant.token_dipakai = timezone.now()
    participant.save(update_fields=["token_dipakai"])
    audit_record(actor=None, action="claim_link", instance=participant, pemda_id=participant.pemda_id)
    return participant


def open_round(analysis: Analysis) -> Round | None:
    return Round.objects.filter(analisis=analysis, ditutup__isnull=True).order_by("-nomor").first()


@transaction.atomic
def round_open(*, actor: Any, analysis: Analysis, expected_version: int) -> Round:
    _refuse_closed(analysis)
    if open_round(analysis) is not None:
        raise ConflictError(_("Masih ada putaran yang terbuka."), code="putaran_terbuka")
    factors = factors_of(analysis)
    errors = []
    if not any(f.jenis in ("S", "W") for f in factors) or not any(f.jenis in ("O", "T") for f in factors):
        errors.append(
            {"kolom": "faktor", "pesan": _("Tulis dulu faktor internal (S/W) dan eksternal (O/T).")}
        )
    if not Participant.objects.filter(analisis=analysis).exists():
        errors.append({"kolom": "peserta", "pesan": _("Tambahkan dulu peserta lokakarya.")})
    if analysis.metode_bobot == WeightMethod.PAIRWISE:
        most = max(workshop.RANDOM_INDEX)
        for matrix in ("IFAS", "EFAS"):
            n = sum(1 for f in factors if MATRIX_OF[f.jenis] == matrix)
            if n > most:
                errors.append(
                    {
                        "kolom": "metode_bobot",
                        "pesan": _(
                            "{matrix} berisi {n} faktor; perbandingan berpasangan paling banyak "
                            "{most} faktor "
                            "per matriks. Pakai angka kepentingan langsung atau kurangi faktornya."
                        ).format(matrix=matrix, n=n, most=most),
                    }
                )
    if errors:
        raise _invalid(_("Putaran belum dapat dibuka:"), errors)
    nomor = (Round.objects.filter(analisis=analysis).aggregate(m=Max("nomor"))["m"] or 0) + 1
    rnd = Round.objects.create(pemda_id=analysis.pemda_id, analisis=analysis, nomor=nomor)
    before = {"status": analysis.status}
    analysis.status = AnalysisStatus.SCORING
    save_versioned(analysis, expected_version=expected_version, fields=("status",))
    audit_record(
        actor=actor,
        action="round_open",
        instance=analysis,
        pemda_id=analysis.pemda_id,
        before=before,
        after={"status": analysis.status, "putaran": nomor},
    )
    return rnd


@dataclass(frozen=True)
class ScoreInput:
    """One participant's form: per factor kode a raw importance and a rating; pairwise judgements
    keyed "A|B" (A is so many times as important as B) for the pairwise method."""

    mentah: Mapping[str, str]
    rating: Mapping[str, str]
    berpasangan: Mapping[str, str]


def _participant_weights(
    analysis: Analysis, factors: Sequence[Factor], data: ScoreInput, errors: list[dict[str, str]]
) -> tuple[dict[str, Decimal], dict[str, str], list[str]]:
    """Weights per factor, normalized within each matrix, and the explanation."""
    weights: dict[str, Decimal] = {}
    raw_text: dict[str, str] = {}
    steps: list[str] = []
    for matrix in ("IFAS", "EFAS"):
        group = [f for f in factors if MATRIX_OF[f.jenis] == matrix]
        if not group:
            continue
        if analysis.metode_bobot == WeightMethod.PAIRWISE and len(group) > 1:
            judgements: dict[tuple[str, str], Decimal] = {}
            bad = False
            for i, a in enumerate(group):
                for b in group[i + 1 :]:
                    key = f"{a.kode}|{b.kode}"
                    text = (data.berpasangan.get(key) or "").strip()
                    try:
                        value = _parse_pairwise(text)
                    except ValueError:
                        errors.append(
                            {
                                "kolom": key,
                                "pesan": _("Perbandingan {a} dengan {b}: pilih nilai 1/9 sampai 9.").format(
                                    a=a.kode, b=b.kode
                                ),
                            }
                        )
                        bad = True
                        continue
                    judgements[(a.kode, b.kode)] = value
                    raw_text[key] = text
            if bad:
                continue
            try:
                result = workshop.pairwise_weights([f.kode for f in group], judgements)
            except workshop.WorkshopInputError as exc:
                errors.append({"kolom": matrix, "pesan": exc.message})
                continue
            weights.update(result.weights)
            steps.append(f"{matrix}:")
            steps.extend(result.steps)
            if not result.consistent:
                steps.append(
                    _(
                        "Rasio konsistensi {cr} di atas 0,10: penilaian berpasangan sebaiknya ditinjau."
                    ).format(
                        cr=format_angka(Decimal(str(result.consistency_ratio)).quantize(Decimal("0.01")), 2)
                    )
                )
        else:
            values: dict[str, Decimal] = {}
            for f in group:
                text = (data.mentah.get(f.kode) or "").strip()
                try:
                    number = _parse_decimal(text)
                except AngkaError as exc:
                    errors.append(
                        {
                            "kolom": f"{f.kode}.bobot",
                            "pesan": _("Faktor {kode}: bobot {pesan}").format(kode=f.kode, pesan=exc.message),
                        }
                    )
                    continue
                if number is None:
                    errors.append(
                        {
                            "kolom": f"{f.kode}.bobot",
                            "pesan": _("Faktor {kode}: angka kepentingan wajib diisi.").format(kode=f.kode),
                        }
                    )
                    continue
                if number < 0:
                    errors.append(
                        {
                            "kolom": f"{f.kode}.bobot",
                            "pesan": _("Faktor {kode}: angka kepentingan tidak boleh negatif.").format(
                                kode=f.kode
                            ),
                        }
                    )
                    continue
                values[f.kode] = number
                raw_text[f.kode] = text
            if len(values) != len(group):
                continue
            try:
                result_raw = workshop.normalize_raw(values)
            except ValueError as exc:
                errors.append({"kolom": matrix, "pesan": str(getattr(exc, "message", exc))})
                continue
            weights.update(result_raw.weights)
            steps.append(f"{matrix}:")
            steps.extend(result_raw.steps)
    return weights, raw_text, steps


def _parse_pairwise(text: str) -> Decimal:
    if not text:
        raise ValueError("empty")
    if "/" in text:
        num, _sep, den = text.partition("/")
        value = Decimal(num.strip()) / Decimal(den.strip())
    else:
        value = Decimal(text.replace(",", "."))
    if not (Decimal(1) / 9 - Decimal("0.0001") <= value <= 9):
        raise ValueError("range")
    return value


@transaction.atomic
def submission_save(
    *, participant: Participant, rnd: Round, data: ScoreInput, expected_version: int | None
) -> tuple[Submission, list[str]]:
    """Save a participant's complete answers for the open round (all factors, or nothing)."""
    if not rnd.is_open:
        raise ConflictError(
            _("Putaran ini sudah ditutup; jawaban tidak dapat diubah."), code="putaran_ditutup"
        )
    analysis = rnd.analisis
    factors = factors_of(analysis)
    errors: list[dict[str, str]] = []
    weights, raw_text, steps = _participant_weights(analysis, factors, data, errors)
    ratings: dict[str, int] = {}
    for f in factors:
        rating = _parse_rating(data.rating.get(f.kode))
        if not isinstance(rating, int) or not 1 <= rating <= 4:
            errors.append(
                {
                    "kolom": f"{f.kode}.rating",
                    "pesan": _("Faktor {kode}: rating harus bilangan bulat 1–4.").format(kode=f.kode),
                }
            )
            continue
        ratings[f.kode] = rating
    if errors:
        raise _invalid(_("Jawaban belum disimpan:"), errors)
    skor = {
        f.kode: {"mentah": raw_text.get(f.kode, ""), "bobot": str(weights[f.kode]), "rating": ratings[f.kode]}
        for f in factors
    }
    pairs = {k: v for k, v in raw_text.items() if "|" in k}
    submission = Submission.objects.filter(putaran=rnd, peserta=participant).first()
    if submission is None:
        submission = Submission.objects.create(
            pemda_id=rnd.pemda_id,
            putaran=rnd,
            peserta=participant,
            skor=skor,
            berpasangan=pairs,
            selesai=True,
        )
        audit_record(
            actor=participant.user or participant.nama,
            action="create",
            instance=submission,
            pemda_id=rnd.pemda_id,
            after={"skor": skor, "berpasangan": pairs},
        )
    else:
        before = snapshot(submission, Submission.AUDITED_FIELDS)
        submission.skor = skor
        submission.berpasangan = pairs
        submission.selesai = True
        save_versioned(
            submission,
            expected_version=expected_version if expected_version is not None else -1,
            fields=("skor", "berpasangan", "selesai"),
        )
        audit_record(
            actor=participant.user or participant.nama,
            action="update",
            instance=submission,
            pemda_id=rnd.pemda_id,
            before=before,
            after=snapshot(submission, Submission.AUDITED_FIELDS),
        )
    return submission, steps


def round_submissions(rnd: Round) -> list[Submission]:
    return list(
        Submission.objects.filter(putaran=rnd, selesai=True).select_related("peserta").order_by("peserta_id")
    )


def aggregate_round(analysis: Analysis, rnd: Round, method: str | None = None) -> workshop.FinalMatrix | None:
    submissions = round_submissions(rnd)
    if not submissions:
        return None
    factors = factors_of(analysis)
    scores = []
    for s in submissions:
        per: dict[str, tuple[Decimal, int]] = {}
        for f in factors:
            entry = s.skor.get(f.kode)
            if entry:
                per[f.kode] = (Decimal(entry["bobot"]), int(entry["rating"]))
        scores.append(per)
    return workshop.final_scores(
        scores, {f.kode: f.jenis for f in factors}, method=method or analysis.metode_agregasi
    )


@transaction.atomic
def round_close(
    *, actor: Any, analysis: Analysis, expected_version: int, method: str, ringkasan: str = ""
) -> Round:
    rnd = open_round(analysis)
    if rnd is None:
        raise ConflictError(_("Tidak ada putaran yang terbuka."), code="tanpa_putaran")
    if method not in Aggregation.values:
        raise _invalid(
            _("Putaran belum dapat ditutup:"),
            [{"kolom": "metode", "pesan": _("Cara agregasi tidak dikenal.")}],
        )
    final = aggregate_round(analysis, rnd, method)
    if final is None:
        raise _invalid(
            _("Putaran belum dapat ditutup:"),
            [{"kolom": "jawaban", "pesan": _("Belum ada peserta yang menyimpan jawaban.")}],
        )
    factors = factors_of(analysis)
    missing = [f.kode for f in factors if f.kode not in final.weights or f.kode not in final.ratings]
    if missing:
        raise _invalid(
            _("Putaran belum dapat ditutup:"),
            [
                {
                    "kolom": "jawaban",
                    "pesan": _("Faktor tanpa penilaian: {kode}.").format(kode=", ".join(missing)),
                }
            ],
        )
    pure = [
        swot.Factor(
            jenis=f.jenis,
            kode=f.kode,
            faktor=f.faktor,
            bobot=final.weights[f.kode],
            rating=final.ratings[f.kode],
        )
        for f in factors
    ]
    problems = swot.validate(pure)
    if problems:
        raise _invalid(
            _("Putaran belum dapat ditutup:"), [{"kolom": p.kode, "pesan": p.pesan} for p in problems]
        )
    before = {f.kode: [str(f.bobot) if f.bobot is not None else None, f.rating] for f in factors}
    for f in factors:
        f.bobot = final.weights[f.kode]
        f.rating = final.ratings[f.kode]
        f.version += 1
    Factor.objects.bulk_update(factors, ["bobot", "rating", "version"])
    who = getattr(actor, "username", "") or _("sistem")
    notes = [*final.notes]
    if ringkasan.strip():
        notes.append(_("Ringkasan diskusi: {teks}").format(teks=" ".join(ringkasan.split())))
    notes.append(
        _("Putaran {n} ditutup oleh {who} pada {when}.").format(
            n=rnd.nomor, who=who, when=timezone.localtime().strftime("%d-%m-%Y %H:%M")
        )
    )
    rnd.ditutup = timezone.now()
    rnd.ditutup_oleh = actor if getattr(actor, "is_authenticated", False) else None
    rnd.metode_agregasi = method
    rnd.catatan = notes
    rnd.ringkasan_diskusi = ringkasan.strip()
    rnd.save(update_fields=["ditutup", "ditutup_oleh", "metode_agregasi", "catatan", "ringkasan_diskusi"])
    analysis.status = AnalysisStatus.CLOSED
    analysis.catatan_matriks = notes
    analysis.metode_agregasi = method
    save_versioned(
        analysis, expected_version=expected_version, fields=("status", "catatan_matriks", "metode_agregasi")
    )
    after = {f.kode: [str(f.bobot), f.rating] for f in factors}
    audit_record(
        actor=actor,
        action="round_close",
        instance=analysis,
        pemda_id=analysis.pemda_id,
        before={"matriks": before},
        after={"matriks": after, "putaran": rnd.nomor, "metode": method},
    )
    return rnd


# --- TOWS --------------------------------------------------------------------------------------


def _check_tows(
    analysis: Analysis, sel: str, teks: str, factor_ids: Iterable[int]
) -> tuple[list[Factor], list[dict[str, str]]]:
    errors: list[dict[str, str]] = []
    if sel not in TowsCell.values:
        errors.append({"kolom": "sel", "pesan": _("Sel TOWS harus SO, WO, ST atau WT.")})
    if not teks.strip():
        errors.append({"kolom": "teks", "pesan": _("Rumusan strategi wajib diisi.")})
    ids = set(factor_ids)
    factors = list(Factor.objects.filter(analisis=analysis, pk__in=ids))
    if len(factors) != len(ids):
        errors.append({"kolom": "faktor", "pesan": _("Faktor yang dipilih bukan milik analisis ini.")})
    if not factors:
        errors.append({"kolom": "faktor", "pesan": _("Sebutkan faktor yang dipadukan strategi ini.")})
    elif sel in CELL_KINDS:
        wrong = [f.kode for f in factors if f.jenis not in CELL_KINDS[sel]]
        if wrong:
            errors.append(
                {
                    "kolom": "faktor",
                    "pesan": _("Strategi {sel} hanya memadukan faktor {jenis}; bukan {kode}.").format(
                        sel=sel, jenis=" dan ".join(sorted(CELL_KINDS[sel])), kode=", ".join(wrong)
                    ),
                }
            )
    return factors, errors


def _tows_state(strategy: TowsStrategy) -> dict[str, Any]:
    state = snapshot(strategy, TowsStrategy.AUDITED_FIELDS)
    state["faktor"] = sorted(strategy.faktor.values_list("kode", flat=True))
    return state


@transaction.atomic
def tows_create(
    *, actor: Any, analysis: Analysis, sel: str, teks: str, factor_ids: Iterable[int], terpilih: bool = False
) -> TowsStrategy:
    factors, errors = _check_tows(analysis, sel, teks, factor_ids)
    if errors:
        raise _invalid(_("Strategi belum benar:"), errors)
    last = TowsStrategy.objects.filter(analisis=analysis, sel=sel).aggregate(m=Max("urutan"))["m"] or 0
    strategy = TowsStrategy.objects.create(
        pemda_id=analysis.pemda_id,
        analisis=analysis,
        sel=sel,
        teks=teks.strip(),
        terpilih=terpilih,
        urutan=last + 1,
    )
    strategy.faktor.set(factors)
    audit_record(
        actor=actor,
        action="create",
        instance=strategy,
        pemda_id=analysis.pemda_id,
        after=_tows_state(strategy),
    )
    return strategy


@transaction.atomic
def tows_update(
    *,
    actor: Any,
    strategy: TowsStrategy,
    expected_version: int,
    sel: str,
    teks: str,
    factor_ids: Iterable[int],
    terpilih: bool,
) -> TowsStrategy:
    factors, errors = _check_tows(strategy.analisis, sel, teks, factor_ids)
    if errors:
        raise _invalid(_("Strategi belum benar:"), errors)
    before = _tows_state(strategy)
    strategy.sel = sel
    strategy.teks = teks.strip()
    strategy.terpilih = terpilih
    save_versioned(strategy, expected_version=expected_version, fields=("sel", "teks", "terpilih"))
    strategy.faktor.set(factors)
    after = _tows_state(strategy)
    if after != before:
        audit_record(
            actor=actor,
            action="update",
            instance=strategy,
            pemda_id=strategy.pemda_id,
            before=before,
            after=after,
        )
    return strategy


@transaction.atomic
def tows_delete(*, actor: Any, strategy: TowsStrategy, expected_version: int) -> None:
    if strategy.version != expected_version:
        raise ConflictError(
            _("Strategi ini telah diubah oleh pengguna lain. Muat ulang halaman."), code="versi_usang"
        )
    audit_record(
        actor=actor,
        action="delete",
        instance=strategy,
        pemda_id=strategy.pemda_id,
        before=_tows_state(strategy),
    )
    strategy.delete()


# --- strategic issues --------------------------------------------------------------------------


def _issue_state(issue: StrategicIssue) -> dict[str, Any]:
    state = snapshot(issue, StrategicIssue.AUDITED_FIELDS)
    state["simpul"] = sorted(issue.simpul.values_list("pk", flat=True))
    return state


def _check_issue(
    analysis: Analysis, pertanyaan: str, strategi_id: int | None
) -> tuple[TowsStrategy | None, list[dict[str, str]]]:
    errors: list[dict[str, str]] = []
    text = pertanyaan.strip()
    if not text:
        errors.append({"kolom": "pertanyaan", "pesan": _("Rumusan isu strategis wajib diisi.")})
    elif not text.endswith("?"):
        errors.append(
            {
                "kolom": "pertanyaan",
                "pesan": _("Rumuskan isu strategis sebagai pertanyaan (diakhiri tanda tanya)."),
            }
        )
    strategy = None
    if strategi_id:
        strategy = TowsStrategy.objects.filter(analisis=analysis, pk=strategi_id).first()
        if strategy is None:
            errors.append({"kolom": "strategi", "pesan": _("Strategi TOWS bukan milik analisis ini.")})
    return strategy, errors


@transaction.atomic
def issue_create(
    *,
    actor: Any,
    analysis: Analysis,
    pertanyaan: str,
    kaitan_visi_misi: str = "",
    strategi_id: int | None = None,
) -> StrategicIssue:
    strategy, errors = _check_issue(analysis, pertanyaan, strategi_id)
    if errors:
        raise _invalid(_("Isu strategis belum benar:"), errors)
    last = StrategicIssue.objects.filter(analisis=analysis).aggregate(m=Max("urutan"))["m"] or 0
    issue = StrategicIssue.objects.create(
        pemda_id=analysis.pemda_id,
        analisis=analysis,
        pertanyaan=pertanyaan.strip(),
        kaitan_visi_misi=kaitan_visi_misi.strip(),
        strategi=strategy,
        urutan=last + 1,
    )
    audit_record(
        actor=actor, action="create", instance=issue, pemda_id=analysis.pemda_id, after=_issue_state(issue)
    )
    return issue


@transaction.atomic
def issue_update(
    *,
    actor: Any,
    issue: StrategicIssue,
    expected_version: int,
    pertanyaan: str,
    kaitan_visi_misi: str,
    strategi_id: int | None,
    terpilih: bool,
) -> StrategicIssue:
    strategy, errors = _check_issue(issue.analisis, pertanyaan, strategi_id)
    if errors:
        raise _invalid(_("Isu strategis belum benar:"), errors)
    before = _issue_state(issue)
    issue.pertanyaan = pertanyaan.strip()
    issue.kaitan_visi_misi = kaitan_visi_misi.strip()
    issue.strategi = strategy
    issue.terpilih = terpilih
    save_versioned(
        issue,
        expected_version=expected_version,
        fields=("pertanyaan", "kaitan_visi_misi", "strategi", "terpilih"),
    )
    after = _issue_state(issue)
    if after != before:
        audit_record(
            actor=actor, action="update", instance=issue, pemda_id=issue.pemda_id, before=before, after=after
        )
    return issue


@transaction.atomic
def issue_delete(*, actor: Any, issue: StrategicIssue, expected_version: int) -> None:
    if issue.version != expected_version:
        raise ConflictError(
            _("Isu ini telah diubah oleh pengguna lain. Muat ulang halaman."), code="versi_usang"
        )
    audit_record(
        actor=actor, action="delete", instance=issue, pemda_id=issue.pemda_id, before=_issue_state(issue)
    )
    issue.delete()


@transaction.atomic
def issue_score(
    *, actor: Any, issue: StrategicIssue, expected_version: int, answers: Mapping[str, str]
) -> litmus.LitmusScore:
    """Record the litmus answers (1–3 per item; blank = not yet scored)."""
    items, bands = litmus_config(issue.analisis)
    known = {i.kode for i in items}
    cleaned: dict[str, int] = {}
    errors: list[dict[str, str]] = []
    for kode, raw in answers.items():
        if kode not in known:
            errors.append(
                {"kolom": kode, "pesan": _("Butir uji litmus {kode} tidak dikenal.").format(kode=kode)}
            )
            continue
        value = _parse_rating(raw)
        if value is None:
            continue
        if not isinstance(value, int) or not 1 <= value <= 3:
            errors.append(
                {"kolom": kode, "pesan": _("Butir {kode}: skor harus 1, 2 atau 3.").format(kode=kode)}
            )
            continue
        cleaned[kode] = value
    if errors:
        raise _invalid(_("Skor uji litmus tidak disimpan:"), errors)
    result = litmus.score(items, bands, cleaned)
    before = {"litmus": issue.litmus}
    issue.litmus = cleaned
    save_versioned(issue, expected_version=expected_version, fields=("litmus",))
    audit_record(
        actor=actor,
        action="litmus",
        instance=issue,
        pemda_id=issue.pemda_id,
        before=before,
        after={"litmus": cleaned, "total": result.total},
    )
    return result


def linkable_nodes(pemda: Pemda) -> list[PlanNode]:
    """Tujuan, sasaran and strategi of the pemda's RPJMD documents, newest document first."""
    return list(
        PlanNode.objects.filter(pemda_id=pemda.pk, jenis__in=LINKABLE_KINDS, dokumen__jenis="RPJMD")
        .select_related("dokumen")
        .order_by("-dokumen__tahun_mulai", "-dokumen_id", "jenis", "urutan", "id")
    )


@transaction.atomic
def issue_link(*, actor: Any, issue: StrategicIssue, node_ids: Iterable[int]) -> StrategicIssue:
    ids = set(node_ids)
    nodes = list(
        PlanNode.objects.filter(
            pk__in=ids, pemda_id=issue.pemda_id, jenis__in=LINKABLE_KINDS, dokumen__jenis="RPJMD"
        )
    )
    if len(nodes) != len(ids):
        raise _invalid(
            _("Tautan tidak disimpan:"),
            [
                {
                    "kolom": "simpul",
                    "pesan": _("Hanya tujuan, sasaran atau strategi RPJMD pemda ini yang dapat ditautkan."),
                }
            ],
        )
    before = _issue_state(issue)
    issue.simpul.set(nodes)
    after = _issue_state(issue)
    if after != before:
        audit_record(
            actor=actor, action="link", instance=issue, pemda_id=issue.pemda_id, before=before, after=after
        )
    return issue


@transaction.atomic
def issue_make_node(
    *, actor: Any, issue: StrategicIssue, parent: PlanNode, jenis: str, nama: str
) -> PlanNode:
    """Turn a chosen issue into a draft tujuan/sasaran/strategi under `parent` of an RPJMD, and link it."""
    from rencana.planning import services as plan_services

    if jenis not in PARENT_OF_NEW:
        raise _invalid(
            _("Simpul tidak dibuat:"),
            [{"kolom": "jenis", "pesan": _("Pilih tujuan, sasaran atau strategi.")}],
        )
    if parent.pemda_id != issue.pemda_id or parent.dokumen.jenis != "RPJMD":
        raise NotFoundError(_("Simpul induk tidak ditemukan di RPJMD pemda ini."))
    if parent.jenis != PARENT_OF_NEW[jenis]:
        raise _invalid(
            _("Simpul tidak dibuat:"),
            [
                {
                    "kolom": "induk",
                    "pesan": _("Induk sebuah {jenis} harus {induk}.").format(
                        jenis=jenis, induk=PARENT_OF_NEW[jenis]
                    ),
                }
            ],
        )
    document: PlanDocument = parent.dokumen
    node = plan_services.node_create(
        actor=actor,
        document=document,
        parent=parent,
        data=plan_services.NodeInput(jenis=jenis, nama=nama or issue.pertanyaan.rstrip("?")),
    )
    issue.simpul.add(node)
    audit_record(
        actor=actor,
        action="make_node",
        instance=issue,
        pemda_id=issue.pemda_id,
        after={"simpul": node.pk, "jenis": jenis},
    )
    return node
