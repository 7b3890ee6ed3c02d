"""The data's rules in Chinese: the schema's check messages and the loader's own.

The schema states each rule once, in English, as `make validate` prints it and as the
data dictionary's English edition shows it. A Chinese reader of the dictionary or of the
error page gets the same rule in Chinese: a family of messages that differ only in their
numbers, values or unit is one pattern here, every other message an exact entry. Ids,
literal values, codes and formats stay as written in the CSV files ("core, whole").
`tests/test_rule_words.py` checks that every message the schema can print has its Chinese.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from dashboard import schema

# The units of figures as stored in the CSV files, in Chinese as the schema declares them.
_UNITS_ZH = {
    **{
        column.metadata["unit"]: column.metadata["unit_zh"]
        for file_schema in schema.SCHEMAS.values()
        for column in file_schema.columns.values()
        if (column.metadata or {}).get("unit")
    },
    **{kind.unit_en: kind.unit_zh for kind in schema.INSTRUMENT_KINDS.values()},
}

_EXACT_ZH = {
    "must be plain text, not HTML markup": "须为纯文本，不得含 HTML 标记",
    "must be a real calendar date": "须为真实存在的日期",
    "must be greater than 0": "须大于 0",
    "must be greater than 0 (leave blank when unknown)": "须大于 0（未知时留空）",
    "must be greater than 0 (leave the row out when unknown)": "须大于 0（未知时不填此行）",
    "must not be negative": "不得为负数",
    "must be a 6-digit GB/T 2260 code of a city or district": (
        "须为市或区县的 6 位行政区划代码（GB/T 2260）"
    ),
    "must be a mainland province's GB/T 2260 code": "须为大陆省级行政区划代码（GB/T 2260）",
    "must name a citable column of regions.csv": "须为 regions.csv 中可引用的列名",
    "must be at most 100 (a share of cost in %)": "不得超过 100（占成本的百分比）",
    "must be YYYY-MM-DD or YYYY-MM": "格式须为 YYYY-MM-DD 或 YYYY-MM",
    "must be a document id like js-ai-plus-2025 (a-z, 0-9, hyphens)": (
        "须为文件编号，如 js-ai-plus-2025（a-z、0-9、连字符）"
    ),
    "must be a lower-case id (a-z, 0-9, _)": "须为小写编号（a-z、0-9、_）",
    "must be an http:// or https:// address": "须为 http:// 或 https:// 地址",
    "must be an id like zj-hangzhou-voucher-budget-1 (a-z, 0-9, -, _)": (
        "须为编号，如 zj-hangzhou-voucher-budget-1（a-z、0-9、-、_）"
    ),
    "must be track ids separated by ';' (no spaces)": "须为以“;”分隔的赛道编号（不含空格）",
    # The loader's own rules (dashboard/data.py) that name no number or value.
    "required value is missing": "缺少必填值",
    "required column is missing": "缺少必需的列",
    "duplicate value": "值重复",
    "unknown column (not in the data dictionary)": "未知的列（不在数据字典中）",
    "column appears twice in the header": "表头中该列出现两次",
    "file is missing": "文件缺失",
    "file is empty": "文件为空",
    "has a header but no data rows": "只有表头，没有数据行",
    "unknown track id": "未知的赛道编号",
    "not an id in documents.csv": "不是 documents.csv 中的编号",
    "province is not in regions.csv": "该省份不在 regions.csv 中",
}


def _at_most_zh(found: re.Match[str]) -> str:
    limit, unit, check_unit = found.groups()
    unit_zh = _UNITS_ZH.get(unit or "", unit or "")
    limit = f"{limit} {unit_zh}" if unit_zh else limit
    return f"不得超过 {limit}" + ("（请核对单位）" if check_unit else "")


# Messages that differ only in a number, a unit or the values listed.
_PATTERNS_ZH: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"must be 1 to (\d+) characters"), lambda m: f"须为 1 至 {m[1]} 个字符"),
    (
        re.compile(r"must be a year from (\d{4}) to (\d{4})"),
        lambda m: f"须为 {m[1]} 至 {m[2]} 年之间的年份",
    ),
    (re.compile(r"must be one of (.+)"), lambda m: "须为以下之一：" + "、".join(m[1].split(", "))),
    (re.compile(r"must be at most ([\d.]+)(?: (.+?))?( \(check the unit\))?"), _at_most_zh),
]


def rule_text(rule: str, lang: str) -> str:
    """`rule` in `lang`: itself in English, its Chinese where this module knows it, and
    itself again where it does not (a rule is never dropped or guessed)."""
    if lang != "zh":
        return rule
    if rule in _EXACT_ZH:
        return _EXACT_ZH[rule]
    for pattern, chinese in _PATTERNS_ZH:
        found = pattern.fullmatch(rule)
        if found:
            return chinese(found)
    return rule
