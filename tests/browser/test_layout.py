"""Every page a visitor, a citizen, a moderator, the observer and the admin can reach fits a
360 px phone and a 1280 px screen, in Italian and in Arabic (mirrored): the page never scrolls
sideways (wide tables scroll inside their own labelled region), and axe-core finds no serious or
critical violation. Screenshots at 360 px are kept in test-artifacts/layout/ (git-ignored).

The page list is the app's URL map: every GET route, its ids and slugs taken from the seeded
demo database (Bologna, its budget consultation, the closed consultation with results …); routes
that need a token, downloads and exports (.csv, .json, .jsonld, .pb, .ics) are left out. A route argument
missing from _samples() fails the test, so a new page cannot slip past it. Each role asks for
every page with a plain request (no rendering, redirects not followed) and visits those it gets
(200): the permission tests say who may see what, this test says that what they see fits.

Economy (the whole suite runs on 2 cores): one browser context per role for both locales; each
page is loaded once per locale and measured at both widths (a resize re-lays the page out
without reloading it); axe runs once per page, for the first role that reaches it, and the
screenshot is taken then.

The split between the two database runs (together they check every page in both locales, at
both widths, with axe in both):
- SQLite (the default): every role visits every page it reaches in Italian, at both widths;
  axe and screenshots in Italian.
- PostgreSQL (LC_TEST_LIVE_DATABASE_URL set): each page once in Arabic (mirrored), by the first
  role that reaches it (later roles skip what was shown), at both widths; axe and screenshots
  in Arabic.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa
from flask import url_for
from playwright.sync_api import Browser, Page, expect

from app.accounts.models import Organisation, User
from app.cities.models import City
from app.consultations.models import Consultation
from app.demo.budget_cycle import TITLE as BUDGET_CYCLE
from app.demo.data import ACCOUNTS
from app.expenditures.models import Expenditure
from app.extensions import db
from app.manifesto.models import ManifestoVersion
from app.meetings.models import Meeting
from app.moderation.models import Block, Report
from app.operators.models import OperatorEngagement, ParticipationOperator
from app.pathway.models import CityStep, PathwayStep, PathwaySubStep
from app.practices.models import GoodPractice
from app.projects.models import Project, ProjectMilestone
from app.proposals.models import Comment, Proposal
from app.questionnaires.models import Question, Questionnaire
from app.results.models import ResultSnapshot
from app.training.models import Course, Module
from app.translations.models import Translation
from app.voting.models import PaperBatch
from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import log_in, serious_violations

pytestmark = pytest.mark.browser

ROLES = {
    "visitor": None,
    "citizen": "citizen@learning-cities.demo",
    "moderator": "moderator.bologna@learning-cities.demo",
    "observer": "observer@learning-cities.demo",
    "admin": "admin@learning-cities.demo",
}
# Pages each role must reach: a guard against a role that silently reaches nothing.
MUST_REACH = {
    "visitor": {
        "main.home",
        "cities.index",
        "cities.show",
        "consultations.show",
        "projects.consultation",
        "projects.show",
        "questionnaires.results",
    },
    "citizen": {"notifications.index", "accounts.profile", "proposals.index"},
    "moderator": {
        "moderation.queue",
        "consultations.edit",
        "results.show",
        "review.board",
        "projects.edit",
        "questionnaires.edit",
    },
    "observer": {"observatory.index", "observatory.city", "audit.index", "network.matrix"},
    "admin": {"network.cities", "network.history", "audit.city"},
}
PHONE = {"width": 360, "height": 780}
SCREEN = {"width": 1280, "height": 900}
ON_POSTGRESQL = (os.environ.get("LC_TEST_LIVE_DATABASE_URL") or "").startswith("postgresql")
# Each run's locale (axe and the screenshots in it): Italian on SQLite, Arabic on PostgreSQL.
AXE_LOCALE = "ar" if ON_POSTGRESQL else "it"
RUN_LOCALES = (AXE_LOCALE,)

# The elements that stick out of the viewport, for a readable failure.
OVERFLOW_JS = """() => {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width) return null;
  const out_of = el => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && (box.right > width + 1 || box.left < -1);
  };
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  // The outermost elements wider than the page: the ones to fix.
  const found = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (out_of(el) && !out_of(el.parentElement)) {
      const box = el.getBoundingClientRect();
      found.push(name(el.parentElement) + ' > ' + name(el) + ' ' + Math.round(box.left) + '..' + Math.round(box.right));
      if (found.length >= 4) break;
    }
  }
  return document.documentElement.scrollWidth + 'px wide: ' + found.join(', ');
}"""


def _samples() -> dict[str, object]:
    """A value for each route argument, from the demo database; `endpoint:argument` overrides.
    Always the first by id: the demo's own rows, not those other browser tests added (the order
    of an unordered query differs between SQLite and PostgreSQL)."""
    bologna = db.session.scalar(sa.select(City).where(City.slug == "bologna"))
    budget = db.session.scalar(
        sa.select(Consultation)
        .where(Consultation.city_id == bologna.id, Consultation.voting_method == "budget")
        .order_by(Consultation.id)
    )
    with_results = db.session.scalar(
        sa.select(Consultation)
        .join(ResultSnapshot, ResultSnapshot.consultation_id == Consultation.id)
        .where(Consultation.city_id == bologna.id)
        .order_by(Consultation.id)
        .limit(1)
    )
    citizen = db.session.scalar(sa.select(User).where(User.email == ROLES["citizen"]))
    batch = db.session.scalar(sa.select(PaperBatch).order_by(PaperBatch.id).limit(1))
    report = db.session.scalar(
        sa.select(Report).where(Report.city_id == bologna.id).order_by(Report.id).limit(1)
    )
    translation = db.session.scalar(sa.select(Translation).order_by(Translation.id).limit(1))
    proposal = db.session.scalar(
        sa.select(Proposal)
        .where(Proposal.consultation_id == budget.id)
        .order_by(Proposal.id)
        .limit(1)
    )
    step = db.session.scalar(sa.select(PathwayStep).order_by(PathwayStep.position).limit(1))
    # The demo's participatory budget that went through review to projects.
    cycle = db.session.scalar(
        sa.select(Consultation).where(Consultation.title == BUDGET_CYCLE).order_by(Consultation.id)
    )
    cycle_proposal = db.session.scalar(
        sa.select(Proposal.id)
        .where(Proposal.consultation_id == cycle.id)
        .order_by(Proposal.id)
        .limit(1)
    )
    course = db.session.scalar(sa.select(Course).order_by(Course.id).limit(1))
    engagement = db.session.scalar(
        sa.select(OperatorEngagement).order_by(OperatorEngagement.id).limit(1)
    )
    block = db.session.scalar(sa.select(Block).order_by(Block.id).limit(1))
    sub_step, sub_step_city = db.session.execute(
        sa.select(PathwaySubStep, City.slug)
        .join(CityStep, CityStep.id == PathwaySubStep.city_step_id)
        .join(City, City.id == CityStep.city_id)
        .order_by(PathwaySubStep.id)
        .limit(1)
    ).one()
    # The demo's questionnaire when it has one (its pages, its questions); the editor of a
    # Bologna consultation in any case (the create form when it has none).
    survey = db.session.scalar(sa.select(Questionnaire).order_by(Questionnaire.id).limit(1))
    survey_consultation = survey.consultation_id if survey else budget.id
    question = db.session.scalar(
        sa.select(Question.id)
        .where(Question.questionnaire_id == (survey.id if survey else 0))
        .order_by(Question.id)
        .limit(1)
    )
    return {
        "questionnaires.answer:consultation_id": survey_consultation,
        "questionnaires.add_question:consultation_id": survey_consultation,
        "questionnaires.edit_question:consultation_id": survey_consultation,
        "question_id": question or 1,
        "slug": bologna.slug,
        "organisations.show:slug": db.session.scalar(
            sa.select(Organisation.slug).order_by(Organisation.id).limit(1)
        ),
        "training.course:slug": course.slug,
        "training.edit_course:slug": course.slug,
        "training.new_module:slug": course.slug,
        "module_id": db.session.scalar(
            sa.select(Module.id).where(Module.course_id == course.id).order_by(Module.id).limit(1)
        ),
        "sub_step_id": sub_step.id,
        "pathway.edit_sub_step:slug": sub_step_city,
        "expenditure_id": db.session.scalar(
            sa.select(Expenditure.id)
            .where(Expenditure.city_id == bologna.id)
            .order_by(Expenditure.id)
            .limit(1)
        ),
        "comment_id": db.session.scalar(sa.select(Comment.id).order_by(Comment.id).limit(1)),
        "user_id": citizen.id,
        "block_id": block.id,
        "position": 1,
        "key": step.key,
        "consultation_id": budget.id,
        "results.show:consultation_id": with_results.id,
        "voting.paper_batch:consultation_id": batch.consultation_id,
        "batch_id": batch.id,
        "number": db.session.scalar(sa.select(sa.func.max(ManifestoVersion.number))),
        "operator_id": db.session.scalar(
            sa.select(ParticipationOperator.id).order_by(ParticipationOperator.id).limit(1)
        ),
        "operators.edit_engagement:operator_id": engagement.operator_id,
        "engagement_id": engagement.id,
        "practice_id": db.session.scalar(
            sa.select(GoodPractice.id).order_by(GoodPractice.id).limit(1)
        ),
        "proposal_id": proposal.id,
        "results.respond:proposal_id": db.session.scalar(
            sa.select(Proposal.id)
            .where(Proposal.consultation_id == with_results.id)
            .order_by(Proposal.id)
            .limit(1)
        ),
        "target_type": report.target_type,
        "target_id": report.target_id,
        "kind": translation.kind,
        "item_id": translation.item_id,
        "attachments.upload:kind": "proposal",
        "attachments.upload:item_id": cycle_proposal,
        "review.board:consultation_id": cycle.id,
        "review.assess:proposal_id": cycle_proposal,
        "projects.consultation:consultation_id": cycle.id,
        "project_id": db.session.scalar(sa.select(Project.id).order_by(Project.id).limit(1)),
        # The demo's questionnaire, answered and closed: its results by language group.
        "questionnaires.results:consultation_id": db.session.scalar(
            sa.select(Questionnaire.consultation_id).order_by(Questionnaire.id).limit(1)
        ),
        "milestone_id": db.session.scalar(
            sa.select(ProjectMilestone.id).order_by(ProjectMilestone.id).limit(1)
        ),
        # The demo's first meeting: Bologna's coming assembly (hybrid, with interpreters).
        "meeting_id": db.session.scalar(sa.select(Meeting.id).order_by(Meeting.id).limit(1)),
    }


def _is_page(rule) -> bool:
    return (
        "GET" in rule.methods
        and rule.endpoint not in ("static", "main.healthz", "attachments.serve")
        and not rule.rule.endswith((".csv", ".json", ".jsonld", ".pb", ".ics"))
        and "fmt" not in rule.arguments  # downloads: .csv or .json
        and "token" not in rule.arguments
        and not rule.rule.startswith("/api/v1/")  # JSON: tests/api
    )


@pytest.fixture(scope="module")
def pages(live_server) -> list[tuple[str, str]]:
    """(endpoint, path) for every page of the URL map."""
    app = live_server.app
    found = []
    with app.app_context():
        samples = _samples()
        with app.test_request_context():
            for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
                if not _is_page(rule):
                    continue
                values = {}
                for name in rule.arguments:
                    key = f"{rule.endpoint}:{name}"
                    assert key in samples or name in samples, f"no sample for {key}"
                    values[name] = samples.get(key, samples.get(name))
                found.append((rule.endpoint, url_for(rule.endpoint, **values)))
    return found


@dataclass
class Findings:
    checked: set[tuple[str, str]] = field(default_factory=set)  # (endpoint, locale) axe'd
    problems: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def findings() -> Findings:
    return Findings()


def _switch_locale(page: Page, locale: str) -> None:
    page.locator("form.language-switcher select").select_option(locale)
    page.locator("form.language-switcher button").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == locale


def _reachable(page: Page, pages: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The pages this role may open: a plain request each (no rendering), redirects not
    followed, so being sent to the log-in page or refused leaves a page out."""
    return [
        (endpoint, path)
        for endpoint, path in pages
        if page.context.request.get(path, max_redirects=0).status == 200
    ]


def _measure(page: Page, where: str, f: Findings) -> None:
    overflow = page.evaluate(OVERFLOW_JS)
    if overflow:
        f.problems.append(f"{where} at {page.viewport_size['width']} px: {overflow}")


def _visit(page: Page, where: str, first: bool, f: Findings, index: int) -> None:
    """One load, both widths: a resize re-lays the page out without reloading it. Loads
    alternate between starting narrow and starting wide so each page needs one resize."""
    widths = (PHONE, SCREEN) if index % 2 == 0 else (SCREEN, PHONE)
    for width in widths:
        if page.viewport_size != width:
            page.set_viewport_size(width)
        _measure(page, where, f)
        if first and width == PHONE:
            (ARTIFACTS / "layout").mkdir(parents=True, exist_ok=True)
            name = where.replace("/", "_").replace(" ", "-").strip("_")
            page.screenshot(path=str(ARTIFACTS / "layout" / f"{name}.png"), full_page=True)
    if first:
        f.problems.extend(f"{where}: {v}" for v in serious_violations(page))


@pytest.fixture
def role_page(browser: Browser, live_server) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, bypass_csp=True)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_fits_a_phone_and_a_screen(role, role_page: Page, pages, findings: Findings):
    email = ROLES[role]
    if email:
        log_in(role_page, email)
    if ON_POSTGRESQL:  # the subset: pages no earlier role has shown
        done = {e for e, _p in pages if all((e, loc) in findings.checked for loc in RUN_LOCALES)}
        pages = [(e, p) for e, p in pages if e not in done]
    else:
        done = set()
    reachable = _reachable(role_page, pages)
    missing = MUST_REACH[role] - done - {endpoint for endpoint, _path in reachable}
    assert not missing, f"{role} cannot open {missing}"
    own_locale = next((a["locale"] for a in ACCOUNTS if a["email"] == email), None)
    problems_before = len(findings.problems)
    try:
        for locale in RUN_LOCALES:
            role_page.goto("/")
            _switch_locale(role_page, locale)
            for index, (endpoint, path) in enumerate(reachable):
                first = (endpoint, locale) not in findings.checked
                # SQLite shows every page in Italian to every role that reaches it (a
                # moderator's page is not a visitor's); PostgreSQL each page once in Arabic.
                if not first and ON_POSTGRESQL:
                    continue
                response = role_page.goto(path)
                assert response is not None
                assert response.status == 200, f"{role} {path}"
                html = role_page.locator("html")
                assert html.get_attribute("dir") == ("rtl" if locale == "ar" else "ltr")
                if first:
                    findings.checked.add((endpoint, locale))
                axe = first and locale == AXE_LOCALE
                _visit(role_page, f"{role} {locale} {path}", axe, findings, index)
    finally:
        if own_locale:  # the demo person's own interface language, for the other tests
            role_page.goto("/")
            _switch_locale(role_page, own_locale)
    problems = findings.problems[problems_before:]
    assert not problems, "\n".join(problems)


def test_the_menu_folds_on_a_phone_without_javascript(browser: Browser, live_server):
    """A plain <details>: folded at 360 px, opened by its summary; always open at 1280 px."""
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, java_script_enabled=False
    )
    page = context.new_page()
    page.goto("/cities/")
    menu = page.locator(".site-menu > summary")
    link = page.locator(".main-nav a[href='/manifesto/']")
    expect(menu).to_be_visible()
    expect(link).to_be_hidden()
    menu.click()
    expect(link).to_be_visible()
    page.set_viewport_size(SCREEN)
    page.goto("/cities/")
    expect(menu).to_be_hidden()
    expect(link).to_be_visible()
    context.close()
