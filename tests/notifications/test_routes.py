"""The notification pages: following by button, the list, marking as read, the digest setting."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.notifications import services
from app.notifications.models import CHOOSABLE_KINDS, Follow, Notification
from tests.consultations.factories import with_phases
from tests.proposals import factories as pf


def _follows() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Follow))


def test_follow_and_unfollow_buttons_go_back_and_never_fail(client, world, login_as):
    consultation = with_phases(world.here, phase="proposals")
    login_as("citizen")
    url = f"/notifications/follow/consultation/{consultation.id}"
    response = client.post(url, data={"next": f"/consultations/{consultation.id}"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/consultations/{consultation.id}")
    again = client.post(url, follow_redirects=True)
    assert again.status_code == 200
    assert "You already follow it." in again.get_data(as_text=True)
    assert _follows() == 1
    page = client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert f"/notifications/unfollow/consultation/{consultation.id}" in page
    response = client.post(
        f"/notifications/unfollow/consultation/{consultation.id}", data={"next": "//evil.example"}
    )
    assert response.status_code == 302
    assert "evil.example" not in response.headers["Location"]
    assert _follows() == 0


def test_following_a_proposal_and_unknown_targets(client, world, login_as):
    consultation = with_phases(world.here, phase="proposals")
    proposal = pf.proposal(consultation, world.users["organisation"])
    login_as("citizen")
    response = client.post(f"/notifications/follow/proposal/{proposal.id}")
    assert response.headers["Location"].endswith(f"/proposals/{proposal.id}")
    assert services.is_following(world.users["citizen"], proposal=proposal)
    assert client.post("/notifications/follow/city/1").status_code == 404
    assert client.post("/notifications/follow/proposal/999999").status_code == 404
    assert client.post("/notifications/unfollow/consultation/999999").status_code == 404


def test_the_list_words_notifications_and_marks_them_read(client, world, login_as):
    consultation = with_phases(world.here, phase="proposals", title="Piazze vive")
    citizen = world.users["citizen"]
    services.follow(citizen, consultation=consultation)
    proposal = pf.proposal(consultation, world.users["organisation"], title="Mercato il sabato")
    login_as("citizen")
    html = client.get("/notifications/").get_data(as_text=True)
    assert "1 unread notification" in html
    assert "posted a proposal" in html
    assert f'href="/proposals/{proposal.id}"' in html
    assert '<q lang="it" dir="ltr">Mercato il sabato</q>' in html
    response = client.post("/notifications/read")
    assert response.status_code == 302
    assert services.unread_count(citizen) == 0
    assert "0 unread notifications" in client.get("/notifications/").get_data(as_text=True)


def test_the_list_pages_the_oldest_away(client, world, login_as):
    consultation = with_phases(world.here, phase="proposals")
    citizen = world.users["citizen"]
    db.session.execute(
        sa.insert(Notification),
        [
            {"user_id": citizen.id, "kind": "phase_changed", "consultation_id": consultation.id}
            for _ in range(services.PAGE_SIZE + 5)
        ],
    )
    login_as("citizen")
    html = client.get("/notifications/").get_data(as_text=True)
    assert html.count('<li class="notification') == services.PAGE_SIZE
    assert "A new phase began in" in html
    older = html.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    assert client.get(older).get_data(as_text=True).count('<li class="notification') == 5


def test_the_settings_choose_a_channel_per_kind(client, world, login_as):
    citizen = world.users["citizen"]
    login_as("citizen")
    html = client.get("/notifications/settings").get_data(as_text=True)
    for kind in CHOOSABLE_KINDS:
        assert f'name="{kind}"' in html
    assert '<option selected value="site">' in html  # the default without the daily e-mail
    assert "You follow nothing yet" in html
    choices = dict.fromkeys(CHOOSABLE_KINDS, "site") | {
        "results_published": "email",
        "response_given": "digest",
        "comment_posted": "never",
    }
    assert client.post("/notifications/settings", data=choices).status_code == 302
    assert services.channels_of(citizen) == choices
    assert citizen.email_digest  # some news goes to the daily e-mail
    # A made-up channel changes nothing and says why, in the reader's language.
    response = client.post("/notifications/settings", data=choices | {"phase_changed": "pigeon"})
    assert response.status_code == 422
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert services.channels_of(citizen) == choices
    assert client.post("/notifications/settings", data=choices | {"response_given": "site"})
    assert not citizen.email_digest


def test_the_settings_list_what_one_follows(client, world, login_as):
    consultation = with_phases(world.here, phase="proposals", title="Biblioteche")
    proposal = pf.proposal(consultation, world.users["citizen"], title="Prestito serale")
    services.follow(world.users["citizen"], consultation=consultation)
    login_as("citizen")
    html = client.get("/notifications/settings").get_data(as_text=True)
    assert "Biblioteche" in html
    assert "Prestito serale" in html
    assert f"/notifications/unfollow/proposal/{proposal.id}" in html
