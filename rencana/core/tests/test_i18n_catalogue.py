from pathlib import Path

import polib
from django.conf import settings
from django.test import Client
from django.utils import translation

from rencana.core.i18n_catalogue import collect_messages, messages_in_template

PO_PATH = Path(settings.PACKAGE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_extractor_reads_translate_and_blocktranslate(tmp_path: Path) -> None:
    template = tmp_path / "t.html"
    template.write_text(
        '{% load i18n %}{% translate "Masuk" %}'
        "{% blocktranslate trimmed with n=x %}\n  Halaman {{ n }}\n  dari semua{% endblocktranslate %}"
        "{% blocktranslate count c=k %}{{ c }} baris{% plural %}{{ c }} baris{% endblocktranslate %}",
        encoding="utf-8",
    )
    found = {(m.msgid, m.msgid_plural) for m in messages_in_template(template)}
    assert ("Masuk", "") in found
    assert ("Halaman %(n)s dari semua", "") in found
    assert ("%(c)s baris", "%(c)s baris") in found


def test_english_catalogue_translates_every_string_of_the_product() -> None:
    catalogue = {(e.msgctxt or "", e.msgid): e for e in polib.pofile(str(PO_PATH))}
    missing = [
        f"{m.where}: {m.msgid!r}"
        for m in collect_messages(Path(settings.PACKAGE_DIR))
        if (m.msgctxt, m.msgid) not in catalogue or not catalogue[(m.msgctxt, m.msgid)].translated()
    ]
    assert not missing, "Run `rencana messages_sync` and translate:\n" + "\n".join(missing[:40])


def test_english_catalogue_has_no_fuzzy_entries() -> None:
    assert not polib.pofile(str(PO_PATH)).fuzzy_entries()


def test_login_page_speaks_english_when_chosen(db: None) -> None:
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/akun/masuk/"})
    body = client.get("/akun/masuk/").content.decode()
    with translation.override("en"):
        assert translation.gettext("Masuk ke Rencana") != "Masuk ke Rencana"
    assert '<html lang="en">' in body
    assert "Masuk ke Rencana" not in body
