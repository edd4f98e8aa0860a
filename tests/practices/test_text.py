"""Cleaning and folding what people type (pure functions)."""

from __future__ import annotations

import pytest

from app.practices.text import clean_line, clean_text, fold, paragraphs, split_tags, tag_problem


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ASSEMBLÉES de Quartier", "assemblees de quartier"),
        ("Città", "citta"),
        ("Straße", "strasse"),
        ("ΣΟΦΊΑ", "σοφια"),
        ("حِوَار", "حوار"),
        ("حـــوار", "حوار"),
        ("  Ünïcödé \t\n spaces  ", "unicode spaces"),
        ("ｆｕｌｌｗｉｄｔｈ", "fullwidth"),
        ("a\x00b", "ab"),
        ("a\tb\nc", "a b c"),
        ("", ""),
    ],
)
def test_fold_ignores_case_accents_and_harakat(typed, stored):
    assert fold(typed) == stored


def test_clean_line_and_text_drop_controls_and_keep_paragraphs():
    assert clean_line(" a\x00b \n c ") == "ab c"
    assert clean_line("e\u0301") == "é"  # NFC
    assert clean_text("Uno.\r\n\r\nDue.\x07  ") == "Uno.\n\nDue."
    assert paragraphs("Uno.\n\n\nDue\nancora.\n \nTre.") == ["Uno.", "Due\nancora.", "Tre."]


def test_tags_are_lower_case_and_once():
    assert split_tags("Outreach, schools ,outreach,, ÉCOLES، مدارس") == [
        "outreach",
        "schools",
        "écoles",
        "مدارس",
    ]
    assert tag_problem("intercultural dialogue") is None
    assert tag_problem("<script>") == "shape"
    assert tag_problem("x" * 41) == "too_long"
