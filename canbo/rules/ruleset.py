"""Rule sets as plain, frozen values: what checks receive instead of model rows."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from django.utils.translation import gettext_lazy as _


def freeze(value: Any) -> Any:
    """A read-only copy of JSON data: dicts become mapping proxies, lists tuples."""
    if isinstance(value, Mapping):
        return MappingProxyType({k: freeze(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(freeze(v) for v in value)
    return value


def thaw(value: Any) -> Any:
    """The JSON form of a frozen value (for storing and comparing parameters)."""
    if isinstance(value, Mapping):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [thaw(v) for v in value]
    return value


def as_fraction(value: Any) -> Fraction:
    """Shares are written "1/2", "0.25" or 0.25 in parameters; compared exactly."""
    if isinstance(value, bool) or value is None:
        raise ValueError(value)
    return Fraction(str(value).strip())


class ParameterError(ValueError):
    """A rule's parameters lack a value a check needs, or carry an unusable one."""


class NoRuleSetInForce(LookupError):
    """No rule set applies on the date asked (`selectors.rule_set_in_force`), or the one that
    does cannot be used (`sample.UnusableRuleSet`). Defined here, with the plain values, so
    that the selectors and the sample, which import each other's names, share no cycle."""


@dataclass(frozen=True)
class RuleData:
    code: str
    name: str
    citation: str
    severity: str
    parameters: Mapping[str, Any] = dataclasses.field(default_factory=lambda: freeze({}))
    enabled: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.parameters, MappingProxyType):
            object.__setattr__(self, "parameters", freeze(dict(self.parameters)))

    def param(self, name: str) -> Any:
        try:
            return self.parameters[name]
        except KeyError:
            raise ParameterError(
                _("Quy tắc %(code)s thiếu tham số “%(name)s”.") % {"code": self.code, "name": name}
            ) from None

    def fraction(self, name: str) -> Fraction:
        value = self.param(name)
        try:
            return as_fraction(value)
        except (ValueError, ZeroDivisionError):
            raise ParameterError(
                _("Tham số “%(name)s” của quy tắc %(code)s không phải là một tỷ lệ: %(value)r.")
                % {"code": self.code, "name": name, "value": value}
            ) from None


@dataclass(frozen=True)
class RuleSetData:
    code: str
    name: str
    effective_from: dt.date
    rules: tuple[RuleData, ...] = ()
    note: str = ""

    def rule(self, code: str) -> RuleData | None:
        for rule in self.rules:
            if rule.code == code:
                return rule
        return None

    def with_parameters(self, code: str, **changes: Any) -> RuleSetData:
        """A copy in which one rule's parameters are changed (what-if on the rules themselves)."""
        rule = self.rule(code)
        if rule is None:
            raise KeyError(code)
        params = {**thaw(rule.parameters), **changes}
        return self.replace_rule(dataclasses.replace(rule, parameters=freeze(params)))

    def replace_rule(self, new: RuleData) -> RuleSetData:
        rules = tuple(new if r.code == new.code else r for r in self.rules)
        if new.code not in {r.code for r in self.rules}:
            rules += (new,)
        return dataclasses.replace(self, rules=rules)
