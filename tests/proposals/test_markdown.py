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
        # A refused link is its text: no empty <a>, no stray bracket.
        ("[clic](javascript:alert(1))", "<p>clic</p>"),
        ("[clic](JaVaScRiPt:alert(1))", "<p>clic</p>"),
        ("[clic](jav&#x61;script:alert(1))", "<p>clic</p>"),
        ("[clic](java\tscript:alert(1))", "<p>clic</p>"),
        ("[dati](data:text/html;base64,PHNjcmlwdD4=)", "<p>dati</p>"),
        (
            "prima [un *bel* sito](vbscript:x) dopo",
            "<p>prima un <em>bel</em> sito dopo</p>",
        ),
        ('<a href="https://example.org" onclick="x()" target="_blank">a</a>', None),
        ('<h1 onclick="x()">grande</h1>', "grande"),
        ('<p style="position:fixed">stile</p>', "<p>stile</p>"),
        ("<iframe src=https://evil.example></iframe>", ""),
        ("<svg><script>alert(1)</script></svg>", "<p></p>"),
        (
            '<table border="1" onclick="x()"><tr><td style="color:red" align="x">a</td>'
            '<td align="right">b</td></tr></table>',
            '<table><tbody><tr><td>a</td><td align="right">b</td></tr></tbody></table>',
        ),
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
        "<h1",
    ):
        assert dangerous not in html.lower()
    if expected is not None:
        assert html == expected


def test_a_table_is_a_table():
    source = "| Voce | Costo |\n|:--|--:|\n| Panchine | 1.200 |\n| Alberi | 800 |"
    html = str(render_markdown(source))
    assert "|" not in html
    assert html == (
        "<table>\n<thead>\n<tr>\n"
        '<th align="left">Voce</th>\n<th align="right">Costo</th>\n'
        "</tr>\n</thead>\n<tbody>\n<tr>\n"
        '<td align="left">Panchine</td>\n<td align="right">1.200</td>\n'
        "</tr>\n<tr>\n"
        '<td align="left">Alberi</td>\n<td align="right">800</td>\n'
        "</tr>\n</tbody>\n</table>"
    )


def test_allowed_links_next_to_a_refused_one_stay_links():
    html = str(
        render_markdown("[a](javascript:x) e [b](https://example.org) e [c](/consultations)")
    )
    assert html == (
        '<p>a e <a href="https://example.org" rel="nofollow noopener ugc">b</a> e '
        '<a href="/consultations" rel="nofollow noopener ugc">c</a></p>'
    )
