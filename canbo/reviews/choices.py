from django.db import models
from django.utils.translation import gettext_lazy as _

from canbo.rules import facts_reviews


class BaseRule(models.TextChoices):
    """What the shares of a confidence vote are taken on (C3)."""

    SUMMONED = facts_reviews.SUMMONED, _("Số người được triệu tập")
    PRESENT = facts_reviews.PRESENT, _("Số người có mặt")
    BALLOTS = facts_reviews.BALLOTS, _("Số phiếu thu về")


class ExclusionReason(models.TextChoices):
    """Why a person is not voted on (C2)."""

    RETIREMENT = "retirement", _("Đã có thông báo nghỉ hưu")
    NEW_IN_YEAR = "new_in_year", _("Mới được bầu, bổ nhiệm trong năm lấy phiếu")
    OTHER = "other", _("Lý do khác")


class OtherGround(models.TextChoices):
    """Grounds on which a person is rated "not completed" whatever the score (QĐ 366)."""

    DISCIPLINE = "discipline", _("Bị kỷ luật từ khiển trách trở lên trong năm")
    CORRUPTION = "corruption", _(
        "Để xảy ra tham nhũng, lãng phí, tiêu cực trong cơ quan, đơn vị do mình phụ trách"
    )
    OTHER = "other", _("Căn cứ khác")


#: The figures of a tally line, in the order they are typed.
TALLY_FIGURES = ("high", "normal", "low", "invalid")
