"""Entry point: page config, language and presentation flags, navigation. Nothing else.

Run with `make run` (or `streamlit run dashboard/app.py` from the repo root).
"""

from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run dashboard/app.py` puts dashboard/ on sys.path, not the repo root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import streamlit as st

from dashboard import ui
from dashboard.app_pages import error
from dashboard.data import DataError
from dashboard.i18n import LANGS, t
from dashboard.viewstate import parse_choice, parse_flag

ui.seed("lang", lambda raw: parse_choice(raw, LANGS, "en", "lang"))
ui.seed("present", lambda raw: parse_flag(raw, "present"))
lang = ui.lang()
st.set_page_config(
    page_title=t("app_title", lang),
    page_icon="🗺️",
    layout="wide",
    initial_sidebar_state=ui.SIDEBAR_PX,
)
ui.set_interface_language(lang)

try:
    ui.dataset()
except DataError as problems:
    error.render(problems)
    st.stop()

# File pages (not callables) so that AppTest can open each one with switch_page().
map_page = st.Page("app_pages/map_page.py", title=t("page_map", lang), url_path="map", default=True)
navigation = st.navigation(
    [
        map_page,
        st.Page("app_pages/regions.py", title=t("page_regions", lang), url_path="regions"),
        st.Page("app_pages/compare.py", title=t("page_compare", lang), url_path="compare"),
        st.Page("app_pages/timeline.py", title=t("page_timeline", lang), url_path="timeline"),
        st.Page("app_pages/screener.py", title=t("page_screener", lang), url_path="screener"),
        st.Page("app_pages/sources.py", title=t("page_sources", lang), url_path="sources"),
    ],
    position="hidden" if ui.present() else "sidebar",
)
# Each page its own tab title ("Compare provinces · China's provincial AI+ commitments"):
# a reader with several tabs open, or a bookmark, tells them apart.
if navigation is not map_page:
    st.set_page_config(page_title=f"{navigation.title} · {t('app_title', lang)}")
share_slot = ui.render_chrome()
if navigation.url_path != "sources":  # rejected data edits; /sources lists them in full
    ui.render_data_warning()
navigation.run()
ui.render_footer()
ui.freeze_startup_heap()
ui.sync_url({"lang": None if lang == "en" else lang, "present": "1" if ui.present() else None})
ui.render_share_link(share_slot)
