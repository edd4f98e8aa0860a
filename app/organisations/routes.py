import sqlalchemy as sa
from flask import abort, render_template

from app.accounts.models import Organisation
from app.extensions import db
from app.organisations import bp


@bp.route("/<slug>")
def show(slug: str):
    organisation = db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug))
    if organisation is None:
        abort(404)
    return render_template("organisations/show.html", organisation=organisation)
