"""Every column is described in Chinese too, and the Chinese keeps the English's literals."""

from __future__ import annotations

import re

import pandera.pandas as pa
import pytest

from dashboard import schema

_HAN = re.compile(r"[\u4e00-\u9fff]")
# What a description names literally and the CSV holds verbatim: snake_case ids (column
# names, vocabulary values), file names and `backticked` names.
_LITERALS = (
    re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b"),
    re.compile(r"\b\w+\.csv\b"),
    re.compile(r"`([^`]+)`"),
)


def _columns() -> list[tuple[str, str, pa.Column]]:
    """Every column of every file, plus the money views the app adds to the province table."""
    columns = [
        (file, name, column)
        for file, file_schema in schema.SCHEMAS.items()
        for name, column in file_schema.columns.items()
    ]
    columns += [("provinces", name, column) for name, column in schema.MONEY_COLUMNS.items()]
    return columns


def _vocabulary(column: pa.Column) -> tuple[str, ...]:
    """The values a column may hold, when it is checked against a list of them."""
    return tuple(
        value
        for check in column.checks
        if check.name == "isin"
        for value in check.statistics["allowed_values"]
        if isinstance(value, str)
    )


def _literals(column: pa.Column) -> set[str]:
    english = column.description or ""
    found = {m.group(m.re.groups) for pattern in _LITERALS for m in pattern.finditer(english)}
    # A vocabulary value the English spells out (e.g. `official` in grade) is a CSV value too.
    found |= {v for v in _vocabulary(column) if re.search(rf"\b{re.escape(v)}\b", english)}
    return found


COLUMNS = _columns()


def test_all_columns_are_checked() -> None:
    assert {file for file, _, _ in COLUMNS} == {*schema.SCHEMAS, "provinces"}
    assert len(COLUMNS) == sum(len(s.columns) for s in schema.SCHEMAS.values()) + len(
        schema.MONEY_COLUMNS
    )


@pytest.mark.parametrize(
    ("file", "name", "column"), COLUMNS, ids=[f"{f}:{n}" for f, n, _ in COLUMNS]
)
def test_column_has_a_chinese_description(file: str, name: str, column: pa.Column) -> None:
    chinese = column.metadata.get("description_zh", "")
    assert column.description, f"{file}:{name} has no English description"
    assert chinese.strip() and _HAN.search(chinese), f"{file}:{name} has no Chinese description"
    missing = sorted(literal for literal in _literals(column) if literal not in chinese)
    assert not missing, f"{file}:{name}: the Chinese description drops {missing}"


def test_literals_are_found() -> None:
    """The literal check is real: it finds ids, file names, backticks and vocabulary words."""
    columns = {(f, n): c for f, n, c in COLUMNS}
    assert {"compute_target_basis"} <= _literals(columns["regions.csv", "compute_target_eflops"])
    assert {"documents.csv"} <= _literals(columns["sources.csv", "document"])
    assert {"unit"} <= _literals(columns["cities.csv", "value"])
    assert set(schema.GRADES) <= _literals(columns["sources.csv", "grade"])
    assert set(schema.COMPUTE_BASES) <= _literals(columns["regions.csv", "compute_target_basis"])
    assert set(schema.INSTRUMENT_LEVELS) <= _literals(columns["instruments.csv", "level"])


def test_instrument_kinds_are_described_in_chinese() -> None:
    for kind in schema.INSTRUMENT_KINDS.values():
        assert _HAN.search(kind.description_zh), kind.id
