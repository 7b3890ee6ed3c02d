"""The Streamlit edge shared by the pages: cached loaders, URL sync, common blocks.

Loaders wrap the pure functions once per process. What they return is shared by
every session, so pages treat it as read-only (a test checks that none mutates it).
"""

from __future__ import annotations

import gc
import json
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from dashboard import boundaries as geo
from dashboard import charts, live, schema, viewstate
from dashboard.data import Dataset, data_dir_from_env
from dashboard.export import for_display
from dashboard.i18n import grade_label, group_label, kind_label, t
from dashboard.instruments import kind_name
from dashboard.interface_strings import PLOTLY_LOCALE_ZH, interface_table
from dashboard.markup import escape_markdown
from dashboard.schema import column_label
from dashboard.transform import group_mask

# plotly fetches its base-map topojson from this host path instead of the CDN; the
# files are empty collections because every base layer is hidden.
T = TypeVar("T")

PLOTLY_CONFIG_BASE: dict[str, Any] = {
    "topojsonURL": "/app/static/",
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
}


@st.cache_resource(show_spinner=False)
def _dataset_for(data_dir: str) -> live.LiveDataset:
    """One watched dataset per data folder and process; raises `DataError` on first load.

    A failed first load is not cached, so the next rerun tries again (the error page
    stays until the files are fixed). Afterwards the watcher thread swaps in valid edits.
    """
    return live.LiveDataset(
        Path(data_dir), interval=live.interval_from_env(), on_swap=_refreeze_heap
    ).start()


def _refreeze_heap(_: Dataset) -> None:
    # `freeze_startup_heap` moved the first dataset out of the collector's reach; after a
    # swap, unfreeze so the replaced tables (pandas keeps reference cycles) can be freed.
    if gc.get_freeze_count():
        gc.unfreeze()
        gc.collect()
        gc.freeze()


def live_data() -> live.LiveDataset:
    return _dataset_for(str(data_dir_from_env()))


# Tables derived from one dataset (group summaries, the timeline order, a province's
# figures): computed on first use, shared read-only by every session like the dataset, and
# dropped with it when a valid edit swaps in a new one.
_DERIVED: weakref.WeakKeyDictionary[Dataset, dict[tuple[Any, ...], Any]] = (
    weakref.WeakKeyDictionary()
)


def derived(data: Dataset, key: tuple[Any, ...], compute: Callable[[Dataset], T]) -> T:
    """`compute(data)`, once per dataset and `key`."""
    tables = _DERIVED.setdefault(data, {})
    if key not in tables:
        tables[key] = compute(data)
    return tables[key]


# Figures of the views readers open, per dataset: a view's figure is the same for every
# reader (the default view is every first visit's), so it is built once and shared
# read-only; only the most recent views are kept, as there are thousands of them.
_RECENT: weakref.WeakKeyDictionary[Dataset, OrderedDict[tuple[Any, ...], Any]] = (
    weakref.WeakKeyDictionary()
)
_RECENT_LOCK = threading.Lock()
RECENT_VIEWS_KEPT = 32


def recent(data: Dataset, key: tuple[Any, ...], compute: Callable[[Dataset], T]) -> T:
    """`compute(data)`, kept for the `RECENT_VIEWS_KEPT` most recently asked keys."""
    with _RECENT_LOCK:
        kept = _RECENT.setdefault(data, OrderedDict())
        if key in kept:
            kept.move_to_end(key)
            return kept[key]
    value = compute(data)  # outside the lock: other sessions' views need not wait
    with _RECENT_LOCK:
        kept[key] = value
        while len(kept) > RECENT_VIEWS_KEPT:
            kept.popitem(last=False)
    return value


def dataset() -> Dataset:
    """The validated data of `$DATA_DIR` (or `data/`); raises `DataError` when invalid.

    The same object until a changed folder loads and validates (`dashboard.live`); a
    session gets new figures on its next rerun. Invalid edits keep the last valid data.
    """
    return live_data().current()


def render_data_warning(full: bool = False) -> None:
    """A short banner while edits to the data folder are rejected; `full` lists them all."""
    status = live_data().status
    if not status.stale:
        return
    since = time.strftime("%Y-%m-%d %H:%M", time.localtime(status.problems_since))
    loaded = time.strftime("%Y-%m-%d %H:%M", time.localtime(status.loaded_at))
    text = t("stale_data", lang(), n=len(status.problems), since=since, loaded=loaded)
    if not full:
        st.warning(text + " " + t("stale_data_more", lang()), icon="⚠️")
        return
    st.warning(text, icon="⚠️")
    st.code("\n".join(status.problems), language=None, wrap_lines=True)


@st.cache_resource(show_spinner=False)
def boundaries() -> geo.Boundaries:
    return geo.load_boundaries()


@st.cache_resource(show_spinner=False)
def thumbnail_boundaries() -> geo.Boundaries:
    """Coarse boundaries for the brief's inline SVG inset (a quarter of the bytes)."""
    return geo.simplified(boundaries(), 0.2, geo.MAINLAND_FRAME)


@st.cache_resource(show_spinner=False)
def places() -> pd.DataFrame:
    return geo.load_places()


@st.cache_resource(show_spinner=False)
def hatch() -> pd.DataFrame:
    return geo.hatch_points(boundaries())


@st.cache_resource(show_spinner=False)
def _outlines_for(groups: tuple[tuple[str, tuple[int, ...]], ...]) -> dict[str, Any]:
    return geo.outline_lines(boundaries(), {group: list(codes) for group, codes in groups})


def region_outlines(regions: pd.DataFrame) -> dict[str, Any]:
    """Outer edges of the four NBS regions, from the current data's region column."""
    groups = tuple(
        (region, tuple(int(a) for a in regions.loc[group_mask(regions, region), "adcode"]))
        for region in ("eastern", "central", "western", "northeast")
    )
    return _outlines_for(groups)


@st.cache_resource(show_spinner=False)
def freeze_startup_heap() -> bool:
    """Once per process, after the first run: move the loaded data out of the collector.

    Every run allocates enough to trigger full collections, which then walked the ~250k
    long-lived objects of the data, geometry and libraries each time (130-220 ms per new
    session in `make bench`). Frozen objects are never scanned again.
    """
    gc.collect()
    gc.freeze()
    return True


def lang() -> str:
    return st.session_state.get("lang", "en")


def present() -> bool:
    return bool(st.session_state.get("present", False))


_KEPT = "_kept_view"  # a page's widget values, kept while the reader visits other pages


def seed(
    key: str, parse: Callable[[str | None], viewstate.Parsed[Any]], param: str | None = None
) -> None:
    """Set widget `key` when it has no value: from URL parameter `param` (default: the key
    itself) when the link has it, noting ignored values; else from the value the page last
    showed in this session (Streamlit drops a widget's state while another page runs, and
    coming back through the menu must not reset the view); else the parsed default."""
    if key in st.session_state:
        return
    raw = viewstate.first(st.query_params.to_dict(), param or key)
    kept = st.session_state.get(_KEPT, {})
    if raw is None and key in kept:
        st.session_state[key] = kept[key]
        return
    parsed = parse(raw)
    st.session_state[key] = parsed.value
    if parsed.notice:
        st.session_state.setdefault("_url_notices", []).append(parsed.notice)


def keep_view(keys: Iterable[str]) -> None:
    """Remember these widgets' values for the session (see `seed`)."""
    kept = dict(st.session_state.get(_KEPT, {}))
    kept.update({key: st.session_state[key] for key in keys if key in st.session_state})
    st.session_state[_KEPT] = kept


def sync_url(values: Mapping[str, str | None]) -> None:
    """Write the view into the URL; None or empty removes a parameter (the default)."""
    for key, value in values.items():
        if value in (None, ""):
            if key in st.query_params:
                del st.query_params[key]
        elif st.query_params.get(key) != value:
            st.query_params[key] = value


def show_url_notices() -> None:
    """Quietly list link parameters that were ignored (then forget them)."""
    notices = st.session_state.pop("_url_notices", [])
    if notices:
        st.caption(
            f"{t('ignored_params', lang())}: " + "; ".join(escape_markdown(n) for n in notices)
        )


def show_chart(figure: Any, **options: Any) -> Any:
    """`st.plotly_chart` with the data's date on the figure's source line."""
    return st.plotly_chart(charts.with_data_date(figure, dataset().as_of, lang()), **options)


# Controlled vocabularies shown in the reader's language (the files keep the ids), by
# column name, or by (file, column) where two files use one name for two vocabularies.
_VOCABULARY_LABELS: dict[str | tuple[str, str], Callable[[str, str], str]] = {
    "region": group_label,
    "grade": grade_label,
    "status": lambda status, language: t(f"status_{status}", language),
    ("documents.csv", "kind"): kind_label,
    ("instruments.csv", "kind"): kind_name,
    ("instruments.csv", "level"): lambda level, language: t(f"level_{level}", language),
    ("sources.csv", "field"): lambda field, language: (
        t("focus_tracks", language) if field == "focus_tracks" else column_label(field, language)
    ),
}


def fitted_columns(frame: pd.DataFrame, longest: int = 12) -> dict[str, Any]:
    """Column settings that give each short column (values of at most `longest` text
    columns: units, types, flags) the width of its longest value or header: the table
    sizes its columns from the first rows it draws, and cut "EFLOPS" in the data
    dictionary's unit column. Longer columns keep the table's own sizing."""
    config: dict[str, Any] = {}
    for name in frame.columns:
        widest = max(charts.text_columns(str(v)) for v in [name, *frame[name].dropna()])
        if widest <= longest:
            width = round(widest * charts.LABEL_COLUMN_PX + 2 * TABLE_CELL_PADDING_PX)
            config[name] = st.column_config.Column(width=width)
    return config


TABLE_CELL_PADDING_PX = 14  # each side of a table cell's text, with its sort arrow's room


def show_table(frame: pd.DataFrame, file_schema: Any, **options: Any) -> Any:
    """A data file as a table: headers in the reader's language with its unit (in Chinese
    the unit a reader counts in, 亿元 or 万元, the figures scaled to it), links as links,
    and a blank text cell as "—" (explained under the table), never "None"."""
    language = lang()
    config: dict[str, Any] = {}
    shown = frame.copy()
    for name in frame.columns:
        spec = file_schema.columns.get(name)
        if spec is None:
            continue
        meta = spec.metadata or {}
        header = meta.get("label_zh", spec.title) if language == "zh" else (spec.title or name)
        unit = meta.get("display_unit_zh" if language == "zh" else "unit", "")
        if unit and unit not in ("year", "年"):
            header += f" ({unit})"
        column = shown[name]
        if language == "zh" and meta.get("zh_scale", 1.0) != 1.0:
            column = (column * meta["zh_scale"]).round(9)
            shown[name] = column
        if name == "url":
            config[name] = st.column_config.LinkColumn(header, display_text="↗")
            continue
        if str(spec.dtype) in ("float64", "Int64") and column.notna().all():
            config[name] = st.column_config.NumberColumn(header, format="%.4g")
            continue
        # Streamlit prints a missing cell as "None": every column with a gap becomes text.
        if str(spec.dtype) == "boolean":
            column = column.map({True: t("yes", language), False: t("no", language)})
        elif (label := _VOCABULARY_LABELS.get((file_schema.name, name))) or (
            label := _VOCABULARY_LABELS.get(name)
        ):
            column = column.map(lambda v, f=label: f(v, language), na_action="ignore")
        shown[name] = column
        config[name] = st.column_config.TextColumn(header)
    text = [name for name, spec in config.items() if spec["type_config"]["type"] == "text"]
    shown[text] = for_display(shown[text])
    table = st.dataframe(shown, hide_index=True, width="stretch", column_config=config, **options)
    st.caption(t("dash_blank", language))
    return table


def render_footer() -> None:
    """Every page ends with how current the data is and where it comes from."""
    st.divider()
    st.caption(t("data_as_of", lang(), date=dataset().as_of) + " " + t("footer_sources", lang()))


def plotly_config(filename: str) -> dict[str, Any]:
    """Toolbar settings: offline base map, downloads in the chosen format, the toolbar
    and date ticks in the chosen language."""
    export_format = st.session_state.get("export_format", "png")
    config = {
        **PLOTLY_CONFIG_BASE,
        "toImageButtonOptions": {"format": export_format, "filename": filename, "scale": 2},
    }
    if lang() == "zh":
        config.update(locale="zh-CN", locales={"zh-CN": PLOTLY_LOCALE_ZH})
    return config


def group_picker(container: Any, key: str) -> None:
    """The region-group multiselect (eastern ... border), shared by map and screener."""
    container.multiselect(
        t("groups_filter", lang()),
        list(schema.GROUPS),
        key=key,
        format_func=lambda group: t(f"group_{group}", lang()),
        placeholder=t("all_groups", lang()),
    )


def province_label(regions: pd.DataFrame) -> Callable[[int], str]:
    column = "name_zh" if lang() == "zh" else "name_en"
    names = dict(zip(regions["adcode"], regions[column], strict=True))
    return lambda adcode: str(names.get(adcode, adcode))


# Presentation mode: larger type, no sidebar or toolbar. Constant CSS, no data in it.
_PRESENT_CSS = """
<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
header[data-testid="stHeader"], [data-testid="stToolbar"] { display: none !important; }
.main .block-container, [data-testid="stMainBlockContainer"] {
  padding-top: 1rem !important; max-width: 100% !important; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li,
[data-testid="stCaptionContainer"] { font-size: 1.5rem !important; }
h1 { font-size: 3.2rem !important; }
h2, h3 { font-size: 2.2rem !important; }
[data-testid="stTable"] table { font-size: 1.35rem !important; }
/* The presenter's way out stays in the corner, faint, for the presenter, not the room. */
.st-key-present_exit { position: fixed !important; bottom: .25rem; right: .5rem; z-index: 1000;
  width: auto !important; opacity: .2; }
.st-key-present_exit:hover, .st-key-present_exit:focus-within { opacity: 1; }
.st-key-present_exit button { min-height: 0; padding: .1rem .5rem; font-size: .8rem; }
</style>
"""


# Every page: less empty space above the first heading, so a map fits a 720-px screen.
_PAGE_CSS = """
<style>
.main .block-container, [data-testid="stMainBlockContainer"] { padding-top: 2.2rem !important; }
h1 { font-size: 2.1rem !important; padding-bottom: 0.4rem !important; }
</style>
"""


_interface_language = st.components.v2.component(
    "interface_language",
    js=(Path(__file__).with_name("interface_language.js"))
    .read_text(encoding="utf-8")
    .replace(
        "/* tables */ {}",
        json.dumps({language: interface_table(language) for language in ("en", "zh")}),
    ),
)


def set_interface_language(language: str) -> None:
    """The page's `<html lang>` (for screen readers, fonts and translation tools; Streamlit
    fixes "en") and Streamlit's own interface words in the reader's language
    (`interface_strings`), set in the browser by dashboard/interface_language.js.

    Mounted from the first Chinese page of a session on (to turn the words back when the
    reader returns to English), not before: an English page has Streamlit's own words and
    `<html lang="en">` already, and the mount was 70 ms of a first visit's time to the map
    (`make bench`, warm ours/maponly 1.07 with it, 1.03 without)."""
    if language == "en" and not st.session_state.get("_interface_translated"):
        return
    st.session_state["_interface_translated"] = True
    with st.sidebar:  # out of the main column, where even an empty element takes a gap
        _interface_language(
            key="_interface_language",
            data=language,
        )


# The main column's inner width, measured in the browser: Python cannot know a screen's
# width, and plotly does not wrap text, so a chart that wraps its titles to its own width
# must be told it. Reported when it changes (the value Python already has comes back as
# `data`): at once when narrower, when wider only by 20 px or more, so the width Python
# has is at most 20 px short and a page reruns once when first opened and once per real
# resize, not per pixel. One observer per browser tab.
_WIDTH_JS = """
export default function ({ setStateValue, data }) {
  const main = document.querySelector('[data-testid=stMainBlockContainer]');
  if (!main) return;
  const probe = (window.__mainWidthProbe ??= {});
  probe.observer?.disconnect();
  clearTimeout(probe.timer);
  probe.sent = typeof data === 'number' ? data : undefined;
  const report = () => {
    const style = getComputedStyle(main);
    const inner = main.clientWidth - parseFloat(style.paddingLeft)
      - parseFloat(style.paddingRight);
    const width = Math.floor(inner);
    const sent = probe.sent;
    // Narrower at once (a chart laid out too wide runs off); wider only by a step, so a
    // scrollbar coming and going cannot rerun the page back and forth.
    if (width > 0 && (sent === undefined || width < sent || width >= sent + 20)) {
      probe.sent = width;
      setStateValue('width', width);
    }
  };
  probe.observer = new ResizeObserver(() => {
    clearTimeout(probe.timer);
    probe.timer = setTimeout(report, 250);
  });
  probe.observer.observe(main);
  report();
  return () => { probe.observer?.disconnect(); clearTimeout(probe.timer); };
}
"""
_width_probe = st.components.v2.component("main_width_probe", js=_WIDTH_JS)


def _keep_main_width() -> None:
    reported = (st.session_state.get("_main_width_probe") or {}).get("width")
    if isinstance(reported, int | float) and reported > 0:
        st.session_state["_main_width"] = int(reported)


def known_main_width() -> int | None:
    """The main column's width if a page has measured it this session, without mounting
    the probe (whose first report reruns the page: the landing page does without it)."""
    return st.session_state.get("_main_width")


def main_width() -> int | None:
    """The main column's width in px (a full-width chart's), None until the browser has
    reported it; kept for the session, so other pages know it when they open."""
    with st.sidebar:  # out of the main column, as above
        _width_probe(
            key="_main_width_probe",
            data=st.session_state.get("_main_width"),
            on_width_change=_keep_main_width,
        )
    return known_main_width()


# Streamlit's gaps between `st.columns` (1rem and 2rem of 16 px); below a 640 px screen
# (a main column under about 600 px) it stacks the columns, each full width.
COLUMN_GAP_PX = {"small": 16, "medium": 32}
# The sidebar's starting width (Streamlit's is 300 px): its pickers hold the longest
# menu name whole in both languages (measured by tests/test_browser_view.py). A reader can
# still drag it narrower or wider; Streamlit remembers that in the browser.
SIDEBAR_PX = 350
COLUMNS_STACK_BELOW_PX = 600


def column_widths(main: int | None, weights: list[int], gap: str = "small") -> list[int] | None:
    """The px width of each of `st.columns(weights, gap=gap)` in a main column `main` px
    wide (`main_width()`, called once a page: it mounts the probe), None while unknown."""
    if main is None:
        return None
    if main < COLUMNS_STACK_BELOW_PX:
        return [main] * len(weights)
    room = main - COLUMN_GAP_PX[gap] * (len(weights) - 1)
    return [int(room * weight / sum(weights)) for weight in weights]


def _leave_presentation() -> None:
    st.session_state["present"] = False


def render_chrome() -> Any:
    """Sidebar settings shared by every page, or the presentation-mode styling.

    Returns the sidebar slot where `render_share_link` puts the link once the page has
    written its view into the URL (None in presentation mode).
    """
    if present():
        st.html(_PRESENT_CSS)
        st.button(t("present_exit", lang()), on_click=_leave_presentation, key="present_exit")
        return None
    st.html(_PAGE_CSS)
    with st.sidebar:
        st.radio(
            t("language", lang()),
            ("en", "zh"),
            key="lang",
            horizontal=True,
            format_func={"en": "English", "zh": "中文"}.get,
        )
        st.toggle(t("present_enter", lang()), key="present")
        st.radio(
            t("export_format", lang()),
            ("png", "svg"),
            key="export_format",
            horizontal=True,
            format_func=str.upper,
        )
        return st.container()


def render_share_link(slot: Any) -> None:
    """The address of the current view in a code block, whose copy button is one click."""
    if slot is None:
        return
    base = (st.context.url or "").split("?")[0]
    query = urlencode(st.query_params.to_dict())
    # In a popover, so the code block's highlighter loads only when asked for
    # (it cost ~180 ms on every page load in `make bench`).
    with slot, st.popover(t("copy_link", lang()), help=t("copy_link_help", lang())):
        st.code(f"{base}?{query}" if query else base, language=None, wrap_lines=True)
