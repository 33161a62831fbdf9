"""Appointment pages: scope (404 / 403), forms through the services with Vietnamese errors,
double-entered tallies hidden until both are in, the access log, the DOCX documents.

The world of tests/conftest.py: commune A's case (its editor `sua_a` and a second editor
`sua_a2`, its viewer `xem_a`); an editor of commune B sees none of it.
"""

import datetime as dt
import io
import re
import shutil

import docx
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from canbo.accounts.models import Role
from canbo.appointments import services, steps
from canbo.appointments.choices import CaseKind, CaseOutcome, StepResult
from canbo.appointments.models import AppointmentCase, CaseStep, StepTally
from canbo.appointments.steps import Votes
from canbo.core.models import AccessEvent
from canbo.rules.services import ensure_default_rule_sets
from tests.factories import UserFactory, grant
from tests.planning.factories import make_person, make_position

pytestmark = pytest.mark.django_db

OPENED = dt.date(2026, 3, 2)
LIST_QUERIES = 7  # session, user, grants, count, page, access log (two)
CASE_QUERIES = 24  # the case, the rules (their facts in eleven), the steps (three), the log


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def s(world):
    ensure_default_rule_sets()

    class S:
        post = make_position(world.xa, "X-PBT", "Phó Bí thư Đảng ủy xã", 35)
        hoa = make_person("Nguyễn", "Thị", "Hoa", "F", dt.date(1980, 4, 5), unit=world.xa,
                          id_number="001180000005")  # fmt: skip
        lan = make_person("Trần", "Văn", "Lan", "M", dt.date(1979, 1, 9), unit=world.xa,
                          id_number="001079000009")  # fmt: skip
        second = UserFactory(username="sua_a2", role=Role.EDITOR, first_name="Lê Văn Hai")

    grant(S.second, world.xa)
    outsider = UserFactory(username="sua_b", role=Role.EDITOR)
    grant(outsider, world.xb)
    S.case = services.case_open(
        actor=world.editor_a, person=S.hoa, kind=CaseKind.APPOINT, position=S.post,
        competent_unit=world.xa, opened_on=OPENED,
    )  # fmt: skip
    S.editor, S.editor2 = client_for(world.editor_a), client_for(S.second)
    S.viewer, S.outsider = client_for(world.viewer_a), client_for(outsider)
    return S


def url(name, *args):
    return reverse(f"appointments:{name}", args=args)


def text_of(response) -> str:
    """The page's visible text, whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"(?s)<(script|style)[^>]*>.*?</\1>", " ", html)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def record(s, number, *, summoned=15, present=12, actor=None):
    return steps.step_record(actor=actor or s.editor.user, case=s.case, number=number,
                             held_on=OPENED + dt.timedelta(days=number), summoned=summoned,
                             present=present)  # fmt: skip


def enter(s, actor, st, round_no, hoa_for, lan_for=3, valid=12):
    return steps.tally_enter(actor=actor, step=st, round_no=round_no, ballots_valid=valid,
                             ballots_invalid=0, votes=[Votes(s.hoa, hoa_for, valid - hoa_for),
                                                       Votes(s.lan, lan_for, valid - lan_for)])  # fmt: skip


def through(s, number):
    """Steps 1 … number-1 recorded and closed with agreeing entries."""
    for n in range(1, number):
        st = record(s, n)
        if n > 1:
            enter(s, s.editor.user, st, 1, 10)
            enter(s, s.second, st, 2, 10)
        steps.step_close(actor=s.editor.user, step=st, closed_on=st.held_on)


# --- Scope ---------------------------------------------------------------------------


def test_pages_open_for_a_viewer_in_scope_and_are_not_found_outside(s):
    for name, args in [("list", ()), ("calendar", ()), ("detail", (s.case.pk,)),
                       ("minutes-docx", (s.case.pk,))]:  # fmt: skip
        assert s.viewer.get(url(name, *args)).status_code == 200, name
    for name in ("detail", "minutes-docx", "decision-docx"):
        assert s.outsider.get(url(name, s.case.pk)).status_code == 404, name
    st = record(s, 1)
    for name, args in [("dossier", (s.case.pk,)), ("close", (s.case.pk,)),
                       ("step-record", (s.case.pk,)), ("tally", (s.case.pk, st.pk)),
                       ("step-close", (s.case.pk, st.pk))]:  # fmt: skip
        assert s.outsider.post(url(name, *args), {}).status_code == 404, name
        assert s.viewer.post(url(name, *args), {}).status_code == 403, name
    # The outsider's list is empty; a viewer may not open a case.
    assert "Chưa có hồ sơ nào phù hợp." in text_of(s.outsider.get(url("list")))
    assert s.viewer.get(url("create")).status_code == 403
    assert "Nguyễn Thị Hoa" in text_of(s.viewer.get(url("list")))


def test_pages_require_sign_in(s):
    response = Client().get(url("list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_list_filters_by_status_kind_and_unit(s, world):
    services.case_close(actor=s.editor.user, case=s.case, closed_on=OPENED, outcome=CaseOutcome.STOPPED)
    services.case_open(actor=s.editor.user, person=s.lan, kind=CaseKind.NOMINATE, position=s.post,
                       competent_unit=world.xa, opened_on=OPENED)  # fmt: skip
    viewer = s.viewer

    def names(**params):
        return re.findall(r'class="fw-semibold case-link"[^>]*>([^<]+)<', viewer.get(url("list"), params).content.decode())

    assert names() == ["Trần Văn Lan", "Nguyễn Thị Hoa"]
    assert names(status="open") == ["Trần Văn Lan"]
    assert names(status="closed") == ["Nguyễn Thị Hoa"]
    assert names(kind="appoint") == ["Nguyễn Thị Hoa"]
    assert names(unit=str(world.xa.pk)) == ["Trần Văn Lan", "Nguyễn Thị Hoa"]
    assert names(as_of="01/03/2026") == []  # nothing opened yet then
    events = AccessEvent.objects.filter(actor=viewer.user, kind="list")
    assert events.count() == 6


# --- Opening a case ------------------------------------------------------------------


def test_open_a_case_through_the_form(s, world):
    response = s.editor.post(url("create"), {
        "person": "001079000009 · Trần Văn Lan", "kind": "nominate", "position": s.post.pk,
        "competent_unit": world.xa.pk, "internal": "on", "opened_on": "02/03/2026",
        "election_on": "20/05/2026", "seats": "1",
    })  # fmt: skip
    case = AppointmentCase.objects.get(person=s.lan)
    assert response.status_code == 302 and response["Location"] == url("detail", case.pk)
    assert (case.kind, case.competent_unit, case.opened_on, case.internal, case.election_on,
            case.seats) == ("nominate", world.xa, OPENED, True, dt.date(2026, 5, 20), 1)  # fmt: skip


def test_the_open_form_shows_service_and_field_errors_in_vietnamese(s, world):
    before = AppointmentCase.objects.count()
    # The same open case again: the service refuses it.
    response = s.editor.post(url("create"), {
        "person": "001180000005", "kind": "appoint", "position": s.post.pk,
        "competent_unit": world.xa.pk, "opened_on": "02/03/2026",
    })  # fmt: skip
    assert response.status_code == 200
    assert "Cán bộ này đã có hồ sơ bổ nhiệm chức danh này đang mở từ 02/03/2026." in text_of(response)
    # A unit the user may not edit, an unknown number, a date in the wrong form.
    response = s.editor.post(url("create"), {
        "person": "999999999999", "kind": "appoint", "position": s.post.pk,
        "competent_unit": world.xb.pk, "opened_on": "2026-03-02",
    })  # fmt: skip
    page = text_of(response)
    assert "Không tìm thấy cán bộ có số định danh 999999999999." in page
    assert "Đơn vị này không có trong phạm vi bạn được sửa." in page
    assert "Hãy nhập ngày theo dạng dd/mm/yyyy." in page
    # Election day for an appointment.
    response = s.editor.post(url("create"), {
        "person": "001079000009", "kind": "appoint", "position": s.post.pk,
        "competent_unit": world.xa.pk, "opened_on": "02/03/2026", "seats": "2",
    })  # fmt: skip
    assert "Chỉ nhập với hồ sơ giới thiệu ứng cử." in text_of(response)
    assert AppointmentCase.objects.count() == before


# --- The case page: dossier, close, findings -----------------------------------------


def test_the_case_page_shows_the_case_and_its_findings_and_logs_the_read(s):
    response = s.viewer.get(url("detail", s.case.pk), {"as_of": "10/03/2026"})
    page = text_of(response)
    assert "Bổ nhiệm: Nguyễn Thị Hoa" in page
    assert "Phó Bí thư Đảng ủy xã – Đảng ủy xã An Bình" in page
    # Hoa is in no plan for the post (A1).
    assert ("A1 Nguyễn Thị Hoa chưa có trong quy hoạch chức danh Phó Bí thư Đảng ủy xã – Đảng ủy "
            "xã An Bình hoặc chức danh tương đương, cao hơn (ngày 10/03/2026).") in page
    assert 'data-rule="A1"' in response.content.decode()
    assert "Chưa ghi bước nào." in page
    assert "Ghi cuộc họp" not in page  # a viewer has no forms
    event = AccessEvent.objects.get(actor=s.viewer.user, kind="case")
    assert event.person_ids.split() == [str(s.hoa.pk)]


def test_dossier_and_close_forms_go_through_the_services(s):
    response = s.editor.post(url("dossier", s.case.pk), {
        "dossier-received_on": "01/03/2026", "dossier-complete_on": ""})  # fmt: skip
    assert response.status_code == 200
    assert "Ngày nhận hồ sơ không được trước ngày bắt đầu quy trình." in text_of(response)
    response = s.editor.post(url("dossier", s.case.pk), {
        "dossier-received_on": "03/03/2026", "dossier-complete_on": "04/03/2026"})  # fmt: skip
    assert response.status_code == 302
    s.case.refresh_from_db()
    assert (s.case.dossier_received_on, s.case.dossier_complete_on) == (
        dt.date(2026, 3, 3), dt.date(2026, 3, 4))  # fmt: skip

    response = s.editor.post(url("close", s.case.pk), {
        "close-outcome": "decided", "close-closed_on": "20/03/2026"})  # fmt: skip
    page = text_of(response)
    assert "Hãy nhập số quyết định." in page and "Hãy nhập ngày quyết định." in page
    assert AppointmentCase.objects.get(pk=s.case.pk).closed_on is None
    response = s.editor.post(url("close", s.case.pk), {
        "close-outcome": "decided", "close-closed_on": "20/03/2026",
        "close-decision_number": "15-QĐ/ĐU", "close-decision_date": "20/03/2026",
    })  # fmt: skip
    assert response.status_code == 302
    s.case.refresh_from_db()
    assert (s.case.term_start, s.case.term_end) == (dt.date(2026, 3, 20), dt.date(2031, 3, 19))
    page = text_of(s.viewer.get(url("detail", s.case.pk)))
    assert "Số 15-QĐ/ĐU ngày 20/03/2026" in page and "20/03/2026 – 19/03/2031" in page


# --- Steps and tallies ---------------------------------------------------------------


def test_record_a_step_and_see_the_service_errors(s):
    response = s.editor.post(url("step-record", s.case.pk), {
        "step-number": "2", "step-held_on": "03/03/2026", "step-summoned": "15",
        "step-present": "12"})  # fmt: skip
    assert "Hãy kết thúc bước 1 trước khi ghi bước 2." in text_of(response)
    response = s.editor.post(url("step-record", s.case.pk), {
        "step-number": "1", "step-held_on": "03/03/2026", "step-summoned": "10",
        "step-present": "11"})  # fmt: skip
    assert "Số người có mặt không được lớn hơn số người được triệu tập" in text_of(response)
    assert CaseStep.objects.count() == 0
    response = s.editor.post(url("step-record", s.case.pk), {
        "step-number": "1", "step-held_on": "03/03/2026", "step-summoned": "15",
        "step-present": "12"})  # fmt: skip
    assert response.status_code == 302
    page = text_of(s.viewer.get(url("detail", s.case.pk)))
    assert "Họp ngày 03/03/2026: 12/15 người có mặt (80,00%)." in page


def tally_post(s, client, st, hoa_for, *, lan="001079000009", lan_for=3, valid=12):
    prefix = f"lines-{st.pk}"
    data = {f"tally-{st.pk}-ballots_valid": str(valid), f"tally-{st.pk}-ballots_invalid": "0",
            f"{prefix}-TOTAL_FORMS": "3", f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-0-person": "001180000005 · Nguyễn Thị Hoa",
            f"{prefix}-0-votes_for": str(hoa_for), f"{prefix}-0-votes_against": str(valid - hoa_for),
            f"{prefix}-1-person": lan, f"{prefix}-1-votes_for": str(lan_for),
            f"{prefix}-1-votes_against": str(valid - lan_for)}  # fmt: skip
    return client.post(url("tally", s.case.pk, st.pk), data)


def test_the_other_entry_is_hidden_until_both_are_in_then_differences_show(s):
    through(s, 5)
    st = record(s, 5, summoned=15, present=12)
    assert tally_post(s, s.editor, st, 9).status_code == 302
    first = text_of(s.editor.get(url("detail", s.case.pk)))
    assert "Nguyễn Thị Hoa: đồng ý, giới thiệu 9" in first  # one's own entry
    second = text_of(s.editor2.get(url("detail", s.case.pk)))
    assert "Lần nhập 1 đã có (người khác nhập); số liệu chỉ hiện khi đủ hai lần nhập." in second
    assert "Nhập kết quả kiểm phiếu (lần nhập 2 của bạn)" in second
    step5 = second[second.index("Bước 5:"):]
    assert "đồng ý, giới thiệu 9" not in step5 and "Lần nhập 1 Lê" not in step5
    viewer = text_of(s.viewer.get(url("detail", s.case.pk)))
    assert "Lần nhập 1 đã có (người khác nhập); số liệu chỉ hiện khi đủ hai lần nhập." in viewer
    assert "Nhập kết quả kiểm phiếu" not in viewer

    # The second entrant types 8 for Hoa: both see both entries and the difference.
    assert tally_post(s, s.editor2, st, 8).status_code == 302
    response = s.viewer.get(url("detail", s.case.pk))
    page = text_of(response)
    assert "Nguyễn Thị Hoa: đồng ý, giới thiệu 9 8" in page
    assert "Nguyễn Thị Hoa: không đồng ý 3 4" in page
    assert "Hai lần nhập còn 2 chỗ khác nhau (tô đỏ)" in page
    assert response.content.decode().count('table-danger fw-bold') == 4

    # Closing refuses while they differ; the second entrant corrects; closing gives the result.
    response = s.editor.post(url("step-close", s.case.pk, st.pk), {f"close-{st.pk}-closed_on": "07/03/2026"})
    assert "Hai lần nhập số liệu còn 2 chỗ khác nhau" in text_of(response)
    assert tally_post(s, s.editor2, st, 9).status_code == 302
    assert "Hai lần nhập khớp nhau." in text_of(s.editor.get(url("detail", s.case.pk)))
    response = s.editor.post(url("step-close", s.case.pk, st.pk), {f"close-{st.pk}-closed_on": "07/03/2026"})
    assert response.status_code == 302
    st.refresh_from_db()
    assert st.result == StepResult.PASSED
    assert "Kết quả của Nguyễn Thị Hoa: Đạt trên 50% tổng số thành viên." in text_of(
        s.viewer.get(url("detail", s.case.pk)))


def test_tally_form_errors_and_the_heads_decision_at_exactly_half(s):
    through(s, 2)
    st = record(s, 2, summoned=12, present=12)
    response = tally_post(s, s.editor, st, 9, lan="999999999999")
    assert "Không tìm thấy cán bộ có số định danh 999999999999." in text_of(response)
    response = tally_post(s, s.editor, st, 9, valid=13)
    assert "Tổng số phiếu hợp lệ và không hợp lệ (13) lớn hơn số người có mặt (12)." in text_of(response)
    assert StepTally.objects.count() == 0
    # The same user cannot type both entries: the page offers them their own round only.
    tally_post(s, s.editor, st, 6)
    assert "lần nhập 1 của bạn" in text_of(s.editor.get(url("detail", s.case.pk)))
    tally_post(s, s.editor2, st, 6)
    page = text_of(s.editor.get(url("detail", s.case.pk)))
    assert "Quyết định của người đứng đầu" in page  # 6 of 12 members: exactly half
    response = s.editor.post(url("step-close", s.case.pk, st.pk), {f"close-{st.pk}-closed_on": "04/03/2026"})
    assert "Nhân sự đạt đúng 50% tổng số thành viên: cần ghi quyết định của người đứng đầu." in text_of(response)
    response = s.editor.post(url("step-close", s.case.pk, st.pk), {
        f"close-{st.pk}-closed_on": "04/03/2026", f"close-{st.pk}-head_agrees": "yes"})  # fmt: skip
    assert response.status_code == 302
    st.refresh_from_db()
    assert st.result == StepResult.HEAD_AGREED


# --- Calendar ------------------------------------------------------------------------


def test_the_calendar_lists_terms_ending_with_their_notice_day(s, world):
    services.case_close(actor=s.editor.user, case=s.case, closed_on=OPENED, outcome=CaseOutcome.STOPPED)
    old = services.case_open(actor=None, person=s.lan, kind=CaseKind.APPOINT, position=s.post,
                             competent_unit=world.xa, opened_on=dt.date(2021, 3, 10))  # fmt: skip
    services.case_close(actor=None, case=old, closed_on=dt.date(2021, 4, 1), outcome=CaseOutcome.DECIDED,
                        decision_number="7-QĐ/ĐU", decision_date=dt.date(2021, 4, 1))  # fmt: skip
    response = s.viewer.get(url("calendar"), {"as_of": "01/03/2026"})
    page = text_of(response)
    assert "Trần Văn Lan Phó Bí thư Đảng ủy xã – Đảng ủy xã An Bình 7-QĐ/ĐU ngày 01/04/2021 31/03/2026" in page
    assert "Chưa có hồ sơ" in page
    assert "Trần Văn Lan" not in text_of(s.outsider.get(url("calendar"), {"as_of": "01/03/2026"}))


# --- Documents -----------------------------------------------------------------------


def decided(s):
    through(s, 6)
    services.case_close(actor=s.editor.user, case=s.case, closed_on=dt.date(2026, 3, 20),
                        outcome=CaseOutcome.DECIDED, decision_number="15-QĐ/ĐU",
                        decision_date=dt.date(2026, 3, 20))  # fmt: skip


def paragraphs(response) -> list[str]:
    content = b"".join(response.streaming_content)
    return [p.text for p in docx.Document(io.BytesIO(content)).paragraphs if p.text], content


def test_the_decision_and_minutes_documents(s, tmp_path, settings):
    assert s.viewer.get(url("decision-docx", s.case.pk)).status_code == 404  # no decision yet
    decided(s)
    response = s.viewer.get(url("decision-docx", s.case.pk))
    assert response["Content-Disposition"] == f'attachment; filename="quyet-dinh-ho-so-{s.case.pk}.docx"'
    texts, decision = paragraphs(response)
    assert texts[:3] == ["QUYẾT ĐỊNH", "về việc bổ nhiệm cán bộ", "ĐẢNG ỦY XÃ AN BÌNH"]
    assert ("Điều 1. Bổ nhiệm đồng chí Nguyễn Thị Hoa (số định danh 001180000005, sinh ngày "
            "05/04/1980) giữ chức vụ Phó Bí thư Đảng ủy xã, Đảng ủy xã An Bình.") in texts
    assert "Thời hạn giữ chức vụ từ ngày 20/03/2026 đến ngày 19/03/2031." in texts
    header = docx.Document(io.BytesIO(decision)).tables[0].rows[0].cells
    assert [p.text for p in header[0].paragraphs if p.text][-1] == "Số 15-QĐ/ĐU"
    assert [p.text for p in header[1].paragraphs if p.text][-1] == "An Bình, ngày 20 tháng 3 năm 2026"

    response = s.viewer.get(url("minutes-docx", s.case.pk), {"on": "21/03/2026"})
    texts, minutes = paragraphs(response)
    assert texts[:2] == ["BIÊN BẢN", "các bước quy trình bổ nhiệm đồng chí Nguyễn Thị Hoa, chức "
                                     "vụ Phó Bí thư Đảng ủy xã, Đảng ủy xã An Bình"]  # fmt: skip
    assert "Ngày họp: 07/03/2026. Số người được triệu tập: 15; có mặt: 12 (80,00%)." in texts
    assert "Kết quả của đồng chí Nguyễn Thị Hoa: Đạt trên 50% tổng số thành viên." in texts
    table = docx.Document(io.BytesIO(minutes)).tables[1]
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["Nhân sự", "Đồng ý, giới thiệu", "Tỷ lệ so với tổng số", "Không đồng ý"],
        ["Nguyễn Thị Hoa", "10", "66,67%", "2"],
        ["Trần Văn Lan", "3", "20,00%", "9"],
    ]
    kinds = list(AccessEvent.objects.filter(actor=s.viewer.user, kind="document")
                 .order_by("id").values_list("query", flat=True))  # fmt: skip
    assert [k.split()[0] for k in kinds] == ["decision", "minutes"]
    for name, content in (("quyet-dinh.docx", decision), ("bien-ban.docx", minutes)):
        (tmp_path / name).write_bytes(content)
        if shutil.which("soffice"):
            from tests.planning.test_documents import soffice_pdf

            soffice_pdf(tmp_path / name, tmp_path)


@pytest.mark.parametrize(("kind", "subject", "article"), [
    (CaseKind.DISMISS, "về việc miễn nhiệm cán bộ", "Điều 1. Miễn nhiệm đồng chí Trần Văn Lan"),
    (CaseKind.RESIGN, "về việc cho thôi giữ chức vụ đối với cán bộ",
     "Điều 1. Cho thôi giữ chức vụ Phó Bí thư Đảng ủy xã, Đảng ủy xã An Bình đối với đồng chí Trần Văn Lan"),
    (CaseKind.REMOVE, "về việc cách chức cán bộ", "Điều 1. Cách chức đồng chí Trần Văn Lan"),
])  # fmt: skip
def test_decisions_ending_a_post_have_their_own_title(s, world, kind, subject, article):
    case = services.case_open(actor=None, person=s.lan, kind=kind, position=s.post,
                              competent_unit=world.xa, opened_on=OPENED, internal=False)  # fmt: skip
    today = timezone.localdate()
    services.case_close(actor=None, case=case, closed_on=today, outcome=CaseOutcome.DECIDED,
                        decision_number="3-QĐ/ĐU", decision_date=today)  # fmt: skip
    texts, _content = paragraphs(s.viewer.get(url("decision-docx", case.pk)))
    assert texts[1] == subject
    assert any(t.startswith(article) for t in texts)
    assert not any(t.startswith("Thời hạn giữ chức vụ") for t in texts)


# --- Queries -------------------------------------------------------------------------


def test_the_list_and_the_case_page_read_a_fixed_number_of_queries(s, world, django_assert_max_num_queries):
    for i in range(6):
        person = make_person("Phạm", "Văn", f"Số{i}", "M", dt.date(1975, 1, 1 + i), unit=world.xa)
        services.case_open(actor=None, person=person, kind=CaseKind.APPOINT, position=s.post,
                           competent_unit=world.xa, opened_on=OPENED)  # fmt: skip
    through(s, 5)
    st = record(s, 5)
    enter(s, s.editor.user, st, 1, 9)
    enter(s, s.second, st, 2, 8)
    with django_assert_max_num_queries(LIST_QUERIES):
        assert "7 hồ sơ" in text_of(s.editor.get(url("list")))
    with django_assert_max_num_queries(CASE_QUERIES):
        assert s.editor.get(url("detail", s.case.pk)).status_code == 200
