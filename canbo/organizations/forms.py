"""Form fields for areas: a code typed or picked from suggestions, or a unique name."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from canbo.core.vntext import fold

from .models import Area, Unit
from .selectors import area_list

SEPARATOR = " · "
#: The codes an error about a unit name shared by several units lists.
AMBIGUOUS_SHOWN = 10


def unit_named(units, text: str) -> Unit | None:
    """The one unit of `units` (a queryset in the user's scope) whose name is `text`, accents
    and case aside; None when none is. Several: a ValidationError naming their codes."""
    named = units.select_related(None).filter(name_folded=fold(text)).only("code", "name", "path")
    candidates = list(named.order_by("code")[: AMBIGUOUS_SHOWN + 1])
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    codes = ", ".join(u.code for u in candidates[:AMBIGUOUS_SHOWN])
    if len(candidates) > AMBIGUOUS_SHOWN:
        codes += ", …"
    raise ValidationError(
        _("Có nhiều đơn vị tên “%(name)s”: %(codes)s. Hãy ghi mã đơn vị."),
        code="ambiguous",
        params={"name": text, "codes": codes},
    )


def area_label(area: Area, province_names: dict[str, str] | None = None) -> str:
    """'00001 · Xã An Bình, Tỉnh Thử Nghiệm': the code first, so the field can read it back."""
    label = f"{area.code}{SEPARATOR}{area.name}"
    root = (province_names or {}).get(area.path[: area.steplen])
    if root and root != area.name:
        label += f", {root}"
    if area.valid_to is not None:
        label += " " + str(_("(trước sáp nhập)"))
    return label


def area_labels(areas: list[Area]) -> list[tuple[Area, str]]:
    """Labels for many areas with their provinces' names, in one more query."""
    roots = {a.path[: a.steplen] for a in areas if a.depth > 1}
    names = dict(Area.objects.filter(path__in=roots).values_list("path", "name")) if roots else {}
    return [(a, area_label(a, names)) for a in areas]


class AreaField(forms.CharField):
    """An area by its code ('00001'), a suggestion ('00001 · Xã An Bình, …') or a unique name."""

    default_error_messages = {
        "not_found": _(
            "Không tìm thấy địa bàn “%(value)s”. Hãy nhập mã địa bàn hoặc chọn trong gợi ý."
        ),
        "ambiguous": _(
            "Có %(count)s địa bàn tên “%(value)s” (%(examples)s…). Hãy chọn trong gợi ý hoặc nhập mã."
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 300)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("autocomplete", "off")
        self.widget.attrs.setdefault("placeholder", _("Mã hoặc tên địa bàn"))

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        code = text.split(SEPARATOR, 1)[0].strip()
        area = Area.objects.filter(code=code).first()
        if area is not None:
            return area
        matches = list(area_list(search=text)[:6])
        exact = [a for a in matches if a.name.casefold() == text.casefold()]
        if len(exact) == 1 or len(matches) == 1:
            return exact[0] if exact else matches[0]
        if not matches:
            raise ValidationError(
                self.error_messages["not_found"], code="not_found", params={"value": text}
            )
        raise ValidationError(
            self.error_messages["ambiguous"],
            code="ambiguous",
            params={
                "value": text,
                "count": area_list(search=text).count(),
                "examples": "; ".join(label for _a, label in area_labels(matches[:3])),
            },
        )

    def run_validators(self, value):
        return

    def prepare_value(self, value):
        if isinstance(value, Area):
            return area_labels([value])[0][1]
        return value
