"""The built-in clause library keeps the promises drafts rely on."""

from __future__ import annotations

import re

import pytest

from negotiation.checks.rules_form import BINDING_VERBS
from negotiation.library import load_library

LIBRARY = load_library()
CLAUSES = list(LIBRARY.clauses.values())


def test_library_is_large_enough_and_every_topic_has_an_article_heading() -> None:
    assert len(CLAUSES) >= 90
    assert len(LIBRARY.topics) >= 30
    orders = [t.order for t in LIBRARY.topics.values()]
    assert len(set(orders)) == len(orders), "two topics share a treaty order"
    ordered = [t.id for t in LIBRARY.ordered_topics()]
    assert ordered[:2] == ["objective", "definitions"]
    assert ordered[-1] == "languages"


@pytest.mark.parametrize("clause", CLAUSES, ids=[c.id for c in CLAUSES])
def test_clause_keeps_the_voice_and_form_rules(clause) -> None:  # type: ignore[no-untyped-def]
    core = LIBRARY.topics[LIBRARY.provisions[clause.provision].topic].core
    # Soft law: a memorandum, and the guidelines annex of a hybrid (non-core topics).
    # An empty text is deliberate: the clause adds nothing to the instrument ("Not
    # regulated by this instrument"), and then in neither voice. A missing one is not.
    adds_nothing = [t is not None and not t.strip()
                    for t in (clause.text.binding, clause.text.nonbinding)]
    if any(adds_nothing):
        assert all(adds_nothing), "adds no text in one voice but some in the other"
    if "memorandum" in clause.forms or ("hybrid" in clause.forms and not core):
        assert clause.text.nonbinding is not None, "used in soft law but has no non-binding text"
    if clause.text.nonbinding:
        assert not BINDING_VERBS.search(clause.text.nonbinding), "binding verb in soft text"
    if clause.forms == ["regulation"]:
        assert clause.linkage == ["unilateral"]
    if "treaty" in clause.forms or "regulation" in clause.forms:
        assert clause.text.binding is not None, "fits hard law but has no binding text"
    for target in clause.refs:
        assert target in LIBRARY.topics or target in LIBRARY.provisions, target
    for name, param in clause.params.items():
        if param.default is not None:
            assert param.problem(param.default) is None, name
    for text in (clause.text.binding, clause.text.nonbinding):
        if text:
            assert not re.search(r"\bArticle \d", text), "typed article number: use ref()"
            assert "\n\n" not in text.strip(), "a clause text is one paragraph"


def test_every_provision_offers_a_clause_for_some_form() -> None:
    for provision in LIBRARY.provisions.values():
        assert provision.clauses, provision.id
        assert provision.question or provision.title


def test_precedents_name_a_source() -> None:
    for clause in CLAUSES:
        for precedent in clause.precedent:
            assert precedent.source.strip()


def test_a_term_means_the_same_wherever_two_provisions_define_it() -> None:
    meanings: dict[str, dict[str, str]] = {}
    for clause in CLAUSES:
        for term, meaning in clause.defines.items():
            meanings.setdefault(term.lower(), {})[clause.provision] = meaning.strip()
    for term, by_provision in meanings.items():
        # alternatives of one provision may differ; across provisions they must agree
        assert len(set(by_provision.values())) == 1 or len(by_provision) == 1, term


def test_definitions_name_no_party_so_they_read_right_in_every_instrument() -> None:
    # Definitions are plain text shared by treaties ("Party") and memoranda
    # ("Participant"), so they speak of systems and authorities instead.
    import re

    voiced = re.compile(r"\b(Part(y|ies)|Participants?|shall|will)\b")
    for clause in CLAUSES:
        for term, meaning in clause.defines.items():
            assert not voiced.search(meaning), (clause.id, term)
