"""Built-in system profiles give each year's figures, each with a source to check."""

from __future__ import annotations

from typing import Any

import pytest

from negotiation.profiles import (
    ResolvedSystem,
    SystemProfile,
    builtin_profiles,
    flatten,
    parameter_names,
    resolve,
)

IDS = {"eu-ets", "ch-ets", "uk-ets", "california", "quebec", "ontario", "rggi", "nz-ets",
       "k-ets", "china-ets", "australia-cpm"}

FIGURES = ("cap_mt", "annual_reduction_pct", "offsets.limit_pct", "price_floor",
           "price_ceiling", "auctions.reserve_price", "penalty.per_tonne")
"""Figures a check reads as numbers: each one shown must say where it comes from."""

YEARS: tuple[int | None, ...] = (*range(2005, 2027), None)

CURRENCIES = {"eu-ets": "EUR", "ch-ets": "CHF", "uk-ets": "GBP", "california": "USD",
              "quebec": "USD", "ontario": "CAD", "rggi": "USD", "nz-ets": "NZD",
              "k-ets": "KRW", "china-ets": "CNY", "australia-cpm": "AUD"}


def profile(system_id: str) -> SystemProfile:
    return builtin_profiles()[system_id]


def at(system_id: str, year: int | None) -> ResolvedSystem:
    return resolve(profile(system_id), year)


def value(system_id: str, year: int | None, name: str) -> Any:
    return at(system_id, year).parameters.get(name)


def source_verified(system_id: str, year: int | None, name: str) -> bool:
    return at(system_id, year).sources[name].verified


# --- loading and shape ----------------------------------------------------------------

def test_all_eleven_systems_load_under_their_ids() -> None:
    assert set(builtin_profiles()) == IDS


@pytest.mark.parametrize("system_id", sorted(IDS))
def test_profile_resolves_for_every_year(system_id: str) -> None:
    for year in YEARS:
        resolved = at(system_id, year)
        assert resolved.parameters.currency == CURRENCIES[system_id]
        assert resolved.parameters.level in {"national", "supranational", "subnational"}


@pytest.mark.parametrize("system_id", sorted(IDS))
def test_party_names_read_as_in_a_treaty(system_id: str) -> None:
    p = profile(system_id)
    assert p.party.name and p.party.short and p.summary and p.short_name


# --- sources ------------------------------------------------------------------------

@pytest.mark.parametrize("system_id", sorted(IDS))
def test_every_figure_shown_has_a_source(system_id: str) -> None:
    for year in YEARS:
        resolved = at(system_id, year)
        for name in FIGURES:
            if resolved.parameters.get(name) is not None:
                assert name in resolved.sources, f"{system_id} {year}: {name} has no source"
                assert resolved.sources[name].note.strip()


@pytest.mark.parametrize("system_id", sorted(IDS))
def test_every_non_obvious_value_has_a_source(system_id: str) -> None:
    obvious = {"currency"}
    for year in (None, *sorted(profile(system_id).timeline)):
        resolved = at(system_id, year)
        for name in parameter_names():
            if name in obvious or resolved.parameters.get(name) is None:
                continue
            assert name in resolved.sources, f"{system_id} {year}: {name} has no source"


@pytest.mark.parametrize("system_id", sorted(IDS))
def test_a_figure_that_changes_brings_its_own_source(system_id: str) -> None:
    """Otherwise the new figure would show the old figure's note and date."""
    for year, entry in profile(system_id).timeline.items():
        for name in flatten(entry.parameters):
            assert name in entry.sources, f"{system_id} {year}: {name} changes without a source"


@pytest.mark.parametrize("system_id", sorted(IDS))
def test_unverified_and_descriptive_notes_are_marked_unverified(system_id: str) -> None:
    p = profile(system_id)
    notes = [(n, s) for n, s in p.sources.items()]
    notes += [(n, s) for e in p.timeline.values() for n, s in e.sources.items()]
    for name, source in notes:
        if "[U]" in source.note or source.note.startswith("Description"):
            assert source.verified is False, f"{system_id}: {name} says '{source.note}'"


@pytest.mark.parametrize(("system_id", "year", "name"), [
    ("eu-ets", 2024, "cap_mt"),                   # about 1.39 bn, not retrieved
    ("eu-ets", 2024, "borrowing"),
    ("eu-ets", 2024, "coverage.threshold"),
    ("ch-ets", 2018, "annual_reduction_pct"),     # 1.74 % assumed to mirror the EU
    ("ch-ets", 2024, "penalty.per_tonne"),        # Art. 21 amount not retrieved
    ("ch-ets", 2024, "banking"),
    ("uk-ets", 2025, "auctions.reserve_price"),   # GBP 22
    ("uk-ets", 2025, "penalty.per_tonne"),        # GBP 100 uprated by CPI
    ("uk-ets", 2025, "offsets.limit_pct"),
    ("california", 2024, "price_ceiling"),        # exists since 2021, level unknown
    ("quebec", 2025, "auctions.reserve_price"),   # joint auction floor as Québec's minimum
    ("quebec", 2014, "cap_type"),
    ("rggi", 2021, "offsets.limit_pct"),          # 3.3 %
    ("rggi", 2021, "compliance_period_years"),
    ("nz-ets", 2024, "banking"),
    ("k-ets", 2024, "offsets.limit_pct"),         # 5 %
    ("k-ets", 2024, "borrowing"),
    ("china-ets", 2024, "offsets.limit_pct"),     # 5 %
    ("china-ets", 2024, "penalty.per_tonne"),
    ("ontario", 2018, "registry"),                # CITSS
    ("australia-cpm", 2012, "price_ceiling"),     # fixed price AUD 23
    ("australia-cpm", 2012, "oversight_authority"),
])
def test_unconfirmed_figures_are_marked_unverified(system_id: str, year: int, name: str) -> None:
    assert source_verified(system_id, year, name) is False


@pytest.mark.parametrize(("system_id", "year", "name"), [
    ("eu-ets", 2021, "cap_mt"),
    ("eu-ets", 2020, "annual_reduction_pct"),
    ("eu-ets", 2024, "annual_reduction_pct"),
    ("ch-ets", 2024, "cap_mt"),
    ("california", 2014, "offsets.limit_pct"),
    ("california", 2018, "auctions.reserve_price"),
    ("quebec", 2018, "auctions.reserve_price"),
    ("ontario", 2018, "cap_mt"),
])
def test_confirmed_figures_are_marked_verified(system_id: str, year: int, name: str) -> None:
    assert source_verified(system_id, year, name) is True


# --- figures by year ----------------------------------------------------------------

def test_eu_reduction_factor_is_that_of_the_year() -> None:
    assert value("eu-ets", 2020, "annual_reduction_pct") == 1.74
    assert value("eu-ets", 2021, "annual_reduction_pct") == 2.2
    assert value("eu-ets", 2024, "annual_reduction_pct") == 4.3
    assert value("eu-ets", None, "annual_reduction_pct") == 4.3


def test_switzerland_applies_the_eu_factors_after_2023() -> None:
    assert value("ch-ets", 2021, "annual_reduction_pct") == 2.2
    assert value("ch-ets", 2024, "annual_reduction_pct") == 4.3
    assert value("ch-ets", 2025, "annual_reduction_pct") == 4.3


def test_eu_and_switzerland_are_linked_from_2020() -> None:
    assert value("eu-ets", 2019, "links") == []
    assert value("ch-ets", 2019, "links") == []
    assert value("eu-ets", 2020, "links") == ["ch-ets"]
    assert value("ch-ets", 2020, "links") == ["eu-ets"]


def test_swiss_aviation_is_outside_coverage_before_the_link() -> None:
    assert "aviation" not in value("ch-ets", 2017, "coverage.sectors")
    assert "aviation" in value("eu-ets", 2017, "coverage.sectors")


def test_switzerland_has_make_good_but_no_known_penalty_amount() -> None:
    assert value("ch-ets", 2020, "penalty.make_good") is True
    assert value("ch-ets", 2020, "penalty.per_tonne") is None


def test_eu_has_a_market_stability_reserve_and_switzerland_not() -> None:
    assert value("eu-ets", 2020, "market_stability_reserve") is True
    assert value("eu-ets", 2018, "market_stability_reserve") is False
    assert value("ch-ets", 2020, "market_stability_reserve") is False


def test_california_offset_limit_follows_the_compliance_periods() -> None:
    assert value("california", 2014, "offsets.limit_pct") == 8
    assert value("california", 2020, "offsets.limit_pct") == 8
    assert value("california", 2022, "offsets.limit_pct") == 4
    assert value("california", 2026, "offsets.limit_pct") == 6
    assert value("california", None, "offsets.limit_pct") == 6


def test_quebec_kept_eight_per_cent() -> None:
    assert value("quebec", 2014, "offsets.limit_pct") == 8
    assert value("quebec", None, "offsets.limit_pct") == 8


def test_california_and_quebec_in_2014_have_reserve_prices_and_a_containment_reserve() -> None:
    for system_id in ("california", "quebec"):
        assert value(system_id, 2014, "auctions.reserve_price") == 11.34
        assert value(system_id, 2014, "cost_containment_reserve") is True
        assert value(system_id, 2014, "registry") == value("california", 2014, "registry")
    assert value("california", 2014, "links") == ["quebec"]
    assert value("quebec", 2014, "links") == ["california"]


def test_2018_reserve_prices_and_ontario_in_the_market() -> None:
    assert value("california", 2018, "auctions.reserve_price") == 14.53
    assert value("quebec", 2018, "auctions.reserve_price") == 14.35
    assert sorted(value("california", 2018, "links")) == ["ontario", "quebec"]
    assert sorted(value("quebec", 2018, "links")) == ["california", "ontario"]
    assert sorted(value("ontario", 2018, "links")) == ["california", "quebec"]
    assert value("california", 2019, "links") == ["quebec"]


def test_california_ceiling_is_unknown_not_absent() -> None:
    """A ceiling exists since 2021; its level is unconfirmed, and the note says so."""
    resolved = at("california", 2022)
    assert resolved.parameters.price_ceiling is None
    note = resolved.sources["price_ceiling"].note
    assert "2021" in note and "exists" in note


def test_california_latest_reserve_price() -> None:
    assert value("california", 2025, "auctions.reserve_price") == 25.87
    assert value("california", None, "auctions.reserve_price") == 27.94


def test_ontario_is_historical_with_its_2018_cap() -> None:
    assert profile("ontario").historical is True
    assert value("ontario", 2018, "cap_mt") == 136
    assert value("ontario", 2017, "cap_mt") == 142
    assert value("ontario", 2018, "operational_since") == 2017
    assert value("ontario", 2018, "currency") == "CAD"


def test_australia_keeps_its_planned_floor_and_has_no_price_record() -> None:
    p = profile("australia-cpm")
    assert p.historical is True
    for year in (2012, 2013, 2014, 2015):
        assert value("australia-cpm", year, "price_floor") == 15
        assert value("australia-cpm", year, "price_history") is False
    assert "dropped" in at("australia-cpm", 2015).sources["price_floor"].note
    assert value("australia-cpm", 2015, "cap_type") == "absolute"
    assert value("australia-cpm", 2015, "offsets.limit_pct") == 50


def test_uk_has_an_auction_reserve_price_and_cost_containment() -> None:
    assert value("uk-ets", 2025, "operational_since") == 2021
    assert value("uk-ets", 2025, "auctions.reserve_price") is not None
    assert value("uk-ets", 2025, "cost_containment_reserve") is True
    assert value("uk-ets", 2025, "links") == []


def test_china_caps_intensity() -> None:
    assert value("china-ets", None, "cap_type") == "intensity"
    assert value("china-ets", 2024, "coverage.sectors") == ["power", "steel", "cement",
                                                            "aluminium"]
    assert value("china-ets", 2023, "compliance_period_years") == 1


def test_only_ontario_and_australia_are_historical() -> None:
    historical = {i for i, p in builtin_profiles().items() if p.historical}
    assert historical == {"ontario", "australia-cpm"}


def test_other_systems_have_absolute_caps_and_mandatory_participation() -> None:
    for system_id in IDS - {"china-ets", "australia-cpm"}:
        resolved = at(system_id, None)
        assert resolved.parameters.cap_type == "absolute", system_id
        assert resolved.parameters.participation == "mandatory", system_id


def _live(system_id: str, year: int | None) -> bool:
    """A historical profile describes nothing after its last dated figures."""
    p = profile(system_id)
    if not p.historical:
        return True
    last = max(p.timeline, default=p.parameters.get("operational_since"))
    return year is not None and year <= last


@pytest.mark.parametrize("year", YEARS)
def test_links_are_mutual_and_name_known_systems(year: int | None) -> None:
    for system_id in IDS:
        if not _live(system_id, year):
            continue
        for other in value(system_id, year, "links") or []:
            assert other in IDS, f"{system_id} links to unknown '{other}'"
            assert system_id in (value(other, year, "links") or []), \
                f"{system_id} -> {other} in {year} is not mutual"


# --- economics ----------------------------------------------------------------------

@pytest.mark.parametrize("system_id", sorted(IDS))
def test_economics_is_labelled_illustrative_with_its_basis(system_id: str) -> None:
    economics = profile(system_id).economics
    assert economics is not None
    assert economics["illustrative"] is True
    assert economics["basis"].startswith("Illustrative only")
    cap = economics.get("cap", value(system_id, economics["year"], "cap_mt"))
    assert cap is not None and economics["bau"] > cap
    mac = economics["mac"]
    autarky = mac["intercept"] + mac["slope"] * (economics["bau"] - cap)
    assert autarky > 0


@pytest.mark.parametrize(("system_id", "price"), [
    ("eu-ets", 65), ("ch-ets", 81.08), ("california", 28.32), ("quebec", 28.32),
    ("ontario", 18.5), ("china-ets", 95.96), ("rggi", 7.60), ("australia-cpm", 23),
])
def test_autarky_price_is_near_the_recent_price(system_id: str, price: float) -> None:
    economics = profile(system_id).economics
    assert economics is not None
    mac = economics["mac"]
    autarky = mac["intercept"] + mac["slope"] * (economics["bau"] - economics["cap"])
    assert abs(autarky - price) / price < 0.1, (system_id, autarky)
