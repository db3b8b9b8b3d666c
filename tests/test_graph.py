"""The dependency graph: what is missing, what conflicts, what a change affects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from negotiation.checks import run_checks
from negotiation.edits import apply_remedy
from negotiation.graph import affected_topics, build_graph, party_node, provision_node
from negotiation.session import assemble, load_session
from tests.conftest import negotiation, override


def by_rule(neg: Any, rule: str) -> list[Any]:
    return [f for f in run_checks(neg) if f.rule == rule]


def decide(data: dict[str, Any], provision: str, clause: str, **params: Any) -> None:
    data["provisions"][provision] = {"clause": clause, "params": params}


def test_missing_requirement_is_an_error_with_a_remedy_that_resolves_it() -> None:
    neg = negotiation("eu-ch", lambda d: decide(d, "institutions.body",
                                                "institutions.body.consultation_committee"))
    found = by_rule(neg, "clause.missing-requirement")
    assert found and all(f.severity == "error" for f in found)
    assert "'Joint Committee with binding decisions'" in found[0].message
    assert "institutions.body.joint_committee_binding" in found[0].clauses
    fixed = assemble(apply_remedy(neg.session, found[0].remedies[0]))
    assert not by_rule(fixed, "clause.missing-requirement")


def test_a_requirement_still_open_is_work_to_do_not_an_error() -> None:
    # The walk asks recognition.origin later: choosing the clause that needs it is no
    # mistake, so it says what remains to decide without failing `check`.
    neg = negotiation("eu-ch", lambda d: d["provisions"].pop("recognition.origin"))
    found = by_rule(neg, "clause.missing-requirement")
    assert found and {f.severity for f in found} == {"info"}
    assert "Identification of origin is still open: decide it before the text is final" in (
        found[0].message)
    fixed = assemble(apply_remedy(neg.session, found[0].remedies[0]))
    assert not by_rule(fixed, "clause.missing-requirement")


def test_conflicting_clauses_are_an_error() -> None:
    assert not by_rule(negotiation("eu-ch"), "clause.conflict")
    neg = negotiation("eu-ch", lambda d: decide(d, "auctions.format", "auctions.format.joint"))
    found = by_rule(neg, "clause.conflict")
    assert found and found[0].severity == "error"
    assert set(found[0].clauses) == {"auctions.format.joint",
                                     "price_floor.rule.cancel_below_partner"}


def test_clause_not_fitting_the_form_is_an_error_with_fitting_alternatives() -> None:
    neg = negotiation("ca-qc", lambda d: decide(
        d, "disputes.procedure", "disputes.procedure.committee_then_arbitration", months=6))
    found = by_rule(neg, "clause.does-not-fit")
    assert found and "memorandum" in found[0].message
    assert any(r.choose and r.choose.clause == "disputes.procedure.consultation"
               for r in found[0].remedies)


def test_a_profile_figure_out_of_a_parameters_bounds_is_an_error() -> None:
    # A session's own out-of-bounds value is refused at load (tests/security/
    # test_values_and_layers.py); a figure the parties' profiles give through
    # `default_from` is not the file's to fix, so the check reports it.
    def steep(data: dict[str, Any]) -> None:
        # Caps of comparable ambition at the rate the profiles share (eu-ch itself refers
        # the cap to each party's legislation, with no rate of its own).
        data["provisions"]["cap.ambition"] = {"clause": "cap.ambition.comparable"}
        override(data, "eu", annual_reduction_pct=150)
        override(data, "ch", annual_reduction_pct=150)

    neg = negotiation("eu-ch", steep)
    found = by_rule(neg, "param.invalid")
    assert found and "above the maximum 100" in found[0].message
    assert found[0].parameters == ("provision:cap.ambition.reduction_pct",)


def test_reference_to_a_topic_missing_from_the_form_is_unresolved(tmp_path: Path) -> None:
    library = tmp_path / "library"
    library.mkdir()
    (library / "extra.yaml").write_text("""
topic: extra
title: Extra
order: 99
provisions:
  extra.note:
    title: A note
    clauses:
      - id: extra.note.ref
        title: Points at accession
        forms: [treaty]
        linkage: [bilateral]
        text:
          binding: "See {{ ref('accession') }} and {{ ref('no_such_topic') }}."
""")
    session = tmp_path / "s.yaml"
    text = Path(__file__).parent.parent.joinpath("negotiation/presets/eu-ch.yaml").read_text()
    text = text.replace("reporting_currency: EUR", "reporting_currency: EUR\nlibraries: [library]")
    text = text.replace("provisions:\n", "provisions:\n  extra.note: {clause: extra.note.ref}\n")
    session.write_text(text)
    found = by_rule(load_session(session), "ref.unresolved")
    messages = " ".join(f.message for f in found)
    assert "'no_such_topic', which the library does not define" in messages
    assert "'Accession', which a bilateral treaty does not contain" in messages


def test_requirement_ring_in_a_user_library_is_reported(tmp_path: Path) -> None:
    library = tmp_path / "library"
    library.mkdir()
    (library / "ring.yaml").write_text("""
topic: ring
title: Ring
order: 98
provisions:
  ring.a:
    title: A
    clauses:
      - id: ring.a.one
        title: One
        requires: [ring.b.two]
        text: {binding: One., nonbinding: One is intended.}
  ring.b:
    title: B
    clauses:
      - id: ring.b.two
        title: Two
        requires: [ring.a.one]
        text: {binding: Two., nonbinding: Two is intended.}
""")
    session = tmp_path / "s.yaml"
    text = Path(__file__).parent.parent.joinpath("negotiation/presets/eu-ch.yaml").read_text()
    text = text.replace("reporting_currency: EUR", "reporting_currency: EUR\nlibraries: [library]")
    text = text.replace("provisions:\n", "provisions:\n  ring.a: {clause: ring.a.one}\n")
    session.write_text(text)
    found = by_rule(load_session(session), "clause.requirement-cycle")
    assert found and "ring.a.one -> ring.b.two -> ring.a.one" in found[0].message


def test_open_provisions_are_info_and_offer_the_fitting_clauses() -> None:
    neg = negotiation("eu-ch", lambda d: d["provisions"].pop("termination.notice"))
    # Named by its title, as a negotiator reads it (issue 14); the id is in the remedies.
    title = neg.library.provisions["termination.notice"].title
    found = [f for f in by_rule(neg, "provision.open") if f.message.startswith(title)]
    assert found and found[0].severity == "info"
    assert any(r.choose and r.choose.clause == "termination.notice.fixed"
               for r in found[0].remedies)


def test_only_the_questions_the_draft_needs_are_asked() -> None:
    neg = negotiation("ca-qc")
    relevant = {p.id for p in neg.relevant_provisions()}
    assert "sovereignty.statement" in relevant
    assert "depositary.designation" not in relevant  # bilateral
    assert "conditions.verification" not in relevant  # no conditions chosen
    treaty = {p.id for p in negotiation("eu-ch").relevant_provisions()}
    assert "sovereignty.statement" not in treaty
    # eu-ch's conditions are met before ratification: nobody has to confirm them later.
    assert "conditions.verification" not in treaty

    def confirmed_by_the_committee(data: dict[str, Any]) -> None:
        data["provisions"]["conditions.precondition"] = {
            "clause": "conditions.precondition.listed"}

    listed = negotiation("eu-ch", confirmed_by_the_committee).relevant_provisions()
    assert "conditions.verification" in {p.id for p in listed}


def test_changing_a_party_figure_marks_the_topics_whose_checks_read_it() -> None:
    neg = negotiation("eu-ch")
    graph = build_graph(neg)
    assert "price_ceiling" in affected_topics(graph, party_node("ch", "price_ceiling"))
    assert "offsets" in affected_topics(graph, party_node("eu", "offsets.limit_pct"))


def test_changing_a_choice_marks_the_topics_that_depend_on_it() -> None:
    graph = build_graph(negotiation("eu-ch"))
    affected = affected_topics(graph, provision_node("recognition.origin"))
    assert "recognition" in affected
    assert "net_flows" in affected  # the net-flow report requires the origin identifier


def test_term_defined_twice_differently_is_flagged() -> None:
    neg = negotiation("eu-ch")
    terms: dict[str, list[str]] = {}
    for clause, _ in neg.chosen().values():
        for term in clause.defines:
            terms.setdefault(term.lower(), []).append(clause.id)
    doubled = [t for t, ids in terms.items() if len(ids) > 1]
    findings = by_rule(neg, "term.defined-twice")
    assert len(findings) <= len(doubled)


def test_a_cross_reference_does_not_make_every_topic_affected() -> None:
    graph = build_graph(negotiation("eu-ch"))
    assert len(affected_topics(graph, provision_node("confidentiality.disclosure"))) <= 2


def test_clearing_an_override_restores_the_profile_figure() -> None:
    from negotiation.edits import clear_party_value, set_party_value

    neg = negotiation("eu-ch")
    edited = assemble(set_party_value(neg.session, "ch", "price_ceiling", 90))
    assert edited.systems["ch"].parameters.price_ceiling == 90
    restored = assemble(clear_party_value(edited.session, "ch", "price_ceiling"))
    assert restored.systems["ch"].parameters.price_ceiling == "none"  # the profile: no ceiling
    assert "price_ceiling" not in restored.party_spec("ch").overrides
