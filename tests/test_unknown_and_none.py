"""A figure nobody knows is not a feature the system lacks.

`null` in a profile means "not known"; a system without a price floor, a
ceiling or an auction reserve price says `none`. The checks, the advice, the
economics and the brief must keep the two apart: a negotiator told that a
partner "has no ceiling" when nobody asked would agree a text on a guess.
Profiles also carry, as facts, whether emissions are verified by accredited
third parties and the languages each jurisdiction legislates in.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from negotiation import advice
from negotiation.checks import run_checks
from negotiation.cli import main
from negotiation.drafting.brief import build_brief
from negotiation.economics.session import economics_for
from negotiation.edits import apply_remedy
from negotiation.errors import LinkwrightError
from negotiation.findings import Finding
from negotiation.profiles import builtin_profiles, load_profile_text, resolve
from negotiation.session import Negotiation, assemble, preset_ids
from tests.conftest import negotiation, override

PROFILE = """\
id: test-ets
name: Test Emissions Trading System
short_name: Test ETS
party: {name: the Test Republic, short: Test}
parameters:
  currency: EUR
  price_floor: none
  price_ceiling: null
  auctions: {reserve_price: 12.5}
  verification: {third_party: false}
  languages: [fr-CH, mi]
"""


def decide(data: dict[str, Any], provision: str, clause: str | None) -> None:
    if clause is None:
        data["provisions"].pop(provision, None)
    else:
        data["provisions"][provision] = {"clause": clause}


def fired(neg: Negotiation, rule: str) -> list[Finding]:
    return [f for f in run_checks(neg) if f.rule == rule]


# -- the profile --------------------------------------------------------------------------


def test_a_profile_loads_none_and_null_as_different_values() -> None:
    params = resolve(load_profile_text(PROFILE, "systems/test.yaml"), None).parameters
    assert params.price_floor == "none"
    assert params.price_ceiling is None
    assert params.auctions.reserve_price == 12.5
    assert params.verification.third_party is False
    assert params.languages == ["fr-CH", "mi"]


@pytest.mark.parametrize(("written", "wrong", "said"), [
    ("price_floor: none", "price_floor: -5", "7:3: parameters.price_floor: -5 is no price"),
    ("price_floor: none", "price_floor: nothing", "7:3: parameters.price_floor: 'nothing' is no"),
    ("languages: [fr-CH, mi]", "languages: [French]", "'French' is no language code"),
])
def test_a_wrong_price_or_language_is_one_line_at_its_place(written: str, wrong: str,
                                                            said: str) -> None:
    with pytest.raises(LinkwrightError) as caught:
        load_profile_text(PROFILE.replace(written, wrong), "systems/test.yaml")
    message = str(caught.value)
    assert message.startswith("systems/test.yaml:")
    assert said in message and "\n" not in message


def test_built_in_profiles_say_none_where_the_system_has_none_and_null_where_unknown() -> None:
    profiles = builtin_profiles()
    # Switzerland has no floor and no ceiling; California's ceiling exists since 2021 at
    # a level nobody has confirmed.
    assert resolve(profiles["ch-ets"], 2020).parameters.price_ceiling == "none"
    assert resolve(profiles["california"], 2013).parameters.price_ceiling == "none"
    assert resolve(profiles["california"], 2022).parameters.price_ceiling is None
    # New Zealand had no auctions, so no reserve price, before 2021; then one of
    # unknown level until the 2023 figure.
    assert resolve(profiles["nz-ets"], 2015).parameters.auctions.reserve_price == "none"
    assert resolve(profiles["nz-ets"], 2022).parameters.auctions.reserve_price is None
    assert resolve(profiles["nz-ets"], 2024).parameters.auctions.reserve_price == 64


def test_swiss_verification_is_known_only_from_the_ordinance_read() -> None:
    """The CO2 Ordinance was read as amended to 2022: before that, not known."""
    ch = builtin_profiles()["ch-ets"]
    assert resolve(ch, 2020).parameters.verification.third_party is None
    assert resolve(ch, 2022).parameters.verification.third_party is False
    assert "Art. 52(3)" in resolve(ch, 2022).sources["verification.third_party"].note


def test_the_dropped_australian_floor_is_none_not_unknown() -> None:
    neg = negotiation("au-eu")
    assert neg.systems["au"].parameters.price_floor == "none"


THIRD_PARTY = {"eu-ets": True, "california": True, "quebec": True, "uk-ets": True,
               "ontario": True, "k-ets": True, "ch-ets": False, "nz-ets": False,
               "rggi": False, "china-ets": None, "australia-cpm": None}

LANGUAGES = {
    "eu-ets": ["bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu",
               "it", "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv"],
    "ch-ets": ["de-CH", "fr-CH", "it-CH"], "quebec": ["fr-CA"], "california": ["en-US"],
    "ontario": ["en-CA", "fr-CA"], "uk-ets": ["en-GB"], "nz-ets": ["en-NZ", "mi"],
    "k-ets": ["ko"], "china-ets": ["zh"], "rggi": ["en-US"], "australia-cpm": ["en-AU"],
}


@pytest.mark.parametrize("system_id", sorted(LANGUAGES))
def test_every_profile_has_its_languages_and_third_party_verification_with_sources(
        system_id: str) -> None:
    resolved = resolve(builtin_profiles()[system_id], None)
    assert resolved.parameters.languages == LANGUAGES[system_id]
    assert resolved.parameters.verification.third_party is THIRD_PARTY[system_id]
    for name in ("languages", "verification.third_party"):
        assert resolved.sources[name].note.strip(), f"{system_id}: {name} has no source"


def test_the_union_legislates_in_irish_only_from_2022() -> None:
    eu = builtin_profiles()["eu-ets"]
    before, after = (resolve(eu, year).parameters.languages or [] for year in (2021, 2022))
    assert "ga" not in before and len(before) == 23
    assert "ga" in after and len(after) == 24
    assert resolve(eu, 2022).sources["languages"].as_of.isoformat() == "2022-01-01"


# -- the design rules ---------------------------------------------------------------------


def test_a_remedy_removing_a_ceiling_writes_none() -> None:
    neg = negotiation("eu-ch", lambda d: override(d, "ch", price_ceiling=90))
    finding = fired(neg, "price.ceiling-one-sided")[0]
    assert finding.severity == "error"
    remedy = next(r for r in finding.remedies if r.set is not None)
    assert (remedy.set.target, remedy.set.value) == ("party:ch.price_ceiling", "none")
    fixed = assemble(apply_remedy(neg.session, remedy))
    assert fixed.systems["ch"].parameters.price_ceiling == "none"
    assert fired(fixed, "price.ceiling-one-sided") == []


def test_a_remedy_dropping_a_floor_drops_the_price_that_sets_it() -> None:
    """California's floor is its auction reserve price: that is what it would drop."""
    neg = negotiation("ca-qc-draft",
                      lambda d: decide(d, "price_floor.rule", "price_floor.rule.none"))
    finding = fired(neg, "price.floor-differs")[0]
    assert finding.severity == "error"
    targets = {(r.set.target, r.set.value) for r in finding.remedies if r.set is not None}
    assert targets == {("party:ca.auctions.reserve_price", "none"),
                       ("party:qc.auctions.reserve_price", "none")}
    assert {r.description for r in finding.remedies} == {
        "California drops its auction reserve price", "Québec drops its auction reserve price"}


def ceiling_in_the_union(ch_ceiling: Any) -> Negotiation:
    def edit(data: dict[str, Any]) -> None:
        override(data, "eu", price_ceiling=80)
        override(data, "ch", price_ceiling=ch_ceiling)
        decide(data, "price_ceiling.rule", None)
    return negotiation("eu-ch", edit)


def test_a_partner_without_a_ceiling_is_told_as_without_one() -> None:
    message = fired(ceiling_in_the_union("none"), "price.ceiling-one-sided")[0].message
    assert "price ceiling in the Union EUR 80 but not in Switzerland:" in message
    assert "not known" not in message


def test_a_partner_whose_ceiling_is_unknown_is_not_told_as_without_one() -> None:
    message = fired(ceiling_in_the_union(None), "price.ceiling-one-sided")[0].message
    assert "price ceiling in the Union EUR 80; not known for Switzerland:" in message
    assert "not in Switzerland" not in message


def floor_in_the_union(ch_floor: Any, ch_reserve: Any) -> Negotiation:
    def edit(data: dict[str, Any]) -> None:
        override(data, "eu", price_floor=20)
        override(data, "ch", price_floor=ch_floor, auctions__reserve_price=ch_reserve)
        decide(data, "price_floor.rule", None)
    return negotiation("eu-ch", edit)


def test_an_unknown_floor_is_not_reported_as_none_and_none_not_as_unknown() -> None:
    unknown = fired(floor_in_the_union(None, None), "price.floor-differs")[0].message
    assert "not known for Switzerland" in unknown and "not in Switzerland" not in unknown
    # A hard floor of none says nothing of the reserve price: still not known.
    partly = fired(floor_in_the_union("none", None), "price.floor-differs")[0].message
    assert "not known for Switzerland" in partly and "not in Switzerland" not in partly
    absent = fired(floor_in_the_union("none", "none"), "price.floor-differs")[0].message
    assert "but not in Switzerland" in absent and "not known" not in absent


def test_the_advice_does_not_turn_an_unknown_ceiling_into_none() -> None:
    def reasons(ch_ceiling: Any) -> str:
        neg = negotiation("eu-ch", lambda d: (override(d, "eu", price_ceiling=80),
                                               override(d, "ch", price_ceiling=ch_ceiling)))
        return " ".join(advice.recommend_linkage(neg).reasons)

    assert "Switzerland does not" in reasons("none")
    unknown = reasons(None)
    assert "whether Switzerland has one is not known" in unknown
    assert "Switzerland does not" not in unknown


# -- the economics ------------------------------------------------------------------------


def test_the_economics_treat_none_as_no_floor() -> None:
    def solved(ch_floor: Any) -> Any:
        return economics_for(negotiation("eu-ch", lambda d: override(d, "ch",
                                                                      price_floor=ch_floor)))

    plain = economics_for(negotiation("eu-ch"))
    without = solved("none")
    assert [s.price for s in without.systems] == [s.price for s in plain.systems]
    assert not [e for e in without.effects if e.feature == "price floor"]
    with_floor = solved(150)
    assert [e.system for e in with_floor.effects if e.feature == "price floor"] == ["ch"]


# -- what the negotiator reads ------------------------------------------------------------


def systems_row(brief: str, label: str) -> list[str]:
    line = next(line for line in brief.splitlines() if line.startswith(f"| {label} |"))
    return [cell.strip() for cell in line.strip("|").split("|")]


def test_the_brief_shows_none_and_not_known_differently() -> None:
    neg = negotiation("eu-ch", lambda d: override(d, "ch", price_ceiling=None))
    brief = build_brief(neg, run_checks(neg), economics_markdown="")
    assert systems_row(brief, "Price ceiling")[1:3] == ["none", "not known"]
    # Swiss verification is known only from 2022; the session describes 2017.
    verification = systems_row(brief, "Verification by accredited third parties")
    assert verification[1:3] == ["yes", "not known"]
    assert not re.search(r"\| — \|", brief)


# -- every preset --------------------------------------------------------------------------

@pytest.mark.parametrize("preset", preset_ids())
def test_every_preset_still_checks_with_exit_0(preset: str, capsys: pytest.CaptureFixture[str],
                                                ) -> None:
    code = main(["check", "--preset", preset])
    shown = capsys.readouterr().out
    assert code == 0, [line for line in shown.splitlines() if "error" in line]
