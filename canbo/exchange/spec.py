"""The data package format: its sheets, their columns and Vietnamese headers.

The headers are part of the file format, like the column names of a table:
they do not change with the interface language, so they are plain strings
here rather than translatable messages. `docs/data-package.md` documents
every sheet and column; tests check that the document and this module agree.

Column kinds (how a cell is read, see `cells.py`):
  text, note (text of several lines, kept as written), code, id_number,
  partial_date (date + precision), date, int, decimal, bool, choice (a Django choices class), ethnicity, and references to other
  records by natural key: area, unit, title, person, and term (a term of the
  body named in the same row: "2030–2035", a start year, or its start date).
"""

from __future__ import annotations

from dataclasses import dataclass

from canbo.organizations.choices import (
    AreaKind,
    AreaLevel,
    ManagementLevel,
    TermBody,
    UnitKind,
    UnitLevel,
)
from canbo.people.choices import (
    AssignmentHow,
    Degree,
    DisciplineException,
    DisciplineForm,
    EvaluationRating,
    PoliticalTheory,
    Religion,
    Sex,
    StateManagement,
    TrainingKind,
)
from canbo.planning.choices import EntrySource, PlanStatus, RemovalReason

FORMAT_NAME = "canbo-data-package"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str = "text"
    required: bool = False
    readonly: bool = False
    choices: type | None = None
    # The model field whose validators apply (defaults to `key`).
    field: str | None = None
    help: str = ""
    example: str = ""

    @property
    def model_field(self) -> str:
        return self.field or self.key


@dataclass(frozen=True)
class Sheet:
    key: str
    title: str
    columns: tuple[Column, ...]
    help: str = ""
    natural_key: str = ""
    required_sheet: bool = False

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    @property
    def writable(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if not c.readonly)


def _person() -> Column:
    return Column(
        "person", "Số định danh cá nhân", "person", required=True,
        help="Số định danh cá nhân (12 chữ số) của cán bộ; cán bộ phải có trong sheet "
        "Cán bộ của gói hoặc đã có trong hệ thống.",
        example="001080012345",
    )  # fmt: skip


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
)  # fmt: skip

PEOPLE = Sheet(
    "people",
    "Cán bộ",
    (
        Column("id_number", "Số định danh cá nhân", "id_number", required=True,
               help="12 chữ số; nhập dưới dạng văn bản để giữ số 0 ở đầu.",
               example="001080012345"),
        Column("family_name", "Họ", required=True, example="Nguyễn"),
        Column("middle_name", "Tên đệm", example="Văn"),
        Column("given_name", "Tên", required=True, example="An"),
        Column("sex", "Giới tính", "choice", required=True, choices=Sex, example="Nam"),
        Column("birth_date", "Ngày sinh", "partial_date", required=True,
               help="dd/mm/yyyy, mm/yyyy hoặc yyyy.", example="05/03/1980"),
        Column("ethnicity", "Dân tộc", "ethnicity", example="Kinh"),
        Column("religion", "Tôn giáo", "choice", choices=Religion, example="Không"),
        Column("hometown", "Mã quê quán", "area", help="Mã địa bàn quê quán.",
               example="cu-00004"),
        Column("birthplace", "Mã nơi sinh", "area", help="Mã địa bàn nơi sinh."),
        Column("unit", "Mã đơn vị", "unit", help="Đơn vị quản lý hồ sơ.", example="01.UBND"),
        Column("party_joined_date", "Ngày vào Đảng", "date", example="19/05/2005"),
        Column("party_official_date", "Ngày chính thức", "date", example="19/05/2006"),
        Column("professional_degree", "Trình độ chuyên môn", "choice", choices=Degree,
               example="Thạc sĩ"),
        Column("professional_major", "Chuyên ngành", example="Luật"),
        Column("political_theory", "Lý luận chính trị", "choice", choices=PoliticalTheory,
               example="Cao cấp"),
        Column("state_management", "Quản lý nhà nước", "choice", choices=StateManagement,
               example="Chuyên viên chính"),
        Column("foreign_language", "Ngoại ngữ", example="Tiếng Anh B1"),
        Column("it_level", "Tin học", example="Cơ bản"),
        Column("retirement_age_override_months", "Tuổi nghỉ hưu riêng (tháng)", "int",
               help="Chỉ điền khi có quyết định riêng, ví dụ 720 = 60 tuổi."),
        Column("full_name", "Họ và tên", readonly=True),
        Column("age", "Tuổi", readonly=True),
        Column("retirement_date", "Ngày nghỉ hưu", readonly=True),
        Column("is_local", "Người địa phương", readonly=True),
    ),
    help="Mỗi dòng một cán bộ. Các cột Họ và tên, Tuổi, Ngày nghỉ hưu, Người địa phương "
    "do hệ thống tính, chỉ có khi xuất và được bỏ qua khi nhập.",
    natural_key="Số định danh cá nhân",
)  # fmt: skip

ASSIGNMENTS = Sheet(
    "assignments",
    "Quá trình công tác",
    (
        _person(),
        Column("start_date", "Từ ngày", "partial_date", required=True, example="06/2020"),
        Column("end_date", "Đến ngày", "partial_date", help="Để trống nếu đang đảm nhiệm."),
        Column("unit", "Mã đơn vị", "unit", help="Cùng Mã chức danh, xác định vị trí."),
        Column("title", "Mã chức danh", "title"),
        Column("unit_name", "Tên đơn vị (tại thời điểm)",
               help="Để trống thì lấy theo vị trí.", example="UBND huyện Ba Vì"),
        Column("title_name", "Chức vụ (tại thời điểm)",
               help="Để trống thì lấy theo vị trí.", example="Phó Chủ tịch"),
        Column("is_concurrent", "Kiêm nhiệm", "bool", example="Không"),
        Column("how", "Hình thức", "choice", choices=AssignmentHow, example="Bổ nhiệm"),
        Column("decision_number", "Số quyết định", example="125/QĐ-UBND"),
        Column("note", "Ghi chú"),
    ),
    help="Quá trình công tác. Một dòng được nhận ra bằng cán bộ, Từ ngày, tên đơn vị và chức vụ.",
    natural_key="Số định danh + Từ ngày + Tên đơn vị + Chức vụ",
)  # fmt: skip

EVALUATIONS = Sheet(
    "evaluations",
    "Đánh giá",
    (
        _person(),
        Column("year", "Năm", "int", required=True, example="2024"),
        Column("rating", "Xếp loại", "choice", required=True, choices=EvaluationRating,
               example="Hoàn thành tốt nhiệm vụ"),
        Column("score", "Điểm", "decimal", help="Thang 100 điểm.", example="85,5"),
        Column("note", "Ghi chú"),
    ),
    help="Đánh giá, xếp loại hằng năm.",
    natural_key="Số định danh + Năm",
)  # fmt: skip

VOTES = Sheet(
    "confidence_votes",
    "Phiếu tín nhiệm",
    (
        _person(),
        Column("year", "Năm", "int", required=True, example="2023"),
        Column("body", "Hội nghị lấy phiếu", required=True, example="Hội đồng nhân dân tỉnh"),
        Column("high", "Tín nhiệm cao", "int", example="60"),
        Column("normal", "Tín nhiệm", "int", example="12"),
        Column("low", "Tín nhiệm thấp", "int", example="3"),
        Column("base", "Cơ sở tính tỷ lệ", "int", required=True,
               help="Số người được triệu tập hoặc số phiếu thu về.", example="75"),
        Column("low_share", "Tỷ lệ tín nhiệm thấp", readonly=True),
    ),
    help="Kết quả lấy phiếu tín nhiệm (chỉ lưu số phiếu, không lưu ai bỏ phiếu thế nào).",
    natural_key="Số định danh + Năm + Hội nghị lấy phiếu",
)  # fmt: skip

DISCIPLINES = Sheet(
    "disciplines",
    "Kỷ luật",
    (
        _person(),
        Column("form", "Hình thức kỷ luật", "choice", required=True, choices=DisciplineForm,
               example="Khiển trách"),
        Column("effective_date", "Ngày hiệu lực", "date", required=True, example="15/03/2022"),
        Column("end_date", "Ngày hết hiệu lực", "date"),
        Column("authority", "Cơ quan quyết định"),
        Column("decision_number", "Số quyết định"),
        Column("reason", "Lý do"),
        Column("planning_exception", "Ngoại lệ theo QĐ 377", "choice",
               choices=DisciplineException,
               help="Trường hợp QĐ 377-QĐ/TW cho phép không tính kỷ luật này khi rà soát "
               "quy hoạch; để trống nếu không thuộc trường hợp nào.",
               example="Khiển trách, cảnh cáo đã hết thời hạn"),
    ),
    natural_key="Số định danh + Hình thức + Ngày hiệu lực",
)  # fmt: skip

REWARDS = Sheet(
    "rewards",
    "Khen thưởng",
    (
        _person(),
        Column("year", "Năm", "int", required=True, example="2022"),
        Column("form", "Hình thức khen thưởng", required=True, example="Bằng khen"),
        Column("authority", "Cơ quan quyết định"),
        Column("decision_number", "Số quyết định"),
    ),
    natural_key="Số định danh + Năm + Hình thức",
)  # fmt: skip

TRAININGS = Sheet(
    "trainings",
    "Đào tạo",
    (
        _person(),
        Column("kind", "Loại", "choice", required=True, choices=TrainingKind,
               example="Lý luận chính trị"),
        Column("program", "Nội dung, chương trình", required=True,
               example="Cao cấp lý luận chính trị"),
        Column("institution", "Cơ sở đào tạo"),
        Column("start_date", "Từ ngày", "date"),
        Column("end_date", "Đến ngày", "date"),
        Column("qualification", "Văn bằng, chứng chỉ"),
    ),
    help="Đào tạo, bồi dưỡng.",
    natural_key="Số định danh + Loại + Nội dung + Từ ngày",
)  # fmt: skip


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
)  # fmt: skip

PLAN_ENTRIES = Sheet(
    "plan_entries",
    "Quy hoạch - nhân sự",
    (
        *_plan_key(),
        _person(),
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
)  # fmt: skip

META_TITLE = "Thông tin gói"


def continuation_title(title: str, part: int) -> str:
    """The name of the part-th worksheet of a sheet too long for one: "Đánh giá (2)"."""
    return title if part == 1 else f"{title} ({part})"

GUIDE_TITLE = "Hướng dẫn"
CATALOG_TITLE = "Danh mục"

# In dependency order: a sheet only refers to sheets above it.
SHEETS: tuple[Sheet, ...] = (
    AREAS,
    AREA_SUCCESSIONS,
    TITLES,
    TERMS,
    UNITS,
    UNIT_SUCCESSIONS,
    POSITIONS,
    PEOPLE,
    ASSIGNMENTS,
    EVALUATIONS,
    VOTES,
    DISCIPLINES,
    REWARDS,
    TRAININGS,
    PLANS,
    PLAN_POSITIONS,
    PLAN_REVIEWS,
    PLAN_ENTRIES,
)
SHEET_BY_KEY = {s.key: s for s in SHEETS}
SECTION_SHEETS = (ASSIGNMENTS, EVALUATIONS, VOTES, DISCIPLINES, REWARDS, TRAININGS)
