"""Demo translations by people (called by `flask demo-seed`, idempotent).

The Bologna consultation on the multilingual neighbourhood library (written in Arabic, with
proposals and comments in Arabic, Italian, Romanian, Chinese and Ukrainian) can be read whole in
Italian and in Arabic: every text has a person's translation into both (by a mediator of the
Al-Nour association, the Bologna moderator, residents). One translation was improved (version 2),
a few wait for review, and readers asked for translations of other texts in several language
pairs, so the translation desk has work. Bologna's good practice on collaboration pacts reads in
English and Arabic, and entries of its step record in Arabic or Italian.

Everything goes through the services the translation pages call: readers' requests by
request_translation, translations by translate (published at once for the text's author, its
city's moderator and trusted translators), reviews by approve, so publishing fulfils the open
requests for its language and tells the readers who asked, and the audit log has every review.

Texts are found by their original wording; a text the demo does not know (added by someone using
the demo) is simply left alone. Translations and requests are looked up by natural keys and
created only when missing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from app.accounts.models import User
from app.consultations.models import Consultation
from app.extensions import db
from app.pathway.models import StepRecordEntry
from app.practices.models import GoodPractice
from app.proposals.models import Comment, Proposal
from app.translations import services
from app.translations.kinds import kind_of, original_fields
from app.translations.models import Translation

DOMAIN = "@learning-cities.demo"
MEDIATOR = "member.alnour" + DOMAIN  # Youssef Haddad, Italian and Arabic
MODERATOR = "moderator.bologna" + DOMAIN  # Giulia Bianchi
AMINA = "citizen" + DOMAIN  # Arabic and Italian
SCHOOL = "member.school" + DOMAIN
IOANA = "citizen.ro" + DOMAIN
OLENA = "citizen.uk" + DOMAIN
LUCIA = "citizen.es" + DOMAIN
KARIMA = "moderator.marseille" + DOMAIN

LIBRARY = "مكتبة حيّ متعددة اللغات في بولونينا"
PACTS = "Patti di collaborazione: residenti e Comune curano insieme i beni comuni"

# Original wording of the first field → {language: (translator, fields)}. A translator whose
# work a reviewer approved is named in REVIEWED_BY.
TRANSLATIONS: dict[str, dict[str, tuple[str, dict[str, str]]]] = {
    # The consultation.
    LIBRARY: {
        "it": (
            MODERATOR,
            {
                "title": "Una biblioteca di quartiere multilingue alla Bolognina",
                "description": (
                    "Il Comune di Bologna dedica uno spazio nel quartiere Bolognina a una "
                    "biblioteca di quartiere multilingue. Vogliamo sapere di che cosa avete "
                    "bisogno in fatto di libri, lingue e attività: letture per bambini, corsi di "
                    "lingua, serate di racconti o un angolo dei giornali. Potete presentare "
                    "proposte e commentarle in qualsiasi lingua, e il Comune risponderà "
                    "pubblicamente a ogni proposta."
                ),
            },
        ),
    },
    # Its proposals.
    "ركن لقصص الأطفال بالعربية والإيطالية": {
        "it": (
            MODERATOR,
            {
                "title": "Un angolo di fiabe per bambini in arabo e in italiano",
                "body": (
                    "Propongo un angolo per i bambini con libri illustrati nelle due lingue e un "
                    "incontro di racconti ogni sabato, in cui leggono i genitori del quartiere."
                ),
            },
        ),
    },
    "Cursuri de italiană pentru adulți, seara": {
        "it": (
            MEDIATOR,
            {
                "title": "Corsi serali di italiano per adulti",
                "body": (
                    "Molte mamme e molti papà lavorano di giorno. Propongo corsi gratuiti di "
                    "italiano, due volte alla settimana, dopo le 19."
                ),
            },
        ),
        "ar": (
            MEDIATOR,
            {
                "title": "دروس مسائية في اللغة الإيطالية للكبار",
                "body": (
                    "كثير من الأمهات والآباء يعملون في النهار. أقترح دروساً مجانية في اللغة "
                    "الإيطالية، مرتين في الأسبوع، بعد الساعة السابعة مساءً."
                ),
            },
        ),
    },
    "Scaffale di libri donati dalle scuole": {
        "ar": (
            AMINA,
            {
                "title": "رفّ للكتب التي تتبرّع بها المدارس",
                "body": (
                    "تستطيع ثانوية لاورا باسي أن تجمع كتباً بكل لغات طلابها، وأن تعتني برفّ "
                    "يُجدَّد كل ثلاثة أشهر."
                ),
            },
        ),
    },
    "中文报纸和杂志角": {
        "it": (
            MEDIATOR,
            {
                "title": "Un angolo di giornali e riviste in cinese",
                "body": (
                    "Nel quartiere molti anziani leggono solo in cinese. Speriamo che la "
                    "biblioteca si abboni a due quotidiani in cinese e allestisca un angolo di "
                    "lettura tranquillo."
                ),
            },
        ),
        "ar": (
            MEDIATOR,
            {
                "title": "ركن للصحف والمجلات الصينية",
                "body": (
                    "كثير من كبار السن في الحي لا يقرؤون إلا بالصينية. نأمل أن تشترك المكتبة في "
                    "صحيفتين صينيتين وأن تخصّص ركناً هادئاً للقراءة."
                ),
            },
        ),
    },
    # Its comments.
    "Ottima idea. Le classi della primaria vicina potrebbero venire il sabato mattina.": {
        "ar": (
            AMINA,
            {"body": "فكرة ممتازة. يمكن لتلاميذ المدرسة الابتدائية القريبة أن يأتوا صباح السبت."},
        ),
    },
    "شكراً! يمكن أن يقرأ الأهالي بالتناوب، بالعربية مرة وبالإيطالية مرة.": {
        "it": (
            MEDIATOR,
            {
                "body": (
                    "Grazie! I genitori potrebbero leggere a turno, una volta in arabo e una "
                    "volta in italiano."
                )
            },
        ),
    },
    "L'associazione Al-Nour può trovare tre volontari per le letture.": {
        "ar": (MEDIATOR, {"body": "تستطيع جمعية النور أن تجد ثلاثة متطوعين للقراءات."}),
    },
    "Ar fi frumos să existe și câteva cărți în română pentru copiii din cartier.": {
        "it": (
            IOANA,
            {
                "body": "Sarebbe bello avere anche qualche libro in romeno per i bambini del quartiere."
            },
        ),
        "ar": (MEDIATOR, {"body": "سيكون جميلاً أن تتوفر أيضاً بعض الكتب بالرومانية لأطفال الحي."}),
    },
    "Дуже потрібно. Я працюю до шостої, тому вечірні курси — єдина можливість.": {
        "it": (
            MEDIATOR,
            {
                "body": (
                    "Ce n'è proprio bisogno. Lavoro fino alle sei, quindi i corsi serali sono "
                    "l'unica possibilità."
                )
            },
        ),
        "ar": (
            MEDIATOR,
            {"body": "هذا ضروري جداً. أعمل حتى السادسة، لذلك فالدروس المسائية هي فرصتي الوحيدة."},
        ),
    },
    "Il liceo può prestare due aule la sera; servono però insegnanti volontari.": {
        "ar": (
            AMINA,
            {"body": "تستطيع الثانوية أن تعير قاعتين في المساء، لكننا نحتاج إلى معلّمين متطوعين."},
        ),
    },
    # A good practice of Bologna (published), read in English and in Arabic.
    PACTS: {
        "en": (
            MODERATOR,
            {
                "title": (
                    "Collaboration pacts: residents and the City look after the commons together"
                ),
                "summary": (
                    "Under its Regulation on collaboration between citizens and the "
                    "administration, Bologna signs pacts with groups of residents, associations "
                    "and schools to look after and regenerate gardens, porticoes, school "
                    "courtyards and small neighbourhood libraries."
                ),
                "body": (
                    "Since 2014 anyone who lives or works in Bologna can propose a collaboration "
                    "pact to the City: a written agreement that says who looks after a common "
                    "good, with what resources and for how long. The City provides materials, "
                    "insurance and a contact person; citizens contribute time, ideas and "
                    "skills.\n\n"
                    "In the Navile district many pacts were started by associations of migrant "
                    "communities: a shared vegetable garden tended by Bangladeshi and Italian "
                    "families, an after-school club in a courtyard, a street library with books "
                    "in Arabic, Romanian and Chinese. The meetings to write the pacts are held "
                    "with language mediators.\n\n"
                    "What we learned: a pact works when administrative language is turned into "
                    "plain words and when the City answers within set deadlines. The pact "
                    "template is now available in six languages."
                ),
            },
        ),
        "ar": (
            MEDIATOR,
            {
                "title": "مواثيق التعاون: السكان والبلدية يرعون الممتلكات المشتركة معاً",
                "summary": (
                    "بموجب لائحة التعاون بين المواطنين والإدارة، توقّع بولونيا مع مجموعات من "
                    "السكان والجمعيات والمدارس مواثيقَ لرعاية الحدائق والأروقة وساحات المدارس "
                    "ومكتبات الأحياء الصغيرة وتجديدها."
                ),
                "body": (
                    "منذ عام 2014، يستطيع كل من يسكن في بولونيا أو يعمل فيها أن يقترح على "
                    "البلدية ميثاق تعاون: اتفاقاً مكتوباً يحدّد من يرعى مِلكاً مشتركاً، وبأي "
                    "موارد، ولأي مدة. تقدّم البلدية المواد والتأمين وشخصاً مرجعياً، ويقدّم "
                    "المواطنون وقتهم وأفكارهم ومهاراتهم.\n\n"
                    "في حي نافيله، وُلدت مواثيق كثيرة من جمعيات الجاليات المهاجرة: حديقة خضار "
                    "مشتركة تعتني بها عائلات بنغلاديشية وإيطالية، ودروس دعم مدرسي في أحد "
                    "الأفنية، ومكتبة في الشارع فيها كتب بالعربية والرومانية والصينية. وتُعقد "
                    "لقاءات كتابة المواثيق بحضور وسطاء لغويين.\n\n"
                    "ما تعلّمناه: ينجح الميثاق عندما تُصاغ اللغة الإدارية بكلمات بسيطة، وعندما "
                    "تردّ البلدية في مواعيد محدّدة. ونموذج الميثاق متاح الآن بست لغات."
                ),
            },
        ),
    },
    # Entries of Bologna's step record.
    "Costituzione del tavolo di coordinamento": {
        "ar": (
            MEDIATOR,
            {
                "title": "تأسيس طاولة التنسيق",
                "body": (
                    "تجمع الطاولة اثنتي عشرة جمعية، منها جمعية النور وجمعيتان من الجالية "
                    "الرومانية، إضافةً إلى ثلاث مؤسسات تعليمية والأحياء الستة."
                ),
            },
        ),
    },
    "ملاحظات جمعية النور حول عمل اللجنة التوجيهية": {
        "it": (
            MODERATOR,
            {
                "title": "Osservazioni dell'Associazione Al-Nour sul lavoro del comitato di indirizzo",
                "body": (
                    "Siamo lieti di far parte del comitato di indirizzo. Chiediamo che le "
                    "riunioni si tengano di sera e che ci sia l'interpretazione simultanea in "
                    "arabo, così che le madri che lavorano e i padri possano esserci e "
                    "partecipare alla discussione."
                ),
            },
        ),
    },
    "Regolamento della consultazione approvato dalla Giunta": {
        "ar": (
            MEDIATOR,
            {
                "title": "المجلس التنفيذي للبلدية يعتمد نظام الاستشارة",
                "body": (
                    "يقبل النظام المقترحات بأي لغة، ويتيح استمارات ورقية في لقاءات الأحياء، "
                    "والتصويت بالتأييد، حتى ثلاثة تأييدات لكل شخص."
                ),
            },
        ),
    },
}

# The first version of a translation that a moderator then improved (version 2 is above).
EARLIER = {
    ("ركن لقصص الأطفال بالعربية والإيطالية", "it"): (
        MEDIATOR,
        {
            "title": "Un angolo per le storie dei bambini in arabo e italiano",
            "body": (
                "Propongo un angolo per bambini con libri con figure in due lingue e una "
                "sessione di storie ogni sabato, dove leggono i genitori del quartiere."
            ),
        },
    ),
}

# Waiting for review: (original wording, language, translator, fields).
PENDING = [
    (
        "Scaffale di libri donati dalle scuole",
        "ro",
        IOANA,
        {
            "title": "Raft cu cărți donate de școli",
            "body": (
                "Liceul Laura Bassi poate strânge cărți în toate limbile elevilor și poate îngriji "
                "un raft actualizat în fiecare trimestru."
            ),
        },
    ),
    (
        "مطبخ جماعي في مركز الحي",
        "fr",
        KARIMA,
        {
            "title": "Une cuisine partagée au centre de quartier",
            "body": (
                "Équiper une cuisine au centre de quartier, que les associations utiliseraient "
                "pour des repas partagés et des cours de cuisine de différentes cultures."
            ),
        },
    ),
]

# Open requests: (original wording, language, readers).
REQUESTS = [
    ("Un cortile aperto alla Scuola Testoni", "ar", [AMINA, KARIMA]),
    ("Un cortile aperto alla Scuola Testoni", "ro", [IOANA]),
    ("مطبخ جماعي في مركز الحي", "it", [SCHOOL, MODERATOR, IOANA]),
    ("Fusha sportive e hapur për të rinjtë", "it", [SCHOOL, MEDIATOR]),
    ("Sprachen und Vereine im Leipziger Osten kartieren", "uk", [OLENA]),
    ("Sprachen und Vereine im Leipziger Osten kartieren", "ar", [AMINA]),
    ("Concevoir la concertation : langues, règles et calendrier", "ar", [AMINA]),
    ("Concevoir la concertation : langues, règles et calendrier", "es", [LUCIA]),
    (
        "Me gusta, pero 85.000 euros es mucho para un patio. ¿No bastaría con menos bancos?",
        "it",
        [MEDIATOR],
    ),
]

# A request the demo shows fulfilled: Amina asked for the school's proposal in Arabic.
FULFILLED = [("Scaffale di libri donati dalle scuole", "ar", [AMINA])]


def _people() -> dict[str, User]:
    return {
        user.email: user
        for user in db.session.scalars(sa.select(User).where(User.email.like("%" + DOMAIN)))
    }


def _texts(wordings: set[str]) -> dict[str, Any]:
    """The demo's texts by their original wording (the first one found of each)."""
    found: dict[str, Any] = {}
    queries = (
        sa.select(Consultation).where(Consultation.title.in_(wordings)).order_by(Consultation.id),
        sa.select(Proposal).where(Proposal.title.in_(wordings)).order_by(Proposal.id),
        sa.select(Comment).where(Comment.body.in_(wordings)).order_by(Comment.id),
        sa.select(GoodPractice)
        .where(GoodPractice.title.in_(wordings), GoodPractice.status == "approved")
        .order_by(GoodPractice.id),
        sa.select(StepRecordEntry)
        .where(StepRecordEntry.title.in_(wordings))
        .order_by(StepRecordEntry.id),
    )
    for query in queries:
        for item in db.session.scalars(query):
            first = next(iter(original_fields(item).values()))
            found.setdefault(first, item)
    return found


def _existing(item: Any, language: str, version: int) -> Translation | None:
    return db.session.scalar(
        sa.select(Translation).where(
            Translation.kind == kind_of(item).name,
            Translation.item_id == item.id,
            Translation.language == language,
            Translation.origin == "human",
            Translation.version == version,
        )
    )


def _written_at(item: Any) -> datetime:
    """When the text was there to translate: a consultation from its opening, anything else
    from when it was written."""
    return getattr(item, "starts_at", None) or item.created_at


class _Clock:
    """The demo's translating moments: one after the other, each after its text was written,
    never in the future, so that a translator's approvals come before the translations they
    are trusted for (the texts are taken in the order they were written)."""

    def __init__(self, start: datetime, now: datetime) -> None:
        self.moment = start
        self.now = now

    def after(self, item: Any) -> datetime:
        self.moment = max(self.moment + GAP, _written_at(item) + GAP)
        if self.moment > self.now - REVIEW_DELAY:
            raise RuntimeError("demo: no time left to date the translations in the past")
        return self.moment


# Between two translations, and between a translation and its review.
GAP = timedelta(minutes=20)
REVIEW_DELAY = timedelta(minutes=10)


def _translate(
    item: Any,
    language: str,
    translator: User,
    fields: dict[str, str],
    *,
    at: datetime,
    reviewer: User | None,
    improves: Translation | None = None,
) -> Translation:
    """As the translation page does: published at once for who may publish directly (the
    text's author, its city's moderator, a trusted translator); otherwise waiting, then approved
    by `reviewer` if one is given."""
    translation = services.translate(
        translator,
        kind_of(item),
        item,
        language=language,
        fields=fields,
        improves=improves,
        now=at,
    )
    if translation.status == "pending" and reviewer is not None:
        services.approve(reviewer, translation, now=at + REVIEW_DELAY)
    return translation


def seed(now: datetime) -> None:
    """Requests first (a translation published later fulfils them, as on the site), then the
    translations by people, approved by the Bologna moderator where needed, then the ones left
    waiting for review."""
    people = _people()
    wordings = (
        set(TRANSLATIONS)
        | {wording for wording, _l in EARLIER}
        | {spec[0] for spec in PENDING}
        | {spec[0] for spec in REQUESTS + FULFILLED}
    )
    texts = _texts(wordings)
    moderator = people.get(MODERATOR)
    clock = _Clock(now - timedelta(days=2), now)

    for wording, language, emails in FULFILLED + REQUESTS:
        item = texts.get(wording)
        if item is None:
            continue
        asked_at = min(_written_at(item) + timedelta(minutes=5), now - timedelta(minutes=5))
        for email in emails:
            reader = people.get(email)
            if reader is not None and services.may_translate(reader, kind_of(item), item):
                services.request_translation(reader, kind_of(item), item, language, now=asked_at)

    work = []
    for wording, languages in TRANSLATIONS.items():
        item = texts.get(wording)
        if item is None:
            continue
        for language, (email, fields) in languages.items():
            translator = people.get(email)
            if language != item.language and translator is not None:
                work.append(
                    (_written_at(item), len(work), wording, item, language, translator, fields)
                )
    for _at, _order, wording, item, language, translator, fields in sorted(
        work, key=lambda w: w[:2]
    ):
        earlier = EARLIER.get((wording, language))
        previous = None
        if earlier is not None and people.get(earlier[0]) is not None:
            previous = _existing(item, language, 1)
            if previous is None:
                previous = _translate(
                    item,
                    language,
                    people[earlier[0]],
                    earlier[1],
                    at=clock.after(item),
                    reviewer=moderator,
                )
        if _existing(item, language, 2 if previous is not None else 1) is not None:
            continue
        _translate(
            item,
            language,
            translator,
            fields,
            at=clock.after(item),
            reviewer=moderator,
            improves=previous,
        )

    for wording, language, email, fields in PENDING:
        item = texts.get(wording)
        translator = people.get(email)
        if item is None or translator is None or _existing(item, language, 1) is not None:
            continue
        _translate(item, language, translator, fields, at=clock.after(item), reviewer=None)
    db.session.flush()
