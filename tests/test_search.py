"""Search across the instrument and the library: a negotiator types a phrase and is told
which provisions hold it, where in the draft, and with a few words around it."""

from __future__ import annotations

import pytest

from negotiation.search import TextSearch, search
from negotiation.session import load_preset


@pytest.fixture(scope="module")
def eu_ch():
    return load_preset("eu-ch")


@pytest.fixture(scope="module")
def eu_ch_search(eu_ch):
    return TextSearch(eu_ch)


def test_a_phrase_of_the_draft_names_its_provision_article_and_paragraph(eu_ch_search):
    hits = eu_ch_search.find("aviation activities")
    first = hits[0]
    assert first.provision == "conditions.precondition"
    assert first.where == "Article 3(1)"
    assert "aviation activities" in first.snippet
    assert first.topic_title and first.provision_title


def test_a_clause_nobody_chose_is_found_in_the_library(eu_ch, eu_ch_search):
    chosen = eu_ch.session.provisions["suspension.effects"]
    hits = [h for h in eu_ch_search.find("held units") if h.where.startswith("library")]
    assert any(h.provision == "suspension.effects" for h in hits)
    other = [h for h in hits if h.clause and h.clause != getattr(chosen, "clause", None)]
    assert other, "the library's alternatives are searched, not only the chosen text"


def test_case_and_word_order_do_not_matter_and_the_exact_phrase_comes_first(eu_ch_search):
    hits = eu_ch_search.find("UNITS held")
    assert hits
    assert eu_ch_search.find("held units")[0].snippet.lower().count("held units") >= 1


def test_snippets_read_as_text_not_as_markup_or_template(eu_ch_search):
    for hit in eu_ch_search.find("limit") + eu_ch_search.find("percent"):
        assert "{{" not in hit.snippet and "{%" not in hit.snippet
        assert "\\" not in hit.snippet
        assert len(hit.snippet) <= 95


def test_nothing_is_found_for_an_empty_query_or_a_word_nowhere(eu_ch):
    assert search(eu_ch, "   ") == []
    assert search(eu_ch, "xylophone") == []


def test_only_provisions_the_draft_asks_for_are_returned(eu_ch, eu_ch_search):
    relevant = {p.id for p in eu_ch.relevant_provisions()}
    hits = eu_ch_search.find("the")
    assert hits and {h.provision for h in hits} <= relevant
