"""The demo's questionnaire: Bologna asked the people of the Bolognina six questions about
Piazza dell'Unità while proposals were open, in Italian with people's translations of every
question and option into English, French and Arabic. 26 people answered: Italian, Arabic and
Romanian speakers in groups large enough to be shown on their own; Albanian, Chinese and
English speakers too few each, shown only together as "other languages". Free-text answers in
six languages, some translated by the city's moderator, one by machine.

Answered before the consultation closes (called by app/demo/consultations.py just before the
close), each answer dated inside the proposals phase, so the result snapshot taken at the
close covers the answers (its digest of the anonymised answers export). Runs only in the seed
that created the consultation, like the rest of its votes. Flushes only.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from app.accounts.models import User
from app.accounts.services import hash_password, set_content_languages
from app.consultations import phases as phase_rules
from app.consultations.models import Consultation
from app.demo.data import DEMO_PASSWORD
from app.extensions import db
from app.questionnaires.models import Answer, AnswerSet, Question, Questionnaire, QuestionOption
from app.translations import services as translations
from app.translations.kinds import KINDS, source_digest
from app.translations.models import Translation

CITY = "bologna"
TITLE = "Piazza dell'Unità, luogo d'incontro del quartiere"
DOMAIN = "@learning-cities.demo"
MODERATOR = "moderator.bologna" + DOMAIN
# A fifth Romanian speaker, who answered the questionnaire only.
EXTRA = ("resident.bologna.ro4" + DOMAIN, "Mihai Stan", ["ro", "it"])

SURVEY = {
    "title": "Com'è vivere Piazza dell'Unità?",
    "intro": "Sei domande, cinque minuti: le risposte aiutano a scegliere che cosa fare prima.",
    "translations": {
        "en": {
            "title": "What is life like in Piazza dell'Unità?",
            "intro": "Six questions, five minutes: your answers help choose what to do first.",
        },
        "fr": {
            "title": "Comment vit-on la Piazza dell'Unità ?",
            "intro": "Six questions, cinq minutes : vos réponses aident à choisir les priorités.",
        },
        "ar": {
            "title": "كيف هي الحياة في ساحة الوحدة؟",
            "intro": "ستة أسئلة في خمس دقائق: تساعد إجاباتكم على اختيار ما نبدأ به.",
        },
    },
}

# (kind, Italian text, Italian options, {language: (text, options)}, max choices)
QUESTIONS: list[tuple[str, str, list[str], dict[str, tuple[str, list[str]]], int | None]] = [
    (
        "single",
        "Quanto spesso passi da Piazza dell'Unità?",
        ["Ogni giorno", "Qualche volta a settimana", "Raramente"],
        {
            "en": (
                "How often do you pass through Piazza dell'Unità?",
                ["Every day", "A few times a week", "Rarely"],
            ),
            "fr": (
                "À quelle fréquence passez-vous par la Piazza dell'Unità ?",
                ["Tous les jours", "Quelques fois par semaine", "Rarement"],
            ),
            "ar": ("كم مرة تمر بساحة الوحدة؟", ["كل يوم", "بضع مرات في الأسبوع", "نادراً"]),
        },
        None,
    ),
    (
        "multiple",
        "Per che cosa usi la piazza? (al massimo due risposte)",
        ["Il mercato", "I giochi dei bambini", "Incontrare persone", "Solo per attraversarla"],
        {
            "en": (
                "What do you use the square for? (two answers at most)",
                ["The market", "The children's playground", "Meeting people", "Just crossing it"],
            ),
            "fr": (
                "Pour quoi utilisez-vous la place ? (deux réponses au plus)",
                [
                    "Le marché",
                    "Les jeux pour enfants",
                    "Rencontrer des gens",
                    "Seulement pour la traverser",
                ],
            ),
            "ar": (
                "لماذا تستخدم الساحة؟ (جوابان على الأكثر)",
                ["السوق", "ألعاب الأطفال", "لقاء الناس", "للعبور فقط"],
            ),
        },
        2,
    ),
    (
        "ranking",
        "Che cosa migliorare prima? Metti in ordine.",
        ["L'illuminazione", "Panchine e ombra", "Spazi per i bambini"],
        {
            "en": (
                "What should be improved first? Put them in order.",
                ["Lighting", "Benches and shade", "Spaces for children"],
            ),
            "fr": (
                "Que faut-il améliorer d'abord ? Classez-les.",
                ["L'éclairage", "Bancs et ombre", "Espaces pour les enfants"],
            ),
            "ar": (
                "ما الذي يجب تحسينه أولاً؟ رتّبها.",
                ["الإنارة", "المقاعد والظل", "أماكن للأطفال"],
            ),
        },
        None,
    ),
    (
        "scale",
        "Quanto ti senti al sicuro in piazza la sera?",
        [],
        {
            "en": ("How safe do you feel in the square in the evening?", []),
            "fr": ("À quel point vous sentez-vous en sécurité sur la place le soir ?", []),
            "ar": ("إلى أي حد تشعر بالأمان في الساحة مساءً؟", []),
        },
        None,
    ),
    (
        "single",
        "Parteciperesti a un mercato interculturale la domenica?",
        ["Sì, per visitarlo", "Sì, con una bancarella", "No"],
        {
            "en": (
                "Would you take part in an intercultural Sunday market?",
                ["Yes, to visit it", "Yes, with a stall", "No"],
            ),
            "fr": (
                "Participeriez-vous à un marché interculturel le dimanche ?",
                ["Oui, pour le visiter", "Oui, avec un stand", "Non"],
            ),
            "ar": (
                "هل تشارك في سوق متعدد الثقافات يوم الأحد؟",
                ["نعم، للزيارة", "نعم، بكشك", "لا"],
            ),
        },
        None,
    ),
    (
        "text",
        "Che cosa vorresti dire al Comune sulla piazza?",
        [],
        {
            "en": ("What would you like to tell the city about the square?", []),
            "fr": ("Que voudriez-vous dire à la Ville au sujet de la place ?", []),
            "ar": ("ماذا تود أن تقول للبلدية عن الساحة؟", []),
        },
        None,
    ),
]

# Language group → the respondents' e-mails (the Bologna residents of that language first).
GROUPS: dict[str, list[str]] = {
    "it": [f"resident.bologna.it{n}{DOMAIN}" for n in range(1, 6)]
    + ["member.alnour" + DOMAIN, "member.school" + DOMAIN],
    "ar": [f"resident.bologna.ar{n}{DOMAIN}" for n in range(1, 6)] + ["citizen" + DOMAIN],
    "ro": [f"resident.bologna.ro{n}{DOMAIN}" for n in range(1, 4)]
    + ["citizen.ro" + DOMAIN, EXTRA[0]],
    "sq": [f"resident.bologna.sq{n}{DOMAIN}" for n in range(1, 4)],
    "zh": [f"resident.bologna.zh{n}{DOMAIN}" for n in range(1, 4)],
    "en": [f"resident.bologna.en{n}{DOMAIN}" for n in range(1, 3)],
}

# What each group tends to answer (by question index), varied person by person below: a single
# choice's option, a multiple choice's options, a ranking's order, a scale value.
LEANINGS: dict[str, list] = {
    "it": [0, [0, 2], [0, 1, 2], 4, 0],
    "ar": [0, [1, 2], [2, 0, 1], 2, 1],
    "ro": [1, [0, 3], [1, 0, 2], 3, 0],
    "sq": [1, [2], [1, 2, 0], 3, 1],
    "zh": [2, [3], [0, 2, 1], 4, 0],
    "en": [2, [0], [1, 0, 2], 4, 2],
}

# Free-text answers: (e-mail, language, text, {language: (by machine?, translation)}).
TEXTS: list[tuple[str, str, str, dict[str, tuple[bool, str]]]] = [
    (
        "resident.bologna.it1" + DOMAIN,
        "it",
        "La sera la piazza è buia vicino alla fermata dell'autobus: servono più lampioni.",
        {
            "en": (
                False,
                "In the evening the square is dark near the bus stop: more street lamps are needed.",
            ),
            "ar": (
                False,
                "في المساء تكون الساحة مظلمة قرب موقف الحافلات: نحتاج إلى مزيد من أعمدة الإنارة.",
            ),
        },
    ),
    (
        "resident.bologna.ar1" + DOMAIN,
        "ar",
        "نريد مكاناً مظللاً يلعب فيه الأطفال بينما تتحدث الأمهات.",
        {
            "it": (
                False,
                "Vogliamo un posto all'ombra dove i bambini giochino mentre le mamme parlano.",
            ),
            "en": (True, "We want a shaded place where children play while mothers talk."),
        },
    ),
    (
        "resident.bologna.ar2" + DOMAIN,
        "ar",
        "السوق جميل، لكن اللافتات بالإيطالية فقط.",
        {"it": (False, "Il mercato è bello, ma i cartelli sono solo in italiano.")},
    ),
    (
        "citizen.ro" + DOMAIN,
        "ro",
        "Câteva bănci la umbră ar ajuta vârstnicii care așteaptă autobuzul.",
        {
            "it": (
                False,
                "Qualche panchina all'ombra aiuterebbe gli anziani che aspettano l'autobus.",
            ),
        },
    ),
    (
        "resident.bologna.zh1" + DOMAIN,
        "zh",
        "希望周日市场也有中文的介绍。",
        {
            "it": (
                False,
                "Vorrei che il mercato della domenica avesse anche spiegazioni in cinese.",
            ),
            "en": (False, "I would like the Sunday market to have explanations in Chinese too."),
        },
    ),
    (
        "resident.bologna.en1" + DOMAIN,
        "en",
        "A water fountain would make summer afternoons bearable.",
        {},
    ),
    ("resident.bologna.sq1" + DOMAIN, "sq", "Sheshi ka nevojë për më shumë pemë.", {}),
    ("member.school" + DOMAIN, "it", "La scuola può curare un'aiuola con i ragazzi.", {}),
]


# The open library consultation's questionnaire, answered alongside its proposals: written in
# Arabic, the consultation's language, with the moderator's Italian and English translations.
OPEN_TITLE = "مكتبة حيّ متعددة اللغات في بولونينا"
OPEN_SURVEY = {
    "title": "ماذا تنتظر من مكتبة الحيّ؟",
    "intro": "أربعة أسئلة قصيرة قبل أن تكتب مقترحك.",
    "translations": {
        "it": {
            "title": "Che cosa ti aspetti dalla biblioteca del quartiere?",
            "intro": "Quattro domande brevi prima di scrivere la tua proposta.",
        },
        "en": {
            "title": "What do you expect from the neighbourhood library?",
            "intro": "Four short questions before you write your proposal.",
        },
    },
}
OPEN_QUESTIONS: list[tuple[str, str, list[str], dict[str, tuple[str, list[str]]], int | None]] = [
    (
        "single",
        "كم مرة تزور مكتبة؟",
        ["كل أسبوع", "كل شهر", "نادراً أو أبداً"],
        {
            "it": (
                "Quanto spesso vai in biblioteca?",
                ["Ogni settimana", "Ogni mese", "Raramente o mai"],
            ),
            "en": (
                "How often do you go to a library?",
                ["Every week", "Every month", "Rarely or never"],
            ),
        },
        None,
    ),
    (
        "multiple",
        "بأي لغات تريد أن تجد الكتب؟ (لغتان على الأكثر)",
        ["العربية", "الإيطالية", "الرومانية", "الصينية", "الأوكرانية"],
        {
            "it": (
                "In quali lingue vuoi trovare i libri? (al massimo due)",
                ["Arabo", "Italiano", "Romeno", "Cinese", "Ucraino"],
            ),
            "en": (
                "In which languages do you want to find books? (two at most)",
                ["Arabic", "Italian", "Romanian", "Chinese", "Ukrainian"],
            ),
        },
        2,
    ),
    (
        "scale",
        "هل تشعر بأنك مرحَّب بك في مكتبات المدينة اليوم؟",
        [],
        {
            "it": ("Oggi ti senti il benvenuto nelle biblioteche della città?", []),
            "en": ("Do you feel welcome in the city's libraries today?", []),
        },
        None,
    ),
    (
        "text",
        "ما الذي يجعلك تعود إلى المكتبة؟",
        [],
        {
            "it": ("Che cosa ti farebbe tornare in biblioteca?", []),
            "en": ("What would make you come back to the library?", []),
        },
        None,
    ),
]


def seed_open(consultation: Consultation, now: datetime) -> None:
    """The open library consultation's questionnaire, not answered yet: the demo's citizen can
    answer it (nothing for any other consultation)."""
    if consultation.city.slug != CITY or consultation.title != OPEN_TITLE:
        return
    exists = db.session.scalar(
        sa.select(Questionnaire.id).where(Questionnaire.consultation_id == consultation.id)
    )
    if exists is not None:
        return
    moderator = db.session.scalar(sa.select(User).where(User.email == MODERATOR))
    proposals = next(p for p in consultation.phases if p.kind == "proposals")
    at = proposals.starts_at - timedelta(hours=6)
    survey = _build(consultation, moderator, at, OPEN_SURVEY, OPEN_QUESTIONS, "ar")
    _translate_all(survey, moderator, at + timedelta(hours=1), OPEN_SURVEY, OPEN_QUESTIONS)


def seed(consultation: Consultation, now: datetime) -> None:
    """The questionnaire of the demo's Piazza dell'Unità consultation, answered; nothing for
    any other consultation."""
    if consultation.city.slug != CITY or consultation.title != TITLE:
        return
    exists = db.session.scalar(
        sa.select(Questionnaire.id).where(Questionnaire.consultation_id == consultation.id)
    )
    if exists is not None:
        return
    moderator = db.session.scalar(sa.select(User).where(User.email == MODERATOR))
    proposals = next(p for p in consultation.phases if p.kind == "proposals")
    survey = _build(
        consultation, moderator, proposals.starts_at - timedelta(days=1), SURVEY, QUESTIONS, "it"
    )
    _translate_all(survey, moderator, proposals.starts_at - timedelta(hours=20), SURVEY, QUESTIONS)
    people = _respondents()
    moments = phase_rules.spread(
        consultation.windows, "propose", consultation.voting_method, now, len(people)
    )
    rng = random.Random(2027)  # noqa: S311 - a deterministic demo, not a secret
    numbers = rng.sample(range(100_000, 1_000_000), len(people))
    texts = {email: (language, text) for email, language, text, _t in TEXTS}
    for (language, index, user), at, respondent in zip(people, moments, numbers, strict=True):
        _answer(survey, user, language, index, texts.get(user.email), respondent, at)
    db.session.flush()
    _translate_texts(survey, moderator, proposals.ends_at)


def _build(
    consultation: Consultation, moderator: User | None, at: datetime, spec, questions, language
):
    survey = Questionnaire(
        consultation_id=consultation.id,
        title=spec["title"],
        intro=spec["intro"],
        language=language,
        answered_during="proposals",
        created_by_id=moderator.id if moderator else None,
        created_at=at,
        updated_at=at,
    )
    for position, (kind, text, options, _translations, max_choices) in enumerate(questions):
        question = Question(
            position=position,
            kind=kind,
            text=text,
            language=language,
            mandatory=kind in ("single", "scale"),
            max_choices=max_choices,
        )
        question.options = [
            QuestionOption(position=n, text=option, language=language)
            for n, option in enumerate(options)
        ]
        survey.questions.append(question)
    db.session.add(survey)
    db.session.flush()
    return survey


def _translate(translator: User | None, kind_name: str, item, language: str, fields, at) -> None:
    """A person's translation through the service (published at once: the city's moderator).
    Kinds this app does not translate (yet) are left alone."""
    kind = KINDS.get(kind_name)
    if kind is None or translator is None:
        return
    translations.translate(translator, kind, item, language=language, fields=fields, now=at)


def _translate_all(survey: Questionnaire, moderator: User | None, at: datetime, spec, questions):
    for language, fields in spec["translations"].items():
        _translate(moderator, "questionnaire", survey, language, fields, at)
    for question, (_kind, _text, _options, translated, _max) in zip(
        survey.questions, questions, strict=True
    ):
        for language, (text, options) in translated.items():
            _translate(moderator, "question", question, language, {"text": text}, at)
            for option, option_text in zip(question.options, options, strict=True):
                _translate(
                    moderator, "question_option", option, language, {"text": option_text}, at
                )


def _respondents() -> list[tuple[str, int, User]]:
    """(language group, index in the group, user) of everyone who answers, in a fixed order."""
    extra = db.session.scalar(sa.select(User).where(User.email == EXTRA[0]))
    if extra is None:
        email, name, languages = EXTRA
        extra = User(
            email=email,
            display_name=name,
            password_hash=hash_password(DEMO_PASSWORD),
            locale="it",
            confirmed_at=datetime(2026, 1, 10, 9, tzinfo=UTC),
        )
        db.session.add(extra)
        set_content_languages(extra, languages)
        db.session.flush()
    emails = [email for group in GROUPS.values() for email in group]
    users = {u.email: u for u in db.session.scalars(sa.select(User).where(User.email.in_(emails)))}
    return [
        (language, index, users[email])
        for language, group in GROUPS.items()
        for index, email in enumerate(group)
        if email in users
    ]


def _answer(survey, user, language, index, text, respondent, at) -> None:
    """One person's answers: their group's leaning, every third person a little different."""
    single, multiple, ranking, scale, market = LEANINGS[language]
    questions = survey.questions
    if index % 3 == 2:
        single, scale, market = (single + 1) % 3, max(1, scale - 1), (market + 1) % 3
        ranking = [ranking[1], ranking[0], ranking[2]]
    answer_set = AnswerSet(
        questionnaire_id=survey.id,
        user_id=user.id,
        respondent=respondent,
        created_at=at,
        updated_at=at,
    )

    def add(question: Question, **values) -> None:
        answer_set.answers.append(Answer(question_id=question.id, created_at=at, **values))

    add(questions[0], option_id=questions[0].options[single].id)
    for chosen in multiple:
        add(questions[1], option_id=questions[1].options[chosen].id)
    # Every fourth person ranks only their first choice.
    for rank, chosen in enumerate(ranking[:1] if index % 4 == 3 else ranking, start=1):
        add(questions[2], option_id=questions[2].options[chosen].id, rank=rank)
    add(questions[3], scale=scale)
    add(questions[4], option_id=questions[4].options[market].id)
    if text is not None:
        add(questions[5], text=text[1], language=text[0])
    db.session.add(answer_set)
    survey.answers_count += 1


def _translate_texts(survey: Questionnaire, moderator: User | None, at: datetime) -> None:
    """The moderator's translations of free-text answers after answering ended; one machine's."""
    answers = {
        answer.text: answer
        for answer in db.session.scalars(
            sa.select(Answer)
            .join(AnswerSet, AnswerSet.id == Answer.answer_set_id)
            .where(AnswerSet.questionnaire_id == survey.id, Answer.text.is_not(None))
        )
    }
    for _email, _language, text, translated in TEXTS:
        answer = answers.get(text)
        if answer is None:
            continue
        for language, (by_machine, translation) in translated.items():
            if by_machine:
                db.session.add(
                    Translation(
                        kind="questionnaire_answer",
                        item_id=answer.id,
                        language=language,
                        source_language=answer.language,
                        source_digest=source_digest(answer),
                        fields={"text": translation},
                        origin="machine",
                        status="published",
                        version=1,
                        engine="argos (demo)",
                        created_at=at,
                    )
                )
            else:
                _translate(
                    moderator, "questionnaire_answer", answer, language, {"text": translation}, at
                )
    db.session.flush()
