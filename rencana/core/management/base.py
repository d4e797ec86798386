"""Base class for Rencana's management commands: `--pemda` and `--tahun`, errors as one Indonesian line."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rencana.core.errors import ApplicationError


class RencanaCommand(BaseCommand):
    """Turns an `ApplicationError` raised by a service into a clean `CommandError` (exit status 1)."""

    def execute(self, *args: Any, **options: Any) -> str | None:
        try:
            return super().execute(*args, **options)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc


class PemdaCommand(RencanaCommand):
    """A command that works on one pemda (and optionally one fiscal year)."""

    requires_tahun = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--pemda", required=True, help="kode wilayah pemda, mis. 63.02")
        parser.add_argument(
            "--tahun", type=int, required=self.requires_tahun, help="tahun anggaran, mis. 2026"
        )

    def get_pemda(self, options: dict[str, Any]) -> Any:
        from rencana.regions.models import Pemda

        pemda = Pemda.objects.filter(kode=options["pemda"]).first()
        if pemda is None:
            raise CommandError(
                f"Pemda {options['pemda']} belum terdaftar. Tambahkan dengan: rencana pemda add KODE"
            )
        return pemda
