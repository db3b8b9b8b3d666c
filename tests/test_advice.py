"""Advice (readiness, kind of link, legal form) and the interview (what is still asked)."""

from __future__ import annotations

from negotiation import advice, interview
from tests.conftest import negotiation, override


def by_party(neg):
    return {r.party: r for r in advice.readiness(neg)}


def reopened(*provisions):
    """An edit leaving these provisions of a preset undecided again (eu-ch decides all)."""

    def edit(data):
        for provision in provisions:
            data["provisions"].pop(provision)

    return edit


# -- readiness ------------------------------------------------------------------------


def test_long_running_systems_with_prices_and_reports_are_established():
    ready = by_party(negotiation("eu-ch"))
    assert ready["eu"].maturity == "established"
    assert ready["eu"].years_operating == 12  # 2017 - 2005: the preset is the text of 2017
    assert ready["ch"].years_operating == 9
    assert ready["ch"].registry and ready["ch"].mrv_since == 2013


def test_a_system_in_its_first_year_is_new():
    ready = by_party(negotiation("ca-qc"))
    assert ready["ca"].maturity == "new"
    assert any("under 2" in reason for reason in ready["ca"].reasons)


def test_a_system_without_price_history_is_new_whatever_its_age():
    neg = negotiation("eu-ch", lambda d: override(d, "ch", price_history=False))
    assert by_party(neg)["ch"].maturity == "new"
    assert "no record of market prices" in by_party(neg)["ch"].reasons


def test_unknown_start_of_operation_is_unknown_not_mature():
    neg = negotiation("eu-ch", lambda d: override(d, "ch", operational_since=None))
    assert by_party(neg)["ch"].maturity == "unknown"


def test_readiness_is_counted_from_the_round_when_no_year_is_given():
    def no_year(data):
        data.pop("year")

    neg = negotiation("eu-ch", no_year)  # round of 12 June 2017
    assert by_party(neg)["eu"].years_operating == 12


# -- the kind of link ---------------------------------------------------------------------


def test_two_established_systems_without_one_sided_controls_get_a_full_link():
    rec = advice.recommend_linkage(negotiation("eu-ch"))
    assert rec.kind == "full"
    assert rec.recommended.clause == "recognition.scope.full"
    assert sum(o.recommended for o in rec.options) == 1


def test_a_one_sided_ceiling_recommends_a_one_way_link_into_the_system_with_it():
    neg = negotiation("eu-ch", lambda d: override(d, "ch", price_ceiling=60))
    rec = advice.recommend_linkage(neg)
    assert rec.kind == "unilateral_first"
    assert rec.recommended.linkage == "unilateral"
    assert rec.recommended.recognising == "ch"
    assert any("ceiling" in reason for reason in rec.reasons)


def test_a_one_sided_floor_recommends_a_restricted_link():
    neg = negotiation("eu-ch", lambda d: override(d, "ch", price_floor=20))
    rec = advice.recommend_linkage(neg)
    assert rec.kind == "restricted"
    assert rec.recommended.clause == "recognition.scope.quantitative_limit"


def test_a_young_system_beside_an_established_one_is_linked_by_degrees():
    neg = negotiation("eu-ch", lambda d: override(d, "ch", operational_since=2019))
    rec = advice.recommend_linkage(neg)
    assert rec.kind == "phased"
    assert any("Switzerland" in reason for reason in rec.reasons)


def test_two_young_systems_get_a_quota():
    rec = advice.recommend_linkage(negotiation("ca-qc"))
    assert rec.kind == "restricted"


def test_every_option_for_two_parties_includes_both_one_way_directions():
    rec = advice.recommend_linkage(negotiation("eu-ch"))
    keys = {o.key for o in rec.options}
    assert {"full", "quota", "exchange-rate", "phased", "unilateral-eu", "unilateral-ch"} <= keys


def test_three_parties_are_offered_no_one_way_link():
    rec = advice.recommend_linkage(negotiation("eu-ch-uk"))
    assert all(o.linkage == "multilateral" for o in rec.options)


def test_the_current_option_is_read_from_linkage_and_recognition_clause():
    assert advice.current_link_option(negotiation("eu-ch")) == "full"
    assert advice.current_link_option(negotiation("au-eu")) == "unilateral-au"


# -- the legal form ----------------------------------------------------------------------------


def test_national_parties_are_recommended_a_treaty():
    forms = advice.form_options(negotiation("eu-ch"))
    assert forms.recommended == "treaty"
    assert forms.option("treaty").fits and forms.option("hybrid").fits
    assert not forms.option("regulation").fits


def test_a_subnational_party_cannot_sign_a_treaty_and_is_steered_to_a_memorandum():
    forms = advice.form_options(negotiation("ca-qc"))
    assert forms.recommended == "memorandum"
    treaty = forms.option("treaty")
    assert not treaty.fits and "cannot sign a treaty" in treaty.why_not
    assert not forms.option("hybrid").fits
    assert any("reciprocal regulations" in reason for reason in forms.reasons)


def test_a_unilateral_link_is_a_regulation():
    forms = advice.form_options(negotiation("au-eu"))
    assert forms.recommended == "regulation"
    assert [o.form for o in forms.options if o.fits] == ["regulation"]


def test_every_form_states_binding_force_flexibility_and_signatories():
    for option in advice.form_options(negotiation("eu-ch")).options:
        assert option.binding_force and option.flexibility and option.signatories


# -- the interview ----------------------------------------------------------------------------


def statuses(neg):
    return {q.id: q.status for group in interview.questions(neg) for q in group.questions}


def test_only_relevant_provisions_are_asked_and_empty_topics_are_not_listed():
    neg = negotiation("eu-ch")
    relevant = {p.id for p in neg.relevant_provisions()}
    assert set(statuses(neg)) == relevant
    topics = [g.topic.id for g in interview.questions(neg)]
    assert "sovereignty" not in topics  # memorandum only
    assert "accession" not in topics  # multilateral only
    assert topics == sorted(topics, key=lambda t: neg.library.topics[t].order)


def test_decided_open_and_settled_provisions_are_told_apart():
    found = statuses(negotiation("eu-ch", reopened("offsets.quantity", "registries.security")))
    assert found["termination.notice"] == "decided"
    assert found["offsets.quantity"] == "open"
    assert found["registries.security"] == "settled"  # a single fitting clause, nothing disputed


def test_different_positions_are_disputed_and_equal_ones_agreed():
    found = statuses(negotiation("ca-qc-draft"))
    assert found["termination.notice"] == "disputed"  # 12 vs 6 months
    assert found["third_links.procedure"] == "disputed"  # a clause vs own text
    assert found["transparency.exchange"] == "agreed"


def test_a_single_clause_with_a_disputed_value_is_not_settled():
    def positions(data):
        reopened("oversight.conduct")(data)
        data["positions"] = {
            "eu": {"oversight.conduct": {"clause": "oversight.conduct.equivalent_rules"}},
            "ch": {"oversight.conduct": {"text": "Our own words."}},
        }

    assert statuses(negotiation("eu-ch", positions))["oversight.conduct"] == "disputed"


def test_next_question_is_the_first_open_one_in_treaty_order():
    question = interview.next_question(
        negotiation("eu-ch", reopened("oversight.conduct", "offsets.quantity")))
    assert question is not None and question.id == "offsets.quantity"


def test_nothing_is_asked_when_everything_is_decided():
    assert interview.next_question(negotiation("eu-ch")) is None  # the agreement as signed
    # Provisions with a single fitting clause are only to be confirmed, never asked.
    neg = negotiation("eu-ch", reopened("registries.security", "entry_into_force.procedure"))
    assert interview.next_question(neg) is None
    assert set(interview.settled_choices(neg)) == {
        "registries.security",
        "entry_into_force.procedure",
    }


def test_only_if_provisions_appear_once_their_clause_is_chosen():
    def no_conditions(data):
        data["provisions"]["conditions.precondition"] = {"clause": "conditions.precondition.none"}

    def confirmed_by_the_committee(data):
        data["provisions"]["conditions.precondition"] = {
            "clause": "conditions.precondition.listed"}

    assert "conditions.verification" in statuses(negotiation("eu-ch", confirmed_by_the_committee))
    assert "conditions.verification" not in statuses(negotiation("eu-ch", no_conditions))
    # The agreement as signed: the parties ratify once the conditions are met, nobody confirms.
    assert "conditions.verification" not in statuses(negotiation("eu-ch"))


def test_no_offset_credits_stops_the_questions_about_their_quality():
    def no_offsets(data):
        data["provisions"]["offsets.quantity"] = {"clause": "offsets.quantity.none"}

    asked = {"offset_quality.standards", "offset_quality.eligible", "mrv.offsets"}
    assert asked <= set(statuses(negotiation("eu-ch")))
    assert not asked & set(statuses(negotiation("eu-ch", no_offsets)))


def test_a_quality_decision_left_over_after_choosing_no_offsets_is_flagged_not_drafted():
    from negotiation.checks import run_checks
    from negotiation.drafting.builder import build_draft
    from negotiation.drafting.markdown import write_markdown

    def harmonised(data):
        reopened("offset_quality.eligible", "mrv.offsets")(data)
        data["provisions"]["offset_quality.standards"] = {
            "clause": "offset_quality.standards.harmonised_protocols"
        }

    def no_offsets_but_harmonised(data):
        harmonised(data)
        data["provisions"]["offsets.quantity"] = {"clause": "offsets.quantity.none"}

    neg = negotiation("eu-ch", no_offsets_but_harmonised)
    findings = run_checks(neg)
    leftover = [f for f in findings if f.rule == "provision.not-in-form"]
    assert len(leftover) == 1
    assert "not needed once 'No offset credits'" in leftover[0].message
    # Its requirement (MRV of offset credits) is not demanded of a clause left out.
    assert not [f for f in findings if f.rule == "clause.missing-requirement"]
    assert "Quality and eligibility of offset credits" in write_markdown(
        build_draft(negotiation("eu-ch", harmonised))
    )
    assert "Quality and eligibility of offset credits" not in write_markdown(build_draft(neg))
