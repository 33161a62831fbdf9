"""Administrative areas, units (organizations), position titles, seats and terms."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from canbo.core.validators import validate_line

from .choices import AreaKind, AreaLevel, ManagementLevel, TermBody, UnitKind, UnitLevel


class Area(MP_Node):
    """An administrative area (province, pre-2025 district, commune), versioned.

    Current areas carry their official code; areas abolished on 1 July 2025
    carry it prefixed with "cu-" so both generations live side by side.
    """

    steplen = 4

    code = models.CharField(_("mã"), max_length=20, unique=True, validators=[validate_line])
    official_code = models.CharField(
        _("mã hành chính"), max_length=10, db_index=True, validators=[validate_line]
    )
    name = models.CharField(_("tên"), max_length=200, validators=[validate_line])
    kind = models.CharField(_("loại"), max_length=20, choices=AreaKind.choices)
    level = models.PositiveSmallIntegerField(_("cấp"), choices=AreaLevel.choices)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    name_folded = models.CharField(max_length=200, editable=False, db_index=True)
    successors = models.ManyToManyField(
        "self",
        through="AreaSuccession",
        symmetrical=False,
        related_name="predecessors",
        verbose_name=_("đơn vị hành chính kế thừa"),
    )

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")

    def __str__(self) -> str:
        return self.name

    @property
    def is_current(self) -> bool:
        return self.valid_to is None


class AreaSuccession(models.Model):
    """A predecessor area became (part of) a successor area on a date (mergers, splits)."""

    predecessor = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    successor = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    effective_date = models.DateField(_("ngày hiệu lực"))

    class Meta:
        verbose_name = _("kế thừa địa bàn")
        verbose_name_plural = _("kế thừa địa bàn")
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="areasuccession_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class AreaLineage(models.Model):
    """Derived, never edited: for each area, itself and every area reached from it by
    following merger links one way, transitively, with that area's tree path.

    `later` is True for the area itself and what it became, False for what it came from.
    Kept by `lineage` (rebuilt when a link changes, a row added when an area is created)
    so that "local or not" is judged inside one SQL statement (ADR 0015)."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+", db_index=False)
    relative = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    later = models.BooleanField()
    path = models.CharField(max_length=255)  # the relative's path

    class Meta:
        # The judging statement reads (area, later) -> path from the index alone.
        indexes = [models.Index(fields=["area", "later", "path"], name="arealineage_paths")]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "later", "relative"], name="arealineage_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.area_id} {'→' if self.later else '←'} {self.relative_id}"


class Unit(MP_Node):
    """An organization: party committee, people's committee, department, agency…"""

    SCOPE_PATH = "path"
    steplen = 4

    code = models.CharField(_("mã đơn vị"), max_length=50, unique=True, validators=[validate_line])
    name = models.CharField(_("tên đơn vị"), max_length=300, validators=[validate_line])
    short_name = models.CharField(
        _("tên viết tắt"), max_length=100, blank=True, validators=[validate_line]
    )
    kind = models.CharField(_("loại đơn vị"), max_length=30, choices=UnitKind.choices)
    level = models.CharField(_("cấp"), max_length=10, choices=UnitLevel.choices)
    area = models.ForeignKey(
        Area,
        verbose_name=_("địa bàn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )
    is_difficult_area = models.BooleanField(
        _("địa bàn khó khăn"),
        default=False,
        help_text=_("Miền núi, biên giới, hải đảo, vùng đặc biệt khó khăn."),
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    name_folded = models.CharField(max_length=300, editable=False, db_index=True)
    successors = models.ManyToManyField(
        "self",
        through="UnitSuccession",
        symmetrical=False,
        related_name="predecessors",
        verbose_name=_("đơn vị kế thừa"),
    )

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")

    def __str__(self) -> str:
        return self.name


class UnitSuccession(models.Model):
    predecessor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    successor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    effective_date = models.DateField(_("ngày hiệu lực"))

    class Meta:
        verbose_name = _("kế thừa đơn vị")
        verbose_name_plural = _("kế thừa đơn vị")
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="unitsuccession_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class PositionTitle(models.Model):
    """Catalog of position titles (chức danh), e.g. 'Bí thư Tỉnh ủy'."""

    code = models.CharField(
        _("mã chức danh"), max_length=50, unique=True, validators=[validate_line]
    )
    name = models.CharField(_("tên chức danh"), max_length=200, validators=[validate_line])
    level = models.CharField(_("cấp"), max_length=10, choices=UnitLevel.choices)
    rank = models.PositiveSmallIntegerField(
        _("thứ bậc"),
        default=0,
        help_text=_("Số lớn hơn là chức danh cao hơn; dùng để so sánh 'cao hơn'."),
    )
    is_key = models.BooleanField(_("chức danh chủ chốt"), default=False)
    is_head = models.BooleanField(_("người đứng đầu"), default=False)
    management_level = models.PositiveSmallIntegerField(
        _("diện quản lý"), choices=ManagementLevel.choices, default=ManagementLevel.UNIT
    )

    class Meta:
        verbose_name = _("chức danh")
        verbose_name_plural = _("chức danh")
        ordering = ["-rank", "name"]

    def __str__(self) -> str:
        return self.name


class Position(models.Model):
    """A seat: a title in a unit, with a number of seats."""

    SCOPE_PATH = "unit__path"

    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="positions"
    )
    title = models.ForeignKey(
        PositionTitle,
        verbose_name=_("chức danh"),
        on_delete=models.PROTECT,
        related_name="positions",
    )
    seats = models.PositiveSmallIntegerField(
        _("số lượng"), default=1, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("vị trí chức danh")
        verbose_name_plural = _("vị trí chức danh")
        constraints = [
            models.UniqueConstraint(fields=["unit", "title"], name="position_unit_title_unique")
        ]

    def __str__(self) -> str:
        return f"{self.title.name} – {self.unit.name}"


class Term(models.Model):
    """A term (nhiệm kỳ), usually five years."""

    body = models.CharField(_("loại nhiệm kỳ"), max_length=20, choices=TermBody.choices)
    name = models.CharField(_("tên"), max_length=50, validators=[validate_line])
    start_date = models.DateField(_("bắt đầu"))
    end_date = models.DateField(_("kết thúc"))

    class Meta:
        verbose_name = _("nhiệm kỳ")
        verbose_name_plural = _("nhiệm kỳ")
        ordering = ["body", "start_date"]
        constraints = [
            models.UniqueConstraint(fields=["body", "start_date"], name="term_body_start_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_body_display()} {self.name}"
