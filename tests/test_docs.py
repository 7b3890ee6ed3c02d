"""Documentation cannot drift: the data dictionary, translations and the README's commands."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from dashboard import dictionary, i18n, schema

REPO = Path(__file__).resolve().parent.parent


def test_data_dictionary_matches_the_schema() -> None:
    readme = (REPO / "data" / "README.md").read_text(encoding="utf-8")
    assert dictionary.dictionary_markdown() in readme, "run: python -m dashboard.dictionary"


@pytest.mark.parametrize("file", schema.SCHEMAS)
def test_every_column_is_documented(file: str) -> None:
    readme = (REPO / "data" / "README.md").read_text(encoding="utf-8")
    section = readme.split(f"### `{file}`")[1].split("###")[0]
    for name, column in schema.SCHEMAS[file].columns.items():
        assert column.description, f"{file}:{name} has no description"
        assert f"| `{name}` |" in section, f"{file}:{name} missing from data/README.md"


def test_every_text_has_both_languages_with_the_same_placeholders() -> None:
    fields = string.Formatter()
    for key, (english, chinese) in i18n.TEXT.items():
        assert english.strip() and chinese.strip(), key
        assert {f for _, f, _, _ in fields.parse(english) if f} == {
            f for _, f, _, _ in fields.parse(chinese) if f
        }, key


def test_every_column_has_a_chinese_label() -> None:
    for name, column in schema.regions_schema.columns.items():
        assert column.title and column.metadata["label_zh"], name


def test_readme_opens_with_the_two_commands() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    opening = "\n".join(readme.splitlines()[:40])
    assert "make run" in opening and "make test" in opening
    assert re.search(r"!\[[^\]]+\]\((docs/[^)]+\.png)\)", opening), "a screenshot up top"
    for image in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", readme):
        assert (REPO / image).exists(), image


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    for target in ("run:", "test:", "geo:", "bench:", "load:"):
        assert f"\n{target}" in makefile, target


def test_chinese_data_dictionary_names_types_in_chinese() -> None:
    table = dictionary.dictionary_table("zh")
    assert set(table["类型"]) <= {"整数", "数值", "是/否", "文本"}
    assert table["类型"].notna().all() and table["必填"].isin(["是", "否"]).all()
