"""Clause texts a legal adviser of each tradition signs off (issue 12).

The presets are read back as a lawyer reads the instrument: no party gets a
veto over the other's legislation, the EU's surrender calendar stays lawful, a
suspension stops surrender and nothing else, a registry article says one thing,
and a treaty is subject to ratification rather than a duty to ratify.
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from negotiation.drafting.builder import build_draft
from negotiation.drafting.markdown import write_markdown
from negotiation.library import load_library
from tests.conftest import negotiation

LIBRARY = load_library()

VETO_OR_CO_DECISION = [
    "except as agreed",
    "update those values together",
    "only by common decision",
    "without the agreement of the other",
    "without the prior agreement of the other",
    "shall change those rules alone",
    "unless the Parties agree otherwise",
    "have jointly recognised as exposed",
]
"""Wordings that make one party's legislation depend on the other's consent."""

BEFORE_FIX = [
    *VETO_OR_CO_DECISION,
    "shall ratify",
    "for an earlier year",
    "earlier than its vintage",
    "shall be transferred into an account in the registry of the suspending",
    "shall take effect only once each other",
]


@cache
def instrument(preset: str) -> str:
    return write_markdown(build_draft(negotiation(preset)))


def article(text: str, title: str) -> str:
    """The text of the article with this heading, up to the next heading."""
    match = re.search(rf"^## Article \d+ — {re.escape(title)}\n(.*?)(?=^## )", text,
                      flags=re.M | re.S)
    assert match, f"no article '{title}'"
    return " ".join(match.group(1).split())


def clause_texts() -> list[tuple[str, str, str]]:
    return [(clause.id, voice, text) for clause in LIBRARY.clauses.values()
            for voice, text in (("binding", clause.text.binding),
                                ("nonbinding", clause.text.nonbinding)) if text]


@pytest.mark.parametrize("phrase", BEFORE_FIX)
def test_no_clause_in_the_library_says_what_a_legal_adviser_would_strike(phrase: str) -> None:
    offending = [f"{cid} ({voice})" for cid, voice, text in clause_texts()
                 if phrase.lower() in " ".join(text.split()).lower()]
    assert not offending, f"'{phrase}' in {offending}"


@pytest.mark.parametrize("preset", ["eu-ch", "ca-qc"])
def test_the_precedent_instruments_give_no_party_a_veto_over_the_others_rules(
        preset: str) -> None:
    text = " ".join(instrument(preset).split())
    for phrase in VETO_OR_CO_DECISION:
        assert phrase not in text, phrase


def test_eu_ch_keeps_each_partys_right_to_legislate_and_informs_instead() -> None:
    text = instrument("eu-ch")
    legislation = article(text, "Development of legislation")
    assert "Each Party remains free to adopt or amend legislation" in legislation
    assert "any Party may ask for an exchange of views" in legislation
    allocation = article(text, "Allocation of allowances")
    assert "shall inform the other Party as soon as the revision is proposed" in allocation
    assert "by its own procedures" in allocation
    banking = article(text, "Banking of allowances")
    assert "shall inform the other Party as soon as the change is proposed" in banking
    assert "exchange views" in banking


def test_eu_ch_no_borrowing_rule_leaves_the_eu_surrender_calendar_lawful() -> None:
    borrowing = article(instrument("eu-ch"), "Borrowing of allowances")
    assert "for an earlier year" not in borrowing
    assert "allowances that have not yet been issued" in borrowing
    # free allocation by 28 February, surrender for the previous year by 30 April
    assert ("Allowances issued in the ordinary course before the deadline for surrendering "
            "allowances for a year or period may be surrendered for that year") in borrowing


def test_a_suspension_in_eu_ch_stops_surrender_and_every_other_transaction_continues() -> None:
    suspension = article(instrument("eu-ch"), "Suspension of recognition")
    assert "no allowance shall be surrendered for compliance in a system in which its " \
           "recognition is suspended" in suspension
    assert "All other transactions shall remain possible" in suspension
    assert "transfer of allowances, between registries as well as within them" in suspension
    assert "shall be transferred into" not in suspension


def test_a_suspension_in_eu_ch_follows_the_dispute_and_is_made_public() -> None:
    suspension = article(instrument("eu-ch"), "Suspension of recognition")
    assert "referred the matter to dispute settlement" in suspension
    assert "shall last until the dispute has been settled" in suspension
    assert "made public" in suspension
    assert "one or more the other" not in suspension


def test_a_change_notified_and_left_unchallenged_cannot_ground_a_suspension() -> None:
    criteria = article(instrument("eu-ch"), "Essential criteria")
    assert ("Where that procedure has run its course without any Party having asked for an "
            "exchange of views") in criteria
    assert "no Party may suspend recognition on the ground that the measure breaches " \
           "those criteria" in criteria


def test_eu_ch_third_link_is_accepted_or_the_agreement_terminated_never_vetoed() -> None:
    third = article(instrument("eu-ch"), "Links with other systems")
    assert "Each Party may negotiate a link" in third
    assert "shall decide whether it accepts that link or terminates" in third
    assert "only once" not in third


def test_eu_ch_is_subject_to_ratification_in_accordance_with_internal_procedures() -> None:
    entry = article(instrument("eu-ch"), "Entry into force")
    assert "shall ratify" not in entry
    assert ("This Agreement is subject to ratification or approval by the Parties in "
            "accordance with their own internal procedures") in entry
    assert "exchanged their instruments of ratification or approval" in entry


def test_eu_ch_termination_follows_consultation_and_is_made_public() -> None:
    termination = article(instrument("eu-ch"), "Termination and withdrawal")
    assert "after consultation within the Joint Committee, by written notification" in termination
    assert "which shall be made public" in termination


def test_ca_qc_registry_article_sets_up_one_common_registry_and_nothing_else() -> None:
    registries = article(instrument("ca-qc"), "Registries")
    assert "common registry" in registries
    for separate in ("operate its registry", "between its registry", "the registry concerned"):
        assert separate not in registries, separate
    assert "accounts under its jurisdiction" in registries


def test_ca_qc_keeps_each_participants_right_to_amend_its_own_regulation() -> None:
    text = instrument("ca-qc")
    mrv = article(text, "Monitoring, reporting and verification")
    assert "each giving effect to them in its own law" in mrv
    assert "agreement of the other" not in mrv
    legislation = article(text, "Development of legislation")
    assert "retains the right to adopt, amend or repeal its own laws and regulations" \
        in legislation
    assert "without the agreement" not in legislation


@pytest.mark.parametrize("preset", ["eu-ch", "ca-qc"])
def test_a_bilateral_instrument_never_calls_the_other_party_them(preset: str) -> None:
    text = " ".join(instrument(preset).split())
    for phrase in ("consult them on request", "keep them informed", "give them an opportunity",
                   "notified the others", "with the agreement of all of them",
                   "in relation to one or more the other"):
        assert phrase not in text, phrase
