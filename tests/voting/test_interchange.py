"""Pabulib interchange: export a budget consultation as .pb, import a .pb as a closed one."""

from __future__ import annotations

import io
import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.cities.models import CityChange
from app.consultations.models import Consultation, ConsultationPhase
from app.db_types import utcnow
from app.extensions import db
from app.pathway.models import StepRecordEntry
from app.pathway.records import record_of
from app.proposals.models import Proposal
from app.results.models import ResultSnapshot
from app.results.services import snapshot_of, verify
from app.voting import pabulib
from app.voting.interchange import (
    MAX_AMOUNT,
    MAX_UPLOAD_BYTES,
    ImportRefused,
    export_consultation,
    import_file,
    reader_message,
)
from app.voting.models import Ballot, BallotItem, PaperBatch
from app.voting.services import enter_paper_batch
from tests.consultations.factories import with_phases
from tests.results.factories import budget_consultation, cast, closed, proposal
from tests.voting.factories import voter

DATA = Path(__file__).parent / "data"
APPROVAL = (DATA / "approval.pb").read_text(encoding="utf-8")
CUMULATIVE = (DATA / "cumulative.pb").read_text(encoding="utf-8")
TABLES = (
    Consultation,
    ConsultationPhase,
    Proposal,
    Ballot,
    BallotItem,
    PaperBatch,
    ResultSnapshot,
    StepRecordEntry,
    CityChange,
)


def with_line(text: str, number: int, new: str | None) -> str:
    """The text with line `number` (1-based) replaced, or removed if `new` is None."""
    lines = text.split("\n")
    if new is None:
        del lines[number - 1]
    else:
        lines[number - 1] = new
    return "\n".join(lines)


def step_of(city, position: int = 8):
    return next(s for s in city.steps if s.step.position == position)


def row_counts() -> dict[str, int]:
    return {
        model.__tablename__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in TABLES
    }


def winners_of(consultation) -> list[int]:
    return json.loads(snapshot_of(consultation).canonical_json)["winners"]


@pytest.fixture(autouse=True)
def _english(app):
    """Services word their refusals in the locale of the request; outside one, English."""
    with force_locale("en"):
        yield


def import_text(world, text: str, **kwargs) -> Consultation:
    options = {
        "language": "pl",
        "title": "",
        "moderator": world.users["moderator_elsewhere"],
        "now": utcnow(),
    }
    options.update(kwargs)
    return import_file(
        world.elsewhere,
        step_of(world.elsewhere),
        text.encode("utf-8"),
        options.pop("language"),
        options.pop("title"),
        options.pop("moderator"),
        options.pop("now"),
        **options,
    )


def cast_points(consultation, points: dict, user=None) -> Ballot:
    """A cast online ballot giving `points` (proposal → points), as a cumulative ballot."""
    ballot = cast(consultation, list(points), user=user or voter())
    for item in ballot.items:
        item.points = next(n for p, n in points.items() if p.id == item.proposal_id)
    db.session.flush()
    return ballot


def consultation_with_both_channels(world, rule: str = "greedy"):
    """A budget consultation with three online and two paper ballots, closed."""
    consultation, (a, b, c) = budget_consultation(world.here, rule=rule, budget=100)
    for chosen in ([a, b], [a, c], [b]):
        cast(consultation, chosen)
    enter_paper_batch(
        consultation,
        author=world.users["moderator_here"],
        session_label="Biblioteca, 12 maggio",
        text=f"{a.id}\n{c.id}, {b.id}",
    )
    closed(consultation)
    return consultation, (a, b, c)


# Export


def test_export_has_meta_projects_and_anonymised_votes(world):
    consultation, (a, b, c) = consultation_with_both_channels(world)
    parsed = pabulib.parse(export_consultation(consultation))
    meta = parsed.meta
    assert meta["description"] == consultation.title
    assert meta["country"] == "Italy"
    assert meta["unit"] == world.here.name
    assert meta["instance"] == str(consultation.id)
    assert meta["num_projects"] == "3"
    assert meta["num_votes"] == "5"
    assert meta["budget"] == "100"
    assert meta["currency"] == "EUR"
    assert meta["vote_type"] == "approval"
    assert meta["rule"] == "greedy"
    assert meta["language"] == "italian"
    assert datetime.strptime(meta["date_begin"], "%d.%m.%Y") <= datetime.strptime(
        meta["date_end"], "%d.%m.%Y"
    )
    assert parsed.project_columns == ("project_id", "cost", "votes", "name", "category", "selected")
    by_id = {p.project_id: p for p in parsed.projects}
    assert by_id[str(a.id)].cost == 60
    assert by_id[str(a.id)].fields["name"] == "A"
    assert [by_id[str(p.id)].fields["votes"] for p in (a, b, c)] == ["3", "3", "2"]
    winners = {str(w) for w in winners_of(consultation)}
    assert {p.project_id for p in parsed.projects if p.fields["selected"] == "1"} == winners
    # Voters are numbered, never identified; the channel is Pabulib's voting_method.
    assert [v.voter_id for v in parsed.votes] == ["1", "2", "3", "4", "5"]
    assert Counter(v.fields["voting_method"] for v in parsed.votes) == {"internet": 3, "paper": 2}
    assert sorted(v.vote for v in parsed.votes) == sorted(
        [
            (str(a.id), str(b.id)),
            (str(a.id), str(c.id)),
            (str(b.id),),
            (str(a.id),),
            (str(b.id), str(c.id)),
        ]
    )
    text = export_consultation(consultation)
    for ballot in db.session.scalars(sa.select(Ballot)):
        assert ballot.receipt not in text


def test_export_rule_names_and_withdrawn_proposals(world):
    consultation, (a, b, c) = budget_consultation(world.here, rule="equal-shares", budget=100)
    cast(consultation, [a, c])
    c.status = "withdrawn"
    closed(consultation)
    parsed = pabulib.parse(export_consultation(consultation))
    assert parsed.meta["rule"] == "equalshares/add1"
    assert [p.project_id for p in parsed.projects] == [str(a.id), str(b.id)]
    assert parsed.votes[0].vote == (str(a.id),)


def test_export_of_cumulative_ballots_carries_the_points(world):
    consultation, (a, b, c) = budget_consultation(world.here, budget=100)
    cast_points(consultation, {a: 3, b: 1})
    cast_points(consultation, {c: 4})
    cast(consultation, [a])
    closed(consultation)
    parsed = pabulib.parse(export_consultation(consultation))
    assert parsed.meta["vote_type"] == "cumulative"
    assert parsed.vote_columns == ("voter_id", "vote", "points", "voting_method")
    assert [(v.vote, v.points) for v in parsed.votes] == [
        ((str(a.id), str(b.id)), (3, 1)),
        ((str(c.id),), (4,)),
        ((str(a.id),), (1,)),
    ]
    score = {p.project_id: p.fields["score"] for p in parsed.projects}
    assert score == {str(a.id): "4", str(b.id): "1", str(c.id): "4"}


def test_download_route_and_link(client, world):
    consultation, _projects = consultation_with_both_channels(world)
    response = client.get(f"/consultations/{consultation.id}/results/ballots.pb")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert (
        f'filename="consultation-{consultation.id}.pb"' in response.headers["Content-Disposition"]
    )
    assert pabulib.parse(response.data).meta["num_votes"] == "5"
    page = client.get(f"/consultations/{consultation.id}/results").get_data(as_text=True)
    assert f"/consultations/{consultation.id}/results/ballots.pb" in page
    assert "Pabulib is the open library" in page


def test_download_only_for_closed_budget_consultations(client, world):
    still_voting, _projects = budget_consultation(world.here)
    assert client.get(f"/consultations/{still_voting.id}/results/ballots.pb").status_code == 404
    supports = with_phases(world.here, phase="voting")
    closed(supports)
    assert client.get(f"/consultations/{supports.id}/results/ballots.pb").status_code == 404
    page = client.get(f"/consultations/{supports.id}/results").get_data(as_text=True)
    assert "ballots.pb" not in page
    assert client.get("/consultations/999999/results/ballots.pb").status_code == 404


def test_export_runs_a_constant_number_of_queries(client, world, count_queries):
    counts = []
    for size in (10, 1000):
        consultation = with_phases(
            world.here,
            phase="voting",
            voting_method="budget",
            budget_amount=1000,
            title=f"Misura {size}",
        )
        items = [proposal(consultation, f"P{i}", cost=10) for i in range(size)]
        for chosen in (items[:3], items[-2:], items[5:9]):
            cast(consultation, chosen)
        cast_points(consultation, {items[0]: 2})
        closed(consultation)
        url = f"/consultations/{consultation.id}/results/ballots.pb"
        client.get(url)
        with count_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200
        assert pabulib.parse(response.data).meta["num_projects"] == str(size)
        counts.append(len(statements))
    assert counts[0] == counts[1]


# Round trips


@pytest.mark.parametrize("rule", ["greedy", "equal-shares"])
def test_round_trip_of_approval_ballots_online_and_paper(world, rule):
    original, projects = consultation_with_both_channels(world, rule=rule)
    imported = import_text(world, export_consultation(original))
    assert imported.budget_rule == rule
    by_external = {
        p.external_id: p
        for p in db.session.scalars(
            sa.select(Proposal).where(Proposal.consultation_id == imported.id)
        )
    }
    assert set(by_external) == {str(p.id) for p in projects}
    as_original = {p.id: int(external) for external, p in by_external.items()}
    assert [as_original[w] for w in winners_of(imported)] == winners_of(original)
    before = json.loads(snapshot_of(original).canonical_json)
    after = json.loads(snapshot_of(imported).canonical_json)
    assert before["num_voters"] == after["num_voters"] == 5
    assert before["total_cost"] == after["total_cost"]
    assert {p["project"]: p["score"] for p in before["projects"]} == {
        as_original[p["project"]]: p["score"] for p in after["projects"]
    }
    # Exported again, the import gives the same file but for the proposal numbers.
    again = pabulib.parse(export_consultation(imported))
    first = pabulib.parse(export_consultation(original))
    assert [(p.cost, p.fields) for p in again.projects] == [
        (p.cost, p.fields) for p in first.projects
    ]
    renumber = {str(p.id): external for external, p in by_external.items()}
    assert [tuple(renumber[pid] for pid in v.vote) for v in again.votes] == [
        v.vote for v in first.votes
    ]
    # Every imported vote is a paper ballot.
    assert Counter(v.fields["voting_method"] for v in again.votes) == {"paper": 5}


def test_round_trip_of_cumulative_ballots(world):
    original, (a, b, c) = budget_consultation(world.here, rule="equal-shares", budget=100)
    cast_points(original, {a: 3, b: 1})
    cast_points(original, {c: 4})
    cast_points(original, {a: 1, c: 2})
    closed(original)
    imported = import_text(world, export_consultation(original))
    renumber = {
        p.id: int(p.external_id)
        for p in db.session.scalars(
            sa.select(Proposal).where(Proposal.consultation_id == imported.id)
        )
    }
    assert [renumber[w] for w in winners_of(imported)] == winners_of(original)
    points = db.session.execute(
        sa.select(BallotItem.proposal_id, BallotItem.points)
        .join(Ballot, Ballot.id == BallotItem.ballot_id)
        .where(Ballot.consultation_id == imported.id)
        .order_by(Ballot.id, BallotItem.proposal_id)
    ).all()
    assert [(renumber[pid], n) for pid, n in points] == [
        (a.id, 3),
        (b.id, 1),
        (c.id, 4),
        (a.id, 1),
        (c.id, 2),
    ]
    again = pabulib.parse(export_consultation(imported))
    assert again.meta["vote_type"] == "cumulative"
    assert [v.points for v in again.votes] == [(3, 1), (4,), (1, 2)]


@pytest.mark.parametrize("name", ["approval.pb", "cumulative.pb"])
def test_import_then_export_gives_the_same_projects_and_votes(world, name):
    text = (DATA / name).read_text(encoding="utf-8")
    source = pabulib.parse(text)
    imported = import_text(world, text)
    exported = pabulib.parse(export_consultation(imported))
    external = {
        str(p.id): p.external_id
        for p in db.session.scalars(
            sa.select(Proposal).where(Proposal.consultation_id == imported.id)
        )
    }
    assert [(external[p.project_id], p.cost, p.fields["name"]) for p in exported.projects] == [
        (p.project_id, p.cost, p.fields["name"]) for p in source.projects
    ]
    assert [p.fields["votes"] for p in exported.projects] == [
        p.fields["votes"] for p in source.projects
    ]
    assert exported.meta["budget"] == source.meta["budget"]
    assert exported.meta["vote_type"] == source.meta["vote_type"]
    assert len(exported.votes) == len(source.votes)
    # Zero points are no vote: a cumulative voter's project with 0 points is left out.
    expected = [
        tuple(pid for pid, n in zip(v.vote, v.points or (1,) * len(v.vote), strict=True) if n > 0)
        for v in source.votes
    ]
    assert [tuple(external[pid] for pid in v.vote) for v in exported.votes] == expected
    if source.vote_type == "cumulative":
        assert [v.points for v in exported.votes] == [
            tuple(n for n in v.points or () if n > 0) for v in source.votes
        ]


# Import


def test_import_makes_a_closed_consultation_with_paper_ballots(world):
    now = datetime(2025, 3, 1, 12, tzinfo=UTC)
    moderator = world.users["moderator_elsewhere"]
    consultation = import_text(world, APPROVAL, title="Budget 2024, Nord", now=now)
    assert consultation.title == "Budget 2024, Nord"
    assert consultation.city_id == world.elsewhere.id
    assert consultation.city_step_id == step_of(world.elsewhere).id
    assert consultation.voting_method == "budget"
    assert consultation.budget_amount == 200_000
    assert consultation.budget_rule == "greedy"  # META rule
    assert consultation.language == "pl"
    assert consultation.created_by_id == moderator.id
    assert consultation.closed_at is not None
    assert consultation.state(utcnow()) == "closed"
    # date_end 30.09.2024 is the last day: voting ended at midnight in the city's time.
    end = datetime(2024, 9, 30, 22, tzinfo=UTC)
    assert consultation.ends_at == end
    assert consultation.closed_at == end
    assert {p.kind: (p.starts_at, p.ends_at) for p in consultation.phases} == {
        "voting": (datetime(2024, 8, 31, 22, tzinfo=UTC), end),
        "results": (end, None),
    }
    proposals = list(
        db.session.scalars(
            sa.select(Proposal)
            .where(Proposal.consultation_id == consultation.id)
            .order_by(Proposal.id)
        )
    )
    assert [(p.external_id, p.cost, p.title) for p in proposals][:2] == [
        ("1", 90_000, "Bike lanes on Lipowa street"),
        ("2", 60_000, "Reading corner; library garden"),
    ]
    assert {(p.author_id, p.language, p.status) for p in proposals} == {
        (moderator.id, "pl", "published")
    }
    assert proposals[1].category == "education,culture"
    assert consultation.proposals_count == 6
    batch = db.session.scalar(
        sa.select(PaperBatch).where(PaperBatch.consultation_id == consultation.id)
    )
    assert batch.ballots_count == 10
    assert batch.entered_by_id == moderator.id
    ballots = list(
        db.session.scalars(sa.select(Ballot).where(Ballot.consultation_id == consultation.id))
    )
    assert len(ballots) == 10
    assert {(b.channel, b.status, b.user_id, b.paper_batch_id) for b in ballots} == {
        ("paper", "cast", None, batch.id)
    }
    assert sorted(b.total_cost for b in ballots)[0] == 0  # voter 110 approved nothing
    # The same winners as `flask pabulib winners` on the file: 1, 3, 2.
    external = {p.id: p.external_id for p in proposals}
    assert [external[w] for w in winners_of(consultation)] == ["1", "3", "2"]
    assert verify(consultation)[0]
    entries = [e for e in record_of(consultation.city_step) if e.kind == "consultation_result"]
    assert entries[-1].data["consultation"] == consultation.id
    assert entries[-1].data["digest"] == snapshot_of(consultation).digest
    assert consultation.city_step.status == "in_progress"
    change = db.session.scalar(
        sa.select(CityChange)
        .where(CityChange.city_id == world.elsewhere.id, CityChange.change == "paper_ballots")
        .order_by(CityChange.id.desc())
    )
    assert change.details["consultation"] == consultation.id
    assert change.details["ballots"] == 10


def test_import_of_a_cumulative_file_uses_its_rule_and_points(world):
    consultation = import_text(world, CUMULATIVE)
    assert consultation.budget_rule == "equal-shares"  # META rule equalshares/add1
    assert consultation.title == "Youth budget of Learning City"  # from META description
    points = db.session.scalars(
        sa.select(BallotItem.points)
        .join(Ballot, Ballot.id == BallotItem.ballot_id)
        .where(Ballot.consultation_id == consultation.id)
    ).all()
    assert max(points) > 1


def test_the_form_rule_applies_when_the_file_names_none_we_apply(world):
    text = with_line(APPROVAL, 12, "rule;phragmen")
    assert import_text(world, text, rule="equal-shares").budget_rule == "equal-shares"
    with pytest.raises(ImportRefused) as refused:
        import_text(world, text)
    assert refused.value.errors[0][0] == 12


def test_dates_in_the_future_end_now_and_other_date_formats(world):
    now = datetime(2025, 3, 1, 12, tzinfo=UTC)
    text = with_line(with_line(APPROVAL, 13, "date_begin;2025-02-01"), 14, "date_end;2025-12-31")
    consultation = import_text(world, text, now=now)
    assert consultation.ends_at == now
    assert consultation.closed_at == now
    assert consultation.starts_at == datetime(2025, 1, 31, 23, tzinfo=UTC)
    without = with_line(with_line(APPROVAL, 14, None), 13, None)
    undated = import_text(world, with_line(without, 8, "num_projects;6"), now=now)
    assert undated.ends_at == now
    assert undated.starts_at == now - timedelta(days=1)


def test_long_names_ids_and_categories_fit(world):
    long_name = "Parco " * 60
    text = with_line(APPROVAL, 21, f"1;90000;6;{long_name};{'sport,' * 20}culture;adults")
    consultation = import_text(world, text)
    first = db.session.scalar(
        sa.select(Proposal).where(Proposal.consultation_id == consultation.id).order_by(Proposal.id)
    )
    assert len(first.title) == 200
    assert first.title.endswith("…")
    assert first.body == long_name.strip()
    assert len(first.category) <= 60
    assert first.category.startswith("sport,sport")


BAD_FILES = [
    # (what, the file, the line named, words of the message)
    ("missing VOTES", APPROVAL.split("VOTES")[0], 1, "The VOTES section is missing."),
    (
        "cost not a number",
        with_line(APPROVAL, 22, "2;lots;5;Reading;x;y"),
        22,
        "must be an amount such as 1250",
    ),
    ("budget not a number", with_line(APPROVAL, 10, "budget;tanto"), 10, "budget"),
    ("scoring votes", with_line(APPROVAL, 11, "vote_type;scoring"), 11, "scoring votes"),
    ("unknown project", with_line(APPROVAL, 29, "101;1,2,99;34;F;internet"), 29, "“99”"),
    ("voter twice", with_line(APPROVAL, 30, "101;1,3;67;M;paper"), 30, "appears twice"),
    ("fields missing", with_line(APPROVAL, 23, "3;45000"), 23, "2 fields"),
    ("count wrong", with_line(APPROVAL, 9, "num_votes;12"), 9, "num_votes says 12"),
    ("budget too large", with_line(APPROVAL, 10, f"budget;{MAX_AMOUNT + 1}"), 10, "more than 0"),
    ("budget zero", with_line(APPROVAL, 10, "budget;0"), 10, "more than 0"),
    ("cost too large", with_line(APPROVAL, 25, f"5;{MAX_AMOUNT + 1};2;Hall;x;y"), 25, "costs"),
    (
        "project id too long",
        APPROVAL.replace("\n6;15000", "\n" + "6" * 70 + ";15000").replace(
            ",6;", ",6" + "6" * 69 + ";"
        ),
        26,
        "longer than 64",
    ),
    ("bad currency", with_line(APPROVAL, 18, "currency;zloty"), 18, "ISO 4217"),
    ("bad date", with_line(APPROVAL, 14, "date_end;September 2024"), 14, "dd.mm.yyyy"),
    ("absurd year", with_line(APPROVAL, 13, "date_begin;01.09.1024"), 13, "1024"),
    ("dates reversed", with_line(APPROVAL, 14, "date_end;01.08.2024"), 14, "before date_begin"),
]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [case[1:] for case in BAD_FILES],
    ids=[case[0] for case in BAD_FILES],
)
def test_bad_files_are_refused_by_line_and_nothing_is_written(
    client, world, login_as, text, line, words
):
    before = row_counts()
    login_as("moderator_elsewhere")
    response = client.post(
        f"/cities/{world.elsewhere.slug}/consultations/import-pabulib",
        data={
            "file": (io.BytesIO(text.encode("utf-8")), "bad.pb"),
            "city_step": str(step_of(world.elsewhere).id),
            "language": "pl",
            "title": "",
            "rule": "greedy",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Nothing was imported" in page
    assert f"Line {line}:" in page
    assert words in page.replace("&#34;", '"').replace("&#39;", "'")
    assert row_counts() == before


def test_a_file_that_is_not_utf8(world):
    with pytest.raises(ImportRefused) as refused:
        import_file(
            world.elsewhere,
            step_of(world.elsewhere),
            b"META\nkey;value\ndescription;\xff\n",
            "pl",
            "",
            None,
            utcnow(),
        )
    assert refused.value.errors == [(3, "The file is not UTF-8 text: save it as UTF-8.")]


def test_uncommon_parser_messages_stay_as_written():
    assert reader_message("a second META section") == "a second META section"
    assert reader_message("the PROJECTS section is missing") == "The PROJECTS section is missing."


def test_a_step_of_another_city_is_refused(world):
    with pytest.raises(ValueError, match="city"):
        import_file(world.elsewhere, step_of(world.here), APPROVAL, "pl", "", None, utcnow())


# The import page


def url(world) -> str:
    return f"/cities/{world.elsewhere.slug}/consultations/import-pabulib"


def form_data(world, content: bytes, **fields) -> dict:
    data = {
        "file": (io.BytesIO(content), "district-north.pb"),
        "city_step": str(step_of(world.elsewhere).id),
        "language": "pl",
        "title": "Bilancio partecipativo Nord",
        "rule": "greedy",
    }
    data.update(fields)
    return data


def test_the_page_offers_the_city_steps_and_the_writer_language(client, world, login_as):
    login_as("moderator_elsewhere")
    page = client.get(url(world)).get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page
    assert f'<option selected value="{step_of(world.elsewhere).id}">' in page
    assert '<option selected value="it">' in page  # the moderator writes Italian
    assert "<h1>Import a Pabulib file</h1>" in page


def test_a_moderator_imports_a_file(client, world, login_as):
    login_as("moderator_elsewhere")
    response = client.post(
        url(world), data=form_data(world, APPROVAL.encode()), content_type="multipart/form-data"
    )
    assert response.status_code == 302
    consultation = db.session.scalar(
        sa.select(Consultation).where(Consultation.title == "Bilancio partecipativo Nord")
    )
    assert response.headers["Location"].endswith(f"/consultations/{consultation.id}/results")
    batch = db.session.scalar(
        sa.select(PaperBatch).where(PaperBatch.consultation_id == consultation.id)
    )
    assert batch.session_label == "Pabulib: district-north.pb"
    page = client.get(f"/consultations/{consultation.id}/results").get_data(as_text=True)
    assert "10 paper ballots" in page
    assert "Bike lanes on Lipowa street" in page


@pytest.mark.parametrize(
    ("visitor", "status"),
    [
        ("anonymous", 302),
        ("citizen", 403),
        ("moderator_here", 403),
        ("observer", 403),
        ("admin", 302),
    ],
)
def test_who_may_import(client, world, login_as, visitor, status):
    before = row_counts()
    login_as(visitor)
    response = client.post(
        url(world), data=form_data(world, APPROVAL.encode()), content_type="multipart/form-data"
    )
    assert response.status_code == status
    if visitor == "anonymous":
        assert "/login" in response.headers["Location"]
        assert row_counts() == before
    elif status == 403:
        assert row_counts() == before


def test_unknown_city_is_404(client, world, login_as):
    login_as("admin")
    assert client.get("/cities/nowhere/consultations/import-pabulib").status_code == 404


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"file": None}, "file"),
        ({"city_step": "999999"}, "city_step"),
        ({"language": "xx-nope"}, "language"),
        ({"rule": "phragmen"}, "rule"),
        ({"title": "T" * 201}, "title"),
    ],
)
def test_bad_form_input_is_refused(client, world, login_as, fields, field):
    login_as("moderator_elsewhere")
    data = form_data(world, APPROVAL.encode())
    data.update(fields)
    if data["file"] is None:
        del data["file"]
    before = row_counts()
    response = client.post(url(world), data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert f'href="#{field}"' in response.get_data(as_text=True)
    assert row_counts() == before


def test_a_step_of_another_city_is_not_a_choice(client, world, login_as):
    login_as("admin")
    data = form_data(world, APPROVAL.encode(), city_step=str(step_of(world.here).id))
    before = row_counts()
    response = client.post(url(world), data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert row_counts() == before


@pytest.mark.parametrize("extra", [1, 2 * 1024 * 1024])
def test_files_over_the_size_limit_are_refused_in_words(client, world, login_as, extra):
    login_as("moderator_elsewhere")
    content = APPROVAL.encode() + b"\n" * (MAX_UPLOAD_BYTES - len(APPROVAL) + extra)
    # Encoded in memory: the test client would spool so large a body to a temporary file it
    # never closes.
    data = form_data(world, content)
    data["file"] = FileStorage(io.BytesIO(content), filename="big.pb")
    boundary, body = encode_multipart(data)
    before = row_counts()
    response = client.post(
        url(world), data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "The file is too large: at most 20 MB can be imported." in page
    assert "<h1>Import a Pabulib file</h1>" in page
    assert row_counts() == before


# The command


def test_the_command_imports_a_file(runner, world):
    result = runner.invoke(
        args=[
            "pabulib",
            "import",
            str(DATA / "cumulative.pb"),
            "--city",
            world.elsewhere.slug,
            "--step",
            "8",
            "--language",
            "en",
            "--title",
            "Youth budget",
            "--by",
            "MOD.ELSEWHERE@example.org",
        ]
    )
    assert result.exit_code == 0, result.output
    consultation = db.session.scalar(
        sa.select(Consultation).where(Consultation.title == "Youth budget")
    )
    assert f"imported as consultation {consultation.id}" in result.output
    assert consultation.created_by_id == world.users["moderator_elsewhere"].id
    assert consultation.closed_at is not None
    assert snapshot_of(consultation) is not None


def test_the_command_without_a_moderator(runner, world):
    result = runner.invoke(
        args=[
            "pabulib",
            "import",
            str(DATA / "approval.pb"),
            "--city",
            world.elsewhere.slug,
            "--step",
            "8",
            "--language",
            "pl",
        ]
    )
    assert result.exit_code == 0, result.output
    consultation = db.session.scalar(
        sa.select(Consultation).where(Consultation.title.like("Municipal participatory%"))
    )
    assert consultation.created_by_id is None
    assert consultation.closed_by_id is None


def test_the_command_refuses_a_bad_file_by_line(runner, world, tmp_path):
    bad = tmp_path / "bad.pb"
    bad.write_text(with_line(APPROVAL, 22, "2;lots;5;Reading;x;y"), encoding="utf-8")
    before = row_counts()
    result = runner.invoke(
        args=["pabulib", "import", str(bad), "--city", world.elsewhere.slug]
        + ["--step", "8", "--language", "pl"]
    )
    assert result.exit_code == 1
    assert "line 22:" in result.output
    assert row_counts() == before


@pytest.mark.parametrize(
    ("options", "words"),
    [
        (["--city", "nowhere", "--step", "8", "--language", "pl"], "no city"),
        (["--city", "elsewhere-city", "--step", "11", "--language", "pl"], "no step 11"),
        (["--city", "elsewhere-city", "--step", "8", "--language", "xx"], "ISO 639-1"),
        (
            ["--city", "elsewhere-city", "--step", "8", "--language", "pl", "--by", "x@y.z"],
            "no account",
        ),
    ],
)
def test_the_command_refuses_bad_options(runner, world, options, words):
    result = runner.invoke(args=["pabulib", "import", str(DATA / "approval.pb"), *options])
    assert result.exit_code == 2
    assert words in result.output


def test_an_imported_consultation_counts_like_others(world):
    """Sanity: one ballot per vote, and participation by channel in the snapshot."""
    consultation = import_text(world, APPROVAL)
    payload = json.loads(snapshot_of(consultation).canonical_json)
    assert payload["participation"]["by_channel"] == {"paper": 10}
    assert payload["num_voters"] == 10


# Real Pabulib files: amounts with cents, no META header line, ordinal ballots


@pytest.mark.parametrize(
    ("name", "rule"),
    [("decimal_no_header.pb", "greedy"), ("ordinal.pb", "greedy"), ("cumulative_cents.pb", None)],
)
def test_real_files_import_with_the_selected_winners(world, name, rule):
    text = (DATA / name).read_text(encoding="utf-8")
    source = pabulib.parse(text)
    imported = import_text(world, text, rule=rule)
    assert imported.budget_amount == source.budget_amount  # exact, with its cents
    by_external = {
        p.external_id: p
        for p in db.session.scalars(
            sa.select(Proposal).where(Proposal.consultation_id == imported.id)
        )
    }
    assert {pid: p.cost for pid, p in by_external.items()} == {
        p.project_id: p.cost for p in source.projects
    }
    selected = {p.project_id for p in source.projects if p.fields["selected"] == "1"}
    assert {by_external[pid].id for pid in selected} == set(winners_of(imported))
    ok, _stored, _recomputed = verify(imported)
    assert ok


def test_ballot_totals_of_an_import_have_cents(world):
    imported = import_text(world, (DATA / "decimal_no_header.pb").read_text(encoding="utf-8"))
    totals = db.session.scalars(
        sa.select(Ballot.total_cost)
        .where(Ballot.consultation_id == imported.id)
        .order_by(Ballot.id)
    ).all()
    # voter 1 chose 1, 2 and 3: 120000.50 + 101000.00 + 1176.36
    assert totals[0] == Decimal("222176.86")


def test_an_ordinal_import_stores_points_by_position(world):
    imported = import_text(world, (DATA / "ordinal.pb").read_text(encoding="utf-8"))
    first = db.session.scalars(
        sa.select(Ballot).where(Ballot.consultation_id == imported.id).order_by(Ballot.id)
    ).first()
    external = {
        p.id: p.external_id
        for p in db.session.scalars(
            sa.select(Proposal).where(Proposal.consultation_id == imported.id)
        )
    }
    # v1 ranked e, a, b with three places scored: 3, 2, 1
    assert {external[i.proposal_id]: i.points for i in first.items} == {"e": 3, "a": 2, "b": 1}


def test_amounts_with_cents_round_trip(world):
    text = (DATA / "cumulative_cents.pb").read_text(encoding="utf-8")
    source = pabulib.parse(text)
    exported_text = export_consultation(import_text(world, text))
    exported = pabulib.parse(exported_text)
    assert exported.meta["budget"] == "1000.50"
    assert "\n11;400.25;" in exported_text or ";400.25;" in exported_text
    assert [p.cost for p in exported.projects] == [p.cost for p in source.projects]
    assert exported.budget_amount == source.budget_amount
    # and again: the export imports to the same amounts
    again = pabulib.parse(export_consultation(import_text(world, exported_text)))
    assert [p.cost for p in again.projects] == [p.cost for p in source.projects]


@pytest.mark.parametrize(
    ("old", "new", "line", "words"),
    [
        ("11;400.25;", "11;400.255;", 17, "at most two decimals"),
        ("11;400.25;", "11;-400.25;", 17, "cannot be negative"),
        ("11;400.25;", "11;4O0.25;", 17, "must be an amount such as 1250"),
        ("budget;1000.50", "budget;1000.5.0", 9, "The budget must be an amount"),
        ("budget;1000.50", "budget;-1000.50", 9, "cannot be negative"),
    ],
)
def test_bad_amounts_are_refused_in_words_and_nothing_is_written(
    client, world, login_as, old, new, line, words
):
    text = (DATA / "cumulative_cents.pb").read_text(encoding="utf-8").replace(old, new)
    before = row_counts()
    login_as("moderator_elsewhere")
    response = client.post(
        f"/cities/{world.elsewhere.slug}/consultations/import-pabulib",
        data={
            "file": (io.BytesIO(text.encode("utf-8")), "bad.pb"),
            "city_step": str(step_of(world.elsewhere).id),
            "language": "pl",
            "title": "",
            "rule": "greedy",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f"Line {line}:" in page
    assert words in page.replace("&#34;", '"').replace("&#39;", "'")
    assert row_counts() == before


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_export_neutralises_formulas_in_names(world, start):
    consultation, (a, b, c) = budget_consultation(world.here, budget=100)
    a.title = f'{start}HYPERLINK("http://x.example")'
    c.category = f"{start}1+1"
    consultation.title = f"{start}cmd|' /C calc'!A0"
    cast(consultation, [a, b])
    closed(consultation)
    exported = pabulib.parse(export_consultation(consultation))
    names = {p.project_id: p.fields for p in exported.projects}
    assert names[str(a.id)]["name"] == f'\'{start}HYPERLINK("http://x.example")'.strip()
    assert names[str(c.id)]["category"] == f"'{start}1+1".strip()
    assert exported.meta["description"].startswith("'")
    assert exported.meta["budget"] == "100"


def test_cents_in_a_currency_without_cents_are_refused(world):
    text = (DATA / "cumulative_cents.pb").read_text(encoding="utf-8").replace("EUR", "JPY")
    before = row_counts()
    with pytest.raises(ImportRefused) as refused:
        import_text(world, text)
    assert refused.value.errors == [
        (10, "The file has amounts with cents, but JPY has no cents."),
    ]
    assert row_counts() == before
    # whole amounts in yen are fine
    whole = (DATA / "ordinal.pb").read_text(encoding="utf-8").replace("PLN", "JPY")
    assert import_text(world, whole).currency == "JPY"
