"""The person box of every form that names a person: an ID number or a name, with
suggestions while typing, cleaned to one Person among those the user sees.

Shared by planning (entries, what-if), appointments (cases, tallies) and reviews
(sessions, rounds). Planning looks an ID number up by its own rule (people from
elsewhere, throttled), passed in as `by_number`; the others among the people the user
sees. A person out of sight gets the answer of an unknown number. The suggestions are
served by planning's person-suggest view (named by URL, no import).
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Person
from .selectors import people_named, person_list

ByNumber = Callable[[str], Person | None]


def find_person(user, text: str, *, by_number: ByNumber | None = None) -> Person:
    """The one person named by an ID number, "ID · name" (a suggestion) or a name."""
    text = (text or "").split(" · ", 1)[0].strip()
    if not text:
        raise forms.ValidationError(_("Hãy nhập số định danh hoặc họ tên cán bộ."))
    digits = "".join(text.split())
    if digits.isdigit():
        if by_number is None:
            person = person_list(user=user).filter(id_number=digits).first()
        else:
            person = by_number(digits)
        if person is None:
            raise forms.ValidationError(
                _("Không tìm thấy cán bộ có số định danh %(id)s.") % {"id": digits}
            )
        return person
    found = people_named(person_list(user=user), text, 2)
    if not found:
        raise forms.ValidationError(_("Không tìm thấy cán bộ nào khớp “%(text)s”.") % {"text": text})
    if len(found) > 1:
        raise forms.ValidationError(
            _("Có nhiều cán bộ khớp “%(text)s”: hãy chọn trong gợi ý hoặc nhập số định danh.")
            % {"text": text}
        )
    return found[0]


def person_text(person: Person) -> str:
    """How a chosen person shows in the box: "ID · name"."""
    return f"{person.id_number} · {person.full_name}"


class PersonField(forms.CharField):
    """One box for an ID number or a name, with suggestions (htmx) among the people the
    user sees; cleans to a Person through `find_person` once bound to its user."""

    suggest_url = "planning:person-suggest"

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Cán bộ"))
        kwargs.setdefault(
            "help_text", _("Gõ số định danh hoặc họ tên (không cần dấu) rồi chọn trong gợi ý.")
        )
        kwargs.setdefault("max_length", 300)
        super().__init__(**kwargs)
        self.user = None
        self.by_number: ByNumber | None = None
        self.widget.attrs.update({"autocomplete": "off", "placeholder": _("Số định danh hoặc họ tên")})
        self.error_messages["required"] = _("Hãy nhập số định danh hoặc họ tên cán bộ.")

    def bind(self, bound_field, *, user, by_number: ByNumber | None = None) -> None:
        """Who looks up (and how an ID number is found); suggestions while typing go into
        the box's "-suggest" sibling."""
        self.user, self.by_number = user, by_number
        self.widget.attrs.update({
            "hx-get": reverse(self.suggest_url),
            "hx-trigger": "input changed delay:250ms",
            "hx-target": f"#{bound_field.auto_id}-suggest",
            "hx-swap": "innerHTML",
        })  # fmt: skip

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        return find_person(self.user, text, by_number=self.by_number)
