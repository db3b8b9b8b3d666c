"""The fixes offered for a finding, in a negotiator's words, and which side each takes.

A remedy the checks propose is an action; before anything is applied the user
sees every fix of the finding, numbered, and picks one. Where the parties'
positions on a provision differ, choosing a clause settles their dispute: each
party's position is offered by the party's name ("adopt Switzerland's
position: …") with the values it stated, and a fix that adopts what one party
supports says whose position it is. So no key applies a fix unseen, and no fix
takes a side in a dispute without the user having read that party's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from negotiation.findings import Choose, Finding, Remedy
from negotiation.session import ClauseChoice, Negotiation, Position
from tui.formatting import describe_position

_ID = re.compile(r"\b[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+\b")
_ID_IN_BRACKETS = re.compile(r"\s*\(([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)\)")


@dataclass(frozen=True)
class Fix:
    """One fix as offered: its label, the remedy, and the parties whose stated position
    it adopts over another party's (empty when it takes no side)."""

    label: str
    remedy: Remedy
    sides: tuple[str, ...] = ()


def remedy_label(neg: Negotiation, remedy: Remedy) -> str:
    """The remedy's description with clause and provision ids turned into their titles
    (the checks write ids for the CLI; a negotiator reads titles)."""
    library = neg.library

    def known(name: str) -> bool:
        return name in library.clauses or name in library.provisions

    def title(match: re.Match[str]) -> str:
        name = match.group(0)
        if name in library.clauses:
            return f"'{library.clauses[name].title}'"
        if name in library.provisions:
            return library.provisions[name].title
        return name

    text = _ID_IN_BRACKETS.sub(lambda m: "" if known(m.group(1)) else m.group(0),
                               remedy.description)
    return _ID.sub(title, text)


def names(neg: Negotiation, parties: tuple[str, ...] | list[str]) -> str:
    shorts = [neg.party_short(p) for p in parties]
    return shorts[0] if len(shorts) == 1 else ", ".join(shorts[:-1]) + " and " + shorts[-1]


def _distinct(positions: dict[str, Position]) -> list[tuple[Position, tuple[str, ...]]]:
    """Each different position with the parties that state it, in party order."""
    grouped: list[tuple[Position, list[str]]] = []
    for party, position in positions.items():
        for stated, parties in grouped:
            if stated == position:
                parties.append(party)
                break
        else:
            grouped.append((position, [party]))
    return [(position, tuple(parties)) for position, parties in grouped]


def disputed(neg: Negotiation, provision: str) -> bool:
    """The parties have stated two or more different positions on the provision."""
    return len(_distinct(neg.positions_on(provision))) >= 2


def _provision_of(remedy: Remedy) -> str | None:
    if remedy.choose is not None:
        return remedy.choose.provision
    if remedy.set is not None and remedy.set.target.startswith("provision:"):
        return remedy.set.target.removeprefix("provision:").rpartition(".")[0]
    return None


def sides(neg: Negotiation, remedy: Remedy) -> tuple[str, ...]:
    """The parties whose position this remedy adopts on a disputed provision."""
    provision = _provision_of(remedy)
    if provision is None or not disputed(neg, provision):
        return ()
    positions = neg.positions_on(provision)
    if remedy.choose is None:  # a value set on a disputed provision: whoever stated it
        name, value = remedy.set.target.rpartition(".")[2], remedy.set.value  # type: ignore[union-attr]
        return tuple(p for p, pos in positions.items()
                     if isinstance(pos, ClauseChoice) and pos.params.get(name) == value)
    choose = remedy.choose
    return tuple(
        p for p, pos in positions.items()
        if isinstance(pos, ClauseChoice) and pos.clause == choose.clause
        and all(pos.params.get(k) == v for k, v in choose.params.items())
    )


def _positions_offered(neg: Negotiation, provision: str) -> list[Fix]:
    """Each party's position on a disputed provision, named, with its stated values."""
    fitting = {c.id for c in neg.library.fitting_clauses(provision, neg.form, neg.linkage)}
    fixes = []
    for position, parties in _distinct(neg.positions_on(provision)):
        if not isinstance(position, ClauseChoice) or position.clause not in fitting:
            continue  # a party's own text is adopted in the topic, where it can be read
        who = names(neg, parties)
        label = f"adopt {who}'s position: {describe_position(neg, position, 120)}"
        remedy = Remedy(description=label, choose=Choose(
            provision=provision, clause=position.clause, params=dict(position.params)))
        fixes.append(Fix(label, remedy, parties))
    return fixes


def fixes_for(neg: Negotiation, finding: Finding) -> list[Fix]:
    """Every fix of the finding, in the order the user picks them (1, 2, 3…)."""
    fixes: list[Fix] = []
    offered: set[str] = set()
    for remedy in finding.remedies:
        provision = _provision_of(remedy)
        if provision is not None and provision not in offered and disputed(neg, provision):
            offered.add(provision)
            fixes.extend(_positions_offered(neg, provision))
    named = {(f.remedy.choose.provision, f.remedy.choose.clause)
             for f in fixes if f.remedy.choose is not None}
    for remedy in finding.remedies:
        taken = sides(neg, remedy)
        choose = remedy.choose
        if taken and choose is not None and not choose.params and (
                choose.provision, choose.clause) in named:
            continue  # the same clause is offered above, as the named party states it
        label = remedy_label(neg, remedy)
        if taken:
            label += f" ({names(neg, taken)}'s position)"
        fixes.append(Fix(label, remedy, taken))
    return fixes
