"""Reads from a PostgreSQL streaming replica (docs/adr/0021-read-replica.md).

With DATABASE_REPLICA_URL set, the settings add the database alias "replica",
`ReplicaRouter` and `ReplicaMiddleware`; without it none of this is used. A read goes to
the replica only when all of these hold:

- it is made by replica-eligible work: the GET (or HEAD) request of a view marked
  `@replica_reads` (lists, searches, reports, exports), or a background job registered
  with `replica_reads=True` (an export);
- its model is not in PRIMARY_ONLY (accounts, sessions, sign-in protection, jobs: who may
  do what, and the work's own state, are always read fresh);
- no transaction is open on the primary (a transaction reads what it wrote, in one place);
- the reader has not written in the last CANBO_REPLICA_STICKY_SECONDS (read your own
  writes: a request or a background job that wrote a row the replica serves keeps its
  user's reads on the primary for the window, noted in the default cache);
- the replica answers; if it does not, the primary does, and the replica is tried again
  RETRY_SECONDS later.

Writes always go to the primary.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, router

REPLICA = "replica"
#: Apps whose rows are never read from the replica: users, grants and API tokens (a
#: revoked right takes effect at once), sessions and sign-in protection, two-factor
#: devices, and background jobs with their queue (the work's own state).
PRIMARY_ONLY = frozenset(
    {
        "accounts",
        "auth",
        "sessions",
        "axes",
        "django_otp",
        "otp_totp",
        "knox",
        "jobs",
        "django_tasks_database",
    }
)
#: Writes that change nothing a replica-eligible page shows: the access log records reads.
NOT_SHOWN = frozenset({"core.accessevent"})
#: After the replica failed to answer, the primary serves its reads for this long.
RETRY_SECONDS = 30
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

logger = logging.getLogger(__name__)


def configured() -> bool:
    """Whether reads may go to a replica: the settings installed its router."""
    return any(isinstance(each, ReplicaRouter) for each in router.routers)


# --- read your own writes ---------------------------------------------------------------


def _sticky_key(user_pk: Any) -> str:
    return f"canbo:replica:sticky:{user_pk}"


def stick_to_primary(user) -> None:
    """`user` has just written: their reads go to the primary for the sticky window."""
    seconds = settings.CANBO_REPLICA_STICKY_SECONDS
    if configured() and seconds > 0 and getattr(user, "pk", None) is not None:
        cache.set(_sticky_key(user.pk), True, seconds)


def is_sticky(user) -> bool:
    return bool(cache.get(_sticky_key(user.pk)))


# --- the work being done: a request or a background job ---------------------------------


class _Work:
    """Whose work it is, whether its reads may come from the replica (decided at its first
    routed read and kept to its end), and whether it wrote."""

    __slots__ = ("_user", "eligible", "wrote", "_allowed")

    def __init__(self, user: Callable[[], Any], eligible: bool = False):
        self._user = user  # a request's user may be known late (an API token)
        self.eligible = eligible
        self.wrote = False
        self._allowed: bool | None = None

    def user(self):
        return self._user()

    def replica_allowed(self) -> bool:
        if not self.eligible:
            return False
        if self._allowed is None:
            user = self.user()
            if user is None or not user.is_authenticated:
                return False  # not signed in (yet): the primary, decided again next time
            self._allowed = not is_sticky(user) and _replica_answers()
        return self._allowed

    def ended(self) -> None:
        if self.wrote:
            user = self.user()
            if user is not None and user.is_authenticated:
                stick_to_primary(user)


_current: contextvars.ContextVar[_Work | None] = contextvars.ContextVar(
    "canbo_replica_work", default=None
)
_down_until = 0.0


def _replica_answers() -> bool:
    global _down_until
    if time.monotonic() < _down_until:
        return False
    connection = connections[REPLICA]
    try:
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except DatabaseError:
        _down_until = time.monotonic() + RETRY_SECONDS
        logger.warning(
            "The read replica does not answer; the primary serves its reads for %s s.",
            RETRY_SECONDS,
            exc_info=True,
        )
        return False
    return True


@contextlib.contextmanager
def work_for(user, *, replica_reads: bool = False) -> Iterator[None]:
    """Background work done for `user`: with `replica_reads` (an export) its reads may come
    from the replica; if it writes (an import), `user` then reads from the primary."""
    work = _Work(lambda: user, eligible=replica_reads)
    token = _current.set(work)
    try:
        yield
    finally:
        _current.reset(token)
        work.ended()


def current_work_reads_replica() -> bool:
    """Whether the work under way may read from the replica (for a helper process that
    does part of it: it asks for the same with `work_for`)."""
    work = _current.get()
    return work is not None and work.eligible


def replica_reads(view=None, *, actions: Iterable[str] = ()):
    """Mark a view whose GET requests may read from the replica: a list, search, report or
    export, whose data may be a moment old (never older than the reader's own writes).

    `@replica_reads` on a view class or function; `@replica_reads(actions=("list",))` on a
    REST framework viewset names the actions that may.
    """

    def mark(target):
        target.replica_reads = frozenset(actions) if actions else True
        return target

    return mark(view) if view is not None else mark


def marked(view_func) -> bool:
    """Whether the GET requests of `view_func` (as resolved from a URL) may read from the
    replica."""
    owner = getattr(view_func, "view_class", None) or getattr(view_func, "cls", None)
    mark = getattr(owner or view_func, "replica_reads", False)
    if mark is True:
        return True
    viewset_actions = getattr(view_func, "actions", None) or {}  # method -> action
    return bool(mark) and viewset_actions.get("get") in mark


class ReplicaMiddleware:
    """Let the GET requests of marked views read from the replica; after a request that
    wrote, keep its user's reads on the primary for the sticky window."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        work = _Work(lambda: getattr(request, "user", None))  # an API token's is set late
        token = _current.set(work)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
            work.ended()

    def process_view(self, request, view_func, view_args, view_kwargs):
        work = _current.get()
        if work is not None and request.method in READ_METHODS and marked(view_func):
            work.eligible = True


class ReplicaRouter:
    """Reads of replica-eligible work to the replica (see the module's docstring); every
    write, and every other read, to the primary."""

    def db_for_read(self, model, **hints):
        work = _current.get()
        if (
            work is None
            or model._meta.app_label in PRIMARY_ONLY
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
            or not work.replica_allowed()
        ):
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model, **hints):
        work = _current.get()
        if (
            work is not None
            and model._meta.app_label not in PRIMARY_ONLY
            and model._meta.label_lower not in NOT_SHOWN
        ):
            work.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # A row read from the replica is the primary's row: it may be linked to any other.
        if {obj1._state.db, obj2._state.db} <= {None, DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, **hints):
        return False if db == REPLICA else None


@checks.register(checks.Tags.caches)
def sticky_window_is_shared(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """With a replica, the sticky window must be seen by every server process."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if not configured() or not backend.endswith("LocMemCache"):
        return []
    return [
        checks.Warning(
            "DATABASE_REPLICA_URL is set but the cache is each process's own: a user's "
            "write is followed to the primary only by the process that served it.",
            hint="Set CANBO_CACHE_DIR (docs/operator.md, Read replica).",
            id="canbo.W001",
        )
    ]
