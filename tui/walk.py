"""The walk `n` takes: every provision that still needs the user, errors first.

"Needs the user" is wider than "open": a provision in error, one where no
clause is chosen or the positions differ, one where a single clause fits and
only waits to be confirmed ("settled"), and one whose values nobody has
confirmed. Stopping only at open questions told the user "Nothing open" while
errors remained. The order is: errors (as the findings panel lists them), then
decisions to take, then confirmations, each in treaty order.
"""

from __future__ import annotations

from dataclasses import dataclass

from negotiation.findings import Finding
from negotiation.interview import TopicQuestions
from negotiation.session import Negotiation


@dataclass(frozen=True)
class Stop:
    """One place the walk takes the user to, and what it asks of them there."""

    step: str  # "topics", or "review" for an error no topic page shows
    topic: str | None
    provision: str | None
    why: str
    finding: Finding | None = None

    @property
    def key(self) -> str:
        return self.provision or self.topic or (self.finding.rule if self.finding else "")


def finding_provision(neg: Negotiation, finding: Finding) -> str | None:
    """The provision a finding is about: what its fix chooses or sets, else the
    parameter or clause it names."""
    library = neg.library
    for remedy in finding.remedies:
        if remedy.choose is not None and remedy.choose.provision in library.provisions:
            return remedy.choose.provision
    for target in finding.parameters:
        if target.startswith("provision:"):
            provision = target.removeprefix("provision:").rpartition(".")[0]
            if provision in library.provisions:
                return provision
    for clause in finding.clauses:
        if clause in library.clauses:
            return library.clauses[clause].provision
    return None


def walk(neg: Negotiation, findings: list[Finding], groups: list[TopicQuestions]) -> list[Stop]:
    """Every stop of the walk, in the order `n` visits them."""
    pages = {g.topic.id for g in groups}
    asked = {q.id for g in groups for q in g.questions}
    stops: list[Stop] = []
    seen: set[str] = set()

    def add(stop: Stop) -> None:
        if stop.key not in seen:
            seen.add(stop.key)
            stops.append(stop)

    for finding in findings:
        if finding.severity != "error" or not finding.is_open:
            continue
        provision = finding_provision(neg, finding)
        topic = neg.library.provisions[provision].topic if provision else finding.topic
        why = f"Error: {finding.message}"
        if provision in asked and topic in pages:
            add(Stop("topics", topic, provision, why, finding))
        elif topic in pages:
            add(Stop("topics", topic, None, why, finding))
        else:
            add(Stop("review", None, None, why, finding))
    questions = [q for g in groups for q in g.questions]
    for question in questions:
        if question.status == "disputed":
            add(Stop("topics", question.topic, question.id,
                     f"{question.provision.title}: the parties' positions differ"))
        elif question.status == "open":
            add(Stop("topics", question.topic, question.id,
                     f"{question.provision.title}: no clause chosen yet"))
    unconfirmed = neg.unconfirmed()
    for question in questions:
        if question.status == "settled":
            add(Stop("topics", question.topic, question.id,
                     f"{question.provision.title}: only one clause fits; c confirms it"))
        elif question.id in unconfirmed:
            add(Stop("topics", question.topic, question.id,
                     f"{question.provision.title}: values nobody has confirmed; v confirms "
                     "them"))
    return stops


def after(stops: list[Stop], here: str | None) -> tuple[int, Stop] | None:
    """The stop after the one the user is at (the first when they are elsewhere),
    with its position in the walk; None when nothing needs the user."""
    if not stops:
        return None
    keys = [s.key for s in stops]
    index = (keys.index(here) + 1) % len(stops) if here in keys else 0
    return index, stops[index]
