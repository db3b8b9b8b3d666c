"""The legal lint reads the built draft as a lawyer would: each rule fires on a text
with the defect and names the place, and no preset shows a lint error."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from negotiation.checks import rules_lint, run_checks
from negotiation.cli import main
from negotiation.findings import Finding
from negotiation.session import Negotiation, negotiation_from_document, preset_ids
from negotiation.yamlload import Document
from tests.conftest import fixed_notice_layer, negotiation, preset_data


def lint(neg: Negotiation, rule_id: str) -> list[Finding]:
    return [f for f in run_checks(neg) if f.rule == rule_id]


def with_library(tmp_path: Path, preset: str, library: str,
                 edit: Callable[[dict[str, Any]], None] | None = None) -> Negotiation:
    """The preset with a user library layered over the built-in one."""
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "user.yaml").write_text(library, "utf-8")
    data = preset_data(preset)
    if edit is not None:
        edit(data)
    return negotiation_from_document(Document(data, "session.yaml", {(): (1, 1)}), None,
                                     (folder,))


def propose(party: str, provision: str, text: str) -> Callable[[dict[str, Any]], None]:
    """One party proposes its own text for a provision nobody has decided."""

    def edit(data: dict[str, Any]) -> None:
        data["provisions"].pop(provision, None)
        for by_party in data.get("positions", {}).values():
            by_party.pop(provision, None)
        data.setdefault("positions", {}).setdefault(party, {})[provision] = {"text": text}

    return edit


def notice_clause(text: str, defines: str = "") -> str:
    return fixed_notice_layer(text, text, extra=f"        {defines}\n" if defines else "")


# -- every preset ------------------------------------------------------------------

@pytest.mark.parametrize("preset", preset_ids())
def test_every_preset_checks_without_a_lint_error(preset: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    errors = [f.message for f in run_checks(negotiation(preset))
              if f.rule.startswith("lint.") and f.severity == "error"]
    assert errors == []
    assert main(["check", "--preset", preset]) == 0, capsys.readouterr().out


def test_the_draft_is_built_once_for_all_lint_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = rules_lint.build_draft

    def counting(neg: Negotiation, clean: bool = False) -> Any:
        calls.append(1)
        return real(neg, clean)

    monkeypatch.setattr(rules_lint, "build_draft", counting)
    neg = negotiation("eu-ch")
    run_checks(neg)
    assert len(calls) == 1
    neg.invalidate()  # the session changed: the next check reads a new draft
    run_checks(neg)
    assert len(calls) == 2


# -- 1. terms ----------------------------------------------------------------------

def test_a_defined_term_the_text_never_uses_is_a_warning(tmp_path: Path) -> None:
    neg = with_library(tmp_path, "eu-ch", notice_clause(
        "Either Party may terminate this Agreement on {{ months }} months' notice.",
        "defines: {grace period: the time a covered entity has to remedy a shortfall}"))
    found = lint(neg, "lint.term-unused")
    assert [f.severity for f in found] == ["warning"]
    assert "Article 2(1) defines “grace period”" in found[0].message
    assert "never uses" in found[0].message


def test_a_defined_term_used_in_the_plural_counts_as_used(tmp_path: Path) -> None:
    neg = with_library(tmp_path, "eu-ch", notice_clause(
        "Any Party may terminate this Agreement on {{ months }} months' notice; grace "
        "periods running at that date shall end with it.",
        "defines: {grace period: the time a covered entity has to remedy a shortfall}"))
    assert not [f for f in lint(neg, "lint.term-unused") if "grace period" in f.message]


def test_a_term_of_art_used_but_not_defined_is_pointed_out(tmp_path: Path) -> None:
    assert not lint(negotiation("eu-ch"), "lint.term-undefined")
    neg = with_library(tmp_path, "eu-ch", notice_clause(
        "Any Party may terminate this Agreement on {{ months }} months' notice, after "
        "hearing the market monitor."))
    found = lint(neg, "lint.term-undefined")
    assert [f.severity for f in found] == ["info"]
    assert " uses “market monitor”" in found[0].message
    assert "oversight.coordination.joint_surveillance" in found[0].message


# -- 2. references to placeholders and omitted provisions --------------------------

def settlement_open(data: dict[str, Any]) -> None:
    data["provisions"].pop("termination.settlement")
    for by_party in data.get("positions", {}).values():
        by_party.pop("termination.settlement", None)


def test_a_reference_to_a_placeholder_names_both_articles() -> None:
    assert not lint(negotiation("eu-ch"), "lint.ref-placeholder")
    found = lint(negotiation("eu-ch", settlement_open), "lint.ref-placeholder")
    assert [f.severity for f in found] == ["warning"]
    # Within its own article, a paragraph is cited as "paragraph 3" (issue 11's style rule).
    assert found[0].message.startswith("Article 27(4) refers to paragraph 3, which is still "
                                       "a placeholder")
    assert "to be agreed" in found[0].message
    assert {r.choose.provision for r in found[0].remedies if r.choose} == {
        "termination.settlement"}


def test_a_reference_to_an_omitted_provision_in_final_text_is_an_error(
        tmp_path: Path) -> None:
    neg = with_library(tmp_path, "eu-ch", notice_clause(
        "Any Party may terminate this Agreement on {{ months }} months' notice to the "
        "depositary referred to in {{ ref('depositary.designation') }}."))
    found = lint(neg, "lint.ref-placeholder")
    assert [f.severity for f in found] == ["error"]
    assert found[0].message.startswith("Article 27(1) refers to depositary.designation, "
                                       "which this text leaves out")


# -- 3. binding text resting on the guidelines ---------------------------------------

def test_binding_text_referring_into_the_guidelines_is_a_warning() -> None:
    assert not lint(negotiation("eu-ch"), "lint.binding-on-guidelines")
    found = lint(negotiation("eu-ch", lambda d: d.update(form="hybrid")),
                 "lint.binding-on-guidelines")
    assert found and all(f.severity == "warning" for f in found)
    assert any(f.message.startswith("Article ") and "of Annex II" in f.message
               and "non-binding Implementing Guidelines" in f.message for f in found)


# -- 4. wording for another number of parties ----------------------------------------

def test_wording_for_more_parties_in_a_bilateral_text_is_quoted() -> None:
    neg = negotiation("eu-ch", propose(
        "ch", "termination.survival",
        "Article 19 shall continue to apply between a withdrawing Party and all the other "
        "Parties."))
    found = [f for f in lint(neg, "lint.party-count") if "all the other Parties" in f.message]
    assert [f.severity for f in found] == ["warning"]
    assert found[0].message.startswith("Article 27(4) says “all the other Parties”")
    assert "bilateral" in found[0].message


def test_wording_for_two_in_a_multilateral_text_is_quoted() -> None:
    before = lint(negotiation("eu-ch-uk"), "lint.party-count")
    assert not [f for f in before if "the other Party" in f.message]
    neg = negotiation("eu-ch-uk", propose(
        "ch", "termination.survival",
        "Article 19 shall continue to apply between a withdrawing Party and the other Party."))
    found = [f for f in lint(neg, "lint.party-count") if "“the other Party”" in f.message]
    assert [f.severity for f in found] == ["warning"]
    assert "exactly two parties" in found[0].message and "between 3" in found[0].message


# -- 5. dates later than the text ------------------------------------------------------

def test_a_fact_dated_after_the_text_is_an_anachronism() -> None:
    neg = negotiation("eu-ch", propose(
        "ch", "termination.survival",
        "Switzerland has covered aviation since 1 January 2020."))
    found = lint(neg, "lint.date-after-text")
    assert [f.severity for f in found] == ["warning"]
    assert "“since 1 January 2020”" in found[0].message
    assert "dated 23 November 2017" in found[0].message


def test_a_deadline_after_the_text_is_not_an_anachronism() -> None:
    neg = negotiation("eu-ch", propose(
        "ch", "termination.survival",
        "Switzerland shall cover aviation by 1 January 2020, and shall report on it in 2021."))
    assert lint(neg, "lint.date-after-text") == []


# -- 6. title, form and signatories ----------------------------------------------------

def test_a_treaty_titled_memorandum_is_a_warning() -> None:
    assert not lint(negotiation("eu-ch"), "lint.title-form")
    neg = negotiation("eu-ch", lambda d: d.update(
        title="Memorandum of Understanding between the European Union and the Swiss "
              "Confederation"))
    found = lint(neg, "lint.title-form")
    assert [f.severity for f in found] == ["warning"]
    assert "“Memorandum”" in found[0].message and "treaty" in found[0].message


def test_a_memorandum_titled_agreement_asks_for_its_instrument_name() -> None:
    # ca-qc-on names itself an Agreement, as the 2017 text does; without that, it asks
    unnamed = negotiation("ca-qc-on", lambda d: d.pop("instrument_name"))
    found = lint(unnamed, "lint.title-form")
    assert found and "instrument_name: Agreement" in found[0].message
    assert lint(negotiation("ca-qc-on"), "lint.title-form") == []


def test_a_signatory_the_title_names_otherwise_is_a_warning() -> None:
    neg = negotiation("eu-ch", lambda d: d.update(
        title="Agreement between the European Community and the Swiss Confederation"))
    found = lint(neg, "lint.title-form")
    assert len(found) == 1
    assert "“For the European Union”" in found[0].message


def test_no_preset_says_something_only_true_of_another_number_of_parties() -> None:
    # the bilateral texts drop what the library says of "more than two Parties" and of
    # "each pair of linked systems"
    for preset in preset_ids():
        assert lint(negotiation(preset), "lint.party-count") == [], preset


# -- binding text resting on a provision still in brackets -----------------------------

def criteria_in_brackets(data: dict[str, Any]) -> None:
    data["provisions"].pop("essential_criteria.compliance")
    data.setdefault("positions", {}).setdefault("eu", {})["essential_criteria.compliance"] = {
        "clause": "essential_criteria.compliance.annex"}
    data["positions"].setdefault("ch", {})["essential_criteria.compliance"] = {
        "clause": "essential_criteria.compliance.legislation_at_signature"}


def test_binding_text_relying_on_a_bracketed_provision_is_pointed_out() -> None:
    assert not lint(negotiation("eu-ch"), "lint.binding-on-unsettled")
    found = lint(negotiation("eu-ch", criteria_in_brackets), "lint.binding-on-unsettled")
    assert found and {f.severity for f in found} == {"info"}
    cap = next(f for f in found if f.topic == "cap")
    assert "binding text, relies on Article 4" in cap.message
    assert "2 bracketed options" in cap.message
    assert cap.remedies and {r.choose.provision for r in cap.remedies if r.choose} == {
        "essential_criteria.compliance"}
