"""The published edition: built once into a temporary folder, then held against the app.

Parity: every map page's provinces (state, class, value) and bars (order, value, rank),
legend and note equal what the app's own plotly figures carry for the same view
(`charts.build_choropleth`, `charts.build_ranked_bars`), both languages. Links: a crawl
from index.html reaches every page, every relative link and asset resolves, nothing is
loaded from another host. Plus the renderer, escaping, the CSV and the budgets.
"""

from __future__ import annotations

import html
import re
import time
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from dashboard import charts, publish, svgmap, views
from dashboard.boundaries import load_places, simplified
from dashboard.brief import build_brief
from dashboard.data import REPO_ROOT
from dashboard.i18n import LANGS
from dashboard.instruments import is_kind, of_kind, place_circles
from dashboard.metric_names import PLAN_DAYS
from dashboard.transform import (
    STATES,
    basis_options,
    build_metric,
    classify,
    default_window,
    plan_citations,
    ranking,
)

SITE_BUDGET_BYTES = 25_000_000
PUBLISH_BUDGET_S = 60.0


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> tuple[Path, dict[str, int], float]:
    out = tmp_path_factory.mktemp("edition") / "site"
    start = time.monotonic()
    sizes = publish.publish(out)
    return out, sizes, time.monotonic() - start


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text inside chosen elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    handle_startendtag = handle_starttag

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(path: Path) -> Tags:
    parser = Tags()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def legend_labels(path: Path) -> list[str]:
    """The legend's entries as the page writes them (the unit line excluded)."""
    text = path.read_text(encoding="utf-8")
    block = re.search(r'<ul class="legend"[^>]*>(.*?)</ul>', text, re.S).group(1)
    items = re.findall(r"<li>(.*?)</li>", block, re.S)
    return [_squash(html.unescape(re.sub(r"<[^>]+>", "", item))) for item in items]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text.replace("<br>", ""))


def app_view(dataset, boundaries, metric_id: str, per: str, lang: str):
    """The map page's default view, through the app's own functions (as map_page.py)."""
    regions = dataset.regions
    bases = basis_options(regions, metric_id)
    basis = bases[0] if bases else None
    metric = build_metric(regions, dataset.tracks, metric_id, per, lang, basis=basis,
                          window=default_window(regions, metric_id, basis),
                          documents=dataset.documents)  # fmt: skip
    classes = classify(metric.values, "quantiles", published=metric.per == "none")
    names = charts.province_names(regions, boundaries, lang)
    adcodes = [int(a) for a in regions["adcode"]]
    citations = (
        plan_citations(dataset.documents, lang)
        if metric.id == PLAN_DAYS
        else charts.metric_citations(dataset.citations, metric.source_field, adcodes, lang)
    )
    circles = None  # a money kind's cities, districts and zones, at the default level
    if is_kind(metric.id) and metric.per == "none":
        circles = place_circles(of_kind(dataset.instruments, metric.id, "local"), load_places())
    figure = charts.build_choropleth(
        metric, classes, boundaries, names, citations, lang, circles=circles
    )
    bars = None if metric.binary else charts.build_ranked_bars(metric, classes, names, lang)
    return metric, classes, figure, bars


def test_publish_fits_its_budgets(site) -> None:
    out, sizes, seconds = site
    assert seconds < PUBLISH_BUDGET_S
    assert publish.folder_bytes(out) < SITE_BUDGET_BYTES
    assert (out / "index.html").exists() and (out / "zh" / "index.html").exists()
    # Every map view the app offers by default, in both languages.
    for metric_id, per in views.map_views(views_data(out)):
        for lang in LANGS:
            assert publish.Page(publish.map_path(metric_id, per), lang).file in sizes


def views_data(out: Path):
    from dashboard.data import load_dataset

    return load_dataset(REPO_ROOT / "data")


@pytest.mark.parametrize("lang", LANGS)
def test_every_map_page_equals_the_apps_figures(site, dataset, boundaries, lang) -> None:
    out, _, _ = site
    checked = 0
    for metric_id, per in views.map_views(dataset):
        page = out / publish.Page(publish.map_path(metric_id, per), lang).file
        metric, classes, figure, bars = app_view(dataset, boundaries, metric_id, per, lang)
        parsed = parse(page)
        paths = {
            int(a["data-adcode"]): a
            for tag, a in parsed.tags
            if tag == "path" and "data-adcode" in a
        }
        assert sorted(paths) == boundaries.adcodes, page

        # The app's choropleth: one code per province, classes first, then states.
        n_colours = 2 if metric.binary else classes.count
        state_list = [*STATES, "plan_draft", "plan_undated", "no_plan"]
        codes = dict(zip(figure.data[0].locations, figure.data[0].z, strict=True))
        shown = metric.shown if metric.shown is not None else metric.values
        for adcode, attrs in paths.items():
            code = int(codes[adcode])
            if code < n_colours:
                assert attrs["data-state"] == "comparable", (page, adcode)
                assert int(attrs["data-class"]) == code, (page, adcode)
            elif code < n_colours + len(state_list):
                assert attrs["data-state"] == state_list[code - n_colours], (page, adcode)
                assert attrs["data-class"] == "-1"
            else:
                assert attrs["data-state"] == views.NOT_COVERED
            value = shown.get(adcode) if adcode in shown.index else None
            if value is None or value != value:
                assert attrs["data-value"] == "", (page, adcode)
            else:
                assert float(attrs["data-value"]) == pytest.approx(float(value), rel=1e-12)

        # Legend and note: the same entries and counts as the app's key and source note.
        app_legend = [
            _squash(html.unescape(trace.name))
            for trace in figure.data
            if trace.showlegend is not False and trace.name
        ]
        assert legend_labels(page) == app_legend, page
        note = charts.left_out_text(metric, lang)
        if note:
            assert html.escape(note, quote=False) in page.read_text(encoding="utf-8")

        # Bars: the same provinces in the same order with the same values, ranked like only.
        if bars is not None:
            items = [a for tag, a in parsed.tags if tag == "li" and "data-rank" in a]
            names = charts.province_names(dataset.regions, boundaries, lang)
            by_name = {html.escape(n, quote=False): a for a, n in names.items()}
            app_order = [by_name[label] for label in reversed(list(bars.data[0].y))]
            assert [int(a["data-adcode"]) for a in items] == app_order, page
            values = [float(v) for v in reversed(list(bars.data[0].x))]
            assert [float(a["data-value"]) for a in items] == pytest.approx(values)
            ranks = ranking(metric.values.dropna() if metric.higher_first
                            else -metric.values.dropna())  # fmt: skip
            years = metric.years.reindex(metric.values.dropna().index)
            if years.nunique(dropna=True) <= 1:
                for attrs in items:
                    assert int(attrs["data-rank"]) == int(ranks[int(attrs["data-adcode"])])
        checked += 1
    assert checked == len(views.map_views(dataset))


def test_index_is_the_apps_default_view(site, dataset) -> None:
    out, _, _ = site
    metric_id, per = views.default_view(dataset)
    default = out / publish.map_path(metric_id, per)
    strip = lambda text: re.sub(r'(href|src)="[^"]*"', "", text)  # noqa: E731 (depths differ)
    assert strip((out / "index.html").read_text(encoding="utf-8")) == strip(
        default.read_text(encoding="utf-8")
    )


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str, str]] = []  # tag, attribute, value

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src", "xlink:href", "action") and value:
                self.links.append((tag, name, value))

    handle_startendtag = handle_starttag


def test_crawl_from_index_reaches_everything_and_loads_nothing_from_outside(site) -> None:
    out, _, _ = site
    seen: set[Path] = set()
    queue = [out / "index.html"]
    outbound = 0
    while queue:
        page = queue.pop()
        if page in seen:
            continue
        seen.add(page)
        parser = Links()
        text = page.read_text(encoding="utf-8")
        parser.feed(text)
        # Nothing is fetched from another host: no remote src, stylesheet or import.
        assert not re.search(r"url\(\s*['\"]?https?:", text), page
        for tag, attribute, value in parser.links:
            url = urlparse(value)
            if url.scheme in ("http", "https"):
                # An outbound citation link a reader may follow; never a loaded resource.
                assert tag == "a" and attribute == "href", (page, tag, value)
                outbound += 1
                continue
            assert not url.scheme and not url.netloc, (page, value)  # relative only
            assert not value.startswith("/"), (page, value)
            if not url.path:
                if url.fragment and url.fragment.startswith("doc-"):
                    assert f'id="{url.fragment}"' in text, (page, value)
                continue
            target = (page.parent / unquote(url.path)).resolve()
            assert target.is_file(), (page, value)
            assert out.resolve() in target.parents, (page, value)
            if target.suffix == ".html":
                queue.append(target)
    every = {p.resolve() for p in out.rglob("*.html")}
    assert {p.resolve() for p in seen} == every, "pages no link reaches"
    assert outbound > 100  # the citations are there to follow


def test_language_links_go_to_the_same_view(site) -> None:
    out, sizes, _ = site
    for file in sizes:
        page = out / file
        text = page.read_text(encoding="utf-8")
        link = re.search(r'<a class="lang" href="([^"]+)"', text).group(1)
        other = (page.parent / link).resolve()
        zh = file.startswith("zh/")
        assert other == (out / (file.removeprefix("zh/") if zh else f"zh/{file}")).resolve()
        assert ('<html lang="zh-CN">' if zh else '<html lang="en">') in text


def test_scripts_load_after_first_paint_from_this_folder(site) -> None:
    out, sizes, _ = site
    for file in sizes:
        text = (out / file).read_text(encoding="utf-8")
        scripts = re.findall(r"<script\b([^>]*)>", text)
        for attrs in scripts:
            if 'type="application/json"' in attrs:
                continue  # data, never run
            assert "defer" in attrs and "src=" in attrs, (file, attrs)
        assert "plotly" not in text.lower() or "plotly" in text.lower().split("<main>")[-1]


def test_csv_has_a_bom_and_is_the_apps_export(site, dataset) -> None:
    out, _, _ = site
    for lang in LANGS:
        body = (out / "data" / f"dataset-{lang}.csv").read_bytes()
        assert body.startswith(b"\xef\xbb\xbf")
        assert body == views.dataset_csv(dataset, lang)


def test_svg_map_one_path_per_province_with_the_inset(boundaries) -> None:
    projected = svgmap.project(boundaries, 1000)
    svg = svgmap.render(projected, {440000: "#123456"}, label="<x>", titles={110000: "a<b"})
    assert svg.count("data-adcode=") == len(boundaries.adcodes)
    assert 'aria-label="&lt;x&gt;"' in svg and "<title>a&lt;b</title>" in svg
    # Hainan's islands are drawn twice: on the mainland frame and in the inset.
    assert projected.paths[460000].count("M") >= 2
    assert projected.dashes and projected.frame
    # The inset sits at the lower right of the drawing.
    x, y = projected.point(112.0, 10.0)
    assert x > projected.width * 0.6 and y > projected.height * 0.6


def test_the_brief_draws_through_the_same_renderer(dataset, boundaries) -> None:
    thumbs = simplified(boundaries, 0.2, (73.0, 17.5, 135.5, 54.0))
    brief = build_brief(dataset, thumbs, 340000, "en")
    assert svgmap.locator_svg(thumbs, 340000, "Anhui") in brief


def test_data_enters_pages_only_escaped(tmp_path, dataset, boundaries) -> None:
    regions = dataset.regions.copy()
    regions.loc[regions["adcode"] == 340000, "name_en"] = '<script>alert("x")</script>'
    hostile = replace(dataset, regions=regions)
    publisher = publish.Publisher(hostile, boundaries, None, tmp_path)
    publisher.province_page(340000, "en")
    publisher.map_page("fund", "none", "en")
    for file in ("province/340000.html", publish.map_path("fund", "none")):
        text = (tmp_path / file).read_text(encoding="utf-8")
        assert "<script>alert" not in text
        assert "&lt;script&gt;alert" in text
