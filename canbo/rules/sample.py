"""A small sample of facts on which a rule's parameters are tried before they are saved.

An administrator tunes a rule's parameters in the admin (`canbo.rules.admin`).
Rather than describe each parameter in a hand-written schema, the parameters
are tried the way the pages will use them: the rule's own check runs over
`SAMPLE`, a few plans and appointment cases built so that every parameter P1–P9
and A1–A10 read is read and used (several people on one position, one person on several positions, both
sexes and a spread of ages, incumbents and new first-time entries, an open
appointment case, a discipline in force and lapsed ones with and without an
exception, a "not completed" rating, a low confidence vote, a review long
ago, a plan awaiting approval since long ago, a minority share, one plan of
every level). Any error the check raises refuses the parameters.

Two things a run cannot see are also refused: a value whose JSON kind differs
from the same parameter in the shipped rule set (`true` written "false" would
still run: `bool("false")` is true; a list of forms written as one text would
be read letter by letter), and a key the check never reads (a misspelt
optional parameter would silently keep the default).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from . import sample_posts, sample_reviews, sample_rotation
from .checks import CHECKS
from .choices import Severity
from .engine import (
    run_case_checks,
    run_checks,
    run_post_checks,
    run_review_checks,
    run_rotation_checks,
)
from .facts import (
    CaseFacts,
    CheckContext,
    DisciplineFacts,
    EntryFacts,
    HeldPost,
    PersonFacts,
    PlanFacts,
    PositionFacts,
    PostSpan,
    RatingFacts,
    StepFacts,
    VoteFacts,
)
from .loader import read_rule_sets
from .ruleset import NoRuleSetInForce, ParameterError, RuleData, RuleSetData, freeze, thaw

# What a check may raise on a bad parameter.
PARAMETER_ERRORS = (
    ParameterError,
    ValueError,
    TypeError,
    KeyError,
    AttributeError,
    ArithmeticError,  # ZeroDivisionError, OverflowError
)

AS_OF = dt.date(2026, 3, 1)
CTX = CheckContext(as_of=AS_OF)
TERM = (dt.date(2030, 10, 1), dt.date(2035, 9, 30))
LAST_REVIEW = dt.date(2024, 6, 1)  # long ago: P8 is overdue
BEFORE_REVIEW = dt.date(2023, 3, 1)  # entries of incumbents (P5 skips them, P7 judges their age)
NEW = dt.date(2026, 1, 15)  # entries added since the last review


def _position(id, name, rank, level="province", management_level=2, seats=1):
    return PositionFacts(
        id=id, unit_id=id, name=name, title_code=f"S{id}", level=level, rank=rank,
        management_level=management_level, seats=seats,
    )  # fmt: skip


POSITIONS = (
    _position(1, "Bí thư Tỉnh ủy", 100, management_level=1),
    _position(2, "Phó Bí thư Tỉnh ủy", 92, management_level=1, seats=2),
    _position(3, "Chủ tịch UBND tỉnh", 90, management_level=1),
    _position(4, "Phó Chủ tịch UBND tỉnh", 80, seats=3),
    _position(5, "Giám đốc Sở Nội vụ", 70),
    _position(6, "Thứ trưởng Bộ Nội vụ", 110, level="central", management_level=1),
    _position(7, "Bí thư Huyện ủy", 50, level="district", management_level=3),
    _position(8, "Bí thư Đảng ủy xã", 40, level="commune", management_level=4),
)


def _person(id, name, sex, born, **extra):
    return PersonFacts(
        id=id, id_number=f"0010{born.year % 100:02d}{id:06d}", full_name=name, sex=sex,
        birth_date=born, **{"is_minority": False, **extra},
    )  # fmt: skip


def _post(position_id, rank, level="province", management_level=2):
    return HeldPost(position_id, level, rank, management_level)


PEOPLE = (
    # Holds a post of rank 70, planned for five positions (one of them the post he holds).
    _person(1, "Trần Văn An", "M", dt.date(1975, 5, 10), posts=(_post(5, 70),),
            ratings=(RatingFacts(2025, "not_completed"),)),
    _person(2, "Lê Thị Bình", "F", dt.date(1985, 3, 15), is_minority=True,
            posts=(_post(4, 80),),
            disciplines=(
                # Lapsed reprimand: the third exception of QĐ 377.
                DisciplineFacts("reprimand", dt.date(2023, 5, 1), dt.date(2024, 5, 1)),
                # Lapsed demotion: heavier forms stay flagged.
                DisciplineFacts("demotion", dt.date(2022, 1, 1), expired=True),
            )),
    _person(3, "Phạm Văn Cường", "M", dt.date(1968, 7, 1),
            disciplines=(DisciplineFacts("warning", dt.date(2025, 11, 1)),),
            latest_vote=VoteFacts(year=2025, low=80, base=100)),
    _person(4, "Hoàng Thị Dung", "F", dt.date(1990, 2, 2),
            disciplines=(DisciplineFacts("warning", dt.date(2024, 1, 1), dt.date(2025, 1, 1),
                                         exception="expired"),),
            latest_vote=VoteFacts(year=2025, low=0, base=0)),
    # An appointment case opened before her entries were added.
    _person(5, "Vũ Thị Em", "F", dt.date(1980, 8, 20), open_case_since=dt.date(2025, 9, 1)),
    # New, first-time entries across ages: whatever the first-time months, someone falls short.
    *(
        _person(10 + i, f"Người thử {i}", "M" if i % 2 else "F", dt.date(1966 + 4 * i, 1, 1))
        for i in range(8)
    ),
)  # fmt: skip


def _entry(person_id, position_id, added_on=NEW, **extra):
    return EntryFacts(person_id=person_id, position_id=position_id, added_on=added_on, **extra)


def _plan(id, name, level, entries, **extra):
    return PlanFacts(
        id=id, unit_id=id, name=name, level=level, term_start=TERM[0], term_end=TERM[1],
        entries=tuple(entries), **extra,
    )  # fmt: skip


PLANS = (
    _plan(
        1, "Ban Thường vụ Tỉnh ủy (mẫu)", "province",
        [
            # Four people on one position, one person on four positions of one level.
            *(_entry(p, 2, BEFORE_REVIEW) for p in (1, 2, 3, 4)),
            _entry(1, 1, BEFORE_REVIEW),
            _entry(1, 3, BEFORE_REVIEW),
            _entry(1, 4, BEFORE_REVIEW),
            _entry(1, 5, BEFORE_REVIEW),  # the post he holds
            _entry(2, 4, BEFORE_REVIEW),  # the post she holds, same rank
            _entry(5, 4, dt.date(2025, 8, 1)),  # before her case opened
            _entry(5, 3, dt.date(2025, 10, 1)),  # during her case
            *(_entry(10 + i, 4, first_time=True) for i in range(8)),
            _entry(3, 1, BEFORE_REVIEW, removed_on=LAST_REVIEW, removal_reason="Kỷ luật"),
        ],
        approved_on=dt.date(2022, 6, 1),
        last_reviewed_on=LAST_REVIEW,
        min_minority_share=Fraction(1, 2),
    ),
    # Same term, another level, awaiting approval since long ago (never approved).
    _plan(
        2, "Bộ Nội vụ (mẫu)", "central",
        [_entry(1, 6), _entry(4, 6), _entry(12, 6, first_time=True)],
        awaiting_approval_since=dt.date(2025, 11, 3),
    ),
    _plan(3, "Huyện ủy (mẫu)", "district", [_entry(13, 7), _entry(3, 7, BEFORE_REVIEW)],
          approved_on=dt.date(2020, 1, 1)),
    _plan(4, "Đảng ủy xã (mẫu)", "commune", [_entry(14, 8), _entry(2, 8)],
          last_reviewed_on=dt.date(2025, 12, 1)),
)  # fmt: skip


# Appointment cases over the same people and positions (A rules): one with its dossier
# complete and no decision (A7 counts working days), one decided in 2021 whose term ends
# (A8), a candidate under discipline (A4), an external nomination (A1).
CASES = (
    CaseFacts(id=1, person_id=3, kind="appoint", position_id=5, opened_on=dt.date(2026, 1, 5),
              dossier_received_on=dt.date(2026, 1, 10), dossier_complete_on=dt.date(2026, 1, 12),
              plan_entries=(_entry(3, 7, BEFORE_REVIEW),)),
    CaseFacts(id=2, person_id=1, kind="appoint", position_id=4, opened_on=dt.date(2021, 2, 1),
              dossier_received_on=dt.date(2021, 2, 3), dossier_complete_on=dt.date(2021, 3, 5),
              decision_date=dt.date(2021, 2, 20), closed_on=dt.date(2021, 2, 20),
              outcome="decided", term_start=dt.date(2021, 3, 1), term_end=dt.date(2026, 2, 28)),
    CaseFacts(id=3, person_id=5, kind="nominate", position_id=3, opened_on=dt.date(2025, 9, 1),
              internal=False),
    # Nine months in her current rank before a higher post (A2).
    CaseFacts(id=4, person_id=2, kind="appoint", position_id=3, opened_on=dt.date(2026, 1, 5),
              post_history=(PostSpan(4, 4, 80, dt.date(2025, 6, 1)),)),
    # A step without its quorum (A6).
    CaseFacts(id=5, person_id=4, kind="appoint", position_id=5, opened_on=dt.date(2026, 1, 5),
              steps=(StepFacts(1, dt.date(2026, 1, 8), 10, 5, closed_on=dt.date(2026, 1, 8)),)),
    # A party committee candidate close to retirement (A9); three candidates for one seat
    # (A10).
    CaseFacts(id=6, person_id=10, kind="nominate", position_id=8, opened_on=dt.date(2026, 1, 5),
              unit_kind="party_committee", election_on=dt.date(2026, 6, 1)),
    *(CaseFacts(id=7 + i, person_id=11 + i, kind="nominate", position_id=7,
                opened_on=dt.date(2026, 1, 5), competent_unit_id=7, seats=1,
                election_on=dt.date(2026, 5, 1)) for i in range(3)),
)  # fmt: skip


@functools.cache
def shipped_rule_set() -> RuleSetData:
    """The shipped default rule set, from its data file (no database)."""
    data = read_rule_sets()[0]
    return RuleSetData(
        code=data["code"],
        name=data["name"],
        effective_from=data["effective_from"],
        note=data["note"],
        rules=tuple(RuleData(**r) for r in data["rules"]),
    )


def run_sample(rule_set: RuleSetData, codes=None):
    """The findings of `rule_set` over the sample: its plans, its cases, then its sessions
    and rounds (`sample_reviews`)."""
    return [
        *run_checks(PLANS, PEOPLE, POSITIONS, rule_set, CTX, codes=codes),
        *run_case_checks(CASES, PEOPLE, POSITIONS, rule_set, CTX, codes=codes),
        *run_review_checks(sample_reviews.FACTS, rule_set, CTX, codes=codes),
        *run_rotation_checks(sample_rotation.FACTS, rule_set, CTX, codes=codes),
        *run_post_checks(sample_posts.FACTS, rule_set, CTX, codes=codes),
    ]


# --- Trying parameters ------------------------------------------------------------------


class _Reads(dict):
    """Parameters that remember which keys a check read."""

    def __init__(self, *args):
        super().__init__(*args)
        self.read: set[str] = set()

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)

    def __contains__(self, key):
        self.read.add(key)
        return super().__contains__(key)


def _is_share(text: str) -> bool:
    try:
        Fraction(text)
    except (ValueError, ZeroDivisionError):
        return False
    return True


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list | tuple):
        return "list"
    if isinstance(value, Mapping):
        return "object"
    return "null"


def _kind_label(kind: str) -> str:
    return {
        "boolean": _("true hoặc false"),
        "integer": _("một số nguyên"),
        "number": _("một số"),
        "text": _("một chuỗi trong ngoặc kép"),
        "share": _('một tỷ lệ (như "1/4" hoặc 0.25)'),
        "list": _("một danh sách [ … ]"),
        "object": _("một đối tượng { … }"),
    }.get(kind, kind)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _mismatch(value: Any, default: Any) -> str | None:
    """The kind `value` should have, when it differs from the shipped `default`; else None."""
    expected = _kind(default)
    if expected == "null":
        return None
    actual = _kind(value)
    if expected == "text" and _is_share(default):
        return None if actual in ("text", "integer", "number") else "share"
    if expected == "number" and actual == "integer":
        return None
    if actual != expected:
        return expected
    if expected == "list" and default:
        for item in value:
            if _mismatch(item, default[0]) is not None:
                return expected
    if expected == "object" and default:
        sample = next(iter(default.values()))
        for key, item in value.items():
            if _mismatch(item, default.get(key, sample)) is not None:
                return expected
    return None


def _type_problems(code: str, parameters: Mapping[str, Any]) -> list[str]:
    shipped = shipped_rule_set().rule(code)
    if shipped is None:
        return []
    defaults = thaw(shipped.parameters)
    out = []
    for key, value in parameters.items():
        if key not in defaults:
            continue
        expected = _mismatch(value, defaults[key])
        if expected is not None:
            out.append(
                _("“%(key)s” phải là %(kind)s, như trong bộ quy định ban đầu: %(default)s.")
                % {"key": key, "kind": _kind_label(expected), "default": _json(defaults[key])}
            )
    return out


def try_rule(code: str, parameters: Mapping[str, Any], base: RuleData | None):
    """Run the rule `code` with `parameters` over the sample; return the parameters read."""
    reads = _Reads({k: freeze(v) for k, v in parameters.items()})
    rule = RuleData(
        code=code,
        name=base.name if base else code,
        citation=base.citation if base else "",
        severity=base.severity if base else Severity.ERROR,
        parameters=MappingProxyType(reads),
        enabled=True,
    )
    findings = run_sample(shipped_rule_set().replace_rule(rule), codes={code})
    return findings, reads.read


def _blame(code: str, parameters: dict[str, Any], base: RuleData | None) -> list[str]:
    """The keys whose value alone breaks the check: putting back the shipped value mends it."""
    shipped = shipped_rule_set().rule(code)
    if shipped is None:
        return []
    out = []
    for key in parameters:
        if key not in shipped.parameters:
            continue
        mended = {**parameters, key: shipped.parameters[key]}
        try:
            try_rule(code, mended, base)
        except PARAMETER_ERRORS:
            continue
        out.append(key)
    return out


def parameter_problems(code: str, parameters: Any, *, severity: str = Severity.ERROR) -> list[str]:
    """What is wrong with `parameters` for the rule `code` (empty when they can be used).

    Each message is Vietnamese and begins "Tham số không dùng được:".
    """
    head = _("Tham số không dùng được:")

    def problems(texts):
        return [f"{head} {text}" for text in texts]

    if not isinstance(parameters, dict):
        return problems([_('tham số phải là một đối tượng JSON, dạng {"tên": giá trị, …}.')])
    try:
        json.dumps(parameters, allow_nan=False)
    except ValueError:
        return problems([_("NaN và Infinity không phải là số JSON.")])
    found = _type_problems(code, parameters)
    if found:
        return problems(found)
    if code not in CHECKS:
        return []  # a rule without a check yet: nothing reads its parameters
    base = RuleData(code=code, name=code, citation="", severity=severity)
    try:
        findings, read = try_rule(code, parameters, base)
    except ParameterError as error:
        return problems([str(error)])
    except PARAMETER_ERRORS:
        keys = _blame(code, parameters, base)
        if keys:
            return problems(
                [
                    _("quy tắc %(code)s không chạy được với giá trị của %(keys)s.")
                    % {"code": code, "keys": ", ".join(f"“{k}”" for k in keys)}
                ]
            )
        return problems(
            [_("quy tắc %(code)s không chạy được với các tham số này.") % {"code": code}]
        )
    out = []
    for severity_found in sorted({f.severity for f in findings} - set(Severity.values), key=str):
        out.append(
            _("quy tắc %(code)s cho ra mức độ “%(value)s”, không phải một trong: %(values)s.")
            % {"code": code, "value": severity_found, "values": ", ".join(Severity.values)}
        )
    unread = sorted(set(parameters) - read)
    if unread:
        out.append(
            _("quy tắc %(code)s không dùng tham số %(keys)s (viết sai tên?).")
            % {"code": code, "keys": ", ".join(f"“{k}”" for k in unread)}
        )
    return problems(out)


# --- A rule set that reached the database another way ------------------------------------


class UnusableRuleSet(NoRuleSetInForce):
    """The rule set has parameters its checks cannot use (written without the admin's
    validation, e.g. by a data migration). A NoRuleSetInForce: pages that already show
    "no rule set in force" as a message show this one the same way."""


@functools.lru_cache(maxsize=256)
def _cached_problems(code: str, parameters: str, severity: str, language: str) -> tuple[str, ...]:
    return tuple(parameter_problems(code, json.loads(parameters), severity=severity))


def rule_set_problems(rule_set: RuleSetData) -> list[str]:
    """Every rule's problems, "P1: Tham số không dùng được: …" (disabled rules too: the
    bench and the figures read P5's and P6's parameters whether or not they are enabled)."""
    out = []
    for rule in rule_set.rules:
        parameters = json.dumps(thaw(rule.parameters), sort_keys=True)
        language = translation.get_language() or ""
        for problem in _cached_problems(rule.code, parameters, rule.severity, language):
            out.append(f"{rule.code}: {problem}")
    return out


def checked_rule_set(rule_set: RuleSetData) -> RuleSetData:
    """`rule_set` itself, or UnusableRuleSet when a parameter cannot be used."""
    problems = rule_set_problems(rule_set)
    if problems:
        raise UnusableRuleSet(
            _(
                "Bộ quy định kiểm tra %(code)s có tham số không dùng được, quản trị viên cần "
                "sửa trong trang quản trị (Quy tắc kiểm tra): %(problems)s"
            )
            % {"code": rule_set.code, "problems": " ".join(problems)}
        )
    return rule_set
