"""Permit workflow as data: the stages of one permit type, who acts at each, the allowed transitions,
the documents each stage requires and its service-level days. Pure: no ORM.

Terms
- *Tahap* (`Stage`): where an application is. `pelaku` are the role names that act there,
  `sla_hari` the service-level days allowed there (None: no clock, e.g. while the applicant drafts),
  `dokumen` the documents required when leaving it, `final` a decision stage (nothing follows),
  `status` the application status while there (draf, proses, disetujui, ditolak), `dapat_diubah`
  whether the applicant may still edit answers and documents (drafting, correction), and
  `verifikasi_lapangan` whether officers schedule a field verification at this stage.
- *Transisi* (`Transition`): an action (`aksi`) moving an application from stage `dari` to stage `ke`,
  allowed to the roles in `pelaku`; `alasan_wajib` demands a written reason (returns, decisions);
  `syarat` names preconditions checked by the service: "kelengkapan" (the completeness checklist
  is complete) and "jadwal_lapangan" (a field verification was scheduled and its date has come).
- *Syarat* of the type (`PermitDefinition.syarat`): e.g. {"jenis_pemohon": "kelompok",
  "min_anggota": 15, "isian_wajib": ["rencana_kerja", ...], "label_isian": {...}}.

Service-level clock (`sla`): calendar days, counted from the local date the application entered the
stage (that day is day 0) to today; overdue when the days used exceed the days allowed. The days a type
ships with are configurable defaults of this service, not numbers taken from a regulation, unless the
type's `dasar_hukum` says so.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

# Role names (rencana.core.roles.Role values; kept equal by a test so this module stays ORM-free).
KNOWN_ROLES = frozenset(
    {
        "admin_pemda",
        "perencana",
        "pimpinan",
        "operator_opd",
        "verifikator",
        "pokja_pug",
        "petugas_izin",
        "pendamping",
        "pemohon",
        "inspektorat",
    }
)
STATUSES = ("draf", "proses", "disetujui", "ditolak")
TRANSITION_CONDITIONS = frozenset({"kelengkapan", "jadwal_lapangan"})
DOCUMENT_KINDS = ("berkas", "peta")
APPLICANT_KINDS = ("kelompok", "usaha")
KODE_MAX = 40
MAX_SLA_DAYS = 3650


@dataclass(frozen=True)
class DocumentRequirement:
    kode: str
    nama: str
    wajib: bool = True
    keterangan: str = ""
    # "berkas": an uploaded file; "peta": satisfied by the managed-area map upload (or a file of that code).
    jenis: str = "berkas"


@dataclass(frozen=True)
class Stage:
    kode: str
    nama: str
    pelaku: tuple[str, ...]
    sla_hari: int | None = None
    dokumen: tuple[DocumentRequirement, ...] = ()
    final: bool = False
    status: str = "proses"
    dapat_diubah: bool = False
    verifikasi_lapangan: bool = False
    keterangan: str = ""


@dataclass(frozen=True)
class Transition:
    dari: str
    ke: str
    aksi: str
    label: str
    pelaku: tuple[str, ...]
    alasan_wajib: bool = False
    alasan_label: str = ""
    syarat: tuple[str, ...] = ()


@dataclass(frozen=True)
class PermitDefinition:
    kode: str
    nama: str
    dasar_hukum: str
    awal: str
    stages: tuple[Stage, ...]
    transitions: tuple[Transition, ...]
    syarat: Mapping[str, Any] = field(default_factory=dict)
    biaya: str = ""

    def stage(self, kode: str) -> Stage:
        for stage in self.stages:
            if stage.kode == kode:
                return stage
        raise KeyError(kode)

    def has_stage(self, kode: str) -> bool:
        return any(s.kode == kode for s in self.stages)

    @property
    def jenis_pemohon(self) -> str:
        return str(self.syarat.get("jenis_pemohon", ""))

    @property
    def min_anggota(self) -> int:
        value = self.syarat.get("min_anggota", 0)
        return value if isinstance(value, int) else 0

    @property
    def isian_wajib(self) -> tuple[str, ...]:
        return tuple(self.syarat.get("isian_wajib", ()))

    def label_isian(self, kode: str) -> str:
        labels = self.syarat.get("label_isian", {})
        return str(labels.get(kode, kode)) if isinstance(labels, Mapping) else kode

    def transitions_from(self, tahap: str) -> list[Transition]:
        return [t for t in self.transitions if t.dari == tahap]

    def required_documents(self, tahap: str) -> tuple[DocumentRequirement, ...]:
        """Documents required to leave the drafting stage, plus those of `tahap` (no duplicates)."""
        seen: dict[str, DocumentRequirement] = {}
        for kode in (self.awal, tahap):
            if not self.has_stage(kode):
                continue
            for doc in self.stage(kode).dokumen:
                if doc.wajib:
                    seen.setdefault(doc.kode, doc)
        return tuple(seen.values())

    def all_documents(self) -> tuple[DocumentRequirement, ...]:
        seen: dict[str, DocumentRequirement] = {}
        for stage in self.stages:
            for doc in stage.dokumen:
                seen.setdefault(doc.kode, doc)
        return tuple(seen.values())


class DefinitionError(ValueError):
    """A permit-type definition that cannot be used; `problems` lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class SlaState:
    hari_terpakai: int
    hari_diizinkan: int | None
    terlambat: bool

    @property
    def sisa(self) -> int | None:
        if self.hari_diizinkan is None:
            return None
        return self.hari_diizinkan - self.hari_terpakai


def _local_date(moment: datetime.datetime | datetime.date, tz: datetime.tzinfo | None) -> datetime.date:
    if isinstance(moment, datetime.datetime):
        if moment.tzinfo is not None and tz is not None:
            moment = moment.astimezone(tz)
        return moment.date()
    return moment


def sla(
    stage: Stage,
    since: datetime.datetime | datetime.date,
    now: datetime.datetime | datetime.date,
    tz: datetime.tzinfo | None = None,
) -> SlaState:
    """Calendar days used at `stage` since `since` (day of entry = 0) against the days allowed.

    Aware datetimes are compared as dates in `tz` (the pemda's local time zone) when given.
    """
    used = max(0, (_local_date(now, tz) - _local_date(since, tz)).days)
    allowed = None if stage.final else stage.sla_hari
    return SlaState(
        hari_terpakai=used, hari_diizinkan=allowed, terlambat=allowed is not None and used > allowed
    )


def allowed_transitions(definition: PermitDefinition, tahap: str, roles: Iterable[str]) -> list[Transition]:
    """The transitions from `tahap` that someone holding `roles` may take, in definition order."""
    held = {str(r) for r in roles}
    return [t for t in definition.transitions_from(tahap) if held.intersection(t.pelaku)]


# --------------------------------------------------------------------------------------------------
# Loading and validating a definition (the JSON stored in PermitType.definisi)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _kode_ok(value: str) -> bool:
    return (
        bool(value)
        and len(value) <= KODE_MAX
        and all(c.isalnum() or c == "_" for c in value)
        and value.isascii()
    )


def _roles(value: Any, where: str, problems: list[str]) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        problems.append(_("{where}: pelaku harus daftar peran yang tidak kosong.").format(where=where))
        return ()
    roles: list[str] = []
    for role in value:
        if not isinstance(role, str) or role not in KNOWN_ROLES:
            problems.append(
                _("{where}: peran “{role}” tidak dikenal (pilihan: {pilihan}).").format(
                    where=where, role=role, pilihan=", ".join(sorted(KNOWN_ROLES))
                )
            )
        elif role not in roles:
            roles.append(role)
    return tuple(roles)


def _bool(value: Any, where: str, name: str, problems: list[str], default: bool = False) -> bool:
    if value is None:
        return default
    if not isinstance(value, bool):
        problems.append(_("{where}: “{name}” harus true atau false.").format(where=where, name=name))
        return default
    return value


def _documents(value: Any, where: str, problems: list[str]) -> tuple[DocumentRequirement, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.append(_("{where}: dokumen harus berupa daftar.").format(where=where))
        return ()
    docs: list[DocumentRequirement] = []
    codes: set[str] = set()
    for i, raw in enumerate(value, start=1):
        at = _("{where}, dokumen ke-{n}").format(where=where, n=i)
        if not isinstance(raw, dict):
            problems.append(_("{where}: harus berupa objek.").format(where=at))
            continue
        kode, nama = _text(raw.get("kode")), _text(raw.get("nama"))
        if not _kode_ok(kode):
            problems.append(_("{where}: kode dokumen kosong atau tidak sah.").format(where=at))
        elif kode in codes:
            problems.append(_("{where}: kode dokumen “{kode}” ganda.").format(where=at, kode=kode))
        codes.add(kode)
        if not nama:
            problems.append(_("{where}: nama dokumen wajib diisi.").format(where=at))
        jenis = raw.get("jenis", "berkas")
        if jenis not in DOCUMENT_KINDS:
            problems.append(
                _("{where}: jenis dokumen harus salah satu dari: {pilihan}.").format(
                    where=at, pilihan=", ".join(DOCUMENT_KINDS)
                )
            )
            jenis = "berkas"
        docs.append(
            DocumentRequirement(
                kode=kode,
                nama=nama,
                wajib=_bool(raw.get("wajib"), at, "wajib", problems, default=True),
                keterangan=_text(raw.get("keterangan")),
                jenis=str(jenis),
            )
        )
    return tuple(docs)


def _sla_days(value: Any, where: str, problems: list[str]) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_SLA_DAYS:
        problems.append(
            _("{where}: sla_hari harus bilangan bulat 1 sampai {maks} atau null.").format(
                where=where, maks=MAX_SLA_DAYS
            )
        )
        return None
    return value


def _stages(value: Any, problems: list[str]) -> tuple[Stage, ...]:
    if not isinstance(value, list) or not value:
        problems.append(_("“stages” harus daftar tahap yang tidak kosong."))
        return ()
    stages: list[Stage] = []
    codes: set[str] = set()
    for i, raw in enumerate(value, start=1):
        where = _("Tahap ke-{n}").format(n=i)
        if not isinstance(raw, dict):
            problems.append(_("{where}: harus berupa objek.").format(where=where))
            continue
        kode = _text(raw.get("kode"))
        if kode:
            where = _("Tahap “{kode}”").format(kode=kode)
        if not _kode_ok(kode):
            problems.append(
                _("{where}: kode tahap kosong atau tidak sah (huruf, angka dan _ saja).").format(where=where)
            )
        elif kode in codes:
            problems.append(_("Kode tahap “{kode}” ganda.").format(kode=kode))
        codes.add(kode)
        nama = _text(raw.get("nama"))
        if not nama:
            problems.append(_("{where}: nama tahap wajib diisi.").format(where=where))
        final = _bool(raw.get("final"), where, "final", problems)
        status = raw.get("status", "proses")
        if status not in STATUSES:
            problems.append(
                _("{where}: status harus salah satu dari: {pilihan}.").format(
                    where=where, pilihan=", ".join(STATUSES)
                )
            )
            status = "proses"
        if final and status not in ("disetujui", "ditolak"):
            problems.append(
                _("{where}: tahap akhir harus berstatus disetujui atau ditolak.").format(where=where)
            )
        pelaku = _roles(raw.get("pelaku"), where, problems) if not final or raw.get("pelaku") else ()
        stages.append(
            Stage(
                kode=kode,
                nama=nama,
                pelaku=pelaku,
                sla_hari=_sla_days(raw.get("sla_hari"), where, problems),
                dokumen=_documents(raw.get("dokumen"), where, problems),
                final=final,
                status=str(status),
                dapat_diubah=_bool(raw.get("dapat_diubah"), where, "dapat_diubah", problems),
                verifikasi_lapangan=_bool(
                    raw.get("verifikasi_lapangan"), where, "verifikasi_lapangan", problems
                ),
                keterangan=_text(raw.get("keterangan")),
            )
        )
    return tuple(stages)


def _transitions(value: Any, stages: Mapping[str, Stage], problems: list[str]) -> tuple[Transition, ...]:
    if not isinstance(value, list) or not value:
        problems.append(_("“transitions” harus daftar transisi yang tidak kosong."))
        return ()
    transitions: list[Transition] = []
    keys: set[tuple[str, str]] = set()
    for i, raw in enumerate(value, start=1):
        where = _("Transisi ke-{n}").format(n=i)
        if not isinstance(raw, dict):
            problems.append(_("{where}: harus berupa objek.").format(where=where))
            continue
        dari, ke, aksi = _text(raw.get("dari")), _text(raw.get("ke")), _text(raw.get("aksi"))
        if aksi:
            where = _("Transisi “{aksi}” dari “{dari}”").format(aksi=aksi, dari=dari)
        for name, kode in (("dari", dari), ("ke", ke)):
            if kode not in stages:
                problems.append(
                    _("{where}: tahap “{kode}” ({name}) tidak ada di daftar tahap.").format(
                        where=where, kode=kode, name=name
                    )
                )
        if dari in stages and stages[dari].final:
            problems.append(_("{where}: tahap akhir tidak boleh punya transisi keluar.").format(where=where))
        if dari and dari == ke:
            problems.append(_("{where}: tahap asal dan tujuan sama.").format(where=where))
        if not _kode_ok(aksi):
            problems.append(_("{where}: kode aksi kosong atau tidak sah.").format(where=where))
        elif (dari, aksi) in keys:
            problems.append(_("{where}: aksi ganda dari tahap yang sama.").format(where=where))
        keys.add((dari, aksi))
        label = _text(raw.get("label"))
        if not label:
            problems.append(_("{where}: label wajib diisi.").format(where=where))
        if "pelaku" in raw:
            pelaku = _roles(raw.get("pelaku"), where, problems)
        else:
            pelaku = stages[dari].pelaku if dari in stages else ()
            if not pelaku:
                problems.append(_("{where}: pelaku wajib diisi.").format(where=where))
        conditions = raw.get("syarat", [])
        if not isinstance(conditions, list) or any(c not in TRANSITION_CONDITIONS for c in conditions):
            problems.append(
                _("{where}: syarat hanya boleh berisi: {pilihan}.").format(
                    where=where, pilihan=", ".join(sorted(TRANSITION_CONDITIONS))
                )
            )
            conditions = []
        transitions.append(
            Transition(
                dari=dari,
                ke=ke,
                aksi=aksi,
                label=label,
                pelaku=pelaku,
                alasan_wajib=_bool(raw.get("alasan_wajib"), where, "alasan_wajib", problems),
                alasan_label=_text(raw.get("alasan_label")),
                syarat=tuple(dict.fromkeys(str(c) for c in conditions)),
            )
        )
    return tuple(transitions)


def _check_graph(
    awal: str, stages: Mapping[str, Stage], transitions: tuple[Transition, ...], problems: list[str]
) -> None:
    """Every stage is reachable from the initial one and can reach a final stage."""
    if not any(s.final for s in stages.values()):
        problems.append(_("Tidak ada tahap akhir (final): permohonan tidak akan pernah selesai."))
        return
    edges: dict[str, set[str]] = {k: set() for k in stages}
    for t in transitions:
        if t.dari in edges and t.ke in stages:
            edges[t.dari].add(t.ke)
    reachable = {awal}
    frontier = [awal]
    while frontier:
        for nxt in edges.get(frontier.pop(), set()):
            if nxt not in reachable:
                reachable.add(nxt)
                frontier.append(nxt)
    for kode in stages:
        if kode not in reachable:
            problems.append(_("Tahap “{kode}” tidak bisa dicapai dari tahap awal.").format(kode=kode))
    finishing = {k for k, s in stages.items() if s.final}
    changed = True
    while changed:
        changed = False
        for kode, targets in edges.items():
            if kode not in finishing and targets & finishing:
                finishing.add(kode)
                changed = True
    for kode in stages:
        if kode not in finishing:
            problems.append(_("Dari tahap “{kode}” tidak ada jalan ke tahap akhir.").format(kode=kode))


def _syarat(value: Any, problems: list[str]) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(_("“syarat” harus berupa objek."))
        return {}
    jenis = value.get("jenis_pemohon")
    if jenis is not None and jenis not in APPLICANT_KINDS:
        problems.append(
            _("syarat.jenis_pemohon harus salah satu dari: {pilihan}.").format(
                pilihan=", ".join(APPLICANT_KINDS)
            )
        )
    minimum = value.get("min_anggota")
    if minimum is not None and (
        isinstance(minimum, bool) or not isinstance(minimum, int) or not 0 <= minimum <= 100000
    ):
        problems.append(_("syarat.min_anggota harus bilangan bulat 0 sampai 100.000."))
    fields = value.get("isian_wajib", [])
    if not isinstance(fields, list) or not all(isinstance(f, str) and _kode_ok(f) for f in fields):
        problems.append(_("syarat.isian_wajib harus daftar kode isian (huruf, angka dan _)."))
    labels = value.get("label_isian", {})
    if not isinstance(labels, dict) or not all(isinstance(v, str) for v in labels.values()):
        problems.append(_("syarat.label_isian harus objek kode isian → label."))
    maximum = value.get("modal_maks")
    if maximum is not None and (isinstance(maximum, bool) or not isinstance(maximum, int) or maximum <= 0):
        problems.append(_("syarat.modal_maks harus bilangan bulat positif (rupiah)."))
    return dict(value)


def load_definition(data: Any) -> PermitDefinition:
    """A checked `PermitDefinition` from its JSON form; `DefinitionError` lists every problem found."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise DefinitionError([_("Definisi harus berupa objek JSON.")])
    kode = _text(data.get("kode"))
    if not _kode_ok(kode) or len(kode) > 20:
        problems.append(_("“kode” jenis izin wajib diisi (huruf, angka dan _, paling panjang 20)."))
    nama = _text(data.get("nama"))
    if not nama:
        problems.append(_("“nama” jenis izin wajib diisi."))
    elif len(nama) > 200:
        problems.append(_("“nama” jenis izin paling panjang 200 karakter."))
    stages = _stages(data.get("stages"), problems)
    by_code = {s.kode: s for s in stages if s.kode}
    awal = _text(data.get("awal"))
    if awal not in by_code:
        problems.append(_("“awal” harus kode salah satu tahap."))
    elif by_code[awal].final:
        problems.append(_("Tahap awal tidak boleh tahap akhir."))
    transitions = _transitions(data.get("transitions"), by_code, problems)
    if awal in by_code and stages and transitions:
        _check_graph(awal, by_code, transitions, problems)
    syarat = _syarat(data.get("syarat"), problems)
    biaya = data.get("biaya", "")
    if not isinstance(biaya, str):
        problems.append(_("“biaya” harus berupa teks."))
        biaya = ""
    if problems:
        raise DefinitionError(problems)
    return PermitDefinition(
        kode=kode,
        nama=nama,
        dasar_hukum=_text(data.get("dasar_hukum")),
        awal=awal,
        stages=stages,
        transitions=transitions,
        syarat=syarat,
        biaya=biaya.strip(),
    )


# --------------------------------------------------------------------------------------------------
# Completeness checklist (pure: the service gathers the facts, this decides)

NIK_LENGTH = 16
KBLI_LENGTH = 5


@dataclass(frozen=True)
class ChecklistItem:
    kode: str
    label: str
    ok: bool
    keterangan: str = ""
    # "pemohon", "isian", "anggota", "dokumen": lets a page group the items.
    jenis: str = "isian"


@dataclass(frozen=True)
class Checklist:
    items: list[ChecklistItem]
    complete: bool

    @property
    def missing(self) -> list[ChecklistItem]:
        return [i for i in self.items if not i.ok]


@dataclass(frozen=True)
class ChecklistFacts:
    """What the checklist looks at, gathered from the database by the service."""

    isian: Mapping[str, Any]
    dokumen: frozenset[str]
    ada_peta: bool = False
    ada_pemohon: bool = False
    anggota_ber_nik: int = 0


def is_filled(value: Any) -> bool:
    """A typed answer is there: not None/False, not blank text, not an empty list or object."""
    if value is None or value is False:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | tuple | dict):
        return bool(value)
    return True


def _digits(value: Any, length: int) -> bool:
    text = str(value).strip() if value is not None else ""
    return len(text) == length and text.isdigit()


def _field_problem(definition: PermitDefinition, kode: str, value: Any) -> str:
    """Why a filled field is still not acceptable ("" when it is)."""
    if kode == "nik" and not _digits(value, NIK_LENGTH):
        return _("NIK harus 16 angka.")
    if kode == "kbli" and not _digits(value, KBLI_LENGTH):
        return _("Kode KBLI 2020 harus 5 angka.")
    if kode in ("modal", "luas_dinyatakan"):
        try:
            number = float(str(value).replace(",", "."))
        except ValueError:
            return _("Harus berupa angka.")
        if number <= 0:
            return _("Harus lebih dari nol.")
        maximum = definition.syarat.get("modal_maks")
        if kode == "modal" and isinstance(maximum, int) and number > maximum:
            return _("Modal melebihi batas usaha mikro (Rp{maks}).").format(
                maks=f"{maximum:,}".replace(",", ".")
            )
    return ""


def build_checklist(definition: PermitDefinition, tahap: str, facts: ChecklistFacts) -> Checklist:
    """The completeness checklist of an application at `tahap`: applicant, required fields, members
    with NIK (at least `min_anggota`), and the required documents (drafting stage plus `tahap`).

    The `keterangan` never repeats a value typed by the applicant (the public tracking page shows it).
    """
    items: list[ChecklistItem] = []
    jenis = definition.jenis_pemohon
    if jenis:
        label = _("Data kelompok tani") if jenis == "kelompok" else _("Data usaha mikro")
        items.append(
            ChecklistItem(
                kode="pemohon",
                label=label,
                ok=facts.ada_pemohon,
                keterangan="" if facts.ada_pemohon else _("Belum dipilih."),
                jenis="pemohon",
            )
        )
    for kode in definition.isian_wajib:
        value = facts.isian.get(kode)
        problem = "" if is_filled(value) else _("Belum diisi.")
        if not problem:
            problem = _field_problem(definition, kode, value)
        items.append(
            ChecklistItem(
                kode=f"isian:{kode}", label=definition.label_isian(kode), ok=not problem, keterangan=problem
            )
        )
    minimum = definition.min_anggota
    if minimum:
        ok = facts.anggota_ber_nik >= minimum
        items.append(
            ChecklistItem(
                kode="anggota",
                label=_("Paling sedikit {n} anggota dengan NIK").format(n=minimum),
                ok=ok,
                keterangan=_("{ada} dari {n} anggota").format(ada=facts.anggota_ber_nik, n=minimum),
                jenis="anggota",
            )
        )
    for doc in definition.required_documents(tahap):
        ok = doc.kode in facts.dokumen or (doc.jenis == "peta" and facts.ada_peta)
        items.append(
            ChecklistItem(
                kode=f"dokumen:{doc.kode}",
                label=doc.nama,
                ok=ok,
                keterangan=""
                if ok
                else (_("Peta belum diunggah.") if doc.jenis == "peta" else _("Belum diunggah.")),
                jenis="dokumen",
            )
        )
    return Checklist(items=items, complete=all(i.ok for i in items))
