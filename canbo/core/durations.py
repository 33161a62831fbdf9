"""Durations in months as people say them: "16 năm 1 tháng", never "193 tháng".

One helper for every page, export and document that shows a length of time counted in
whole months (tenure, working time left before retirement); templates use the `months`
filter of canbo_tags.
"""

from __future__ import annotations

from django.utils.translation import gettext as _


def duration_text(months: int) -> str:
    """"2 năm 3 tháng", "2 năm", "5 tháng"; under a month: "chưa đủ 1 tháng"."""
    years, rest = divmod(months, 12)
    if years and rest:
        return _("%(years)d năm %(months)d tháng") % {"years": years, "months": rest}
    if years:
        return _("%(years)d năm") % {"years": years}
    if rest:
        return _("%(months)d tháng") % {"months": rest}
    return _("chưa đủ 1 tháng")
