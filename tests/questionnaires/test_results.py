"""A questionnaire's results page, its anonymised exports and its part of the result snapshot."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import datetime

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.questionnaires.models import Answer, Question, Questionnaire, QuestionOption
from app.results.services import (
    PAYLOAD_SECTIONS_HOOK,
    canonical_json,
    compute_payload,
    snapshot_of,
    verify,
)
from app.translations.models import Translation
from tests import factories
from tests.consultations.factories import with_phases
from tests.questionnaires.answers import answer
from tests.results.factories import closed, proposal, support

# Question indices of the factory's questionnaire.
SINGLE, MULTIPLE, RANKING, SCALE, TEXT = range(5)


def _people(language: str, n: int, community: str | None = None) -> list:
    people = []
    for _ in range(n):
        person = factories.user(languages=(language, "en"))
        person.community = community
        people.append(person)
    db.session.flush()
    return people


def _answered(world, phase: str = "deliberation"):
    """A consultation past its proposals phase, whose questionnaire was answered during it by
    6 Italian speakers (5 of them of the Al-Nour community), 4 Arabic and 3 Romanian speakers."""
    consultation = with_phases(world.here, phase=phase)
    survey = factories.questionnaire(consultation, answered_during="proposals")
    italians = _people("it", 5, "Al-Nour") + _people("it", 1, "Small")
    arabic = _people("ar", 4, "Small")
    romanian = _people("ro", 3)
    for person in italians:
        answer(
            survey,
            person,
            {SINGLE: 0, MULTIPLE: [0, 1], RANKING: [2, 0, 1], SCALE: 4},
        )
    for person in arabic + romanian:
        answer(survey, person, {SINGLE: 2, MULTIPLE: [3], RANKING: [0], SCALE: 2})
    return consultation, survey, italians, arabic, romanian


def test_results_count_each_kind_and_split_by_language_and_community(client, world):
    consultation, survey, italians, _arabic, _romanian = _answered(world)
    texts = [
        answer(survey, factories.user(languages=("ar",)), {TEXT: ("نريد مقاعد في الظل", "ar")}),
        answer(survey, factories.user(), {TEXT: ("Più luce la sera", "it")}),
    ]
    text_answer = texts[0].answers[0]
    db.session.add(
        Translation(
            kind="questionnaire_answer",
            item_id=text_answer.id,
            language="en",
            source_language="ar",
            fields={"text": "We want benches in the shade"},
            origin="machine",
            status="published",
            version=1,
            engine="test",
        )
    )
    db.session.flush()
    page = client.get(f"/consultations/{consultation.id}/questionnaire/results")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "15 people answered." in html
    # Single choice: 6 of 13 chose the first option (46.2%), 7 the third.
    assert "46.2%" in html
    assert "53.8%" in html
    # Ranking: the Borda rule is stated; the third option ranked first 6 times (2 points each).
    assert "Borda count" in html
    # Scale: 6 answered 4 and 7 answered 2.
    assert "Mean: 2.92. Median: 2." in html
    # Language groups: Italian (6) shown; Arabic (4) and Romanian (3) only together as "other".
    assert "Italian" in html
    assert "other languages (fewer than 5 people each)" in html
    assert '<th scope="row">Arabic' not in html
    # Communities: Al-Nour (5) shown; "Small" (5 people too: 1 Italian, 4 Arabic) shown too.
    assert "Al-Nour" in html
    # Free text: the Arabic answer read in English, labelled a machine's, the original at hand.
    assert "We want benches in the shade" in html
    assert "Translated from Arabic by machine" in html
    assert "نريد مقاعد في الظل" in html
    assert "Più luce la sera" in html
    # The free-text question is never split by group.
    assert "Question 5 by language group" not in html
    assert italians[0].display_name not in html


def test_small_communities_and_questions_with_few_answers_are_not_split(client, world):
    consultation = with_phases(world.here, phase="deliberation")
    survey = factories.questionnaire(consultation, answered_during="proposals")
    for person in _people("it", 4, "Tiny") + _people("ar", 1):
        answer(survey, person, {SINGLE: 0, SCALE: 3})
    for person in _people("it", 3):
        answer(survey, person, {SCALE: 5})
    html = client.get(f"/consultations/{consultation.id}/questionnaire/results").get_data(
        as_text=True
    )
    # Question 1: 5 answers, the minimum: split, but the community of 4 is not shown.
    assert "Question 1 by language group" in html
    assert "Question 1 by community" not in html
    assert "Tiny" not in html
    # Question 2 (multiple): nobody answered: not split.
    assert "Fewer than 5 people answered this question" in html
    assert "Question 2 by language group" not in html


def test_results_and_exports_wait_for_the_end_of_answering(client, world, login_as):
    consultation = with_phases(world.here, phase="proposals")
    survey = factories.questionnaire(consultation, answered_during="proposals")
    answer(survey, world.users["citizen"], {SINGLE: 0})
    results_url = f"/consultations/{consultation.id}/questionnaire/results"
    page = client.get(results_url)
    assert page.status_code == 200
    assert "published when answering ends" in page.get_data(as_text=True)
    assert "1 person answered" not in page.get_data(as_text=True)
    assert client.get(
        f"/consultations/{consultation.id}/questionnaire/answers.csv"
    ).status_code == (404)
    for visitor in ("moderator_here", "observer", "admin"):
        login_as(visitor)
        html = client.get(results_url).get_data(as_text=True)
        assert "1 person answered." in html
        assert "Answering is still open" in html
    login_as("moderator_elsewhere")
    assert "1 person answered" not in client.get(results_url).get_data(as_text=True)
    # No questionnaire: no results page.
    other = with_phases(world.here, phase="deliberation")
    assert client.get(f"/consultations/{other.id}/questionnaire/results").status_code == 404


def test_exports_are_anonymous_and_spreadsheet_safe(client, world):
    consultation = with_phases(world.here, phase="deliberation")
    survey = factories.questionnaire(consultation, answered_during="proposals")
    person = factories.user(name="Ilaria Unica", languages=("it",))
    person.community = "Comunità Segreta"
    answer(
        survey,
        person,
        {
            SINGLE: 1,
            MULTIPLE: [3, 0],
            RANKING: [1, 2, 0],
            SCALE: 4,
            TEXT: ('=HYPERLINK("http://evil")', "it"),
        },
        respondent=424242,
    )
    response = client.get(f"/consultations/{consultation.id}/questionnaire/answers.csv")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["respondent", "question", "kind", "options", "scale", "text", "language"]
    assert rows[1:] == [
        ["424242", "1", "single", "2", "", "", ""],
        ["424242", "2", "multiple", "1 4", "", "", ""],
        ["424242", "3", "ranking", "2 3 1", "", "", ""],
        ["424242", "4", "scale", "", "4", "", ""],
        ["424242", "5", "text", "", "", '\'=HYPERLINK("http://evil")', "it"],
    ]
    exported = client.get(f"/consultations/{consultation.id}/questionnaire/answers.json")
    body = exported.get_data(as_text=True)
    assert hashlib.sha256(exported.data).hexdigest() == exported.headers["X-Answers-SHA256"]
    document = json.loads(body)
    assert {key for row in document["answers"] for key in row} == {
        "respondent",
        "question",
        "kind",
        "options",
        "scale",
        "text",
        "language",
    }
    for leak in (str(person.id), "Ilaria", "Comunità", person.email, str(datetime.now().year)):
        assert leak not in text
        if leak != str(person.id):
            assert leak not in body


def test_the_snapshot_covers_the_questionnaire(client, world):
    consultation = with_phases(world.here, phase="voting")
    survey = factories.questionnaire(consultation, answered_during="proposals")
    item = proposal(consultation, "Panchine")
    support(consultation, item)
    people = _people("it", 5)
    sets = [answer(survey, person, {SINGLE: 0, SCALE: 3}) for person in people]
    before = compute_payload(consultation, consultation.ends_at, minimum_group_size=5)
    section = before["questionnaire"]
    assert section["respondents"] == 5
    assert section["questions"][0]["figures"] == {
        "respondents": 5,
        "counts": {"1": 5, "2": 0, "3": 0},
    }
    assert section["questions"][0]["by_language"] == {
        "it": {"respondents": 5, "counts": {"1": 5, "2": 0, "3": 0}}
    }
    assert section["questions"][4]["by_language"] is None  # free text: never split
    # The digest is the JSON export's, byte for byte; an answer changed changes it.
    exported = client.get(f"/consultations/{consultation.id}/questionnaire/answers.json")
    assert hashlib.sha256(exported.data).hexdigest() == section["answers_sha256"]
    sets[0].answers[1].scale = 1
    db.session.flush()
    after = compute_payload(consultation, consultation.ends_at, minimum_group_size=5)
    assert after["questionnaire"]["answers_sha256"] != section["answers_sha256"]
    closed(consultation)
    snapshot = snapshot_of(consultation)
    stored = json.loads(snapshot.canonical_json)
    assert stored["questionnaire"]["answers_sha256"] == after["questionnaire"]["answers_sha256"]
    assert verify(consultation)[0]
    html = client.get(f"/consultations/{consultation.id}/results").get_data(as_text=True)
    assert f"/consultations/{consultation.id}/questionnaire/results" in html
    assert f"/consultations/{consultation.id}/questionnaire/answers.json" in html


def test_a_snapshot_without_questionnaire_is_unchanged(app, world):
    consultation = with_phases(world.here, phase="voting")
    item = proposal(consultation, "Panchine")
    support(consultation, item)
    closed_at = consultation.ends_at
    hooks = app.extensions["lc_hooks"]
    assert hooks[PAYLOAD_SECTIONS_HOOK]
    with_hooks = canonical_json(compute_payload(consultation, closed_at))
    saved = hooks.pop(PAYLOAD_SECTIONS_HOOK)
    try:
        without = canonical_json(compute_payload(consultation, closed_at))
    finally:
        hooks[PAYLOAD_SECTIONS_HOOK] = saved
    assert with_hooks == without
    assert set(json.loads(with_hooks)) == {
        "method",
        "rule",
        "tie_breaking",
        "threshold",
        "support_limit",
        "ranking",
        "winners",
        "participation",
        "observatory",
        "consultation",
        "city",
        "title",
        "closed_at",
    }


def _survey_of(consultation, questions: int) -> Questionnaire:
    survey = Questionnaire(
        consultation_id=consultation.id,
        title="Domande",
        language="it",
        answered_during="proposals",
    )
    kinds = ("text", "single", "ranking", "multiple", "scale")
    for position in range(questions):
        kind = kinds[position % len(kinds)]
        question = Question(position=position, kind=kind, text=f"Domanda {position}", language="it")
        if kind in ("single", "multiple", "ranking"):
            question.options = [
                QuestionOption(position=n, text=f"Opzione {n}", language="it") for n in range(3)
            ]
        survey.questions.append(question)
    db.session.add(survey)
    db.session.flush()
    return survey


def _answer_all(survey, people):
    for index, person in enumerate(people):
        given = {}
        for n, question in enumerate(survey.questions):
            given[n] = {
                "single": index % 3,
                "multiple": sorted({0, index % 3}),
                "ranking": [index % 3, (index + 1) % 3],
                "scale": 1 + index % 5,
                "text": (f"Risposta {index}", "it" if index % 2 else "ar"),
            }[question.kind]
        answer(survey, person, given)


@pytest.mark.parametrize("visitor", ["anonymous", "moderator_here"])
def test_results_page_statements_do_not_grow(client, world, login_as, count_queries, visitor):
    small = with_phases(world.here, phase="deliberation")
    large = with_phases(world.here, phase="deliberation")
    _answer_all(_survey_of(small, 3), _people("it", 3) + _people("ar", 2))
    _answer_all(_survey_of(large, 12), _people("it", 20) + _people("ar", 12) + _people("ro", 8))
    login_as(visitor)
    counts = []
    for consultation in (small, large):
        url = f"/consultations/{consultation.id}/questionnaire/results"
        assert client.get(url).status_code == 200
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


def test_free_text_answers_are_translated_only_once_results_are_public(client, world, login_as):
    """The translation pages open a free-text answer only when everyone may read it: with the
    results, once answering has ended; a chosen option is no text to translate."""
    consultation = with_phases(world.here, phase="proposals")
    survey = factories.questionnaire(consultation, answered_during="proposals")
    answer(survey, world.users["citizen"], {SINGLE: 1, TEXT: ("Più panchine, per favore", "it")})
    rows = db.session.scalars(
        sa.select(Answer).where(Answer.question_id.in_([q.id for q in survey.questions]))
    ).all()
    text = next(row for row in rows if row.text)
    choice = next(row for row in rows if row.option_id)
    login_as("organisation")
    assert client.get(f"/translations/questionnaire_answer/{text.id}/history").status_code == 404
    closed_now = with_phases(world.here, phase="deliberation")
    survey.consultation_id = closed_now.id
    db.session.flush()
    db.session.expire_all()
    assert client.get(f"/translations/questionnaire_answer/{text.id}/history").status_code == 200
    assert client.get(f"/translations/questionnaire_answer/{choice.id}/history").status_code == 404
