"""Planning's sheets of the data package: plans, their positions, reviews and entries.

The headers are part of the file format (see `canbo.exchange.sheets`).
"""

from __future__ import annotations

from canbo.exchange.sheets import Column, Sheet
from canbo.organizations.choices import TermBody
from canbo.people.package.sheets import person_column
from canbo.planning.choices import EntrySource, PlanStatus, RemovalReason
from canbo.planning.models import Plan, PlanEntry, PlanPosition, PlanReview


def _plan_key() -> tuple[Column, ...]:
    """The columns that name a plan: its planning unit and its term."""
    return (
        Column("planning_unit", "Mã đơn vị lập quy hoạch", "unit", required=True,
               help="Mã đơn vị lập quy hoạch; cùng Loại nhiệm kỳ và Nhiệm kỳ xác định quy hoạch.",
               example="01"),
        Column("term_body", "Loại nhiệm kỳ", "choice", required=True, choices=TermBody,
               example="Đại hội Đảng bộ"),
        Column("term", "Nhiệm kỳ", "term", required=True,
               help="Năm bắt đầu – năm kết thúc của nhiệm kỳ quy hoạch (sheet Nhiệm kỳ), hoặc "
               "ngày bắt đầu dd/mm/yyyy khi hai nhiệm kỳ cùng loại bắt đầu cùng một năm.",
               example="2030–2035"),
    )  # fmt: skip


PLANS = Sheet(
    "plans",
    "Quy hoạch",
    (
        *_plan_key(),
        Column("name", "Tên quy hoạch", required=True,
               example="Quy hoạch Ban Chấp hành Đảng bộ tỉnh nhiệm kỳ 2030–2035"),
        Column("status", "Trạng thái", "choice", choices=PlanStatus,
               help="Để trống là Dự thảo.", example="Đã phê duyệt"),
        Column("approver_unit", "Mã đơn vị phê duyệt", "unit",
               help="Chính đơn vị lập quy hoạch hoặc đơn vị cấp trên.", example="TW"),
        Column("decision_number", "Số quyết định phê duyệt", example="123-QĐ/TW"),
        Column("decision_date", "Ngày quyết định phê duyệt", "date", example="01/06/2025"),
        Column("approved_on", "Ngày phê duyệt", "date", example="01/06/2025"),
        Column("published_on", "Ngày công bố", "date", example="15/06/2025"),
        Column("min_minority_share", "Tỷ lệ người dân tộc thiểu số (%)", "decimal",
               help="Tỷ lệ tối thiểu phù hợp với địa bàn, từ 0 đến 100; để trống nếu không "
               "kiểm tra.", example="20"),
    ),
    help="Quy hoạch cán bộ của một đơn vị cho một nhiệm kỳ. Trạng thái được ghi như trong "
    "gói (bản sao hồ sơ của cấp khác); lịch sử trạng thái không có trong gói.",
    natural_key="Mã đơn vị lập quy hoạch + Loại nhiệm kỳ + Nhiệm kỳ",
    model=Plan, depends=("units", "terms"),
)  # fmt: skip


PLAN_POSITIONS = Sheet(
    "plan_positions",
    "Quy hoạch - chức danh",
    (
        *_plan_key(),
        Column("unit", "Mã đơn vị", "unit", required=True,
               help="Cùng Mã chức danh, xác định vị trí (sheet Vị trí).", example="01"),
        Column("title", "Mã chức danh", "title", required=True, example="bi-thu-tinh"),
        Column("title_name", "Tên chức danh", readonly=True),
    ),
    help="Các chức danh một quy hoạch bao gồm, kể cả chức danh chưa có ai trong quy hoạch. "
    "Chức danh có người trong sheet Quy hoạch - nhân sự được tự thêm.",
    natural_key="Quy hoạch + Mã đơn vị + Mã chức danh",
    model=PlanPosition, depends=("plans", "positions"),
)  # fmt: skip


PLAN_REVIEWS = Sheet(
    "plan_reviews",
    "Quy hoạch - rà soát",
    (
        *_plan_key(),
        Column("reviewed_on", "Ngày rà soát", "date", required=True,
               help="Ngày rà soát, bổ sung quy hoạch; cùng quy hoạch là khóa nhận dạng (mỗi quy "
               "hoạch một đợt rà soát một ngày). Không sau ngày nhập.", example="15/12/2025"),
        Column("decision_number", "Số quyết định",
               help="Số quyết định bổ sung, điều chỉnh quy hoạch (nếu có).", example="45-QĐ/TU"),
        Column("note", "Ghi chú", "note",
               help="Ghi chú; giữ nguyên các dòng (xuống dòng trong ô).",
               example="Rà soát, bổ sung quy hoạch hằng năm."),
    ),
    help="Các đợt rà soát, bổ sung quy hoạch (rà soát hằng năm). Danh sách trước và sau rà "
    "soát không ghi trong gói: hệ thống tính lại từ sheet Quy hoạch - nhân sự (cột Rà soát "
    "đưa vào, Rà soát đưa ra).",
    natural_key="Quy hoạch + Ngày rà soát",
    model=PlanReview, depends=("plans",),
)  # fmt: skip


PLAN_ENTRIES = Sheet(
    "plan_entries",
    "Quy hoạch - nhân sự",
    (
        *_plan_key(),
        person_column(),
        Column("unit", "Mã đơn vị", "unit", required=True,
               help="Cùng Mã chức danh, xác định chức danh quy hoạch (sheet Vị trí).",
               example="01"),
        Column("title", "Mã chức danh", "title", required=True, example="bi-thu-tinh"),
        Column("source", "Nguồn", "choice", choices=EntrySource, help="Để trống là Nguồn tại chỗ.",
               example="Nguồn tại chỗ"),
        Column("added_on", "Ngày đưa vào", "date", required=True, example="01/01/2024"),
        Column("added_decision", "Quyết định đưa vào", example="123-QĐ/TW"),
        Column("added_review", "Rà soát đưa vào (ngày)", "date",
               help="Ngày của đợt rà soát đã bổ sung cán bộ này (sheet Quy hoạch - rà soát hoặc "
               "trong hệ thống, cùng quy hoạch); trùng Ngày đưa vào. Để trống nếu đưa vào trực "
               "tiếp khi quy hoạch còn là dự thảo.", example="15/12/2025"),
        Column("first_time", "Quy hoạch lần đầu", "bool", example="Không"),
        Column("removed_on", "Ngày đưa ra", "date",
               help="Để trống nếu còn trong quy hoạch.", example="15/12/2025"),
        Column("removal_reason", "Lý do đưa ra", "choice", choices=RemovalReason,
               example="Bị kỷ luật"),
        Column("removal_note", "Ghi chú lý do", help="Bắt buộc khi lý do là Lý do khác."),
        Column("removed_review", "Rà soát đưa ra (ngày)", "date",
               help="Ngày của đợt rà soát đã đưa cán bộ này ra (như trên); trùng Ngày đưa ra. "
               "Để trống nếu đưa ra trực tiếp hoặc còn trong quy hoạch.", example="15/12/2025"),
        Column("full_name", "Họ và tên", readonly=True),
        Column("title_name", "Tên chức danh", readonly=True),
    ),
    help="Cán bộ trong quy hoạch: mỗi dòng một lần đưa một người vào quy hoạch một chức danh. "
    "Dòng đã đưa ra vẫn giữ (ghi Ngày đưa ra và Lý do); đưa vào lại là một dòng mới.",
    natural_key="Quy hoạch + Số định danh + Mã đơn vị + Mã chức danh + Ngày đưa vào",
    model=PlanEntry, depends=("plans", "plan_reviews", "people", "positions"),
)  # fmt: skip


SHEETS = (PLANS, PLAN_POSITIONS, PLAN_REVIEWS, PLAN_ENTRIES)
