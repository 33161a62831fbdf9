"""Clean text: no control characters, no characters that reorder text, in names and codes.

A name or a code is read by people on screens, in lists and in printed
documents. Control characters (BEL, ESC, …, C0 and C1) print nothing or garble
terminals, and the bidirectional controls (U+202A–U+202E overrides and
embeddings, U+2066–U+2069 isolates, U+200E/U+200F marks, U+061C) make text
display in another order than it is stored: "Nguyễn\u202eAn" shows "nA" and a
code can be made to look like another one. These validators refuse them with
a message that names the character.

`validate_line` is for one-line text (names, codes, titles, decision numbers):
nothing of the above, tab and line breaks included. `validate_multiline` is
for notes and reasons, which may hold tabs and line breaks.

They are attached to the model fields, so every path that validates a record
(forms, the API through the services' `full_clean`, the data package import)
refuses the same characters with the same words.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{BIDI_CONTROLS}]")
_MULTILINE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{BIDI_CONTROLS}]")

CONTROL_MESSAGE = _(
    "Có ký tự điều khiển không được phép (%(code)s, không hiển thị được); hãy xóa ký tự này "
    "rồi nhập lại."
)
BIDI_MESSAGE = _(
    "Có ký tự đảo chiều văn bản không được phép (%(code)s, làm chữ hiển thị sai thứ tự); hãy "
    "xóa ký tự này rồi nhập lại."
)


def forbidden_character(value: str, *, multiline: bool = False) -> str | None:
    """The first character of `value` these rules refuse, or None."""
    if value.isprintable():  # the usual text: one pass in C, nothing refused
        return None
    match = (_MULTILINE if multiline else _LINE).search(value)
    return match.group() if match else None


def forbidden_message(char: str) -> str:
    """Why `char` is refused, in Vietnamese, naming it by its code point."""
    code = f"U+{ord(char):04X}"
    message = BIDI_MESSAGE if char in BIDI_CONTROLS else CONTROL_MESSAGE
    return str(message) % {"code": code}


def _check(value, multiline: bool) -> None:
    if not isinstance(value, str):
        return
    char = forbidden_character(value, multiline=multiline)
    if char is not None:
        raise ValidationError(forbidden_message(char), code="forbidden_character")


def validate_line(value) -> None:
    """One-line text: no control (tab and line breaks included) or bidirectional character."""
    _check(value, multiline=False)


def validate_multiline(value) -> None:
    """Text of several lines: tab and line breaks allowed, other controls and bidi refused."""
    _check(value, multiline=True)


def ensure_not_after(field: str, value, today) -> None:
    """A date the user says something happened on cannot be after `today`."""
    if value is not None and value > today:
        raise ValidationError({field: _("Ngày này không được sau ngày hôm nay.")})
