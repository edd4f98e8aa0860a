"""Public city pages: the pathway, each step's record; the moderators' status and entries."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.permissions import can_manage_city_pathway, deny_unless, login_required
from app.cities import bp, services
from app.cities.forms import StepStatusForm, status_label
from app.cities.panels import city_panels, step_panels
from app.consultations.services import consultations_of_city
from app.pathway import services as pathway
from app.pathway.forms import RecordEntryForm, SubStepStatusForm
from app.translations.reading import reader


@bp.route("/")
def index():
    # One's own city (the one one said one lives in) first, then the others by name.
    home_city_id = current_user.home_city_id if current_user.is_authenticated else None
    cities = sorted(services.all_cities(), key=lambda city: city.id != home_city_id)
    return render_template("cities/index.html", cities=cities)


@bp.route("/<slug>")
def show(slug: str):
    city = services.get_city_or_404(slug)
    consultations = consultations_of_city(city)
    pathway = services.pathway_page(city)
    panels = city_panels(city)
    texts = [text for panel in panels for text in panel.texts]
    return render_template(
        "cities/show.html",
        city=city,
        pathway=pathway,
        consultations=consultations,
        # Consultation titles, the latest record entries and the panels' texts in the reader's
        # language (one query for all).
        tr=reader([*consultations, *pathway.latest.values(), *texts]),
        panels=panels,
    )


def _writing_language() -> str:
    codes = current_user.content_language_codes if current_user.is_authenticated else []
    return (codes or [str(get_locale())])[0]


def _entry_form_for(city_step, corrects=None, formdata=None) -> RecordEntryForm:
    """The entry form, prefilled with the corrected entry's content when correcting one."""
    if corrects is None:
        form = RecordEntryForm(formdata=formdata)
    else:
        form = RecordEntryForm(
            formdata=formdata,
            kind=corrects.kind if corrects.kind in pathway.MANUAL_KINDS else "note",
            title=corrects.title,
            body=corrects.body,
            language=corrects.language,
            link_url=corrects.link_url or "",
            file_reference=corrects.file_reference or "",
            corrects_id=str(corrects.id),
        )
    form.fill_choices(_writing_language())
    return form


def render_step_page(
    city,
    city_step,
    *,
    status_form: StepStatusForm | None = None,
    entry_form: RecordEntryForm | None = None,
    sub_step_forms: dict[int, SubStepStatusForm] | None = None,
    code: int = 200,
):
    """The step page: the template's texts, status, sub-steps, the record and its forms."""
    locale = str(get_locale())
    manage = can_manage_city_pathway(current_user, city) and city_step.step.retired_at is None
    rows = pathway.record_rows(city_step, locale)
    correcting = None
    if entry_form is not None and entry_form.corrects_id.data:
        wanted = str(entry_form.corrects_id.data)
        correcting = next((row for row in rows if str(row.entry.id) == wanted), None)
    if manage and entry_form is None:
        entry_form = _entry_form_for(city_step)
    sub_steps = pathway.sub_steps_of(city_step)
    consultations = services.step_consultations(city, city_step)
    panels = step_panels(city, city_step, consultations)
    texts = [text for panel in panels for text in panel.texts]
    return render_template(
        "cities/step.html",
        city=city,
        city_step=city_step,
        form=status_form or StepStatusForm(status=city_step.status),
        entry_form=entry_form,
        correcting=correcting,
        rows=rows,
        manage=manage,
        sub_steps=sub_steps,
        sub_step_forms=sub_step_forms or {},
        consultations=consultations,
        # The consultations, the record and the panels' texts in the reader's language (one
        # query for all).
        tr=reader([*consultations, *(row.entry for row in rows), *texts]),
        panels=panels,
    ), code


@bp.route("/<slug>/steps/<id:position>")
def step(slug: str, position: int):
    city = services.get_city_or_404(slug)
    city_step = services.get_city_step_or_404(city, position)
    entry_form = None
    corrects = request.args.get("corrects", "")
    # Only those who may write see the correction form; for others the address is the page.
    if corrects and can_manage_city_pathway(current_user, city):
        if not corrects.isdigit():
            abort(404)
        try:
            entry = pathway.get_entry_of_step_or_404(city_step, int(corrects))
        except pathway.PathwayError:
            abort(404)
        entry_form = _entry_form_for(city_step, corrects=entry)
    return render_step_page(city, city_step, entry_form=entry_form)


@bp.route("/<slug>/steps/key/<key>")
def step_by_key(slug: str, key: str):
    """A step's record by its key: the one address of a step retired from the template."""
    city = services.get_city_or_404(slug)
    city_step = services.get_city_step_by_key_or_404(city, key)
    if city_step.step.retired_at is None:
        return redirect(url_for("cities.step", slug=slug, position=city_step.step.position))
    return render_step_page(city, city_step)


@bp.route("/<slug>/steps/<id:position>/status", methods=["POST"])
@login_required
def step_status(slug: str, position: int):
    city = services.get_city_or_404(slug)
    city_step = services.get_city_step_or_404(city, position)
    deny_unless(can_manage_city_pathway(current_user, city))
    form = StepStatusForm()
    if form.validate_on_submit():
        services.set_step_status(
            city_step,
            form.status.data,
            services.city_today(city),
            author=current_user,
            language=_writing_language(),
        )
        flash(
            _("Step status set to “%(status)s”.", status=status_label(form.status.data)), "success"
        )
        return redirect(url_for("cities.step", slug=slug, position=position))
    return render_step_page(city, city_step, status_form=form, code=422)


@bp.route("/<slug>/steps/<id:position>/entries", methods=["POST"])
@login_required
def add_entry(slug: str, position: int):
    """Append a note, decision or evidence to the step's record (or a correction of an entry).

    There is no route to edit or delete an entry: a record only grows.
    """
    city = services.get_city_or_404(slug)
    city_step = services.get_city_step_or_404(city, position)
    deny_unless(can_manage_city_pathway(current_user, city))
    form = _entry_form_for(city_step, formdata=request.form)
    if not form.validate_on_submit():
        return render_step_page(city, city_step, entry_form=form, code=422)
    corrects = None
    if form.corrects_id.data:
        try:
            corrects = pathway.get_entry_of_step_or_404(city_step, int(form.corrects_id.data))
        except pathway.PathwayError:
            form.corrects_id.errors = [_("You can only correct an entry of this step's record.")]
            return render_step_page(city, city_step, entry_form=form, code=422)
    entry = pathway.add_record_entry(
        city_step,
        kind=form.kind.data,
        title=form.title.data,
        body=form.body.data or "",
        language=form.language.data,
        author=current_user,
        link_url=form.link_url.data,
        file_reference=form.file_reference.data,
        corrects=corrects,
    )
    if corrects is not None:
        flash(_("Your correction was added to the record; the corrected entry stays."), "success")
    else:
        flash(_("The entry was added to the record."), "success")
    return redirect(
        url_for("cities.step", slug=slug, position=position, _anchor=f"entry-{entry.id}")
    )
