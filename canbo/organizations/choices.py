from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaKind(models.TextChoices):
    PROVINCE = "province", _("Tỉnh")
    CENTRAL_CITY = "central_city", _("Thành phố trực thuộc trung ương")
    PROVINCIAL_CITY = "provincial_city", _("Thành phố thuộc tỉnh")
    TOWN = "town", _("Thị xã")
    DISTRICT = "district", _("Huyện")
    URBAN_DISTRICT = "urban_district", _("Quận")
    COMMUNE = "commune", _("Xã")
    WARD = "ward", _("Phường")
    TOWNSHIP = "township", _("Thị trấn")
    SPECIAL_ZONE = "special_zone", _("Đặc khu")


class AreaLevel(models.IntegerChoices):
    PROVINCE = 1, _("Cấp tỉnh")
    DISTRICT = 2, _("Cấp huyện")
    COMMUNE = 3, _("Cấp xã")


class UnitKind(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", _("Cấp ủy, tổ chức đảng")
    PEOPLES_COUNCIL = "peoples_council", _("Hội đồng nhân dân")
    PEOPLES_COMMITTEE = "peoples_committee", _("Ủy ban nhân dân")
    PARTY_AGENCY = "party_agency", _("Cơ quan tham mưu của cấp ủy")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    FRONT = "front", _("Mặt trận Tổ quốc, đoàn thể")
    JUDICIAL = "judicial", _("Tòa án, Viện kiểm sát")
    ARMED = "armed", _("Công an, quân sự")
    PUBLIC_SERVICE = "public_service", _("Đơn vị sự nghiệp")
    CENTRAL_BODY = "central_body", _("Cơ quan trung ương")
    OTHER = "other", _("Khác")


class UnitLevel(models.TextChoices):
    CENTRAL = "central", _("Trung ương")
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện (trước 01/7/2025)")
    COMMUNE = "commune", _("Cấp xã")


class ManagementLevel(models.IntegerChoices):
    """Who manages a cadre (diện quản lý); a lower number is a higher level."""

    CENTRAL = 1, _("Trung ương quản lý")
    PROVINCE = 2, _("Tỉnh ủy, thành ủy quản lý")
    COMMUNE = 3, _("Cấp ủy cấp xã quản lý")
    UNIT = 4, _("Cơ quan, đơn vị quản lý")


class TermBody(models.TextChoices):
    PARTY = "party", _("Đại hội Đảng bộ")
    PEOPLES_COUNCIL = "peoples_council", _("Hội đồng nhân dân")
    NATIONAL_ASSEMBLY = "national_assembly", _("Quốc hội")
    OTHER = "other", _("Khác")
