"""The report rounds' sheets of the data package: rounds, each unit's submission of a form,
and the submission's count cells with their corrections.

A round is named by the document that carries it (its issuing unit's code and number, as
the directives' sheets name a directive); a submission by its round, the reporting unit's
code and the form's code; a cell by its submission and the form's row and column codes.
The headers are part of the file format (see `canbo.exchange.sheets`).
"""

from __future__ import annotations

from canbo.exchange.sheets import Column, Sheet
from canbo.organizations.choices import UnitKind, UnitLevel
from canbo.reports.models import ReportRound, Submission, SubmissionCorrection, SubmissionStatus
from canbo.reports.periods import PeriodKind

# The kinds of cell this part adds (registered in `__init__`).
FORM_CODES = "form_codes"  # several form codes in one cell
DATETIME = "datetime"  # a moment: dd/mm/yyyy hh:mm, Vietnam's time
COUNT = "count"  # a whole number, 0 or more
CODES_SEPARATOR = "; "
ROUND_KEY_TEXT = "Mã đơn vị yêu cầu báo cáo + Số văn bản"


def submission_key() -> tuple[Column, ...]:
    """The four columns that name a submission: its round (the document carrying it, by
    number and issuing unit), its unit and its form."""
    return (
        Column("directive_number", "Số văn bản", required=True,
               help="Số, ký hiệu của văn bản mang đợt báo cáo; cùng Mã đơn vị yêu cầu báo cáo "
               "xác định đợt, có trong sheet Đợt báo cáo của gói hoặc trong hệ thống.",
               example="BC TK-CB/2026"),
        Column("issuing_unit", "Mã đơn vị yêu cầu báo cáo", "unit", required=True,
               help="Mã đơn vị yêu cầu báo cáo (cơ quan ban hành văn bản).", example="TU"),
        Column("unit", "Mã đơn vị báo cáo", "unit", required=True,
               help="Mã đơn vị gửi báo cáo; phải là đơn vị được giao nhiệm vụ báo cáo của đợt "
               "(sheet Giao nhiệm vụ của gói hoặc trong hệ thống).", example="XA"),
        Column("form", "Mã biểu", "code", required=True, field="form_code",
               help="Mã biểu báo cáo, một trong các biểu của đợt.", example="TK-CB"),
    )  # fmt: skip


REPORT_ROUNDS = Sheet(
    "report_rounds",
    "Đợt báo cáo",
    (
        Column("directive_number", "Số văn bản", required=True,
               help="Số, ký hiệu của văn bản yêu cầu báo cáo (công văn mang đợt báo cáo, sheet "
               "Văn bản chỉ đạo); cùng Mã đơn vị yêu cầu báo cáo là khóa nhận dạng (mỗi văn "
               "bản một đợt).", example="BC TK-CB/2026"),
        Column("issuing_unit", "Mã đơn vị yêu cầu báo cáo", "unit", required=True,
               help="Mã đơn vị yêu cầu báo cáo, cũng là cơ quan ban hành văn bản. Bạn phải có "
               "quyền sửa dữ liệu của đơn vị này để tạo mới hoặc sửa đợt.", example="TU"),
        Column("task_order", "Thứ tự nhiệm vụ", "int", required=True,
               help="Thứ tự của nhiệm vụ báo cáo trong văn bản (sheet Nhiệm vụ): nhiệm vụ được "
               "giao cho từng đơn vị báo cáo (sheet Giao nhiệm vụ), nên mức độ hoàn thành của "
               "đợt là của nhiệm vụ ấy.", example="1"),
        Column("name", "Tên đợt báo cáo", required=True, help="Tên đợt báo cáo.",
               example="Báo cáo TK-CB – Năm 2026"),
        Column("form_codes", "Các biểu", FORM_CODES, required=True,
               help="Mã các biểu báo cáo của đợt, cách nhau bởi dấu chấm phẩy; mỗi biểu một "
               "lần.", example="TK-CB; M1A"),
        Column("period_kind", "Loại kỳ báo cáo", "choice", required=True, choices=PeriodKind,
               help="Loại kỳ báo cáo.", example="Năm"),
        Column("year", "Năm", "int", help="Năm của kỳ báo cáo; bắt buộc, trừ kỳ đột xuất.",
               example="2026"),
        Column("period_number", "Quý, tháng", "int",
               help="Quý (1–4) của kỳ quý, tháng (1–12) của kỳ tháng; để trống với các kỳ khác.",
               example="2"),
        Column("period_start", "Từ ngày", "date", required=True,
               help="Ngày bắt đầu kỳ báo cáo; không sau ngày chốt số liệu.", example="15/12/2025"),
        Column("period_end", "Ngày chốt số liệu", "date", required=True,
               help="Ngày chốt số liệu (cuối kỳ): số liệu được tính theo hồ sơ và cây đơn vị "
               "tại ngày này.", example="14/12/2026"),
        Column("deadline", "Hạn gửi báo cáo", "date", required=True,
               help="Hạn gửi báo cáo; không trước ngày chốt số liệu, đúng Thời hạn của nhiệm vụ "
               "báo cáo.", example="21/12/2026"),
        Column("level", "Cấp đơn vị báo cáo", "choice", required=True, choices=UnitLevel,
               help="Cấp của các đơn vị phải báo cáo.", example="Cấp xã"),
        Column("kind", "Loại đơn vị báo cáo", "choice", choices=UnitKind,
               help="Loại của các đơn vị phải báo cáo; để trống là mọi loại.",
               example="Cấp ủy, tổ chức đảng"),
        Column("within", "Trong phạm vi đơn vị", "unit",
               help="Các đơn vị báo cáo thuộc cây của đơn vị này.", example="TU"),
        Column("group", "Nhóm đơn vị theo dõi",
               help="Tên nhóm đơn vị theo dõi có các đơn vị báo cáo (sheet Nhóm theo dõi của gói "
               "hoặc trong hệ thống); để trống nếu không theo nhóm.",
               example="Các tỉnh Tây Nguyên"),
        Column("note", "Ghi chú", "note", help="Ghi chú; xuống dòng trong ô được giữ nguyên.",
               example="Gửi kèm bản ký số."),
    ),
    help="Đợt báo cáo: các biểu, kỳ và ngày chốt số liệu, hạn gửi, các đơn vị phải báo cáo. "
    "Mỗi đợt do một văn bản (sheet Văn bản chỉ đạo) mang, với một nhiệm vụ (sheet Nhiệm vụ) "
    "giao cho từng đơn vị báo cáo (sheet Giao nhiệm vụ).",
    natural_key=ROUND_KEY_TEXT,
    notes="Cán bộ nhập liệu chỉ tạo mới hoặc sửa đợt của đơn vị yêu cầu báo cáo thuộc phạm vi "
    "của mình. Kỳ, các biểu và đơn vị báo cáo của đợt đã có trong hệ thống không đổi được; chỉ "
    "tên, hạn gửi và ghi chú được sửa.",
    model=ReportRound, depends=("tasks", "monitoring_groups"),
)  # fmt: skip


REPORT_SUBMISSIONS = Sheet(
    "report_submissions",
    "Báo cáo đơn vị",
    (
        *submission_key(),
        Column("status", "Tình trạng", "choice", required=True, choices=SubmissionStatus,
               help="Tình trạng của báo cáo. Đang lập: chưa có Thời điểm gửi; Đã gửi: có Thời "
               "điểm gửi; Đã tiếp nhận, Trả lại: có cả Thời điểm tiếp nhận, trả lại (trả lại "
               "phải có Ý kiến của cấp trên). Đang lập, Đã gửi xóa Thời điểm tiếp nhận, trả lại "
               "đã lưu; Đang lập xóa cả Thời điểm gửi.", example="Đã gửi"),
        Column("computed_at", "Thời điểm tính", DATETIME, required=True,
               help="Thời điểm số liệu được tính từ hồ sơ của đơn vị; không sau ngày nhập.",
               example="15/12/2026 09:00"),
        Column("submitted_at", "Thời điểm gửi", DATETIME,
               help="Thời điểm đơn vị gửi báo cáo (lần gửi gần nhất); không trước ngày chốt số "
               "liệu, không sau ngày nhập.", example="16/12/2026 10:30"),
        Column("decided_at", "Thời điểm tiếp nhận, trả lại", DATETIME,
               help="Thời điểm cấp trên tiếp nhận hoặc trả lại báo cáo; không trước Thời điểm "
               "gửi, không sau ngày nhập.", example="18/12/2026 14:00"),
        Column("comment", "Ý kiến của cấp trên", "note",
               help="Ý kiến khi tiếp nhận hoặc trả lại; bắt buộc khi trả lại.",
               example="Bổ sung đồng chí mới điều động về xã."),
        Column("unit_name", "Tên đơn vị", readonly=True,
               help="Tên đơn vị báo cáo, hệ thống điền khi xuất để dễ đọc; bỏ qua khi nhập.",
               example="Đảng ủy xã An Bình"),
    ),
    help="Báo cáo của từng đơn vị cho từng biểu của một đợt: tình trạng, thời điểm gửi, tiếp "
    "nhận hay trả lại, ý kiến của cấp trên. Số liệu ở sheet Số liệu báo cáo. Cấp dưới xuất "
    "sheet này để gửi báo cáo lên; cấp trên nhập vào (nhập lại cùng gói không thay đổi gì). "
    "Người gửi, người tiếp nhận không có trong gói.",
    natural_key="Đợt (" + ROUND_KEY_TEXT + ") + Mã đơn vị báo cáo + Mã biểu",
    notes="Cán bộ nhập liệu chỉ tạo mới hoặc sửa báo cáo của đơn vị báo cáo thuộc phạm vi của "
    "mình; ghi tiếp nhận, trả lại cần quyền sửa cả đơn vị yêu cầu báo cáo (như trên giao "
    "diện). Báo cáo đã tiếp nhận không sửa được; báo cáo đã gửi chỉ được tiếp nhận hoặc trả "
    "lại.",
    model=Submission, depends=("report_rounds", "task_assignments"),
)  # fmt: skip


REPORT_CELLS = Sheet(
    "report_cells",
    "Số liệu báo cáo",
    (
        *submission_key(),
        Column("row", "Mã dòng", "code", required=True,
               help="Mã dòng của biểu (như trang biểu báo cáo và API).", example="total"),
        Column("column", "Mã cột", "code", required=True,
               help="Mã cột số lượng của biểu; cột tỷ lệ, hệ số không có trong gói (hệ thống "
               "tính lại từ các cột số lượng).", example="women"),
        Column("computed", "Số tính từ hồ sơ", COUNT, required=True,
               help="Số liệu tính từ hồ sơ của đơn vị tại ngày chốt số liệu (ở nơi lập báo "
               "cáo); nhập gói không tính lại.", example="12"),
        Column("corrected", "Số sửa", COUNT,
               help="Số đơn vị sửa lại (khác Số tính từ hồ sơ), kèm Lý do sửa; để trống nếu ô "
               "không sửa: mỗi dòng ghi trọn một ô, nên ô đã sửa trong hệ thống được bỏ sửa.",
               example="13"),
        Column("reason", "Lý do sửa", "note",
               help="Lý do sửa số liệu; bắt buộc khi có Số sửa.",
               example="Đồng chí Lan được kết nạp Đảng ngày 01/12/2026, hồ sơ chưa cập nhật"),
        Column("corrected_at", "Thời điểm sửa", DATETIME,
               help="Thời điểm sửa ô; để trống là thời điểm nhập (ô mới sửa) hoặc giữ nguyên.",
               example="15/12/2026 09:30"),
        Column("row_label", "Tên dòng", readonly=True,
               help="Tên dòng của biểu, hệ thống điền khi xuất để dễ đọc; bỏ qua khi nhập.",
               example="Tổng số"),
        Column("column_label", "Tên cột", readonly=True,
               help="Tên cột của biểu, hệ thống điền khi xuất để dễ đọc; bỏ qua khi nhập.",
               example="Nữ"),
    ),
    help="Các ô số lượng của báo cáo đơn vị (một dòng một ô): số tính từ hồ sơ, và số sửa "
    "với lý do khi đơn vị sửa ô ấy. Tỷ lệ, hệ số không có trong gói: hệ thống tính từ các ô "
    "số lượng. Ô của báo cáo mới không có trong sheet là 0; ô của báo cáo đã có mà gói không "
    "nhắc tới được giữ nguyên.",
    natural_key="Báo cáo (đợt + Mã đơn vị báo cáo + Mã biểu) + Mã dòng + Mã cột",
    notes="Cán bộ nhập liệu chỉ ghi số liệu của đơn vị báo cáo thuộc phạm vi của mình. Số "
    "liệu của báo cáo đã gửi (đang chờ xem xét) hay đã được tiếp nhận trong hệ thống không "
    "thay đổi được.",
    model=SubmissionCorrection, depends=("report_submissions",),
)  # fmt: skip


SHEETS = (REPORT_ROUNDS, REPORT_SUBMISSIONS, REPORT_CELLS)
