"""A questionnaire's results page and its anonymised answers (CSV, JSON); the questionnaire's
section of the consultation's result snapshot and the results page's links to them.

Public once answering has ended; before, for the city's moderators and the association only
(results.may_read). Figures are drawn as the observatory draws its own: a chart beside a data
table with the same figures (app/observatory/tables.py), groups below the minimum group size
never shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from babel.numbers import format_decimal
from flask import Response, abort, render_template, url_for
from flask.blueprints import BlueprintSetupState
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.consultations.services import get_consultation_or_404
from app.db_types import utcnow
from app.hooks import add_hook
from app.i18n import text_direction
from app.observatory import tables as t
from app.observatory.charts import bar_chart
from app.observatory.figures import OTHER
from app.observatory.services import minimum_group_size
from app.questionnaires import bp, results, rules, tally
from app.results.services import PAGE_LINKS_HOOK, PAYLOAD_SECTIONS_HOOK, VERIFY_LINKS_HOOK
from app.translations.kinds import kind_of
from app.translations.reading import Rendering, load, reader_languages


@bp.record_once
def register_hooks(state: BlueprintSetupState) -> None:
    """The consultation's result snapshot covers its questionnaire; its results page links to
    the questionnaire's results and to the answers whose digest the snapshot keeps."""
    add_hook(state.app, PAYLOAD_SECTIONS_HOOK, results.snapshot_section)
    add_hook(state.app, PAGE_LINKS_HOOK, _results_link)
    add_hook(state.app, VERIFY_LINKS_HOOK, _answers_link)


def _results_link(consultation, snapshot) -> tuple[str, str] | None:
    if results.questionnaire_of(consultation) is None:
        return None
    return (
        _("The questionnaire's results"),
        url_for("questionnaires.results", consultation_id=consultation.id),
    )


def _answers_link(consultation, payload: dict) -> tuple[str, str] | None:
    if results.SNAPSHOT_KEY not in payload:
        return None
    return (
        _(
            "The questionnaire's anonymised answers (JSON): its SHA-256 is in the result "
            "(“answers_sha256”), so the fingerprint above covers the questionnaire too"
        ),
        url_for("questionnaires.export", consultation_id=consultation.id, fmt="json"),
    )


def _loaded_or_404(consultation_id: int):
    consultation = get_consultation_or_404(consultation_id)
    questionnaire = results.questionnaire_of(consultation)
    if questionnaire is None:
        abort(404)
    return consultation, questionnaire


def _translatable(item: object) -> bool:
    try:
        kind_of(item)
    except KeyError:
        return False
    return True


def _reader(items: list[object]) -> Callable[[object], Rendering | None]:
    """`tr(item)`: what the reader sees of each text (one query); None for a text whose kind is
    not translatable (then the original is shown)."""
    renderings = load([item for item in items if _translatable(item)], reader_languages())

    def tr(item: object) -> Rendering | None:
        if item is None or not _translatable(item):
            return None
        return renderings.get((kind_of(item).name, item.id))  # type: ignore[attr-defined]

    return tr


def _text_of(tr, item) -> tuple[str, str]:
    """(shown text, its language) of a question or an option."""
    r = tr(item)
    if r is None:
        return item.text, item.language
    return r.field("text"), r.language


def _decimal(value: float | None, locale: str) -> str | None:
    return None if value is None else format_decimal(value, "#,##0.##", locale=locale)


def _percent(figures: dict, key: Any) -> float | None:
    n = figures["respondents"]
    return figures["counts"][key] / n if n else None


def _main_table(result: results.QuestionResult, tr, rtl: bool, formatter: t.Formatter):
    """The question's figures: a chart and its data table (None for free text)."""
    question, figures = result.question, result.figures
    name = f"question-{result.number}"
    caption = _("Answers to question %(number)s", number=result.number)
    if question.kind in ("single", "multiple"):
        table = t.Table(
            name=name,
            caption=caption,
            label_heading=_("Option"),
            columns=[
                t.Column("respondents", _("People choosing it")),
                t.Column("share", _("Share of respondents"), "share"),
            ],
            charted=[1],
            note=_("A person could choose more than one option: the shares add up to more.")
            if question.kind == "multiple"
            else "",
        )
        for number, option in enumerate(question.options, start=1):
            label, language = _text_of(tr, option)
            table.rows.append(
                t.Row(
                    str(number),
                    label,
                    [figures["counts"][number], _percent(figures, number)],
                    label_language=language,
                )
            )
        table.write(formatter, rtl)
        return table
    if question.kind == "ranking":
        options = len(question.options)
        table = t.Table(
            name=name,
            caption=caption,
            label_heading=_("Option"),
            columns=[
                t.Column("borda", _("Borda points")),
                t.Column("average_rank", _("Average rank"), "score"),
                t.Column("ranked", _("People ranking it")),
            ],
            note=_(
                "Borda count: with %(options)s options, an option ranked first gets %(first)s "
                "points, each rank lower one point fewer, the last none; an option left unranked "
                "gets none. The average rank is among the people who ranked the option (1 is "
                "the first).",
                options=options,
                first=max(options - 1, 0),
            ),
        )
        rows = []
        for number, option in enumerate(question.options, start=1):
            label, language = _text_of(tr, option)
            average = tally.average_rank(figures, number)
            rows.append(
                t.Row(
                    str(number),
                    label,
                    [figures["borda"][number], average, figures["ranked"][number]],
                    label_language=language,
                    not_applicable=() if average is not None else (1,),
                )
            )
        table.rows = sorted(rows, key=lambda row: (-row.values[0], int(row.key)))
        table.write(formatter, rtl)
        # The chart: each option's points against the most it could have had.
        most = figures["respondents"] * max(options - 1, 0)
        table.charted = [0]
        table.chart = bar_chart(
            [
                (row.label, [(row.values[0] / most if most else 0.0, row.cells[0].text)])
                for row in table.rows
            ],
            [_("Borda points")],
            rtl=rtl,
        )
        return table
    if question.kind == "scale":
        distribution = figures["distribution"]
        n = figures["respondents"]
        table = t.Table(
            name=name,
            caption=caption,
            label_heading=_("Value"),
            columns=[
                t.Column("respondents", _("People")),
                t.Column("share", _("Share of respondents"), "share"),
            ],
            charted=[1],
            note=_("From 1 (not at all) to 5 (very much)."),
        )
        for value in tally.SCALE:
            table.rows.append(
                t.Row(
                    str(value),
                    str(value),
                    [distribution[value], distribution[value] / n if n else None],
                )
            )
        table.write(formatter, rtl)
        return table
    return None


def _group_label(key: str, minimum: int, language: bool) -> str:
    if key == OTHER:
        return (
            _("other languages (fewer than %(n)s people each)", n=minimum)
            if language
            else _("other communities (fewer than %(n)s people each)", n=minimum)
        )
    return t.group_label(key, minimum) if language else key


def _breakdown_table(
    result: results.QuestionResult,
    found: dict,
    tr,
    formatter: t.Formatter,
    *,
    language: bool,
    minimum: int,
) -> t.Table:
    """The question's figures split by group (a table: one row per group shown)."""
    question = result.question
    name = f"question-{result.number}-{'languages' if language else 'communities'}"
    caption = (
        _("Question %(number)s by language group", number=result.number)
        if language
        else _("Question %(number)s by community", number=result.number)
    )
    columns = [t.Column("respondents", _("Respondents"))]
    options = [_text_of(tr, option)[0] for option in question.options]
    if question.kind in ("single", "multiple"):
        columns += [
            t.Column(f"option_{n}", _("%(option)s (share)", option=text), "share")
            for n, text in enumerate(options, start=1)
        ]
    elif question.kind == "ranking":
        columns += [
            t.Column(f"option_{n}", _("%(option)s (average rank)", option=text), "score")
            for n, text in enumerate(options, start=1)
        ]
    else:
        columns += [t.Column("mean", _("Mean"), "score")] + [
            t.Column(f"value_{value}", _("%(value)s (share)", value=value), "share")
            for value in tally.SCALE
        ]
    table = t.Table(
        name=name,
        caption=caption,
        label_heading=_("Language group") if language else _("Community"),
        columns=columns,
    )
    for group, figures in found["groups"]:
        n = figures["respondents"]
        values: list[Any] = [n]
        not_applicable: list[int] = []
        if question.kind in ("single", "multiple"):
            values += [_percent(figures, k) for k in range(1, len(options) + 1)]
        elif question.kind == "ranking":
            for k in range(1, len(options) + 1):
                average = tally.average_rank(figures, k)
                if average is None:
                    not_applicable.append(len(values))
                values.append(average)
        else:
            distribution = figures["distribution"]
            values.append(tally.scale_mean(distribution))
            values += [distribution[v] / n if n else None for v in tally.SCALE]
        table.rows.append(
            t.Row(
                str(group),
                _group_label(str(group), minimum, language),
                values,
                not_applicable=tuple(not_applicable),
            )
        )
    table.write(formatter, False)
    return table


@bp.route("/consultations/<id:consultation_id>/questionnaire/results", endpoint="results")
def results_page(consultation_id: int):
    consultation, questionnaire = _loaded_or_404(consultation_id)
    now = utcnow()
    ends = rules.answering_ends(consultation, questionnaire)
    context: dict[str, Any] = {
        "consultation": consultation,
        "questionnaire": questionnaire,
        "ends": ends,
        "ended": rules.answering_ended(consultation, questionnaire, now),
    }
    if not results.may_read(current_user, consultation, questionnaire, now):
        return render_template(
            "questionnaires/results.html", visible=False, tr=_reader([questionnaire]), **context
        )
    minimum = minimum_group_size()
    loaded = results.load(questionnaire)
    found = results.results(loaded, minimum)
    texts = [answer for result in found for answer in result.texts]
    options = [option for question in loaded.questions for option in question.options]
    tr = _reader([questionnaire, *loaded.questions, *options, *texts])
    locale = str(get_locale())
    rtl = text_direction(locale) == "rtl"
    formatter = t.Formatter(locale)
    sections = []
    for result in found:
        figures = result.figures
        sections.append(
            {
                "result": result,
                "table": _main_table(result, tr, rtl, formatter),
                "mean": _decimal(tally.scale_mean(figures["distribution"]), locale)
                if result.question.kind == "scale"
                else None,
                "median": _decimal(tally.scale_median(figures["distribution"]), locale)
                if result.question.kind == "scale"
                else None,
                "by_language": _breakdown_table(
                    result, result.by_language, tr, formatter, language=True, minimum=minimum
                )
                if result.by_language and result.by_language["groups"]
                else None,
                "by_community": _breakdown_table(
                    result, result.by_community, tr, formatter, language=False, minimum=minimum
                )
                if result.by_community and result.by_community["groups"]
                else None,
            }
        )
    return render_template(
        "questionnaires/results.html",
        visible=True,
        tr=tr,
        sections=sections,
        respondents=loaded.respondents,
        minimum=minimum,
        **context,
    )


@bp.route("/consultations/<id:consultation_id>/questionnaire/answers.<any(csv, json):fmt>")
def export(consultation_id: int, fmt: str):
    """The anonymised answers: the same rule as the results page (404 before they are public,
    except for those who may read them early)."""
    consultation, questionnaire = _loaded_or_404(consultation_id)
    if not results.may_read(current_user, consultation, questionnaire, utcnow()):
        abort(404)
    document = results.export_document(consultation, results.load(questionnaire))
    name = f"consultation-{consultation.id}-questionnaire-answers.{fmt}"
    headers = {
        "Content-Disposition": f'attachment; filename="{name}"',
        "X-Answers-SHA256": results.export_digest(document),
    }
    if fmt == "csv":
        return Response(results.export_csv(document), mimetype="text/csv", headers=headers)
    return Response(results.canonical_json(document), mimetype="application/json", headers=headers)
