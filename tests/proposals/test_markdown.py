"""Proposal bodies: Markdown in, a small set of safe tags out."""

from __future__ import annotations

import pytest

from app.proposals.markdown import render_markdown


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("**forte** e *corsivo*", "<p><strong>forte</strong> e <em>corsivo</em></p>"),
        ("# Titolo", "<h3>Titolo</h3>"),
        ("## Sottotitolo", "<h4>Sottotitolo</h4>"),
        ("##### Piccolo", "<h4>Piccolo</h4>"),
        ("- uno\n- due", "<ul>\n<li>uno</li>\n<li>due</li>\n</ul>"),
        ("> citazione", "<blockquote>\n<p>citazione</p>\n</blockquote>"),
        ("`codice`", "<p><code>codice</code></p>"),
        (
            "[sito](https://example.org)",
            '<p><a href="https://example.org" rel="nofollow noopener ugc">sito</a></p>',
        ),
        (
            "[scrivici](mailto:info@example.org)",
            '<p><a href="mailto:info@example.org" rel="nofollow noopener ugc">scrivici</a></p>',
        ),
        ("", ""),
    ],
)
def test_markdown_keeps_the_allowed_tags(source, expected):
    assert str(render_markdown(source)) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<script>alert(1)</script>ciao", "\n<p>ciao</p>"),
        ('<img src="x" onerror="alert(1)">', "<p></p>"),
        ("![foto](https://example.org/a.png)", "<p></p>"),
        ("[clic](javascript:alert(1))", '<p><a rel="nofollow noopener ugc">clic</a></p>'),
        ("[clic](JaVaScRiPt:alert(1))", '<p><a rel="nofollow noopener ugc">clic</a></p>'),
        (
            "[dati](data:text/html;base64,PHNjcmlwdD4=)",
            '<p><a rel="nofollow noopener ugc">dati</a></p>',
        ),
        ('<a href="https://example.org" onclick="x()" target="_blank">a</a>', None),
        ('<h1 onclick="x()">grande</h1>', "grande"),
        ('<p style="position:fixed">stile</p>', "<p>stile</p>"),
        ("<iframe src=https://evil.example></iframe>", ""),
        ("<svg><script>alert(1)</script></svg>", "<p></p>"),
        ("<table><tr><td>cella</td></tr></table>", "cella"),
    ],
)
def test_anything_else_is_removed(source, expected):
    html = str(render_markdown(source))
    for dangerous in (
        "<script",
        "onerror",
        "onclick",
        "javascript",
        "style=",
        "<img",
        "<iframe",
        "data:",
        "target=",
        "<svg",
        "<table",
        "<h1",
    ):
        assert dangerous not in html.lower()
    if expected is not None:
        assert html == expected
