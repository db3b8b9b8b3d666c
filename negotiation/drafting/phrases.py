"""The skeleton's words in each language: headings, formulas, closings, notes.

The clause library gives what the parties agree in each language (negotiation.
translations); the skeleton around it ("HAVE AGREED AS FOLLOWS:", "Done at …", "Article
12", "Option 1 supported by …") is worded here. English is the code's own; other
languages come from skeleton files in the library's language layers (`clauses/lang/fr/
skeleton.yaml`: `language: fr` and `skeleton: {phrase: text}`), so a delegation's layer
can add a language with its skeleton, like its clauses. A phrase a language lacks is
shown bracketed, never in English.

A phrase is plain text with `{name}` slots filled by `fill`; nothing else in it is
interpreted (no attribute access, no format specifications: a phrase may come from
another delegation's file).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from negotiation.profiles import LanguageCode
from negotiation.yamlload import Document, validate

if TYPE_CHECKING:
    from negotiation.library import Library

ENGLISH: dict[str, str] = {
    # headings and references
    "article": "Article",
    "article_heading": "{unit} {number} — {heading}",
    "section_heading": "Section {number} — {heading}",
    "article_ref": "{unit} {number}",
    "paragraph_ref": "{sub_unit}{unit} {number}({paragraph})",
    "within_ref": "paragraph {paragraph}",
    "annex_ref": "Annex {number}",
    "guidelines_ref": "section {number} of {annex}",
    "guidelines_paragraph_ref": "section {number}({paragraph}) of {annex}",
    "annex": "Annex",
    # the instrument's names and words
    "party_word": "Party",
    "parties_word": "Parties",
    "instrument_treaty": "Agreement",
    "instrument_hybrid": "Agreement",
    "instrument_memorandum": "Memorandum",
    "instrument_regulation": "Regulation",
    "gender_treaty": "n",
    "gender_hybrid": "n",
    "gender_memorandum": "n",
    "gender_regulation": "n",
    "unnamed_body": "[the joint body]",
    "unnamed_body_de": "[the joint body]",
    "unnamed_body_a": "[the joint body]",
    "unnamed_body_gen": "[the joint body]",
    "unnamed_body_dat": "[the joint body]",
    "unnamed_body_acc": "[the joint body]",
    "kind_treaty": "Agreement",
    "kind_hybrid": "Agreement",
    "kind_memorandum": "Memorandum of Understanding",
    "kind_regulation": "Regulation",
    "between": "{kind} between {names}",
    "of": "{kind} of {name}",
    "with_guidelines": ", with Implementing Guidelines in {annex}",
    # preamble
    "new_title": "{kind} on the linking of the {systems} of {names}",
    "preamble": "Preamble",
    "parties_intro": "{names}, hereinafter “the {Parties}”,",
    "parties_intro_capitals": "{NAMES}, hereinafter “the {Parties}”,",
    "agreed": "HAVE AGREED AS FOLLOWS:",
    "understanding": "HAVE REACHED THE FOLLOWING UNDERSTANDING:",
    "na_agree": "NOW, THEREFORE, the {Parties} agree as follows:",
    "na_understanding": "NOW, THEREFORE, the {Parties} have reached the following "
                        "understanding:",
    "regulation_intro": "{name}, whereas:",
    "regulation_formula": "HAS ADOPTED THIS REGULATION:",
    # closing
    "signature": "For {party}",
    "colon": ":",
    "signature_label": "(signature)",
    "regulation_signature": "For {party}, the competent authority",
    "done": "Done at […], on […]{count}{languages}.",
    "signed": "Signed at […], on […]{count}{languages}.",
    "signed_by": "Signed by the {Parties} at […], on […]{count}{languages}.",
    "witness": "IN WITNESS WHEREOF, the undersigned, being duly authorised thereto, have "
               "signed {this_instrument}.",
    "copies_2": "in duplicate",
    "copies_3": "in triplicate",
    "copies_4": "in quadruplicate",
    "copies_n": "in {count} originals",
    "languages_authentic": "in the {languages} languages, each text being equally authentic",
    "languages_valid": "in the {languages} languages, each text being equally valid",
    "languages_unknown": "[…]",
    # annexes
    "criteria_title": "Essential criteria",
    "guidelines_title": "Implementing Guidelines",
    "guidelines_intro": "These guidelines implement the {instrument}. {Body} may adopt and "
                        "amend them by decision.",
    # body
    "definition": "“{term}” means {meaning}",
    "condition": "{party} is to {what}{by}",
    "condition_by": ", by {date}",
    "to_be_agreed": "[{title}: to be agreed]",
    "voice_missing": "[{title}: non-binding text missing]",
    "text_missing": "[{title}: no {language} text]",
    "criteria_missing": "[The essential criteria: no {language} text]",
    # notes on open text (the writers)
    "round": "Round {number}",
    "page": "Page",
    "of_pages": "of",
    "option": "Option {number}",
    "supported_by": "supported by {names}",
    "proposed_by": "proposed by {names}",
    "text_proposed_by": "text proposed by {names}",
    "disputed_value": "Disputed value of {parameter}: {values}.",
    "not_yet_agreed": "Not yet agreed: {what}.",
    "and": "and",
    "yes": "yes",
    "no": "no",
    # Annex I, the essential criteria (negotiation.drafting.criteria): {law} is a
    # citation of a party's law, {party} its name or the word for a party
    "criteria_heading": "Essential criterion",
    "criteria_intro": "The essential criteria below refer to each {party}'s legislation as "
                      "in force on {date}: {laws}. Each row states what every linked system "
                      "meets; each column, the rule by which that {party} meets it.",
    "criteria_intro_systems": "The essential criteria below refer to each system's "
                              "legislation as in force on {date}: {laws}. Each row states "
                              "what every linked system meets; each column, the rule by "
                              "which that system meets it.",
    "criteria_laws_of": "for {party}, {acts}",
    "criteria_laws_separator": "; ",
    "criteria_no_date": "[date]",
    "criteria_to_be_stated": "[to be stated]",
    "criteria_citation_missing": "[citation to be stated]",
    "criteria_name_missing": "[name to be stated]",
    "criteria_under": "{rule}, under {law}",
    "criteria_row_participation": "Participation: mandatory for the activities covered",
    "criteria_row_cap_type": "Cap: an absolute cap on the allowances issued",
    "criteria_row_reduction": "Cap: reduced over time",
    "criteria_row_activities": "Coverage: the activities covered",
    "criteria_row_gases": "Coverage: the greenhouse gases covered",
    "criteria_row_thresholds": "Coverage: thresholds for inclusion laid down in law",
    "criteria_row_allocation": "Allocation: auctioning and any free allocation on rules laid "
                               "down in law",
    "criteria_row_offsets": "Offset credits: surrendered, if at all, only within a "
                            "quantitative limit",
    "criteria_row_banking": "Banking of allowances for later compliance periods",
    "criteria_row_borrowing": "Borrowing of allowances from later compliance periods",
    "criteria_row_price_floor": "Price floor",
    "criteria_row_reserve_price": "Auction reserve price",
    "criteria_row_price_ceiling": "Price ceiling",
    "criteria_row_ccr": "Cost-containment reserve",
    "criteria_row_msr": "Market stability reserve",
    "criteria_row_penalty": "Penalties: a penalty for each tonne emitted without an "
                            "allowance surrendered in time",
    "criteria_row_make_good": "Penalties: the missing allowances still to be surrendered",
    "criteria_row_mrv": "Monitoring and reporting of emissions on rules laid down in law",
    "criteria_row_verification": "Verification of emissions reports by accredited third "
                                 "parties",
    "criteria_row_registry": "Registry: allowances held and transferred in a registry",
    "criteria_row_compliance": "Compliance: allowances surrendered for the emissions of each "
                               "compliance period",
    "criteria_row_supervision": "Supervision by a competent authority",
    "criteria_participation_mandatory": "Mandatory for every installation or entity carrying "
                                        "out an activity covered",
    "criteria_participation_voluntary": "Voluntary",
    "criteria_cap_absolute": "An absolute cap on the allowances issued",
    "criteria_cap_intensity": "A cap on emissions per unit of output, not on total emissions",
    "criteria_reduction": "The cap reduced by {rate} per cent a year",
    "criteria_thresholds": "Thresholds as laid down in {law}",
    "criteria_allocation": "Auctioning and free allocation as laid down in {law}",
    "criteria_offsets_none": "No offset credits may be surrendered",
    "criteria_offsets_limit": "Offset credits may cover at most {limit} per cent of an "
                              "entity's compliance obligation",
    "criteria_banking_allowed": "Banking allowed",
    "criteria_banking_limited": "Banking allowed within limits",
    "criteria_banking_none": "Banking not allowed",
    "criteria_borrowing_allowed": "Borrowing allowed",
    "criteria_borrowing_limited": "Borrowing allowed within limits",
    "criteria_borrowing_none": "Borrowing not allowed",
    "criteria_price_floor": "A price floor of {amount}",
    "criteria_price_floor_none": "No price floor",
    "criteria_reserve_price": "An auction reserve price of {amount}",
    "criteria_reserve_price_none": "No auction reserve price",
    "criteria_price_ceiling": "A price ceiling of {amount}",
    "criteria_price_ceiling_none": "No price ceiling",
    "criteria_ccr": "A cost-containment reserve",
    "criteria_ccr_none": "No cost-containment reserve",
    "criteria_msr": "A market stability reserve",
    "criteria_msr_none": "No market stability reserve",
    "criteria_penalty": "A penalty of {amount} for each tonne of carbon dioxide equivalent "
                        "emitted for which no allowance was surrendered in time",
    "criteria_make_good": "The missing allowances remain to be surrendered after the penalty",
    "criteria_make_good_none": "No obligation to surrender the missing allowances",
    "criteria_mrv": "Monitoring and reporting as laid down in {law}",
    "criteria_verification": "Emissions reports verified by accredited third-party verifiers",
    "criteria_verification_none": "No verification of emissions reports by accredited third "
                                  "parties",
    "criteria_compliance_annual": "Allowances surrendered each year for the emissions of the "
                                  "year before",
    "criteria_compliance_period": "Allowances surrendered for compliance periods of {years} "
                                  "years",
    "criteria_sector_power": "power",
    "criteria_sector_industry": "industry",
    "criteria_sector_aviation": "aviation",
    "criteria_sector_maritime": "maritime",
    "criteria_sector_buildings": "buildings",
    "criteria_sector_transport": "transport",
    "criteria_sector_fuel_distribution": "fuel distribution",
    "criteria_sector_waste": "waste",
    "criteria_sector_forestry": "forestry",
    "criteria_sector_aluminium": "aluminium",
    "criteria_sector_cement": "cement",
    "criteria_sector_steel": "steel",
    "criteria_sector_synthetic_gases": "synthetic gases",
    "criteria_gas_CO2": "CO2",
    "criteria_gas_CH4": "CH4",
    "criteria_gas_N2O": "N2O",
    "criteria_gas_HFCs": "HFCs",
    "criteria_gas_PFCs": "PFCs",
    "criteria_gas_SF6": "SF6",
    "criteria_gas_NF3": "NF3",
}
"""The English skeleton: the words the drafts have always used."""

_SLOT = re.compile(r"\{([A-Za-z_]+)\}")


def fill(phrase: str, **values: Any) -> str:
    """`phrase` with its `{name}` slots filled; a slot with no value stays as written."""
    return _SLOT.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values
                     else m.group(0), phrase)


class SkeletonFile(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    language: LanguageCode
    skeleton: dict[str, str] = Field(max_length=500)


def is_skeleton_document(data: Any) -> bool:
    return isinstance(data, dict) and "skeleton" in data


def add_skeleton_document(library: Library, doc: Document) -> None:
    spec = validate(SkeletonFile, doc)
    unknown = sorted(set(spec.skeleton) - set(ENGLISH))
    if unknown:
        from negotiation.errors import did_you_mean

        raise doc.error(("skeleton", unknown[0]), f"no skeleton phrase '{unknown[0]}'"
                        + did_you_mean(unknown[0], ENGLISH))
    for key, text in spec.skeleton.items():
        wanted = set(_SLOT.findall(ENGLISH[key]))
        used = set(_SLOT.findall(text))
        if used - wanted:
            raise doc.error(("skeleton", key), f"phrase '{key}' has no slot "
                            f"{{{sorted(used - wanted)[0]}}}; it has "
                            + (", ".join(f"{{{s}}}" for s in sorted(wanted)) or "none"))
    library.skeletons.setdefault(spec.language, {}).update(spec.skeleton)


@dataclass
class Phrases:
    """The skeleton in one language, and what it lacks there."""

    language: str = "en"
    words: dict[str, str] = field(default_factory=lambda: dict(ENGLISH))
    missing: set[str] = field(default_factory=set)

    def __call__(self, key: str, **values: Any) -> str:
        phrase = self.words.get(key)
        if phrase is None:
            self.missing.add(key)
            return f"[{key}]"
        return fill(phrase, **values)

    @property
    def english(self) -> bool:
        return self.language == "en"


def phrases_for(library: Library, language: str) -> Phrases:
    """The skeleton in `language`: its usage's phrases ('fr-CA') over its language's,
    those in the usage's defined terms (`translations.in_usage`)."""
    from negotiation.translations import usage_wording

    if language == "en":
        return Phrases()
    base = language.split("-")[0]
    general = library.skeletons.get(base, {})
    say = usage_wording(library, language) if language != base else None
    if say is not None:
        general = {key: say(phrase) for key, phrase in general.items()}
    return Phrases(language, {**general, **library.skeletons.get(language, {})})


# -- French and German grammar the skeleton and names need --------------------------

_FRENCH_ARTICLES = (("les ", {"de": "des ", "a": "aux "}),
                    ("le ", {"de": "du ", "a": "au "}),
                    ("la ", {"de": "de la ", "a": "à la "}),
                    ("l'", {"de": "de l'", "a": "à l'"}),
                    ("l’", {"de": "de l’", "a": "à l’"}))


def french_form(text: str, form: str) -> str:
    """A French noun phrase after "de" or "à", its article contracted: "le Comité" ->
    "du Comité", "les Parties" -> "aux Parties", "la Suisse" -> "de la Suisse"."""
    if form not in ("de", "a"):
        return text
    lowered = text.lower()
    for article, forms in _FRENCH_ARTICLES:
        if lowered.startswith(article):
            return forms[form] + text[len(article):]
    return ("de " if form == "de" else "à ") + text


_FEMININE = ((r"ais$", "aise"), (r"ois$", "oise"), (r"ien$", "ienne"), (r"ec$", "ecque"),
             (r"on$", "one"), (r"([dlnt])$", r"\1e"))


def french_language_adjective(name: str) -> str:
    """A language's name as the feminine adjective of "en langues allemande, anglaise":
    "anglais" -> "anglaise", "italien" -> "italienne", "grec" -> "grecque"."""
    name = name.lower()
    for pattern, replacement in _FEMININE:
        if re.search(pattern, name):
            return re.sub(pattern, replacement, name)
    return name


def german_language_adjective(name: str) -> str:
    """A language's name as the adjective of "in deutscher und englischer Sprache"."""
    return name[:1].lower() + name[1:] + "er"


# -- the notes on open text, in a version's language (the writers) -------------------


def supporters_words(say: Phrases, number: int, parties: list[str], proposed: bool) -> str:
    """"Option 1 appuyée par la Californie": who stands behind one bracketed option."""
    names = join(say, parties)
    return f"{say('option', number=number)} " + say(
        "proposed_by" if proposed else "supported_by", names=names)


def value_note_words(say: Phrases, parameter: str,
                     values: list[tuple[str, tuple[str, ...]]]) -> str:
    shown = "; ".join(f"[{value}] " + say("supported_by", names=join(say, list(who)))
                      for value, who in values)
    return say("disputed_value", parameter=parameter, values=shown)


def unconfirmed_words(say: Phrases, parameter: str, bracket: str) -> str:
    return say("not_yet_agreed", what=f"{parameter} {bracket}")


def join(say: Phrases, items: list[str]) -> str:
    from negotiation.templating import join_words

    return join_words(items, say("and"))
