"""Create/edit forms and profile sections: scope (404/403), validation messages, audit."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from canbo.core.dates import DatePrecision
from canbo.core.models import AccessEvent, AuditEvent
from canbo.people.models import ConfidenceVote, Discipline, Evaluation, Person

from .conftest import by_id

CREATE = reverse("people:create")


def person_data(world, **overrides):
    data = {
        "id_number": "001095000009",
        "family_name": "lê",
        "middle_name": "hoàng",
        "given_name": "nam",
        "sex": "M",
        "birth_date": "03/1995",
        "ethnicity": "",
        "religion": "",
        "hometown": "00001",
        "birthplace": "",
        "unit": world.xa.pk,
        "party_joined_date": "",
        "party_official_date": "",
        "professional_degree": "3",
        "professional_major": "Luật",
        "political_theory": "",
        "state_management": "",
        "foreign_language": "",
        "it_level": "",
        "retirement_age_override_months": "",
    }
    data.update(overrides)
    return data


def tag(content: str, element_id: str) -> str:
    """The opening tag of the element with this id."""
    m = re.search(rf'<(input|select|textarea)[^>]*id="{element_id}"[^>]*>', content)
    assert m, element_id
    return m.group(0)


def snapshot_db():
    """Everything a refused request must leave untouched."""
    return (
        list(Person.objects.order_by("pk").values()),
        list(Evaluation.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def editor_a(client, people):
    client.force_login(people.editor_a)
    return client


@pytest.fixture
def viewer_a(client, people):
    client.force_login(people.viewer_a)
    return client


# --- create ----------------------------------------------------------------------------


def test_create_form_renders_for_editor(editor_a, people):
    response = editor_a.get(CREATE)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Thêm hồ sơ cán bộ" in content
    # The unit box suggests only units the editor may edit (tests/organizations/test_pickers.py).
    assert 'data-unit-picker="/units/pick/?source=units.edit"' in content
    suggested = editor_a.get(reverse("organizations:unit-pick"), {"source": "units.edit"})
    assert re.findall(r'data-value="(\d+)" data-label="([^"]*)"', suggested.content.decode()) == [
        (str(people.xa.pk), "XA · Đảng ủy xã An Bình"),
    ]
    assert 'hx-get="/units/areas/search/"' in content


def test_create_person_through_the_form_writes_an_ui_audit_event(editor_a, people):
    response = editor_a.post(CREATE, person_data(people))
    person = Person.objects.get(id_number="001095000009")
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[person.pk])
    assert person.full_name == "Lê Hoàng Nam"
    assert (person.birth_date, person.birth_date_precision) == (
        dt.date(1995, 3, 1),
        DatePrecision.MONTH,
    )
    assert person.hometown == people.commune_a
    assert person.is_local is True
    event = AuditEvent.objects.get(object_id=str(person.pk), action="create")
    assert (event.source, event.actor) == ("ui", people.editor_a)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05/03/1980", (dt.date(1980, 3, 5), "D")),
        ("5/3/1980", (dt.date(1980, 3, 5), "D")),
        ("03/1980", (dt.date(1980, 3, 1), "M")),
        ("1980", (dt.date(1980, 1, 1), "Y")),
    ],
)
def test_birth_date_text_sets_precision(editor_a, people, text, expected):
    editor_a.post(CREATE, person_data(people, birth_date=text))
    person = Person.objects.get(id_number="001095000009")
    assert (person.birth_date, person.birth_date_precision) == expected


@pytest.mark.parametrize(
    ("overrides", "field_id", "message"),
    [
        (
            {"birth_date": "31/02/1980"},
            "id_birth_date",
            "Ngày 31/02/1980 không tồn tại.",
        ),
        (
            {"birth_date": "ngày 5"},
            "id_birth_date",
            "Hãy nhập ngày theo dạng dd/mm/yyyy, mm/yyyy hoặc yyyy (ví dụ 05/03/1980).",
        ),
        ({"birth_date": ""}, "id_birth_date", "Hãy nhập ngày sinh."),
        ({"id_number": "12345"}, "id_id_number", "Số định danh cá nhân phải gồm đúng 12 chữ số."),
        (
            {"id_number": "001080000001"},
            "id_id_number",
            "Đã có cán bộ với số định danh cá nhân này.",
        ),
        ({"hometown": "Xã Không Có"}, "id_hometown", "Không tìm thấy địa bàn “Xã Không Có”."),
        ({"hometown": "xa"}, "id_hometown", "Có 2 địa bàn tên “xa”"),
        (
            {"party_joined_date": "2010-13-01"},
            "id_party_joined_date",
            "Ngày 2010-13-01 không tồn tại.",
        ),
        (
            {"party_joined_date": "1/1/10"},
            "id_party_joined_date",
            "Hãy nhập ngày theo dạng dd/mm/yyyy.",
        ),
        (
            {"retirement_age_override_months": "sáu mươi"},
            "id_retirement_age_override_months",
            "Hãy nhập một số nguyên.",
        ),
    ],
)
def test_create_invalid_input_shows_vietnamese_message_and_saves_nothing(
    editor_a, people, overrides, field_id, message
):
    before = snapshot_db()
    response = editor_a.post(CREATE, person_data(people, **overrides))
    content = response.content.decode()
    assert response.status_code == 200
    assert message in content
    assert "Chưa lưu được: hãy sửa các lỗi được đánh dấu." in content
    assert "is-invalid" in tag(content, field_id)
    assert f'id="{field_id}_error"' in content
    assert snapshot_db() == before


def test_create_in_unit_outside_edit_scope_is_refused(editor_a, people):
    before = snapshot_db()
    response = editor_a.post(CREATE, person_data(people, unit=people.xb.pk))
    assert response.status_code == 200
    assert "Đơn vị này không có trong phạm vi bạn được sửa." in response.content.decode()
    assert snapshot_db() == before


def test_hometown_found_by_unique_name(editor_a, people):
    editor_a.post(CREATE, person_data(people, hometown="an binh"))
    assert Person.objects.get(id_number="001095000009").hometown == people.commune_a


def test_viewer_cannot_create(viewer_a, people):
    before = snapshot_db()
    assert viewer_a.get(CREATE).status_code == 403
    response = viewer_a.post(CREATE, person_data(people))
    assert response.status_code == 403
    assert "Bạn không có quyền thực hiện thao tác này" in response.content.decode()
    assert snapshot_db() == before


# --- edit ------------------------------------------------------------------------------


def test_edit_form_is_filled_with_current_values(editor_a, people):
    response = editor_a.get(reverse("people:update", args=[people.cuc.pk]))
    content = response.content.decode()
    assert 'name="birth_date" value="07/1990"' in content
    assert 'value="00002 · Xã Bình Minh, Tỉnh Thử Nghiệm"' in content
    assert 'value="001090000002"' in content


def test_edit_person_writes_an_ui_audit_event(editor_a, people):
    data = person_data(
        people, id_number="001090000002", family_name="Trần", middle_name="Thị", given_name="Cúc"
    )
    data.update(sex="F", birth_date="01/07/1990", hometown="00002")
    response = editor_a.post(reverse("people:update", args=[people.cuc.pk]), data)
    assert response.status_code == 302
    person = Person.objects.get(pk=people.cuc.pk)
    assert person.birth_date_precision == "D"
    assert person.professional_major == "Luật"
    event = AuditEvent.objects.get(object_id=str(person.pk), action="update")
    assert (event.source, event.actor) == ("ui", people.editor_a)
    assert event.changes["birth_date_precision"] == ["M", "D"]


def test_edit_out_of_scope_is_not_found_and_changes_nothing(editor_a, people):
    url = reverse("people:update", args=[people.binh.pk])
    before = snapshot_db()
    assert editor_a.get(url).status_code == 404
    data = person_data(people, id_number="001085000003", given_name="Đổi Tên", unit=people.xa.pk)
    assert editor_a.post(url, data).status_code == 404
    assert snapshot_db() == before


def test_viewer_cannot_edit_in_scope_person(viewer_a, people):
    url = reverse("people:update", args=[people.anh.pk])
    before = snapshot_db()
    assert viewer_a.get(url).status_code == 403
    data = person_data(people, id_number="001080000001", given_name="Đổi Tên")
    assert viewer_a.post(url, data).status_code == 403
    assert snapshot_db() == before


def test_viewer_of_commune_a_gets_404_not_403_for_commune_b(viewer_a, people):
    assert viewer_a.get(reverse("people:update", args=[people.binh.pk])).status_code == 404


# --- sections --------------------------------------------------------------------------


def test_add_edit_delete_evaluation_each_write_an_ui_audit_event(editor_a, people):
    pk = people.anh.pk
    add = reverse("people:section-add", args=[pk, "evaluation"])
    assert editor_a.get(add).status_code == 200
    response = editor_a.post(add, {"year": "2024", "rating": "good", "score": "85,5", "note": ""})
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[pk]) + "#evaluation"
    item = Evaluation.objects.get(person_id=pk)
    assert str(item.score) == "85.50"

    edit = reverse("people:section-edit", args=[pk, "evaluation", item.pk])
    assert 'value="2024"' in editor_a.get(edit).content.decode()
    editor_a.post(edit, {"year": "2024", "rating": "excellent", "score": "92", "note": "x"})
    item.refresh_from_db()
    assert item.rating == "excellent"

    delete = reverse("people:section-delete", args=[pk, "evaluation", item.pk])
    assert "Bạn có chắc muốn xóa dòng này?" in editor_a.get(delete).content.decode()
    editor_a.post(delete)
    assert not Evaluation.objects.filter(pk=item.pk).exists()

    events = AuditEvent.objects.filter(content_type__model="evaluation").order_by("id")
    assert [(e.action, e.source, e.actor_id) for e in events] == [
        ("create", "ui", people.editor_a.pk),
        ("update", "ui", people.editor_a.pk),
        ("delete", "ui", people.editor_a.pk),
    ]


def test_add_work_history_with_partial_dates(editor_a, people):
    pk = people.cuc.pk
    response = editor_a.post(
        reverse("people:section-add", args=[pk, "assignment"]),
        {
            "position": "",
            "title_name": "Phó Chủ tịch UBND xã",
            "unit_name": "UBND xã An Bình",
            "start_date": "2015",
            "end_date": "06/2020",
            "how": "elected",
            "decision_number": "",
            "note": "",
        },
    )
    assert response.status_code == 302
    item = Person.objects.get(pk=pk).assignments.get()
    assert (item.start_date, item.start_precision) == (dt.date(2015, 1, 1), "Y")
    assert (item.end_date, item.end_precision) == (dt.date(2020, 6, 1), "M")
    event = AuditEvent.objects.get(content_type__model="assignment", object_id=str(item.pk))
    assert event.source == "ui"
    profile = editor_a.get(reverse("people:detail", args=[pk])).content.decode()
    assert "<td>2015</td>" in profile and "<td>06/2020</td>" in profile


def discipline_data(**overrides):
    data = {
        "form": "reprimand",
        "effective_date": "10/05/2023",
        "end_date": "10/05/2024",
        "authority": "UBKT Huyện ủy",
        "decision_number": "12-QĐ/UBKT",
        "reason": "",
        "planning_exception": "expired",
    }
    data.update(overrides)
    return data


def test_discipline_records_and_shows_its_qd377_exception(editor_a, people):
    pk = people.anh.pk
    add = reverse("people:section-add", args=[pk, "discipline"])
    form = editor_a.get(add).content.decode()
    assert (
        '<option value="self_criticism">Vi phạm chỉ đến mức kiểm điểm rút kinh nghiệm</option>'
        in form
    )
    response = editor_a.post(add, discipline_data())
    assert response.status_code == 302
    item = Discipline.objects.get(person_id=pk)
    assert (item.form, item.effective_date, item.planning_exception) == (
        "reprimand", dt.date(2023, 5, 10), "expired"
    )  # fmt: skip
    event = AuditEvent.objects.get(content_type__model="discipline", object_id=str(item.pk))
    assert event.changes["planning_exception"] == [None, "expired"]

    profile = editor_a.get(reverse("people:detail", args=[pk])).content.decode()
    assert (
        '<div class="small text-muted">Ngoại lệ theo QĐ 377: '
        "Khiển trách, cảnh cáo đã hết thời hạn</div>"
    ) in profile

    edit = reverse("people:section-edit", args=[pk, "discipline", item.pk])
    assert '<option value="expired" selected>' in editor_a.get(edit).content.decode()
    assert editor_a.post(edit, discipline_data(planning_exception="")).status_code == 302
    item.refresh_from_db()
    assert item.planning_exception == ""
    update = AuditEvent.objects.filter(content_type__model="discipline").latest("id")
    assert (update.action, update.changes) == ("update", {"planning_exception": ["expired", ""]})
    profile = editor_a.get(reverse("people:detail", args=[pk])).content.decode()
    assert "Ngoại lệ theo QĐ 377" not in profile


def test_discipline_exception_outside_the_list_is_refused(editor_a, people):
    response = editor_a.post(
        reverse("people:section-add", args=[people.anh.pk, "discipline"]),
        discipline_data(planning_exception="forgiven"),
    )
    assert response.status_code == 200
    assert "is-invalid" in tag(response.content.decode(), "id_planning_exception")
    assert not Discipline.objects.exists()


def test_service_validation_error_becomes_a_field_error(editor_a, people):
    before = ConfidenceVote.objects.count()
    response = editor_a.post(
        reverse("people:section-add", args=[people.anh.pk, "confidence_vote"]),
        {"year": "2024", "body": "BCH", "high": "10", "normal": "10", "low": "10", "base": "20"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Tổng số phiếu không được lớn hơn cơ sở tính tỷ lệ." in content
    assert "is-invalid" in tag(content, "id_base")
    assert ConfidenceVote.objects.count() == before


def test_duplicate_evaluation_year_is_a_message_not_a_500(editor_a, people):
    add = reverse("people:section-add", args=[people.anh.pk, "evaluation"])
    editor_a.post(add, {"year": "2024", "rating": "good", "score": "", "note": ""})
    response = editor_a.post(add, {"year": "2024", "rating": "good", "score": "", "note": ""})
    assert response.status_code == 200
    assert "đã tồn tại" in response.content.decode()
    assert Evaluation.objects.count() == 1


def test_sections_out_of_scope_are_not_found_and_change_nothing(editor_a, people):
    item = people.binh.assignments.get()
    before = snapshot_db()
    urls = [
        reverse("people:section-add", args=[people.binh.pk, "evaluation"]),
        reverse("people:section-edit", args=[people.binh.pk, "assignment", item.pk]),
        reverse("people:section-delete", args=[people.binh.pk, "assignment", item.pk]),
        # Somebody else's row through an in-scope person.
        reverse("people:section-delete", args=[people.anh.pk, "assignment", item.pk]),
    ]
    for url in urls:
        assert editor_a.get(url).status_code == 404, url
        assert editor_a.post(url, {"year": "2024", "rating": "good"}).status_code == 404, url
    assert people.binh.assignments.filter(pk=item.pk).exists()
    assert snapshot_db() == before


def test_viewer_cannot_change_sections(viewer_a, people):
    item = people.anh_post
    before = snapshot_db()
    for url in [
        reverse("people:section-add", args=[people.anh.pk, "evaluation"]),
        reverse("people:section-edit", args=[people.anh.pk, "assignment", item.pk]),
        reverse("people:section-delete", args=[people.anh.pk, "assignment", item.pk]),
    ]:
        assert viewer_a.get(url).status_code == 403, url
        assert viewer_a.post(url, {"year": "2024", "rating": "good"}).status_code == 403, url
    assert snapshot_db() == before


def test_unknown_section_kind_is_not_found(editor_a, people):
    assert editor_a.get(f"/people/{people.anh.pk}/salary/add/").status_code == 404


def test_editor_sees_edit_buttons_on_profile(editor_a, people):
    response = editor_a.get(reverse("people:detail", args=[people.anh.pk]))
    content = response.content.decode()
    assert reverse("people:update", args=[people.anh.pk]) in content
    assert reverse("people:section-add", args=[people.anh.pk, "training"]) in content
    assert by_id(response, "person-name") == "Nguyễn Văn Ánh"


# --- one viewer of commune A against one person of commune B, page by page -------------


def test_viewer_a_cannot_list_open_edit_or_see_history_of_person_b(viewer_a, people):
    binh, item = people.binh, people.binh.assignments.get()
    before = snapshot_db()

    listed = viewer_a.get(reverse("people:list"), {"search": "dang thi binh"})
    assert listed.status_code == 200
    assert "Đặng Thị Bình" not in listed.content.decode()
    assert by_id(listed, "result-count") == "Tìm thấy 0 cán bộ"

    pages = [
        reverse("people:detail", args=[binh.pk]),
        reverse("people:history", args=[binh.pk]),
        reverse("people:update", args=[binh.pk]),
        reverse("people:section-add", args=[binh.pk, "evaluation"]),
        reverse("people:section-edit", args=[binh.pk, "assignment", item.pk]),
        reverse("people:section-delete", args=[binh.pk, "assignment", item.pk]),
    ]
    for url in pages:
        response = viewer_a.get(url)
        assert response.status_code == 404, url
        assert "Đặng Thị Bình" not in response.content.decode(), url
    for url in pages[2:]:
        data = person_data(people, id_number="001085000003", given_name="Đổi", unit=people.xa.pk)
        assert viewer_a.post(url, {**data, "year": "2024", "rating": "good"}).status_code == 404
    assert snapshot_db() == before
    assert not AccessEvent.objects.filter(object_id=str(binh.pk)).exists()
