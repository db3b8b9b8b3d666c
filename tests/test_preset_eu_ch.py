"""The EU–Switzerland preset is the agreement as signed on 23 November 2017, read back
as a lawyer who knows the real text would read it; the hypothetical presets say what
they are on the brief's cover and nowhere in the instrument."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from negotiation.checks import run_checks
from negotiation.cli import main
from negotiation.drafting.builder import build_draft
from negotiation.drafting.markdown import write_markdown
from negotiation.findings import Finding
from negotiation.session import load_preset
from tests.conftest import negotiation

LANGUAGES_2017 = ["Bulgarian", "Croatian", "Czech", "Danish", "Dutch", "English", "Estonian",
                  "Finnish", "French", "German", "Greek", "Hungarian", "Italian", "Latvian",
                  "Lithuanian", "Maltese", "Polish", "Portuguese", "Romanian", "Slovak",
                  "Slovenian", "Spanish", "Swedish"]
"""The official languages of the Union when the agreement was signed; Irish was under a
derogation until 1 January 2022."""


def rendered(preset: str, tmp: Path, document: str = "instrument") -> str:
    """The document as `linkwright render` writes it, in Markdown."""
    out = tmp / f"{preset}-{document}.md"
    assert main(["render", "--preset", preset, "--document", document, "-o", str(out)]) == 0
    return out.read_text("utf-8")


@cache
def eu_ch_text() -> str:
    return write_markdown(build_draft(load_preset("eu-ch")))


def one_line(text: str) -> str:
    return " ".join(text.replace("\\", "").split())


def article(text: str, title: str) -> str:
    """The text of the article with this heading, up to the next heading."""
    match = re.search(rf"^## Article \d+ — {re.escape(title)}\n(.*?)(?=^## )", text,
                      flags=re.M | re.S)
    assert match, f"no article '{title}'"
    return one_line(match.group(1))


def cover(brief: str) -> str:
    """The brief's cover: everything before its first section."""
    return brief.split("\n## ", 1)[0]


def open_errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


# -- settled, consistent, dated ------------------------------------------------------


def test_eu_ch_checks_with_nothing_open_no_error_and_no_unconfirmed_value(
        capsys: pytest.CaptureFixture[str]) -> None:
    neg = load_preset("eu-ch")
    assert [p.id for p in neg.relevant_provisions() if p.id not in neg.chosen()] == []
    assert open_errors(run_checks(neg)) == []
    assert neg.unconfirmed() == {}
    assert main(["check", "--preset", "eu-ch"]) == 0
    out = capsys.readouterr().out
    assert "0 error(s), " in out
    # Only the legal lint still marks wording of the clause library (issue 11).
    warnings = [line for line in out.splitlines() if line.strip().startswith("warning ")]
    assert all(line.strip().startswith("warning lint.") for line in warnings), warnings


def test_eu_ch_is_the_text_of_2017_dated_on_the_day_of_signature(tmp_path: Path) -> None:
    neg = load_preset("eu-ch")
    assert neg.session.year == 2017
    assert neg.session.round is not None and str(neg.session.round.date) == "2017-11-23"
    text = rendered("eu-ch", tmp_path)
    assert "23 November 2017" in text.splitlines()[0]
    annex = text.split("## Annex I")[1]
    # The EU penalty as it stood in 2017, before indexation reached about EUR 107 (2020).
    assert ("allowance surrendered in time | A penalty of EUR 100 for each tonne of carbon "
            "dioxide equivalent") in annex
    # Switzerland brought aviation in only for 2020: in 2017 it is a condition.
    assert ("| Coverage: the activities covered | Power, industry and aviation, under Annex I "
            "to Directive 2003/87/EC | Power and industry, under the CO2 Act and the CO2 "
            "Ordinance |") in annex
    brief = cover(rendered("eu-ch", tmp_path, "brief"))
    assert "Figures describe 2017" in brief
    assert "illustrative calibrations of 2024" in brief  # later figures, said on the cover
    assert "2024" not in text


# -- the provisions of the real agreement ---------------------------------------------

REAL_PROVISIONS = [
    # (provision, clause chosen, words the instrument must hold)
    ("objective.purpose", "objective.purpose.link_and_implement",
     "links the emissions trading systems of the European Union and the Swiss Confederation"),
    ("objective.purpose", "objective.purpose.link_and_implement",
     "Each Party shall take all the measures, general or particular, needed to carry out its "
     "obligations under this Agreement"),
    ("essential_criteria.compliance", "essential_criteria.compliance.legislation_at_signature",
     "refer to the legislation of each Party as in force on the date of signature of this "
     "Agreement"),
    ("essential_criteria.compliance", "essential_criteria.compliance.legislation_at_signature",
     "they require a cap at least as stringent as the cap set by that legislation and cover "
     "the inclusion of aviation activities and the auctioning of allowances"),
    ("cap.ambition", "cap.ambition.as_stringent_as_legislation",
     "a mandatory, absolute cap on emissions that is at least as stringent as the cap"),
    ("auctions.format", "auctions.format.separate_sale_only_by_auction",
     "A Party shall sell allowances only by auction."),
    ("auctions.access", "auctions.access.operators_and_authorised",
     "The operators covered by each linked system may apply for admission to bid"),
    ("legislation.changes", "legislation.changes.notify_exchange_views_committee",
     "Each Party remains free to adopt or amend legislation"),
    ("legislation.changes", "legislation.changes.notify_exchange_views_committee",
     "any Party may ask for an exchange of views within that body"),
    ("legislation.changes", "legislation.changes.notify_exchange_views_committee",
     "it shall decide how Annex I is to be amended within 6 months of the matter being "
     "referred to it"),
    ("legislation.changes", "legislation.changes.notify_exchange_views_committee",
     "within 8 months of the referral"),
    ("essential_criteria.changes", "essential_criteria.changes.under_legislation_procedure",
     "Where that procedure has run its course without any Party having asked for an exchange "
     "of views"),
    ("essential_criteria.changes", "essential_criteria.changes.under_legislation_procedure",
     "no Party may suspend recognition on the ground that the measure breaches those criteria"),
    ("suspension.grounds", "suspension.grounds.listed",
     "A suspension on the ground in point (a) shall last until the dispute has been settled"),
    ("suspension.grounds", "suspension.grounds.listed",
     "The decision to suspend shall be made public"),
    ("suspension.effects", "suspension.effects.other_transactions_continue",
     "All other transactions shall remain possible"),
    ("termination.notice", "termination.notice.fixed",
     "after consultation within the Joint Committee, by written "
     "notification to the other Party, which shall be made public"),
    ("institutions.body", "institutions.body.joint_committee_binding",
     "may set up subcommittees or working groups"),
    ("disputes.procedure", "disputes.procedure.committee_then_arbitration",
     "the Permanent Court of Arbitration, in accordance with its Arbitration Rules 2012"),
    ("amendment.procedure", "amendment.procedure.annexes_integral",
     "The Annexes form an integral part of this Agreement."),
    ("conditions.precondition", "conditions.precondition.before_consent",
     "No Party shall exchange or deposit its instrument of ratification or approval under "
     "Article 29 before it considers that each of the following conditions for linking has "
     "been fulfilled: (a) Switzerland is to include aviation activities in the Swiss ETS."),
    ("entry_into_force.procedure", "entry_into_force.procedure.exchange_of_instruments",
     "It shall enter into force on 1 January of the year following"),
    ("entry_into_force.provisional", "entry_into_force.provisional.listed_articles",
     "shall apply Article 21 and Article 22 provisionally from the date of signature"),
    ("third_links.procedure", "third_links.procedure.consent_or_terminate",
     "the other Party shall decide whether it accepts that link or terminates"),
    ("mrv.equivalence", "mrv.equivalence.by_essential_criteria",
     "verify those reports, in accordance with its legislation referred to in the essential "
     "criteria"),
    ("languages.authentic", "languages.authentic.duplicate_all_equal",
     "This Agreement is drawn up in duplicate in Bulgarian, Croatian"),
]


@pytest.mark.parametrize(("provision", "clause", "words"), REAL_PROVISIONS,
                         ids=[f"{p}:{w[:30]}" for p, _c, w in REAL_PROVISIONS])
def test_the_real_agreements_provision_is_chosen_and_in_the_text(provision: str, clause: str,
                                                                words: str) -> None:
    neg = load_preset("eu-ch")
    assert neg.decision(provision) is not None
    assert neg.decision(provision).clause == clause
    assert words in one_line(eu_ch_text())


def test_the_preamble_recalls_the_unfccc_the_kyoto_protocol_and_reviews_for_later_periods(
        ) -> None:
    preamble = one_line(eu_ch_text().split("## Preamble")[1].split("HAVE AGREED AS FOLLOWS")[0])
    assert ("United Nations Framework Convention on Climate Change and its Kyoto Protocol"
            in preamble)
    assert ("each new trading period of their emissions trading systems may require this "
            "Agreement to be reviewed" in preamble)


def test_the_languages_are_the_23_of_2017_in_duplicate_each_equally_authentic() -> None:
    languages = article(eu_ch_text(), "Languages")
    listed = re.search(r"in duplicate in (.*?), each version being equally authentic",
                       languages)
    assert listed
    names = re.split(r", | and ", listed.group(1))
    assert names == LANGUAGES_2017
    assert "Irish" not in eu_ch_text()


# -- what the agreement does not regulate -------------------------------------------

NOT_REGULATED = ["offsets.quantity", "offset_quality.standards", "offset_quality.eligible",
                 "market_stability.mechanism", "mrv.offsets", "oversight.conduct",
                 "confidentiality.disclosure"]


@pytest.mark.parametrize("provision", NOT_REGULATED)
def test_a_matter_the_agreement_does_not_regulate_is_decided_as_such(provision: str) -> None:
    neg = load_preset("eu-ch")
    assert neg.decision(provision).clause == f"{provision}.not_regulated"


def test_an_article_left_without_paragraphs_is_not_drafted_and_the_rest_renumber() -> None:
    text = eu_ch_text()
    headings = re.findall(r"^## Article (\d+) — (.+)$", text, flags=re.M)
    titles = [title for _n, title in headings]
    for gone in ("Offset credits", "Quality and eligibility of offset credits",
                 "Market stability and supply adjustment"):
        assert gone not in titles
    assert [int(n) for n, _t in headings] == list(range(1, len(headings) + 1))
    assert "[reference to" not in text
    assert "to be agreed" not in text
    # A topic that keeps one provision keeps only its paragraph ...
    for kept in ("Monitoring, reporting and verification", "Market oversight",
                 "Protection of sensitive information"):
        body = article(text, kept)
        # ... unnumbered, as a lawyer drafts a lone paragraph (issue 11).
        assert not re.match(r"\d+\. ", body.strip()) and " 2. " not in body
    assert not re.search(r"^\d+\.\s*$", text, flags=re.M), "an empty paragraph was drafted"


def test_a_provision_left_out_is_still_listed_in_the_status_of_the_text() -> None:
    draft = build_draft(load_preset("eu-ch"))
    rows = {row.provision: row for row in draft.status}
    assert rows["market_stability.mechanism"].reference == "no text"
    assert rows["market_stability.mechanism"].status == "agreed"
    assert "Not regulated by this instrument" in rows["market_stability.mechanism"].detail
    assert draft.open_count() == 0


def test_the_checks_still_compare_the_reserves_and_the_preset_acknowledges_the_difference(
        ) -> None:
    found = [f for f in run_checks(load_preset("eu-ch")) if f.rule == "supply.msr-one-sided"]
    assert len(found) == 1 and found[0].severity == "warning"
    assert found[0].acknowledged is not None
    assert "cuts its own auction volumes" in found[0].acknowledged

    def no_acknowledgement(data: dict[str, Any]) -> None:
        data.pop("acknowledged")

    reopened = [f for f in run_checks(negotiation("eu-ch", no_acknowledgement))
                if f.rule == "supply.msr-one-sided"]
    assert len(reopened) == 1 and reopened[0].is_open


def test_a_not_regulated_article_in_a_hybrid_guidelines_annex_is_left_out_too() -> None:
    def hybrid(data: dict[str, Any]) -> None:
        data["form"] = "hybrid"

    text = write_markdown(build_draft(negotiation("eu-ch", hybrid)))
    guidelines = text.split("## Annex II")[1]
    assert "Market stability and supply adjustment" not in guidelines
    assert "Market oversight" in guidelines
    assert not re.search(r"^\d+\.\s*$", text, flags=re.M)


# -- the errors the legal read corrected --------------------------------------------

CORRECTED = [
    "update those values together",  # co-decision of the other party's benchmarks
    "except as agreed under",  # a veto over the other party's banking law
    "for an earlier year",  # would outlaw the EU's allocation and surrender calendar
    "shall be transferred into",  # suspension barring transfers, not only surrender
    "shall ratify",  # a duty to ratify
    "A verifier accredited under the rules of one Party shall be accepted",  # not in Annex I
    "Irish",  # not an authentic language in 2017
    "hypothetical",
]


@pytest.mark.parametrize("words", CORRECTED)
def test_a_corrected_error_is_not_in_the_text(words: str) -> None:
    assert words.lower() not in one_line(eu_ch_text()).lower()


def test_the_swiss_verification_is_not_assumed_to_be_by_accredited_third_parties() -> None:
    premises = [f for f in run_checks(load_preset("eu-ch")) if f.rule == "clause.premise"]
    assert premises == []
    assert load_preset("eu-ch").decision("mrv.equivalence").clause != \
        "mrv.equivalence.mutual_recognition"


# -- the hypothetical presets ----------------------------------------------------------


@pytest.mark.parametrize("preset", ["eu-uk", "eu-ch-uk"])
def test_a_hypothetical_preset_says_so_on_the_brief_cover_and_never_in_the_instrument(
        preset: str, tmp_path: Path) -> None:
    assert "Hypothetical" in cover(rendered(preset, tmp_path, "brief"))
    assert "hypothetical" not in rendered(preset, tmp_path).lower()


def test_the_real_agreement_is_not_called_hypothetical(tmp_path: Path) -> None:
    assert "hypothetical" not in rendered("eu-ch", tmp_path, "brief").lower()


@pytest.mark.parametrize("preset", ["eu-uk", "eu-ch-uk"])
def test_a_hypothetical_preset_checks_with_exit_zero_and_no_error(preset: str) -> None:
    assert main(["check", "--preset", preset]) == 0
    assert open_errors(run_checks(load_preset(preset))) == []


def test_the_trilateral_preset_has_no_contradicted_premise_and_no_unconfirmed_value() -> None:
    findings = run_checks(load_preset("eu-ch-uk"))
    assert [f for f in findings if f.rule == "clause.premise" and f.is_open] == []
    assert [f for f in findings if f.rule == "param.unconfirmed"] == []


def test_accepting_the_partners_reserve_with_an_auction_cut_answers_a_one_sided_reserve(
        ) -> None:
    def with_auction_cut(data: dict[str, Any]) -> None:
        data["provisions"]["market_stability.mechanism"] = {
            "clause": "market_stability.mechanism.accept_partner_with_auction_cut",
            "params": {"threshold_pct": 50, "cut_pct": 50}}
        data.pop("acknowledged")

    findings = run_checks(negotiation("eu-ch", with_auction_cut))
    assert [f for f in findings if f.rule == "supply.msr-one-sided"] == []
    assert [f for f in findings if f.rule.startswith("acknowledged.")] == []
