"""Factories of the Manifesto: versions with texts in every interface locale."""

from __future__ import annotations

from datetime import UTC, datetime

from app.accounts.models import User
from app.config import LOCALES
from app.manifesto import services
from app.manifesto.models import ManifestoVersion


def version(
    *,
    published_at: datetime | None = None,
    author: User | None = None,
    titles: dict[str, str] | None = None,
) -> ManifestoVersion:
    """The next version, with a title and two paragraphs in each interface locale."""
    titles = titles or {}
    texts = {
        locale: (
            titles.get(locale, f"Manifesto ({locale})"),
            f"Primo paragrafo ({locale}).\n\nSecondo paragrafo ({locale}).",
        )
        for locale in LOCALES
    }
    return services.publish_version(
        author=author,
        texts=texts,
        change_note="Test version",
        change_note_language="en",
        published_at=published_at or datetime(2020, 1, 1, tzinfo=UTC),
    )


def version_form(**overrides) -> dict[str, str]:
    """A complete new-version form."""
    data = {"change_note": "Riformulato il paragrafo sulle lingue", "change_note_language": "it"}
    for locale in LOCALES:
        data[f"title_{locale}"] = f"Titolo {locale}"
        data[f"body_{locale}"] = f"Paragrafo uno {locale}.\n\nParagrafo due {locale}."
    data.update(overrides)
    return data
