"""Changing a session: the edits a negotiator makes, and applying remedies.

Every edit takes a `Session` and returns a new one; nothing is changed in
place, so the TUI can keep the previous state, compare, and undo. The
result is validated as a whole (`assemble`) by whoever applies it, so an
edit can never leave a session that would not load.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from negotiation.errors import LinkwrightError
from negotiation.findings import Finding, Remedy
from negotiation.profiles import deep_merge, nest
from negotiation.session import ClauseChoice, Condition, Linkage, Position, Session


def _copy(session: Session, **changes: Any) -> Session:
    data = session.model_dump(mode="python")
    data.update(changes)
    return Session.model_validate(data)


def set_decision(session: Session, provision: str, clause: str | None,
                 params: dict[str, Any] | None = None) -> Session:
    """Decide `provision` with `clause` (None: mark it open again)."""
    provisions = {k: (v if v == "open" else v.model_dump()) for k, v in
                  session.provisions.items()}
    if clause is None:
        provisions[provision] = "open"
    else:
        provisions[provision] = {"clause": clause, "params": dict(params or {})}
    return _copy(session, provisions=provisions)


def set_decision_param(session: Session, provision: str, name: str, value: Any) -> Session:
    decision = session.provisions.get(provision)
    if not isinstance(decision, ClauseChoice):
        raise LinkwrightError(f"choose a clause for {provision} before setting '{name}'")
    params = {**decision.params, name: value}
    return set_decision(session, provision, decision.clause, params)


def confirm_values(session: Session, provision: str, clause: str,
                   values: dict[str, Any]) -> Session:
    """Record `values` of `clause` as agreed for `provision`.

    A library default nobody confirmed may not stand in a draft as agreed text;
    writing it into the decision (made now, if the provision was only settled or
    agreed in the positions) is what confirms it. Values the decision already
    records for that clause are kept."""
    decision = session.provisions.get(provision)
    kept: dict[str, Any] = {}
    if isinstance(decision, ClauseChoice) and decision.clause == clause:
        kept = decision.params
    return set_decision(session, provision, clause, {**kept, **values})


def set_position(session: Session, party: str, provision: str,
                 position: Position | None) -> Session:
    """Record what `party` supports for `provision` (None: withdraw its position)."""
    positions = {p: {k: v.model_dump() for k, v in by.items()}
                 for p, by in session.positions.items()}
    mine = positions.setdefault(party, {})
    if position is None:
        mine.pop(provision, None)
    else:
        mine[provision] = position.model_dump()
    return _copy(session, positions={p: by for p, by in positions.items() if by})


def set_party_value(session: Session, party: str, parameter: str, value: Any) -> Session:
    """Override one of a party's system parameters (dotted name) in this session."""
    parties = []
    found = False
    for spec in session.parties:
        data = spec.model_dump(mode="python")
        if spec.id == party:
            found = True
            data["overrides"] = deep_merge(data["overrides"], nest(parameter, value))
        parties.append(data)
    if not found:
        raise LinkwrightError(f"no party '{party}' in this session")
    return _copy(session, parties=parties)


def clear_party_value(session: Session, party: str, parameter: str) -> Session:
    """Remove a session override: the party's profile figure applies again."""
    parties = []
    for spec in session.parties:
        data = spec.model_dump(mode="python")
        if spec.id == party:
            data["overrides"] = _without(data["overrides"], parameter.split("."))
            data["sources"] = {k: v for k, v in data["sources"].items() if k != parameter}
        parties.append(data)
    return _copy(session, parties=parties)


def _without(nested: dict[str, Any], parts: list[str]) -> dict[str, Any]:
    result = dict(nested)
    head, rest = parts[0], parts[1:]
    if head not in result:
        return result
    if rest and isinstance(result[head], dict):
        inner = _without(result[head], rest)
        if inner:
            result[head] = inner
        else:
            del result[head]
    elif not rest:
        del result[head]
    return result


def set_form(session: Session, form: str) -> Session:
    return _copy(session, form=form)


def set_linkage(session: Session, kind: str, recognising: str | None = None) -> Session:
    return _copy(session, linkage=Linkage(type=kind, recognising=recognising).model_dump())  # type: ignore[arg-type]


def add_condition(session: Session, party: str, what: str,
                  by: dt.date | None = None) -> Session:
    conditions = [c.model_dump() for c in session.conditions]
    conditions.append(Condition(party=party, what=what, by=by).model_dump())
    return _copy(session, conditions=conditions)


def edit_condition(session: Session, index: int, party: str, what: str,
                   by: dt.date | None = None) -> Session:
    """Reword a pre-linking condition in place: a changed date or wording keeps the
    condition's place in the list (and in the article) instead of re-adding it last."""
    if not 0 <= index < len(session.conditions):
        raise LinkwrightError(f"there is no condition {index + 1}: the session has "
                              f"{len(session.conditions)}")
    conditions = [c.model_dump() for c in session.conditions]
    conditions[index] = Condition(party=party, what=what, by=by).model_dump()
    return _copy(session, conditions=conditions)


def remove_condition(session: Session, index: int) -> Session:
    conditions = [c.model_dump() for i, c in enumerate(session.conditions) if i != index]
    return _copy(session, conditions=conditions)


def acknowledge(session: Session, finding: Finding, note: str) -> Session:
    """Accept `finding` knowingly, with the note saying why: it is recorded as it reads
    now, so that it comes back if what it is about changes (see `Acknowledgement`)."""
    if finding.severity == "error":
        raise LinkwrightError(f"{finding.rule} is an error, and errors cannot be "
                              "acknowledged: resolve it instead")
    entry = {"rule": finding.rule, "topic": finding.topic, "about": finding.message,
             "note": note}
    kept = [a.model_dump() for a in session.acknowledged
            if not a.matches(finding.rule, finding.topic, finding.message)]
    return _copy(session, acknowledged=[*kept, entry])


def apply_remedy(session: Session, remedy: Remedy) -> Session:
    """The session with `remedy`'s one action applied."""
    if remedy.choose is not None:
        return set_decision(session, remedy.choose.provision, remedy.choose.clause,
                            remedy.choose.params)
    if remedy.set is not None:
        kind, _, rest = remedy.set.target.partition(":")
        if kind == "party":
            party, _, parameter = rest.partition(".")
            return set_party_value(session, party, parameter, remedy.set.value)
        if kind == "provision":
            provision, _, name = rest.rpartition(".")
            return set_decision_param(session, provision, name, remedy.set.value)
        raise LinkwrightError(f"unknown remedy target '{remedy.set.target}'")
    if remedy.form is not None:
        return set_form(session, remedy.form)
    if remedy.linkage is not None:
        return set_linkage(session, remedy.linkage.type, remedy.linkage.recognising)
    if remedy.condition is not None:
        return add_condition(session, remedy.condition.party, remedy.condition.what)
    raise LinkwrightError("the remedy carries no action")
