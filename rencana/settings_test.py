"""Test settings: the real databases, fast password hashing, no throttling surprises."""

from rencana.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEBUG = False

import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

# Uploaded evidence written by tests goes to a temporary directory, never into ./var.
MEDIA_ROOT = Path(tempfile.gettempdir()) / "rencana-test-media"
