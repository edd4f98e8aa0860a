"""Pages: reading in one's own language, translating, reviewing, requests and the desk."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.proposals.models import Comment
from app.translations import services
from app.translations.kinds import KINDS
from app.translations.models import Translation, TranslationRequest
from tests import factories
from tests.conftest import log_in
from tests.proposals import factories as pf
from tests.translations import factories as tf

ARABIC_COMMENT = "فكرة جميلة، أنا أؤيدها."


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


# Reading.


def test_an_arabic_comment_in_an_italian_page_is_right_to_left_with_its_translation(client, world):
    proposal = tf.proposal(world)
    comment = tf.arabic_comment(proposal, world.users["organisation"], ARABIC_COMMENT)
    tf.translation(
        comment, "it", translator=world.users["moderator_here"], fields={"body": "Bella idea."}
    )
    reader = factories.user(languages=("it",), locale="it")
    log_in(client, reader)
    html = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert '<div class="user-text comment-text" lang="it" dir="ltr">Bella idea.</div>' in html
    assert "Tradotto dall&#39;arabo da una persona" in html or "arabo" in html
    original = re.search(r'<details class="translation-original">(.*?)</details>', html, re.S)
    assert original is not None
    assert 'lang="ar" dir="rtl"' in original.group(1)
    assert ARABIC_COMMENT in original.group(1)


def test_an_arabic_reader_reads_the_arabic_comment_as_written(client, world):
    proposal = tf.proposal(world)
    tf.arabic_comment(proposal, world.users["organisation"], ARABIC_COMMENT)
    log_in(client, factories.user(languages=("ar", "it")))
    html = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert f'lang="ar" dir="rtl">{ARABIC_COMMENT}</div>' in html
    assert 'class="translation-original"' not in html


def test_the_consultation_and_the_proposal_in_the_readers_language(client, world):
    proposal = tf.proposal(world, title="Un orto condiviso", body="Coltiviamo **insieme**.")
    consultation = proposal.consultation
    tf.translation(
        consultation,
        "ar",
        translator=world.users["moderator_here"],
        fields={"title": "حديقة للحي", "description": "ماذا تريد في الحديقة الجديدة؟"},
    )
    tf.translation(
        proposal,
        "ar",
        origin="machine",
        fields={"title": "حديقة مشتركة", "body": "لنزرع **معاً**."},
    )
    log_in(client, factories.user(languages=("ar",), locale="en"))
    html = client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert '<h1 lang="ar" dir="rtl">حديقة للحي</h1>' in html
    assert "Translated from Italian by a person" in html
    assert "Che cosa vorresti nel nuovo parco?" in html  # the original, one click away
    html = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "Translated from Italian by machine" in html
    assert "<strong>معاً</strong>" in html  # Markdown rendered safely
    assert "Ask for a translation into Arabic" in html  # a person's translation is missing
    html = client.get(f"/consultations/{consultation.id}/proposals").get_data(as_text=True)
    assert ">حديقة مشتركة</a>" in html
    assert "Translated from Italian by machine · Show original" in html


def test_a_signed_out_visitor_reads_in_the_interface_language(client, world):
    proposal = tf.proposal(world)
    tf.translation(proposal, "fr", fields={"title": "Une bibliothèque", "body": "Des livres."})
    html = client.get(f"/proposals/{proposal.id}", headers={"Accept-Language": "fr"}).get_data(
        as_text=True
    )
    assert 'lang="fr" dir="ltr">Une bibliothèque</h1>' in html
    assert "translations/proposal" not in html  # no tools for visitors


def test_pending_and_hidden_translations_are_not_shown(client, world):
    proposal = tf.proposal(world)
    tf.translation(proposal, "en", status="pending", fields={"title": "Pending", "body": "x"})
    tf.translation(proposal, "en", hidden=True, fields={"title": "Hidden", "body": "x"})
    html = client.get(f"/proposals/{proposal.id}", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    assert "Pending" not in html
    assert "Hidden" not in html
    assert proposal.title in html


# Translating.


def test_the_form_shows_the_original_and_defaults_to_the_translators_language(client, world):
    proposal = tf.proposal(world)
    log_in(client, factories.user(languages=("it", "ar")))
    html = client.get(f"/translations/proposal/{proposal.id}/translate").get_data(as_text=True)
    assert proposal.title in html
    select = re.search(r'<select[^>]*id="language".*?</select>', html, re.S).group(0)
    assert re.search(r'<option selected value="ar">|<option value="ar" selected>', select)
    assert 'value="it"' not in select  # the original's language is not offered


def test_a_translation_is_sent_and_waits_for_review(client, world):
    proposal = tf.proposal(world)
    log_in(client, world.users["organisation"])
    response = client.post(
        f"/translations/proposal/{proposal.id}/translate",
        data={"language": "ar", "title": "حديقة", "body": "نص"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/proposals/{proposal.id}")
    translation = db.session.scalar(sa.select(Translation))
    assert (translation.status, translation.language) == ("pending", "ar")


@pytest.mark.parametrize(
    "data",
    [
        {"language": "ar", "title": "", "body": "نص"},
        {"language": "it", "title": "Titolo", "body": "Testo"},
        {"language": "zz", "title": "Titolo", "body": "Testo"},
        {"language": "ar", "title": "x" * 201, "body": "نص"},
    ],
)
def test_bad_translations_are_refused_in_the_users_language_and_nothing_is_written(
    client, world, data
):
    proposal = tf.proposal(world)
    log_in(client, world.users["organisation"])
    response = client.post(
        f"/translations/proposal/{proposal.id}/translate",
        data=data,
        headers={"Accept-Language": "de"},
    )
    assert response.status_code == 422
    assert 'class="error"' in response.get_data(as_text=True)
    assert _count(Translation) == 0


def test_unknown_kinds_texts_and_hidden_texts_are_404(client, world):
    log_in(client, world.users["citizen"])
    assert client.get("/translations/nothing/1/translate").status_code == 404
    assert client.get("/translations/proposal/999999/translate").status_code == 404
    assert client.get("/translations/proposal/999999/history").status_code == 404
    assert client.post("/translations/999999/approve").status_code == 404
    from tests.moderation import factories as mf

    hidden = mf.hidden_proposal(world.here, world.users["moderator_here"])
    assert client.get(f"/translations/proposal/{hidden.id}/translate").status_code == 404


def test_a_user_blocked_in_the_city_may_not_translate(client, world):
    from tests.moderation import factories as mf

    proposal = tf.proposal(world)
    blocked = factories.user()
    mf.block(world.users["moderator_here"], blocked, world.here)
    log_in(client, blocked)
    assert client.get(f"/translations/proposal/{proposal.id}/translate").status_code == 403


def test_improving_a_translation_prefills_it_and_writes_a_new_version(client, world):
    proposal = tf.proposal(world, author=world.users["citizen"])
    first = services.translate(
        world.users["citizen"],
        KINDS["proposal"],
        proposal,
        language="ar",
        fields={"title": "حديقة", "body": "نص"},
    )
    log_in(client, world.users["citizen"])
    html = client.get(
        f"/translations/proposal/{proposal.id}/translate?improve={first.id}"
    ).get_data(as_text=True)
    assert 'value="حديقة"' in html
    response = client.post(
        f"/translations/proposal/{proposal.id}/translate",
        data={"language": "ar", "title": "حديقة الحي", "body": "نص", "improves": str(first.id)},
    )
    assert response.status_code == 302
    assert first.status == "superseded"
    newest = db.session.scalar(sa.select(Translation).where(Translation.version == 2))
    assert (newest.previous_id, newest.status) == (first.id, "published")
    html = client.get(f"/translations/proposal/{proposal.id}/history").get_data(as_text=True)
    assert "حديقة الحي" in html
    assert html.index("حديقة الحي") < html.index('"user-text">حديقة<')


# Reviewing.


def test_the_author_approves_from_the_review_page(client, world):
    proposal = tf.proposal(world, author=world.users["citizen"])
    pending = services.translate(
        world.users["organisation"],
        KINDS["proposal"],
        proposal,
        language="ar",
        fields={"title": "حديقة", "body": "نص"},
    )
    log_in(client, world.users["citizen"])
    html = client.get("/translations/review").get_data(as_text=True)
    assert f"/translations/{pending.id}/approve" in html
    assert client.post(f"/translations/{pending.id}/approve").status_code == 302
    assert pending.status == "published"
    html = client.get("/translations/review").get_data(as_text=True)
    assert f"/translations/{pending.id}/approve" not in html


def test_a_rejection_without_a_reason_is_refused_and_changes_nothing(client, world):
    proposal = tf.proposal(world, author=world.users["citizen"])
    pending = services.translate(
        world.users["organisation"],
        KINDS["proposal"],
        proposal,
        language="ar",
        fields={"title": "حديقة", "body": "نص"},
    )
    log_in(client, world.users["moderator_here"])
    response = client.post(
        f"/translations/{pending.id}/reject",
        data={"reason": " "},
        headers={"Accept-Language": "it"},
    )
    assert response.status_code == 422
    assert "Indica un motivo" in response.get_data(as_text=True) or 'class="error"' in (
        response.get_data(as_text=True)
    )
    assert pending.status == "pending"
    response = client.post(f"/translations/{pending.id}/reject", data={"reason": "Incompleta"})
    assert response.status_code == 302
    assert pending.status == "rejected"
    html = client.get(f"/translations/proposal/{proposal.id}/history").get_data(as_text=True)
    assert "Incompleta" in html


# Requests and the desk.


def test_asking_twice_is_a_friendly_no_op(client, world):
    proposal = tf.proposal(world)
    log_in(client, world.users["organisation"])
    url = f"/translations/proposal/{proposal.id}/request"
    for _ in range(2):
        response = client.post(url, data={"language": "ar", "next": f"/proposals/{proposal.id}"})
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/proposals/{proposal.id}")
    assert _count(TranslationRequest) == 1
    html = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "You already asked for this translation" in html


def test_a_bad_request_writes_nothing_and_never_redirects_away(client, world):
    proposal = tf.proposal(world)
    log_in(client, world.users["organisation"])
    url = f"/translations/proposal/{proposal.id}/request"
    for data in ({"language": "it"}, {"language": "zz"}, {}, {"language": "ar", "next": "//evil"}):
        response = client.post(url, data=data)
        assert response.status_code == 302
        assert "evil" not in response.headers["Location"]
    assert _count(TranslationRequest) == 1  # only the last one, sent back home


@pytest.mark.parametrize("who", ["blocked", "unconfirmed"])
def test_a_refused_request_answers_403_with_why_and_writes_nothing(client, world, who):
    from tests.moderation import factories as mf

    proposal = tf.proposal(world)
    person = factories.user(confirmed=who != "unconfirmed", locale="en")
    if who == "blocked":
        mf.block(world.users["moderator_here"], person, world.here)
    log_in(client, person)
    response = client.post(
        f"/translations/proposal/{proposal.id}/request",
        data={"language": "ar", "next": f"/proposals/{proposal.id}"},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    if who == "blocked":
        assert f"You are blocked from taking part in the consultations of {world.here.name}" in html
    else:
        assert "Confirm your e-mail address to take part." in html
    assert f'href="/proposals/{proposal.id}"' in html
    assert _count(TranslationRequest) == 0


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_blocked_translator_is_told_why_and_nothing_is_written(client, world, method):
    from app.translations.models import Translation
    from tests.moderation import factories as mf

    proposal = tf.proposal(world)
    person = factories.user(locale="en")
    mf.block(world.users["moderator_here"], person, world.here)
    log_in(client, person)
    url = f"/translations/proposal/{proposal.id}/translate"
    form = {"language": "ar", "title": "عنوان", "body": "نص"}
    response = client.get(url) if method == "get" else client.post(url, data=form)
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    assert f"You are blocked from taking part in the consultations of {world.here.name}" in html
    assert f'href="/proposals/{proposal.id}"' in html
    assert _count(Translation) == 0


def test_the_desk_lists_requests_by_demand_with_links_to_translate(client, world):
    popular = tf.proposal(world, title="Molto richiesta")
    quiet = tf.proposal(world, title="Poco richiesta")
    for _ in range(3):
        tf.request(popular, factories.user(), "ar")
    tf.request(quiet, factories.user(), "ar")
    html = client.get("/translations/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert html.index("Molto richiesta") < html.index("Poco richiesta")
    assert f"/translations/proposal/{popular.id}/translate?language=ar" in html
    assert "A machine translation does not close a request" in html
    html = client.get("/translations/?from=it&into=ar").get_data(as_text=True)
    assert "Molto richiesta" in html
    assert "Poco richiesta" in html
    html = client.get("/translations/?into=en").get_data(as_text=True)
    assert "Molto richiesta" in html  # nobody asked for English: the filter is ignored
    tf.request(tf.arabic_comment(quiet, factories.user()), factories.user(), "it")
    html = client.get("/translations/?from=ar").get_data(as_text=True)
    assert "Molto richiesta" not in html
    assert "فكرة جميلة" in html


def test_the_desk_runs_the_same_queries_for_few_and_many_requests(client, world, count_queries):
    def statements() -> int:
        client.get("/translations/")
        with count_queries() as seen:
            assert client.get("/translations/").status_code == 200
        return len(seen)

    consultation = tf.consultation(world)
    pf.bulk_proposals(consultation, world.users["organisation"], 60)
    proposals = db.session.scalars(sa.select(KINDS["proposal"].model)).all()
    for proposal in proposals[:3]:
        tf.request(proposal, world.users["citizen"], "en" if proposal.language != "en" else "it")
    few = statements()
    for proposal in proposals[3:]:
        tf.request(proposal, world.users["citizen"], "de")
    assert statements() == few


# Query counts of the proposal list, with and without translations.


def _list_statements(client, count_queries, consultation) -> int:
    url = f"/consultations/{consultation.id}/proposals"
    client.get(url)
    with count_queries() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


@pytest.mark.parametrize("translated", [False, True])
def test_the_proposal_list_runs_the_same_queries_for_10_and_100_proposals(
    client, world, count_queries, translated
):
    log_in(client, factories.user(languages=("en",)))
    counts = []
    for size in (10, 100):
        consultation = tf.consultation(world)
        pf.bulk_proposals(consultation, world.users["organisation"], size)
        if translated:
            for proposal in db.session.scalars(
                sa.select(KINDS["proposal"].model).where(
                    KINDS["proposal"].model.consultation_id == consultation.id
                )
            ):
                tf.translation(proposal, "en", origin="human" if proposal.id % 2 else "machine")
        counts.append(_list_statements(client, count_queries, consultation))
    assert counts[0] == counts[1]


def test_the_proposal_page_runs_the_same_queries_with_5_and_60_translated_threads(
    client, world, count_queries
):
    log_in(client, factories.user(languages=("en",)))
    counts = []
    for size in (5, 60):
        proposal = tf.proposal(world)
        pf.bulk_comments(proposal, world.users["organisation"], size)
        for comment in db.session.scalars(
            sa.select(Comment).where(Comment.proposal_id == proposal.id)
        ):
            tf.translation(comment, "en", fields={"body": "Translated"})
        tf.translation(proposal, "en", origin="machine")
        url = f"/proposals/{proposal.id}"
        client.get(url)
        with count_queries() as statements:
            html = client.get(url).get_data(as_text=True)
        assert "Translated</div>" in html
        counts.append(len(statements))
    assert counts[0] == counts[1]
