"""Premises: a chosen clause's text is checked against every party's system.

Each test gives a clause a premise, changes one party's figure after the clause
is chosen, and asserts what a negotiator would see: the `clause.premise` finding,
its severity, and the fixes it offers; then that the fitting value passes.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from negotiation.checks import run_checks
from negotiation.errors import LinkwrightError
from negotiation.findings import Finding
from negotiation.library import Library, add_layer_text
from negotiation.premises import Premise
from negotiation.session import Negotiation
from tests.conftest import negotiation, override


def with_premises(neg: Negotiation, clause_id: str, *premises: dict[str, Any]) -> Negotiation:
    """The negotiation with `clause_id` assuming `premises` (built-in library untouched)."""
    TESTED.append(clause_id)
    library = copy.copy(neg.library)
    library.clauses = dict(library.clauses)
    clause = library.clauses[clause_id].model_copy()
    clause.assumes = [Premise.model_validate(p) for p in premises]  # replaces its own
    clause._facts = library.clauses[clause_id]._facts
    clause._provision = library.clauses[clause_id].provision
    library.clauses[clause_id] = clause
    neg.library = library
    neg.invalidate()
    return neg


TESTED: list[str] = []
"""The clause the running test gave premises to: the library's own premises on other
clauses may fire on a preset too, and are not what these tests are about."""


def premise_findings(neg: Negotiation) -> list[Finding]:
    return [f for f in run_checks(neg) if f.rule == "clause.premise"
            and TESTED and TESTED[-1] in f.clauses]


def only(neg: Negotiation) -> Finding:
    found = premise_findings(neg)
    assert len(found) == 1, [f.message for f in found]
    return found[0]


def descriptions(finding: Finding) -> list[str]:
    return [r.description for r in finding.remedies]


# -- each kind of premise ------------------------------------------------------------------


def test_a_harmonised_rule_a_party_does_not_follow_is_an_error() -> None:
    neg = with_premises(negotiation("eu-ch", lambda d: override(d, "ch", banking="limited")),
                        "banking.rules.harmonised", {"every": "banking", "is": "allowed"})
    finding = only(neg)
    assert finding.severity == "error"
    # Titles and labels, as a negotiator reads them; the ids are in the finding's fields.
    assert finding.message == ("'Harmonised banking rules' assumes "
                               "every party's banking is allowed, but Switzerland's is limited")
    assert finding.parties == ("ch",) and finding.clauses == ("banking.rules.harmonised",)
    assert "Switzerland's banking becomes allowed, as the clause says" in descriptions(finding)
    fix = finding.remedies[0].set
    assert fix is not None and (fix.target, fix.value) == ("party:ch.banking", "allowed")


def test_the_fitting_value_passes() -> None:
    neg = with_premises(negotiation("eu-ch", lambda d: override(d, "ch", banking="allowed")),
                        "banking.rules.harmonised", {"every": "banking", "is": "allowed"})
    assert premise_findings(neg) == []


def test_a_common_limit_below_a_partys_own_is_an_error_with_the_loosening_fix() -> None:
    def edit(data: dict[str, Any]) -> None:
        data["provisions"]["cap.ambition"] = {"clause": "cap.ambition.comparable",
                                              "params": {"reduction_pct": 2.2}}
        override(data, "eu", annual_reduction_pct=2.2)
        override(data, "ch", annual_reduction_pct=1.5)

    neg = with_premises(negotiation("eu-ch", edit), "cap.ambition.comparable",
                        {"every": "annual_reduction_pct", "at_least": {"param": "reduction_pct"}})
    finding = only(neg)
    assert finding.severity == "error"
    assert ("assumes every party's annual cap reduction (per cent) is at least 2.2 (the "
            "clause's “Minimum annual reduction of each cap, as a share of its reference "
            "quantity”), but Switzerland's is 1.5") in finding.message
    assert descriptions(finding)[1] == (
        "set the clause's “Minimum annual reduction of each cap, as a share of its reference "
        "quantity” to 1.5, Switzerland's: this loosens the link for every party")
    fit = finding.remedies[1].set
    assert fit is not None and (fit.target, fit.value) == ("provision:cap.ambition."
                                                           "reduction_pct", 1.5)


def test_a_party_figure_on_the_wrong_side_of_a_maximum_is_an_error() -> None:
    def edit(data: dict[str, Any]) -> None:
        data["provisions"]["offsets.quantity"] = {"clause": "offsets.quantity.common_limit",
                                                  "params": {"limit_pct": 4}}
        override(data, "eu", offsets__allowed=False, offsets__limit_pct=0)
        override(data, "ch", offsets__allowed=True, offsets__limit_pct=8)

    neg = with_premises(negotiation("eu-ch", edit), "offsets.quantity.common_limit",
                        {"every": "offsets.limit_pct", "at_most": {"param": "limit_pct"}})
    finding = only(neg)
    assert "Switzerland's is 8" in finding.message and finding.severity == "error"
    assert ("set the clause's “Limit, as a share of each entity's compliance obligation” to 8, "
            "Switzerland's: this loosens the link for every party") in descriptions(finding)


def test_a_reserve_a_party_does_not_run_is_an_error_and_an_unknown_one_a_warning() -> None:
    def edit(value: Any) -> Negotiation:
        def change(data: dict[str, Any]) -> None:
            data["provisions"]["market_stability.mechanism"] = {
                "clause": "market_stability.mechanism.aligned"}
            override(data, "ch", market_stability_reserve=value)
        return with_premises(negotiation("eu-ch", change), "market_stability.mechanism.aligned",
                             {"every": "market_stability_reserve", "is": True})

    assert only(edit(False)).severity == "error"
    unknown = only(edit(None))
    assert unknown.severity == "warning"
    assert unknown.message.endswith("Switzerland's is not known: confirm it (an override with "
                                    "its source) before the text relies on it")
    assert premise_findings(edit(True)) == []


def test_a_feature_the_clause_forbids_is_an_error_unless_an_older_rule_reports_it() -> None:
    def edit(data: dict[str, Any]) -> None:
        override(data, "eu", price_ceiling="none")
        override(data, "ch", price_ceiling=200)

    neg = with_premises(negotiation("eu-ch", edit), "price_ceiling.rule.none",
                        {"every": "price_ceiling", "is": "none"})
    assert only(neg).message.endswith("but Switzerland's is 200")
    # the ceiling rule has always reported this contradiction under its own id
    neg = with_premises(negotiation("eu-ch", edit), "price_ceiling.rule.none",
                        {"every": "price_ceiling", "is": "none",
                         "reported_by": "price.ceiling-one-sided"})
    assert premise_findings(neg) == []
    assert [f.severity for f in run_checks(neg) if f.rule == "price.ceiling-one-sided"] \
        == ["error"]


def test_something_the_recognition_relies_on_must_be_known() -> None:
    neg = with_premises(negotiation("eu-ch", lambda d: override(d, "ch", registry=None)),
                        "registries.link.registry_link", {"every": "registry", "known": True})
    finding = only(neg)
    assert finding.severity == "warning" and "Switzerland's is not known" in finding.message
    neg = with_premises(negotiation("eu-ch", lambda d: override(d, "ch", registry="none")),
                        "registries.link.registry_link", {"every": "registry", "known": True})
    assert only(neg).message.endswith("is known and in place, but Switzerland's is none")


def test_a_clause_about_something_no_party_has_names_the_clause_that_fits() -> None:
    def edit(data: dict[str, Any]) -> None:
        data["provisions"]["offsets.quantity"] = {"clause": "offsets.quantity.common_limit",
                                                  "params": {"limit_pct": 0}}
        for party in ("eu", "ch"):
            override(data, party, offsets__allowed=False)

    neg = with_premises(negotiation("eu-ch", edit), "offsets.quantity.common_limit",
                        {"any": "offsets.allowed", "is": True,
                         "instead": "offsets.quantity.none"})
    finding = only(neg)
    assert finding.severity == "warning"
    assert "the text would regulate something no linked system has" in finding.message
    assert finding.remedies[0].choose is not None
    assert finding.remedies[0].choose.clause == "offsets.quantity.none"


def test_roles_of_a_one_way_link_read_only_their_party() -> None:
    neg = negotiation("au-eu")
    recognised = neg.recognised()
    assert recognised is not None
    clause = neg.chosen()["recognition.scope"][0].id
    changed = negotiation("au-eu", lambda d: override(d, recognised, registry="none"))
    neg = with_premises(changed, clause, {"recognised": "registry", "known": True})
    assert only(neg).parties == (recognised,)
    neg = with_premises(negotiation("au-eu", lambda d: override(d, neg.recognising() or "",
                                                                registry="none")),
                        clause, {"recognised": "registry", "known": True})
    assert premise_findings(neg) == []


def test_the_sessions_year_is_an_operand() -> None:
    def edit(data: dict[str, Any]) -> None:
        override(data, "ch", operational_since=data["year"] - 1)

    neg = with_premises(negotiation("eu-ch", edit), "recognition.scope.full",
                        {"every": "operational_since", "at_most": {"year": -2}})
    assert "Switzerland's is" in only(neg).message
    neg = with_premises(negotiation("eu-ch"), "recognition.scope.full",
                        {"every": "operational_since", "at_most": {"year": -2}})
    assert premise_findings(neg) == []


def test_a_decision_left_in_a_retired_provision_asserts_nothing() -> None:
    def edit(data: dict[str, Any]) -> None:
        data["provisions"]["offsets.quantity"] = {"clause": "offsets.quantity.none"}
        data["provisions"]["offset_quality.standards"] = {
            "clause": "offset_quality.standards.harmonised_protocols"}

    neg = with_premises(negotiation("eu-ch", edit),
                        "offset_quality.standards.harmonised_protocols",
                        {"every": "offsets.allowed", "is": True})
    assert premise_findings(neg) == []


# -- the premise language is checked at load -----------------------------------------------

TOPIC = """topic: fees
title: Fees
order: 95
provisions:
  fees.amount:
    title: Amount
    clauses:
      - id: fees.amount.flat
        title: Flat fee
        params:
          amount: {{type: number, default: 1}}
        assumes:
          - {premise}
        text:
          binding: Each Party shall charge a fee.
"""


@pytest.mark.parametrize(("premise", "message"), [
    ("{every: bankng, is: allowed}", "clause 'fees.amount.flat' assumes something of 'bankng', "
     "which is no system parameter (did you mean 'banking'?)"),
    ("{every: offsets.limit_pct, at_most: {param: amuont}}", "clause 'fees.amount.flat' "
     "compares with its parameter 'amuont', which it does not have (did you mean 'amount'?)"),
    ("{every: banking}", "a premise makes one comparison: is, is_not, one_of, at_most, "
     "at_least, known or same"),
    ("{any: banking, same: true}", "`same:` compares every party with the others: use "
     "`every:`"),
    ("{every: banking, any: borrowing, is: none}", "a premise names one role (every, any, "
     "recognising or recognised) with the system parameter it reads"),
    ("{every: banking, is: none, instead: fees.amount.flat}", "`instead:` belongs to an "
     "`any:` premise"),
    ("{every: banking, is: none, because: x}", "unknown key"),
])
def test_a_malformed_premise_is_refused_at_its_line(premise: str, message: str) -> None:
    with pytest.raises(LinkwrightError) as info:
        add_layer_text(Library(), TOPIC.format(premise=premise), "theirs/fees.yaml")
    assert str(info.value).startswith("theirs/fees.yaml:13:")
    assert message in str(info.value)


def test_an_unknown_figure_several_clauses_rely_on_is_asked_about_once() -> None:
    neg = negotiation("eu-ch", lambda d: override(d, "ch", cap_type=None))
    asked = [f for f in run_checks(neg) if f.rule == "clause.premise" and f.parties == ("ch",)
             and "type of cap" in f.message]
    assert len(asked) == 1, [f.message for f in asked]
    assert asked[0].severity == "warning"
    assert len(asked[0].clauses) >= 2
    assert asked[0].message.endswith("Switzerland's is not known: confirm it (an override "
                                     "with its source) before the text relies on it")


def test_a_contradiction_the_older_rule_misses_is_still_reported() -> None:
    # offsets allowed but no limit known: the offsets rule reads the limit and stays silent
    def edit(data: dict[str, Any]) -> None:
        data["provisions"]["offsets.quantity"] = {"clause": "offsets.quantity.none"}
        override(data, "eu", offsets__allowed=False, offsets__limit_pct=0)
        override(data, "ch", offsets__allowed=True, offsets__limit_pct=None)

    neg = with_premises(negotiation("eu-ch", edit), "offsets.quantity.none",
                        {"every": "offsets.allowed", "is": False,
                         "reported_by": "offsets.limit-differs"})
    assert not [f for f in run_checks(neg) if f.rule == "offsets.limit-differs"
                and f.severity == "error"]
    finding = only(neg)
    assert finding.severity == "error" and finding.parties == ("ch",)


def test_a_harmonised_rule_with_differing_systems_names_the_odd_one_out() -> None:
    def edit(data: dict[str, Any]) -> None:
        data["parties"].append({"id": "uk", "system": "uk-ets"})
        data["linkage"] = {"type": "multilateral"}
        data["currency_rates"]["GBP"] = 1.15
        override(data, "eu", banking="allowed")
        override(data, "ch", banking="limited")
        override(data, "uk", banking="allowed")

    neg = with_premises(negotiation("eu-ch", edit), "banking.rules.harmonised",
                        {"every": "banking", "same": True})
    finding = only(neg)
    assert finding.parties == ("ch",) and finding.severity == "error"
    assert finding.message.endswith("assumes every party's banking is the same as the others' "
                                    "(allowed), but Switzerland's is limited")
    assert finding.remedies[0].set is not None and finding.remedies[0].set.value == "allowed"


def test_a_fix_that_would_contradict_a_premise_is_not_offered() -> None:
    # aligning reserves is no fix when a party has none: 'Aligned' assumes every party has one
    def edit(data: dict[str, Any]) -> None:
        data["provisions"].pop("market_stability.mechanism", None)
        override(data, "eu", market_stability_reserve=True)
        override(data, "ch", market_stability_reserve=False)

    findings = [f for f in run_checks(negotiation("eu-ch", edit))
                if f.rule == "supply.msr-one-sided"]
    assert len(findings) == 1
    offered = [r.choose.clause for r in findings[0].remedies if r.choose]
    assert "market_stability.mechanism.aligned" not in offered
    assert "market_stability.mechanism.accept_partner" in offered
