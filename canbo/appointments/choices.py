from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseKind(models.TextChoices):
    APPOINT = "appoint", _("Bổ nhiệm")
    REAPPOINT = "reappoint", _("Bổ nhiệm lại")
    NOMINATE = "nominate", _("Giới thiệu ứng cử")
    DISMISS = "dismiss", _("Miễn nhiệm")
    RESIGN = "resign", _("Cho thôi giữ chức vụ (từ chức)")
    REMOVE = "remove", _("Cách chức")


#: Cases that bring a person to a new post: while one is open, no new planning entry (P4).
TO_A_NEW_POST = (CaseKind.APPOINT, CaseKind.NOMINATE)


class CaseOutcome(models.TextChoices):
    DECIDED = "decided", _("Đã có quyết định")
    STOPPED = "stopped", _("Dừng quy trình")


class StepNumber(models.IntegerChoices):
    """The five steps for an internal candidate (A6; NĐ 170/2025 Art. 33; QĐ 377)."""

    NEED = 1, _("Bước 1: Tập thể lãnh đạo thống nhất nhu cầu, tiêu chuẩn, quy trình")
    EXPANDED = 2, _("Bước 2: Hội nghị mở rộng giới thiệu nhân sự (bỏ phiếu kín, không công bố)")
    LEADERSHIP = 3, _("Bước 3: Tập thể lãnh đạo giới thiệu nhân sự (bỏ phiếu kín, công bố)")
    KEY_CADRE = 4, _("Bước 4: Hội nghị cán bộ chủ chốt lấy phiếu tín nhiệm")
    DECISION = 5, _("Bước 5: Tập thể lãnh đạo biểu quyết nhân sự")


#: Steps decided by secret ballot: their tallies are typed twice.
BALLOT_STEPS = (StepNumber.EXPANDED, StepNumber.LEADERSHIP, StepNumber.KEY_CADRE, StepNumber.DECISION)
#: Steps whose results are not announced: hidden until the step is closed.
UNANNOUNCED_STEPS = (StepNumber.EXPANDED,)


class StepResult(models.TextChoices):
    """A candidate's result in a ballot step, computed from the agreed tally (A6)."""

    PASSED = "passed", _("Đạt trên 50% tổng số thành viên")
    FAILED = "failed", _("Không đạt trên 50%")
    HEAD_AGREED = "head_agreed", _("Đạt đúng 50%, người đứng đầu quyết định đồng ý")
    HEAD_REFUSED = "head_refused", _("Đạt đúng 50%, người đứng đầu quyết định không đồng ý")
