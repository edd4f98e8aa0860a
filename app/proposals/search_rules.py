"""Pure rules of proposal search (no Flask, no database): which PostgreSQL text-search
configuration stems a language, and how a visitor's words become a safe SQLite FTS5 query.
How search works as a whole: app/proposals/search.py and docs/search.md."""

from __future__ import annotations

# ISO 639-1 content languages -> the PostgreSQL text-search configuration that stems them
# (Snowball stemmers shipped with PostgreSQL). Any other language is indexed with "simple":
# its words are case-folded but not stemmed. Where a configuration is missing on the server
# (e.g. an older PostgreSQL without "arabic"), the SQL falls back to "simple" too.
TEXT_SEARCH_CONFIGS = {
    "ar": "arabic",
    "ca": "catalan",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "eu": "basque",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "nn": "norwegian",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}
SIMPLE = "simple"
# At most this many words of a query are searched (a longer query costs more and finds less).
MAX_WORDS = 12


def text_config(language: str | None) -> str:
    """The text-search configuration of a content language or locale ("pt-BR" -> portuguese)."""
    code = (language or "").strip().lower().replace("_", "-").split("-")[0]
    return TEXT_SEARCH_CONFIGS.get(code, SIMPLE)


def words(text: str | None) -> list[str]:
    """The searchable words of a query: pieces between white space that hold at least one
    letter or digit, at most MAX_WORDS of them."""
    pieces = (text or "").split()
    return [piece for piece in pieces if any(c.isalnum() for c in piece)][:MAX_WORDS]


def fts5_query(text: str | None) -> str | None:
    """An FTS5 MATCH expression that finds the rows holding every word of `text` (or a word
    beginning with it), whatever the text contains: each word is a quoted string (quotes
    doubled), so OR, NOT, NEAR(, *, ^, : and quotes are plain characters, never syntax.
    None when the text has no searchable word."""
    found = words(text)
    if not found:
        return None
    return " ".join('"' + word.replace('"', '""') + '"*' for word in found)
