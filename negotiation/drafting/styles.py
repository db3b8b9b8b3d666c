"""House styles: how a drafting tradition words, numbers and closes the same instrument.

The clause library says what the parties agree; a house style says how their
lawyers write it down. An agreement of the European Union opens with its parties
in capitals and "HAVE AGREED AS FOLLOWS:" and ends "Done at …, in duplicate";
an agreement between a US state agency and a Canadian province speaks of its
"Parties", recites "WHEREAS …" and "takes effect"; an Australian legislative
instrument has numbered sections in Parts, a name and a commencement section,
Schedules instead of Annexes, and is made by the Governor-General, not signed by
another system. One style per instrument, chosen from the parties and the form
(`choose_style`) unless the session names one (`style:`).

The conventions are those of `LINKING.md` section 10 (verified in the EU–CH text;
the sub-national "Parties" and "WHEREAS" recitals in the published 2017
California–Québec–Ontario text; the Australian ones are the Office of
Parliamentary Counsel's general conventions).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from negotiation.errors import LinkwrightError

if TYPE_CHECKING:
    from negotiation.session import Negotiation


@dataclass(frozen=True)
class HouseStyle:
    """One drafting tradition: what differs between traditions, and nothing else."""

    id: str
    name: str
    forms: frozenset[str]
    unit: str = "Article"
    """What a unit of the body is cited as ("Article 5(2)", "section 5(2)")."""
    numbered_heading: bool = False
    """Headings are "5  Recognition" (a section) rather than "Article 5 — Recognition"."""
    paragraph_label: str = "{}."
    """How a paragraph is numbered: "1." or "(1)"."""
    within: str = "paragraph {}"
    """A paragraph of the same unit, cited from inside it: "paragraph 2", "subsection (2)"."""
    sub_unit: str = ""
    """The word before a paragraph cited from elsewhere ("subsection 5(2)"), if any."""
    annex_word: str = "Annex"
    annex_numbers: str = "roman"  # or "arabic": "Schedule 1"
    recitals: bool = True
    recital_lead: str = ""  # "WHEREAS " in the North American agreements
    voice: str | None = None  # overrides "Parties"/"Participants" when the tradition does
    parts: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """The body grouped in Parts: (title, topic ids), in order; the rest goes to the
    Part whose topics list is empty."""
    headings: dict[str, str] = field(default_factory=dict)
    """Topic id -> the heading the tradition gives it ("Commencement")."""
    first: tuple[str, ...] = ()
    """Topics the tradition puts before all others, in this order."""
    rewrites: tuple[tuple[str, str], ...] = ()
    """Wording the tradition uses instead of the library's (regular expressions)."""
    instrument_word: str | None = None  # "instrument" for an Australian legislative instrument


EU_AGREEMENT = HouseStyle(
    "eu-agreement", "international agreement of the European Union",
    frozenset({"treaty", "hybrid", "memorandum"}))
TREATY = HouseStyle(
    "treaty", "international treaty", frozenset({"treaty", "hybrid", "memorandum"}))
_AMERICAN_SPELLING: tuple[tuple[str, str], ...] = (
    # The library is written in British English; a Californian or Canadian text is not.
    # Only stems whose -ise is a spelling choice: "advise", "exercise", "otherwise",
    # "supervise" and "comprise" are the same on both sides of the Atlantic.
    (r"\b(harmoni|recogni|organi|authori|priori|minimi|utili|finali|reali|standardi|"
     r"categori|summari|characteri|stabili|penali|emphasi|speciali)s(e|es|ed|ing|"
     r"ation|ations)\b", r"\1z\2"),
    (r"\banalys(e|es|ed|ing)\b", r"analyz\1"),
    (r"\bprogramme(s?)\b", r"program\1"),
    (r"\b(fav|behavi|lab|hon)our(s?|ed|ing|able)?\b", r"\1or\2"),
    (r"\bcentre(s?)\b", r"center\1"),
    (r"\blicence(s?)\b", r"license\1"),
    (r"\bjudgement(s?)\b", r"judgment\1"),
)
NORTH_AMERICAN = HouseStyle(
    "north-american", "North American sub-national agreement",
    frozenset({"memorandum", "treaty", "hybrid"}), recital_lead="WHEREAS ",
    rewrites=_AMERICAN_SPELLING)
AUSTRALIAN = HouseStyle(
    "au-instrument", "Commonwealth of Australia legislative instrument",
    frozenset({"regulation"}), unit="section", numbered_heading=True, paragraph_label="({})",
    within="subsection ({})", sub_unit="sub", annex_word="Schedule", annex_numbers="arabic",
    recitals=False, instrument_word="instrument",
    parts=(("Preliminary", ("name", "entry_into_force", "objective", "definitions")),
           ("Recognition", ()),
           ("Suspension and ending of recognition", ("suspension", "termination"))),
    headings={"entry_into_force": "Commencement", "objective": "Authority and object",
              "institutions": "Administration"},
    first=("name", "entry_into_force"),
    rewrites=(
        # Commonwealth drafting says "must", and states what an act does in the present.
        (r"\bshall enter into force on\b", "commences on"),
        (r"\bshall apply\b", "applies"),
        (r"\bshall take effect\b", "takes effect"),
        (r"\bshall end\b", "ends"),
        (r"\b([Nn]o \w+) shall\b", r"\1 may"),
        (r"\bshall be (\w+) only\b", r"may be \1 only"),
        (r"\bthis Article\b", "this section"),
        (r"\bshall not\b", "must not"),
        (r"\bshall\b", "must"),
        (r"\bAnnex I\b", "Schedule 1"),
        (r"\ball the Articles and Annexes\b", "this instrument"),
        (r"\bthis Regulation\b", "this instrument"),
        (r"\bThis Regulation\b", "This instrument"),
    ))
REGULATION = HouseStyle(
    "regulation", "domestic regulation", frozenset({"regulation"}))

STYLES: dict[str, HouseStyle] = {s.id: s for s in (
    EU_AGREEMENT, TREATY, NORTH_AMERICAN, AUSTRALIAN, REGULATION)}

_NORTH_AMERICAN_SUBNATIONAL = frozenset({"california", "quebec", "ontario", "rggi"})
"""Profiles of the states and provinces whose agreements follow the sub-national style."""


def _is_eu(neg: Negotiation, pid: str) -> bool:
    return neg.systems[pid].profile.id == "eu-ets"


def choose_style(neg: Negotiation) -> HouseStyle:
    """The tradition the instrument is drafted in: the session's `style:`, else the one
    its parties and form call for."""
    named = neg.session.style
    if named is not None:
        style = STYLES[named]
        if neg.form not in style.forms:
            raise LinkwrightError(
                f"style '{named}' ({style.name}) does not draft a {neg.form}: choose one of "
                + ", ".join(s.id for s in STYLES.values() if neg.form in s.forms))
        return style
    return STYLES[proposed_style(neg)]


def proposed_style(neg: Negotiation) -> str:
    """The style the parties and the form call for, ignoring the session's choice."""
    if neg.form == "regulation":
        author = neg.recognising() or neg.party_ids[0]
        jurisdiction = neg.systems[author].parameters.jurisdiction or ""
        return "au-instrument" if jurisdiction == "Australia" else "regulation"
    if any(_is_eu(neg, pid) for pid in neg.party_ids):
        return "eu-agreement"
    if all(neg.systems[pid].profile.id in _NORTH_AMERICAN_SUBNATIONAL
           for pid in neg.party_ids):
        return "north-american"
    return "treaty"


def annex_number(style: HouseStyle, index: int) -> str:
    """The number of the `index`th annex (from 1): "II" or "2"."""
    if style.annex_numbers == "arabic":
        return str(index)
    return ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")[index - 1]


def rewrite(style: HouseStyle, text: str) -> str:
    """Clause text in the tradition's own wording."""
    for pattern, replacement in style.rewrites:
        text = re.sub(pattern, replacement, text)
    return text


def copies(count: int) -> str:
    """How many originals a signature makes: "in duplicate", "in triplicate"."""
    return {2: "in duplicate", 3: "in triplicate", 4: "in quadruplicate"}.get(
        count, f"in {count} originals")


EU_LANGUAGES: tuple[tuple[dt.date, tuple[str, ...]], ...] = (
    # The languages in which the Union concludes its agreements, as they stood on a date:
    # Bulgarian and Romanian from 1 January 2007, Croatian from 1 July 2013, Irish at the
    # end of its derogation on 1 January 2022 (LINKING.md section 5, verified).
    (dt.date(2004, 5, 1), ("cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "hu",
                           "it", "lt", "lv", "mt", "nl", "pl", "pt", "sk", "sl", "sv")),
    (dt.date(2007, 1, 1), ("bg", "ro")),
    (dt.date(2013, 7, 1), ("hr",)),
    (dt.date(2022, 1, 1), ("ga",)),
)


def eu_languages(on: dt.date) -> list[str]:
    """The Union's languages of conclusion on `on`, by code."""
    codes: list[str] = []
    for since, added in EU_LANGUAGES:
        if on >= since:
            codes.extend(added)
    return codes
