"""Meetings as iCalendar: one meeting's file, a city's feed and a consultation's feed.

Public like the city's and the consultation's pages (everyone reads them; an unknown city,
consultation or meeting is a 404). A feed never holds the online link; a meeting's own file has
it only for a person with a place or an organiser (who see it on the meeting page too), and a
signed-in person's copy is never cached.
Each view runs a constant number of queries whatever the number of meetings.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Response, abort, current_app, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.cities.services import get_city_or_404
from app.consultations.services import get_consultation_or_404
from app.db_types import utcnow
from app.extensions import db
from app.meetings import bp
from app.meetings.calendar import EventTexts, calendar_bytes, meeting_event
from app.meetings.models import Meeting
from app.meetings.services import sees_online_link
from app.meetings.texts import MODE_LABELS, shown_texts
from app.translations.reading import reader_languages

# A feed: the meetings to come and those of the last 90 days, the newest FEED_LIMIT of them.
FEED_PAST = timedelta(days=90)
FEED_LIMIT = 500
# How often a subscribed calendar should fetch a feed again, and how long caches keep one.
FEED_REFRESH = timedelta(hours=6)
FEED_MAX_AGE = 900
FILE_MAX_AGE = 300


def _host() -> str:
    """The platform's host name, for UIDs that stay the same whatever address served them."""
    return urlsplit(current_app.config.get("PUBLIC_URL") or "").hostname or request.host


def _events(meetings: list[Meeting], *, online_link: bool = False) -> list:
    shown = shown_texts(meetings, reader_languages())
    host = _host()
    events = []
    for meeting in meetings:
        texts = shown[meeting.id]
        notes = [_("Mode: %(mode)s", mode=MODE_LABELS.get(meeting.mode, meeting.mode))]
        include_link = online_link and meeting.mode != "in_person" and bool(meeting.online_url)
        if include_link:
            notes.append(_("Join online:"))
        elif meeting.mode != "in_person":
            notes.append(_("The online link is on the meeting page, for the people with a place."))
        if meeting.cancelled_at is not None:
            notes.insert(0, _("This meeting is cancelled."))
        events.append(
            meeting_event(
                meeting,
                host=host,
                url=url_for("meetings.show", meeting_id=meeting.id, _external=True),
                texts=EventTexts(texts.title, texts.description, texts.language, tuple(notes)),
                online_url=meeting.online_url if include_link else "",
            )
        )
    return events


def _response(body: bytes, filename: str, cache: str) -> Response:
    response = Response(body, content_type="text/calendar; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = cache
    # The same meetings give the same bytes (DTSTAMP is their last change): a calendar that
    # polls gets a 304 while nothing changed.
    response.add_etag()
    return response.make_conditional(request)


def _feed_meetings(*criteria) -> list[Meeting]:
    """The meetings of a feed, oldest first, in one query (their cities joined)."""
    newest_first = list(
        db.session.scalars(
            sa.select(Meeting)
            .where(*criteria, Meeting.ends_at >= utcnow() - FEED_PAST)
            .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
            .limit(FEED_LIMIT)
        )
    )
    return newest_first[::-1]


@bp.route("/<id:meeting_id>.ics")
def ics(meeting_id: int):
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        abort(404)
    signed_in = current_user.is_authenticated
    body = calendar_bytes(
        _events([meeting], online_link=sees_online_link(meeting, current_user)),
        name=meeting.title,
        uid=f"meeting-file-{meeting.id}@{_host()}",
    )
    # A signed-in person's copy may hold the online link (for those with a place): never cached.
    cache = "private, no-store" if signed_in else f"public, max-age={FILE_MAX_AGE}"
    return _response(body, f"meeting-{meeting.id}.ics", cache)


@bp.route("/cities/<slug>.ics")
def city_feed(slug: str):
    city = get_city_or_404(slug)
    meetings = _feed_meetings(Meeting.city_id == city.id)
    body = calendar_bytes(
        _events(meetings),
        name=_("Meetings of %(city)s", city=city.name),
        uid=f"meetings-city-{city.slug}@{_host()}",
        refresh=FEED_REFRESH,
    )
    return _response(body, f"meetings-{city.slug}.ics", f"public, max-age={FEED_MAX_AGE}")


@bp.route("/consultations/<id:consultation_id>.ics")
def consultation_feed(consultation_id: int):
    consultation = get_consultation_or_404(consultation_id)
    meetings = _feed_meetings(Meeting.consultation_id == consultation.id)
    body = calendar_bytes(
        _events(meetings),
        name=_("Meetings of the consultation %(title)s", title=consultation.title),
        uid=f"meetings-consultation-{consultation.id}@{_host()}",
        refresh=FEED_REFRESH,
    )
    return _response(
        body, f"meetings-consultation-{consultation.id}.ics", f"public, max-age={FEED_MAX_AGE}"
    )
