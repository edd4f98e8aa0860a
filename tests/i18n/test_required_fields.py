"""One behaviour for required fields: the app's own messages, in the reader's language.

A `required` input in a form without `novalidate` lets the browser stop the form with its own
tooltip, in the browser's language (an empty comment met "Please fill out this field." in
English while every other form answered in Italian). Every form page of the permission matrix,
opened by a visitor it lets in, and the forms a proposal page shows while comments are open,
must either carry `novalidate` or have no `required` input.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from app.extensions import db
from tests.auth.test_permissions import MATRIX
from tests.conftest import log_in
from tests.consultations.factories import with_phases
from tests.proposals import factories as pf

# The first visitor a page is open to is the one it is read by.
READERS = ("admin", "moderator_here", "citizen", "anonymous")


class _Forms(HTMLParser):
    """Each <form>: whether it has novalidate, and the names of its required inputs."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._open: dict | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "form":
            self._open = {"novalidate": "novalidate" in names, "required": [], "at": names}
            self.forms.append(self._open)
        elif tag in ("input", "textarea", "select") and self._open and "required" in names:
            self._open["required"].append(names.get("name") or names.get("id"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._open = None


def _unguarded(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return [form for form in parser.forms if form["required"] and not form["novalidate"]]


def test_every_form_with_required_fields_gives_the_apps_own_messages(client, world):
    checked = 0
    problems = {}
    for endpoint, case in sorted(MATRIX.items()):
        if case.method != "GET" or endpoint == "static":
            continue
        reader = next((v for v in READERS if case.expect.get(v) == 200), None)
        if reader is None:
            continue
        log_in(client, world.users[reader])
        response = client.get(case.url(world))
        if response.status_code != 200 or "html" not in response.content_type:
            continue
        checked += 1
        found = _unguarded(response.get_data(as_text=True))
        if found:
            problems[endpoint] = [(form["at"].get("action"), form["required"]) for form in found]
    assert checked > 40
    assert problems == {}


def test_the_comment_forms_use_the_apps_own_messages(client, world):
    consultation = with_phases(world.here, phase="proposals")
    proposal = pf.proposal(consultation, world.users["organisation"])
    pf.comment(proposal, world.users["organisation"])
    db.session.flush()
    log_in(client, world.users["citizen"])
    html = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert re.search(r'<textarea[^>]*name="body"[^>]*required', html)  # the forms are there
    assert _unguarded(html) == []
