"""The languages clause proposes the parties' own official languages, not a fixed list."""

from __future__ import annotations

from negotiation.checks import run_checks
from negotiation.drafting.builder import build_draft
from negotiation.drafting.markdown import write_markdown
from negotiation.languages import language_name, proposed_languages
from negotiation.session import Session, assemble


def blank(*systems: str, **provisions: dict[str, object]) -> object:
    ids = [s.split("-")[0] for s in systems]
    data = {"linkwright": 1, "title": "A link", "year": 2025,
            "parties": [{"id": i, "system": s} for i, s in zip(ids, systems, strict=True)],
            "linkage": {"type": "bilateral"}, "form": "treaty",
            "currency_rates": {"as_of": "2025-01-01", "EUR": 1.0, "NZD": 0.55, "GBP": 1.2},
            "reporting_currency": "EUR", "provisions": provisions}
    return assemble(Session.model_validate(data))


def test_names_come_from_cldr_without_the_region() -> None:
    assert [language_name(c) for c in ("fr-CA", "de-CH", "mi", "ga", "en-GB")] == [
        "French", "German", "Māori", "Irish", "English"]
    assert proposed_languages([["en-NZ", "mi"], ["en-GB"]]) == ["English", "Māori"]
    assert proposed_languages([["en-GB"], None]) is None  # a party's languages not known


def test_a_new_link_proposes_its_parties_languages_bracketed_until_agreed() -> None:
    neg = blank("nz-ets", "uk-ets",
                **{"languages.authentic": {"clause": "languages.authentic.all_equal"}})
    values, origin = neg.parameter_origins(  # type: ignore[attr-defined]
        neg.library.clauses["languages.authentic.all_equal"], {})["languages"]
    assert values == ["English", "Māori"] and origin == "default"
    text = write_markdown(build_draft(neg))  # type: ignore[arg-type]
    assert "French" not in text.split("## Article")[-1]
    assert "Māori" in text
    warning = [f for f in run_checks(neg) if f.rule == "param.unconfirmed"  # type: ignore[arg-type]
               and f.topic == "languages"]
    assert warning and "the proposed English and Māori" in warning[0].message
