"""The demo province's report round (issue 16): the provincial committee asks every
commune party committee for TK-CB for 2025 (cut-off 14/12/2025, Nghị định 09/2019's annual
period; deadline 24/12/2025), dated against the data's reference date (01/01/2026):

- most communes sent on time and the Organization Board accepted them;
- one sent with a corrected cell (party members, one joined the day before the cut-off and
  is not yet on record) and was accepted;
- one sent late and is waiting in the acceptance queue;
- one was returned with a comment;
- one opened its report and has not sent it; the last has not opened it.

Written through the services (actor None: a command), inside the builder's transaction.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from canbo.organizations.choices import UnitKind, UnitLevel
from canbo.organizations.models import Unit
from canbo.reports import services
from canbo.reports.periods import PeriodKind

FORM = "TK-CB"
DEADLINE = dt.date(2025, 12, 24)


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


def add_demo_report_round(root: Unit) -> dict[str, int]:
    """The round and its submissions; what each status ended up with."""
    communes = list(Unit.objects.filter(path__startswith=root.path, level=UnitLevel.COMMUNE,
                                        kind=UnitKind.PARTY_COMMITTEE).order_by("path"))  # fmt: skip
    if len(communes) < 5:
        return {}
    report_round = services.round_create(
        actor=None, form_codes=[FORM], period_kind=PeriodKind.ANNUAL, year=2025,
        deadline=DEADLINE, issuing_unit=root, level=UnitLevel.COMMUNE,
        kind=UnitKind.PARTY_COMMITTEE, issued_on=dt.date(2025, 12, 1),
        note=_("Số liệu tính từ hồ sơ tại ngày 14/12/2025; ô nào sửa phải ghi lý do."),
    )  # fmt: skip
    sent = _at(dt.date(2025, 12, 18))
    *on_time, corrected, late, returned, draft, _unopened = communes
    done = {"accepted": 0, "submitted": 0, "returned": 0, "draft": 0}
    for unit in on_time:
        s = services.open_submission(actor=None, report_round=report_round, unit=unit,
                                     form_code=FORM, now=sent)  # fmt: skip
        services.submit(actor=None, submission=s, now=sent)
        services.accept(actor=None, submission=s, now=_at(dt.date(2025, 12, 22)))
        done["accepted"] += 1
    s = services.open_submission(actor=None, report_round=report_round, unit=corrected,
                                 form_code=FORM, now=sent)  # fmt: skip
    party = s.counts.get("total:party", 0)
    services.correct_cell(
        actor=None, submission=s, row="total", column="party", value=party + 1,
        reason=_("Một đồng chí được kết nạp Đảng ngày 13/12/2025, hồ sơ chưa cập nhật."),
        now=sent,
    )  # fmt: skip
    services.submit(actor=None, submission=s, now=sent)
    services.accept(actor=None, submission=s, now=_at(dt.date(2025, 12, 22)))
    done["accepted"] += 1
    s = services.open_submission(actor=None, report_round=report_round, unit=late,
                                 form_code=FORM, now=sent)  # fmt: skip
    services.submit(actor=None, submission=s, now=_at(dt.date(2025, 12, 29)))
    done["submitted"] += 1
    s = services.open_submission(actor=None, report_round=report_round, unit=returned,
                                 form_code=FORM, now=sent)  # fmt: skip
    services.submit(actor=None, submission=s, now=sent)
    services.return_submission(
        actor=None, submission=s, now=_at(dt.date(2025, 12, 22)),
        comment=_("Đề nghị rà soát lại số cán bộ nữ và trình độ lý luận chính trị, gửi lại."),
    )  # fmt: skip
    done["returned"] += 1
    services.open_submission(actor=None, report_round=report_round, unit=draft,
                             form_code=FORM, now=sent)  # fmt: skip
    done["draft"] += 1
    return done
