"""Every route of the moderation blueprint × every visitor (see tests/matrix.py).

Association observers do not see the queue (hidden texts, who reported): 403 like a citizen;
the audit log tells them what was decided."""

from __future__ import annotations

from tests import factories
from tests.matrix import Case, city_managers, only, signed_in
from tests.moderation import factories as mf


def _item(world, kind: str = "proposal", *, hidden: bool = False) -> str:
    item = mf.proposal(world.here)
    if hidden:
        mf.reports("proposal", item, world.here.report_threshold)
    return f"/moderation/cities/{world.here.slug}/items/{kind}/{item.id}"


def _block(world) -> int:
    return mf.block(world.users["admin"], factories.user(), world.here).id


CASES = {
    "moderation.index": Case(
        "GET",
        lambda w: "/moderation/",
        only({"moderator_here": 200, "moderator_elsewhere": 200, "admin": 200}),
        login_redirect=True,
    ),
    "moderation.queue": Case(
        "GET", lambda w: f"/moderation/cities/{w.here.slug}", city_managers(200)
    ),
    "moderation.threshold": Case(
        "POST",
        lambda w: f"/moderation/cities/{w.here.slug}/threshold",
        city_managers(302),
        {"report_threshold": "4"},
    ),
    "moderation.item": Case("GET", lambda w: _item(w), city_managers(200)),
    "moderation.hide": Case(
        "POST",
        lambda w: _item(w) + "/hide",
        city_managers(302),
        {"hide-reason": "Pubblicità", "hide-language": "it"},
    ),
    "moderation.unhide": Case(
        "POST",
        lambda w: _item(w, hidden=True) + "/unhide",
        city_managers(302),
        {"unhide-reason": "Non era pubblicità"},
    ),
    "moderation.dismiss": Case(
        "POST", lambda w: _item(w, hidden=True) + "/dismiss", city_managers(302), {}
    ),
    "moderation.blocks": Case(
        "GET", lambda w: f"/moderation/cities/{w.here.slug}/blocks", city_managers(200)
    ),
    "moderation.block": Case(
        "GET",
        lambda w: f"/moderation/cities/{w.here.slug}/blocks/new/{factories.user().id}",
        city_managers(200),
    ),
    "moderation.lift": Case(
        "GET", lambda w: f"/moderation/blocks/{_block(w)}/lift", city_managers(200)
    ),
    "moderation.my_blocks": Case(
        "GET", lambda w: "/moderation/blocks/mine", signed_in(200), login_redirect=True
    ),
    "moderation.report": Case(
        "GET",
        lambda w: f"/moderation/report/proposal/{mf.proposal(w.here).id}",
        signed_in(200),
        login_redirect=True,
    ),
}
