"""One safe redirect everywhere: every endpoint that takes `next` sends its redirect and its Back
links to this site only, whatever hostile value it is given (issue #11, item 8)."""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin, urlsplit

import pytest

from app.urls import safe_next
from tests import factories
from tests.attachments.helpers import attach_photo
from tests.conftest import log_in
from tests.consultations.factories import with_phases
from tests.proposals import factories as pf

HOSTILE = [
    "//evil.example/x",
    "/\t/evil.example/x",
    "/\\evil.example",
    "https://evil.example/",
    "/%09/evil.example",
    " //evil.example",
    "\n//evil.example",
    "javascript:alert(1)",
    "/%2F/evil.example",
    "/%252F/evil.example",
    "/%5Cevil.example",
    "/\r\n/evil.example",
    "\\\\evil.example",
    "/\u3000/evil.example",
    "http:evil.example",
]

SITE = "https://site.example/page"


def resolve(url: str) -> tuple[str, str]:
    """Where a browser goes for `url` on a page of SITE (WHATWG URL parsing, in short: leading
    and trailing spaces and controls dropped, tabs and newlines removed anywhere, a backslash
    read as a slash)."""
    cleaned = re.sub(r"[\t\n\r]", "", url.strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c "))
    parts = urlsplit(urljoin(SITE, cleaned.replace("\\", "/")))
    return parts.scheme, parts.netloc


def assert_stays_on_site(response) -> None:
    location = response.headers.get("Location")
    if location is not None:
        assert resolve(location) in {("https", "site.example"), ("http", "localhost")}, location
    page = response.get_data(as_text=True)
    links = re.findall(r'href="([^"]*)"', page) + re.findall(
        r'name="next"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="next"', page
    )
    for link in links:
        value = link if isinstance(link, str) else "".join(link)
        assert resolve(html.unescape(value)) == ("https", "site.example"), value


@pytest.mark.parametrize("target", HOSTILE)
def test_safe_next_refuses_hostile_targets(app, target):
    with app.test_request_context():
        assert safe_next(target) == "/"


@pytest.mark.parametrize(
    "target",
    ["/", "/cities/", "/proposals/12?page=2#comment-3", "/cities/?q=a%20b", "/città/roma"],
)
def test_safe_next_keeps_paths_of_this_site(app, target):
    with app.test_request_context():
        assert safe_next(target) == target


@pytest.fixture
def places(world):
    """What the endpoints that take `next` need: a proposal in its support phase, a city."""
    consultation = with_phases(world.here, phase="proposals")
    proposal = pf.proposal(consultation, world.users["organisation"])
    # A photo on the citizen's own proposal, which the citizen may remove.
    own = pf.proposal(consultation, world.users["citizen"])
    photo = attach_photo("proposal", own, world.users["citizen"])
    return {"proposal": proposal, "consultation": consultation, "city": world.here, "photo": photo}


def _requests(places) -> dict:
    """Every endpoint that reads `next`: (method, url, form data without next, where next goes)."""
    proposal = places["proposal"]
    city = places["city"]
    return {
        "accounts.login (signed in)": ("GET", "/account/login", {}, "query"),
        "accounts.login": (
            "POST",
            "/account/login",
            {"email": "next.visitor@example.org", "password": factories.PASSWORD},
            "query",
        ),
        "main.set_language": ("POST", "/language", {"locale": "it"}, "form"),
        "attachments.remove": ("POST", f"/attachments/{places['photo'].id}/remove", {}, "query"),
        "notifications.follow": (
            "POST",
            f"/notifications/follow/proposal/{proposal.id}",
            {},
            "form",
        ),
        "notifications.unfollow": (
            "POST",
            f"/notifications/unfollow/proposal/{proposal.id}",
            {},
            "form",
        ),
        "translations.ask": ("POST", f"/translations/proposal/{proposal.id}/request", {}, "form"),
        "voting.support": ("POST", f"/proposals/{proposal.id}/support", {}, "form"),
        "voting.withdraw_support": (
            "POST",
            f"/proposals/{proposal.id}/support/withdraw",
            {},
            "form",
        ),
        "manifesto.endorse": ("POST", f"/manifesto/cities/{city.slug}/endorse", {}, "form"),
        "manifesto.withdraw": ("POST", f"/manifesto/cities/{city.slug}/withdraw", {}, "form"),
        "moderation.report (form)": (
            "GET",
            f"/moderation/report/proposal/{proposal.id}",
            {},
            "query",
        ),
        "moderation.report": (
            "POST",
            f"/moderation/report/proposal/{proposal.id}",
            {"category": "spam", "text": "Pubblicità", "language": "it"},
            "form",
        ),
    }


ENDPOINTS = [
    "accounts.login (signed in)",
    "accounts.login",
    "main.set_language",
    "attachments.remove",
    "notifications.follow",
    "notifications.unfollow",
    "translations.ask",
    "voting.support",
    "voting.withdraw_support",
    "manifesto.endorse",
    "manifesto.withdraw",
    "moderation.report (form)",
    "moderation.report",
]


@pytest.mark.parametrize("target", HOSTILE)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_every_endpoint_that_takes_next_stays_on_the_site(client, world, places, endpoint, target):
    method, url, data, where = _requests(places)[endpoint]
    if endpoint == "accounts.login":
        factories.user("next.visitor@example.org")
    else:
        log_in(client, world.users["citizen"])
    if where == "query":
        response = client.open(url, method=method, data=data, query_string={"next": target})
    else:
        response = client.open(url, method=method, data={**data, "next": target})
    assert response.status_code < 500
    assert_stays_on_site(response)
    if method == "POST" and response.status_code == 302 and endpoint != "accounts.login":
        # The page it leads to (with its Back links) stays on the site too.
        assert_stays_on_site(client.get(response.headers["Location"]))


def test_the_endpoint_list_is_complete(app):
    """A view that reads `next` and is missing above fails here: every routes module that
    mentions `next` is one of those the test covers."""
    import pathlib

    covered = {endpoint.split(" ")[0].split(".")[0] for endpoint in ENDPOINTS}
    readers = set()
    for path in pathlib.Path(app.root_path).glob("*/routes.py"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"""["']next["']|\.next\.data""", text):
            readers.add(path.parent.name)
    assert readers <= covered, readers - covered


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_every_endpoint_that_takes_next_follows_a_path_of_the_site(client, world, places, endpoint):
    """The control: each endpoint above really reads `next` (else the test above proves
    nothing about it)."""
    method, url, data, where = _requests(places)[endpoint]
    if endpoint == "accounts.login":
        factories.user("next.visitor@example.org")
    else:
        log_in(client, world.users["citizen"])
    target = "/cities/?from=next"
    if where == "query":
        response = client.open(url, method=method, data=data, query_string={"next": target})
    else:
        response = client.open(url, method=method, data={**data, "next": target})
    page = html.unescape(response.get_data(as_text=True))
    assert response.headers.get("Location") == target or f'href="{target}"' in page, (
        response.status_code
    )
