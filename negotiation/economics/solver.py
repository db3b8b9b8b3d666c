"""One market-clearing solver for every kind of link.

Systems joined by full links trade at one price: they form a *price zone*,
whose supply curve is the exact sum of its members' curves, cleared by
inverting that sum. A restricted link (one-way, quota, exchange rate, fee)
joins zones through *arcs* along which units move only when the price gap
pays for it; seen from one zone, an arc is one more step in its supply
curve, at a threshold set by the other zone's price. With two zones the
solver bisects on one zone's price and clears the other exactly at each
step; the first zone's excess supply rises with its own price (the gross
substitutes property of allowance markets), so bisection cannot miss. A
third zone nests one more bisection. Autarky is the same solver run on one
system. Closed forms live only in the tests.
"""

from __future__ import annotations

import itertools
import math
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from negotiation.economics.curves import DOWNWARD, Component, Knots, Slot, components, fill, total
from negotiation.economics.model import (
    ExchangeRateLink,
    FeeLink,
    FullLink,
    OneWayLink,
    Path,
    Problem,
    QuotaLink,
    RestrictedLink,
    Scenario,
    System,
    link_pair,
)
from negotiation.errors import LinkwrightError

MAX_ZONES = 3
"""Separately priced groups the solver accepts; each one more nests a bisection."""

_ITERATIONS = 200
_TOLERANCE = 1e-13


@dataclass(frozen=True)
class Arc:
    """Units of `source` accepted in `target`, each covering `rate` tonnes there."""

    source: str
    target: str
    kind: str
    rate: float = 1.0
    fee: float = 0.0
    limit: float | None = None
    rent_to: str = ""
    """The system that keeps a binding quota's rent: the one the quota protects."""
    where: Path = ()


@dataclass(frozen=True)
class Zone:
    """Systems trading at one price, with their summed supply curve.

    `parts` splits the sum by (limited or not) × (adds or takes away
    allowances), which is what `fill` needs to read a range at a price.
    Leaving allowances unused at a price of zero is kept out of the sum (it
    would add and take away an 'unlimited' quantity, and the rounding with
    it): `Market.supply_at` and `Market.price_for` add it back.
    """

    members: tuple[str, ...]
    curve: Knots
    parts: tuple[tuple[Knots, bool, bool], ...]

    def supply_at(self, price: float, big: float) -> tuple[float, float]:
        lo, hi = self.curve.at(price)
        if price < 0:
            return lo - big, lo - big
        return (lo - big, hi) if price == 0 else (lo, hi)

    def price_for(self, quantity: float, slack: float) -> float:
        if quantity <= self.curve.at(0.0)[1] + slack:
            return 0.0
        return self.curve.price_for(quantity, slack)


@dataclass
class _Allocation:
    """Prices (a bracket and a value), own supply per zone, and flows per arc."""

    prices: dict[int, tuple[float, float, float]] = field(default_factory=dict)
    supply: dict[int, float] = field(default_factory=dict)
    flows: dict[int, float] = field(default_factory=dict)

    def merge(self, other: _Allocation) -> _Allocation:
        return _Allocation({**self.prices, **other.prices}, {**self.supply, **other.supply},
                           {**self.flows, **other.flows})

    def blend(self, other: _Allocation, theta: float) -> _Allocation:
        def mix(a: float, b: float) -> float:
            return a + theta * (b - a)

        prices = {z: (min(lo, other.prices[z][0]), max(hi, other.prices[z][1]),
                      mix(p, other.prices[z][2]))
                  for z, (lo, hi, p) in self.prices.items()}
        supply = {z: mix(q, other.supply[z]) for z, q in self.supply.items()}
        flows = {a: mix(x, other.flows[a]) for a, x in self.flows.items()}
        return _Allocation(prices, supply, flows)


@dataclass(frozen=True)
class _Step:
    arc: int
    price: float
    lo: float
    hi: float
    per_unit: float
    """Flow in units per unit of the step's value in the zone's balance."""
    unlimited: bool


@dataclass(frozen=True)
class Cleared:
    """A cleared market: each system's price, what each of its components did, and flows."""

    price: dict[str, float]
    quantities: dict[str, dict[str, float]]
    flows: tuple[float, ...]
    zones: tuple[Zone, ...]
    arcs: tuple[Arc, ...]


class Market:
    """Systems, their components, the zones that full links make, and the arcs between."""

    def __init__(self, systems: Sequence[System], arcs: Sequence[Arc],
                 restricted: set[frozenset[str]], big: float | None = None) -> None:
        self.systems = {s.id: s for s in systems}
        self.big = big if big is not None else scale(systems, arcs)
        self.parts: dict[str, list[Component]] = {s.id: components(s, self.big)
                                                  for s in systems}
        self.zone_of = _zones([s.id for s in systems], restricted)
        groups: dict[int, list[str]] = {}
        for sid in self.systems:
            groups.setdefault(self.zone_of[sid], []).append(sid)
        self.zones = tuple(self._zone(tuple(members)) for members in groups.values())
        self.all_arcs = tuple(arcs)
        self.arcs = tuple(a for a in arcs if self.zone_of[a.source] != self.zone_of[a.target])
        self._ends = [(self.zone_of[a.source], self.zone_of[a.target]) for a in self.arcs]
        self._touching: dict[int, list[int]] = {z: [] for z in range(len(self.zones))}
        for i, (s, t) in enumerate(self._ends):
            self._touching[s].append(i)
            self._touching[t].append(i)
        self._top = self._price_bound()
        self.eps = _TOLERANCE * self.big / 100
        """An imbalance this small is rounding, not excess supply or demand."""

    def _zone(self, members: tuple[str, ...]) -> Zone:
        parts = [c for sid in members for c in self.parts[sid] if c.kind != "unused"]
        curve = total([c.curve for c in parts])
        split: list[tuple[Knots, bool, bool]] = []
        for unlimited in (False, True):
            for down in (False, True):
                chosen = [c.curve for c in parts
                          if c.unlimited == unlimited and (c.kind in DOWNWARD) == down]
                if chosen:
                    split.append((total(chosen), unlimited, down))
        return Zone(members, curve, tuple(split))

    def _price_bound(self) -> float:
        top = max(max(z.curve.prices) for z in self.zones)
        fees = sum(a.fee for a in self.arcs)
        rate = max([1.0] + [a.rate for a in self.arcs]) / min([1.0] + [a.rate
                                                                       for a in self.arcs])
        return (top + fees + 1.0) * rate ** len(self.zones) * 2.0

    # --- clearing ---------------------------------------------------------

    def clear(self) -> Cleared:
        """Prices and quantities at which every zone's supply meets its needs."""
        order = sorted(range(len(self.zones)), key=lambda z: -len(self.zones[z].members))
        allocation = self._solve(order, {})
        return self._per_system(allocation)

    def _solve(self, order: list[int], fixed: dict[int, float]) -> _Allocation:
        zone, rest = order[0], order[1:]
        if not rest:
            return self._solve_alone(zone, fixed)
        return _Bisection(self, zone, rest, fixed).run()

    def steps(self, zone: int, prices: dict[int, float]) -> list[_Step]:
        """The arcs between `zone` and zones of known price, as steps of its supply."""
        steps: list[_Step] = []
        for i in self._touching[zone]:
            arc = self.arcs[i]
            source, target = self._ends[i]
            other = target if source == zone else source
            if other not in prices:
                continue
            limit = self.big if arc.limit is None else arc.limit
            if target == zone:  # units come in when rate·p_here > p_there + fee
                threshold = (prices[other] + arc.fee) / arc.rate
                steps.append(_Step(i, threshold, 0.0, arc.rate * limit, 1.0 / arc.rate,
                                   arc.limit is None))
            else:  # units go out when p_here < rate·p_there − fee
                threshold = arc.rate * prices[other] - arc.fee
                steps.append(_Step(i, threshold, -limit, 0.0, -1.0, arc.limit is None))
        steps.sort(key=lambda s: s.price)
        return steps

    def inner_flow(self, zone: int, allocation: _Allocation) -> float:
        """What flows decided elsewhere add to `zone`'s balance, in its tonnes."""
        net = 0.0
        for i in self._touching[zone]:
            if i in allocation.flows:
                source, _ = self._ends[i]
                flow = allocation.flows[i]
                net += -flow if source == zone else self.arcs[i].rate * flow
        return net

    def own_slots(self, zone: int, price: float) -> list[Slot]:
        """What a zone itself can still move at `price`: first its limited room, last
        its unlimited room (a ceiling, leaving allowances unused)."""
        slots = []
        for curve, unlimited, down in self.zones[zone].parts:
            lo, hi = curve.at(price)
            slots.append(Slot(lo, hi, hi if down else lo, 3 if unlimited else 0, unlimited))
        if price <= 0:
            slots.append(Slot(-self.big, 0.0, 0.0, 3, unlimited=True))
        return slots

    def _solve_alone(self, zone: int, prices: dict[int, float]) -> _Allocation:
        """Clear one zone exactly, every other zone's price given."""
        this = self.zones[zone]
        steps = self.steps(zone, prices)
        thresholds = sorted({s.price for s in steps})
        before = sum(s.lo for s in steps)
        cum_before: list[float] = []
        cum_after: list[float] = []
        running = before
        k = 0
        for price in thresholds:
            cum_before.append(running)
            while k < len(steps) and steps[k].price == price:
                running += steps[k].hi - steps[k].lo
                k += 1
            cum_after.append(running)
        # first threshold at which supply can reach the need
        low, high = 0, len(thresholds)
        while low < high:
            mid = (low + high) // 2
            if this.supply_at(thresholds[mid], self.big)[1] + cum_after[mid] >= -self.eps:
                high = mid
            else:
                low = mid + 1
        j = low
        if (j < len(thresholds)
                and this.supply_at(thresholds[j], self.big)[0] + cum_before[j] <= self.eps):
            price = thresholds[j]
        else:
            offset = cum_before[j] if j < len(thresholds) else running
            price = this.price_for(-offset, self.eps)
            if math.isinf(price):
                raise LinkwrightError("no price meets the caps: the systems cannot abate "
                                      "enough and have no ceiling to fall back on")
            # between two thresholds by construction; clamp away the rounding
            if j > 0:
                price = max(price, thresholds[j - 1])
            if j < len(thresholds):
                price = min(price, thresholds[j])
        return self._allocate_at(zone, price, steps, 0.0)

    def _allocate_at(self, zone: int, price: float, steps: list[_Step],
                     inner: float) -> _Allocation:
        slots = self.own_slots(zone, price)
        own = len(slots)
        for s in steps:
            if s.price == price:
                lo, hi = s.lo, s.hi
            else:
                lo = hi = s.lo if price < s.price else s.hi
            slots.append(Slot(lo, hi, min(max(0.0, lo), hi), 2 if s.unlimited else 1,
                              s.unlimited))
        values = fill(-inner, slots)
        flows = {s.arc: v * s.per_unit for s, v in zip(steps, values[own:], strict=True)}
        return _Allocation({zone: (price, price, price)}, {zone: math.fsum(values[:own])},
                           flows)

    # --- per system -------------------------------------------------------

    def _per_system(self, allocation: _Allocation) -> Cleared:
        prices: dict[str, float] = {}
        quantities: dict[str, dict[str, float]] = {}
        for z, zone in enumerate(self.zones):
            low, high, price = allocation.prices[z]
            parts = [c for sid in zone.members for c in self.parts[sid]]
            slots = []
            for c in parts:
                lo, hi = c.curve.at(low)[0], c.curve.at(high)[1]
                slots.append(Slot(lo, hi, hi if c.kind in DOWNWARD else lo,
                                  1 if c.unlimited else 0, c.unlimited, c.weight))
            values = fill(allocation.supply[z], slots)
            for sid in zone.members:
                prices[sid] = price
                quantities[sid] = {}
            for c, v in zip(parts, values, strict=True):
                quantities[c.system][c.kind] = quantities[c.system].get(c.kind, 0.0) + v
        flows = tuple(allocation.flows.get(i, 0.0) for i in range(len(self.arcs)))
        return Cleared(prices, quantities, flows, self.zones, self.arcs)


class _Bisection:
    """Bisection on one zone's price, the other zones cleared at each step."""

    def __init__(self, market: Market, zone: int, rest: list[int],
                 fixed: dict[int, float]) -> None:
        self.market = market
        self.zone = zone
        self.rest = rest
        self.fixed = fixed
        self.steps = market.steps(zone, fixed)
        curve = market.zones[zone].curve
        self.snaps = sorted(set(curve.prices) | {s.price for s in self.steps})

    def jumps(self, low: float, high: float) -> list[float]:
        """Prices in `[low, high]` where this zone's excess supply may jump: its own
        kinks, its arcs' thresholds, and the kinks of the next zone seen through the
        arcs between them."""
        found = set(self.snaps[bisect_left(self.snaps, low):bisect_right(self.snaps, high)])
        market = self.market
        inner = set(self.rest)
        for i in market._touching[self.zone]:
            source, target = market._ends[i]
            other = target if source == self.zone else source
            if other not in inner:
                continue
            arc = market.arcs[i]
            if source == self.zone:  # the other zone imports when its price passes
                lo, hi = (low + arc.fee) / arc.rate, (high + arc.fee) / arc.rate
                back = lambda k, a=arc: k * a.rate - a.fee  # noqa: E731
            else:  # the other zone exports while its price is below
                lo, hi = arc.rate * low - arc.fee, arc.rate * high - arc.fee
                back = lambda k, a=arc: (k + a.fee) / a.rate  # noqa: E731
            prices = market.zones[other].curve.prices
            for k in prices[bisect_left(prices, lo):bisect_right(prices, hi)]:
                if low <= back(k) <= high:
                    found.add(back(k))
        return sorted(found)

    def evaluate(self, price: float) -> tuple[float, float, _Allocation, float]:
        """Excess supply of the zone at `price` (a range), with the rest cleared."""
        inner = self.market._solve(self.rest, {**self.fixed, self.zone: price})
        net = self.market.inner_flow(self.zone, inner)
        lo, hi = self.market.zones[self.zone].supply_at(price, self.market.big)
        for s in self.steps:
            if s.price == price:
                lo, hi = lo + s.lo, hi + s.hi
            else:
                value = s.lo if price < s.price else s.hi
                lo, hi = lo + value, hi + value
        return lo + net, hi + net, inner, net

    def _end(self, price: float, inner: _Allocation, upper: bool) -> _Allocation:
        """The allocation at one end of the bracket, taking the range's top or bottom."""
        lo, hi = self.market.zones[self.zone].supply_at(price, self.market.big)
        flows: dict[int, float] = {}
        for s in self.steps:
            if s.price == price:
                value = s.hi if upper else s.lo
            else:
                value = s.lo if price < s.price else s.hi
            flows[s.arc] = value * s.per_unit
        own = _Allocation({self.zone: (price, price, price)}, {self.zone: hi if upper else lo},
                          flows)
        return own.merge(inner)

    def run(self) -> _Allocation:
        """The lowest price at which the zone's excess supply reaches zero."""
        m = self.market
        eps = m.eps
        low = 0.0
        r_lo, r_hi, inner, net = self.evaluate(low)
        if r_hi >= -eps:
            return m._allocate_at(self.zone, low, self.steps, net).merge(inner)
        low_state = (r_hi, inner)
        high = m._top
        for _ in range(64):
            r_lo, r_hi, inner, net = self.evaluate(high)
            if r_hi >= -eps:
                break
            low, low_state, high = high, (r_hi, inner), high * 2
        else:
            raise LinkwrightError("no price clears the linked market (supply never meets "
                                  "the caps); check the curves' reach")
        high_state = (r_lo, r_hi, inner, net)
        for _ in range(_ITERATIONS):
            mid = (low + high) / 2
            if high - low <= _TOLERANCE * max(1.0, high) or not low < mid < high:
                break
            r_lo, r_hi, inner, net = self.evaluate(mid)
            if r_hi >= -eps:
                high, high_state = mid, (r_lo, r_hi, inner, net)
            else:
                low, low_state = mid, (r_hi, inner)
        r_lo, r_hi, inner, net = high_state
        if r_lo <= 0 <= r_hi or (r_lo <= eps and r_hi < 0):
            # the range at `high` holds zero (or misses it by rounding): clear there
            return m._allocate_at(self.zone, high, self.steps, net).merge(inner)
        # The answer sits on a jump: at a kink of this zone's curve or an arc's
        # threshold. Clear exactly there if one lies in the bracket.
        for price in self.jumps(low, high):
            j_lo, j_hi, j_inner, j_net = self.evaluate(price)
            if j_lo <= eps and j_hi >= -eps:
                return m._allocate_at(self.zone, price, self.steps, j_net).merge(j_inner)
        below, above = low_state[0], r_lo
        theta = -below / (above - below)
        blended = self._end(low, low_state[1], upper=True).blend(
            self._end(high, inner, upper=False), theta)
        price = low + theta * (high - low)
        k = bisect_left(self.snaps, low)
        if k < len(self.snaps) and self.snaps[k] <= high:
            price = self.snaps[k]
        blended.prices[self.zone] = (low, high, price)
        return blended


# --- building a market from a scenario -------------------------------------


def scale(systems: Sequence[System], arcs: Sequence[Arc] = ()) -> float:
    """A quantity larger than any flow the market could need: 'unlimited'."""
    size = 1.0
    for s in systems:
        size += s.bau + s.cap + (s.auction_volume or 0.0)
        if s.offsets is not None:
            size += s.offsets.limit
        if s.reserve is not None:
            size += s.reserve.volume
    smallest_rate = min([1.0] + [a.rate for a in arcs])
    return 10.0 * size / smallest_rate


def _zones(ids: list[str], restricted: set[frozenset[str]]) -> dict[str, int]:
    parent = {sid: sid for sid in ids}

    def root(sid: str) -> str:
        while parent[sid] != sid:
            parent[sid] = parent[parent[sid]]
            sid = parent[sid]
        return sid

    for a, b in itertools.combinations(ids, 2):
        if frozenset((a, b)) not in restricted:
            parent[root(b)] = root(a)
    numbers: dict[str, int] = {}
    return {sid: numbers.setdefault(root(sid), len(numbers)) for sid in ids}


def link_arcs(link: RestrictedLink, pair: tuple[str, str], where: Path) -> list[Arc]:
    """The directions units may take under one restricted link."""
    a, b = pair
    if isinstance(link, OneWayLink):
        return [Arc(link.from_, link.to, "one_way", where=where)]
    if isinstance(link, ExchangeRateLink):
        return [Arc(link.from_, link.to, "exchange_rate", rate=link.rate, where=where)]
    if isinstance(link, FeeLink):
        return [Arc(a, b, "fee", fee=link.per_tonne, where=where),
                Arc(b, a, "fee", fee=link.per_tonne, where=where)]
    assert isinstance(link, QuotaLink)
    if link.into is not None:
        into = link.into
        other = b if into == a else a
        return [Arc(other, into, "quota", limit=link.limit, rent_to=into, where=where),
                Arc(into, other, "quota_free", where=where)]
    out = link.from_ or a
    other = b if out == a else a
    return [Arc(out, other, "quota", limit=link.limit, rent_to=out, where=where),
            Arc(other, out, "quota_free", where=where)]


def scenario_arcs(scenario: Scenario) -> tuple[list[Arc], set[frozenset[str]]]:
    """Every restricted direction of the scenario, and the restricted pairs."""
    ids = [s.id for s in scenario.systems]
    entries: list[tuple[Path, RestrictedLink]] = []
    if not isinstance(scenario.link, FullLink) and len(ids) == 2:
        entries.append((("link",), scenario.link))
    for k, restriction in enumerate(scenario.restrictions):
        if not isinstance(restriction, FullLink):
            entries.append((("restrictions", k), restriction))
    arcs: list[Arc] = []
    pairs: set[frozenset[str]] = set()
    for where, entry in entries:
        pair = link_pair(entry, ids)
        assert pair is not None, "problems() rejects a link that names no pair"
        arcs.extend(link_arcs(entry, pair, where))
        pairs.add(frozenset(pair))
    return arcs, pairs


def market_for(scenario: Scenario) -> Market:
    arcs, pairs = scenario_arcs(scenario)
    return Market(scenario.systems, arcs, pairs)


def market_problems(scenario: Scenario) -> list[Problem]:
    """What makes a (well-formed) scenario unsolvable: too many zones, money pumps."""
    if len(scenario.systems) < 2:
        return []
    arcs, pairs = scenario_arcs(scenario)
    zone_of = _zones([s.id for s in scenario.systems], pairs)
    found: list[Problem] = []
    for arc in arcs:
        if arc.rate > 1 and zone_of[arc.source] == zone_of[arc.target]:
            found.append(Problem(arc.where, (
                f"an exchange rate of {arc.rate:g} from {arc.source} to {arc.target} inside "
                "a fully linked group creates allowances from nothing (a unit of "
                f"{arc.source} covers {arc.rate:g} t in {arc.target} and comes back at par): "
                "restrict the pairs that close the loop, or use a rate of at most 1")))
    count = len(set(zone_of.values()))
    if count > MAX_ZONES:
        groups: dict[int, list[str]] = {}
        for sid, z in zone_of.items():
            groups.setdefault(z, []).append(sid)
        listed = "; ".join("{" + ", ".join(g) + "}" for g in groups.values())
        found.append(Problem(("restrictions",), (
            f"the restrictions split the market into {count} separately priced groups "
            f"({listed}); the calculator solves up to {MAX_ZONES}: link more pairs fully, "
            "or study the groups in separate scenarios")))
    elif count > 1:
        loop = _rate_loop(arcs, zone_of, count)
        if loop is not None:
            found.append(Problem(loop.where, (
                f"the exchange rate from {loop.source} to {loop.target} closes a loop "
                "through the other links in which a unit comes back worth more than one "
                "tonne: allowances would be created from nothing; lower the rate or "
                "restrict the return path")))
    return found


def _rate_loop(arcs: Sequence[Arc], zone_of: dict[str, int], count: int) -> Arc | None:
    best = [[1.0 if u == v else 0.0 for v in range(count)] for u in range(count)]
    for arc in arcs:
        u, v = zone_of[arc.source], zone_of[arc.target]
        if u != v:
            best[u][v] = max(best[u][v], arc.rate)
    for k, u, v in itertools.product(range(count), repeat=3):
        best[u][v] = max(best[u][v], best[u][k] * best[k][v])
    for arc in arcs:
        u, v = zone_of[arc.source], zone_of[arc.target]
        if u != v and arc.rate * best[v][u] > 1 + 1e-12:
            return arc
    return None

