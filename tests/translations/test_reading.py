"""Which version of a text a reader sees: the pure choice, then loading for a page."""

from __future__ import annotations

from app.translations.reading import Candidate, choose, load
from tests import factories
from tests.translations import factories as tf


def _c(id_, language, origin="human", status="published", hidden=False):
    return Candidate(id_, language, origin, status, hidden)


# choose(): no database.


def test_the_reader_of_the_original_language_reads_the_original():
    candidates = [_c(1, "it"), _c(2, "en")]
    assert choose("ar", candidates, ["ar", "it"]) is None


def test_a_person_wins_over_a_machine_in_the_same_language():
    candidates = [_c(1, "it", "machine"), _c(2, "it", "human"), _c(3, "it", "machine")]
    assert choose("ar", candidates, ["it"]).id == 2


def test_a_machine_translation_is_shown_when_no_person_translated():
    assert choose("ar", [_c(4, "it", "machine")], ["it"]).id == 4


def test_published_wins_over_pending_and_pending_is_never_shown():
    assert choose("ar", [_c(1, "it", status="pending"), _c(2, "it")], ["it"]).id == 2
    for status in ("pending", "rejected", "superseded"):
        assert choose("ar", [_c(1, "it", status=status)], ["it"]) is None


def test_hidden_translations_are_never_shown():
    assert choose("ar", [_c(1, "it", hidden=True)], ["it"]) is None
    assert choose("ar", [_c(1, "it", hidden=True), _c(2, "it", "machine")], ["it"]).id == 2


def test_the_readers_languages_are_tried_in_order():
    candidates = [_c(1, "fr"), _c(2, "en")]
    assert choose("ar", candidates, ["it", "en", "fr"]).id == 2
    assert choose("ar", candidates, ["fr", "en"]).id == 1
    assert choose("ar", candidates, ["de"]) is None


def test_an_earlier_language_that_is_the_originals_stops_the_walk():
    # An Italian reader who also reads Arabic reads an Arabic original in Arabic, even though an
    # Italian translation exists... only when Arabic comes first.
    candidates = [_c(1, "it")]
    assert choose("ar", candidates, ["ar", "it"]) is None
    assert choose("ar", candidates, ["it", "ar"]).id == 1


def test_regional_variants_count_as_their_language():
    assert choose("ar", [_c(1, "pt")], ["pt-BR"]).id == 1
    assert choose("pt-BR", [_c(1, "en")], ["pt"]) is None


def test_the_newest_of_two_published_machine_translations_wins():
    assert choose("ar", [_c(1, "it", "machine"), _c(5, "it", "machine")], ["it"]).id == 5


# load(): one query for a page's texts.


def test_load_labels_the_translation_and_keeps_the_original(world):
    translator = factories.user(name="Samira")
    proposal = tf.proposal(world, title="Un orto condiviso", body="Coltiviamo **insieme**.")
    tf.translation(
        proposal,
        "ar",
        translator=translator,
        fields={"title": "حديقة مشتركة", "body": "لنزرع معاً."},
    )
    rendering = load([proposal], ["ar", "it"])[("proposal", proposal.id)]
    assert rendering.translated
    assert rendering.origin == "human"
    assert rendering.translator == "Samira"
    assert rendering.language == "ar"
    assert rendering.field("title") == "حديقة مشتركة"
    assert rendering.original("title") == "Un orto condiviso"
    assert not rendering.outdated
    assert not rendering.may_ask  # a person's translation into Arabic exists


def test_load_marks_a_translation_of_an_earlier_version(world):
    proposal = tf.proposal(world)
    tf.translation(proposal, "en", digest="not-the-current-one")
    rendering = load([proposal], ["en"])[("proposal", proposal.id)]
    assert rendering.translated
    assert rendering.outdated


def test_load_offers_to_ask_when_only_a_machine_translated(world):
    proposal = tf.proposal(world)
    tf.translation(proposal, "en", origin="machine")
    rendering = load([proposal], ["en"])[("proposal", proposal.id)]
    assert rendering.origin == "machine"
    assert rendering.translator is None
    assert rendering.may_ask


def test_load_gives_the_original_to_its_readers(world):
    proposal = tf.proposal(world)
    tf.translation(proposal, "en")
    rendering = load([proposal], ["it", "en"])[("proposal", proposal.id)]
    assert not rendering.translated
    assert rendering.field("title") == proposal.title
    assert not rendering.may_ask


def test_load_runs_one_query_for_every_kind_and_item(world, count_queries):
    proposal = tf.proposal(world)
    comments = [tf.arabic_comment(proposal, world.users["organisation"]) for _ in range(5)]
    for comment in comments[:3]:
        tf.translation(comment, "it", fields={"body": "Bella idea, la sostengo."})
    items = [proposal.consultation, proposal, *comments]
    with count_queries() as statements:
        renderings = load(items, ["it"])
    assert len(statements) == 1
    shown = [renderings[("comment", c.id)].field("body") for c in comments]
    assert shown[:3] == ["Bella idea, la sostengo."] * 3
    assert shown[3] == comments[3].body
    assert renderings[("consultation", proposal.consultation_id)].translated is False


def test_a_deleted_translator_is_not_named(app, world):
    from app.db_types import utcnow

    translator = factories.user(name="Gone")
    proposal = tf.proposal(world)
    tf.translation(proposal, "en", translator=translator)
    translator.deleted_at = utcnow()
    with app.test_request_context(headers={"Accept-Language": "en"}):
        rendering = load([proposal], ["en"])[("proposal", proposal.id)]
    assert rendering.translator == "deleted participant"
