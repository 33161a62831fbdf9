"""Running background work in tests with the real worker of django-tasks' database backend.

`run_queued()` takes every ready task as `canbo db_worker` does (claim, then
`Worker.run_task`), inside the test's transaction. `worker_thread()` runs the worker's own
loop in a thread, for browser tests (live server, committed data).
"""

from __future__ import annotations

import contextlib
import threading

from django.db import connection
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def _worker(**options) -> Worker:
    return Worker(queue_names=["default"], interval=0.1, batch=False, backend_name="default",
                  startup_delay=False, max_tasks=None, worker_id="tests",
                  excluded_queue_names=[], **options)  # fmt: skip


def run_queued() -> int:
    """Run the tasks waiting now (and those they enqueue); returns how many ran."""
    worker = _worker()
    ran = 0
    while True:
        result = DBTaskResult.objects.ready().order_by("enqueued_at").first()
        if result is None:
            return ran
        result.claim(worker.worker_id)
        worker.run_task(result)
        ran += 1


@contextlib.contextmanager
def worker_thread():
    """The worker's loop (`db_worker`) in a thread for the block's duration."""
    worker = _worker()

    def loop():
        try:
            worker.run()
        finally:
            connection.close()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield worker
    finally:
        worker.running = False
        thread.join(timeout=10)
