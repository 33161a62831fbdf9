"""Exporting people and the sections of their records."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Q, QuerySet
from django.utils import timezone

from canbo.core.memory import Remembered
from canbo.core.shares import share_of
from canbo.exchange.cells import write_bool
from canbo.exchange.exporter import Selection, day_texts, labels, partial_date_texts, values_of
from canbo.organizations.package.exporting import units
from canbo.people.derived import age_on, retirement_date
from canbo.people.models import (
    Assignment,
    ConfidenceVote,
    Discipline,
    Evaluation,
    Person,
    Reward,
    Training,
)
from canbo.people.post_locality import PostLocality

from .sheets import ASSIGNMENTS, DISCIPLINES, EVALUATIONS, PEOPLE, TRAININGS


def people(sel: Selection) -> QuerySet[Person]:
    """The people of the selected units, and the people other sheets name (the plans'
    people: for an account that is not an administrator, only those it may see)."""
    qs = Person.objects.all()
    if sel.restricted:
        named = Q(unit__in=units(sel).values("pk"))
        for ids in sel.referenced("person"):
            named |= Q(pk__in=ids)
        qs = qs.filter(named)
    return qs


def sections(sel: Selection, model) -> QuerySet:
    """Rows of a section of the records of the selected units' people."""
    qs = model.objects.all()
    if sel.restricted:
        qs = qs.filter(person__unit__in=units(sel).values("pk"))
    return qs


def referenced(sel: Selection, kind: str) -> list:
    if kind == "position":
        return [sections(sel, Assignment).exclude(position=None).values("position_id")]
    if kind == "area":
        selected = people(sel)
        return [
            selected.exclude(hometown=None).values_list("hometown_id", flat=True).distinct(),
            selected.exclude(birthplace=None).values_list("birthplace_id", flat=True).distinct(),
        ]
    return []


def people_rows(sel: Selection) -> Iterator[list]:
    # Labels, dates and derived values repeat over a million rows: each worked out once.
    sex_, religion_, degree_, theory_, management_ = (
        labels(PEOPLE.column(key).choices)
        for key in ("sex", "religion", "professional_degree", "political_theory", "state_management")
    )
    on = timezone.localtime(sel.exported_at).date()
    days, dates = day_texts(), partial_date_texts()
    retire_ = Remembered(lambda key: days[retirement_date(*key)])
    age_ = Remembered(lambda key: age_on(*key, on))
    fields = ("id_number", "family_name", "middle_name", "given_name", "sex", "birth_date",
              "birth_date_precision", "ethnicity__name", "religion", "hometown__code",
              "birthplace__code", "unit__code", "party_joined_date", "party_official_date",
              "professional_degree", "professional_major", "political_theory",
              "state_management", "foreign_language", "it_level",
              "retirement_age_override_months", "full_name", "is_local")  # fmt: skip
    qs = people(sel).order_by("unit__path", "sort_key", "id_number")
    for (id_number, family, middle, given, sex, born, precision, ethnicity, religion, hometown,
         birthplace, unit, joined, official, degree, major, theory, management, language, it,
         override, full_name, is_local) in values_of(qs, *fields):  # fmt: skip
        yield [id_number, family, middle, given, sex_[sex], dates[born, precision],
               ethnicity or "", religion_[religion], hometown or "", birthplace or "",
               unit or "", days[joined], days[official], degree_[degree], major,
               theory_[theory], management_[management], language, it, override, full_name,
               age_[born, precision], retire_[sex, born, precision, override],
               write_bool(is_local)]  # fmt: skip


def _section_qs(sel: Selection, model, *order) -> QuerySet:
    return sections(sel, model).order_by("person__id_number", *order, "pk")


def assignment_rows(sel: Selection) -> Iterator[list]:
    how = labels(ASSIGNMENTS.column("how").choices)
    dates = partial_date_texts()
    judge = PostLocality().judge
    qs = _section_qs(sel, Assignment, "start_date", "unit_name", "title_name")
    fields = ("person__id_number", "start_date", "start_precision", "end_date", "end_precision",
              "position__unit__code", "position__title__code", "unit_name", "title_name",
              "is_concurrent", "how", "decision_number", "note", "person__hometown_id",
              "position__unit_id")  # fmt: skip
    for (person, start, sp, end, ep, unit, title, unit_name, title_name, concurrent, kind,
         decision, note, hometown, unit_id) in values_of(qs, *fields):  # fmt: skip
        yield [person, dates[start, sp], dates[end, ep], unit or "",
               title or "", unit_name, title_name, write_bool(concurrent), how[kind],
               decision, note, write_bool(judge(hometown, unit_id))]  # fmt: skip


def evaluation_rows(sel: Selection) -> Iterator[list]:
    rating = labels(EVALUATIONS.column("rating").choices)
    qs = _section_qs(sel, Evaluation, "year")
    for person, year, value, score, note in values_of(qs, "person__id_number", "year", "rating", "score", "note"):
        yield [person, year, rating[value], float(score) if score is not None else None, note]


def vote_rows(sel: Selection) -> Iterator[list]:
    qs = _section_qs(sel, ConfidenceVote, "year", "body")
    fields = ("person__id_number", "year", "body", "high", "normal", "low", "base")
    for person, year, body, high, normal, low, base in values_of(qs, *fields):
        share = share_of(low, base)
        yield [person, year, body, high, normal, low, base,
               f"{share}%".replace(".", ",") if share is not None else ""]  # fmt: skip


def discipline_rows(sel: Selection) -> Iterator[list]:
    form = labels(DISCIPLINES.column("form").choices)
    exception_labels = labels(DISCIPLINES.column("planning_exception").choices)
    days = day_texts()
    qs = _section_qs(sel, Discipline, "form", "effective_date")
    fields = ("person__id_number", "form", "effective_date", "end_date", "authority",
              "decision_number", "reason", "planning_exception")  # fmt: skip
    for person, kind, start, end, authority, decision, reason, exception in values_of(qs, *fields):
        yield [person, form[kind], days[start], days[end], authority, decision, reason,
               exception_labels[exception]]  # fmt: skip


def reward_rows(sel: Selection) -> Iterator[list]:
    qs = _section_qs(sel, Reward, "year", "form")
    fields = ("person__id_number", "year", "form", "authority", "decision_number")
    for row in values_of(qs, *fields):
        yield list(row)


def training_rows(sel: Selection) -> Iterator[list]:
    kind_labels = labels(TRAININGS.column("kind").choices)
    days = day_texts()
    qs = _section_qs(sel, Training, "kind", "program", "start_date")
    fields = ("person__id_number", "kind", "program", "institution", "start_date", "end_date",
              "qualification")  # fmt: skip
    for person, kind, program, institution, start, end, qualification in values_of(qs, *fields):
        yield [person, kind_labels[kind], program, institution, days[start], days[end],
               qualification]  # fmt: skip


ROWS = {
    "people": people_rows,
    "assignments": assignment_rows,
    "evaluations": evaluation_rows,
    "confidence_votes": vote_rows,
    "disciplines": discipline_rows,
    "rewards": reward_rows,
    "trainings": training_rows,
}
