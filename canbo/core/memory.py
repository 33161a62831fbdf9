"""Building many long-lived objects at once."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def without_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while many objects are built and kept.

    Each few hundred new containers set off a collection, and the older
    generations' passes walk everything built so far: a third of a large
    package import, a third of the national planning facts (1.5 s of 4.8).
    Reference counting still frees what is dropped; only cycles wait for the
    collector, and the code run under this makes none worth collecting early."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Remembered(dict):
    """`fn(key)` worked out once per key and then looked up (`table[key]`).

    For values that repeat over many rows — a choice's label, a date written
    dd/mm/yyyy, a retirement date from the same birth date and sex — where
    working each one out again costs more than a dictionary look-up. The keys
    must be few (thousands, not one per row): nothing is ever forgotten."""

    __slots__ = ("fn",)

    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def __missing__(self, key):
        value = self[key] = self.fn(key)
        return value
