from django.db import models
from django.utils.translation import gettext_lazy as _


class RotationKind(models.TextChoices):
    ROTATION = "rotation", _("Luân chuyển")
    TRANSFER = "transfer", _("Điều động")
    SECONDMENT = "secondment", _("Biệt phái")
    REINFORCEMENT = "reinforcement", _("Tăng cường")


class RotationPurpose(models.TextChoices):
    TRAINING = "training", _("Đào tạo, rèn luyện cán bộ trong quy hoạch")
    DIFFICULT_AREA = "difficult_area", _("Tăng cường cho địa bàn khó khăn")
    NON_LOCAL = "non_local", _("Bố trí cán bộ không là người địa phương")
    TERM_LIMIT = "term_limit", _("Không giữ chức vụ quá hai nhiệm kỳ liên tiếp")
    OTHER = "other", _("Mục đích khác")


class RotationOutcome(models.TextChoices):
    RETURNED = "returned", _("Trở về cơ quan, đơn vị cũ")
    APPOINTED_THERE = "appointed_there", _("Bố trí, bổ nhiệm tại nơi đến")
    OTHER = "other", _("Khác")


class LevelDirection(models.TextChoices):
    """Between levels, derived from the units' levels (never typed)."""

    UP = "up", _("Từ dưới lên")
    DOWN = "down", _("Từ trên xuống")
    SAME = "same", _("Cùng cấp")


#: How the work history names the post taken by each kind of move.
HOW_BY_KIND = {
    RotationKind.ROTATION: "rotated",
    RotationKind.TRANSFER: "transferred",
    RotationKind.SECONDMENT: "seconded",
    RotationKind.REINFORCEMENT: "reinforced",
}
#: Moves after which the person keeps the post they came from (a secondment is temporary).
KEEPS_HOME_POST = (RotationKind.SECONDMENT,)
