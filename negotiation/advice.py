"""Advice for the first decisions of a link: is each system ready, which kind of
link follows from that, and which legal form fits these parties.

These are the questions a negotiator settles before any clause: the TUI's
readiness and legal-form steps show what this module says, and the CLI or a
brief may print it too. Everything here is a pure function of a
`Negotiation` (no Textual, no files), derived from the parties' profiles and
the facts of the domain notes (LINKING.md sections 2 to 4):

- a system with a short record (operating under `MIN_OPERATING_YEARS`, no
  market prices) is a risk in a full two-way link, whose price it would set
  for everyone; linking by degrees (one-way first, a quota) limits that;
- a price ceiling in one system only caps the linked price for all, and a
  one-sided floor fights it: a one-way link from the system with less
  generous cost containment into the other, or a quota, contains that;
- a sub-national government generally cannot make a treaty: steer it to a
  memorandum or to reciprocal regulations; a unilateral link is the
  recognising party's own domestic act (a regulation), not an agreement.

The thresholds are the checks' own (`checks.rules_design`), so the advice
and the findings never disagree about what "young" or "far apart" means.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from negotiation.checks.common import in_reporting, names, session_year
from negotiation.checks.rules_design import FLOOR_DIFFERENCE, MIN_OPERATING_YEARS
from negotiation.profiles import NONE, amount
from negotiation.session import Negotiation

ESTABLISHED_YEARS = 5
"""A system operating this long, with market prices and an MRV record, has shown how it
behaves through several compliance periods."""

MIN_MRV_YEARS = 2
"""Fewer years of verified emissions reports than this leave the cap resting on estimates."""

Maturity = Literal["established", "developing", "new", "unknown"]
LinkKind = Literal["full", "restricted", "phased", "unilateral_first"]


# -- readiness ------------------------------------------------------------------


@dataclass(frozen=True)
class Readiness:
    """One party's system: how long and how well it has run, as of the session's year."""

    party: str
    name: str
    system: str
    year: int
    operating_since: int | None
    years_operating: int | None
    price_history: bool | None
    registry: str | None
    mrv_since: int | None
    mrv_years: int | None
    maturity: Maturity
    reasons: tuple[str, ...]

    @property
    def ready_for_full_link(self) -> bool:
        return self.maturity in ("established", "developing")


def _years(year: int, since: int | None) -> int | None:
    return None if since is None else max(0, year - since)


def readiness(neg: Negotiation) -> list[Readiness]:
    """Each party's maturity, in party order, with the reasons for the label."""
    year = session_year(neg)
    result = []
    for pid in neg.party_ids:
        system = neg.systems[pid]
        params = system.parameters
        operating = _years(year, params.operational_since)
        mrv = _years(year, params.mrv.reporting_since)
        reasons: list[str] = []
        if operating is None:
            reasons.append("the start of operation is not known")
        elif operating < MIN_OPERATING_YEARS:
            reasons.append(
                f"operating for {operating} year{'s' if operating != 1 else ''} "
                f"(since {params.operational_since}), under {MIN_OPERATING_YEARS}"
            )
        else:
            reasons.append(f"operating for {operating} years (since {params.operational_since})")
        if params.price_history is False:
            reasons.append("no record of market prices")
        elif params.price_history is None:
            reasons.append("price record not known")
        if params.registry is None:
            reasons.append("no registry named")
        if mrv is None:
            reasons.append("MRV record not known")
        elif mrv < MIN_MRV_YEARS:
            reasons.append(f"verified reports for {mrv} year{'s' if mrv != 1 else ''} only")
        if operating is None:
            maturity: Maturity = "unknown"
        elif operating < MIN_OPERATING_YEARS or params.price_history is False:
            maturity = "new"
        elif (
            operating >= ESTABLISHED_YEARS
            and params.price_history
            and params.registry is not None
            and mrv is not None
            and mrv >= MIN_MRV_YEARS
        ):
            maturity = "established"
        else:
            maturity = "developing"
        result.append(
            Readiness(
                party=pid,
                name=neg.party_short(pid),
                system=system.profile.short_name,
                year=year,
                operating_since=params.operational_since,
                years_operating=operating,
                price_history=params.price_history,
                registry=params.registry,
                mrv_since=params.mrv.reporting_since,
                mrv_years=mrv,
                maturity=maturity,
                reasons=tuple(reasons),
            )
        )
    return result


# -- the kind of link -------------------------------------------------------------


@dataclass(frozen=True)
class LinkOption:
    """One way to link these parties, as the negotiator would choose it.

    `linkage` and `recognising` are the session's linkage; `clause` is the
    recognition clause an agreement would use (None for a unilateral link,
    whose regulation has its own)."""

    key: str
    kind: LinkKind
    title: str
    description: str
    linkage: Literal["unilateral", "bilateral", "multilateral"]
    recognising: str | None
    clause: str | None
    recommended: bool = False


@dataclass(frozen=True)
class LinkRecommendation:
    kind: LinkKind
    headline: str
    reasons: tuple[str, ...]
    options: tuple[LinkOption, ...]

    @property
    def recommended(self) -> LinkOption:
        return next(o for o in self.options if o.recommended)


KIND_TITLES: dict[LinkKind, str] = {
    "full": "Full two-way link",
    "restricted": "Restricted link",
    "phased": "Phased link",
    "unilateral_first": "Unilateral link first",
}


def _ceilings(neg: Negotiation) -> dict[str, float]:
    """Party id -> its price ceiling, for the parties known to set one."""
    return {
        p: v for p in neg.party_ids
        if (v := amount(neg.systems[p].parameters.price_ceiling)) is not None
    }


def _floors(neg: Negotiation) -> dict[str, float]:
    """Party id -> its floor (hard floor, else auction reserve price), where known."""
    return {p: v for p in neg.party_ids if (v := neg.systems[p].parameters.floor()) is not None}


def _and_the_others(neg: Negotiation, without: list[str], absent: list[str]) -> str:
    """'Y does not' for the parties whose profiles say they have none, and 'whether Z
    has one is not known' for the rest: an unknown is never told as an absence."""
    unknown = [p for p in without if p not in absent]
    parts = []
    if absent:
        parts.append(f"{names(neg, absent)} {'does' if len(absent) == 1 else 'do'} not")
    if unknown:
        parts.append(f"whether {names(neg, unknown)} {'has' if len(unknown) == 1 else 'have'} "
                     "one is not known")
    return " and ".join(parts)


def _converted(neg: Negotiation, amounts: dict[str, float]) -> dict[str, float] | None:
    converted = {p: in_reporting(neg, p, v) for p, v in amounts.items()}
    if any(v is None for v in converted.values()):
        return None
    return {p: float(v) for p, v in converted.items() if v is not None}


def _price_control_reasons(neg: Negotiation) -> tuple[list[str], list[str], str | None]:
    """(ceiling reasons, floor reasons, the party whose ceiling is lowest)."""
    ceiling_reasons: list[str] = []
    floor_reasons: list[str] = []
    lowest: str | None = None
    ceilings = _ceilings(neg)
    if ceilings:
        without = [p for p in neg.party_ids if p not in ceilings]
        converted = _converted(neg, ceilings)
        differ = bool(without) or (converted is not None and len(set(converted.values())) > 1)
        if differ:
            lowest = min(ceilings, key=lambda p: (converted or ceilings)[p])
            if without:
                absent = [p for p in without if neg.systems[p].parameters.price_ceiling == NONE]
                ceiling_reasons.append(
                    f"{names(neg, list(ceilings))} {'has' if len(ceilings) == 1 else 'have'} a "
                    f"price ceiling and {_and_the_others(neg, without, absent)}: in a full link "
                    "the ceiling would cap the price for every party"
                )
            else:
                ceiling_reasons.append(
                    f"the price ceilings differ; in a full link {neg.party_short(lowest)}'s, "
                    "the lowest, would cap the price for every party"
                )
    floors = _floors(neg)
    if floors:
        without = [p for p in neg.party_ids if p not in floors]
        if without:
            absent = [p for p in without if neg.systems[p].parameters.sets_no_floor()]
            floor_reasons.append(
                f"{names(neg, list(floors))} {'has' if len(floors) == 1 else 'have'} a price "
                f"floor or auction reserve price and {_and_the_others(neg, without, absent)}: "
                "a one-sided floor fights the linked price"
            )
        else:
            converted = _converted(neg, floors)
            if converted:
                low, high = min(converted.values()), max(converted.values())
                if low > 0 and (high - low) / low > FLOOR_DIFFERENCE:
                    floor_reasons.append(
                        f"the floors differ by {100 * (high - low) / low:.0f} per cent: the "
                        "higher one would be undercut"
                    )
    return ceiling_reasons, floor_reasons, lowest


def _options(neg: Negotiation) -> list[LinkOption]:
    """Every way to link these parties: full, restricted (quota, exchange rate), phased,
    and (for two parties) each one-way direction."""
    ids = neg.party_ids
    agreement = "multilateral" if len(ids) > 2 else "bilateral"
    options = [
        LinkOption(
            "full",
            "full",
            "Full two-way link",
            "each system accepts the others' allowances on the same terms as its own: "
            "one market, one price, the largest gain",
            agreement,
            None,
            "recognition.scope.full",
        ),
        LinkOption(
            "quota",
            "restricted",
            "Restricted: quantitative limit",
            "mutual recognition up to a share of each entity's obligation; prices stay "
            "apart while the quota binds",
            agreement,
            None,
            "recognition.scope.quantitative_limit",
        ),
        LinkOption(
            "exchange-rate",
            "restricted",
            "Restricted: exchange rate",
            "each allowance of another system counts for a set number of tonnes",
            agreement,
            None,
            "recognition.scope.exchange_rate",
        ),
        LinkOption(
            "phased",
            "phased",
            "Phased: one-way first, then mutual",
            "one party recognises the others' allowances first; recognition becomes "
            "mutual on a set date",
            agreement,
            None,
            "recognition.scope.phased",
        ),
    ]
    if len(ids) == 2:
        for recognising in ids:
            other = next(p for p in ids if p != recognising)
            options.append(
                LinkOption(
                    f"unilateral-{recognising}",
                    "unilateral_first",
                    f"Unilateral: {neg.party_short(recognising)} recognises "
                    f"{neg.party_short(other)}'s allowances",
                    f"{neg.party_short(recognising)}'s own regulation accepts "
                    f"{neg.party_short(other)}'s allowances; nothing flows the other way, and a "
                    "two-way agreement can follow",
                    "unilateral",
                    recognising,
                    None,
                )
            )
    return options


def recommend_linkage(neg: Negotiation) -> LinkRecommendation:
    """The kind of link the parties' readiness and price controls suggest, with reasons,
    and every option marked (exactly one recommended)."""
    ready = readiness(neg)
    young = [r for r in ready if r.maturity in ("new", "unknown")]
    grown = [r for r in ready if r not in young]
    ceiling_reasons, floor_reasons, lowest = _price_control_reasons(neg)
    two = len(neg.party_ids) == 2
    reasons: list[str] = []
    key: str
    if ceiling_reasons and two and lowest is not None:
        other = next(p for p in neg.party_ids if p != lowest)
        key = f"unilateral-{lowest}"
        reasons += ceiling_reasons
        reasons.append(
            f"a one-way link in which {neg.party_short(lowest)} accepts "
            f"{neg.party_short(other)}'s allowances keeps the ceiling at home: "
            "allowances move only into the system with the more generous cost "
            "containment"
        )
    elif young and grown:
        key = "phased"
        for r in young:
            reasons.append(f"{r.name}: {', '.join(r.reasons)}")
        first = names(neg, [r.party for r in young])
        reasons.append(
            f"link by degrees: {first} first recognises the established "
            f"system's allowances and imports a tested price; recognition "
            "becomes mutual once its own market has a record"
            + (f" (or {first} starts alone with its own regulation)" if two else "")
        )
    elif young or floor_reasons or ceiling_reasons:
        key = "quota"
        for r in young:
            reasons.append(f"{r.name}: {', '.join(r.reasons)}")
        reasons += ceiling_reasons + floor_reasons
        if young and not (floor_reasons or ceiling_reasons):
            reasons.append(
                "no system has a record to anchor the linked price: a quota on "
                "recognised allowances limits what each imports until it has one"
            )
        else:
            reasons.append(
                "a quantitative limit contains what crosses the link; a common "
                "price-control clause would remove the need for it"
            )
    else:
        key = "full"
        reasons.append(
            "every system has run long enough to show its prices, registry and MRV record"
            if all(r.maturity == "established" for r in ready)
            else "no system is too young for a full link"
        )
        reasons.append("no one-sided price ceiling or floor would spread through the link")
    options = [
        LinkOption(
            o.key,
            o.kind,
            o.title,
            o.description,
            o.linkage,
            o.recognising,
            o.clause,
            recommended=o.key == key,
        )
        for o in _options(neg)
    ]
    chosen = next(o for o in options if o.recommended)
    return LinkRecommendation(
        kind=chosen.kind, headline=chosen.title, reasons=tuple(reasons), options=tuple(options)
    )


def current_link_option(neg: Negotiation) -> str | None:
    """The key of the option that matches the session's linkage and recognition clause."""
    if neg.linkage == "unilateral":
        return f"unilateral-{neg.recognising()}"
    chosen = neg.chosen().get("recognition.scope")
    clause = chosen[0].id if chosen else None
    for option in _options(neg):
        if option.linkage == neg.linkage and option.clause == clause:
            return option.key
    return None


# -- the legal form ---------------------------------------------------------------


@dataclass(frozen=True)
class FormOption:
    form: Literal["treaty", "memorandum", "hybrid", "regulation"]
    title: str
    fits: bool
    why_not: str
    binding_force: str
    flexibility: str
    signatories: str
    recommended: bool = False


@dataclass(frozen=True)
class FormAdvice:
    recommended: str
    reasons: tuple[str, ...]
    options: tuple[FormOption, ...]

    def option(self, form: str) -> FormOption:
        return next(o for o in self.options if o.form == form)


_FORM_TEXT = {
    "treaty": (
        "Treaty (hard law)",
        "Binding under international law: 'shall'; a joint body whose decisions bind; "
        "compulsory dispute settlement (committee, then arbitration); formal termination "
        "on notice",
        "Least flexible: articles change only through each party's domestic procedures, "
        "though annexes may change by committee decision; in force only after ratification "
        "or approval",
        "States and the EU, as subjects of international law ('Parties')",
    ),
    "memorandum": (
        "Memorandum of understanding (soft law)",
        "Not legally binding: 'intend to', 'will endeavour'; an express statement that it "
        "creates no legal obligations; differences settled by consultation only",
        "Most flexible: effective on signature, amended by written consent, each side keeps "
        "the right to amend or repeal its own programme and may withdraw on notice",
        "Agencies, governors and sub-national governments as well as states ('Participants')",
    ),
    "hybrid": (
        "Hybrid: treaty core with soft-law guidelines",
        "A binding core (mutual recognition, institutions, disputes, termination) and "
        "non-binding implementing guidelines in an annex",
        "The committee can update the detailed guidelines without reopening the treaty; the "
        "core changes as a treaty does",
        "As for a treaty: states and the EU sign the core",
    ),
    "regulation": (
        "Regulation (unilateral link)",
        "Binding on the recognising party's own operators, under its own law; binds no other "
        "government",
        "The recognising party alone adopts, amends or repeals it; the other system has no say",
        "The recognising party alone, by its own domestic act",
    ),
}


def form_options(neg: Negotiation) -> FormAdvice:
    """Each form: whether it fits this linkage and these parties, its trade-offs, who may
    sign it, and the one recommended for them."""
    subnational = [p for p in neg.party_ids if neg.systems[p].parameters.level == "subnational"]
    unilateral = neg.linkage == "unilateral"
    sub_names = names(neg, subnational)
    sub_verb = (
        "is a sub-national government" if len(subnational) == 1 else "are sub-national governments"
    )
    reasons: list[str] = []
    if unilateral:
        recommended = "regulation"
        recognising = neg.recognising()
        who = neg.party_short(recognising) if recognising else "the recognising party"
        reasons.append(
            f"a unilateral link is {who}'s own domestic act recognising the other "
            "system's allowances, not an agreement"
        )
    elif subnational:
        recommended = "memorandum"
        reasons.append(
            f"{sub_names} {sub_verb} and generally cannot make a treaty: a "
            "memorandum, or reciprocal regulations (each side recognising the "
            "other's units by its own act), avoids that"
        )
        reasons.append(
            "the California–Québec agreement was held to be neither a treaty nor a "
            "compact because each side runs its own programme and may amend or "
            "leave it"
        )
    else:
        recommended = "treaty"
        reasons.append(
            "every party can make a treaty, and a treaty gives the link binding "
            "commitments, a joint committee whose decisions bind, and compulsory "
            "dispute settlement (the EU–Switzerland model)"
        )
        reasons.append(
            "a hybrid keeps that core and leaves the detailed rules to guidelines "
            "the committee can update"
        )
    options = []
    for form, (title, binding, flexible, signatories) in _FORM_TEXT.items():
        why_not = ""
        if unilateral and form != "regulation":
            why_not = "a unilateral link is the recognising party's own act, not an agreement"
        elif not unilateral and form == "regulation":
            why_not = (
                "a regulation recognises units one way only; for a two-way link each "
                "side would adopt its own, or the parties sign an agreement"
            )
        elif form in ("treaty", "hybrid") and subnational:
            why_not = f"{sub_names} {sub_verb} and cannot sign a treaty"
        options.append(
            FormOption(
                form=form,
                title=title,
                fits=not why_not,
                why_not=why_not,  # type: ignore[arg-type]
                binding_force=binding,
                flexibility=flexible,
                signatories=signatories,
                recommended=form == recommended,
            )
        )
    return FormAdvice(recommended=recommended, reasons=tuple(reasons), options=tuple(options))
