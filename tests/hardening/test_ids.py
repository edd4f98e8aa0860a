"""An id the database cannot hold is "not found" or a form error, never a 500.

Ids are whole numbers from 1 to 2**31 - 1 (app/ids.py). Every route of the URL map that takes an
id is asked with 0, -1, 2**31, 2**63 and 99999999999999999999 in its place, by every method it accepts,
signed in as the association's admin (who may reach the most) and signed out."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.ids import MAX_ID, IdField, parse_id
from app.proposals.models import Comment
from tests.conftest import log_in
from tests.translations import factories

BAD_IDS = ("0", "-1", str(2**31), str(2**63), "99999999999999999999", "0001" + "0" * 19)
# The largest id there can be, and no row has it: it reaches the database (on PostgreSQL a
# number beyond its `integer` would be an error there, not "no such row").
PROBED_IDS = (*BAD_IDS, str(MAX_ID))
ARGUMENT = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
# Values for the other parts of a path: a real city, a kind of item every such route knows.
OTHER_PARTS = {"target_type": "proposal", "kind": "proposal", "target": "proposal"}


def _id_rules(app) -> list:
    return [
        rule
        for rule in app.url_map.iter_rules()
        if any(m.group(1) in ("int", "id") for m in ARGUMENT.finditer(rule.rule))
    ]


def _urls(rule, slug: str) -> list[str]:
    """The rule's path with each id argument bad in turn (the others 1), then all bad."""
    ids = [m.group(2) for m in ARGUMENT.finditer(rule.rule) if m.group(1) in ("int", "id")]

    def path(values: dict[str, str]) -> str:
        def part(match: re.Match) -> str:
            name = match.group(2)
            if name in values:
                return values[name]
            return slug if name == "slug" else OTHER_PARTS.get(name, "x")

        return ARGUMENT.sub(part, rule.rule)

    urls = []
    for bad in PROBED_IDS:
        for name in ids:
            urls.append(path({**dict.fromkeys(ids, "1"), name: bad}))
        urls.append(path(dict.fromkeys(ids, bad)))
    return sorted(set(urls))


def test_every_route_takes_its_ids_through_the_one_converter(app):
    rules = _id_rules(app)
    assert len(rules) > 50
    assert [rule.rule for rule in rules if "<int:" in rule.rule] == []


@pytest.mark.parametrize("visitor", ["admin", "anonymous"])
def test_no_route_answers_500_to_an_id_out_of_range(app, client, world, visitor):
    log_in(client, world.users[visitor])
    # Something of each kind with a small id, so a route with one good id goes further.
    factories.proposal(world)
    answers: dict[tuple[str, str], int] = {}
    for rule in _id_rules(app):
        for url in _urls(rule, world.here.slug):
            for method in sorted((rule.methods or set()) & {"GET", "POST"}):
                response = client.open(url, method=method, data={})
                answers[(method, url)] = response.status_code
    assert len(answers) > 300
    wrong = {key: status for key, status in answers.items() if status >= 500}
    assert wrong == {}
    # Out of range is "no such page", whoever asks: the route did not even match.
    assert {status for (_, url), status in answers.items() if "99999999999999999999" in url} <= {
        404,
        405,
    }


def test_the_converter_builds_and_reads_ids(app):
    with app.test_request_context():
        from flask import url_for

        assert url_for("proposals.show", proposal_id=MAX_ID).endswith(f"/proposals/{MAX_ID}")
    adapter = app.url_map.bind("localhost")
    assert adapter.match(f"/proposals/{MAX_ID}")[1] == {"proposal_id": MAX_ID}
    assert adapter.match("/proposals/007")[1] == {"proposal_id": 7}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", 1),
        (" 42 ", 42),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("99999999999999999999", None),
        ("0", None),
        ("-3", None),
        ("²", None),
        ("٣", None),
        ("1e3", None),
        ("", None),
        (None, None),
        (True, None),
        ("9" * 5000, None),
    ],
)
def test_parse_id(value, expected):
    assert parse_id(value) == expected


@pytest.mark.parametrize(
    "query",
    [
        "page=999999999999999999999",
        "page=99999999999999999",
        "page=-2",
        "page=x",
        "before=99999999999999999999",
        "step=99999999999999999999",
        "improve=99999999999999999999",
        "reply_to=99999999999999999999",
        "comments_page=99999999999999999999",
    ],
)
def test_query_arguments_out_of_range_are_ignored(app, client, world, query):
    """Lists and forms read page numbers and ids from the query too."""
    log_in(client, world.users["admin"])
    proposal = factories.proposal(world)
    urls = [
        "/operators/",
        "/good-practices/",
        "/audit/",
        "/notifications/",
        f"/consultations/cities/{world.here.slug}/new",
        f"/expenditures/cities/{world.here.slug}/new",
        f"/translations/proposal/{proposal.id}/translate",
        f"/proposals/{proposal.id}",
    ]
    for url in urls:
        response = client.get(f"{url}?{query}")
        assert response.status_code < 500, url


def test_a_reply_to_a_comment_id_out_of_range_is_a_form_error(client, world):
    log_in(client, world.users["citizen"])
    proposal = factories.proposal(world)
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Comment))
    response = client.post(
        f"/proposals/{proposal.id}/comments",
        data={
            "reply-parent_id": "99999999999999999999",
            "reply-body": "Me too, and here is why.",
            "reply-language": "it",
            "reply-alignment": "neutral",
        },
    )
    assert response.status_code == 422
    assert "This reference is not valid" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == before


def test_the_id_field(app):
    from flask_wtf import FlaskForm
    from werkzeug.datastructures import MultiDict

    class Form(FlaskForm):
        thing = IdField()

    with app.test_request_context():
        for sent, data, valid in [
            ("12", 12, True),
            ("", None, True),
            ("0", None, False),
            ("99999999999999999999", None, False),
            ("abc", None, False),
        ]:
            form = Form(formdata=MultiDict({"thing": sent}), meta={"csrf": False})
            assert form.validate() is valid, sent
            assert form.thing.data == data
