"""What a negotiator reads from a cleared market: prices, gains, transfers, notes.

The solver says what every system does at the clearing prices; this module
turns that into the figures a delegation argues over. Each system's gain is
what it saves against autarky: the cost of its compliance (abatement and
offsets at their cost; allowances from a reserve, a ceiling or a buy-out at
the price that released them; allowances withheld at a floor credited at
the floor) less what it pays other systems. Counting every source along
its own supply curve keeps the books convex, so a system that trades at its
own price never shows a loss. Where a link drives a wedge between prices
(a quota's rent, a fee's revenue) the notes say who keeps it; it is part of
that system's transfer and gain, so the total gain includes it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from negotiation.economics.model import Scenario, System, problems
from negotiation.economics.solver import Arc, Cleared, Market, market_for, market_problems
from negotiation.errors import LinkwrightError


@dataclass(frozen=True)
class SystemResult:
    """One system's figures in the link, and what it would have done alone."""

    id: str
    name: str
    autarky_price: float
    price: float
    abatement: float
    net_sales: float
    """Allowances (in this system's tonnes) sold to other systems; negative: bought."""
    transfer: float
    """Money received from other systems; negative: paid."""
    gain: float
    emissions: float
    cap: float
    offsets: float = 0.0
    extra_allowances: float = 0.0
    """Released from a reserve or issued at a ceiling."""
    penalty_tonnes: float = 0.0
    """Tonnes covered by paying a buy-out penalty instead of surrendering."""
    withheld: float = 0.0
    unused: float = 0.0


@dataclass(frozen=True)
class Flow:
    """Units moving along one restricted direction between price zones."""

    source: str
    target: str
    kind: str
    units: float
    covered: float
    """Tonnes the units cover in `target` (units × exchange rate)."""
    limit: float | None
    rent: float
    fee_revenue: float


@dataclass(frozen=True)
class Effect:
    """What one price feature of one system did in the link."""

    system: str
    feature: str
    quantity: float
    sets_price: bool


@dataclass(frozen=True)
class Result:
    """Everything `solve` found, in the order the scenario lists the systems."""

    systems: tuple[SystemResult, ...]
    total_gain: float
    combined_emissions: float
    combined_cap: float
    notes: tuple[str, ...]
    flows: tuple[Flow, ...] = ()
    effects: tuple[Effect, ...] = ()
    currency: str | None = None
    title: str | None = None

    def system(self, system_id: str) -> SystemResult:
        for system in self.systems:
            if system.id == system_id:
                return system
        raise KeyError(system_id)


def fmt(value: float) -> str:
    """A figure as a negotiator reads it: 1,200 · 3.2 · 0.0125 · 0.0000297."""
    if not math.isfinite(value):
        return "—"
    size = abs(value)
    if size < 5e-10:
        return "0"
    if size >= 1000:
        return f"{value:,.0f}"
    if size >= 1:
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    # Three significant digits, written out: a minister reads 0.0000297, not 2.97e-05.
    decimals = min(12, 2 - math.floor(math.log10(size)))
    return f"{value:.{decimals}f}".rstrip("0").rstrip(".")


def check(scenario: Scenario) -> None:
    """Raise the first problem of a scenario built in code (files are checked on load)."""
    found = problems(scenario) or market_problems(scenario)
    if found:
        raise LinkwrightError(found[0].text())


def solve(scenario: Scenario) -> Result:
    """Autarky and linked prices, quantities, transfers, gains and notes."""
    check(scenario)
    market = market_for(scenario)
    alone = {s.id: Market([s], [], set(), big=market.big).clear() for s in scenario.systems}
    linked = market.clear()
    wedges = _wedges(linked)
    rows: list[SystemResult] = []
    for system in scenario.systems:
        sid = system.id
        q = linked.quantities[sid]
        price = linked.price[sid]
        net = math.fsum(q.values()) + 0.0
        transfer = price * net + wedges.get(sid, 0.0)
        gain = _cost(market, sid, alone[sid].quantities[sid]) - _cost(market, sid, q) + transfer
        rows.append(SystemResult(
            id=sid, name=system.label, autarky_price=alone[sid].price[sid], price=price,
            abatement=q.get("abatement", 0.0), net_sales=net, transfer=transfer, gain=gain,
            emissions=system.bau - q.get("abatement", 0.0), cap=system.cap,
            offsets=q.get("offsets", 0.0),
            extra_allowances=q.get("reserve", 0.0) + q.get("ceiling", 0.0),
            penalty_tonnes=q.get("penalty", 0.0), withheld=0.0 - q.get("floor", 0.0),
            unused=0.0 - q.get("unused", 0.0),
        ))
    tolerance = 1e-9 * max(1.0, sum(s.bau + s.cap for s in scenario.systems))
    rows = _without_noise(rows, tolerance)
    flows = _flows(linked)
    effects = _effects(scenario, linked, tolerance)
    result = Result(
        systems=tuple(rows),
        total_gain=sum(r.gain for r in rows),
        combined_emissions=sum(r.emissions for r in rows),
        combined_cap=sum(s.cap for s in scenario.systems),
        notes=(),
        flows=flows,
        effects=effects,
        currency=scenario.currency,
        title=scenario.title,
    )
    notes = _Notes(scenario, market, linked, result, tolerance).all()
    return replace(result, notes=tuple(notes))


def _without_noise(rows: list[SystemResult], tolerance: float) -> list[SystemResult]:
    """Rounding residue shown as zero, and figures that are not finite refused.

    Bisection leaves residues such as a net sale of 3.6e-13 Mt where nothing
    flows; a minister should read 0. Money is price times quantity, so its
    tolerance scales with the highest price."""
    top = max([1.0, *(abs(r.price) for r in rows), *(abs(r.autarky_price) for r in rows)])
    cleaned = []
    for row in rows:
        figures = (row.price, row.autarky_price, row.abatement, row.net_sales, row.transfer,
                   row.gain)
        if not all(math.isfinite(x) for x in figures):
            raise LinkwrightError("the figures are too large or too far apart in size to solve "
                                  "reliably: state quantities and prices in closer units "
                                  "(Mt rather than t)")
        cleaned.append(replace(
            row,
            net_sales=0.0 if abs(row.net_sales) <= tolerance else row.net_sales,
            transfer=0.0 if abs(row.transfer) <= tolerance * top else row.transfer,
            gain=0.0 if abs(row.gain) <= tolerance * top else row.gain,
        ))
    return cleaned


def _cost(market: Market, sid: str, quantities: dict[str, float]) -> float:
    return sum(c.curve.cost(quantities.get(c.kind, 0.0))
               for c in market.parts[sid] if c.kind != "required")


def _gap(cleared: Cleared, arc: Arc) -> float:
    return arc.rate * cleared.price[arc.target] - cleared.price[arc.source]


def _wedges(cleared: Cleared) -> dict[str, float]:
    """Money a price gap leaves with one side: fee revenue, quota rent."""
    kept: dict[str, float] = {}
    for arc, units in zip(cleared.arcs, cleared.flows, strict=True):
        if units <= 0:
            continue
        fee = arc.fee * units
        rent = (_gap(cleared, arc) - arc.fee) * units
        kept[arc.target] = kept.get(arc.target, 0.0) + fee
        holder = arc.rent_to or arc.target
        kept[holder] = kept.get(holder, 0.0) + rent
    return kept


def _flows(cleared: Cleared) -> tuple[Flow, ...]:
    flows: list[Flow] = []
    for arc, units in zip(cleared.arcs, cleared.flows, strict=True):
        flows.append(Flow(arc.source, arc.target, arc.kind, units, units * arc.rate, arc.limit,
                          (_gap(cleared, arc) - arc.fee) * max(units, 0.0),
                          arc.fee * max(units, 0.0)))
    return tuple(flows)


_FEATURES = {"ceiling": "price ceiling", "penalty": "buy-out penalty",
             "reserve": "cost-containment reserve", "floor": "price floor",
             "offsets": "offsets", "unused": "unused allowances"}


def _effects(scenario: Scenario, cleared: Cleared, tolerance: float) -> tuple[Effect, ...]:
    effects: list[Effect] = []
    for system in scenario.systems:
        q = cleared.quantities[system.id]
        price = cleared.price[system.id]
        for kind, feature in _FEATURES.items():
            amount = abs(q.get(kind, 0.0))
            if amount <= tolerance:
                continue
            effects.append(Effect(system.id, feature, amount,
                                  _sets_price(system, kind, amount, price)))
    return tuple(effects)


def _near(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _sets_price(system: System, kind: str, amount: float, price: float) -> bool:
    if kind == "ceiling":
        return True
    if kind == "penalty":
        return True
    if kind == "reserve" and system.reserve is not None:
        return _near(price, system.reserve.trigger) and amount < system.reserve.volume * (1 - 1e-9)
    if kind == "floor" and system.price_floor is not None:
        return _near(price, system.price_floor)
    if kind == "offsets" and system.offsets is not None:
        supply = system.offsets.supply
        return supply.slope == 0 and _near(price, supply.intercept) and (
            amount < system.offsets.limit * (1 - 1e-9))
    return False


class _Notes:
    """Sentences for the adviser: which features bound, who keeps which wedge."""

    def __init__(self, scenario: Scenario, market: Market, cleared: Cleared, result: Result,
                 tolerance: float) -> None:
        self.scenario = scenario
        self.market = market
        self.cleared = cleared
        self.result = result
        self.tol = tolerance
        self.currency = scenario.currency
        self.labels = {system.id: system.label for system in scenario.systems}

    def n(self, sid: str) -> str:
        """A system as the notes name it: its display name, else its id."""
        return self.labels.get(sid, sid)

    def all(self) -> list[str]:
        notes = list(self.scenario.caveats)
        notes += self.market_notes()
        notes += self.arc_notes()
        notes += self.feature_notes()
        notes += self.emission_notes()
        if self.result.effects or any(f.units > self.tol for f in self.result.flows):
            notes.append(
                "Gains count abatement and offsets at their cost, allowances from a reserve, "
                "a ceiling or a buy-out at the price that released them, and payments "
                "between systems; transfers count only payments between systems.")
        return notes

    def price(self, sid: str) -> str:
        return fmt(self.cleared.price[sid])

    def market_notes(self) -> list[str]:
        notes: list[str] = []
        zones = self.market.zones
        if len(self.scenario.systems) == 1:
            only = self.scenario.systems[0].id
            return [f"{self.n(only)} alone: no link; its price is {self.price(only)}."]
        for zone in zones:
            if len(zone.members) < 2:
                continue
            names = _join([self.n(m) for m in zone.members])
            if len(zones) == 1:
                notes.append(f"{names} trade as one market at a price of "
                             f"{self.price(zone.members[0])}.")
            else:
                notes.append(f"{names} are fully linked and share a price of "
                             f"{self.price(zone.members[0])}.")
        notes += self.moot_notes()
        return notes

    def moot_notes(self) -> list[str]:
        notes: list[str] = []
        done: set[tuple[str | int, ...]] = set()
        zone_of = self.market.zone_of
        for arc in self.market.all_arcs:
            if zone_of[arc.source] != zone_of[arc.target] or arc.where in done:
                continue
            done.add(arc.where)
            pair = {arc.source, arc.target}
            via = [m for m in self.market.zones[zone_of[arc.source]].members if m not in pair]
            route = f" through {via[0]}" if via else ""
            notes.append(
                f"The {_kind_name(arc.kind)} between {self.n(arc.source)} and {self.n(arc.target)} "
                f"({_where(arc.where)}) does not bind: both are fully linked with "
                f"{via[0] if via else 'the same partners'}, so units reach either "
                f"side{route}; only restricting those links too would make it bind.")
        return notes

    def arc_notes(self) -> list[str]:
        notes: list[str] = []
        groups: dict[tuple[str | int, ...], list[int]] = {}
        for i, arc in enumerate(self.cleared.arcs):
            groups.setdefault(arc.where, []).append(i)
        for indices in groups.values():
            notes += self.restriction_note(indices)
        return notes

    def restriction_note(self, indices: list[int]) -> list[str]:
        arcs = [self.cleared.arcs[i] for i in indices]
        flows = [self.cleared.flows[i] for i in indices]
        moving = [(a, x) for a, x in zip(arcs, flows, strict=True) if x > self.tol]
        first = arcs[0]
        money, n, price = self.money, self.n, self.price
        if first.kind in ("quota", "quota_free"):
            quota = next(a for a in arcs if a.kind == "quota")
            x = next((f for a, f in zip(arcs, flows, strict=True) if a.kind == "quota"), 0.0)
            source, target = n(quota.source), n(quota.target)
            direction = (f"into {target}" if quota.rent_to == quota.target
                         else f"out of {source}")
            if quota.limit is not None and x >= quota.limit - self.tol and x > self.tol:
                holder = quota.rent_to or quota.target
                rent = (_gap(self.cleared, quota)) * x
                paid = quota.source if holder == quota.target else quota.target
                side = "buyers" if holder == quota.target else "sellers"
                return [
                    f"The quota of {fmt(quota.limit)} {direction} binds: {_flow(x)} "
                    f"from {source} to {target}; {target}'s price is "
                    f"{price(quota.target)}, {source}'s {price(quota.source)}. "
                    f"The quota rent ({price(quota.target)} − "
                    f"{price(quota.source)}) × {fmt(x)} = {money(rent)} goes to {n(holder)} "
                    f"(its {side} trade at {n(paid)}'s price); it is in {n(holder)}'s transfer "
                    "and gain."]
            if moving:
                arc, units = moving[0]
                return [f"The quota of {fmt(quota.limit or 0)} {direction} does not bind: "
                        f"{_flow(units)} from {n(arc.source)} to {n(arc.target)} and the "
                        f"prices are equal ({price(arc.target)})."]
            return [f"The quota {direction} does not bind: no units flow between "
                    f"{source} and {target}."]
        source, target = n(first.source), n(first.target)
        if first.kind == "one_way":
            if moving:
                _, units = moving[0]
                return [f"{target} accepts {source}'s units: {_flow(units)} from "
                        f"{source} to {target}, and the one-way link acts as a "
                        f"full one (price {price(first.target)})."]
            return [f"{target} accepts {source}'s units, but none flow: "
                    f"{target}'s price ({price(first.target)}) is not above "
                    f"{source}'s ({price(first.source)})."]
        if first.kind == "exchange_rate":
            if moving:
                _, units = moving[0]
                change = (1 - first.rate) * units
                effect = "fall" if change > 0 else "rise"
                return [f"{_units(units)} of {source} cover {fmt(units * first.rate)} "
                        f"tonnes in {target} (rate {fmt(first.rate)}): "
                        f"{source}'s price ({price(first.source)}) is "
                        f"{fmt(first.rate)} × {target}'s ({price(first.target)}); "
                        f"combined emissions {effect} by {fmt(abs(change))}. Net sales count "
                        "each system's own tonnes; the buyer pays the seller's price per "
                        "unit."]
            return [f"No units flow from {source} to {target}: "
                    f"{fmt(first.rate)} × {target}'s price "
                    f"({price(first.target)}) is not above {source}'s "
                    f"({price(first.source)})."]
        if first.kind == "fee":
            if moving:
                arc, units = moving[0]
                revenue = arc.fee * units
                return [f"{_flow(units)} from {n(arc.source)} to {n(arc.target)} at a fee "
                        f"of {fmt(arc.fee)} per tonne: {n(arc.target)}'s price "
                        f"({price(arc.target)}) exceeds {n(arc.source)}'s "
                        f"({price(arc.source)}) by the fee. The fee revenue "
                        f"{fmt(arc.fee)} × {fmt(units)} = {money(revenue)} is collected by "
                        f"{n(arc.target)} (the importing side) and counted in its gain, not "
                        f"its transfer; transfers count {n(arc.source)}'s price."]
            return [f"No units flow between {source} and {target}: the price "
                    f"gap is not larger than the fee of {fmt(first.fee)} per tonne."]
        return []

    def money(self, amount: float) -> str:
        return f"{self.currency} {fmt(amount)}" if self.currency else fmt(amount)

    def feature_notes(self) -> list[str]:
        notes: list[str] = []
        for system in self.scenario.systems:
            notes += self.system_feature_notes(system)
        return notes

    def whose(self, sid: str) -> str:
        """Whose price a feature of `sid` sets: its zone's, and any zone tied to it by trade."""
        zone_of = self.market.zone_of
        members = self.market.zones[zone_of[sid]].members
        words = "the linked price" if len(members) > 1 else f"{self.n(sid)}'s price"
        reached = {zone_of[sid]}
        grew = True
        while grew:
            grew = False
            for arc, units in zip(self.cleared.arcs, self.cleared.flows, strict=True):
                tight = units > self.tol and (arc.limit is None or units < arc.limit - self.tol)
                ends = {zone_of[arc.source], zone_of[arc.target]}
                if tight and len(ends & reached) == 1:
                    reached |= ends
                    grew = True
        others = [s.id for s in self.scenario.systems
                  if zone_of[s.id] in reached and zone_of[s.id] != zone_of[sid]]
        if others:
            words += f" (and, through the link, {_join(others)}'s)"
        return words

    def system_feature_notes(self, system: System) -> list[str]:
        sid = system.id
        row = self.result.system(sid)
        q = self.cleared.quantities[sid]
        price = self.cleared.price[sid]
        tol = self.tol
        notes: list[str] = []
        if q.get("ceiling", 0.0) > tol:
            notes.append(f"{self.n(sid)}'s price ceiling ({fmt(system.price_ceiling or 0)}) sets "
                         f"{self.whose(sid)}; {fmt(q['ceiling'])} extra allowances issued.")
        if q.get("penalty", 0.0) > tol and system.penalty is not None:
            notes.append(f"{self.n(sid)}'s penalty ({fmt(system.penalty.per_tonne)}, no make-good) "
                         f"acts as a price ceiling and sets {self.whose(sid)}: emitters pay it "
                         "instead of surrendering allowances for "
                         f"{fmt(q['penalty'])} of their emissions.")
        if (system.penalty is not None and system.penalty.make_good
                and price > system.penalty.per_tonne + tol):
            notes.append(f"{self.n(sid)}'s penalty ({fmt(system.penalty.per_tonne)}) is below the "
                         f"price ({fmt(price)}) but comes with make-good, so it does not cap "
                         "the price.")
        if q.get("reserve", 0.0) > tol and system.reserve is not None:
            volume, trigger = system.reserve.volume, system.reserve.trigger
            if q["reserve"] < volume - tol:
                notes.append(f"{self.n(sid)}'s cost-containment reserve (trigger "
                             f"{fmt(trigger)}) sets {self.whose(sid)}; "
                             f"{fmt(q['reserve'])} of its {fmt(volume)} allowances released.")
            else:
                notes.append(f"{self.n(sid)}'s cost-containment reserve (trigger "
                             f"{fmt(trigger)}) is exhausted: its whole volume of "
                             f"{fmt(volume)} is released"
                             + (f", and the price rises above the trigger to {fmt(price)}."
                                if price > trigger + tol else "."))
        withheld = -q.get("floor", 0.0)
        if withheld > tol and system.price_floor is not None:
            notes.append(self.floor_note(system, withheld, price))
        if q.get("offsets", 0.0) > tol and system.offsets is not None:
            at_limit = q["offsets"] >= system.offsets.limit - tol
            notes.append(f"{self.n(sid)} uses offsets for {fmt(q['offsets'])}"
                         + (f", its whole limit of {fmt(system.offsets.limit)}."
                            if at_limit else f" (limit {fmt(system.offsets.limit)})."))
        if row.unused > tol:
            notes.append(f"{fmt(row.unused)} of {self.n(sid)}'s allowances go unused: the caps are "
                         "slack at a price of 0" + (" (its cap is above its bau emissions)."
                                                    if system.cap > system.bau else "."))
        return notes

    def floor_note(self, system: System, withheld: float, price: float) -> str:
        sid = system.id
        floor = system.price_floor or 0.0
        if system.floor_kind == "auction":
            volume = system.auction_volume or 0.0
            if price >= floor - self.tol:
                return (f"{self.n(sid)}'s auction reserve price ({fmt(floor)}) sets "
                        f"{self.whose(sid)}; {fmt(withheld)} of {fmt(volume)} auctioned "
                        "allowances go unsold.")
            return (f"{self.n(sid)}'s auction reserve price ({fmt(floor)}) holds only up to the "
                    f"auction volume: all {fmt(volume)} auctioned allowances go unsold and "
                    f"the price falls to {fmt(price)}.")
        if price >= floor - self.tol:
            return (f"{self.n(sid)}'s price floor ({fmt(floor)}) sets {self.whose(sid)}; "
                    f"{fmt(withheld)} allowances withheld, counted in its gain at the floor "
                    "price (as if bought back by its authority: the covered entities' view, "
                    "not the treasury's).")
        return (f"{self.n(sid)}'s price floor ({fmt(floor)}) cannot hold: even withholding its "
                f"whole cap ({fmt(withheld)}) leaves the price at {fmt(price)}.")

    def emission_notes(self) -> list[str]:
        r = self.result
        gap = r.combined_emissions - r.combined_cap
        if abs(gap) <= self.tol:
            return [f"Combined emissions equal the combined cap ({fmt(r.combined_cap)})."]
        parts: list[str] = []
        rows = r.systems
        for label, value in (
            ("extra allowances", sum(s.extra_allowances for s in rows)),
            ("buy-out payments", sum(s.penalty_tonnes for s in rows)),
            ("offsets", sum(s.offsets for s in rows)),
            ("withheld", -sum(s.withheld for s in rows)),
            ("unused", -sum(s.unused for s in rows)),
            ("exchange rate", -sum(s.net_sales for s in rows)),
        ):
            if abs(value) > self.tol:
                parts.append(f"{label} {'+' if value > 0 else '−'}{fmt(abs(value))}")
        verb = "exceed" if gap > 0 else "are below"
        detail = f" ({'; '.join(parts)})" if parts else ""
        return [f"Combined emissions ({fmt(r.combined_emissions)}) {verb} the combined cap "
                f"({fmt(r.combined_cap)}) by {fmt(abs(gap))}{detail}."]


def _units(amount: float) -> str:
    text = fmt(amount)
    return f"{text} unit" if text == "1" else f"{text} units"


def _flow(amount: float) -> str:
    return _units(amount) + (" flows" if fmt(amount) == "1" else " flow")


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _kind_name(kind: str) -> str:
    return {"quota": "quota", "quota_free": "quota", "one_way": "one-way link",
            "exchange_rate": "exchange rate", "fee": "fee"}.get(kind, kind)


def _where(path: tuple[str | int, ...]) -> str:
    if len(path) == 2 and path[0] == "restrictions":
        return f"restriction {int(path[1]) + 1}"
    return ".".join(str(p) for p in path)
