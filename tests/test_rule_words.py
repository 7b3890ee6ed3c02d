"""Every rule the schema and the loader state reads in Chinese, keeping the CSV's literals."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashboard import dictionary, rule_words, schema
from dashboard.rule_words import rule_text

LITERAL = re.compile(r"[A-Za-z][A-Za-z0-9_./:'-]*")


def schema_rules() -> set[str]:
    return {
        dictionary._rule(check)
        for file_schema in schema.SCHEMAS.values()
        for column in file_schema.columns.values()
        for check in column.checks
    }


@pytest.mark.parametrize("rule", sorted(schema_rules()))
def test_every_schema_rule_reads_in_chinese(rule: str) -> None:
    chinese = rule_text(rule, "zh")
    assert re.search(r"[\u4e00-\u9fff]", chinese), f"no Chinese for {rule!r}"
    # Latin left in the Chinese is what the CSV holds: ids, values, units, formats.
    english_words = {word.strip(".'") for word in LITERAL.findall(rule)}
    leftover = [w for w in LITERAL.findall(chinese) if w.strip(".'") not in english_words]
    assert not leftover, f"{rule!r} -> {chinese!r}"
    assert rule_text(rule, "en") == rule


def test_values_and_units_keep_their_literals() -> None:
    assert rule_text("must be one of core, whole", "zh") == "须为以下之一：core、whole"
    assert rule_text("must be at most 1000 bn yuan (check the unit)", "zh") == (
        "不得超过 1000 十亿元（请核对单位）"
    )
    assert rule_text("must be at most 100000 datasets", "zh") == "不得超过 100000 个"
    assert rule_text("must be 1 to 40 characters", "zh") == "须为 1 至 40 个字符"
    assert rule_text("a rule no one has worded", "zh") == "a rule no one has worded", "kept"


def test_every_loader_rule_worded_here_is_one_the_loader_states() -> None:
    loader = Path(rule_words.__file__).with_name("data.py").read_text(encoding="utf-8")
    stale = [
        rule for rule in rule_words._EXACT_ZH if rule not in schema_rules() and rule not in loader
    ]
    assert not stale, f"no longer stated by schema or loader: {stale}"


def test_chinese_dictionary_has_no_english_rule_or_description() -> None:
    table = dictionary.dictionary_table("zh")
    for rules in table["规则"]:
        assert not re.search(r"\bmust\b", rules), rules
    assert table["说明"].str.contains(r"[\u4e00-\u9fff]").all(), "every column described"
