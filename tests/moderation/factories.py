"""Reported items, reports and blocks, through the moderation services."""

from __future__ import annotations

from datetime import datetime

from app.moderation import services, targets
from tests import factories
from tests.consultations.factories import with_phases
from tests.proposals import factories as pf


def consultation(city, phase: str = "proposals", **settings):
    return with_phases(city, phase=phase, **settings)


def proposal(city, author=None, **changes):
    """A proposal by `author` (a new person if none), in a consultation taking proposals."""
    return pf.proposal(consultation(city), author or factories.user(), **changes)


def comment(proposal_, author=None, **changes):
    return pf.comment(proposal_, author or factories.user(), **changes)


def target(kind: str, item, city=None) -> targets.Target:
    found = targets.load(kind, item.id, city=city)
    assert found is not None
    return found


def reports(kind: str, item, count: int, *, city=None, category: str = "spam"):
    """`count` reports by as many new people; returns the last `Reported`."""
    done = None
    for _ in range(count):
        done = services.report(
            factories.user(), target(kind, item, city), category=category, language="it"
        )
    return done


def hidden_proposal(city, moderator, *, author=None, reason: str = "Pubblicità"):
    item = proposal(city, author)
    services.hide(moderator, target("proposal", item), reason=reason, language="it")
    return item


def block(moderator, user, city, *, ends_at: datetime | None = None, reason: str = "Spam"):
    return services.block(moderator, user, city=city, reason=reason, language="it", ends_at=ends_at)
