"""The report-round pages (issue 16, item 7) through the Django test client, on the
known-answer province: the province TU creates an annual round 2026 of TK-CB for its
communes; XA opens its report, corrects a cell with its reason and sends it; XB sends its
own; TU accepts XA and returns XB with a comment; the reconciliation page lists the
corrected cell and the returned unit; completeness reads 1/2 accepted, 2/2 submitted.
Then what the pages refuse, as messages, and what is not found.

The pages' clock (`views_rounds.now`) is set per step: sending waits for the cut-off
14/12/2026."""

import datetime as dt
import html
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from canbo.core.models import AccessEvent, AccessKind
from canbo.directives.models import TaskAssignment
from canbo.reports import services, views_rounds
from canbo.reports.models import ReportRound, Submission, SubmissionCorrection, SubmissionStatus
from tests.factories import make_unit

from . import test_rounds_setup as setup
from .test_rounds_setup import CUT_OFF, DEADLINE, ISSUED, at, make_round

p, province_editor, editor_b, r = setup.p, setup.province_editor, setup.editor_b, setup.r  # fixtures

pytestmark = pytest.mark.django_db

REASON = "Đồng chí Lan được kết nạp Đảng ngày 01/12/2026, hồ sơ chưa cập nhật"
RETURN_COMMENT = "Thiếu đồng chí mới được điều động về xã."


@pytest.fixture
def clock(monkeypatch):
    """Set the pages' today: clock(date)."""

    def set_day(day: dt.date, hour: int = 9):
        monkeypatch.setattr(views_rounds, "now", lambda: at(day, hour))

    set_day(ISSUED)
    return set_day


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    return html.unescape(response.content.decode())


def cell(page: str, row: str, column: str, table: str = "report-table") -> str:
    """The text of a cell of the page's form table (tags removed)."""
    body = page.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    line = re.search(rf'<tr data-row="{row}"[^>]*>(.*?)</tr>', body, re.S).group(1)
    found = re.search(rf'<td[^>]*data-column="{column}"[^>]*>(.*?)</td>', line, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", found).split())


def cell_tag(page: str, row: str, column: str) -> str:
    body = page.split('id="report-table"', 1)[1].split("</table>", 1)[0]
    line = re.search(rf'<tr data-row="{row}"[^>]*>(.*?)</tr>', body, re.S).group(1)
    return re.search(rf'<td[^>]*data-column="{column}"[^>]*>', line).group(0)


def tally(page: str, table: str, code: str, name: str) -> str:
    body = page.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    line = re.search(rf'<tr data-tally="{code}">(.*?)</tr>', body, re.S).group(1)
    return re.search(rf'data-name="{name}">([^<]*)<', line).group(1)


def messages_of(page: str) -> list[str]:
    return [" ".join(re.sub(r"<[^>]+>", " ", m).split())
            for m in re.findall(r'<div class="alert alert-\w+ alert-dismissible" role="alert">(.*?)<button',
                                page, re.S)]  # fmt: skip


def row_of(page: str, row_id: str) -> str:
    """The text of the table row with that id."""
    row = page.split(f'id="{row_id}"', 1)[1].split(">", 1)[1].split("</tr>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", row).split())


# --- The full flow ---------------------------------------------------------------------------


def create_round(client) -> ReportRound:
    form = text(client.get("/reports/rounds/new/"))
    # the period's dates prefilled from the kind and year (annual 2026, Nghị định 09/2019)
    assert 'name="period_start" id="id_period_start" value="15/12/2025"' in form
    assert 'name="period_end" id="id_period_end" value="14/12/2026"' in form
    assert "Mặc định theo Nghị định 09/2019/NĐ-CP: từ 15/12/2025 đến 14/12/2026" in form
    data = {"form_codes": ["TK-CB"], "period_kind": "annual", "year": "2026",
            "period_number": "", "period_start": "", "period_end": "", "deadline": "21/12/2026",
            "issuing_unit": "", "issuing_unit_text": "TU", "level": "commune", "kind": "",
            "within": "", "group": "", "name": "", "note": "Gửi kèm bản ký."}  # fmt: skip
    answer = client.post("/reports/rounds/new/", data)
    r = ReportRound.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/reports/rounds/{r.pk}/"
    return r


def test_the_full_flow_through_the_pages(world, p, province_editor, editor_b, clock):
    tu = client_for(province_editor)
    r = create_round(tu)
    assert (r.name, r.period_start, r.period_end, r.deadline, r.issuing_unit, r.level, r.note) == (
        "Báo cáo TK-CB – Năm 2026", dt.date(2025, 12, 15), CUT_OFF, DEADLINE, world.tu,
        "commune", "Gửi kèm bản ký.")  # fmt: skip
    assert [a.unit.code for a in TaskAssignment.objects.filter(task=r.task).order_by("unit__path")] == [
        "XA", "XB"]
    listed = text(tu.get("/reports/rounds/"))
    assert row_of(listed, f"round-{r.pk}") == (
        "Báo cáo TK-CB – Năm 2026 BC TK-CB/2026 TK-CB Năm 2026 14/12/2026 21/12/2026 "
        "Tỉnh ủy Thử Nghiệm 2 0/2 0/2")  # fmt: skip

    # XA opens its report: the figures computed from its records at the cut-off.
    xa_client = client_for(world.editor_a)
    clock(dt.date(2026, 12, 15))
    round_page = text(xa_client.get(f"/reports/rounds/{r.pk}/"))
    assert 'id="open-XA-TK-CB"' in round_page and 'id="open-XB-TK-CB"' not in round_page
    opened = xa_client.post(f"/reports/rounds/{r.pk}/open/", {"unit": world.xa.pk, "form_code": "TK-CB"})
    xa = Submission.objects.get(unit=world.xa)
    assert opened["Location"] == f"/reports/submissions/{xa.pk}/"
    page = text(xa_client.get(f"/reports/submissions/{xa.pk}/"))
    assert [cell(page, "total", c) for c in ("people", "women", "women_share", "party", "party_share")] == [
        "1", "1", "100,00", "0", "0,00"]
    assert 'id="submission-status">Đang lập<' in page

    # ... corrects the party members with the reason, and sends it on 16/12.
    answer = xa_client.post(f"/reports/submissions/{xa.pk}/correct/", {
        "correct-row": "total", "correct-column": "party", "correct-value": "1",
        "correct-reason": REASON}, follow=True)  # fmt: skip
    page = text(answer)
    assert messages_of(page) == ["Đã sửa ô “Tổng số / Đảng viên”: 0 → 1."]
    assert cell(page, "total", "party") == "1" and cell(page, "total", "party_share") == "100,00"
    assert cell_tag(page, "total", "party") == (
        '<td class="text-end table-warning fw-semibold" data-column="party" data-corrected="0" '
        f'title="Đã sửa (tính từ hồ sơ: 0). Lý do: {REASON}">')
    assert row_of(page, "correction-total-party").startswith(f"Tổng số Đảng viên 0 1 {REASON}")
    clock(dt.date(2026, 12, 16))
    page = text(xa_client.post(f"/reports/submissions/{xa.pk}/submit/", follow=True))
    assert messages_of(page) == ["Đã gửi báo cáo TK-CB của Đảng ủy xã An Bình lên cấp trên."]
    assert 'id="submission-status">Đã gửi<' in page and "đúng hạn" in page
    assert 'id="correction-form"' not in page and 'id="submission-submit"' not in page

    # XB opens and sends its own.
    b_client = client_for(editor_b)
    b_client.post(f"/reports/rounds/{r.pk}/open/", {"unit": world.xb.pk, "form_code": "TK-CB"})
    xb = Submission.objects.get(unit=world.xb)
    b_client.post(f"/reports/submissions/{xb.pk}/submit/")

    # TU's queue: both; it accepts XA, returns XB (first without a comment: refused).
    clock(dt.date(2026, 12, 23))
    queue = text(tu.get("/reports/queue/"))
    assert row_of(queue, f"queue-{xa.pk}").startswith(
        "Báo cáo TK-CB – Năm 2026 TK-CB Đảng ủy xã An Bình 16/12/2026 09:00 đúng hạn 1")
    assert f'id="queue-{xb.pk}"' in queue
    page = text(tu.post(f"/reports/submissions/{xa.pk}/accept/", {"next": "queue", "comment": ""},
                        follow=True))  # fmt: skip
    assert messages_of(page) == ["Đã tiếp nhận báo cáo TK-CB của Đảng ủy xã An Bình."]
    assert f'id="queue-{xa.pk}"' not in page and f'id="queue-{xb.pk}"' in page
    page = text(tu.post(f"/reports/submissions/{xb.pk}/return/", {"next": "queue", "comment": "  "},
                        follow=True))  # fmt: skip
    assert messages_of(page) == ["Trả lại báo cáo thì phải ghi ý kiến: cần sửa, bổ sung gì."]
    assert Submission.objects.get(pk=xb.pk).status == SubmissionStatus.SUBMITTED
    page = text(tu.post(f"/reports/submissions/{xb.pk}/return/",
                        {"next": "queue", "comment": RETURN_COMMENT}, follow=True))  # fmt: skip
    assert messages_of(page) == ["Đã trả lại báo cáo TK-CB của Đảng ủy xã Bình Minh."]
    assert 'id="queue-empty"' in page
    xa.refresh_from_db()
    xb.refresh_from_db()
    assert (xa.status, xa.decided_by, xb.status, xb.comment) == (
        SubmissionStatus.ACCEPTED, province_editor, SubmissionStatus.RETURNED, RETURN_COMMENT)

    # XB sees the comment; its report is open again.
    page = text(b_client.get(f"/reports/submissions/{xb.pk}/"))
    assert f"Ý kiến của cấp trên: {RETURN_COMMENT}" in " ".join(
        re.sub(r"<[^>]+>", " ", page.split('id="submission-comment"', 1)[1].split("</div>")[0]).split())
    assert 'id="submission-status">Trả lại<' in page and 'id="correction-form"' in page

    # The round page: completeness 1/2 accepted, 2/2 submitted, per form and per level.
    page = text(tu.get(f"/reports/rounds/{r.pk}/"))
    for table in ("completeness-forms", "completeness-commune"):
        assert tally(page, table, "TK-CB", "submitted") == "2/2 (100,00%)"
        assert tally(page, table, "TK-CB", "accepted") == "1/2 (50,00%)"
        assert tally(page, table, "TK-CB", "returned") == "1/2 (50,00%)"
        assert tally(page, table, "TK-CB", "on_time") == "2/2 (100,00%)"
        assert tally(page, table, "TK-CB", "waiting") == "0/2 (0,00%)"
    assert '<rect x="0.000" y="0" width="50.000" height="10" fill="#198754" data-part="accepted" data-n="1">' in page
    assert '<rect x="50.000" y="0" width="50.000" height="10" fill="#dc3545" data-part="returned" data-n="1">' in page
    assert row_of(page, "unit-XA") == "Đảng ủy xã An Bình (XA) Đã tiếp nhận 16/12/2026"
    assert row_of(page, "unit-XB") == "Đảng ủy xã Bình Minh (XB) Trả lại Chưa"
    assert 'id="reconciliation-TK-CB"' in page and 'id="total-TK-CB"' in page

    # TU's total: XA's accepted figures with its corrected cell.
    page = text(tu.get(f"/reports/rounds/{r.pk}/TK-CB/total/"))
    assert [cell(page, "total", c) for c in ("people", "women", "party", "party_share", "age_30")] == [
        "1", "1", "1", "100,00", "1"]
    assert cell(page, "commune", "party") == "0"

    # The reconciliation: the corrected cell, its difference with the records, XB returned.
    page = text(tu.get(f"/reports/rounds/{r.pk}/TK-CB/reconciliation/"))
    assert cell(page, "total", "party") == "1 (0)"
    assert 'class="text-end table-danger" data-column="party"' in page
    assert cell(page, "total", "people") == "1"
    assert row_of(page, "difference-total-party") == "Tổng số Đảng viên 1 0 +1 XA đã sửa"
    assert row_of(page, "corrected-XA-total-party") == (
        f"Đảng ủy xã An Bình Đã tiếp nhận Tổng số Đảng viên 0 1 {REASON}")
    returned = page.split('id="returned-units"', 1)[1].split("</ul>", 1)[0]
    assert 'data-unit="XB">Đảng ủy xã Bình Minh (XB)<' in returned
    missing = page.split('id="missing-units"', 1)[1].split("</ul>", 1)[0]
    assert "Không có." in missing
    assert 'data-cell="total:party"' in page

    # Each read of figures left an access entry naming the form, the unit and the round.
    queries = list(AccessEvent.objects.filter(kind=AccessKind.REPORT).values_list("query", flat=True))
    assert f"report=TK-CB unit=XA round={r.pk} submission={xa.pk}" in queries
    assert f"report=TK-CB unit=TU round={r.pk} view=total" in queries
    assert f"report=TK-CB unit=TU round={r.pk} view=reconciliation" in queries


# --- The new round's form -------------------------------------------------------------------


def test_period_box_gives_the_defaults(world, province_editor, clock):
    client = client_for(province_editor)
    page = text(client.get("/reports/rounds/period/?period_kind=quarterly&year=2026&period_number=2"))
    assert 'value="15/03/2026"' in page and 'value="14/06/2026"' in page
    page = text(client.get("/reports/rounds/period/?period_kind=monthly&year=2026&period_number=1"))
    assert 'value="15/12/2025"' in page and 'value="14/01/2026"' in page
    page = text(client.get("/reports/rounds/period/?period_kind=ad_hoc&year=2026"
                           "&period_start=01/11/2026&period_end=30/11/2026"))  # fmt: skip
    assert 'value="01/11/2026"' in page and 'value="30/11/2026"' in page
    assert "Báo cáo đột xuất: hãy nhập ngày bắt đầu và ngày chốt số liệu." in page
    page = text(client.get("/reports/rounds/period/?period_kind=quarterly&year=2026"))
    assert "Hãy chọn quý (từ 1 đến 4)." in page


def test_a_round_with_changed_dates_and_the_errors(world, p, province_editor, clock):
    client = client_for(province_editor)
    base = {"form_codes": ["TK-CB"], "period_kind": "ad_hoc", "year": "", "period_number": "",
            "period_start": "", "period_end": "", "deadline": "21/12/2026",
            "issuing_unit": str(world.tu.pk), "level": "commune", "kind": ""}  # fmt: skip
    page = text(client.post("/reports/rounds/new/", base))
    assert ReportRound.objects.count() == 0
    assert ('<div class="invalid-feedback d-block" id="id_period_end_error"><div>Báo cáo đột '
            "xuất: hãy nhập ngày bắt đầu và ngày chốt số liệu.</div></div>") in page
    page = text(client.post("/reports/rounds/new/", {**base, "form_codes": [],
                                                       "within": str(world.xa.pk), "group": ""}))
    assert "Hãy chọn ít nhất một biểu báo cáo." in page and ReportRound.objects.count() == 0
    answer = client.post("/reports/rounds/new/", {**base, "period_start": "01/11/2026",
                                                  "period_end": "30/11/2026",
                                                  "within": str(world.xa.pk),
                                                  "name": "Thống kê cán bộ xã An Bình"})  # fmt: skip
    r = ReportRound.objects.get()
    assert answer.status_code == 302
    assert (r.name, r.period_start, r.period_end, r.within) == (
        "Thống kê cán bộ xã An Bình", dt.date(2026, 11, 1), dt.date(2026, 11, 30), world.xa)
    assert [a.unit.code for a in TaskAssignment.objects.filter(task=r.task)] == ["XA"]


def test_only_editors_create_rounds(world, clock):
    client = client_for(world.viewer_a)
    page = text(client.get("/reports/rounds/new/", follow=True))
    assert messages_of(page) == ["Bạn không có quyền lập đợt báo cáo."]
    page = text(client.post("/reports/rounds/new/", {"form_codes": ["TK-CB"]}, follow=True))
    assert messages_of(page) == ["Bạn không có quyền lập đợt báo cáo."]
    assert 'id="round-new"' not in page
    # a commune's editor may not issue a round for the province
    client = client_for(world.editor_a)
    page = text(client.post("/reports/rounds/new/", {
        "form_codes": ["TK-CB"], "period_kind": "annual", "year": "2026", "deadline": "21/12/2026",
        "issuing_unit": str(world.tu.pk), "level": "commune"}))  # fmt: skip
    assert "Đơn vị này không có trong phạm vi bạn được sửa." in page
    assert ReportRound.objects.count() == 0


# --- Refusals --------------------------------------------------------------------------------


@pytest.fixture
def xa(world, r):
    return services.open_submission(actor=world.editor_a, report_round=r, unit=world.xa,
                                    form_code="TK-CB", now=at(CUT_OFF))  # fmt: skip


def test_a_viewer_reads_but_cannot_submit(world, xa, clock):
    clock(dt.date(2026, 12, 16))
    client = client_for(world.viewer_a)
    page = text(client.get(f"/reports/submissions/{xa.pk}/"))
    assert 'id="submission-submit"' not in page and 'id="correction-form"' not in page
    for action in ("submit", "recompute"):
        page = text(client.post(f"/reports/submissions/{xa.pk}/{action}/", follow=True))
        assert messages_of(page) == ["Chỉ người có quyền sửa của đơn vị báo cáo mới lập, sửa và "
                                     "gửi báo cáo này."]  # fmt: skip
    page = text(client.post(f"/reports/submissions/{xa.pk}/correct/", {
        "correct-row": "total", "correct-column": "party", "correct-value": "1",
        "correct-reason": REASON}))  # fmt: skip
    assert messages_of(page) == ["Chỉ người có quyền sửa của đơn vị báo cáo mới lập, sửa và gửi "
                                 "báo cáo này."]  # fmt: skip
    xa.refresh_from_db()
    assert xa.status == SubmissionStatus.DRAFT and not SubmissionCorrection.objects.exists()
    # nor open a report from the round's page
    page = text(client.get(f"/reports/rounds/{xa.round_id}/"))
    assert 'id="open-XA-TK-CB"' not in page


def test_sending_before_the_cut_off_is_refused(world, xa, clock):
    clock(dt.date(2026, 12, 13))
    page = text(client_for(world.editor_a).post(f"/reports/submissions/{xa.pk}/submit/", follow=True))
    assert messages_of(page) == ["Chưa đến ngày chốt số liệu (14/12/2026): chưa gửi được báo cáo."]
    xa.refresh_from_db()
    assert xa.status == SubmissionStatus.DRAFT


def test_a_commune_user_cannot_accept(world, xa, province_editor, clock):
    clock(dt.date(2026, 12, 16))
    services.submit(actor=world.editor_a, submission=xa, now=at(dt.date(2026, 12, 16)))
    client = client_for(world.editor_a)
    page = text(client.post(f"/reports/submissions/{xa.pk}/accept/", follow=True))
    assert messages_of(page) == ["Chỉ cấp trên (có quyền sửa với đơn vị yêu cầu báo cáo và đơn vị "
                                 "báo cáo) mới tiếp nhận hoặc trả lại báo cáo."]  # fmt: skip
    assert 'id="decision-form"' not in page
    assert 'id="queue-empty"' in text(client.get("/reports/queue/"))
    xa.refresh_from_db()
    assert xa.status == SubmissionStatus.SUBMITTED and xa.decided_at is None
    # the province decides from the submission page
    page = text(client_for(province_editor).get(f"/reports/submissions/{xa.pk}/"))
    assert 'id="decision-form"' in page


def test_return_without_a_comment_shows_the_error(world, xa, province_editor, clock):
    services.submit(actor=world.editor_a, submission=xa, now=at(dt.date(2026, 12, 16)))
    page = text(client_for(province_editor).post(f"/reports/submissions/{xa.pk}/return/",
                                                  {"comment": ""}, follow=True))  # fmt: skip
    assert messages_of(page) == ["Trả lại báo cáo thì phải ghi ý kiến: cần sửa, bổ sung gì."]
    assert 'id="decision-form"' in page  # back on the submission, still to decide
    xa.refresh_from_db()
    assert xa.status == SubmissionStatus.SUBMITTED and xa.comment == ""


def test_another_unit_s_submission_is_not_found(world, xa, editor_b, r, clock):
    client = client_for(editor_b)
    assert client.get(f"/reports/submissions/{xa.pk}/").status_code == 404
    for action in ("submit", "recompute", "accept", "return", "correct"):
        assert client.post(f"/reports/submissions/{xa.pk}/{action}/").status_code == 404
    correction = services.correct_cell(actor=world.editor_a, submission=xa, row="total",
                                       column="party", value=1, reason=REASON)  # fmt: skip
    url = f"/reports/submissions/{xa.pk}/corrections/{correction.pk}/withdraw/"
    assert client.post(url).status_code == 404
    # nor may it open XA's report from the round
    answer = client.post(f"/reports/rounds/{r.pk}/open/", {"unit": world.xa.pk, "form_code": "TK-CB"})
    assert answer.status_code == 404
    # a round out of sight is not found either
    outsider = setup.UserFactory(username="ngoai", role="editor")
    assert client_for(outsider).get(f"/reports/rounds/{r.pk}/").status_code == 404
    assert client_for(outsider).get(f"/reports/rounds/{r.pk}/TK-CB/reconciliation/").status_code == 404
    assert client_for(world.editor_a).get(f"/reports/rounds/{r.pk}/M1A/total/").status_code == 404


def test_corrections_refused_beside_the_form_and_withdrawn(world, xa, clock):
    client = client_for(world.editor_a)
    url = f"/reports/submissions/{xa.pk}/correct/"
    page = text(client.post(url, {"correct-row": "total", "correct-column": "people",
                                  "correct-value": "1", "correct-reason": "Cán bộ mới"}))  # fmt: skip
    assert ("Số sửa bằng số tính từ hồ sơ (1): không cần sửa; muốn bỏ ô đã sửa, hãy bỏ sửa."
            in page)  # beside the value
    page = text(client.post(url, {"correct-row": "total", "correct-column": "people",
                                  "correct-value": "2", "correct-reason": ""}))  # fmt: skip
    assert 'id="id_correct-reason_error"><div>Hãy ghi lý do sửa số liệu.</div>' in page
    page = text(client.post(url, {"correct-row": "total", "correct-column": "women_share",
                                  "correct-value": "2", "correct-reason": "x"}))  # fmt: skip
    assert ('id="id_correct-column_error"><div>Chỉ sửa được ô số lượng của biểu; tỷ lệ, hệ số '
            "được tính lại từ các ô số lượng.</div>") in page
    assert not SubmissionCorrection.objects.exists()
    page = text(client.post(url, {"correct-row": "total", "correct-column": "people",
                                  "correct-value": "2", "correct-reason": "Cán bộ mới về"},
                            follow=True))  # fmt: skip
    assert messages_of(page) == ["Đã sửa ô “Tổng số / Tổng số cán bộ”: 1 → 2."]
    correction = SubmissionCorrection.objects.get()
    page = text(client.post(f"/reports/submissions/{xa.pk}/corrections/{correction.pk}/withdraw/",
                            follow=True))  # fmt: skip
    assert messages_of(page) == ["Đã bỏ sửa ô: số tính từ hồ sơ (1) được dùng lại."]
    assert not SubmissionCorrection.objects.exists() and cell(page, "total", "people") == "1"
    page = text(client.post(f"/reports/submissions/{xa.pk}/recompute/", follow=True))
    assert messages_of(page) == ["Đã tính lại số liệu từ hồ sơ; các ô đã sửa được giữ nguyên."]


def test_actions_need_post_and_the_csrf_token(world, xa, clock):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.editor_a)
    assert client.get(f"/reports/submissions/{xa.pk}/submit/").status_code == 405
    assert client.post(f"/reports/submissions/{xa.pk}/submit/").status_code == 403
    xa.refresh_from_db()
    assert xa.status == SubmissionStatus.DRAFT


PAGES = ("/reports/rounds/{r}/", "/reports/submissions/{s}/", "/reports/rounds/",
         "/reports/queue/", "/reports/rounds/{r}/TK-CB/total/",
         "/reports/rounds/{r}/TK-CB/reconciliation/")  # fmt: skip


def queries_of(client, r, submissions) -> list[int]:
    """The number of queries of each page, after every reporting unit sent its report."""
    for s in submissions:
        services.submit(actor=None, submission=s, now=at(CUT_OFF))
    counts = []
    for url in PAGES:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url.format(r=r.pk, s=submissions[0].pk)).status_code == 200
        counts.append(len(captured.captured_queries))
    return counts


def test_pages_read_in_a_fixed_number_of_queries(world, p, province_editor, clock):
    """The same number of queries for 2 and for 4 reporting communes."""
    client = client_for(province_editor)

    def round_of_all(units):
        r = make_round(world, province_editor)
        return r, [services.open_submission(actor=None, report_round=r, unit=u, form_code="TK-CB")
                   for u in units]  # fmt: skip

    r, submissions = round_of_all([world.xa, world.xb])
    two = queries_of(client, r, submissions)
    more = [make_unit(f"X{n}", f"Đảng ủy xã Số {n}", world.tu, level="commune",
                      valid_from=dt.date(2025, 7, 1)) for n in (4, 5)]  # fmt: skip
    r, submissions = round_of_all([world.xa, world.xb, *more])
    four = queries_of(client, r, submissions)
    settings = 2 if connection.vendor == "postgresql" else 0  # TK-CB's planner settings, core.db
    assert two == four == [12, 8, 9, 6, 9, 12 + settings]


def test_forms_list_links_to_the_rounds(world):
    page = text(client_for(world.viewer_a).get("/reports/"))
    assert 'id="rounds-link" href="/reports/rounds/"' in page
    assert 'id="queue-link" href="/reports/queue/"' in page
