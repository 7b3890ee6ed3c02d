"""How a source is named on screen, in a brief and in an export: once, one way."""

from __future__ import annotations

import re
from typing import Any

from dashboard import schema
from dashboard.i18n import grade_label, t

# A curator's "(repost)" or "(repost of the notice)" after a publisher repeats the grade.
_GRADE_NOTE = re.compile(r"\s*\((?:" + "|".join(schema.GRADES) + r")\b[^)]*\)\s*$")


def publisher_name(publisher: str) -> str:
    """The publisher without a note that the grade already says ("m.jrlcb.cn (repost)")."""
    return _GRADE_NOTE.sub("", str(publisher)) or str(publisher)


def citation_line(citation: Any, lang: str) -> str:
    """'Publisher, 2026-01 (grade: official)': how a figure's source is named on screen;
    the grade is said once."""
    grade = f"{t('grade', lang)}: {grade_label(citation['grade'], lang)}"
    return f"{publisher_name(citation['publisher'])}, {citation['published']} ({grade})"
