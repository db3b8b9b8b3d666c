"""Comparing two rounds: what the negotiation changed, provision by provision.

Two things are compared, both matched by identity, never by number:

* the negotiation itself (decisions, positions and who moved, parameter values,
  proposed texts, conditions, parties, form and linkage), from the two sessions;
* the instrument text, word by word within each paragraph. Articles are matched
  by topic and paragraphs by provision, through the layout of each text (which
  article holds which topic, which paragraph which provision), so an article
  that moved from 11 to 12 is one article that moved, not a deletion and an
  insertion; and a cross-reference whose number changed only because articles
  were renumbered is no change either.

A closed round is compared with its instrument as tabled (the Markdown saved
when the round closed), not re-rendered: a change in the library or in
Linkwright since then is no negotiation change. The writers (Markdown with
CriticMarkup, DOCX with tracked changes) walk the alignment made here and ask
`word_diff` for the pieces of each paragraph in their own kind of text.
"""

from __future__ import annotations

import difflib
import re
import textwrap
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from negotiation.session import ClauseChoice, Condition, ProposedText, Session

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

    from negotiation.drafting.model import Draft
    from negotiation.session import Negotiation

NEUTRAL_AUTHOR = "Consolidated text"
"""The one author of every change when attribution is off (the chair's text)."""

# -- the two sides -------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """One numbered unit of an instrument: an article, or a section of an annex."""

    word: str  # "Article" or "Section"
    annex: str | None  # the annex's numeral, for a section
    number: int
    topic: str
    paragraphs: dict[int, str]  # paragraph number -> provision id


@dataclass(frozen=True)
class Layout:
    """Which article holds which topic and which paragraph which provision: kept with
    a closed round, so that its text as tabled can be matched by id."""

    places: tuple[Place, ...]

    def find(self, word: str, annex: str | None, number: int) -> Place | None:
        for place in self.places:
            if (place.word, place.annex, place.number) == (word, annex, number):
                return place
        return None

    def to_json(self) -> list[dict[str, Any]]:
        return [{"word": p.word, "annex": p.annex, "number": p.number, "topic": p.topic,
                 "paragraphs": {str(k): v for k, v in p.paragraphs.items()}}
                for p in self.places]

    @classmethod
    def from_json(cls, data: Any) -> Layout:
        """The layout saved with a round; a malformed one is a ValueError for the caller
        to word (it is read from a file another delegation may have written)."""
        if not isinstance(data, list):
            raise ValueError("not a list of articles")
        places = []
        for entry in data:
            if not isinstance(entry, dict):
                raise ValueError("an article is not a mapping")
            paragraphs = entry.get("paragraphs", {})
            if not isinstance(paragraphs, dict):
                raise ValueError("paragraphs are not a mapping")
            annex = entry.get("annex")
            places.append(Place(str(entry["word"]), None if annex is None else str(annex),
                                int(entry["number"]), str(entry["topic"]),
                                {int(k): str(v) for k, v in paragraphs.items()}))
        return cls(tuple(places))


def layout_of(draft: Draft) -> Layout:
    places = [Place("Article", None, a.number, a.topic,
                    {p.number: p.provision for p in a.paragraphs}) for a in draft.body]
    for annex in draft.attachments:
        places += [Place("Section", annex.number, s.number, s.topic,
                         {p.number: p.provision for p in s.paragraphs})
                   for s in annex.sections]
    return Layout(tuple(places))


@dataclass
class Side:
    """One round: its session, and its instrument as tabled (a closed round) or as
    rendered now (a session file or a git revision)."""

    label: str
    session: Session
    markdown: str
    layout: Layout
    neg: Negotiation | None = None
    tabled: bool = False

    def party_short(self, party: str) -> str | None:
        if self.neg is not None and party in self.neg.party_ids:
            return self.neg.party_short(party)
        return None


def side_of(neg: Negotiation, label: str) -> Side:
    """A session's side: its instrument rendered as `linkwright render` would."""
    from negotiation.drafting.builder import build_draft
    from negotiation.drafting.markdown import write_markdown

    draft = build_draft(neg)
    return Side(label, neg.session, write_markdown(draft), layout_of(draft), neg)


# -- the instrument as sections and blocks ---------------------------------------


@dataclass
class Block:
    """A block of the instrument under one heading: a numbered paragraph (with its
    points and notes), a recital, a table, a line."""

    key: str  # "provision:<id>" for a numbered paragraph, else its text
    text: str  # Markdown; a paragraph's number taken off and its lines dedented
    number: int | None = None
    provision: str | None = None


@dataclass
class Section:
    """A heading and what follows it up to the next heading."""

    key: str
    level: int  # the number of `#`, 0 for what comes before the title
    title: str  # the heading's words after the label ("Termination"), or the whole heading
    place: Place | None = None
    blocks: list[Block] = field(default_factory=list)

    @property
    def label(self) -> str | None:
        return f"{self.place.word} {self.place.number}" if self.place else None


_HEADING = re.compile(r"^(#{1,6}) (.*)$")
_NUMBERED = re.compile(r"^(Article|Section) (\d+) — (.*)$")
_ANNEX = re.compile(r"^Annex ([IVXLCDM]+) — (.*)$")
_PARAGRAPH = re.compile(r"^(\d+)\. ")


def sections_of(markdown: str, layout: Layout) -> list[Section]:
    """The instrument's Markdown as sections of blocks, articles keyed by topic and
    paragraphs by provision through `layout`."""
    sections = [Section("front", 0, "")]
    annex: str | None = None
    lines: list[str] = []

    def close_block() -> None:
        while lines and not lines[-1].strip():
            lines.pop()
        if lines:
            sections[-1].blocks.append(_block(lines, sections[-1].place))
        lines.clear()

    for line in markdown.splitlines():
        heading = _HEADING.match(line)
        if heading:
            close_block()
            level, words = len(heading.group(1)), heading.group(2).strip()
            numbered, annexed = _NUMBERED.match(words), _ANNEX.match(words)
            if annexed:
                annex = annexed.group(1)
                sections.append(Section(f"annex:{annexed.group(2)}", level, words))
            elif numbered:
                word, number = numbered.group(1), int(numbered.group(2))
                place = layout.find(word, annex if word == "Section" else None, number)
                key = f"topic:{place.topic}" if place else f"heading:{words}"
                sections.append(Section(key, level, numbered.group(3), place))
            else:
                annex = None if level <= 2 else annex
                sections.append(Section("title" if level == 1 else f"heading:{words}",
                                        level, words))
        elif line.strip() and not line[:1].isspace():
            close_block()  # a new block starts at a line that is not indented
            lines.append(line)
        elif lines or line.strip():
            lines.append(line)
    close_block()
    _unique_keys(sections)
    for section in sections:
        if section.place is not None:
            section.blocks = _paragraphs(section.blocks, section.place)
        _unique_keys(section.blocks)
    return [s for s in sections if s.level or s.blocks]


def _paragraphs(blocks: list[Block], place: Place) -> list[Block]:
    """An article's blocks as its paragraphs, one per provision: what follows a
    numbered paragraph (its points, its notes) belongs to it, and an article of one
    provision may print no number at all (a house style's single paragraph)."""
    grouped: list[Block] = []
    for block in blocks:
        if block.provision is not None or not grouped:
            if block.provision is None and len(place.paragraphs) == 1:
                provision = next(iter(place.paragraphs.values()))
                block = Block(f"provision:{provision}", block.text, None, provision)
            grouped.append(block)
            continue
        last = grouped[-1]
        grouped[-1] = Block(last.key, f"{last.text}\n\n{block.text}", last.number,
                            last.provision)
    return grouped


def _block(lines: list[str], place: Place | None) -> Block:
    first = lines[0]
    numbered = _PARAGRAPH.match(first)
    if numbered and place is not None:
        number = int(numbered.group(1))
        provision = place.paragraphs.get(number)
        width = len(numbered.group(0))
        body = first[width:] + "".join(
            "\n" + (line[width:] if line[:width].isspace() else line.lstrip())
            for line in lines[1:])
        body = "\n".join(line.rstrip() for line in body.split("\n"))
        key = f"provision:{provision}" if provision else f"paragraph:{body}"
        return Block(key, body, number, provision)
    text = "\n".join(line.rstrip() for line in lines)
    return Block(f"text:{text}", text)


def _unique_keys(items: list[Any]) -> None:
    seen: dict[str, int] = {}
    for item in items:
        count = seen.get(item.key, 0)
        seen[item.key] = count + 1
        if count:
            item.key = f"{item.key}#{count + 1}"


# -- alignment -----------------------------------------------------------------


def _merge(old: list[Any], new: list[Any]) -> list[tuple[Any, Any]]:
    """Pairs (old, new) in NEW's order, matched by key; what only OLD has comes where
    it stood in OLD (after the last item before it that both have). Unkeyed text that
    changed is paired by its place among the text that changed around it."""
    new_index = {item.key: j for j, item in enumerate(new)}
    pairs: dict[int, int] = {i: new_index[item.key] for i, item in enumerate(old)
                             if item.key in new_index}
    # Text blocks (a recital, a line) have no id: pair the ones that changed by place.
    taken = set(pairs.values())
    free_old = [i for i in range(len(old)) if i not in pairs and old[i].key.startswith("text:")]
    free_new = [j for j in range(len(new)) if j not in taken and new[j].key.startswith("text:")]
    matcher = difflib.SequenceMatcher(None, [old[i].key for i in free_old],
                                      [new[j].key for j in free_new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "replace":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=False):
                pairs[free_old[i]] = free_new[j]
    by_new = {j: i for i, j in pairs.items()}
    result: list[tuple[Any, Any]] = []
    emitted: set[int] = set()

    def old_before(limit: int) -> None:
        for i in range(limit):
            if i not in pairs and i not in emitted:
                emitted.add(i)
                result.append((old[i], None))

    for j, item in enumerate(new):
        i = by_new.get(j)
        if i is not None:
            old_before(i)
            emitted.add(i)
        result.append((old[i] if i is not None else None, item))
    old_before(len(old))
    return result


@dataclass
class SectionPair:
    old: Section | None
    new: Section | None
    blocks: list[tuple[Block | None, Block | None]]

    @property
    def moved_from(self) -> str | None:
        """The OLD label of an article that moved ("Article 11"), else None."""
        if self.old and self.new and self.old.label and self.old.label != self.new.label:
            return self.old.label
        return None


def align(old: list[Section], new: list[Section]) -> list[SectionPair]:
    pairs = []
    for before, after in _merge(old, new):
        blocks = _merge(before.blocks if before else [], after.blocks if after else [])
        pairs.append(SectionPair(before, after, blocks))
    return pairs


# -- renumbering ---------------------------------------------------------------


@dataclass(frozen=True)
class Renumbering:
    """OLD numbers -> NEW numbers of the articles and paragraphs both texts have, so
    that a cross-reference that only followed its article is not marked."""

    places: dict[tuple[str, int], int]
    paragraphs: dict[tuple[str, int, int], tuple[int, int]]

    @classmethod
    def of(cls, old: Layout, new: Layout) -> Renumbering:
        new_by_topic = {p.topic: p for p in new.places}
        places: dict[tuple[str, int], int] = {}
        paragraphs: dict[tuple[str, int, int], tuple[int, int]] = {}
        for before in old.places:
            after = new_by_topic.get(before.topic)
            if after is None or after.word != before.word:
                continue
            word = before.word.lower()
            places[(word, before.number)] = after.number
            where = {pid: n for n, pid in after.paragraphs.items()}
            for number, pid in before.paragraphs.items():
                if pid in where:
                    paragraphs[(word, before.number, number)] = (after.number, where[pid])
        return cls(places, paragraphs)

    def same_number(self, old: list[str], i: int, new: list[str], j: int) -> bool:
        """Whether token old[i] and token new[j], both numbers, are one reference in
        the two numberings: "Article 11" and "Article 12", or "Article 11(2)" and
        "Article 12(3)"."""
        if old[i - 2:i] and len(old[i - 2:i]) == 2 and old[i - 1] == " " \
                and new[j - 2:j] == [old[i - 2], " "]:
            word = old[i - 2].lower()
            return self.places.get((word, int(old[i]))) == int(new[j])
        if i >= 4 and j >= 4 and old[i - 1] == new[j - 1] == "(" \
                and old[i - 3] == new[j - 3] == " " and old[i - 4].lower() == new[j - 4].lower():
            word = old[i - 4].lower()
            if not (old[i - 2].isdigit() and new[j - 2].isdigit()):
                return False
            found = self.paragraphs.get((word, int(old[i - 2]), int(old[i])))
            return found == (int(new[j - 2]), int(new[j]))
        return False


# -- word by word ----------------------------------------------------------------

Kind = Literal["same", "del", "ins"]


@dataclass(frozen=True)
class Piece:
    kind: Kind
    text: str


_MD_TOKEN = re.compile(r"\\.|\w+|\s+|[^\w\s]", re.DOTALL)
_PLAIN_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


def markdown_tokens(text: str) -> list[str]:
    """Words, spaces and single marks of Markdown source; an escape stays whole."""
    return _MD_TOKEN.findall(text)


def plain_tokens(text: str) -> list[str]:
    return _PLAIN_TOKEN.findall(text)


def word_diff(old: str, new: str, renumbering: Renumbering | None = None,
              tokens: Callable[[str], list[str]] = plain_tokens) -> list[Piece]:
    """The pieces that turn `old` into `new`, word by word: the same words, deleted
    ones and inserted ones. A number that only follows its renumbered article is the
    same (shown as NEW has it); a space alone between two changes joins them, so that
    a rewritten phrase reads as one change, not a comb of single words."""
    if old == new:  # most paragraphs of a round: nothing to look for
        return [Piece("same", new)] if new else []
    a, b = tokens(old), tokens(new)
    runs: list[tuple[str, str, str]] = []  # ("same" | "change", old text, new text)
    for tag, i1, i2, j1, j2 in _opcodes(a, b):
        if tag == "equal":
            runs.append(("same", "".join(a[i1:i2]), "".join(b[j1:j2])))
        elif (tag == "replace" and renumbering is not None and i2 - i1 == 1 == j2 - j1
              and a[i1].isdigit() and b[j1].isdigit()
              and renumbering.same_number(a, i1, b, j1)):
            runs.append(("same", a[i1], b[j1]))
        else:
            runs.append(("change", "".join(a[i1:i2]), "".join(b[j1:j2])))
    joined: list[tuple[str, str, str]] = []
    for run in runs:
        if (run[0] == "change" and len(joined) >= 2 and joined[-2][0] == "change"
                and joined[-1][0] == "same" and not joined[-1][2].strip()
                and "\n" not in joined[-1][2]):
            space, before = joined.pop(), joined.pop()
            run = ("change", before[1] + space[1] + run[1], before[2] + space[2] + run[2])
        if joined and joined[-1][0] == run[0]:
            last = joined.pop()
            run = (run[0], last[1] + run[1], last[2] + run[2])
        joined.append(run)
    pieces: list[Piece] = []
    for kind, before, after in joined:
        if kind == "same":
            pieces.append(Piece("same", after))
            continue
        if before:
            pieces.append(Piece("del", before))
        if after:
            pieces.append(Piece("ins", after))
    return pieces


def _opcodes(a: list[str], b: list[str]) -> Iterator[tuple[str, int, int, int, int]]:
    """difflib's opcodes for the token lists, the common start and end set aside
    first: a paragraph usually changes in a few words, and the matcher's time grows
    with the length of what it must search."""
    start = 0
    limit = min(len(a), len(b))
    while start < limit and a[start] == b[start]:
        start += 1
    end = 0
    while end < limit - start and a[-1 - end] == b[-1 - end]:
        end += 1
    if start:
        yield ("equal", 0, start, 0, start)
    matcher = difflib.SequenceMatcher(None, a[start:len(a) - end], b[start:len(b) - end],
                                      autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        yield (tag, i1 + start, i2 + start, j1 + start, j2 + start)
    if end:
        yield ("equal", len(a) - end, len(a), len(b) - end, len(b))


def changed(pieces: Iterable[Piece]) -> bool:
    return any(p.kind != "same" for p in pieces)


# -- plain text (for Word, and for the change list) --------------------------------


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable(["table"])


def plain_paragraphs(markdown: str) -> list[str]:
    """The paragraphs a reader sees in a block of Markdown: text without markup, one
    string per paragraph, a table row's cells joined by tabs."""
    out: list[str] = []
    row: list[str] | None = None
    for token in _parser().parse(markdown):
        if token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and row is not None:
            out.append("\t".join(row))
            row = None
        elif token.type == "inline":
            text = "".join(_inline_text(child) for child in token.children or [])
            if row is not None:
                row.append(text)
            else:
                out.append(text)
        elif token.type in ("code_block", "fence"):
            out.append(token.content.rstrip("\n"))
    return out


def _inline_text(token: Any) -> str:
    if token.type in ("text", "code_inline"):
        return str(token.content)
    if token.type in ("softbreak", "hardbreak"):
        return " "
    return ""


def block_paragraphs(block: Block, number: int | None = None) -> list[str]:
    """A block's paragraphs as plain text; a numbered paragraph keeps its number
    (`number`, to show it in another numbering)."""
    paragraphs = plain_paragraphs(textwrap.dedent(block.text) if block.number is None
                                  else block.text)
    shown = number if number is not None else block.number
    if shown is not None:
        paragraphs = [f"{shown}. {paragraphs[0] if paragraphs else ''}", *paragraphs[1:]]
    return paragraphs


def heading_text(section: Section, label: str | None = None) -> str:
    """A heading as the reader sees it ("Article 12 — Termination"); `label` shows an
    article under another number."""
    title = " ".join(plain_paragraphs(section.title)) or section.title
    shown = label or section.label
    return f"{shown} — {title}" if shown else title


def instrument_paragraphs(markdown: str, layout: Layout) -> list[str]:
    """The instrument's paragraphs as plain text, in order: headings and blocks. What
    Word's "Accept all" on a comparison must give for NEW, and "Reject all" for OLD."""
    out: list[str] = []
    for section in sections_of(markdown, layout):
        if section.level:
            out.append(heading_text(section))
        for block in section.blocks:
            out += block_paragraphs(block)
    return out


# -- the change list -------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One change between two rounds, as a negotiator would list it."""

    provision: str  # a provision id; a topic id for an article; `form`, `linkage`, `party:<id>`
    kind: str
    before: Any
    after: Any
    moved: tuple[str, ...] = ()  # the parties whose position made the change
    parameter: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"provision": self.provision, "kind": self.kind,
                                "before": self.before, "after": self.after,
                                "moved": list(self.moved)}
        if self.parameter is not None:
            data["parameter"] = self.parameter
        return data


KIND_WORDS = {
    "form": "form changed", "linkage": "linkage changed",
    "party-added": "party joined", "party-removed": "party left",
    "party-system": "system changed", "party-value": "party's figure changed",
    "decided": "decided", "reopened": "reopened", "clause": "other clause chosen",
    "value": "value changed", "position": "position moved",
    "proposed-text": "own text proposed or changed", "position-withdrawn": "position withdrawn",
    "condition-added": "condition added", "condition-dropped": "condition dropped",
    "condition-changed": "condition changed", "moved": "article moved",
    "text-added": "text added", "text-removed": "text removed", "text-changed": "text changed",
}
"""Each kind of change in the negotiators' words, for the summary table."""


def _plain(value: Any) -> Any:
    if isinstance(value, (ClauseChoice, ProposedText, Condition)):
        return value.model_dump(mode="json", exclude_defaults=True)
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    return value


def _flat(mapping: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in mapping.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            out.update(_flat(value, name + "."))
        else:
            out[name] = value
    return out


def negotiation_changes(old: Session, new: Session) -> list[Change]:
    """What the negotiation itself changed between two sessions, by id."""
    changes: list[Change] = []
    if old.form != new.form:
        changes.append(Change("form", "form", old.form, new.form))
    if old.linkage != new.linkage:
        changes.append(Change("linkage", "linkage", _plain(old.linkage), _plain(new.linkage)))
    changes += _party_changes(old, new)
    moved_on = _positions_moved(old, new)
    for pid in sorted(set(old.provisions) | set(new.provisions) | set(moved_on)):
        changes += _decision_changes(pid, old.provisions.get(pid), new.provisions.get(pid),
                                     tuple(sorted(moved_on.get(pid, ()))))
        for party in sorted(moved_on.get(pid, ())):
            before = old.positions.get(party, {}).get(pid)
            after = new.positions.get(party, {}).get(pid)
            kind = ("position-withdrawn" if after is None else "proposed-text"
                    if isinstance(after, ProposedText) or isinstance(before, ProposedText)
                    else "position")
            changes.append(Change(pid, kind, _plain(before), _plain(after), (party,)))
    changes += _condition_changes(old.conditions, new.conditions)
    return changes


def _party_changes(old: Session, new: Session) -> list[Change]:
    before = {p.id: p for p in old.parties}
    after = {p.id: p for p in new.parties}
    changes = []
    for pid in [*before, *(p for p in after if p not in before)]:
        where = f"party:{pid}"
        if pid not in after:
            changes.append(Change(where, "party-removed", before[pid].system, None, (pid,)))
        elif pid not in before:
            changes.append(Change(where, "party-added", None, after[pid].system, (pid,)))
        else:
            if before[pid].system != after[pid].system:
                changes.append(Change(where, "party-system", before[pid].system,
                                      after[pid].system, (pid,)))
            was, now = _flat(before[pid].overrides), _flat(after[pid].overrides)
            for name in sorted(set(was) | set(now)):
                if was.get(name) != now.get(name):
                    changes.append(Change(where, "party-value", was.get(name), now.get(name),
                                          (pid,), name))
    return changes


def _positions_moved(old: Session, new: Session) -> dict[str, set[str]]:
    """Provision id -> the parties whose position on it changed."""
    moved: dict[str, set[str]] = {}
    for party in set(old.positions) | set(new.positions):
        was, now = old.positions.get(party, {}), new.positions.get(party, {})
        for pid in set(was) | set(now):
            if was.get(pid) != now.get(pid):
                moved.setdefault(pid, set()).add(party)
    return moved


def _decision_changes(pid: str, before: Any, after: Any,
                      moved: tuple[str, ...]) -> list[Change]:
    was = before if isinstance(before, ClauseChoice) else None
    now = after if isinstance(after, ClauseChoice) else None
    if was == now:
        return []
    if was is None:
        return [Change(pid, "decided", "open", _plain(now), moved)]
    if now is None:
        return [Change(pid, "reopened", _plain(was), "open", moved)]
    if was.clause != now.clause:
        return [Change(pid, "clause", _plain(was), _plain(now), moved)]
    return [Change(pid, "value", was.params.get(name), now.params.get(name), moved, name)
            for name in sorted(set(was.params) | set(now.params))
            if was.params.get(name) != now.params.get(name)]


def _condition_changes(old: list[Condition], new: list[Condition]) -> list[Change]:
    """Conditions matched by party and wording; a deadline that changed is a change
    of that condition, anything else a condition dropped and one added."""
    before = {(c.party, c.what): c for c in old}
    after = {(c.party, c.what): c for c in new}
    changes = []
    for key, condition in before.items():
        if key not in after:
            changes.append(Change(f"condition:{key[0]}", "condition-dropped",
                                  _plain(condition), None, (key[0],)))
        elif after[key] != condition:
            changes.append(Change(f"condition:{key[0]}", "condition-changed",
                                  _plain(condition), _plain(after[key]), (key[0],)))
    for key, condition in after.items():
        if key not in before:
            changes.append(Change(f"condition:{key[0]}", "condition-added", None,
                                  _plain(condition), (key[0],)))
    return changes


# -- the comparison ----------------------------------------------------------------


@dataclass
class Comparison:
    old: Side
    new: Side
    sections: list[SectionPair]
    renumbering: Renumbering
    changes: list[Change]

    def moved_by(self, provision: str | None) -> tuple[str, ...]:
        """The parties whose position on `provision` changed between the rounds."""
        if provision is None:
            return ()
        found: set[str] = set()
        for change in self.changes:
            if change.provision == provision and change.kind in (
                    "position", "proposed-text", "position-withdrawn"):
                found.update(change.moved)
        return tuple(sorted(found))

    def name(self, party: str) -> str:
        """A party as the negotiators call it (its short name), else its id."""
        return self.new.party_short(party) or self.old.party_short(party) or party

    def delegation_name(self) -> str | None:
        """Whose file NEW is, by name: a party's short name, or "Chair"."""
        delegation = self.new.session.delegation
        if delegation is None:
            return None
        return "Chair" if delegation == "chair" else self.name(delegation)

    def author(self, provision: str | None, attribution: bool = True) -> str:
        """Who a change to `provision` is attributed to: the parties whose position
        made it, else the delegation whose file NEW is, else the neutral author."""
        if not attribution:
            return NEUTRAL_AUTHOR
        moved = self.moved_by(provision)
        if moved:
            return ", ".join(self.name(p) for p in moved)
        return self.delegation_name() or NEUTRAL_AUTHOR


def compare(old: Side, new: Side) -> Comparison:
    renumbering = Renumbering.of(old.layout, new.layout)
    sections = align(sections_of(old.markdown, old.layout),
                     sections_of(new.markdown, new.layout))
    changes = negotiation_changes(old.session, new.session)
    order = {p: i for i, p in enumerate(_provision_order(new.layout, old.layout))}
    # form, linkage, parties and conditions first, then provisions in treaty order
    changes.sort(key=lambda c: order.get(c.provision.partition(".")[0], len(order))
                 if "." in c.provision else -1)
    comparison = Comparison(old, new, sections, renumbering, changes)
    comparison.changes += list(_text_changes(comparison))
    return comparison


def _provision_order(*layouts: Layout) -> list[str]:
    seen: list[str] = []
    for layout in layouts:
        for place in layout.places:
            if place.topic not in seen:
                seen.append(place.topic)
    return seen


def _text_changes(comparison: Comparison) -> Iterator[Change]:
    """The instrument's own changes: articles that moved (once each), and paragraphs
    whose words changed, by provision."""
    for pair in comparison.sections:
        if pair.moved_from and pair.new and pair.new.place:
            yield Change(pair.new.place.topic, "moved", pair.moved_from, pair.new.label)
        for before, after in pair.blocks:
            block = after or before
            if block is None or block.provision is None:
                continue
            pid = block.provision
            moved = comparison.moved_by(pid)
            if before is None:
                yield Change(pid, "text-added", None, "\n".join(block_paragraphs(block)), moved)
            elif after is None:
                yield Change(pid, "text-removed", "\n".join(block_paragraphs(block)), None,
                             moved)
            else:
                old_text = "\n".join(block_paragraphs(before, after.number))
                new_text = "\n".join(block_paragraphs(after))
                if changed(word_diff(old_text, new_text, comparison.renumbering)):
                    yield Change(pid, "text-changed", old_text, new_text, moved)
