"""Reading rule sets shipped as data files, and loading them into the database.

The loading works with the real models and with the historical models of a
data migration. Rows that already exist are never changed: an administrator
may have tuned a parameter, and a changed regulation comes as a new rule set
with its own effective date, not as an edit of the old one.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .choices import Severity

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_FILE = DATA_DIR / "default.json"
FORMAT = "canbo-rule-sets"


class RuleSetFileError(ValueError):
    pass


def read_rule_sets(path: Path = DEFAULT_FILE) -> list[dict[str, Any]]:
    """The rule sets of a data file, checked and with dates parsed."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if data.get("format") != FORMAT or data.get("version") != 1:
        raise RuleSetFileError(f"{path}: not a {FORMAT} version 1 file")
    out = []
    for rs in data["rule_sets"]:
        rules = []
        codes = set()
        for rule in rs["rules"]:
            if rule["severity"] not in Severity.values:
                raise RuleSetFileError(
                    f"{rs['code']} {rule['code']}: severity {rule['severity']!r}"
                )
            if not isinstance(rule.get("parameters", {}), dict):
                raise RuleSetFileError(f"{rs['code']} {rule['code']}: parameters must be an object")
            if rule["code"] in codes:
                raise RuleSetFileError(f"{rs['code']}: rule {rule['code']} twice")
            codes.add(rule["code"])
            rules.append(
                {
                    "code": rule["code"],
                    "name": rule["name"],
                    "citation": rule["citation"],
                    "severity": rule["severity"],
                    "parameters": rule.get("parameters", {}),
                    "enabled": bool(rule.get("enabled", True)),
                }
            )
        out.append(
            {
                "code": rs["code"],
                "name": rs["name"],
                "effective_from": dt.date.fromisoformat(rs["effective_from"]),
                "note": rs.get("note", ""),
                "rules": rules,
            }
        )
    return out


def load_rule_sets(
    rule_set_model, rule_model, rule_sets: list[dict[str, Any]], check: Callable | None = None
) -> list:
    """Create the rule sets and rules that are missing; return the rows created.

    `check(row)` runs on each new row before it is saved (the service passes
    `full_clean`; a data migration's historical models have none).
    """
    created = []

    def save(row):
        if check is not None:
            check(row)
        row.save()
        created.append(row)
        return row

    for data in rule_sets:
        fields = {k: v for k, v in data.items() if k != "rules"}
        rule_set = rule_set_model.objects.filter(code=data["code"]).first()
        if rule_set is None:
            rule_set = save(rule_set_model(**fields))
        existing = set(rule_model.objects.filter(rule_set=rule_set).values_list("code", flat=True))
        for rule in data["rules"]:
            if rule["code"] not in existing:
                save(rule_model(rule_set=rule_set, **rule))
    return created


def load_shipped_rule_sets(apps, schema_editor) -> None:
    """Data migrations: add what the shipped rule sets gained; existing rows stay as they are."""
    load_rule_sets(
        apps.get_model("rules", "RuleSet"), apps.get_model("rules", "Rule"), read_rule_sets()
    )
