"""The guided interview: which questions the draft still needs, and in what order.

As in docassemble or HotDocs, the document is the goal: a provision is asked
only if this form and linkage need it (`Negotiation.relevant_provisions`,
which also honours `only_if`), and among those only the undecided ones need
an answer. Each relevant provision gets one status:

- decided:  the session records a clause for it;
- agreed:   every party's position is the same clause and values;
- settled:  only one clause that drafts text fits ("Not regulated by this
            instrument" is always open, never a rival) and nothing disputes its values (no
            differing positions, no differing profile figures behind a
            default) - shown as settled, to be confirmed with one key;
- disputed: two or more different positions are on the table;
- open:     none of the above.

Topics in which nothing is relevant are not listed at all. There is no list
of screens to skip anywhere: what is shown follows from the library, the
form, the linkage and the choices made so far.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from negotiation.library import Clause, Provision, Topic
from negotiation.session import ClauseChoice, Negotiation, Position

Status = Literal["decided", "agreed", "settled", "disputed", "open"]
NEEDS_ANSWER: frozenset[str] = frozenset({"open", "disputed"})


@dataclass(frozen=True)
class Question:
    """One provision as the interview asks it."""

    provision: Provision
    status: Status
    clauses: tuple[Clause, ...]
    choice: Clause | None = None
    values: dict[str, Any] = field(default_factory=dict)
    positions: dict[str, Position] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.provision.id

    @property
    def topic(self) -> str:
        return self.provision.topic

    @property
    def needs_answer(self) -> bool:
        return self.status in NEEDS_ANSWER


@dataclass(frozen=True)
class TopicQuestions:
    """The relevant provisions of one topic, in library order."""

    topic: Topic
    questions: tuple[Question, ...]

    @property
    def open_count(self) -> int:
        return sum(q.needs_answer for q in self.questions)

    @property
    def settled_count(self) -> int:
        return sum(q.status == "settled" for q in self.questions)


def _distinct(positions: dict[str, Position]) -> list[Position]:
    distinct: list[Position] = []
    for position in positions.values():
        if position not in distinct:
            distinct.append(position)
    return distinct


def _profile_values_agree(neg: Negotiation, clause: Clause, given: dict[str, Any]) -> bool:
    """No parameter falls back to a default while the parties' own figures differ."""
    for name, param in clause.params.items():
        if name in given or not param.default_from:
            continue
        figures = {repr(neg.systems[p].parameters.get(param.default_from)) for p in neg.party_ids}
        if len(figures) > 1:
            return False
    return True


def _question(neg: Negotiation, provision: Provision) -> Question:
    fitting = tuple(neg.library.fitting_clauses(provision.id, neg.form, neg.linkage))
    positions = neg.positions_on(provision.id)
    decided = neg.decision(provision.id)
    if decided is not None:
        clause = neg.library.clauses[decided.clause]
        return Question(
            provision,
            "decided",
            fitting,
            clause,
            neg.parameter_values(clause, decided.params),
            positions,
        )
    agreed = neg.agreed_by_positions(provision.id)
    if agreed is not None:
        clause = neg.library.clauses[agreed.clause]
        return Question(
            provision,
            "agreed",
            fitting,
            clause,
            neg.parameter_values(clause, agreed.params),
            positions,
        )
    distinct = _distinct(positions)
    if len(distinct) >= 2:
        return Question(provision, "disputed", fitting, None, {}, positions)
    drafting = [c for c in fitting if not c.leaves_out]
    if len(drafting) == 1:  # "Not regulated" stays open to choose, but is no rival
        only = drafting[0]
        given: dict[str, Any] = {}
        compatible = True
        if distinct:
            stated = distinct[0]
            compatible = isinstance(stated, ClauseChoice) and stated.clause == only.id
            given = dict(stated.params) if isinstance(stated, ClauseChoice) else {}
        if compatible and _profile_values_agree(neg, only, given):
            values = neg.parameter_values(only, given)
            if all(p.problem(values.get(n)) is None for n, p in only.params.items()):
                return Question(provision, "settled", fitting, only, values, positions)
    return Question(provision, "open", fitting, None, {}, positions)


def questions(neg: Negotiation) -> list[TopicQuestions]:
    """The provisions to show, per topic in treaty order, each with its status."""
    by_topic: dict[str, list[Question]] = {}
    for provision in neg.relevant_provisions():
        by_topic.setdefault(provision.topic, []).append(_question(neg, provision))
    return [
        TopicQuestions(topic, tuple(by_topic[topic.id]))
        for topic in neg.library.ordered_topics()
        if topic.id in by_topic
    ]


def next_question(neg: Negotiation) -> Question | None:
    """The first provision, in treaty order, that still needs an answer."""
    for group in questions(neg):
        for question in group.questions:
            if question.needs_answer:
                return question
    return None


def settled_choices(neg: Negotiation) -> dict[str, ClauseChoice]:
    """Provision id -> the choice that would record every settled provision as decided."""
    return {
        q.id: ClauseChoice(clause=q.choice.id, params=dict(q.values))
        for group in questions(neg)
        for q in group.questions
        if q.status == "settled" and q.choice is not None
    }
