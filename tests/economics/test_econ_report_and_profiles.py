"""The result as JSON and as a table, and scenarios built from system profiles."""

from __future__ import annotations

import json

import pytest

from negotiation.economics import (
    Scenario,
    scenario_from_profiles,
    solve,
    to_json,
    to_text,
)
from negotiation.errors import LinkwrightError

TWO = Scenario.model_validate({
    "title": "Two systems",
    "currency": "EUR",
    "systems": [
        {"id": "a", "bau": 20, "cap": 9, "mac": {"intercept": 0, "slope": 200}},
        {"id": "b", "bau": 20, "cap": 10, "mac": {"intercept": 0, "slope": 100},
         "price_ceiling": 1200},
    ],
})


def test_json_has_exactly_the_agreed_keys_and_is_serialisable():
    data = to_json(solve(TWO))
    assert list(data) == ["systems", "total_gain", "combined_emissions", "combined_cap", "notes"]
    assert [list(s) for s in data["systems"]] == [
        ["id", "autarky_price", "price", "abatement", "net_sales", "transfer", "gain"]] * 2
    assert data["systems"][0]["price"] == 1200
    assert data["combined_emissions"] == 22 and data["combined_cap"] == 19
    assert json.loads(json.dumps(data)) == data


def test_the_table_is_aligned_states_its_units_and_ends_with_the_notes():
    text = to_text(solve(TWO), "Mt")
    lines = text.splitlines()
    header = next(line for line in lines if line.startswith("System"))
    row_a = next(line for line in lines if line.startswith("a "))
    row_b = next(line for line in lines if line.startswith("b "))
    assert len(row_a) == len(row_b) == len(header)
    assert "EUR per tonne" in text and "EUR million" in text and "Mt" in text
    assert row_a.split() == ["a", "2,200", "1,200", "6", "-5", "-6,000", "2,500"]
    assert text.index("Notes") > text.index(row_b)
    assert "b's price ceiling (1,200) sets the linked price; 3 extra allowances issued." in (
        " ".join(text.split()))


def profile_entries(ch_economics: dict[str, object]) -> list[tuple]:
    eu = {"bau": 1600, "cap": 1400, "mac": {"intercept": 0, "slope": 0.5}, "price_ceiling": 200}
    return [("eu", "EU ETS", "EUR", eu, None), ("ch", "Swiss ETS", "CHF", ch_economics, 4.9)]


def test_profiles_are_converted_into_the_reporting_currency():
    ch = {"bau": 6, "illustrative": True, "basis": "ICAP 2024", "year": 2024,
          "mac": {"points": [[0, 0], [1, 100], [2, 300]]}, "price_floor": 10,
          "reserve": {"volume": 1, "trigger": 250}, "penalty": {"per_tonne": 125,
                                                               "make_good": True},
          "offsets": {"limit": 0.1, "supply": {"intercept": 20, "slope": 40}}}
    scenario = scenario_from_profiles(profile_entries(ch), "EUR", {"EUR": 1.0, "CHF": 0.9})
    eu, swiss = scenario.systems
    assert eu.price_ceiling == 200  # already in EUR
    assert swiss.cap == 4.9  # from the profile's cap_mt
    assert swiss.name == "Swiss ETS"
    assert swiss.mac.points == [(0, 0), (1, pytest.approx(90)), (2, pytest.approx(270))]
    assert swiss.price_floor == pytest.approx(9)
    assert swiss.reserve is not None and swiss.reserve.trigger == pytest.approx(225)
    assert swiss.reserve.volume == 1  # tonnes are not converted
    assert swiss.penalty is not None and swiss.penalty.per_tonne == pytest.approx(112.5)
    assert swiss.offsets is not None and swiss.offsets.supply.slope == pytest.approx(36)
    assert scenario.currency == "EUR"
    result = solve(scenario)
    assert any("illustrative" in note and "ICAP 2024" in note for note in result.notes)


def test_a_missing_exchange_rate_names_the_currency():
    ch = {"bau": 6, "mac": {"intercept": 0, "slope": 100}}
    with pytest.raises(LinkwrightError, match="no exchange rate for CHF"):
        scenario_from_profiles(profile_entries(ch), "EUR", {"EUR": 1.0})


def test_a_mistake_in_a_profiles_economics_names_the_system():
    ch = {"bau": 6, "mac": {"intercept": 0, "slope": -100}}
    with pytest.raises(LinkwrightError) as caught:
        scenario_from_profiles(profile_entries(ch), "EUR", {"CHF": 0.9})
    assert str(caught.value).startswith("economics of Swiss ETS (ch): mac.slope:")


def test_a_profile_without_any_cap_is_an_error():
    entries = [("eu", "EU ETS", "EUR", {"bau": 10, "mac": {"intercept": 0, "slope": 1}}, None)]
    with pytest.raises(LinkwrightError, match="no cap"):
        scenario_from_profiles(entries, "EUR", {})


def test_an_economics_block_cap_wins_over_the_profiles_cap_mt():
    entries = [("eu", "EU ETS", "EUR",
                {"bau": 10, "cap": 8, "mac": {"intercept": 0, "slope": 1}}, 9.0)]
    assert scenario_from_profiles(entries, "EUR", {}).systems[0].cap == 8


def test_profiles_accept_a_restricted_link():
    ch = {"bau": 6, "mac": {"intercept": 0, "slope": 300}}  # alone 330, against eu's 100
    scenario = scenario_from_profiles(
        profile_entries(ch), "EUR", {"CHF": 1.0},
        link={"type": "quota", "into": "ch", "limit": 0.5})  # type: ignore[arg-type]
    result = solve(scenario)
    assert result.system("ch").net_sales == pytest.approx(-0.5)


@pytest.mark.parametrize("value, shown", [
    (2.97e-05, "0.0000297"), (-0.00564, "-0.00564"), (0.5, "0.5"), (64.94, "64.94"),
    (1394.2, "1,394"), (0.0, "0"),
])
def test_figures_are_written_out_never_in_scientific_notation(value: float, shown: str) -> None:
    from negotiation.economics.result import fmt

    assert fmt(value) == shown
