"""Annex I — Essential criteria: each system side by side, and the common rule.

One row per design element; one column per party with its value (the
profile for the session's year, with the session's overrides); the last
column says what the instrument agrees for that element, or that it is
still to be agreed.

The same rows serve two readers. The brief's worksheet
(`essential_criteria_table`) shows every figure on file, a value nobody knows
as "not known" (never a dash that could pass for "none"), and leaves the
sources to the list beside it. The instrument's Annex I
(`essential_criteria_annex`) is text a party is bound by: a cell states the
party's rule only where the session gives it or a primary source confirms it;
anything else is a bracketed placeholder the delegation fills in
(`TO_BE_STATED`), listed with its note in the status of the text, so that no
research note, guess or "open" is ever tabled as a party's law.
"""

from __future__ import annotations

from typing import Any

from negotiation.drafting.model import Table
from negotiation.profiles import NONE, flatten
from negotiation.session import Negotiation
from negotiation.templating import Unconfirmed, join_words, plain_value

ELEMENTS: list[tuple[str, str, str | None]] = [
    ("Participation", "participation", None),
    ("Type of cap", "cap_type", None),
    ("Cap (Mt CO2e)", "cap_mt", "cap.ambition"),
    ("Annual reduction of the cap", "annual_reduction_pct", "cap.ambition"),
    ("Sectors covered", "coverage.sectors", "coverage.scope"),
    ("Gases covered", "coverage.gases", "coverage.scope"),
    ("Inclusion threshold", "coverage.threshold", "coverage.scope"),
    ("Allocation", "allocation", "allocation.method"),
    ("Offset credits: limit", "offsets.limit_pct", "offsets.quantity"),
    ("Offset credits: eligible types", "offsets.eligible", "offset_quality.eligible"),
    ("Banking", "banking", "banking.rules"),
    ("Borrowing", "borrowing", "borrowing.rules"),
    ("Price floor", "price_floor", "price_floor.rule"),
    ("Auction reserve price", "auctions.reserve_price", "price_floor.rule"),
    ("Price ceiling", "price_ceiling", "price_ceiling.rule"),
    ("Cost-containment reserve", "cost_containment_reserve", "price_ceiling.rule"),
    ("Market stability reserve", "market_stability_reserve", "market_stability.mechanism"),
    ("Penalty per tonne", "penalty.per_tonne", "enforcement.penalties"),
    ("Make-good of missing allowances", "penalty.make_good", "enforcement.penalties"),
    ("Monitoring, reporting and verification", "mrv.standard", "mrv.equivalence"),
    ("Accreditation of verifiers", "verification.accreditation", "mrv.equivalence"),
    ("Verification by accredited third parties", "verification.third_party", "mrv.equivalence"),
    ("Registry", "registry", "registries.link"),
    ("Compliance period (years)", "compliance_period_years", None),
    ("Market oversight", "oversight_authority", "oversight.coordination"),
]

IDENTICAL = {
    "participation": "mandatory in every linked system",
    "cap_type": "an absolute cap in every linked system",
}
"""The first essential criterion: the same in every system, whatever else is agreed
(an EU link requires it; without it the joint cap is unknown)."""

TO_BE_STATED = "[to be stated]"
"""An Annex I cell whose figure the instrument cannot state yet: bracketed, as every
point still to be settled is in a negotiating text."""

TO_BE_AGREED = "[to be agreed]"
"""The common rule of an element whose provision has no clause yet."""

NOT_KNOWN = "not known"

_MONEY = {"price_floor", "auctions.reserve_price", "price_ceiling", "penalty.per_tonne"}


def _value(neg: Negotiation, party: str, parameter: str) -> str:
    params = neg.systems[party].parameters
    value = params.get(parameter)
    if value is None:
        if parameter == "offsets.limit_pct" and params.offsets.allowed is False:
            return "no offsets"
        return NOT_KNOWN
    if value == NONE:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return join_words([str(v) for v in value]) or "none"
    if parameter in _MONEY:
        return f"{params.currency or ''} {value:,.2f}".strip()
    if parameter.endswith("_pct"):
        return f"{value:g} %"
    if parameter == "cap_mt":
        return f"{value:,.1f}" + (f" ({params.cap_year})" if params.cap_year else "")
    return str(value)


def _confirmed(neg: Negotiation, party: str, parameter: str) -> bool:
    """Whether the instrument may state this figure as the party's rule: the session
    gives it (its own source, if any, not saying otherwise), or the profile's source
    confirms it. A figure with no source, or one marked unverified, is research."""
    spec = neg.party_spec(party)
    if parameter in spec.sources:
        return spec.sources[parameter].verified
    if parameter in flatten(spec.overrides):
        return True
    source = neg.systems[party].sources.get(parameter)
    return source is not None and source.verified


def _consulted(neg: Negotiation, party: str, parameter: str) -> str:
    """The figure a cell rests on: "no offsets" is stated from whether offsets are
    allowed, not from the limit it stands in for."""
    params = neg.systems[party].parameters
    if (parameter == "offsets.limit_pct" and params.get(parameter) is None
            and params.offsets.allowed is False):
        return "offsets.allowed"
    return parameter


def _stated(neg: Negotiation, party: str, parameter: str) -> bool:
    return (_value(neg, party, parameter) != NOT_KNOWN
            and _confirmed(neg, party, _consulted(neg, party, parameter)))


def _party_rule(neg: Negotiation, party: str, parameter: str) -> str:
    """An Annex I cell: the party's rule, or the placeholder its delegation fills in."""
    return _value(neg, party, parameter) if _stated(neg, party, parameter) else TO_BE_STATED


def to_be_stated(neg: Negotiation) -> list[tuple[str, str, str]]:
    """(party's short name, element, why) for every Annex I cell the instrument shows as
    `TO_BE_STATED`, in the annex's order: what each delegation still has to supply."""
    entries = []
    for label, parameter, _provision in ELEMENTS:
        for party in neg.party_ids:
            if _stated(neg, party, parameter):
                continue
            consulted = _consulted(neg, party, parameter)
            source = (neg.party_spec(party).sources.get(consulted)
                      or neg.systems[party].sources.get(consulted))
            if _value(neg, party, parameter) == NOT_KNOWN:
                why = "no figure on file"
            else:
                why = f"figure on file not confirmed: {_value(neg, party, parameter)}"
            if source is not None and source.note:
                why += f" (source note: {source.note})"
            entries.append((column_label(neg.party_short(party)), label, why))
    return entries


def _common_rule(neg: Negotiation, provision: str | None, refs: dict[str, str],
                 instrument: bool) -> str:
    if provision is None:
        return "each system's own rule"
    if provision not in refs:
        return "not governed by this instrument"
    chosen = neg.chosen().get(provision)
    if chosen is None:
        # The brief's worksheet says where the gap is; the annex brackets it.
        return f"{TO_BE_AGREED}, {refs[provision]}" if instrument else f"open ({refs[provision]})"
    clause, values = chosen
    # A value nobody confirmed is bracketed here as in the article it comes from.
    pending = neg.unconfirmed().get(provision, [])
    shown = ", ".join(_with_unit(clause.params[name].type,
                                 Unconfirmed(v) if name in pending else v,
                                 neg.session.reporting_currency)
                      for name, v in values.items() if (v is not None or name in pending)
                      and clause.params[name].type not in ("list", "text", "boolean"))
    return f"{clause.title}{f' ({shown})' if shown else ''}, {refs[provision]}"


def _with_unit(kind: str, value: Any, currency: str) -> str:
    """A parameter value as the table shows it: '8 per cent', 'EUR 20', '6 months'."""
    shown = plain_value(value)
    if kind == "percent":
        return f"{shown} per cent"
    if kind == "money":
        return f"{currency} {shown}"
    if kind in ("months", "days", "years"):
        return f"{shown} {kind if value != 1 else kind[:-1]}"
    return shown


def column_label(name: str) -> str:
    """A party's short name as a column heading: 'the Union' -> 'The Union'."""
    return name[:1].upper() + name[1:]


def _headers(neg: Negotiation) -> list[str]:
    return ["Element", *(column_label(neg.party_short(p)) for p in neg.party_ids),
            "Common rule"]


def essential_criteria_table(neg: Negotiation, refs: dict[str, str]) -> Table:
    """The brief's worksheet: every figure on file, known or not, whatever its source."""
    rows = [[label, *(_value(neg, p, parameter) for p in neg.party_ids),
             IDENTICAL.get(parameter) or _common_rule(neg, provision, refs, False)]
            for label, parameter, provision in ELEMENTS]
    return Table(_headers(neg), rows)


def essential_criteria_annex(neg: Negotiation, refs: dict[str, str]) -> Table:
    """The instrument's Annex I: each party's rule or a bracketed placeholder, and the
    common rule or "[to be agreed]"; never a research note, a dash or "open"."""
    rows = [[label, *(_party_rule(neg, p, parameter) for p in neg.party_ids),
             IDENTICAL.get(parameter) or _common_rule(neg, provision, refs, True)]
            for label, parameter, provision in ELEMENTS]
    return Table(_headers(neg), rows)
