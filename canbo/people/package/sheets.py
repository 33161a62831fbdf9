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

PERSON_HELP = ("Số định danh cá nhân của cán bộ; cán bộ phải có trong sheet Cán bộ của gói "
               "hoặc đã có trong hệ thống.")  # fmt: skip
# The sheets after the first one that names a person say so briefly.
PERSON_AS_ABOVE = "Số định danh cá nhân của cán bộ (như trên)."


def person_column(help: str = PERSON_HELP) -> Column:
    """The column naming the person a row is about (the Cán bộ sheet or the database)."""
    return Column(
        "person", "Số định danh cá nhân", "person", required=True, help=help,
        example="001080012345",
    )  # fmt: skip


PEOPLE = Sheet(
    "people",
    "Cán bộ",
    (
        Column("id_number", "Số định danh cá nhân", "id_number", required=True,
               help="Số định danh cá nhân (số căn cước), khóa nhận dạng cán bộ. Định dạng ô là "
               "Văn bản (Text) để giữ số 0 ở đầu.", example="001080012345"),
        Column("family_name", "Họ", required=True,
               help="Họ. Hệ thống viết hoa chữ cái đầu mỗi tiếng.", example="Nguyễn"),
        Column("middle_name", "Tên đệm", help="Tên đệm.", example="Văn"),
        Column("given_name", "Tên", required=True, help="Tên.", example="An"),
        Column("sex", "Giới tính", "choice", required=True, choices=Sex, help="Giới tính.",
               example="Nam"),
        Column("birth_date", "Ngày sinh", "partial_date", required=True,
               help="Ngày sinh; nếu chỉ biết tháng và năm ghi mm/yyyy, chỉ biết năm ghi yyyy. Từ "
               "năm 1900 đến hôm nay.", example="05/03/1980"),
        Column("ethnicity", "Dân tộc", "ethnicity", help="Dân tộc, ghi tên như trong danh mục.",
               example="Kinh"),
        Column("religion", "Tôn giáo", "choice", choices=Religion, help="Tôn giáo.",
               example="Không"),
        Column("hometown", "Mã quê quán", "area",
               help="Mã địa bàn quê quán (thường là địa bàn trước 01/7/2025, tiền tố `cu-`); dùng "
               "để xác định người địa phương.", example="cu-00004"),
        Column("birthplace", "Mã nơi sinh", "area", help="Mã địa bàn nơi sinh.",
               example="cu-00004"),
        Column("unit", "Mã đơn vị", "unit",
               help="Mã đơn vị quản lý hồ sơ; quyết định ai được xem và sửa hồ sơ. Cán bộ nhập "
               "liệu phải ghi một đơn vị trong phạm vi của mình.", example="01.UBND"),
        Column("party_joined_date", "Ngày vào Đảng", "date",
               help="Ngày vào Đảng; không trước ngày sinh.", example="19/05/2005"),
        Column("party_official_date", "Ngày chính thức", "date",
               help="Ngày vào Đảng chính thức; không trước ngày vào Đảng.", example="19/05/2006"),
        Column("professional_degree", "Trình độ chuyên môn", "choice", choices=Degree,
               help="Trình độ chuyên môn cao nhất.", example="Thạc sĩ"),
        Column("professional_major", "Chuyên ngành", help="Chuyên ngành đào tạo.", example="Luật"),
        Column("political_theory", "Lý luận chính trị", "choice", choices=PoliticalTheory,
               help="Trình độ lý luận chính trị.", example="Cao cấp"),
        Column("state_management", "Quản lý nhà nước", "choice", choices=StateManagement,
               help="Trình độ quản lý nhà nước.", example="Chuyên viên chính"),
        Column("foreign_language", "Ngoại ngữ", help="Ngoại ngữ (ghi tự do).",
               example="Tiếng Anh B1"),
        Column("it_level", "Tin học", help="Trình độ tin học (ghi tự do).", example="Cơ bản"),
        Column("retirement_age_override_months", "Tuổi nghỉ hưu riêng (tháng)", "int",
               help="Tuổi nghỉ hưu theo quyết định riêng, tính bằng tháng (720 = 60 tuổi); để "
               "trống thì tính theo Nghị định 135/2020/NĐ-CP.", example="720",
               allowed="600–900 (50–75 tuổi)"),
        Column("full_name", "Họ và tên", readonly=True,
               help="Họ, tên đệm và tên ghép lại; hệ thống tính, bỏ qua khi nhập.",
               example="Nguyễn Văn An"),
        Column("age", "Tuổi", readonly=True,
               help="Tuổi tròn tại ngày xuất; hệ thống tính, bỏ qua khi nhập.", example="45"),
        Column("retirement_date", "Ngày nghỉ hưu", readonly=True,
               help="Ngày nghỉ hưu (dd/mm/yyyy) theo Nghị định 135/2020/NĐ-CP hoặc tuổi nghỉ hưu "
               "riêng; hệ thống tính, bỏ qua khi nhập.", example="31/03/2042"),
        Column("is_local", "Người địa phương", readonly=True,
               help="Có / Không: quê quán (theo địa bàn kế thừa) nằm trong địa bàn của đơn vị "
               "quản lý hồ sơ; hệ thống tính, bỏ qua khi nhập.", example="Có"),
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
        Column("start_date", "Từ ngày", "partial_date", required=True,
               help="Ngày bắt đầu đảm nhiệm; có thể chỉ tháng/năm hoặc năm.", example="06/2020"),
        Column("end_date", "Đến ngày", "partial_date",
               help="Ngày thôi đảm nhiệm; để trống nếu đang đảm nhiệm.", example="05/2025"),
        Column("unit", "Mã đơn vị", "unit",
               help="Mã đơn vị của vị trí. Ghi cả Mã đơn vị và Mã chức danh hoặc bỏ trống cả hai; "
               "vị trí (đơn vị + chức danh) phải có trong sheet Vị trí hoặc trong hệ thống.",
               example="01.UBND"),
        Column("title", "Mã chức danh", "title", help="Mã chức danh của vị trí (xem Mã đơn vị).",
               example="chu-tich-ubnd-tinh"),
        Column("unit_name", "Tên đơn vị (tại thời điểm)",
               help="Tên đơn vị tại thời điểm đảm nhiệm (tên cũ vẫn giữ khi đơn vị đổi tên); để "
               "trống thì lấy tên đơn vị của vị trí.", example="UBND huyện Ba Vì"),
        Column("title_name", "Chức vụ (tại thời điểm)",
               help="Chức vụ tại thời điểm đảm nhiệm; để trống thì lấy tên chức danh của vị trí.",
               example="Phó Chủ tịch"),
        Column("is_concurrent", "Kiêm nhiệm", "bool", help="Kiêm nhiệm.", example="Không"),
        Column("how", "Hình thức", "choice", choices=AssignmentHow, help="Hình thức bố trí.",
               example="Bổ nhiệm"),
        Column("decision_number", "Số quyết định", help="Số quyết định.", example="125/QĐ-UBND"),
        Column("note", "Ghi chú", help="Ghi chú."),
        Column("local", "Người địa phương (theo vị trí)", readonly=True,
               help="Có / Không: quê quán (kể cả địa bàn đã nhập vào hay tách ra từ nó) nằm trong "
               "địa bàn do đơn vị của vị trí quản lý (của chính đơn vị hoặc đơn vị cấp trên gần "
               "nhất); để trống khi dòng không có vị trí hoặc chưa có quê quán, địa bàn. Hệ thống "
               "tính, bỏ qua khi nhập.", example="Có"),
    ),
    help="Quá trình công tác. Một dòng được nhận ra bằng cán bộ, Từ ngày, tên đơn vị và chức vụ.",
    natural_key="Số định danh + Từ ngày + Tên đơn vị + Chức vụ",
    model=Assignment, depends=("people", "positions"),
)  # fmt: skip


EVALUATIONS = Sheet(
    "evaluations",
    "Đánh giá",
    (
        person_column(PERSON_AS_ABOVE),
        Column("year", "Năm", "int", required=True,
               help="Năm đánh giá; mỗi cán bộ một dòng mỗi năm.", example="2024"),
        Column("rating", "Xếp loại", "choice", required=True, choices=EvaluationRating,
               help="Xếp loại.", example="Hoàn thành tốt nhiệm vụ"),
        Column("score", "Điểm", "decimal",
               help="Điểm, thang 100; dấu phẩy hay dấu chấm thập phân đều được, làm tròn 2 chữ "
               "số.", example="85,5", allowed="0–100"),
        Column("note", "Ghi chú", help="Ghi chú."),
    ),
    help="Đánh giá, xếp loại hằng năm.",
    natural_key="Số định danh + Năm",
    model=Evaluation, depends=("people",),
)  # fmt: skip


VOTES = Sheet(
    "confidence_votes",
    "Phiếu tín nhiệm",
    (
        person_column(PERSON_AS_ABOVE),
        Column("year", "Năm", "int", required=True, help="Năm lấy phiếu.", example="2023"),
        Column("body", "Hội nghị lấy phiếu", required=True,
               help="Hội nghị (cơ quan) lấy phiếu; cùng cán bộ và Năm là khóa nhận dạng.",
               example="Hội đồng nhân dân tỉnh"),
        Column("high", "Tín nhiệm cao", "int", help="Số phiếu tín nhiệm cao; để trống là 0.",
               example="60"),
        Column("normal", "Tín nhiệm", "int", help="Số phiếu tín nhiệm; để trống là 0.",
               example="12"),
        Column("low", "Tín nhiệm thấp", "int", help="Số phiếu tín nhiệm thấp; để trống là 0.",
               example="3"),
        Column("base", "Cơ sở tính tỷ lệ", "int", required=True,
               help="Số người được triệu tập hoặc số phiếu thu về; tổng ba loại phiếu không được "
               "lớn hơn số này.", example="75"),
        Column("low_share", "Tỷ lệ tín nhiệm thấp", readonly=True,
               help="Tỷ lệ phiếu tín nhiệm thấp trên cơ sở tính (%); hệ thống tính, bỏ qua khi "
               "nhập.", example="4,00%"),
    ),
    help="Kết quả lấy phiếu tín nhiệm (chỉ lưu số phiếu, không lưu ai bỏ phiếu thế nào).",
    natural_key="Số định danh + Năm + Hội nghị lấy phiếu",
    model=ConfidenceVote, depends=("people",),
)  # fmt: skip


DISCIPLINES = Sheet(
    "disciplines",
    "Kỷ luật",
    (
        person_column(PERSON_AS_ABOVE),
        Column("form", "Hình thức kỷ luật", "choice", required=True, choices=DisciplineForm,
               help="Hình thức kỷ luật.", example="Khiển trách"),
        Column("effective_date", "Ngày hiệu lực", "date", required=True,
               help="Ngày quyết định kỷ luật có hiệu lực.", example="15/03/2022"),
        Column("end_date", "Ngày hết hiệu lực", "date",
               help="Ngày hết hiệu lực; không trước ngày hiệu lực.", example="15/03/2023"),
        Column("authority", "Cơ quan quyết định", help="Cơ quan ra quyết định.",
               example="Ủy ban kiểm tra Tỉnh ủy"),
        Column("decision_number", "Số quyết định", help="Số quyết định.", example="12-QĐ/UBKTTU"),
        Column("reason", "Lý do", help="Lý do kỷ luật.", example="Vi phạm quy chế làm việc"),
        Column("planning_exception", "Ngoại lệ theo QĐ 377", "choice", choices=DisciplineException,
               help="Trường hợp QĐ 377-QĐ/TW cho phép không tính kỷ luật này khi rà soát quy "
               "hoạch (tiêu chuẩn P7): vi phạm chỉ đến mức kiểm điểm rút kinh nghiệm; không bị xử "
               "lý kỷ luật hoặc đã hết thời hiệu xử lý; khiển trách, cảnh cáo đã hết thời hạn. Để "
               "trống nếu không thuộc trường hợp nào (kỷ luật được tính).",
               example="Khiển trách, cảnh cáo đã hết thời hạn"),
    ),
    natural_key="Số định danh + Hình thức + Ngày hiệu lực",
    model=Discipline, depends=("people",),
)  # fmt: skip


REWARDS = Sheet(
    "rewards",
    "Khen thưởng",
    (
        person_column(PERSON_AS_ABOVE),
        Column("year", "Năm", "int", required=True, help="Năm khen thưởng.", example="2022"),
        Column("form", "Hình thức khen thưởng", required=True,
               help="Hình thức khen thưởng (ghi tự do).", example="Bằng khen"),
        Column("authority", "Cơ quan quyết định", help="Cơ quan ra quyết định.",
               example="Ủy ban nhân dân tỉnh"),
        Column("decision_number", "Số quyết định", help="Số quyết định.", example="1520/QĐ-UBND"),
    ),
    natural_key="Số định danh + Năm + Hình thức",
    model=Reward, depends=("people",),
)  # fmt: skip


TRAININGS = Sheet(
    "trainings",
    "Đào tạo",
    (
        person_column(PERSON_AS_ABOVE),
        Column("kind", "Loại", "choice", required=True, choices=TrainingKind,
               help="Loại đào tạo, bồi dưỡng.", example="Lý luận chính trị"),
        Column("program", "Nội dung, chương trình", required=True, help="Nội dung, chương trình.",
               example="Cao cấp lý luận chính trị"),
        Column("institution", "Cơ sở đào tạo", help="Cơ sở đào tạo.",
               example="Học viện Chính trị quốc gia Hồ Chí Minh"),
        Column("start_date", "Từ ngày", "date", help="Ngày bắt đầu.", example="01/09/2018"),
        Column("end_date", "Đến ngày", "date", help="Ngày kết thúc; không trước Từ ngày.",
               example="30/06/2020"),
        Column("qualification", "Văn bằng, chứng chỉ", help="Văn bằng, chứng chỉ được cấp.",
               example="Bằng cao cấp lý luận chính trị"),
    ),
    help="Đào tạo, bồi dưỡng.",
    natural_key="Số định danh + Loại + Nội dung + Từ ngày",
    model=Training, depends=("people",),
)  # fmt: skip


SECTION_SHEETS = (ASSIGNMENTS, EVALUATIONS, VOTES, DISCIPLINES, REWARDS, TRAININGS)
SHEETS = (PEOPLE, *SECTION_SHEETS)
