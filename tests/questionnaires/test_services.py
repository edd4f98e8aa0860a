"""Building and answering a questionnaire through the services: refusals change nothing,
saving replaces, the counter follows, questions freeze at the first answer, audit entries."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.consultations import services as consultations
from app.db_types import utcnow
from app.extensions import db
from app.privacy.services import delete_account
from app.questionnaires import services
from app.questionnaires.models import Answer, AnswerSet, Question, Questionnaire
from app.translations.kinds import KINDS, kind_of
from tests import factories
from tests.consultations.factories import with_phases
from tests.moderation import factories as mf


def _survey(world, *, phase="questionnaire", answered_during="questionnaire", **settings):
    consultation = with_phases(world.here, phase=phase, questionnaire=True, **settings)
    return consultation, factories.questionnaire(consultation, answered_during=answered_during)


def _form(survey, *, single=0, multiple=(0, 2), ranks=(2, 1, 3), scale="4", text="Più luce"):
    single_q, multiple_q, ranking_q, scale_q, text_q = survey.questions
    form = {
        f"q{single_q.id}": [str(single_q.options[single].id)] if single is not None else [],
        f"q{multiple_q.id}": [str(multiple_q.options[n].id) for n in multiple],
        f"q{scale_q.id}": [scale],
        f"q{text_q.id}": [text],
    }
    for option, rank in zip(ranking_q.options, ranks, strict=True):
        form[f"q{ranking_q.id}-o{option.id}"] = [str(rank) if rank else ""]
    return form


def _rows(survey):
    return db.session.execute(
        sa.select(Answer.question_id, Answer.option_id, Answer.rank, Answer.scale, Answer.text)
        .join(AnswerSet)
        .where(AnswerSet.questionnaire_id == survey.id)
        .order_by(Answer.question_id, Answer.option_id)
    ).all()


def _count(survey):
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(AnswerSet)
        .where(AnswerSet.questionnaire_id == survey.id)
    )


def test_answers_are_saved_then_replaced_keeping_the_respondent(world):
    consultation, survey = _survey(world)
    person = world.users["citizen"]
    assert services.save_answers(consultation, survey, person, _form(survey), language="it")
    first = db.session.scalar(sa.select(AnswerSet).where(AnswerSet.user_id == person.id))
    respondent, created = first.respondent, first.created_at
    assert len(_rows(survey)) == 1 + 2 + 3 + 1 + 1
    assert survey.answers_count == 1
    text_answer = db.session.scalar(sa.select(Answer).where(Answer.text.is_not(None)))
    assert (text_answer.text, text_answer.language) == ("Più luce", "it")

    again = _form(survey, single=2, multiple=(1,), ranks=(None, 1, None), scale="1", text="")
    assert not services.save_answers(consultation, survey, person, again, language="fr")
    rows = _rows(survey)
    single_q, multiple_q, ranking_q, scale_q, _text_q = survey.questions
    assert rows == sorted(
        [
            (single_q.id, single_q.options[2].id, None, None, None),
            (multiple_q.id, multiple_q.options[1].id, None, None, None),
            (ranking_q.id, ranking_q.options[1].id, 1, None, None),
            (scale_q.id, None, None, 1, None),
        ]
    )
    db.session.expire_all()
    kept = db.session.scalar(sa.select(AnswerSet).where(AnswerSet.user_id == person.id))
    assert (kept.respondent, kept.created_at) == (respondent, created)
    assert db.session.get(Questionnaire, survey.id).answers_count == 1 == _count(survey)


def test_the_counter_follows_answers_withdrawals_and_deleted_accounts(world):
    consultation, survey = _survey(world)
    people = [factories.user() for _ in range(3)]
    for person in people:
        services.save_answers(consultation, survey, person, _form(survey), language="it")
    assert survey.answers_count == 3 == _count(survey)
    assert services.withdraw_answers(consultation, survey, people[0])
    assert not services.withdraw_answers(consultation, survey, people[0])
    assert survey.answers_count == 2 == _count(survey)
    # A deleted account is a tombstone: its answers stay counted, linked to no one.
    delete_account(people[1], now=utcnow())
    db.session.expire_all()
    assert db.session.get(Questionnaire, survey.id).answers_count == 2 == _count(survey)


def _refused(call, reason):
    with pytest.raises(services.Refused) as refused:
        call()
    assert refused.value.reason == reason
    return refused.value


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"single": None}, "mandatory"),
        ({"multiple": (0, 1, 2)}, "too_many"),
        ({"ranks": (1, 1, 2)}, "duplicate_rank"),
        ({"scale": "0"}, "scale_range"),
        ({"scale": "6"}, "scale_range"),
        ({"scale": ""}, "mandatory"),
    ],
)
def test_a_wrong_answer_changes_nothing(world, change, problem):
    consultation, survey = _survey(world)
    person = world.users["citizen"]
    services.save_answers(consultation, survey, person, _form(survey), language="it")
    before = _rows(survey)
    refusal = _refused(
        lambda: services.save_answers(
            consultation, survey, person, _form(survey, **change), language="it"
        ),
        "invalid",
    )
    assert problem in refusal.problems.values()
    assert _rows(survey) == before
    assert survey.answers_count == 1


def test_tampered_option_ids_are_refused(world):
    consultation, survey = _survey(world)
    other_consultation = with_phases(world.elsewhere, phase="questionnaire")
    other = factories.questionnaire(other_consultation)
    single_q, multiple_q = survey.questions[:2]
    for foreign in (multiple_q.options[0].id, other.questions[0].options[0].id):
        form = {**_form(survey), f"q{single_q.id}": [str(foreign)]}
        refusal = _refused(
            lambda form=form: services.save_answers(
                consultation, survey, world.users["citizen"], form, language="it"
            ),
            "invalid",
        )
        assert refusal.problems == {single_q.id: "unknown_option"}
    assert _count(survey) == 0
    assert survey.answers_count == 0


def test_an_empty_answer_set_is_refused(world):
    consultation = with_phases(world.here, phase="questionnaire")
    survey = factories.questionnaire(consultation)
    for question in survey.questions:
        question.mandatory = False
    db.session.flush()
    _refused(
        lambda: services.save_answers(
            consultation, survey, world.users["citizen"], {}, language="it"
        ),
        "empty",
    )


def test_who_may_answer(world):
    consultation, survey = _survey(world, participation="residents")
    person = world.users["citizen"]
    form = _form(survey)
    _refused(
        lambda: services.save_answers(consultation, survey, person, form, language="it"),
        "not_resident",
    )
    consultations.confirm_resident(world.here, person, by=world.users["moderator_here"])
    unconfirmed = factories.user(confirmed=False)
    consultations.confirm_resident(world.here, unconfirmed, by=world.users["moderator_here"])
    _refused(
        lambda: services.save_answers(consultation, survey, unconfirmed, form, language="it"),
        "confirm_email",
    )
    mf.block(world.users["moderator_here"], person, world.here)
    _refused(
        lambda: services.save_answers(consultation, survey, person, form, language="it"), "blocked"
    )
    _refused(lambda: services.withdraw_answers(consultation, survey, person), "blocked")
    assert services.answer_refusal(None, consultation, survey) == "sign_in"
    assert _count(survey) == 0


@pytest.mark.parametrize(
    ("phase", "answered_during", "open_"),
    [
        ("questionnaire", "questionnaire", True),
        ("proposals", "questionnaire", False),
        ("information", "questionnaire", False),
        ("proposals", "proposals", True),
        ("deliberation", "proposals", False),
    ],
)
def test_answers_follow_the_phase(world, phase, answered_during, open_):
    consultation, survey = _survey(world, phase=phase, answered_during=answered_during)
    call = lambda: services.save_answers(  # noqa: E731
        consultation, survey, world.users["citizen"], _form(survey), language="it"
    )
    if open_:
        assert call()
    else:
        _refused(call, "phase")
        assert _count(survey) == 0


def test_a_closed_consultation_takes_no_answers(world):
    consultation, survey = _survey(world)
    consultations.close(consultation, by=world.users["moderator_here"])
    _refused(
        lambda: services.save_answers(
            consultation, survey, world.users["citizen"], _form(survey), language="it"
        ),
        "phase",
    )


def _question(kind="single", options=("Sì", "No"), **extra):
    return services.QuestionData(
        kind=kind,
        text=extra.get("text", "Ti piace?"),
        help="",
        mandatory=extra.get("mandatory", False),
        max_choices=extra.get("max_choices"),
        options=list(options),
    )


def test_building_and_freezing(world):
    consultation = with_phases(world.here, phase="questionnaire")
    moderator = world.users["moderator_here"]
    survey = services.create_questionnaire(
        consultation,
        title="Il quartiere",
        intro="",
        language="it",
        answered_during="questionnaire",
        by=moderator,
    )
    _refused(
        lambda: services.create_questionnaire(
            consultation,
            title="Altro",
            intro="",
            language="it",
            answered_during="questionnaire",
            by=moderator,
        ),
        "exists",
    )
    first = services.add_question(survey, _question(), by=moderator)
    second = services.add_question(survey, _question("scale", (), text="Quanto?"), by=moderator)
    _refused(
        lambda: services.add_question(survey, _question(options=("Sì",)), by=moderator),
        "few_options",
    )
    _refused(
        lambda: services.add_question(
            survey, _question("multiple", ("a", "b"), max_choices=3), by=moderator
        ),
        "max_choices",
    )
    assert services.move_question(second, "up", by=moderator)
    assert not services.move_question(second, "up", by=moderator)
    db.session.expire_all()
    survey = db.session.get(Questionnaire, survey.id)
    assert [q.text for q in survey.questions] == ["Quanto?", "Ti piace?"]
    first = db.session.get(Question, first.id)
    option_ids = [o.id for o in first.options]
    services.edit_question(first, _question(options=("Sì", "Forse", "No")), by=moderator)
    assert [o.text for o in first.options] == ["Sì", "Forse", "No"]
    assert first.options[0].id == option_ids[0]
    assert first.options[2].id == option_ids[1]

    services.save_answers(
        consultation,
        survey,
        world.users["citizen"],
        {f"q{first.id}": [str(first.options[0].id)]},
        language="it",
    )
    for change in (
        lambda: services.add_question(survey, _question(), by=moderator),
        lambda: services.edit_question(first, _question(), by=moderator),
        lambda: services.delete_question(first, by=moderator),
        lambda: services.move_question(first, "down", by=moderator),
        lambda: services.update_questionnaire(
            survey,
            title="Nuovo",
            intro="",
            language="it",
            answered_during="proposals",
            by=moderator,
        ),
    ):
        _refused(change, "frozen")
    assert len(db.session.get(Questionnaire, survey.id).questions) == 2
    services.update_questionnaire(
        survey,
        title="Nuovo titolo",
        intro="Due domande",
        language="it",
        answered_during="questionnaire",
        by=moderator,
    )
    assert survey.title == "Nuovo titolo"
    actions = db.session.scalars(
        sa.select(AuditEntry.action).where(AuditEntry.target_type == "questionnaire")
    ).all()
    assert sorted(set(actions)) == [
        "questionnaires.created",
        "questionnaires.edited",
        "questionnaires.questions_changed",
    ]
    assert actions.count("questionnaires.questions_changed") == 4


def test_the_texts_are_translatable_kinds(world):
    _consultation, survey = _survey(world)
    question = survey.questions[0]
    assert kind_of(survey).name == "questionnaire"
    assert kind_of(question).name == "question"
    assert kind_of(question.options[0]).name == "question_option"
    assert KINDS["questionnaire_answer"].fields == ("text",)
    for name in ("questionnaire", "question", "question_option"):
        kind = KINDS[name]
        assert kind.author_attr is None
        item_id = {"questionnaire": survey.id, "question": question.id}.get(
            name, question.options[0].id
        )
        assert db.session.execute(kind.city_ids([item_id])).all() == [(item_id, world.here.id)]
