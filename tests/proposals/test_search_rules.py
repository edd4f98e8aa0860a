"""Pure rules of search: the text-search configuration of a language, FTS5 quoting."""

from __future__ import annotations

import pytest

from app.proposals.search_rules import MAX_WORDS, fts5_query, text_config, words


@pytest.mark.parametrize(
    ("language", "config"),
    [
        ("it", "italian"),
        ("ar", "arabic"),
        ("ro", "romanian"),
        ("EN", "english"),
        ("pt-BR", "portuguese"),
        ("de_AT", "german"),
        ("wo", "simple"),  # Wolof: no stemmer, plain words
        ("", "simple"),
        (None, "simple"),
    ],
)
def test_each_language_is_stemmed_in_its_own_configuration(language, config):
    assert text_config(language) == config


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("parco giochi", '"parco"* "giochi"*'),
        ("a OR", '"a"* "OR"*'),
        ("NOT b", '"NOT"* "b"*'),
        ('say "hi', '"say"* """hi"*'),
        ("NEAR(a b, 2)", '"NEAR(a"* "b,"* "2)"*'),
        ("title:x ^y", '"title:x"* "^y"*'),
        ("a* -b", '"a*"* "-b"*'),
        ("مكتبة عامة", '"مكتبة"* "عامة"*'),
    ],
)
def test_every_word_is_quoted_so_nothing_is_fts_syntax(text, expected):
    assert fts5_query(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "*", '"', "% _ - ( )", None])
def test_no_searchable_word_is_no_query(text):
    assert fts5_query(text) is None
    assert words(text) == []


def test_long_queries_are_cut_to_the_first_words():
    text = " ".join(f"w{n}" for n in range(MAX_WORDS + 5))
    assert words(text) == [f"w{n}" for n in range(MAX_WORDS)]
