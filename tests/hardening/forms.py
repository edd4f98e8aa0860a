"""What the hardening tests share: the POST routes with a visitor allowed to use them, the fields
of their forms (read from the pages, as a browser would), and a row count of every table."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from app.config import LOCALES
from app.extensions import db
from tests.auth.test_permissions import MATRIX
from tests.factories import PASSWORD
from tests.matrix import VISITORS, Case

ALLOWED = (200, 302, 303)


def post_endpoints(app: Flask) -> list[str]:
    """Every endpoint that accepts POST, as the URL map has it today."""
    return sorted(
        {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in (rule.methods or ())}
    )


def allowed_visitor(case: Case) -> str:
    """A visitor the matrix lets through, signed in if any signed-in visitor is.

    For a GET case (a form's page) that is a 200; for a POST case a 302 (done) or a 200.
    """
    wanted = (200,) if case.method == "GET" else ALLOWED
    allowed = [v for v in VISITORS if case.expect.get(v) in wanted]
    signed = [v for v in allowed if v != "anonymous"]
    return (signed or allowed or ["anonymous"])[0]


def case_of(endpoint: str) -> Case | None:
    return MATRIX.get(endpoint)


@dataclass
class Form:
    action: str
    method: str
    values: dict[str, list[str]] = field(default_factory=dict)
    # name -> input type ("text", "number", "date", "select", "textarea", "checkbox"…)
    kinds: dict[str, str] = field(default_factory=dict)
    options: dict[str, list[str]] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            action = a.get("action") or self.page_url
            self._form = Form(urlsplit(action).path, (a.get("method") or "get").lower())
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                return
            form.kinds.setdefault(name, kind)
            form.values.setdefault(name, [])
            if kind in ("checkbox", "radio"):
                form.options.setdefault(name, []).append(a.get("value") or "y")
                if "checked" in a:
                    form.values[name].append(a.get("value") or "y")
            else:
                form.values[name].append(a.get("value") or "")
        elif tag == "select" and name:
            form.kinds[name] = "select"
            form.values.setdefault(name, [])
            form.options.setdefault(name, [])
            self._select = name
        elif tag == "option" and self._select:
            value = a.get("value", "")
            form.options[self._select].append(value)
            if "selected" in a:
                form.values[self._select].append(value)
        elif tag == "textarea" and name:
            form.kinds[name] = "textarea"
            form.values[name] = [""]
            self._textarea = name

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form.values[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            if self._form is not None and self._select:
                values = self._form.values[self._select]
                options = self._form.options[self._select]
                if not values and options:
                    values.append(options[0])
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_on(html: str, page_url: str) -> list[Form]:
    parser = _FormParser(urlsplit(page_url).path)
    parser.feed(html)
    return parser.forms


def find_form(client: FlaskClient, url: str) -> Form | None:
    """The form that posts to `url`: on its own page, else on a page above it."""
    path = urlsplit(url).path
    candidates = [url]
    parts = path.rstrip("/").split("/")
    for cut in range(1, min(4, len(parts) - 1)):
        candidates.append("/".join(parts[:-cut]) or "/")
    for page in candidates:
        response = client.get(page, headers={"Accept-Language": "en"})
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        for form in forms_on(response.get_data(as_text=True), page):
            if form.method == "post" and form.action.rstrip("/") == path.rstrip("/"):
                return form
    return None


# A refused request writes nothing, with one deliberate exception: a wrong password is counted
# by the log-in throttle (app/accounts/throttle.py) precisely when the log-in is refused.
COUNTED_WHEN_REFUSED = frozenset({"alembic_version", "login_failures"})


def row_counts() -> dict[str, int]:
    """Rows of every table (but those written on purpose by a refusal), in one query."""
    return {name: n for name, n in db.session.execute(_row_counts_statement()).all()}


@cache
def _row_counts_statement() -> sa.CompoundSelect:
    """Built once: the fuzzer counts before and after every refused request."""
    tables = [t for t in db.metadata.sorted_tables if t.name not in COUNTED_WHEN_REFUSED]
    selects = [
        sa.select(sa.literal(t.name).label("name"), sa.func.count().label("n")).select_from(t)
        for t in tables
    ]
    return sa.union_all(*selects)


def get_endpoints(app: Flask) -> list[str]:
    """Every endpoint whose matrix case is a GET (the static files aside)."""
    return sorted(
        {
            rule.endpoint
            for rule in app.url_map.iter_rules()
            if "GET" in (rule.methods or ()) and rule.endpoint != "static"
        }
    )


# What a form's page does not fill in and the matrix does not give: enough for a valid submission,
# so that one bad field at a time gets as far as the database.
VALID: dict[str, dict] = {
    "accounts.register": {
        "display_name": "Amina",
        "email": "new.person@example.org",
        "password": "correct horse battery",
        "password_confirm": "correct horse battery",
        "content_language_1": "ar",
        "accept_terms": "y",
    },
    "accounts.login": {"email": "citizen@example.org", "password": PASSWORD},
    "accounts.reset_request": {"email": "citizen@example.org"},
    "accounts.change_email": {"email": "citizen.new@example.org", "current_password": PASSWORD},
    "accounts.change_password": {
        "current_password": PASSWORD,
        "password": "another horse battery",
        "password_confirm": "another horse battery",
    },
    "consultations.create": {
        "title": "Piazze che parlano",
        "description": "Come usare le piazze.",
        **{
            f"{phase}_{edge}": f"2030-0{month}-{day:02d}T10:00"
            for phase, month in (
                ("information", 1),
                ("proposals", 2),
                ("deliberation", 3),
                ("voting", 4),
                ("results", 5),
            )
            for edge, day in (("starts", 1), ("ends", 20))
        },
    },
    "consultations.residents": {"email": "citizen@example.org"},
    "network.membership": {"status": "suspended", "reason": "Delibera del 2025."},
    "operators.new_engagement": {
        "step": "launch-outreach",
        "year": "2025",
        "description": "Mediazione agli incontri.",
    },
    "pathway.new_step": {
        **{f"title_{locale}": f"Passo [{locale}]" for locale in LOCALES},
        "key": "extra-fuzz-step",
    },
    "proposals.new": {"title": "Una biblioteca di quartiere", "body": "Libri in tante lingue."},
    "operators.new": {
        "name": "Samia Benali",
        "organisation_name": "Cooperativa Ponti",
        "bio": "Mediatrice interculturale.",
        "languages": ["ar", "fr"],
        "skills": "mediation",
        "email": "samia@example.org",
    },
    "network.new_city": {
        "name": "Nuova Città",
        "slug": "nuova-citta",
        "country": "IT",
        "region": "Emilia",
        "timezone": "Europe/Rome",
        "population": "50000",
    },
    "practices.new": {
        "title": "Sportello multilingue",
        "summary": "Un punto d'ascolto.",
        "body": "Ogni sabato.",
        "steps": ["launch-outreach"],
        "languages": ["it", "ar"],
    },
    "pathway.new_sub_step": {"title": "Atelier", "description": "Con i centri sociali"},
    "results.respond": {"status": "accepted", "body": "Lo faremo nel 2026."},
    "voting.paper": {"session_label": "Centro civico", "language": "it", "ballots": ""},
    "voting.ballot": {},
    "manifesto.endorse": {"show_name": "y", "organisation": ""},
    "manifesto.withdraw": {"organisation": ""},
}


def base_data(endpoint: str, case: Case, form: Form | None, world) -> dict:
    """A valid submission: the page's own values, the matrix's data, then VALID."""
    data: dict = {}
    if form is not None:
        for name, values in form.values.items():
            if name == "csrf_token":
                continue
            multiple = form.kinds.get(name) == "checkbox" and len(form.options.get(name, [])) > 1
            if not values and form.kinds.get(name) == "select":
                continue
            if multiple or len(values) > 1:
                data[name] = list(values)
            else:
                data[name] = values[0].removeprefix("\r\n") if values else ""
    matrix_data = case.data(world) if callable(case.data) else case.data
    data.update(matrix_data or {})
    data.update(VALID.get(endpoint, {}))
    return data
