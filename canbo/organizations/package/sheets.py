"""The registry's sheets of the data package: areas, titles, terms, units, positions.

The headers are part of the file format (see `canbo.exchange.sheets`).
"""

from __future__ import annotations

from canbo.exchange.sheets import Column, Sheet
from canbo.organizations.choices import (
    AreaKind,
    AreaLevel,
    ManagementLevel,
    TermBody,
    UnitKind,
    UnitLevel,
)
from canbo.organizations.models import (
    Area,
    AreaSuccession,
    Position,
    PositionTitle,
    Term,
    Unit,
    UnitSuccession,
)

AREAS = Sheet(
    "areas",
    "Địa bàn",
    (
        Column("code", "Mã địa bàn", "code", required=True,
               help="Mã duy nhất của địa bàn (khóa nhận dạng). Địa bàn trước 01/7/2025 có tiền tố "
               "`cu-`.", example="00004"),
        Column("official_code", "Mã hành chính", help="Mã hành chính nhà nước (không có tiền tố).",
               example="00004"),
        Column("name", "Tên địa bàn", required=True, help="Tên đầy đủ của địa bàn.",
               example="Phường Ba Đình"),
        Column("kind", "Loại địa bàn", "choice", required=True, choices=AreaKind,
               help="Loại địa bàn.", example="Phường"),
        Column("level", "Cấp địa bàn", "choice", required=True, choices=AreaLevel,
               help="Cấp hành chính.", example="Cấp xã"),
        Column("parent", "Mã địa bàn cấp trên", "area",
               help="Mã địa bàn cấp trên, trong gói (ở dòng nào cũng được) hoặc trong hệ thống; "
               "để trống với tỉnh, thành phố. Đổi mã này là chuyển địa bàn sang cấp trên khác.",
               example="01"),
        Column("valid_from", "Hiệu lực từ", "date", help="Ngày bắt đầu hiệu lực.",
               example="01/07/2025"),
        Column("valid_to", "Hiệu lực đến", "date",
               help="Ngày hết hiệu lực; để trống nếu còn hiệu lực.", example="30/06/2025"),
    ),
    help="Tỉnh, thành phố, xã, phường (và các địa bàn trước 01/7/2025). Thường đã được nạp "
    "bằng `canbo load-areas`; chỉ cần trong gói khi gửi sang hệ thống chưa có.",
    natural_key="Mã địa bàn",
    model=Area, admin_only=True,
)  # fmt: skip


AREA_SUCCESSIONS = Sheet(
    "area_successions",
    "Kế thừa địa bàn",
    (
        Column("predecessor", "Mã địa bàn cũ", "area", required=True,
               help="Mã địa bàn cũ (đã giải thể, sáp nhập).", example="cu-00004"),
        Column("successor", "Mã địa bàn kế thừa", "area", required=True,
               help="Mã địa bàn tiếp nhận địa bàn cũ (một địa bàn cũ có thể chia cho nhiều địa "
               "bàn mới: mỗi cặp một dòng).", example="00004"),
        Column("effective_date", "Ngày hiệu lực", "date", required=True,
               help="Ngày sáp nhập có hiệu lực.", example="01/07/2025"),
    ),
    help="Địa bàn cũ nhập vào địa bàn mới (sáp nhập); dùng để xác định người địa phương.",
    natural_key="Mã địa bàn cũ + Mã địa bàn kế thừa",
    model=AreaSuccession, depends=("areas",), admin_only=True,
)  # fmt: skip


TITLES = Sheet(
    "titles",
    "Chức danh",
    (
        Column("code", "Mã chức danh", "code", required=True,
               help="Mã duy nhất của chức danh (khóa nhận dạng).", example="bi-thu-xa"),
        Column("name", "Tên chức danh", required=True, help="Tên chức danh.",
               example="Bí thư Đảng ủy xã"),
        Column("level", "Cấp", "choice", required=True, choices=UnitLevel,
               help="Cấp của chức danh.", example="Cấp xã"),
        Column("rank", "Thứ bậc", "int",
               help="Thứ bậc; số lớn hơn là chức danh cao hơn. Để trống là 0.", example="50"),
        Column("is_key", "Chủ chốt", "bool", help="Chức danh chủ chốt.", example="Có"),
        Column("is_head", "Người đứng đầu", "bool", help="Chức danh người đứng đầu.", example="Có"),
        Column("management_level", "Diện quản lý", "choice", choices=ManagementLevel,
               help="Diện quản lý của cán bộ giữ chức danh. Để trống là “Cơ quan, đơn vị quản "
               "lý”.", example="Tỉnh ủy, thành ủy quản lý"),
    ),
    help="Danh mục chức danh.",
    natural_key="Mã chức danh",
    model=PositionTitle, admin_only=True,
)  # fmt: skip


TERMS = Sheet(
    "terms",
    "Nhiệm kỳ",
    (
        Column("body", "Loại nhiệm kỳ", "choice", required=True, choices=TermBody,
               help="Loại nhiệm kỳ; cùng Bắt đầu là khóa nhận dạng.", example="Đại hội Đảng bộ"),
        Column("name", "Tên nhiệm kỳ", required=True, help="Tên nhiệm kỳ.", example="2025–2030"),
        Column("start_date", "Bắt đầu", "date", required=True, help="Ngày bắt đầu nhiệm kỳ.",
               example="01/10/2025"),
        Column("end_date", "Kết thúc", "date", required=True,
               help="Ngày kết thúc nhiệm kỳ; phải sau ngày bắt đầu.", example="30/09/2030"),
    ),
    help="Nhiệm kỳ đại hội, HĐND, Quốc hội.",
    natural_key="Loại nhiệm kỳ + Bắt đầu",
    model=Term, admin_only=True,
)  # fmt: skip


UNITS = Sheet(
    "units",
    "Đơn vị",
    (
        Column("code", "Mã đơn vị", "code", required=True,
               help="Mã duy nhất của đơn vị (khóa nhận dạng).", example="01.UBND"),
        Column("name", "Tên đơn vị", required=True, help="Tên đầy đủ của đơn vị.",
               example="Ủy ban nhân dân thành phố Hà Nội"),
        Column("short_name", "Tên viết tắt", help="Tên viết tắt.", example="UBND TP"),
        Column("kind", "Loại đơn vị", "choice", required=True, choices=UnitKind,
               help="Loại đơn vị.", example="Ủy ban nhân dân"),
        Column("level", "Cấp", "choice", required=True, choices=UnitLevel, help="Cấp của đơn vị.",
               example="Cấp tỉnh"),
        Column("parent", "Mã đơn vị cấp trên", "unit",
               help="Mã đơn vị cấp trên, trong gói (ở dòng nào cũng được) hoặc trong hệ thống; để "
               "trống với đơn vị gốc. Đổi mã này là chuyển đơn vị (cùng các đơn vị trực thuộc) "
               "sang cấp trên khác; xóa mã này ở một đơn vị đã có là đưa đơn vị lên làm đơn vị "
               "gốc.", example="01"),
        Column("area", "Mã địa bàn", "area",
               help="Mã địa bàn đơn vị quản lý (nếu có); dùng để xác định người địa phương.",
               example="01"),
        Column("is_difficult_area", "Địa bàn khó khăn", "bool", help="Đơn vị ở địa bàn khó khăn.",
               example="Không"),
        Column("valid_from", "Hiệu lực từ", "date", help="Ngày bắt đầu hiệu lực.",
               example="01/07/2025"),
        Column("valid_to", "Hiệu lực đến", "date",
               help="Ngày hết hiệu lực; để trống nếu còn hiệu lực."),
    ),
    help="Cây đơn vị: mỗi đơn vị ghi mã đơn vị cấp trên.",
    natural_key="Mã đơn vị",
    model=Unit, depends=("areas",),
)  # fmt: skip


UNIT_SUCCESSIONS = Sheet(
    "unit_successions",
    "Kế thừa đơn vị",
    (
        Column("predecessor", "Mã đơn vị cũ", "unit", required=True,
               help="Mã đơn vị cũ (đã hợp nhất).", example="BAVI.UBND"),
        Column("successor", "Mã đơn vị kế thừa", "unit", required=True, help="Mã đơn vị tiếp nhận.",
               example="01.UBND"),
        Column("effective_date", "Ngày hiệu lực", "date", required=True,
               help="Ngày hợp nhất có hiệu lực.", example="01/07/2025"),
    ),
    help="Đơn vị cũ hợp nhất vào đơn vị mới.",
    natural_key="Mã đơn vị cũ + Mã đơn vị kế thừa",
    model=UnitSuccession, depends=("units",), admin_only=True,
)  # fmt: skip


POSITIONS = Sheet(
    "positions",
    "Vị trí",
    (
        Column("unit", "Mã đơn vị", "unit", required=True,
               help="Mã đơn vị có vị trí; cùng Mã chức danh là khóa nhận dạng.", example="01.UBND"),
        Column("title", "Mã chức danh", "title", required=True, help="Mã chức danh của vị trí.",
               example="chu-tich-ubnd-tinh"),
        Column("seats", "Số lượng", "int", help="Số người được bố trí vào vị trí; để trống là 1.",
               example="1"),
        Column("unit_name", "Tên đơn vị", readonly=True,
               help="Tên đơn vị, hệ thống điền khi xuất để dễ đọc; bỏ qua khi nhập.",
               example="Ủy ban nhân dân thành phố Hà Nội"),
        Column("title_name", "Tên chức danh", readonly=True,
               help="Tên chức danh, hệ thống điền khi xuất để dễ đọc; bỏ qua khi nhập.",
               example="Chủ tịch UBND tỉnh"),
    ),
    help="Các vị trí chức danh của từng đơn vị.",
    natural_key="Mã đơn vị + Mã chức danh",
    model=Position, depends=("units", "titles"),
)  # fmt: skip


SHEETS = (AREAS, AREA_SUCCESSIONS, TITLES, TERMS, UNITS, UNIT_SUCCESSIONS, POSITIONS)
