"""What the platform publishes as open data: every download a visitor may take, per city and per
consultation, with its format, update date, size and digest where they are cheap to know.

`catalogue()` reads it all in a constant number of statements whatever the number of cities and
consultations; the open-data page and the DCAT-AP catalogue (app/opendata/dcat.py) both show it.
Each download is listed under the same rule as the download itself: the results once the
snapshot exists, the questionnaire's answers once they are public (earlier for those who may
read them early), the observatory's figures for those who may read the observatory.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app, url_for
from sqlalchemy.orm import lazyload

from app.auth.permissions import is_association_staff
from app.cities.models import City
from app.consultations.models import Consultation
from app.extensions import db
from app.meetings.feeds import FEED_PAST
from app.meetings.models import Meeting
from app.observatory.panels import may_observe
from app.projects.models import Project
from app.questionnaires.models import Questionnaire
from app.questionnaires.results import may_read
from app.questionnaires.rules import answering_ends
from app.results.models import ResultSnapshot

# The read-only API's addresses (its own blueprint): kept here, in one place, so that they can
# become url_for() calls once both live in the same tree.
API_ENDPOINTS = {"endpoint": "api.index", "description": "api.openapi", "docs": "api.docs"}

# Media types of the downloads (IANA names; the catalogue gives their IANA addresses).
CSV = "text/csv"
JSON = "application/json"
PLAIN = "text/plain"
CALENDAR = "text/calendar"


@dataclass(frozen=True)
class Download:
    """One file a visitor may download. `kind` names what it holds (labels in labels.py)."""

    kind: str
    url: str
    media_type: str
    format: str
    modified: datetime | None = None
    size: int | None = None
    sha256: str | None = None


@dataclass
class ConsultationData:
    consultation: Consultation
    downloads: list[Download] = field(default_factory=list)

    @property
    def modified(self) -> datetime:
        return _latest([d.modified for d in self.downloads], self.consultation.updated_at)


@dataclass
class CityData:
    city: City
    downloads: list[Download] = field(default_factory=list)
    consultations: list[ConsultationData] = field(default_factory=list)

    @property
    def modified(self) -> datetime | None:
        dates = [d.modified for d in self.downloads] + [c.modified for c in self.consultations]
        return _latest(dates, None)


@dataclass
class Catalogue:
    cities: list[CityData]
    # Downloads about the whole network (the association's staff only).
    network: list[Download]

    @property
    def modified(self) -> datetime | None:
        return _latest([c.modified for c in self.cities] + [d.modified for d in self.network], None)

    @property
    def consultations(self) -> list[ConsultationData]:
        return [item for city in self.cities for item in city.consultations]


def _latest(dates: list[datetime | None], default: datetime | None) -> datetime | None:
    known = [d for d in dates if d is not None]
    return max(known) if known else default


def licence() -> dict[str, str]:
    """The licence of every download (configured, CC BY 4.0 by default)."""
    return {
        "url": current_app.config["DATA_LICENCE_URL"],
        "name": current_app.config["DATA_LICENCE_NAME"],
    }


def api_url(name: str) -> str:
    """An absolute address of the API (`endpoint`, `description`, `docs`)."""
    return url_for(API_ENDPOINTS[name], _external=True)


def _octets(column: Any) -> Any:
    """The size in bytes of a text column as UTF-8 (what the download sends)."""
    if db.engine.dialect.name == "postgresql":
        return sa.func.octet_length(column)
    # SQLite's length() counts the characters of a text, the bytes of a blob.
    return sa.func.length(sa.cast(column, sa.LargeBinary))


def _grouped(model: Any, *criteria: Any) -> tuple[dict[int, tuple], dict[int, tuple]]:
    """{consultation id: (count, last change)} and {city id: (count, last change)} of `model`'s
    rows (projects, meetings), in one query."""
    rows = db.session.execute(
        sa.select(
            model.city_id, model.consultation_id, sa.func.count(), sa.func.max(model.updated_at)
        )
        .where(*criteria)
        .group_by(model.city_id, model.consultation_id)
    ).all()
    by_consultation: dict[int, tuple] = {}
    by_city: dict[int, tuple] = {}
    for city_id, consultation_id, count, last in rows:
        if consultation_id is not None:
            by_consultation[consultation_id] = (count, last)
        before_count, before_last = by_city.get(city_id, (0, None))
        by_city[city_id] = (before_count + count, _latest([before_last, last], None))
    return by_consultation, by_city


def _projects(scope: str, value: Any, modified: datetime | None) -> list[Download]:
    endpoint = f"projects.{scope}_export"
    key = "consultation_id" if scope == "consultation" else "slug"
    return [
        Download(
            f"projects_{fmt}",
            url_for(endpoint, fmt=fmt, _external=True, **{key: value}),
            media_type,
            fmt.upper(),
            modified,
        )
        for fmt, media_type in (("csv", CSV), ("json", JSON))
    ]


def _observatory(scope: str, value: Any) -> list[Download]:
    key = "consultation_id" if scope == "consultation" else "slug"
    return [
        Download(
            f"observatory_{fmt}",
            url_for(f"observatory.{scope}_{fmt}", _external=True, **{key: value}),
            media_type,
            fmt.upper(),
        )
        for fmt, media_type in (("csv", CSV), ("json", JSON))
    ]


def _consultation_downloads(
    consultation: Consultation,
    user: Any,
    now: datetime,
    snapshot: tuple | None,
    questionnaire: Questionnaire | None,
    projects: tuple | None,
    meetings: tuple | None,
) -> list[Download]:
    found: list[Download] = []
    cid = consultation.id
    if snapshot is not None:
        digest, computed_at, size = snapshot
        found.append(
            Download(
                "result",
                url_for("results.snapshot_json", consultation_id=cid, _external=True),
                JSON,
                "JSON",
                computed_at,
                size,
                digest,
            )
        )
        found.append(
            Download(
                "ballots_csv",
                url_for("results.ballots_csv", consultation_id=cid, _external=True),
                CSV,
                "CSV",
                computed_at,
            )
        )
        if consultation.voting_method == "budget":
            found.append(
                Download(
                    "ballots_pb",
                    url_for("results.ballots_pb", consultation_id=cid, _external=True),
                    PLAIN,
                    "Pabulib",
                    computed_at,
                )
            )
    if questionnaire is not None and may_read(user, consultation, questionnaire, now):
        ended = answering_ends(consultation, questionnaire)
        if consultation.closed_at is not None:
            ended = min(ended, consultation.closed_at)
        # Read early (by the city or the association), the answers still change: no date.
        modified = ended if ended <= now else None
        for fmt, media_type in (("csv", CSV), ("json", JSON)):
            found.append(
                Download(
                    f"answers_{fmt}",
                    url_for("questionnaires.export", consultation_id=cid, fmt=fmt, _external=True),
                    media_type,
                    fmt.upper(),
                    modified,
                )
            )
    if projects is not None:
        found += _projects("consultation", cid, projects[1])
    if meetings is not None:
        found.append(
            Download(
                "meetings_ics",
                url_for("meetings.consultation_feed", consultation_id=cid, _external=True),
                CALENDAR,
                "iCalendar",
                meetings[1],
            )
        )
    if found and may_observe(user, consultation.city):
        found += _observatory("consultation", cid)
    return found


def catalogue(user: Any, now: datetime, *, city: City | None = None) -> Catalogue:
    """Every download `user` may take (None: an anonymous visitor), per city and consultation;
    only `city`'s when one is given. Seven statements whatever the number of items: the
    consultations, their phases, the snapshots, the questionnaires, the projects, the meetings and
    the cities."""
    consultation_filter = [] if city is None else [Consultation.city_id == city.id]
    consultations = db.session.scalars(
        sa.select(Consultation)
        .where(*consultation_filter)
        # The city comes joined; the phases in one more query (when answering ends).
        .options(lazyload(Consultation.city_step))
        .order_by(Consultation.starts_at.desc(), Consultation.id.desc())
    ).all()
    snapshots = {
        row.consultation_id: (row.digest, row.computed_at, row.size)
        for row in db.session.execute(
            sa.select(
                ResultSnapshot.consultation_id,
                ResultSnapshot.digest,
                ResultSnapshot.computed_at,
                _octets(ResultSnapshot.canonical_json).label("size"),
            ).where(
                *(
                    []
                    if city is None
                    else [
                        ResultSnapshot.consultation_id.in_(
                            sa.select(Consultation.id).where(*consultation_filter)
                        )
                    ]
                )
            )
        )
    }
    questionnaires = {
        q.consultation_id: q
        for q in db.session.scalars(
            sa.select(Questionnaire).where(
                Questionnaire.consultation_id.in_(
                    sa.select(Consultation.id).where(*consultation_filter)
                )
            )
        )
    }
    city_filter = [] if city is None else [Project.city_id == city.id]
    projects, city_projects = _grouped(Project, *city_filter)
    meeting_filter = [Meeting.ends_at >= now - FEED_PAST]
    if city is not None:
        meeting_filter.append(Meeting.city_id == city.id)
    meetings, city_meetings = _grouped(Meeting, *meeting_filter)

    per_city: dict[int, list[ConsultationData]] = defaultdict(list)
    for consultation in consultations:
        downloads = _consultation_downloads(
            consultation,
            user,
            now,
            snapshots.get(consultation.id),
            questionnaires.get(consultation.id),
            projects.get(consultation.id),
            meetings.get(consultation.id),
        )
        if downloads:
            per_city[consultation.city_id].append(ConsultationData(consultation, downloads))

    cities = (
        [city]
        if city is not None
        else db.session.scalars(sa.select(City).order_by(City.name, City.id)).all()
    )
    result: list[CityData] = []
    for place in cities:
        downloads: list[Download] = []
        if place.id in city_projects:
            downloads += _projects("city", place.slug, city_projects[place.id][1])
        if place.id in city_meetings:
            downloads.append(
                Download(
                    "meetings_ics",
                    url_for("meetings.city_feed", slug=place.slug, _external=True),
                    CALENDAR,
                    "iCalendar",
                    city_meetings[place.id][1],
                )
            )
        if may_observe(user, place):
            downloads += _observatory("city", place.slug)
        if downloads or per_city.get(place.id):
            result.append(CityData(place, downloads, per_city.get(place.id, [])))

    network: list[Download] = []
    if city is None and is_association_staff(user):
        for endpoint, kind in (
            ("observatory.index", "observatory"),
            ("network.matrix", "pathway_matrix"),
        ):
            for fmt, media_type in (("csv", CSV), ("json", JSON)):
                network.append(
                    Download(
                        f"{kind}_{fmt}",
                        url_for(f"{endpoint}_{fmt}", _external=True),
                        media_type,
                        fmt.upper(),
                    )
                )
    return Catalogue(result, network)
