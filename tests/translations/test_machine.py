"""Machine-translation backends: choosing one from the configuration (an unknown one refuses to
start), the no-op default, Argos Translate's pairs and pivots, and Markdown kept intact."""

from __future__ import annotations

import importlib.util
import sys
import textwrap

import pytest
from flask import Flask

from app import create_app
from app.extensions import db
from app.translations import machine, queue
from app.translations.machine import (
    ArgosTranslator,
    MachineTranslationConfigError,
    NoopTranslator,
    Piece,
    build_translator,
    reachable_pairs,
    split_markdown,
    translate_fields,
)
from tests.conftest import make_config
from tests.translations.fakes import PrefixTranslator, ShortTranslator

ARGOS_INSTALLED = importlib.util.find_spec("argostranslate") is not None


# Choosing the backend.


@pytest.mark.parametrize("setting", ["", "none", " None ", None])
def test_no_backend_is_the_noop_default(setting):
    backend = build_translator(setting)
    assert isinstance(backend, NoopTranslator)
    assert not backend.supports("it", "ar")
    with pytest.raises(LookupError):
        backend.translate(["Ciao"], "it", "ar")


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("deepl", "'deepl' is not a known machine translation backend"),
        ("tests.translations.fakes:NotATranslator", "is not a Translator"),
        ("tests.translations.nowhere:Translator", "cannot load the backend"),
        ("tests.translations.fakes:Nothing", "cannot load the backend"),
        (42, "must be a backend name"),
    ],
)
def test_an_unknown_backend_is_refused_with_a_clear_message(setting, message):
    with pytest.raises(MachineTranslationConfigError, match=message):
        build_translator(setting)


def test_a_backend_class_is_named_by_its_import_path():
    backend = build_translator("tests.translations.fakes:PrefixTranslator")
    assert isinstance(backend, PrefixTranslator)
    assert isinstance(backend, machine.Translator)


def test_init_app_refuses_an_unknown_backend_and_keeps_a_known_one():
    bare = Flask("refusing")
    bare.config["MACHINE_TRANSLATION"] = "babelfish"
    with pytest.raises(MachineTranslationConfigError, match="babelfish"):
        queue.init_app(bare)
    bare.config["MACHINE_TRANSLATION"] = "tests.translations.fakes:PrefixTranslator"
    queue.init_app(bare)
    assert isinstance(machine.get_translator(bare), PrefixTranslator)
    assert machine.is_enabled(bare)


def test_the_environment_variable_names_the_backend(monkeypatch):
    bare = Flask("from-env")
    monkeypatch.setenv("LC_MACHINE_TRANSLATION", "tests.translations.fakes:PrefixTranslator")
    assert isinstance(machine.configure(bare), PrefixTranslator)
    monkeypatch.setenv("LC_MACHINE_TRANSLATION", "")
    assert not machine.is_enabled(Flask("from-env-too"))


def test_the_application_refuses_to_start_with_an_unknown_backend(database_url, tmp_path):
    config = make_config(database_url, str(tmp_path / "outbox.jsonl"))
    probe = create_app(config)
    with probe.app_context():
        db.engine.dispose()
    if machine.EXTENSION_KEY not in probe.extensions:
        pytest.skip("create_app does not call app.translations.queue.init_app yet")
    config["MACHINE_TRANSLATION"] = "deepl"
    with pytest.raises(MachineTranslationConfigError, match="deepl"):
        create_app(config)


# Argos Translate.


@pytest.mark.skipif(ARGOS_INSTALLED, reason="Argos Translate is installed here")
def test_argos_without_the_extra_refuses_to_start_and_says_how_to_install_it():
    with pytest.raises(MachineTranslationConfigError, match=r"pip install"):
        build_translator("argos")


def test_pairs_pivot_through_other_languages():
    pairs = reachable_pairs([("ar", "en"), ("en", "it"), ("it", "en"), ("en", "ar")])
    assert ("ar", "it") in pairs  # ar → en → it
    assert ("it", "ar") in pairs
    assert ("ar", "ar") not in pairs
    assert reachable_pairs([("uk", "en")]) == {("uk", "en")}


@pytest.fixture
def stand_in_argos(tmp_path, monkeypatch):
    """A small stand-in for the `argostranslate` library (its package and translate modules,
    with the same names): two installed packages, ar→en and en→it."""
    root = tmp_path / "argostranslate"
    root.mkdir()
    (root / "__init__.py").write_text("")
    (root / "package.py").write_text(
        textwrap.dedent(
            """
            from types import SimpleNamespace as P

            def get_installed_packages():
                return [
                    P(type="translate", from_code="ar", to_code="en"),
                    P(type="translate", from_code="en", to_code="it"),
                    P(type="sbd", from_code="ar", to_code="ar"),
                ]
            """
        )
    )
    (root / "translate.py").write_text(
        textwrap.dedent(
            """
            LOADS = []

            class Step:
                def __init__(self, source, target):
                    self.source, self.target = source, target

                def translate(self, text):
                    return f"<{self.source}>{self.target}:{text}"

            class Language:
                def __init__(self, code):
                    self.code = code

                def get_translation(self, other):
                    pairs = {("ar", "en"), ("en", "it"), ("ar", "it")}
                    if (self.code, other.code) in pairs:
                        return Step(self.code, other.code)
                    return None

            def get_installed_languages():
                LOADS.append(1)
                return [Language("ar"), Language("en"), Language("it")]
            """
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("argostranslate", "argostranslate.package", "argostranslate.translate"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    yield
    for name in ("argostranslate", "argostranslate.package", "argostranslate.translate"):
        sys.modules.pop(name, None)


@pytest.mark.skipif(ARGOS_INSTALLED, reason="the stand-in would hide the real library")
@pytest.mark.usefixtures("stand_in_argos")
def test_argos_supports_the_installed_pairs_and_their_pivots_and_loads_models_once():
    backend = build_translator("argos")
    assert isinstance(backend, ArgosTranslator)
    assert backend.name.startswith("argos ")
    # Asked while a text is saved: the models are not loaded for that.
    assert backend.supports("ar", "it")
    assert backend.supports("ar", "en")
    assert not backend.supports("it", "ar")
    assert not backend.supports("ar", "ar")
    assert "argostranslate.translate" not in sys.modules

    assert backend.translate(["مرحبا", "  "], "ar", "it") == ["<ar>it:مرحبا", "  "]
    backend.translate(["شكرا"], "ar", "en")
    assert sys.modules["argostranslate.translate"].LOADS == [1]
    with pytest.raises(LookupError, match="it→ar"):
        backend.translate(["Ciao"], "it", "ar")
    # A pair it lacks: the languages are read again once (packages installed since), not more.
    assert sys.modules["argostranslate.translate"].LOADS == [1, 1]


# Markdown.


def _joined(pieces: list[Piece]) -> str:
    return "".join(piece.text for piece in pieces)


def test_markdown_markup_is_kept_and_only_prose_is_translated():
    text = (
        "# Un orto condiviso\n"
        "\n"
        "Coltiviamo insieme\n"
        "il cortile.\n"
        "\n"
        "- pomodori\n"
        "- **basilico**\n"
        "  1. genovese\n"
        "\n"
        "> Una citazione\n"
        "\n"
        "```\n"
        "codice: non tradurre\n"
        "```\n"
        "\n"
        "    anche questo è codice\n"
        "\n"
        "| a | b |\n"
        "---\n"
        "[link]: https://example.org\n"
        "Fine.  \n"
        "A capo.\\\n"
        "Ultima riga"
    )
    pieces = split_markdown(text)
    prose = [piece.text for piece in pieces if piece.translate]
    assert prose == [
        "Un orto condiviso",
        "Coltiviamo insieme il cortile.",  # one paragraph, one sentence flow
        "pomodori",
        "**basilico**",
        "genovese",
        "Una citazione",
        "Fine.",
        "A capo.",
        "Ultima riga",
    ]
    # Joined again, the text differs only by its soft line break.
    assert _joined(pieces) == text.replace("insieme\nil", "insieme il")


def test_fields_are_translated_in_one_call_with_their_markup():
    backend = PrefixTranslator()
    fields = {"title": "Una biblioteca", "body": "## Perché\n\nLibri in *tante* lingue.\n", "x": ""}
    assert translate_fields(backend, fields, "it", "ar") == {
        "title": "[ar] Una biblioteca",
        "body": "## [ar] Perché\n\n[ar] Libri in *tante* lingue.\n",
        "x": "",
    }
    assert backend.calls == [(["Una biblioteca", "Perché", "Libri in *tante* lingue."], "it", "ar")]


def test_a_backend_that_loses_a_text_is_an_error():
    with pytest.raises(ValueError, match="returned 1 translations for 2 texts"):
        translate_fields(ShortTranslator(), {"title": "Uno", "body": "Due"}, "it", "ar")


def test_the_engine_label_fits_its_column():
    backend = PrefixTranslator()
    assert machine.engine_label(backend, "it", "ar") == "fake-prefix 1.0 it→ar"
    backend.name = "x" * 100
    assert len(machine.engine_label(backend, "it", "ar")) == 80
