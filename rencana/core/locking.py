"""Optimistic locking: an edit carries the version it was based on; a stale one is refused."""

from collections.abc import Iterable

from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from rencana.core.errors import ConflictError
from rencana.core.models import VersionedModel

STALE_MESSAGE = gettext_noop(
    "Data ini telah diubah oleh pengguna lain sejak Anda membukanya (versi {expected}, sekarang {current}). "
    "Tidak ada yang ditimpa: muat ulang halaman, periksa perubahan terbaru, lalu ulangi suntingan Anda."
)


def save_versioned(instance: VersionedModel, *, expected_version: int, fields: Iterable[str]) -> None:
    """Write `fields` only if the row still has `expected_version`; bump the version."""
    model = type(instance)
    values = {name: getattr(instance, model._meta.get_field(name).attname) for name in fields}  # type: ignore[union-attr]
    updated = model._default_manager.filter(pk=instance.pk, version=expected_version).update(
        **values, version=F("version") + 1
    )
    if updated == 0:
        current = model._default_manager.filter(pk=instance.pk).values_list("version", flat=True).first()
        raise ConflictError(
            _(STALE_MESSAGE).format(expected=expected_version, current=current), code="versi_usang"
        )
    instance.version = expected_version + 1
