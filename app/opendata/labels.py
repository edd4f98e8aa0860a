"""What each kind of download holds, in the reader's language (page and catalogue alike)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

DOWNLOAD_LABELS = {
    "result": _l("Result snapshot"),
    "ballots_csv": _l("Anonymised ballots"),
    "ballots_pb": _l("Anonymised ballots"),
    "answers_csv": _l("Questionnaire answers (anonymised)"),
    "answers_json": _l("Questionnaire answers (anonymised)"),
    "projects_csv": _l("Funded projects and their progress"),
    "projects_json": _l("Funded projects and their progress"),
    "meetings_ics": _l("Meetings calendar"),
    "observatory_csv": _l("Observatory figures"),
    "observatory_json": _l("Observatory figures"),
    "pathway_matrix_csv": _l("Pathway matrix of the member cities"),
    "pathway_matrix_json": _l("Pathway matrix of the member cities"),
}

DOWNLOAD_DESCRIPTIONS = {
    "result": _l(
        "Counts, ranking, winners and rule, computed once at the close; its SHA-256 digest lets "
        "anyone check the copy they hold."
    ),
    "ballots_csv": _l(
        "Every ballot counted, without who cast it: anyone can recompute the result."
    ),
    "ballots_pb": _l("The same ballots in the Pabulib format read by research tools."),
    "answers_csv": _l("The questionnaire's answers, without who gave them."),
    "answers_json": _l("The questionnaire's answers, without who gave them."),
    "projects_csv": _l("The proposals funded, their status, costs and next milestone."),
    "projects_json": _l("The proposals funded, their status, costs and next milestone."),
    "meetings_ics": _l("In-person and online meetings, for a calendar application."),
    "observatory_csv": _l("Participation by language group, with small groups suppressed."),
    "observatory_json": _l("Participation by language group, with small groups suppressed."),
    "pathway_matrix_csv": _l("Each city's status on the ten steps."),
    "pathway_matrix_json": _l("Each city's status on the ten steps."),
}
