"""Notifications, what one follows and the digest name each text in the reader's language."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.db_types import utcnow
from app.extensions import db
from app.notifications import services
from app.notifications.models import Notification
from tests import factories
from tests.conftest import log_in
from tests.consultations.factories import with_phases
from tests.proposals import factories as pf
from tests.translations import factories as tf

GARDENS = "حدائق الحي"
LIBRARIES = "مكتبات الحي"
BENCHES = "مقاعد في الظل"


@pytest.fixture
def arabic(world):
    """An Arabic consultation with a person's (and a machine's) French title, an Arabic one
    without any translation, and an Arabic proposal with a French title."""
    gardens = with_phases(world.here, title=GARDENS, description="وصف", language="ar")
    translator = world.users["moderator_here"]
    tf.translation(gardens, "fr", origin="machine", fields={"title": "Les jardins (machine)"})
    tf.translation(gardens, "fr", translator=translator, fields={"title": "Jardins du quartier"})
    libraries = with_phases(world.here, title=LIBRARIES, description="وصف", language="ar")
    benches = pf.proposal(gardens, world.users["organisation"], title=BENCHES, language="ar")
    tf.translation(benches, "fr", translator=translator, fields={"title": "Bancs à l'ombre"})
    return gardens, libraries, benches


def _notify(user, consultation, proposal=None, kind="translation_published") -> None:
    db.session.execute(
        sa.insert(Notification),
        [
            {
                "user_id": user.id,
                "kind": kind,
                "consultation_id": consultation.id,
                "proposal_id": proposal.id if proposal is not None else None,
                # As written for a reader of the daily e-mail (the digest test sends them).
                "channel": "digest",
            }
        ],
    )


def test_a_french_reader_reads_the_titles_in_french_or_as_written(client, world, arabic):
    gardens, libraries, benches = arabic
    reader = factories.user(languages=("fr",), locale="fr")
    _notify(reader, gardens)
    _notify(reader, libraries, kind="phase_changed")
    _notify(reader, gardens, benches, kind="response_given")
    log_in(client, reader)
    html = client.get("/notifications/").get_data(as_text=True)
    assert '<q lang="fr" dir="ltr">Jardins du quartier</q>' in html
    assert '<q lang="fr" dir="ltr">Bancs à l&#39;ombre</q>' in html
    # Beside a proposal, its consultation, in French too.
    assert '<span lang="fr" dir="ltr">Jardins du quartier</span>' in html
    # No translation: the original, marked as Arabic.
    assert f'<q lang="ar" dir="rtl">{LIBRARIES}</q>' in html
    assert GARDENS not in html
    assert BENCHES not in html
    assert "(machine)" not in html

    services.follow(reader, consultation=gardens)
    services.follow(reader, consultation=libraries)
    services.follow(reader, proposal=benches)
    html = client.get("/notifications/settings").get_data(as_text=True)
    assert 'lang="fr" dir="ltr">Jardins du quartier</a>' in html
    assert 'lang="fr" dir="ltr">Bancs à l&#39;ombre</a>' in html
    assert f'lang="ar" dir="rtl">{LIBRARIES}</a>' in html
    assert GARDENS not in html


def test_an_arabic_reader_reads_them_as_written(client, world, arabic):
    gardens, _libraries, benches = arabic
    reader = factories.user(languages=("ar", "fr"))
    _notify(reader, gardens, benches, kind="response_given")
    log_in(client, reader)
    html = client.get("/notifications/").get_data(as_text=True)
    assert f'<q lang="ar" dir="rtl">{BENCHES}</q>' in html
    assert f'<span lang="ar" dir="rtl">{GARDENS}</span>' in html
    assert "Jardins du quartier" not in html


def _followed_world(world, reader, count: int) -> None:
    """`count` Arabic consultations and proposals, each with a French title, followed by
    `reader` and named in their notifications."""
    for n in range(count):
        consultation = with_phases(world.here, title=f"استشارة {n}", language="ar")
        proposal = pf.proposal(consultation, world.users["organisation"], language="ar")
        tf.translation(consultation, "fr", fields={"title": f"Consultation {n}"})
        tf.translation(proposal, "fr", origin="machine", fields={"title": f"Proposition {n}"})
        services.follow(reader, consultation=consultation)
        services.follow(reader, proposal=proposal)
        _notify(reader, consultation, kind="phase_changed")
        _notify(reader, consultation, proposal, kind="response_given")


@pytest.mark.parametrize("url", ["/notifications/", "/notifications/settings"])
def test_the_pages_read_every_title_in_a_constant_number_of_queries(
    client, world, count_queries, url
):
    counts = []
    for size in (1, 8):
        reader = factories.user(languages=("fr",), locale="fr")
        _followed_world(world, reader, size)
        log_in(client, reader)
        client.get(url)  # templates warmed up
        with count_queries() as statements:
            html = client.get(url).get_data(as_text=True)
        assert f"Consultation {size - 1}</" in html
        assert f"Proposition {size - 1}</" in html
        translations = [s for s in statements if "FROM translations" in s]
        assert len(translations) == 1
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_the_digest_names_the_texts_in_its_recipients_languages(app, world, arabic, outbox):
    gardens, libraries, benches = arabic
    lecteur = factories.user("lecteur@example.org", languages=("fr",), locale="fr")
    reader = factories.user("qaria@example.org", languages=("ar",), locale="en")
    for person in (lecteur, reader):
        _notify(person, gardens)
        _notify(person, libraries, kind="phase_changed")
        _notify(person, gardens, benches, kind="response_given")
    # Whoever runs the digest (here a request in German) does not matter.
    with app.test_request_context(headers={"Accept-Language": "de"}):
        assert services.send_digest(lecteur, utcnow()) == 3
        assert services.send_digest(reader, utcnow()) == 3
    french, arabic_body = outbox()[-2]["body"], outbox()[-1]["body"]
    assert "## Jardins du quartier" in french
    assert f"## {LIBRARIES}" in french
    assert "“Jardins du quartier”" in french
    assert "“Bancs à l'ombre”" in french
    assert GARDENS not in french
    assert BENCHES not in french
    assert f"## {GARDENS}" in arabic_body
    assert f"“{BENCHES}”" in arabic_body
    assert "Jardins du quartier" not in arabic_body
