"""A deterministic data set for the benchmarks, built with bulk inserts in its own database.

    python -m bench data --size small|medium|large [--database-url URL]

Without ``--database-url`` a throw-away PostgreSQL is started on port 54339
(``scripts/pg-test.sh``, ``LC_BENCH_PGPORT``) and the data goes to the database
``lc_bench_<size>``, which is dropped and rebuilt. Same seed, same rows: every size is the same
recipe with other counts, so figures can be compared "large vs small".

What it builds (large size): 40 cities with their ten steps and step records; 5,000 users over
ten content languages; one consultation per city; the "big" consultation (the first city's) has
100,000 proposals, 500,000 supports and 200,000 threaded comments; a closed budget consultation
with ballots and its published result snapshot. Every counter (``supports_count``, comment
counts, ``proposals_count``, support quotas) is set to the recount; ``check_counters`` proves it.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

SEED = 20241125
LANGUAGES = ("it", "en", "fr", "de", "es", "ar", "pt", "pl", "ro", "uk")
CATEGORIES = ("verde", "mobilità", "cultura", "scuola", "sport", "sociale", None)


@dataclass(frozen=True)
class Size:
    name: str
    cities: int
    users: int
    proposals: int  # in the big consultation
    supports: int  # in the big consultation
    comments: int  # in the big consultation
    other_proposals: int  # in each other city's consultation
    budget_proposals: int  # in the closed budget consultation
    ballots: int
    record_entries: int  # per city step


SIZES = {
    "small": Size("small", 12, 500, 1_000, 5_000, 2_000, 20, 40, 300, 2),
    "medium": Size("medium", 25, 2_000, 20_000, 100_000, 40_000, 50, 100, 2_000, 4),
    "large": Size("large", 40, 10_000, 100_000, 500_000, 200_000, 100, 200, 10_000, 6),
}


@dataclass
class World:
    """What the benchmarks need to find their pages."""

    size: str
    city_slug: str
    big_consultation: int
    hot_proposal: int  # the big consultation's proposal with the most comments
    budget_consultation: int  # closed, with its results published
    admin_user: int
    counts: dict[str, int]


def _chunks(rows: list[dict], size: int = 5_000):
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _insert(model, rows: list[dict]) -> None:
    from app.extensions import db

    for chunk in _chunks(rows):
        db.session.execute(sa.insert(model), chunk)


def _fix_sequences() -> None:
    """Explicit ids were inserted: move PostgreSQL's sequences past them."""
    from app.extensions import db

    if db.engine.dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        if "id" in table.c and isinstance(table.c.id.type, sa.Integer):
            db.session.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608
                    f"COALESCE((SELECT max(id) FROM {table.name}), 0) + 1, false)"
                )
            )


def _windows(now, phase: str):
    from app.consultations.phases import PhaseWindow

    order = ["information", "proposals", "deliberation", "voting", "results"]
    week = timedelta(days=7)
    start = now - week / 2 - order.index(phase) * week
    return [
        PhaseWindow(kind, start + i * week, None if kind == "results" else start + (i + 1) * week)
        for i, kind in enumerate(order)
    ]


def bulk_users(
    count: int, rng: random.Random, *, first_id: int, prefix: str = "bench"
) -> list[int]:
    """`count` confirmed users with one to three content languages (no usable password: the
    benchmarks sign in with session cookies made by the app)."""
    from app.accounts.models import User, UserContentLanguage
    from app.db_types import utcnow

    now = utcnow()
    users, languages = [], []
    for n in range(count):
        uid = first_id + n
        users.append(
            {
                "id": uid,
                "email": f"{prefix}{uid}@bench.example.org",
                "display_name": f"Persona {uid}",
                "password_hash": "!",  # noqa: S106 - not a hash: nobody signs in with it
                "confirmed_at": now,
                "locale": LANGUAGES[uid % 6],
                "email_digest": False,
                "created_at": now - timedelta(minutes=uid),
            }
        )
        chosen = rng.sample(LANGUAGES, 1 + uid % 3)
        for position, code in enumerate(chosen):
            languages.append({"user_id": uid, "position": position, "language": code})
    _insert(User, users)
    _insert(UserContentLanguage, languages)
    return [row["id"] for row in users]


def bulk_cities(count: int, rng: random.Random, record_entries: int) -> list[Any]:
    """`count` member cities with their ten steps (from the default template) and a few
    step-record notes on each step."""
    from app.cities.models import City, CityLanguage
    from app.db_types import utcnow
    from app.extensions import db
    from app.pathway.models import CityStep, StepRecordEntry
    from app.pathway.services import ensure_all_city_steps, ensure_default_template

    ensure_default_template()
    now = utcnow()
    cities = []
    for n in range(count):
        place = City(
            slug=f"bench-city-{n + 1}",
            name=f"Città {n + 1}",
            country=("IT", "FR", "DE", "ES", "PT", "PL")[n % 6],
            region="Regione",
            timezone="Europe/Rome",
            population=50_000 + n * 1_000,
            membership_status="member",
        )
        main = ("it", "fr", "de", "es", "pt", "pl")[n % 6]
        place.languages.append(CityLanguage(language=main, population_share=90))
        place.languages.append(CityLanguage(language="ar", population_share=5))
        db.session.add(place)
        cities.append(place)
    db.session.flush()
    ensure_all_city_steps()
    for place in cities:
        db.session.expire(place, ["steps"])
    steps = db.session.execute(sa.select(CityStep.id, CityStep.city_id)).all()
    entries = []
    for step_id, city_id in steps:
        for k in range(record_entries):
            entries.append(
                {
                    "city_step_id": step_id,
                    "kind": ("note", "decision", "evidence")[k % 3],
                    "title": f"Nota {k + 1}",
                    "body": f"Appunto {k + 1} della città {city_id}.",
                    "language": LANGUAGES[(city_id + k) % 6],
                    "step_titles": {},
                    "created_at": now - timedelta(days=k, minutes=rng.randrange(1000)),
                }
            )
    _insert(StepRecordEntry, entries)
    return cities


def _consultation(city, author_id: int, *, phase: str, title: str, **settings):
    from app.accounts.models import User
    from app.consultations.services import ConsultationData, save_consultation
    from app.db_types import utcnow
    from app.extensions import db

    step = next(s for s in city.steps if s.step.position == 8)
    data = ConsultationData(
        city_step=step,
        title=title,
        description="Che cosa vorresti per il tuo quartiere?",
        language="it",
        languages=["it", "ar", "fr"],
        windows=_windows(utcnow(), phase),
        **settings,
    )
    return save_consultation(data, author=db.session.get(User, author_id))


def bulk_proposals(
    consultation, user_ids: list[int], count: int, rng: random.Random, *, first_id: int, cost=False
) -> list[int]:
    from app.db_types import utcnow
    from app.proposals.models import Proposal
    from app.proposals.services import RANDOM_MODULUS

    now = utcnow()
    rows = []
    for n in range(count):
        pid = first_id + n
        rows.append(
            {
                "id": pid,
                "consultation_id": consultation.id,
                "author_id": user_ids[rng.randrange(len(user_ids))],
                "title": f"Proposta {pid}: {rng.choice(['un parco', 'una pista ciclabile', 'una biblioteca', 'un orto'])}",
                "body": f"Testo della proposta **{pid}**.\n\nPerché serve al quartiere.",
                "language": LANGUAGES[pid % len(LANGUAGES)],
                "category": CATEGORIES[pid % len(CATEGORIES)],
                "cost": (10_000 + rng.randrange(90) * 1_000) if cost else None,
                "status": "published",
                "supports_count": 0,
                "comments_for": 0,
                "comments_against": 0,
                "comments_neutral": 0,
                "random_key": rng.randrange(RANDOM_MODULUS),
                "created_at": now - timedelta(minutes=n),
                "updated_at": now - timedelta(minutes=n),
            }
        )
    _insert(Proposal, rows)
    return [row["id"] for row in rows]


def bulk_supports(consultation_id: int, proposal_ids, user_ids, count: int, rng) -> None:
    """`count` distinct (proposal, user) supports, popular proposals first (Pareto)."""
    from app.db_types import utcnow
    from app.proposals.models import Proposal
    from app.voting.models import Support, SupportQuota

    now = utcnow()
    count = min(count, len(proposal_ids) * len(user_ids))
    pairs: set[tuple[int, int]] = set()
    weights = [rng.paretovariate(1.1) for _ in proposal_ids]
    while len(pairs) < count:
        need = count - len(pairs)
        for pid in rng.choices(proposal_ids, weights=weights, k=need):
            pairs.add((pid, user_ids[rng.randrange(len(user_ids))]))
    per_proposal: dict[int, int] = {}
    per_user: dict[int, int] = {}
    rows = []
    for pid, uid in sorted(pairs):
        per_proposal[pid] = per_proposal.get(pid, 0) + 1
        per_user[uid] = per_user.get(uid, 0) + 1
        rows.append(
            {
                "consultation_id": consultation_id,
                "proposal_id": pid,
                "user_id": uid,
                "language": LANGUAGES[uid % len(LANGUAGES)],
                "created_at": now,
            }
        )
    _insert(Support, rows)
    _insert(
        SupportQuota,
        [
            {"consultation_id": consultation_id, "user_id": u, "used": n}
            for u, n in per_user.items()
        ],
    )
    _set_counts(Proposal.supports_count, per_proposal)


def _set_counts(column, counts: dict[int, int]) -> None:
    """UPDATE … FROM (VALUES …): one statement per chunk of counters."""
    from app.extensions import db

    table = column.table
    items = sorted(counts.items())
    for start in range(0, len(items), 5_000):
        chunk = items[start : start + 5_000]
        values = sa.values(sa.column("id", sa.Integer), sa.column("n", sa.Integer), name="v").data(
            chunk
        )
        db.session.execute(
            sa.update(table).where(table.c.id == values.c.id).values({column.key: values.c.n})
        )


def bulk_comments(proposal_ids, user_ids, count: int, rng, *, first_id: int) -> int:
    """`count` comments on these proposals (a few hot ones get most), a third of them replies
    (depth 1 and 2). Returns the proposal with the most comments."""
    from app.db_types import utcnow
    from app.proposals.models import Comment, Proposal

    now = utcnow()
    weights = [rng.paretovariate(1.0) for _ in proposal_ids]
    targets = rng.choices(proposal_ids, weights=weights, k=count)
    rows: list[dict] = []
    last_of: dict[int, tuple[int, int]] = {}  # proposal -> (comment id, depth)
    counts: dict[int, dict[str, int]] = {}
    for n, pid in enumerate(targets):
        cid = first_id + n
        parent, depth = None, 0
        previous = last_of.get(pid)
        if previous is not None and n % 3 == 0 and previous[1] < 2:
            parent, depth = previous[0], previous[1] + 1
        alignment = ("for", "against", "neutral")[rng.randrange(3)]
        rows.append(
            {
                "id": cid,
                "proposal_id": pid,
                "parent_id": parent,
                "depth": depth,
                "author_id": user_ids[rng.randrange(len(user_ids))],
                "body": f"Commento {cid}: sono {'d’accordo' if alignment == 'for' else 'perplesso'}.",
                "language": LANGUAGES[cid % len(LANGUAGES)],
                "alignment": alignment,
                "status": "published",
                "created_at": now - timedelta(seconds=count - n),
            }
        )
        last_of[pid] = (cid, depth)
        per = counts.setdefault(pid, {"for": 0, "against": 0, "neutral": 0})
        per[alignment] += 1
    _insert(Comment, rows)
    for alignment in ("for", "against", "neutral"):
        column = getattr(Proposal, f"comments_{alignment}")
        _set_counts(column, {pid: c[alignment] for pid, c in counts.items()})
    return max(counts, key=lambda pid: (sum(counts[pid].values()), -pid))


def bulk_ballots(consultation, proposal_costs: dict[int, int], user_ids, count, rng, *, first_id):
    from app.db_types import utcnow
    from app.voting.models import Ballot, BallotItem

    now = utcnow()
    budget = consultation.budget_amount
    ids = sorted(proposal_costs)
    weights = [rng.paretovariate(1.2) for _ in ids]
    ballots, items = [], []
    for n, uid in enumerate(user_ids[:count]):
        bid = first_id + n
        chosen: list[int] = []
        spent = 0
        for pid in rng.choices(ids, weights=weights, k=1 + n % 6):
            if pid not in chosen and spent + proposal_costs[pid] <= budget:
                chosen.append(pid)
                spent += proposal_costs[pid]
        ballots.append(
            {
                "id": bid,
                "consultation_id": consultation.id,
                "user_id": uid,
                "status": "cast",
                "channel": "online",
                "receipt": f"{bid:016x}",
                "total_cost": spent,
                "language": LANGUAGES[uid % len(LANGUAGES)],
                "created_at": now,
                "updated_at": now,
                "cast_at": now,
            }
        )
        items.extend({"ballot_id": bid, "proposal_id": p, "points": 1} for p in chosen)
    _insert(Ballot, ballots)
    _insert(BallotItem, items)


def build(size: Size, seed: int = SEED) -> World:
    """Fill the current app's (empty) database. Call inside an app and request context."""
    from app.accounts.models import User
    from app.consultations.models import Consultation
    from app.consultations.services import close
    from app.db_types import utcnow
    from app.extensions import db
    from app.proposals.models import Proposal

    if size.ballots > size.users:
        raise ValueError(
            f"{size.name}: {size.ballots} ballots need as many users, not {size.users}"
        )
    rng = random.Random(f"{seed}-{size.name}")
    timings: dict[str, float] = {}
    mark = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        timings[name] = round(now - mark, 1)
        mark = now
        print(f"  {name}: {timings[name]} s", flush=True)

    admin = User(
        email="admin@bench.example.org",
        display_name="Admin",
        password_hash="!",  # noqa: S106
        confirmed_at=utcnow(),
        association_role="admin",
    )
    db.session.add(admin)
    db.session.flush()
    cities = bulk_cities(size.cities, rng, size.record_entries)
    lap("cities")
    user_ids = bulk_users(size.users, rng, first_id=admin.id + 1)
    lap("users")
    next_proposal = 1
    big = _consultation(
        cities[0],
        admin.id,
        phase="deliberation",
        title="Il bilancio partecipativo",
        voting_method="supports",
    )
    proposal_ids = bulk_proposals(big, user_ids, size.proposals, rng, first_id=next_proposal)
    next_proposal += size.proposals
    lap("proposals")
    bulk_supports(big.id, proposal_ids, user_ids, size.supports, rng)
    lap("supports")
    hot = bulk_comments(proposal_ids, user_ids, size.comments, rng, first_id=1)
    lap("comments")
    for place in cities[1:]:
        other = _consultation(
            place,
            admin.id,
            phase="proposals",
            title=f"Idee per {place.name}",
            voting_method="supports",
            support_limit=10,
        )
        ids = bulk_proposals(other, user_ids, size.other_proposals, rng, first_id=next_proposal)
        next_proposal += len(ids)
    budget = _consultation(
        cities[0],
        admin.id,
        phase="voting",
        title="Un milione per i quartieri",
        voting_method="budget",
        budget_amount=1_000_000,
        budget_rule="equal-shares",
    )
    budget_ids = bulk_proposals(
        budget, user_ids, size.budget_proposals, rng, first_id=next_proposal, cost=True
    )
    costs = dict(
        db.session.execute(sa.select(Proposal.id, Proposal.cost).where(Proposal.id.in_(budget_ids)))
        .tuples()
        .all()
    )
    bulk_ballots(budget, costs, user_ids, size.ballots, rng, first_id=1)
    lap("other consultations and ballots")
    db.session.execute(
        sa.update(Consultation).values(
            proposals_count=sa.select(sa.func.count(Proposal.id))
            .where(Proposal.consultation_id == Consultation.id, Proposal.status == "published")
            .scalar_subquery()
        )
    )
    _fix_sequences()
    db.session.flush()
    db.session.expire_all()
    budget = db.session.get(Consultation, budget.id)
    close(budget, now=utcnow())  # publishes the results (equal shares on the ballots)
    lap("results")
    add_features(size, cities, user_ids, admin.id, big.id, budget.id, seed)
    _fix_sequences()
    db.session.flush()
    lap("features")
    return World(
        size=size.name,
        city_slug=cities[0].slug,
        big_consultation=big.id,
        hot_proposal=hot,
        budget_consultation=budget.id,
        admin_user=admin.id,
        counts=count_rows(big.id, budget.id),
    )


def add_features(size: Size, cities, user_ids, admin_id, big_id, budget_id, seed=SEED) -> None:
    """The role accounts and the data of the later features (bench/features.py)."""
    from bench import features

    roles = features.role_users(cities[0].id, admin_id)
    features.build(
        size, cities=cities, user_ids=user_ids, roles=roles, budget_id=budget_id, big_id=big_id,
        seed=seed,
    )  # fmt: skip


COUNTED = {
    # What the README's table states, counted from the rows (so the table can be checked).
    "cities": "SELECT count(*) FROM cities",
    "users": "SELECT count(*) FROM users",
    "proposals_big": "SELECT count(*) FROM proposals WHERE consultation_id = :big",
    "supports_big": "SELECT count(*) FROM supports WHERE consultation_id = :big",
    "comments_big": "SELECT count(*) FROM comments c JOIN proposals p ON p.id = c.proposal_id "
    "WHERE p.consultation_id = :big",
    "budget_proposals": "SELECT count(*) FROM proposals WHERE consultation_id = :budget",
    "ballots": "SELECT count(*) FROM ballots WHERE consultation_id = :budget",
    "projects": "SELECT count(*) FROM projects",
    "assessments": "SELECT count(*) FROM proposal_assessments",
    "expenditures": "SELECT count(*) FROM expenditures",
    "meetings": "SELECT count(*) FROM meetings",
    "meeting_registrations": "SELECT count(*) FROM meeting_registrations",
    "questionnaire_answer_sets": "SELECT count(*) FROM questionnaire_answer_sets",
    "manifesto_endorsements": "SELECT count(*) FROM manifesto_endorsements",
    "good_practices": "SELECT count(*) FROM good_practices",
    "step_record_entries": "SELECT count(*) FROM step_record_entries",
}


def count_rows(big_id: int, budget_id: int) -> dict[str, int]:
    from app.extensions import db

    return {
        name: db.session.scalar(sa.text(sql), {"big": big_id, "budget": budget_id})
        for name, sql in COUNTED.items()
    }


def check_counters() -> dict[str, int]:
    """Counters that differ from a recount (all zero when the data is consistent)."""
    from app.extensions import db

    checks = {
        "supports_count": """SELECT count(*) FROM proposals p WHERE p.supports_count <>
            (SELECT count(*) FROM supports s WHERE s.proposal_id = p.id)""",
        "comment_counts": """SELECT count(*) FROM proposals p WHERE
            p.comments_for <> (SELECT count(*) FROM comments c WHERE c.proposal_id = p.id
                               AND c.alignment = 'for' AND c.status = 'published')
            OR p.comments_against <> (SELECT count(*) FROM comments c WHERE c.proposal_id = p.id
                               AND c.alignment = 'against' AND c.status = 'published')
            OR p.comments_neutral <> (SELECT count(*) FROM comments c WHERE c.proposal_id = p.id
                               AND c.alignment = 'neutral' AND c.status = 'published')""",
        "proposals_count": """SELECT count(*) FROM consultations c WHERE c.proposals_count <>
            (SELECT count(*) FROM proposals p WHERE p.consultation_id = c.id
             AND p.status = 'published')""",
        "support_quotas": """SELECT count(*) FROM support_quotas q WHERE q.used <>
            (SELECT count(*) FROM supports s WHERE s.consultation_id = q.consultation_id
             AND s.user_id = q.user_id)""",
        "ballot_totals": """SELECT count(*) FROM ballots b WHERE b.total_cost <>
            (SELECT COALESCE(sum(p.cost), 0) FROM ballot_items i JOIN proposals p
             ON p.id = i.proposal_id WHERE i.ballot_id = b.id)""",
    }
    return {name: db.session.scalar(sa.text(sql)) for name, sql in checks.items()}


# --------------------------------------------------------------------------------------------


def bench_app(url: str, **config):
    """The app on this database, as the benchmarks use it in-process (seeding, counting)."""
    from app import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": config.pop("SECRET_KEY", BENCH_SECRET),
            "RATELIMIT_ENABLED": False,
            "MAIL_OUTBOX": "/tmp/lc-bench-outbox.jsonl",  # noqa: S108
            **config,
        }
    )


BENCH_SECRET = "bench-secret-key-that-is-long-enough-0123456789"  # noqa: S105


def create_schema(app) -> None:
    from app.extensions import db

    with app.app_context():
        db.create_all()
        db.session.commit()


def seed(url: str, size: Size) -> World:
    from bench import loadgen

    loadgen.recreate_database(url)
    app = bench_app(url)
    create_schema(app)
    with app.app_context(), app.test_request_context():
        from app.extensions import db

        world = build(size)
        from app.proposals import search

        search.fill(db.session.connection())  # the bulk-inserted proposals' search documents
        db.session.commit()
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
        bad = check_counters()
        if any(bad.values()):
            raise RuntimeError(f"counters differ from the recount: {bad}")
        db.engine.dispose()
    return world


def find_world(url: str, size: str) -> World:
    """The World of a database built earlier (the same recipe finds the same rows)."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as c:
            q = c.exec_driver_sql
            big = q("SELECT id FROM consultations ORDER BY id LIMIT 1").scalar()
            budget = q(
                "SELECT id FROM consultations WHERE voting_method = 'budget' ORDER BY id LIMIT 1"
            ).scalar()
            hot = q(
                f"SELECT id FROM proposals WHERE consultation_id = {big} ORDER BY "  # noqa: S608
                "comments_for + comments_against + comments_neutral DESC, id LIMIT 1"
            ).scalar()
            slug = q(
                "SELECT c.slug FROM cities c JOIN consultations k ON k.city_id = c.id "  # noqa: S608
                f"WHERE k.id = {big}"
            ).scalar()
            admin = q("SELECT min(id) FROM users").scalar()
    finally:
        engine.dispose()
    return World(size, slug, big, hot, budget, admin, {})


def seed_features(url: str, size: Size) -> World:
    """`add_features` on a database built by the recipe before them."""
    world = find_world(url, size.name)
    app = bench_app(url)
    with app.app_context(), app.test_request_context():
        from app.cities.models import City
        from app.extensions import db

        cities = db.session.scalars(sa.select(City).order_by(City.id)).all()
        user_ids = db.session.scalars(
            sa.text("SELECT id FROM users WHERE email LIKE 'bench%' ORDER BY id")
        ).all()
        add_features(
            size, cities, list(user_ids), world.admin_user, world.big_consultation,
            world.budget_consultation,
        )  # fmt: skip
        _fix_sequences()
        db.session.commit()
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
        world.counts = count_rows(world.big_consultation, world.budget_consultation)
        db.engine.dispose()
    return world


def main(argv: list[str]) -> int:
    from bench import loadgen

    parser = argparse.ArgumentParser(prog="python -m bench data", description=__doc__)
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--database-url", help="PostgreSQL URL (default: a throw-away server)")
    parser.add_argument(
        "--add-features",
        action="store_true",
        help="only add the role accounts and the later features' data (bench/features.py) to a "
        "database built before they existed",
    )
    options = parser.parse_args(argv)
    server = None
    url = options.database_url
    if not url:
        server = loadgen.LocalPostgres(loadgen.BENCH_PGPORT, keep=True)
        server.ensure()
        url = server.url(f"lc_bench_{options.size}")
    start = time.perf_counter()
    if options.add_features:
        world = seed_features(url, SIZES[options.size])
    else:
        world = seed(url, SIZES[options.size])
    print(f"built {options.size} in {time.perf_counter() - start:.0f} s: {asdict(world)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
