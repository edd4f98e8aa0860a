"""Machine translation backends: a `Translator` interface, a no-op default and Argos Translate.

The backend is chosen by the configuration (``MACHINE_TRANSLATION``, from the environment
variable ``LC_MACHINE_TRANSLATION``):

- ``""`` or ``"none"``: no machine translation (the default: nothing is queued);
- ``"argos"``: Argos Translate, offline (the ``argos`` extra; language packages installed by the
  operator with ``argospm``);
- ``"package.module:Name"``: any class (or factory) implementing `Translator`, for other backends.

Any other value refuses to start. Translating happens only in the background worker
(`app.translations.queue.work`); a request only asks `supports()`, which must stay cheap.
Markdown bodies are cut into blocks and lines first (`split_markdown`), so headings, lists, quotes
and code keep their markup and only prose reaches the backend.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from typing import Any, Protocol, runtime_checkable

from flask import Flask, current_app

EXTENSION_KEY = "machine_translation"
NO_BACKEND = ("", "none", "off")


@runtime_checkable
class Translator(Protocol):
    """A machine-translation backend."""

    #: Short label stored with each translation it writes ("argos 1.11.0").
    name: str

    def supports(self, source: str, target: str) -> bool:
        """Whether it translates from `source` into `target` (ISO 639-1 codes). Must be cheap:
        it is asked while a text is saved."""
        ...

    def translate(self, texts: list[str], source: str, target: str) -> list[str]:
        """The translations of `texts`, in the same order. May be slow; may raise."""
        ...


class NoopTranslator:
    """No machine translation: supports nothing, so nothing is ever queued."""

    name = "none"

    def supports(self, source: str, target: str) -> bool:
        return False

    def translate(self, texts: list[str], source: str, target: str) -> list[str]:
        raise LookupError("no machine translation backend is configured")


class ArgosTranslator:
    """Argos Translate (offline). Pairs without a package of their own pivot through another
    language (usually English) when Argos has packages for both legs, as Argos itself does.

    Which pairs exist is read from the installed packages' metadata, without loading the models
    (a web request only asks `supports`); the translation module is imported by the worker on its
    first job, and its models stay loaded for the next ones.
    """

    # How long the list of installed packages is trusted before it is read again (seconds).
    PAIRS_TTL = 300

    def __init__(self) -> None:
        if importlib.util.find_spec("argostranslate") is None:
            raise MachineTranslationConfigError(
                "LC_MACHINE_TRANSLATION=argos needs Argos Translate: install the extra with "
                "`pip install -e '.[argos]'` (or `pip install argostranslate`), then language "
                "packages with `argospm install translate-ar_en` …"
            )
        try:
            version = metadata.version("argostranslate")
        except metadata.PackageNotFoundError:  # pragma: no cover - vendored copies
            version = "?"
        self.name = f"argos {version}"
        self._lock = threading.Lock()
        self._pairs: set[tuple[str, str]] = set()
        self._pairs_read_at = float("-inf")
        self._languages: dict[str, Any] | None = None

    def _direct_pairs(self) -> Iterable[tuple[str, str]]:
        from argostranslate import package  # lazy: an optional dependency

        for installed in package.get_installed_packages():
            if getattr(installed, "type", "translate") != "translate":
                continue
            yield installed.from_code, installed.to_code

    def pairs(self) -> set[tuple[str, str]]:
        """Every (source, target) Argos can translate, directly or through pivots."""
        with self._lock:
            if time.monotonic() - self._pairs_read_at > self.PAIRS_TTL:
                self._pairs = reachable_pairs(self._direct_pairs())
                self._pairs_read_at = time.monotonic()
            return self._pairs

    def supports(self, source: str, target: str) -> bool:
        return source != target and (source, target) in self.pairs()

    def translate(self, texts: list[str], source: str, target: str) -> list[str]:
        from argostranslate import translate as argos  # lazy: heavy, worker only

        translation = self._translation(argos, source, target)
        if translation is None:
            # Packages installed (by argospm, another process) since the languages were read:
            # read them again, once. Argos caches them too; loaded models are kept either way.
            getattr(argos.get_installed_languages, "cache_clear", lambda: None)()
            self._languages = None
            translation = self._translation(argos, source, target)
        if translation is None:
            raise LookupError(f"Argos has no installed package for {source}→{target}")
        return [translation.translate(text) if text.strip() else text for text in texts]

    def _translation(self, argos: Any, source: str, target: str) -> Any:
        if self._languages is None:
            self._languages = {lang.code: lang for lang in argos.get_installed_languages()}
        origin, destination = self._languages.get(source), self._languages.get(target)
        return origin.get_translation(destination) if origin and destination else None


class MachineTranslationConfigError(RuntimeError):
    """The configured backend cannot be used: the application refuses to start."""


def reachable_pairs(direct: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """The pairs reachable by chaining direct ones (ar→en, en→it gives ar→it too)."""
    edges: dict[str, set[str]] = {}
    for source, target in direct:
        edges.setdefault(source, set()).add(target)
    pairs: set[tuple[str, str]] = set()
    for start in edges:
        seen, frontier = {start}, [start]
        while frontier:
            for nxt in edges.get(frontier.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    frontier.append(nxt)
                    pairs.add((start, nxt))
    return {(source, target) for source, target in pairs if source != target}


def build_translator(setting: object) -> Translator:
    """The backend a configuration value names (see the module's docstring)."""
    if isinstance(setting, Translator):
        return setting
    if setting is None:
        return NoopTranslator()
    if not isinstance(setting, str):
        raise MachineTranslationConfigError(
            f"MACHINE_TRANSLATION must be a backend name, not {type(setting).__name__}"
        )
    name = setting.strip()
    if name.lower() in NO_BACKEND:
        return NoopTranslator()
    if name.lower() == "argos":
        return ArgosTranslator()
    if ":" in name:
        module_name, _, attribute = name.partition(":")
        try:
            factory = getattr(importlib.import_module(module_name), attribute)
        except (ImportError, AttributeError) as error:
            raise MachineTranslationConfigError(
                f"LC_MACHINE_TRANSLATION={name!r}: cannot load the backend ({error})"
            ) from error
        backend = factory()
        if not isinstance(backend, Translator):
            raise MachineTranslationConfigError(
                f"LC_MACHINE_TRANSLATION={name!r} is not a Translator "
                "(it needs `name`, `supports(source, target)` and `translate(texts, source, target)`)"
            )
        return backend
    raise MachineTranslationConfigError(
        f"LC_MACHINE_TRANSLATION={name!r} is not a known machine translation backend: "
        "use '' (none), 'argos', or 'package.module:ClassName'"
    )


def configure(app: Flask) -> Translator:
    """Build the app's backend from its configuration (refusing an unknown one) and keep it."""
    setting = app.config.get("MACHINE_TRANSLATION")
    if setting is None:
        # Until app/config.py reads it, the environment variable is read here.
        setting = os.environ.get("LC_MACHINE_TRANSLATION", "")
    backend = build_translator(setting)
    app.extensions[EXTENSION_KEY] = backend
    return backend


def get_translator(app: Flask | None = None) -> Translator:
    """The configured backend of `app` (the current one by default)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    backend = app.extensions.get(EXTENSION_KEY)
    if backend is None:
        backend = configure(app)
    return backend


def is_enabled(app: Flask | None = None) -> bool:
    return not isinstance(get_translator(app), NoopTranslator)


def engine_label(backend: Translator, source: str, target: str) -> str:
    """What goes in Translation.engine: "argos 1.11.0 ar→it" (at most 80 characters)."""
    return f"{backend.name} {source}→{target}"[:80]


# Markdown: cut a text into the pieces a backend may translate, and put it back together.

_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
# Block markers kept as they are: headings, quotes, list items (possibly nested in a quote).
_BLOCK_PREFIX = re.compile(r"^(\s*(?:#{1,6}\s+|>\s?|[-*+]\s+|\d{1,9}[.)]\s+)+)")
# Lines kept whole: rules, tables, link reference definitions, HTML.
_VERBATIM = re.compile(r"^\s*(?:[-*_]\s*){3,}$|^\s*\||^\s{0,3}\[[^\]]+\]:\s|^\s*<")
_HARD_BREAK = re.compile(r"(?: {2,}|\\)$")


@dataclass(frozen=True)
class Piece:
    """A bit of the text: markup kept as it is (`translate` False), or prose to translate."""

    text: str
    translate: bool


def split_markdown(text: str) -> list[Piece]:
    """Pieces whose texts, joined, give back `text` (a paragraph's soft line breaks become
    spaces, as they render); the prose pieces are whole paragraphs, list items, headings or
    quoted lines, and everything else (markers, code, tables, rules, blank lines) is kept."""
    pieces: list[Piece] = []
    paragraph: list[str] = []

    def keep(value: str) -> None:
        if value:
            pieces.append(Piece(value, False))

    def flush_paragraph() -> None:
        # Lines of one paragraph are one sentence flow: translated together, separated by the
        # original line breaks' whitespace; a hard break (two spaces, backslash) splits it.
        start = 0
        for index, line in enumerate(paragraph):
            if _HARD_BREAK.search(line.rstrip("\n")) or index == len(paragraph) - 1:
                _prose(pieces, paragraph[start : index + 1])
                start = index + 1
        paragraph.clear()

    in_fence: str | None = None
    for line in text.splitlines(keepends=True):
        stripped = line.rstrip("\r\n")
        fence = _FENCE.match(stripped)
        if in_fence is not None:
            keep(line)
            if fence and fence.group(1) == in_fence:
                in_fence = None
            continue
        if fence:
            flush_paragraph()
            in_fence = fence.group(1)
            keep(line)
            continue
        if not stripped.strip() or _VERBATIM.match(stripped):
            flush_paragraph()
            keep(line)
            continue
        prefix = _BLOCK_PREFIX.match(stripped)
        if prefix:
            flush_paragraph()
            keep(prefix.group(1))
            _prose(pieces, [line[len(prefix.group(1)) :]])
            continue
        if stripped.startswith("    ") and not paragraph:
            keep(line)  # an indented code block (inside a paragraph: a continuation line)
            continue
        paragraph.append(line)
    flush_paragraph()
    return pieces


def _prose(pieces: list[Piece], lines: list[str]) -> None:
    """Lines of prose as one piece to translate, with their surrounding whitespace kept apart."""
    joined = "".join(lines)
    core = joined.strip()
    if not core:
        if joined:
            pieces.append(Piece(joined, False))
        return
    start = joined.index(core)
    if core.endswith("\\"):
        core = core[:-1]  # the backslash of a hard break is markup
    if start:
        pieces.append(Piece(joined[:start], False))
    # Line breaks inside a paragraph are soft: one space in the rendered text.
    pieces.append(Piece(re.sub(r"\s*\n\s*", " ", core), True))
    end = joined[start + len(core) :]
    if end:
        pieces.append(Piece(end, False))


def translate_fields(
    backend: Translator, fields: dict[str, str], source: str, target: str
) -> dict[str, str]:
    """Every field translated by one call to the backend, Markdown markup kept."""
    split = {name: split_markdown(value) for name, value in fields.items()}
    prose = [piece.text for pieces in split.values() for piece in pieces if piece.translate]
    translated = backend.translate(prose, source, target) if prose else []
    if len(translated) != len(prose):
        raise ValueError(
            f"the backend returned {len(translated)} translations for {len(prose)} texts"
        )
    results = iter(translated)
    return {
        name: "".join(next(results) if piece.translate else piece.text for piece in pieces)
        for name, pieces in split.items()
    }
