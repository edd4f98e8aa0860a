"""Results pages, the anonymised ballots, the snapshot itself, and municipal responses."""

from __future__ import annotations

import csv
import io
import json

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.auth.permissions import can_manage_city, deny_unless, login_required
from app.consultations.services import CLOSED_HOOK, get_consultation_or_404, timeline
from app.db_types import utcnow
from app.extensions import db
from app.hooks import add_hook, hooks
from app.i18n import content_language_choices
from app.proposals.markdown import render_markdown
from app.proposals.models import Proposal
from app.results import bp, panels, services
from app.results.forms import RESPONSE_LABELS, ResponseForm
from app.results.models import MunicipalResponse
from app.review import services as review
from app.translations.reading import reader
from app.voting.interchange import export_consultation

# This feature's panels on the city, step and consultation pages (app/cities/panels.py).
bp.record_once(panels.register)


@bp.record_once
def publish_on_close(state: BlueprintSetupState) -> None:
    """A consultation's close publishes its results, in the close's transaction."""
    add_hook(state.app, CLOSED_HOOK, services.publish_results)


def _closed_snapshot(consultation_id: int):
    consultation = get_consultation_or_404(consultation_id)
    snapshot = services.snapshot_of(consultation)
    if snapshot is None:
        abort(404)
    return consultation, snapshot


@bp.route("/consultations/<id:consultation_id>/results")
def show(consultation_id: int):
    consultation = get_consultation_or_404(consultation_id)
    snapshot = services.snapshot_of(consultation)
    payload = json.loads(snapshot.canonical_json) if snapshot else None
    responses = {}
    if payload:
        responses = {
            response.proposal_id: response
            for response in db.session.scalars(
                db.select(MunicipalResponse)
                .join(Proposal, Proposal.id == MunicipalResponse.proposal_id)
                .where(Proposal.consultation_id == consultation.id)
            )
        }
    return render_template(
        "results/show.html",
        consultation=consultation,
        snapshot=snapshot,
        payload=payload,
        timeline=timeline(consultation),
        responses=responses,
        response_labels=RESPONSE_LABELS,
        tr=reader(responses.values()),
        progress=services.responses_progress([consultation.id])[consultation.id],
        review_summary=review.summary(consultation) if snapshot else None,
        links=[
            link
            for make in hooks(services.PAGE_LINKS_HOOK)
            if (link := make(consultation, snapshot)) is not None
        ]
        if snapshot
        else [],
        verify_links=[
            link
            for make in hooks(services.VERIFY_LINKS_HOOK)
            if (link := make(consultation, payload)) is not None
        ]
        if payload
        else [],
    )


@bp.route("/consultations/<id:consultation_id>/results/snapshot.json")
def snapshot_json(consultation_id: int):
    consultation, snapshot = _closed_snapshot(consultation_id)
    return Response(
        snapshot.canonical_json,
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="consultation-{consultation.id}-result.json"',
            "X-Result-SHA256": snapshot.digest,
        },
    )


@bp.route("/consultations/<id:consultation_id>/results/ballots.csv")
def ballots_csv(consultation_id: int):
    consultation, _snapshot = _closed_snapshot(consultation_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["voter", "channel", "receipt", "vote"])
    ballots = services.anonymised_ballots(consultation)
    for number, (channel, receipt, vote) in enumerate(ballots, start=1):
        writer.writerow([number, channel, receipt, ",".join(str(pid) for pid in vote)])
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="consultation-{consultation.id}-ballots.csv"'
        },
    )


@bp.route("/consultations/<id:consultation_id>/results/ballots.pb")
def ballots_pb(consultation_id: int):
    """The same anonymised ballots as a Pabulib file, for the research tools that read it."""
    consultation, _snapshot = _closed_snapshot(consultation_id)
    if consultation.voting_method != "budget":
        abort(404)
    return Response(
        export_consultation(consultation),
        mimetype="text/plain",
        headers={
            "Content-Disposition": f'attachment; filename="consultation-{consultation.id}.pb"'
        },
    )


@bp.route("/proposals/<id:proposal_id>/response", methods=["GET", "POST"])
@login_required
def respond(proposal_id: int):
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None:
        abort(404)
    consultation = get_consultation_or_404(proposal.consultation_id)
    deny_unless(can_manage_city(current_user, consultation.city))
    existing = db.session.scalar(
        db.select(MunicipalResponse).where(MunicipalResponse.proposal_id == proposal.id)
    )
    form = ResponseForm(obj=existing if request.method == "GET" else None)
    locale = str(get_locale())
    form.language.choices = [SelectChoice(c, n) for c, n in content_language_choices(locale)]
    if request.method == "GET" and existing is None:
        form.language.data = (current_user.content_language_codes or [locale])[0]
    if consultation.closed_at is None:
        flash(_("Municipal responses are given once the consultation is closed."), "info")
        return redirect(url_for("consultations.show", consultation_id=consultation.id))
    if form.validate_on_submit():
        services.respond(
            proposal,
            status=form.status.data,
            body=form.body.data,
            language=form.language.data,
            author=current_user,
            now=utcnow(),
        )
        flash(_("The response is published."), "success")
        return redirect(url_for("results.show", consultation_id=consultation.id))
    status = 200 if request.method == "GET" else 422
    return render_template(
        "results/respond.html",
        form=form,
        proposal=proposal,
        consultation=consultation,
        body_html=render_markdown(proposal.body),
    ), status
