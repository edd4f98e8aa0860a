"""Demo consultations in every phase: phases, proposals in many languages, supports, ballots,
closed consultations with published results and municipal responses.

Idempotent: a consultation is created (with its phases, through save_consultation) only when
its city has none of its title, and its proposals and votes only in the run that created it.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.accounts.models import User
from app.accounts.services import hash_password, normalize_email, set_content_languages
from app.consultations import phases as phase_rules
from app.consultations.models import Consultation
from app.consultations.phases import PHASES, PhaseWindow
from app.consultations.services import (
    ConsultationData,
    close_if_due,
    may,
    save_consultation,
)
from app.demo import budget_cycle
from app.demo import questionnaire as demo_questionnaire
from app.demo.data import ACCOUNTS, CONSULTATIONS, DEMO_PASSWORD, ConsultationSpec
from app.extensions import db
from app.pathway.models import CityStep
from app.proposals.models import Proposal
from app.proposals.services import RANDOM_MODULUS, ProposalData, create_proposal
from app.results.services import respond
from app.voting.services import (
    cast_ballot,
    enter_paper_batch,
    may_enter_paper,
    minimum_spend,
    save_draft,
    support,
)

# (city slug, title) → the phase running now (open ones) and the voting settings.
SETTINGS: dict[tuple[str, str], dict] = {
    ("bologna", "مكتبة حيّ متعددة اللغات في بولونينا"): {
        "phase": "proposals",
        "voting_method": "supports",
        "support_limit": 5,
        "languages": ["ar", "it", "ro", "zh", "uk"],
    },
    ("bologna", "Bilancio partecipativo: progetti per il quartiere Navile"): {
        "phase": "voting",
        "voting_method": "budget",
        "budget_amount": 300_000,
        "budget_rule": "equal-shares",
        "min_spend_share": 50,
        "languages": ["it", "ar", "ro", "sq", "zh"],
        "completes_step": True,
    },
    ("bologna", "Piazza dell'Unità, luogo d'incontro del quartiere"): {
        "voting_method": "supports",
        "support_limit": 3,
        "support_threshold": 5,
        "languages": ["it", "ar", "ro"],
    },
    (
        "bologna",
        "Bilancio partecipativo: cortili, strade e biblioteche della Bolognina",
    ): {
        "voting_method": "budget",
        "budget_amount": 120_000,
        "budget_rule": "greedy",
        "languages": ["it", "ar", "ro", "sq", "zh", "en"],
        "review": True,
    },
    ("marseille", "Concevoir la concertation : langues, règles et calendrier"): {
        "phase": "deliberation",
        "voting_method": "supports",
        "languages": ["fr", "ar", "es"],
    },
    ("leipzig", "Sprachen und Vereine im Leipziger Osten kartieren"): {
        "phase": "voting",
        "voting_method": "supports",
        "support_limit": 3,
        "languages": ["de", "uk", "ru", "ar"],
    },
    ("valencia", "Escola de mediació intercultural: qui s'hi forma i com?"): {
        "phase": "proposals",
        "voting_method": "supports",
        "languages": ["ca", "es", "ar", "ro"],
    },
}

# Proposals: (author e-mail or None for a resident picked by the seed, language, title, body,
# category, cost for budget consultations).
PROPOSALS: dict[tuple[str, str], list[tuple[str | None, str, str, str, str | None, int | None]]] = {
    ("bologna", "مكتبة حيّ متعددة اللغات في بولونينا"): [
        (
            "citizen@learning-cities.demo",
            "ar",
            "ركن لقصص الأطفال بالعربية والإيطالية",
            "أقترح ركناً للأطفال فيه كتب مصوّرة باللغتين، وجلسة حكايات كل سبت يقرأ فيها أهالي الحي.",
            "الأطفال",
            None,
        ),
        (
            "citizen.ro@learning-cities.demo",
            "ro",
            "Cursuri de italiană pentru adulți, seara",
            "Multe mame și mulți tați lucrează ziua. Propun cursuri gratuite de italiană, de două ori pe săptămână, după ora 19.",
            "Limbi",
            None,
        ),
        (
            "member.school@learning-cities.demo",
            "it",
            "Scaffale di libri donati dalle scuole",
            "Il Liceo Laura Bassi può raccogliere libri in tutte le lingue degli studenti e curare uno scaffale aggiornato ogni trimestre.",
            "Libri",
            None,
        ),
        (
            None,
            "zh",
            "中文报纸和杂志角",
            "社区里很多老人只读中文。希望图书馆订阅两份中文报纸，并设一个安静的阅读角。",
            "报刊",
            None,
        ),
    ],
    ("bologna", "Bilancio partecipativo: progetti per il quartiere Navile"): [
        (
            "member.alnour@learning-cities.demo",
            "it",
            "Un cortile aperto alla Scuola Testoni",
            "Aprire il cortile della scuola il pomeriggio e il sabato, con panchine, ombra e un piccolo orto curato da famiglie e studenti.",
            "Spazi verdi",
            85_000,
        ),
        (
            "citizen@learning-cities.demo",
            "ar",
            "مطبخ جماعي في مركز الحي",
            "تجهيز مطبخ في مركز الحي تستعمله الجمعيات لوجبات مشتركة ودروس طبخ من ثقافات مختلفة.",
            "Luoghi d'incontro",
            60_000,
        ),
        (
            "citizen.ro@learning-cities.demo",
            "ro",
            "Iluminat pe via Tibaldi",
            "Strada dintre stație și școală este întunecată iarna. Propun lămpi noi și o trecere de pietoni sigură.",
            "Sicurezza",
            120_000,
        ),
        (
            None,
            "sq",
            "Fusha sportive e hapur për të rinjtë",
            "Rinovimi i fushës së basketbollit në parkun Grosso, me ndriçim dhe turne mujore mes lagjeve.",
            "Sport",
            95_000,
        ),
        (
            "member.school@learning-cities.demo",
            "it",
            "Aule studio serali nelle biblioteche",
            "Tenere aperte fino alle 23 due sale studio, con wifi, per studenti e lavoratori che non hanno spazio a casa.",
            "Studio",
            40_000,
        ),
        (
            None,
            "en",
            "Multilingual signposting for the market",
            "Bilingual and trilingual signs at the Navile market and the health centre, designed with residents.",
            "Luoghi d'incontro",
            25_000,
        ),
        (
            None,
            "zh",
            "社区花园与长椅",
            "在 Parco della Zucca 增加长椅和一个由居民共同照料的小花园。",
            "Spazi verdi",
            70_000,
        ),
    ],
    ("bologna", "Bilancio partecipativo: cortili, strade e biblioteche della Bolognina"): [
        (
            "member.alnour@learning-cities.demo",
            "it",
            "Un orto condiviso nel cortile delle Scuole Aldini",
            "Trasformare metà del cortile in un orto curato da famiglie, studenti e anziani del "
            "quartiere, con un deposito per gli attrezzi e un calendario di turni in più lingue.",
            "Spazi verdi",
            40_000,
        ),
        (
            "citizen@learning-cities.demo",
            "ar",
            "حصص سباحة للنساء في مسبح الحي",
            "ساعات مخصّصة للنساء في مسبح كافينا مرتين في الأسبوع، مع مدرّبات ومكان آمن لترك "
            "الأطفال أثناء الحصة.",
            "Sport",
            30_000,
        ),
        (
            "citizen.ro@learning-cities.demo",
            "ro",
            "Bănci și umbră în Parcul Nicholas Green",
            "Zece bănci noi și copaci pentru umbră pe aleea principală, unde vârstnicii din "
            "cartier se întâlnesc vara.",
            "Spazi verdi",
            22_000,
        ),
        (
            "member.school@learning-cities.demo",
            "it",
            "Libri per bambini in tutte le lingue alla Biblioteca Lame",
            "Uno scaffale di albi illustrati in arabo, cinese, rumeno, albanese e urdu, con "
            "letture ad alta voce il sabato mattina.",
            "Biblioteche",
            15_000,
        ),
        (
            None,
            "zh",
            "图书馆里的中文儿童绘本",
            "希望拉梅图书馆购买中文儿童绘本，并请家长志愿者每月讲一次故事。",
            "Biblioteche",
            8_000,
        ),
        (
            None,
            "it",
            "Parcheggio sotterraneo in Piazza dell'Unità",
            "Un parcheggio sotterraneo da duecento posti per liberare dalle auto le strade del "
            "quartiere.",
            "Mobilità",
            95_000,
        ),
        (
            None,
            "en",
            "Free wifi at the Corticella bus stops",
            "Free wifi and phone charging at the five bus stops of via Corticella, for students "
            "and commuters who wait there every day.",
            "Connettività",
            18_000,
        ),
    ],
    ("bologna", "Piazza dell'Unità, luogo d'incontro del quartiere"): [
        (
            "member.alnour@learning-cities.demo",
            "it",
            "Un mercato interculturale la domenica",
            "Una domenica al mese, bancarelle di cibo e artigianato delle comunità del quartiere.",
            "Eventi",
            None,
        ),
        (
            "citizen@learning-cities.demo",
            "ar",
            "إنارة أفضل للساحة في المساء",
            "الساحة مظلمة بعد الثامنة مساءً. نقترح إنارة جديدة ومقاعد قرب النافورة.",
            "Sicurezza",
            None,
        ),
        (
            "citizen.ro@learning-cities.demo",
            "ro",
            "Un loc de joacă pentru copiii mici",
            "Un spațiu de joacă împrejmuit, cu umbră, lângă bancă, pentru copiii sub șase ani.",
            "Bambini",
            None,
        ),
        (
            None,
            "it",
            "Fontanella e alberi nuovi",
            "Una fontanella di acqua potabile e sei alberi per fare ombra d'estate.",
            "Spazi verdi",
            None,
        ),
        (
            None,
            "sq",
            "Koncerte verore me muzikë nga e gjithë bota",
            "Çdo të premte në korrik, koncerte falas me muzikantë të lagjes.",
            "Eventi",
            None,
        ),
    ],
    ("marseille", "Concevoir la concertation : langues, règles et calendrier"): [
        (
            "moderator.marseille@learning-cities.demo",
            "fr",
            "Consulter au moins en français, arabe et comorien",
            "Les documents et les réunions doivent être proposés dans les trois langues les plus parlées du centre-ville.",
            "Langues",
            None,
        ),
        (
            None,
            "ar",
            "تصويت ورقي في المدارس والأسواق",
            "ليس لدى الجميع إنترنت. نقترح صناديق اقتراع ورقية في المدارس وسوق نواي خلال أسبوعين.",
            "Vote",
            None,
        ),
        (
            None,
            "es",
            "Un calendario que respete las vacaciones escolares",
            "Evitar julio y agosto: muchas familias se van. Mejor consultar entre octubre y diciembre.",
            "Calendrier",
            None,
        ),
    ],
    ("leipzig", "Sprachen und Vereine im Leipziger Osten kartieren"): [
        (
            "citizen.uk@learning-cities.demo",
            "uk",
            "Українська суботня школа на Айзенбаннштрасе",
            "Щосуботи тут навчаються діти з українських родин. Варто додати її на мапу як місце зустрічі.",
            "Bildung",
            None,
        ),
        (
            "moderator.network@learning-cities.demo",
            "de",
            "Arabischsprachige Elterncafés erfassen",
            "Die Elterncafés in drei Grundschulen sind wichtige Treffpunkte und sollten auf der Karte stehen.",
            "Treffpunkte",
            None,
        ),
        (
            None,
            "ru",
            "Русскоязычная библиотека в Фолькмарсдорфе",
            "Небольшая библиотека при культурном центре: книги и встречи для пожилых людей.",
            "Kultur",
            None,
        ),
        (
            None,
            "de",
            "Sportvereine mit mehrsprachigen Trainern",
            "Viele Fußballvereine im Osten haben Trainer, die Arabisch, Kurdisch oder Dari sprechen.",
            "Sport",
            None,
        ),
    ],
    ("marseille", "Groupe de pilotage : qui doit représenter les quartiers ?"): [
        (
            "moderator.marseille@learning-cities.demo",
            "fr",
            "Deux sièges pour les collectifs des quartiers Nord",
            "Les quartiers Nord sont souvent absents des instances : deux sièges réservés, avec un suppléant.",
            "Composition",
            None,
        ),
        (
            None,
            "ar",
            "تمثيل جمعيات الجاليات المغاربية والقمرية",
            "نقترح مقعداً لجمعية مغاربية ومقعداً لجمعية قمرية، بالتناوب كل سنة.",
            "Composition",
            None,
        ),
    ],
    ("leipzig", "Mehrsprachige Bürgerbüros: Was sollen städtische Mitarbeitende lernen?"): [
        (
            "citizen.uk@learning-cities.demo",
            "uk",
            "Короткі курси простої німецької мови",
            "Працівники могли б навчитися говорити простою німецькою (Leichte Sprache) з новоприбулими.",
            "Schulung",
            None,
        ),
        (
            None,
            "de",
            "Videodolmetschen in allen Bürgerbüros",
            "Ein Tablet mit Videodolmetschdienst für Arabisch, Dari, Ukrainisch und Russisch in jedem Büro.",
            "Dolmetschen",
            None,
        ),
    ],
    ("valencia", "Presupuesto del Manifiesto: ¿qué acciones priorizar?"): [
        (
            "citizen.es@learning-cities.demo",
            "es",
            "Cursos de castellano y valenciano gratuitos",
            "Cursos de tarde en los centros municipales, con guardería para las familias.",
            "Idiomas",
            None,
        ),
        (
            None,
            "ca",
            "Subvencions per a les associacions de barri",
            "Una línia de subvencions per a entitats que organitzen activitats interculturals.",
            "Associacions",
            None,
        ),
        (
            None,
            "ar",
            "وسطاء ثقافيون في المراكز الصحية",
            "وجود وسيط يتكلم العربية في المراكز الصحية في أوريولس وروسافا.",
            "Mediación",
            None,
        ),
    ],
    ("valencia", "Escola de mediació intercultural: qui s'hi forma i com?"): [
        (
            "citizen.es@learning-cities.demo",
            "es",
            "Formar primero al personal de los centros de salud",
            "Es donde más barreras de idioma encontramos. Cursos cortos, en horario laboral.",
            "Formación",
            None,
        ),
        (
            None,
            "ca",
            "Tallers en valencià i àrab als casals de barri",
            "Que les sessions es facen als casals d'Orriols i Russafa, amb mediadores de les comunitats.",
            "Llengües",
            None,
        ),
    ],
}

# Extra residents so that supports and ballots come from people of many language groups.
RESIDENT_NAMES: dict[str, list[str]] = {
    "it": ["Giulia Benassi", "Marco Ferretti", "Lucia Gatti", "Paolo Venturi", "Chiara Bassi"],
    "ar": ["Youssef Amrani", "Fatima Zahra", "Karim Haddad", "Nour Saleh", "Samir Boukhari"],
    "ro": ["Ioana Popescu", "Andrei Munteanu", "Elena Dobre"],
    "sq": ["Arta Krasniqi", "Besnik Hoxha", "Elira Gashi"],
    "zh": ["Wang Li", "Chen Mei", "Zhang Wei"],
    "uk": ["Olena Koval", "Taras Melnyk", "Iryna Bondar"],
    "en": ["Grace Okafor", "Daniel Mensah"],
}
# city slug → (language groups of its residents, their second content language, whether they
# support and vote). In Marseille and Valencia residents only post proposals: the observatory's
# demo has its own supporters there.
RESIDENTS: dict[str, tuple[list[str], str, bool]] = {
    "bologna": (["it", "ar", "ro", "sq", "zh", "en"], "it", True),
    "leipzig": (["uk", "ar", "en"], "de", True),
}
AUTHORS: dict[str, dict[str, str]] = {
    "marseille": {"ar": "Saïd Abdallah", "es": "Rosa Jiménez"},
    "valencia": {"ca": "Jordi Ferrer", "ar": "Hassan Idrissi"},
}

# Paper ballots of an in-person session, typed in by the moderator: each line, the positions
# (in PROPOSALS) of the proposals chosen.
PAPER_SESSIONS: dict[tuple[str, str], tuple[str, list[list[int]]]] = {
    ("bologna", "Bilancio partecipativo: progetti per il quartiere Navile"): (
        "Centro Zonarelli, sabato pomeriggio",
        [[0, 1, 4], [2, 5, 6], [3, 0, 4], [1, 6, 4, 5]],
    ),
}

# Municipal responses for closed consultations, by proposal title.
RESPONSES: dict[str, tuple[str, str, str]] = {
    # The Bolognina budget (app/demo/budget_cycle.py): the funded four are projects now.
    "Un orto condiviso nel cortile delle Scuole Aldini": (
        "accepted",
        "it",
        "Finanziato dal voto: i lavori sono in corso, seguiteli nella pagina del progetto.",
    ),
    "حصص سباحة للنساء في مسبح الحي": (
        "implemented",
        "ar",
        "تمّ التمويل بالتصويت: بدأت الحصص في مسبح كافينا يومي الثلاثاء والخميس.",
    ),
    "Bănci și umbră în Parcul Nicholas Green": (
        "accepted",
        "it",
        "Finanziata dal voto: la gara per panchine e alberi si apre a dicembre.",
    ),
    "Libri per bambini in tutte le lingue alla Biblioteca Lame": (
        "accepted",
        "it",
        "Finanziata dal voto, insieme alla proposta in cinese che vi è stata unita.",
    ),
    "Parcheggio sotterraneo in Piazza dell'Unità": (
        "rejected",
        "it",
        "Non fattibile in questo bilancio (vedi la valutazione). L'idea delle biciclette è "
        "annotata per il prossimo bilancio partecipativo.",
    ),
    "Free wifi at the Corticella bus stops": (
        "rejected",
        "en",
        "Not the city's to decide: TPER runs the bus stops, and has the proposal on its desk.",
    ),
    "Un mercato interculturale la domenica": (
        "accepted",
        "it",
        "Il mercato partirà a marzo, la prima domenica del mese, con le associazioni del quartiere.",
    ),
    "إنارة أفضل للساحة في المساء": (
        "implemented",
        "ar",
        "تم تركيب إنارة جديدة وأربعة مقاعد في نوفمبر. شكراً على المقترح.",
    ),
    "Un loc de joacă pentru copiii mici": (
        "evaluating",
        "it",
        "Stiamo verificando con l'ufficio tecnico lo spazio vicino alla banca. Risposta entro gennaio.",
    ),
    "Deux sièges pour les collectifs des quartiers Nord": (
        "accepted",
        "fr",
        "Le groupe de pilotage compte désormais deux sièges pour les collectifs des quartiers Nord.",
    ),
    "Videodolmetschen in allen Bürgerbüros": (
        "implemented",
        "de",
        "Seit September haben alle Bürgerbüros Zugang zu Videodolmetschen in zwölf Sprachen.",
    ),
    "Cursos de castellano y valenciano gratuitos": (
        "accepted",
        "es",
        "El plan de gasto incluye 120.000 euros para cursos gratuitos de idiomas con guardería.",
    ),
    "Fontanella e alberi nuovi": (
        "rejected",
        "it",
        "Il sottosuolo della piazza non permette nuovi alberi; metteremo grandi vasi e una fontanella.",
    ),
}


def seed(now: datetime, cities: dict, created: set[int]) -> None:
    """Proposals and votes for the demo consultations `created` in this run (flushes).

    Everything people do goes through the services their requests call, at a moment when the
    phase allowed it: proposals while proposals are open, supports and ballots while voting is,
    so quotas, counters, receipts and notifications are what real use leaves. A consultation
    whose voting has ended is then closed by the same close as the cron's, which computes and
    records its result, and the city's moderator answers its proposals.
    """
    rng = random.Random(2026)  # noqa: S311 - a deterministic demo, not a secret
    residents = _ensure_residents(cities, now)
    moderators = _moderators()
    for spec in CONSULTATIONS:
        slug, title = spec["city"], spec["title"]
        consultation = db.session.scalar(
            sa.select(Consultation).where(
                Consultation.city_id == cities[slug].id, Consultation.title == title
            )
        )
        if consultation is None or consultation.id not in created:
            continue
        proposals = _proposals(consultation, PROPOSALS.get((slug, title), []), residents, rng, now)
        voters = residents.get(slug, []) if slug in RESIDENTS else []
        moderator = moderators.get(slug)
        # A consultation with a review phase: only what the city found feasible is voted on.
        on_ballot = budget_cycle.review(consultation, proposals, moderator, now)
        if consultation.voting_method == "supports":
            _supports(consultation, on_ballot, voters, rng, now)
        else:
            _ballots(consultation, on_ballot, voters, rng, now)
            _paper_ballots(consultation, proposals, moderator, now)
        # Its questionnaire is answered before the close, so the result snapshot covers it.
        demo_questionnaire.seed(consultation, now)
        demo_questionnaire.seed_open(consultation, now)
        db.session.flush()
        if close_if_due(consultation, budget_cycle.close_moment(consultation) or now):
            _responses(proposals, moderator, now)
            budget_cycle.follow_projects(consultation, moderator, now)
    db.session.flush()


def _allowed(user: User, consultation: Consultation, act: str, at: datetime) -> None:
    """What a view checks before calling the service; the demo's data must pass it too."""
    permission = may(user, consultation, act, at)
    if not permission:
        raise RuntimeError(
            f"demo: {user.email} may not {act} in {consultation.title!r} at {at} "
            f"({permission.reason})"
        )


def _moments(consultation: Consultation, act: str, now: datetime, count: int) -> list[datetime]:
    return phase_rules.spread(consultation.windows, act, consultation.voting_method, now, count)


def create(
    spec: ConsultationSpec,
    city_step: CityStep,
    starts_at: datetime,
    ends_at: datetime,
    now: datetime,
) -> Consultation:
    """Create the consultation as the moderator's form does, through save_consultation (its
    phases, its `consultations.created` audit line), by the city's first demo moderator.

    An open consultation's phases put it in the phase SETTINGS names; an upcoming or closed one
    splits its own dates (`starts_at` to `ends_at`, the start of its results) evenly."""
    settings = SETTINGS.get((spec["city"], spec["title"]), {"languages": [spec["language"]]})
    author = _moderators().get(spec["city"])
    if author is None:
        raise RuntimeError(f"demo: no moderator of {spec['city']} to create {spec['title']!r}")
    timeline = _windows(
        starts_at, ends_at, settings.get("phase"), now, ZoneInfo(city_step.city.timezone)
    )
    if settings.get("review"):
        timeline = budget_cycle.windows_with_review(timeline, ZoneInfo(city_step.city.timezone))
    windows = [PhaseWindow(kind, starts, ends) for kind, starts, ends in timeline]
    problems = phase_rules.problems(windows)
    if problems:
        raise RuntimeError(f"demo: the phases of {spec['title']!r} are refused: {problems}")
    budget = settings.get("budget_amount")
    return save_consultation(
        ConsultationData(
            city_step=city_step,
            title=spec["title"],
            description=spec["description"],
            language=spec["language"],
            languages=settings["languages"],
            windows=windows,
            voting_method=settings.get("voting_method", "supports"),
            support_limit=settings.get("support_limit"),
            support_threshold=settings.get("support_threshold"),
            budget_amount=Decimal(budget) if budget is not None else None,
            currency="EUR",
            min_spend_share=settings.get("min_spend_share"),
            budget_rule=settings.get("budget_rule"),
            completes_step=settings.get("completes_step", False),
        ),
        author=author,
    )


# A city's calendar, in its own time: each phase opens at 09:00 on its first day and closes at
# 18:00 on its last; voting stays open until 23:59, when the results are published.
PHASE_OPENS = time(9, 0)
PHASE_CLOSES = time(18, 0)
VOTING_CLOSES = time(23, 59)
# An open consultation: each phase lasts this many days; the one running now began 3 days ago.
OPEN_PHASE_DAYS = 5
# The demo's consultations have no review or questionnaire phase (both are optional): the five
# phases as before.
DEMO_PHASES = tuple(kind for kind in PHASES if kind not in ("review", "questionnaire"))


def _windows(starts_at: datetime, ends_at: datetime, phase: str | None, now: datetime, zone):
    """Five phases on whole days of the city's calendar; for an open consultation `phase` is
    the one running now, else the consultation's own days (`starts_at` to `ends_at`) split
    evenly."""
    if phase is None:
        first_day = starts_at.astimezone(zone).date()
        last_day = ends_at.astimezone(zone).date()
        days = max(1, ((last_day - first_day).days + 1) // (len(DEMO_PHASES) - 1))
    else:
        days = OPEN_PHASE_DAYS
        today = now.astimezone(zone).date()
        first_day = today - timedelta(days=3 + DEMO_PHASES.index(phase) * days)
    windows = []
    for index, kind in enumerate(DEMO_PHASES[:-1]):
        opens = first_day + timedelta(days=index * days)
        closes = opens + timedelta(days=days - 1)
        windows.append(
            (
                kind,
                _local(opens, PHASE_OPENS, zone),
                _local(closes, VOTING_CLOSES if kind == "voting" else PHASE_CLOSES, zone),
            )
        )
    windows.append(("results", windows[-1][2], None))
    return windows


def _local(day: date, at: time, zone: ZoneInfo) -> datetime:
    """A wall-clock time in the city, as the UTC instant the database stores."""
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def _ensure_residents(cities: dict, now: datetime) -> dict[str, list[User]]:
    """Demo residents by city and language group (same password as all demo accounts)."""
    password_hash = None
    people_of: dict[str, list[tuple[str, str, str]]] = {}  # slug → (e-mail, name, language)
    for slug, (languages, _second, _votes) in RESIDENTS.items():
        people_of[slug] = [
            (f"resident.{slug}.{language}{index + 1}@learning-cities.demo", name, language)
            for language in languages
            for index, name in enumerate(RESIDENT_NAMES[language])
        ]
    for slug, names in AUTHORS.items():
        people_of[slug] = [
            (f"resident.{slug}.{language}1@learning-cities.demo", name, language)
            for language, name in names.items()
        ]
    found: dict[str, list[User]] = {}
    for slug, people in people_of.items():
        second = RESIDENTS[slug][1] if slug in RESIDENTS else None
        found[slug] = []
        for email, name, language in people:
            user = db.session.scalar(sa.select(User).where(User.email == email))
            if user is None:
                password_hash = password_hash or hash_password(DEMO_PASSWORD)
                user = User(
                    email=email,
                    display_name=name,
                    password_hash=password_hash,
                    locale=language if language in ("it", "ar", "en", "fr", "de", "es") else "it",
                    confirmed_at=datetime(2026, 1, 10, 9, tzinfo=cities[slug].created_at.tzinfo),
                )
                db.session.add(user)
                set_content_languages(user, [language] + ([second] if second else []))
            found[slug].append(user)
    db.session.flush()
    return found


def _moderators() -> dict[str, User]:
    """The first demo moderator of each city (who answers proposals, enters paper ballots)."""
    found: dict[str, User] = {}
    for spec in ACCOUNTS:
        for slug in spec.get("moderates", []):
            if slug not in found:
                user = db.session.scalar(
                    sa.select(User).where(User.email == normalize_email(spec["email"]))
                )
                if user is not None:
                    found[slug] = user
    return found


def _proposals(consultation, specs, residents, rng, now) -> list[Proposal]:
    pool = residents.get(consultation.city.slug) or []
    created = []
    proposals_phase = next((p for p in consultation.phases if p.kind == "proposals"), None)
    posted_from = proposals_phase.starts_at if proposals_phase else consultation.starts_at
    for offset, (email, language, title, body, category, cost) in enumerate(specs):
        if email:
            author = db.session.scalar(sa.select(User).where(User.email == email))
        else:
            speakers = [u for u in pool if u.content_language_codes[:1] == [language]]
            author = speakers[0] if speakers else pool[0]
        organisation = author.memberships[0].organisation if author.memberships else None
        at = min(posted_from + timedelta(hours=6 * (offset + 1)), now)
        _allowed(author, consultation, "propose", at)
        proposal = create_proposal(
            consultation,
            author,
            ProposalData(
                title=title,
                body=body,
                language=language,
                category=category,
                cost=cost,
                organisation=organisation,
            ),
            now=at,
        )
        # The list's "random" order is drawn per proposal: the demo draws it from its own seed,
        # so that every run lists the proposals alike.
        proposal.random_key = rng.randrange(RANDOM_MODULUS)
        created.append(proposal)
    db.session.flush()
    return created


def _supports(consultation, proposals, people, rng, now: datetime) -> None:
    if not proposals or not people:
        return
    limit = consultation.support_limit or len(proposals)
    moments = _moments(consultation, "support", now, len(people))
    for person, at in zip(people, moments, strict=False):
        chosen = rng.sample(proposals, k=min(limit, rng.randint(1, 3), len(proposals)))
        _allowed(person, consultation, "support", at)
        for order, proposal in enumerate(chosen):
            support(proposal, person, now=at + timedelta(minutes=order))
    db.session.flush()


def _ballots(consultation, proposals, people, rng, now: datetime) -> None:
    if not proposals or not people:
        return
    budget = consultation.budget_amount
    minimum = minimum_spend(consultation)
    moments = _moments(consultation, "ballot", now, len(people))
    for index, (person, at) in enumerate(zip(people, moments, strict=False)):
        if index % 4 == 3:
            continue  # not everyone votes
        order = rng.sample(proposals, k=len(proposals))
        chosen, total = [], 0
        for proposal in order:
            if total + proposal.cost <= budget and (total < minimum or rng.random() < 0.5):
                chosen.append(proposal)
                total += proposal.cost
        if total < minimum:
            continue
        ids = [p.id for p in chosen]
        _allowed(person, consultation, "ballot", at)
        if index % 5 != 4:
            ballot = cast_ballot(consultation, person, ids, now=at)
        else:
            # A few drafts left uncast: the reminder has work to do.
            ballot, _choice = save_draft(consultation, person, ids, now=at)
        ballot.created_at = at
    db.session.flush()


def _paper_ballots(consultation, proposals, moderator: User | None, now: datetime) -> None:
    session = PAPER_SESSIONS.get((consultation.city.slug, consultation.title))
    if session is None or moderator is None or not proposals:
        return
    label, lines = session
    moments = _moments(consultation, "ballot", now, 1)
    if not moments or not may_enter_paper(moderator, consultation, moments[0]):
        return
    text = "\n".join(", ".join(str(proposals[i].id) for i in line) for line in lines)
    enter_paper_batch(
        consultation,
        author=moderator,
        session_label=label,
        text=text,
        language=consultation.language,
        now=moments[0],
    )


def _responses(proposals: list[Proposal], moderator: User | None, now: datetime) -> None:
    if moderator is None:
        return
    for proposal in proposals:
        spec = RESPONSES.get(proposal.title)
        if spec is None:
            continue
        status, language, body = spec
        _allowed(moderator, proposal.consultation, "respond", now)
        respond(proposal, status=status, body=body, language=language, author=moderator, now=now)
