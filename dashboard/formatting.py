"""How numbers are written: a cited figure as published, a computed value rounded.

One place for both, so every legend, panel, table, CSV and brief writes the same figure
the same way (issue: Hunan's 5.25 EFLOPS read 5.2 where a rounding formatter was used).
"""

from __future__ import annotations

import math


def format_figure(value: float) -> str:
    """A cited figure as it was published: every digit it has (5.25, 225.01, 1,250),
    without the binary noise of scaling (22.501 bn yuan x 10 is 225.01 亿元, not
    225.01000000000002) and without a trailing ".0"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{round(float(value), 9):,.9f}".rstrip("0").rstrip(".")


def format_value(value: float, published: bool) -> str:
    """A cited figure as published, a computed one (per resident, a median) rounded."""
    return format_figure(value) if published else format_number(value)


def format_number(value: float) -> str:
    """Short, exact-enough numbers for computed values (per resident, medians, class
    limits): 20, 0.35, 1,250, 12.5. A cited figure goes through `format_figure`."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    magnitude = abs(value)
    if magnitude >= 100 or float(value).is_integer():
        return f"{value:,.0f}"
    if magnitude >= 1:
        return f"{value:,.1f}".rstrip("0").rstrip(".")
    if magnitude == 0:
        return "0"
    digits = max(2, 2 - math.floor(math.log10(magnitude)))
    return f"{value:.{digits}f}".rstrip("0").rstrip(".")


def amount_text(shown: float, unit: str, lang: str) -> str:
    """An amount with its unit as a reader writes it: in Chinese 10,000 万元 or more is
    counted in 亿元 ("1 亿元", not "10,000 万元"); a figure keeps its published digits."""
    if lang == "zh" and unit.startswith("万元") and abs(shown) >= 10_000:
        return f"{format_figure(shown / 10_000)} 亿元{unit.removeprefix('万元')}"
    return f"{format_figure(shown)} {unit}".strip()


def in_sentence(label: str, lang: str) -> str:
    """A label set inside an English sentence: "Median of 2 AI industry scale targets",
    with the first letter lowered only when it starts an ordinary word ("Yearly" ->
    "yearly", but "AI" stays "AI")."""
    if lang != "en" or len(label) < 2 or not label[1].islower():
        return label
    return label[0].lower() + label[1:]
