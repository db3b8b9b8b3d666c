"""Values nobody confirmed: `param.unconfirmed`.

Choosing a clause does not agree its figures. A parameter value stands in the
instrument as agreed text only when a negotiator can see where it comes from:
a decision or a position in the session, or the figure every party's system
shares. A library default nobody confirmed (six months, four per cent) is the
library author's guess, and a `default_from` figure the parties do not share
is no value at all; the negotiating text brackets both and `render --clean`
refuses them. This rule says so where the negotiators work: one warning per
provision, naming each value and how to confirm it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from negotiation.checks.registry import rule
from negotiation.findings import Finding, Remedy, choose, set_provision_param
from negotiation.library import Clause, Param
from negotiation.session import Negotiation
from negotiation.templating import join_words, plain_value

RULE = "param.unconfirmed"

WHAT_TO_DO = "confirm the value: write it into the decision, or set it in the card"

_UNITS = {"months": ("month", "months"), "days": ("day", "days"), "years": ("year", "years")}


def spoken(param: Param, value: Any, currency: str) -> str:
    """A value with its unit, as a negotiator says it: '6 months', '4 per cent', 'EUR 100'."""
    shown = join_words([str(v) for v in value]) if isinstance(value, list) else plain_value(value)
    if param.type == "percent":
        return f"{shown} per cent"
    if param.type == "money":
        return f"{currency} {shown}"
    if param.type in _UNITS:
        one, many = _UNITS[param.type]
        return f"{shown} {one if value == 1 else many}"
    return shown


def _label(clause: Clause, name: str) -> str:
    return clause.params[name].label or name


def _confirm(neg: Negotiation, provision: str, clause: Clause, name: str, value: Any
             ) -> Remedy:
    """Write the proposed value (a library default, or the parties' languages together)
    into the session, which makes it a decision. A provision settled only by the
    parties' identical positions has no decision to add a value to: the remedy records
    one, with the values the positions give."""
    figure = spoken(clause.params[name], value, neg.session.reporting_currency)
    why = f"confirm the proposed {figure} ({_label(clause, name)})"
    decided = neg.decision(provision)
    if decided is not None:
        return set_provision_param(provision, name, value, why)
    agreed = neg.agreed_by_positions(provision)
    given = dict(agreed.params) if agreed is not None else {}
    return choose(provision, clause.id, why, params={**given, name: value})


@rule(RULE, topic="objective")
def unconfirmed_values(neg: Negotiation) -> Iterator[Finding]:
    """A library default nobody confirmed, or no value at all, is not agreed text."""
    chosen = neg.chosen()
    currency = neg.session.reporting_currency
    for provision_id, names in neg.unconfirmed().items():
        clause, values = chosen[provision_id]
        provision = neg.library.provisions[provision_id]
        parts, remedies = [], []
        for name in names:
            value = values.get(name)
            if value is None:
                parts.append(f"{_label(clause, name)}: no value (the draft shows […])")
                continue
            parts.append(f"{_label(clause, name)}: the proposed "
                         f"{spoken(clause.params[name], value, currency)}")
            remedies.append(_confirm(neg, provision_id, clause, name, value))
        yield Finding(
            rule=RULE, severity="warning", topic=provision.topic,
            message=f"{provision.title} ({provision_id}): values nobody has confirmed — "
                    f"{'; '.join(parts)}. The draft shows them as not yet agreed; to agree "
                    f"one, {WHAT_TO_DO}",
            clauses=(clause.id,),
            parameters=tuple(f"provision:{provision_id}.{name}" for name in names),
            remedies=tuple(remedies))
