"""The people's sheets of the data package: people and the sections of their records.

The headers are part of the file format (see `canbo.exchange.sheets`).
"""

from __future__ import annotations

from canbo.exchange.sheets import Column, Sheet
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
from canbo.people.models import (
    Assignment,
    ConfidenceVote,
    Discipline,
    Evaluation,
    Person,
    Reward,
    Training,
)


def person_column() -> Column:
    return Column(
        "person", "Số định danh cá nhân", "person", required=True,
        help="Số định danh cá nhân (12 chữ số) của cán bộ; cán bộ phải có trong sheet "
        "Cán bộ của gói hoặc đã có trong hệ thống.",
        example="001080012345",
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
    model=Person, depends=("areas", "units"), counts_people=True,
)  # fmt: skip


ASSIGNMENTS = Sheet(
    "assignments",
    "Quá trình công tác",
    (
        person_column(),
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
    model=Assignment, depends=("people", "positions"),
)  # fmt: skip


EVALUATIONS = Sheet(
    "evaluations",
    "Đánh giá",
    (
        person_column(),
        Column("year", "Năm", "int", required=True, example="2024"),
        Column("rating", "Xếp loại", "choice", required=True, choices=EvaluationRating,
               example="Hoàn thành tốt nhiệm vụ"),
        Column("score", "Điểm", "decimal", help="Thang 100 điểm.", example="85,5"),
        Column("note", "Ghi chú"),
    ),
    help="Đánh giá, xếp loại hằng năm.",
    natural_key="Số định danh + Năm",
    model=Evaluation, depends=("people",),
)  # fmt: skip


VOTES = Sheet(
    "confidence_votes",
    "Phiếu tín nhiệm",
    (
        person_column(),
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
    model=ConfidenceVote, depends=("people",),
)  # fmt: skip


DISCIPLINES = Sheet(
    "disciplines",
    "Kỷ luật",
    (
        person_column(),
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
    model=Discipline, depends=("people",),
)  # fmt: skip


REWARDS = Sheet(
    "rewards",
    "Khen thưởng",
    (
        person_column(),
        Column("year", "Năm", "int", required=True, example="2022"),
        Column("form", "Hình thức khen thưởng", required=True, example="Bằng khen"),
        Column("authority", "Cơ quan quyết định"),
        Column("decision_number", "Số quyết định"),
    ),
    natural_key="Số định danh + Năm + Hình thức",
    model=Reward, depends=("people",),
)  # fmt: skip


TRAININGS = Sheet(
    "trainings",
    "Đào tạo",
    (
        person_column(),
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
    model=Training, depends=("people",),
)  # fmt: skip


SECTION_SHEETS = (ASSIGNMENTS, EVALUATIONS, VOTES, DISCIPLINES, REWARDS, TRAININGS)
SHEETS = (PEOPLE, *SECTION_SHEETS)
