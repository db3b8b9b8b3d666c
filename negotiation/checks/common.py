"""Small helpers the rules share: who has which value, what is chosen."""

from __future__ import annotations

import datetime as dt
from typing import Any

from negotiation.session import Negotiation


def chosen_clause(neg: Negotiation, provision: str) -> str | None:
    """The id of the clause settled for `provision`, if any."""
    entry = neg.chosen().get(provision)
    return entry[0].id if entry else None


def chosen_in(neg: Negotiation, provision: str, *clauses: str) -> bool:
    """Is one of `clauses` (names within `provision`) the settled choice?"""
    return chosen_clause(neg, provision) in {f"{provision}.{c}" for c in clauses}


def values(neg: Negotiation, parameter: str) -> dict[str, Any]:
    """Party id -> that party's value of a dotted system parameter."""
    return {pid: neg.systems[pid].parameters.get(parameter) for pid in neg.party_ids}


def known(by_party: dict[str, Any]) -> dict[str, Any]:
    return {pid: v for pid, v in by_party.items() if v is not None}


def names(neg: Negotiation, parties: list[str] | tuple[str, ...] | set[str]) -> str:
    from negotiation.templating import join_words

    ordered = [p for p in neg.party_ids if p in parties]
    return join_words([neg.party_short(p) for p in ordered])


def money(neg: Negotiation, party: str, amount: float) -> str:
    code = neg.systems[party].parameters.currency or ""
    return f"{code} {amount:,.2f}".rstrip("0").rstrip(".").strip()


def in_reporting(neg: Negotiation, party: str, amount: float) -> float | None:
    code = neg.systems[party].parameters.currency
    rates = neg.rates()
    return rates.convert(amount, code) if rates.can_convert(code) else None


def session_year(neg: Negotiation) -> int:
    """The year the session describes (for 'operating for how long')."""
    if neg.session.year is not None:
        return neg.session.year
    if neg.session.round is not None:
        return neg.session.round.date.year
    return dt.date.today().year


def exporters(neg: Negotiation) -> list[str]:
    """Parties whose units other parties accept (all, except in a one-way link)."""
    if neg.linkage == "unilateral":
        recognised = neg.recognised()
        return [recognised] if recognised else []
    return list(neg.party_ids)


def fitting_choices(neg: Negotiation, provision: str, preferred: list[tuple[str, str]]) -> list[
        Any]:
    """Remedies choosing the preferred clauses that fit this form and linkage, else the
    first fitting clauses of `provision` (a regulation gets regulation clauses)."""
    from negotiation.findings import choose

    if provision not in neg.library.provisions:
        return []
    fitting = {c.id: c for c in neg.library.fitting_clauses(provision, neg.form, neg.linkage)}
    remedies = [choose(provision, cid, why) for cid, why in preferred if cid in fitting]
    if not remedies:
        remedies = [choose(provision, c.id, f"choose '{c.title}'")
                    for c in list(fitting.values())[:2]]
    return remedies
