"""Demo translations of the ballots the demo's residents vote on (called by `flask demo-seed`
after the translations demo; idempotent).

Bologna's budget ballot has proposals in Italian, Arabic, Romanian, Albanian, English and
Chinese. Its demo voters read Arabic and Italian (citizen@) or Romanian and Italian
(citizen.ro@): as a city would, people translated each proposal into Italian, the language
every Bologna resident shares, and into Arabic (the Al-Nour mediator, working from the
Italian), so each of them reads every proposal in one of their languages, except one left to
request: the Albanian sports-ground proposal, which readers have asked to have in Italian
(LEFT_TO_REQUEST; the translation desk shows it). The Leipzig ballot's proposals are in German,
Ukrainian and Russian, all languages of its demo voter (citizen.uk@), and Valencia's
consultation in Catalan and Spanish, those of citizen.es@.

Through the services the translation page calls: translate (published at once for who may
publish directly), approve by the Bologna moderator otherwise, so publishing fulfils readers'
open requests and tells them, and the audit log has every review.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from app.accounts.models import User
from app.extensions import db
from app.proposals.models import Proposal
from app.translations import services
from app.translations.kinds import kind_of
from app.translations.models import Translation

DOMAIN = "@learning-cities.demo"
MEDIATOR = "member.alnour" + DOMAIN  # Youssef Haddad, Italian and Arabic
MODERATOR = "moderator.bologna" + DOMAIN  # Giulia Bianchi
IOANA = "citizen.ro" + DOMAIN  # Romanian and Italian, author of the lighting proposal
WANG_LI = "resident.bologna.zh1" + DOMAIN  # Chinese and Italian

# A proposal's original title → {language: (translator, fields)}.
TRANSLATIONS: dict[str, dict[str, tuple[str, dict[str, str]]]] = {
    "Iluminat pe via Tibaldi": {
        "it": (
            IOANA,
            {
                "title": "Illuminazione in via Tibaldi",
                "body": (
                    "La strada tra la fermata e la scuola d'inverno è buia. Propongo lampioni "
                    "nuovi e un attraversamento pedonale sicuro."
                ),
            },
        ),
        "ar": (
            MEDIATOR,
            {
                "title": "إنارة شارع تيبالدي",
                "body": (
                    "الشارع بين المحطة والمدرسة مظلم في الشتاء. أقترح مصابيح جديدة وممرًا آمنًا "
                    "للمشاة."
                ),
            },
        ),
    },
    "Multilingual signposting for the market": {
        "it": (
            MODERATOR,
            {
                "title": "Segnaletica multilingue per il mercato",
                "body": (
                    "Cartelli in due e tre lingue al mercato del Navile e alla Casa della "
                    "salute, progettati insieme ai residenti."
                ),
            },
        ),
        "ar": (
            MEDIATOR,
            {
                "title": "لافتات متعددة اللغات للسوق",
                "body": (
                    "لافتات بلغتين وثلاث لغات في سوق نافيله وفي المركز الصحي، تُصمَّم مع السكان."
                ),
            },
        ),
    },
    "社区花园与长椅": {
        "it": (
            WANG_LI,
            {
                "title": "Un giardino di quartiere e panchine",
                "body": (
                    "Aggiungere panchine al Parco della Zucca e un piccolo giardino curato "
                    "insieme dai residenti."
                ),
            },
        ),
        "ar": (
            MEDIATOR,
            {
                "title": "حديقة للحي ومقاعد",
                "body": "إضافة مقاعد في حديقة تسوكا وحديقة صغيرة يعتني بها السكان معًا.",
            },
        ),
    },
    "مطبخ جماعي في مركز الحي": {
        "it": (
            MEDIATOR,
            {
                "title": "Una cucina comune nel centro di quartiere",
                "body": (
                    "Attrezzare una cucina nel centro di quartiere, che le associazioni "
                    "userebbero per pasti condivisi e corsi di cucina di culture diverse."
                ),
            },
        ),
    },
    "Un cortile aperto alla Scuola Testoni": {
        "ar": (
            MEDIATOR,
            {
                "title": "ساحة مفتوحة في مدرسة تستوني",
                "body": (
                    "فتح ساحة المدرسة بعد الظهر ويوم السبت، مع مقاعد وظل وحديقة خضار صغيرة "
                    "تعتني بها العائلات والطلاب."
                ),
            },
        ),
    },
    "Aule studio serali nelle biblioteche": {
        "ar": (
            MEDIATOR,
            {
                "title": "قاعات دراسة مسائية في المكتبات",
                "body": (
                    "إبقاء قاعتين للدراسة مفتوحتين حتى الساعة 23، مع الإنترنت، للطلاب والعاملين "
                    "الذين لا يجدون مكانًا في البيت."
                ),
            },
        ),
    },
}

# Proposals on a demo ballot deliberately left untranslated for their voters: readers asked for
# them (the translations demo's requests) and the translation desk shows the work.
LEFT_TO_REQUEST = {"Fusha sportive e hapur për të rinjtë"}

# Between two translations, and between a translation and its review.
GAP = timedelta(minutes=20)
REVIEW_DELAY = timedelta(minutes=10)


def seed(now: datetime) -> None:
    """The translations above that are missing, one after the other, dated after every
    translation already in the demo (a translator's earlier approvals come first) and in the
    past."""
    people = {
        user.email: user
        for user in db.session.scalars(sa.select(User).where(User.email.like("%" + DOMAIN)))
    }
    moderator = people.get(MODERATOR)
    proposals: dict[str, Proposal] = {}
    for proposal in db.session.scalars(
        sa.select(Proposal).where(Proposal.title.in_(TRANSLATIONS)).order_by(Proposal.id)
    ):
        proposals.setdefault(proposal.title, proposal)
    latest = db.session.scalar(sa.select(sa.func.max(Translation.created_at)))
    moment = max(latest or now - timedelta(days=1), now - timedelta(days=1))
    for title, languages in TRANSLATIONS.items():
        proposal = proposals.get(title)
        if proposal is None:
            continue
        kind = kind_of(proposal)
        for language, (email, fields) in languages.items():
            translator = people.get(email)
            if translator is None or services.current_human(kind, proposal.id, language):
                continue
            moment = max(moment, proposal.created_at) + GAP
            if moment > now - REVIEW_DELAY:
                raise RuntimeError("demo: no time left to date the ballot translations")
            translation = services.translate(
                translator, kind, proposal, language=language, fields=fields, now=moment
            )
            if translation.status == "pending" and moderator is not None:
                services.approve(moderator, translation, now=moment + REVIEW_DELAY)
    db.session.flush()
