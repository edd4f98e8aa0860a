"""Machine-translation backends written for the tests: real classes implementing the
`Translator` interface (app/translations/machine.py), no mocks."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask

from app.translations import queue


class PrefixTranslator:
    """Translates by prefixing the target language: "[ar] Un orto condiviso"."""

    name = "fake-prefix 1.0"

    def __init__(
        self, pairs: set[tuple[str, str]] | None = None, fail_into: set[str] = frozenset()
    ):
        self.pairs = pairs  # None: every pair
        self.fail_into = set(fail_into)
        self.calls: list[tuple[list[str], str, str]] = []

    def supports(self, source: str, target: str) -> bool:
        return self.pairs is None or (source, target) in self.pairs

    def translate(self, texts: list[str], source: str, target: str) -> list[str]:
        self.calls.append((list(texts), source, target))
        if target in self.fail_into:
            raise ConnectionError(f"the {target} model is not loaded")
        return [f"[{target}] {text}" for text in texts]


class BrokenTranslator:
    """Supports every pair and fails every time, as a backend whose server is down."""

    name = "fake-broken"

    def __init__(self) -> None:
        self.calls = 0

    def supports(self, source: str, target: str) -> bool:
        return True

    def translate(self, texts: list[str], source: str, target: str) -> list[str]:
        self.calls += 1
        raise RuntimeError("translation server unreachable")


class SlowTranslator(PrefixTranslator):
    """Answers after `delay` seconds: longer than the configured timeout in the tests."""

    name = "fake-slow"

    def __init__(self, delay: float = 0.5) -> None:
        super().__init__()
        self.delay = delay

    def translate(self, texts: list[str], source: str, target: str) -> list[str]:
        time.sleep(self.delay)
        return super().translate(texts, source, target)


class ShortTranslator(PrefixTranslator):
    """Returns one translation too few: a backend that loses a text is a failure, not a gap."""

    name = "fake-short"

    def translate(self, texts: list[str], source: str, target: str) -> list[str]:
        return super().translate(texts, source, target)[:-1]


class NotATranslator:
    """Has no `translate`: refused as a backend."""

    name = "nothing"


@contextmanager
def machine_translation(app: Flask, backend: object, **config) -> Iterator[object]:
    """The app with `backend` configured (and these MACHINE_TRANSLATION_* settings) for a block;
    the previous configuration afterwards."""
    keys = ("MACHINE_TRANSLATION", *config)
    saved = {key: app.config[key] for key in keys if key in app.config}
    app.config["MACHINE_TRANSLATION"] = backend
    app.config.update(config)
    queue.init_app(app)
    try:
        yield backend
    finally:
        for key in keys:
            app.config.pop(key, None)
        app.config.update(saved)
        queue.init_app(app)


class ConfusedTranslator(PrefixTranslator):
    """Cannot even tell which pairs it supports (its models directory is unreadable)."""

    name = "fake-confused"

    def supports(self, source: str, target: str) -> bool:
        raise OSError("permission denied: /var/lib/argos")
