"""The view a link describes: parse URL query parameters into typed values.

Links are pasted into chats and edited by hand, so every parser accepts anything
and returns a usable value plus, when it had to ignore something, a short notice.
Nothing here imports Streamlit; the pages seed their widgets from these results.

Why not Streamlit's `bind="query-params"`: it matches a selectbox's *formatted*
label, so `?metric=` would carry a translated label instead of the column name the
link contract promises, and it drops bad values without the notice users get here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

MAX_PARAM_CHARS = 2000  # longer values are ignored outright, not parsed
MAX_LIST_ITEMS = 50
_NOTICE_CHARS = 40


@dataclass(frozen=True)
class Parsed(Generic[T]):  # generic class syntax needs Python 3.12; we support 3.11
    value: T
    notice: str | None = None


def first(params: Mapping[str, str | list[str]], key: str) -> str | None:
    """The parameter's value (the last one when repeated), or None when absent."""
    raw = params.get(key)
    if isinstance(raw, list):
        raw = raw[-1] if raw else None
    return raw


def parse_choice(raw: str | None, options: Collection[str], default: str, key: str) -> Parsed[str]:
    """One of `options`; anything else falls back to `default` with a notice."""
    if raw is None or raw == "":
        return Parsed(default)
    if len(raw) <= MAX_PARAM_CHARS and raw in options:
        return Parsed(raw)
    return Parsed(default, _ignored(key, raw))


def parse_flag(raw: str | None, key: str, default: bool = False) -> Parsed[bool]:
    """`1`/`true`/`yes` or `0`/`false`/`no`, case-insensitive."""
    if raw is None or raw == "":
        return Parsed(default)
    lowered = raw.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return Parsed(True)
    if lowered in ("0", "false", "no", "off"):
        return Parsed(False)
    return Parsed(default, _ignored(key, raw))


def parse_list(
    raw: str | None,
    options: Sequence[str],
    key: str,
    *,
    limit: int = MAX_LIST_ITEMS,
    convert: Callable[[str], str] = str.strip,
) -> Parsed[tuple[str, ...]]:
    """A comma list of known options, deduplicated, in the order given."""
    if raw is None or raw == "":
        return Parsed(())
    if len(raw) > MAX_PARAM_CHARS * 100:
        return Parsed((), _ignored(key, raw))
    known = set(options)
    items = [convert(item) for item in raw.split(",")]
    kept = list(dict.fromkeys(item for item in items if item in known))
    dropped = [item for item in items if item not in known]
    notice = None
    if dropped:
        notice = _ignored(key, ",".join(dropped))
    if len(kept) > limit:
        kept = kept[:limit]
        notice = notice or f"{key}=…({len(items)})"
    return Parsed(tuple(kept), notice)


def parse_adcode(raw: str | None, known: Collection[int], key: str) -> Parsed[int | None]:
    """A province code that exists in the data, else None."""
    if raw is None or raw == "":
        return Parsed(None)
    text = raw.strip()
    if re.fullmatch(r"\d{6}", text) and int(text) in known:
        return Parsed(int(text))
    return Parsed(None, _ignored(key, raw))


def parse_adcodes(
    raw: str | None, known: Collection[int], key: str, limit: int
) -> Parsed[tuple[int, ...]]:
    """A comma list of known province codes (at most `limit`)."""
    parsed = parse_list(raw, [str(code) for code in sorted(known)], key, limit=limit)
    return Parsed(tuple(int(code) for code in parsed.value), parsed.notice)


def parse_range(
    raw: str | None, bounds: tuple[float, float], key: str
) -> Parsed[tuple[float, float] | None]:
    """`low-high` (or `low..high`) clipped to `bounds`; None when absent or invalid. A
    clipped range says so ("fund=10-30 → 10-23"): a link never changes silently."""
    if raw is None or raw == "":
        return Parsed(None)
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(?:-|\.\.|~)\s*(\d+(?:\.\d+)?)\s*", raw[:100])
    if not match:
        return Parsed(None, _ignored(key, raw))
    asked = tuple(sorted((float(match.group(1)), float(match.group(2)))))
    low, high = max(asked[0], bounds[0]), min(asked[1], bounds[1])
    if low > high:
        return Parsed(None, _ignored(key, raw))
    clipped = (low, high) != asked
    return Parsed(
        (low, high), f"{_ignored(key, raw)} → {format_range((low, high))}" if clipped else None
    )


def format_range(value: tuple[float, float]) -> str:
    low, high = value
    return f"{low:g}-{high:g}"


def _ignored(key: str, raw: str) -> str:
    """`key=value` as shown in the ignored-parameter notice, clipped."""
    shown = raw if len(raw) <= _NOTICE_CHARS else raw[: _NOTICE_CHARS - 1] + "…"
    return f"{key}={shown}"


@dataclass(frozen=True)
class Scene:
    """One saved view of the map, for stepping through a talk."""

    metric: str
    per: str = "none"
    province: int | None = None
    basis: str = ""  # "" for the metric's default basis or none
    years: str = ""  # "" for the metric's default year (the one most provinces target)

    def encode(self) -> str:
        text = self.metric
        if self.per != "none":
            text += f"/{self.per}"
        if self.basis or self.years:
            text += f"~{self.basis}~{self.years}"
        if self.province is not None:
            text += f"@{self.province}"
        return text


def parse_scenes(
    raw: str | None, metrics: Collection[str], pers: Collection[str], adcodes: Collection[int]
) -> Parsed[tuple[Scene, ...]]:
    """`metric[/per][~basis~years][@adcode]` items separated by commas, e.g.
    `fund/capita,project_cap@350000,compute_target_eflops~total~2027`.
    Basis and years are checked against the metric when the scene is shown.
    """
    if raw is None or raw == "":
        return Parsed(())
    scenes: list[Scene] = []
    dropped: list[str] = []
    for item in raw[: MAX_PARAM_CHARS * 10].split(",")[:MAX_LIST_ITEMS]:
        match = re.fullmatch(
            r"([a-z0-9_:]+)(?:/([a-z]+))?(?:~([a-z_]{0,40})~([a-z0-9]{1,10}))?(?:@(\d{6}))?",
            item.strip(),
        )
        if not match or match.group(1) not in metrics:
            dropped.append(item)
            continue
        per = match.group(2) if match.group(2) in pers else "none"
        province = int(match.group(5)) if match.group(5) else None
        scenes.append(
            Scene(
                match.group(1),
                per,
                province if province in adcodes else None,
                match.group(3) or "",
                match.group(4) or "",
            )
        )
    return Parsed(tuple(scenes), _ignored("scenes", ",".join(dropped)) if dropped else None)


def encode_scenes(scenes: Sequence[Scene]) -> str:
    return ",".join(scene.encode() for scene in scenes)
