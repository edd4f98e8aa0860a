"""Helpers of the network tests: a city's history, its steps, messages as a locale reads them."""

from __future__ import annotations

import html

import sqlalchemy as sa
from flask import Flask
from flask_babel import force_locale, gettext

from app.cities.models import City, CityChange
from app.extensions import db
from app.pathway.models import CityStep


def changes(city: City, change: str | None = None) -> list[CityChange]:
    """The city's history entries, oldest first."""
    query = sa.select(CityChange).where(CityChange.city_id == city.id)
    if change:
        query = query.where(CityChange.change == change)
    return list(db.session.scalars(query.order_by(CityChange.id)))


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def step(city: City, position: int) -> CityStep:
    return next(s for s in city.steps if s.step.position == position)


def message(app: Flask, locale: str, msgid: str, **variables) -> str:
    """A message as readers in `locale` get it (English until the catalog has it)."""
    with app.test_request_context(), force_locale(locale):
        return gettext(msgid, **variables)


def text(response) -> str:
    """The page's text with HTML entities decoded, for comparing with messages."""
    return html.unescape(response.get_data(as_text=True))
