"""`rencana demo load`: the demo governments, their OPDs and one account per role.

Each installed app may have a `demo` module with `load(*, stdout) -> int` (rows created); they run
in INSTALLED_APPS order, so later modules (planning, monitoring, ...) build on earlier ones.
"""

import importlib
import time
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.db import transaction

from rencana.core.management.base import RencanaCommand


class Command(RencanaCommand):
    help = "Muat data demo (pemda, OPD, akun per peran). Idempoten: menjalankan ulang tidak mengubah apa pun."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="muat data demo")
        load.add_argument("--force", action="store_true", help="izinkan pada profil produksi (jangan!)")

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "PRODUCTION", False) and not options.get("force"):
            raise CommandError("Data demo tidak dimuat pada profil produksi (RENCANA_PROFILE=production).")
        started = time.monotonic()
        created = 0
        for app_config in apps.get_app_configs():
            if not app_config.name.startswith("rencana."):
                continue
            try:
                module = importlib.import_module(f"{app_config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app_config.name}.demo":
                    raise
                continue
            with transaction.atomic():
                created += module.load(stdout=self.stdout)
        elapsed = time.monotonic() - started
        if created:
            self.stdout.write(f"Data demo dimuat: {created} baris baru ({elapsed:.1f} detik).")
        else:
            self.stdout.write(f"Data demo sudah lengkap: tidak ada perubahan ({elapsed:.1f} detik).")
        from rencana.accounts.demo import print_accounts

        print_accounts(self.stdout)
