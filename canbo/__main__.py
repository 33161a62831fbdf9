"""The `canbo` console script: Django's manage.py with our settings preset.

Commands may be written with hyphens (`canbo load-areas`) or underscores.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canbo.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:]
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    execute_from_command_line(["canbo", *args])


if __name__ == "__main__":
    main()
