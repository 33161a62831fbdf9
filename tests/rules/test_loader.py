import datetime as dt
import json

import pytest

from canbo.rules.loader import DEFAULT_FILE, RuleSetFileError, read_rule_sets


def test_the_default_file_holds_one_rule_set_with_p1_to_p9_and_the_appointment_rules():
    (rule_set,) = read_rule_sets()
    assert rule_set["code"] == "QĐ 377/2025"
    assert rule_set["effective_from"] == dt.date(2025, 10, 8)
    assert [r["code"] for r in rule_set["rules"]] == [f"P{i}" for i in range(1, 10)] + [
        "A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8", "A9", "A10",
        "C1", "C2", "C3", "C4", "C5", "E1", "E2", "E3", "E4", "R1", "R2", "R3", "R4", "R5",
    ]  # fmt: skip
    assert {r["citation"].split(";")[0] for r in rule_set["rules"][:9]} == {
        "Quy định 377-QĐ/TW ngày 08/10/2025"
    }
    assert [r["citation"] for r in rule_set["rules"] if r["code"] in ("A1", "A7")] == [
        "Quy định 377-QĐ/TW ngày 08/10/2025, Điều 34",
        "Nghị định 170/2025/NĐ-CP",
    ]
    assert rule_set["rules"][0]["parameters"] == {
        "max_people_per_position": 3,
        "multiply_by_seats": True,
    }


def _write(tmp_path, change):
    data = json.loads(DEFAULT_FILE.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="other"), "not a canbo-rule-sets version 1 file"),
        (lambda d: d["rule_sets"][0]["rules"][0].update(severity="fatal"), "P1: severity 'fatal'"),
        (lambda d: d["rule_sets"][0]["rules"][1].update(parameters=[3]), "P2: parameters must be an object"),
        (lambda d: d["rule_sets"][0]["rules"].append(d["rule_sets"][0]["rules"][0]), "rule P1 twice"),
    ],
)  # fmt: skip
def test_bad_files_are_refused(tmp_path, change, message):
    with pytest.raises(RuleSetFileError, match=message):
        read_rule_sets(_write(tmp_path, change))
