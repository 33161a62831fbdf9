"""Read a JSON data package as `canbo import` does, and report the time and peak memory.

Usage (from the repository root):

    .venv/bin/python benchmarks/json_package_read.py goi.json

It runs `canbo.exchange.readers.read_package` (the byte-level value bound, then the
reading of every sheet into the package's rows) in this process, after Django is set up,
and prints one JSON line: wall and CPU seconds, sheets and rows read, problems, the
process's resident memory before reading and its peak (VmHWM, from /proc/self/status).
No database is touched. Not a unit test. Package a database with `canbo export --format
json -o goi.json`; a file over the import limits needs CANBO_IMPORT_MAX_BYTES and
CANBO_IMPORT_MAX_CELLS raised in the environment.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canbo.settings")
os.environ.setdefault("CANBO_OFFLINE_COMMAND", "1")


def status_mb(field: str) -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path", type=Path)
    args = parser.parse_args()

    import django

    django.setup()
    from canbo.exchange.readers import read_package

    before = status_mb("VmRSS")
    started, cpu = time.perf_counter(), time.process_time()
    package = read_package(args.path)
    result = {
        "file_mb": round(args.path.stat().st_size / (1024 * 1024), 1),
        "seconds": round(time.perf_counter() - started, 2),
        "cpu_seconds": round(time.process_time() - cpu, 2),
        "sheets": len(package.sheets),
        "rows": sum(len(rows.rows) for rows in package.sheets.values()),
        "problems": len(package.problems),
        "rss_before_mb": round(before),
        "peak_mb": round(status_mb("VmHWM")),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
