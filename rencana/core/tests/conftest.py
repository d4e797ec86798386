"""Test data for the generated route tests: two tenants with objects of every kind a URL can name.

Pemda A (63.02 Kotabaru) owns the "secret" objects whose names are `A_MARKERS`: nobody outside
pemda A may ever see them. Pemda B (35.75 Pasuruan) is the other tenant, whose users probe A.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from rencana.accounts.models import ApiToken, RoleAssignment
from rencana.accounts.services import role_assign, token_create
from rencana.conftest import make_region
from rencana.core.models import AuditEvent
from rencana.core.roles import OPD_BOUND_ROLES, Role
from rencana.gender import services_readiness as pug_services
from rencana.gender.models import GapWorksheet
from rencana.monitoring import services as monev_services
from rencana.monitoring.models import Evidence
from rencana.outreach import services as outreach_services
from rencana.permits import services_apply as permit_apply
from rencana.permits import services_public as permit_public
from rencana.permits import services_workflow as permit_services
from rencana.permits.models import MicroBusiness, RecapImport
from rencana.permits.types import ensure_shipped_types
from rencana.planning import services as plan_services
from rencana.planning.models import Indicator, PlanDocument, PlanNode
from rencana.planning.services import IndicatorInput, NodeInput
from rencana.regions import services as region_services
from rencana.regions.models import Opd, Pemda
from rencana.strategy import services as strategy_services
from rencana.strategy.models import Analysis, Factor, Participant, StrategicIssue, TowsStrategy

# Strings that exist only in pemda A's data (the pemda_a fixture's OPD names and what `world` adds).
A_MARKERS: tuple[str, ...] = (
    "Dinas Rahasia Kotabaru",
    "Badan Khusus Kotabaru",
    "Kantor Sandi Kotabaru",
    "Token Rahasia Kotabaru",
    "admin_rahasia_kotabaru",
    "Sasaran Rahasia Kotabaru",
    "Indikator Rahasia Kotabaru",
    "Faktor Rahasia Kotabaru",
    "Analisis Rahasia Kotabaru",
    "Strategi Rahasia Kotabaru",
    "Isu Rahasia Kotabaru",
    "Peserta Rahasia Kotabaru",
    "Bukti Rahasia Kotabaru",
    "Rapat Rahasia Kotabaru",
    "Rekap Rahasia Kotabaru",
    "Usaha Rahasia Kotabaru",
    "Pemilik Rahasia Kotabaru",
    "Pengaduan Rahasia Kotabaru",
    "Pelapor Rahasia Kotabaru",
    "Sosialisasi Rahasia Kotabaru",
    "Kelompok Rahasia Kotabaru",
    "Anggota Rahasia Kotabaru",
)


@dataclass
class Tenant:
    """One pemda with the objects a URL of that pemda can point at."""

    pemda: Pemda
    opd: Opd
    other_opd: Opd
    admin: User
    admin_assignment: RoleAssignment
    token: ApiToken
    token_raw: str
    event: AuditEvent
    document: PlanDocument
    node: PlanNode
    indicator: Indicator
    evidence: Evidence
    analysis: Analysis
    factor: Factor
    strategy: TowsStrategy
    issue: StrategicIssue
    participant: Participant
    prereq_id: int
    pug_evidence_id: int
    assessment_id: int
    meeting_id: int
    gap_id: int
    recap_id: int
    application_id: int
    type_id: int
    complaint_id: int
    kode_lacak: str
    kegiatan_id: int
    group_id: int
    member_id: int
    business_id: int
    app_document_id: int

    def samples(self) -> dict[str, Any]:
        """Path parameter name -> a value naming an object of this tenant.

        A route with a parameter not listed here fails the generated tests: add a sample.
        """
        return {
            "kode": self.pemda.kode,
            "opd_id": self.opd.pk,
            "event_id": self.event.pk,
            "token_id": self.token.pk,
            "user_id": self.admin.pk,
            "assignment_id": self.admin_assignment.pk,
            "document_id": self.document.pk,
            "dokumen_id": self.document.pk,
            "node_id": self.node.pk,
            "indicator_id": self.indicator.pk,
            "jenis": "rpjmd",
            "tahun": 2026,
            "triwulan": 2,
            "evidence_id": self.evidence.pk,
            "analysis_id": self.analysis.pk,
            "factor_id": self.factor.pk,
            "strategy_id": self.strategy.pk,
            "issue_id": self.issue.pk,
            "participant_id": self.participant.pk,
            "token": "tautan-tidak-dikenal",
            "provinsi": self.pemda.kode.split(".")[0],
            "prereq_id": self.prereq_id,
            "pug_evidence_id": self.pug_evidence_id,
            "assessment_id": self.assessment_id,
            "meeting_id": self.meeting_id,
            "gap_id": self.gap_id,
            "nama": "ipm",
            "recap_id": self.recap_id,
            "application_id": self.application_id,
            "type_id": self.type_id,
            "complaint_id": self.complaint_id,
            "kode_lacak": self.kode_lacak,
            "kegiatan_id": self.kegiatan_id,
            "langkah": "periksa",
            "group_id": self.group_id,
            "member_id": self.member_id,
            "business_id": self.business_id,
            "app_document_id": self.app_document_id,
        }


@dataclass
class World:
    a: Tenant
    b: Tenant
    _n: list[int] = field(default_factory=lambda: [0])

    def user(self, tenant: Tenant | None, role: Role | None, opd: Opd | None = None) -> User:
        self._n[0] += 1
        user = User.objects.create_user(username=f"uji{self._n[0]}", password="sandi-uji-123")
        if tenant is not None and role is not None:
            if role in OPD_BOUND_ROLES and opd is None:
                opd = tenant.opd
            role_assign(actor=None, user=user, pemda=tenant.pemda, role=role, opd=opd)
        return user

    def session(self, user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    def token(self, user: User) -> str:
        _token, raw = token_create(user=user, nama="token uji")
        return raw


def _tenant(pemda: Pemda, *, prefix: str, admin_name: str, token_name: str, event_opd_name: str) -> Tenant:
    opds = list(Opd.objects.filter(pemda=pemda).order_by("kode"))
    if len(opds) < 2:
        opds.append(Opd.objects.create(pemda=pemda, kode=f"{prefix}.09", nama=f"Dinas Lain {pemda.nama}"))
    admin = User.objects.create_user(username=admin_name, password="sandi-uji-123")
    assignment = role_assign(actor=None, user=admin, pemda=pemda, role=Role.ADMIN_PEMDA)
    token, raw = token_create(user=admin, nama=token_name)
    created = region_services.opd_create(actor=admin, pemda=pemda, kode=f"{prefix}.03", nama=event_opd_name)
    event = AuditEvent.objects.filter(pemda_id=pemda.pk, object_id=str(created.pk)).latest("id")
    document = plan_services.document_create(actor=admin, pemda=pemda, jenis="RPJMD", tahun_mulai=2025)
    misi = plan_services.node_create(
        actor=admin, document=document, parent=None, data=NodeInput(jenis="misi", kode="1", nama="Misi uji")
    )
    tujuan = plan_services.node_create(
        actor=admin,
        document=document,
        parent=misi,
        data=NodeInput(jenis="tujuan", kode="1.1", nama="Tujuan uji"),
    )
    node = plan_services.node_create(
        actor=admin,
        document=document,
        parent=tujuan,
        data=NodeInput(jenis="sasaran", kode="1.1.1", nama=f"Sasaran {event_opd_name.split()[-1]} {prefix}"),
    )
    if prefix == "A":
        PlanNode.objects.filter(pk=node.pk).update(nama="Sasaran Rahasia Kotabaru")
        node.refresh_from_db()
    indicator = plan_services.indicator_create(
        actor=admin,
        node=node,
        data=IndicatorInput(
            nama="Indikator Rahasia Kotabaru" if prefix == "A" else "Indikator Pasuruan", satuan="%"
        ),
    )
    realization = monev_services.realization_save(
        actor=admin,
        node=node,
        tahun=2026,
        triwulan=2,
        expected_version=None,
        anggaran=None,
        values={indicator.pk: Decimal("0.5")},
        faktor_penghambat="Faktor Rahasia Kotabaru" if prefix == "A" else "Faktor Pasuruan",
    )
    evidence = monev_services.evidence_add(
        actor=admin,
        realization=realization,
        upload=SimpleUploadedFile("bukti.pdf", b"%PDF-1.4\n% bukti uji\n", content_type="application/pdf"),
    )
    secret = "Rahasia Kotabaru" if prefix == "A" else "Pasuruan"
    analysis = strategy_services.analysis_create(
        actor=admin,
        pemda=pemda,
        data=strategy_services.AnalysisInput(judul=f"Analisis {secret}", tanggal=datetime.date(2026, 11, 1)),
    )
    factors = [
        strategy_services.factor_create(
            actor=admin,
            analysis=analysis,
            data=strategy_services.FactorInput(jenis=j, faktor=f"Faktor {j} {secret}"),
        )
        for j in ("S", "W", "O", "T")
    ]
    strategy = strategy_services.tows_create(
        actor=admin,
        analysis=analysis,
        sel="SO",
        teks=f"Strategi {secret}",
        factor_ids=[factors[0].pk, factors[2].pk],
    )
    issue = strategy_services.issue_create(actor=admin, analysis=analysis, pertanyaan=f"Isu {secret}?")
    participant, _link = strategy_services.participant_add(
        actor=admin, analysis=analysis, nama=f"Peserta {secret}"
    )
    prerequisites = pug_services.prerequisites_for(pemda=pemda)
    pug_evidence = pug_services.evidence_add(
        actor=admin,
        prereq=prerequisites[0],
        judul=f"Bukti {secret}",
        upload=SimpleUploadedFile(
            "bukti-pug.pdf", b"%PDF-1.4\n% bukti pug\n", content_type="application/pdf"
        ),
    )
    assessment = pug_services.ppe_start(actor=admin, pemda=pemda, tahun=2025)
    meeting = pug_services.pokja_meeting_add(
        actor=admin, pemda=pemda, tanggal=datetime.date(2025, 1, 1), agenda=f"Rapat {secret}"
    )
    gap = GapWorksheet.objects.create(pemda=pemda, node=node, opd=opds[0], tahun=2026)
    recap = RecapImport.objects.create(pemda=pemda, judul=f"Rekap {secret}")
    ensure_shipped_types()
    business = MicroBusiness.objects.create(
        pemda=pemda, nama_usaha=f"Usaha {secret}", pemilik=f"Pemilik {secret}", nik="3201010101010001"
    )
    application = permit_services.application_create(
        actor=admin, pemda=pemda, jenis_kode="nib", usaha=business
    )
    complaint = permit_public.complaint_create(
        pemda=pemda, isi=f"Pengaduan {secret}: diminta uang", nama=f"Pelapor {secret}"
    )
    village = make_region(f"{pemda.kode}.01.2001", f"Desa {secret}", "desa", None)
    group = permit_apply.group_create(
        actor=admin,
        pemda=pemda,
        data=permit_apply.GroupInput(nama=f"Kelompok {secret}", desa_kode=village.kode),
    )
    member = permit_apply.member_add(
        actor=admin,
        group=group,
        data=permit_apply.MemberInput(nama=f"Anggota {secret}", nik="1806011501900001", jenis_kelamin="L"),
    )
    app_document = permit_apply.document_add(
        actor=admin,
        application=application,
        kode_dokumen=permit_services.definition_of(application).stage(application.tahap).dokumen[0].kode,
        upload=SimpleUploadedFile("dok.pdf", b"%PDF-1.4\n% dokumen\n", content_type="application/pdf"),
    )
    kegiatan = outreach_services.event_create(
        actor=admin,
        pemda=pemda,
        data=outreach_services.EventInput(judul=f"Sosialisasi {secret}", tanggal=datetime.date(2026, 1, 5)),
    )
    return Tenant(
        pemda=pemda,
        opd=opds[0],
        other_opd=opds[1],
        admin=admin,
        admin_assignment=assignment,
        token=token,
        token_raw=raw,
        event=event,
        document=document,
        node=node,
        indicator=indicator,
        evidence=evidence,
        analysis=analysis,
        factor=factors[0],
        strategy=strategy,
        issue=issue,
        participant=participant,
        prereq_id=prerequisites[0].pk,
        pug_evidence_id=pug_evidence.pk,
        assessment_id=assessment.pk,
        meeting_id=meeting.pk,
        gap_id=gap.pk,
        recap_id=recap.pk,
        application_id=application.pk,
        type_id=application.jenis_id,
        complaint_id=complaint.pk,
        kode_lacak=application.kode_lacak,
        kegiatan_id=kegiatan.pk,
        group_id=group.pk,
        member_id=member.pk,
        business_id=business.pk,
        app_document_id=app_document.pk,
    )


@pytest.fixture
def world(pemda_a: Pemda, pemda_b: Pemda) -> World:
    a = _tenant(
        pemda_a,
        prefix="A",
        admin_name="admin_rahasia_kotabaru",
        token_name="Token Rahasia Kotabaru",
        event_opd_name="Kantor Sandi Kotabaru",
    )
    b = _tenant(
        pemda_b,
        prefix="B",
        admin_name="admin_pasuruan",
        token_name="Token Pasuruan",
        event_opd_name="Kantor Arsip Pasuruan",
    )
    return World(a=a, b=b)


@pytest.fixture
def b_principals(world: World) -> Callable[[], list[tuple[str, User]]]:
    """Users with exactly one role each, all in pemda B only (and one user with no role at all)."""

    def build() -> list[tuple[str, User]]:
        users = [(f"B:{role.value}", world.user(world.b, role)) for role in Role]
        users.append(("tanpa-peran", world.user(None, None)))
        return users

    return build
