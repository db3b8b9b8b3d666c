"""Rules on where the text comes from: the clause library's layers.

A later library layer may replace a clause by saying `overrides: <id>`: a
legal team adapts a built-in text to its house style. But the layer may be
another delegation's, and the replacement keeps the id, so a session that
chose the built-in clause now drafts a different text with no change in the
session at all. The negotiator must know before the text is tabled.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from negotiation.checks.registry import rule
from negotiation.findings import Finding
from negotiation.library import load_library
from negotiation.session import ClauseChoice, Negotiation


@rule("library.replaced", topic="objective")
def replaced_clauses(neg: Negotiation) -> Iterator[Finding]:
    """A chosen or proposed clause's text comes from a layer that replaced the original."""
    replaced = neg.library.replaced
    if not replaced:
        return
    agreed = neg.chosen_clause_ids()
    proposers = _proposers(neg)
    for clause_id in sorted(replaced):
        if clause_id not in agreed and clause_id not in proposers:
            continue
        clause = neg.library.clauses.get(clause_id)
        if clause is None:
            continue  # a provision override removed it: nothing of it is drafted
        provision = neg.library.provisions[clause.provision]
        if clause_id in agreed:
            whose, parties = "the agreed text of", ()
        else:
            parties = tuple(p for p in neg.party_ids if p in proposers[clause_id])
            whose = (f"the text {', '.join(neg.party_short(p) for p in parties)} "
                     f"{'proposes' if len(parties) == 1 else 'propose'} for")
        yield Finding(
            rule="library.replaced", severity="warning", topic=provision.topic,
            message=f"{whose} '{provision.title}' ({provision.id}) comes from "
                    f"{_shown_file(neg, replaced[clause_id])}, which replaces "
                    f"{_original(clause_id)}; read it before tabling",
            parties=parties, clauses=(clause_id,))


def _proposers(neg: Negotiation) -> dict[str, set[str]]:
    """Clause id -> the parties whose positions name it."""
    named: dict[str, set[str]] = {}
    for party, by_provision in neg.session.positions.items():
        for position in by_provision.values():
            if isinstance(position, ClauseChoice):
                named.setdefault(position.clause, set()).add(party)
    return named


def _original(clause_id: str) -> str:
    """What was replaced: the built-in clause and its file, or an earlier layer's."""
    builtin = load_library().clauses.get(clause_id)
    if builtin is not None:
        return f"the built-in clause '{clause_id}' ({builtin.file})"
    return f"the clause '{clause_id}' of an earlier layer"


def _shown_file(neg: Negotiation, file: str) -> str:
    """The layer's file as the negotiator knows it: relative to the session's folder
    (`library/termination.yaml`) when it lies there, else as given."""
    if neg.path is not None:
        try:
            return Path(file).resolve().relative_to(neg.path.parent.resolve()).as_posix()
        except (ValueError, OSError):
            pass
    return file
