"""A directive's progress report as DOCX and XLSX (issue 14, item 6): the Central Highlands
case in words and tables, every figure equal to the roll-up; the official header; both
files open in LibreOffice; formula-like names stay text; the downloads are scoped."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess

import docx
import openpyxl
import pytest
from django.urls import path

from canbo.accounts.models import Role
from canbo.directives.document_views import ProgressReportView
from canbo.directives.documents import progress_docx, progress_report, progress_xlsx, units_noun
from canbo.directives.selectors import directive_rollups
from canbo.organizations.choices import UnitKind, UnitLevel
from canbo.organizations.models import Unit
from canbo.urls import urlpatterns as project_urls
from tests.exchange.test_office import soffice_csv
from tests.factories import UserFactory, grant
from tests.planning.test_documents import soffice_pdf

from .test_rollups import ON
from .test_rollups import region as region

urlpatterns = [
    *project_urls,
    path("test-directives/<int:pk>/bao-cao.docx", ProgressReportView.as_view(fmt="docx"),
         name="test_progress_docx"),
    path("test-directives/<int:pk>/bao-cao.xlsx", ProgressReportView.as_view(fmt="xlsx"),
         name="test_progress_xlsx"),
]  # fmt: skip

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

SENTENCES = [
    "Đến ngày 30/11/2012, 13/13 cấp ủy cấp tỉnh (đạt 100,00%) đã hoàn thành nhiệm vụ. "
    "Trong đó: hoàn thành đúng hạn: 13.",
    "Đến ngày 30/11/2012, 221/222 cấp ủy cấp huyện (đạt 99,55%) đã hoàn thành nhiệm vụ. "
    "Trong đó: hoàn thành đúng hạn: 221; quá hạn, chưa hoàn thành: 1.",
    "Đến ngày 30/11/2012, 709/724 sở, ban, ngành cấp tỉnh (đạt 97,93%) đã hoàn thành nhiệm vụ. "
    "Trong đó: hoàn thành đúng hạn: 700; hoàn thành quá hạn: 9; quá hạn, chưa hoàn thành: 15.",
]


def paragraphs(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


def test_the_docx_says_the_regions_figures_in_words(region):
    plan, tasks, group, provinces, _outside = region
    data = progress_docx(plan, ON, group=group, signed_on=dt.date(2012, 12, 5))
    document = docx.Document(io.BytesIO(data))
    text = [p.text for p in document.paragraphs]
    for sentence in SENTENCES:
        assert sentence in text
    assert "1. Tỉnh ủy kiểm điểm (thời hạn 30/09/2012)" in text
    assert ("Kế hoạch có 3 nhiệm vụ giao cho đơn vị thực hiện, tổng cộng 959 lượt đơn vị; đến "
            "ngày 30/11/2012, 943/959 lượt (đạt 98,33%) đã hoàn thành.") in text  # fmt: skip
    assert "BÁO CÁO" in text
    assert ("tiến độ thực hiện Kế hoạch số 10-KH/TW ngày 01/06/2012 của Ban Chấp hành Trung "
            "ương") in text  # fmt: skip

    # The official header: the group's department under its superior, the party's name.
    left, right = document.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs if p.text] == [
        "BAN CHẤP HÀNH TRUNG ƯƠNG", "VỤ ĐỊA PHƯƠNG II", "*", "Số      -BC/VĐPII",
    ]  # fmt: skip
    assert [p.text for p in right.paragraphs if p.text] == [
        "ĐẢNG CỘNG SẢN VIỆT NAM", "ngày 05 tháng 12 năm 2012",
    ]  # fmt: skip
    (party,) = [r for r in right.paragraphs[0].runs if r.text.strip()]
    assert (party.font.name, party.font.size.pt, party.bold, party.underline) == (
        "Times New Roman", 15, True, True,
    )  # fmt: skip
    section = document.sections[0]
    assert [round(v.mm) for v in (section.page_width, section.page_height)] == [210, 297]

    # Tables by unit: one per task, the 13 provinces then the total, equal to the roll-up.
    by_unit = document.tables[1:4]
    districts = [[c.text for c in row.cells] for row in by_unit[1].rows]
    assert districts[0][:3] == ["STT", "Đơn vị", "Được giao"]
    assert districts[13] == ["13", "Tỉnh ủy 13", "18", "17", "0", "0", "1", "94,44%"]
    assert districts[14] == ["", "Tổng cộng", "222", "221", "0", "0", "1", "99,55%"]
    assert len(districts) == 15
    signature = document.tables[-1].rows[0].cells[1].paragraphs[0].text
    assert signature == "T/M VỤ ĐỊA PHƯƠNG II"


def test_the_figures_equal_the_roll_up_over_a_unit(region):
    plan, tasks, group, provinces, _outside = region
    report = progress_report(plan, ON, unit=provinces[12])
    assert [r.text for r in report.rollups] == [
        r.text for r in directive_rollups(plan, ON, unit=provinces[12])
    ]
    # The province's own assignment first, then its 18 districts' (one each).
    own, *children = report.tables[tasks[0].pk]
    assert (own[0].code, own[1].text, children) == ("T13", "1/1 (100,00%)", [])
    rows = report.tables[tasks[1].pk]
    assert len(rows) == 18 and sum(r.assigned for _u, r in rows) == 18
    assert [r.overdue for _u, r in rows].count(1) == 1
    assert report.sentence(report.rollups[1]) == (
        "Đến ngày 30/11/2012, 17/18 cấp ủy cấp huyện (đạt 94,44%) đã hoàn thành nhiệm vụ. "
        "Trong đó: hoàn thành đúng hạn: 17; quá hạn, chưa hoàn thành: 1."
    )


def test_a_report_takes_a_fixed_number_of_queries(region, django_assert_num_queries):
    """Tasks, roll-ups, the units' kinds, the table's units, then one breakdown per task
    (3 here); the DOCX reads the reporting unit's superior and area too. The same for 13
    provinces and their 946 units as for one province and its 73."""
    plan, _tasks, group, provinces, _outside = region
    for where in ({"group": group}, {"unit": provinces[0]}):
        with django_assert_num_queries(4 + 3):
            progress_xlsx(plan, ON, **where)
    with django_assert_num_queries(4 + 3 + 1):
        progress_docx(plan, ON, group=group)


def test_the_xlsx_cells_equal_the_roll_up(region):
    plan, tasks, group, provinces, _outside = region
    book = openpyxl.load_workbook(io.BytesIO(progress_xlsx(plan, ON, group=group)))
    assert book.sheetnames == ["Tổng hợp", "Theo đơn vị"]
    summary = [list(r) for r in book["Tổng hợp"].iter_rows(values_only=True)]
    assert summary[0][0] == "BÁO CÁO TIẾN ĐỘ THỰC HIỆN 10-KH/TW"
    assert summary[4][:2] == ["Số liệu tính đến ngày", dt.datetime(2012, 11, 30)]
    assert book["Tổng hợp"]["B5"].number_format == "DD/MM/YYYY"
    assert summary[6][:4] == ["STT", "Nhiệm vụ", "Thời hạn", "Được giao"]
    assert [row[3:] for row in summary[7:]] == [
        [13, 13, 0, 0, 0, 0, 0, 13, 100],
        [222, 221, 0, 0, 1, 0, 0, 221, 99.55],
        [724, 700, 9, 0, 15, 0, 0, 709, 97.93],
        [959, 934, 9, 0, 16, 0, 0, 943, 98.33],
    ]
    assert summary[8][2] == dt.datetime(2012, 9, 30)
    rows = [list(r) for r in book["Theo đơn vị"].iter_rows(min_row=8, values_only=True)]
    assert len(rows) == 13 * 3
    assert rows[25] == [2, "Cấp ủy cấp huyện kiểm điểm", "T13", "Tỉnh ủy 13", 18, 17, 0, 0, 1,
                        0, 94.44]  # fmt: skip
    assert sum(r[4] for r in rows if r[0] == 3) == 724


def test_a_formula_like_unit_name_is_written_as_text(region, tmp_path):
    plan, tasks, group, provinces, _outside = region
    Unit.objects.filter(pk=provinces[0].pk).update(name='=HYPERLINK("http://x","bấm")')
    data = progress_xlsx(plan, ON, group=group)
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Theo đơn vị"]
    cell = sheet["D8"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (
        '=HYPERLINK("http://x","bấm")', "s", True,
    )  # fmt: skip
    path = tmp_path / "bao-cao.xlsx"
    path.write_bytes(data)
    rows = soffice_csv(path, "Theo đơn vị", tmp_path)
    assert rows[7][2:4] == ["T01", '=HYPERLINK("http://x","bấm")']
    assert rows[7][4:9] == ["1", "1", "0", "0", "0"]


def soffice_text(path, tmp_path) -> str:
    """A document's text as LibreOffice Writer reads it (the same headless run as
    `soffice_pdf`, converted to UTF-8 text)."""
    out = tmp_path / "txt"
    env = {**os.environ, "HOME": str(tmp_path)}
    subprocess.run(
        [shutil.which("soffice"), "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "txt:Text (encoded):UTF8", "--outdir", str(out), str(path)],
        check=True, capture_output=True, timeout=180, env=env,
    )  # fmt: skip
    return (out / f"{path.stem}.txt").read_text(encoding="utf-8-sig")


def test_both_files_open_in_libreoffice(region, tmp_path):
    plan, tasks, group, provinces, _outside = region
    docx_path = tmp_path / "bao-cao.docx"
    docx_path.write_bytes(progress_docx(plan, ON, group=group))
    xlsx_path = tmp_path / "bao-cao-excel.xlsx"
    xlsx_path.write_bytes(progress_xlsx(plan, ON, group=group))
    soffice_pdf(docx_path, tmp_path)
    text = soffice_text(docx_path, tmp_path)
    for line in ("ĐẢNG CỘNG SẢN VIỆT NAM", "VỤ ĐỊA PHƯƠNG II", "BÁO CÁO", *SENTENCES):
        assert line in text
    rows = soffice_csv(xlsx_path, "Tổng hợp", tmp_path)
    # (The CSV filter writes dates in its own locale; their dd/mm/yyyy format is tested above.)
    assert rows[0][0] == "BÁO CÁO TIẾN ĐỘ THỰC HIỆN 10-KH/TW"
    assert rows[4][0] == "Số liệu tính đến ngày"
    assert rows[8][:2] == ["2", "Cấp ủy cấp huyện kiểm điểm"]
    assert rows[8][3:] == ["222", "221", "0", "0", "1", "0", "0", "221", "99.55"]


def test_nouns_say_what_the_units_are():
    assert units_noun({(UnitKind.PARTY_COMMITTEE, UnitLevel.COMMUNE)}) == "cấp ủy cấp xã"
    assert units_noun({(UnitKind.DEPARTMENT, UnitLevel.DISTRICT)}) == "phòng, ban, ngành cấp huyện"
    assert units_noun({(UnitKind.PARTY_COMMITTEE, UnitLevel.PROVINCE),
                       (UnitKind.DEPARTMENT, UnitLevel.PROVINCE)}) == "đơn vị cấp tỉnh"  # fmt: skip
    assert units_noun({(UnitKind.OTHER, UnitLevel.PROVINCE),
                       (UnitKind.DEPARTMENT, UnitLevel.DISTRICT)}) == "đơn vị"  # fmt: skip


def test_a_cancelled_task_is_said_so(region):
    plan, tasks, group, provinces, _outside = region
    tasks[2].cancelled_on, tasks[2].cancel_reason = dt.date(2012, 10, 1), "Gộp vào nhiệm vụ 2"
    tasks[2].save()
    text = paragraphs(progress_docx(plan, ON, group=group))
    assert ("Nhiệm vụ đã hủy ngày 01/10/2012 (Gộp vào nhiệm vụ 2); 724 sở, ban, ngành cấp tỉnh "
            "được giao.") in text  # fmt: skip


# --- The downloads: scoped, dated, 400 on a bad date --------------------------------------


def user_of(code, role=Role.VIEWER, include_subtree=True):
    user = UserFactory(role=role)
    grant(user, Unit.objects.get(code=code), include_subtree)
    return user


def url(plan, fmt="docx", **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"/test-directives/{plan.pk}/bao-cao.{fmt}" + (f"?{query}" if query else "")


def test_the_department_downloads_its_groups_report(client, region):
    plan, tasks, group, provinces, _outside = region
    client.force_login(user_of("V2"))
    response = client.get(url(plan, group="Tây Nguyên", as_of="30/11/2012"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="bao-cao-tien-do-10-KH-TW-20121130.docx"' in response["Content-Disposition"]
    text = paragraphs(response.content)
    assert SENTENCES[1] in text and SENTENCES[2] in text
    response = client.get(url(plan, "xlsx", group=group.pk, as_of="2012-11-30"))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Tổng hợp"]
    assert [sheet.cell(9, c).value for c in (4, 5, 12)] == [222, 221, 99.55]


def test_a_district_sees_only_itself_and_the_rest_is_404(client, region):
    plan, tasks, group, provinces, _outside = region
    client.force_login(user_of("T03-H05", include_subtree=False))
    response = client.get(url(plan, as_of="30/11/2012"))
    assert response.status_code == 200
    text = paragraphs(response.content)
    assert ("Đến ngày 30/11/2012, 1/1 cấp ủy cấp huyện (đạt 100,00%) đã hoàn thành nhiệm vụ. "
            "Trong đó: hoàn thành đúng hạn: 1.") in text  # fmt: skip
    assert not any("221/222" in t for t in text)
    # Another unit, the group, another directive: all exactly like what does not exist.
    for params in ({"unit": "T03-H06"}, {"unit": "KHONG-CO"}, {"group": "Tây Nguyên"},
                   {"group": group.pk}, {"group": "Không có"}):  # fmt: skip
        assert client.get(url(plan, **params)).status_code == 404, params
    assert client.get(f"/test-directives/{plan.pk + 1000}/bao-cao.docx").status_code == 404
    # Its own unit is fine.
    assert client.get(url(plan, "xlsx", unit="T03-H05")).status_code == 200


def test_a_one_unit_grant_reads_its_own_assignment_not_its_childrens(client, region):
    plan, tasks, group, provinces, _outside = region
    client.force_login(user_of("T03", include_subtree=False))
    assert client.get(url(plan, unit="T03-H01")).status_code == 404
    response = client.get(url(plan, "xlsx", unit="T03", as_of="30/11/2012"))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    summary = [r[3] for r in book["Tổng hợp"].iter_rows(min_row=8, values_only=True)]
    assert summary == [1, 1]  # the province's own assignment, and the total
    rows = list(book["Theo đơn vị"].iter_rows(min_row=8, values_only=True))
    assert [(r[2], r[4]) for r in rows] == [("T03", 1)]


@pytest.mark.parametrize("name", ["9" * 30, "²", "1" * 200, "-1"])
def test_odd_group_parameters_are_404(client, region, name):
    client.force_login(UserFactory(role=Role.ADMIN))
    assert client.get(url(region[0], group=name)).status_code == 404


def test_the_department_without_parameters_gets_its_groups_units(client, region):
    plan = region[0]
    client.force_login(user_of("V2"))
    response = client.get(url(plan, "xlsx", as_of="30/11/2012"))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book["Theo đơn vị"].iter_rows(min_row=8, values_only=True))
    assert [r[2] for r in rows if r[0] == 2] == [f"T{n:02}" for n in range(1, 14)]
    assert sum(r[4] for r in rows if r[0] == 2) == 222


def test_a_unit_reached_only_through_the_group_counts_what_the_user_sees(client, region):
    plan, tasks, group, provinces, _outside = region
    client.force_login(user_of("V2"))
    response = client.get(url(plan, unit="T13", as_of="30/11/2012"))
    assert response.status_code == 200
    assert ("Đến ngày 30/11/2012, 17/18 cấp ủy cấp huyện (đạt 94,44%) đã hoàn thành nhiệm vụ. "
            "Trong đó: hoàn thành đúng hạn: 17; quá hạn, chưa hoàn thành: 1.") in paragraphs(
        response.content)  # fmt: skip
    assert client.get(url(plan, unit="T99")).status_code == 404


@pytest.mark.parametrize(("as_of", "message"), [
    ("31/02/2012", "Ngày 31/02/2012 không tồn tại."),
    ("2012-13-01", "Ngày 2012-13-01 không tồn tại."),
    ("hôm qua", "Ngày “hôm qua” không hợp lệ; hãy viết dd/mm/yyyy."),
    ("x" * 500, f"Ngày “{'x' * 20}” không hợp lệ; hãy viết dd/mm/yyyy."),
])  # fmt: skip
def test_a_bad_date_is_400_in_vietnamese(client, region, as_of, message):
    plan = region[0]
    client.force_login(UserFactory(role=Role.ADMIN))
    response = client.get(url(plan, as_of=as_of))
    assert response.status_code == 400
    assert message in response.content.decode()


def test_unit_and_group_together_is_400(client, region):
    plan = region[0]
    client.force_login(UserFactory(role=Role.ADMIN))
    response = client.get(url(plan, unit="T01", group="Tây Nguyên"))
    assert response.status_code == 400
    assert response.content.decode() == "Hãy chọn một đơn vị hoặc một nhóm, không chọn cả hai."


def test_an_administrator_without_parameters_gets_the_whole_tree(client, region):
    plan = region[0]
    client.force_login(UserFactory(role=Role.ADMIN))
    response = client.get(url(plan, as_of="30/11/2012"))
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    assert any(p.text.startswith("Đến ngày 30/11/2012, 221/225 cấp ủy cấp huyện (đạt 98,22%)")
               for p in document.paragraphs)  # fmt: skip


def test_anonymous_users_are_sent_to_log_in(client, region):
    response = client.get(url(region[0]))
    assert response.status_code == 302
