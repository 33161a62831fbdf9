"""The `canbo` console script: Django's manage.py with our settings preset."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canbo.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(
        [sys.argv[0] if sys.argv[0].endswith("canbo") else "canbo", *sys.argv[1:]]
    )


if __name__ == "__main__":
    main()
