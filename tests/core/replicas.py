"""A database alias "replica" made for a test, with the replica's router and middleware."""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Iterator

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import load_backend

from canbo.core import replica

ROUTER = "canbo.core.replica.ReplicaRouter"
MIDDLEWARE = "canbo.core.replica.ReplicaMiddleware"


def install(settings) -> None:
    """The router and the middleware, as the settings add them with DATABASE_REPLICA_URL."""
    settings.DATABASE_ROUTERS = [ROUTER]
    if MIDDLEWARE not in settings.MIDDLEWARE:
        middleware = list(settings.MIDDLEWARE)
        middleware.insert(middleware.index("axes.middleware.AxesMiddleware"), MIDDLEWARE)
        settings.MIDDLEWARE = middleware


@contextlib.contextmanager
def replica_alias(**overrides) -> Iterator[BaseDatabaseWrapper]:
    """The alias "replica" for the block: the default connection's settings with
    `overrides`. It is made as Django's tests call a dynamically created connection (not
    in settings.DATABASES), which every test may use; an alias configured by
    DATABASE_REPLICA_URL is put back afterwards."""
    db = {**copy.deepcopy(connections[DEFAULT_DB_ALIAS].settings_dict), **overrides}
    configured = connections.settings.pop(replica.REPLICA, None)
    saved = getattr(connections._connections, replica.REPLICA, None)
    connections[replica.REPLICA] = load_backend(db["ENGINE"]).DatabaseWrapper(db, replica.REPLICA)
    try:
        yield connections[replica.REPLICA]
    finally:
        connections[replica.REPLICA].close()
        del connections[replica.REPLICA]
        if configured is not None:
            connections.settings[replica.REPLICA] = configured
        if saved is not None:
            connections[replica.REPLICA] = saved


def sqlite_replica(path) -> contextlib.AbstractContextManager[BaseDatabaseWrapper]:
    """A replica that is an SQLite file (whatever the primary's engine): for the router's
    decisions, which do not depend on the engine."""
    return replica_alias(
        ENGINE="django.db.backends.sqlite3", NAME=str(path), OPTIONS={},
        HOST="", PORT="", USER="", PASSWORD="",
    )  # fmt: skip
