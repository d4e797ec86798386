"""`rencana users create|grant|revoke|list`: set up accounts from the shell (e.g. the first admin_pemda)."""

import getpass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError, CommandParser

from rencana.accounts.models import RoleAssignment
from rencana.accounts.services import role_assign, role_revoke, user_create
from rencana.core.management.base import RencanaCommand
from rencana.core.roles import Role
from rencana.regions.models import Opd, Pemda

ROLE_NAMES = [r.value for r in Role]


class Command(RencanaCommand):
    help = "Kelola akun dan peran dari baris perintah."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="buat akun baru dengan satu peran")
        grant = sub.add_parser("grant", help="beri peran kepada akun yang ada")
        revoke = sub.add_parser("revoke", help="cabut peran")
        for p in (create, grant, revoke):
            p.add_argument("username")
            p.add_argument("--pemda", required=True, help="kode wilayah pemda, mis. 63.02")
            p.add_argument("--role", required=True, choices=ROLE_NAMES)
            p.add_argument("--opd", default="", help="kode OPD (wajib untuk operator_opd)")
        create.add_argument("--nama", default="", help="nama lengkap")
        create.add_argument("--email", default="")
        create.add_argument("--password", default="", help="kata sandi (bila kosong, ditanyakan)")
        lst = sub.add_parser("list", help="tampilkan akun dan perannya di satu pemda")
        lst.add_argument("--pemda", required=True)

    def _pemda(self, kode: str) -> Pemda:
        pemda = Pemda.objects.filter(kode=kode).first()
        if pemda is None:
            raise CommandError(f"Pemda {kode} belum terdaftar. Tambahkan dengan: rencana pemda add {kode}")
        return pemda

    def _opd(self, pemda: Pemda, kode: str) -> Opd | None:
        if not kode:
            return None
        opd = Opd.objects.filter(pemda=pemda, kode=kode).first()
        if opd is None:
            raise CommandError(f"OPD dengan kode {kode} tidak ada di {pemda.nama}.")
        return opd

    def handle(self, *args: Any, **options: Any) -> None:
        pemda = self._pemda(options["pemda"])
        action = options["action"]
        if action == "list":
            for a in (
                RoleAssignment.objects.filter(pemda=pemda)
                .select_related("user", "opd")
                .order_by("user__username")
            ):
                self.stdout.write(f"{a.user.username:<24} {a.role:<14} {a.opd.nama if a.opd else ''}")
            return
        opd = self._opd(pemda, options["opd"])
        role = Role(options["role"])
        if action == "create":
            password = options["password"] or getpass.getpass("Kata sandi: ")
            user = user_create(
                actor=None,
                pemda=pemda,
                username=options["username"],
                full_name=options["nama"],
                email=options["email"],
                password=password,
                role=role,
                opd=opd,
            )
            self.stdout.write(f"Akun {user.username} dibuat dengan peran {role.value} di {pemda.nama}.")
            return
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"Akun {options['username']} tidak ada.")
        if action == "grant":
            role_assign(actor=None, user=user, pemda=pemda, role=role, opd=opd)
            self.stdout.write(f"Peran {role.value} diberikan kepada {user.username} di {pemda.nama}.")
            return
        assignment = RoleAssignment.objects.filter(user=user, pemda=pemda, role=role.value, opd=opd).first()
        if assignment is None:
            raise CommandError("Peran itu tidak dimiliki akun tersebut.")
        role_revoke(actor=None, pemda=pemda, assignment_id=assignment.pk)
        self.stdout.write(f"Peran {role.value} dicabut dari {user.username}.")
