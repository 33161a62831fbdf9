"""Planning's sheets of the data package: plans, their positions, reviews and entries.

The headers are part of the file format (see `canbo.exchange.sheets`).
"""

from __future__ import annotations

from canbo.exchange.sheets import Column, Sheet
from canbo.organizations.choices import TermBody
from canbo.people.package.sheets import person_column
from canbo.planning.choices import EntrySource, PlanStatus, RemovalReason
from canbo.planning.models import Plan, PlanEntry, PlanPosition, PlanReview


def _plan_key(
    unit_help: str = "Quy hoạch (cùng Loại nhiệm kỳ và Nhiệm kỳ), có trong sheet Quy hoạch của "
    "gói hoặc trong hệ thống.",
    body_help: str = "Loại nhiệm kỳ của quy hoạch.",
    term_help: str = "Nhiệm kỳ của quy hoạch (như sheet Quy hoạch).",
) -> tuple[Column, ...]:
    """The columns that name a plan: its planning unit and its term."""
    return (
        Column("planning_unit", "Mã đơn vị lập quy hoạch", "unit", required=True,
               help=unit_help, example="01"),
        Column("term_body", "Loại nhiệm kỳ", "choice", required=True, choices=TermBody,
               help=body_help, example="Đại hội Đảng bộ"),
        Column("term", "Nhiệm kỳ", "term", required=True, help=term_help, example="2030–2035"),
    )  # fmt: skip


PLANS = Sheet(
    "plans",
    "Quy hoạch",
    (
        *_plan_key(
            unit_help="Mã đơn vị lập quy hoạch; cùng Loại nhiệm kỳ và Nhiệm kỳ là khóa nhận dạng "
            "(mỗi đơn vị một quy hoạch cho một nhiệm kỳ).",
            body_help="Loại của nhiệm kỳ quy hoạch (như sheet Nhiệm kỳ).",
            term_help="Nhiệm kỳ quy hoạch: năm bắt đầu – năm kết thúc (dấu gạch ngang `-` hay `–` "
            "đều được), hoặc chỉ năm bắt đầu, hoặc ngày bắt đầu dd/mm/yyyy. Được tìm trong sheet "
            "Nhiệm kỳ của gói hoặc trong hệ thống theo Loại nhiệm kỳ và năm bắt đầu (và năm kết "
            "thúc nếu ghi). Khi hai nhiệm kỳ cùng loại trùng năm bắt đầu và năm kết thúc, hãy ghi "
            "ngày bắt đầu; khi xuất, hệ thống tự ghi ngày bắt đầu trong trường hợp đó.",
        ),
        Column("name", "Tên quy hoạch", required=True, help="Tên quy hoạch.",
               example="Quy hoạch Ban Chấp hành Đảng bộ tỉnh nhiệm kỳ 2030–2035"),
        Column("status", "Trạng thái", "choice", choices=PlanStatus,
               help="Trạng thái của quy hoạch, ghi đúng như trong gói (không đi qua các bước "
               "trình, phê duyệt); để trống là Dự thảo. Đã phê duyệt và Đã công bố cần Mã đơn vị "
               "phê duyệt, Số và Ngày quyết định phê duyệt; Đã công bố cần thêm Ngày công bố.",
               example="Đã phê duyệt"),
        Column("approver_unit", "Mã đơn vị phê duyệt", "unit",
               help="Cấp phê duyệt: chính đơn vị lập quy hoạch hoặc một đơn vị cấp trên của nó "
               "(theo cây đơn vị sau khi nhập gói).", example="TW"),
        Column("decision_number", "Số quyết định phê duyệt",
               help="Số quyết định phê duyệt quy hoạch.", example="123-QĐ/TW"),
        Column("decision_date", "Ngày quyết định phê duyệt", "date",
               help="Ngày của quyết định phê duyệt; không sau ngày nhập.", example="01/06/2025"),
        Column("approved_on", "Ngày phê duyệt", "date",
               help="Ngày quy hoạch có hiệu lực; không trước ngày quyết định.",
               example="01/06/2025"),
        Column("published_on", "Ngày công bố", "date",
               help="Ngày công bố quy hoạch; không trước ngày phê duyệt (hoặc ngày quyết định khi "
               "không có ngày phê duyệt), không sau ngày nhập.", example="15/06/2025"),
        Column("min_minority_share", "Tỷ lệ người dân tộc thiểu số (%)", "decimal",
               help="Tỷ lệ tối thiểu người dân tộc thiểu số phù hợp với địa bàn (quy tắc cơ cấu "
               "P6), tính bằng %, từ 0 đến 100, làm tròn 2 chữ số; để trống nếu không kiểm tra.",
               example="20", allowed="0–100"),
    ),
    help="Quy hoạch cán bộ của một đơn vị cho một nhiệm kỳ. Trạng thái được ghi như trong "
    "gói (bản sao hồ sơ của cấp khác); lịch sử trạng thái không có trong gói.",
    natural_key="Mã đơn vị lập quy hoạch + Loại nhiệm kỳ + Nhiệm kỳ",
    notes="Cán bộ nhập liệu chỉ tạo mới hoặc sửa quy hoạch của đơn vị lập quy hoạch thuộc phạm "
    "vi của mình.",
    model=Plan, depends=("units", "terms"),
)  # fmt: skip


PLAN_POSITIONS = Sheet(
    "plan_positions",
    "Quy hoạch - chức danh",
    (
        *_plan_key(),
        Column("unit", "Mã đơn vị", "unit", required=True,
               help="Mã đơn vị của chức danh quy hoạch; cùng Mã chức danh xác định vị trí, phải "
               "có trong sheet Vị trí hoặc trong hệ thống.", example="01"),
        Column("title", "Mã chức danh", "title", required=True, help="Mã chức danh của vị trí.",
               example="bi-thu-tinh"),
        Column("title_name", "Tên chức danh", readonly=True,
               help="Tên chức danh, hệ thống điền khi xuất để dễ đọc; bỏ qua khi nhập.",
               example="Bí thư Tỉnh ủy"),
    ),
    help="Các chức danh một quy hoạch bao gồm, kể cả chức danh chưa có ai trong quy hoạch. "
    "Chức danh có người trong sheet Quy hoạch - nhân sự được tự thêm.",
    natural_key="Quy hoạch + Mã đơn vị + Mã chức danh",
    notes="Không có cột nào khác để sửa: dòng đã có thì “không đổi”. Nhập không bỏ chức danh "
    "nào khỏi quy hoạch.",
    model=PlanPosition, depends=("plans", "positions"),
)  # fmt: skip


PLAN_REVIEWS = Sheet(
    "plan_reviews",
    "Quy hoạch - rà soát",
    (
        *_plan_key(),
        Column("reviewed_on", "Ngày rà soát", "date", required=True,
               help="Ngày rà soát, bổ sung quy hoạch; cùng quy hoạch là khóa nhận dạng. Không sau "
               "ngày nhập.", example="15/12/2025"),
        Column("decision_number", "Số quyết định",
               help="Số quyết định bổ sung, điều chỉnh quy hoạch (nếu có).", example="45-QĐ/TU"),
        Column("note", "Ghi chú", "note",
               help="Ghi chú của đợt rà soát; xuống dòng trong ô được giữ nguyên.",
               example="Rà soát, bổ sung quy hoạch hằng năm."),
    ),
    help="Các đợt rà soát, bổ sung quy hoạch (rà soát hằng năm). Danh sách trước và sau rà "
    "soát không ghi trong gói: hệ thống tính lại từ sheet Quy hoạch - nhân sự (cột Rà soát "
    "đưa vào, Rà soát đưa ra).",
    natural_key="Quy hoạch + Ngày rà soát",
    notes="(mỗi quy hoạch một đợt rà soát một ngày; trùng là lỗi). Cán bộ nhập liệu chỉ tạo mới "
    "hoặc sửa đợt rà soát của quy hoạch thuộc phạm vi của mình.",
    model=PlanReview, depends=("plans",),
)  # fmt: skip


PLAN_ENTRIES = Sheet(
    "plan_entries",
    "Quy hoạch - nhân sự",
    (
        *_plan_key(),
        person_column(
            "Số định danh cá nhân của cán bộ được quy hoạch; cán bộ phải có trong sheet Cán bộ của "
            "gói hoặc đã có trong hệ thống."
        ),
        Column("unit", "Mã đơn vị", "unit", required=True,
               help="Mã đơn vị của chức danh quy hoạch; cùng Mã chức danh xác định vị trí, phải "
               "có trong sheet Vị trí hoặc trong hệ thống. Quy hoạch được tự thêm chức danh này "
               "nếu chưa có.", example="01"),
        Column("title", "Mã chức danh", "title", required=True, help="Mã chức danh của vị trí.",
               example="bi-thu-tinh"),
        Column("source", "Nguồn", "choice", choices=EntrySource,
               help="Nguồn tại chỗ (trong đơn vị) hay từ nơi khác; để trống là Nguồn tại chỗ.",
               example="Nguồn tại chỗ"),
        Column("added_on", "Ngày đưa vào", "date", required=True,
               help="Ngày đưa vào quy hoạch; không sau ngày nhập.", example="01/01/2024"),
        Column("added_decision", "Quyết định đưa vào", help="Số quyết định đưa vào quy hoạch.",
               example="123-QĐ/TW"),
        Column("added_review", "Rà soát đưa vào (ngày)", "date",
               help="Ngày của đợt rà soát đã bổ sung cán bộ này: một đợt rà soát của cùng quy "
               "hoạch, trong sheet Quy hoạch - rà soát của gói hoặc trong hệ thống; phải trùng "
               "Ngày đưa vào. Để trống nếu đưa vào trực tiếp khi quy hoạch còn là dự thảo.",
               example="15/12/2025", allowed="Ngày của một đợt rà soát của quy hoạch"),
        Column("first_time", "Quy hoạch lần đầu", "bool",
               help="Lần đầu được quy hoạch vào chức danh cấp này (cần đủ tuổi hai nhiệm kỳ); để "
               "trống là Không.", example="Không"),
        Column("removed_on", "Ngày đưa ra", "date",
               help="Ngày đưa ra khỏi quy hoạch; để trống nếu còn trong quy hoạch. Không trước "
               "Ngày đưa vào, không sau ngày nhập; ghi cùng Lý do đưa ra. Mỗi cán bộ chỉ có một "
               "dòng chưa đưa ra cho một chức danh của một quy hoạch (tính cả các dòng trong hệ "
               "thống mà gói không nhắc tới).", example="15/12/2025"),
        Column("removal_reason", "Lý do đưa ra", "choice", choices=RemovalReason,
               help="Lý do đưa ra khỏi quy hoạch; bắt buộc khi có Ngày đưa ra, để trống khi không "
               "có.", example="Bị kỷ luật"),
        Column("removal_note", "Ghi chú lý do",
               help="Ghi chú về lý do đưa ra; bắt buộc khi lý do là Lý do khác.",
               example="Nghỉ hưu trước tuổi theo nguyện vọng"),
        Column("removed_review", "Rà soát đưa ra (ngày)", "date",
               help="Ngày của đợt rà soát đã đưa cán bộ này ra (như trên); phải trùng Ngày đưa "
               "ra, và khác đợt rà soát đã bổ sung dòng này. Để trống nếu đưa ra trực tiếp hoặc "
               "còn trong quy hoạch.", example="15/12/2025",
               allowed="Ngày của một đợt rà soát của quy hoạch"),
        Column("full_name", "Họ và tên", readonly=True,
               help="Họ và tên cán bộ, hệ thống điền khi xuất để dễ đọc; bỏ qua khi nhập.",
               example="Nguyễn Văn An"),
        Column("title_name", "Tên chức danh", readonly=True,
               help="Tên chức danh, hệ thống điền khi xuất để dễ đọc; bỏ qua khi nhập.",
               example="Bí thư Tỉnh ủy"),
    ),
    help="Cán bộ trong quy hoạch: mỗi dòng một lần đưa một người vào quy hoạch một chức danh. "
    "Dòng đã đưa ra vẫn giữ (ghi Ngày đưa ra và Lý do); đưa vào lại là một dòng mới.",
    natural_key="Quy hoạch + Số định danh + Mã đơn vị + Mã chức danh + Ngày đưa vào",
    notes="(nhiều dòng cùng khóa: quy tắc thứ n như các sheet quá trình). Cán bộ nhập liệu chỉ "
    "tạo mới hoặc sửa dòng của quy hoạch thuộc phạm vi của mình; cán bộ được quy hoạch có thể "
    "thuộc đơn vị khác (nguồn từ nơi khác).",
    model=PlanEntry, depends=("plans", "plan_reviews", "people", "positions"),
)  # fmt: skip


SHEETS = (PLANS, PLAN_POSITIONS, PLAN_REVIEWS, PLAN_ENTRIES)
