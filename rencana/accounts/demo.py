"""Demo accounts, one per role. HANYA UNTUK DEMO: the passwords are printed and public."""

from typing import Any, TextIO

from rencana.accounts.services import role_assign, user_ensure
from rencana.core.roles import ROLE_LABELS, Role
from rencana.regions.models import Opd, Pemda

DEMO_PASSWORD = "demo-rencana-2026"  # noqa: S105 -- published demo password, refused in production

# username, full name, [(pemda kode, role, OPD singkatan or None)]
DEMO_ACCOUNTS: list[tuple[str, str, list[tuple[str, Role, str | None]]]] = [
    (
        "admin",
        "Admin Demo",
        [(k, Role.ADMIN_PEMDA, None) for k in ("63.02", "35.75", "18.06", "32.75", "35")],
    ),
    ("perencana", "Perencana Bapperida", [("63.02", Role.PERENCANA, None), ("35.75", Role.PERENCANA, None)]),
    ("pimpinan", "Kepala Bapperida", [("63.02", Role.PIMPINAN, None)]),
    ("operator.dinkes", "Operator Dinas Kesehatan", [("63.02", Role.OPERATOR_OPD, "Dinkes")]),
    ("verifikator", "Verifikator Bapperida", [("63.02", Role.VERIFIKATOR, None)]),
    ("pokja.pug", "Anggota Pokja PUG", [("63.02", Role.POKJA_PUG, None)]),
    (
        "petugas.izin",
        "Petugas DPMPTSP",
        [("18.06", Role.PETUGAS_IZIN, None), ("32.75", Role.PETUGAS_IZIN, None)],
    ),
    ("pendamping", "Pendamping HKm", [("18.06", Role.PENDAMPING, None)]),
    ("pemohon", "Ketua Kelompok Tani", [("18.06", Role.PEMOHON, None)]),
    ("inspektorat", "Auditor Inspektorat", [("63.02", Role.INSPEKTORAT, None)]),
]


def load(*, stdout: TextIO | Any) -> int:
    created = 0
    pemdas = {
        p.kode: p for p in Pemda.objects.filter(kode__in={k for _, _, g in DEMO_ACCOUNTS for k, _, _ in g})
    }
    for username, full_name, grants in DEMO_ACCOUNTS:
        user, made = user_ensure(username=username, password=DEMO_PASSWORD, full_name=full_name)
        created += int(made)
        for kode, role, singkatan in grants:
            pemda = pemdas[kode]
            opd = Opd.objects.get(pemda=pemda, singkatan=singkatan) if singkatan else None
            before = user.role_assignments.count()
            role_assign(actor=None, user=user, pemda=pemda, role=role, opd=opd)
            created += user.role_assignments.count() - before
    return created


def print_accounts(stdout: TextIO | Any) -> None:
    stdout.write("")
    stdout.write("Akun demo — HANYA UNTUK DEMO, jangan dipakai di server sungguhan.")
    stdout.write(f"Kata sandi semua akun demo: {DEMO_PASSWORD}")
    for username, _full_name, grants in DEMO_ACCOUNTS:
        roles = ", ".join(sorted({str(ROLE_LABELS[role]) for _, role, _ in grants}))
        where = ", ".join(sorted({kode for kode, _, _ in grants}))
        stdout.write(f"  {username:<16} {roles} [{where}]")
