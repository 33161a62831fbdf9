"""Rotations' sheets of the data package: rotation plans and rotations.

The headers are part of the file format (see `canbo.exchange.sheets`).
"""

from __future__ import annotations

from canbo.exchange.sheets import Column, Sheet
from canbo.organizations.choices import TermBody
from canbo.people.package.sheets import person_column
from canbo.rotation.choices import LevelDirection, RotationKind, RotationOutcome, RotationPurpose
from canbo.rotation.models import Rotation, RotationPlan

ROTATION_KEY_TEXT = "Số định danh + Mã đơn vị đến + Mã chức danh đến + Ngày bắt đầu"
TERM_HELP = (
    "Nhiệm kỳ: năm bắt đầu – năm kết thúc (dấu gạch ngang `-` hay `–` đều được), hoặc chỉ năm "
    "bắt đầu, hoặc ngày bắt đầu dd/mm/yyyy; tìm trong sheet Nhiệm kỳ của gói hoặc trong hệ "
    "thống theo Loại nhiệm kỳ (như sheet Quy hoạch)."
)


def _derived(key: str, header: str, help: str, kind: str = "text", example: str = "Không") -> Column:
    return Column(key, header, kind, readonly=True, help=help + " Hệ thống tính từ hai đơn vị "
                  "khi ghi, điền khi xuất; bỏ qua khi nhập.", example=example)  # fmt: skip


ROTATION_PLANS = Sheet(
    "rotation_plans",
    "Kế hoạch luân chuyển",
    (
        Column("unit", "Mã đơn vị", "unit", required=True,
               help="Mã đơn vị của cấp ủy, cơ quan lập kế hoạch; cùng Loại nhiệm kỳ và Nhiệm kỳ "
               "là khóa nhận dạng (mỗi cấp một kế hoạch cho một nhiệm kỳ). Bạn phải có quyền sửa "
               "dữ liệu của đơn vị này (đơn vị ngoài phạm vi được báo như mã không có).",
               example="TU"),
        Column("term_body", "Loại nhiệm kỳ", "choice", required=True, choices=TermBody,
               help="Loại của nhiệm kỳ (như sheet Nhiệm kỳ).", example="Đại hội Đảng bộ"),
        Column("term", "Nhiệm kỳ", "term", required=True, help=TERM_HELP, example="2025–2030"),
        Column("name", "Tên kế hoạch", required=True, help="Tên kế hoạch luân chuyển.",
               example="Kế hoạch luân chuyển cán bộ nhiệm kỳ 2025–2030"),
        Column("note", "Ghi chú", "note", help="Ghi chú; xuống dòng trong ô được giữ nguyên.",
               example="Ưu tiên địa bàn biên giới."),
    ),
    help="Kế hoạch luân chuyển cán bộ của một cấp cho một nhiệm kỳ. Các luân chuyển dự kiến "
    "của kế hoạch ở sheet Luân chuyển (cột Kế hoạch).",
    natural_key="Mã đơn vị + Loại nhiệm kỳ + Nhiệm kỳ",
    notes="(trùng là lỗi). Cán bộ nhập liệu chỉ tạo mới hoặc sửa kế hoạch của đơn vị thuộc "
    "phạm vi của mình.",
    model=RotationPlan, depends=("units", "terms"),
)  # fmt: skip


ROTATIONS = Sheet(
    "rotations",
    "Luân chuyển",
    (
        person_column(
            "Số định danh cá nhân của cán bộ được luân chuyển, điều động, biệt phái, tăng cường; "
            "cán bộ phải có trong sheet Cán bộ của gói hoặc trong hệ thống, trong phạm vi được "
            "xem của bạn."
        ),
        Column("kind", "Hình thức", "choice", required=True, choices=RotationKind,
               help="Hình thức điều chuyển.", example="Luân chuyển"),
        Column("purpose", "Mục đích", "choice", required=True, choices=RotationPurpose,
               help="Mục đích của luân chuyển.", example="Đào tạo, rèn luyện cán bộ trong quy hoạch"),
        Column("from_unit", "Mã đơn vị đi", "unit",
               help="Mã đơn vị của chức danh cán bộ rời đi; cùng Mã chức danh đi xác định vị "
               "trí (sheet Vị trí hoặc trong hệ thống), thuộc cấp có thẩm quyền. Ghi cả hai hoặc "
               "bỏ trống cả hai (không rõ nơi đi): nhập gói không tự tìm chức danh đang giữ.",
               example="SNV"),
        Column("from_title", "Mã chức danh đi", "title",
               help="Mã chức danh cán bộ rời đi.", example="pho-giam-doc-so"),
        Column("to_unit", "Mã đơn vị đến", "unit", required=True,
               help="Mã đơn vị của chức danh nơi đến; cùng Mã chức danh đến xác định vị trí, phải "
               "có trong sheet Vị trí hoặc trong hệ thống, thuộc cấp có thẩm quyền (chính đơn vị "
               "đó hoặc một đơn vị cấp dưới) và khác nơi đi.", example="XA"),
        Column("to_title", "Mã chức danh đến", "title", required=True,
               help="Mã chức danh nơi đến.", example="bi-thu-xa"),
        Column("competent_unit", "Mã cấp có thẩm quyền", "unit", required=True,
               help="Mã đơn vị của cấp có thẩm quyền quyết định; bạn phải có quyền sửa dữ liệu "
               "của đơn vị này (đơn vị ngoài phạm vi được báo như mã không có).", example="TU"),
        Column("plan_unit", "Mã đơn vị của kế hoạch", "unit",
               help="Kế hoạch luân chuyển có luân chuyển này (cùng Loại nhiệm kỳ của kế hoạch và "
               "Nhiệm kỳ của kế hoạch): trong sheet Kế hoạch luân chuyển của gói hoặc trong hệ "
               "thống, của chính cấp có thẩm quyền. Để trống cả ba nếu ngoài kế hoạch.",
               example="TU"),
        Column("plan_term_body", "Loại nhiệm kỳ của kế hoạch", "choice", choices=TermBody,
               help="Loại nhiệm kỳ của kế hoạch.", example="Đại hội Đảng bộ"),
        Column("plan_term", "Nhiệm kỳ của kế hoạch", "term", help="Nhiệm kỳ của kế hoạch (như "
               "sheet Kế hoạch luân chuyển).", example="2025–2030"),
        Column("decision_number", "Số quyết định",
               help="Số quyết định của cấp có thẩm quyền; bắt buộc khi có Ngày bắt đầu.",
               example="15-QĐ/TU"),
        Column("decision_date", "Ngày quyết định", "date",
               help="Ngày quyết định; bắt buộc khi có Ngày bắt đầu, không sau ngày nhập.",
               example="20/02/2026"),
        Column("start_date", "Ngày bắt đầu", "date",
               help="Ngày bắt đầu; không trước ngày quyết định, không sau ngày nhập. Để trống với "
               "luân chuyển dự kiến (trong kế hoạch, chưa có quyết định); luân chuyển ngoài kế "
               "hoạch phải có.", example="01/03/2026"),
        Column("planned_end", "Dự kiến kết thúc", "date",
               help="Ngày dự kiến kết thúc; phải sau ngày bắt đầu.", example="01/03/2029"),
        Column("shorter_approved", "Cấp có thẩm quyền quyết định thời gian ngắn hơn", "bool",
               help="Có: luân chuyển dưới 36 tháng theo quyết định của cấp có thẩm quyền (R3). "
               "Để trống là Không.", example="Không"),
        Column("actual_end", "Ngày kết thúc", "date",
               help="Ngày kết thúc luân chuyển; để trống khi chưa kết thúc. Không trước ngày bắt "
               "đầu, không sau ngày nhập; ghi cùng Kết quả.", example="01/03/2029"),
        Column("outcome", "Kết quả sau luân chuyển", "choice", choices=RotationOutcome,
               help="Kết quả khi kết thúc; bắt buộc khi có Ngày kết thúc, để trống khi không có. "
               "Trở về cần nơi đi.", example="Bố trí, bổ nhiệm tại nơi đến"),
        Column("evaluation", "Nhận xét, đánh giá khi kết thúc", "note",
               help="Nhận xét, đánh giá khi kết thúc luân chuyển.", example="Hoàn thành tốt."),
        Column("note", "Ghi chú", "note", help="Ghi chú; xuống dòng trong ô được giữ nguyên.",
               example="Tăng cường cho xã biên giới."),
        _derived("level_direction", "Giữa các cấp", "Từ dưới lên, từ trên xuống hay cùng cấp.",
                 example=str(LevelDirection.DOWN.label)),
        _derived("across_localities", "Giữa các địa phương", "Có: nơi đi và nơi đến thuộc hai "
                 "địa bàn khác nhau."),
        _derived("across_sectors", "Giữa các ngành, lĩnh vực", "Có: giữa khối Đảng, chính "
                 "quyền, Mặt trận và đoàn thể."),
        Column("full_name", "Họ và tên", readonly=True,
               help="Họ và tên cán bộ, hệ thống điền khi xuất để dễ đọc; bỏ qua khi nhập.",
               example="Trần Văn An"),
        Column("to_title_name", "Tên chức danh đến", readonly=True,
               help="Tên chức danh nơi đến, hệ thống điền khi xuất để dễ đọc; bỏ qua khi nhập.",
               example="Bí thư Đảng ủy xã"),
    ),
    help="Luân chuyển, điều động, biệt phái, tăng cường cán bộ: mỗi dòng một lần, đã có quyết "
    "định hoặc dự kiến trong kế hoạch. Nhập gói không ghi quá trình công tác (chức danh rời đi, "
    "chức danh đến, trở về đi trong sheet Quá trình công tác như mọi dòng khác).",
    natural_key=ROTATION_KEY_TEXT,
    notes="(luân chuyển dự kiến chưa có ngày bắt đầu: Số định danh + nơi đến + Kế hoạch; trùng "
    "là lỗi). Một dòng có Ngày bắt đầu mà hệ thống chưa có luân chuyển đó nhưng có luân chuyển "
    "dự kiến cùng cán bộ, nơi đến và kế hoạch thì dòng ấy là quyết định của luân chuyển dự kiến. "
    "Cán bộ nhập liệu chỉ tạo mới hoặc sửa luân chuyển của cấp có thẩm quyền thuộc phạm vi của "
    "mình. Luân chuyển đã bắt đầu chỉ được ghi thêm phần kết thúc (ngày, kết quả, nhận xét) và "
    "ghi chú; luân chuyển đã kết thúc không sửa được nữa.",
    model=Rotation, depends=("people", "positions", "rotation_plans"),
)  # fmt: skip


SHEETS = (ROTATION_PLANS, ROTATIONS)
