"""The directives' sheets of the data package: directives, their tasks, and each unit's
assignment of a task with its completion.

The headers are part of the file format (see `canbo.exchange.sheets`).
"""

from __future__ import annotations

from canbo.directives.calendar import MAX_WORKING_DAYS
from canbo.directives.choices import Deliverable, DirectiveKind
from canbo.directives.models import (
    Directive,
    HearingInvitation,
    HearingSlot,
    MonitoringGroup,
    Task,
    TaskAssignment,
)
from canbo.exchange.sheets import Column, Sheet

# The kind of the "Mã đơn vị phối hợp" cell: several unit codes in one cell.
UNIT_CODES = "unit_codes"
CODES_SEPARATOR = "; "


def _directive_key(what: str) -> tuple[Column, ...]:
    """The two columns that name a stored directive: its number and its issuing unit."""
    return (
        Column("directive_number", "Số văn bản", required=True,
               help=f"Số, ký hiệu của văn bản chỉ đạo {what}; cùng Mã cơ quan ban hành xác định "
               "văn bản, có trong sheet Văn bản chỉ đạo của gói hoặc trong hệ thống.",
               example="10-KH/TW"),
        Column("directive_unit", "Mã cơ quan ban hành", "unit", required=True,
               help="Mã đơn vị của cơ quan ban hành văn bản.", example="TW"),
    )  # fmt: skip


DIRECTIVES = Sheet(
    "directives",
    "Văn bản chỉ đạo",
    (
        Column("number", "Số văn bản", required=True,
               help="Số, ký hiệu của văn bản; cùng Mã cơ quan ban hành là khóa nhận dạng (mỗi "
               "cơ quan một văn bản một số).", example="10-KH/TW"),
        Column("kind", "Loại văn bản", "choice", required=True, choices=DirectiveKind,
               help="Loại văn bản.", example="Kế hoạch"),
        Column("issued_on", "Ngày ban hành", "date", required=True,
               help="Ngày ban hành văn bản. Đơn vị không thể hoàn thành nhiệm vụ trước ngày này.",
               example="01/06/2012"),
        Column("issuing_unit", "Mã cơ quan ban hành", "unit", required=True,
               help="Mã đơn vị của cơ quan ban hành văn bản.", example="TW"),
        Column("title", "Trích yếu", required=True, help="Trích yếu nội dung văn bản.",
               example="Kế hoạch kiểm điểm tự phê bình và phê bình"),
        Column("summary", "Tóm tắt", "note",
               help="Tóm tắt nội dung; xuống dòng trong ô được giữ nguyên.",
               example="Kiểm điểm ở cấp mình và chỉ đạo cấp dưới."),
        Column("implements_number", "Thực hiện văn bản số", field="number",
               help="Số của văn bản cấp trên mà văn bản này thực hiện (kế hoạch của tỉnh thực "
               "hiện kế hoạch của Trung ương); ghi cùng Mã cơ quan ban hành văn bản được thực "
               "hiện, hoặc bỏ trống cả hai. Văn bản đó có trong sheet này hoặc trong hệ thống.",
               example="10-KH/TW"),
        Column("implements_unit", "Mã cơ quan ban hành văn bản được thực hiện", "unit",
               help="Mã đơn vị của cơ quan ban hành văn bản được thực hiện.", example="TW"),
    ),
    help="Nghị quyết, chỉ thị, kết luận, kế hoạch, hướng dẫn, công văn của một cấp, và văn "
    "bản cấp trên mà nó thực hiện. Tệp đính kèm không có trong gói.",
    natural_key="Mã cơ quan ban hành + Số văn bản",
    notes="Cán bộ nhập liệu chỉ tạo mới hoặc sửa văn bản của cơ quan ban hành thuộc phạm vi "
    "của mình.",
    model=Directive, depends=("units",),
)  # fmt: skip


TASKS = Sheet(
    "tasks",
    "Nhiệm vụ",
    (
        *_directive_key("chứa nhiệm vụ"),
        Column("order", "Thứ tự", "int", required=True,
               help="Số thứ tự của nhiệm vụ trong văn bản; cùng văn bản là khóa nhận dạng (mỗi "
               "nhiệm vụ của một văn bản một số thứ tự).", example="2"),
        Column("parent_order", "Thuộc mục (thứ tự)", "int",
               help="Thứ tự của mục (nhiệm vụ cấp trên) cùng văn bản chứa nhiệm vụ này; bỏ "
               "trống nếu nhiệm vụ không thuộc mục nào.", example="1"),
        Column("content", "Nội dung", "note", required=True,
               help="Nội dung nhiệm vụ; xuống dòng trong ô được giữ nguyên.",
               example="Cấp ủy cấp huyện tổ chức kiểm điểm"),
        Column("lead_unit", "Mã đơn vị chủ trì", "unit",
               help="Đơn vị chủ trì. Nhiệm vụ mới có đơn vị chủ trì được giao cho đơn vị đó (như "
               "khi tạo trên giao diện) nếu sheet Giao nhiệm vụ không có dòng đó.",
               example="V2"),
        Column("coordinating_units", "Mã đơn vị phối hợp", UNIT_CODES,
               help="Các đơn vị phối hợp, mã cách nhau bởi dấu chấm phẩy; bỏ trống nếu không có. "
               "Nhập thay toàn bộ danh sách đơn vị phối hợp của nhiệm vụ.",
               example="T01; T02"),
        Column("leader", "Số định danh lãnh đạo phụ trách", "person",
               help="Số định danh cá nhân của lãnh đạo phụ trách; cán bộ có trong sheet Cán bộ "
               "của gói hoặc trong hệ thống (trong phạm vi được xem).",
               example="001080012345"),
        Column("deliverable", "Sản phẩm", "choice", choices=Deliverable,
               help="Sản phẩm của nhiệm vụ; để trống là Báo cáo.", example="Báo cáo"),
        Column("start_on", "Ngày bắt đầu", "date", help="Ngày bắt đầu thực hiện.",
               example="01/07/2012"),
        Column("working_days", "Số ngày làm việc", "int",
               help="Thời hạn tính theo ngày làm việc: thời hạn là ngày làm việc thứ N sau Ngày "
               "bắt đầu (trừ thứ Bảy, Chủ nhật, ngày lễ, Tết và ngày nghỉ do quản trị viên "
               "thêm); cần Ngày bắt đầu. Bỏ trống nếu thời hạn là một ngày cố định.",
               allowed=f"1–{MAX_WORKING_DAYS}", example="5"),
        Column("deadline", "Thời hạn", "date",
               help="Hạn hoàn thành; không trước Ngày bắt đầu. Khi có Số ngày làm việc, hệ thống "
               "tính thời hạn (có thể bỏ trống ô này); nếu ghi, phải đúng ngày hệ thống tính.",
               example="30/09/2012"),
        Column("cancelled_on", "Ngày hủy", "date",
               help="Ngày hủy nhiệm vụ; ghi cùng Lý do hủy. Bỏ trống nếu không hủy.",
               example="01/10/2012"),
        Column("cancel_reason", "Lý do hủy", "note", help="Lý do hủy; bắt buộc khi có Ngày hủy.",
               example="Gộp vào nhiệm vụ 2"),
    ),
    help="Các nhiệm vụ của một văn bản (một mục chứa các nhiệm vụ của nó). Trạng thái không "
    "ghi trong gói: hệ thống tính từ các ngày.",
    natural_key="Văn bản (Số văn bản + Mã cơ quan ban hành) + Thứ tự",
    notes="Cán bộ nhập liệu chỉ tạo mới hoặc sửa nhiệm vụ của văn bản do cơ quan thuộc phạm vi "
    "của mình ban hành.",
    model=Task, depends=("directives", "units", "people"),
)  # fmt: skip


TASK_ASSIGNMENTS = Sheet(
    "task_assignments",
    "Giao nhiệm vụ",
    (
        *_directive_key("của nhiệm vụ"),
        Column("task_order", "Thứ tự nhiệm vụ", "int", required=True,
               help="Thứ tự của nhiệm vụ trong văn bản (như sheet Nhiệm vụ).", example="2"),
        Column("unit", "Mã đơn vị thực hiện", "unit", required=True,
               help="Đơn vị được giao nhiệm vụ; cùng nhiệm vụ là khóa nhận dạng.",
               example="T01-H00"),
        Column("completed_on", "Ngày hoàn thành", "date",
               help="Ngày đơn vị hoàn thành nhiệm vụ; bỏ trống nếu chưa hoàn thành. Không trước "
               "ngày ban hành văn bản, không sau ngày nhập.", example="25/09/2012"),
        Column("note", "Ghi chú", "note", help="Ghi chú của đơn vị về việc thực hiện.",
               example="Đã tổ chức hội nghị kiểm điểm."),
        Column("evidence", "Văn bản, kết quả",
               help="Văn bản, kết quả chứng minh việc hoàn thành (số báo cáo…).",
               example="Báo cáo số 45-BC/HU"),
        Column("unit_name", "Tên đơn vị", readonly=True,
               help="Tên đơn vị thực hiện, hệ thống điền khi xuất để dễ đọc; bỏ qua khi nhập.",
               example="Huyện ủy Krông Pắc"),
    ),
    help="Nhiệm vụ giao cho từng đơn vị và việc hoàn thành của đơn vị (một dòng một đơn vị). "
    "Cấp dưới xuất sheet này để gửi kết quả lên; cấp trên nhập vào (nhập lại cùng gói không "
    "thay đổi gì).",
    natural_key="Nhiệm vụ (văn bản + Thứ tự nhiệm vụ) + Mã đơn vị thực hiện",
    notes="Cán bộ nhập liệu chỉ tạo mới hoặc sửa dòng của đơn vị thực hiện thuộc phạm vi của "
    "mình.",
    model=TaskAssignment, depends=("tasks", "units"),
)  # fmt: skip


HEARING_SLOTS = Sheet(
    "hearing_slots",
    "Lịch làm việc",
    (
        *_directive_key("có lịch làm việc trực tiếp"),
        Column("day", "Ngày", "date", required=True,
               help="Ngày của buổi làm việc; không trước ngày ban hành văn bản.",
               example="15/07/2012"),
        Column("session", "Buổi", "choice", required=True, choices=HearingSlot.Session,
               help="Buổi sáng hay chiều; cùng văn bản và Ngày là khóa nhận dạng.",
               example="Sáng"),
        Column("place", "Địa điểm", help="Nơi làm việc.", example="Hội trường Tỉnh ủy"),
    ),
    help="Các buổi trong lịch làm việc trực tiếp của một văn bản (mỗi buổi một đơn vị được "
    "mời đăng ký). Nhập không xóa buổi nào.",
    natural_key="Văn bản (Số văn bản + Mã cơ quan ban hành) + Ngày + Buổi",
    notes="Cán bộ nhập liệu chỉ thêm hoặc sửa buổi làm việc của văn bản do cơ quan thuộc phạm vi "
    "của mình ban hành.",
    model=HearingSlot, depends=("directives", "units"),
)  # fmt: skip


HEARING_INVITATIONS = Sheet(
    "hearing_invitations",
    "Làm việc trực tiếp",
    (
        *_directive_key("có lịch làm việc trực tiếp"),
        Column("unit", "Mã đơn vị được làm việc", "unit", required=True,
               help="Đơn vị được chọn làm việc trực tiếp; cùng văn bản là khóa nhận dạng.",
               example="T01-H00"),
        Column("slot_day", "Ngày đăng ký", "date",
               help="Ngày của buổi đơn vị đã đăng ký; ghi cùng Buổi đăng ký, hoặc bỏ trống cả "
               "hai nếu chưa đăng ký. Buổi đó có trong sheet Lịch làm việc của gói hoặc trong "
               "hệ thống; mỗi buổi chỉ một đơn vị.", example="15/07/2012"),
        Column("slot_session", "Buổi đăng ký", "choice", choices=HearingSlot.Session,
               help="Buổi sáng hay chiều của buổi đã đăng ký.",
               example="Sáng"),
        Column("unit_name", "Tên đơn vị", readonly=True,
               help="Tên đơn vị, hệ thống điền khi xuất để dễ đọc; bỏ qua khi nhập.",
               example="Huyện ủy Krông Pắc"),
    ),
    help="Các đơn vị được chọn làm việc trực tiếp về một văn bản và buổi mỗi đơn vị đã đăng "
    "ký. Nhập không xóa đơn vị nào; ô đăng ký để trống là trả lại buổi đã đăng ký.",
    natural_key="Văn bản (Số văn bản + Mã cơ quan ban hành) + Mã đơn vị được làm việc",
    notes="Cán bộ nhập liệu chỉ thêm đơn vị được mời vào văn bản do cơ quan thuộc phạm vi của "
    "mình ban hành, và chỉ đăng ký hoặc đổi buổi cho đơn vị thuộc phạm vi của mình (như khi đăng "
    "ký trên trang văn bản).",
    model=HearingInvitation, depends=("hearing_slots", "units"),
)  # fmt: skip


MONITORING_GROUPS = Sheet(
    "monitoring_groups",
    "Nhóm theo dõi",
    (
        Column("name", "Tên nhóm", required=True,
               help="Tên nhóm đơn vị theo dõi; là khóa nhận dạng (mỗi tên một nhóm).",
               example="Các tỉnh Tây Nguyên"),
        Column("owner", "Mã đơn vị theo dõi", "unit", required=True,
               help="Đơn vị theo dõi nhóm: người xem được đơn vị này xem được các đơn vị của "
               "nhóm (và cấp dưới của chúng).", example="V2"),
        Column("units", "Mã các đơn vị", UNIT_CODES, required=True,
               help="Các đơn vị của nhóm, mã cách nhau bởi dấu chấm phẩy. Nhập thay toàn bộ danh "
               "sách đơn vị của nhóm.", example="T01; T02; T03"),
        Column("note", "Ghi chú", "note", help="Ghi chú về nhóm.",
               example="Theo dõi chung Cục II"),
    ),
    help="Nhóm đơn vị không cùng một cây mà một đơn vị theo dõi (các tỉnh của một cục). Nhập "
    "không xóa nhóm nào.",
    natural_key="Tên nhóm",
    notes="Chỉ quản trị viên được thêm hoặc sửa nhóm (nhóm cho người xem đơn vị theo dõi thấy "
    "các đơn vị của nhóm); dòng không đổi thì ai nhập cũng được.",
    model=MonitoringGroup, depends=("units",),
)  # fmt: skip


SHEETS = (DIRECTIVES, TASKS, TASK_ASSIGNMENTS, HEARING_SLOTS, HEARING_INVITATIONS,
          MONITORING_GROUPS)  # fmt: skip
