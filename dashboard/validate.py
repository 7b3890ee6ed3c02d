"""Check a data folder: `python -m dashboard.validate [DATA_DIR]`.

Prints every problem as `file:row:column: rule (value)` and exits 1, or prints a
one-line summary (and what was normalised) and exits 0.
"""

from __future__ import annotations

import sys
from pathlib import Path

from dashboard.data import DataError, data_dir_from_env, load_dataset


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    data_dir = Path(args[0]) if args else data_dir_from_env()
    try:
        dataset = load_dataset(data_dir)
    except DataError as error:
        for notice in error.notices:
            print(f"note: {notice}")
        for problem in error.problems:
            print(problem)
        print(f"{data_dir}: {len(error.problems)} problem(s)", file=sys.stderr)
        return 1
    for notice in dataset.notices:
        print(f"note: {notice}")
    figures = int(dataset.regions.drop(columns=["adcode"]).notna().sum().sum())
    print(
        f"{data_dir}: OK: {len(dataset.regions)} provinces, {figures} filled cells, "
        f"{len(dataset.sources)} source rows, {len(dataset.tracks)} tracks, "
        f"{len(dataset.cities)} city measures, {len(dataset.instruments)} money instruments"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
