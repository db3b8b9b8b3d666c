"""Cross-system rules on integrity and cooperation.

MRV, registries, oversight and penalties do not propagate by themselves,
but weakness in one system leaks into the linked market: a tonne must be a
tonne everywhere, and a penalty without make-good is a price ceiling in
disguise. Links to third systems link the partners indirectly.
"""

from __future__ import annotations

from collections.abc import Iterator

from negotiation.checks.common import (
    chosen_clause,
    chosen_in,
    fitting_choices,
    in_reporting,
    known,
    money,
    values,
)
from negotiation.checks.registry import rule
from negotiation.findings import Finding, set_party_param
from negotiation.session import Negotiation

PENALTY_FACTOR = 2.0
"""Penalties further apart than this factor (after conversion) invite enforcement shopping."""


def _agreement(neg: Negotiation) -> bool:
    return neg.linkage != "unilateral"


@rule("mrv.not-equivalent", topic="mrv", reads=("mrv.standard", "verification.accreditation"))
def mrv(neg: Negotiation) -> Iterator[Finding]:
    """MRV standards and verifier accreditation must be recognised as equivalent."""
    if chosen_clause(neg, "mrv.equivalence") is not None:
        return
    standards = known(values(neg, "mrv.standard"))
    accreditation = known(values(neg, "verification.accreditation"))
    differing = [label for label, table in (("MRV standards", standards),
                                            ("verifier accreditation", accreditation))
                 if len(set(table.values())) > 1]
    if not differing:
        return
    yield Finding(
        rule="mrv.not-equivalent", severity="warning", topic="mrv",
        message=f"{' and '.join(differing)} differ and no clause recognises them as "
                "equivalent: a tonne must be a tonne in every linked system",
        parties=tuple(neg.party_ids),
        remedies=tuple(fitting_choices(neg, "mrv.equivalence", [
            ("mrv.equivalence.mutual_recognition",
             "recognise each other's MRV and accredited verifiers"),
            ("mrv.equivalence.harmonised", "harmonise MRV rules")])))


@rule("registries.no-link", topic="registries", reads=("registry",))
def registries(neg: Negotiation) -> Iterator[Finding]:
    """Units can only move through a registry link or a common registry."""
    if chosen_clause(neg, "registries.link") is not None:
        return
    registry_names = known(values(neg, "registry"))
    if _agreement(neg) and len(set(registry_names.values())) <= 1 and registry_names:
        return  # already one common registry (e.g. CITSS)
    yield Finding(
        rule="registries.no-link", severity="warning", topic="registries",
        message="no registry link and no common registry is agreed: units cannot be "
                "transferred or traced between the systems",
        parties=tuple(neg.party_ids),
        remedies=tuple(fitting_choices(neg, "registries.link", [])))


@rule("oversight.not-coordinated", topic="oversight", reads=("oversight_authority",))
def oversight(neg: Negotiation) -> Iterator[Finding]:
    """Market oversight must be coordinated: manipulation in one venue spills over."""
    if not _agreement(neg) or chosen_clause(neg, "oversight.coordination") is not None:
        return
    authorities = known(values(neg, "oversight_authority"))
    listing = "; ".join(f"{neg.party_short(p)}: {v}" for p, v in authorities.items())
    yield Finding(
        rule="oversight.not-coordinated", severity="warning", topic="oversight",
        message="market oversight is not coordinated"
                + (f" ({listing})" if listing else "")
                + ": manipulation in one venue spills over into the linked market",
        parties=tuple(neg.party_ids),
        remedies=tuple(fitting_choices(neg, "oversight.coordination", [
            ("oversight.coordination.cooperation", "have the oversight authorities cooperate")])))


@rule("enforcement.penalties", topic="enforcement",
      reads=("penalty.per_tonne", "penalty.make_good"))
def penalties(neg: Negotiation) -> Iterator[Finding]:
    """A penalty without make-good is a de facto ceiling; levels far apart invite shopping."""
    for pid in neg.party_ids:
        penalty = neg.systems[pid].parameters.penalty
        if penalty.make_good is False:
            level = (f" of {money(neg, pid, penalty.per_tonne)} per tonne"
                     if penalty.per_tonne is not None else "")
            yield Finding(
                rule="enforcement.no-make-good", severity="warning", topic="enforcement",
                message=f"{neg.party_short(pid)}'s penalty{level} buys out the obligation "
                        "(no make-good): it acts as a price ceiling for the whole linked market",
                parties=(pid,), parameters=(f"party:{pid}.penalty.make_good",),
                remedies=(set_party_param(pid, "penalty.make_good", True,
                                          f"{neg.party_short(pid)} requires make-good"),
                          *fitting_choices(neg, "enforcement.penalties", [
                              ("enforcement.penalties.make_good_comparable",
                               "agree penalties with make-good at comparable levels")])))
    if chosen_in(neg, "enforcement.penalties", "common_minimum"):
        return
    levels = {p: in_reporting(neg, p, v)
              for p, v in known(values(neg, "penalty.per_tonne")).items()}
    levels = {p: v for p, v in levels.items() if v}
    if len(levels) >= 2:
        low, high = min(levels.values()), max(levels.values())
        if high / low > PENALTY_FACTOR:
            listing = ", ".join(f"{neg.party_short(p)} "
                                f"{money(neg, p, neg.systems[p].parameters.penalty.per_tonne)}"
                                for p in levels)
            yield Finding(
                rule="enforcement.penalties-differ", severity="warning", topic="enforcement",
                message=f"penalties per tonne differ by a factor of {high / low:.1f} "
                        f"({listing}; compared in {neg.rates().reporting}), more than "
                        f"{PENALTY_FACTOR:g}", parties=tuple(levels),
                remedies=tuple(fitting_choices(neg, "enforcement.penalties", [
                    ("enforcement.penalties.common_minimum",
                     "agree a common minimum penalty")])))


@rule("compliance.period-differs", topic="enforcement", reads=("compliance_period_years",))
def compliance_periods(neg: Negotiation) -> Iterator[Finding]:
    """Different compliance periods shift the timing of demand and invite arbitrage."""
    periods = known(values(neg, "compliance_period_years"))
    if len(set(periods.values())) <= 1:
        return
    listing = ", ".join(f"{neg.party_short(p)} {v} year{'s' if v != 1 else ''}"
                        for p, v in periods.items())
    longest = max(periods.values())
    yield Finding(
        rule="compliance.period-differs", severity="warning", topic="enforcement",
        message=f"compliance periods differ ({listing}): demand for units peaks at different "
                "times in the linked market",
        parties=tuple(periods),
        remedies=tuple(set_party_param(p, "compliance_period_years", longest,
                                       f"{neg.party_short(p)} moves to {longest}-year periods")
                       for p, v in periods.items() if v != longest))


@rule("third-links.no-clause", topic="third_links", reads=("links",))
def third_links(neg: Negotiation) -> Iterator[Finding]:
    """A partner's link to a third system links everyone to it indirectly."""
    if chosen_clause(neg, "third_links.procedure") is not None:
        return
    in_session = {neg.systems[p].profile.id for p in neg.party_ids}
    for pid in neg.party_ids:
        outside = [s for s in neg.systems[pid].parameters.links or [] if s not in in_session]
        if outside:
            yield Finding(
                rule="third-links.no-clause", severity="warning", topic="third_links",
                message=f"{neg.party_short(pid)} is already linked to {', '.join(outside)}, and "
                        "no clause governs links with third systems: the other parties would "
                        "be linked to it indirectly",
                parties=(pid,),
                remedies=tuple(fitting_choices(neg, "third_links.procedure", [
                    ("third_links.procedure.consent_or_terminate",
                     "require consent to a third link"),
                    ("third_links.procedure.consult_and_agree",
                     "require consultation and agreement")])))
