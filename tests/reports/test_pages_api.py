"""The report pages and the REST endpoints on the known-answer province."""

import pytest

from canbo.core.models import AccessEvent, AccessKind

from . import province

pytestmark = pytest.mark.django_db


@pytest.fixture
def p(world):
    return province.build(world)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_forms_page_lists_the_forms(admin_client):
    page = admin_client.get("/reports/")
    assert page.status_code == 200
    assert "TK-CB" in page.content.decode()


def test_report_page_shows_the_figures_with_how(admin_client, world, p):
    page = admin_client.get(f"/reports/TK-CB/?unit={world.tu.pk}&as_of=04/12/2026")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-column="women_share" title="mọi cấp — nữ ÷ tổng số × 100, làm tròn 2 chữ số">40,00<' in html
    assert 'data-column="people" title="mọi cấp — số người giữ chức vụ chính tại ngày chốt số liệu">5<' in html
    assert "Tại ngày 04/12/2026, tổng số cán bộ giữ chức vụ là 5 người" in html
    event = AccessEvent.objects.get(kind=AccessKind.REPORT)
    assert "report=TK-CB" in event.query and "unit=TU" in event.query


def test_report_page_unknown_form_is_404(admin_client):
    assert admin_client.get("/reports/NOPE/").status_code == 404


def test_report_page_counts_only_the_scope(client, world, p):
    client.force_login(world.viewer_a)
    # the viewer's unit field only offers XA: TU is refused and XA (the highest) is used
    html = client.get(f"/reports/TK-CB/?unit={world.tu.pk}").content.decode()
    assert 'data-row="total"' in html
    assert 'data-column="people" title="mọi cấp — số người giữ chức vụ chính tại ngày chốt số liệu">1<' in html


def test_api_forms_and_report(admin_client, world, p):
    forms = admin_client.get("/api/report-forms/").json()
    tk = next(f for f in forms if f["code"] == "TK-CB")
    share = next(c for c in tk["columns"] if c["code"] == "women_share")
    assert share["kind"] == "share" and share["of"] == ["women", "people"]
    answer = admin_client.get("/api/report-forms/TK-CB/report/?unit=TU&as_of=2026-12-04").json()
    assert answer["unit"] == "TU" and answer["as_of"] == "2026-12-04"
    cells = {(c["row"], c["column"]): c["value"] for c in answer["cells"]}
    assert cells[("total", "people")] == 5
    assert cells[("total", "women_share")] == "40.00"
    assert cells[("district", "women_share")] is None
    before = admin_client.get("/api/report-forms/TK-CB/report/?unit=TU&as_of=2024-12-31").json()
    cells = {(c["row"], c["column"]): c["value"] for c in before["cells"]}
    assert cells[("district", "people")] == 1 and cells[("total", "people")] == 4


def test_api_errors(admin_client, world, p):
    assert admin_client.get("/api/report-forms/NOPE/").status_code == 404
    assert admin_client.get("/api/report-forms/TK-CB/report/?unit=KHONG").status_code == 404
    bad = admin_client.get("/api/report-forms/TK-CB/report/?unit=TU&as_of=31/02/2026")
    assert bad.status_code == 400 and "as_of" in bad.json()
    unknown = admin_client.get("/api/report-forms/TK-CB/report/?unit=TU&x=1")
    assert unknown.status_code == 400 and "x" in unknown.json()


def test_api_outside_scope_is_not_found(client, world, p):
    client.force_login(world.viewer_a)
    outside = client.get("/api/report-forms/TK-CB/report/?unit=XB")
    missing = client.get("/api/report-forms/TK-CB/report/?unit=KHONG")
    assert outside.status_code == missing.status_code == 404
