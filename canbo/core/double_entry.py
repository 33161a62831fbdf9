"""Double entry of figures typed from paper (ballot tallies, vote counts).

Election software checks a paper tally by having two people type it separately: the
figures count only when both entries are in, by two different users, and agree. This
module holds the rules every such tally shares (appointment steps, confidence votes);
the apps keep their own rows. An entry is a mapping from a line key (a candidate, a
person voted on, or `None` for the figures of the whole ballot) to its figures.

- `ensure_second_entrant`: the second entry is typed by someone other than the first.
- `differences`: every line and figure where the two entries disagree (a line typed in
  one entry only counts as a difference of each of its figures).
- `agreed`: the figures once both entries agree; `ValidationError` listing the
  differences otherwise.
- `visible_entries`: an entrant sees only their own entry until both are in, so the
  second typist cannot copy the first.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

Entry = Mapping[Hashable, Mapping[str, int]]
FIRST, SECOND = 1, 2
ROUNDS = (FIRST, SECOND)


@dataclass(frozen=True, slots=True)
class Difference:
    line: Hashable
    figure: str
    first: int | None
    second: int | None


def ensure_second_entrant(round_no: int, entrant_id: int, other_entrant_id: int | None) -> None:
    """Refuse an entry by the user who typed the other one."""
    if round_no not in ROUNDS:
        raise ValidationError({"round": _("Lần nhập phải là 1 hoặc 2.")})
    if other_entrant_id is not None and other_entrant_id == entrant_id:
        raise ValidationError(
            _("Hai lần nhập phải do hai người khác nhau thực hiện: lần nhập kia là của bạn.")
        )


def differences(first: Entry, second: Entry) -> list[Difference]:
    """Where the two entries disagree, in a stable order (line, then figure)."""
    out = []
    for line in sorted(set(first) | set(second), key=_order):
        a, b = first.get(line, {}), second.get(line, {})
        for figure in sorted(set(a) | set(b)):
            if a.get(figure) != b.get(figure):
                out.append(Difference(line, figure, a.get(figure), b.get(figure)))
    return out


def agreed(first: Entry | None, second: Entry | None) -> Entry:
    """The figures both entries agree on; refuses while one is missing or they differ."""
    if first is None or second is None:
        raise ValidationError(_("Cần đủ hai lần nhập số liệu do hai người khác nhau thực hiện."))
    found = differences(first, second)
    if found:
        raise ValidationError(
            _("Hai lần nhập số liệu còn %(count)d chỗ khác nhau; hãy đối chiếu với biên bản và "
              "sửa trước khi kết thúc.") % {"count": len(found)}  # fmt: skip
        )
    return first


def visible_entries(entrants: Mapping[int, int | None], viewer_id: int) -> Sequence[int]:
    """The rounds `viewer_id` may see: all of them once both are in, else only their own.

    `entrants` maps a round to the id of its entrant (None: not typed yet)."""
    if all(entrants.get(r) is not None for r in ROUNDS):
        return ROUNDS
    return tuple(r for r in ROUNDS if entrants.get(r) == viewer_id)


def _order(line: Hashable):
    return (line is not None, str(line))
