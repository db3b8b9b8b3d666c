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
from negotiation.drafting.phrases import ENGLISH, Phrases
from negotiation.profiles import NONE, ResolvedSystem, SystemParameters, flatten, resolve
from negotiation.session import Negotiation
from negotiation.templating import (
    Unconfirmed,
    _format_number,
    join_words,
    long_date,
    plain_value,
)
from negotiation.translations import base

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

# In another language (`say`, the version's phrases: negotiation.drafting.phrases) every
# word of the annex comes from its phrases (`criteria_…`; `clauses/lang/<code>/
# criteria.yaml`), numbers, sums and dates are written as that language writes them, and
# each citation of a party's law is the one its profile gives in that language
# (`translations: {fr: {legislation: {English citation: French citation}}}`). What a
# language lacks is a bracket, recorded among the phrases it misses, never the English.


class Words:
    """The annex's words in one language: its phrases, and numbers, sums and lists as
    that language writes them. English (`say` None or English) is the code's own."""

    def __init__(self, say: Phrases | None = None) -> None:
        self.say = say if say is not None else Phrases()
        self.english = self.say.english
        self.language = self.say.language

    def __call__(self, key: str, **values: Any) -> str:
        return self.say(key, **values)

    def number(self, value: float) -> str:
        return plain_value(value) if self.english else _format_number(
            value, None, self.language)

    def money(self, params: SystemParameters, value: float) -> str:
        """'EUR 100' in English; '100 EUR' in French and German, as the templates write
        a sum (`filter_money`)."""
        if self.english:
            return _money(params, value)
        decimals = 2 if isinstance(value, float) and not value.is_integer() else None
        return f"{_format_number(value, decimals, self.language)} {params.currency or ''}".strip()

    def items(self, kind: str, values: list[Any]) -> str:
        """A list of sectors or gases: as the profile writes them in English, else each
        by its phrase (`criteria_sector_power`), joined with the language's "and"."""
        if self.english:
            return join_words([str(v) for v in values])
        return join_words([self.say(f"criteria_{kind}_{_slug(v)}") for v in values],
                          self.say("and"))

    def lacks(self, what: str, party_profile: str, text: str) -> None:
        """Record a citation or name the profile does not give in this language: the
        draft lists it among the phrases its version lacks (`what:profile:English`)."""
        self.say.missing.add(f"{what}:{party_profile}:{text}")


def _slug(value: Any) -> str:
    return "_".join(str(value).split())


Phrase = Callable[[SystemParameters, Words], str | None]


@dataclass(frozen=True)
class Criterion:
    """One row of Annex I: an obligation every linked system meets."""

    element: str  # the element, as a finding or the status note names it
    key: str  # its phrases: the row `criteria_row_<key>`; a rule by reference `criteria_<key>`
    law: str  # the `legislation` field cited; `cited_as` where it is not known
    reads: tuple[str, ...]  # the figures the cell states; none: stated by reference
    phrase: Phrase | None  # the party's rule in words, from its figures; None: by reference

    @property
    def obligation(self) -> str:
        """The row's first column in English: what each system must meet."""
        return ENGLISH[f"criteria_row_{self.key}"]


def _money(params: SystemParameters, value: float) -> str:
    return f"{params.currency or ''} {value:,.2f}".removesuffix(".00").strip()


def _price(key: str, parameter: str) -> Phrase:
    def phrase(params: SystemParameters, say: Words) -> str | None:
        value = params.get(parameter)
        if value == NONE:
            return say(f"criteria_{key}_none")
        return None if value is None else say(f"criteria_{key}", amount=say.money(params, value))
    return phrase


def _feature(key: str, parameter: str) -> Phrase:
    def phrase(params: SystemParameters, say: Words) -> str | None:
        value = params.get(parameter)
        return None if value is None else say(f"criteria_{key}" if value
                                              else f"criteria_{key}_none")
    return phrase


def _sharing(parameter: str) -> Phrase:
    def phrase(params: SystemParameters, say: Words) -> str | None:
        value = params.get(parameter)
        return None if value is None else say(f"criteria_{parameter}_{value}")
    return phrase


def _listed(kind: str, parameter: str) -> Phrase:
    def phrase(params: SystemParameters, say: Words) -> str | None:
        value = params.get(parameter)
        if not value:
            return None
        text = say.items(kind, value)
        return text[:1].upper() + text[1:]
    return phrase


def _participation(params: SystemParameters, say: Words) -> str | None:
    value = params.participation
    return None if value is None else say(f"criteria_participation_{value}")


def _cap(params: SystemParameters, say: Words) -> str | None:
    value = params.cap_type
    return None if value is None else say(f"criteria_cap_{value}")


def _reduction(params: SystemParameters, say: Words) -> str | None:
    rate = params.annual_reduction_pct
    return None if rate is None else say("criteria_reduction", rate=say.number(rate))


def _offsets(params: SystemParameters, say: Words) -> str | None:
    if params.offsets.allowed is False or params.offsets.limit_pct == 0:
        return say("criteria_offsets_none")
    limit = params.offsets.limit_pct
    return None if limit is None else say("criteria_offsets_limit", limit=say.number(limit))


def _penalty(params: SystemParameters, say: Words) -> str | None:
    amount_ = params.penalty.per_tonne
    return None if amount_ is None else say("criteria_penalty",
                                            amount=say.money(params, amount_))


def _yes_no(key: str, parameter: str) -> Phrase:
    def phrase(params: SystemParameters, say: Words) -> str | None:
        value = params.get(parameter)
        if value is None:
            return None
        return say(f"criteria_{key}" if value else f"criteria_{key}_none")
    return phrase


def _compliance(params: SystemParameters, say: Words) -> str | None:
    years = params.compliance_period_years
    if years is None:
        return None
    return (say("criteria_compliance_annual") if years == 1
            else say("criteria_compliance_period", years=say.number(years)))


CRITERIA: list[Criterion] = [
    Criterion("Participation", "participation", "coverage", ("participation",),
              _participation),
    Criterion("Type of cap", "cap_type", "cap", ("cap_type",), _cap),
    Criterion("Reduction of the cap", "reduction", "cap", ("annual_reduction_pct",),
              _reduction),
    Criterion("Activities covered", "activities", "coverage", ("coverage.sectors",),
              _listed("sector", "coverage.sectors")),
    Criterion("Gases covered", "gases", "coverage", ("coverage.gases",),
              _listed("gas", "coverage.gases")),
    Criterion("Inclusion thresholds", "thresholds", "coverage", (), None),
    Criterion("Allocation", "allocation", "allocation", (), None),
    Criterion("Offset credits", "offsets", "offsets", ("offsets.limit_pct",), _offsets),
    Criterion("Banking", "banking", "cited_as", ("banking",), _sharing("banking")),
    Criterion("Borrowing", "borrowing", "cited_as", ("borrowing",), _sharing("borrowing")),
    Criterion("Price floor", "price_floor", "auctions", ("price_floor",),
              _price("price_floor", "price_floor")),
    Criterion("Auction reserve price", "reserve_price", "auctions",
              ("auctions.reserve_price",), _price("reserve_price", "auctions.reserve_price")),
    Criterion("Price ceiling", "price_ceiling", "cited_as", ("price_ceiling",),
              _price("price_ceiling", "price_ceiling")),
    Criterion("Cost-containment reserve", "ccr", "cited_as", ("cost_containment_reserve",),
              _feature("ccr", "cost_containment_reserve")),
    Criterion("Market stability reserve", "msr", "market_stability",
              ("market_stability_reserve",), _feature("msr", "market_stability_reserve")),
    Criterion("Penalty per tonne", "penalty", "penalties", ("penalty.per_tonne",), _penalty),
    Criterion("Make-good", "make_good", "penalties", ("penalty.make_good",),
              _yes_no("make_good", "penalty.make_good")),
    Criterion("Monitoring and reporting", "mrv", "mrv", (), None),
    Criterion("Verification", "verification", "verification", ("verification.third_party",),
              _yes_no("verification", "verification.third_party")),
    Criterion("Registry", "registry", "registry", ("registry",), None),
    Criterion("Compliance", "compliance", "cited_as", ("compliance_period_years",),
              _compliance),
    Criterion("Supervision", "supervision", "cited_as", ("oversight_authority",), None),
]
"""A criterion with figures to read and no phrase states the figure itself, a name
(`NAMED`); one with neither states the rule by reference to the law."""

ANNEX_HEADING = ENGLISH["criteria_heading"]
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


def _profile_words(neg: Negotiation, party: str, language: str, field: str) -> dict[str, str]:
    """What the party's profile gives in `language` (its usage, "fr-CA", over its
    language, "fr") for one field of `translations:`: English text -> that language's."""
    translations = neg.systems[party].profile.translations
    found: dict[str, str] = {}
    for code in dict.fromkeys((base(language), language)):
        names = translations.get(code)
        found.update(getattr(names, field, None) or {})
    return found


def _cited(neg: Negotiation, party: str, citation: str, say: Words) -> str:
    """A citation of the party's law as the version's language cites it: the profile's
    (`translations: {fr: {legislation: {…}}}`), else a bracket and a phrase missing."""
    return _in_language(neg, party, citation, say, "legislation", "criteria_citation_missing")


def _named(neg: Negotiation, party: str, value: str, say: Words) -> str:
    """A name the profile states in English (its registry's, its authority's) in the
    version's language: the profile's `proper_names`, else a bracket and a phrase missing."""
    return _in_language(neg, party, value, say, "proper_names", "criteria_name_missing")


def _in_language(neg: Negotiation, party: str, english: str, say: Words, field: str,
                 bracket: str) -> str:
    if say.english:
        return english
    found = _profile_words(neg, party, say.language, field).get(english)
    if found is None:
        kind = "legislation" if field == "legislation" else "proper_name"
        say.lacks(kind, neg.systems[party].profile.id, english)
        return say(bracket)
    return found


def _cell(neg: Negotiation, party: str, criterion: Criterion, say: Words) -> Cell:
    to_be_stated = TO_BE_STATED if say.english else say("criteria_to_be_stated")
    citation, law = _citation(neg, party, criterion.law)
    if citation is None:
        return Cell(to_be_stated, law, "no legislation on file to state it by")
    params = neg.systems[party].parameters
    for parameter in criterion.reads:
        consulted = _consulted(neg, party, parameter)
        value = params.get(consulted)
        if value is None:
            return Cell(to_be_stated, parameter, f"its {label(parameter)} is not on file")
        if not _confirmed(neg, party, consulted):
            return Cell(to_be_stated, consulted,
                        f"its {label(consulted)} on file ({show(value)}) is not confirmed",
                        on_file=value)
    if criterion.phrase is None and not criterion.reads:  # stated by reference to the law
        return Cell(say(f"criteria_{criterion.key}", law=_cited(neg, party, citation, say)))
    if criterion.phrase is None:
        rule: str | None = _named(neg, party, str(params.get(criterion.reads[0])), say)
    else:
        rule = criterion.phrase(params, say)
    if rule is None:
        return Cell(to_be_stated, criterion.reads[0] if criterion.reads else law,
                    "its rule cannot be stated from the figures on file")
    return Cell(say("criteria_under", rule=rule, law=_cited(neg, party, citation, say)))


def annex_cells(neg: Negotiation, say: Phrases | None = None) -> dict[tuple[str, str], Cell]:
    """(party, element) -> its cell, for every criterion. In English, computed once per
    state of the session, since the annex, the status note and the lint all ask; in
    another language, each time, so that the version's phrases record what it lacks."""
    words = Words(say)
    if not words.english:
        return {(party, c.element): _cell(neg, party, c, words)
                for c in CRITERIA for party in neg.party_ids}
    if CELLS_MEMO not in neg.memo:
        neg.memo[CELLS_MEMO] = {(party, c.element): _cell(neg, party, c, words)
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


def text_date(neg: Negotiation, say: Phrases | None = None) -> str:
    """The date the criteria speak as of: the round's, never today's; bracketed when the
    session gives none, as any point still to be settled."""
    words = Words(say)
    when = neg.session.round.date if neg.session.round else None
    if words.english:
        return f"{when.day} {when:%B %Y}" if when else "[date]"
    return long_date(when, words.language) if when else words("criteria_no_date")


_FOR_FORM = {"de": "acc"}
"""The form of a party's name after "for" ("pour l'Union européenne", "für die
Europäische Union"): the name itself unless the language declines it."""


def _names_in(neg: Negotiation, party: str, language: str) -> dict[str, str] | None:
    from negotiation.drafting.builder import party_names_in

    return party_names_in(neg, party, language)


def _party_in(neg: Negotiation, party: str, say: Words, form: str) -> str:
    """The party's name, or its short name (`form` "short"), in the version's language;
    a bracket where neither the session nor the profile gives it (the draft's other
    mentions of the party record it as missing)."""
    forms = _names_in(neg, party, say.language)
    if not forms:
        return "[…]"
    if form == "short":
        return forms.get("short") or forms.get("name", "[…]")
    return forms.get(_FOR_FORM.get(base(say.language), "name")) or forms.get("name", "[…]")


def _column(neg: Negotiation, party: str, say: Words) -> str:
    if say.english:
        return column_label(neg.party_short(party))
    return column_label(_party_in(neg, party, say, "short"))


def essential_criteria_intro(neg: Negotiation, party_word: str = "Party",
                             say: Phrases | None = None) -> str:
    """The annex's opening words: the criteria refer to each party's legislation as in
    force on the text's date, and that legislation by its official names."""
    words = Words(say)
    if neg.form == "regulation":
        party_word = "system"
    laws = []
    for party in neg.party_ids:
        acts = _law(neg, party).parameters.legislation.acts
        stated = acts and _law_confirmed(neg, party, "legislation.acts")
        if words.english:
            laws.append(f"for {neg.party_name(party)}, "
                        + (join_words(list(acts)) if stated and acts else TO_BE_STATED))
            continue
        named = (join_words([_cited(neg, party, act, words) for act in acts], words("and"))
                 if stated and acts else words("criteria_to_be_stated"))
        laws.append(words("criteria_laws_of", party=_party_in(neg, party, words, "for"),
                          acts=named))
    key = "criteria_intro_systems" if party_word == "system" else "criteria_intro"
    return words(key, party=party_word, date=text_date(neg, say),
                 laws=words("criteria_laws_separator").join(laws))


def essential_criteria_annex(neg: Negotiation, refs: dict[str, str] | None = None,
                             say: Phrases | None = None) -> Table:
    """The instrument's Annex I: for each criterion, each party's rule of law with the
    instrument laying it down, or a bracketed placeholder; never a research note, a dash
    or "open". `refs` is accepted for the builder's call and not used: the agreed common
    rules stand in the articles. In another language (`say`), every word is the
    language's own, or a bracket."""
    words = Words(say)
    cells = annex_cells(neg, say)
    rows = [[c.obligation if words.english else words(f"criteria_row_{c.key}"),
             *(cells[(p, c.element)].text for p in neg.party_ids)]
            for c in CRITERIA]
    heading = ANNEX_HEADING if words.english else words("criteria_heading")
    return Table([heading, *(_column(neg, p, words) for p in neg.party_ids)], rows)
