"""One name for the joint body, defined terms, and wording for any number of parties:
what a lawyer reading the built instrument would mark first."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from negotiation.checks import rules_lint, run_checks
from negotiation.drafting.builder import build_draft
from negotiation.drafting.markdown import write_markdown
from negotiation.errors import LinkwrightError
from negotiation.library import UNNAMED_BODY, Library, add_layer_text
from negotiation.session import Negotiation, preset_ids
from tests.conftest import negotiation
from tests.test_lint import lint, notice_clause, with_library

NAMES = ("Joint Committee", "Consultation Committee")


def instrument(neg: Negotiation) -> str:
    return write_markdown(build_draft(neg))


def body_names_in(neg: Negotiation) -> set[str]:
    """Every way the instrument's text names a joint body."""
    pattern = rules_lint._body_pattern(NAMES)
    return {" ".join(m.group(0).split()) for p in rules_lint.passages(neg)
            for m in pattern.finditer(p.words)}


# -- one body, one name ----------------------------------------------------------------

@pytest.mark.parametrize("preset", preset_ids())
def test_every_preset_names_its_joint_body_one_way(preset: str) -> None:
    neg = negotiation(preset)
    names = body_names_in(neg)
    assert len(names) <= 1, names
    assert not lint(neg, "lint.body-names")
    assert not any(UNNAMED_BODY in p.words for p in rules_lint.passages(neg))


def test_the_joint_committee_is_established_once_and_called_so_everywhere() -> None:
    text = instrument(negotiation("eu-ch"))
    assert text.count("A Joint Committee composed of representatives of the Parties is hereby "
                      "established") == 1
    assert "after consultation within the Joint Committee, by written notification" in text
    assert "body established under" not in text and "joint body" not in text.lower()


def test_a_memorandum_calls_its_body_the_consultation_committee() -> None:
    text = instrument(negotiation("ca-qc"))
    assert "set up a Consultation Committee of senior officials" in text
    assert "within the Consultation Committee" in text
    assert "Joint Committee" not in text


def test_a_unilateral_regulation_names_no_joint_body() -> None:
    assert body_names_in(negotiation("au-eu")) == set()


def test_a_library_clause_calling_the_body_otherwise_is_pointed_out(tmp_path: Path) -> None:
    neg = with_library(tmp_path, "eu-ch", notice_clause(
        "Any Party may terminate this Agreement on {{ months }} months' notice, after "
        "consultation within the joint body."))
    found = lint(neg, "lint.body-names")
    assert [f.severity for f in found] == ["warning"]
    assert "calls the joint body “joint body”" in found[0].message
    assert "the Joint Committee" in found[0].message


def no_institutions(data: dict[str, Any]) -> None:
    data["provisions"].pop("institutions.body")
    for by_party in data.get("positions", {}).values():
        by_party.pop("institutions.body", None)


def test_a_body_referred_to_but_never_established_is_pointed_out() -> None:
    neg = negotiation("eu-ch", no_institutions)
    assert any(UNNAMED_BODY in p.words for p in rules_lint.passages(neg))
    found = lint(neg, "lint.body-names")
    assert found and {f.severity for f in found} == {"warning"}
    assert "no institutions clause establishing one is agreed yet" in found[0].message
    assert "institutions.body.joint_committee_binding" in {
        r.choose.clause for r in found[0].remedies if r.choose}


def test_a_body_name_must_be_a_plain_proper_name() -> None:
    layer = ("topic: council\ntitle: Council\norder: 1\nprovisions:\n  council.body:\n"
             "    title: Council\n    clauses:\n      - id: council.body.established\n"
             "        title: Council\n        names: {body: the Council}\n"
             "        text: {binding: A Council is hereby established.}\n")
    with pytest.raises(LinkwrightError, match="not a usable name for a body"):
        add_layer_text(Library(), layer, "user.yaml")


# -- defined terms and party counts ----------------------------------------------------

@pytest.mark.parametrize("preset", preset_ids())
def test_no_preset_leaves_a_term_undefined_or_unused_or_miscounts_the_parties(
        preset: str) -> None:
    found = [f"{f.rule}: {f.message}" for f in run_checks(negotiation(preset))
             if f.rule in ("lint.term-undefined", "lint.term-unused", "lint.party-count",
                           "lint.body-names")]
    assert found == []


def test_definitions_fit_every_party() -> None:
    text = instrument(negotiation("eu-ch-uk"))
    assert "designated by a government" not in text
    assert re.search(r"“competent authority” means an authority that the law establishing an "
                     r"emissions trading system makes responsible", text)
    assert "“offset credit” means" in text and "“unit” means" in text


def bilateral(data: dict[str, Any]) -> None:
    """The trilateral preset's clauses, between the EU and Switzerland only."""
    data["parties"] = [p for p in data["parties"] if p["id"] != "uk"]
    data["linkage"] = {"type": "bilateral"}
    data["currency_rates"].pop("GBP", None)
    data["positions"] = {k: v for k, v in data.get("positions", {}).items() if k != "uk"}
    data["conditions"] = [c for c in data.get("conditions", []) if c.get("party") != "uk"]


def test_the_same_clauses_read_right_for_two_and_for_three() -> None:
    three = " ".join(instrument(negotiation("eu-ch-uk")).split())
    two = " ".join(instrument(negotiation("eu-ch-uk", bilateral)).split())
    assert "The Joint Committee shall act by agreement of all the Parties" in three
    assert "The Joint Committee shall act by agreement of both Parties" in two
    assert "Each Party shall inform each other Party without delay of any security incident" \
        in three
    assert "Each Party shall inform the other Party without delay of any security incident" \
        in two
    for text in (two, three):
        assert "must count as a tonne in every linked system" in text
        assert "in all of them" not in text and "one or more the other" not in text
