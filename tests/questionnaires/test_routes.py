"""The questionnaire pages: answering without JavaScript (messages next to the questions, the
form keeping what was typed), editing and withdrawing answers, the editor (frozen questions,
the missing phase), the consultation page's panel, and the answer page's query count."""

from __future__ import annotations

import re

import sqlalchemy as sa

from app.extensions import db
from app.questionnaires import services
from app.questionnaires.models import AnswerSet, Question, Questionnaire, QuestionOption
from tests import factories
from tests.conftest import log_in
from tests.consultations.factories import with_phases


def _survey(world, **settings):
    consultation = with_phases(world.here, phase=settings.pop("phase", "questionnaire"), **settings)
    return consultation, factories.questionnaire(consultation)


def _url(consultation, tail=""):
    return f"/consultations/{consultation.id}/questionnaire{tail}"


def _complete(survey):
    single, multiple, ranking, scale, text = survey.questions
    data = {
        f"q{single.id}": str(single.options[1].id),
        f"q{multiple.id}": [str(multiple.options[0].id), str(multiple.options[3].id)],
        f"q{scale.id}": "4",
        f"q{text.id}": "Più panchine, per favore",
        "language": "it",
    }
    for option, rank in zip(ranking.options, ("3", "1", "2"), strict=True):
        data[f"q{ranking.id}-o{option.id}"] = rank
    return data


def _minimal(survey):
    """The mandatory answers only (the factory's single choice and scale)."""
    single, scale = survey.questions[0], survey.questions[3]
    return {f"q{single.id}": [str(single.options[0].id)], f"q{scale.id}": ["2"]}


def _sets(survey):
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(AnswerSet)
        .where(AnswerSet.questionnaire_id == survey.id)
    )


def test_answering_without_javascript(client, world):
    consultation, survey = _survey(world)
    log_in(client, world.users["citizen"])
    page = client.get(_url(consultation)).get_data(as_text=True)
    for question in survey.questions:
        assert f'id="question-{question.id}"' in page
    assert 'type="radio"' in page
    assert 'type="checkbox"' in page
    assert "<select" in page
    assert "(not at all)" in page
    assert "(completely)" in page
    assert "novalidate" in page

    # A mandatory question left empty: its message next to it, the rest kept as typed.
    single, multiple, *_rest, scale, text = survey.questions
    data = {**_complete(survey), f"q{single.id}": ""}
    response = client.post(_url(consultation), data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'class="error-summary"' in page
    assert f'id="q{single.id}-error"' in page
    assert f'aria-describedby="q{single.id}-error"' in page
    assert "This question needs an answer." in page
    assert "Più panchine, per favore" in page
    assert re.search(rf'value="{multiple.options[3].id}"\s+checked', page)
    assert _sets(survey) == 0

    response = client.post(_url(consultation), data=_complete(survey))
    assert response.status_code == 302
    # A second submit of the same form: saved again, never a 500 nor a second set.
    assert client.post(_url(consultation), data=_complete(survey)).status_code == 302
    assert _sets(survey) == 1
    assert db.session.get(Questionnaire, survey.id).answers_count == 1
    page = client.get(_url(consultation)).get_data(as_text=True)
    assert "You have answered" in page
    assert re.search(rf'value="{single.options[1].id}"\s+checked', page)
    assert re.search(r'value="4"\s+checked', page)
    assert "Delete my answers" in page

    assert client.post(_url(consultation, "/withdraw")).status_code == 302
    assert _sets(survey) == 0
    assert db.session.get(Questionnaire, survey.id).answers_count == 0


def test_too_many_choices_and_tampered_options_are_refused(client, world):
    consultation, survey = _survey(world)
    other = factories.questionnaire(with_phases(world.elsewhere, phase="questionnaire"))
    log_in(client, world.users["citizen"])
    multiple = survey.questions[1]
    for choices in (
        [str(o.id) for o in multiple.options[:3]],
        [str(other.questions[1].options[0].id)],
    ):
        response = client.post(
            _url(consultation), data={**_complete(survey), f"q{multiple.id}": choices}
        )
        assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Choose one of the options shown." in page
    assert _sets(survey) == 0


def test_refused_visitors_see_why_and_change_nothing(client, world):
    consultation, survey = _survey(world, phase="proposals", questionnaire=True)
    page = client.get(_url(consultation)).get_data(as_text=True)
    assert "The questionnaire is not open for answers now." in page
    assert "disabled" in page
    log_in(client, world.users["citizen"])
    response = client.post(_url(consultation), data=_complete(survey))
    assert response.status_code == 302
    assert _sets(survey) == 0
    unconfirmed = factories.user(confirmed=False)
    open_consultation, open_survey = _survey(world)
    log_in(client, unconfirmed)
    assert client.post(_url(open_consultation), data=_complete(open_survey)).status_code == 302
    assert _sets(open_survey) == 0
    client.post("/account/logout")
    log_in(client, None)
    response = client.post(_url(open_consultation), data=_complete(open_survey))
    assert "/account/login" in response.headers["Location"]


def test_the_editor(client, world):
    consultation = with_phases(world.here, phase="information")
    log_in(client, world.users["moderator_here"])
    page = client.get(_url(consultation, "/edit")).get_data(as_text=True)
    assert "Create the questionnaire" in page
    response = client.post(
        _url(consultation, "/edit"),
        data={"title": "", "intro": "", "language": "it", "answered_during": "questionnaire"},
    )
    assert response.status_code == 422
    assert "Enter a title." in response.get_data(as_text=True)
    assert services.questionnaire_of(consultation) is None
    client.post(
        _url(consultation, "/edit"),
        data={
            "title": "Il quartiere",
            "intro": "",
            "language": "it",
            "answered_during": "questionnaire",
        },
    )
    survey = services.questionnaire_of(consultation)
    assert survey.title == "Il quartiere"
    page = client.get(_url(consultation, "/edit")).get_data(as_text=True)
    assert "has no questionnaire phase" in page

    bad = client.post(
        _url(consultation, "/questions/new"),
        data={"kind": "multiple", "text": "Quali?", "options": "Uno\nDue", "max_choices": "3"},
    )
    assert bad.status_code == 422
    assert "The maximum must be between 1 and the number of options." in bad.get_data(as_text=True)
    bad = client.post(
        _url(consultation, "/questions/new"),
        data={"kind": "single", "text": "Quale?", "options": "Uno"},
    )
    assert "Give at least two options, one per line." in bad.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Question)) == 0
    for text in ("Prima?", "Seconda?"):
        client.post(
            _url(consultation, "/questions/new"),
            data={"kind": "single", "text": text, "options": "Sì\n\nNo\n", "mandatory": "y"},
        )
    db.session.expire_all()
    survey = db.session.get(Questionnaire, survey.id)
    assert [q.text for q in survey.questions] == ["Prima?", "Seconda?"]
    assert [o.text for o in survey.questions[0].options] == ["Sì", "No"]
    second = survey.questions[1]
    client.post(_url(consultation, f"/questions/{second.id}/move"), data={"direction": "up"})
    db.session.expire_all()
    assert [q.text for q in db.session.get(Questionnaire, survey.id).questions] == [
        "Seconda?",
        "Prima?",
    ]
    page = client.get(_url(consultation, f"/questions/{second.id}/edit")).get_data(as_text=True)
    assert "Sì\nNo" in page


def test_questions_are_frozen_after_the_first_answer(client, world):
    consultation, survey = _survey(world)
    services.save_answers(
        consultation,
        survey,
        world.users["citizen"],
        _minimal(survey),
        language="it",
    )
    log_in(client, world.users["moderator_here"])
    page = client.get(_url(consultation, "/edit")).get_data(as_text=True)
    assert "can no longer change" in page
    assert "Add a question" not in page
    question = survey.questions[0]
    client.post(_url(consultation, f"/questions/{question.id}/delete"))
    client.post(
        _url(consultation, f"/questions/{question.id}/edit"),
        data={"kind": "single", "text": "Cambiata?", "options": "A\nB"},
    )
    client.post(_url(consultation, "/questions/new"), data={"kind": "scale", "text": "Nuova?"})
    db.session.expire_all()
    assert db.session.get(Question, question.id).text == "Da quanto tempo vivi nel quartiere?"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(QuestionOption)) == 10
    assert len(db.session.get(Questionnaire, survey.id).questions) == 5
    # The title stays editable.
    client.post(
        _url(consultation, "/edit"),
        data={
            "title": "Nuovo titolo",
            "intro": "",
            "language": "it",
            "answered_during": "questionnaire",
        },
    )
    assert db.session.get(Questionnaire, survey.id).title == "Nuovo titolo"


def test_the_consultation_page_panel(client, world):
    consultation, survey = _survey(world)
    page = client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert "Com&#39;è la vita nel quartiere?" in page or "Com'è la vita nel quartiere?" in page
    assert "0 people answered" in page
    assert "Log in to answer the questionnaire." in page
    log_in(client, world.users["citizen"])
    page = client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert "You have not answered yet." in page
    assert "Answer the questionnaire" in page
    assert "Edit the questionnaire" not in page
    services.save_answers(
        consultation,
        survey,
        world.users["citizen"],
        _minimal(survey),
        language="it",
    )
    page = client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert "1 person answered" in page
    assert "Change your answers" in page
    log_in(client, world.users["moderator_here"])
    page = client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert "Edit the questionnaire" in page
    bare = with_phases(world.here)
    assert "Add a questionnaire" in client.get(f"/consultations/{bare.id}").get_data(as_text=True)
    log_in(client, world.users["citizen"])
    assert "Questionnaire" not in client.get(f"/consultations/{bare.id}").get_data(as_text=True)


def _grow(survey, count):
    for position in range(len(survey.questions), count):
        kind = ("single", "multiple", "ranking", "scale", "text")[position % 5]
        question = Question(
            position=position,
            kind=kind,
            text=f"Domanda {position}",
            language="it",
            max_choices=2 if kind == "multiple" else None,
        )
        if kind in ("single", "multiple", "ranking"):
            question.options = [
                QuestionOption(position=n, text=f"Opzione {n}", language="it") for n in range(3)
            ]
        survey.questions.append(question)
    db.session.flush()


def test_the_answer_page_runs_as_many_queries_for_3_as_for_12_questions(
    client, world, count_queries
):
    counts = []
    for size in (3, 12):
        consultation, survey = _survey(world)
        if size < 5:
            for question in survey.questions[size:]:
                db.session.delete(question)
            db.session.flush()
        _grow(survey, size)
        db.session.expire_all()
        log_in(client, world.users["citizen"])
        client.get(_url(consultation))  # the first visit may announce the phase
        with count_queries() as statements:
            assert client.get(_url(consultation)).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]
