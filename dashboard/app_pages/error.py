"""Shown instead of the app when the data folder breaks a rule: the problems, not a map."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import ui
from dashboard.data import DataError
from dashboard.i18n import t
from dashboard.markup import escape_markdown
from dashboard.rule_words import rule_text


def render(error: DataError) -> None:
    lang = ui.lang()
    st.title(t("data_error_title", lang))
    st.error(f"{len(error.problems)} · " + escape_markdown(t("data_error_body", lang)), icon="⚠️")
    table = pd.DataFrame(
        [(p.file, p.row, p.column, rule_text(p.rule, lang), p.value) for p in error.problems],
        columns=[
            t(key, lang)
            for key in ("problem_file", "problem_row", "column", "problem_rule", "problem_value")
        ],
    )
    st.dataframe(table, hide_index=True, width="stretch")
    # `make validate`'s own lines, to copy or match against its output; wrapped on a phone.
    st.code("\n".join(str(p) for p in error.problems), language=None, wrap_lines=True)
    if error.notices:
        st.caption(t("normalised_notes", lang))
        st.code("\n".join(str(n) for n in error.notices), language=None, wrap_lines=True)
