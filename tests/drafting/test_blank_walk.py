"""A hurried user's draft holds no silent default, for every pair of built-in systems.

The walk a new user takes: a blank bilateral treaty between two systems, and
Enter on the first option of every provision the draft asks for (the first
fitting clause, no values given), until nothing more is asked. Every value in
the Markdown draft must then come from somewhere a negotiator can see (a
profile both systems share, a decision, a position) or stand bracketed as not
yet agreed, with its note, in the paragraph it belongs to.
"""

from __future__ import annotations

import itertools
import re
from functools import cache

import pytest

from negotiation.drafting.builder import build_draft
from negotiation.drafting.markdown import paragraph as paragraph_markdown
from negotiation.drafting.markdown import write_markdown
from negotiation.drafting.model import Draft, Paragraph
from negotiation.profiles import builtin_profiles
from negotiation.session import ClauseChoice, Negotiation, Session, assemble
from negotiation.templating import escape_markdown, plain_value

SYSTEMS = sorted(builtin_profiles())
PAIRS = list(itertools.permutations(SYSTEMS, 2))
MAX_ROUNDS = 10
"""Choosing a clause may make further provisions relevant (`only_if`); a walk that
still asks after this many rounds never ends."""


def blank(first: str, second: str) -> Session:
    return Session.model_validate({
        "linkwright": 1, "title": f"Linking {first} and {second}",
        "parties": [{"id": "first", "system": first}, {"id": "second", "system": second}],
        "linkage": {"type": "bilateral"}, "form": "treaty"})


def press_enter_everywhere(session: Session) -> Negotiation:
    """The first fitting clause, with no values, for every provision the draft asks for."""
    neg = assemble(session)
    for _ in range(MAX_ROUNDS):
        asked = [p for p in neg.relevant_provisions() if neg.decision(p.id) is None]
        if not asked:
            return neg
        provisions = dict(session.provisions)
        for provision in asked:
            first = neg.library.fitting_clauses(provision.id, neg.form, neg.linkage)[0]
            provisions[provision.id] = ClauseChoice(clause=first.id)
        session = session.model_copy(update={"provisions": provisions})
        neg = assemble(session)
    raise AssertionError("the walk keeps asking")


@cache
def walked(first: str, second: str) -> tuple[Negotiation, Draft, str]:
    neg = press_enter_everywhere(blank(first, second))
    draft = build_draft(neg)
    return neg, draft, write_markdown(draft)


def _printed(source: str, name: str, value: object) -> bool:
    """Whether the clause text prints the parameter: it stands in an expression, and
    no `{% if name %}` on a false value leaves it out."""
    if not re.search(rf"\{{\{{\s*{name}\b", source):
        return False
    return bool(value) or not re.search(rf"\{{%-?\s*if\s+{name}\s*-?%\}}", source)


def _unconfirmed_in(neg: Negotiation, provision: str) -> list[tuple[str, object]]:
    choice = neg.decision(provision)
    assert choice is not None
    clause = neg.library.clauses[choice.clause]
    return [(name, value) for name, (value, origin)
            in neg.parameter_origins(clause, choice.params).items()
            if origin in ("default", "missing")]


@pytest.mark.parametrize(("first", "second"), PAIRS, ids=[f"{a}+{b}" for a, b in PAIRS])
def test_every_value_a_hurried_user_leaves_is_bracketed_in_its_paragraph(first: str,
                                                                        second: str) -> None:
    neg, draft, text = walked(first, second)
    assert "None" not in text
    paragraphs: dict[str, Paragraph] = {
        p.provision: p for a in (*draft.body, *(s for x in draft.attachments
                                                for s in x.sections)) for p in a.paragraphs}
    for provision in (p.id for p in neg.relevant_provisions()):
        found = paragraphs[provision]
        shown = paragraph_markdown(found)
        assert shown.split("\n")[0] in text  # the paragraph as the document holds it
        clause = neg.library.clauses[neg.decision(provision).clause]  # type: ignore[union-attr]
        topic = neg.library.provisions[provision].topic
        source = clause.text_for(neg.voice_for_topic(topic)) or ""
        for name, value in _unconfirmed_in(neg, provision):
            label = escape_markdown(clause.params[name].label or name)
            bracket = "…" if value is None else escape_markdown(plain_value(value))
            why = "no value" if value is None else "library default"
            assert f"{label}: \\[{bracket}\\] ({why})" in shown, (provision, name)
            if _printed(source, name, value):
                body = shown.split("\n\n   *Not yet agreed")[0]
                assert f"\\[{bracket}\\]" in body, (provision, name)


def test_the_whole_walk_has_brackets_where_a_blank_session_has_no_figures() -> None:
    """Not a vacuous walk: a blank session relies on the library for some figures."""
    _neg, _draft, text = walked("nz-ets", "uk-ets")
    assert "*Not yet agreed — " in text
    assert re.search(r"take effect \\\[6\\\] months", text)
