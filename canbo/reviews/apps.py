from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "canbo.reviews"
    label = "reviews"
    verbose_name = _("Lấy phiếu tín nhiệm, đánh giá xếp loại")
