"""OPD import (placeholder until the import framework lands in this change)."""

from pathlib import Path
from typing import Any


def opd_import_run(*, actor: Any, pemda: Any, path: Path, dry_run: bool) -> Any:
    raise RuntimeError("belum tersedia")


def opd_import_template_bytes() -> bytes:
    raise RuntimeError("belum tersedia")
