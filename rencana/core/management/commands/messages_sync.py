"""Add every translatable string that the English catalogue lacks (msgstr left empty for a translator).

Usage: `rencana messages_sync` then fill the empty msgstr in rencana/locale/en/LC_MESSAGES/django.po;
`rencana messages_sync --check` exits 1 while any translation is missing.
"""

from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from rencana.core.i18n_catalogue import collect_messages


class Command(BaseCommand):
    help = "Sinkronkan katalog terjemahan bahasa Inggris dengan string di templat dan kode."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="hanya periksa; keluar 1 bila ada yang kurang"
        )
        parser.add_argument("--prune", action="store_true", help="hapus entri yang tidak dipakai lagi")

    def handle(self, *args: Any, **options: Any) -> None:
        package_dir = Path(settings.PACKAGE_DIR)
        po_path = package_dir / "locale" / "en" / "LC_MESSAGES" / "django.po"
        catalogue = polib.pofile(str(po_path), wrapwidth=0)
        messages = collect_messages(package_dir)
        wanted = {(m.msgctxt or None, m.msgid) for m in messages}
        existing = {(e.msgctxt, e.msgid): e for e in catalogue}
        added = 0
        for msg in messages:
            key = (msg.msgctxt or None, msg.msgid)
            if key in existing:
                continue
            entry = polib.POEntry(
                msgid=msg.msgid,
                msgstr="",
                occurrences=[(msg.where.split(":")[0], "")],
                msgctxt=msg.msgctxt or None,
            )
            if msg.msgid_plural:
                entry.msgid_plural = msg.msgid_plural
                entry.msgstr_plural = {0: "", 1: ""}
            catalogue.append(entry)
            added += 1
        unused = [e for e in catalogue if (e.msgctxt, e.msgid) not in wanted]
        missing = [e for e in catalogue if (e.msgctxt, e.msgid) in wanted and not e.translated()]
        if options["check"]:
            if added or missing:
                names = "; ".join(m.msgid[:50] for m in missing[:10])
                raise CommandError(f"{added} string baru dan {len(missing)} belum diterjemahkan: {names}")
            self.stdout.write("Katalog bahasa Inggris lengkap.")
            return
        if options["prune"]:
            for entry in unused:
                catalogue.remove(entry)
        catalogue.save(str(po_path))
        self.stdout.write(
            f"{added} string ditambahkan; {len(missing)} belum diterjemahkan; {len(unused)} tidak dipakai."
        )
