"""The draft as a document model, in the vocabulary of Akoma Ntoso.

One model, many writers: the Markdown, Typst (PDF) and DOCX writers all walk
a `Draft` and never look at the session or the library. Text comes in two
kinds that every writer must keep apart:

* `Markdown`: rendered clause text. Values inside it were escaped when the
  clause was rendered, so the writer parses it as Markdown.
* `str` (plain): titles, party names, a party's own proposed text. Shown
  literally: every writer escapes it for its format.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class Reference:
    """A cross-reference in clause text: the words shown ("Article 12(1)") and what they
    point at, so that a writer can make it a live reference (a Word REF field that
    renumbers when an article is inserted) instead of typed words."""

    shown: str
    topic: str  # the article (or guidelines section) referred to
    provision: str | None = None  # the paragraph, for "Article 12(1)"
    within: bool = False  # a paragraph cited from its own article: "paragraph 2"


@dataclass(frozen=True)
class Markdown:
    """Clause text in Markdown whose inserted values are already escaped."""

    source: str
    # In the order they appear; not part of equality: the same words are the same text.
    references: tuple[Reference, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Supporter:
    """A party behind an option or a value, by its short name."""

    party: str
    proposed: bool = False  # the party's own text, not a library clause


@dataclass(frozen=True)
class Option:
    """One bracketed alternative of an open provision."""

    number: int
    text: Markdown | str  # str = a party's proposed text, shown literally
    supporters: tuple[Supporter, ...]
    source: str  # clause id, or "proposed text"


@dataclass(frozen=True)
class ValueNote:
    """Who supports which value of a disputed parameter: `[8][4] per cent`."""

    parameter: str
    values: tuple[tuple[str, tuple[str, ...]], ...]  # (value as shown, supporters)


@dataclass(frozen=True)
class UnconfirmedValue:
    """A value in a paragraph that nobody has confirmed: the library's default, or no
    value at all. The text shows it bracketed; every writer adds this note ("not yet
    agreed"), as it does for disputed values. The note also carries what the text
    cannot bracket: a yes/no that only decides which words the paragraph holds.

    `shown` is the value as the text brackets it ("6", "English and French", "yes"),
    or None when there is none ("[…]")."""

    parameter: str  # the parameter's label
    shown: str | None

    @property
    def bracket(self) -> str:
        """The value as the text brackets it: "[6]", or "[…]" for no value."""
        return f"[{'…' if self.shown is None else self.shown}]"

    def describe(self) -> str:
        """One entry of the note, in plain words every writer escapes its own way."""
        why = "no value" if self.shown is None else "library default"
        return f"{self.parameter}: {self.bracket} ({why})"


@dataclass
class Paragraph:
    """A numbered paragraph: one provision of a topic."""

    number: int
    provision: str
    status: Literal["agreed", "disputed", "options", "open", "missing-voice"]
    text: Markdown | None = None
    options: list[Option] = field(default_factory=list)
    value_notes: list[ValueNote] = field(default_factory=list)
    unconfirmed: list[UnconfirmedValue] = field(default_factory=list)
    note: str = ""  # plain bracketed note, e.g. "[Termination notice: to be agreed]"
    points: list[tuple[str, Markdown | str]] = field(default_factory=list)  # (a), (b) …
    # As the house style numbers it: "1." or "(1)"; empty for an article's lone paragraph,
    # which a lawyer does not number.
    label: str | None = None  # None: numbered "1." as before house styles


@dataclass
class Article:
    """An article of the body, or a numbered section of a guidelines annex."""

    number: int
    topic: str
    heading: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    # The heading as the house style writes it: "Article 5 — Recognition", "5  Recognition".
    title_line: str = ""
    part: str = ""  # "Part 1—Preliminary" on the first unit of a Part, where the style has Parts

    @property
    def eid(self) -> str:
        return f"art_{self.number}"

    def line(self, word: str = "Article") -> str:
        """The heading line: the style's, or "Article 5 — Recognition"."""
        return self.title_line or f"{word} {self.number} — {self.heading}"


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]


@dataclass
class Annex:
    number: str  # "I", or "1" where the style numbers Schedules
    title: str
    word: str = "Annex"  # "Schedule" in an Australian instrument
    intro: str = ""
    table: Table | None = None
    sections: list[Article] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.word} {self.number}"


@dataclass(frozen=True)
class StatusRow:
    """One provision's line in the status of the text (`--document status`): the
    cover note's, never the instrument's, since it names provisions by id."""

    reference: str  # "Article 12(1)"
    provision: str
    title: str
    status: Literal["agreed", "open"]
    detail: str


@dataclass(frozen=True)
class Signature:
    party: str  # "For the European Union"


@dataclass
class Preface:
    title: str
    short_title: str
    kind: str  # "Agreement", "Memorandum of Understanding", "Regulation"
    subtitle: str  # "Agreement between A and B", "Regulation of A": one wording for every writer
    marking: str
    round_number: int | None
    round_date: dt.date | None
    parties: list[str]  # for a regulation, the recognising party first
    # The English the text is written in (a BCP 47 tag), chosen from the parties, so that
    # an editor checks British spelling in an EU text and American in a Californian one.
    language: str = "en-GB"


@dataclass
class Draft:
    """A whole instrument: preface, preamble, body, conclusions, attachments."""

    form: str
    linkage: str
    voice_word: str  # "Parties" or "Participants"
    preface: Preface
    # What is open and why, for the status note; no writer of the instrument prints it.
    status: list[StatusRow]
    preamble_intro: str  # "" where the style has no preamble
    recitals: list[Markdown]
    enacting_formula: str
    body: list[Article]
    conclusions_heading: str  # "Signatures", "Adoption", or "" where the style has none
    conclusions_intro: str
    signatures: list[Signature]
    attachments: list[Annex]
    clean: bool = False
    style: str = "treaty"  # the house style's id (negotiation/drafting/styles.py)
    preamble_heading: str = "Preamble"  # "" where the style's opening has no heading
    language: str = "en"  # the version's language: "en", "fr", "fr-CA", "de"
    missing: list[tuple[str, str]] = field(default_factory=list)
    """What the version lacks in its language (what, which): each shown as a bracket in the
    text, and each a finding (`language.text-missing`)."""
    phrases: Any = None
    """The skeleton's words in the version's language (negotiation.drafting.phrases), for
    the writers' notes ("Option 1 supported by …"); None: English."""

    def articles(self) -> list[Article]:
        """The body's articles, then the numbered sections of the annexes (a hybrid's
        guidelines): every unit that holds paragraphs."""
        return [*self.body, *(section for annex in self.attachments
                              for section in annex.sections)]

    def open_count(self) -> int:
        return sum(1 for row in self.status if row.status == "open")
