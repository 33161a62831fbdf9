"""Sessions that end, answers kept out of caches, and the Content-Security-Policy header."""

import time

import pytest
from django.contrib.auth import SESSION_KEY
from rest_framework.test import APIClient

from canbo.accounts import services
from canbo.core.middleware import SessionTimeoutMiddleware

from ..factories import PersonFactory

KEY = SessionTimeoutMiddleware.KEY
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'none'; form-action 'self'"
)


@pytest.fixture
def person(world):
    return PersonFactory(id_number="001080000001", unit=world.xa)


def _set_seen(client, seconds_ago):
    session = client.session
    session[KEY] = int(time.time()) - seconds_ago
    session.save()


# --- idle timeout and lifetime ---------------------------------------------------------------


def test_defaults(settings):
    assert settings.CANBO_SESSION_IDLE_SECONDS == 30 * 60
    assert settings.SESSION_COOKIE_AGE == 10 * 3600


def test_sign_in_notes_the_time(client, world):
    before = int(time.time())
    client.post("/accounts/login/", {"username": "xem_a", "password": "mat-khau-123"})
    assert before <= client.session[KEY] <= int(time.time())


def test_a_session_idle_too_long_is_signed_out(client, world):
    client.force_login(world.viewer_a)
    _set_seen(client, 31 * 60)
    response = client.get("/people/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/people/"
    assert SESSION_KEY not in client.session


def test_a_session_used_within_the_idle_time_stays_and_is_renewed(client, world):
    client.force_login(world.viewer_a)
    _set_seen(client, 29 * 60)
    assert client.get("/people/").status_code == 200
    assert int(time.time()) - client.session[KEY] <= 2
    # Seen less than a minute ago: the session is not written again.
    _set_seen(client, 30)
    client.get("/people/")
    assert int(time.time()) - client.session[KEY] >= 30


def test_the_idle_time_comes_from_the_settings(client, world, settings):
    settings.CANBO_SESSION_IDLE_SECONDS = 120
    client.force_login(world.viewer_a)
    _set_seen(client, 100)
    assert client.get("/people/").status_code == 200
    _set_seen(client, 130)
    assert client.get("/people/").status_code == 302


def test_the_session_cookie_lasts_ten_hours_at_most(client, world):
    response = client.post("/accounts/login/", {"username": "xem_a", "password": "mat-khau-123"})
    assert response.cookies["sessionid"]["max-age"] == 36000
    assert client.session.get_expiry_age() == 36000


def _set_since(client, seconds_ago):
    session = client.session
    session[SessionTimeoutMiddleware.SINCE] = int(time.time()) - seconds_ago
    session.save()


def test_sign_in_notes_when_the_session_began(client, world):
    before = int(time.time())
    client.post("/accounts/login/", {"username": "xem_a", "password": "mat-khau-123"})
    assert before <= client.session[SessionTimeoutMiddleware.SINCE] <= int(time.time())


def test_an_active_session_ends_ten_hours_after_sign_in(client, world):
    """Requests every few minutes renew the stored expiry; the sign-in time still ends it."""
    client.force_login(world.viewer_a)
    _set_since(client, 10 * 3600 - 60)  # 9 h 59 min ago, used a minute ago
    _set_seen(client, 60)
    assert client.get("/people/").status_code == 200
    assert SESSION_KEY in client.session
    _set_since(client, 10 * 3600 + 60)  # 10 h 01 min ago
    _set_seen(client, 60)
    response = client.get("/people/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/people/"
    assert SESSION_KEY not in client.session


def test_the_whole_life_comes_from_the_settings(client, world, settings):
    settings.SESSION_COOKIE_AGE = 3600
    client.force_login(world.viewer_a)
    _set_since(client, 3500)
    assert client.get("/people/").status_code == 200
    _set_since(client, 3700)
    assert client.get("/people/").status_code == 302


def test_a_session_without_its_sign_in_time_gets_one(client, world):
    client.force_login(world.viewer_a)
    session = client.session
    session.pop(SessionTimeoutMiddleware.SINCE, None)
    session.save()
    assert client.get("/people/").status_code == 200
    assert int(time.time()) - client.session[SessionTimeoutMiddleware.SINCE] <= 2


def test_an_api_session_idle_too_long_is_refused(world):
    api = APIClient()
    api.force_login(world.viewer_a)
    session = api.session
    session[KEY] = int(time.time()) - 31 * 60
    session.save()
    assert api.get("/api/people/").status_code == 401


# --- Cache-Control ---------------------------------------------------------------------------


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_pages_for_a_signed_in_user_are_not_stored(client, world, person):
    client.force_login(world.viewer_a)
    for path in ("/", "/people/", f"/people/{person.pk}/", "/units/", "/accounts/account/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert _no_store(response), path
        assert "private" in response["Cache-Control"], path


def test_api_answers_are_not_stored_with_a_token_or_a_session(world, person):
    _, raw = services.api_token_issue(actor=None, user=world.viewer_a)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    response = api.get("/api/people/001080000001/")
    assert response.status_code == 200 and _no_store(response)
    session = APIClient()
    session.force_login(world.viewer_a)
    assert _no_store(session.get("/api/people/"))


def test_answers_to_anonymous_requests_are_left_alone(client, db):
    response = client.get("/people/")
    assert response.status_code == 302
    assert "Cache-Control" not in response


# --- Content-Security-Policy -----------------------------------------------------------------


def _directives(header: str) -> set[str]:
    return {part.strip() for part in header.split(";")}


def test_pages_carry_the_strict_policy(client, world):
    expected = _directives(POLICY)
    assert _directives(client.get("/accounts/login/")["Content-Security-Policy"]) == expected
    client.force_login(world.viewer_a)
    assert _directives(client.get("/people/")["Content-Security-Policy"]) == expected


def test_no_template_has_inline_script_handler_or_style():
    """The policy allows none of them: scripts live in static files, styles in classes."""
    import re
    from pathlib import Path

    import canbo

    templates = Path(canbo.__file__).parent / "templates"
    offenders = []
    for path in sorted(templates.rglob("*.html")):
        text = path.read_text()
        for pattern in (r"<script(?![^>]*\bsrc=)[^>]*>", r"\son[a-z]+\s*=", r"\sstyle\s*="):
            for match in re.finditer(pattern, text):
                offenders.append(f"{path.relative_to(templates)}: {match.group()}")
    assert offenders == []
