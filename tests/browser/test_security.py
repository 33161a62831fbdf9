"""In Chromium: an administrator signs in with a TOTP code, and no page breaks the CSP."""

import base64
import re
import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from canbo.accounts.models import Role

from ..factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "mat-khau-123"


def code_for(key: bytes, step: int = 30) -> str:
    """The code an authenticator app shows now for this key (RFC 6238, 6 digits)."""
    totp = TOTP(key, step=step, digits=6)
    totp.time = time.time()
    return f"{totp.token():06d}"


@pytest.fixture
def admin_2fa(settings):
    settings.CANBO_ADMIN_2FA = True


@pytest.fixture
def administrator(db):
    return UserFactory(
        username="quantri", role=Role.ADMIN, is_staff=True, is_superuser=True, first_name="Quản trị"
    )


def sign_in_with_password(page, live_server, username, start="/admin/"):
    page.goto(f"{live_server.url}{start}")
    assert "/accounts/login/" in page.url
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_an_administrator_signs_in_with_a_totp_code(page, live_server, admin_2fa, administrator):
    from playwright.sync_api import expect

    violations = watch_csp(page)
    device = TOTPDevice.objects.create(user=administrator, name="Điện thoại", confirmed=True)
    sign_in_with_password(page, live_server, "quantri")
    page.wait_for_url(re.compile(r"/accounts/two-factor/\?next=/admin/$"))
    expect(page.locator("h1, .card-header").first).to_contain_text("Xác thực hai bước")
    # Nothing opens before the code.
    page.goto(f"{live_server.url}/people/")
    page.wait_for_url(re.compile(r"/accounts/two-factor/\?next=/people/$"))

    page.goto(f"{live_server.url}/accounts/two-factor/?next=/admin/")
    page.get_by_label("Mã xác thực").fill(code_for(device.bin_key))
    page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    expect(page.locator("#site-name")).to_be_visible()
    page.goto(f"{live_server.url}/people/")
    page.wait_for_url(re.compile(r"/people/$"))
    expect(page.locator("#people-table")).to_be_visible()
    # The admin's own pages keep to the policy as well.
    page.goto(f"{live_server.url}/admin/accounts/user/{administrator.pk}/change/")
    expect(page.locator("#user_form")).to_be_visible()
    assert violations == []


def test_an_administrator_without_a_device_sets_one_up_from_the_page(
    page, live_server, admin_2fa, administrator
):
    from playwright.sync_api import expect

    sign_in_with_password(page, live_server, "quantri", start="/people/")
    page.wait_for_url(re.compile(r"/accounts/two-factor/setup/\?next=/people/$"))
    qr = page.locator("#totp-qr svg")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box["width"] > 150 and box["height"] > 150  # big enough to scan
    # Read the key as a person would type it into the app, and answer with its code.
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    assert key == TOTPDevice.objects.get(user=administrator).bin_key
    page.get_by_label("Mã xác thực").fill(code_for(key))
    page.get_by_role("button", name="Bật xác thực hai bước").click()
    page.wait_for_url(re.compile(r"/people/$"))
    expect(page.locator(".alert-success")).to_contain_text("Đã bật xác thực hai bước.")
    assert TOTPDevice.objects.get(user=administrator).confirmed is True


# --- Content-Security-Policy -----------------------------------------------------------------


def watch_csp(page) -> list[str]:
    """Every CSP violation the page reports (event and console), collected as it happens."""
    violations: list[str] = []
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'CSP violation: ' + e.violatedDirective + ' ' + (e.blockedURI || 'inline')));"
    )
    page.on(
        "console",
        lambda m: (
            violations.append(m.text)
            if "Content Security Policy" in m.text or m.text.startswith("CSP violation")
            else None
        ),
    )
    page.on("pageerror", lambda e: violations.append(f"page error: {e}"))
    return violations


def test_the_main_pages_break_no_rule_of_the_policy(page, live_server, planning_data):
    from playwright.sync_api import expect

    violations = watch_csp(page)
    plan, an = planning_data["plan"], planning_data["an"]
    page.goto(f"{live_server.url}/people/")
    page.get_by_label("Tên đăng nhập").fill("canbo_tinh")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/people/$"))

    # People list, with a live (htmx) search.
    page.get_by_label("Tìm kiếm").fill("tran van")
    expect(page.locator("#result-count")).to_have_text("Tìm thấy 1 cán bộ")
    # Profile.
    page.get_by_role("link", name="Trần Văn An").click()
    page.wait_for_url(re.compile(rf"/people/{an.pk}/$"))
    expect(page.locator("h1")).to_have_text("Trần Văn An")
    # Unit tree, expanded through htmx.
    page.goto(f"{live_server.url}/units/")
    expect(page.locator('li[data-unit="TU"]')).to_be_visible()
    # Plan detail: suggestions while typing (htmx, then the static pick script).
    page.goto(f"{live_server.url}/planning/{plan.pk}/")
    page.get_by_label("Cán bộ").first.fill("00108000")
    suggestion = page.locator("[data-person-pick]", has_text="Trần Văn An")
    expect(suggestion).to_be_visible()
    suggestion.click()
    expect(page.get_by_label("Cán bộ").first).to_have_value("001080000001 · Trần Văn An")
    # What-if page.
    page.goto(f"{live_server.url}/planning/{plan.pk}/what-if/")
    page.get_by_role("button", name="Thử").click()
    expect(page.locator("#what-if")).to_be_visible()
    # Figures (SVG bars), bench, the data page, the account page.
    for path in (f"/planning/{plan.pk}/figures/", f"/planning/{plan.pk}/bench/", "/exchange/",
                 "/accounts/account/", "/accounts/two-factor/setup/"):  # fmt: skip
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("main")).to_be_visible()
    expect(page.locator("#totp-qr svg")).to_be_visible()
    # Bootstrap's own scripts (the navigation's collapse) run too.
    page.set_viewport_size({"width": 600, "height": 900})
    page.get_by_role("button", name="Mở menu").click()
    expect(page.locator("#mainnav")).to_be_visible()
    page.wait_for_timeout(300)
    assert violations == []


def test_a_violation_would_be_seen(page, live_server, planning_data):
    """The watch itself works: an inline script the policy refuses is reported."""
    violations = watch_csp(page)
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = '1'; "
        "document.body.appendChild(s); }"
    )
    page.wait_for_timeout(300)
    assert any("script-src" in v for v in violations), violations
