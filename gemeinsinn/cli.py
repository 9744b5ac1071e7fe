"""The `gemeinsinn` console script: Django's manage.py for the installed package."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gemeinsinn.settings")
    from django.core.management import execute_from_command_line

    from gemeinsinn.env import SettingError

    try:
        execute_from_command_line(sys.argv)
    except SettingError as exc:
        sys.stderr.write(f"gemeinsinn: configuration error: {exc}\n")
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
