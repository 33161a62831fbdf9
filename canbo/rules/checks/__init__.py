"""The registry of checks: rule code → pure function `(facts, rule, ctx) -> list[Finding]`.

A rule set may name codes with no check here yet (P9…); the runner skips them.
"""

from .planning import PLANNING_CHECKS

CHECKS = {**PLANNING_CHECKS}

__all__ = ["CHECKS"]
