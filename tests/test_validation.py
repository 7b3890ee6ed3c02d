"""Bad data gets a clear error, nothing is lost.

Each case copies tests/fixtures/mini into tmp_path, breaks it with one small mutation and
states literally the `file:row:column: rule (value)` lines a curator must see (row = CSV
line, header is line 1). Accepted cases state the notice and the value the loader keeps.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from dashboard import schema
from dashboard.data import DataError, Dataset, Problem, load_dataset
from dashboard.validate import main

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini"

Mutation = Callable[[Path], None]


# --- mutations ----------------------------------------------------------------------------


def replace(file: str, old: str, new: str) -> Mutation:
    """Replace the one occurrence of `old` in `file` (UTF-8)."""

    def mutate(folder: Path) -> None:
        path = folder / file
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} must occur once in {file}"
        path.write_text(text.replace(old, new), encoding="utf-8")

    return mutate


def rewrite(file: str, change: Callable[[bytes], bytes]) -> Mutation:
    """Rewrite the raw bytes of `file`."""

    def mutate(folder: Path) -> None:
        path = folder / file
        path.write_bytes(change(path.read_bytes()))

    return mutate


def drop_column(file: str, column: str) -> Mutation:
    """Remove `column` from the header and from every row, as deleting it in Excel would."""

    def mutate(folder: Path) -> None:
        path = folder / file
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
        position = rows[0].index(column)
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(
            [value for index, value in enumerate(row) if index != position] for row in rows
        )
        path.write_text(out.getvalue(), encoding="utf-8")

    return mutate


def add_column(file: str, column: str, value: str) -> Mutation:
    def mutate(folder: Path) -> None:
        path = folder / file
        header, *rows = path.read_text(encoding="utf-8").splitlines()
        lines = [f"{header},{column}", *(f"{row},{value}" for row in rows)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    return mutate


def delete(file: str) -> Mutation:
    return lambda folder: (folder / file).unlink()


def pad_to(file: str, size: int) -> Mutation:
    """Grow `file` to `size` bytes at once (sparse where the file system allows)."""

    def mutate(folder: Path) -> None:
        with (folder / file).open("r+b") as handle:
            handle.truncate(size)

    return mutate


def both(*mutations: Mutation) -> Mutation:
    def mutate(folder: Path) -> None:
        for mutation in mutations:
            mutation(folder)

    return mutate


def header_only(raw: bytes) -> bytes:
    return raw.split(b"\n")[0] + b"\n"


def gbk(raw: bytes) -> bytes:
    return raw.decode("utf-8").encode("gbk")


def build(tmp_path: Path, mutation: Mutation) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(MINI, folder)
    mutation(folder)
    return folder


def problems_of(folder: Path) -> list[Problem]:
    with pytest.raises(DataError) as caught:
        load_dataset(folder)
    return caught.value.problems


# --- rejected folders ---------------------------------------------------------------------

ANHUI_FUND = "fund,20,cny_bn"  # instruments.csv line 2: Anhui's provincial fund
FUJIAN = "350000,Fujian,福建省,eastern,false,false,"  # line 3, up to fund
CHIPS = "Integrated circuits and AI chips."  # tracks.csv line 2, last cell
NDRC = "https://www.ndrc.gov.cn/"  # sources.csv line 4 (Anhui compute_hub)
NOT_A_CODE = "must be a mainland province's GB/T 2260 code"
NO_UNITS = "must be a plain number in the column's unit, without units in the cell"

BROKEN = [
    # columns
    pytest.param(
        drop_column("regions.csv", "region"),
        ["regions.csv:1:region: required column is missing"],
        id="missing-column",
    ),
    pytest.param(
        replace("regions.csv", ",focus_tracks,", ","),
        [f"regions.csv:{line}:-: has 24 fields, the header has 23" for line in (2, 3, 4)],
        id="column-name-deleted-from-header-only",
    ),
    pytest.param(
        replace("regions.csv", ",datasets_target,", ",datasets,"),
        [
            "regions.csv:1:datasets: unknown column (not in the data dictionary)",
            "regions.csv:1:datasets_target: required column is missing",
        ],
        id="renamed-column",
    ),
    pytest.param(
        add_column("tracks.csv", "owner", "me"),
        ["tracks.csv:1:owner: unknown column (not in the data dictionary)"],
        id="extra-unknown-column",
    ),
    pytest.param(
        replace("tracks.csv", "track,label_en,label_zh,", "track,label_en,label_en,"),
        ["tracks.csv:1:label_en: column appears twice in the header"],
        id="duplicate-column-name",
    ),
    # numbers
    pytest.param(
        replace("regions.csv", ",5011.5,", ",lots,"),
        ["regions.csv:2:gdp_2024_cny_bn: must be a number (lots)"],
        id="text-in-number-column",
    ),
    pytest.param(
        replace("instruments.csv", ANHUI_FUND, "fund,-5,cny_bn"),
        ["instruments.csv:2:amount: must be greater than 0 (leave the row out when unknown) (-5)"],
        id="negative-amount",
    ),
    pytest.param(
        replace("instruments.csv", ANHUI_FUND, "fund,0,cny_bn"),
        ["instruments.csv:2:amount: must be greater than 0 (leave the row out when unknown) (0)"],
        id="zero-amount",
    ),
    pytest.param(
        replace("instruments.csv", ANHUI_FUND, "fund,5000,cny_bn"),
        ["instruments.csv:2:amount: a fund must be at most 1000 bn yuan (check the unit) (5000)"],
        id="absurd-amount",
    ),
    pytest.param(
        replace("regions.csv", ",100,", ",200000,"),
        ["regions.csv:2:datasets_target: must be at most 100000 datasets (200000)"],
        id="absurd-count",
    ),
    pytest.param(
        replace("regions.csv", ",100,", ",100.5,"),
        ["regions.csv:2:datasets_target: must be a whole number (100.5)"],
        id="fraction-in-count",
    ),
    pytest.param(
        replace("instruments.csv", ANHUI_FUND, "fund,15%,cny_bn"),
        ["instruments.csv:2:amount: must be a plain number, not a percentage (15%)"],
        id="percent-sign",
    ),
    pytest.param(
        replace("instruments.csv", ANHUI_FUND, "fund,20亿元,cny_bn"),
        [f"instruments.csv:2:amount: {NO_UNITS} (20亿元)"],
        id="unit-in-cell",
    ),
    pytest.param(
        replace("instruments.csv", ANHUI_FUND, "fund,1e999,cny_bn"),
        ["instruments.csv:2:amount: must be a finite number (1e999)"],
        id="infinite-number",
    ),
    # codes and ids
    pytest.param(
        replace("regions.csv", "350000,Fujian", "340000,Fujian"),
        [
            "regions.csv:3:adcode: duplicate value (340000)",
        ],
        id="duplicate-adcode",
    ),
    pytest.param(
        replace("regions.csv", "460000,Hainan", "999999,Hainan"),
        [f"regions.csv:4:adcode: {NOT_A_CODE} (999999)"],
        id="unknown-adcode",
    ),
    pytest.param(
        replace("regions.csv", "460000,Hainan", "810000,Hainan"),
        [f"regions.csv:4:adcode: {NOT_A_CODE} (810000)"],
        id="hong-kong-adcode",
    ),
    pytest.param(
        replace("sources.csv", "460000,gdp_2024_cny_bn", "810000,gdp_2024_cny_bn"),
        [f"sources.csv:12:adcode: {NOT_A_CODE} (810000)"],
        id="hong-kong-adcode-in-sources",
    ),
    pytest.param(
        replace("cities.csv", "340000,Hefei", "110000,Hefei"),
        ["cities.csv:2:adcode: province is not in regions.csv (110000)"],
        id="city-of-province-not-in-regions",
    ),
    pytest.param(
        replace("regions.csv", "福建省,eastern,", "福建省,southern,"),
        ["regions.csv:3:region: must be one of eastern, central, western, northeast (southern)"],
        id="unknown-region",
    ),
    pytest.param(
        replace("regions.csv", ",models,5780.8", ",models;robots,5780.8"),
        ["regions.csv:3:focus_tracks: unknown track id (robots)"],
        id="unknown-track",
    ),
    pytest.param(
        replace("regions.csv", "chips;models", "chips; models"),
        [
            "regions.csv:2:focus_tracks: must be track ids separated by ';' (no spaces) "
            "(chips; models)"
        ],
        id="space-in-track-list",
    ),
    pytest.param(
        replace("sources.csv", "350000,focus_tracks,", "350000,tracks,"),
        ["sources.csv:7:field: must name a citable column of regions.csv (tracks)"],
        id="source-cites-unknown-field",
    ),
    # whole files and encodings
    pytest.param(
        rewrite("tracks.csv", lambda raw: b""), ["tracks.csv:-:-: file is empty"], id="empty-file"
    ),
    pytest.param(
        rewrite("tracks.csv", lambda raw: b" \r\n\n"),
        ["tracks.csv:-:-: file is empty"],
        id="whitespace-only-file",
    ),
    pytest.param(
        rewrite("regions.csv", header_only),
        ["regions.csv:-:-: has a header but no data rows"],
        id="header-only",
    ),
    pytest.param(delete("sources.csv"), ["sources.csv:-:-: file is missing"], id="missing-file"),
    pytest.param(
        # 芯片 in GBK happens to be valid UTF-8: the first undecodable byte is on line 3.
        rewrite("tracks.csv", gbk),
        ["tracks.csv:2:-: is not UTF-8 text (it decodes as GBK: save it as UTF-8)"],
        id="saved-as-gbk",
    ),
    pytest.param(
        rewrite("tracks.csv", lambda raw: raw.decode("utf-8").encode("utf-16")),
        ["tracks.csv:1:-: is not UTF-8 text"],
        id="saved-as-utf16",
    ),
    pytest.param(
        rewrite("tracks.csv", lambda raw: raw.replace(b",", b";")),
        ["tracks.csv:1:-: must be comma-separated, but the header is semicolon-separated"],
        id="semicolon-separated",
    ),
    pytest.param(
        rewrite("tracks.csv", lambda raw: raw.replace(b",", b"\t")),
        ["tracks.csv:1:-: must be comma-separated, but the header is tab-separated"],
        id="tab-separated",
    ),
    pytest.param(
        pad_to("sources.csv", 50_000_000),
        ["sources.csv:-:-: file is larger than 5 MB (50000000 bytes)"],
        id="50-MB-file",
    ),
    # rows and quoting
    pytest.param(
        replace("tracks.csv", "chips,Chips,", "chips,Chips,extra,"),
        ["tracks.csv:2:-: has 5 fields, the header has 4"],
        id="too-many-fields",
    ),
    pytest.param(
        replace("tracks.csv", "chips,Chips,芯片,", "chips,芯片,"),
        ["tracks.csv:2:-: has 3 fields, the header has 4"],
        id="too-few-fields",
    ),
    pytest.param(
        # Without strict quoting Fujian and Hainan would vanish into Anhui's strategy_zh.
        replace("regions.csv", "AI fund.,", 'AI fund.,"'),
        ['regions.csv:2:-: opens a quote (") that is never closed'],
        id="unclosed-quote",
    ),
    pytest.param(
        replace("tracks.csv", "chips,Chips,", 'chips,"Chips" AI,'),
        ['tracks.csv:2:-: has text right after a closing quote (")'],
        id="text-after-closing-quote",
    ),
    pytest.param(
        both(
            replace("tracks.csv", CHIPS, '"Integrated circuits\nand AI chips."'),
            replace("tracks.csv", "deep_sea,Deep-sea", "Deep_Sea,Deep-sea"),
        ),
        ["tracks.csv:6:track: must be a lower-case id (a-z, 0-9, _) (Deep_Sea)"],
        id="line-number-after-multi-line-cell",
    ),
    pytest.param(
        both(
            replace("regions.csv", "\n350000,", "\n\n\n350000,"),
            replace("regions.csv", FUJIAN, FUJIAN + "-5"),
        ),
        [
            "regions.csv:5:datasets_target: must be greater than 0 (leave blank when unknown) (-5)",
        ],
        id="line-number-after-blank-lines",
    ),
    # cells
    pytest.param(
        replace("regions.csv", "central,false,true", "central,no,true"),
        ["regions.csv:2:border: must be true or false (no)"],
        id="boolean-not-true-false",
    ),
    pytest.param(
        replace("regions.csv", "350000,Fujian,", "350000,,"),
        ["regions.csv:3:name_en: required value is missing"],
        id="required-cell-blank",
    ),
    pytest.param(
        replace("regions.csv", "350000,Fujian,", "350000," + "F" * 41 + ","),
        [f"regions.csv:3:name_en: must be 1 to 40 characters ({'F' * 41})"],
        id="text-too-long",
    ),
    pytest.param(
        replace("regions.csv", "Subsidies for industry models.", "<script>alert(1)</script>"),
        [
            "regions.csv:3:strategy_en: must be plain text, not HTML markup "
            "(<script>alert(1)</script>)"
        ],
        id="html-in-text",
    ),
    pytest.param(
        replace("sources.csv", NDRC, "javascript:alert(1)"),
        ["sources.csv:4:url: must be an http:// or https:// address (javascript:alert(1))"],
        id="javascript-url",
    ),
    pytest.param(
        replace("sources.csv", NDRC, '"data:text/html;base64,PHNjcmlwdD4="'),
        [
            "sources.csv:4:url: must be an http:// or https:// address "
            "(data:text/html;base64,PHNjcmlwdD4=)"
        ],
        id="data-url",
    ),
    pytest.param(
        replace("sources.csv", "2022-02-17", "2026-13-45"),
        ["sources.csv:4:published: must be a real calendar date (2026-13-45)"],
        id="impossible-date",
    ),
    pytest.param(
        replace("sources.csv", "2022-02-17", "2026/01/02"),
        # The second line is redundant: the date check also runs on a malformed date.
        [
            "sources.csv:4:published: must be YYYY-MM-DD or YYYY-MM (2026/01/02)",
        ],
        id="slash-date",
    ),
    pytest.param(
        replace("sources.csv", ",1048,official,", ",1048,officiel,"),
        ["sources.csv:13:grade: must be one of official, media, repost, secondary (officiel)"],
        id="unknown-grade",
    ),
    pytest.param(
        replace("regions.csv", ",2,2027,", ",2,2050,"),
        ["regions.csv:4:compute_target_year: must be a year from 2024 to 2035 (2050)"],
        id="year-out-of-range",
    ),
    # across files
    pytest.param(
        replace("regions.csv", "100,2027,,,,,,,,,,75", "100,2027,,,,,,,,2030,,75"),
        [
            "regions.csv:2:ai_industry_target_year: year given but ai_industry_target_cny_bn "
            "is blank (2030)"
        ],
        id="year-without-target",
    ),
    pytest.param(
        replace("regions.csv", FUJIAN, FUJIAN + "5"),
        ["regions.csv:3:datasets_target: figure has no source row in sources.csv (5)"],
        id="figure-without-source",
    ),
    pytest.param(
        replace("regions.csv", "福建省,eastern,false,false,", "福建省,eastern,false,true,"),
        ["regions.csv:3:compute_hub: figure has no source row in sources.csv (true)"],
        id="flag-without-source",
    ),
    pytest.param(
        replace("regions.csv", ",100,2027,", ",,,"),
        [
            "sources.csv:2:field: cites datasets_target, which regions.csv leaves blank "
            "for 340000 (datasets_target)"
        ],
        id="source-without-figure",
    ),
    # what a target counts and by when
    pytest.param(
        replace("regions.csv", ",2,2027,total,", ",2,2027,,"),
        ["regions.csv:4:compute_target_basis: basis required when compute_target_eflops is given"],
        id="missing-basis",
    ),
    pytest.param(
        replace("regions.csv", ",2,2027,total,", ",2,2027,totl,"),
        [
            "regions.csv:4:compute_target_basis: must be one of total, intelligent, "
            "supercomputing, service (totl)"
        ],
        id="unknown-basis",
    ),
    pytest.param(
        replace("regions.csv", FUJIAN + ",,,,", FUJIAN + ",,,,intelligent"),
        [
            "regions.csv:3:compute_target_basis: basis given but compute_target_eflops is blank "
            "(intelligent)"
        ],
        id="basis-without-target",
    ),
    pytest.param(
        replace("regions.csv", ",2,2027,total,", ",2,,total,"),
        ["regions.csv:4:compute_target_year: year required when compute_target_eflops is given"],
        id="target-without-year",
    ),
    pytest.param(
        replace("regions.csv", "100,2027,", "100,2027.5,"),
        ["regions.csv:2:datasets_target_year: must be a whole number (2027.5)"],
        id="fractional-year",
    ),
    # money instruments
    pytest.param(
        replace("instruments.csv", ",fund,5,cny_bn", ",grant,5,cny_bn"),
        [
            "instruments.csv:4:kind: must be one of fund, project_cap, firm_award, "
            "voucher_budget, voucher_cap, compute_subsidy, service_subsidy, application_award, "
            "lab_award, dataset_award (grant)"
        ],
        id="unknown-instrument-kind",
    ),
    pytest.param(
        replace(
            "instruments.csv",
            "340000,city,合肥市,Hefei,340100,fund",
            "340000,county,合肥市,Hefei,340100,fund",
        ),
        ["instruments.csv:4:level: must be one of province, city, district, zone (county)"],
        id="unknown-instrument-level",
    ),
    pytest.param(
        replace("instruments.csv", "project_cap,10,cny_mn", "project_cap,10,cny_bn"),
        ["instruments.csv:3:unit: unit of a project_cap must be cny_mn (cny_bn)"],
        id="unit-does-not-fit-kind",
    ),
    pytest.param(
        replace("instruments.csv", "350000,province,,,,", "350000,province,福州市,Fuzhou,,"),
        [
            "instruments.csv:3:place_en: a provincial instrument names no place (leave blank) "
            "(Fuzhou)",
            "instruments.csv:3:place_zh: a provincial instrument names no place (leave blank) "
            "(福州市)",
        ],
        id="provincial-instrument-with-place",
    ),
    pytest.param(
        replace(
            "instruments.csv", "340000,city,合肥市,Hefei,340100,fund", "340000,city,,,340100,fund"
        ),
        [
            "instruments.csv:4:place_en: a city instrument needs its place",
            "instruments.csv:4:place_zh: a city instrument needs its place",
        ],
        id="city-instrument-without-place",
    ),
    pytest.param(
        replace("instruments.csv", "ah-hefei-voucher-budget-1,", "ah-hefei-fund-1,"),
        ["instruments.csv:5:id: duplicate value (ah-hefei-fund-1)"],
        id="duplicate-instrument-id",
    ),
    pytest.param(
        replace("instruments.csv", ",final,ah-ai-plus-2025,", ",final,ah-ai-plus-2099,"),
        ["instruments.csv:2:document: not an id in documents.csv (ah-ai-plus-2099)"],
        id="instrument-unknown-document",
    ),
    pytest.param(
        replace("instruments.csv", ",final,ah-ai-plus-2025,", ",final,fj-ai-measures-2024,"),
        [
            "instruments.csv:2:document: document belongs to 350000, not 340000 "
            "(fj-ai-measures-2024)"
        ],
        id="instrument-document-of-another-province",
    ),
    # the documents catalogue
    pytest.param(
        replace("documents.csv", "ai_plus_plan,final", "plan,final"),
        [
            "documents.csv:2:kind: must be one of ai_plus_plan, fyp15_outline, ai_industry_plan, "
            "compute_plan, data_plan, measures, work_report, other (plan)"
        ],
        id="unknown-kind",
    ),
    pytest.param(
        replace("documents.csv", "fyp15_outline,draft", "fyp15_outline,pending"),
        ["documents.csv:4:status: must be one of final, draft (pending)"],
        id="unknown-status",
    ),
    pytest.param(
        replace("documents.csv", "2025-10-20", "2025-13-20"),
        ["documents.csv:2:issued: must be a real calendar date (2025-13-20)"],
        id="document-bad-date",
    ),
    pytest.param(
        replace("documents.csv", "2025-10-20", "20.10.2025"),
        ["documents.csv:2:issued: must be YYYY-MM-DD or YYYY-MM (20.10.2025)"],
        id="document-date-format",
    ),
    pytest.param(
        replace("sources.csv", ",official,,ah-ai-plus-2025", ",official,,ah-ai-plus-2099"),
        ["sources.csv:14:document: not an id in documents.csv (ah-ai-plus-2099)"],
        id="unknown-document-id",
    ),
    pytest.param(
        replace("sources.csv", ",official,,ah-ai-plus-2025", ",official,,fj-ai-measures-2024"),
        ["sources.csv:14:document: document belongs to 350000, not 340000 (fj-ai-measures-2024)"],
        id="document-of-another-province",
    ),
    pytest.param(
        replace("documents.csv", "ah-ai-plus-2025,340000", "ah-ai-plus-2025,340100"),
        [f"documents.csv:2:adcode: {NOT_A_CODE} (340100)"],
        id="city-document",
    ),
    pytest.param(
        replace("documents.csv", "fj-ai-measures-2024,", "ah-ai-plus-2025,"),
        ["documents.csv:3:document: duplicate value (ah-ai-plus-2025)"],
        id="duplicate-document-id",
    ),
    pytest.param(
        replace("documents.csv", ",2026-01,fyp15_outline,draft", ",,fyp15_outline,draft"),
        ["documents.csv:4:issued: a draft needs its date (the call for comment or the submission)"],
        id="draft-without-date",
    ),
    pytest.param(
        replace("documents.csv", "ah-ai-plus-2025,340000", "AH plan,340000"),
        [
            "documents.csv:2:document: must be a document id like js-ai-plus-2025 (a-z, 0-9, "
            "hyphens) (AH plan)"
        ],
        id="bad-document-id",
    ),
    pytest.param(
        delete("documents.csv"), ["documents.csv:-:-: file is missing"], id="no-documents"
    ),
    pytest.param(
        both(
            replace("regions.csv", FUJIAN, FUJIAN + "-5"),
            replace("sources.csv", NDRC, "javascript:alert(1)"),
            rewrite("tracks.csv", lambda raw: b""),
            replace("instruments.csv", ANHUI_FUND, "fund,-5,cny_bn"),
        ),
        [
            "instruments.csv:2:amount: must be greater than 0 (leave the row out when unknown) "
            "(-5)",
            "regions.csv:3:datasets_target: must be greater than 0 (leave blank when unknown) (-5)",
            "sources.csv:4:url: must be an http:// or https:// address (javascript:alert(1))",
            "tracks.csv:-:-: file is empty",
        ],
        id="every-file-reported-in-one-pass",
    ),
]


FILE_RULES = ("file is ", "has a header but no data rows")
LINE_RULES = re.compile(
    r"^(has \d+ fields|is not UTF-8|must be comma-separated|opens a quote|has text right after)"
)
JARGON = re.compile(r"dtype|str_matches|isin|greater_than|less_than|in_range|Check|Series")


@pytest.mark.parametrize(("mutation", "expected"), BROKEN)
def test_broken_folder_reports_exact_problems(
    tmp_path: Path, mutation: Mutation, expected: list[str]
) -> None:
    folder = build(tmp_path, mutation)
    problems = problems_of(folder)
    assert [str(problem) for problem in problems] == expected
    for problem in problems:
        assert_located(folder, problem)


def assert_located(folder: Path, problem: Problem) -> None:
    """The problem names its file, and the row and column wherever the rule has them."""
    assert problem.file in schema.SCHEMAS
    assert not JARGON.search(problem.rule), problem
    if problem.rule.startswith(FILE_RULES):
        assert (problem.row, problem.column) == (None, None), problem
        return
    assert problem.row is not None, problem
    lines = (folder / problem.file).read_bytes().decode("utf-8", "replace").splitlines()
    assert 1 <= problem.row <= len(lines), problem
    line = lines[problem.row - 1]
    if LINE_RULES.match(problem.rule):
        assert problem.column is None, problem
        return
    assert problem.column is not None, problem
    known = problem.column in schema.SCHEMAS[problem.file].columns
    assert known or (problem.row == 1 and problem.column in line.split(",")), problem
    if problem.value is not None:
        assert problem.value in line, f"{problem} does not show a value of line {problem.row}"


# --- accepted folders ---------------------------------------------------------------------

# (table, key column, key, column, value) changes the mutation makes to the mini dataset.
Change = tuple[str, str, object, str, object]

ACCEPTED = [
    pytest.param(
        rewrite("regions.csv", lambda raw: b"\xef\xbb\xbf" + raw),
        ["regions.csv:-: removed a UTF-8 byte-order mark (BOM)"],
        [],
        id="utf8-bom",
    ),
    pytest.param(
        replace("instruments.csv", "project_cap,10,", 'project_cap,"2,000",'),
        ["instruments.csv:amount: removed thousands separators (rows 3)"],
        [
            ("instruments", "id", "fj-prov-project-cap-1", "amount", 2000.0),
            ("regions", "adcode", 350000, "project_cap", 2000.0),
        ],
        id="thousands-separator-amount",
    ),
    pytest.param(
        replace("regions.csv", ",100,", ',"2,000",'),
        ["regions.csv:datasets_target: removed thousands separators (rows 2)"],
        [("regions", "adcode", 340000, "datasets_target", 2000)],
        id="thousands-separator-count",
    ),
    pytest.param(
        both(
            replace("instruments.csv", ANHUI_FUND, "fund,20  ,cny_bn"),
            replace("regions.csv", "350000,Fujian,", "350000, Fujian ,"),
        ),
        [
            "regions.csv:name_en: trimmed surrounding spaces (rows 3)",
            "instruments.csv:amount: trimmed surrounding spaces (rows 2)",
        ],
        [],
        id="trailing-spaces",
    ),
    pytest.param(
        both(
            replace("regions.csv", "\n350000,", "\n\n,,\n350000,"),
            rewrite("tracks.csv", lambda raw: raw + b"\n\n"),
        ),
        [
            "regions.csv:-: skipped blank lines (rows 3, 4)",
            "tracks.csv:-: skipped blank lines (rows 8, 9)",
        ],
        [],
        id="blank-lines",
    ),
    pytest.param(
        replace("tracks.csv", "track,label_en,", "track , label_en,"),
        ["tracks.csv:-: trimmed spaces around column names"],
        [],
        id="spaces-around-column-names",
    ),
    pytest.param(
        rewrite("sources.csv", lambda raw: raw.replace(b"\n", b"\r\n")),
        [],
        [],
        id="windows-line-endings",
    ),
    pytest.param(
        replace("regions.csv", "central,false,true", "central,FALSE,TRUE"),
        [],
        [],
        id="excel-upper-case-booleans",
    ),
    pytest.param(
        replace("tracks.csv", CHIPS, '"Integrated circuits,\nand AI chips."'),
        [],
        [("tracks", "track", "chips", "description", "Integrated circuits,\nand AI chips.")],
        id="quoted-comma-and-newline",
    ),
]


@pytest.fixture(scope="module")
def mini() -> Dataset:
    return load_dataset(MINI)


@pytest.mark.parametrize(("mutation", "notices", "changes"), ACCEPTED)
def test_accepted_folder_keeps_every_value(
    tmp_path: Path, mini: Dataset, mutation: Mutation, notices: list[str], changes: list[Change]
) -> None:
    dataset = load_dataset(build(tmp_path, mutation))
    assert [str(notice) for notice in dataset.notices] == notices
    tables = ("regions", "sources", "tracks", "region_strategies", "cities", "instruments")
    for table_name in tables:
        expected = getattr(mini, table_name).copy()
        for table, key_column, key, column, value in changes:
            if table == table_name:
                assert expected.loc[expected[key_column] == key, column].item() != value
                expected.loc[expected[key_column] == key, column] = value
        pd.testing.assert_frame_equal(getattr(dataset, table_name), expected)


def test_optional_cities_file_may_be_absent(tmp_path: Path) -> None:
    dataset = load_dataset(build(tmp_path, delete("cities.csv")))
    assert dataset.cities.empty
    assert list(dataset.cities.columns) == list(schema.cities_schema.columns)


# --- the real data and the command line ---------------------------------------------------


def test_real_data_passes_cleanly() -> None:
    dataset = load_dataset(ROOT / "data")
    assert sorted(dataset.regions["adcode"]) == sorted(schema.MAINLAND_ADCODES)
    assert dataset.notices == ()


def test_cli_prints_one_ok_line_for_valid_folder(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(MINI)]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        f"{MINI}: OK: 3 provinces, 36 filled cells, 13 source rows, 6 tracks, 1 city measures, "
        "4 money instruments"
    ]
    assert err == ""


def test_cli_prints_notices_before_ok(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = build(tmp_path, rewrite("tracks.csv", lambda raw: b"\xef\xbb\xbf" + raw))
    assert main([str(folder)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "note: tracks.csv:-: removed a UTF-8 byte-order mark (BOM)"
    assert lines[1].startswith(f"{folder}: OK: 3 provinces,")
    assert len(lines) == 2


def test_cli_prints_each_problem_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = build(
        tmp_path,
        both(
            rewrite("regions.csv", lambda raw: b"\xef\xbb\xbf" + raw),
            replace("regions.csv", FUJIAN, FUJIAN + "-5"),
            replace("sources.csv", NDRC, "javascript:alert(1)"),
        ),
    )
    assert main([str(folder)]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "note: regions.csv:-: removed a UTF-8 byte-order mark (BOM)",
        "regions.csv:3:datasets_target: must be greater than 0 (leave blank when unknown) (-5)",
        "sources.csv:4:url: must be an http:// or https:// address (javascript:alert(1))",
    ]
    assert err == f"{folder}: 2 problem(s)\n"
