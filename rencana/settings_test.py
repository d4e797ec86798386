"""Test settings: the real databases, fast password hashing, no throttling surprises."""

from rencana.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEBUG = False
