"""Small rough edges (issue 17 item 7): durations in years and months, a hint instead of a
value-like placeholder, a favicon, log lines printed once."""

import io
import logging
import re
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template import Context, Template
from django.test import override_settings
from django.urls import reverse
from django.utils.log import configure_logging

from canbo.core.durations import duration_text
from canbo.people import tenure

from .conftest import by_id
from .test_people_forms import editor_a, viewer_a  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("months", "text"),
    [(193, "16 năm 1 tháng"), (12, "1 năm"), (5, "5 tháng"), (24, "2 năm"), (13, "1 năm 1 tháng"),
     (0, "chưa đủ 1 tháng")],
)  # fmt: skip
def test_duration_in_years_and_months(months, text):
    assert duration_text(months) == text
    assert Template("{% load canbo_tags %}{{ n|months }}").render(Context({"n": months})) == text


def test_one_duration_helper():
    assert tenure.duration_text is duration_text
    assert Template("{% load canbo_tags %}[{{ n|months }}]").render(Context({"n": None})) == "[]"


def test_profile_says_the_time_left_in_years_and_months(viewer_a, people):  # noqa: F811
    response = viewer_a.get(reverse("people:detail", args=[people.anh.pk]))
    assert response.status_code == 200
    left = response.context["derived"].months_left
    assert left > 12
    assert by_id(response, "months-left") == duration_text(left)
    assert re.fullmatch(r"\d+ năm( ([1-9]|1[01]) tháng)?", by_id(response, "months-left"))


def test_retirement_age_box_shows_a_hint_not_a_value(editor_a, people):  # noqa: F811
    content = editor_a.get(reverse("people:create")).content.decode()
    box = re.search(r'<input[^>]*name="retirement_age_override_months"[^>]*>', content).group(0)
    assert 'placeholder="vd. 720 (60 tuổi)"' in box
    assert "value=" not in box


def test_favicon_is_vendored_and_linked(viewer_a, people):  # noqa: F811
    path = finders.find("canbo/favicon.svg")
    assert path and Path(path).read_text().startswith("<svg")
    content = viewer_a.get(reverse("people:list")).content.decode()
    assert '<link rel="icon" href="/static/canbo/favicon.svg" type="image/svg+xml">' in content


@pytest.mark.parametrize("debug", [True, False])
def test_a_log_line_is_printed_once(debug, monkeypatch):
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)  # the console handler is built on it
    try:
        with override_settings(DEBUG=debug):
            configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
            logging.getLogger("django.request").warning("Not Found: %s", "/khong-co/")
            logging.getLogger("canbo.exchange").warning("Gói dữ liệu bị từ chối")
            logging.getLogger("django.db.backends").debug("SELECT 1")
    finally:
        monkeypatch.undo()
        configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
    assert stream.getvalue().splitlines() == [
        "WARNING django.request: Not Found: /khong-co/",
        "WARNING canbo.exchange: Gói dữ liệu bị từ chối",
    ]
