"""What a multilateral instrument needs: a depositary, and a way in for further
systems when the link is open to them (`open_to_accession:`)."""

from __future__ import annotations

from typing import Any

import pytest

from negotiation.checks import run_checks
from negotiation.drafting.builder import build_draft
from negotiation.drafting.markdown import write_markdown
from negotiation.edits import apply_remedy
from negotiation.findings import Finding
from negotiation.session import Negotiation, assemble
from tests.conftest import negotiation


def found(neg: Negotiation, rule: str) -> list[Finding]:
    return [f for f in run_checks(neg) if f.rule == rule]


def without(*provisions: str) -> Any:
    def edit(data: dict[str, Any]) -> None:
        for provision in provisions:
            data["provisions"].pop(provision)
    return edit


def saying(**keys: Any) -> Any:
    return lambda data: data.update(keys)


def asked(neg: Negotiation) -> set[str]:
    return {p.id for p in neg.relevant_provisions()}


# -- the depositary ------------------------------------------------------------------


def test_the_multilateral_presets_need_nothing_more() -> None:
    for preset in ("eu-ch-uk", "ca-qc-on"):
        neg = negotiation(preset)
        assert not found(neg, "form.depositary-missing"), preset
        assert not found(neg, "form.accession-missing"), preset


@pytest.mark.parametrize("form", ["treaty", "hybrid"])
def test_a_multilateral_treaty_without_a_depositary_is_warned(form: str) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["form"] = form
        data["provisions"].pop("depositary.designation")

    neg = negotiation("eu-ch-uk", edit)
    [warning] = found(neg, "form.depositary-missing")
    assert warning.severity == "warning" and warning.topic == "depositary"
    assert warning.message.startswith(f"a multilateral {form} needs a depositary")
    assert "depositary.designation is still open" in warning.message
    assert [r.description for r in warning.remedies] == ["choose 'Named depositary'"]
    fixed = assemble(apply_remedy(neg.session, warning.remedies[0]))
    assert not found(fixed, "form.depositary-missing")


def test_a_missing_depositary_is_no_error_while_the_designation_is_open() -> None:
    # Entry into force on deposit requires it; until decided, that is work to do.
    neg = negotiation("eu-ch-uk", without("depositary.designation"))
    assert not [f for f in run_checks(neg) if f.severity == "error"
                and "depositary" in f.message]


def test_a_multilateral_memorandum_is_deposited_nowhere() -> None:
    neg = negotiation("ca-qc-on", without("depositary.designation"))
    assert neg.form == "memorandum"
    assert not found(neg, "form.depositary-missing")


def test_a_bilateral_treaty_needs_no_depositary() -> None:
    neg = negotiation("eu-ch")
    assert "depositary.designation" not in asked(neg)
    assert not found(neg, "form.depositary-missing")


# -- accession -------------------------------------------------------------------------


def test_a_multilateral_link_is_open_to_accession_unless_the_session_says_otherwise() -> None:
    assert negotiation("eu-ch-uk").open_to_accession()
    assert not negotiation("eu-ch").open_to_accession()
    closed = negotiation("eu-ch-uk", saying(open_to_accession=False))
    assert not closed.open_to_accession()
    assert "accession.procedure" in asked(negotiation("eu-ch-uk"))
    assert "accession.procedure" not in asked(closed)


def test_an_open_link_that_does_not_say_how_a_system_joins_is_warned() -> None:
    neg = negotiation("eu-ch-uk", without("accession.procedure"))
    [warning] = found(neg, "form.accession-missing")
    assert warning.severity == "warning" and warning.topic == "accession"
    assert warning.message.startswith(
        "a multilateral link is open to further systems (unless the session says "
        "`open_to_accession: false`), and the instrument does not yet say how one joins: "
        "decide accession.procedure")
    fixed = assemble(apply_remedy(neg.session, warning.remedies[0]))
    assert not found(fixed, "form.accession-missing")


def test_a_closed_link_drafts_no_accession_article() -> None:
    open_text = write_markdown(build_draft(negotiation("eu-ch-uk")))
    closed = negotiation("eu-ch-uk", saying(open_to_accession=False))
    closed_text = write_markdown(build_draft(closed))
    assert "Accession" in open_text
    assert "Accession" not in closed_text


def test_an_accession_decided_for_a_closed_link_is_flagged_not_drafted() -> None:
    neg = negotiation("eu-ch-uk", saying(open_to_accession=False))
    [leftover] = [f for f in found(neg, "provision.not-in-form")
                  if f.topic == "accession"]
    assert leftover.message == (
        "Procedure for accession is decided but is not needed: the "
        "session says the link is closed to further systems (`open_to_accession: false`); it "
        "will not be drafted")
    assert not found(neg, "form.accession-missing")


def test_a_bilateral_link_said_to_be_open_is_warned_that_no_clause_lets_a_system_join() -> None:
    neg = negotiation("eu-ch", saying(open_to_accession=True))
    [warning] = found(neg, "form.accession-missing")
    assert warning.severity == "warning"
    assert warning.message.startswith(
        "the session says the link is open to further systems, but no accession clause of the "
        "library fits a bilateral treaty")
    assert "accession.procedure" not in asked(neg)


def test_a_one_way_link_said_to_be_open_is_warned() -> None:
    neg = negotiation("au-eu", saying(open_to_accession=True))
    [warning] = found(neg, "form.accession-missing")
    assert "a one-way link is Australia's own regulation: no system accedes to it" in (
        warning.message)


def test_open_to_accession_must_be_true_or_false() -> None:
    from negotiation.errors import LinkwrightError

    with pytest.raises(LinkwrightError) as refused:
        negotiation("eu-ch-uk", saying(open_to_accession="perhaps"))
    assert str(refused.value).endswith("open_to_accession: write true (further systems may "
                                       "join) or false (they may not)")
