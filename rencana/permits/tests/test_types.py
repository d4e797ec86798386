"""Permit types as versioned data: shipping, new versions, the `rencana izin` command."""

import io
import json
import sys
import types as pytypes
from typing import Any

import pytest
from django.core.management import call_command

import rencana.permits
from rencana.core.errors import ApplicationError, ConflictError
from rencana.core.models import AuditEvent
from rencana.permits import services_workflow
from rencana.permits.models import PermitType
from rencana.permits.types import ensure_shipped_types, shipped_definition, type_new_version

pytestmark = pytest.mark.django_db


def test_shipped_types_are_created_once() -> None:
    created = ensure_shipped_types()
    assert sorted(r.kode for r in created) == ["hkm", "nib"]
    assert ensure_shipped_types() == []
    hkm = PermitType.objects.get(kode="hkm")
    assert (hkm.versi, hkm.aktif) == (1, True)
    assert hkm.nama.startswith("Persetujuan Pengelolaan Hutan Kemasyarakatan")
    assert "Nomor 9 Tahun 2021" in hkm.dasar_hukum
    assert hkm.definisi == shipped_definition("hkm")


def test_a_new_version_becomes_active_and_old_applications_keep_theirs(pemda_a: Any, make_user: Any) -> None:
    from rencana.core.roles import Role
    from rencana.permits.tests.test_workflow_services import make_group

    ensure_shipped_types()
    admin = make_user(Role.ADMIN_PEMDA, pemda_a)
    old = services_workflow.application_create(
        actor=admin, pemda=pemda_a, jenis_kode="hkm", kelompok=make_group(pemda_a)
    )
    data = shipped_definition("hkm")
    data["stages"][1]["sla_hari"] = 7
    created = type_new_version(admin, "hkm", data, "PermenLHK 9/2021 (diperbarui)", "HKm v2", versi_dasar=1)
    assert (created.versi, created.aktif, created.nama, created.dasar_hukum) == (
        2,
        True,
        "HKm v2",
        "PermenLHK 9/2021 (diperbarui)",
    )
    assert created.definisi["nama"] == "HKm v2"
    assert list(PermitType.objects.filter(kode="hkm").values_list("versi", "aktif")) == [
        (2, True),
        (1, False),
    ]
    assert services_workflow.active_type("hkm") == created
    assert services_workflow.definition_of(old).stage("verifikasi_administrasi").sla_hari == 5
    new = services_workflow.application_create(
        actor=admin, pemda=pemda_a, jenis_kode="hkm", kelompok=make_group(pemda_a, "KTH Baru")
    )
    assert services_workflow.definition_of(new).stage("verifikasi_administrasi").sla_hari == 7
    audit = AuditEvent.objects.get(action="new_version")
    assert audit.actor == admin and (audit.after or {}).get("versi") == 2


def test_an_invalid_definition_lists_its_problems_and_saves_nothing(make_user: Any) -> None:
    ensure_shipped_types()
    data = shipped_definition("hkm")
    data["transitions"][0]["ke"] = "tidak_ada"
    data["stages"][0]["pelaku"] = ["lurah"]
    with pytest.raises(ApplicationError) as info:
        type_new_version(None, "hkm", data, "", "")
    assert info.value.status == 400
    messages = [e["pesan"] for e in info.value.errors]
    assert any("tidak_ada" in m for m in messages) and any("lurah" in m for m in messages)
    assert PermitType.objects.filter(kode="hkm").count() == 1


def test_the_code_of_a_type_cannot_change() -> None:
    ensure_shipped_types()
    data = shipped_definition("nib")
    with pytest.raises(ApplicationError):
        type_new_version(None, "hkm", data, "", "")
    assert PermitType.objects.count() == 2


def test_a_stale_edit_of_a_type_is_409() -> None:
    ensure_shipped_types()
    data = shipped_definition("nib")
    type_new_version(None, "nib", data, "", "", versi_dasar=1)
    with pytest.raises(ConflictError) as info:
        type_new_version(None, "nib", data, "", "", versi_dasar=1)
    assert info.value.status == 409
    assert PermitType.objects.filter(kode="nib").count() == 2


def test_a_brand_new_type_starts_at_version_one() -> None:
    data = shipped_definition("nib")
    data["kode"] = "nib_kecil"
    row = type_new_version(None, "nib_kecil", data, "", "NIB uji", versi_dasar=0)
    assert row.versi == 1


def test_command_types_ensure_and_list() -> None:
    out = io.StringIO()
    call_command("izin", "types", "ensure", stdout=out)
    assert "hkm v1" in out.getvalue() and "nib v1" in out.getvalue()
    out = io.StringIO()
    call_command("izin", "types", "ensure", stdout=out)
    assert "tidak ada yang diubah" in out.getvalue()
    out = io.StringIO()
    call_command("izin", "types", "list", "--format", "json", stdout=out)
    listed = json.loads(out.getvalue())
    assert [(r["kode"], r["versi"], r["aktif"]) for r in listed] == [("hkm", 1, True), ("nib", 1, True)]
    assert listed[0]["tahap"][0] == "penyusunan"
    out = io.StringIO()
    call_command("izin", "types", "list", stdout=out)
    assert "hkm\tv1\taktif" in out.getvalue()


def test_command_rekap_import_is_dispatched_to_the_recap_module(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    def run(options: dict[str, Any], stdout: Any, stderr: Any) -> int:
        seen.update(options)
        stdout.write("{}")
        return 1

    fake = pytypes.ModuleType("rencana.permits.recap_cli")
    fake.run = run  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "rencana.permits.recap_cli", fake)
    monkeypatch.setattr(rencana.permits, "recap_cli", fake, raising=False)
    with pytest.raises(SystemExit) as info:
        call_command("izin", "rekap-import", "--pemda", "18", "tabel.csv", "--format", "json", "--dry-run")
    assert info.value.code == 1
    assert (seen["pemda"], str(seen["file"]), seen["format"], seen["dry_run"]) == (
        "18",
        "tabel.csv",
        "json",
        True,
    )
