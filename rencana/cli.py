"""The `rencana` command: Django's management commands with Rencana's settings.

`rencana migrate`, `rencana runserver`, `rencana regions load`, `rencana calc angka`, ...
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rencana.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["rencana", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
