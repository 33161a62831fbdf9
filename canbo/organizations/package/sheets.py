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
               help="Mã duy nhất; địa bàn trước 01/7/2025 có tiền tố “cu-”.", example="00004"),
        Column("official_code", "Mã hành chính", help="Mã hành chính nhà nước.", example="00004"),
        Column("name", "Tên địa bàn", required=True, example="Phường Ba Đình"),
        Column("kind", "Loại địa bàn", "choice", required=True, choices=AreaKind, example="Phường"),
        Column("level", "Cấp địa bàn", "choice", required=True, choices=AreaLevel,
               example="Cấp xã"),
        Column("parent", "Mã địa bàn cấp trên", "area",
               help="Để trống với tỉnh, thành phố.", example="01"),
        Column("valid_from", "Hiệu lực từ", "date", example="01/07/2025"),
        Column("valid_to", "Hiệu lực đến", "date", help="Để trống nếu còn hiệu lực."),
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
        Column("predecessor", "Mã địa bàn cũ", "area", required=True, example="cu-00004"),
        Column("successor", "Mã địa bàn kế thừa", "area", required=True, example="00004"),
        Column("effective_date", "Ngày hiệu lực", "date", required=True, example="01/07/2025"),
    ),
    help="Địa bàn cũ nhập vào địa bàn mới (sáp nhập); dùng để xác định người địa phương.",
    natural_key="Mã địa bàn cũ + Mã địa bàn kế thừa",
    model=AreaSuccession, depends=("areas",), admin_only=True,
)  # fmt: skip


TITLES = Sheet(
    "titles",
    "Chức danh",
    (
        Column("code", "Mã chức danh", "code", required=True, example="bi-thu-xa"),
        Column("name", "Tên chức danh", required=True, example="Bí thư Đảng ủy xã"),
        Column("level", "Cấp", "choice", required=True, choices=UnitLevel, example="Cấp xã"),
        Column("rank", "Thứ bậc", "int", help="Số lớn hơn là chức danh cao hơn.", example="50"),
        Column("is_key", "Chủ chốt", "bool", help="Có / Không.", example="Có"),
        Column("is_head", "Người đứng đầu", "bool", help="Có / Không.", example="Có"),
        Column("management_level", "Diện quản lý", "choice", choices=ManagementLevel,
               example="Tỉnh ủy, thành ủy quản lý"),
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
               example="Đại hội Đảng bộ"),
        Column("name", "Tên nhiệm kỳ", required=True, example="2025–2030"),
        Column("start_date", "Bắt đầu", "date", required=True, example="01/10/2025"),
        Column("end_date", "Kết thúc", "date", required=True, example="30/09/2030"),
    ),
    help="Nhiệm kỳ đại hội, HĐND, Quốc hội.",
    natural_key="Loại nhiệm kỳ + Bắt đầu",
    model=Term, admin_only=True,
)  # fmt: skip


UNITS = Sheet(
    "units",
    "Đơn vị",
    (
        Column("code", "Mã đơn vị", "code", required=True, example="01.UBND"),
        Column("name", "Tên đơn vị", required=True, example="Ủy ban nhân dân thành phố Hà Nội"),
        Column("short_name", "Tên viết tắt", example="UBND TP"),
        Column("kind", "Loại đơn vị", "choice", required=True, choices=UnitKind,
               example="Ủy ban nhân dân"),
        Column("level", "Cấp", "choice", required=True, choices=UnitLevel, example="Cấp tỉnh"),
        Column("parent", "Mã đơn vị cấp trên", "unit",
               help="Để trống với đơn vị gốc; đơn vị cấp trên có thể nằm ở dòng sau.",
               example="01"),
        Column("area", "Mã địa bàn", "area", help="Địa bàn đơn vị quản lý (nếu có).",
               example="01"),
        Column("is_difficult_area", "Địa bàn khó khăn", "bool", example="Không"),
        Column("valid_from", "Hiệu lực từ", "date", example="01/07/2025"),
        Column("valid_to", "Hiệu lực đến", "date"),
    ),
    help="Cây đơn vị: mỗi đơn vị ghi mã đơn vị cấp trên.",
    natural_key="Mã đơn vị",
    model=Unit, depends=("areas",),
)  # fmt: skip


UNIT_SUCCESSIONS = Sheet(
    "unit_successions",
    "Kế thừa đơn vị",
    (
        Column("predecessor", "Mã đơn vị cũ", "unit", required=True),
        Column("successor", "Mã đơn vị kế thừa", "unit", required=True),
        Column("effective_date", "Ngày hiệu lực", "date", required=True, example="01/07/2025"),
    ),
    help="Đơn vị cũ hợp nhất vào đơn vị mới.",
    natural_key="Mã đơn vị cũ + Mã đơn vị kế thừa",
    model=UnitSuccession, depends=("units",), admin_only=True,
)  # fmt: skip


POSITIONS = Sheet(
    "positions",
    "Vị trí",
    (
        Column("unit", "Mã đơn vị", "unit", required=True, example="01.UBND"),
        Column("title", "Mã chức danh", "title", required=True, example="chu-tich-ubnd-tinh"),
        Column("seats", "Số lượng", "int", help="Số người được bố trí (mặc định 1).",
               example="1"),
        Column("unit_name", "Tên đơn vị", readonly=True),
        Column("title_name", "Tên chức danh", readonly=True),
    ),
    help="Các vị trí chức danh của từng đơn vị.",
    natural_key="Mã đơn vị + Mã chức danh",
    model=Position, depends=("units", "titles"),
)  # fmt: skip


SHEETS = (AREAS, AREA_SUCCESSIONS, TITLES, TERMS, UNITS, UNIT_SUCCESSIONS, POSITIONS)
