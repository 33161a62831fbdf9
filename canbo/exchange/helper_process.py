"""The helper process of a large export (exchange.helper): where it starts.

Run as `python -m canbo.exchange.helper_process TASK.json`: a new interpreter
(never a fork of a process that holds database connections and threads) that
sets Django up on the exporting process's databases, takes sheets from the
shared counter, writes them, and notes each one in the task's `done` file. Only
the standard library is imported before Django is set up; the work itself is
`helper_work.helper_sheets`.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def main(task_path: str) -> None:
    task = json.loads(Path(task_path).read_text())
    os.environ["DJANGO_SETTINGS_MODULE"] = task["settings_module"]
    import django

    django.setup()
    from django.conf import settings
    from django.db import connections
    from django.utils import translation

    for alias, name in task["databases"].items():
        settings.DATABASES[alias]["NAME"] = name
        connections[alias].settings_dict["NAME"] = name
    translation.activate(task["language"])
    from .helper_work import helper_sheets

    helper_sheets(task)


if __name__ == "__main__":
    main(sys.argv[1])
