"""Annex I — Essential criteria: in the instrument, law; in the brief, a worksheet.

The instrument's Annex I (`essential_criteria_annex`) states obligations every linked
system meets (mandatory participation, an absolute cap, penalties with make-good, …),
one row each, and in each party's column the rule of that party's law by which it meets
it: the requirement and the instrument laying it down, as in force on the text's date
(the annex's introduction names the date and the legislation). A cell the tool cannot
state as law is a bracketed placeholder (`TO_BE_STATED`): the status note lists it with
its research note, and the lint (`lint.criteria-unstated`) asks the delegation for it.
No research note, figure's provenance, dash or "open" is ever tabled as a party's law.

The brief keeps the comparison of figures (`essential_criteria_table`): one row per
design element, a column per party with every figure on file (a value nobody knows as
"not known", never a dash that could pass for "none"), and the common rule agreed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from negotiation.drafting.model import Table
from negotiation.profiles import NONE, ResolvedSystem, SystemParameters, flatten, resolve
from negotiation.session import Negotiation
from negotiation.templating import Unconfirmed, join_words, plain_value

ELEMENTS: list[tuple[str, str, str | None]] = [
    ("Participation", "participation", None),
    ("Type of cap", "cap_type", None),
    ("Cap (Mt CO2e)", "cap_mt", "cap.ambition"),
    ("Annual reduction of the cap", "annual_reduction_pct", "cap.ambition"),
    ("Sectors covered", "coverage.sectors", "coverage.scope"),
    ("Gases covered", "coverage.gases", "coverage.scope"),
    ("Inclusion threshold", "coverage.threshold", "coverage.scope"),
    ("Allocation", "allocation", "allocation.method"),
    ("Offset credits: limit", "offsets.limit_pct", "offsets.quantity"),
    ("Offset credits: eligible types", "offsets.eligible", "offset_quality.eligible"),
    ("Banking", "banking", "banking.rules"),
    ("Borrowing", "borrowing", "borrowing.rules"),
    ("Price floor", "price_floor", "price_floor.rule"),
    ("Auction reserve price", "auctions.reserve_price", "price_floor.rule"),
    ("Price ceiling", "price_ceiling", "price_ceiling.rule"),
    ("Cost-containment reserve", "cost_containment_reserve", "price_ceiling.rule"),
    ("Market stability reserve", "market_stability_reserve", "market_stability.mechanism"),
    ("Penalty per tonne", "penalty.per_tonne", "enforcement.penalties"),
    ("Make-good of missing allowances", "penalty.make_good", "enforcement.penalties"),
    ("Monitoring, reporting and verification", "mrv.standard", "mrv.equivalence"),
    ("Accreditation of verifiers", "verification.accreditation", "mrv.equivalence"),
    ("Verification by accredited third parties", "verification.third_party", "mrv.equivalence"),
    ("Registry", "registry", "registries.link"),
    ("Compliance period (years)", "compliance_period_years", None),
    ("Market oversight", "oversight_authority", "oversight.coordination"),
]

IDENTICAL = {
    "participation": "mandatory in every linked system",
    "cap_type": "an absolute cap in every linked system",
}
"""The first essential criterion: the same in every system, whatever else is agreed
(an EU link requires it; without it the joint cap is unknown)."""

TO_BE_STATED = "[to be stated]"
"""An Annex I cell whose figure the instrument cannot state yet: bracketed, as every
point still to be settled is in a negotiating text."""

NOT_KNOWN = "not known"

_MONEY = {"price_floor", "auctions.reserve_price", "price_ceiling", "penalty.per_tonne"}


def _value(neg: Negotiation, party: str, parameter: str) -> str:
    params = neg.systems[party].parameters
    value = params.get(parameter)
    if value is None:
        if parameter == "offsets.limit_pct" and params.offsets.allowed is False:
            return "no offsets"
        return NOT_KNOWN
    if value == NONE:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return join_words([str(v) for v in value]) or "none"
    if parameter in _MONEY:
        return f"{params.currency or ''} {value:,.2f}".strip()
    if parameter.endswith("_pct"):
        return f"{value:g} %"
    if parameter == "cap_mt":
        return f"{value:,.1f}" + (f" ({params.cap_year})" if params.cap_year else "")
    return str(value)


def _confirmed(neg: Negotiation, party: str, parameter: str) -> bool:
    """Whether the instrument may state this figure as the party's rule: the session
    gives it (its own source, if any, not saying otherwise), or the profile's source
    confirms it. A figure with no source, or one marked unverified, is research."""
    spec = neg.party_spec(party)
    if parameter in spec.sources:
        return spec.sources[parameter].verified
    if parameter in flatten(spec.overrides):
        return True
    source = neg.systems[party].sources.get(parameter)
    return source is not None and source.verified


def _consulted(neg: Negotiation, party: str, parameter: str) -> str:
    """The figure a cell rests on: "no offsets" is stated from whether offsets are
    allowed, not from the limit it stands in for."""
    params = neg.systems[party].parameters
    if (parameter == "offsets.limit_pct" and params.get(parameter) is None
            and params.offsets.allowed is False):
        return "offsets.allowed"
    return parameter


def _common_rule(neg: Negotiation, provision: str | None, refs: dict[str, str]) -> str:
    if provision is None:
        return "each system's own rule"
    if provision not in refs:
        return "not governed by this instrument"
    chosen = neg.chosen().get(provision)
    if chosen is None:
        return f"open ({refs[provision]})"  # the brief's worksheet says where the gap is
    clause, values = chosen
    # A value nobody confirmed is bracketed here as in the article it comes from.
    pending = neg.unconfirmed().get(provision, [])
    shown = ", ".join(_with_unit(clause.params[name].type,
                                 Unconfirmed(v) if name in pending else v,
                                 neg.session.reporting_currency)
                      for name, v in values.items() if (v is not None or name in pending)
                      and clause.params[name].type not in ("list", "text", "boolean"))
    return f"{clause.title}{f' ({shown})' if shown else ''}, {refs[provision]}"


def _with_unit(kind: str, value: Any, currency: str) -> str:
    """A parameter value as the table shows it: '8 per cent', 'EUR 20', '6 months'."""
    shown = plain_value(value)
    if kind == "percent":
        return f"{shown} per cent"
    if kind == "money":
        return f"{currency} {shown}"
    if kind in ("months", "days", "years"):
        return f"{shown} {kind if value != 1 else kind[:-1]}"
    return shown


def column_label(name: str) -> str:
    """A party's short name as a column heading: 'the Union' -> 'The Union'."""
    return name[:1].upper() + name[1:]


def _headers(neg: Negotiation) -> list[str]:
    return ["Element", *(column_label(neg.party_short(p)) for p in neg.party_ids),
            "Common rule"]


def essential_criteria_table(neg: Negotiation, refs: dict[str, str]) -> Table:
    """The brief's worksheet: every figure on file, known or not, whatever its source."""
    rows = [[label, *(_value(neg, p, parameter) for p in neg.party_ids),
             IDENTICAL.get(parameter) or _common_rule(neg, provision, refs)]
            for label, parameter, provision in ELEMENTS]
    return Table(_headers(neg), rows)


# -- The instrument's Annex I: obligations stated by reference to each party's law ----------
#
# The worksheet above compares figures; the annex below binds. Each row states what every
# linked system must meet; each party's cell says by which rule of its own law it meets it:
# the requirement in words and the instrument that lays it down, from the profile's
# `legislation` (the act and, where known, the provision of one element). A cell the
# tool cannot state as law (no legislation on file, or a figure nobody confirmed) is
# bracketed and reported as `lint.criteria-unstated`, never filled with a guess.
#
# No common-rule column: what the parties agreed for an element is binding where it is
# agreed, in the articles, and the body already brackets what is open. Repeating it in the
# annex would state the same obligation twice, in a summary that could drift from the
# article, and (the old defect) carry clause titles and "[to be agreed]" into the annex.
# The EU–Switzerland Annex I has a column per party and none for a common rule.

Phrase = Callable[[SystemParameters], str | None]


@dataclass(frozen=True)
class Criterion:
    """One row of Annex I: an obligation every linked system meets."""

    element: str  # the element, as a finding or the status note names it
    obligation: str  # the row's first column: what each system must meet
    law: str  # the `legislation` field cited; `cited_as` where it is not known
    reads: tuple[str, ...]  # the figures the cell states; none: stated by reference
    phrase: Phrase  # the party's rule in words, from its figures


def _money(params: SystemParameters, value: float) -> str:
    return f"{params.currency or ''} {value:,.2f}".removesuffix(".00").strip()


def _price(what: str, parameter: str) -> Phrase:
    def phrase(params: SystemParameters) -> str | None:
        value = params.get(parameter)
        if value == NONE:
            return f"No {what}"
        article = "An" if what[0] in "aeiou" else "A"
        return None if value is None else f"{article} {what} of {_money(params, value)}"
    return phrase


def _feature(what: str, parameter: str) -> Phrase:
    def phrase(params: SystemParameters) -> str | None:
        value = params.get(parameter)
        article = "An" if what[0] in "aeiou" else "A"
        return None if value is None else (f"{article} {what}" if value else f"No {what}")
    return phrase


def _sharing(what: str, parameter: str) -> Phrase:
    words = {"allowed": f"{what} allowed", "limited": f"{what} allowed within limits",
             "none": f"{what} not allowed"}

    def phrase(params: SystemParameters) -> str | None:
        value = params.get(parameter)
        return None if value is None else words[value]
    return phrase


def _listed(parameter: str) -> Phrase:
    def phrase(params: SystemParameters) -> str | None:
        value = params.get(parameter)
        if not value:
            return None
        text = join_words([str(v) for v in value])
        return text[:1].upper() + text[1:]
    return phrase


def _by_reference(what: str) -> Phrase:
    return lambda _params: f"{what} as laid down in"


def _participation(params: SystemParameters) -> str | None:
    return {"mandatory": "Mandatory for every installation or entity carrying out an "
                         "activity covered",
            "voluntary": "Voluntary"}.get(params.participation or "")


def _cap(params: SystemParameters) -> str | None:
    return {"absolute": "An absolute cap on the allowances issued",
            "intensity": "A cap on emissions per unit of output, not on total "
                         "emissions"}.get(params.cap_type or "")


def _reduction(params: SystemParameters) -> str | None:
    rate = params.annual_reduction_pct
    return None if rate is None else f"The cap reduced by {plain_value(rate)} per cent a year"


def _offsets(params: SystemParameters) -> str | None:
    if params.offsets.allowed is False or params.offsets.limit_pct == 0:
        return "No offset credits may be surrendered"
    limit = params.offsets.limit_pct
    return None if limit is None else (f"Offset credits may cover at most "
                                       f"{plain_value(limit)} per cent of an entity's "
                                       "compliance obligation")


def _penalty(params: SystemParameters) -> str | None:
    amount_ = params.penalty.per_tonne
    return None if amount_ is None else (f"A penalty of {_money(params, amount_)} for each "
                                         "tonne of carbon dioxide equivalent emitted for "
                                         "which no allowance was surrendered in time")


def _make_good(params: SystemParameters) -> str | None:
    return {True: "The missing allowances remain to be surrendered after the penalty",
            False: "No obligation to surrender the missing allowances"}.get(
        params.penalty.make_good)  # type: ignore[arg-type]


def _verification(params: SystemParameters) -> str | None:
    return {True: "Emissions reports verified by accredited third-party verifiers",
            False: "No verification of emissions reports by accredited third parties"}.get(
        params.verification.third_party)  # type: ignore[arg-type]


def _named(parameter: str) -> Phrase:
    return lambda params: params.get(parameter)


def _compliance(params: SystemParameters) -> str | None:
    years = params.compliance_period_years
    if years is None:
        return None
    return ("Allowances surrendered each year for the emissions of the year before"
            if years == 1 else f"Allowances surrendered for compliance periods of {years} years")


CRITERIA: list[Criterion] = [
    Criterion("Participation", "Participation: mandatory for the activities covered",
              "coverage", ("participation",), _participation),
    Criterion("Type of cap", "Cap: an absolute cap on the allowances issued",
              "cap", ("cap_type",), _cap),
    Criterion("Reduction of the cap", "Cap: reduced over time", "cap",
              ("annual_reduction_pct",), _reduction),
    Criterion("Activities covered", "Coverage: the activities covered",
              "coverage", ("coverage.sectors",), _listed("coverage.sectors")),
    Criterion("Gases covered", "Coverage: the greenhouse gases covered",
              "coverage", ("coverage.gases",), _listed("coverage.gases")),
    Criterion("Inclusion thresholds", "Coverage: thresholds for inclusion laid down in law",
              "coverage", (), _by_reference("Thresholds")),
    Criterion("Allocation", "Allocation: auctioning and any free allocation on rules laid "
              "down in law", "allocation", (), _by_reference("Auctioning and free allocation")),
    Criterion("Offset credits", "Offset credits: surrendered, if at all, only within a "
              "quantitative limit", "offsets", ("offsets.limit_pct",), _offsets),
    Criterion("Banking", "Banking of allowances for later compliance periods",
              "cited_as", ("banking",), _sharing("Banking", "banking")),
    Criterion("Borrowing", "Borrowing of allowances from later compliance periods",
              "cited_as", ("borrowing",), _sharing("Borrowing", "borrowing")),
    Criterion("Price floor", "Price floor", "auctions", ("price_floor",),
              _price("price floor", "price_floor")),
    Criterion("Auction reserve price", "Auction reserve price", "auctions",
              ("auctions.reserve_price",), _price("auction reserve price",
                                                  "auctions.reserve_price")),
    Criterion("Price ceiling", "Price ceiling", "cited_as", ("price_ceiling",),
              _price("price ceiling", "price_ceiling")),
    Criterion("Cost-containment reserve", "Cost-containment reserve", "cited_as",
              ("cost_containment_reserve",),
              _feature("cost-containment reserve", "cost_containment_reserve")),
    Criterion("Market stability reserve", "Market stability reserve", "market_stability",
              ("market_stability_reserve",),
              _feature("market stability reserve", "market_stability_reserve")),
    Criterion("Penalty per tonne", "Penalties: a penalty for each tonne emitted without an "
              "allowance surrendered in time", "penalties", ("penalty.per_tonne",), _penalty),
    Criterion("Make-good", "Penalties: the missing allowances still to be surrendered",
              "penalties", ("penalty.make_good",), _make_good),
    Criterion("Monitoring and reporting", "Monitoring and reporting of emissions on rules "
              "laid down in law", "mrv", (), _by_reference("Monitoring and reporting")),
    Criterion("Verification", "Verification of emissions reports by accredited third parties",
              "verification", ("verification.third_party",), _verification),
    Criterion("Registry", "Registry: allowances held and transferred in a registry",
              "registry", ("registry",), _named("registry")),
    Criterion("Compliance", "Compliance: allowances surrendered for the emissions of each "
              "compliance period", "cited_as", ("compliance_period_years",), _compliance),
    Criterion("Supervision", "Supervision by a competent authority", "cited_as",
              ("oversight_authority",), _named("oversight_authority")),
]

ANNEX_HEADING = "Essential criterion"
CELLS_MEMO = "annex-criteria-cells"


@dataclass(frozen=True)
class Cell:
    """One party's entry for one criterion: the text the annex shows and, where the text
    is a placeholder, why and which parameter would fill it."""

    text: str
    missing: str | None = None  # the parameter to set (legislation or a figure)
    why: str = ""
    on_file: Any = None  # the figure on file nobody confirmed, if any


LAW_MEMO = "annex-criteria-law"


def _law(neg: Negotiation, party: str) -> ResolvedSystem:
    """The party's system as of the text's own date, for its legislation: the annex
    cites the law in force on that date, which a session describing a later year's
    figures (a link planned to start later) must not move forward."""
    memo: dict[str, ResolvedSystem] = neg.memo.setdefault(LAW_MEMO, {})
    if party not in memo:
        system = neg.systems[party]
        when = neg.session.round.date if neg.session.round else None
        if when is None or when.year == system.year:
            memo[party] = system
        else:
            spec = neg.party_spec(party)
            memo[party] = resolve(system.profile, when.year, spec.overrides, spec.sources)
    return memo[party]


def _law_confirmed(neg: Negotiation, party: str, name: str) -> bool:
    spec = neg.party_spec(party)
    if name in spec.sources:
        return spec.sources[name].verified
    if name in flatten(spec.overrides):
        return True
    source = _law(neg, party).sources.get(name)
    return source is not None and source.verified


def _citation(neg: Negotiation, party: str, field: str) -> tuple[str | None, str]:
    """The citation of a party's law for one element (its own provision, else the
    legislation as a whole), and the parameter it came from; a citation nobody
    confirmed is no citation."""
    law = _law(neg, party).parameters.legislation
    for name in dict.fromkeys((field, "cited_as")):
        value = getattr(law, name)
        if value and _law_confirmed(neg, party, f"legislation.{name}"):
            return value, f"legislation.{name}"
    return None, "legislation.cited_as"


def _cell(neg: Negotiation, party: str, criterion: Criterion) -> Cell:
    citation, law = _citation(neg, party, criterion.law)
    if citation is None:
        return Cell(TO_BE_STATED, law, "no legislation on file to state it by")
    params = neg.systems[party].parameters
    for parameter in criterion.reads:
        consulted = _consulted(neg, party, parameter)
        value = params.get(consulted)
        if value is None:
            return Cell(TO_BE_STATED, parameter, f"its {label(parameter)} is not on file")
        if not _confirmed(neg, party, consulted):
            return Cell(TO_BE_STATED, consulted,
                        f"its {label(consulted)} on file ({show(value)}) is not confirmed",
                        on_file=value)
    phrase = criterion.phrase(params)
    if phrase is None:
        return Cell(TO_BE_STATED, criterion.reads[0] if criterion.reads else law,
                    "its rule cannot be stated from the figures on file")
    joint = " " if phrase.endswith(" in") else ", under "
    return Cell(f"{phrase}{joint}{citation}")


def annex_cells(neg: Negotiation) -> dict[tuple[str, str], Cell]:
    """(party, element) -> its cell, for every criterion: computed once per state of the
    session, since the annex, the status note and the lint all ask."""
    if CELLS_MEMO not in neg.memo:
        neg.memo[CELLS_MEMO] = {(party, c.element): _cell(neg, party, c)
                                for c in CRITERIA for party in neg.party_ids}
    cells: dict[tuple[str, str], Cell] = neg.memo[CELLS_MEMO]
    return cells


def label(parameter: str) -> str:
    """A parameter as a negotiator says it: 'penalty.per_tonne' -> 'penalty per tonne'."""
    return parameter.replace(".", " ").replace("_pct", "").replace("_", " ")


def show(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return join_words([str(v) for v in value]) or "none"
    return str(value)


def to_be_stated(neg: Negotiation) -> list[tuple[str, str, str]]:
    """(party's short name, element, why) for every Annex I cell the instrument shows as
    `TO_BE_STATED`, in the annex's order: what each delegation still has to supply."""
    cells = annex_cells(neg)
    entries = []
    for criterion in CRITERIA:
        for party in neg.party_ids:
            cell = cells[(party, criterion.element)]
            if cell.missing is None:
                continue
            source = (neg.party_spec(party).sources.get(cell.missing)
                      or neg.systems[party].sources.get(cell.missing))
            why = cell.why + (f" (source note: {source.note})"
                              if source is not None and source.note else "")
            entries.append((column_label(neg.party_short(party)), criterion.element, why))
    return entries


def text_date(neg: Negotiation) -> str:
    """The date the criteria speak as of: the round's, never today's; bracketed when the
    session gives none, as any point still to be settled."""
    when = neg.session.round.date if neg.session.round else None
    return f"{when.day} {when:%B %Y}" if when else "[date]"


def essential_criteria_intro(neg: Negotiation, party_word: str = "Party") -> str:
    """The annex's opening words: the criteria refer to each party's legislation as in
    force on the text's date, and that legislation by its official names."""
    if neg.form == "regulation":
        party_word = "system"
    laws = []
    for party in neg.party_ids:
        acts = _law(neg, party).parameters.legislation.acts
        stated = acts and _law_confirmed(neg, party, "legislation.acts")
        laws.append(f"for {neg.party_name(party)}, "
                    + (join_words(list(acts)) if stated and acts else TO_BE_STATED))
    whose = "each system's" if party_word == "system" else f"each {party_word}'s"
    return (f"The essential criteria below refer to {whose} legislation as in force on "
            f"{text_date(neg)}: {'; '.join(laws)}. Each row states what every linked system "
            f"meets; each column, the rule by which that {party_word} meets it.")


def essential_criteria_annex(neg: Negotiation, refs: dict[str, str] | None = None) -> Table:
    """The instrument's Annex I: for each criterion, each party's rule of law with the
    instrument laying it down, or a bracketed placeholder; never a research note, a dash
    or "open". `refs` is accepted for the builder's call and not used: the agreed common
    rules stand in the articles."""
    cells = annex_cells(neg)
    rows = [[c.obligation, *(cells[(p, c.element)].text for p in neg.party_ids)]
            for c in CRITERIA]
    return Table([ANNEX_HEADING, *(column_label(neg.party_short(p)) for p in neg.party_ids)],
                 rows)
