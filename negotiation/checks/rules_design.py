"""Cross-system rules on market design: what a link propagates.

Jaffe, Ranson & Stavins (2009): an unrestricted link carries offsets rules,
banking, borrowing and price ceilings from each system into all of them.
Each rule here compares the parties' figures; a difference is a warning
unless a chosen clause addresses it, and a chosen clause that contradicts
a party's actual system is an error.

A price a system does not set is `none` in its profile, a fact; `None` means
nobody knows. A rule says "not in" only of a party whose profile says `none`,
and names the parties whose figure is not known apart, so that a negotiator
is never told a partner has no ceiling when the partner was simply not asked.
"""

from __future__ import annotations

from collections.abc import Iterator

from negotiation.checks.common import (
    chosen_clause,
    chosen_in,
    exporters,
    in_reporting,
    known,
    money,
    names,
    session_year,
    values,
)
from negotiation.checks.registry import rule
from negotiation.findings import (
    Finding,
    Remedy,
    choose,
    set_linkage,
    set_party_param,
)
from negotiation.profiles import NONE, amount
from negotiation.session import Negotiation

FLOOR_DIFFERENCE = 0.25
"""Floors further apart than this share (after currency conversion) fight each other."""

REDUCTION_GAP_PP = 1.0
"""Annual reduction rates further apart than this (percentage points) differ in ambition."""

MIN_OPERATING_YEARS = 2
"""A system younger than this has too short a record for a full two-way link."""


@rule("criteria.mandatory-absolute", topic="essential_criteria",
      reads=("participation", "cap_type"))
def mandatory_absolute_cap(neg: Negotiation) -> Iterator[Finding]:
    """Participation must be mandatory and the cap absolute (first essential criterion)."""
    for pid in neg.party_ids:
        params = neg.systems[pid].parameters
        problems = []
        remedies = []
        if params.participation == "voluntary":
            problems.append("participation is voluntary")
            remedies.append(set_party_param(pid, "participation", "mandatory",
                                            f"make participation in {neg.party_short(pid)}'s "
                                            "system mandatory"))
        if params.cap_type == "intensity":
            problems.append("the cap limits emissions intensity, not absolute emissions")
            remedies.append(set_party_param(pid, "cap_type", "absolute",
                                            f"adopt an absolute cap in {neg.party_short(pid)}"))
        if problems:
            yield Finding(
                rule="criteria.mandatory-absolute", severity="error", topic="essential_criteria",
                message=f"{neg.party_short(pid)}: {' and '.join(problems)}; a link needs "
                        "mandatory participation under an absolute cap, or the joint cap is "
                        "unknown", parties=(pid,),
                parameters=(f"party:{pid}.participation", f"party:{pid}.cap_type"),
                remedies=tuple(remedies))


def _prices(neg: Negotiation, parameter: str) -> dict[str, float]:
    """Party id -> the amount of a price the party sets (parties with none or an
    unknown one left out)."""
    return {p: v for p, value in values(neg, parameter).items()
            if (v := amount(value)) is not None}


def _not_known(neg: Negotiation, parties: list[str]) -> str:
    """'; not known for X' when some parties' figures are unknown, else ''."""
    return f"; not known for {names(neg, parties)}" if parties else ""


@rule("price.ceiling-one-sided", topic="price_ceiling", reads=("price_ceiling",))
def price_ceiling(neg: Negotiation) -> Iterator[Finding]:
    """A price ceiling in some systems only propagates to all of them."""
    ceilings = _prices(neg, "price_ceiling")
    if not ceilings:
        return
    chosen = chosen_clause(neg, "price_ceiling.rule")
    listing = ", ".join(f"{neg.party_short(p)} {money(neg, p, v)}" for p, v in ceilings.items())
    if chosen == "price_ceiling.rule.none":
        yield Finding(
            rule="price.ceiling-one-sided", severity="error", topic="price_ceiling",
            message=f"the chosen clause says no ceiling applies, but {listing} "
                    f"({'has' if len(ceilings) == 1 else 'have'} one)",
            parties=tuple(ceilings), clauses=(chosen,),
            parameters=tuple(f"party:{p}.price_ceiling" for p in ceilings),
            remedies=(*(set_party_param(p, "price_ceiling", NONE,
                                        f"{neg.party_short(p)} removes its ceiling")
                        for p in ceilings),
                      choose("price_ceiling.rule", "price_ceiling.rule.common_ceiling",
                             "agree a common ceiling")))
        return
    if chosen in {"price_ceiling.rule.common_ceiling", "price_ceiling.rule.joint_reserve"}:
        return
    spreading = [p for p in ceilings if p in exporters(neg)]
    if not spreading or (len(ceilings) == len(neg.party_ids) and \
            len({in_reporting(neg, p, v) for p, v in ceilings.items()}) == 1):
        return
    lowest = min(ceilings, key=lambda p: in_reporting(neg, p, ceilings[p]) or ceilings[p])
    without = [p for p in neg.party_ids if p not in ceilings]
    absent = [p for p in without if neg.systems[p].parameters.price_ceiling == NONE]
    unknown = [p for p in without if p not in absent]
    remedies = [choose("price_ceiling.rule", "price_ceiling.rule.common_ceiling",
                       "agree a common ceiling"),
                *(set_party_param(p, "price_ceiling", NONE,
                                  f"{neg.party_short(p)} removes its ceiling") for p in ceilings)]
    if len(neg.party_ids) == 2 and without:
        remedies.append(set_linkage("unilateral", recognising=lowest,
                                    why=f"a one-way link: only {neg.party_short(lowest)} "
                                        "accepts the other's units, so its ceiling stays home"))
    yield Finding(
        rule="price.ceiling-one-sided", severity="warning", topic="price_ceiling",
        message=f"price ceiling in {listing}"
                + (f" but not in {names(neg, absent)}" if absent else
                   "" if unknown else " at different levels")
                + _not_known(neg, unknown)
                + f": the lowest ceiling ({neg.party_short(lowest)}) would cap the linked price "
                  "for every party, and allowances issued at it enlarge the joint cap."
                + _price_note(neg, "price ceiling", lowest),
        parties=tuple(ceilings), parameters=tuple(f"party:{p}.price_ceiling" for p in ceilings),
        remedies=tuple(remedies))


def _price_note(neg: Negotiation, feature: str, party: str) -> str:
    """The illustrative economics' figure for this feature, when it sets the price."""
    from negotiation.economics.session import price_effect_note

    return price_effect_note(neg, feature, party)


def _floors(neg: Negotiation) -> dict[str, float]:
    """Party id -> its floor (hard floor, else auction reserve price), where one is set."""
    return {p: v for p in neg.party_ids if (v := neg.systems[p].parameters.floor()) is not None}


def _drop_floor(neg: Negotiation, party: str) -> Remedy:
    """The party gives up whichever price sets its floor: the hard floor or the reserve."""
    parameter = neg.systems[party].parameters.floor_parameter() or "price_floor"
    what = "floor" if parameter == "price_floor" else "auction reserve price"
    return set_party_param(party, parameter, NONE, f"{neg.party_short(party)} drops its {what}")


@rule("price.floor-differs", topic="price_floor",
      reads=("price_floor", "auctions.reserve_price"))
def price_floor(neg: Negotiation) -> Iterator[Finding]:
    """A floor or reserve price in some systems only, or floors far apart, leak."""
    floors = _floors(neg)
    if not floors:
        return
    chosen = chosen_clause(neg, "price_floor.rule")
    listing = ", ".join(f"{neg.party_short(p)} {money(neg, p, v)}" for p, v in floors.items())
    if chosen == "price_floor.rule.none":
        yield Finding(
            rule="price.floor-differs", severity="error", topic="price_floor",
            message=f"the chosen clause says no floor applies, but {listing}",
            parties=tuple(floors), clauses=(chosen,),
            remedies=tuple(_drop_floor(neg, p) for p in floors))
        return
    if chosen in {"price_floor.rule.common_reserve_price",
                  "price_floor.rule.cancel_below_partner"}:
        return
    without = [p for p in neg.party_ids if p not in floors]
    absent = [p for p in without if neg.systems[p].parameters.sets_no_floor()]
    unknown = [p for p in without if p not in absent]
    common = choose("price_floor.rule", "price_floor.rule.common_reserve_price",
                    "agree a common auction reserve price")
    if without:
        yield Finding(
            rule="price.floor-differs", severity="warning", topic="price_floor",
            message=f"price floor or auction reserve price in {listing}"
                    + (f" but not in {names(neg, absent)}" if absent else "")
                    + _not_known(neg, unknown)
                    + ": a one-sided floor fights the linked price and holds only as far as "
                      "its auctions reach."
                    + "".join(_price_note(neg, "price floor", p) for p in floors),
            parties=tuple(floors),
            parameters=tuple(f"party:{p}.{neg.systems[p].parameters.floor_parameter()}"
                             for p in floors),
            remedies=(common, *(_drop_floor(neg, p) for p in floors)))
        return
    converted = {p: in_reporting(neg, p, v) for p, v in floors.items()}
    if any(v is None for v in converted.values()):
        return
    low, high = min(converted.values()), max(converted.values())
    if low > 0 and (high - low) / low > FLOOR_DIFFERENCE:
        rates = neg.rates()
        yield Finding(
            rule="price.floor-differs", severity="warning", topic="price_floor",
            message=f"floors differ by {100 * (high - low) / low:.0f} per cent after conversion "
                    f"into {rates.reporting} (rates as of {rates.as_of}): {listing}; more than "
                    f"{FLOOR_DIFFERENCE:.0%} apart, the higher floor is undercut",
            parties=tuple(floors), remedies=(common,))


@rule("supply.msr-one-sided", topic="market_stability", reads=("market_stability_reserve",))
def market_stability(neg: Negotiation) -> Iterator[Finding]:
    """A market stability reserve in one system only sets supply for all."""
    have = known(values(neg, "market_stability_reserve"))
    with_msr = [p for p, v in have.items() if v]
    without = [p for p, v in have.items() if not v]
    if not with_msr or not without:
        return
    if chosen_in(neg, "market_stability.mechanism", "accept_partner",
                 "accept_partner_with_auction_cut", "aligned"):
        return
    yield Finding(
        rule="supply.msr-one-sided", severity="warning", topic="market_stability",
        message=f"{names(neg, with_msr)} {'has' if len(with_msr) == 1 else 'have'} a market "
                f"stability reserve and {names(neg, without)} "
                f"{'does' if len(without) == 1 else 'do'} not: the reserve adjusts supply, and "
                "so the price, of the whole linked market",
        parties=tuple(with_msr + without),
        remedies=(choose("market_stability.mechanism",
                         "market_stability.mechanism.accept_partner",
                         f"{names(neg, without)} accepts the partner's reserve"),
                  choose("market_stability.mechanism", "market_stability.mechanism.aligned",
                         "align the supply adjustment mechanisms")))


@rule("supply.borrowing", topic="borrowing", reads=("borrowing",))
def borrowing(neg: Negotiation) -> Iterator[Finding]:
    """Borrowing anywhere loosens today's joint cap with future allowances."""
    borrowers = [p for p, v in values(neg, "borrowing").items() if v in ("allowed", "limited")]
    if not borrowers:
        return
    chosen = chosen_clause(neg, "borrowing.rules")
    if chosen == "borrowing.rules.prohibited":
        yield Finding(
            rule="supply.borrowing", severity="error", topic="borrowing",
            message=f"the chosen clause prohibits borrowing, but {names(neg, borrowers)} "
                    "allows it", parties=tuple(borrowers), clauses=(chosen,),
            remedies=tuple(set_party_param(p, "borrowing", "none",
                                           f"{neg.party_short(p)} ends borrowing")
                           for p in borrowers))
        return
    if chosen == "borrowing.rules.common_limit":
        return
    yield Finding(
        rule="supply.borrowing", severity="warning", topic="borrowing",
        message=f"{names(neg, borrowers)} allows borrowing: future allowances of one system "
                "would loosen today's joint cap for every party",
        parties=tuple(borrowers),
        parameters=tuple(f"party:{p}.borrowing" for p in borrowers),
        remedies=(choose("borrowing.rules", "borrowing.rules.prohibited", "prohibit borrowing"),
                  choose("borrowing.rules", "borrowing.rules.common_limit",
                         "agree a common borrowing limit"),
                  *(set_party_param(p, "borrowing", "none",
                                    f"{neg.party_short(p)} ends borrowing") for p in borrowers)))


@rule("supply.banking-differs", topic="banking", reads=("banking",))
def banking(neg: Negotiation) -> Iterator[Finding]:
    """Different banking rules let whoever may bank arbitrage across time for all."""
    rules = known(values(neg, "banking"))
    if len(set(rules.values())) <= 1:
        return
    if chosen_in(neg, "banking.rules", "harmonised"):
        return
    listing = ", ".join(f"{neg.party_short(p)}: {v}" for p, v in rules.items())
    yield Finding(
        rule="supply.banking-differs", severity="warning", topic="banking",
        message=f"banking rules differ ({listing}): allowances banked where banking is freer "
                "can be used anywhere in the linked market",
        parties=tuple(rules),
        remedies=(choose("banking.rules", "banking.rules.harmonised", "harmonise banking"),))


def _offset_limits(neg: Negotiation) -> dict[str, float]:
    limits = {}
    for pid in neg.party_ids:
        offsets = neg.systems[pid].parameters.offsets
        if offsets.allowed is False:
            limits[pid] = 0.0
        elif offsets.limit_pct is not None:
            limits[pid] = offsets.limit_pct
    return limits


@rule("offsets.limit-differs", topic="offsets", reads=("offsets.limit_pct", "offsets.allowed"))
def offset_limits(neg: Negotiation) -> Iterator[Finding]:
    """The loosest offset limit raises supply in the whole linked market."""
    limits = _offset_limits(neg)
    chosen = chosen_clause(neg, "offsets.quantity")
    allowing = [p for p, v in limits.items() if v > 0]
    if chosen == "offsets.quantity.none" and allowing:
        yield Finding(
            rule="offsets.limit-differs", severity="error", topic="offsets",
            message=f"the chosen clause admits no offset credits, but "
                    f"{names(neg, allowing)} accepts them ("
                    + ", ".join(f"{neg.party_short(p)} {limits[p]:g} per cent" for p in allowing)
                    + ")", parties=tuple(allowing), clauses=(chosen,),
            remedies=(choose("offsets.quantity", "offsets.quantity.common_limit",
                             "agree a common limit"),
                      *(set_party_param(p, "offsets.limit_pct", 0,
                                        f"{neg.party_short(p)} stops accepting offsets")
                        for p in allowing)))
        return
    if len(set(limits.values())) <= 1 or chosen == "offsets.quantity.common_limit":
        return
    loosest = max(limits, key=lambda p: limits[p])
    strictest = min(limits.values())
    listing = ", ".join(f"{neg.party_short(p)} {v:g} per cent" for p, v in limits.items())
    yield Finding(
        rule="offsets.limit-differs", severity="warning", topic="offsets",
        message=f"offset limits differ ({listing}): {neg.party_short(loosest)}'s "
                f"{limits[loosest]:g} per cent would set the supply of credits for the whole "
                "linked market",
        parties=tuple(limits), parameters=tuple(f"party:{p}.offsets.limit_pct" for p in limits),
        # A common limit below a party's own would contradict that party's system (the
        # clause's premise): the strict way is for the looser parties to lower theirs.
        remedies=(*(set_party_param(p, "offsets.limit_pct", strictest,
                                    f"{neg.party_short(p)} lowers its limit to {strictest:g} "
                                    "per cent, the strictest party's")
                    for p, v in limits.items() if v > strictest),
                  choose("offsets.quantity", "offsets.quantity.common_limit",
                         f"a common limit of {limits[loosest]:g} per cent, "
                         f"{neg.party_short(loosest)}'s: it caps what today's rules allow, "
                         "and no party can loosen it alone",
                         params={"limit_pct": limits[loosest]})))


@rule("offsets.eligible-differs", topic="offset_quality", reads=("offsets.eligible",))
def offset_types(neg: Negotiation) -> Iterator[Finding]:
    """A credit type accepted anywhere enters the whole market."""
    kinds = {p: frozenset(v) for p, v in known(values(neg, "offsets.eligible")).items()
             if _offset_limits(neg).get(p, 0) > 0}
    if len(set(kinds.values())) <= 1:
        return
    if chosen_in(neg, "offset_quality.standards", "harmonised_protocols", "mutual_acceptance") \
            or chosen_in(neg, "offset_quality.eligible", "common_list"):
        return
    listing = "; ".join(f"{neg.party_short(p)}: {', '.join(sorted(v)) or 'none'}"
                        for p, v in kinds.items())
    yield Finding(
        rule="offsets.eligible-differs", severity="warning", topic="offset_quality",
        message=f"eligible offset types differ ({listing}): a credit accepted by one system "
                "enters the whole market, so its quality becomes everyone's integrity risk",
        parties=tuple(kinds),
        remedies=(choose("offset_quality.standards",
                         "offset_quality.standards.harmonised_protocols",
                         "harmonise offset protocols"),
                  choose("offset_quality.eligible", "offset_quality.eligible.common_list",
                         "agree a common list of eligible types")))


@rule("cap.reduction-differs", topic="cap", reads=("annual_reduction_pct",))
def reduction_rates(neg: Negotiation) -> Iterator[Finding]:
    """Units flow from the laxer to the stricter system when ambition differs."""
    rates = known(values(neg, "annual_reduction_pct"))
    if len(rates) < 2:
        return
    gap = max(rates.values()) - min(rates.values())
    if gap <= REDUCTION_GAP_PP or chosen_in(neg, "cap.ambition", "common_factor"):
        return
    listing = ", ".join(f"{neg.party_short(p)} {v:g} per cent" for p, v in rates.items())
    yield Finding(
        rule="cap.reduction-differs", severity="warning", topic="cap",
        message=f"annual cap reductions differ by {gap:.2f} percentage points ({listing}), "
                f"more than {REDUCTION_GAP_PP:g}: allowances flow from the laxer system and "
                "dilute the stricter one's domestic cuts",
        parties=tuple(rates),
        parameters=tuple(f"party:{p}.annual_reduction_pct" for p in rates),
        # A common factor above a party's own would contradict its system (the clause's
        # premise), so the laxer parties raise theirs, or the factor is the laxest one.
        remedies=(*(set_party_param(p, "annual_reduction_pct", max(rates.values()),
                                    f"{neg.party_short(p)} raises its annual reduction to "
                                    f"{max(rates.values()):g} per cent")
                    for p, v in rates.items() if v < max(rates.values())),
                  choose("cap.ambition", "cap.ambition.common_factor",
                         f"a common factor of at least {min(rates.values()):g} per cent, "
                         "every party's present minimum",
                         params={"reduction_pct": min(rates.values())})))


@rule("coverage.differs", topic="coverage", reads=("coverage.sectors", "coverage.gases"))
def coverage(neg: Negotiation) -> Iterator[Finding]:
    """Coverage may differ above agreed minimums: a note, not a problem."""
    sectors = {p: set(v) for p, v in known(values(neg, "coverage.sectors")).items()}
    gases = {p: set(v) for p, v in known(values(neg, "coverage.gases")).items()}
    differences = []
    for label, table in (("sectors", sectors), ("gases", gases)):
        if len({frozenset(v) for v in table.values()}) > 1:
            common = set.intersection(*table.values())
            extra = "; ".join(f"{neg.party_short(p)} also {', '.join(sorted(v - common))}"
                              for p, v in table.items() if v - common)
            differences.append(f"{label} differ ({extra})")
    if differences:
        # Once a common minimum is agreed, the difference is noted with nothing to do.
        agreed = chosen_in(neg, "coverage.scope", "minimum_common", "aviation_included")
        yield Finding(
            rule="coverage.differs", severity="info", topic="coverage",
            message="coverage " + " and ".join(differences) + ": a matter of leakage and "
                    "competitiveness, not of integrity"
                    + ("; the agreed minimum common coverage applies" if agreed else ""),
            parties=tuple(neg.party_ids),
            remedies=() if agreed else (choose("coverage.scope", "coverage.scope.minimum_common",
                                               "agree minimum common coverage"),))


@rule("readiness.immature-system", topic="recognition",
      reads=("operational_since", "price_history"))
def readiness(neg: Negotiation) -> Iterator[Finding]:
    """A young system, or one without price history, is a risk in a full two-way link."""
    if neg.linkage == "unilateral":
        return
    if chosen_in(neg, "recognition.scope", "quantitative_limit", "exchange_rate", "phased"):
        return
    year = session_year(neg)
    for pid in neg.party_ids:
        params = neg.systems[pid].parameters
        reasons = []
        if params.operational_since is not None and \
                year - params.operational_since < MIN_OPERATING_YEARS:
            reasons.append(f"operating since {params.operational_since}, under "
                           f"{MIN_OPERATING_YEARS} years by {year}")
        if params.price_history is False:
            reasons.append("no record of market prices")
        if reasons:
            yield Finding(
                rule="readiness.immature-system", severity="warning", topic="recognition",
                message=f"{neg.party_short(pid)}: {' and '.join(reasons)}; a full two-way link "
                        "would import its untested market into everyone's price",
                parties=(pid,),
                remedies=(choose("recognition.scope", "recognition.scope.quantitative_limit",
                                 "start with a quantitative limit on recognised units"),
                          choose("recognition.scope", "recognition.scope.phased",
                                 "phase the link: one-way first, then mutual")))
