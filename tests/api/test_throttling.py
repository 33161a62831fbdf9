"""API rate limits (DRF throttling), answered 429 in Vietnamese JSON."""

import re

import pytest
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from canbo.accounts import services


@pytest.fixture
def rates(settings):
    def set_rates(anon, user):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anon": anon, "user": user},
        }

    return set_rates


def test_default_rates():
    assert api_settings.DEFAULT_THROTTLE_RATES == {"anon": "60/minute", "user": "1200/minute"}


def test_anonymous_requests_are_limited_per_address(world, rates):
    rates("3/minute", "100/minute")
    api = APIClient(REMOTE_ADDR="10.0.0.1")
    for _ in range(3):
        assert api.get("/api/people/").status_code == 401
    response = api.get("/api/people/")
    assert response.status_code == 429
    detail = response.json()["detail"]
    assert re.fullmatch(r"Gửi quá nhiều yêu cầu\. Có thể thử lại sau (\d+) giây\.", detail)
    wait = int(re.search(r"\d+", detail).group())
    assert 1 <= wait <= 60 and response["Retry-After"] == str(wait)
    # Another address is not held back.
    assert APIClient(REMOTE_ADDR="10.0.0.2").get("/api/people/").status_code == 401


def test_signed_in_users_are_limited_each_on_their_own(people, rates):
    rates("100/minute", "5/minute")
    _, viewer_token = services.api_token_issue(actor=None, user=people.viewer_a)
    _, editor_token = services.api_token_issue(actor=None, user=people.editor_a)
    viewer = APIClient()
    viewer.credentials(HTTP_AUTHORIZATION=f"Token {viewer_token}")
    for _ in range(5):
        assert viewer.get("/api/people/").status_code == 200
    response = viewer.get("/api/people/001080000001/")
    assert response.status_code == 429
    assert response.json()["detail"].startswith("Gửi quá nhiều yêu cầu.")
    editor = APIClient()
    editor.credentials(HTTP_AUTHORIZATION=f"Token {editor_token}")
    assert editor.get("/api/people/").status_code == 200


def test_a_session_counts_as_its_user(people, rates):
    rates("100/minute", "2/minute")
    api = APIClient()
    api.force_login(people.viewer_a)
    assert [api.get("/api/units/").status_code for _ in range(3)] == [200, 200, 429]


def test_guessing_tokens_meets_the_anonymous_rate(world, rates):
    rates("3/minute", "100/minute")
    api = APIClient(REMOTE_ADDR="10.0.0.1")
    statuses = []
    for n in range(4):
        api.credentials(HTTP_AUTHORIZATION=f"Token {n:064x}")
        statuses.append(api.get("/api/people/").status_code)
    assert statuses == [401, 401, 401, 429]
