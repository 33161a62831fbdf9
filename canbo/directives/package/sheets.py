"""The directives' sheets of the data package: directives, their tasks, and each unit's
assignment of a task with its completion.

The headers are part of the file format (see `canbo.exchange.sheets`).
"""

from __future__ import annotations

from canbo.directives.choices import Deliverable, DirectiveKind
from canbo.directives.models import Directive, Task, TaskAssignment
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
        Column("deadline", "Thời hạn", "date",
               help="Hạn hoàn thành; không trước Ngày bắt đầu. Thời hạn tính theo ngày làm việc "
               "được ghi thành ngày.", example="30/09/2012"),
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


SHEETS = (DIRECTIVES, TASKS, TASK_ASSIGNMENTS)
