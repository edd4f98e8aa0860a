"""The benchmarks' pure parts (they never run in `make test`): the target checks, the
percentile, the page discovery from a URL map, the choice of roles, the data set's sizes."""

from __future__ import annotations

import pytest
from flask import Flask

from bench import data, discover, pages, targets


def test_percentile_is_nearest_rank():
    values = [float(v) for v in range(1, 101)]  # 1 … 100
    assert targets.percentile(values, 50) == 50
    assert targets.percentile(values, 95) == 95
    assert targets.percentile(values, 100) == 100
    assert targets.percentile(list(reversed(values)), 95) == 95
    assert targets.percentile([7.0], 95) == 7.0
    # Never an interpolated value: always one that was measured.
    assert targets.percentile([10.0, 20.0], 50) == 10.0
    with pytest.raises(ValueError, match="no values"):
        targets.percentile([], 50)


def test_scale_ratio_per_item_shown():
    assert targets.scale_ratio(10, 13) == pytest.approx(1.3)
    # Five times the projects in 2.28 times the time: less per project shown.
    assert targets.scale_ratio(10, 22.8, 40, 200) == pytest.approx(0.456)
    with pytest.raises(ValueError, match="positive"):
        targets.scale_ratio(0, 10)


def _check(**changes):
    figures = {
        "scale": 1.1,
        "statements": {"small": 9, "large": 9},
        "p95_large_ms": 120.0,
        "statuses": {200},
    }
    return [m.target for m in targets.check_page("home", **(figures | changes))]


def test_a_page_within_every_target_has_no_miss():
    assert _check() == []
    assert _check(scale=1.3, statements={"small": 15, "large": 15}, p95_large_ms=249.9) == []


@pytest.mark.parametrize(
    ("changes", "missed"),
    [
        ({"scale": 1.31}, ["scale"]),
        ({"statements": {"small": 16, "large": 16}}, ["statements"]),
        ({"statements": {"small": 9, "large": 10}}, ["statements constant"]),
        ({"p95_large_ms": 250.0}, ["p95"]),
        ({"statuses": {200, 500}}, ["status"]),
        ({"statuses": {302}}, ["status"]),
    ],
)
def test_each_target_missed_is_reported(changes, missed):
    assert _check(**changes) == missed


def test_memory_target():
    assert targets.check_memory(249.9) == []
    assert [str(m) for m in targets.check_memory(255.0)] == ["memory 255.0 (target < 250 MB)"]
    assert targets.check_memory(None)[0].figure == "not measured"


def _app() -> Flask:
    app = Flask(__name__)

    def view(**_kwargs):
        return ""

    for rule, endpoint, methods in [
        ("/", "main.home", ["GET"]),
        ("/healthz", "main.healthz", ["GET"]),
        ("/consultations/<int:consultation_id>/proposals", "proposals.index", ["GET"]),
        ("/consultations/<int:consultation_id>/results", "results.show", ["GET"]),
        ("/proposals/<int:proposal_id>/vote", "voting.vote", ["POST"]),
        ("/account/reset/<token>", "accounts.reset", ["GET"]),
        ("/operators/<int:operator_id>", "operators.show", ["GET"]),
        ("/export.<any(csv, json):fmt>", "main.export", ["GET"]),
        ("/api/v1/consultations/<int:consultation_id>/proposals", "api.proposals", ["GET"]),
    ]:
        app.add_url_rule(rule, endpoint, view, methods=methods)
    return app


def test_discovery_fills_every_get_route_from_the_data():
    found = discover.discover(
        _app().url_map,
        {"consultation_id": 1, "fmt": "csv", "deep_supported": "a:3:17"},
        {"results.show": {"consultation_id": 41}},
        variants=[
            ("deep list", "proposals.index", {"sort": "supported", "cursor": "{deep:supported}"}),
            ("deep newest", "proposals.index", {"cursor": "{deep:newest}"}),
        ],
        extra=[("api extra", "/api/v1/extra")],
    )
    paths = {page.name: page.path for page in found.pages}
    assert paths == {
        "main.home": "/",
        "api.proposals": "/api/v1/consultations/1/proposals",
        "proposals.index": "/consultations/1/proposals",
        "results.show": "/consultations/41/results",
        "main.export": "/export.csv",
        "deep list": "/consultations/1/proposals?sort=supported&cursor=a%3A3%3A17",
        "api extra": "/api/v1/extra",
    }
    # The floor and POST-only routes are not pages; what cannot be filled says why.
    assert found.uncovered == {
        "/account/reset/<token>": "a one-time link from an e-mail",
        "/operators/<int:operator_id>": "no value in the data for operator_id",
        "deep newest": "no late page in the data",
    }
    assert [p.name for p in found.pages if discover.is_api(p)] == ["api.proposals", "api extra"]


def test_the_product_url_map_is_covered(app):
    """Every GET route of the app is a page or is listed as uncovered with its reason."""
    found = discover.discover(app.url_map, {}, {})
    rules = {r.rule for r in app.url_map.iter_rules() if "GET" in r.methods}
    listed = {p.path for p in found.pages} | set(found.uncovered)
    assert rules - listed <= {"/static/<path:filename>", "/healthz"}


def _page(name: str, endpoint: str | None = None) -> discover.Page:
    return discover.Page(name, "/" + name, endpoint or name)


def test_plan_measures_a_page_as_the_first_role_that_opens_it_at_every_size():
    roles = pages.ROLES
    everyone = {role: (200, 5) for role in roles}
    staff = {role: ((200, 7) if role in ("observer", "admin") else (302, 3)) for role in roles}
    only_large_for_citizen = {role: (403, 2) for role in roles}
    probes = {
        "small": {
            role: {
                "main.home": everyone[role],
                "observatory.index": staff[role],
                "closed": only_large_for_citizen[role],
            }
            for role in roles
        },
        "large": {
            role: {
                "main.home": everyone[role],
                "observatory.index": staff[role],
                "closed": (200, 2) if role == "citizen" else (403, 2),
            }
            for role in roles
        },
    }
    measured, closed = pages.plan(
        [_page("main.home"), _page("observatory.index"), _page("closed")], probes, all_roles=False
    )
    # The home page is one of the pages every role sees differently.
    assert [(p.name, r) for p, r in measured] == [
        *(("main.home", role) for role in roles),
        ("observatory.index", "observer"),
    ]
    assert closed == {
        "closed": "anonymous 403, citizen 200/403, organisation 403, moderator 403, "
        "observer 403, admin 403"
    }


def test_csrf_token_is_read_from_the_form():
    html = b'<input id="csrf_token" name="csrf_token" type="hidden" value="Ab.c-1">'
    assert pages.csrf_of(html) == "Ab.c-1"
    with pytest.raises(RuntimeError, match="no csrf_token"):
        pages.csrf_of(b"<form></form>")


def test_each_size_builds_the_ballots_it_claims():
    """A ballot needs its own voter: the large set once claimed 10,000 ballots from 5,000."""
    for size in data.SIZES.values():
        assert size.ballots <= size.users
        assert size.supports <= size.proposals * size.users
