"""The `canbo` console script: Django's manage.py with our settings preset.

Commands may be written with hyphens (`canbo load-areas`) or underscores.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canbo.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:]
    # The command name, also after "help".
    position = 1 if args[:1] == ["help"] else 0
    if len(args) > position and not args[position].startswith("-"):
        args[position] = args[position].replace("-", "_")
    if args[:1] not in (["runserver"], ["testserver"]):
        # Only serving requests needs SECRET_KEY (see settings.py).
        os.environ.setdefault("CANBO_OFFLINE_COMMAND", "1")
    execute_from_command_line(["canbo", *args])


if __name__ == "__main__":
    main()
