"""Bad input never breaks anything (issue 7): every form and endpoint fuzzed.

Every route that accepts POST (walked from the URL map, with the URL and an allowed visitor from
the permission matrix) receives the fixed nasty values below field by field, then a few
generated forms (hypothesis). Whatever arrives: never a 5xx (in tests an exception propagates),
a status from ALLOWED_STATUSES, nothing written on a 4xx, and error pages in the visitor's locale.
GET routes get hostile query strings.
"""

from __future__ import annotations

import html
import os
import re
from functools import cache
from pathlib import Path

import pytest
import wtforms
from babel.messages.pofile import read_po
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.auth.test_permissions import MATRIX
from tests.conftest import log_in
from tests.hardening.forms import (
    allowed_visitor,
    base_data,
    find_form,
    get_endpoints,
    post_endpoints,
    row_counts,
)

ALLOWED_STATUSES = {200, 302, 303, 400, 403, 404, 409, 413, 422, 429}
ROOT = Path(__file__).resolve().parents[2]

HUGE = "x" * 100_000
HUGE_UNICODE = "é中🙂" * 34_000
INT4_OVERFLOW = "2147483648"
# Sent in one field at a time (the others valid), so that it reaches the database if the form
# lets it through: that is where PostgreSQL refuses what SQLite accepts (too long for a VARCHAR,
# out of an integer's range, a NUL byte). By the kind of control the page shows.
PER_KIND = {
    "text": [HUGE, "a\x00b", "99999999999999999999999", INT4_OVERFLOW],
    "textarea": [HUGE_UNICODE, "a\x00b"],
    "number": ["99999999999999999999999", INT4_OVERFLOW, "-99999999999999999999"],
    "date": ["99999-01-01", "0000-00-00"],
    "datetime-local": ["99999-01-01T10:00", "0000-00-00T00:00"],
    "choice": ["a\x00b", INT4_OVERFLOW, HUGE],
}
KIND_OF = {"select": "choice", "radio": "choice", "checkbox": "choice"}
# Sent in every field at once.
EVERY_FIELD = {
    "empty": "",
    "blank": " \t\r\n ",
    "abc": "abc",
    "float": "1e309",
    "nan": "NaN",
    "negative": "-1",
    "decimal-comma": "1,5",
    "unknown-id": "999999999",
    "date-invalid": "2024-02-30",
    "json": '{"a": [1, 2]}',
    "javascript-url": "javascript:alert(1)",
    "scripts": "مرحبا بالعالم 你好世界 🏙️👩‍👩‍👧 \u202eevil\u202c a\u200bb\u200f",
    "rtl-marks": "\u200f\u202b\u202e\u2066\u200b\ufeff",
    "nul-only": "\x00",
}
NASTY = sorted({v for vs in PER_KIND.values() for v in vs} | set(EVERY_FIELD.values()))

# `make test` runs a quick pass (the suite has a time budget); LC_FUZZ_FULL=1 runs every value
# in every field. NUL bytes are refused for every request before any view (app/__init__.py),
# so the quick pass sends them once per route, in every field at once.
FULL = os.environ.get("LC_FUZZ_FULL") == "1"
QUICK_EVERY_FIELD = ("empty", "abc", "float", "unknown-id", "scripts", "nul-only")
if not FULL:
    PER_KIND = {
        kind: [value for value in values if "\x00" not in value][:2]
        for kind, values in PER_KIND.items()
    }
    EVERY_FIELD = {name: EVERY_FIELD[name] for name in QUICK_EVERY_FIELD}
# Endpoints that accept large uploads of their own (a 3 MB body is within their limit).
# (An attachment may weigh LC_ATTACHMENT_MAX_MB; tests/attachments refuses the one too big.)
LARGE_UPLOADS = {"voting.import_pabulib", "attachments.upload"}

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=200)
VALUE = st.one_of(
    TEXT,
    st.sampled_from([v for v in NASTY if len(v) < 100]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates().map(str),
    st.sampled_from(["", "y", "on", "true", "0", "1"]),
)
# A field is sent once, several times, or not at all.
FIELD_VALUES = st.one_of(VALUE.map(lambda v: [v]), st.lists(VALUE, min_size=2, max_size=3))


@cache
def english_sentences() -> tuple[str, ...]:
    """English sentences of our catalogs and WTForms' that French translates differently."""
    catalogs = [
        ROOT / "translations/fr/LC_MESSAGES/messages.po",
        Path(wtforms.__file__).parent / "locale/fr/LC_MESSAGES/wtforms.po",
    ]
    sentences = set()
    for path in catalogs:
        with path.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            msgid = message.id[0] if isinstance(message.id, tuple) else message.id
            msgstr = message.string[0] if isinstance(message.string, tuple) else message.string
            if not msgid or not msgstr or msgstr == msgid:
                continue
            # The longest literal part around the placeholders.
            chunk = max(re.split(r"%\(\w+\)\w|%\w|\{\w*\}", msgid), key=len).strip()
            if len(chunk.split()) >= 4 and len(chunk) >= 20:
                sentences.add(chunk)
    return tuple(sorted(sentences))


def french_page_text(body: str, sent: list[str]) -> str:
    # What we sent may come back (a form re-rendered): it is not ours to translate.
    for value in sorted(sent, key=len, reverse=True):
        if len(value) > 3:
            body = body.replace(html.escape(value), "").replace(value, "")
    text = re.sub(r"<[^>]+>", " ", body)
    return re.sub(r"\s+", " ", html.unescape(text))


class Fuzzer:
    def __init__(self, client, user, url: str) -> None:
        self.client = client
        self.user = user
        self.url = url
        self.counts: dict[str, int] | None = None

    def send(self, method: str, url: str, data=None, query_string=None):
        log_in(self.client, self.user)
        # A "remember me" cookie would sign the visitor in again behind log_in's back.
        self.client.delete_cookie("remember_token")
        # The visitor's own setting wins over Accept-Language (a valid profile form may set it).
        expected = getattr(self.user, "locale", None) or "fr"
        # A refused request leaves the counts as they were: no need to count again.
        before = self.counts if self.counts is not None else row_counts()
        self.counts = None
        response = self.client.open(
            url,
            method=method,
            data=data,
            query_string=query_string,
            headers={"Accept-Language": "fr"},
        )
        status = response.status_code
        label = f"{method} {url} -> {status}"
        assert status in ALLOWED_STATUSES, label
        if status >= 400:
            after = row_counts()
            changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
            assert not changed, f"{label} wrote {changed}"
            self.counts = after
        if status >= 400 and response.mimetype == "text/html":
            body = response.get_data(as_text=True)
            assert f'<html lang="{expected}"' in body, f"{label}: not in {expected}"
            if expected != "fr":
                response.close()
                return response
            assert "Aller au contenu" in body, f"{label}: not in French"
            sent = [
                v for vs in (data or {}).values() for v in (vs if isinstance(vs, list) else [vs])
            ]
            sent += [str(v) for v in (query_string or {}).values()]
            text = french_page_text(body, [str(v) for v in sent])
            english = [s for s in english_sentences() if s in text]
            assert not english, f"{label}: English on a French error page: {english}"
        response.close()
        return response


def pytest_generate_tests(metafunc):
    # The routes come from the URL map of an app built the way the fixtures build it.
    if "post_endpoint" in metafunc.fixturenames or "get_endpoint" in metafunc.fixturenames:
        from app import create_app

        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
        if "post_endpoint" in metafunc.fixturenames:
            metafunc.parametrize("post_endpoint", post_endpoints(app))
        else:
            metafunc.parametrize("get_endpoint", get_endpoints(app))


def test_post_route_survives_bad_input(app, client, world, post_endpoint, request):
    case = MATRIX.get(post_endpoint)
    if case is None:
        # test_every_route_is_in_the_matrix fails for it; without a case there is no URL.
        pytest.skip(f"{post_endpoint} has no permission case yet")
    visitor = allowed_visitor(case)
    user = world.users[visitor]
    log_in(client, user)
    url = case.url(world)
    form = find_form(client, url)
    base = base_data(post_endpoint, case, form, world)
    fields = sorted(base)
    fuzzer = Fuzzer(client, user, url)

    kinds = form.kinds if form is not None else {}
    for name in fields:
        kind = kinds.get(name, "text")
        for value in PER_KIND.get(KIND_OF.get(kind, kind), PER_KIND["text"]):
            fuzzer.send("POST", url, {**base, name: value})
        without = dict(base)
        del without[name]
        fuzzer.send("POST", url, without)
        if FULL or name == fields[0]:
            fuzzer.send("POST", url, {**base, name: [*_as_list(base[name]), "abc", "-1"]})
    for value in EVERY_FIELD.values():
        fuzzer.send("POST", url, dict.fromkeys(fields or ["unknown"], value))
    fuzzer.send("POST", url, {**base, "unexpected_field": HUGE})
    if fields and post_endpoint not in LARGE_UPLOADS:
        # Over MAX_CONTENT_LENGTH: refused before the form is read.
        response = fuzzer.send("POST", url, {**base, fields[0]: "x" * 3_000_000})
        # Or a route that answers before reading the form (a renamed city redirects, a used-up
        # item is gone): no body was read, nothing was done with it.
        assert response.status_code in (413, 302, 303, 404)

    @settings(
        max_examples=6 if FULL else 2,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.dictionaries(st.sampled_from([*fields, "extra"]), FIELD_VALUES))
    def generated(data):
        fuzzer.send("POST", url, {**base, **data})

    generated()


HOSTILE_QUERIES = [
    {"page": "-1", "per_page": "0"},
    {"page": "99999999999", "per_page": "99999999999"},
    {"page": "abc", "sort": ".."},
    {"sort": "'; DROP TABLE users; --", "order": "sideways"},
    {"q": HUGE},
    {"q": "a\x00b", "city": "\x00", "step": "0000-00-00"},
    {"language": "\u202eevil", "status": "🙂", "city": "999999999", "year": "99999"},
    {"next": "//evil.example/", "locale": "xx"},
]


def test_get_route_survives_hostile_query_strings(app, client, world, get_endpoint):
    case = MATRIX.get(get_endpoint)
    if case is None:
        pytest.skip(f"{get_endpoint} has no permission case yet")
    visitor = allowed_visitor(case)
    user = world.users[visitor]
    url = case.url(world)
    fuzzer = Fuzzer(client, user, url)
    for query in HOSTILE_QUERIES:
        fuzzer.send("GET", url, query_string=query)


def _as_list(value) -> list[str]:
    return list(value) if isinstance(value, list) else [value]
