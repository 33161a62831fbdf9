"""Rule sets and rules in the admin: tuning a parameter changes the findings, a
parameter the check cannot use is refused, nothing is deleted, every write is audited."""

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import translation

from canbo.accounts.models import Role
from canbo.core.models import AuditEvent
from canbo.rules import sample
from canbo.rules.checks import CHECKS
from canbo.rules.models import Rule, RuleSet
from canbo.rules.ruleset import thaw
from canbo.rules.sample import parameter_problems, shipped_rule_set
from canbo.rules.selectors import NoRuleSetInForce, rule_set_data, rule_set_in_force
from tests.factories import UserFactory

ON = dt.date(2026, 3, 1)
HEAD = "Tham số không dùng được: "


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def superuser(db):
    return UserFactory(username="sieuquantri", role=Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def _events(model=Rule):
    return AuditEvent.objects.filter(content_type=ContentType.objects.get_for_model(model))


def _rule_form(rule, **changes):
    data = {
        "rule_set": rule.rule_set_id,
        "code": rule.code,
        "name": rule.name,
        "citation": rule.citation,
        "severity": rule.severity,
        "parameters": rule.parameters,
        "enabled": rule.enabled,
        **changes,
    }
    if not isinstance(data["parameters"], str):
        data["parameters"] = json.dumps(data["parameters"], ensure_ascii=False)
    if not data["enabled"]:
        del data["enabled"]
    return data


def _post_rule(client, rule, **changes):
    url = reverse("admin:rules_rule_change", args=[rule.pk])
    return client.post(url, _rule_form(rule, **changes))


def _errors(response):
    return response.context["adminform"].form.errors


# --- Tuning a parameter -----------------------------------------------------------------


def test_p1_maximum_changed_from_3_to_2_through_the_admin(admin_client, superuser):
    p1 = Rule.objects.get(code="P1")
    assert rule_set_in_force(ON).rule("P1").param("max_people_per_position") == 3

    response = _post_rule(
        admin_client, p1, parameters={"max_people_per_position": 2, "multiply_by_seats": True}
    )

    assert response.status_code == 302
    assert response.url == reverse("admin:rules_rule_changelist")
    assert rule_set_in_force(ON).rule("P1").param("max_people_per_position") == 2
    assert thaw(rule_set_in_force(ON).rule("P1").parameters) == {
        "max_people_per_position": 2,
        "multiply_by_seats": True,
    }
    event = _events().get()
    assert (event.action, event.source, event.actor_id, event.object_id) == (
        "update",
        "ui",
        superuser.pk,
        str(p1.pk),
    )
    assert event.object_repr == "P1 (QĐ 377/2025)"
    assert event.changes == {
        "parameters": [
            {"max_people_per_position": 3, "multiply_by_seats": True},
            {"max_people_per_position": 2, "multiply_by_seats": True},
        ]
    }


def test_saving_unchanged_records_nothing(admin_client):
    p1 = Rule.objects.get(code="P1")
    assert _post_rule(admin_client, p1).status_code == 302
    assert _events().count() == 0


def test_a_rule_is_switched_off_with_enabled(admin_client):
    p8 = Rule.objects.get(code="P8")
    assert _post_rule(admin_client, p8, enabled=False).status_code == 302
    assert rule_set_in_force(ON).rule("P8").enabled is False
    assert _events().get().changes == {"enabled": [True, False]}


def test_p9_holidays_entered_on_the_rule_set_page(admin_client, superuser):
    rule_set = RuleSet.objects.get()
    rules = list(rule_set.rules.order_by("code"))
    data = {
        "code": rule_set.code,
        "name": rule_set.name,
        "effective_from": rule_set.effective_from.isoformat(),
        "note": rule_set.note,
        "rules-TOTAL_FORMS": str(len(rules)),
        "rules-INITIAL_FORMS": str(len(rules)),
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "1000",
    }
    holidays = ["2027-02-05", "2027-02-08", "2027-02-09"]
    p9_before = next(rule.parameters for rule in rules if rule.code == "P9")
    for i, rule in enumerate(rules):
        form = _rule_form(rule)
        if rule.code == "P9":
            form["parameters"] = json.dumps({**rule.parameters, "holidays": holidays})
        del form["rule_set"]
        data.update({f"rules-{i}-{k}": v for k, v in form.items()})
        data[f"rules-{i}-id"] = rule.pk
        data[f"rules-{i}-rule_set"] = rule_set.pk

    url = reverse("admin:rules_ruleset_change", args=[rule_set.pk])
    response = admin_client.post(url, data)

    assert response.status_code == 302
    p9 = rule_set_in_force(ON).rule("P9")
    assert p9.param("holidays") == ("2027-02-05", "2027-02-08", "2027-02-09")
    assert p9.param("yearly_holidays") == ("01-01", "04-30", "05-01", "09-02")
    assert list(_events().values_list("object_repr", "changes")) == [
        (
            "P9 (QĐ 377/2025)",
            {
                "parameters": [
                    {**p9_before, "holidays": []},
                    {**p9_before, "holidays": holidays},
                ]
            },
        )
    ]
    assert _events(RuleSet).count() == 0  # the set's own fields did not change


def test_a_new_rule_set_with_its_effective_date_is_added(admin_client, superuser):
    data = {
        "code": "QĐ mới/2027",
        "name": "Quy định sửa đổi",
        "effective_from": "2027-01-01",
        "note": "",
        "rules-TOTAL_FORMS": "1",
        "rules-INITIAL_FORMS": "0",
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "1000",
        "rules-0-code": "P1",
        "rules-0-name": "Mỗi chức danh không quá 2 người",
        "rules-0-citation": "Quy định mới",
        "rules-0-severity": "error",
        "rules-0-parameters": '{"max_people_per_position": 2}',
        "rules-0-enabled": "on",
    }
    response = admin_client.post(reverse("admin:rules_ruleset_add"), data)

    assert response.status_code == 302
    new = RuleSet.objects.get(code="QĐ mới/2027")
    assert list(new.rules.values_list("code", "parameters")) == [
        ("P1", {"max_people_per_position": 2})
    ]
    assert rule_set_in_force(dt.date(2026, 12, 31)).code == "QĐ 377/2025"
    in_2027 = rule_set_in_force(dt.date(2027, 1, 1))
    assert (in_2027.code, [r.code for r in in_2027.rules]) == ("QĐ mới/2027", ["P1"])
    assert list(_events(RuleSet).values_list("action", "object_repr", "actor_id")) == [
        ("create", "QĐ mới/2027", superuser.pk)
    ]
    assert list(_events().values_list("action", "object_repr", "changes")) == [
        (
            "create",
            "P1 (QĐ mới/2027)",
            {
                "code": [None, "P1"],
                "citation": [None, "Quy định mới"],
                "enabled": [None, True],
                "id": [None, new.rules.get().pk],
                "name": [None, "Mỗi chức danh không quá 2 người"],
                "parameters": [None, {"max_people_per_position": 2}],
                "rule_set": [None, new.pk],
                "severity": [None, "error"],
            },
        )
    ]


# --- Refusing parameters ----------------------------------------------------------------


def test_a_bad_value_is_refused_with_the_message_and_nothing_saved(admin_client):
    p1 = Rule.objects.get(code="P1")
    response = _post_rule(
        admin_client, p1, parameters={"max_people_per_position": "abc", "multiply_by_seats": True}
    )

    assert response.status_code == 200
    assert _errors(response) == {
        "parameters": [
            HEAD + "“max_people_per_position” phải là một số nguyên, "
            "như trong bộ quy định ban đầu: 3."
        ]
    }
    assert "Tham số không dùng được" in response.content.decode()
    p1.refresh_from_db()
    assert p1.parameters == {"max_people_per_position": 3, "multiply_by_seats": True}
    assert _events().count() == 0


def test_a_bad_value_is_refused_on_the_rule_set_page_too(admin_client):
    rule_set = RuleSet.objects.get()
    p9 = rule_set.rules.get(code="P9")
    form = _rule_form(p9, parameters={**p9.parameters, "holidays": ["16/02/2026"]})
    del form["rule_set"]
    data = {
        "code": rule_set.code,
        "name": rule_set.name,
        "effective_from": rule_set.effective_from.isoformat(),
        "note": "ghi chú mới",
        "rules-TOTAL_FORMS": "1",
        "rules-INITIAL_FORMS": "1",
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "1000",
        "rules-0-id": p9.pk,
        "rules-0-rule_set": rule_set.pk,
        **{f"rules-0-{k}": v for k, v in form.items()},
    }
    url = reverse("admin:rules_ruleset_change", args=[rule_set.pk])
    response = admin_client.post(url, data)

    assert response.status_code == 200
    [formset] = response.context["inline_admin_formsets"]
    assert formset.formset.errors == [
        {"parameters": [HEAD + "Quy tắc P9: ngày nghỉ phải viết MM-DD (hằng năm) hoặc YYYY-MM-DD."]}
    ]
    rule_set.refresh_from_db()
    assert rule_set.note != "ghi chú mới"
    assert Rule.objects.get(code="P9").parameters["holidays"] == []
    assert (_events().count(), _events(RuleSet).count()) == (0, 0)


def test_parameters_must_be_a_json_object(admin_client):
    p3 = Rule.objects.get(code="P3")
    for text in ("[]", "3", '"abc"', "null"):
        response = _post_rule(admin_client, p3, parameters=text)
        assert _errors(response) == {
            "parameters": [HEAD + 'tham số phải là một đối tượng JSON, dạng {"tên": giá trị, …}.']
        }, text
    response = _post_rule(admin_client, p3, parameters="{allow_same_rank: true}")
    assert _errors(response) == {"parameters": ["Nhập dữ liệu JSON hợp lệ."]}
    p3.refresh_from_db()
    assert p3.parameters == {"allow_same_rank": False}


def test_nothing_is_deleted(admin_client):
    rule_set = RuleSet.objects.get()
    p1 = Rule.objects.get(code="P1")
    assert admin_client.get(reverse("admin:rules_rule_delete", args=[p1.pk])).status_code == 403
    assert admin_client.post(reverse("admin:rules_rule_delete", args=[p1.pk])).status_code == 403
    url = reverse("admin:rules_ruleset_delete", args=[rule_set.pk])
    assert admin_client.post(url).status_code == 403

    changelist = admin_client.get(reverse("admin:rules_rule_changelist"))
    assert changelist.status_code == 200
    assert "delete_selected" not in changelist.context["cl"].model_admin.get_actions(
        changelist.wsgi_request
    )
    response = admin_client.post(
        reverse("admin:rules_rule_changelist"),
        {"action": "delete_selected", "_selected_action": [p1.pk]},
    )
    assert response.status_code in (200, 302)
    page = admin_client.get(reverse("admin:rules_ruleset_change", args=[rule_set.pk]))
    assert page.status_code == 200
    assert [f.formset.can_delete for f in page.context["inline_admin_formsets"]] == [False]
    assert (RuleSet.objects.count(), Rule.objects.count()) == (1, 33)
    assert _events().count() == 0


def test_the_lists_show_and_filter(admin_client):
    url = reverse("admin:rules_rule_changelist")
    response = admin_client.get(url, {"severity__exact": "warning"})
    assert [r.code for r in response.context["cl"].result_list] == [
        "A7", "A8", "C4", "E2", "P6", "P8", "P9", "R3", "R4"]  # fmt: skip
    response = admin_client.get(url, {"enabled__exact": "0"})
    assert list(response.context["cl"].result_list) == []
    response = admin_client.get(reverse("admin:rules_ruleset_changelist"))
    assert [r.code for r in response.context["cl"].result_list] == ["QĐ 377/2025"]
    assert "Bộ quy định kiểm tra" in response.content.decode()


# --- Every parameter read by P1–P9 refuses a wrong value ---------------------------------

# What each kind of shipped value is called in the message.
KIND = {
    bool: "true hoặc false",
    int: "một số nguyên",
    str: "một chuỗi trong ngoặc kép",
    list: "một danh sách [ … ]",
    dict: "một đối tượng { … }",
}
SHARE = 'một tỷ lệ (như "1/4" hoặc 0.25)'
WRONG = [True, 7, 2.5, "abc", [1], {"a": 1}, None]


def _is_share(value):
    return isinstance(value, str) and bool(re.fullmatch(r"\d+/\d+", value))


def _shipped():
    for rule in shipped_rule_set().rules:
        for key, value in thaw(rule.parameters).items():
            yield rule.code, key, value


def _kind_of(value):
    return SHARE if _is_share(value) else KIND[type(value)]


def _wrong_kind_cases():
    for code, key, default in _shipped():
        for wrong in WRONG:
            if type(wrong) is type(default) and not (isinstance(wrong, list) and default):
                continue  # same kind: not a wrong type (an empty shipped list takes any item)
            if _is_share(default) and type(wrong) in (int, float, str):
                continue  # shares are written "1/4", 0.25 or 1
            if isinstance(default, list) and not default and isinstance(wrong, list):
                continue  # holidays: [1] is the right kind, a wrong value (below)
            yield pytest.param(code, key, wrong, id=f"{code}-{key}-{json.dumps(wrong)}")


def test_the_sample_reads_every_parameter_the_checks_read():
    checks = Path(sample.__file__).parent / "checks"
    source = "".join(path.read_text() for path in sorted(checks.glob("*.py")))
    named = set(re.findall(r'(?:param|fraction|parameters\.get)\(\s*"(\w+)"', source))
    shipped = {key for _code, key, _value in _shipped()}
    assert named == shipped
    for rule in shipped_rule_set().rules:
        assert rule.code in CHECKS
        findings, read = sample.try_rule(rule.code, thaw(rule.parameters), rule)
        assert read == set(rule.parameters), rule.code
        assert findings, rule.code  # the sample breaks every rule at least once
    assert parameter_problems("P1", {"max_people_per_position": 3}) == []


@pytest.mark.parametrize(("code", "key", "wrong"), list(_wrong_kind_cases()))
def test_a_value_of_the_wrong_kind_is_refused(admin_client, code, key, wrong):
    rule = Rule.objects.get(code=code)
    before = dict(rule.parameters)
    default = before[key]

    response = _post_rule(admin_client, rule, parameters={**before, key: wrong})

    assert response.status_code == 200
    assert _errors(response) == {
        "parameters": [
            HEAD + f"“{key}” phải là {_kind_of(default)}, "
            f"như trong bộ quy định ban đầu: {json.dumps(default, ensure_ascii=False)}."
        ]
    }
    rule.refresh_from_db()
    assert rule.parameters == before
    assert _events().count() == 0


# Values of the right kind that the check cannot use, and the message each gets.
BAD_VALUES = [
    ("P2", "same_level_by", "cấp",
     "Tham số “same_level_by” của quy tắc P2 phải là một trong: level, management_level, rank."),
    ("P5", "first_time_severity", "nhẹ",
     "quy tắc P5 cho ra mức độ “nhẹ”, không phải một trong: error, warning, flag."),
    ("P6", "min_women_share", "abc",
     "Tham số “min_women_share” của quy tắc P6 không phải là một tỷ lệ: 'abc'."),
    ("P6", "min_young_share", "1/0",
     "Tham số “min_young_share” của quy tắc P6 không phải là một tỷ lệ: '1/0'."),
    ("P6", "young_under_age_by_level", {"commune": "ba mươi"},
     "“young_under_age_by_level” phải là một đối tượng { … }, như trong bộ quy định ban đầu: "
     '{"central": 45, "province": 40}.'),
    ("P6", "young_under_age_by_level", {"province": True},
     "“young_under_age_by_level” phải là một đối tượng { … }, như trong bộ quy định ban đầu: "
     '{"central": 45, "province": 40}.'),
    ("P6", "age_reference", "today",
     "Tham số “age_reference” của quy tắc P6 phải là as_of hoặc term_start."),
    ("P7", "discipline_forms", ["reprimand", 5],
     "“discipline_forms” phải là một danh sách [ … ], như trong bộ quy định ban đầu: "
     '["reprimand", "warning", "demotion", "demoted_post", "removal", "dismissal", "expulsion"].'),
    ("P7", "low_confidence_share_above", "một nửa",
     "Tham số “low_confidence_share_above” của quy tắc P7 không phải là một tỷ lệ: 'một nửa'."),
    ("P8", "review_interval_months", 10**9,
     "quy tắc P8 không chạy được với giá trị của “review_interval_months”."),
    ("P9", "holidays", ["16/02/2026"],
     "Quy tắc P9: ngày nghỉ phải viết MM-DD (hằng năm) hoặc YYYY-MM-DD."),
    ("P9", "holidays", [1],
     "Quy tắc P9: ngày nghỉ phải viết MM-DD (hằng năm) hoặc YYYY-MM-DD."),
    ("P9", "yearly_holidays", ["02-30"],
     "Quy tắc P9: ngày nghỉ phải viết MM-DD (hằng năm) hoặc YYYY-MM-DD."),
    ("P9", "yearly_holidays", ["02-29"],  # would break the pages in every non-leap year
     "Quy tắc P9: ngày nghỉ phải viết MM-DD (hằng năm) hoặc YYYY-MM-DD."),
    ("P1", "max_people_per_postion", 2,
     "quy tắc P1 không dùng tham số “max_people_per_postion” (viết sai tên?)."),
    ("P7", "flagged_ratings", float("nan"), "NaN và Infinity không phải là số JSON."),
]  # fmt: skip


@pytest.mark.parametrize(("code", "key", "bad", "message"), BAD_VALUES)
def test_a_value_the_check_cannot_use_is_refused(admin_client, code, key, bad, message):
    rule = Rule.objects.get(code=code)
    before = dict(rule.parameters)

    response = _post_rule(admin_client, rule, parameters={**before, key: bad})

    assert _errors(response) == {"parameters": [HEAD + message]}
    rule.refresh_from_db()
    assert rule.parameters == before
    assert _events().count() == 0


def test_a_missing_parameter_is_refused():
    assert parameter_problems("P8", {}) == [
        HEAD + "Quy tắc P8 thiếu tham số “review_interval_months”."
    ]


@pytest.mark.parametrize(
    ("code", "parameters"),
    [
        ("P3", {}),  # every P3 parameter is optional
        ("P4", {}),
        ("P5", {"full_term_months": 60}),  # no first-time check
        ("P6", {**thaw(shipped_rule_set().rule("P6").parameters), "min_women_share": 0.3}),
        ("P6", {**thaw(shipped_rule_set().rule("P6").parameters),
                "young_under_age_by_level": {"central": 45, "province": 40, "commune": 35}}),
        ("P9", {"max_working_days": 30, "holidays": ["2027-02-05", "2027-02-08"],
                "yearly_holidays": ["01-01", "09-02"]}),
        ("P10", {"anything": [1, "two"]}),  # a rule without a check yet
    ],
)  # fmt: skip
def test_usable_parameters_pass(code, parameters):
    assert parameter_problems(code, parameters) == []


def _breaking(default):
    """A value of another kind that the check itself cannot use (None for booleans:
    `bool()` takes anything, which is why the kinds are compared before the run)."""
    if isinstance(default, bool):
        return None
    if isinstance(default, int | str):
        return "abc"
    return 7  # a list or an object


@pytest.mark.parametrize(
    ("code", "key", "default"), [pytest.param(*c, id=f"{c[0]}-{c[1]}") for c in _shipped()]
)
def test_the_sample_run_alone_catches_a_value_the_check_cannot_use(code, key, default):
    """Without the comparison of kinds: the sample reaches every use of every parameter."""
    bad = _breaking(default)
    if bad is None:
        pytest.skip("a boolean: any value runs; only the comparison of kinds refuses it")
    shipped = shipped_rule_set().rule(code)
    parameters = {**thaw(shipped.parameters), key: bad}
    try:
        findings, _read = sample.try_rule(code, parameters, shipped)
    except sample.PARAMETER_ERRORS:
        return
    # first_time_severity: the run goes through, its findings carry the bad severity
    assert (code, key) == ("P5", "first_time_severity")
    assert {f.severity for f in findings} == {"error", "abc"}


@pytest.mark.parametrize("level", ["central", "province", "district", "commune"])
def test_the_sample_has_a_plan_of_every_level(level):
    from canbo.organizations.choices import UnitLevel

    assert set(UnitLevel.values) == {"central", "province", "district", "commune"}
    shipped = shipped_rule_set().rule("P6")
    parameters = {**thaw(shipped.parameters), "young_under_age_by_level": {level: "abc"}}
    with pytest.raises(ValueError):
        sample.try_rule("P6", parameters, shipped)


# --- A bad parameter that reached the database another way --------------------------------


def test_a_rule_set_with_a_bad_parameter_is_reported_not_raised(db):
    in_force = rule_set_in_force(ON)
    assert sample.checked_rule_set(in_force) is in_force
    assert sample.rule_set_problems(in_force) == []

    Rule.objects.filter(code="P1").update(parameters={"max_people_per_position": "abc"})
    Rule.objects.filter(code="P9").update(
        enabled=False, parameters={"max_working_days": 30, "holidays": ["16/02/2026"]}
    )
    broken = rule_set_data(RuleSet.objects.get(code="QĐ 377/2025"))
    assert sample.rule_set_problems(broken) == [
        "P1: " + HEAD + "“max_people_per_position” phải là một số nguyên, "
        "như trong bộ quy định ban đầu: 3.",
        "P9: " + HEAD + "Quy tắc P9: ngày nghỉ phải viết MM-DD (hằng năm) hoặc YYYY-MM-DD.",
    ]
    with pytest.raises(sample.UnusableRuleSet) as raised:
        sample.checked_rule_set(broken)
    assert isinstance(raised.value, NoRuleSetInForce)
    assert str(raised.value) == (
        "Bộ quy định kiểm tra QĐ 377/2025 có tham số không dùng được, quản trị viên cần sửa "
        "trong trang quản trị (Quy tắc kiểm tra): " + " ".join(sample.rule_set_problems(broken))
    )
    # What every page, the API and check-planning read: the same refusal, as a message.
    with pytest.raises(sample.UnusableRuleSet) as read:
        rule_set_in_force(ON)
    assert str(read.value) == str(raised.value)


def test_the_forms_open(admin_client):
    p9 = Rule.objects.get(code="P9")
    for url in (
        reverse("admin:rules_rule_add"),
        reverse("admin:rules_ruleset_add"),
        reverse("admin:rules_rule_change", args=[p9.pk]),
        reverse("admin:index"),
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
    page = admin_client.get(reverse("admin:rules_rule_change", args=[p9.pk])).content.decode()
    assert "Quy định kiểm tra" in page
    assert "yearly_holidays" in page
