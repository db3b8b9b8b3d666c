"""Where the values a provision card shows come from, and what confirming records.

A value in a draft must come from somewhere a negotiator can see: the session
(a decision or a position) or a figure every party's system shares. A library
default that nobody confirmed is marked on the card and kept out of the session
until the negotiator confirms it (`v`): neither choosing a clause nor confirming
a settled provision (`c`) turns a default into a decision unseen.
"""

from __future__ import annotations

from typing import Any

from negotiation.interview import Question, questions
from negotiation.session import ClauseChoice, Negotiation, Origin

NOT_AGREED = "library default, not yet agreed"
NO_VALUE = "no value yet"


def stated_values(neg: Negotiation, question: Question) -> dict[str, Any]:
    """The values the session itself writes for the card's clause: the decision's,
    else the parties' positions' on that clause (an agreed or settled provision has
    at most one distinct position)."""
    clause = question.choice
    if clause is None:
        return {}
    if question.status == "decided":
        decision = neg.decision(question.id)
        return dict(decision.params) if decision is not None else {}
    for position in question.positions.values():
        if isinstance(position, ClauseChoice) and position.clause == clause.id:
            return dict(position.params)
    return {}


def value_origins(neg: Negotiation, question: Question) -> dict[str, tuple[Any, Origin]]:
    """Each shown value of the card's clause with where it comes from."""
    clause = question.choice
    if clause is None:
        return {}
    return neg.parameter_origins(clause, stated_values(neg, question))


def unconfirmed_names(neg: Negotiation, question: Question, origin: Origin) -> list[str]:
    """The card's parameters whose value has `origin` ("default" or "missing")."""
    return [name for name, (_, where) in value_origins(neg, question).items() if where == origin]


def agreed_values(neg: Negotiation, question: Question) -> dict[str, Any]:
    """What confirming a settled provision records: the values the session or the
    parties' shared figures give, never a library default."""
    return {
        name: value
        for name, (value, origin) in value_origins(neg, question).items()
        if origin in ("given", "profile")
    }


def shown_values(neg: Negotiation, question: Question) -> dict[str, Any]:
    """What the confirm-values key records: every value the card shows (a missing
    one has nothing to confirm; the negotiator types it)."""
    return {
        name: value
        for name, (value, origin) in value_origins(neg, question).items()
        if origin != "missing"
    }


def settled_decisions(neg: Negotiation, topic: str | None = None) -> dict[str, ClauseChoice]:
    """Provision id -> the decision that records a settled provision (of `topic`, or
    of every topic): its only clause and the values confirmed so far."""
    return {
        q.id: ClauseChoice(clause=q.choice.id, params=agreed_values(neg, q))
        for group in questions(neg)
        if topic is None or group.topic.id == topic
        for q in group.questions
        if q.status == "settled" and q.choice is not None
    }
