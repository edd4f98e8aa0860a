"""An XSS corpus through every user-text field (issue 7): nothing of it becomes markup.

For every route that accepts POST (URL and allowed visitor from the permission matrix), the text
fields its form accepts free text in get each payload, all at once; the response (a re-rendered
form echoes it), the page it leads to, the form's page and the pages that show the data are read
with an HTML parser: no script that is not ours, no on* attribute, no javascript:/data:/vbscript:
URL, no iframe/object/embed, no inline style, and `{{7*7}}` not evaluated.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from tests.auth.test_permissions import MATRIX
from tests.conftest import log_in
from tests.hardening.forms import allowed_visitor, base_data, find_form, post_endpoints
from tests.proposals import factories as proposal_factories

PAYLOADS = [
    "<script>window.__xss=1</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<ScRiPt>alert(1)</sCrIpT>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "<img src=x onerror=alert(1)>",
    '<img src="javascript:alert(1)">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<object data="data:text/html,<script>alert(1)</script>"></object>',
    "<embed src=javascript:alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    "<a href='&#106;avascript:alert(1)'>x</a>",
    '<a href="vbscript:msgbox(1)">x</a>',
    '<div style="width: expression(alert(1))">x</div>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<body onload="alert(1)">',
    "<details open ontoggle=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click][ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "![x](javascript:alert(1))",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "<scr\x00ipt>alert(1)</scr\x00ipt>",
    "\u202e<script>alert(1)</script>\u202c",
    "qq{{7*7}}qq",
    "qq{% if 1 %}ifqq{% endif %}",
    "qq${7*7}qq #{7*7}",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
]
# The shortest title limit of the app's forms is 200 characters: a group fits in one.
CHUNK_LENGTH = 180
URL_PAYLOADS = [
    "javascript:alert(1)",
    " JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
]
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcdoc"}
FORBIDDEN_TAGS = {"iframe", "object", "embed", "frame", "frameset", "applet", "base", "style"}


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name == "style":
                self.problems.append(f"<{tag} style=…>")
            squeezed = re.sub(r"[\x00-\x20]", "", value).lower()
            if name in URL_ATTRIBUTES and squeezed.startswith(BAD_SCHEMES):
                self.problems.append(f"<{tag} {name}={value[:40]!r}>")
        if tag == "script":
            src = dict(attrs).get("src") or ""
            if not src.startswith("/static/"):
                self.problems.append(f"<script src={src!r}>")
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "meta" and (dict(attrs).get("http-equiv") or "").lower() == "refresh":
            self.problems.append("<meta http-equiv=refresh>")

    def handle_data(self, data):
        if "qq49qq" in data or "qqifqq" in data:
            self.problems.append(f"template evaluated: {data.strip()[:40]!r}")


def chunks(payloads: list[str], limit: int = CHUNK_LENGTH) -> list[list[str]]:
    """The corpus in groups sent as one text (space-separated) of at most `limit` characters:
    fewer requests, every payload still reaching every field. A payload that needs lines of
    its own (a Markdown reference) goes alone."""
    groups: list[list[str]] = []
    for payload in payloads:
        last = groups[-1] if groups else None
        alone = "\n" in payload
        if (
            last is not None
            and not alone
            and "\n" not in last[0]
            and len(" ".join([*last, payload])) <= limit
        ):
            last.append(payload)
        else:
            groups.append([payload])
    return groups


def problems_in(body: str) -> list[str]:
    checker = _Checker()
    checker.feed(body)
    checker.close()
    return checker.problems


def check_page(client, url: str, label: str) -> None:
    response = client.get(url, headers={"Accept-Language": "en"})
    if response.status_code == 200 and response.mimetype == "text/html":
        found = problems_in(response.get_data(as_text=True))
        assert not found, f"{label}: {url} {found}"
    response.close()


def showcase(world) -> list[str]:
    """Pages that show the data of many forms: the city, its steps, the libraries, the record."""
    slug = world.here.slug
    pages = [
        "/",
        f"/cities/{slug}",
        *(f"/cities/{slug}/steps/{n}" for n in range(1, 11)),
        f"/expenditures/cities/{slug}",
        f"/manifesto/cities/{slug}/supporters",
        "/manifesto/",
        "/good-practices/",
        "/good-practices/submissions",
        "/operators/",
        "/training/",
        "/network/cities",
        f"/network/cities/{slug}",
        f"/network/cities/{slug}/history",
        "/network/matrix",
        f"/pathway/cities/{slug}/tailored",
        "/pathway/template",
        "/notifications/",
        f"/consultations/{world.consultation.id}",
    ]
    return pages


def _is_text(form, name: str) -> bool:
    return form is not None and form.kinds.get(name) in ("text", "textarea", "search", None)


def pytest_generate_tests(metafunc):
    if "post_endpoint" in metafunc.fixturenames:
        from app import create_app

        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
        metafunc.parametrize("post_endpoint", post_endpoints(app))


def test_payloads_through_every_text_field(app, client, world, post_endpoint):
    case = MATRIX.get(post_endpoint)
    if case is None:
        pytest.skip(f"{post_endpoint} has no permission case yet")
    visitor = allowed_visitor(case)
    user = world.users[visitor]
    log_in(client, user)
    url = case.url(world)
    form = find_form(client, url)
    base = base_data(post_endpoint, case, form, world)
    text_fields = [name for name in base if _is_text(form, name) and form.kinds.get(name)]
    if not text_fields:
        pytest.skip(f"{post_endpoint}: no text field")
    if user is not None:
        # The author's name shows next to their texts.
        proposal_factories.proposal(world.consultation, user)

    def post(data):
        log_in(client, user)
        response = client.post(url, data=data, headers={"Accept-Language": "en"})
        assert response.status_code < 500
        label = f"{post_endpoint} {sorted(data)[:3]}…"
        if response.mimetype == "text/html":
            found = problems_in(response.get_data(as_text=True))
            assert not found, f"{label}: the response {found}"
        if response.status_code in (302, 303):
            target = urlsplit(response.headers["Location"])
            check_page(client, target.path + (f"?{target.query}" if target.query else ""), label)
            check_page(client, url, label)
        return response

    # Fields that take free text: those that accept markup-looking text at all.
    free = [
        name
        for name in text_fields
        if post({**base, name: "<b>probe</b> {{7*7}}"}).status_code in (302, 303)
    ]
    links = [name for name in text_fields if "url" in name or "link" in name]
    for chunk in chunks(PAYLOADS):
        value = " ".join(chunk)
        if free:
            stored = post({**base, **dict.fromkeys(free, value)}).status_code in (302, 303)
            if not stored and len(chunk) > 1:
                # Refused together (too long for the field…): each alone, so each is stored
                # and shown once, as when the corpus is sent one payload at a time.
                for payload in chunk:
                    post({**base, **dict.fromkeys(free, payload)})
        else:
            post({**base, **dict.fromkeys(text_fields, value)})
    for payload in URL_PAYLOADS:
        for name in links:
            post({**base, name: payload})

    log_in(client, user)
    for page in showcase(world):
        check_page(client, page, post_endpoint)
    log_in(client, None)
    for page in showcase(world):
        check_page(client, page, post_endpoint)


def test_every_payload_is_sent_once_in_the_groups():
    groups = chunks(PAYLOADS)
    assert [payload for group in groups for payload in group] == PAYLOADS
    assert all(len(" ".join(group)) <= CHUNK_LENGTH or len(group) == 1 for group in groups)
    assert len(groups) < len(PAYLOADS) / 2


def test_the_checker_sees_what_it_looks_for():
    assert problems_in("<p>fine <a href='https://example.org'>x</a></p>") == []
    assert problems_in("<img src=x onerror=alert(1)>")
    assert problems_in("<a href=' jAvascript:alert(1)'>x</a>")
    assert problems_in("<script>alert(1)</script>")
    assert problems_in("<iframe src=x></iframe>")
    assert problems_in("<p>qq49qq</p>")
    assert not problems_in("<p>&lt;script&gt;alert(1)&lt;/script&gt; qq{{7*7}}qq</p>")
