"""From a negotiation to a `Draft`: numbering, voices, brackets, annexes.

Two passes. The first lays out the instrument: which topics become
articles (or, in a hybrid, sections of the guidelines annex) and which
paragraph each provision takes, so that `ref()` can resolve to "Article
12(1)" before any text is rendered. The second renders each paragraph:
the settled clause in the topic's voice, or, where the parties still
disagree, bracketed options (`[Option 1: …] [Option 2: …]`) or disputed
values (`[8][4] per cent`) with who supports what.

The draft is dated by the round, never by today, so the same session
always gives the same draft.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from markupsafe import Markup

from negotiation import templating
from negotiation.drafting import styles
from negotiation.drafting.criteria import essential_criteria_annex, essential_criteria_intro
from negotiation.drafting.model import (
    Annex,
    Article,
    Draft,
    Markdown,
    Option,
    Paragraph,
    Preface,
    Reference,
    Signature,
    StatusRow,
    Supporter,
    UnconfirmedValue,
    ValueNote,
)
from negotiation.errors import LinkwrightError
from negotiation.library import UNNAMED_BODY, Clause, Provision, named_body
from negotiation.session import ClauseChoice, Negotiation, ProposedText
from negotiation.templating import Disputed, Unconfirmed, join_words, plain_value

KIND = {"treaty": "Agreement", "hybrid": "Agreement", "memorandum": "Memorandum of Understanding",
        "regulation": "Regulation"}
INSTRUMENT_WORD = {"treaty": "Agreement", "hybrid": "Agreement", "memorandum": "Memorandum",
                   "regulation": "Regulation"}
GUIDELINES_ANNEX = "II"


@dataclass
class Layout:
    """Where every included topic and provision sits in the instrument."""

    body: list[tuple[str, list[Provision]]]
    guidelines: list[tuple[str, list[Provision]]]
    topic_ref: dict[str, str]
    provision_ref: dict[str, str]
    left_out: list[Provision] = field(default_factory=list)
    """Decided provisions whose clause adds no text ("Not regulated by this instrument")."""


def adds_no_text(neg: Negotiation, provision: Provision) -> bool:
    """Whether the clause settled for `provision` leaves it out of the instrument.

    A clause such as "Not regulated by this instrument" has empty text in the voice
    the provision's topic takes: drafting it would table an empty paragraph, or an
    article with none. It is left out of the text and of the numbering instead (the
    decision stays in the brief and the status). A clause with no text at all in that
    voice is another matter: a voice missing, which the draft brackets."""
    chosen = neg.chosen().get(provision.id)
    if chosen is None:
        return False
    source = chosen[0].text_for(neg.voice_for_topic(provision.topic))
    return source is not None and not source.strip()


NAME_TOPIC = "name"
"""The section that names an Australian instrument: no provision, no clause."""


def _ordered(style: styles.HouseStyle, topics: list[tuple[str, list[Provision]]]
             ) -> list[tuple[str, list[Provision]]]:
    """The body in the style's order: the topics it puts first, then each Part's topics
    (the library's order within a Part)."""
    def rank(item: tuple[int, tuple[str, list[Provision]]]) -> tuple[int, int, int]:
        index, (topic_id, _) = item
        first = style.first.index(topic_id) if topic_id in style.first else len(style.first)
        return (_part_of(style, topic_id), first, index)
    return [item for _, item in sorted(enumerate(topics), key=rank)]


def _part_of(style: styles.HouseStyle, topic_id: str) -> int:
    catch_all = 0
    for index, (_title, topics) in enumerate(style.parts):
        if topic_id in topics:
            return index
        if not topics:
            catch_all = index
    return catch_all


def _layout(neg: Negotiation, style: styles.HouseStyle) -> Layout:
    by_topic: dict[str, list[Provision]] = {}
    left_out: list[Provision] = []
    for provision in neg.relevant_provisions():
        if adds_no_text(neg, provision):
            left_out.append(provision)
            continue
        by_topic.setdefault(provision.topic, []).append(provision)
    body: list[tuple[str, list[Provision]]] = []
    guidelines: list[tuple[str, list[Provision]]] = []
    if NAME_TOPIC in style.first:
        body.append((NAME_TOPIC, []))
    for topic in neg.library.ordered_topics():
        if topic.id not in by_topic:
            continue
        in_annex = neg.form == "hybrid" and not topic.core
        (guidelines if in_annex else body).append((topic.id, by_topic[topic.id]))
    body = _ordered(style, body)
    topic_ref: dict[str, str] = {}
    provision_ref: dict[str, str] = {}
    for number, (topic_id, provisions) in enumerate(body, start=1):
        topic_ref[topic_id] = f"{style.unit} {number}"
        for index, provision in enumerate(provisions, start=1):
            # A lone paragraph has no number of its own: it is cited by its article.
            provision_ref[provision.id] = (
                f"{style.sub_unit}{style.unit} {number}({index})" if len(provisions) > 1
                else topic_ref[topic_id])
    guidelines_annex = styles.annex_number(style, 2)
    for number, (topic_id, provisions) in enumerate(guidelines, start=1):
        topic_ref[topic_id] = f"section {number} of {style.annex_word} {guidelines_annex}"
        for index, provision in enumerate(provisions, start=1):
            provision_ref[provision.id] = (
                f"section {number}({index}) of {style.annex_word} {guidelines_annex}"
                if len(provisions) > 1 else topic_ref[topic_id])
    return Layout(body, guidelines, topic_ref, provision_ref, left_out)


class _Renderer:
    """Renders clause text for one negotiation and layout."""

    def __init__(self, neg: Negotiation, layout: Layout, style: styles.HouseStyle) -> None:
        self.neg = neg
        self.layout = layout
        self.style = style
        self.topic: str | None = None
        """The article being rendered: a paragraph of it is cited as "paragraph 2"."""
        self.topic_of = {provision.id: topic_id
                         for topic_id, provisions in (*layout.body, *layout.guidelines)
                         for provision in provisions}
        self.references: list[Reference] = []
        """The references the text being rendered makes, for `Markdown.references`."""
        self.unconfirmed = neg.unconfirmed()
        """Provision id -> the parameters of its settled clause nobody has confirmed."""
        parties = voice_word(neg, style)
        self.words = {
            "Party": parties[:-3] + "y" if parties.endswith("ies") else parties[:-1],
            "Parties": parties,
            "parties": [neg.party_name(p) for p in neg.party_ids],
            "instrument": style.instrument_word or instrument_word(neg),
            # One name for the joint body, from the clause that establishes it.
            "body": (f"the {name}" if (name := named_body(
                c for c, _ in neg.chosen().values() if c.fits(neg.form, neg.linkage)))
                else UNNAMED_BODY),
        }

    def ref(self, target: str) -> Markup:
        found = self.layout.provision_ref.get(target) or self.layout.topic_ref.get(target)
        if found is None:
            return Markup(f"[reference to {templating.escape_markdown(target)} unresolved]")
        if target in self.topic_of:
            topic = self.topic_of[target]
            provisions = dict(self.layout.body).get(topic, [])
            if topic == self.topic and len(provisions) > 1:
                number = next(i for i, p in enumerate(provisions, start=1) if p.id == target)
                found = self.style.within.format(number)
                self.references.append(Reference(found, topic, target, within=True))
                return Markup(found)
            self.references.append(Reference(found, topic, target))
        else:
            self.references.append(Reference(found, target))
        return Markup(found)

    def _party_id(self, who: str) -> str | None:
        if who == "recognising":
            return self.neg.recognising()
        if who == "recognised":
            return self.neg.recognised()
        return who if who in self.neg.party_ids else None

    def party(self, who: str) -> Markup:
        pid = self._party_id(who)
        if pid is None:
            return Markup(f"[party '{templating.escape_markdown(who)}']")
        return Markup(templating.escape_markdown(self.neg.party_name(pid)))

    def system(self, who: str) -> Markup:
        pid = self._party_id(who)
        if pid is None:
            return Markup(f"[system of '{templating.escape_markdown(who)}']")
        return Markup(templating.escape_markdown(f"the {self.neg.systems[pid].profile.name}"))

    def render(self, source: str, values: dict[str, Any], clause: Clause | None = None
               ) -> Markdown:
        context = {**self.words, **values, "ref": self.ref, "party": self.party,
                   "system": self.system, "currency": self.neg.session.reporting_currency}
        self.references = []
        try:
            text = templating.render(source, context).strip()
        except templating.MarkupRefused as refused:
            who = f"clause '{clause.id}' ({clause.file})" if clause else "a recital"
            raise LinkwrightError(f"{who} {refused}") from None
        except templating.RenderFailed as failed:
            who = f"clause '{clause.id}'" if clause else "a recital"
            raise LinkwrightError(f"{who} cannot be rendered with these values: {failed}",
                                  clause.file if clause else None) from None
        if self.neg.linkage == "bilateral":
            text = for_two(text)
        return Markdown(styles.rewrite(self.style, text), tuple(self.references))


_FOR_TWO = [
    # What the library says of more than two parties says nothing between two: dropped.
    (re.compile(r" ?Where this \w+ has more than two (?:Parties|Participants), [^.]*\."), ""),
    (re.compile(r",? and this (\w+) (?:shall|will) (?:remain in force|continue to apply) "
                r"between the remaining (?:Parties|Participants), if there are two or more "
                r"of them\."), "."),
    (re.compile(r" ?This \w+ (?:shall|will) (?:remain in force|continue to apply) between the "
                r"remaining (?:Parties|Participants), if there are two or more of them\."), ""),
    (re.compile(r"\beach pair of linked systems\b"), "the two linked systems"),
    (re.compile(r"\beach pair of\s+linked systems\b"), "the two linked systems"),
    (re.compile(r"\bunder the others\b"), "under the other"),
    (re.compile(r"\ball the other (Part)ies\b"), r"the other \1y"),
    (re.compile(r"\ball the other (Participant)s\b"), r"the other \1"),
    (re.compile(r"\b(?:each|every|any) other (Party|Participant)\b"), r"the other \1"),
    (re.compile(r"\bthe other (Part)ies do\b"), r"the other \1y does"),
    (re.compile(r"\bthe other (Participant)s do\b"), r"the other \1 does"),
    (re.compile(r"\b(?<!the )other (Part)ies\b"), r"the other \1y"),
    (re.compile(r"\b(?<!the )other (Participant)s\b"), r"the other \1"),
    (re.compile(r"\bthe other (Part)ies\b"), r"the other \1y"),
    (re.compile(r"\bthe other (Participant)s\b"), r"the other \1"),
    (re.compile(r"\b[Aa]nother (Party|Participant)\b"), r"the other \1"),
    (re.compile(r"\ball the (Parties|Participants)\b"), r"both \1"),
]
"""The library writes for any number of parties ("each other Party"); between two,
a lawyer writes "the other Party" and "both Parties"."""


@lru_cache(maxsize=4096)  # the same texts on every check of a session: the TUI's key press
def for_two(text: str) -> str:
    """Clause text as a bilateral instrument words it."""
    for pattern, replacement in _FOR_TWO:
        text = pattern.sub(replacement, text)
    return text


def _supporters(neg: Negotiation, parties: list[str], proposed: bool = False) -> tuple[
        Supporter, ...]:
    return tuple(Supporter(neg.party_short(p), proposed) for p in parties)


def _paragraph(neg: Negotiation, renderer: _Renderer, provision: Provision, number: int,
               voice: str) -> Paragraph:
    chosen = neg.chosen().get(provision.id)
    if chosen is not None:
        clause, values = chosen
        values, notes = _bracket_unconfirmed(clause, values,
                                             renderer.unconfirmed.get(provision.id, []))
        return _settled(renderer, provision, clause, values, notes, number, voice)
    positions = neg.positions_on(provision.id)
    if not positions:
        return Paragraph(number, provision.id, "open",
                         note=f"[{provision.title}: to be agreed]")
    groups: dict[Any, list[str]] = {}
    for party_id, position in positions.items():
        key = (("text", position.text) if isinstance(position, ProposedText)
               else ("clause", position.clause, _frozen(position.params)))
        groups.setdefault(key, []).append(party_id)
    clauses = {k[1] for k in groups if k[0] == "clause"}
    # One clause, stated by every party, differs at most in its values: `[12][6]`.
    # A party that has said nothing has not agreed, so a proposal it has not
    # answered stays a bracketed option attributed to its supporters.
    everyone = len(positions) == len(neg.party_ids)
    if everyone and len(clauses) == 1 and all(k[0] == "clause" for k in groups):
        return _disputed_values(neg, renderer, provision, number, voice, positions)
    options = []
    notes: list[UnconfirmedValue] = []
    for index, (key, parties) in enumerate(groups.items(), start=1):
        if key[0] == "text":
            options.append(Option(index, key[1], _supporters(neg, parties, True),
                                  "proposed text"))
            continue
        clause = neg.library.clauses[key[1]]
        position = positions[parties[0]]
        assert isinstance(position, ClauseChoice)
        source = clause.text_for(voice)  # type: ignore[arg-type]
        if source is None:
            text: Markdown | str = f"{clause.title}: non-binding text missing"
        else:
            values, found = _bracket_unconfirmed(
                clause, neg.parameter_values(clause, position.params),
                _unconfirmed_names(neg, clause, [position.params]))
            notes += [note for note in found if note not in notes]
            text = renderer.render(source, values, clause)
        options.append(Option(index, text, _supporters(neg, parties), clause.id))
    return Paragraph(number, provision.id, "options", options=options, unconfirmed=notes)


def _frozen(params: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))


def _unconfirmed_names(neg: Negotiation, clause: Clause,
                       given: list[dict[str, Any]]) -> list[str]:
    """The parameters of `clause` that none of these positions (or decisions) gives and
    no shared profile figure fills: library defaults, or no value at all."""
    origins = [neg.parameter_origins(clause, params) for params in given]
    return [name for name in clause.params
            if all(found[name][1] in ("default", "missing") for found in origins)]


def _bracket_unconfirmed(clause: Clause, values: dict[str, Any], names: list[str]
                         ) -> tuple[dict[str, Any], list[UnconfirmedValue]]:
    """`values` with the unconfirmed ones wrapped, so the text brackets them, and the
    paragraph's note on each: a default must never read as agreed text."""
    if not names:
        return values, []
    wrapped = dict(values)
    notes = []
    for name in names:
        value = values.get(name)
        wrapped[name] = Unconfirmed(value)
        notes.append(UnconfirmedValue(clause.params[name].label or name,
                                      None if value is None else plain_value(value)))
    return wrapped, notes


def _settled(renderer: _Renderer, provision: Provision, clause: Clause,
             values: dict[str, Any], notes: list[UnconfirmedValue], number: int,
             voice: str) -> Paragraph:
    source = clause.text_for(voice)  # type: ignore[arg-type]
    if source is None:
        return Paragraph(number, provision.id, "missing-voice",
                         note=f"[{clause.title}: non-binding text missing]")
    return Paragraph(number, provision.id, "agreed",
                     text=renderer.render(source, values, clause), unconfirmed=notes)


def _disputed_values(neg: Negotiation, renderer: _Renderer, provision: Provision, number: int,
                     voice: str, positions: dict[str, Any]) -> Paragraph:
    clause = neg.library.clauses[next(iter(positions.values())).clause]
    per_party = {pid: neg.parameter_values(clause, pos.params) for pid, pos in positions.items()}
    unconfirmed = _unconfirmed_names(neg, clause, [pos.params for pos in positions.values()])
    values: dict[str, Any] = {}
    notes = []
    for name in clause.params:
        seen: dict[Any, list[str]] = {}
        for pid, params in per_party.items():
            seen.setdefault(_hashable(params.get(name)), []).append(pid)
        if len(seen) == 1:
            values[name] = next(iter(per_party.values())).get(name)
            continue
        ordered = list(seen)
        values[name] = Disputed(tuple(_unhash(v) for v in ordered))
        label = clause.params[name].label or name
        notes.append(ValueNote(label, tuple(
            (plain_value(_unhash(v)), tuple(neg.party_short(p) for p in seen[v]))
            for v in ordered)))
    # No party gives these and no shared figure fills them: the same default for all.
    values, defaults = _bracket_unconfirmed(clause, values, unconfirmed)
    source = clause.text_for(voice)  # type: ignore[arg-type]
    if source is None:
        return Paragraph(number, provision.id, "missing-voice",
                         note=f"[{clause.title}: non-binding text missing]")
    return Paragraph(number, provision.id, "disputed",
                     text=renderer.render(source, values, clause), value_notes=notes,
                     unconfirmed=defaults)


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _unhash(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _definitions(neg: Negotiation) -> list[tuple[str, str]]:
    terms: dict[str, str] = {}
    for clause, _values in neg.chosen().values():
        if clause.fits(neg.form, neg.linkage):
            for term, meaning in clause.defines.items():
                terms.setdefault(term, meaning)
    return sorted(terms.items(), key=lambda item: item[0].lower())


def _letter(index: int) -> str:
    return "abcdefghijklmnopqrstuvwxyz"[index] if index < 26 else f"z{index}"


def _name_section(neg: Negotiation, style: styles.HouseStyle) -> Article:
    """Section 1 of an Australian instrument: its name."""
    title = templating.escape_markdown(neg.session.title)
    text = Markdown(f"This {style.instrument_word or 'instrument'} is the *{title}*.")
    return Article(1, NAME_TOPIC, "Name", [Paragraph(1, NAME_TOPIC, "agreed", text=text,
                                                     label="")])


def _articles(neg: Negotiation, renderer: _Renderer,
              topics: list[tuple[str, list[Provision]]], annex: bool = False) -> list[Article]:
    style = renderer.style
    articles = []
    part = -1
    for number, (topic_id, provisions) in enumerate(topics, start=1):
        if topic_id == NAME_TOPIC:
            article = _name_section(neg, style)
        else:
            topic = neg.library.topics[topic_id]
            voice = neg.voice_for_topic(topic_id)
            article = Article(number, topic_id,
                              style.headings.get(topic_id) or topic.heading(neg.form))
            renderer.topic = None if annex else topic_id
            for index, provision in enumerate(provisions, start=1):
                article.paragraphs.append(_paragraph(neg, renderer, provision, index, voice))
            renderer.topic = None
        article.number = number
        for paragraph in article.paragraphs:
            paragraph.label = ("" if len(article.paragraphs) == 1
                               else style.paragraph_label.format(paragraph.number))
        if annex:
            article.title_line = f"Section {number} — {article.heading}"
        elif style.numbered_heading:
            article.title_line = f"{number}  {article.heading}"
        else:
            article.title_line = f"Article {number} — {article.heading}"
        if style.parts and not annex and _part_of(style, topic_id) != part:
            part = _part_of(style, topic_id)
            shown = sorted({_part_of(style, t) for t, _ in topics})
            article.part = f"Part {shown.index(part) + 1}—{style.parts[part][0]}"
        if topic_id == "definitions" and article.paragraphs:
            definitions = _definitions(neg)
            article.paragraphs[-1].points = [
                (_letter(i), Markdown(styles.rewrite(
                    style, f"“{templating.escape_markdown(term)}” means "
                           f"{templating.escape_markdown(meaning.strip())}"
                           f"{_list_end(i, len(definitions))}")))
                for i, (term, meaning) in enumerate(definitions)]
        if topic_id == "conditions" and article.paragraphs and neg.session.conditions:
            conditions = neg.session.conditions
            article.paragraphs[0].points = [
                (_letter(i), _condition_text(neg, c) + _list_end(i, len(conditions)))
                for i, c in enumerate(conditions)]
        articles.append(article)
    return articles


def _list_end(index: int, count: int) -> str:
    """Points of a list end in a semicolon, the last in a full stop."""
    return "." if index == count - 1 else ";"


def _condition_text(neg: Negotiation, condition: Any) -> str:
    """A condition as a sentence a lawyer can cite ("Switzerland is to include aviation in
    its system, by 1 January 2020"), not a note ("Switzerland: include aviation")."""
    by = f", by {templating._format_date(condition.by)}" if condition.by else ""
    return (f"{neg.party_short(condition.party)} is to {condition.what.rstrip(' .;')}{by}")


def _status(neg: Negotiation, layout: Layout, paragraphs: dict[str, Paragraph]) -> list[
        StatusRow]:
    rows = []
    for topics in (layout.body, layout.guidelines):
        for _topic, provisions in topics:
            for provision in provisions:
                paragraph = paragraphs[provision.id]
                reference = layout.provision_ref[provision.id]
                pending = ("values not yet agreed: "
                           + "; ".join(n.parameter for n in paragraph.unconfirmed)
                           if paragraph.unconfirmed else "")
                if paragraph.status == "agreed" and not pending:
                    detail = ("decided" if neg.decision(provision.id)
                              else "supported by every party")
                    rows.append(StatusRow(reference, provision.id, provision.title, "agreed",
                                          detail))
                    continue
                if paragraph.status == "agreed":  # the clause is agreed, not its values
                    rows.append(StatusRow(reference, provision.id, provision.title, "open",
                                          pending))
                    continue
                detail = {
                    "options": f"{len(paragraph.options)} options",
                    "disputed": ("values disputed: "
                                 + "; ".join(n.parameter for n in paragraph.value_notes)
                                 if paragraph.value_notes
                                 else "positions agree; to be recorded"),
                    "open": "no clause chosen",
                    "missing-voice": "non-binding text missing",
                }[paragraph.status]
                if pending:
                    detail += f"; {pending}"
                rows.append(StatusRow(reference, provision.id, provision.title, "open", detail))
    for provision in layout.left_out:
        how = "decided" if neg.decision(provision.id) else "supported by every party"
        clause = neg.chosen()[provision.id][0]
        rows.append(StatusRow("no text", provision.id, provision.title, "agreed",
                              f"{how}: {clause.title}, which adds no text"))
    return rows


def _recitals(neg: Negotiation, renderer: _Renderer) -> list[Markdown]:
    """The recitals the chosen clauses declare, in treaty order, each once."""
    position = {pid: i for i, p in enumerate(neg.relevant_provisions()) for pid in [p.id]}
    recitals: list[Markdown] = []
    seen: set[str] = set()
    for provision_id in sorted(neg.chosen(), key=lambda p: position.get(p, 10**6)):
        clause, values = neg.chosen()[provision_id]
        if (provision_id in position and clause.recital and clause.fits(neg.form, neg.linkage)
                and clause.recital not in seen):
            seen.add(clause.recital)
            # A recital has no note of its own: its paragraph's note names the value.
            values, _ = _bracket_unconfirmed(clause, values,
                                             renderer.unconfirmed.get(provision_id, []))
            recital = _recital_in_style(renderer.style, renderer.render(
                clause.recital, values, clause), str(renderer.words["Parties"]))
            # The words the style put in front follow its spelling too ("recognize").
            recitals.append(Markdown(styles.rewrite(renderer.style, recital.source),
                                     recital.references))
    return recitals


_WHEREAS = {"Considering": "", "Recognising": "recognise ",
            "Recognizing": "recognize ", "Noting": "note ",
            "Acknowledging": "acknowledge ", "Desiring": "desire ",
            "Affirming": "affirm ", "Reaffirming": "reaffirm ",
            "Respecting": "respect ", "Welcoming": "welcome ",
            "Aware": "are aware ", "Conscious": "are conscious ",
            "Convinced": "are convinced ", "Determined": "are "
            "determined ", "Mindful": "are mindful "}
"""How a participle or adjective opening a recital reads after "WHEREAS"."""
_RECITAL_LEAD = re.compile(r"^(" + "|".join(_WHEREAS) + r")\b")


def _recital_in_style(style: styles.HouseStyle, recital: Markdown, voice: str) -> Markdown:
    """A recital as the tradition opens it: "CONSIDERING that …," in an agreement of the
    Union; "WHEREAS …;" in a North American one."""
    if style.id == "eu-agreement":  # the opening word in capitals, whatever it is
        first = re.match(r"[^\W\d_]+", recital.source)
        if first:
            return Markdown(first.group(0).upper() + recital.source[first.end():],
                            recital.references)
    found = _RECITAL_LEAD.match(recital.source)
    if found is None:
        return recital
    word, rest = found.group(1), recital.source[found.end():]
    if style.recital_lead:
        if not _WHEREAS[word]:  # "Considering that X" is "WHEREAS X"
            rest = re.sub(r"^ that\b", "", rest)
        subject = f"the {voice} {_WHEREAS[word]}" if _WHEREAS[word] else ""
        source = f"{style.recital_lead}{subject}{rest.lstrip()}".rstrip(",;. ") + ";"
        return Markdown(source, recital.references)
    return recital


def _preamble(neg: Negotiation, renderer: _Renderer, style: styles.HouseStyle
              ) -> tuple[str, str, list[Markdown], str]:
    """The preamble's heading, its opening words, the recitals and the enacting formula,
    as the house style writes them."""
    names = [neg.party_name(p) for p in neg.party_ids]
    if style.id == "au-instrument":
        # Made by the Governor-General on the advice of the Executive Council; who holds the
        # office on the day is for the maker to fill in.
        return ("", "I, […], Governor-General of the Commonwealth of Australia, acting with "
                "the advice of the Federal Executive Council, make the following instrument.",
                [], "")
    recitals = _recitals(neg, renderer) if style.recitals else []
    voice = voice_word(neg, style)
    if neg.form == "regulation":
        recognising = neg.recognising() or neg.party_ids[0]
        return ("Preamble", f"{_capital(neg.party_name(recognising))}, whereas:", recitals,
                "HAS ADOPTED THIS REGULATION:")
    if style.id == "north-american":
        return ("", f"{_capital(join_words(names))}, hereinafter “the {voice}”,", recitals,
                f"NOW, THEREFORE, the {voice} "
                + ("agree as follows:"
                   if neg.form != "memorandum" or instrument_word(neg) == "Agreement"
                   else "have reached the following understanding:"))
    if neg.form == "memorandum":
        return ("Preamble", f"{_capital(join_words(names))}, hereinafter “the {voice}”,",
                recitals, "HAVE REACHED THE FOLLOWING UNDERSTANDING:")
    return ("Preamble", f"{join_words([n.upper() for n in names])}, hereinafter “the {voice}”,",
            recitals, "HAVE AGREED AS FOLLOWS:")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def text_date(neg: Negotiation) -> dt.date:
    """The date the text speaks from: its round's, else the first day of its year."""
    session = neg.session
    if session.round and session.round.date:
        return session.round.date
    return dt.date(session.year or dt.date.today().year, 1, 1)


def _languages_named(neg: Negotiation, style: styles.HouseStyle) -> str:
    """The languages of the originals, for a closing formula that names them: for an
    agreement of the Union, every language it concluded agreements in on the date of the
    text, with the partners' own; otherwise the parties' official languages."""
    from negotiation.languages import language_name, proposed_languages

    per_party = [neg.systems[p].parameters.languages for p in neg.party_ids]
    if style.id == "eu-agreement":
        names = [language_name(c) for c in styles.eu_languages(text_date(neg))]
        for codes in per_party:
            names += [language_name(c) for c in codes or []
                      if language_name(c) not in names]
        return f"the {join_words(sorted(names))} languages"
    found = proposed_languages(per_party)
    return f"the {join_words(found)} languages" if found else "the […] languages"


def _signatures(neg: Negotiation, style: styles.HouseStyle, layout: Layout
                ) -> tuple[str, str, list[Signature]]:
    """The closing: its heading, the formula and the signature blocks."""
    signed = [Signature(f"For {neg.party_name(p)}") for p in neg.party_ids]
    # The languages article says already in which languages the originals are drawn up.
    stated = "languages" in dict(layout.body)
    languages = "" if stated else (
        f", in {_languages_named(neg, style)}, each text being equally authentic")
    if style.id == "au-instrument":
        return ("", "Dated […]",
                [Signature("[…], Governor-General"),
                 Signature("By Command, […], Minister responsible for the Act under which "
                           "this instrument is made")])
    if neg.form == "regulation":
        recognising = neg.recognising() or neg.party_ids[0]
        return ("", "Done at […], on […].",
                [Signature(f"For {neg.party_name(recognising)}, the competent authority")])
    # Where the languages article says how many originals, the closing only dates them.
    count = "" if stated else styles.copies(len(neg.party_ids))
    if style.id == "eu-agreement":
        return ("", f"Done at […], on […]{', ' + count if count else ''}{languages}.", signed)
    if style.id == "north-american":
        valid = languages.replace("equally authentic", "equally valid")
        return ("", f"Signed at […], on […]{', ' + count if count else ''}{valid}.", signed)
    if neg.form == "memorandum":
        return ("", f"Signed by the {voice_word(neg, style)} at […], on […]"
                f"{', ' + count if count else ''}"
                f"{languages.replace('equally authentic', 'equally valid')}.", signed)
    return ("", "IN WITNESS WHEREOF, the undersigned, being duly authorised thereto, have "
            f"signed this {instrument_word(neg)}.\n\nDone at […], on […]"
            f"{', ' + count if count else ''}{languages}.",
            signed)


def voice_word(neg: Negotiation, style: styles.HouseStyle) -> str:
    """What the instrument calls those it binds or brings together: "Parties", or
    "Participants" in a memorandum, unless the tradition says otherwise: the North
    American agreements speak of "Parties" though they bind no one (verified in the
    published 2017 California–Québec–Ontario text)."""
    if style.voice:
        return style.voice
    if style.id == "north-american" and instrument_word(neg) == "Agreement":
        return "Parties"
    return "Participants" if neg.form == "memorandum" else "Parties"


def _party_order(neg: Negotiation) -> list[str]:
    """Parties as the instrument names them: a regulation's author first."""
    recognising = neg.recognising()
    if neg.form == "regulation" and recognising:
        return [recognising, *(p for p in neg.party_ids if p != recognising)]
    return list(neg.party_ids)


def instrument_word(neg: Negotiation) -> str:
    """What the instrument calls itself ("this Agreement"): the form's usual name unless
    the session names it (a non-binding text that its parties called an Agreement)."""
    return neg.session.instrument_name or INSTRUMENT_WORD[neg.form]


def _kind(neg: Negotiation) -> str:
    return neg.session.instrument_name or KIND[neg.form]


def _subtitle(neg: Negotiation, parties: list[str], style: styles.HouseStyle) -> str:
    form = neg.form
    if style.id == "au-instrument":
        return "Legislative instrument of the Commonwealth of Australia"
    if form == "regulation":
        return f"{_kind(neg)} of {parties[0]}"
    line = f"{_kind(neg)} between {join_words(parties)}"
    guidelines = f"{style.annex_word} {styles.annex_number(style, 2)}"
    return line + (f", with Implementing Guidelines in {guidelines}" if form == "hybrid" else "")


def _english_of(languages: list[str]) -> str | None:
    """The English a jurisdiction legislates in: its own `en-XX`; the Union's plain "en"
    is British and Irish English; a French-speaking Canadian province writes Canadian."""
    for code in languages:
        if code.startswith("en-"):
            return code
    if "en" in languages:
        return "en-GB"
    if any(code.endswith("-CA") for code in languages):
        return "en-CA"
    return None


def _text_language(neg: Negotiation) -> str:
    """The English of the instrument, for the editor's spelling check. A regulation is the
    recognising party's own act; an agreement with the EU or the UK follows their (British)
    usage; one with a US party, American usage (the US party drafts the English); otherwise
    the parties' common English, and British, the usage of international treaties, when they
    have none in common."""
    englishes = {pid: _english_of(neg.systems[pid].parameters.languages or [])
                 for pid in neg.party_ids}
    own = englishes.get(neg.recognising() or "") if neg.form == "regulation" else None
    if own:
        return own
    found = {e for e in englishes.values() if e}
    for preferred in ("en-GB", "en-US"):
        if preferred in found:
            return preferred
    return found.pop() if len(found) == 1 else "en-GB"


def build_draft(neg: Negotiation, clean: bool = False) -> Draft:
    """The instrument this negotiation's form and linkage call for, in its house style."""
    style = styles.choose_style(neg)
    layout = _layout(neg, style)
    renderer = _Renderer(neg, layout, style)
    body = _articles(neg, renderer, layout.body)
    guidelines = _articles(neg, renderer, layout.guidelines, annex=True)
    paragraphs = {p.provision: p for a in (*body, *guidelines) for p in a.paragraphs}
    session = neg.session
    parties = [neg.party_name(p) for p in _party_order(neg)]
    preface = Preface(
        title=session.title,
        short_title=session.short_title or session.title,
        kind=_kind(neg),
        subtitle=_subtitle(neg, parties, style),
        marking=session.marking,
        round_number=session.round.number if session.round else None,
        round_date=session.round.date if session.round else None,
        parties=parties,
        language=_text_language(neg),
    )
    heading, intro, recitals, formula = _preamble(neg, renderer, style)
    conclusions_heading, conclusions, signatures = _signatures(neg, style, layout)
    attachments = [Annex(styles.annex_number(style, 1), "Essential criteria",
                         word=style.annex_word,
                         intro=essential_criteria_intro(neg, str(renderer.words["Party"])),
                         table=essential_criteria_annex(neg, layout.provision_ref))]
    if guidelines:
        body_name = str(renderer.words.get("body") or "the joint body")
        attachments.append(Annex(
            styles.annex_number(style, 2), "Implementing Guidelines", word=style.annex_word,
            intro=f"These guidelines implement the {instrument_word(neg)}. "
                  f"{_capital(body_name)} may adopt and amend them by decision.",
            sections=guidelines))
    return Draft(
        form=neg.form, linkage=neg.linkage, voice_word=voice_word(neg, style),
        preface=preface, status=[] if clean else _status(neg, layout, paragraphs),
        preamble_intro=intro, recitals=recitals, enacting_formula=formula, body=body,
        conclusions_heading=conclusions_heading,
        conclusions_intro=conclusions, signatures=signatures, attachments=attachments,
        clean=clean, style=style.id, preamble_heading=heading)
