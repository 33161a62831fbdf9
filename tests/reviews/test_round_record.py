"""Closing a round replaces a rating typed into the record before it (audited)."""

import datetime as dt
from decimal import Decimal

import pytest

from canbo.core.models import AuditEvent
from canbo.people.models import Evaluation
from canbo.reviews import services

from .conftest import HELD, people  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_the_round_replaces_the_years_rating_typed_before_and_keeps_the_others(world, people):  # noqa: F811
    typed = Evaluation.objects.create(person=people.an, year=2025, rating="good", note="Nhập tay")
    older = Evaluation.objects.create(person=people.an, year=2024, rating="good")
    rnd = services.round_create(actor=world.editor_a, unit=world.xa, year=2025, held_on=HELD)
    services.score_set(actor=world.editor_a, evaluation_round=rnd, person=people.an,
                       score=Decimal("91"))  # fmt: skip
    services.score_set(actor=world.editor_a, evaluation_round=rnd, person=people.binh,
                       score=Decimal("60"))  # fmt: skip
    services.round_close(actor=world.editor_a, evaluation_round=rnd, closed_on=dt.date(2025, 12, 20))
    assert sorted(Evaluation.objects.values_list("pk", "person__given_name", "year", "rating", "score")) == [
        (typed.pk, "An", 2025, "excellent", Decimal("91.00")),
        (older.pk, "An", 2024, "good", None),
        (older.pk + 1, "Bình", 2025, "completed", Decimal("60.00")),
    ]  # fmt: skip
    event = AuditEvent.objects.filter(content_type__model="evaluation", object_id=str(typed.pk)).get()
    assert (event.action, event.actor.username) == ("update", "sua_a")
    assert event.changes["rating"] == ["good", "excellent"]
    assert "note" not in event.changes  # kept: the round gave none
    assert Evaluation.objects.get(pk=typed.pk).note == "Nhập tay"
