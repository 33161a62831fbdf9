"""Reads on people. Every list and detail is restricted to the user's scope."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, DateField, ExpressionWrapper, F, Prefetch, Q, QuerySet
from django.db.models.functions import Lower, TruncMonth, TruncYear
from django.utils.translation import gettext_lazy as _

from canbo.core import scope
from canbo.core.audit import record_access, record_lookup
from canbo.core.compiled import StatementCache
from canbo.core.dates import DatePrecision
from canbo.core.paging import CappedPaginator
from canbo.core.search import match_words
from canbo.organizations.choices import ManagementLevel
from canbo.organizations.locality_sql import with_local_to_post
from canbo.organizations.models import Position, PositionTitle, Unit
from canbo.organizations.selectors import position_list

from . import derived
from .models import Assignment, Person
from .post_locality import judge_posts


def today() -> dt.date:
    return dt.date.today()


#: A main post (chức vụ chính): a work-history row with a position, not concurrent.
MAIN_POST = Q(is_concurrent=False, position__isnull=False)


def held_on_q(on: dt.date | F, prefix: str = "") -> Q:
    """Work-history rows held on `on` (ADR 0013).

    A row counts from the first day of the period its start names (a start "06/2020"
    is stored as 01/06/2020, a year-only one as 1 January) and through the last day of
    the period its end names: "đến 05/2025" (precision M, stored 01/05/2025) is held on
    31/05/2025, "đến 2024" (precision Y) on 31/12/2024. `prefix` reaches the rows from
    another model ("assignments__"). `held_on` is the same rule in Python. `on` may be
    an expression, e.g. another row's start (`OuterRef("start_date")`).
    """
    if isinstance(on, dt.date):
        month_start, year_start = on.replace(day=1), on.replace(month=1, day=1)
    else:
        day = ExpressionWrapper(on, output_field=DateField())
        month_start = TruncMonth(day, output_field=DateField())
        year_start = TruncYear(day, output_field=DateField())
    end = f"{prefix}end_date"
    precision = f"{prefix}end_precision"
    return Q(**{f"{prefix}start_date__lte": on}) & (
        Q(**{f"{end}__isnull": True})
        | Q(**{precision: DatePrecision.DAY, f"{end}__gte": on})
        | Q(**{precision: DatePrecision.MONTH, f"{end}__gte": month_start})
        | Q(**{precision: DatePrecision.YEAR, f"{end}__gte": year_start})
    )


def held_on(assignment: Assignment, on: dt.date) -> bool:
    """Whether a work-history row is held on `on`: `held_on_q` for one row in memory."""
    if assignment.start_date > on:
        return False
    end = assignment.end_date
    if end is None:
        return True
    if assignment.end_precision == DatePrecision.MONTH:
        return end >= on.replace(day=1)
    if assignment.end_precision == DatePrecision.YEAR:
        return end >= on.replace(month=1, day=1)
    return end >= on


# --- People per unit: what the unit pages and the positions API show of people ------
# (registered with canbo.organizations.staffing by PeopleConfig.ready, with today and
# held_on_q above: organizations imports no other domain app, ADR 0011)


def unit_people_counts(units: list[Unit], *, user) -> dict[int, int]:
    """People per subtree for the given units that the user may see, in one query."""
    if not units:
        return {}
    aggregates = {f"u{u.pk}": Count("pk", filter=Q(unit__path__startswith=u.path)) for u in units}
    prefix = Q()
    for u in units:
        prefix |= Q(unit__path__startswith=u.path)
    row = scope.restrict(Person.objects.filter(prefix), user).aggregate(**aggregates)
    return {u.pk: row[f"u{u.pk}"] for u in units}


def unit_positions_with_holders(*, user, unit: Unit, on: dt.date | None = None) -> list[Position]:
    """The unit's positions, each with `holders` (current assignments) and `vacant` seats."""
    positions = list(position_list(user=user).filter(unit=unit))
    held = Assignment.objects.filter(held_on_q(on or today()), position__in=positions)
    # "local" per post: against the area this unit governs (ADR 0013), judged in SQL
    held = with_local_to_post(held, hometown="person__hometown_id", unit="position__unit")
    current = scope.restrict(
        held.select_related("person").order_by("person__sort_key", "person_id"), user
    )
    holders: dict[int, list] = {}
    for assignment in current:
        holders.setdefault(assignment.position_id, []).append(assignment)
    for position in positions:
        position.holders = holders.get(position.pk, [])
        position.vacant = max(position.seats - len(position.holders), 0)
    return positions


def position_holders(*, user, position: Position, on: dt.date | None = None) -> QuerySet:
    """The work-history rows by which people the user may see hold `position` on `on`."""
    return _holders(user, Q(position=position), on)


def title_holders(
    *, user, title: PositionTitle, on: dt.date | None = None, unit: Unit | None = None
) -> QuerySet:
    """The rows by which people hold `title` on `on` (in `unit`'s subtree when given)."""
    where = Q(position__title=title)
    if unit is not None:
        where &= Q(position__unit__path__startswith=unit.path)
    return _holders(user, where, on)


def unit_holders(*, user, unit: Unit, on: dt.date | None = None) -> QuerySet:
    """The rows by which people hold the seats of `unit` itself on `on`."""
    return _holders(user, Q(position__unit=unit), on)


def _holders(user, where: Q, on: dt.date | None) -> QuerySet:
    rows = Assignment.objects.filter(where, held_on_q(on or today())).select_related(
        "person", "position__title", "position__unit"
    )
    return scope.restrict(rows, user).order_by("position__unit__path", "-position__title__rank",
                                               "person__sort_key", "person_id", "pk")  # fmt: skip


# --- People -------------------------------------------------------------------------


def person_list(*, user, action: str = scope.VIEW) -> QuerySet[Person]:
    return scope.restrict(
        Person.objects.select_related("unit", "ethnicity", "hometown"), user, action
    )


def with_current_positions(qs: QuerySet[Person], on: dt.date | None = None) -> QuerySet[Person]:
    """People with their posts held on `on` prefetched (`current_positions` reads them)."""
    on = on or today()
    # Each person's posts in the model's order; without the person's name first (the
    # model's order), which joined the people again only to sort within one person.
    current = (
        Assignment.objects.filter(held_on_q(on))
        .select_related("position__title", "position__unit")
        .order_by("person_id", "-start_date", "-id")
    )
    return qs.prefetch_related(
        Prefetch("assignments", queryset=current, to_attr="current_assignments")
    )


def posts_held(person_ids: Sequence[int], on: dt.date) -> dict[int, list[tuple[str, str, bool]]]:
    """The posts each of `person_ids` holds on `on`, as the work-history rows name them:
    (title, unit, concurrent), latest start first (`current_positions`' posts, in its
    order). One query, without model instances, its SQL compiled once per date and
    size of the list (ADR 0015): the people list reads it for every page."""
    if not person_ids:
        return {}
    size = 1 << (len(person_ids) - 1).bit_length()  # a few sizes: 1, 2, 4 … 64
    markers = [-(n + 1) for n in range(size)]  # no person has a negative id
    values = dict.fromkeys(markers, 0)  # the padding: no person either
    values.update(zip(markers, person_ids, strict=False))
    key = (Assignment.objects.db, on, size)
    rows = _POSTS.rows(key, lambda: (
        Assignment.objects.filter(held_on_q(on), person_id__in=markers)
        .order_by("person_id", "-start_date", "-id")
        .values_list("person_id", "title_name", "unit_name", "is_concurrent")), values)  # fmt: skip
    held: dict[int, list[tuple[str, str, bool]]] = {}
    for person_id, *post in rows:
        held.setdefault(person_id, []).append(tuple(post))
    return held


_POSTS = StatementCache(size=128)


class PersonPaginator(CappedPaginator):
    """Pages of people in name order; counts stop past 1,000 (see core.paging)."""

    # sort_key holds only the letters a–z: Python's order is the database's,
    # and lower() keeps it while keeping the planner off the name index.
    key_fields = ("sort_key", "id")
    small_ordering = (Lower("sort_key"), "id")


def person_search(qs: QuerySet[Person], text: str) -> QuerySet[Person]:
    """Accent- and case-insensitive search over name and ID number; every word must match.

    Words of three or more characters match anywhere, shorter ones only whole
    ("vu" finds Vũ but not Vương; see core.search.match_words).
    """
    return match_words(qs, "search_text", text, padded=True)


def people_named(qs: QuerySet[Person], text: str, limit: int) -> list[Person]:
    """The first `limit` people of `qs` in name order named by `text`.

    Digits are the start of a personal ID number, anything else words of the
    name (`person_search`). Read as the people list reads a page
    (`PersonPaginator`), so a common name among millions stays quick.
    """
    digits = "".join(text.split())
    qs = qs.filter(id_number__startswith=digits) if digits.isdigit() else person_search(qs, text)
    return list(PersonPaginator(qs.order_by("sort_key", "id"), limit).page(1).object_list)


def people_matching(text: str, *, limit: int) -> list[Person]:
    """The people a search of the access log names: by ID number (12 digits, or its start)
    or by name words; the first `limit` in name order. Not scoped: only administrators read
    the log. Plugged into `core.history` by PeopleConfig.ready (core names no domain app)."""
    digits = "".join(text.split())
    people = Person.objects.only("pk", "full_name", "id_number")
    if digits.isdigit():
        people = people.filter(id_number__startswith=digits)
    else:
        people = person_search(people, text)
    return list(people.order_by("sort_key", "id")[:limit])


def person_get(*, user, pk, action: str = scope.VIEW) -> Person:
    return person_list(user=user, action=action).get(pk=pk)


# --- Lookups by ID number beyond the user's scope (ADR: scope for lookups) ------------

ID_NUMBER = re.compile(r"[0-9]{12}")
DUPLICATE_ID = _("Đã có cán bộ với số định danh cá nhân này.")
DUPLICATE_ELSEWHERE = _(
    "Số định danh này đã có hồ sơ do đơn vị khác quản lý; đề nghị đơn vị đó chuyển hồ sơ."
)
RATE_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


THROTTLED = _(
    "Bạn đã tra cứu quá nhiều số định danh ngoài phạm vi của mình; hãy thử lại sau %(minutes)d phút."
)


class LookupThrottled(Exception):
    """Too many lookups beyond the user's scope; `wait` seconds until the next window."""

    def __init__(self, wait: int):
        super().__init__(wait)
        self.wait = wait

    @property
    def message(self) -> str:
        return THROTTLED % {"minutes": -(-self.wait // 60)}


def lookup_rate() -> tuple[int, int]:
    """`CANBO_PERSON_LOOKUP_RATE` ("30/hour") as (lookups, seconds)."""
    count, period = settings.CANBO_PERSON_LOOKUP_RATE.split("/")
    return int(count), RATE_PERIODS[period.strip()[0].lower()]


def count_lookup(user, id_number: str) -> None:
    """Count a lookup beyond the user's scope; raise LookupThrottled past the rate.

    Distinct ID numbers are counted, in fixed windows, per user (Django's cache):
    a page that asks again for the same number (the what-if panel reloads on each
    change) costs nothing more, while walking through numbers stops at the rate.
    """
    limit, seconds = lookup_rate()
    now = time.time()
    window = int(now // seconds)
    prefix = f"canbo:person-lookup:{user.pk}:{window}"
    if not cache.add(f"{prefix}:{id_number}", 1, seconds):
        return  # counted already in this window
    cache.add(prefix, 0, seconds)
    try:
        count = cache.incr(prefix)
    except ValueError:  # the window's counter expired in between
        count = 1
        cache.set(prefix, count, seconds)
    if count > limit:
        cache.delete(f"{prefix}:{id_number}")
        raise LookupThrottled(int((window + 1) * seconds - now) + 1)


def person_for_planning(*, user, id_number: str, plan) -> Person | None:
    """The person a plan names by personal ID number, as `user` may name them; else None.

    The one rule for planning's sources "from elsewhere":
    - anyone finds the people of their own view scope;
    - a user who may edit the plan's unit may also name a person outside their
      scope, by the exact 12-digit ID number only: the lookup is counted
      (`count_lookup`, LookupThrottled past CANBO_PERSON_LOOKUP_RATE) and
      written to the access log, found or not;
    - anyone else gets None for a person outside their scope, exactly as for
      an ID number no record has.
    What the plan then shows of a person outside the user's scope is limited
    (name, birth date, current posts, the plan's findings) and never links to
    the profile (`in_view_scope`).
    """
    id_number = "".join(str(id_number).split())
    if not ID_NUMBER.fullmatch(id_number):
        return None
    person = person_list(user=user).filter(id_number=id_number).first()
    if person is not None or not scope.unit_allowed(user, plan.planning_unit, scope.EDIT):
        return person
    count_lookup(user, id_number)
    person = Person.objects.select_related("unit").filter(id_number=id_number).first()
    record_lookup(actor=user, query=f"plan={plan.pk} id_number={id_number}", found=person)
    return person


def in_view_scope(*, user, person_ids) -> set[int]:
    """Those of `person_ids` the user may open (one query)."""
    ids = list(set(person_ids))
    if not ids:
        return set()
    return set(person_list(user=user).filter(pk__in=ids).values_list("pk", flat=True))


def id_number_taken(*, user, id_number: str, exclude_pk=None) -> str | None:
    """The message for an ID number another record already has, or None when it is free.

    In the user's scope the record is named as existing; outside it the message
    names no one (the other unit is to transfer the record), and the attempt is
    counted against CANBO_PERSON_LOOKUP_RATE (LookupThrottled past it) and written
    to the access log.
    """
    others = Person.objects.filter(id_number=id_number)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    other = others.only("pk", "unit_id", "full_name", "id_number").first()
    if other is None:
        return None
    if person_list(user=user).filter(pk=other.pk).exists():
        return str(DUPLICATE_ID)
    count_lookup(user, id_number)  # LookupThrottled past CANBO_PERSON_LOOKUP_RATE
    record_lookup(actor=user, query=f"id_number={id_number} (tạo/sửa hồ sơ)", found=other)
    return str(DUPLICATE_ELSEWHERE)


def person_history(person: Person) -> QuerySet:
    """Audit events of a record and of its profile sections (deleted ones too), newest first."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import CharField
    from django.db.models.functions import Cast

    from canbo.core.models import AuditEvent

    from .models import ConfidenceVote, Discipline, Evaluation, Reward, Training

    section_models = (Assignment, Evaluation, ConfidenceVote, Discipline, Reward, Training)
    q = Q(content_type=ContentType.objects.get_for_model(Person), object_id=str(person.pk))
    for model, ct in ContentType.objects.get_for_models(*section_models).items():
        current_ids = (
            model.objects.filter(person=person)
            .annotate(pk_text=Cast("pk", CharField()))
            .values("pk_text")
        )
        # Creations and deletions carry the person id; updates are found by section id.
        q |= Q(content_type=ct) & (
            Q(object_id__in=current_ids)
            | Q(changes__person__0=person.pk)
            | Q(changes__person__1=person.pk)
        )
    return AuditEvent.objects.filter(q).select_related("actor", "content_type")


def person_profile(*, user, pk) -> Person:
    """The full profile with every section; reading it leaves an access entry."""
    person = (
        person_list(user=user)
        .select_related("birthplace", "unit__area")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("position__title", "position__unit"),
            ),
            "evaluations",
            "confidence_votes",
            "disciplines",
            "rewards",
            "trainings",
        )
        .get(pk=pk)
    )
    record_access(actor=user, instance=person)
    return person


@dataclass(frozen=True)
class Derived:
    age: int
    retirement_date: dt.date
    retirement_age_months: int
    months_left: int
    management_level: int | None

    @property
    def retirement_age_text(self) -> str:
        years, months = divmod(self.retirement_age_months, 12)
        return f"{years} tuổi {months} tháng" if months else f"{years} tuổi"

    @property
    def management_level_label(self) -> str:
        if self.management_level is None:
            return ""
        return str(ManagementLevel(self.management_level).label)


def current_positions(person: Person, on: dt.date | None = None) -> list[Assignment]:
    """The person's posts held on `on` (today by default), concurrent ones included.

    Uses the list `with_current_positions` prefetched (for the same date) when there is
    one, else the person's assignments; either way the rows are those `held_on` keeps.
    """
    on = on or today()
    items = getattr(person, "current_assignments", None)
    if items is None:
        items = person.assignments.all()
    return [a for a in items if held_on(a, on)]


@dataclass(frozen=True)
class LifeDates:
    """A person's age and retirement on a day: `Derived` without the posts' level."""

    age: int
    retirement_date: dt.date
    retirement_age_months: int
    months_left: int


def person_dates(person: Person, on: dt.date | None = None) -> LifeDates:
    on = on or today()
    # The retirement age is found month by month (about fifty steps): found once, it is
    # handed to retirement_date as the age that applies, which gives the same date. A list
    # to Excel of a million people spent about a quarter of its time finding it twice.
    age_months = derived.retirement_age_months(
        person.sex,
        person.birth_date,
        person.birth_date_precision,
        person.retirement_age_override_months,
    )
    retire_on = derived.retirement_date(
        person.sex, person.birth_date, person.birth_date_precision, age_months
    )
    return LifeDates(
        age=derived.age_on(person.birth_date, person.birth_date_precision, on),
        retirement_date=retire_on,
        retirement_age_months=age_months,
        months_left=derived.months_left(retire_on, on),
    )


def person_derived(person: Person, on: dt.date | None = None) -> Derived:
    on = on or today()
    dates = person_dates(person, on)
    levels = [
        a.position.title.management_level
        for a in current_positions(person, on)
        if a.position_id is not None
    ]
    return Derived(
        age=dates.age,
        retirement_date=dates.retirement_date,
        retirement_age_months=dates.retirement_age_months,
        months_left=dates.months_left,
        management_level=min(levels) if levels else None,
    )


def birth_date_bounds_for_age(
    age_min: int | None, age_max: int | None, on: dt.date
) -> tuple[dt.date | None, dt.date | None]:
    """Birth-date range of people whose age on `on` lies in [age_min, age_max]."""

    def years_before(years: int) -> dt.date:
        try:
            return on.replace(year=on.year - years)
        except ValueError:  # 29 February
            return on.replace(year=on.year - years, day=28)

    latest = years_before(age_min) if age_min is not None else None
    earliest = years_before(age_max + 1) + dt.timedelta(days=1) if age_max is not None else None
    return earliest, latest


def judge_current_posts(people, on: dt.date) -> None:
    """Set `local` on each post the people hold on `on` (the very objects
    `current_positions` gives the caller): True, False, or None when it cannot be judged."""
    judge_posts([(person, a) for person in people for a in current_positions(person, on)])

