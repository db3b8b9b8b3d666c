"""Properties that must hold for any systems, checked on generated scenarios.

The examples are derandomized (a fixed seed): a failure is reproducible
and CI does not flicker.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from negotiation.economics import Scenario, solve
from negotiation.errors import LinkwrightError

FIXED = settings(derandomize=True, database=None, max_examples=80, deadline=None)

prices = st.floats(min_value=0, max_value=500, allow_nan=False, allow_infinity=False)


@st.composite
def curves(draw: st.DrawFn) -> dict[str, Any]:
    if draw(st.booleans()):
        return {"intercept": draw(st.floats(0, 50)), "slope": draw(st.floats(0.05, 50))}
    count = draw(st.integers(2, 8))
    q, p = 0.0, draw(st.floats(0, 30))
    points = [[q, p]]
    for _ in range(count - 1):
        q += draw(st.floats(0.5, 15))
        p += draw(st.floats(0, 60))
        points.append([q, p])
    if points[-1][1] == points[-2][1]:
        points[-1][1] += 1.0  # a last flat stretch would be extended flat to bau
    return {"points": points}


@st.composite
def systems(draw: st.DrawFn, sid: str, features: bool = True) -> dict[str, Any]:
    bau = draw(st.floats(1, 100))
    system: dict[str, Any] = {"id": sid, "bau": bau, "cap": draw(st.floats(0, 1.2 * bau)),
                              "mac": draw(curves())}
    if not features:
        return system
    if draw(st.booleans()):
        system["price_ceiling"] = draw(st.floats(20, 600))
    if draw(st.booleans()):
        system["price_floor"] = draw(st.floats(0, 15))
        if draw(st.booleans()):
            system["floor_kind"] = "auction"
            system["auction_volume"] = draw(st.floats(0, 10))
    if draw(st.booleans()):
        system["reserve"] = {"volume": draw(st.floats(0, 10)), "trigger": draw(st.floats(15, 200))}
    if draw(st.booleans()):
        system["offsets"] = {"limit": draw(st.floats(0, 10)),
                             "supply": {"intercept": draw(st.floats(0, 40)),
                                        "slope": draw(st.floats(0, 20))}}
    if draw(st.booleans()):
        system["penalty"] = {"per_tonne": draw(st.floats(20, 800)),
                             "make_good": draw(st.booleans())}
    return system


@st.composite
def markets(draw: st.DrawFn, low: int = 2, high: int = 5,
            features: bool = True) -> list[dict[str, Any]]:
    count = draw(st.integers(low, high))
    return [draw(systems(f"s{k}", features)) for k in range(count)]


def solved(systems_: list[dict[str, Any]], **rest: Any):
    return solve(Scenario.model_validate({"systems": systems_, **rest}))


def scale(systems_: list[dict[str, Any]]) -> float:
    return 1e-6 * max(1.0, sum(s["bau"] + s["cap"] for s in systems_))


@FIXED
@given(markets())
def test_net_sales_sum_to_zero_under_a_full_link(market: list[dict[str, Any]]):
    result = solved(market)
    assert abs(sum(s.net_sales for s in result.systems)) <= scale(market)
    assert abs(sum(s.transfer for s in result.systems)) <= scale(market) * 1000


@FIXED
@given(markets())
def test_gains_are_never_negative_under_a_full_link(market: list[dict[str, Any]]):
    result = solved(market)
    for row in result.systems:
        assert row.gain >= -scale(market) * 1000, row


@FIXED
@given(markets(2, 2))
# Prices 1e-12 apart on one curve once made a slope of 1e12, and the importer's books
# missed by a ten-thousandth of a tonne (hypothesis found it under another hash seed).
@example([{"id": "s0", "bau": 1.0, "cap": 0.0, "mac": {"points": [[0.0, 0.0], [0.5, 1.0]]}},
          {"id": "s1", "bau": 2.0, "cap": 1.1875,
           "mac": {"points": [[0.0, 1.0], [1.0, 1.000000000001]]}}])
def test_gains_are_never_negative_under_a_one_way_link(market: list[dict[str, Any]]):
    result = solved(market, link={"type": "one_way", "from": "s0", "to": "s1"})
    for row in result.systems:
        assert row.gain >= -scale(market) * 1000, row
    if result.system("s1").autarky_price < result.system("s0").autarky_price - 1e-9:
        assert abs(result.system("s1").net_sales) <= scale(market)


@FIXED
@given(markets(1, 4), st.integers(0, 3), st.floats(0, 400))
def test_a_ceiling_never_raises_the_price(market: list[dict[str, Any]], which: int,
                                          ceiling: float):
    which %= len(market)
    assume(ceiling >= market[which].get("price_floor", 0.0))
    before = solved(market)
    capped = [dict(s) for s in market]
    capped[which]["price_ceiling"] = min(ceiling, capped[which].get("price_ceiling", ceiling))
    after = solved(capped)
    for x, y in zip(before.systems, after.systems, strict=True):
        assert y.price <= x.price + 1e-6 * max(1.0, x.price)


@FIXED
@given(markets(2, 4), st.sampled_from(["full", "one_way", "quota", "exchange_rate", "fee"]),
       st.floats(0.2, 2), st.floats(0, 20))
def test_every_system_balances_its_books(market: list[dict[str, Any]], kind: str,
                                         number: float, limit: float):
    link: dict[str, Any] = {"type": kind}
    if len(market) > 2:
        link = {"type": "full"}
    elif kind == "one_way":
        link.update({"from": "s0", "to": "s1"})
    elif kind == "quota":
        link.update({"into": "s1", "limit": limit})
    elif kind == "exchange_rate":
        link.update({"from": "s0", "to": "s1", "rate": number})
    elif kind == "fee":
        link.update({"per_tonne": number * 10})
    result = solved(market, link=link)
    tol = scale(market) * 100
    for row in result.systems:
        expected = (row.cap + row.extra_allowances + row.penalty_tonnes + row.offsets
                    - row.withheld - row.unused - row.net_sales)
        assert row.emissions == pytest.approx(expected, abs=tol)
    assert abs(sum(s.transfer for s in result.systems)) <= tol * 1000
    assert result.total_gain == pytest.approx(sum(s.gain for s in result.systems))


@FIXED
@given(markets(2, 2))
def test_restricted_links_that_restrict_nothing_are_full_links(market: list[dict[str, Any]]):
    full = solved(market)
    for link in ({"type": "fee", "per_tonne": 0}, {"type": "quota", "into": "s0", "limit": 1e4}):
        other = solved(market, link=link)
        for x, y in zip(full.systems, other.systems, strict=True):
            assert y.price == pytest.approx(x.price, rel=1e-6, abs=1e-6)
            assert y.gain == pytest.approx(x.gain, rel=1e-5, abs=1e-5)
    one_way = solved(market, link={"type": "one_way", "from": "s0", "to": "s1"})
    at_par = solved(market, link={"type": "exchange_rate", "from": "s0", "to": "s1", "rate": 1})
    for x, y in zip(one_way.systems, at_par.systems, strict=True):
        assert y.price == pytest.approx(x.price, rel=1e-6, abs=1e-6)


@FIXED
@given(markets(2, 5, features=False))
def test_without_features_the_linked_price_lies_between_the_autarky_prices(
        market: list[dict[str, Any]]):
    result = solved(market)
    price = result.systems[0].price
    autarky = [s.autarky_price for s in result.systems]
    assert min(autarky) - 1e-6 <= price <= max(autarky) + 1e-6
    assert result.combined_emissions == pytest.approx(
        result.combined_cap - sum(s.unused for s in result.systems), abs=scale(market) * 100)


@FIXED
@given(markets(2, 3), st.sampled_from(["one_way", "quota", "exchange_rate", "fee"]),
       st.floats(0.3, 1.5), st.floats(0, 10))
def test_restricted_flows_follow_the_price_gap(market: list[dict[str, Any]], kind: str,
                                               number: float, amount: float):
    link: dict[str, Any] = {"type": kind}
    if kind == "one_way":
        link.update({"from": "s0", "to": "s1"})
    elif kind == "quota":
        link.update({"into": "s1", "limit": amount})
    elif kind == "exchange_rate":
        link.update({"from": "s0", "to": "s1", "rate": number})
    else:
        link.update({"per_tonne": amount})
    if len(market) > 2:
        # s2 is fully linked to both: the restriction is routed around through it
        restrictions = [{**link, "between": ["s0", "s1"]}]
        if kind == "exchange_rate" and number > 1:
            with pytest.raises(LinkwrightError, match="from nothing"):
                solved(market, restrictions=restrictions)
            return
        result = solved(market, restrictions=restrictions)
        prices = [s.price for s in result.systems]
        assert max(prices) - min(prices) <= 1e-6 * max(1.0, *prices)
        return
    result = solved(market, link=link)
    tol = 1e-6 * max(1.0, *(s.price for s in result.systems))
    for flow in result.flows:
        source, target = result.system(flow.source), result.system(flow.target)
        rate = flow.covered / flow.units if flow.units > 1e-9 else (number if kind ==
                                                                    "exchange_rate" else 1.0)
        fee = amount if kind == "fee" else 0.0
        value = rate * target.price - source.price - fee  # what one more unit would earn
        if flow.units > 1e-7 and (flow.limit is None or flow.units < flow.limit - 1e-7):
            assert abs(value) <= tol, (flow, value)
        if flow.units <= 1e-7:
            assert value <= tol, (flow, value)
        if flow.limit is not None and flow.units >= flow.limit - 1e-7 and flow.units > 1e-7:
            assert value >= -tol, (flow, value)
