"""Every table scrolls inside its card on a phone (issue 17): it sits directly in a
`.table-responsive` box, so a wide table never widens the whole page."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from canbo.accounts import services as account_services
from canbo.core.audit import audit_source
from canbo.organizations import services as org_services

from ..factories import make_unit

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip


class Parents(HTMLParser):
    """For each <table> of a page: its id (or "") and its parent element's tag and classes."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, str]] = []
        self.tables: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            parent, classes = self.stack[-1]
            self.tables.append((attrs.get("id") or "", parent, classes))
        if tag not in VOID:
            self.stack.append((tag, attrs.get("class") or ""))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return


def tables_of(response) -> list[tuple[str, str, str]]:
    assert response.status_code == 200
    parser = Parents()
    parser.feed(response.content.decode())
    return parser.tables


WRAPPED = ("div", "table-responsive")


def test_every_template_table_is_wrapped():
    """The source of every template: the text before each <table> ends with the opening
    tag of a `.table-responsive` box (template tags and spaces between them allowed)."""
    unwrapped = []
    count = 0
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text()
        for match in re.finditer(r"<table\b", text):
            count += 1
            before = re.sub(r"(\s|\{%[^%]*%\})+$", "", text[: match.start()])
            if not re.search(r'<div class="table-responsive( [^"]*)?">$', before):
                line = text.count("\n", 0, match.start()) + 1
                unwrapped.append(f"{path.relative_to(TEMPLATES)}:{line}")
    assert count >= 30
    assert unwrapped == []


def test_unit_page_tables_scroll(client, people, admin_user):
    make_unit("XA-1", "Chi bộ thôn Đông", people.xa)
    client.force_login(people.viewer_a)
    response = client.get(reverse("organizations:unit-detail", args=[people.xa.pk]))
    # The units below and the positions with their holders.
    assert tables_of(response) == [("", *WRAPPED), ("", *WRAPPED)]
    assert "Chi bộ thôn Đông" in response.content.decode()


def test_history_page_tables_scroll(client, people, admin_user):
    with audit_source("ui"):
        org_services.unit_update(actor=admin_user, unit=people.xa, short_name="ĐU An Bình")
        org_services.unit_update(actor=admin_user, unit=people.xa, short_name="ĐU xã An Bình")
    client.force_login(people.viewer_a)
    response = client.get(reverse("organizations:unit-history", args=[people.xa.pk]))
    assert tables_of(response) == [("", *WRAPPED), ("", *WRAPPED)]
    # Ánh's record and work history were created: two entries, a table each.
    response = client.get(reverse("people:history", args=[people.anh.pk]))
    assert tables_of(response) == [("", *WRAPPED), ("", *WRAPPED)]


def test_account_page_token_table_scrolls(client, people, admin_user):
    account_services.api_token_issue(actor=admin_user, user=people.viewer_a, name="Báo cáo")
    client.force_login(people.viewer_a)
    response = client.get(reverse("accounts:account"))
    assert tables_of(response) == [("", *WRAPPED)]
    assert "Báo cáo" in response.content.decode()


def test_key_leaders_tables_scroll(client, people):
    client.force_login(people.viewer_a)
    response = client.get(reverse("people:key-leaders") + "?unit=XA")
    assert tables_of(response) == [("", *WRAPPED), ("", *WRAPPED)]
