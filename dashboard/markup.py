"""Escaping for text from the data or the URL before Streamlit renders it as Markdown."""

from __future__ import annotations

import re

# Markdown and HTML syntax characters; escaping them leaves only literal text, so a
# curated cell or a tampered link cannot add links, images (remote fetches) or tags.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:&])")


def escape_markdown(text: object) -> str:
    """`text` as literal Markdown: every syntax character backslash-escaped."""
    return _SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


def is_web_url(url: object) -> bool:
    """True for http(s) addresses only: no javascript:, data: or file: links."""
    return isinstance(url, str) and re.match(r"^https?://[^\s<>\"']+$", url) is not None


def markdown_link(label: str, url: object) -> str:
    """A Markdown link to an http(s) address, or "" for any other scheme.

    The label is escaped; the characters that would end the target early are
    percent-encoded.
    """
    if not is_web_url(url):
        return ""
    href = str(url).replace("(", "%28").replace(")", "%29")
    return f"[{escape_markdown(label)}]({href})"
