"""Proposal bodies: Markdown written by residents, rendered to a small, safe subset of HTML.

Python-Markdown lets raw HTML through, so its output is never trusted: nh3 (ammonia) keeps only
the tags below, only http(s) and mailto links, and marks every link as user content. Headings
are moved down to h3/h4, because the page around the body already has its h1 and h2. Tables
(the `tables` extension) keep their cells' alignment as an `align` attribute, nothing else. A
Markdown link to any other scheme (`[text](javascript:…)`) is shown as its text.
"""

from __future__ import annotations

import html as html_lib
import re
import xml.etree.ElementTree as etree

import markdown as markdown_lib
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

ALLOWED_TAGS = frozenset(
    {
        *("p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "code", "pre", "a"),
        *("h3", "h4", "table", "thead", "tbody", "tr", "th", "td"),
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href"}}
# A cell's alignment, only as one of these words (never a style).
ALIGNMENT = {"align": {"left", "center", "right"}}
ALLOWED_ATTRIBUTE_VALUES = {"th": ALIGNMENT, "td": ALIGNMENT}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener ugc"

# What a browser ignores in a URL's scheme (it reads "java\tscript:" as "javascript:").
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]")
_SCHEME = re.compile(r"^([^/?#]*?):")


def _allowed_href(href: str) -> bool:
    """A relative address or one of URL_SCHEMES, read as a browser reads it."""
    url = _IGNORED_IN_URL.sub("", html_lib.unescape(href))
    scheme = _SCHEME.match(url)
    return scheme is None or scheme.group(1).lower() in URL_SCHEMES


class _RefusedLinksAsText(Treeprocessor):
    """A link nh3 would refuse becomes its text: an `<a>` without an address looks like a
    link that does nothing, and readers ask where the rest of the text went."""

    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            for index in reversed(range(len(parent))):
                link = parent[index]
                if link.tag == "a" and not _allowed_href(link.get("href", "")):
                    _unwrap(parent, index)


def _unwrap(parent: etree.Element, index: int) -> None:
    """Replace parent[index] by its text and children, keeping the text around it."""
    link = parent[index]
    before = parent[index - 1] if index else None
    text = (link.text or "") + ("" if len(link) else (link.tail or ""))
    if before is None:
        parent.text = (parent.text or "") + text
    else:
        before.tail = (before.tail or "") + text
    children = list(link)
    if children:
        children[-1].tail = (children[-1].tail or "") + (link.tail or "")
    parent.remove(link)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)


class _SafeLinks(Extension):
    def extendMarkdown(self, md: markdown_lib.Markdown) -> None:  # noqa: N802 - Markdown's API
        # After the inline patterns (priority 20) have made the links.
        md.treeprocessors.register(_RefusedLinksAsText(md), "refused_links_as_text", 5)


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
    html = markdown_lib.markdown(
        text,
        output_format="html",
        extensions=["tables", _SafeLinks()],
        extension_configs={"tables": {"use_align_attribute": True}},
    )
    html = _HEADING.sub(_demote_heading, html)
    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        tag_attribute_values={
            tag: {name: set(values) for name, values in allowed.items()}
            for tag, allowed in ALLOWED_ATTRIBUTE_VALUES.items()
        },
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )
    return Markup(cleaned)  # noqa: S704 - sanitised by nh3 just above
