"""Annex I as law: each essential criterion is an obligation every linked system meets,
and each party's entry states the rule of its own law that meets it (the requirement and
the instrument), as in force on the text's date. What the tool cannot state as law is a
bracketed placeholder and a finding; research notes stay in the brief."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from negotiation.checks import run_checks
from negotiation.cli import main
from negotiation.drafting.brief import build_brief
from negotiation.drafting.builder import build_draft
from negotiation.drafting.criteria import (
    ANNEX_HEADING,
    CRITERIA,
    TO_BE_STATED,
    column_label,
)
from negotiation.drafting.model import Annex
from negotiation.findings import Finding
from negotiation.profiles import flatten
from negotiation.session import Negotiation, load_preset, preset_ids
from tests.conftest import negotiation, override

PRESETS = preset_ids()
RULE = "lint.criteria-unstated"

RESEARCH = re.compile(r"\b(?:about|not sourced|sources?|open|unknown|not known)\b|—",
                      re.IGNORECASE)
"""How a research note, a figure's provenance or an undecided point reads."""


@cache
def preset(preset_id: str) -> Negotiation:
    return load_preset(preset_id)


def annex_one(neg: Negotiation) -> Annex:
    return next(a for a in build_draft(neg).attachments if a.title == "Essential criteria")


def citations(neg: Negotiation, party: str) -> set[str]:
    """Every way the party's profile (in any year) and the session cite its law."""
    profile = neg.systems[party].profile
    layers = [profile.parameters, *(e.parameters for e in profile.timeline.values()),
              neg.party_spec(party).overrides]
    return {value for layer in layers
            for name, value in flatten(layer.get("legislation") or {}).items()
            if isinstance(value, str) and name != "acts"}


def cell(neg: Negotiation, party: str, element: str) -> str:
    annex = annex_one(neg)
    assert annex.table is not None
    row = next(i for i, c in enumerate(CRITERIA) if c.element == element)
    return annex.table.rows[row][1 + neg.party_ids.index(party)]


def unstated(neg: Negotiation) -> list[Finding]:
    return [f for f in run_checks(neg) if f.rule == RULE]


@pytest.mark.parametrize("preset_id", PRESETS)
def test_annex_one_states_no_research_note(preset_id: str) -> None:
    annex = annex_one(preset(preset_id))
    assert annex.table is not None
    assert not RESEARCH.search(annex.intro), annex.intro
    for row in annex.table.rows:
        for text in row:
            assert text.strip() and not RESEARCH.search(text), row


@pytest.mark.parametrize("preset_id", PRESETS)
def test_each_party_cell_cites_its_law_or_is_a_placeholder(preset_id: str) -> None:
    neg = preset(preset_id)
    table = annex_one(neg).table
    assert table is not None
    # An obligation per row, a column per party; the agreed rules stand in the articles.
    assert table.headers == [ANNEX_HEADING,
                             *(column_label(neg.party_short(p)) for p in neg.party_ids)]
    assert [row[0] for row in table.rows] == [c.obligation for c in CRITERIA]
    stated = 0
    for row in table.rows:
        for party, text in zip(neg.party_ids, row[1:], strict=True):
            if text == TO_BE_STATED:
                continue
            assert any(text.endswith(f"under {law}") or text.endswith(f" in {law}")
                       for law in citations(neg, party)), (party, text)
            stated += 1
    assert stated, "every preset states some of its parties' law"


@pytest.mark.parametrize("preset_id", PRESETS)
def test_the_introduction_states_the_date_of_the_law(preset_id: str) -> None:
    neg = preset(preset_id)
    date = neg.session.round.date if neg.session.round else None
    assert date is not None
    intro = annex_one(neg).intro
    assert f"legislation as in force on {date.day} {date:%B %Y}:" in intro
    for party in neg.party_ids:
        assert f"for {neg.party_name(party)}, " in intro


def test_the_eu_switzerland_annex_reads_as_law() -> None:
    neg = preset("eu-ch")
    intro = annex_one(neg).intro
    assert "Directive 2003/87/EC of the European Parliament and of the Council of " \
           "13 October 2003" in intro
    assert "Federal Act of 23 December 2011 on the Reduction of CO2 Emissions" in intro
    assert cell(neg, "eu", "Participation") == (
        "Mandatory for every installation or entity carrying out an activity covered, "
        "under Annex I to Directive 2003/87/EC")
    assert cell(neg, "eu", "Make-good").endswith("under Article 16 of Directive 2003/87/EC")
    assert cell(neg, "ch", "Registry") == ("Swiss Emissions Trading Registry (EHR), under "
                                           "the CO2 Act and the CO2 Ordinance")
    # Thresholds are stated by reference: no "about 20 MW" tabled as Swiss law.
    assert cell(neg, "ch", "Inclusion thresholds") == (
        "Thresholds as laid down in the CO2 Act and the CO2 Ordinance")


def test_a_text_cites_no_act_adopted_after_its_date() -> None:
    # au-eu is dated 28 August 2012 though it describes the systems of 2015.
    intro = annex_one(preset("au-eu")).intro
    assert "Clean Energy Act 2011" in intro
    assert "2015/1814" not in intro and "389/2013" not in intro
    later = annex_one(preset("eu-uk")).intro  # 2025: the Phase 4 acts replace Phase 3's
    assert "2018/2066" in later and "601/2012" not in later


def test_an_unknown_figure_is_bracketed_and_found() -> None:
    neg = preset("eu-ch")
    # Switzerland's penalty per tonne in 2017 is not on file.
    assert cell(neg, "ch", "Penalty per tonne") == TO_BE_STATED
    found = [f for f in unstated(neg) if f.parties == ("ch",) and "Penalty per tonne"
             in f.message]
    assert len(found) == 1 and found[0].severity == "warning"
    assert "Switzerland" in found[0].message and "penalty per tonne" in found[0].message
    assert found[0].parameters == ("party:ch.penalty.per_tonne",)


def test_unknown_legislation_brackets_every_entry_and_gives_the_finding() -> None:
    def forget_swiss_law(data: dict[str, Any]) -> None:
        override(data, "ch", legislation__acts=None, legislation__cited_as=None)

    neg = negotiation("eu-ch", forget_swiss_law)
    table = annex_one(neg).table
    assert table is not None
    assert all(row[2] == TO_BE_STATED for row in table.rows)
    assert f"for the Swiss Confederation, {TO_BE_STATED}" in annex_one(neg).intro
    found = [f for f in unstated(neg) if f.parties == ("ch",)]
    assert {f.message.split("“")[1].split("”")[0] for f in found} == {
        c.element for c in CRITERIA}
    assert all("Switzerland's legislation" in f.message for f in found)
    assert all(f.parameters == ("party:ch.legislation.cited_as",) for f in found)
    # The Union's entries still state its law.
    assert cell(neg, "eu", "Participation").endswith("Directive 2003/87/EC")


def test_a_delegation_naming_its_law_fills_the_entries() -> None:
    def name_law(data: dict[str, Any]) -> None:
        override(data, "ch", legislation__acts=None, legislation__cited_as=None)
        override(data, "ch", legislation__cited_as="the Federal Act on CO2",
                 legislation__acts=["Federal Act on CO2"])

    neg = negotiation("eu-ch", name_law)
    assert cell(neg, "ch", "Registry").endswith("under the Federal Act on CO2")
    assert "for the Swiss Confederation, Federal Act on CO2." in annex_one(neg).intro


def test_confirming_the_figure_on_file_is_the_remedy() -> None:
    neg = preset("eu-ch")
    finding = next(f for f in unstated(neg)
                   if f.parties == ("ch",) and "“Price floor”" in f.message)
    remedy = finding.remedies[0]
    assert remedy.set is not None and remedy.set.target == "party:ch.price_floor"
    assert remedy.set.value == "none"

    def confirm(data: dict[str, Any]) -> None:
        override(data, "ch", price_floor=remedy.set.value if remedy.set else None)

    confirmed = negotiation("eu-ch", confirm)
    assert cell(confirmed, "ch", "Price floor") == (
        "No price floor, under the CO2 Act and the CO2 Ordinance")
    assert not [f for f in unstated(confirmed)
                if f.parties == ("ch",) and "“Price floor”" in f.message]


def test_a_text_without_a_date_brackets_it() -> None:
    neg = negotiation("eu-ch", lambda data: data.pop("round"))
    assert "legislation as in force on [date]:" in annex_one(neg).intro


def test_the_brief_keeps_the_figures_and_their_comparison() -> None:
    neg = preset("eu-ch")
    brief = build_brief(neg, run_checks(neg), economics_markdown="")
    assert "| Element | The Union | Switzerland | Common rule |" in brief
    assert "about 20 MW rated thermal input" in brief


@pytest.mark.parametrize("preset_id", PRESETS)
def test_every_preset_renders_in_every_format(preset_id: str, tmp_path: Path) -> None:
    for fmt in ("md", "pdf", "docx"):
        out = tmp_path / f"{preset_id}.{fmt}"
        assert main(["render", "--preset", preset_id, "-o", str(out)]) == 0
        assert out.stat().st_size > 0
    text = (tmp_path / f"{preset_id}.md").read_text("utf-8")
    assert "as in force on" in text and "Common rule" not in text
