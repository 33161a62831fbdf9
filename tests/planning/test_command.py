import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command

from .factories import discipline

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("check_planning", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def flagged(plan, cadres):
    """On 01/01/2027: Dũng's warning raises P7, and the plan is overdue for review (P8)."""
    discipline(cadres.d, "warning", dt.date(2026, 1, 10))
    return plan


def test_json(flagged, positions):
    data = json.loads(run("--as-of", "2027-01-01", "--format", "json"))
    plan = {"id": flagged.pk, "name": "Ban Chấp hành Đảng bộ tỉnh 2030–2035", "term": "2030–2035"}
    assert data == [
        {
            "rule": "P7",
            "severity": "flag",
            "citation": "Quy định 377-QĐ/TW ngày 08/10/2025; Quy định 96-QĐ/TW năm 2023",
            "message": "Xem xét đưa Hoàng Văn Dũng ra khỏi quy hoạch Ban Chấp hành Đảng bộ tỉnh "
            "2030–2035: bị kỷ luật (Cảnh cáo) từ 10/01/2026.",
            "reason": "discipline",
            "plan": plan,
            "position": None,
            "person": "001074000004",
            "figures": {"form": "warning", "effective_on": "2026-01-10"},
        },
        {
            "rule": "P8",
            "severity": "warning",
            "citation": "Quy định 377-QĐ/TW ngày 08/10/2025",
            "message": "Quy hoạch Ban Chấp hành Đảng bộ tỉnh 2030–2035 chưa được rà soát từ "
            "15/12/2025 (1 năm), quá thời hạn 1 năm.",
            "reason": "",
            "plan": plan,
            "position": None,
            "person": None,
            "figures": {"since": "2025-12-15", "months_since": 12, "interval_months": 12},
        },
    ]


def test_json_position_and_shares(plan, cadres):
    """A finding about a position names it; shares in figures are exact decimal strings."""
    discipline(cadres.b, "warning", dt.date(2026, 1, 10))  # Bình flagged
    cadres.b.sex = "M"
    cadres.b.save()  # no woman left: P6 women 0/4
    data = json.loads(run("--as-of", "2026-03-01", "--format", "json", "--term", "2030-2035"))
    assert [(f["rule"], f["reason"], f["person"]) for f in data] == [
        ("P6", "women", None),
        ("P7", "discipline", "001185000002"),
    ]
    assert data[0]["figures"] == {"count": 0, "total": 4, "share": "0.00", "min_share": "25.00"}


def test_text(flagged):
    assert run("--as-of", "01/01/2027", "--unit", "TU").splitlines() == [
        "Kiểm tra 1 quy hoạch ngày 01/01/2027 theo bộ quy định “QĐ 377/2025”.",
        "[Cần xem xét] P7 – Ban Chấp hành Đảng bộ tỉnh 2030–2035; số định danh 001074000004: "
        "Xem xét đưa Hoàng Văn Dũng ra khỏi quy hoạch Ban Chấp hành Đảng bộ tỉnh 2030–2035: "
        "bị kỷ luật (Cảnh cáo) từ 10/01/2026. "
        "(Quy định 377-QĐ/TW ngày 08/10/2025; Quy định 96-QĐ/TW năm 2023)",
        "[Cảnh báo] P8 – Ban Chấp hành Đảng bộ tỉnh 2030–2035: Quy hoạch Ban Chấp hành Đảng bộ "
        "tỉnh 2030–2035 chưa được rà soát từ 15/12/2025 (1 năm), quá thời hạn 1 năm. "
        "(Quy định 377-QĐ/TW ngày 08/10/2025)",
        "Tổng cộng 2 phát hiện: 0 lỗi, 1 cảnh báo, 1 cần xem xét.",
    ]


def test_filters_that_select_no_plan(flagged):
    assert run("--as-of", "2027-01-01", "--unit", "XA").splitlines() == [
        "Kiểm tra 0 quy hoạch ngày 01/01/2027 theo bộ quy định “QĐ 377/2025”.",
        "Không có phát hiện nào.",
    ]
    assert run("--as-of", "2027-01-01", "--term", "2025–2030", "--format", "json") == "[]\n"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--unit", "KHONGCO"], "Không có đơn vị mã “KHONGCO”."),
        (["--term", "2030"], "Nhiệm kỳ không hợp lệ: “2030” (viết YYYY-YYYY)."),
        (["--as-of", "2026-13-01"],
         "Ngày không hợp lệ: “2026-13-01” (viết YYYY-MM-DD hoặc dd/mm/yyyy)."),
        (["--as-of", "2020-01-01"],
         "Không có bộ quy định kiểm tra nào có hiệu lực vào ngày 01/01/2020."),
    ],
)  # fmt: skip
def test_bad_arguments(world, args, message):
    with pytest.raises(CommandError) as exc:
        run(*args)
    assert str(exc.value) == message
