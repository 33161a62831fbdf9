"""The oracle of scope: two requests answered alike, once the values they named are blanked.

A request naming a record outside the user's scope must get the answer the same
request gets for a record that does not exist: same status, same headers, same
body, apart from the value asked for (echoed back in messages and links) and
what changes on every request anyway (CSRF tokens, CSP nonces, the date).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

BLANK = b"#"
PER_REQUEST = [
    (re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"'), b'name="csrfmiddlewaretoken"'),
    (re.compile(rb'"X-CSRFToken": "[^"]+"'), b'"X-CSRFToken": ""'),
    (re.compile(rb"nonce-?=?\"?[A-Za-z0-9+/=_-]{8,}"), b"nonce"),
]
#: Headers that differ by the request's moment or by the length of the value echoed.
IGNORED_HEADERS = {"date", "expires", "content-length"}


def _neutral(content: bytes, values: Iterable[object]) -> bytes:
    for value in values:
        if isinstance(value, str) and value:
            content = content.replace(value.encode(), BLANK)
    for pattern, replacement in PER_REQUEST:
        content = pattern.sub(replacement, content)
    return content


def answer(response, values: Iterable[object] = ()) -> tuple[int, dict, bytes]:
    """What a client sees of an answer, with `values` (the strings asked for) blanked."""
    values = list(values)
    headers = {
        k.lower(): _neutral(v.encode(), values)
        for k, v in response.items()
        if k.lower() not in IGNORED_HEADERS
    }
    return response.status_code, headers, _neutral(response.content, values)


def assert_same_answer(ask: Callable, first, second, values=None) -> tuple[int, dict, bytes]:
    """`ask(first)` and `ask(second)` answer alike. `values(x)` lists the strings a request
    for `x` names (default: `x` itself, a string)."""
    values = values or (lambda x: [x])
    one, other = answer(ask(first), values(first)), answer(ask(second), values(second))
    assert one == other
    return one
