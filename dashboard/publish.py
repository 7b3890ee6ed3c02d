"""`make publish`: the published edition, the whole dashboard as static pages in `site/`.

Every page is computed before a reader arrives, by the same functions the live app runs
(`dashboard.views` builds the view models from `transform`, `charts`, `instruments`,
`comparison`); this module only renders them: Jinja2 templates with autoescape on, maps
as inline SVG through `dashboard.svgmap`. Links are relative, so the folder works from
`file://`, a USB stick, a shared drive, any web server or object store; nothing is
loaded from another host. One script (`assets/site.js`, deferred) adds the hover label
and /compare's choice; every map, legend and ranking is drawn without it.

Layout: English at the top (`index.html` is the default view of `/`), Chinese under
`zh/` with the same paths; `map/<metric>[-per-<per>].html`, `province/<adcode>.html`,
`regions.html`, `timeline.html`, `compare.html`, `sources.html`; `data/` holds the
dataset as CSV (UTF-8 with BOM) beside the committed files.

    python -m dashboard.publish [--out site] [--data data]
"""

from __future__ import annotations

import argparse
import itertools
import math
import shutil
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from dashboard import schema, svgmap, views
from dashboard.boundaries import Boundaries, load_boundaries, load_places, simplified
from dashboard.charts import province_names
from dashboard.data import REPO_ROOT, Dataset, load_dataset
from dashboard.dictionary import dictionary_table
from dashboard.formatting import format_figure
from dashboard.i18n import LANGS, grade_label, t
from dashboard.instruments import coverage_table
from dashboard.markup import is_web_url

TEMPLATES = Path(__file__).resolve().parent / "templates"
ASSETS = TEMPLATES / "assets"
DEFAULT_OUT = REPO_ROOT / "site"
MAP_WIDTH = 1000  # units of the map's viewBox; the page scales it to its column
THUMB_WIDTH = 300
CIRCLE_SCALE = MAP_WIDTH / 800  # the app's circles are px of a map about 800 px wide

# The edition's own words (the rest come from dashboard.i18n): English, Chinese.
TEXT: dict[str, tuple[str, str]] = {
    "edition": ("Published edition", "发布版"),
    "other_language": ("中文", "English"),
    "other_language_label": ("这一页的中文版", "This page in English"),
    "edition_note": (
        "A static edition built from the same data and code as the live dashboard.",
        "本静态版与在线仪表盘使用相同的数据和代码生成。",
    ),
    "built": ("Published {date}.", "发布于{date}。"),
    "views": ("Other commitments", "其他指标"),
    "normalise": ("Normalise", "标准化"),
    "open_province": ("Open a province's page", "查看省份页面"),
    "click_hint": (
        "Hover a province for its figure, year and source; click it for its page.",
        "将鼠标移到省份上可查看数据、年份和出处；点击打开该省页面。",
    ),
    "province_maps": ("On the map", "在地图上查看"),
    "compare_with": ("Compare with other provinces", "与其他省份对比"),
    "all_provinces": ("All provinces", "全部省份"),
    "members": ("Members", "成员省份"),
    "need_script": (
        "Choosing provinces here needs JavaScript; every figure is also on the province pages.",
        "在此选择省份需要启用JavaScript；各项数据也可在省份页面查看。",
    ),
    "download_dataset": ("The whole dataset, cited (CSV, UTF-8)", "完整数据集及出处（CSV，UTF-8）"),
    "committed_files": ("The committed data files", "原始数据文件"),
    "link": ("link", "链接"),
    "figure_col": ("Figure", "指标"),
    "value_col": ("Value", "数值"),
    "source_col": ("Source", "来源"),
    "documents_all": ("Every document", "全部文件"),
    "per_choice": ("Per", "按"),
    "city_value": ("Value as stated", "原文数值"),
    "measure": ("Measure", "措施"),
    "city": ("City", "城市"),
}


# Which item of the navigation a template is (province pages are none of them).
CURRENT = {"map.html": 0, "regions.html": 1, "compare.html": 2, "timeline.html": 3,
           "sources.html": 4}  # fmt: skip


def tx(key: str, lang: str, **values: object) -> str:
    """The edition's own text, or the app's (`i18n.t`) for any other key."""
    if key in TEXT:
        english, chinese = TEXT[key]
        text = chinese if lang == "zh" else english
        return text.format(**values) if values else text
    return t(key, lang, **values)


def map_path(metric_id: str, per: str) -> str:
    slug = metric_id.replace(":", "-").replace("_", "-")
    return f"map/{slug}{'' if per == 'none' else f'-per-{per}'}.html"


def province_path(adcode: int) -> str:
    return f"province/{adcode}.html"


@dataclass(frozen=True)
class Page:
    """Where a page sits: its path inside its language's tree, and the language."""

    path: str
    lang: str

    @property
    def file(self) -> str:
        return self.path if self.lang == "en" else f"zh/{self.path}"

    @property
    def depth(self) -> int:
        return self.file.count("/")

    @property
    def site(self) -> str:
        """From this page to the site's root (assets, data)."""
        return "../" * self.depth

    @property
    def root(self) -> str:
        """From this page to its language's root."""
        return "../" * self.path.count("/")

    @property
    def other(self) -> str:
        """The same view in the other language."""
        if self.lang == "en":
            return f"{self.site}zh/{self.path}"
        return f"{self.site}{self.path}"


class Publisher:
    """Loads data and geometry once, renders every page into `out`."""

    def __init__(self, data: Dataset, boundaries: Boundaries, places: pd.DataFrame, out: Path):
        self.data, self.boundaries, self.places, self.out = data, boundaries, places, out
        self.projected = svgmap.project(boundaries, MAP_WIDTH)
        self.thumbs = svgmap.project(
            simplified(boundaries, 0.2, (73.0, 17.5, 135.5, 54.0)), THUMB_WIDTH
        )
        self.env = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=select_autoescape(["html"]),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.built = views.today()
        self.sizes: dict[str, int] = {}

    # --- writing -------------------------------------------------------------------

    def write(self, page: Page, template: str, **context: Any) -> None:
        lang = page.lang
        text: Callable[..., str] = lambda key, **values: tx(key, lang, **values)  # noqa: E731
        nav = [
            ("page_map", page.root + "index.html"),
            ("page_regions", page.root + "regions.html"),
            ("page_compare", page.root + "compare.html"),
            ("page_timeline", page.root + "timeline.html"),
            ("page_sources", page.root + "sources.html"),
        ]
        html = self.env.get_template(template).render(
            page=page,
            current=CURRENT.get(template),
            lang=lang,
            html_lang="zh-CN" if lang == "zh" else "en",
            t=text,
            nav=[(text(key), href) for key, href in nav],
            as_of=t("data_as_of", lang, date=self.data.as_of),
            built=tx("built", lang, date=self.built),
            map_path=map_path,
            province_path=province_path,
            **context,
        )
        target = self.out / page.file
        target.parent.mkdir(parents=True, exist_ok=True)
        body = html.encode("utf-8")
        target.write_bytes(body)
        self.sizes[page.file] = len(body)

    # --- pages ---------------------------------------------------------------------

    def map_page(self, metric_id: str, per: str, lang: str, *, path: str | None = None) -> None:
        view = views.build_map_view(
            self.data, self.boundaries, metric_id, per, lang, places=self.places
        )
        page = Page(path or map_path(metric_id, per), lang)
        self.write(page, "map.html", view=view, svg=Markup(self.map_svg(view, page)),
                   menu=views.metric_menu(self.data, lang),
                   provinces=self.province_list(lang))  # fmt: skip

    def map_svg(self, view: views.MapView, page: Page) -> str:
        # "No published figure" is white with grey dots, as on the app's map.
        fills = {c.adcode: svgmap.DOTS if c.state in views.DOTTED else c.fill for c in view.cells}
        attrs = {
            c.adcode: {
                "data-state": c.state or "comparable",
                "data-class": str(c.cls),
                "data-value": "" if c.value is None else repr(c.value),
                "data-name": c.name,
            }
            for c in view.cells
        }
        covered = set(int(a) for a in self.data.regions["adcode"])
        links = {
            c.adcode: page.root + province_path(c.adcode) for c in view.cells if c.adcode in covered
        }
        circles = [
            svgmap.Circle(
                c["lon"],
                c["lat"],
                c["diameter"] * CIRCLE_SCALE,
                c["title"],
                (("data-instrument", c["id"]),),
            )
            for c in view.circles
        ]
        return svgmap.render(
            self.projected,
            fills,
            label=view.alt,
            titles={c.adcode: c.hover for c in view.cells},
            links=links,
            attrs=attrs,
            circles=circles,
            css_class="map",
        )

    def province_list(self, lang: str) -> list[tuple[int, str]]:
        column = "name_zh" if lang == "zh" else "name_en"
        pairs = zip(self.data.regions["adcode"].astype(int), self.data.regions[column], strict=True)
        return sorted(pairs, key=lambda pair: pair[1])

    def province_page(self, adcode: int, lang: str) -> None:
        view = views.build_province_view(self.data, adcode, lang)
        locator = svgmap.render(
            self.thumbs, {adcode: "#225ea8"}, label=view.name, edge=("#fff", 0.6),
            css_class="locator",
        )  # fmt: skip
        self.write(Page(province_path(adcode), lang), "province.html", view=view,
                   locator=Markup(locator))  # fmt: skip

    def regions_page(self, lang: str) -> None:
        model = views.regions_view(self.data, lang)
        for group in model["groups"]:
            members = {a for a, _ in group["members"]}
            group["svg"] = Markup(
                svgmap.render(
                    self.thumbs,
                    {a: "#225ea8" for a in members},
                    label=f"{group['label']}: {len(members)}",
                    titles={a: n for a, n in group["members"]},
                    links={a: province_path(a) for a in members},
                    edge=("#fff", 0.6),
                    css_class="thumb",
                )
            )
        self.write(Page("regions.html", lang), "regions.html", model=model,
                   heat_colour=heat_colour)  # fmt: skip

    def timeline_page(self, lang: str) -> None:
        names = province_names(self.data.regions, self.boundaries, lang)
        model = views.timeline_view(self.data, names, lang, self.built)
        self.write(Page("timeline.html", lang), "timeline.html", model=model,
                   svg=Markup(timeline_svg(model, lang)), mark_svg=mark_svg)  # fmt: skip

    def compare_page(self, lang: str) -> None:
        model = views.compare_data(self.data, self.boundaries, lang)
        self.write(Page("compare.html", lang), "compare.html", model=model,
                   provinces=self.province_list(lang))  # fmt: skip

    def sources_page(self, lang: str) -> None:
        data = self.data
        regions = data.regions
        coverage = [
            (c, schema.column_label(c, lang), int(regions[c].notna().sum()))
            for c in schema.regions_schema.columns
        ]
        names = dict(zip(regions["adcode"].astype(int), regions[f"name_{lang}"], strict=True))
        sources = [
            {
                "province": names.get(int(r.adcode), str(r.adcode)),
                "adcode": int(r.adcode),
                "field": _field_label(r.field, lang),
                "stated": r.value_as_stated,
                "title": r.source_title,
                "publisher": r.publisher,
                "published": r.published,
                "grade": grade_label(r.grade, lang),
                "url": r.url if is_web_url(r.url) else "",
                "quote": r.quote,
            }
            for r in data.sources.itertuples()
        ]
        figures = [
            (c, f"{schema.column_label(c, lang)} ({schema.column_unit(c, lang)})")
            for c in schema.FIGURE_COLUMNS
        ]
        table = []
        for r in regions.itertuples():
            cells = []
            for column, _ in figures:
                value = getattr(r, column)
                cells.append(
                    "—"
                    if pd.isna(value)
                    else format_figure(float(value) * schema.column_scale(column, lang))
                )
            table.append((int(r.adcode), names[int(r.adcode)], cells))
        instruments = coverage_table(data.instruments, lang)
        dictionary = dictionary_table(lang)
        self.write(
            Page("sources.html", lang),
            "sources.html",
            coverage=coverage,
            total=len(regions),
            figures=figures,
            table=table,
            sources=sources,
            instruments=(list(instruments.columns), instruments.values.tolist()),
            dictionary=(list(dictionary.columns), dictionary.fillna("").values.tolist()),
            files=[name for name in schema.SCHEMAS if (self.out / "data" / name).exists()],
        )

    # --- the whole site --------------------------------------------------------------

    def assets(self, data_dir: Path) -> None:
        (self.out / "assets").mkdir(parents=True, exist_ok=True)
        for asset in ASSETS.iterdir():
            shutil.copyfile(asset, self.out / "assets" / asset.name)
        folder = self.out / "data"
        folder.mkdir(parents=True, exist_ok=True)
        for name in schema.SCHEMAS:
            if (data_dir / name).exists():
                shutil.copyfile(data_dir / name, folder / name)
        for lang in LANGS:
            (folder / f"dataset-{lang}.csv").write_bytes(views.dataset_csv(self.data, lang))

    def pages(self, lang: str) -> None:
        """Every page of one language."""
        metric, per = views.default_view(self.data)
        self.map_page(metric, per, lang, path="index.html")
        for metric_id, per in views.map_views(self.data):
            self.map_page(metric_id, per, lang)
        for adcode in self.data.regions["adcode"].astype(int):
            self.province_page(int(adcode), lang)
        self.regions_page(lang)
        self.timeline_page(lang)
        self.compare_page(lang)
        self.sources_page(lang)


def _field_label(field: str, lang: str) -> str:
    if field == "focus_tracks":
        return t("focus_tracks", lang)
    if field in schema.regions_schema.columns:
        return schema.column_label(field, lang)
    return field


def heat_colour(share: float | None) -> str:
    """The track heatmap's colour of a share (0-100) on the app's white-to-blue ramp."""
    from dashboard.charts import HEAT_SCALE

    if share is None:
        return "#f4f4f4"
    position = share / 100
    for (low, low_colour), (high, high_colour) in itertools.pairwise(HEAT_SCALE):
        if position <= high:
            f = 0 if high == low else (position - low) / (high - low)
            a = [int(low_colour[i : i + 2], 16) for i in (1, 3, 5)]
            b = [int(high_colour[i : i + 2], 16) for i in (1, 3, 5)]
            return "#" + "".join(f"{round(x + (y - x) * f):02x}" for x, y in zip(a, b, strict=True))
    return HEAT_SCALE[-1][1]


# --- the timeline as SVG ----------------------------------------------------------------

TIMELINE_WIDTH = 1000
TIMELINE_ROW = 22
TIMELINE_AXIS = 30


def _label_units(label: str) -> float:
    """A label's width in the timeline's 13-unit type (a CJK character is one em)."""
    from dashboard.charts import text_columns

    return 6.6 * text_columns(label)


def timeline_svg(model: dict[str, Any], lang: str) -> str:
    """One row per province, its documents as marks on a date axis, the national opinion
    dashed; each mark's `<title>` says the document, each links to its entry below."""
    import html

    e = html.escape
    rows = model["rows"]
    left = min(320, max(_label_units(r["label"]) for r in rows) + 12)
    right = TIMELINE_WIDTH - 14
    start = pd.Timestamp(model["start"])
    end = pd.Timestamp(model["today"])
    span = max((end - start).days, 1)

    def x(day: str) -> float:
        return left + (pd.Timestamp(day) - start).days / span * (right - left)

    y_of = {r["adcode"]: TIMELINE_AXIS + (i + 0.5) * TIMELINE_ROW for i, r in enumerate(rows)}
    height = TIMELINE_AXIS + TIMELINE_ROW * len(rows) + 6
    out = []
    for i, r in enumerate(rows):
        y = y_of[r["adcode"]]
        if i % 2 == 0:
            out.append(f'<rect x="0" y="{y - TIMELINE_ROW / 2:.1f}" width="{TIMELINE_WIDTH}" '
                       f'height="{TIMELINE_ROW}" fill="#f7f7f7"/>')  # fmt: skip
        out.append(
            f'<a href="province/{r["adcode"]}.html"><text x="{left - 8:.1f}" y="{y + 4.5:.1f}" '
            f'text-anchor="end" class="row">{e(r["label"])}</text></a>'
        )
    # Ticks: every quarter's first day, labelled by month.
    months = pd.date_range(start, end, freq="QS")
    for month in months:
        tx_ = x(month.date().isoformat())
        label = f"{month.year}年{month.month}月" if lang == "zh" else month.strftime("%b %Y")
        out.append(f'<line x1="{tx_:.1f}" x2="{tx_:.1f}" y1="{TIMELINE_AXIS - 4}" '
                   f'y2="{height - 6}" stroke="#e6e6e6"/>')  # fmt: skip
        out.append(f'<text x="{tx_:.1f}" y="{TIMELINE_AXIS - 10}" text-anchor="middle" '
                   f'class="tick">{e(label)}</text>')  # fmt: skip
    opinion = x(model["opinion"])
    out.append(
        f'<line x1="{opinion:.1f}" x2="{opinion:.1f}" y1="{TIMELINE_AXIS - 4}" y2="{height - 6}" '
        f'stroke="#333" stroke-width="1.5" stroke-dasharray="5 4" class="national">'
        f"<title>{e(model['national'])}</title></line>"
    )
    for mark in model["marks"]:
        if mark["adcode"] not in y_of:
            continue
        shape = mark_svg(mark["symbol"], x(mark["date"]), y_of[mark["adcode"]],
                         13 if mark["kind"] == "ai_plus_plan" else 10, mark["colour"],
                         mark["draft"])  # fmt: skip
        out.append(
            f'<a href="#doc-{e(mark["id"], quote=True)}" class="mark" '
            f'data-document="{e(mark["id"], quote=True)}">'
            + shape.replace("/>", "><title>" + e(mark["title"]) + "</title></path>", 1)
            + "</a>"
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" role="img" '
        f'aria-label="{e(model["title"], quote=True)}" viewBox="0 0 {TIMELINE_WIDTH} {height}">'
        + "".join(out)
        + "</svg>"
    )


def mark_svg(symbol: str, x: float, y: float, size: float, colour: str, hollow: bool) -> str:
    """A plotly-like marker as one `<path/>`: the timeline's kinds by colour and shape."""
    r = size / 2
    if symbol == "circle":
        arc = f"a{r:.1f} {r:.1f} 0 1 0"
        d = f"M{x - r:.1f} {y:.1f}{arc} {2 * r:.1f} 0{arc} {-2 * r:.1f} 0z"
    elif symbol == "square":
        d = f"M{x - r:.1f} {y - r:.1f}h{2 * r:.1f}v{2 * r:.1f}h{-2 * r:.1f}z"
    elif symbol == "diamond":
        h = r * 1.2
        d = f"M{x:.1f} {y - h:.1f}L{x + r:.1f} {y:.1f}L{x:.1f} {y + h:.1f}L{x - r:.1f} {y:.1f}z"
    elif symbol in ("triangle-up", "triangle-down"):
        s = -1 if symbol == "triangle-up" else 1
        d = f"M{x:.1f} {y + s * r:.1f}L{x + r:.1f} {y - s * r:.1f}L{x - r:.1f} {y - s * r:.1f}z"
    elif symbol == "star":
        points = []
        for i in range(10):
            angle = math.pi / 2 + i * math.pi / 5
            radius = r * 1.15 if i % 2 == 0 else r * 0.5
            points.append(f"{x + radius * math.cos(angle):.1f} {y - radius * math.sin(angle):.1f}")
        d = "M" + "L".join(points) + "z"
    else:  # cross and x: a plus, turned for x
        w = r * 0.35
        arms = [(-w, -r), (w, -r), (w, -w), (r, -w), (r, w), (w, w), (w, r), (-w, r), (-w, w),
                (-r, w), (-r, -w), (-w, -w)]  # fmt: skip
        if symbol == "x":
            c = math.sqrt(0.5)
            arms = [((a - b) * c, (a + b) * c) for a, b in arms]
        d = "M" + "L".join(f"{x + a:.1f} {y + b:.1f}" for a, b in arms) + "z"
    fill = "#fff" if hollow else colour
    width = 1.5 if hollow else 0.5
    return f'<path d="{d}" fill="{fill}" stroke="{colour}" stroke-width="{width}"/>'


# --- entry point -------------------------------------------------------------------------


def _publish_language(args: tuple[str, str, str, str]) -> dict[str, int]:
    """One language's pages, in a worker process (two languages, two cores)."""
    data_dir, geo_dir, out, lang = args
    publisher = _publisher(Path(data_dir), Path(geo_dir), Path(out))
    publisher.pages(lang)
    return publisher.sizes


def _publisher(data_dir: Path, geo_dir: Path, out: Path) -> Publisher:
    return Publisher(load_dataset(data_dir), load_boundaries(geo_dir), load_places(geo_dir), out)


def publish(
    out: Path = DEFAULT_OUT,
    data_dir: Path = REPO_ROOT / "data",
    geo_dir: Path = REPO_ROOT / "geo",
    *,
    workers: int = 2,
) -> dict[str, int]:
    """Write the whole edition into `out` (replaced whole); returns bytes per page."""
    out = Path(out)
    staging = out.with_name(out.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        publisher = _publisher(Path(data_dir), Path(geo_dir), staging)
        publisher.assets(Path(data_dir))
        sizes: dict[str, int] = {}
        jobs = [(str(data_dir), str(geo_dir), str(staging), lang) for lang in LANGS]
        if workers > 1:
            with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
                for result in pool.map(_publish_language, jobs):
                    sizes.update(result)
        else:
            for job in jobs:
                sizes.update(_publish_language(job))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)  # the old edition stays as it was
        raise
    # Swapped in whole: a web server serving `out` never shows half an edition.
    if out.exists():
        old = out.with_name(out.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        out.rename(old)
        staging.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        staging.rename(out)
    return sizes


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--data", type=Path, default=REPO_ROOT / "data")
    parser.add_argument("--geo", type=Path, default=REPO_ROOT / "geo")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    start = time.monotonic()
    sizes = publish(args.out, args.data, args.geo, workers=args.workers)
    seconds = time.monotonic() - start
    maps = [size for name, size in sizes.items() if "map/" in name or name.endswith("index.html")]
    print(
        f"wrote {args.out} in {seconds:.1f} s: {len(sizes)} pages, "
        f"{folder_bytes(args.out) / 1e6:.1f} MB; map pages {min(maps) / 1e3:.0f}-"
        f"{max(maps) / 1e3:.0f} KB, largest page {max(sizes, key=sizes.get)} "
        f"{max(sizes.values()) / 1e3:.0f} KB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
