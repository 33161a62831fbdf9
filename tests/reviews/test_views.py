"""Confidence-vote and evaluation pages: scope (404 / 403), forms through the services with
Vietnamese errors, the other entrant's tallies hidden until both are in, the differences,
the close, the shares, the C and E findings, the access log, fixed query counts.

The world of tests/conftest.py: commune A (its editor `sua_a`, a second editor `sua_a2`,
its viewer `xem_a`) holds the session and the round; an editor of commune B sees none.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from canbo.accounts.models import Role
from canbo.core.models import AccessEvent
from canbo.people.models import ConfidenceVote, Evaluation
from canbo.reviews import services
from canbo.reviews.models import (
    EvaluationRound,
    EvaluationScore,
    VoteSession,
    VoteSubject,
    VoteTally,
)
from canbo.rules.services import ensure_default_rule_sets
from tests.factories import UserFactory, grant
from tests.planning.factories import make_person

from .conftest import figures, make_session

pytestmark = pytest.mark.django_db

LIST_QUERIES = 7  # session, user, grants, count, page, access log, the nav's to-do count
# session, user, grants, the session, its people, tallies, the rules' facts (nine) and rule
# set (two), access log, the people one may open, the nav's to-do count
SESSION_QUERIES = 20
ROUND_QUERIES = 19  # the same with the round and its scores in place of people and tallies


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def s(world, people, second_editor):
    ensure_default_rule_sets()
    outsider = UserFactory(username="sua_b", role=Role.EDITOR)
    grant(outsider, world.xb)

    class S:
        session = make_session(world, actor=world.editor_a)
        round = services.round_create(actor=world.editor_a, unit=world.xa, year=2025,
                                      held_on=dt.date(2025, 12, 18))  # fmt: skip
        editor, editor2 = client_for(world.editor_a), client_for(second_editor)
        viewer, other = client_for(world.viewer_a), client_for(outsider)

    S.people = people
    return S


def url(name, *args):
    return reverse(f"reviews:{name}", args=args)


def text_of(response) -> str:
    """The page's visible text, whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"(?s)<(script|style)[^>]*>.*?</\1>", " ", html)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def add_all(s):
    for person in (s.people.an, s.people.binh, s.people.cuong):
        services.subject_add(actor=s.editor.user, session=s.session, person=person)


def tally_post(s, client, rows):
    """rows: person → (high, normal, low, invalid) or None (left blank)."""
    data = {}
    for person, values in rows.items():
        for name, value in zip(("high", "normal", "low", "invalid"), values or ("",) * 4,
                               strict=True):  # fmt: skip
            data[f"tally-{person.pk}-{name}"] = str(value)
    return client.post(url("tally", s.session.pk), data)


# --- Scope ---------------------------------------------------------------------------------


def test_pages_open_for_a_viewer_in_scope_and_are_not_found_outside(s):
    subject = services.subject_add(actor=s.editor.user, session=s.session, person=s.people.an)
    for name, args in [("sessions", ()), ("rounds", ()), ("session", (s.session.pk,)),
                       ("round", (s.round.pk,))]:  # fmt: skip
        assert s.viewer.get(url(name, *args)).status_code == 200, name
    assert s.other.get(url("session", s.session.pk)).status_code == 404
    assert s.other.get(url("round", s.round.pk)).status_code == 404
    writes = [("subject-add", (s.session.pk,)), ("subject-exclude", (s.session.pk, subject.pk)),
              ("tally", (s.session.pk,)), ("session-close", (s.session.pk,)),
              ("score", (s.round.pk,)), ("round-close", (s.round.pk,))]  # fmt: skip
    for name, args in writes:
        assert s.other.post(url(name, *args), {}).status_code == 404, name
        assert s.viewer.post(url(name, *args), {}).status_code == 403, name
    assert s.viewer.get(url("session-create")).status_code == 403
    assert s.viewer.post(url("round-create"), {}).status_code == 403
    assert "Chưa có hội nghị lấy phiếu nào phù hợp." in text_of(s.other.get(url("sessions")))
    assert "Chưa có đợt đánh giá nào phù hợp." in text_of(s.other.get(url("rounds")))
    # A viewer reads the session but has no forms.
    page = text_of(s.viewer.get(url("session", s.session.pk)))
    assert "Nguyễn Văn An" in page and "Lưu lần nhập" not in page and "Thêm vào danh sách" not in page
    assert VoteSubject.objects.count() == 1 and VoteTally.objects.count() == 0


def test_pages_require_sign_in(s):
    response = Client().get(url("sessions"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_nav_links_to_the_pages(s):
    html = s.viewer.get(url("sessions")).content.decode()
    assert re.search(r'<a class="nav-link active fw-semibold" href="/reviews/" id="nav-reviews">'
                     r'<i class="bi bi-clipboard-check"></i> Tín nhiệm, đánh giá</a>', html)  # fmt: skip


def test_the_lists_filter_by_year_unit_and_status(s, world):
    make_session(world, actor=s.editor.user, year=2024, held_on=dt.date(2024, 12, 10))
    services.subject_add(actor=s.editor.user, session=s.session, person=s.people.an)
    viewer = s.viewer

    def rows(name, **params):
        html = viewer.get(url(name), params).content.decode()
        return re.findall(r'<tr data-(?:session|round)="\d+">\s*<td><a[^>]*>([^<]+)</a></td>\s*'
                          r"<td>(\d+)</td>\s*<td>([^<]+)</td>", html)  # fmt: skip

    page = text_of(viewer.get(url("sessions")))
    assert "2 hội nghị lấy phiếu" in page
    assert "Đảng ủy xã An Bình 2025 15/12/2025 27/30 1 Đang mở" in page
    assert rows("sessions") == [("Đảng ủy xã An Bình", "2025", "15/12/2025"),
                                ("Đảng ủy xã An Bình", "2024", "10/12/2024")]  # fmt: skip
    assert rows("sessions", year="2024") == [("Đảng ủy xã An Bình", "2024", "10/12/2024")]
    assert rows("sessions", unit=str(world.xa.pk), status="open") == rows("sessions")
    assert rows("sessions", status="closed") == []
    assert rows("rounds") == [("Đảng ủy xã An Bình", "2025", "18/12/2025")]
    assert rows("rounds", year="2024") == []
    assert "Năm: Hãy nhập một số nguyên." in text_of(viewer.get(url("sessions"), {"year": "x"}))
    assert AccessEvent.objects.filter(actor=viewer.user, kind="list").count() == 9


# --- Create --------------------------------------------------------------------------------


def test_create_a_session_through_the_form_and_see_errors_in_vietnamese(s, world):
    before = VoteSession.objects.count()
    response = s.editor.post(url("session-create"), {
        "unit": world.xb.pk, "year": "2025", "held_on": "2025-12-16", "summoned": "30",
        "present": "25",
    })  # fmt: skip
    page = text_of(response)
    assert "Đơn vị này không có trong phạm vi bạn được sửa." in page
    assert "Hãy nhập ngày theo dạng dd/mm/yyyy." in page
    response = s.editor.post(url("session-create"), {
        "unit": world.xa.pk, "year": "2025", "held_on": "16/12/2025", "summoned": "30",
        "present": "31",
    })  # fmt: skip
    assert "Số người có mặt không được lớn hơn số người được triệu tập." in text_of(response)
    response = s.editor.post(url("session-create"), {
        "unit": world.xa.pk, "year": "2025", "held_on": "16/12/2025", "summoned": "30",
        "present": "25", "base_rule": "ballots",
    })  # fmt: skip
    assert "Tính tỷ lệ trên số phiếu thu về thì phải nhập số phiếu thu về." in text_of(response)
    assert VoteSession.objects.count() == before
    response = s.editor.post(url("session-create"), {
        "unit": world.xa.pk, "year": "2025", "held_on": "16/12/2025", "summoned": "30",
        "present": "25",
    })  # fmt: skip
    session = VoteSession.objects.latest("id")
    assert response.status_code == 302 and response["Location"] == url("session", session.pk)
    assert (session.unit, session.year, session.held_on, session.summoned, session.present,
            session.base_rule) == (world.xa, 2025, dt.date(2025, 12, 16), 30, 25, "summoned")  # fmt: skip
    page = text_of(s.editor.get(response["Location"]))
    assert "Đã ghi hội nghị lấy phiếu tín nhiệm ngày 16/12/2025." in page
    assert "Lấy phiếu tín nhiệm: Đảng ủy xã An Bình, ngày 16/12/2025" in page
    assert "25/30 người được triệu tập (83,33%)" in page


def test_create_a_round_through_the_form(s, world):
    response = s.editor.post(url("round-create"), {"unit": world.xa.pk, "year": "", "held_on": ""})
    page = text_of(response)
    assert "Hãy nhập năm đánh giá." in page and "Hãy nhập ngày đánh giá." in page
    response = s.editor.post(url("round-create"), {"unit": world.xa.pk, "year": "2026",
                                                   "held_on": "05/01/2026"})  # fmt: skip
    row = EvaluationRound.objects.latest("id")
    assert response["Location"] == url("round", row.pk)
    assert (row.year, row.held_on) == (2026, dt.date(2026, 1, 5))
    assert "Đánh giá, xếp loại năm 2026: Đảng ủy xã An Bình" in text_of(s.editor.get(response["Location"]))


# --- The session: people, exclusion ----------------------------------------------------------


def test_add_people_by_id_number_or_name_and_exclude_one_with_a_reason(s, world):
    add = url("subject-add", s.session.pk)
    assert s.editor.post(add, {"subject-person": "001075000101"}).status_code == 302
    assert s.editor.post(add, {"subject-person": "001180000102 · Trần Thị Bình"}).status_code == 302
    assert s.editor.post(add, {"subject-person": "le van cuong"}).status_code == 302
    page = text_of(s.editor.post(add, {"subject-person": "001075000101"}))
    assert "Cán bộ này đã có trong danh sách lấy phiếu của hội nghị." in page
    page = text_of(s.editor.post(add, {"subject-person": "999999999999"}))
    assert "Không tìm thấy cán bộ có số định danh 999999999999." in page
    stranger = make_person("Hồ", "Văn", "Lạ", "M", dt.date(1970, 1, 1), unit=world.xb,
                           id_number="001070000999")  # fmt: skip
    page = text_of(s.editor.post(add, {"subject-person": stranger.id_number}))
    assert "Không tìm thấy cán bộ có số định danh 001070000999." in page  # out of sight
    assert VoteSubject.objects.count() == 3

    cuong = VoteSubject.objects.get(person=s.people.cuong)
    exclude = url("subject-exclude", s.session.pk, cuong.pk)
    page = text_of(s.editor.post(exclude, {f"exclude-{cuong.pk}-reason": ""}))
    assert "Hãy chọn lý do không lấy phiếu." in page
    response = s.editor.post(exclude, {f"exclude-{cuong.pk}-reason": "new_in_year",
                                       f"exclude-{cuong.pk}-note": "Bầu tháng 3/2025"})  # fmt: skip
    assert response.status_code == 302
    page = text_of(s.viewer.get(url("session", s.session.pk)))
    assert ("Lê Văn Cường 001078000103 Không lấy phiếu: Mới được bầu, bổ nhiệm trong năm lấy "
            "phiếu (Bầu tháng 3/2025)") in page
    assert "Nguyễn Văn An 001075000101 Có" in page
    event = AccessEvent.objects.filter(actor=s.viewer.user, kind="vote").get()
    assert sorted(event.person_ids.split()) == sorted(
        str(p.pk) for p in (s.people.an, s.people.binh, s.people.cuong))


# --- The tallies ---------------------------------------------------------------------------


def test_the_other_entry_is_hidden_until_both_are_in_then_differences_show(s):
    add_all(s)
    an, binh, cuong = s.people.an, s.people.binh, s.people.cuong
    response = tally_post(s, s.editor, {an: (10, 12, 5, 0), binh: (3, 6, 18, 0), cuong: (20, 7, 0, 0)})
    assert response.status_code == 302
    mine = text_of(s.editor.get(url("session", s.session.pk)))
    assert "Lần nhập 1" in mine and "Nguyễn Văn An 10 12 5 0" in mine
    assert "Nhập số phiếu theo biên bản kiểm phiếu (lần nhập 1 của bạn)" in mine
    theirs = text_of(s.editor2.get(url("session", s.session.pk)))
    assert "Lần nhập 1 đã có (người khác nhập); số liệu chỉ hiện khi đủ hai lần nhập." in theirs
    assert "Nhập số phiếu theo biên bản kiểm phiếu (lần nhập 2 của bạn)" in theirs
    assert "Nguyễn Văn An 10 12 5 0" not in theirs and 'value="10"' not in theirs
    viewer = text_of(s.viewer.get(url("session", s.session.pk)))
    assert "Lần nhập 1 đã có (người khác nhập); số liệu chỉ hiện khi đủ hai lần nhập." in viewer
    assert "Nhập số phiếu" not in viewer

    # The second entrant types Bình's normal and low wrong: both see both, the differences red.
    response = tally_post(s, s.editor2, {an: (10, 12, 5, 0), binh: (3, 7, 17, 0), cuong: (20, 7, 0, 0)})
    assert response.status_code == 302
    response = s.viewer.get(url("session", s.session.pk))
    page = text_of(response)
    assert "Trần Thị Bình 3 6 18 0 3 7 17 0" in page
    assert "Hai lần nhập còn 2 chỗ khác nhau (tô đỏ)" in page
    assert ("Trần Thị Bình – tín nhiệm thấp: lần 1 là 18, lần 2 là 17; Trần Thị Bình – tín "
            "nhiệm: lần 1 là 6, lần 2 là 7") in page
    assert response.content.decode().count("table-danger fw-bold") == 4
    assert 'class="tally-line differs" data-person="001180000102"' in response.content.decode()

    # Closing refuses while they differ; the second entrant corrects; closing gives the shares.
    close = url("session-close", s.session.pk)
    page = text_of(s.editor.post(close, {"close-closed_on": "20/12/2025"}))
    assert ("Hai lần nhập số phiếu còn 2 chỗ khác nhau: Trần Thị Bình – tín nhiệm thấp: lần 1 là "
            "18, lần 2 là 17; Trần Thị Bình – tín nhiệm: lần 1 là 6, lần 2 là 7. Hãy đối chiếu "
            "với biên bản kiểm phiếu và sửa trước khi kết thúc.") in page
    assert VoteSession.objects.get(pk=s.session.pk).closed_on is None
    # The second entrant's form holds their own figures; they correct Bình's line only.
    assert 'value="3"' in s.editor2.get(url("session", s.session.pk)).content.decode()
    assert tally_post(s, s.editor2, {an: None, binh: (3, 6, 18, ""), cuong: None}).status_code == 302
    assert "Hai lần nhập khớp nhau." in text_of(s.editor.get(url("session", s.session.pk)))
    response = s.editor.post(close, {"close-closed_on": "20/12/2025"})
    assert response.status_code == 302
    page = text_of(s.viewer.get(url("session", s.session.pk)))
    assert "Đã kết thúc 20/12/2025" in page
    assert "Kết quả lấy phiếu Tỷ lệ tính trên số người được triệu tập: 30" in page
    assert "Nguyễn Văn An 10 (33,33%) 12 (40,00%) 5 (16,67%) 0" in page
    assert "Trần Thị Bình 3 (10,00%) 6 (20,00%) 18 (60,00%) 0" in page
    assert "Lưu lần nhập" not in text_of(s.editor.get(url("session", s.session.pk)))
    assert ConfidenceVote.objects.filter(person=binh).values_list("low", "base").get() == (18, 30)


def test_tally_form_errors_and_the_same_user_in_both_rounds(s):
    add_all(s)
    an, binh, cuong = s.people.an, s.people.binh, s.people.cuong
    page = text_of(tally_post(s, s.editor, {an: None, binh: None, cuong: None}))
    assert "Hãy nhập số phiếu của ít nhất một người." in page
    page = text_of(tally_post(s, s.editor, {an: (10, "", 5, ""), binh: None, cuong: None}))
    assert "Hãy nhập số phiếu." in page
    page = text_of(tally_post(s, s.editor, {an: (10, 12, 9, 0), binh: None, cuong: None}))
    assert "Tổng số phiếu của Nguyễn Văn An (31) vượt quá 27." in page
    page = text_of(tally_post(s, s.editor, {an: ("x", 1, 1, 0), binh: None, cuong: None}))
    assert "Hãy nhập một số nguyên." in page
    assert VoteTally.objects.count() == 0
    # A person not typed yet stays blank; closing names who lacks two entries.
    assert tally_post(s, s.editor, {an: (10, 12, 5, 0), binh: None, cuong: None}).status_code == 302
    page = text_of(s.editor.post(url("session-close", s.session.pk), {"close-closed_on": "20/12/2025"}))
    assert "Chưa đủ hai lần nhập số phiếu của: Nguyễn Văn An, Trần Thị Bình, Lê Văn Cường." in page
    # The entrant of round 1 keeps round 1 (their corrections go there, never to round 2).
    assert tally_post(s, s.editor, {an: (11, 11, 5, 0), binh: None, cuong: None}).status_code == 302
    assert list(VoteTally.objects.values_list("round", "high")) == [(1, 11)]


def test_closing_refuses_a_session_without_two_thirds_present_and_shows_c1(s, world):
    s.session = make_session(world, actor=s.editor.user, present=19)
    services.subject_add(actor=s.editor.user, session=s.session, person=s.people.an)
    for client in (s.editor, s.editor2):
        assert tally_post(s, client, {s.people.an: (5, 5, 5, 0)}).status_code == 302
    message = ("Hội nghị lấy phiếu tín nhiệm Đảng ủy xã An Bình ngày 15/12/2025 chỉ có 19/30 "
               "người được triệu tập có mặt (63,33%), cần ít nhất 66,67%: kết quả không có giá trị.")  # fmt: skip
    response = s.editor.post(url("session-close", s.session.pk), {"close-closed_on": "20/12/2025"})
    assert message in text_of(response)
    page = s.viewer.get(url("session", s.session.pk), {"as_of": "10/01/2026"})
    assert f"C1 {message}" in text_of(page)
    assert 'data-rule="C1"' in page.content.decode()


def test_the_session_page_shows_c4_and_c5_once_closed(s):
    add_all(s)
    rows = [figures(s.people.an, 4, 5, 18), figures(s.people.binh, 2, 4, 21),
            figures(s.people.cuong, 20, 7, 0)]  # fmt: skip
    services.tally_enter(actor=s.editor.user, session=s.session, round_no=1, rows=rows)
    services.tally_enter(actor=s.editor2.user, session=s.session, round_no=2, rows=rows)
    services.session_close(actor=s.editor.user, session=s.session, closed_on=dt.date(2025, 12, 20))
    response = s.viewer.get(url("session", s.session.pk), {"as_of": "10/01/2026"})
    html = response.content.decode()
    assert re.findall(r'data-rule="(\w+)"', html) == ["C4", "C5"]
    assert "Nguyễn Văn An 4 (13,33%) 5 (16,67%) 18 (60,00%) 0" in text_of(response)


# --- The round -----------------------------------------------------------------------------


def test_scores_give_a_derived_rating_and_closing_writes_the_records(s):
    score = url("score", s.round.pk)
    page = text_of(s.editor.post(score, {"score-person": "001075000101", "score-score": "101"}))
    assert "Điểm phải từ 0 đến 100." in page
    page = text_of(s.editor.post(score, {"score-person": "001075000101", "score-score": "abc"}))
    assert "Hãy nhập một số (ví dụ 85,5)." in page
    assert EvaluationScore.objects.count() == 0
    page = text_of(s.editor.post(url("round-close", s.round.pk), {"close-closed_on": "20/12/2025"}))
    assert "Đợt đánh giá chưa có điểm của ai." in page

    assert s.editor.post(score, {"score-person": "001075000101", "score-score": "92,5"}).status_code == 302
    response = s.editor.post(score, {"score-person": "001180000102", "score-score": "85",
                                     "score-other_ground": "discipline"})  # fmt: skip
    assert response.status_code == 302
    assert s.editor.post(score, {"score-person": "le van cuong", "score-score": "72"}).status_code == 302
    page = text_of(s.editor.get(url("round", s.round.pk)))
    assert "Đã ghi điểm của Lê Văn Cường: hoàn thành tốt nhiệm vụ." in page
    assert "Nguyễn Văn An 001075000101 92,50 Hoàn thành xuất sắc nhiệm vụ —" in page
    assert ("Trần Thị Bình 001180000102 85 Không hoàn thành nhiệm vụ Bị kỷ luật từ khiển trách "
            "trở lên trong năm") in page
    assert "Lê Văn Cường 001078000103 72 Hoàn thành tốt nhiệm vụ" in page
    # A correction: the same person again.
    assert s.editor.post(score, {"score-person": "001078000103", "score-score": "65"}).status_code == 302
    assert EvaluationScore.objects.get(person=s.people.cuong).rating == "completed"

    assert s.editor.post(url("round-close", s.round.pk), {"close-closed_on": "20/12/2025"}).status_code == 302
    assert sorted(Evaluation.objects.values_list("person__given_name", "rating", "score")) == [
        ("An", "excellent", Decimal("92.50")), ("Bình", "not_completed", Decimal("85.00")),
        ("Cường", "completed", Decimal("65.00"))]  # fmt: skip
    page = text_of(s.viewer.get(url("round", s.round.pk)))
    assert "Đã kết thúc 20/12/2025" in page and "Ghi điểm" not in page
    event = AccessEvent.objects.filter(actor=s.viewer.user, kind="evaluation").get()
    assert len(event.person_ids.split()) == 3


def test_the_round_page_shows_its_e_findings(s):
    for person, score in ((s.people.an, "95"), (s.people.binh, "92"), (s.people.cuong, "80")):
        services.score_set(actor=s.editor.user, evaluation_round=s.round, person=person,
                           score=Decimal(score))  # fmt: skip
    response = s.viewer.get(url("round", s.round.pk), {"as_of": "10/01/2026"})
    assert re.findall(r'data-rule="(\w+)"', response.content.decode()) == ["E2"]
    assert "Ngày 10/01/2026: không có lỗi" in text_of(s.viewer.get(url("session", s.session.pk),
                                                                   {"as_of": "10/01/2026"}))  # fmt: skip


# --- Queries -------------------------------------------------------------------------------


def more_people(world, n):
    return [make_person("Phạm", "Văn", f"Số{i}", "M", dt.date(1975, 1, 1 + i), unit=world.xa)
            for i in range(n)]  # fmt: skip


def test_the_pages_read_a_fixed_number_of_queries(s, world, django_assert_num_queries):
    def counts():
        for name, args in [("sessions", ()), ("session", (s.session.pk,))]:
            s.editor.get(url(name, *args))  # content types and the like cached
        with django_assert_num_queries(LIST_QUERIES):
            s.editor.get(url("sessions"))
        with django_assert_num_queries(LIST_QUERIES):
            s.editor.get(url("rounds"))
        with django_assert_num_queries(SESSION_QUERIES):
            assert s.editor.get(url("session", s.session.pk)).status_code == 200
        with django_assert_num_queries(ROUND_QUERIES):
            assert s.editor.get(url("round", s.round.pk)).status_code == 200

    add_all(s)
    rows = [figures(p, 5, 5, 5) for p in (s.people.an, s.people.binh, s.people.cuong)]
    services.tally_enter(actor=s.editor.user, session=s.session, round_no=1, rows=rows)
    services.tally_enter(actor=s.editor2.user, session=s.session, round_no=2, rows=rows)
    for person in (s.people.an, s.people.binh):
        services.score_set(actor=s.editor.user, evaluation_round=s.round, person=person,
                           score=Decimal("80"))  # fmt: skip
    counts()
    extra = more_people(world, 5)
    for person in extra:
        services.subject_add(actor=s.editor.user, session=s.session, person=person)
        services.score_set(actor=s.editor.user, evaluation_round=s.round, person=person,
                           score=Decimal("75"))  # fmt: skip
    rows = [figures(p, 4, 4, 4) for p in extra]
    services.tally_enter(actor=s.editor.user, session=s.session, round_no=1, rows=rows)
    services.tally_enter(actor=s.editor2.user, session=s.session, round_no=2, rows=rows)
    make_session(world, actor=s.editor.user, year=2024, held_on=dt.date(2024, 12, 1))
    counts()
