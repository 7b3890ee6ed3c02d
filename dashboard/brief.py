"""A one-page province brief: one self-contained HTML file that prints cleanly to PDF.

Everything is inline (an SVG map inset, CSS), so it opens on a machine with no
network. Every value from the data goes through `html.escape`.
"""

from __future__ import annotations

import html

import pandas as pd

from dashboard import svgmap
from dashboard.boundaries import Boundaries
from dashboard.data import Dataset, split_tracks
from dashboard.i18n import grade_label, group_label, t
from dashboard.instruments import instrument_lines
from dashboard.markup import is_web_url
from dashboard.metric_names import track_label
from dashboard.sourcing import publisher_name
from dashboard.transform import (
    citations_for,
    document_line,
    document_title,
    figure_text,
    province_documents,
    province_figures,
)

_SVG_WIDTH, _SVG_HEIGHT = 360, 270


def build_brief(data: Dataset, boundaries: Boundaries, adcode: int, lang: str) -> str:
    """The brief of province `adcode` in `lang` as a complete HTML document."""
    row = data.regions.loc[data.regions["adcode"] == adcode].iloc[0]
    name = str(row["name_zh"] if lang == "zh" else row["name_en"])
    figures = province_figures(data.regions, data.citations, adcode, lang)
    flags = " · ".join(
        [
            f"{t('region', lang)}: {group_label(row['region'], lang)}",
            f"{t('border', lang)}: {t('yes' if row['border'] else 'no', lang)}",
            f"{t('compute_hub', lang)}: {t('yes' if row['compute_hub'] else 'no', lang)}",
        ]
    )
    tracks = [track_label(data.tracks, track, lang) for track in split_tracks(row["focus_tracks"])]
    strategy = row["strategy_zh"] if lang == "zh" else row["strategy_en"]
    missing = f'<span class="missing">{html.escape(t("no_figure", lang))}</span>'
    tracks_html = html.escape(" · ".join(tracks)) if tracks else missing
    rows_html = "".join(_figure_row(data, adcode, figure, lang) for figure in figures.itertuples())
    e = html.escape
    return f"""<!doctype html>
<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(name)} — {e(t("app_title", lang))}</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", sans-serif;
  color: #222; margin: 2rem auto; max-width: 52rem; line-height: 1.45; padding: 0 1rem; }}
h1 {{ margin: 0 0 .2rem; }} .flags {{ color: #555; margin-bottom: 1rem; }}
.top {{ display: flex; gap: 1.5rem; align-items: flex-start; flex-wrap: wrap; }}
table {{ border-collapse: collapse; width: 100%; font-size: .92rem; }}
th, td {{ border-bottom: 1px solid #ddd; padding: .35rem .4rem; text-align: left;
  vertical-align: top; }}
blockquote {{ margin: .2rem 0 0; color: #444; font-size: .85rem; border-left: 3px solid #ccc;
  padding-left: .5rem; }}
.money td:first-child {{ width: 9rem; font-weight: 600; }}
.missing {{ color: #888; }} footer {{ margin-top: 1.5rem; font-size: .8rem; color: #666; }}
@media print {{ body {{ margin: 0; max-width: none; }} a {{ color: #222; }}
  tr {{ break-inside: avoid; }} }}
</style></head><body>
<h1>{e(name)}</h1>
<div class="flags">{e(flags)}</div>
<div class="top">
{_inset_svg(boundaries, adcode, name)}
<div style="flex:1;min-width:16rem">
<h2>{e(t("focus_tracks", lang))}</h2>
<p>{tracks_html}</p>
<h2>{e(t("strategy", lang))}</h2>
<p>{e(strategy) if pd.notna(strategy) else ""}</p>
</div></div>
<table><thead><tr><th>{e(t("figures", lang))}</th><th></th><th>{e(t("citations", lang))}</th>
</tr></thead><tbody>{rows_html}</tbody></table>
<h2>{e(t("instruments", lang))}</h2>
{_instruments_html(data, adcode, lang)}
<h2>{e(t("documents", lang))}</h2>
{_documents_html(data, adcode, lang)}
<footer>{e(t("source_line", lang))} {e(t("data_as_of", lang, date=data.as_of))}</footer>
</body></html>
"""


def _instruments_html(data: Dataset, adcode: int, lang: str) -> str:
    """The province's money, kind by kind, its own instruments first, each cited."""
    e = html.escape
    lines = instrument_lines(data.instruments, adcode, lang)
    if lines.empty:
        return f'<p class="missing">{e(t("instruments_none", lang))}</p>'
    rows = []
    for kind_label, group in lines.groupby("kind_label", sort=False):
        for first, line in zip([True] + [False] * len(group), group.itertuples(), strict=False):
            link = (
                f' <a href="{e(line.url, quote=True)}">{e(line.url)}</a>'
                if is_web_url(line.url)
                else ""
            )
            rows.append(
                f"<tr><td>{e(kind_label) if first else ''}</td>"
                f"<td>{e(line.place)}: <b>{e(line.amount)}</b>"
                f"<br><small>{e(line.terms)}</small></td>"
                f"<td>{e(line.title)} — {e(line.citation)}{link}"
                f"<blockquote>{e(line.quote)}</blockquote></td></tr>"
            )
    note = f"<p><small>{e(t('instruments_note', lang))}</small></p>"
    return f'<table class="money"><tbody>{"".join(rows)}</tbody></table>{note}'


def _documents_html(data: Dataset, adcode: int, lang: str) -> str:
    """The province's documents, newest first, each with kind, number, date, issuer, link."""
    e = html.escape
    documents = province_documents(data.documents, adcode)
    if documents.empty:
        return f'<p class="missing">{e(t("no_documents", lang))}</p>'
    items = []
    for document in documents.itertuples():
        title = document_title(document, lang)
        link = (
            f' <a href="{e(document.url, quote=True)}">{e(document.url)}</a>'
            if is_web_url(document.url)
            else ""
        )
        items.append(
            f"<li>{e(title)}<br><small>{e(document_line(document, lang))}</small>{link}</li>"
        )
    return f"<ul>{''.join(items)}</ul>"


def _figure_row(data: Dataset, adcode: int, figure: object, lang: str) -> str:
    e = html.escape
    value = figure_text(figure, lang)
    if not figure.citation:
        return f'<tr><td>{e(figure.figure)}</td><td class="missing">{e(value)}</td><td></td></tr>'
    cited = []
    for source in citations_for(data.sources, adcode, figure.column).itertuples():
        title = e(f"{source.source_title} — {publisher_name(source.publisher)}, {source.published}")
        grade = e(f"{t('grade', lang)}: {grade_label(source.grade, lang)}")
        link = (
            f' <a href="{e(source.url, quote=True)}">{e(source.url)}</a>'
            if is_web_url(source.url)
            else ""
        )
        cited.append(f"{title} ({grade}){link}<blockquote>{e(source.quote)}</blockquote>")
    rank = "".join(
        f"<br><small>{e(extra)}</small>" for extra in (figure.rank, figure.progress) if extra
    )
    return (
        f"<tr><td>{e(figure.figure)}</td><td>{e(value)}{rank}</td>"
        f"<td>{'<br>'.join(cited)}</td></tr>"
    )


def _inset_svg(boundaries: Boundaries, adcode: int, name: str) -> str:
    """China as the app's map draws it (same projection, the South China Sea inset at its
    lower right), pale grey with the province filled, as inline SVG (no network, prints).
    Drawn by `svgmap`, the renderer the published edition uses too."""
    return svgmap.locator_svg(boundaries, adcode, name, _SVG_WIDTH, _SVG_HEIGHT)
