"""What the audit log's action codes and target types are called, in the reader's locale.

A code nobody labelled yet is shown as itself: the log never hides an entry for want of a word.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ACTION_LABELS = {
    "translations.approved": _l("Translation approved"),
    "translations.rejected": _l("Translation rejected"),
    # Moderation (written by app/moderation).
    "moderation.report_threshold_hidden": _l("Hidden automatically after reports"),
    "moderation.hide": _l("Content hidden"),
    "moderation.unhide": _l("Content shown again"),
    "moderation.reports_dismissed": _l("Reports dismissed"),
    "moderation.block": _l("User blocked"),
    "moderation.unblock": _l("User unblocked"),
    # Consultations, votes and results.
    "consultations.created": _l("Consultation created"),
    "consultations.edited": _l("Consultation edited"),
    "consultations.closed_early": _l("Consultation closed early"),
    "consultations.resident_confirmed": _l("Resident confirmed"),
    "consultations.resident_removed": _l("Resident confirmation removed"),
    "voting.paper_batch": _l("Paper ballots entered"),
    "results.published": _l("Results published"),
    "results.response_given": _l("Municipal response given"),
    "results.response_changed": _l("Municipal response changed"),
    # The city's data and its moderators (through the city's history).
    "cities.created": _l("City created"),
    "cities.details_changed": _l("City data changed"),
    "cities.membership_changed": _l("Membership status changed"),
    "cities.languages_changed": _l("Languages of the city changed"),
    "cities.moderator_appointed": _l("Municipal moderator appointed"),
    "cities.moderator_removed": _l("Municipal moderator removed"),
    "cities.changed": _l("City changed"),
    # The Manifesto.
    "manifesto.version_published": _l("Manifesto version published"),
    "manifesto.signed": _l("Manifesto signature recorded"),
    # The pathway template, tailored pathways and step records.
    "pathway.step_added": _l("Pathway step added"),
    "pathway.step_edited": _l("Pathway step reworded"),
    "pathway.step_moved": _l("Pathway step moved"),
    "pathway.step_retired": _l("Pathway step retired"),
    "pathway.step_restored": _l("Pathway step restored"),
    "pathway.step_status": _l("Step status changed"),
    "pathway.sub_step_added": _l("Sub-step added"),
    "pathway.sub_step_edited": _l("Sub-step edited"),
    "pathway.sub_step_moved": _l("Sub-step moved"),
    "pathway.sub_step_status": _l("Sub-step status changed"),
    "pathway.record_entry": _l("Step record entry written"),
    "pathway.record_correction": _l("Step record entry corrected"),
    # Expenditures and training.
    "expenditures.created": _l("Expenditure added"),
    "expenditures.updated": _l("Expenditure changed"),
    "expenditures.status_changed": _l("Expenditure status changed"),
    "training.course_completed": _l("Training course completed by municipal staff"),
    "training.course_created": _l("Training course created"),
    "training.course_edited": _l("Training course edited"),
    "training.module_added": _l("Training module added"),
    "training.module_edited": _l("Training module edited"),
    # The association's network features.
    "practices.submitted": _l("Good practice submitted"),
    "practices.published": _l("Good practice published"),
    "practices.edited": _l("Good practice edited"),
    "practices.approved": _l("Good practice approved"),
    "practices.rejected": _l("Good practice rejected"),
    "operators.added": _l("Participation operator added"),
    "operators.edited": _l("Participation operator edited"),
    "operators.engagement_added": _l("Operator's engagement added"),
    "operators.engagement_edited": _l("Operator's engagement edited"),
    "operators.engagement_deleted": _l("Operator's engagement deleted"),
    # Questionnaires (app/questionnaires): building them, never the answers.
    "questionnaires.created": _l("Questionnaire created"),
    "questionnaires.edited": _l("Questionnaire edited"),
    "questionnaires.questions_changed": _l("Questionnaire's questions changed"),
    # Funded projects (app/projects).
    "projects.created": _l("Projects created from a result"),
    "projects.updated": _l("Project updated"),
    "projects.milestone_added": _l("Project milestone added"),
    "projects.milestone_changed": _l("Project milestone changed"),
    # Meetings (app/meetings).
    "meetings.created": _l("Meeting created"),
    "meetings.edited": _l("Meeting changed"),
    "meetings.cancelled": _l("Meeting cancelled"),
    "meetings.minutes": _l("Meeting minutes published"),
    "meetings.attendance": _l("Meeting attendance recorded"),
    "meetings.proposals_linked": _l("Proposals linked to a meeting"),
}

TARGET_LABELS = {
    "translation": _l("Translation"),
    "consultation": _l("Consultation"),
    "proposal": _l("Proposal"),
    "comment": _l("Comment"),
    "user": _l("Person"),
    "city": _l("City"),
    "paper_batch": _l("Batch of paper ballots"),
    "manifesto_version": _l("Manifesto version"),
    "pathway_step": _l("Pathway step"),
    "city_step": _l("City step"),
    "sub_step": _l("Sub-step"),
    "record_entry": _l("Step record entry"),
    "expenditure": _l("Expenditure"),
    "course": _l("Training course"),
    "practice": _l("Good practice"),
    "operator": _l("Participation operator"),
    "project": _l("Project"),
    "meeting": _l("Meeting"),
    "questionnaire": _l("Questionnaire"),
}


def action_label(code: str) -> str:
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code


def target_label(target_type: str | None) -> str:
    if not target_type:
        return ""
    label = TARGET_LABELS.get(target_type)
    return str(label) if label is not None else target_type


def action_choices() -> list[tuple[str, str]]:
    """Every labelled action, sorted by its label in the reader's locale."""
    return sorted(
        ((code, str(label)) for code, label in ACTION_LABELS.items()),
        key=lambda item: item[1].casefold(),
    )
