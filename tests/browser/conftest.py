import datetime as dt
import os

import pytest

from canbo.accounts.models import Role
from canbo.people.models import Ethnicity
from canbo.planning import services
from canbo.rules.services import ensure_default_rule_sets

from ..factories import UserFactory, grant, make_area, make_unit
from ..planning.factories import hold, make_person, make_position, make_term

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a
# thread with a running loop unless told it is safe (the tests are synchronous anyway).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def chromium():
    sync_api = pytest.importorskip("playwright.sync_api")
    executable = os.environ.get("CANBO_CHROMIUM", "/usr/bin/chromium")
    if not os.path.exists(executable):
        pytest.fail(f"Chromium not found at {executable}: run ./run test, which installs it")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    """A Vietnamese browser page that may only reach the test server."""
    context = chromium.new_context(locale="vi-VN", viewport={"width": 1440, "height": 1000})
    outside: list[str] = []

    def only_local(route):
        url = route.request.url
        if url.startswith(live_server.url) or url.startswith("data:"):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", only_local)
    page = context.new_page()
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.set_default_timeout(15_000)
    yield page
    context.close()
    assert outside == [], f"the page tried to load from outside: {outside}"
    assert failed == [], f"requests failed: {failed}"


@pytest.fixture
def planning_data():
    """A province committee, its editor, two positions and a draft plan naming An."""
    # Earlier transactional tests flush every table, the migrations' rule sets too.
    ensure_default_rule_sets()
    province = make_area("01", "Tỉnh Thử Nghiệm")
    tu = make_unit("TU", "Tỉnh ủy Thử Nghiệm", area=province)
    Ethnicity.objects.get_or_create(code="01", defaults={"name": "Kinh", "is_minority": False})
    user = UserFactory(username="canbo_tinh", role=Role.EDITOR, first_name="Lê Văn Tỉnh")
    grant(user, tu)
    bt = make_position(tu, "BT", "Bí thư Tỉnh ủy", 100, management_level=1, is_key=True)
    gd = make_position(tu, "GD", "Giám đốc Sở", 70)
    an = make_person("Trần", "Văn", "An", "M", dt.date(1980, 5, 10), unit=tu,
                     id_number="001080000001")  # fmt: skip
    hold(an, gd)
    plan = services.plan_create(
        actor=None,
        planning_unit=tu,
        term=make_term(2030, 2035),
        name="Ban Chấp hành Đảng bộ tỉnh 2030–2035",
        positions=[bt, gd],
    )
    services.entry_add(actor=None, plan=plan, person=an, position=bt, added_on=dt.date(2026, 1, 5))
    return {"plan": plan, "an": an, "gd": gd}
