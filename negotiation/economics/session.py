"""The economics of a session's link, from the parties' profiles.

A session has no scenario of its own: each party's system profile carries
an illustrative `economics` block, and the session's linkage says how the
markets join (a unilateral link is one-way: the recognising party accepts
the other's units). Amounts are converted with the session's dated rates
into its reporting currency. The checks use `price_effect_note` to put a
number on a propagation finding ("… would set the linked price at …").
"""

from __future__ import annotations

from typing import Any

from negotiation.economics.model import FullLink, OneWayLink
from negotiation.economics.report import to_json
from negotiation.economics.result import Result, fmt, solve
from negotiation.economics.scenario import scenario_from_profiles
from negotiation.errors import LinkwrightError
from negotiation.profiles import amount
from negotiation.session import Negotiation


def _with_overrides(neg: Negotiation, party: str) -> dict[str, Any] | None:
    """The profile's economics block, with the price controls this session sets for the
    party (a what-if ceiling, a dropped floor) laid over its calibration.

    Only an amount is modelled: an override saying the party has none (`none`)
    removes the feature, and so does one saying it is not known, since the
    economics cannot price what nobody knows."""
    block = neg.systems[party].profile.economics
    if block is None:
        return None
    block = dict(block)
    overrides = neg.party_spec(party).overrides
    params = neg.systems[party].parameters
    if "price_ceiling" in overrides:
        block.pop("price_ceiling", None)
        if (ceiling := amount(params.price_ceiling)) is not None:
            block["price_ceiling"] = ceiling
    if "price_floor" in overrides:
        for key in ("price_floor", "floor_kind", "auction_volume"):
            block.pop(key, None)
        if (floor := amount(params.price_floor)) is not None:
            block["price_floor"] = floor
            block["floor_kind"] = "hard"
    if "penalty" in overrides and params.penalty.per_tonne is not None:
        block["penalty"] = {"per_tonne": params.penalty.per_tonne,
                            "make_good": bool(params.penalty.make_good)}
    return block


def economics_for(neg: Negotiation) -> Result:
    """Solve the session's link; a profile without economics is a LinkwrightError."""
    entries = []
    for pid in neg.party_ids:
        system = neg.systems[pid]
        name = neg.party_short(pid)
        entries.append((pid, name[:1].upper() + name[1:], system.parameters.currency or "",
                        _with_overrides(neg, pid), system.parameters.cap_mt))
    link: Any = FullLink(type="full")
    recognised, recognising = neg.recognised(), neg.recognising()
    if neg.linkage == "unilateral" and recognised and recognising:
        link = OneWayLink.model_validate({"type": "one_way", "from": recognised,
                                          "to": recognising})
    rates = neg.rates()
    scenario = scenario_from_profiles(entries, rates.reporting, rates.per_unit, link=link)
    return solve(scenario)


def economics_json(neg: Negotiation) -> dict[str, Any]:
    return to_json(economics_for(neg))


def _memoised(neg: Negotiation) -> Result | None:
    """The session's economics, solved once per state (None if they cannot be)."""
    if "economics" not in neg.memo:
        try:
            neg.memo["economics"] = economics_for(neg)
        except LinkwrightError:
            neg.memo["economics"] = None
    return neg.memo["economics"]


def price_effect_note(neg: Negotiation, feature: str, party: str) -> str:
    """A sentence on what `party`'s `feature` ("price ceiling", "price floor") does to
    the linked price in the illustrative economics, or '' when it does nothing
    or the economics cannot be computed."""
    result = _memoised(neg)
    if result is None:
        return ""
    for effect in result.effects:
        if effect.system == party and effect.feature == feature and effect.sets_price:
            price = result.system(party).price
            what = {"price ceiling": "issuing", "buy-out penalty": "buying out",
                    "price floor": "withholding"}.get(feature, "moving")
            return (f" In the illustrative economics it would set the linked price at "
                    f"{(result.currency or '') + ' '}{fmt(price)} per tonne, {what} "
                    f"{fmt(effect.quantity)} Mt of allowances.")
    return ""


def economics_markdown(neg: Negotiation) -> str:
    """The brief's economics section: a table, a chart of gains, the notes."""
    try:
        result = economics_for(neg)
    except LinkwrightError as error:
        return f"Not available for this session: {error}."
    import json

    from negotiation.templating import escape_markdown as md

    # Names, the currency and the notes come from the session: Markdown-escaped like
    # every other value of the brief (the chart's JSON is escaped by each writer).
    currency = result.currency or ""
    lines = [
        "Illustrative calibration of each system (see the profiles' economics basis); "
        f"prices in {md(currency)} per tonne, quantities in Mt, money in {md(currency)} "
        "million.",
        "",
        "| Party | Autarky price | Linked price | Abatement | Net sales | Transfer | Gain |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for s in result.systems:
        lines.append(f"| {md(s.name)} | {fmt(s.autarky_price)} | {fmt(s.price)} | "
                     f"{fmt(s.abatement)} | {fmt(s.net_sales)} | {fmt(s.transfer)} | "
                     f"{fmt(s.gain)} |")
    lines += ["", f"Total gain {fmt(result.total_gain)}; combined emissions "
                  f"{fmt(result.combined_emissions)} Mt against a combined cap of "
                  f"{fmt(result.combined_cap)} Mt.", ""]
    chart = {"title": "Gain from the link", "unit": f"{currency} million",
             "bars": [{"label": s.name, "value": round(s.gain, 2)} for s in result.systems]}
    lines += ["```chart", json.dumps(chart, ensure_ascii=False), "```", ""]
    lines += [f"- {md(note)}" for note in result.notes]
    return "\n".join(lines).strip()
