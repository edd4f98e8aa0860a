"""Training courses with their modules and texts, through the real models and services."""

from __future__ import annotations

from itertools import count

from app.config import LOCALES
from app.extensions import db
from app.training import services
from app.training.models import Course

_sequence = count(1)


def texts(title: str, second: str, locales=LOCALES) -> dict[str, dict[str, str]]:
    """A text per locale, marked with it: "Title [fr]"."""
    return {
        locale: {"title": f"{title} [{locale}]", second: f"Text [{locale}]"} for locale in locales
    }


def course(
    slug: str | None = None,
    *,
    modules: int = 3,
    minutes: int = 20,
    published: bool = True,
    locales=LOCALES,
) -> Course:
    item = services.create_course(
        slug or f"course-{next(_sequence)}", texts("Course", "summary", locales)
    )
    for n in range(1, modules + 1):
        services.create_module(
            item,
            texts(f"Module {n}", "body", locales),
            estimated_minutes=minutes,
            link_url="https://example.org/guide" if n == 1 else None,
        )
    if published and modules:
        services.publish(item, True)
    db.session.flush()
    return item


def complete(user, item: Course, how_many: int | None = None) -> list:
    """Mark the first `how_many` modules (all by default) done; the entries written."""
    entries = []
    for module in services.modules_of(item)[:how_many]:
        entries += services.complete_module(user, module)
    return entries


def module_form(**values) -> dict:
    data = {"estimated_minutes": "25", "link_url": "https://example.org/slides", "position": ""}
    for locale in LOCALES:
        data[f"title_{locale}"] = f"Interpreti [{locale}]"
        data[f"body_{locale}"] = f"Come lavorare con gli interpreti [{locale}]"
    return {**data, **values}


def course_form(**values) -> dict:
    data = {"slug": f"new-course-{next(_sequence)}"}
    for locale in LOCALES:
        data[f"title_{locale}"] = f"Corso [{locale}]"
        data[f"summary_{locale}"] = f"Riassunto [{locale}]"
    return {**data, **values}
