"""The North American and Australian presets read as the instruments their negotiators
made: `ca-qc` is the 2013 California–Québec agreement as concluded, `ca-qc-draft` keeps
the walk-through's open questions, `ca-qc-on` is the 2017 agreement with Ontario and
`au-eu` is Australia's own act of 2012. What a reader who knows the real texts checks
first is asserted here: the provisions are there (chosen, and in the rendered text),
and the errors the legal read found are gone."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from negotiation import interview
from negotiation.checks import run_checks
from negotiation.cli import main
from negotiation.drafting.builder import build_draft
from negotiation.drafting.markdown import write_markdown
from negotiation.library import load_library
from negotiation.session import Negotiation, load_preset
from tests.conftest import negotiation


def instrument(preset: str) -> str:
    return write_markdown(build_draft(load_preset(preset)))


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def article(text: str, title: str) -> str:
    """The text of the article with this heading (numbers left out)."""
    found = re.search(rf"^## Article \d+ — {re.escape(title)}\n(.*?)(?=^## )", text,
                      flags=re.M | re.S)
    assert found, f"no article '{title}'"
    return one_line(found.group(1))


def chosen(neg: Negotiation) -> dict[str, str]:
    return {pid: clause.id for pid, (clause, _values) in neg.chosen().items()}


def errors(neg: Negotiation) -> list[str]:
    return [f.message for f in run_checks(neg) if f.severity == "error"]


def brief(preset: str, tmp_path: Path) -> str:
    out = tmp_path / f"{preset}-brief.md"
    assert main(["render", "--preset", preset, "--document", "brief", "-o", str(out)]) == 0
    return out.read_text("utf-8")


# -- ca-qc: the 2013 agreement as concluded ------------------------------------------------


def test_ca_qc_is_settled_with_no_error_and_no_unconfirmed_value(
        capsys: pytest.CaptureFixture[str]) -> None:
    neg = load_preset("ca-qc")
    assert {p.id for p in neg.relevant_provisions()} <= set(neg.chosen())  # 0 open
    assert errors(neg) == []
    assert neg.unconfirmed() == {}
    assert not [f for f in run_checks(neg) if f.rule == "provision.open"]
    assert main(["check", "--preset", "ca-qc"]) == 0
    assert "0 error(s)" in capsys.readouterr().out
    assert build_draft(neg).open_count() == 0


def test_ca_qc_parties_are_the_board_and_the_gouvernement_as_named_in_2013() -> None:
    text = instrument("ca-qc")
    title = text.split("\n")[1]
    assert title == ("# Agreement between the California Air Resources Board and the "
                     "Gouvernement du Québec concerning the harmonization and integration of "
                     "cap-and-trade programs for reducing greenhouse gas emissions")
    assert "For the California Air Resources Board: ___" in text
    assert "For the Gouvernement du Québec: ___" in text
    assert "State of California" not in text
    assert "Government of Québec" not in text
    # The ministry that signed for Québec, by its 2013 name.
    assert "Faune et des Parcs (MDDEFP)" in text and "MELCCFP" not in text


def test_ca_qc_chooses_the_provisions_of_the_real_agreement() -> None:
    decided = chosen(load_preset("ca-qc"))
    expected = {
        "objective.purpose": "objective.purpose.harmonise_and_integrate",
        "legislation.changes": "legislation.changes.harmonise_and_consult",
        "mrv.equivalence": "mrv.equivalence.harmonised",
        "offset_quality.standards": "offset_quality.standards.harmonised_protocols",
        "recognition.scope": "recognition.scope.compliance_instruments",
        "auctions.format": "auctions.format.joint",
        "auctions.access": "auctions.access.joint_purchase_limits",
        "registries.link": "registries.link.common_registry",
        "institutions.administrator": "institutions.administrator.named_nonprofit",
        "institutions.body": "institutions.body.consultation_committee",
        "cooperation.authorities": "cooperation.authorities.coordinate",
        "third_links.procedure": "third_links.procedure.consult_and_agree",
        "disputes.procedure": "disputes.procedure.consultation",
        "amendment.procedure": "amendment.procedure.written_consent",
        "termination.notice": "termination.notice.withdrawal",
        "sovereignty.statement": "sovereignty.statement.non_binding",
        "sovereignty.programme": "sovereignty.programme.amend_or_repeal",
        "entry_into_force.procedure": "entry_into_force.procedure.on_signature",
        "languages.authentic": "languages.authentic.all_equal",
        # the harmonised design, settled through the two regulations
        "price_floor.rule": "price_floor.rule.common_reserve_price",
        "price_ceiling.rule": "price_ceiling.rule.separate_reserves",
        "banking.rules": "banking.rules.holding_limits",
        "borrowing.rules": "borrowing.rules.within_compliance_period",
    }
    assert {pid: decided.get(pid) for pid in expected} == expected


def test_ca_qc_text_reads_back_the_real_agreements_provisions() -> None:
    text = instrument("ca-qc")
    flat = one_line(text)
    assert "harmonization and integration of their programs for the mandatory reporting" \
        in article(text, "Objective")
    recognition = article(text, "Recognition of allowances")
    assert ("its allowances and its offset credits alike, as equivalent to and "
            "interchangeable with those issued under its own system") in recognition
    assert "use a common registry" in article(text, "Registries")
    auctions = article(text, "Auctioning")
    assert "hold joint auctions" in auctions
    assert "share of the allowances offered in an auction" in auctions
    assert "common auction reserve price of USD 11.34" in article(text, "Minimum prices")
    assert "5 per cent plus the rate of inflation" in article(text, "Minimum prices")
    assert "price containment reserve" in article(text, "Price ceilings and cost containment")
    assert "holding limit" in article(text, "Banking of allowances")
    borrowing = article(text, "Borrowing of allowances")
    assert "compliance periods of their systems to be of 3 years" in borrowing
    assert "issued for a year after the end of that period" in borrowing
    institutions = article(text, "Institutional arrangements")
    assert "Consultation Committee of senior officials" in institutions
    assert "through Western Climate Initiative, Inc. (WCI, Inc.)" in institutions
    assert "no regulatory or policy-making authority" in institutions
    assert "exchange, on request and on their own initiative, the information" in \
        article(text, "Coordination of competent authorities")
    legislation = article(text, "Development of legislation")
    assert "retains the right to adopt, amend or repeal its own laws and regulations" \
        in legislation
    # "Parties", as the North American agreements say though they bind no one (issue 11).
    assert "sovereign right of each Party to adopt, amend or repeal" in flat
    withdrawal = article(text, "Termination and withdrawal")
    assert "at least 12 months before" in withdrawal
    assert "end of a compliance period" in withdrawal
    assert "does not create any obligation that is legally binding" in flat
    assert "English and French" in article(text, "Languages")


def test_ca_qc_takes_effect_and_never_enters_into_force() -> None:
    text = instrument("ca-qc")
    assert "will take effect on the date on which the last of the Parties signs it" \
        in article(text, "Taking effect")
    assert not re.search(r"enters? into force|entry into force", text, flags=re.I)


def test_ca_qc_recognises_offset_credits_not_allowances_only() -> None:
    neg = load_preset("ca-qc")
    assert neg.decision("recognition.scope").clause != "recognition.scope.full"
    text = one_line(instrument("ca-qc"))
    assert "recognise the allowances issued under" not in text
    assert "“compliance instrument” means an allowance or an offset credit" in text


def test_ca_qc_matters_the_agreement_leaves_to_the_regulations_draft_nothing() -> None:
    neg = load_preset("ca-qc")
    left = {pid for pid, clause in chosen(neg).items() if clause.endswith(".not_regulated")}
    assert {"suspension.grounds", "cap.ambition", "net_flows.accounting",
            "termination.held_units"} <= left
    text = instrument("ca-qc")
    for heading in ("Suspension of recognition", "Cap and ambition", "Accounting of net flows",
                    "Conditions for linking"):
        assert f"— {heading}\n" not in text, heading
    assert "[to be agreed]" not in text and "[reference to" not in text


def test_ca_qc_says_which_facts_are_reported_but_not_verified() -> None:
    library = load_preset("ca-qc").library
    for clause_id in ("termination.notice.withdrawal", "sovereignty.statement.non_binding"):
        precedent = next(p for p in library.clauses[clause_id].precedent
                         if p.source.startswith("California–Québec agreement (2013)"))
        assert precedent.verified is False, clause_id


# -- ca-qc-draft: the walk-through's open questions -------------------------------------------


def test_ca_qc_draft_is_named_as_a_draft_and_keeps_the_disputed_notice() -> None:
    neg = load_preset("ca-qc-draft")
    assert "draft" in neg.session.title.lower()
    found = {q.id: q.status for group in interview.questions(neg) for q in group.questions}
    assert found["termination.notice"] == "disputed"  # 12 months or 6
    assert found["third_links.procedure"] == "disputed"  # a clause against own text
    text = instrument("ca-qc-draft")
    assert "[12][6] months" in text and "[Option 1:" in text


# -- every other preset of this family checks with exit 0 ---------------------------------------


@pytest.mark.parametrize("preset", ["ca-qc-draft", "ca-qc-on", "au-eu"])
def test_the_other_presets_check_with_exit_0(preset: str) -> None:
    assert main(["check", "--preset", preset]) == 0


@pytest.mark.parametrize("preset", ["ca-qc-on", "au-eu"])
def test_the_concluded_texts_have_no_error_and_no_unconfirmed_value(preset: str) -> None:
    neg = load_preset(preset)
    assert errors(neg) == []
    assert neg.unconfirmed() == {}
    assert {p.id for p in neg.relevant_provisions()} <= set(neg.chosen())


# -- ca-qc-on: the 2017 agreement ----------------------------------------------------------------


def test_ca_qc_on_names_the_three_governments_and_takes_effect_in_2018() -> None:
    text = instrument("ca-qc-on")
    for party in ("the Government of California", "the Gouvernement du Québec",
                  "the Government of Ontario"):
        assert f"For {party}: ___" in text
    assert "State of California" not in text
    assert "will take effect on 1 January 2018" in article(text, "Taking effect")
    assert "Accounting of net flows" in text  # the 2017 agreement's addition


def test_ca_qc_on_notes_ontarios_withdrawal_in_the_brief_not_the_instrument(
        tmp_path: Path) -> None:
    notes = brief("ca-qc-on", tmp_path)
    assert "Ontario's withdrawal (2018)" in notes
    assert "15 June 2018" in notes and "3 July 2018" in notes
    text = instrument("ca-qc-on")
    assert "15 June 2018" not in text and "withdrawal (2018)" not in text


# -- au-eu: Australia's own act --------------------------------------------------------------


def test_au_eu_is_only_australias_act() -> None:
    text = instrument("au-eu")
    assert "This instrument is made under the Clean Energy Act 2011." in text
    # Made by the Governor-General, countersigned by the Minister: no party signs it.
    assert "Governor-General: ___" in text and "For Australia" not in text
    assert "For the European Union" not in text
    assert "Joint Committee" not in text and "joint body" not in text.lower()
    assert "— Languages\n" not in text and "authentic" not in text.lower()
    assert "— Dispute settlement\n" not in text


# -- what the library now lets these presets say --------------------------------------------


def test_a_memorandum_heads_its_last_articles_taking_effect_a_treaty_entry_into_force() -> None:
    library = load_library()
    topic = library.topics["entry_into_force"]
    assert topic.heading("memorandum") == "Taking effect"
    assert topic.heading("treaty") == "Entry into force"
    assert re.search(r"^## Article \d+ — Entry into force$", instrument("eu-ch"), flags=re.M)


def test_not_regulated_is_no_rival_to_the_one_clause_that_drafts_text() -> None:
    def unsettle(data: dict[str, Any]) -> None:
        del data["provisions"]["termination.settlement"]

    neg = negotiation("ca-qc-on", unsettle)
    fitting = [c.id for c in neg.library.fitting_clauses("termination.settlement",
                                                         neg.form, neg.linkage)]
    assert "termination.settlement.not_regulated" in fitting and len(fitting) == 2
    found = {q.id: q.status for group in interview.questions(neg) for q in group.questions}
    assert found["termination.settlement"] == "settled"
    title = neg.library.provisions["termination.settlement"].title
    [open_info] = [f for f in run_checks(neg) if f.rule == "provision.open"
                   and f.message.startswith(title)]
    assert "only 'Net flows established and accounted for" in open_info.message


def test_a_provision_only_not_regulated_fits_is_not_asked() -> None:
    neg = load_preset("au-eu")  # a regulation: no clause of these drafts text for it
    asked = {p.id for p in neg.relevant_provisions()}
    assert not {"net_flows.accounting", "cap.ambition", "borrowing.rules"} & asked


def test_the_2013_text_calls_itself_an_agreement_throughout() -> None:
    # a non-binding text its signatories called an Agreement: never "this Memorandum"
    from negotiation.drafting.builder import build_draft
    from negotiation.drafting.markdown import write_markdown
    from negotiation.session import load_preset

    text = write_markdown(build_draft(load_preset("ca-qc")))
    assert "Memorandum" not in text
    assert "this Agreement" in text and "Signed at" in text
