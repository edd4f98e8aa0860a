"""What the pathway tests share: messages as a locale says them, row counts."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import escape

from app.extensions import db


def message(app, locale: str, msgid: str, **variables) -> str:
    """A message as the user's locale says it (English until the catalogs have it), as HTML."""
    with app.test_request_context(), force_locale(locale):
        return str(escape(_(msgid, **variables)))


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))
