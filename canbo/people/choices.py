from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "M", _("Nam")
    FEMALE = "F", _("Nữ")


class Religion(models.TextChoices):
    NONE = "none", _("Không")
    BUDDHISM = "buddhism", _("Phật giáo")
    CATHOLIC = "catholic", _("Công giáo")
    PROTESTANT = "protestant", _("Tin Lành")
    CAO_DAI = "cao_dai", _("Cao Đài")
    HOA_HAO = "hoa_hao", _("Phật giáo Hòa Hảo")
    ISLAM = "islam", _("Hồi giáo")
    OTHER = "other", _("Tôn giáo khác")


class Degree(models.IntegerChoices):
    NONE = 0, _("Chưa qua đào tạo")
    INTERMEDIATE = 1, _("Trung cấp")
    COLLEGE = 2, _("Cao đẳng")
    BACHELOR = 3, _("Đại học")
    MASTER = 4, _("Thạc sĩ")
    DOCTOR = 5, _("Tiến sĩ")


class PoliticalTheory(models.IntegerChoices):
    NONE = 0, _("Chưa qua đào tạo")
    ELEMENTARY = 1, _("Sơ cấp")
    INTERMEDIATE = 2, _("Trung cấp")
    ADVANCED = 3, _("Cao cấp")
    BACHELOR = 4, _("Cử nhân")


class StateManagement(models.IntegerChoices):
    NONE = 0, _("Chưa qua bồi dưỡng")
    OFFICER = 1, _("Chuyên viên")
    PRINCIPAL = 2, _("Chuyên viên chính")
    SENIOR = 3, _("Chuyên viên cao cấp")


class AssignmentHow(models.TextChoices):
    ELECTED = "elected", _("Bầu cử")
    APPOINTED = "appointed", _("Bổ nhiệm")
    REAPPOINTED = "reappointed", _("Bổ nhiệm lại")
    ROTATED = "rotated", _("Luân chuyển")
    TRANSFERRED = "transferred", _("Điều động")
    SECONDED = "seconded", _("Biệt phái")
    REINFORCED = "reinforced", _("Tăng cường")
    RECRUITED = "recruited", _("Tuyển dụng")
    ASSIGNED = "assigned", _("Phân công")
    OTHER = "other", _("Khác")


class EvaluationRating(models.TextChoices):
    EXCELLENT = "excellent", _("Hoàn thành xuất sắc nhiệm vụ")
    GOOD = "good", _("Hoàn thành tốt nhiệm vụ")
    COMPLETED = "completed", _("Hoàn thành nhiệm vụ")
    NOT_COMPLETED = "not_completed", _("Không hoàn thành nhiệm vụ")


class DisciplineForm(models.TextChoices):
    REPRIMAND = "reprimand", _("Khiển trách")
    WARNING = "warning", _("Cảnh cáo")
    DEMOTION = "demotion", _("Hạ bậc lương")
    DEMOTED_POST = "demoted_post", _("Giáng chức")
    REMOVAL = "removal", _("Cách chức")
    DISMISSAL = "dismissal", _("Buộc thôi việc")
    EXPULSION = "expulsion", _("Khai trừ")


class DisciplineException(models.TextChoices):
    """The three cases in which QĐ 377-QĐ/TW lets a discipline record not count."""

    SELF_CRITICISM = "self_criticism", _("Vi phạm chỉ đến mức kiểm điểm rút kinh nghiệm")
    NOT_IMPOSED = "not_imposed", _("Không bị xử lý kỷ luật hoặc đã hết thời hiệu xử lý")
    EXPIRED = "expired", _("Khiển trách, cảnh cáo đã hết thời hạn")


class TrainingKind(models.TextChoices):
    PROFESSIONAL = "professional", _("Chuyên môn, nghiệp vụ")
    POLITICAL_THEORY = "political_theory", _("Lý luận chính trị")
    STATE_MANAGEMENT = "state_management", _("Quản lý nhà nước")
    DEFENCE = "defence", _("Quốc phòng, an ninh")
    FOREIGN_LANGUAGE = "foreign_language", _("Ngoại ngữ")
    IT = "it", _("Tin học")
    OTHER = "other", _("Khác")
