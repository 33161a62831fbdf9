"""Asking for the key leaders of a unit at a date: the query (page and API), the scope,
and the words both show ("2/3 (66,67%)", "Có/Không/Chưa xác định").

`canbo.people.leaders.key_leaders` answers for a unit's whole subtree; a user whose
grant covers a unit without its subtree sees only the posts of the units in scope, the
summary and the double holdings counted over those alone.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from canbo.core import scope
from canbo.core.vntext import is_clean_text
from canbo.organizations.choices import UnitLevel
from canbo.organizations.forms import unit_named
from canbo.organizations.models import Unit
from canbo.organizations.selectors import unit_list

from . import selectors
from .filtersets import UNIT_SEPARATOR, UNKNOWN_PARAMS, AsOfField
from .leaders import KeyLeaders, KeyPost, TitleSummary, key_leaders
from .leaders_summary import key_leader_summary
from .tenure import duration_text

#: The parameters the page reads; the API reads `format` too.
PARAMS = ("unit", "as_of", "level")
UNIT_NOT_FOUND = _("Không có đơn vị “%(unit)s”.")
UNKNOWN_PARAM = _("Tham số không được nhận. Các tham số được nhận: %(accepted)s.")
LOCAL_TEXT = {True: _("Có"), False: _("Không"), None: _("Chưa xác định")}


class KeyLeadersQuery(forms.Form):
    """unit (code, "CODE · Name" from the suggestions, or the exact name of one unit in
    scope), as_of (dd/mm/yyyy or YYYY-MM-DD; today when blank), level (a UnitLevel value).

    A unit no one has and a unit outside the user's scope get the same error (code
    "not_found"): the answer never tells that a unit exists elsewhere (ADR 0010).
    """

    unit = forms.CharField(
        label=_("Đơn vị"),
        max_length=200,
        error_messages={"required": _("Trường này là bắt buộc.")},
        help_text=_("Mã hoặc tên đơn vị: các chức danh chủ chốt của đơn vị và trực thuộc."),
    )
    as_of = AsOfField(label=_("Ngày"), required=False)
    level = forms.ChoiceField(
        label=_("Cấp"),
        required=False,
        choices=[("", _("Tất cả các cấp")), *UnitLevel.choices],
        error_messages={
            "invalid_choice": format_lazy(
                _("Cấp “%(value)s” không có; chọn một trong: {allowed}."),
                allowed=", ".join(UnitLevel.values),
            )
        },
    )

    # API only (strict: anything but true/false is an error, never ignored).
    posts = forms.ChoiceField(
        label=_("Danh sách chức danh"),
        required=False,
        choices=[("true", _("Có")), ("false", _("Không"))],
        error_messages={"invalid_choice": _("“%(value)s” không hợp lệ; hãy viết true hoặc false.")},
    )

    def __init__(self, data=None, *, user, accepted: tuple[str, ...] = PARAMS, **kwargs):
        super().__init__(data, **kwargs)
        self.user, self.accepted = user, accepted
        self.unknown = [key for key in (data or {}) if key not in accepted]

    def clean(self):
        cleaned = super().clean()
        if self.unknown:
            self.add_error(
                None,
                UNKNOWN_PARAMS
                % {"unknown": ", ".join(self.unknown), "accepted": ", ".join(self.accepted)},
            )
        return cleaned

    def api_errors(self) -> dict[str, list[str]]:
        """The errors by parameter, as the API answers them (an unknown parameter under
        its own name, worded as `canbo.api.permissions.CleanRequestInput` words it)."""
        errors = {key: [unknown_param_message(self.accepted)] for key in self.unknown}
        for name, messages in self.errors.items():
            if name != NON_FIELD_ERRORS:
                errors[name] = list(messages)
        return errors

    def clean_posts(self) -> bool:
        return self.cleaned_data.get("posts") != "false"

    def clean_as_of(self) -> dt.date:
        return self.cleaned_data.get("as_of") or selectors.today()

    def clean_unit(self) -> Unit:
        text = self.cleaned_data["unit"].strip()
        if not text or not is_clean_text(text):
            raise forms.ValidationError(UNIT_NOT_FOUND, code="not_found", params={"unit": text})
        units = unit_list(user=self.user)
        code = text.split(UNIT_SEPARATOR, 1)[0].strip()
        unit = units.filter(code=code).first()
        if unit is not None:
            return unit
        unit = unit_named(units, text)  # several: the error naming their codes
        if unit is None:
            raise forms.ValidationError(UNIT_NOT_FOUND, code="not_found", params={"unit": text})
        return unit

    @property
    def unit_not_found(self) -> bool:
        """Only the unit is wrong, and it names no unit the user sees (the API's 404)."""
        errors = self.errors.as_data()
        return list(errors) == ["unit"] and all(e.code == "not_found" for e in errors["unit"])


def unknown_param_message(accepted) -> str:
    return str(UNKNOWN_PARAM) % {"accepted": ", ".join(accepted)}


def visible_key_leaders(*, user, unit: Unit, on: dt.date, level: str | None = None,
                        posts: bool = True) -> KeyLeaders:  # fmt: skip
    """`key_leaders` of `unit` (which the user may view), limited to the units of its
    subtree in the user's scope (inside the same statement); `key_leader_summary` when
    `posts` is false."""
    within = None
    if not scope.is_administrator(user):
        within = unit_list(user=user).filter(path__startswith=unit.path).values("pk")
    read = key_leaders if posts else key_leader_summary
    return read(unit=unit, on=on, level=level or None, within=within)


# --- Words ------------------------------------------------------------------------------


def percent_text(value) -> str:
    """Decimal("66.67") -> "66,67%"; None -> "—"."""
    return "—" if value is None else f"{value}%".replace(".", ",")


def share_text(summary: TitleSummary) -> str:
    """"2/3 (66,67%)": not local of the posts held; "0/0" when none is held."""
    text = f"{summary.not_local}/{summary.held}"
    share = summary.share_not_local
    return text if share is None else f"{text} ({percent_text(share)})"


def summary_sentence(summary: TitleSummary) -> str:
    """"Bí thư Huyện ủy — Cấp huyện: 2/3 không phải người địa phương (66,67%)"."""
    text = _("%(title)s — %(level)s: %(count)s không phải người địa phương") % {
        "title": summary.title.name,
        "level": level_label(summary.level),
        "count": f"{summary.not_local}/{summary.held}",
    }
    share = summary.share_not_local
    return text if share is None else f"{text} ({percent_text(share)})"


def level_label(level: str) -> str:
    return str(UnitLevel(level).label) if level in UnitLevel.values else level


def local_text(local: bool | None) -> str:
    return str(LOCAL_TEXT[local])


def tenure_duration(post: KeyPost) -> str:
    return "" if post.tenure_months is None else duration_text(post.tenure_months)


def also_holds_titles(post: KeyPost) -> list:
    """The other key titles the holder holds at the date, each once, in the posts' order."""
    seen: dict = {}
    for other in post.also_holds:
        if other.title.pk != post.title.pk:
            seen.setdefault(other.title.pk, other.title)
    return list(seen.values())
