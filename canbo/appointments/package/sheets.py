"""Appointment cases' sheets of the data package: cases, their steps and ballot tallies.

The headers are part of the file format (see `canbo.exchange.sheets`).
"""

from __future__ import annotations

from canbo.appointments.choices import CaseKind, CaseOutcome, StepResult
from canbo.appointments.models import AppointmentCase, CaseStep, StepTally
from canbo.exchange.sheets import Column, Sheet
from canbo.people.package.sheets import person_column

CASE_KEY_TEXT = "Số định danh + Loại việc + Mã đơn vị + Mã chức danh + Mã cấp có thẩm quyền + " \
    "Ngày bắt đầu quy trình"
CASE_KEYS = ("person", "kind", "unit", "title", "competent_unit", "opened_on")


def _case_key(own: bool = False) -> tuple[Column, ...]:
    """The columns that name a case: its person, kind, post, competent body and opening day."""
    of_case = "" if own else " của hồ sơ (như sheet Hồ sơ bổ nhiệm)"
    return (
        person_column(
            "Số định danh cá nhân của cán bộ được xem xét bổ nhiệm, giới thiệu ứng cử, miễn "
            "nhiệm…; cán bộ phải có trong sheet Cán bộ của gói hoặc trong hệ thống, trong phạm vi "
            "được xem của bạn." if own else "Số định danh cá nhân của cán bộ" + of_case + "."
        ),
        Column("kind", "Loại việc", "choice", required=True, choices=CaseKind,
               help="Loại việc" + of_case + ".", example="Bổ nhiệm"),
        Column("unit", "Mã đơn vị", "unit", required=True,
               help="Mã đơn vị của chức danh; cùng Mã chức danh xác định vị trí, phải có trong "
               "sheet Vị trí hoặc trong hệ thống" + (", thuộc cấp có thẩm quyền (chính đơn vị "
               "đó hoặc một đơn vị cấp dưới)." if own else "."), example="XA"),
        Column("title", "Mã chức danh", "title", required=True,
               help="Mã chức danh của vị trí" + of_case + ".", example="pho-bi-thu-xa"),
        Column("competent_unit", "Mã cấp có thẩm quyền", "unit", required=True,
               help="Mã đơn vị của cấp có thẩm quyền quyết định" + of_case + (
                   "; bạn phải có quyền sửa dữ liệu của đơn vị này (đơn vị ngoài phạm vi được "
                   "báo như mã không có)." if own else "."), example="XA"),
        Column("opened_on", "Ngày bắt đầu quy trình", "date", required=True,
               help="Ngày bắt đầu quy trình" + of_case + (
                   "; không sau ngày nhập." if own else "."), example="02/03/2026"),
    )  # fmt: skip


APPOINTMENT_CASES = Sheet(
    "appointment_cases",
    "Hồ sơ bổ nhiệm",
    (
        *_case_key(own=True),
        Column("internal", "Nguồn tại chỗ", "bool",
               help="Có: nhân sự tại chỗ (quy trình năm bước, sheet Bước quy trình); Không: nhân "
               "sự từ nơi khác. Để trống là Có.", example="Có"),
        Column("dossier_received_on", "Ngày nhận hồ sơ", "date",
               help="Ngày nhận hồ sơ; không trước ngày bắt đầu quy trình, không sau ngày nhập.",
               example="05/03/2026"),
        Column("dossier_complete_on", "Ngày hồ sơ đầy đủ", "date",
               help="Ngày hồ sơ đầy đủ; cần Ngày nhận hồ sơ và không trước ngày đó.",
               example="10/03/2026"),
        Column("closed_on", "Ngày kết thúc", "date",
               help="Ngày kết thúc quy trình; để trống khi quy trình còn mở. Không trước ngày "
               "bắt đầu, không sau ngày nhập; ghi cùng Kết quả.", example="20/04/2026"),
        Column("outcome", "Kết quả", "choice", choices=CaseOutcome,
               help="Kết quả của quy trình; bắt buộc khi có Ngày kết thúc, để trống khi không "
               "có. Đã có quyết định cần Số và Ngày quyết định; Dừng quy trình thì không có số, "
               "ngày quyết định và thời hạn.", example="Đã có quyết định"),
        Column("decision_number", "Số quyết định", help="Số quyết định của cấp có thẩm quyền.",
               example="15-QĐ/ĐU"),
        Column("decision_date", "Ngày quyết định", "date",
               help="Ngày quyết định; không trước ngày bắt đầu quy trình, không sau ngày kết "
               "thúc và ngày nhập.", example="18/04/2026"),
        Column("term_start", "Thời hạn giữ chức vụ từ", "date",
               help="Ngày bắt đầu thời hạn giữ chức vụ. Bổ nhiệm, bổ nhiệm lại đã có quyết định "
               "mà để trống: lấy ngày quyết định (A8).", example="18/04/2026"),
        Column("term_end", "Thời hạn giữ chức vụ đến", "date",
               help="Ngày kết thúc thời hạn giữ chức vụ; phải sau ngày bắt đầu thời hạn. Bổ "
               "nhiệm, bổ nhiệm lại đã có quyết định mà để trống: năm năm kể từ ngày bắt đầu "
               "(A8).", example="17/04/2031"),
        Column("election_on", "Ngày bầu cử, đại hội", "date",
               help="Chỉ với hồ sơ giới thiệu ứng cử: ngày khai mạc đại hội hoặc ngày bầu cử "
               "(A9, A10).",
               example="15/09/2026"),
        Column("seats", "Số lượng cần bầu", "int",
               help="Chỉ với hồ sơ giới thiệu ứng cử: số người cần bầu của chức danh ở lần bầu "
               "này (A10), từ 1 trở lên.",
               example="1"),
        Column("note", "Ghi chú", "note", help="Ghi chú; xuống dòng trong ô được giữ nguyên.",
               example="Quy trình bổ nhiệm Phó Bí thư."),
        Column("full_name", "Họ và tên", readonly=True,
               help="Họ và tên cán bộ, hệ thống điền khi xuất để dễ đọc; bỏ qua khi nhập.",
               example="Nguyễn Thị Hoa"),
        Column("title_name", "Tên chức danh", readonly=True,
               help="Tên chức danh, hệ thống điền khi xuất để dễ đọc; bỏ qua khi nhập.",
               example="Phó Bí thư Đảng ủy xã"),
    ),
    help="Hồ sơ bổ nhiệm, bổ nhiệm lại, giới thiệu ứng cử, miễn nhiệm, cho thôi giữ chức vụ, "
    "cách chức: mỗi dòng một quy trình. Nhập gói không ghi quá trình công tác (quyết định đi "
    "vào sheet Quá trình công tác như mọi dòng khác).",
    natural_key=CASE_KEY_TEXT,
    notes="(trùng là lỗi). Cán bộ nhập liệu chỉ tạo mới hoặc sửa hồ sơ của cấp có thẩm quyền "
    "thuộc phạm vi của mình. Hồ sơ đã kết thúc trong hệ thống không sửa được nữa.",
    model=AppointmentCase, depends=("people", "positions"),
)  # fmt: skip


CASE_STEPS = Sheet(
    "case_steps",
    "Bước quy trình",
    (
        *_case_key(),
        Column("number", "Bước", "int", required=True,
               help="Số thứ tự bước (quy trình năm bước với nhân sự tại chỗ, A6): bước 1 không "
               "bỏ phiếu, bước 2 đến 5 bỏ phiếu. Một bước chỉ có khi bước trước đã kết thúc.",
               example="2", allowed="1–5"),
        Column("held_on", "Ngày họp", "date", required=True,
               help="Ngày họp; không trước ngày bắt đầu quy trình và ngày họp của bước trước, "
               "không sau ngày nhập.", example="05/03/2026"),
        Column("summoned", "Số người được triệu tập", "int", required=True,
               help="Tổng số thành viên được triệu tập; lớn hơn 0.", example="15"),
        Column("present", "Số người có mặt", "int", required=True,
               help="Số người có mặt; không lớn hơn số người được triệu tập.", example="12"),
        Column("closed_on", "Ngày kết thúc bước", "date",
               help="Ngày kết thúc bước; để trống khi bước còn mở. Không trước ngày họp, không "
               "sau ngày nhập. Bước bỏ phiếu đã kết thúc phải có kết quả kiểm phiếu.",
               example="05/03/2026"),
        Column("result", "Kết quả của nhân sự", "choice", choices=StepResult,
               help="Kết quả của nhân sự ở bước bỏ phiếu đã kết thúc, tính từ kết quả kiểm phiếu "
               "trên tổng số người được triệu tập: để trống thì hệ thống tính; ghi khác với kết "
               "quả tính được là lỗi. Đạt đúng 50% thì phải ghi quyết định của người đứng đầu. "
               "Để trống với bước còn mở và bước 1.", example="Đạt trên 50% tổng số thành viên"),
        Column("note", "Ghi chú", "note", help="Ghi chú của bước.",
               example="Hội nghị mở rộng."),
    ),
    help="Các bước của quy trình bổ nhiệm nhân sự tại chỗ (A6): cuộc họp, số người được triệu "
    "tập và có mặt, ngày kết thúc bước và kết quả của nhân sự.",
    natural_key="Hồ sơ + Bước",
    notes="(trùng là lỗi). Cán bộ nhập liệu chỉ tạo mới hoặc sửa bước của hồ sơ thuộc phạm vi "
    "của mình. Bước đã kết thúc trong hệ thống không sửa được nữa.",
    model=CaseStep, depends=("appointment_cases",),
)  # fmt: skip


STEP_TALLIES = Sheet(
    "step_tallies",
    "Kết quả kiểm phiếu",
    (
        *_case_key(),
        Column("number", "Bước", "int", required=True,
               help="Bước bỏ phiếu đã kết thúc (2 đến 5), có trong sheet Bước quy trình của gói "
               "hoặc trong hệ thống.", example="2", allowed="2–5"),
        Column("candidate", "Số định danh nhân sự", "person", required=True,
               help="Số định danh cá nhân của một nhân sự được bỏ phiếu ở bước này; kết quả phải "
               "có nhân sự của hồ sơ.", example="001080012345"),
        Column("ballots_valid", "Số phiếu hợp lệ", "int", required=True,
               help="Số phiếu hợp lệ của bước; giống nhau ở mọi dòng của bước. Cùng số phiếu "
               "không hợp lệ không lớn hơn số người có mặt.", example="12"),
        Column("ballots_invalid", "Số phiếu không hợp lệ", "int",
               help="Số phiếu không hợp lệ của bước; giống nhau ở mọi dòng của bước. Để trống "
               "là 0.", example="0"),
        Column("votes_for", "Số phiếu đồng ý, giới thiệu", "int", required=True,
               help="Số phiếu đồng ý (giới thiệu) nhân sự này.", example="10"),
        Column("votes_against", "Số phiếu không đồng ý", "int",
               help="Số phiếu không đồng ý; cùng số phiếu đồng ý không lớn hơn số phiếu hợp "
               "lệ. Để trống là 0.", example="2"),
        Column("candidate_name", "Họ và tên nhân sự", readonly=True,
               help="Họ và tên nhân sự, hệ thống điền khi xuất để dễ đọc; bỏ qua khi nhập.",
               example="Nguyễn Thị Hoa"),
    ),
    help="Kết quả kiểm phiếu đã thống nhất của các bước bỏ phiếu đã kết thúc: mỗi dòng một "
    "nhân sự. Số liệu nhập dở của bước còn mở không có trong gói. Khi nhập, kết quả được lưu "
    "là hai lần nhập giống nhau của tài khoản nhập gói (việc nhập hai lần do hai người là "
    "kiểm soát ở nơi lập hồ sơ; nhật ký ghi nguồn là nhập gói).",
    natural_key="Hồ sơ + Bước + Số định danh nhân sự",
    notes="(trùng là lỗi). Cán bộ nhập liệu chỉ ghi kết quả của hồ sơ thuộc phạm vi của mình; "
    "kết quả của bước đã kết thúc trong hệ thống không sửa được nữa. Lệnh `canbo import` cần "
    "`--user` để ghi kết quả kiểm phiếu mới.",
    model=StepTally, depends=("case_steps", "people"),
)  # fmt: skip


SHEETS = (APPOINTMENT_CASES, CASE_STEPS, STEP_TALLIES)
