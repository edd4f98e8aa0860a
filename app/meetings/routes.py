"""Meetings: the public page and lists; registering; the organisers' forms (the city's
moderators and the admin)."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from flask import Response, flash, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.permissions import can_manage_city, deny_unless, login_required
from app.cities.models import City
from app.cities.services import get_city_or_404
from app.consultations.models import Consultation
from app.db_types import utcnow
from app.exports import spreadsheet_safe
from app.extensions import db
from app.hooks import add_hook
from app.ids import id_arg, parse_id
from app.meetings import bp, feeds, panels, rules, services, upcoming  # noqa: F401
from app.meetings.forms import (
    MODE_LABELS,
    REFUSALS,
    STATE_LABELS,
    STATUS_LABELS,
    ActionForm,
    CancelForm,
    MeetingForm,
    MinutesForm,
    RegisterForm,
    meeting_language,
)
from app.meetings.models import Meeting, MeetingMinutes
from app.meetings.rules import MeetingError, MeetingFields
from app.pathway.models import CityStep
from app.translations.reading import reader
from app.voting.routes import PAPER_MEETINGS_HOOK

bp.record_once(panels.register)


@bp.record_once
def _register(state: BlueprintSetupState) -> None:
    state.app.jinja_env.globals["meeting_language"] = meeting_language
    add_hook(state.app, PAPER_MEETINGS_HOOK, paper_meeting_choices)


def paper_meeting_choices(consultation) -> list[tuple[int, str]]:
    """The meetings a batch of paper ballots may come from (the voting form's choice)."""
    return [
        (
            meeting.id,
            f"{meeting.title} · {rules.utc_to_local(meeting.starts_at, meeting.city.timezone):%Y-%m-%d %H:%M}",
        )
        for meeting in services.meetings_of_consultation(consultation.id)
    ]


def _actor():
    return current_user._get_current_object()


def _labels() -> dict:
    return {"modes": MODE_LABELS, "states": STATE_LABELS, "statuses": STATUS_LABELS}


def _step_labels(city: City) -> list[tuple[CityStep, str]]:
    locale = str(get_locale())
    return [
        (step, f"{step.step.position}. {step.step.text(locale).title}")
        for step in sorted(services.steps_of(city), key=lambda s: s.step.position)
    ]


# Reading.


@bp.route("/<id:meeting_id>")
def show(meeting_id: int):
    meeting = services.get_meeting_or_404(meeting_id)
    now = utcnow()
    registered, waiting = services.counts([meeting.id])[meeting.id]
    mine = services.registration_of(meeting, current_user)
    texts: list = [meeting]
    minutes = None
    if meeting.minutes:
        minutes = db.session.get(MeetingMinutes, meeting.id)
        texts.append(minutes)
    register_form = RegisterForm()
    register_form.fill_choices(meeting, meeting_language)
    return render_template(
        "meetings/show.html",
        meeting=meeting,
        city=meeting.city,
        state=meeting.state(now),
        registered=registered,
        waiting=waiting,
        free=rules.free_places(meeting.capacity, registered),
        mine=mine,
        online_link=services.sees_online_link(meeting, current_user),
        position=services.waiting_position(mine) if mine and mine.status == "waiting" else None,
        refusal=services.registration_refusal(meeting, current_user, now),
        refusals=REFUSALS,
        register_form=register_form,
        action_form=ActionForm(),
        map_url=rules.osm_url(meeting.latitude, meeting.longitude),
        born=services.born_in(meeting),
        minutes=minutes,
        manage=can_manage_city(current_user, meeting.city),
        tr=reader(texts),
        **_labels(),
    )


@bp.route("/cities/<slug>")
def city(slug: str):
    place = get_city_or_404(slug)
    consultation_id = id_arg("consultation")
    step_id = id_arg("step")
    listed = services.meeting_list(
        city_id=place.id, consultation_id=consultation_id, city_step_id=step_id
    )
    consultation = db.session.get(Consultation, consultation_id) if consultation_id else None
    if consultation is not None and consultation.city_id != place.id:
        consultation = None
    return render_template(
        "meetings/city.html",
        city=place,
        listed=listed,
        consultation=consultation,
        step_id=step_id,
        manage=can_manage_city(current_user, place),
        tr=reader(listed.meetings),
        **_labels(),
    )


# Registering.


def _refused(error: MeetingError, meeting: Meeting):
    flash(str(REFUSALS.get(error.code, REFUSALS["closed"])), "error")
    return redirect(url_for("meetings.show", meeting_id=meeting.id))


@bp.route("/<id:meeting_id>/register", methods=["POST"])
@login_required
def register(meeting_id: int):
    meeting = services.get_meeting_or_404(meeting_id)
    form = RegisterForm()
    form.fill_choices(meeting, meeting_language)
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(str(e) for e in errors), "error")
        return redirect(url_for("meetings.show", meeting_id=meeting.id))
    try:
        outcome = services.register(
            meeting,
            _actor(),
            interpretation=form.interpretation.data or None,
            needs=form.needs.data or "",
        )
    except MeetingError as error:
        return _refused(error, meeting)
    if outcome == "registered":
        flash(_("You are registered for this meeting."), "success")
    elif outcome == "waiting":
        flash(
            _(
                "The meeting is full: you are on the waiting list. You will hear if a place frees up."
            ),
            "info",
        )
    else:
        flash(_("You are already registered for this meeting."), "info")
    return redirect(url_for("meetings.show", meeting_id=meeting.id))


@bp.route("/<id:meeting_id>/unregister", methods=["POST"])
@login_required
def unregister(meeting_id: int):
    meeting = services.get_meeting_or_404(meeting_id)
    form = ActionForm()
    if not form.validate_on_submit():
        flash(_("The form has expired. Please send it again."), "error")
        return redirect(url_for("meetings.show", meeting_id=meeting.id))
    try:
        done = services.unregister(meeting, _actor())
    except MeetingError as error:
        return _refused(error, meeting)
    if done:
        flash(_("Your registration is cancelled."), "success")
    else:
        flash(_("You were not registered for this meeting."), "info")
    return redirect(url_for("meetings.show", meeting_id=meeting.id))


# Organising.


def _form_fields(form: MeetingForm, zone: str) -> MeetingFields:
    """The form's values as the services take them (times converted from the city's clock)."""
    return MeetingFields(
        title=form.title.data or "",
        description=form.description.data or "",
        language=form.language.data or "",
        mode=form.mode.data or "",
        starts_at=rules.local_to_utc(form.starts_at.data, zone),
        ends_at=rules.local_to_utc(form.ends_at.data, zone),
        address=form.address.data or "",
        room=form.room.data or "",
        latitude=form.latitude.data,
        longitude=form.longitude.data,
        online_url=form.online_url.data or "",
        accessibility=form.accessibility.data or "",
        languages=form.language_codes(),
        interpretation=form.interpretation_codes(),
        capacity=form.capacity.data,
        registration_open=bool(form.registration_open.data),
    )


def _staff(form: MeetingForm) -> services.Staff:
    return services.Staff(
        facilitators=list(form.facilitators.data or []),
        interpreters=list(form.interpreters.data or []),
    )


def _fill(form: MeetingForm, city: City) -> None:
    form.fill_choices(str(get_locale()), _step_labels(city), services.operators())


def _form_error(form: MeetingForm, error: MeetingError) -> None:
    """Put a refusal of the services beside its field (or above the form)."""
    where = {
        "dst_gap": form.starts_at,
        "dates": form.ends_at,
        "address": form.address,
        "online_url": form.online_url,
        "coordinates": form.longitude,
        "capacity": form.capacity,
        "languages": form.languages,
        "title": form.title,
        "language": form.language,
        "mode": form.mode,
        "staff": form.facilitators,
        "step": form.step,
    }.get(error.code)
    message = str(REFUSALS.get(error.code, REFUSALS["length"]))
    if where is None:
        form.form_errors.append(message)
    else:
        where.errors = [*where.errors, message]


@bp.route("/cities/<slug>/new", methods=["GET", "POST"])
@login_required
def new(slug: str):
    place = get_city_or_404(slug)
    deny_unless(can_manage_city(current_user, place))
    consultation = None
    consultation_id = id_arg("consultation")
    if consultation_id is not None:
        consultation = db.session.get(Consultation, consultation_id)
        if consultation is None or consultation.city_id != place.id:
            consultation = None
    form = MeetingForm()
    _fill(form, place)
    if request.method == "GET":
        codes = current_user.content_language_codes
        form.language.data = codes[0] if codes else str(get_locale())
        form.languages.data = form.language.data
        if consultation is not None:
            form.step.data = consultation.city_step_id
    if consultation is not None:
        form.step.data = consultation.city_step_id
    if form.validate_on_submit():
        city_step = db.session.get(CityStep, form.step.data)
        try:
            if city_step is None or city_step.city_id != place.id:
                raise MeetingError("step")
            meeting = services.create_meeting(
                place,
                city_step=city_step,
                consultation=consultation,
                fields=_form_fields(form, place.timezone),
                staff=_staff(form),
                by=_actor(),
            )
        except MeetingError as error:
            _form_error(form, error)
        else:
            flash(_("The meeting is published."), "success")
            return redirect(url_for("meetings.show", meeting_id=meeting.id))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "meetings/edit.html", form=form, city=place, consultation=consultation, meeting=None
    ), status


@bp.route("/<id:meeting_id>/edit", methods=["GET", "POST"])
@login_required
def edit(meeting_id: int):
    meeting = services.get_meeting_or_404(meeting_id)
    place = meeting.city
    deny_unless(can_manage_city(current_user, place))
    form = MeetingForm()
    _fill(form, place)
    form.step.data = meeting.city_step_id
    if request.method == "GET":
        for name in (
            "title",
            "description",
            "language",
            "mode",
            "address",
            "room",
            "latitude",
            "longitude",
            "online_url",
            "accessibility",
            "capacity",
            "registration_open",
        ):
            getattr(form, name).data = getattr(meeting, name)
        form.starts_at.data = rules.utc_to_local(meeting.starts_at, place.timezone)
        form.ends_at.data = rules.utc_to_local(meeting.ends_at, place.timezone)
        form.languages.data = ", ".join(meeting.languages or [])
        form.interpretation.data = ", ".join(meeting.interpretation or [])
        form.facilitators.data = [s.operator_id for s in meeting.staff if s.role == "facilitator"]
        form.interpreters.data = [s.operator_id for s in meeting.staff if s.role == "interpreter"]
    if meeting.cancelled_at is not None:
        form.form_errors.append(str(REFUSALS["cancelled"]))
    elif form.validate_on_submit():
        try:
            changed = services.update_meeting(
                meeting,
                fields=_form_fields(form, place.timezone),
                staff=_staff(form),
                by=_actor(),
            )
        except MeetingError as error:
            _form_error(form, error)
        else:
            if not changed:
                flash(_("Nothing was changed."), "info")
            elif any(name in rules.TIME_AND_PLACE for name in changed):
                flash(
                    _(
                        "The meeting was changed; the registered people hear of the new time or place."
                    ),
                    "success",
                )
            else:
                flash(_("The meeting was changed."), "success")
            return redirect(url_for("meetings.show", meeting_id=meeting.id))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "meetings/edit.html",
        form=form,
        city=place,
        consultation=meeting.consultation,
        meeting=meeting,
        cancel_form=CancelForm(formdata=None),
    ), status


@bp.route("/<id:meeting_id>/cancel", methods=["POST"])
@login_required
def cancel(meeting_id: int):
    meeting = services.get_meeting_or_404(meeting_id)
    deny_unless(can_manage_city(current_user, meeting.city))
    form = CancelForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(str(e) for e in errors), "error")
        return redirect(url_for("meetings.edit", meeting_id=meeting.id))
    try:
        done = services.cancel_meeting(meeting, by=_actor(), reason=form.reason.data or "")
    except MeetingError as error:
        return _refused(error, meeting)
    if done:
        flash(
            _("The meeting is cancelled; the registered and waiting people hear of it."), "success"
        )
    else:
        flash(_("This meeting is cancelled."), "info")
    return redirect(url_for("meetings.show", meeting_id=meeting.id))


@bp.route("/<id:meeting_id>/registrations")
@login_required
def registrations(meeting_id: int):
    meeting = services.get_meeting_or_404(meeting_id)
    deny_unless(can_manage_city(current_user, meeting.city))
    rows = services.registrations_of(meeting)
    registered, waiting = services.counts([meeting.id])[meeting.id]
    linkable = services.linkable_proposals(meeting)
    return render_template(
        "meetings/registrations.html",
        meeting=meeting,
        city=meeting.city,
        rows=rows,
        registered=registered,
        waiting=waiting,
        started=meeting.starts_at <= utcnow() and meeting.cancelled_at is None,
        action_form=ActionForm(),
        linkable=linkable,
        tr=reader([meeting, *linkable]),
        **_labels(),
    )


CSV_COLUMNS = (
    "registration",
    "name",
    "email",
    "status",
    "waiting_since",
    "interpretation",
    "needs",
    "attended",
    "registered_at",
)


def _iso(value: datetime | None) -> str:
    return value.isoformat() if value is not None else ""


@bp.route("/<id:meeting_id>/registrations.csv")
@login_required
def registrations_csv(meeting_id: int):
    meeting = services.get_meeting_or_404(meeting_id)
    deny_unless(can_manage_city(current_user, meeting.city))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in services.registrations_of(meeting):
        attended = "" if row.attended is None else ("yes" if row.attended else "no")
        values = (
            row.id,
            row.user.public_name,
            row.user.email if row.user.deleted_at is None else "",
            row.status,
            _iso(row.waiting_since),
            row.interpretation or "",
            row.needs,
            attended,
            _iso(row.created_at),
        )
        writer.writerow([spreadsheet_safe(value) for value in values])
    response = Response(out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="meeting-{meeting.id}-registrations.csv"'
    )
    return response


@bp.route("/<id:meeting_id>/attendance", methods=["POST"])
@login_required
def attendance(meeting_id: int):
    meeting = services.get_meeting_or_404(meeting_id)
    deny_unless(can_manage_city(current_user, meeting.city))
    back = url_for("meetings.registrations", meeting_id=meeting.id)
    if not ActionForm().validate_on_submit():
        flash(_("The form has expired. Please send it again."), "error")
        return redirect(back)
    words = {"yes": True, "no": False, "": None}
    marks: dict[int, bool | None] = {}
    for key, value in request.form.items():
        if not key.startswith("attended-"):
            continue
        registration_id = parse_id(key.removeprefix("attended-"))
        if registration_id is None or value not in words:
            flash(_("Choose came, did not come or not recorded for each person."), "error")
            return redirect(back)
        marks[registration_id] = words[value]
    try:
        changed = services.set_attendance(meeting, marks, by=_actor())
    except MeetingError as error:
        flash(str(REFUSALS[error.code]), "error")
        return redirect(back)
    flash(
        _("Attendance recorded.") if changed else _("Nothing was changed."),
        "success" if changed else "info",
    )
    return redirect(back)


@bp.route("/<id:meeting_id>/proposals", methods=["POST"])
@login_required
def link_proposals(meeting_id: int):
    meeting = services.get_meeting_or_404(meeting_id)
    deny_unless(can_manage_city(current_user, meeting.city))
    back = url_for("meetings.registrations", meeting_id=meeting.id, _anchor="born")
    if not ActionForm().validate_on_submit():
        flash(_("The form has expired. Please send it again."), "error")
        return redirect(back)
    values = [parse_id(value) for value in request.form.getlist("proposal")]
    if None in values:
        flash(str(REFUSALS["proposal"]), "error")
        return redirect(back)
    try:
        changed = services.link_proposals(meeting, set(values), by=_actor())
    except MeetingError as error:
        flash(str(REFUSALS[error.code]), "error")
        return redirect(back)
    flash(
        _("The proposals born in this meeting are saved.")
        if changed
        else _("Nothing was changed."),
        "success" if changed else "info",
    )
    return redirect(back)


@bp.route("/<id:meeting_id>/minutes", methods=["GET", "POST"])
@login_required
def minutes(meeting_id: int):
    meeting = services.get_meeting_or_404(meeting_id)
    deny_unless(can_manage_city(current_user, meeting.city))
    form = MinutesForm()
    form.fill_choices(str(get_locale()))
    if request.method == "GET":
        form.minutes.data = meeting.minutes
        form.outcomes.data = meeting.outcomes
        form.language.data = meeting.minutes_language or meeting.language
    if meeting.cancelled_at is not None:
        form.form_errors.append(str(REFUSALS["cancelled"]))
    elif meeting.starts_at > utcnow():
        form.form_errors.append(str(REFUSALS["not_started"]))
    elif form.validate_on_submit():
        try:
            changed = services.publish_minutes(
                meeting,
                minutes=form.minutes.data or "",
                outcomes=form.outcomes.data or "",
                language=form.language.data,
                by=_actor(),
            )
        except MeetingError as error:
            form.form_errors.append(str(REFUSALS[error.code]))
        else:
            flash(
                _("The minutes are published and written into the step record.")
                if changed
                else _("Nothing was changed."),
                "success" if changed else "info",
            )
            return redirect(url_for("meetings.show", meeting_id=meeting.id, _anchor="minutes"))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "meetings/minutes.html", form=form, meeting=meeting, city=meeting.city
    ), status
