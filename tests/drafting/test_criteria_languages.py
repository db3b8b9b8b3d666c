"""Annex I in French and German: every word from the version's phrases (`criteria_…`,
clauses/lang/<code>/criteria.yaml), each party's law cited as its profile cites it in that
language (`translations: {fr: {legislation: …}}`), and a bracket, never the English, where
the version lacks a phrase or a citation."""

from __future__ import annotations

import re

import pytest

from negotiation.drafting.criteria import (
    CRITERIA,
    TO_BE_STATED,
    essential_criteria_annex,
    essential_criteria_intro,
)
from negotiation.drafting.model import Table
from negotiation.drafting.phrases import ENGLISH, Phrases, phrases_for
from negotiation.session import Negotiation
from tests.conftest import negotiation

SLOT = re.compile(r"\{[A-Za-z_]+\}")

ENGLISH_WORDS = re.compile(r"\b(?:the|of|under|for|and|with|per cent|laid down|"
                           r"allowances?|to be stated)\b", re.IGNORECASE)
"""English words no French or German annex of eu-ch has any reason to show."""


def annex_in(neg: Negotiation, language: str) -> tuple[str, Table, Phrases]:
    say = phrases_for(neg.library, language)
    intro = essential_criteria_intro(neg, say("party_word"), say=say)
    return intro, essential_criteria_annex(neg, say=say), say


def replaced(say: Phrases) -> list[str]:
    """The English of every `criteria_` phrase the language words otherwise, cut at its
    slots: the pieces the English annex shows and this version must not."""
    pieces = []
    for key, english in ENGLISH.items():
        if key.startswith("criteria_") and say.words.get(key, english) != english:
            pieces += [p.strip(" ,:;") for p in SLOT.split(english)]
    return sorted({p for p in pieces if len(p) > 3})


def texts(intro: str, table: Table) -> list[str]:
    return [intro, *table.headers, *(text for row in table.rows for text in row)]


@pytest.mark.parametrize("language", ["fr", "de"])
def test_eu_ch_annex_has_no_english_left(language: str) -> None:
    neg = negotiation("eu-ch")
    intro, table, say = annex_in(neg, language)
    pieces = replaced(say)
    assert len(pieces) > 80  # the list checked is the annex's, not an empty one
    for text in texts(intro, table):
        for piece in pieces:
            assert not re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", text), (piece, text)
        assert not ENGLISH_WORDS.search(text), text
    # every phrase and citation the annex needs is there; only the registries' and
    # authorities' names wait for the profiles to give them in the language
    assert not any(key.startswith(("criteria_", "legislation:")) for key in say.missing), \
        say.missing


@pytest.mark.parametrize("language", ["fr", "de"])
def test_eu_ch_annex_has_the_english_shape(language: str) -> None:
    neg = negotiation("eu-ch")
    english = essential_criteria_annex(neg)
    _, table, say = annex_in(neg, language)
    assert len(table.headers) == len(english.headers) == 1 + len(neg.party_ids)
    assert len(table.rows) == len(english.rows) == len(CRITERIA)
    assert all(len(row) == len(table.headers) for row in table.rows)
    # a rule still to be stated where the English has one, and only there
    for ours, theirs in zip(table.rows, english.rows, strict=True):
        for text, english_text in zip(ours[1:], theirs[1:], strict=True):
            assert (text == say("criteria_to_be_stated")) == (english_text == TO_BE_STATED), \
                (text, english_text)


def test_eu_ch_cites_each_partys_law_in_the_language() -> None:
    neg = negotiation("eu-ch")
    intro, table, _ = annex_in(neg, "fr")
    assert "la directive 2003/87/CE du Parlement européen et du Conseil" in intro
    assert "la loi fédérale du 23 décembre 2011 sur la réduction des émissions de CO2" in intro
    assert "le 23 novembre 2017" in intro
    assert table.headers == ["Critère essentiel", "L'Union", "La Suisse"]
    penalty = next(i for i, c in enumerate(CRITERIA) if c.element == "Penalty per tonne")
    assert table.rows[penalty][1].startswith("Une pénalité de 100 EUR par tonne")
    assert table.rows[penalty][1].endswith("selon l'article 16 de la directive 2003/87/CE")
    intro, table, _ = annex_in(neg, "de")
    assert "Richtlinie 2003/87/EG des Europäischen Parlaments und des Rates" in intro
    assert "am 23. November 2017 geltenden" in intro
    assert table.rows[penalty][1].startswith("Eine Sanktion von 100 EUR")
    assert any(row[2].endswith("gemäß CO2-Gesetz und CO2-Verordnung") for row in table.rows)


def test_ca_qc_in_canadian_french_cites_quebecs_regulation_by_its_french_name() -> None:
    neg = negotiation("ca-qc")
    intro, table, say = annex_in(neg, "fr-CA")
    regulation = ("le Règlement concernant le système de plafonnement et d'échange de droits "
                  "d'émission de gaz à effet de serre (chapitre Q-2, r. 46.1)")
    assert regulation in intro
    column = 1 + neg.party_ids.index("qc")
    cited = [row[column] for row in table.rows if not row[column].startswith("[")]
    assert cited and any(text.endswith(f"selon {regulation}") for text in cited)
    for text in texts(intro, table):
        assert "Regulation respecting" not in text and "chapter Q-2" not in text, text
    assert not any(key.startswith("legislation:") for key in say.missing), say.missing


def test_a_citation_the_profile_does_not_give_in_the_language_is_a_bracket(
        monkeypatch: pytest.MonkeyPatch) -> None:
    neg = negotiation("eu-ch")
    citation = "Article 9 of Directive 2003/87/EC"  # the EU's cap
    legislation = neg.systems["eu"].profile.translations["fr"].legislation
    monkeypatch.delitem(legislation, citation)
    _, table, say = annex_in(neg, "fr")
    row = next(i for i, c in enumerate(CRITERIA) if c.element == "Type of cap")
    cell = table.rows[row][1]
    bracket = say("criteria_citation_missing")
    assert cell == f"Un plafond absolu des quotas délivrés, selon {bracket}"
    assert "Article 9" not in cell and "article 9" not in cell
    assert f"legislation:eu-ets:{citation}" in say.missing
    # the other cells citing the Directive are untouched
    assert any("selon l'article 16 de la directive 2003/87/CE" in r[1] for r in table.rows)


def test_english_is_the_code_own() -> None:
    """`say` English or None: the annex the tests of test_annex_criteria.py check."""
    neg = negotiation("eu-ch")
    english = Phrases()
    assert essential_criteria_annex(neg, say=english) == essential_criteria_annex(neg)
    assert essential_criteria_intro(neg, "Party", say=english) == \
        essential_criteria_intro(neg, "Party")
    assert not english.missing
