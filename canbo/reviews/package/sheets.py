"""Confidence votes' and evaluations' sheets of the data package: vote sessions, the people
voted on, the agreed results of closed sessions, evaluation rounds and their scores.

The headers are part of the file format (see `canbo.exchange.sheets`).
"""

from __future__ import annotations

from canbo.exchange.sheets import Column, Sheet
from canbo.people.package.sheets import person_column
from canbo.reviews.choices import BaseRule, ExclusionReason, OtherGround
from canbo.reviews.models import (
    EvaluationRound,
    EvaluationScore,
    VoteSession,
    VoteSubject,
    VoteTally,
)

# A column's `field` names the model field whose validators and blank value apply; this one
# names none: a blank "Cơ sở tính tỷ lệ" reads as blank (the rule C3 then decides, as
# `session_create` does) rather than as the model's default, and a score outside 0–100 gets
# the message `score_set` gives rather than the field validators' two.
NO_FIELD = "-"
KEY_TEXT = "Mã đơn vị + Năm + Ngày"
KEYS = ("unit", "year", "held_on")


def _key(what: str, day: str, parent: str, own: bool = False) -> tuple[Column, ...]:
    """The columns naming a session (or round): its body's unit, its year and its day;
    `what` names it in the help ("phiên lấy phiếu"), `parent` is its own sheet's title."""
    of = "" if own else f" của {what} (như sheet {parent})"
    return (
        Column("unit", "Mã đơn vị", "unit", required=True,
               help=(f"Mã đơn vị của cơ quan, hội nghị tổ chức {what}; bạn phải có quyền sửa dữ "
                     "liệu của đơn vị này (đơn vị ngoài phạm vi được báo như mã không có)."
                     if own else f"Mã đơn vị{of}."), example="XA"),
        Column("year", "Năm", "int", required=True, help=f"Năm{of or ' của ' + what}.",
               example="2025"),
        Column("held_on", day, "date", required=True,
               help=(f"{day}; cùng Mã đơn vị và Năm là khóa nhận dạng. Không sau ngày nhập."
                     if own else f"{day}{of}."), example="15/12/2025"),
    )  # fmt: skip


def _full_name() -> Column:
    return Column("full_name", "Họ và tên", readonly=True,
                  help="Họ và tên cán bộ, hệ thống điền khi xuất để dễ đọc; bỏ qua khi nhập.",
                  example="Nguyễn Văn An")  # fmt: skip


def _unit_name() -> Column:
    return Column("unit_name", "Tên đơn vị", readonly=True,
                  help="Tên đơn vị, hệ thống điền khi xuất để dễ đọc; bỏ qua khi nhập.",
                  example="Đảng ủy xã An Bình")  # fmt: skip


SESSION = "phiên lấy phiếu"
ROUND = "đợt đánh giá"
SESSIONS_TITLE = "Phiên lấy phiếu tín nhiệm"
ROUNDS_TITLE = "Đợt đánh giá, xếp loại"

VOTE_SESSIONS = Sheet(
    "vote_sessions",
    SESSIONS_TITLE,
    (
        *_key(SESSION, "Ngày lấy phiếu", SESSIONS_TITLE, own=True),
        Column("summoned", "Số người được triệu tập", "int", required=True,
               help="Tổng số người được triệu tập; lớn hơn 0.", example="30"),
        Column("present", "Số người có mặt", "int", required=True,
               help="Số người có mặt; không lớn hơn số người được triệu tập. Phiên đã kết thúc "
               "phải đủ số người có mặt theo quy tắc C1.", example="27"),
        Column("base_rule", "Cơ sở tính tỷ lệ", "choice", choices=BaseRule, field=NO_FIELD,
               help="Số tính tỷ lệ phiếu (C3). Để trống: theo quy tắc C3 có hiệu lực ngày lấy "
               "phiếu.", example="Số người được triệu tập"),
        Column("ballots_returned", "Số phiếu thu về", "int",
               help="Số phiếu thu về; không lớn hơn số người có mặt. Bắt buộc khi tính tỷ lệ "
               "trên số phiếu thu về.", example="27"),
        Column("closed_on", "Ngày kết thúc", "date",
               help="Ngày kết thúc phiên; để trống khi phiên còn mở. Không trước ngày lấy "
               "phiếu, không sau ngày nhập. Phiên đã kết thúc phải có kết quả của mọi người "
               "được lấy phiếu (sheet Kết quả lấy phiếu).", example="16/12/2025"),
        Column("note", "Ghi chú", "note", help="Ghi chú; xuống dòng trong ô được giữ nguyên.",
               example="Hội nghị giữa nhiệm kỳ."),
        _unit_name(),
    ),
    help="Các phiên (hội nghị) lấy phiếu tín nhiệm: mỗi dòng một phiên. Nhập gói không ghi kết "
    "quả của phiên vào hồ sơ cán bộ: sheet Phiếu tín nhiệm mang các dòng đó, như mọi dòng khác.",
    natural_key=KEY_TEXT,
    notes="(trùng là lỗi). Cán bộ nhập liệu chỉ tạo mới hoặc sửa phiên của đơn vị thuộc phạm "
    "vi của mình. Phiên đã kết thúc trong hệ thống không sửa được nữa.",
    model=VoteSession, depends=("people",),
)  # fmt: skip


VOTE_SUBJECTS = Sheet(
    "vote_subjects",
    "Người được lấy phiếu",
    (
        *_key(SESSION, "Ngày lấy phiếu", SESSIONS_TITLE),
        person_column("Số định danh cá nhân của người trong danh sách lấy phiếu; cán bộ phải có "
                      "trong sheet Cán bộ của gói hoặc trong hệ thống, trong phạm vi được xem của "
                      "bạn."),
        Column("excluded", "Không lấy phiếu", "bool",
               help="Có: người trong danh sách nhưng không lấy phiếu (C2), ghi cùng Lý do. Để "
               "trống là Không.", example="Không"),
        Column("exclusion_reason", "Lý do không lấy phiếu", "choice", choices=ExclusionReason,
               help="Lý do không lấy phiếu; bắt buộc khi Không lấy phiếu là Có, để trống khi "
               "không.", example="Đã có thông báo nghỉ hưu"),
        Column("exclusion_note", "Ghi chú", help="Ghi chú về lý do không lấy phiếu.",
               example="Thông báo nghỉ hưu từ 01/03/2026"),
        _full_name(),
    ),
    help="Danh sách người được lấy phiếu của mỗi phiên, kể cả người không lấy phiếu và lý do.",
    natural_key="Phiên + Số định danh",
    notes="(trùng là lỗi). Cán bộ nhập liệu chỉ tạo mới hoặc sửa dòng của phiên thuộc phạm vi "
    "của mình. Nhập không bỏ ai khỏi danh sách.",
    model=VoteSubject, depends=("vote_sessions",),
)  # fmt: skip


VOTE_RESULTS = Sheet(
    "vote_results",
    "Kết quả lấy phiếu",
    (
        *_key(SESSION, "Ngày lấy phiếu", SESSIONS_TITLE),
        person_column("Số định danh cá nhân của một người được lấy phiếu của phiên (sheet Người "
                      "được lấy phiếu, không phải người không lấy phiếu)."),
        Column("high", "Tín nhiệm cao", "int", required=True, help="Số phiếu tín nhiệm cao.",
               example="20"),
        Column("normal", "Tín nhiệm", "int", required=True, help="Số phiếu tín nhiệm.",
               example="5"),
        Column("low", "Tín nhiệm thấp", "int", required=True, help="Số phiếu tín nhiệm thấp.",
               example="2"),
        Column("invalid", "Phiếu không hợp lệ", "int",
               help="Số phiếu không hợp lệ; để trống là 0. Tổng bốn số không lớn hơn số phiếu "
               "thu về (khi có), hoặc số người có mặt.", example="0"),
        _full_name(),
    ),
    help="Kết quả lấy phiếu đã thống nhất của các phiên đã kết thúc: mỗi dòng một người. Số "
    "liệu nhập dở của phiên còn mở không có trong gói. Khi nhập, kết quả được lưu là hai lần "
    "nhập giống nhau của tài khoản nhập gói (việc nhập hai lần do hai người là kiểm soát ở nơi "
    "lấy phiếu; nhật ký ghi nguồn là nhập gói).",
    natural_key="Phiên + Số định danh",
    notes="(trùng là lỗi). Cán bộ nhập liệu chỉ ghi kết quả của phiên thuộc phạm vi của mình; "
    "kết quả của phiên đã kết thúc trong hệ thống không sửa được nữa. Lệnh `canbo import` cần "
    "`--user` để ghi kết quả mới.",
    model=VoteTally, depends=("vote_subjects",),
)  # fmt: skip


EVALUATION_ROUNDS = Sheet(
    "evaluation_rounds",
    ROUNDS_TITLE,
    (
        *_key(ROUND, "Ngày đánh giá", ROUNDS_TITLE, own=True),
        Column("closed_on", "Ngày kết thúc", "date",
               help="Ngày kết thúc đợt; để trống khi đợt còn mở. Không trước ngày đánh giá, "
               "không sau ngày nhập. Đợt đã kết thúc phải có điểm của ít nhất một người.",
               example="20/12/2025"),
        Column("note", "Ghi chú", "note", help="Ghi chú; xuống dòng trong ô được giữ nguyên.",
               example="Đánh giá cuối năm."),
        _unit_name(),
    ),
    help="Các đợt đánh giá, xếp loại chất lượng theo thang điểm 100: mỗi dòng một đợt. Nhập gói "
    "không ghi xếp loại của đợt vào hồ sơ cán bộ: sheet Đánh giá mang các dòng đó, như mọi dòng "
    "khác.",
    natural_key=KEY_TEXT,
    notes="(trùng là lỗi). Cán bộ nhập liệu chỉ tạo mới hoặc sửa đợt của đơn vị thuộc phạm vi "
    "của mình. Đợt đã kết thúc trong hệ thống không sửa được nữa.",
    model=EvaluationRound, depends=("people",),
)  # fmt: skip


EVALUATION_SCORES = Sheet(
    "evaluation_scores",
    "Điểm đánh giá",
    (
        *_key(ROUND, "Ngày đánh giá", ROUNDS_TITLE),
        person_column("Số định danh cá nhân của người được đánh giá; cán bộ phải có trong sheet "
                      "Cán bộ của gói hoặc trong hệ thống, trong phạm vi được xem của bạn."),
        Column("score", "Điểm", "decimal", required=True, field=NO_FIELD,
               help="Điểm, thang 100; dấu phẩy hay dấu chấm thập phân đều được, làm tròn 2 chữ "
               "số.", example="85,5", allowed="0–100"),
        Column("other_ground", "Không hoàn thành nhiệm vụ do", "choice", choices=OtherGround,
               help="Căn cứ khác khiến người này được xếp loại Không hoàn thành nhiệm vụ dù điểm "
               "thế nào; để trống nếu không có.",
               example="Bị kỷ luật từ khiển trách trở lên trong năm"),
        Column("other_note", "Ghi chú", help="Ghi chú về căn cứ khác.", example=""),
        Column("rating", "Xếp loại", readonly=True,
               help="Xếp loại theo điểm (quy tắc E1 có hiệu lực ngày đánh giá), hoặc Không hoàn "
               "thành nhiệm vụ khi có căn cứ khác; hệ thống tính, bỏ qua khi nhập.",
               example="Hoàn thành tốt nhiệm vụ"),
        _full_name(),
    ),
    help="Điểm của từng người trong mỗi đợt đánh giá; xếp loại do hệ thống tính từ điểm.",
    natural_key="Đợt + Số định danh",
    notes="(trùng là lỗi). Cán bộ nhập liệu chỉ tạo mới hoặc sửa điểm của đợt thuộc phạm vi của "
    "mình; điểm của đợt đã kết thúc trong hệ thống không sửa được nữa.",
    model=EvaluationScore, depends=("evaluation_rounds",),
)  # fmt: skip


SHEETS = (VOTE_SESSIONS, VOTE_SUBJECTS, VOTE_RESULTS, EVALUATION_ROUNDS, EVALUATION_SCORES)
