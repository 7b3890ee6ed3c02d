"""Load and validate the data folder: CSV files in, typed tables or a list of problems out.

Curators edit these files by hand in Excel and text editors, so reading is lenient
where the intent is unambiguous (a byte-order mark, stray spaces, "2,000") and says
what it normalised; everything else becomes a `Problem` naming file, row, column and
rule. Nothing here imports Streamlit: the app and `python -m dashboard.validate`
share it.
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import os
import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from dashboard import instruments as money
from dashboard import schema

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = REPO_ROOT / "data"


def data_dir_from_env() -> Path:
    """The data folder: `$DATA_DIR` when set, else the embedded `data/`."""
    return Path(os.environ.get("DATA_DIR") or DEFAULT_DATA_DIR)


@dataclass(frozen=True, order=True)
class Problem:
    """One broken rule, located as precisely as the input allows (row 1 is the header)."""

    file: str
    row: int | None
    column: str | None
    rule: str
    value: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.row if self.row is not None else '-'}:{self.column or '-'}"
        shown = "" if self.value is None else f" ({_clip(self.value)})"
        return f"{where}: {self.rule}{shown}"


@dataclass(frozen=True)
class Notice:
    """Something the loader normalised instead of rejecting, and where."""

    file: str
    column: str | None
    what: str
    rows: tuple[int, ...] = ()

    def __str__(self) -> str:
        rows = f" (rows {_row_list(self.rows)})" if self.rows else ""
        return f"{self.file}:{self.column or '-'}: {self.what}{rows}"


class DataError(Exception):
    """Raised when the data folder breaks any rule; carries every problem found."""

    def __init__(self, problems: list[Problem], notices: list[Notice] | None = None):
        self.problems = sorted(set(problems), key=_problem_order)
        self.notices = notices or []
        super().__init__(f"{len(self.problems)} problem(s) in the data folder")


@dataclass(frozen=True, eq=False)
class Dataset:
    """The validated tables. Treat as read-only: the app shares one instance.

    Compared and hashed by identity: one load is one dataset, so tables derived from it
    can be cached against it (`ui.derived`).
    """

    regions: pd.DataFrame
    sources: pd.DataFrame
    tracks: pd.DataFrame
    region_strategies: pd.DataFrame
    cities: pd.DataFrame
    documents: pd.DataFrame
    # One cited row per money instrument; `regions` holds each kind's provincial view.
    instruments: pd.DataFrame
    as_of: str  # YYYY-MM-DD of the data's latest change: shown on every page and export
    # The citation that stands for each figure, indexed by (adcode, field): derived from
    # `sources` once at load, because every map, panel and export looks it up.
    citations: pd.DataFrame
    notices: tuple[Notice, ...] = field(default=())


def load_dataset(data_dir: Path | str) -> Dataset:
    """Read every file of `data_dir`, check each and the rules across them.

    Raises `DataError` listing all problems; returns typed tables otherwise.
    """
    data_dir = Path(data_dir)
    problems: list[Problem] = []
    notices: list[Notice] = []
    tables: dict[str, pd.DataFrame] = {}
    for name, file_schema in schema.SCHEMAS.items():
        path = data_dir / name
        if not path.exists() and name in schema.OPTIONAL_FILES:
            tables[name] = _empty_table(file_schema)
            continue
        table, file_problems, file_notices = read_table(path, file_schema)
        problems += file_problems
        notices += file_notices
        tables[name] = table if table is not None else _empty_table(file_schema)
    if not problems:
        problems += check_cross_file(tables)
    if problems:
        raise DataError(problems, notices)
    sources = tables["sources.csv"].reset_index(names="row")
    instruments = tables["instruments.csv"].reset_index(names="row")
    regions = with_money(tables["regions.csv"], instruments)
    return Dataset(
        regions=regions,
        sources=sources,
        tracks=tables["tracks.csv"].reset_index(drop=True),
        region_strategies=tables["region_strategies.csv"].reset_index(drop=True),
        cities=tables["cities.csv"].reset_index(drop=True),
        as_of=data_as_of(data_dir),
        documents=tables["documents.csv"]
        .sort_values(["adcode", "issued"], ascending=[True, False])
        .reset_index(drop=True),
        instruments=instruments,
        citations=pd.concat([best_sources(sources), money_citations(instruments)]).sort_index(),
        notices=tuple(notices),
    )


def read_table(
    path: Path, file_schema: pa.DataFrameSchema
) -> tuple[pd.DataFrame | None, list[Problem], list[Notice]]:
    """Decode, split, parse and validate one CSV file against its schema.

    The returned frame is indexed by the CSV line number of each record so that
    every later problem can point at the line a curator sees in an editor.
    """
    name = path.name
    text, problems, notices = _read_text(path)
    if text is None:
        return None, problems, notices
    header, records, split_problems, split_notices = _split_csv(name, text)
    problems += split_problems
    notices += split_notices
    if header is None or split_problems:
        return None, problems, notices

    raw = pd.DataFrame(
        [values for _, values in records],
        columns=header,
        index=pd.Index([line for line, _ in records], name="row"),
        dtype=object,
    )
    if raw.empty:
        problems.append(Problem(name, None, None, "has a header but no data rows"))
    typed, parse_problems, parse_notices = _parse_cells(name, raw, file_schema)
    problems += parse_problems
    notices += parse_notices
    bad_cells = {(p.row, p.column) for p in parse_problems}
    schema_problems = [
        p for p in _run_schema(name, typed, file_schema) if (p.row, p.column) not in bad_cells
    ]
    problems += schema_problems
    return typed, problems, notices


def check_cross_file(tables: dict[str, pd.DataFrame]) -> list[Problem]:
    """Rules that span files: codes and tracks resolve, every figure is cited and vice versa."""
    regions = tables["regions.csv"]
    sources = tables["sources.csv"]
    tracks = tables["tracks.csv"]
    problems: list[Problem] = []
    known_adcodes = set(regions["adcode"])
    known_tracks = set(tracks["track"])

    for line, row in regions.iterrows():
        for track in split_tracks(row["focus_tracks"]):
            if track not in known_tracks:
                problems.append(
                    Problem("regions.csv", line, "focus_tracks", "unknown track id", track)
                )
        problems += _dated_figure_problems(line, row)

    cited = set(zip(sources["adcode"], sources["field"], strict=True))
    by_adcode = regions.set_index("adcode")
    line_of = dict(zip(regions["adcode"], regions.index, strict=True))
    for adcode, row in by_adcode.iterrows():
        for column in schema.MUST_CITE:
            if _has_value(row[column]) and (adcode, column) not in cited:
                problems.append(
                    Problem(
                        "regions.csv",
                        line_of[adcode],
                        column,
                        "figure has no source row in sources.csv",
                        _shown(row[column]),
                    )
                )

    for file in ("sources.csv", "cities.csv", "documents.csv", "instruments.csv"):
        table = tables[file]
        for line, adcode in table["adcode"].items():
            if adcode not in known_adcodes:
                problems.append(
                    Problem(file, line, "adcode", "province is not in regions.csv", _shown(adcode))
                )
    for line, source in sources.iterrows():
        adcode, column = source["adcode"], source["field"]
        if adcode in known_adcodes and not _has_value(by_adcode.at[adcode, column]):
            problems.append(
                Problem(
                    "sources.csv",
                    line,
                    "field",
                    f"cites {column}, which regions.csv leaves blank for {adcode}",
                    column,
                )
            )
    problems += _document_problems(sources, tables["documents.csv"])
    problems += instrument_problems(tables["instruments.csv"], tables["documents.csv"])
    return problems


def instrument_problems(instruments: pd.DataFrame, documents: pd.DataFrame) -> list[Problem]:
    """Rules within an instrument row and against documents.csv: the unit fits the kind,
    a provincial row names no place and a local row names one, a cited document exists
    and belongs to the instrument's province."""
    file = "instruments.csv"
    province_of = dict(zip(documents["document"], documents["adcode"], strict=True))
    problems = []
    for line, row in instruments.iterrows():
        kind = schema.INSTRUMENT_KINDS.get(row["kind"])
        if kind is not None and row["unit"] != kind.unit:
            rule = f"unit of a {kind.id} must be {kind.unit}"
            problems.append(Problem(file, line, "unit", rule, _shown(row["unit"])))
        elif kind is not None and row["amount"] > kind.upper:
            rule = f"a {kind.id} must be at most {kind.upper:g} {kind.unit_en} (check the unit)"
            problems.append(Problem(file, line, "amount", rule, _shown(row["amount"])))
        provincial = row["level"] == "province"
        for column in ("place_zh", "place_en", "place_adcode"):
            given = pd.notna(row[column])
            if provincial and given:
                rule = "a provincial instrument names no place (leave blank)"
                problems.append(Problem(file, line, column, rule, _shown(row[column])))
            elif not provincial and not given and column != "place_adcode":
                rule = f"a {row['level']} instrument needs its place"
                problems.append(Problem(file, line, column, rule))
        document = row["document"]
        if pd.isna(document):
            continue
        if document not in province_of:
            problems.append(Problem(file, line, "document", "not an id in documents.csv", document))
        elif province_of[document] != row["adcode"]:
            rule = f"document belongs to {province_of[document]}, not {row['adcode']}"
            problems.append(Problem(file, line, "document", rule, document))
    return problems


def _dated_figure_problems(line: int, row: pd.Series) -> list[Problem]:
    """A dated figure needs its year (and basis); a blank figure has neither."""
    problems = []
    for figure in schema.DATED_COLUMNS:
        meta = schema.column_meta(figure)
        given = pd.notna(row[figure])
        for part, column in (("year", meta["year_column"]), ("basis", meta["basis_column"])):
            if column is None:
                continue
            optional = part == "year" and not meta.get("year_required", True)
            if given and pd.isna(row[column]) and not optional:
                rule = f"{part} required when {figure} is given"
                problems.append(Problem("regions.csv", line, column, rule))
            elif not given and pd.notna(row[column]):
                rule = f"{part} given but {figure} is blank"
                problems.append(Problem("regions.csv", line, column, rule, _shown(row[column])))
    return problems


def _document_problems(sources: pd.DataFrame, documents: pd.DataFrame) -> list[Problem]:
    """A cited document exists in documents.csv and belongs to the figure's province."""
    province_of = dict(zip(documents["document"], documents["adcode"], strict=True))
    problems = []
    for line, document in documents.iterrows():
        if document["status"] == "draft" and pd.isna(document["issued"]):
            rule = "a draft needs its date (the call for comment or the submission)"
            problems.append(Problem("documents.csv", line, "issued", rule))
    for line, source in sources[sources["document"].notna()].iterrows():
        document = source["document"]
        if document not in province_of:
            problems.append(
                Problem("sources.csv", line, "document", "not an id in documents.csv", document)
            )
        elif province_of[document] != source["adcode"]:
            rule = f"document belongs to {province_of[document]}, not {source['adcode']}"
            problems.append(Problem("sources.csv", line, "document", rule, document))
    return problems


# --- reading -------------------------------------------------------------------------

_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_HAS_UNIT = re.compile(r"[A-Za-z\u4e00-\u9fff¥$€]")
_HAS_DIGIT = re.compile(r"\d")
# csv.Error texts (strict mode) as a curator would put them; the line is the record's first.
_CSV_ERRORS = {
    "unexpected end of data": 'opens a quote (") that is never closed',
    "',' expected after '\"'": 'has text right after a closing quote (")',
}


def _read_text(path: Path) -> tuple[str | None, list[Problem], list[Notice]]:
    name = path.name
    if not path.exists():
        return None, [Problem(name, None, None, "file is missing")], []
    size = path.stat().st_size
    if size > schema.MAX_FILE_BYTES:
        limit = schema.MAX_FILE_BYTES // 1_000_000
        return (
            None,
            [Problem(name, None, None, f"file is larger than {limit} MB", f"{size} bytes")],
            [],
        )
    raw = path.read_bytes()
    notices: list[Notice] = []
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        notices.append(Notice(name, None, "removed a UTF-8 byte-order mark (BOM)"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        gbk = _decodes_as_gbk(raw)
        hint = " (it decodes as GBK: save it as UTF-8)" if gbk else ""
        # GBK text often happens to be valid UTF-8 for a few characters, so the first
        # undecodable byte can come lines after the first mis-encoded one.
        start = _first_non_ascii(raw) if gbk else error.start
        line = raw[:start].count(b"\n") + 1
        rule = f"is not UTF-8 text{hint}"
        return None, [Problem(name, line, None, rule)], notices
    if not text.strip():
        return None, [Problem(name, None, None, "file is empty")], notices
    return text, [], notices


def _first_non_ascii(raw: bytes) -> int:
    return next(index for index, byte in enumerate(raw) if byte > 0x7F)


def _decodes_as_gbk(raw: bytes) -> bool:
    try:
        raw.decode("gbk")
    except UnicodeDecodeError:
        return False
    return True


def _split_csv(
    name: str, text: str
) -> tuple[list[str] | None, list[tuple[int, list[str]]], list[Problem], list[Notice]]:
    """Split into header and records, each record tagged with its first line number."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    problems: list[Problem] = []
    notices: list[Notice] = []
    records: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    blank_lines: list[int] = []
    next_line = 1
    try:
        for values in reader:
            line, next_line = next_line, reader.line_num + 1
            if not any(value.strip() for value in values):
                blank_lines.append(line)
                continue
            if header is None:
                header = _read_header(name, line, values, problems, notices)
                if header is None:
                    break
                continue
            if len(values) != len(header):
                rule = f"has {len(values)} fields, the header has {len(header)}"
                problems.append(Problem(name, line, None, rule))
                continue
            records.append((line, values))
    except csv.Error as error:
        rule = _CSV_ERRORS.get(str(error), f"is not valid CSV: {error}")
        problems.append(Problem(name, next_line, None, rule))
    if blank_lines:
        notices.append(Notice(name, None, "skipped blank lines", tuple(blank_lines)))
    return header, records, problems, notices


def _read_header(
    name: str, line: int, values: list[str], problems: list[Problem], notices: list[Notice]
) -> list[str] | None:
    if len(values) == 1:
        for separator, label in ((";", "semicolon"), ("\t", "tab")):
            if separator in values[0]:
                rule = f"must be comma-separated, but the header is {label}-separated"
                problems.append(Problem(name, line, None, rule))
                return None
    header = [value.strip() for value in values]
    if header != values:
        notices.append(Notice(name, None, "trimmed spaces around column names"))
    seen: set[str] = set()
    for column in header:
        if column in seen:
            problems.append(Problem(name, line, column, "column appears twice in the header"))
        seen.add(column)
    return None if len(seen) != len(header) else header


def _parse_cells(
    name: str, raw: pd.DataFrame, file_schema: pa.DataFrameSchema
) -> tuple[pd.DataFrame, list[Problem], list[Notice]]:
    """Turn text cells into the schema's dtypes; blanks become missing values."""
    problems: list[Problem] = []
    notices: list[Notice] = []
    typed = pd.DataFrame(index=raw.index)
    for column in raw.columns:
        spec = file_schema.columns.get(column)
        dtype = str(spec.dtype) if spec is not None else "str"
        values: list[object] = []
        trimmed: list[int] = []
        regrouped: list[int] = []
        for line, cell in raw[column].items():
            text = "" if cell is None else str(cell)
            if text != text.strip():
                trimmed.append(line)
                text = text.strip()
            value, rule, regrouped_cell = _parse_cell(text, dtype)
            if rule:
                problems.append(Problem(name, line, column, rule, text))
            if regrouped_cell:
                regrouped.append(line)
            values.append(value)
        typed[column] = pd.Series(values, index=raw.index, dtype=_pandas_dtype(dtype))
        if trimmed:
            notices.append(Notice(name, column, "trimmed surrounding spaces", tuple(trimmed)))
        if regrouped:
            notices.append(Notice(name, column, "removed thousands separators", tuple(regrouped)))
    return typed, problems, notices


def _parse_cell(text: str, dtype: str) -> tuple[object, str | None, bool]:
    """Parse one trimmed cell: (value, rule broken or None, thousands separators removed)."""
    if text == "":
        return None, None, False
    if dtype == "boolean":
        lowered = text.lower()
        if lowered in ("true", "false"):
            return lowered == "true", None, False
        return None, "must be true or false", False
    if dtype not in ("float64", "Int64"):
        return text, None, False
    regrouped = bool(_THOUSANDS.match(text))
    number_text = text.replace(",", "") if regrouped else text
    if not _NUMBER.match(number_text):
        if text.endswith("%"):
            return None, "must be a plain number, not a percentage", False
        if _HAS_UNIT.search(text) and _HAS_DIGIT.search(text):
            return (
                None,
                "must be a plain number in the column's unit, without units in the cell",
                False,
            )
        return None, "must be a number", False
    number = float(number_text)
    if not math.isfinite(number):
        return None, "must be a finite number", False
    if dtype != "float64":
        if not number.is_integer():
            return None, "must be a whole number", False
        return int(number), None, regrouped
    return number, None, regrouped


def _pandas_dtype(dtype: str) -> str:
    """The pandas dtype a schema dtype is parsed into (text is pandas' nullable string)."""
    return dtype if dtype in ("float64", "Int64", "boolean") else "string"


def _run_schema(name: str, typed: pd.DataFrame, file_schema: pa.DataFrameSchema) -> list[Problem]:
    """Run the pandera schema and translate its failure cases into `Problem`s."""
    try:
        file_schema.validate(typed, lazy=True)
    except pa.errors.SchemaErrors as errors:
        return list(_problems_from_failures(name, errors.failure_cases))
    return []


def _problems_from_failures(name: str, failures: pd.DataFrame) -> Iterable[Problem]:
    for failure in failures.itertuples(index=False):
        check = str(failure.check)
        column = None if pd.isna(failure.column) else str(failure.column)
        value = None if pd.isna(failure.failure_case) else _shown(failure.failure_case)
        row = None if pd.isna(failure.index) else int(failure.index)
        if check == "column_in_schema":
            yield Problem(name, 1, value, "unknown column (not in the data dictionary)")
        elif check == "column_in_dataframe":
            yield Problem(name, 1, value, "required column is missing")
        elif check == "not_nullable":
            yield Problem(name, row, column, "required value is missing")
        elif check == "field_uniqueness":
            yield Problem(name, row, column, "duplicate value", value)
        else:
            yield Problem(name, row, column, check, value)


def _empty_table(file_schema: pa.DataFrameSchema) -> pd.DataFrame:
    return pd.DataFrame(
        {
            column: pd.Series(dtype=_pandas_dtype(str(spec.dtype)))
            for column, spec in file_schema.columns.items()
        }
    )


def data_as_of(data_dir: Path) -> str:
    """The date the data last changed: its last commit when the files are as committed
    (a fresh clone's file times are the checkout's, not the curators'), else the newest
    file's modification date (an edit not yet committed, or a copy without git)."""
    files = [data_dir / name for name in schema.SCHEMAS if (data_dir / name).exists()]
    try:
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--", *map(str, files)],
            cwd=data_dir, capture_output=True, text=True, timeout=5, check=True,
        ).stdout.strip()  # fmt: skip
        if not changed:
            committed = subprocess.run(
                ["git", "log", "-1", "--format=%cs", "--", *map(str, files)],
                cwd=data_dir, capture_output=True, text=True, timeout=5, check=True,
            ).stdout.strip()  # fmt: skip
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", committed):
                return committed
    except (OSError, subprocess.SubprocessError):
        pass  # no git, or not a work tree: the files' own dates
    newest = max(path.stat().st_mtime for path in files)
    return datetime.date.fromtimestamp(newest).isoformat()


def with_money(regions: pd.DataFrame, instruments: pd.DataFrame) -> pd.DataFrame:
    """regions.csv with each instrument kind's provincial view, in the schema's order."""
    adcodes = sorted(regions["adcode"])
    view = money.province_view(instruments, adcodes)
    table = regions.sort_values("adcode").reset_index(drop=True)
    for kind in schema.INSTRUMENT_KINDS:
        table[kind] = view[kind].to_numpy()
    return table[list(schema.regions_schema.columns)]


def money_citations(instruments: pd.DataFrame) -> pd.DataFrame:
    """The instrument row behind each money figure, indexed like `best_sources`."""
    return money.citation_rows(instruments).set_index(["adcode", "field"])


def best_sources(sources: pd.DataFrame) -> pd.DataFrame:
    """One citation per (adcode, field): the most official grade, then the most recent."""
    ranked = sources.assign(_grade=sources["grade"].map(schema.GRADE_RANK)).sort_values(
        ["adcode", "field", "_grade", "published"], ascending=[True, True, True, False]
    )
    return (
        ranked.drop_duplicates(["adcode", "field"])
        .drop(columns="_grade")
        .set_index(["adcode", "field"])
    )


def split_tracks(value: object) -> list[str]:
    """The track ids of one focus_tracks cell ([] when blank)."""
    if pd.isna(value):
        return []
    return [track for track in str(value).split(";") if track]


def _has_value(value: object) -> bool:
    """A cell counts as a figure when it is filled; a flag only when it is true."""
    if isinstance(value, bool | np.bool_):
        return bool(value)
    return not pd.isna(value)


def _problem_order(problem: Problem) -> tuple[str, int, str, str]:
    return (problem.file, problem.row or 0, problem.column or "", problem.rule)


def _shown(value: object) -> str:
    """A parsed value the way a curator writes it: 5 not 5.0, true not True."""
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, float | np.floating):
        return str(float(value)).removesuffix(".0")
    return str(value)


def _clip(text: str, limit: int = 80) -> str:
    flat = text.replace("\n", " ")
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _row_list(rows: tuple[int, ...], limit: int = 10) -> str:
    shown = ", ".join(str(row) for row in rows[:limit])
    return shown + (f" and {len(rows) - limit} more" if len(rows) > limit else "")
