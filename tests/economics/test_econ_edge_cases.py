"""Inputs at the edges: slack caps, flat and steep curves, one system, twins, three zones."""

from __future__ import annotations

import pytest

from negotiation.economics import solve
from tests.economics.support import close, scenario, system


def test_a_slack_cap_alone_has_a_price_of_zero_and_leaves_allowances_unused():
    result = solve(scenario(system("a", 20, 25, 10)))
    a = result.system("a")
    assert a.autarky_price == 0
    assert a.price == 0
    assert close(a.unused, 5)
    assert close(result.combined_emissions, 20)
    assert any("unused" in note for note in result.notes)


def test_a_slack_cap_with_a_floor_is_priced_at_the_floor():
    result = solve(scenario(system("a", 20, 25, 10, price_floor=30)))
    a = result.system("a")
    assert close(a.autarky_price, 30)
    assert close(a.abatement, 3)
    assert close(a.withheld, 8)  # 5 surplus + 3 abated


def test_a_slack_system_sells_its_surplus_to_a_short_one():
    result = solve(scenario(system("a", 20, 25, 10), system("b", 20, 10, 10)))
    # joint need 5 at slopes 10 and 10: p = 5 / (1/10 + 1/10) = 25
    assert close(result.system("a").price, 25)
    assert close(result.system("a").net_sales, 7.5)
    assert close(result.system("a").gain, (0 - 25) ** 2 / 20 + 5 * 25)


def test_two_slack_systems_trade_nothing_at_a_price_of_zero():
    result = solve(scenario(system("a", 20, 25, 10), system("b", 20, 30, 5)))
    for row in result.systems:
        assert row.price == 0
        assert close(row.gain, 0)
    assert close(result.combined_emissions, 40)


def test_a_flat_curve_with_max_abatement_prices_at_its_level_until_it_runs_out():
    flat = {"id": "a", "bau": 20, "cap": 12, "mac": {"intercept": 50, "slope": 0,
                                                    "max_abatement": 10}}
    result = solve(scenario(flat))
    assert close(result.system("a").price, 50)
    assert close(result.system("a").abatement, 8)
    near = solve(scenario(flat, system("b", 20, 14, 10)))
    # b alone 60: the flat curve caps the linked price at 50 while it has room
    assert close(near.system("b").price, 50)
    assert close(near.system("b").abatement, 5)
    assert close(near.system("a").abatement, 9)


def test_a_flat_curve_that_runs_out_hands_the_price_to_the_partner():
    flat = {"id": "a", "bau": 20, "cap": 12, "mac": {"intercept": 50, "slope": 0,
                                                    "max_abatement": 10}}
    result = solve(scenario(flat, system("b", 20, 10, 10)))
    # a can give at most 2 beyond its need of 8; b needs 10: b abates 8 at 80
    assert close(result.system("a").abatement, 10)
    assert close(result.system("b").price, 80)
    assert close(result.system("a").price, 80)


def test_a_very_steep_curve_barely_abates_and_buys_from_its_partner():
    steep = system("a", 20, 10, 1e9)
    result = solve(scenario(steep, system("b", 20, 10, 10)))
    expected = 20 / (1 / 1e9 + 1 / 10)
    assert result.system("a").price == pytest.approx(expected, rel=1e-9)
    assert result.system("a").autarky_price == pytest.approx(1e10, rel=1e-12)
    assert result.system("a").abatement == pytest.approx(0, abs=1e-6)
    assert result.system("b").abatement == pytest.approx(20, abs=1e-6)


def test_a_vertical_piece_in_the_points_is_a_price_jump():
    points = {"id": "a", "bau": 20, "cap": 15,
              "mac": {"points": [[0, 0], [5, 50], [5, 120], [10, 170]]}}
    alone = solve(scenario(points))
    assert close(alone.system("a").price, 50)
    assert close(alone.system("a").abatement, 5)
    short = solve(scenario({**points, "cap": 13}))
    assert close(short.system("a").price, 120 + 50 * 2 / 5)
    # a partner at 80 trades across the jump: a sells nothing above 5
    linked = solve(scenario(points, system("b", 20, 12, 10)))
    assert close(linked.system("b").price, 80)
    assert close(linked.system("a").abatement, 5)


def test_points_beyond_the_last_are_extended_to_bau_along_the_last_segment():
    points = {"id": "a", "bau": 20, "cap": 5, "mac": {"points": [[0, 0], [10, 100]]}}
    result = solve(scenario(points))
    assert close(result.system("a").price, 150)


def test_one_system_alone_is_its_autarky():
    result = solve(scenario(system("a", 20, 9, 200)))
    a = result.system("a")
    assert close(a.price, 2200)
    assert close(a.autarky_price, 2200)
    assert a.net_sales == 0 and a.transfer == 0 and a.gain == 0


def test_identical_systems_do_not_trade_and_gain_nothing():
    twins = [system(sid, 20, 10, 50) for sid in ("a", "b", "c")]
    for link in ({"type": "full"},):
        result = solve(scenario(*twins, link=link))
        for row in result.systems:
            assert close(row.price, 500)
            assert close(row.net_sales, 0)
            assert close(row.gain, 0)
    pair = solve(scenario(*twins[:2], link={"type": "fee", "per_tonne": 0}))
    assert close(pair.system("a").price, 500)


def test_a_zero_cap_and_zero_bau_are_allowed():
    result = solve(scenario(system("a", 0, 0, 10), system("b", 20, 0, 10)))
    assert close(result.system("a").autarky_price, 0)
    assert close(result.system("b").price, 200)
    assert close(result.system("a").abatement, 0)
    assert close(result.combined_emissions, 0)


def test_three_systems_restricted_pairwise_by_zero_fees_are_one_market():
    systems = [system("a", 20, 9, 200), system("b", 20, 10, 100), system("c", 30, 20, 50)]
    full = solve(scenario(*systems))
    fees = solve(scenario(*systems, restrictions=[
        {"type": "fee", "between": ["a", "b"], "per_tonne": 0},
        {"type": "fee", "between": ["a", "c"], "per_tonne": 0},
        {"type": "fee", "between": ["b", "c"], "per_tonne": 0},
    ]))
    for x, y in zip(full.systems, fees.systems, strict=True):
        assert x.price == pytest.approx(y.price, rel=1e-6)
        assert x.net_sales == pytest.approx(y.net_sales, abs=1e-6)
        assert x.gain == pytest.approx(y.gain, rel=1e-6, abs=1e-6)


def test_three_price_zones_with_quotas_clear_every_zone():
    systems = [system("a", 20, 9, 200), system("b", 20, 10, 100), system("c", 30, 20, 50)]
    result = solve(scenario(*systems, restrictions=[
        {"type": "quota", "from": "c", "into": "a", "limit": 1},
        {"type": "quota", "from": "b", "into": "a", "limit": 1},
        {"type": "quota", "from": "c", "into": "b", "limit": 0.5},
    ]))
    a, b, c = (result.system(s) for s in "abc")
    assert close(a.net_sales, -2)
    assert close(a.price, 200 * 9)
    assert close(b.net_sales, 1 - 0.5)
    assert close(b.price, 100 * 10.5)
    assert close(c.net_sales, 1.5)
    assert close(c.price, 50 * 11.5)
    assert abs(sum(r.transfer for r in result.systems)) < 1e-6


def test_a_restriction_between_two_systems_both_fully_linked_to_a_third_does_not_bind():
    systems = [system("a", 20, 9, 200), system("b", 20, 10, 100), system("c", 30, 20, 50)]
    full = solve(scenario(*systems))
    restricted = solve(scenario(*systems, restrictions=[
        {"type": "quota", "from": "b", "into": "a", "limit": 0}]))
    for x, y in zip(full.systems, restricted.systems, strict=True):
        assert close(x.price, y.price)
    assert any("does not bind" in note and "through c" in note for note in restricted.notes)


def test_a_newcomer_under_quotas_with_each_member_faces_its_own_price():
    systems = [system("a", 20, 9, 200), system("b", 20, 10, 100), system("n", 30, 20, 10)]
    result = solve(scenario(*systems, restrictions=[
        {"type": "quota", "from": "n", "into": "a", "limit": 1},
        {"type": "quota", "from": "n", "into": "b", "limit": 1},
    ]))
    n = result.system("n")
    assert close(n.price, 10 * (10 + 2))
    assert close(n.net_sales, 2)
    assert close(result.system("a").price, result.system("b").price)
    # a and b clear 21 − 2 between them
    assert close(result.system("a").price, 19 / (1 / 200 + 1 / 100))
