"""Demo moderation in Bologna: something for Giulia Bianchi (moderator.bologna@) to handle.

- a proposal written in Chinese, reported by two people who could not read it (below the
  threshold of 3: it stays visible, waiting in the queue — a case for "dismiss");
- an advertising comment with a phone number, reported by three people in Arabic, Romanian and
  Italian: hidden pending review;
- its author, blocked from Bologna's consultations for 30 days;
- an English translation of the Chinese proposal into which the same advertiser slipped a phone
  number, reported by a reader who compared it with the original: pending review.

Idempotent: the account, the comment, each report (unique per reporter) and the block are
looked up first. Runs after the proposals demo; anything it cannot find is skipped.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.accounts.models import User
from app.accounts.services import hash_password, set_content_languages
from app.cities.models import City
from app.demo.data import DEMO_PASSWORD
from app.extensions import db
from app.moderation import services, targets
from app.moderation.models import Block
from app.proposals.models import Comment, Proposal
from app.proposals.services import add_comment
from app.translations import services as translations
from app.translations.kinds import KINDS
from app.translations.models import Translation

ADVERTISER = "offerte.lavoro@learning-cities.demo"
ADVERTISER_NAME = "Lavoro Facile 24"
ADVERT = (
    "Guadagna 500 € al giorno lavorando da casa! Scrivimi subito su WhatsApp al 333 123 4567, "
    "posti limitati!!!"
)
ADVERT_ON = "ركن لقصص الأطفال بالعربية والإيطالية"

# (reporter e-mail, category, language, text)
ADVERT_REPORTS = [
    (
        "citizen@learning-cities.demo",
        "spam",
        "ar",
        "رسالة إعلانية لا علاقة لها بالمكتبة، وفيها رقم هاتف.",
    ),
    (
        "citizen.ro@learning-cities.demo",
        "spam",
        "ro",
        "Reclamă, nu are legătură cu propunerea.",
    ),
    (
        "member.school@learning-cities.demo",
        "personal_data",
        "it",
        "Pubblicità con un numero di telefono in chiaro.",
    ),
]

CHINESE_PROPOSAL = "中文报纸和杂志角"
CHINESE_REPORTS = [
    (
        "resident.bologna.it2@learning-cities.demo",
        "other",
        "it",
        "Non capisco la lingua: è una proposta o pubblicità?",
    ),
    (
        "resident.bologna.sq1@learning-cities.demo",
        "off_topic",
        "sq",
        "Nuk e kuptoj, ndoshta nuk ka lidhje me bibliotekën.",
    ),
]

# The advertiser's "translation" of the Chinese proposal, and who reported it.
BAD_TRANSLATION = {
    "title": "A corner for Chinese newspapers and magazines",
    "body": (
        "Many older people in the neighbourhood read only Chinese. We hope the library "
        "subscribes to two Chinese dailies. Cheap subscriptions to every newspaper: write on "
        "WhatsApp to 333 123 4567!"
    ),
}
BAD_TRANSLATION_REPORTS = [
    (
        "citizen.uk@learning-cities.demo",
        "spam",
        "uk",
        "У перекладі є реклама з номером телефону, якої немає в оригіналі.",
    ),
]

MODERATOR = "moderator.bologna@learning-cities.demo"
BLOCK_REASON = "Messaggi pubblicitari ripetuti nelle discussioni, con numeri di telefono."


def seed(now: datetime) -> None:
    bologna = db.session.scalar(sa.select(City).where(City.slug == "bologna"))
    moderator = db.session.scalar(sa.select(User).where(User.email == MODERATOR))
    if bologna is None or moderator is None:
        return
    advertiser = _advertiser(now)
    advert = _advert(advertiser, now)
    if advert is not None:
        _reports("comment", advert.id, bologna, ADVERT_REPORTS, now)
    chinese = db.session.scalar(
        sa.select(Proposal).where(Proposal.title == CHINESE_PROPOSAL).order_by(Proposal.id).limit(1)
    )
    if chinese is not None:
        _reports("proposal", chinese.id, bologna, CHINESE_REPORTS, now)
        translation = _bad_translation(chinese, advertiser, now)
        if translation is not None:
            _reports("translation", translation.id, bologna, BAD_TRANSLATION_REPORTS, now)
    blocked = db.session.scalar(
        sa.select(Block.id).where(Block.user_id == advertiser.id, Block.city_id == bologna.id)
    )
    if blocked is None:
        services.block(
            moderator,
            advertiser,
            city=bologna,
            reason=BLOCK_REASON,
            language="it",
            # A month, to the end of the city's day (not to the second the seed ran).
            ends_at=datetime.combine(
                (now.astimezone(ZoneInfo(bologna.timezone)) + timedelta(days=30)).date(),
                time(23, 59),
                tzinfo=ZoneInfo(bologna.timezone),
            ).astimezone(UTC),
            now=now,
        )


def _advertiser(now: datetime) -> User:
    user = db.session.scalar(sa.select(User).where(User.email == ADVERTISER))
    if user is None:
        user = User(
            email=ADVERTISER,
            display_name=ADVERTISER_NAME,
            password_hash=hash_password(DEMO_PASSWORD),
            locale="it",
            confirmed_at=now - timedelta(days=3),
        )
        db.session.add(user)
        set_content_languages(user, ["it"])
        db.session.flush()
    return user


def _advert(advertiser: User, now: datetime) -> Comment | None:
    existing = db.session.scalar(sa.select(Comment).where(Comment.body == ADVERT).limit(1))
    if existing is not None:
        return existing
    proposal = db.session.scalar(
        sa.select(Proposal).where(Proposal.title == ADVERT_ON).order_by(Proposal.id).limit(1)
    )
    if proposal is None:
        return None
    return add_comment(
        proposal,
        advertiser,
        body=ADVERT,
        alignment="neutral",
        language="it",
        now=min(proposal.created_at + timedelta(days=1), now),
    )


def _bad_translation(proposal: Proposal, advertiser: User, now: datetime) -> Translation | None:
    english = sa.and_(
        Translation.kind == "proposal",
        Translation.item_id == proposal.id,
        Translation.language == "en",
        Translation.origin == "human",
    )
    existing = db.session.scalar(
        sa.select(Translation).where(english, Translation.translator_id == advertiser.id)
    )
    if existing is not None:
        return existing
    if db.session.scalar(
        sa.select(Translation.id).where(english, Translation.status == "published")
    ):
        return None  # someone using the demo translated it meanwhile
    kind = KINDS["proposal"]
    if proposal.author is None or not translations.may_translate(advertiser, kind, proposal):
        return None  # blocked already: the demo's story happened before the block
    # Written before the block, through the translation page's service: it waits for review,
    # and the proposal's author approves it without reading English.
    written_at = max(proposal.created_at, now - timedelta(days=2)) + timedelta(minutes=30)
    written_at = min(written_at, now - timedelta(minutes=20))
    translation = translations.translate(
        advertiser,
        kind,
        proposal,
        language="en",
        fields=dict(BAD_TRANSLATION),
        now=written_at,
    )
    if translation.status == "pending":
        translations.approve(proposal.author, translation, now=written_at + timedelta(minutes=10))
    return translation


def _reports(target_type: str, target_id: int, city: City, specs, now: datetime) -> None:
    target = targets.load(target_type, target_id, city=city)
    if target is None:
        return
    for email, category, language, text in specs:
        reporter = db.session.scalar(sa.select(User).where(User.email == email))
        if reporter is None or services.has_reported(reporter, target) is not None:
            continue
        if reporter.id == target.author_id:
            continue
        services.report(reporter, target, category=category, text=text, language=language, now=now)
