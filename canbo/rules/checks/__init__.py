"""The registry of checks: rule code → pure function `(facts, rule, ctx) -> list[Finding]`.

A rule set may name codes with no check here yet; the runner skips them. Planning's
checks read `facts.plans`, the appointment checks `facts.cases`: each runner takes its
own (`rules.engine.run_checks`, `run_case_checks`, `run_review_checks`: sessions and
rounds, `facts_reviews.ReviewFacts`; `run_post_checks`: holders of posts, R4 and R5,
`facts_posts.PostsFacts`).
"""

from .appointments import APPOINTMENT_CHECKS as _CASE_CHECKS
from .planning import PLANNING_CHECKS
from .posts import POST_CHECKS
from .procedures import PROCEDURE_CHECKS
from .reviews import REVIEW_CHECKS
from .rotation import ROTATION_CHECKS

APPOINTMENT_CHECKS = {**_CASE_CHECKS, **PROCEDURE_CHECKS}

CHECKS = {**PLANNING_CHECKS, **APPOINTMENT_CHECKS, **REVIEW_CHECKS, **ROTATION_CHECKS, **POST_CHECKS}

__all__ = [
    "APPOINTMENT_CHECKS", "CHECKS", "PLANNING_CHECKS", "POST_CHECKS", "REVIEW_CHECKS",
    "ROTATION_CHECKS",
]  # fmt: skip
