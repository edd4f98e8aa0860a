"""The audit log's pages: the whole network's for the association, a city's for its moderators."""

from __future__ import annotations

from flask import Response, current_app, render_template, request, url_for
from flask_login import current_user

from app.audit import bp, panels, services
from app.audit.forms import AuditFilterForm
from app.audit.panels import may_read
from app.auth.permissions import association_staff_required, deny_unless, login_required
from app.cities.models import City
from app.cities.services import all_cities, get_city_or_404
from app.ids import id_arg

# This feature's panels on the city, step and consultation pages (app/cities/panels.py).
bp.record_once(panels.register)


def _filters(city: City | None) -> tuple[AuditFilterForm, services.AuditFilters | None]:
    """The filters asked for in the query string; None when one of them is not acceptable."""
    form = AuditFilterForm(request.args)
    cities = [] if city else all_cities()
    form.fill_choices(
        cities=None if city else [(c.slug, c.name) for c in cities],
        actors=services.actors_in_log(city.id if city else None),
    )
    if not form.validate():
        return form, None
    filters = services.AuditFilters(
        action=form.action.data or "",
        actor=form.actor.data or "",
        since=form.since.data,
        until=form.until.data,
        timezone=city.timezone if city else current_app.config["BABEL_DEFAULT_TIMEZONE"],
    )
    if city is not None:
        filters.city_id = city.id
    elif form.city.data:
        filters.city_id = next(c.id for c in cities if c.slug == form.city.data)
    return form, filters


def _filter_args() -> dict[str, str]:
    """The query string without the page marker: what the CSV and the pager keep."""
    return {key: value for key, value in request.args.items() if key != "before" and value}


def _listing(city: City | None):
    form, filters = _filters(city)
    if filters is None:
        return render_template("audit/index.html", form=form, city=city, page=None), 422
    before = id_arg("before")
    page = services.search(filters, before=before)
    args = _filter_args()
    if city is not None:
        args["slug"] = city.slug
    endpoint = "audit.city" if city else "audit.index"
    return render_template(
        "audit/index.html",
        form=form,
        city=city,
        page=page,
        export_url=url_for("audit.city_export" if city else "audit.export", **args),
        newest_url=url_for(endpoint, **args) if before is not None else None,
        older_url=url_for(endpoint, before=page.older_than, **args) if page.older_than else None,
    )


def _csv(city: City | None, filename: str):
    form, filters = _filters(city)
    if filters is None:
        return render_template("audit/index.html", form=form, city=city, page=None), 422
    return Response(
        services.export_csv(filters),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/")
@association_staff_required
def index():
    return _listing(None)


@bp.route("/export.csv")
@association_staff_required
def export():
    return _csv(None, "audit-log.csv")


def _city_or_deny(slug: str) -> City:
    city = get_city_or_404(slug)
    deny_unless(may_read(current_user, city))
    return city


@bp.route("/cities/<slug>")
@login_required
def city(slug: str):
    return _listing(_city_or_deny(slug))


@bp.route("/cities/<slug>/export.csv")
@login_required
def city_export(slug: str):
    city = _city_or_deny(slug)
    return _csv(city, f"audit-log-{city.slug}.csv")
