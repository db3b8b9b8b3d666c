"""The solver against the textbook closed forms (LINKING.md section 8).

Each test derives the answer for linear curves by hand and checks the one
general solver reaches it; none of these formulas is on the solver's path.
"""

from __future__ import annotations

import pytest

from negotiation.economics import solve
from tests.economics.support import close, scenario, system

# The issue's example: a needs 11 at slope 200, b needs 10 at slope 100.
A = system("a", 20, 9, 200)
B = system("b", 20, 10, 100)
P_A, P_B = 200 * 11, 100 * 10  # autarky prices 2,200 and 1,000


def test_linked_price_is_the_autarky_prices_averaged_with_weights_one_over_slope():
    result = solve(scenario(A, B))
    expected = (P_A / 200 + P_B / 100) / (1 / 200 + 1 / 100)
    assert close(result.system("a").price, expected)
    assert close(result.system("b").price, expected)
    assert close(result.system("a").autarky_price, P_A)
    assert close(result.system("b").autarky_price, P_B)


def test_intercepts_shift_the_linked_price_as_the_formula_says():
    systems = [system("a", 30, 10, 4, intercept=6), system("b", 25, 20, 2, intercept=10),
               system("c", 40, 28, 5, intercept=1)]
    result = solve(scenario(*systems))
    needs = [20, 5, 12]
    slopes = [4, 2, 5]
    intercepts = [6, 10, 1]
    expected = (sum(needs) + sum(c / b for c, b in zip(intercepts, slopes, strict=True))) / sum(
        1 / b for b in slopes)
    for row in result.systems:
        assert close(row.price, expected)


def test_gains_are_the_squared_price_gap_over_twice_the_slope():
    result = solve(scenario(A, B))
    p = result.system("a").price
    assert close(result.system("a").gain, (P_A - p) ** 2 / (2 * 200))
    assert close(result.system("b").gain, (P_B - p) ** 2 / (2 * 100))
    assert close(result.total_gain, (P_A - P_B) ** 2 / (2 * (200 + 100)))


def test_net_sales_are_abatement_beyond_the_cap_and_transfers_are_paid_at_the_linked_price():
    result = solve(scenario(A, B))
    p = result.system("a").price
    for row, need in ((result.system("a"), 11), (result.system("b"), 10)):
        assert close(row.abatement, p / (200 if row.id == "a" else 100))
        assert close(row.net_sales, row.abatement - need)
        assert close(row.transfer, p * row.net_sales)
    assert close(result.system("a").net_sales + result.system("b").net_sales, 0)
    assert close(result.combined_emissions, result.combined_cap)


def test_a_binding_import_quota_splits_the_prices_and_leaves_the_rent_with_the_importer():
    limit = 2
    result = solve(scenario(A, B, link={"type": "quota", "into": "a", "limit": limit}))
    a, b = result.system("a"), result.system("b")
    p1, p2 = 200 * (11 - limit), 100 * (10 + limit)
    assert close(a.price, p1)
    assert close(b.price, p2)
    rent = (p1 - p2) * limit
    assert close(a.transfer, -p2 * limit)  # a's buyers pay b's price
    assert close(b.transfer, p2 * limit)
    cost_a = lambda x: 200 * x * x / 2  # noqa: E731
    cost_b = lambda x: 100 * x * x / 2  # noqa: E731
    assert close(a.gain, cost_a(11) - cost_a(11 - limit) - p1 * limit + rent)
    assert close(b.gain, cost_b(10) - cost_b(10 + limit) + p2 * limit)
    assert any("quota rent" in note and "goes to a" in note for note in result.notes)
    assert close(result.total_gain, cost_a(11) - cost_a(9) + cost_b(10) - cost_b(12))


def test_an_export_quota_leaves_the_rent_with_the_exporter():
    result = solve(scenario(A, B, link={"type": "quota", "from": "b", "limit": 2}))
    a, b = result.system("a"), result.system("b")
    assert close(a.price, 1800)
    assert close(b.price, 1200)
    assert close(b.transfer, 1800 * 2)  # b's sellers receive a's price
    assert any("goes to b" in note for note in result.notes)


def test_a_quota_that_does_not_bind_is_a_full_link():
    full = solve(scenario(A, B))
    quota = solve(scenario(A, B, link={"type": "quota", "into": "a", "limit": 50}))
    for x, y in zip(full.systems, quota.systems, strict=True):
        assert close(x.price, y.price)
        assert close(x.gain, y.gain)
    assert any("does not bind" in note for note in quota.notes)


@pytest.mark.parametrize("rate", [0.5, 0.8, 1.0, 1.5])
def test_an_exchange_rate_sets_the_exporters_price_to_rate_times_the_importers(rate: float):
    result = solve(scenario(A, B, link={"type": "exchange_rate", "from": "b", "to": "a",
                                        "rate": rate}))
    a, b = result.system("a"), result.system("b")
    # a imports x units of b covering rate·x: 200(11 − rate·x)·rate = 100(10 + x)
    x = (rate * 200 * 11 - 100 * 10) / (100 + rate * rate * 200)
    assert close(b.price, rate * a.price)
    assert close(b.net_sales, x)
    assert close(a.net_sales, -rate * x)
    assert close(a.transfer, -b.price * x)
    assert close(result.combined_cap - result.combined_emissions, (1 - rate) * x)


def test_an_exchange_rate_too_low_to_pay_means_no_trade():
    result = solve(scenario(A, B, link={"type": "exchange_rate", "from": "b", "to": "a",
                                        "rate": 0.4}))
    assert close(result.system("a").price, P_A)
    assert close(result.system("b").price, P_B)
    assert close(result.total_gain, 0)


def test_a_one_way_link_into_the_dearer_system_is_a_full_link():
    full = solve(scenario(A, B))
    one_way = solve(scenario(A, B, link={"type": "one_way", "from": "b", "to": "a"}))
    for x, y in zip(full.systems, one_way.systems, strict=True):
        assert close(x.price, y.price)
        assert close(x.net_sales, y.net_sales)
        assert close(x.gain, y.gain)


def test_a_one_way_link_into_the_cheaper_system_carries_nothing():
    result = solve(scenario(A, B, link={"type": "one_way", "from": "a", "to": "b"}))
    assert close(result.system("a").price, P_A)
    assert close(result.system("b").price, P_B)
    assert close(result.system("a").net_sales, 0)
    assert close(result.total_gain, 0)
    assert any("none flow" in note for note in result.notes)


def test_a_fee_keeps_the_prices_apart_by_the_fee_and_its_revenue_stays_with_the_importer():
    fee = 300.0
    result = solve(scenario(A, B, link={"type": "fee", "per_tonne": fee}))
    a, b = result.system("a"), result.system("b")
    x = (P_A - P_B - fee) / (200 + 100)
    assert close(a.price - b.price, fee)
    assert close(b.net_sales, x)
    assert close(a.transfer, -b.price * x)  # transfers count b's price; a keeps the fee
    cost_a = lambda q: 200 * q * q / 2  # noqa: E731
    cost_b = lambda q: 100 * q * q / 2  # noqa: E731
    assert close(a.gain, cost_a(11) - cost_a(11 - x) - (b.price + fee) * x + fee * x)
    assert close(result.total_gain, cost_a(11) - cost_a(11 - x) + cost_b(10) - cost_b(10 + x))
    assert any("fee revenue" in note and "collected by a" in note for note in result.notes)


def test_a_fee_larger_than_the_price_gap_stops_trade():
    result = solve(scenario(A, B, link={"type": "fee", "per_tonne": 1500}))
    assert close(result.system("a").price, P_A)
    assert close(result.system("b").price, P_B)


def test_a_ceiling_below_the_linked_price_sets_it_and_issues_the_shortfall():
    ceiling = 1200.0
    result = solve(scenario(A, {**B, "price_ceiling": ceiling}))
    assert close(result.system("a").price, ceiling)
    assert close(result.system("b").price, ceiling)
    extra = (11 + 10) - (ceiling / 200 + ceiling / 100)
    assert close(result.system("b").extra_allowances, extra)
    assert close(result.combined_emissions - result.combined_cap, extra)
    assert any("b's price ceiling (1,200) sets the linked price; 3 extra allowances issued"
               in note for note in result.notes)


def test_a_ceiling_above_the_linked_price_changes_nothing():
    plain = solve(scenario(A, B))
    capped = solve(scenario(A, {**B, "price_ceiling": 2000}))
    assert close(capped.system("a").price, plain.system("a").price)
    assert close(capped.system("b").extra_allowances, 0)


def test_a_hard_floor_above_the_linked_price_sets_it_and_withholds_the_surplus():
    floor = 1800.0
    result = solve(scenario(A, {**B, "price_floor": floor}))
    assert close(result.system("a").price, floor)
    withheld = (floor / 200 + floor / 100) - (11 + 10)
    assert close(result.system("b").withheld, withheld)
    assert close(result.combined_cap - result.combined_emissions, withheld)


def test_an_auction_floor_holds_only_up_to_the_auction_volume():
    floor = 1800.0  # needs 6 withheld to hold
    holds = solve(scenario(A, {**B, "price_floor": floor, "floor_kind": "auction",
                               "auction_volume": 8}))
    assert close(holds.system("a").price, floor)
    assert close(holds.system("b").withheld, 6)
    leaks = solve(scenario(A, {**B, "price_floor": floor, "floor_kind": "auction",
                               "auction_volume": 3}))
    # all 3 withheld: p solves p/200 + p/100 = 21 + 3
    assert close(leaks.system("a").price, 24 / (1 / 200 + 1 / 100))
    assert close(leaks.system("b").withheld, 3)
    assert any("holds only up to the auction volume" in note for note in leaks.notes)


def test_a_buy_out_penalty_acts_exactly_like_a_ceiling():
    ceiling = solve(scenario(A, {**B, "price_ceiling": 1200}))
    buyout = solve(scenario(A, {**B, "penalty": {"per_tonne": 1200, "make_good": False}}))
    for x, y in zip(ceiling.systems, buyout.systems, strict=True):
        assert close(x.price, y.price)
        assert close(x.abatement, y.abatement)
        assert close(x.gain, y.gain)
        assert close(x.extra_allowances, y.penalty_tonnes)
    assert close(ceiling.combined_emissions, buyout.combined_emissions)


def test_a_penalty_with_make_good_does_not_cap_the_price():
    plain = solve(scenario(A, B))
    make_good = solve(scenario(A, {**B, "penalty": {"per_tonne": 1200, "make_good": True}}))
    assert close(make_good.system("a").price, plain.system("a").price)
    assert any("make-good, so it does not cap" in note for note in make_good.notes)


def test_a_finite_reserve_holds_the_price_at_its_trigger_until_it_runs_out():
    partial = solve(scenario(A, {**B, "reserve": {"volume": 5, "trigger": 1200}}))
    assert close(partial.system("a").price, 1200)
    assert close(partial.system("b").extra_allowances, 3)
    exhausted = solve(scenario(A, {**B, "reserve": {"volume": 2, "trigger": 1200}}))
    # p/200 + p/100 = 21 − 2
    assert close(exhausted.system("a").price, 19 / (1 / 200 + 1 / 100))
    assert any("exhausted" in note for note in exhausted.notes)


def test_offsets_enter_along_their_supply_curve_up_to_their_limit():
    # a alone: p = 200(11 − o) and p = 100 + 100·o  =>  o = 7; a limit of 3 binds
    free = solve(scenario({**A, "offsets": {"limit": 10, "supply": {"intercept": 100,
                                                                     "slope": 100}}}))
    assert close(free.system("a").offsets, 7)
    assert close(free.system("a").price, 800)
    limited = solve(scenario({**A, "offsets": {"limit": 3, "supply": {"intercept": 100,
                                                                       "slope": 100}}}))
    assert close(limited.system("a").offsets, 3)
    assert close(limited.system("a").price, 200 * 8)
