"""A system's supply of compliance at a price, as piecewise-linear curves.

Everything a system can do to meet its cap responds to the price: it abates
along its marginal abatement cost curve, buys offsets along their supply
curve up to their limit, releases its reserve at the trigger, issues without
limit at its ceiling, lets emitters pay a buy-out penalty, withholds
allowances at its floor, and leaves allowances unused at a price of zero.
Each of these is the same kind of object here: a monotone piecewise-linear
curve of quantity against price whose flat stretches (a curve that is flat
in price) are vertical jumps in quantity. Summing such curves is exact, and
so is inverting the sum, which is what lets one solver clear every kind of
market. A curve also knows the area under its inverse, the cost of
supplying a quantity, which is how gains are counted.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from negotiation.economics.model import System

_SAME_PRICE = 1e-9
"""Relative gap below which two prices on one curve count as the same price."""


class Knots:
    """A monotone piecewise-linear quantity-at-price curve.

    At each knot price the quantity may be anything in `[lo, hi]` (a jump);
    between knots it runs linearly from one knot's `hi` to the next one's
    `lo`; below the first knot it is `lo[0]`, above the last `hi[-1]`.
    """

    __slots__ = ("_area_hi", "_area_lo", "hi", "lo", "prices")

    def __init__(self, prices: Sequence[float], lo: Sequence[float],
                 hi: Sequence[float]) -> None:
        self.prices = tuple(prices)
        self.lo = tuple(lo)
        self.hi = tuple(hi)
        self._area_lo: tuple[float, ...] | None = None
        self._area_hi: tuple[float, ...] = ()

    @classmethod
    def step(cls, price: float, below: float, above: float) -> Knots:
        """`below` under `price`, `above` over it, anything between at it."""
        return cls((price,), (below,), (above,))

    @classmethod
    def constant(cls, value: float) -> Knots:
        return cls((0.0,), (value,), (value,))

    @classmethod
    def from_points(cls, points: Sequence[tuple[float, float]]) -> Knots:
        """The inverse of an increasing curve given as `(quantity, price)` points."""
        prices: list[float] = []
        lo: list[float] = []
        hi: list[float] = []
        for q, p in points:
            # prices a hair apart would make a slope near infinity: one price it is
            if prices and p - prices[-1] <= _SAME_PRICE * max(1.0, abs(p)):
                hi[-1] = q
            else:
                prices.append(p)
                lo.append(q)
                hi.append(q)
        return cls(prices, lo, hi)

    def at(self, price: float) -> tuple[float, float]:
        """The quantities supplied at `price`: a range at a knot, else one value."""
        prices = self.prices
        k = bisect_left(prices, price)
        if k < len(prices) and prices[k] == price:
            return self.lo[k], self.hi[k]
        if k == 0:
            return self.lo[0], self.lo[0]
        if k == len(prices):
            return self.hi[-1], self.hi[-1]
        p0, p1 = prices[k - 1], prices[k]
        v0, v1 = self.hi[k - 1], self.lo[k]
        value = v0 + (v1 - v0) * (price - p0) / (p1 - p0)
        return value, value

    def price_for(self, quantity: float, slack: float = 0.0) -> float:
        """The lowest price at which `quantity` is supplied (inf if it never is).

        A knot within `slack` of `quantity` counts as reaching it: sums of
        curves carry rounding, and a market that clears at a kink must not be
        pushed past it by the last bit.
        """
        hi = self.hi
        k = bisect_left(hi, quantity - slack)
        if k == len(hi):
            return float("inf")
        if self.lo[k] <= quantity + slack or k == 0:
            return self.prices[k]
        p0, p1 = self.prices[k - 1], self.prices[k]
        v0, v1 = hi[k - 1], self.lo[k]
        price = p0 + (p1 - p0) * (quantity - v0) / (v1 - v0)
        return min(max(price, p0), p1)

    def cost(self, quantity: float) -> float:
        """Area under the inverse curve from zero supply to `quantity`."""
        return self._area(quantity) - self._area(min(max(0.0, self.lo[0]), self.hi[-1]))

    def _area(self, quantity: float) -> float:
        if self._area_lo is None:
            self._build_areas()
        assert self._area_lo is not None
        lo, hi, prices = self.lo, self.hi, self.prices
        quantity = min(max(quantity, lo[0]), hi[-1])
        k = bisect_left(hi, quantity)
        k = min(k, len(hi) - 1)
        if quantity >= lo[k]:
            return self._area_lo[k] + prices[k] * (quantity - lo[k])
        # between knot k-1 (at its hi) and knot k (at its lo)
        q0, q1, p0, p1 = hi[k - 1], lo[k], prices[k - 1], prices[k]
        price = p0 + (p1 - p0) * (quantity - q0) / (q1 - q0)
        return self._area_hi[k - 1] + (p0 + price) / 2 * (quantity - q0)

    def _build_areas(self) -> None:
        area_lo: list[float] = []
        area_hi: list[float] = []
        area = 0.0
        for k, price in enumerate(self.prices):
            if k:
                area += (self.prices[k - 1] + price) / 2 * (self.lo[k] - self.hi[k - 1])
            area_lo.append(area)
            area += price * (self.hi[k] - self.lo[k])
            area_hi.append(area)
        self._area_lo = tuple(area_lo)
        self._area_hi = tuple(area_hi)

    def __repr__(self) -> str:
        return f"Knots({list(zip(self.prices, self.lo, self.hi, strict=True))})"


def total(curves: Iterable[Knots]) -> Knots:
    """The sum of monotone curves: a sweep over their knots.

    The slope in force is re-summed exactly (`math.fsum`) at every knot, so
    a steep stretch of one curve leaves no rounding behind in the others.
    """
    bases: list[float] = []
    events: dict[float, list[tuple[int, float, float]]] = {}
    for index, curve in enumerate(curves):
        prices, lo, hi = curve.prices, curve.lo, curve.hi
        bases.append(lo[0])
        for k, price in enumerate(prices):
            slope = 0.0
            if k + 1 < len(prices):
                slope = (lo[k + 1] - hi[k]) / (prices[k + 1] - price)
            events.setdefault(price, []).append((index, hi[k] - lo[k], slope))
    if not events:
        return Knots.constant(math.fsum(bases))
    out_prices = sorted(events)
    out_lo: list[float] = []
    out_hi: list[float] = []
    active: dict[int, float] = {}
    value, slope, last = math.fsum(bases), 0.0, out_prices[0]
    for price in out_prices:
        value += slope * (price - last)
        out_lo.append(value)
        value += math.fsum(jump for _, jump, _ in events[price])
        out_hi.append(value)
        for index, _, after in events[price]:
            if after:
                active[index] = after
            else:
                active.pop(index, None)
        slope = math.fsum(active.values())
        last = price
    return Knots(out_prices, out_lo, out_hi)


def mac_points(system: System) -> list[tuple[float, float]]:
    """The abatement cost curve as `(abatement, price)` points up to its reach."""
    mac = system.mac
    reach = system.max_abatement
    if mac.points is None:
        intercept, slope = mac.intercept or 0.0, mac.slope or 0.0
        if reach <= 0:
            return [(0.0, intercept)]
        return [(0.0, intercept), (reach, intercept + slope * reach)]
    points = [(float(q), float(p)) for q, p in mac.points]
    kept = [pt for pt in points if pt[0] <= reach]
    if len(kept) < len(points):
        (q0, p0), (q1, p1) = kept[-1], points[len(kept)]
        if reach > q0:
            kept.append((reach, p0 + (p1 - p0) * (reach - q0) / (q1 - q0)))
    elif len(points) >= 2 and reach > points[-1][0]:
        (q0, p0), (q1, p1) = points[-2], points[-1]
        kept.append((reach, p1 + (p1 - p0) / (q1 - q0) * (reach - q1)))
    return kept


Kind = Literal["abatement", "offsets", "reserve", "ceiling", "penalty", "floor", "unused",
               "required"]


@dataclass(frozen=True)
class Component:
    """One way a system meets (or loosens) its cap, as quantity against price.

    `unlimited` components (a ceiling, a buy-out, leaving allowances unused)
    are bounded only by `big`; when several can move at the same price they
    share by `weight`, after every limited component has moved.
    """

    system: str
    kind: Kind
    curve: Knots
    unlimited: bool = False
    weight: float = 1.0


def components(system: System, big: float) -> list[Component]:
    """Everything `system` supplies towards its cap at a price, minus what it needs."""
    sid = system.id
    parts = [
        Component(sid, "required", Knots.constant(-system.required_abatement)),
        Component(sid, "abatement", Knots.from_points(mac_points(system))),
    ]
    if system.offsets is not None and system.offsets.limit > 0:
        supply, limit = system.offsets.supply, system.offsets.limit
        parts.append(Component(sid, "offsets", Knots.from_points(
            [(0.0, supply.intercept), (limit, supply.intercept + supply.slope * limit)])))
    if system.reserve is not None and system.reserve.volume > 0:
        parts.append(Component(sid, "reserve", Knots.step(system.reserve.trigger, 0.0,
                                                          system.reserve.volume)))
    if system.price_ceiling is not None:
        parts.append(Component(sid, "ceiling", Knots.step(system.price_ceiling, 0.0, big),
                               unlimited=True))
    if system.buyout_price is not None:
        parts.append(Component(sid, "penalty", Knots.step(system.buyout_price, 0.0, big),
                               unlimited=True))
    if system.price_floor is not None and system.price_floor > 0:
        most = system.cap if system.floor_kind == "hard" else (system.auction_volume or 0.0)
        if most > 0:
            parts.append(Component(sid, "floor", Knots.step(system.price_floor, -most, 0.0)))
    surplus = max(0.0, -system.required_abatement)
    parts.append(Component(sid, "unused", Knots.step(0.0, -big, 0.0), unlimited=True,
                           weight=surplus + 1e-9 * (system.cap + 1.0)))
    return parts


DOWNWARD: frozenset[Kind] = frozenset({"floor", "unused"})
"""Components that act by taking allowances away; their neutral point is their top."""


@dataclass(frozen=True)
class Slot:
    """A quantity free to move within `[lo, hi]` from `start`, in turn with its `group`."""

    lo: float
    hi: float
    start: float
    group: int
    unlimited: bool = False
    weight: float = 1.0


def fill(target: float, slots: Sequence[Slot]) -> list[float]:
    """Pick a value in each slot so that they sum to `target`.

    Every slot starts at its neutral point (no abatement beyond the curve's
    lower end, nothing withheld, released, traded or left unused); groups
    then move in order until the target is met: a limited slot by the same
    share of its room as the others of its group, an unlimited one by
    weight. The order only matters where several things can happen at one
    price, and callers choose it so that the answer reads naturally: a
    system uses its own room before it trades, and trades before it issues
    allowances without limit.
    """
    values = [slot.start for slot in slots]
    need = target - math.fsum(values)
    for group in sorted({slot.group for slot in slots}):
        if need == 0:
            break
        members = [k for k, slot in enumerate(slots) if slot.group == group]
        room = {k: (slots[k].hi - values[k]) if need > 0 else (values[k] - slots[k].lo)
                for k in members}
        members = [k for k in members if room[k] > 0]
        limited = [k for k in members if not slots[k].unlimited]
        width = math.fsum(room[k] for k in limited)
        if width > 0:
            share = min(1.0, abs(need) / width)
            for k in limited:
                values[k] += math.copysign(share * room[k], need)
            need -= math.copysign(share * width, need)
        unlimited = [k for k in members if slots[k].unlimited]
        if unlimited and need != 0:
            weight = math.fsum(slots[k].weight for k in unlimited)
            for k in unlimited:
                share = slots[k].weight / weight if weight > 0 else 1.0 / len(unlimited)
                move = math.copysign(min(abs(need) * share, room[k]), need)
                values[k] += move
            need = target - math.fsum(values)
    return values
