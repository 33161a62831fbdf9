"""The people list's rows, cell by cell, for a small designed world (issue 18: the rows
are worked out once per page; what they show must not change)."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from canbo.people import selectors

from ..factories import PersonFactory
from .conftest import anh_also_in_commune_b

LIST = reverse("people:list")
TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def designed(people, monkeypatch):
    """The page world, plus: Ánh also holds commune B's post (concurrent), a person in no
    unit whose name needs escaping, born on the 29th of February."""
    monkeypatch.setattr(selectors, "today", lambda: TODAY)
    anh_also_in_commune_b(people)
    people.odd = PersonFactory(
        family_name="Lê",
        middle_name="<Thị>",
        given_name="& Hoa",
        full_name="Lê <Thị> & Hoa",
        sex="F",
        birth_date=dt.date(1972, 2, 29),
        unit=None,
    )
    return people


def table_rows(response) -> list[str]:
    body = response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [" ".join(row.split()) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_rows_cell_by_cell(client, admin_user, designed):
    client.force_login(admin_user)
    p = designed
    post = "Bí thư Đảng ủy xã"
    expected = [
        f'<td class="text-muted">1</td> <td><a class="fw-semibold" href="/people/{p.odd.pk}/">'
        "Lê &lt;Thị&gt; &amp; Hoa</a></td> "
        f'<td class="font-monospace">{p.odd.id_number}</td> <td>Nữ</td> <td>29/02/1972</td> '
        '<td class="text-end">54</td> <td>—</td> <td><span class="text-muted">—</span></td> '
        "<td>30/06/2030</td>",
        f'<td class="text-muted">2</td> <td><a class="fw-semibold" href="/people/{p.anh.pk}/">'
        'Nguyễn Văn Ánh</a></td> <td class="font-monospace">001080000001</td> <td>Nam</td> '
        f'<td>05/03/1980</td> <td class="text-end">46</td> <td>{p.xa.name}</td> '
        f'<td>{post} – {p.xb.name} <span class="text-muted">(kiêm nhiệm)</span><br>{post}</td> '
        "<td>31/03/2042</td>",
        f'<td class="text-muted">3</td> <td><a class="fw-semibold" href="/people/{p.binh.pk}/">'
        'Đặng Thị Bình</a></td> <td class="font-monospace">001085000003</td> <td>Nữ</td> '
        f'<td>1985</td> <td class="text-end">41</td> <td>{p.xb.name}</td> <td>{post}</td> '
        "<td>31/01/2045</td>",
        f'<td class="text-muted">4</td> <td><a class="fw-semibold" href="/people/{p.cuc.pk}/">'
        'Trần Thị Cúc</a></td> <td class="font-monospace">001090000002</td> <td>Nữ</td> '
        f'<td>07/1990</td> <td class="text-end">35</td> <td>{p.xa.name}</td> '
        '<td><span class="text-muted">—</span></td> <td>31/07/2050</td>',
    ]
    assert table_rows(client.get(LIST)) == expected
    # The live search's fragment carries the same rows.
    fragment = client.get(LIST, headers={"HX-Request": "true"})
    assert table_rows(fragment) == expected


def test_rows_at_a_past_date_and_on_a_later_page(client, admin_user, designed, monkeypatch):
    client.force_login(admin_user)
    monkeypatch.setattr("canbo.people.views.PAGE_SIZE", 2)
    rows = table_rows(client.get(LIST, {"as_of": "01/01/2021", "page": "2"}))
    assert [row.split("</td>", 1)[0] for row in rows] == [
        '<td class="text-muted">3',
        '<td class="text-muted">4',
    ]
    # Bình's post began that day; Cúc's age is her age at that date.
    assert "<td>Bí thư Đảng ủy xã</td>" in rows[0]
    assert '<td class="text-end">30</td>' in rows[1]


#: The rows as the page's template drew them with the template engine (before issue 18's
#: second pass); `list_rows.rows_html` must write the same bytes.
TEMPLATE_LOOP = """{% load i18n %}{% for row in rows %}
        <tr>
          <td class="text-muted">{{ row.number }}</td>
          <td><a class="fw-semibold" href="{{ row.url }}">{{ row.person.full_name }}</a></td>
          <td class="font-monospace">{{ row.person.id_number }}</td>
          <td>{{ row.sex }}</td>
          <td>{{ row.birth }}</td>
          <td class="text-end">{{ row.age }}</td>
          <td>{{ row.unit }}</td>
          <td>{% for post in row.posts %}{{ post.title }}{% if post.unit %} – {{ post.unit }}{% endif %}{% if post.concurrent %} <span class="text-muted">({% translate "kiêm nhiệm" %})</span>{% endif %}{% if not forloop.last %}<br>{% endif %}{% empty %}<span class="text-muted">—</span>{% endfor %}</td>
          <td>{{ row.retirement }}</td>
        </tr>
      {% endfor %}"""  # noqa: E501


def test_rows_html_is_the_template_loop_byte_for_byte(designed):
    from django.template import engines
    from django.utils.safestring import mark_safe

    from canbo.people import list_rows
    from canbo.people.models import Person

    people = list(list_rows.page_people(Person.objects.all()))
    people[0].full_name = mark_safe("<b>an toàn</b>")  # a safe string is not escaped
    rows = list_rows.page_rows(people, TODAY, 1234)  # numbers past a thousand
    rows.append(
        list_rows.PersonRow(
            person=people[1], number=0, url='/x?a=1&b="2"', sex="<X>", birth="", age=None,
            unit="A & B", posts=[list_rows.Post("<T>", "", True), list_rows.Post("T", "U", False)],
            retirement="",
        )
    )  # fmt: skip
    assert any(row.posts for row in rows) and any(not row.posts for row in rows)
    drawn = engines["django"].from_string(TEMPLATE_LOOP).render({"rows": rows})
    assert list_rows.rows_html(rows) == drawn
