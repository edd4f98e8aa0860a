"""Proposal bodies: Markdown written by residents, rendered to a small, safe subset of HTML.

Python-Markdown lets raw HTML through, so its output is never trusted: nh3 (ammonia) keeps only
the tags below, only http(s) and mailto links, and marks every link as user content. Headings
are moved down to h3/h4, because the page around the body already has its h1 and h2.
"""

from __future__ import annotations

import re

import markdown as markdown_lib
import nh3
from markupsafe import Markup

ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "code", "pre", "a", "h3", "h4"}
)
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener ugc"

# Only the bare tags Markdown itself writes: a heading written as raw HTML keeps its
# attributes, does not match, and is then stripped by the sanitiser like any other raw tag.
_HEADING = re.compile(r"<(/?)h([1-6])>")


def _demote_heading(match: re.Match[str]) -> str:
    level = 3 if match.group(2) == "1" else 4
    return f"<{match.group(1)}h{level}>"


def render_markdown(text: str | None) -> Markup:
    """The body as sanitised HTML, safe to put in a page as it is."""
    if not text:
        return Markup("")
    html = markdown_lib.markdown(text, output_format="html")
    html = _HEADING.sub(_demote_heading, html)
    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )
    return Markup(cleaned)  # noqa: S704 - sanitised by nh3 just above
