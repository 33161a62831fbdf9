"""`canbo seed-demo` writes a rotation of each kind and one breach each of R1–R5, without
changing the designed findings of the plans, the appointment cases and the reviews."""

import io
import json
from collections import Counter

import pytest
from django.core.management import call_command

from canbo.demo.builder import build_demo
from canbo.demo.planning import CHECKED_ON
from canbo.people.models import Assignment
from canbo.rotation.holders import check_posts
from canbo.rotation.models import Rotation
from canbo.rotation.selectors import check_rotations
from tests.test_demo import areas as areas  # noqa: F401  (the small demo province fixture)

pytestmark = pytest.mark.usefixtures("areas")


def test_a_rotation_of_each_kind_and_each_rule_broken_once(areas):  # noqa: F811
    summary = build_demo(seed=7, people=300)
    assert summary.rotations == ["rotation", "transfer", "secondment", "reinforcement",
                                 "R1", "R2", "R3", "R5"]  # fmt: skip
    assert Counter(Rotation.objects.values_list("kind", flat=True)) == {
        "rotation": 4, "transfer": 1, "secondment": 1, "reinforcement": 1}
    findings = check_rotations(Rotation.objects.all(), CHECKED_ON)
    assert sorted((f.rule, f.reason) for f in findings) == [("R1", ""), ("R2", ""), ("R3", "planned")]
    # R4: the builder seats about one in five non-local posts with a local person (one here);
    # R5: a commune head's history moved back to 2012, across three party terms.
    posts = check_posts(None, None, CHECKED_ON)
    assert [(f.rule, f.figures.get("terms")) for f in posts] == [("R4", None), ("R5", 3)]
    # Each rotation's post is in the work history, taken on its start (written by the services).
    for rotation in Rotation.objects.all():
        assert Assignment.objects.filter(person=rotation.person, position=rotation.to_position,
                                         start_date=rotation.start_date).exists()  # fmt: skip


def test_check_rotation_prints_each_rule_once_on_the_demo(areas):  # noqa: F811
    build_demo(seed=7, people=300)
    out = io.StringIO()
    call_command("check_rotation", "--as-of", CHECKED_ON.isoformat(), "--format", "json", stdout=out)
    found = json.loads(out.getvalue())
    assert [f["rule"] for f in found] == ["R1", "R2", "R3", "R4", "R5"]
    assert [f["rotation"] is None for f in found] == [False, False, False, True, True]
    assert all(f["person"] and f["position"]["name"] for f in found)
    text = io.StringIO()
    call_command("check_rotation", "--as-of", CHECKED_ON.isoformat(), stdout=text)
    assert text.getvalue().splitlines()[0] == (
        f"Kiểm tra 7 luân chuyển ngày {CHECKED_ON:%d/%m/%Y} theo bộ quy định “QĐ 377/2025”.")
