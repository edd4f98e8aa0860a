"""Schemathesis runs every operation of /api/openapi.json in process, on the test database with
cities, consultations, proposals in several languages, translations, hidden items and records:
no server error, every status, header and body as the document says. Each operation's cases
run twice: with the generated path values (mostly unknown: 404 problems) and with real ones."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from app.db_types import utcnow
from app.extensions import db
from app.pathway.records import append_entry
from app.results.models import MunicipalResponse
from tests import factories
from tests.conftest import arranged_on, build_world
from tests.consultations.factories import with_phases
from tests.manifesto.factories import version
from tests.operators.factories import operator
from tests.practices.factories import practice
from tests.proposals import factories as pf
from tests.results.factories import budget_consultation, cast, closed
from tests.translations.factories import translation

pytestmark = pytest.mark.usefixtures("_module_connection")

# Each operation's cases, bounded: the whole test stays near 20 s per database.
EXAMPLES = 6


@pytest.fixture(scope="module")
def real_values(app, _module_connection) -> dict[str, object]:
    """Rows of every kind the API shows, written once for the module."""
    with arranged_on(app, _module_connection):
        world = build_world()
        citizen, member = world.users["citizen"], world.users["organisation"]
        consultation = with_phases(world.here, phase="deliberation")
        shown = pf.proposal(consultation, citizen)
        translation(shown, "en", translator=member)
        translation(shown, "ar", origin="machine")
        arabic = pf.proposal(consultation, member, title="مكتبة", body="كتب للجميع", language="ar")
        hidden = pf.proposal(consultation, member, title="Nascosta")
        hidden.hidden_at = utcnow()
        pf.comment(shown, member)
        reply = pf.comment(arabic, citizen, body="Bene", language="it")
        pf.comment(arabic, member, body="Grazie", parent=reply)
        db.session.add(
            MunicipalResponse(
                proposal=shown, status="evaluating", body="Ci pensiamo", language="it"
            )
        )
        step = next(s for s in world.here.steps if s.step.position == 8)
        entry = append_entry(step, "note", language="it", title="Nota", body="Testo")
        translation(entry, "fr", origin="machine")
        # Results, the Manifesto, good practices, operators, meetings (helper api2).
        voted, (a, b, _c) = budget_consultation(world.here)
        cast(voted, [a, b], language="ar")
        closed(voted)
        good = practice(city=world.here)
        translation(good, "fr", origin="machine")
        meeting = factories.meeting(world.here, consultation=consultation)
        translation(meeting, "en", translator=member)
        values = {
            "slug": world.here.slug,
            "position": 8,
            "consultation_id": consultation.id,
            "proposal_id": shown.id,
            "practice_id": good.id,
            "operator_id": operator(worked=((world.here, 4, 2024),), practices=(good,)).id,
            "meeting_id": meeting.id,
            "number": version().number,
            # Operations whose real value is another row than the others'.
            "by_path": {
                "/api/v1/consultations/{consultation_id}/results": {"consultation_id": voted.id},
                "/api/v1/consultations/{consultation_id}/results/snapshot": {
                    "consultation_id": voted.id
                },
            },
        }
    return values


def _statuses(operation, real_values: dict[str, object]) -> set[int]:
    """Run one operation's cases; the statuses it answered."""
    statuses: set[int] = set()

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        # No shrinking: a failure is shown as found (the test is about finding one at all).
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def answers(case):
        # A cursor is opaque: one the API did not give is refused (400) though it is a string
        # as the document says.
        excluded = [positive_data_acceptance] if "cursor" in (case.query or {}) else []
        statuses.add(case.call_and_validate(excluded_checks=excluded).status_code)
        if case.path_parameters:
            real = {**real_values, **real_values["by_path"].get(operation.path, {})}
            case.path_parameters = {name: real[name] for name in case.path_parameters}
            statuses.add(case.call_and_validate(excluded_checks=excluded).status_code)

    answers()
    return statuses


def test_every_operation_answers_as_documented(app, real_values):
    # Loaded inside the test: schemathesis' own pytest fixture loader does not run on pytest 9.
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 11
    for operation in operations:
        statuses = _statuses(operation, real_values)
        if operation.path.startswith("/api/v1/observatory"):
            # The association's figures: a session of the site only (schemathesis has none).
            assert 401 in statuses, operation.label
            assert 200 not in statuses, operation.label
            continue
        # The real rows were reached, not only refusals.
        assert 200 in statuses, operation.label
