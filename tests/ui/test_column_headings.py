"""No blank column heading (issue 17): a column of buttons is named for screen readers
("Thao tác", visually hidden), as on the plan and review pages."""

import html
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def test_no_template_has_a_blank_heading():
    blank = [
        f"{path.relative_to(TEMPLATES)}:{text.count(chr(10), 0, m.start()) + 1}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for text in [path.read_text()]
        for m in re.finditer(r"<th\b[^>]*>\s*</th>", text)
    ]
    assert blank == []


def headings(content: str, section: str) -> list[str]:
    """The column headings of the section's table, hidden labels included."""
    part = content.split(f'id="{section}"', 1)[1].split("</thead>", 1)[0]
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", h)).split())
            for h in re.findall(r"<th\b[^>]*>(.*?)</th>", part, re.S)]  # fmt: skip


def test_profile_tables_name_their_button_column(client, people):
    client.force_login(people.editor_a)
    content = client.get(reverse("people:detail", args=[people.anh.pk])).content.decode()
    assert headings(content, "assignment") == [
        "Từ", "Đến", "Chức vụ", "Đơn vị", "Hình thức", "Số quyết định", "Thao tác",
    ]  # fmt: skip
    assert headings(content, "reward") == ["Năm", "Hình thức", "Cơ quan, số quyết định", "Thao tác"]
    assert '<th scope="col"><span class="visually-hidden">Thao tác</span></th>' in content
    # A viewer has no buttons, and no such column.
    client.force_login(people.viewer_a)
    content = client.get(reverse("people:detail", args=[people.anh.pk])).content.decode()
    assert headings(content, "assignment") == [
        "Từ", "Đến", "Chức vụ", "Đơn vị", "Hình thức", "Số quyết định",
    ]  # fmt: skip
    assert "Thao tác" not in content
