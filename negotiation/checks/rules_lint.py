"""The legal lint: what a treaty lawyer would mark on the built draft before a
delegation tables it.

The design rules read the session; these read the instrument itself, because the
defects a lawyer finds (a defined term nobody uses, a reference into a placeholder,
"the other Party" in a text for three) exist only once the clauses are rendered,
numbered and put side by side. The draft is built once per check and shared
between the rules through `neg.memo`, so the lint costs one build, not one per rule.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from negotiation.checks.common import fitting_choices
from negotiation.checks.registry import rule
from negotiation.drafting.builder import GUIDELINES_ANNEX, build_draft
from negotiation.drafting.model import Article, Draft, Markdown, Reference
from negotiation.errors import LinkwrightError
from negotiation.findings import Finding, Remedy
from negotiation.library import Clause, named_body
from negotiation.session import Negotiation

DRAFT_MEMO = "lint-draft"
PASSAGES_MEMO = "lint-passages"


@dataclass(frozen=True)
class Passage:
    """One stretch of the instrument's words, with where a lawyer would cite it."""

    where: str  # "Article 12(2)", "section 3(1) of Annex II", "the preamble"
    topic: str
    provision: str | None
    binding: bool  # in the binding voice (a treaty, a regulation, a hybrid's core)
    words: str  # plain words: Markdown escapes removed
    references: tuple[Reference, ...] = ()
    defines: str | None = None  # the term this passage defines, for a definition
    option: str | None = None
    """The clause a bracketed option proposes: its definitions come with it when chosen."""

    folded: str = field(init=False, compare=False)
    """The words in lower case, hyphens as spaces: a plain substring test on them rules
    a term out far faster than the term's pattern can."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "folded", fold(self.words))


def fold(words: str) -> str:
    return words.lower().replace("-", " ")


def may_use(term: str, folded: str) -> bool:
    """Whether `folded` words could contain the term, in any number (the last letter
    may change: "entity", "entities")."""
    return fold(term)[:-1] in folded


def lint_draft(neg: Negotiation) -> Draft | None:
    """The draft the lint reads, built once per state of the session. None when the
    draft cannot be built: the error that stops it is reported by `render`, and a
    lint of half a text would only add noise."""
    if DRAFT_MEMO not in neg.memo:
        try:
            neg.memo[DRAFT_MEMO] = build_draft(neg)
        except LinkwrightError:
            neg.memo[DRAFT_MEMO] = None
    draft: Draft | None = neg.memo[DRAFT_MEMO]
    return draft


def passages(neg: Negotiation) -> list[Passage]:
    """Every stretch of the instrument's text, in reading order (memoised with the
    draft)."""
    if PASSAGES_MEMO not in neg.memo:
        draft = lint_draft(neg)
        neg.memo[PASSAGES_MEMO] = [] if draft is None else list(_passages_of(draft))
    found: list[Passage] = neg.memo[PASSAGES_MEMO]
    return found


def whole_text(neg: Negotiation, folded: bool = False) -> str:
    """All the passages as one string, so that a rule can tell in one search that a
    phrase occurs nowhere before it looks for where."""
    key = f"lint-whole-text-{folded}"
    if key not in neg.memo:
        neg.memo[key] = "\n".join(p.folded if folded else p.words for p in passages(neg))
    text: str = neg.memo[key]
    return text


_ESCAPE = re.compile(r"\\(.)")


def plain(text: Markdown | str) -> str:
    """The words a reader sees: a Markdown escape shows only its character."""
    if isinstance(text, Markdown):
        return _ESCAPE.sub(r"\1", text.source)
    return text


_DEFINED = re.compile(r"^“(.+?)” means")


def _passages_of(draft: Draft) -> Iterator[Passage]:
    for recital in draft.recitals:
        yield Passage("the preamble", "objective", None, draft.form != "memorandum",
                      plain(recital), recital.references)
    binding = draft.form != "memorandum"
    unit = "section" if draft.style == "au-instrument" else "Article"
    yield from _article_passages(draft.body, unit + " {n}({m})", binding)
    for annex in draft.attachments:
        if annex.sections:
            yield from _article_passages(annex.sections,
                                         f"section {{n}}({{m}}) of Annex {annex.number}",
                                         False)
        if annex.table is not None:
            cells = " | ".join(cell for row in annex.table.rows for cell in row)
            yield Passage(annex.label, "essential_criteria", None, binding, cells)


def _article_passages(articles: list[Article], cite: str, binding: bool) -> Iterator[Passage]:
    for article in articles:
        for paragraph in article.paragraphs:
            where = cite.format(n=article.number, m=paragraph.number)
            texts: list[tuple[Markdown | str, str | None]] = []
            if paragraph.text is not None:
                texts.append((paragraph.text, None))
            texts.extend((option.text, option.source) for option in paragraph.options)
            for text, option in texts:
                references = text.references if isinstance(text, Markdown) else ()
                yield Passage(where, article.topic, paragraph.provision, binding, plain(text),
                              references, option=option)
            for _letter, point in paragraph.points:
                words = plain(point)
                term = _DEFINED.match(words) if article.topic == "definitions" else None
                yield Passage(where, article.topic, paragraph.provision, binding, words,
                              point.references if isinstance(point, Markdown) else (),
                              defines=term.group(1) if term else None)


# -- 1. terms defined and used -----------------------------------------------------

@lru_cache(maxsize=4096)  # the same library terms are looked for in every check
def term_pattern(term: str) -> re.Pattern[str]:
    """The term as a text uses it: any case, singular or plural ("covered entity",
    "covered entities"), never inside a longer word."""
    words = [re.escape(w) for w in term.split()]
    last = term.split()[-1] if term.split() else term
    if last.endswith("y") and len(last) > 1 and last[-2] not in "aeiou":
        words[-1] = re.escape(last[:-1]) + "(?:y|ies)"
    else:
        words[-1] = words[-1] + "(?:s|es)?"
    return re.compile(r"(?<![\w-])" + r"[\s-]+".join(words) + r"(?![\w-])", re.IGNORECASE)


def _used(term: str, where: list[Passage], terms: set[str]) -> Passage | None:
    """The first passage using `term` on its own: "operator" inside "aircraft operator"
    is a use of the longer term, not of the shorter one."""
    pattern = term_pattern(term)
    longer = [term_pattern(t) for t in terms
              if len(t) > len(term) and pattern.search(t)]
    for passage in where:
        if (passage.defines == term or not may_use(term, passage.folded)
                or not pattern.search(passage.words)):
            continue
        words = passage.words
        for other in longer:
            words = other.sub(" ", words)
        if pattern.search(words):
            return passage
    return None


@rule("lint.term-unused", topic="definitions")
def term_unused(neg: Negotiation) -> Iterator[Finding]:
    """A term the definitions article defines that the text never uses."""
    text = passages(neg)
    defined = {p.defines for p in text if p.defines}
    for passage in text:
        if passage.defines is None or _used(passage.defines, text, defined):
            continue
        yield Finding(
            rule="lint.term-unused", severity="warning", topic="definitions",
            message=f"{passage.where} defines “{passage.defines}”, but the text never uses "
                    "the term: a definition with no use invites the question what it was "
                    "meant to govern; use the term where the text means it, or drop the "
                    "clause that brings the definition in")


@rule("lint.term-undefined", topic="definitions")
def term_undefined(neg: Negotiation) -> Iterator[Finding]:
    """A term of art the library defines that the text uses without defining it.

    Information, not a warning: the word may be meant in its ordinary sense, and a
    definitions article may send undefined terms to each party's own law; the lawyer
    decides, the lint only points."""
    text = passages(neg)
    defined = {p.defines.lower() for p in text if p.defines}
    if not defined:  # no definitions article: terms are defined where first used
        return
    library_terms: dict[str, str] = {}
    for clause in neg.library.clauses.values():
        for term in clause.defines:
            library_terms.setdefault(term, clause.id)
    everything = whole_text(neg, folded=True)
    clauses = neg.library.clauses
    proposing = {p.provision: _values_disputed(neg, p.provision) for p in text
                 if p.provision and p.option is None and p.provision not in neg.chosen()}
    for term, clause_id in sorted(library_terms.items()):
        if term.lower() in defined or not may_use(term, everything):
            continue
        # A bracketed option, or a clause agreed but for its values, brings its own
        # definitions into the text once it is settled: its term is not left undefined.
        first = _used(term, [p for p in text if p.topic != "essential_criteria"
                             and not _brings(clauses.get(p.option or proposing.get(
                                 p.provision or "") or ""), term)],
                      {*library_terms, *defined})
        if first is None:
            continue
        yield Finding(
            rule="lint.term-undefined", severity="info", topic=first.topic,
            message=f"{first.where} uses “{term}”, a term of art the definitions article "
                    f"does not define: add its definition (the library's is in {clause_id}), "
                    "or say it in words the reader cannot misread", clauses=(clause_id,))


def _brings(clause: Clause | None, term: str) -> bool:
    return clause is not None and term in clause.defines


def _values_disputed(neg: Negotiation, provision: str) -> str | None:
    """The clause every party supports for `provision` where only its values are still
    disputed, or None."""
    positions = neg.positions_on(provision)
    chosen = {getattr(position, "clause", None) for position in positions.values()}
    if len(positions) == len(neg.party_ids) and len(chosen) == 1:
        return chosen.pop()
    return None


# -- 2. references to placeholders and omitted provisions --------------------------

_UNRESOLVED = re.compile(r"\[reference to (.+?) unresolved\]")


def _choices(neg: Negotiation, target: str | None) -> tuple[Remedy, ...]:
    """The clauses that could settle `target`, when it is a provision (a topic has none)."""
    if target is None or target not in neg.library.provisions:
        return ()
    return tuple(fitting_choices(neg, target, []))


def _placeholders(draft: Draft) -> tuple[dict[str, str], dict[str, str]]:
    """Provision id -> its placeholder note, and topic -> the note of an article that is
    nothing but placeholders."""
    by_provision: dict[str, str] = {}
    by_topic: dict[str, str] = {}
    for article in draft.articles():
        notes = [p.note for p in article.paragraphs if p.status == "open"]
        for paragraph in article.paragraphs:
            if paragraph.status == "open":
                by_provision[paragraph.provision] = paragraph.note
        if article.paragraphs and len(notes) == len(article.paragraphs):
            by_topic[article.topic] = "; ".join(notes)
    return by_provision, by_topic


@rule("lint.ref-placeholder", topic="objective")
def ref_placeholder(neg: Negotiation) -> Iterator[Finding]:
    """A cross-reference to a placeholder, or to a provision the text leaves out."""
    draft = lint_draft(neg)
    if draft is None:
        return
    open_provisions, open_topics = _placeholders(draft)
    final = draft.open_count() == 0
    for passage in passages(neg):
        for reference in passage.references:
            target = reference.provision if reference.provision else reference.topic
            note = (open_provisions.get(reference.provision) if reference.provision
                    else open_topics.get(reference.topic))
            if note is None:
                continue
            yield Finding(
                rule="lint.ref-placeholder", severity="warning", topic=passage.topic,
                message=f"{passage.where} refers to {reference.shown}, which is still a "
                        f"placeholder ({note}): the reference means nothing until that "
                        "text is agreed; agree it, or word the reference without it",
                remedies=_choices(neg, target))
        for missing in _UNRESOLVED.finditer(passage.words):
            yield Finding(
                rule="lint.ref-placeholder", severity="error" if final else "warning",
                topic=passage.topic,
                message=f"{passage.where} refers to {missing.group(1)}, which this text "
                        "leaves out, so the instrument prints an unresolved reference: "
                        "include that provision, or choose a clause here that does not "
                        "refer to it")


def _unsettled(draft: Draft) -> dict[str, str]:
    """Provision id -> why its paragraph is not settled text: bracketed options, disputed
    values, or values nobody has confirmed."""
    found: dict[str, str] = {}
    for article in draft.articles():
        for paragraph in article.paragraphs:
            if paragraph.status == "options":
                found[paragraph.provision] = f"{len(paragraph.options)} bracketed options"
            elif paragraph.value_notes:
                found[paragraph.provision] = "disputed values: " + "; ".join(
                    note.parameter for note in paragraph.value_notes)
            elif paragraph.unconfirmed:
                found[paragraph.provision] = "values not yet agreed: " + "; ".join(
                    note.parameter for note in paragraph.unconfirmed)
    return found


@rule("lint.binding-on-unsettled", topic="objective")
def binding_on_unsettled(neg: Negotiation) -> Iterator[Finding]:
    """Binding text whose meaning depends on a provision that is still in brackets: the
    obligation cannot be read until that provision settles (a suspension ground resting
    on a guideline whose options are open, a time limit counted from a disputed date)."""
    draft = lint_draft(neg)
    if draft is None:
        return
    unsettled = _unsettled(draft)
    if not unsettled:
        return
    for passage in passages(neg):
        if not passage.binding or passage.option is not None:
            continue
        for reference in passage.references:
            why = unsettled.get(reference.provision or "")
            if why is None or reference.provision == passage.provision:
                continue
            yield Finding(
                rule="lint.binding-on-unsettled", severity="info", topic=passage.topic,
                message=f"{passage.where}, binding text, relies on {reference.shown}, which is "
                        f"not settled yet ({why}): the obligation reads only once that is "
                        "agreed; settle it first, or check this paragraph again when it is",
                remedies=_choices(neg, reference.provision))


# -- 3. binding text resting on the guidelines ---------------------------------------

@rule("lint.binding-on-guidelines", topic="objective")
def binding_on_guidelines(neg: Negotiation) -> Iterator[Finding]:
    """In a hybrid, binding text that refers into the non-binding guidelines annex."""
    draft = lint_draft(neg)
    if draft is None or draft.form != "hybrid":
        return
    guidelines = {s.topic for a in draft.attachments for s in a.sections}
    for passage in passages(neg):
        if not passage.binding or passage.where.startswith("Annex"):
            continue
        for reference in passage.references:
            if reference.topic not in guidelines:
                continue
            yield Finding(
                rule="lint.binding-on-guidelines", severity="warning", topic=passage.topic,
                message=f"{passage.where}, binding text, refers to {reference.shown}, in the "
                        f"non-binding Implementing Guidelines (Annex {GUIDELINES_ANNEX}): an "
                        "obligation cannot rest on text the Parties need not follow and the "
                        "Joint Committee may amend; state what is required in the Article "
                        f"itself, or make {reference.topic} part of the binding core")


# -- 4. wording for another number of parties ----------------------------------------

_FOR_MORE = re.compile("|".join((
    r"\bmore than two (?:Parties|Participants)\b",
    r"\b(?:two|three) or more (?:Parties|Participants)\b",
    r"\beach pair of\b",
    r"\bone or more (?:of )?the other (?:Party|Participant)\b",
    r"\b(?:all|each|every|any)(?: of)? the other (?:Parties|Participants)\b",
    r"\b(?:each|every) other (?:Party|Participant)\b",
    r"\bthe others\b",
)), re.IGNORECASE)
"""Wording that assumes three or more parties: wrong between two."""

_FOR_TWO = re.compile("|".join((
    r"\bthe other (?:Party|Participant)\b(?! to the dispute| concerned)",
    r"\bboth (?:Parties|Participants)\b",
    r"\bthe two (?:Parties|Participants)\b",
    r"\beither (?:Party|Participant)\b",
)))
"""Wording that assumes exactly two parties: wrong among three or more."""


@rule("lint.party-count", topic="objective")
def party_count(neg: Negotiation) -> Iterator[Finding]:
    """Wording that assumes another number of parties than the text has."""
    if neg.linkage == "bilateral":
        patterns, assumes = _FOR_MORE, "more than two parties"
    elif neg.linkage == "multilateral":
        patterns, assumes = _FOR_TWO, "exactly two parties"
    else:
        return
    count = len(neg.party_ids)
    if not patterns.search(whole_text(neg)):  # the usual case: one search, no loop
        return
    seen: set[tuple[str, str]] = set()
    for passage in passages(neg):
        for match in patterns.finditer(passage.words):
            phrase = match.group(0)
            if (passage.where, phrase.lower()) in seen:
                continue
            seen.add((passage.where, phrase.lower()))
            yield Finding(
                rule="lint.party-count", severity="warning", topic=passage.topic,
                message=f"{passage.where} says “{phrase}”, wording that assumes "
                        f"{assumes}, in a {neg.linkage} text between {count}: reword it "
                        f"for {count} parties (in the clause, or by choosing one written "
                        "for any number)")


# -- 5. dates later than the text ------------------------------------------------------

_MONTHS = ("January|February|March|April|May|June|July|August|September|October|"
           "November|December")
_DATE = rf"(?:(?P<day>\d{{1,2}}) (?P<month>{_MONTHS}) )?(?P<year>(?:19|20)\d\d)\b"
_PAST_FACT = [re.compile(p) for p in (
    rf"\bsince {_DATE}",
    rf"\b(?:entered into force|took effect|was adopted|were adopted|was established|"
    rf"was included|were included|was amended|began|started) (?:on|in) {_DATE}",
    rf"\bin {_DATE}",
)]
_FUTURE = re.compile(r"\b(?:shall|will|may|should|intends?|by|until|before|after|from|"
                     r"no later than|as from|with effect)\b", re.IGNORECASE)


def _stated(match: re.Match[str]) -> tuple[dt.date, bool]:
    """The date a match states, and whether it gave the day (else only the year)."""
    year = int(match.group("year"))
    if match.group("month"):
        month = _MONTHS.split("|").index(match.group("month")) + 1
        return dt.date(year, month, int(match.group("day"))), True
    return dt.date(year, 1, 1), False


def _sentence(words: str, at: int) -> str:
    start = max(words.rfind(". ", 0, at), words.rfind("; ", 0, at)) + 1
    ends = [i for i in (words.find(". ", at), words.find("; ", at)) if i >= 0]
    return words[start:min(ends) if ends else len(words)]


@rule("lint.date-after-text", topic="objective")
def date_after_text(neg: Negotiation) -> Iterator[Finding]:
    """A date stated as a past or present fact that is later than the text's own date."""
    draft = lint_draft(neg)
    if draft is None or draft.preface.round_date is None:
        return
    dated = draft.preface.round_date
    when = f"{dated.day} {dated:%B %Y}"
    seen: set[tuple[str, int]] = set()  # "entered into force in 2020" is also "in 2020"
    for passage in passages(neg):
        if passage.where.startswith("Annex I"):  # figures dated by their source
            continue
        for index, pattern in enumerate(_PAST_FACT):
            for match in pattern.finditer(passage.words):
                stated, exact = _stated(match)
                later = stated > dated if exact else stated.year > dated.year
                if not later or (passage.where, match.end()) in seen:
                    continue
                # "in 2030" after "shall" is a deadline, not a fact: leave it alone.
                if index == len(_PAST_FACT) - 1 and _FUTURE.search(
                        _sentence(passage.words, match.start())):
                    continue
                seen.add((passage.where, match.end()))
                yield Finding(
                    rule="lint.date-after-text", severity="warning", topic=passage.topic,
                    message=f"{passage.where} says “{match.group(0)}” as a fact, but the "
                            f"text is dated {when}: an anachronism a reader will notice; "
                            "state what stood on that date, or word it as a future event")


# -- 6. title, form and signatories ----------------------------------------------------

_NOUNS = re.compile(r"\b(agreement|treaty|convention|protocol|memorandum|arrangement|"
                    r"regulation|instrument|decree|order)\b", re.IGNORECASE)
_FITS = {"treaty": {"agreement", "treaty", "convention", "protocol"},
         "hybrid": {"agreement", "treaty", "convention", "protocol"},
         "memorandum": {"memorandum", "arrangement"},
         "regulation": {"regulation", "instrument", "decree", "order"}}


def _signatory(line: str) -> str:
    return re.sub(r"^For (?:the )?", "", line).strip().lower()


@rule("lint.title-form", topic="objective")
def title_form(neg: Negotiation) -> Iterator[Finding]:
    """The title, the form and the signatories disagree."""
    draft = lint_draft(neg)
    if draft is None:
        return
    title = draft.preface.title
    noun = _NOUNS.search(title)
    named = (neg.session.instrument_name or "").lower()
    if noun and noun.group(1).lower() not in _FITS[neg.form] | ({named} if named else set()):
        yield Finding(
            rule="lint.title-form", severity="warning", topic="objective",
            message=f"the title calls the instrument “{noun.group(1)}”, but its form is "
                    f"{neg.form} and it calls itself “{draft.preface.kind}”: retitle it, or, "
                    "where the parties really named it so, say `instrument_name: "
                    f"{noun.group(1).capitalize()}` in the session")
    signatures = [s.party for s in draft.signatures]
    # An Australian instrument is made by the Governor-General and countersigned by the
    # Minister: two signatures of one authority.
    if neg.form == "regulation" and len(signatures) > 1 and draft.style != "au-instrument":
        yield Finding(
            rule="lint.title-form", severity="warning", topic="objective",
            message=f"a regulation is made by one authority, yet {len(signatures)} "
                    "signatures close it: only the recognising party adopts it")
    elif neg.form != "regulation" and len(signatures) != len(neg.party_ids):
        yield Finding(
            rule="lint.title-form", severity="warning", topic="objective",
            message=f"the text has {len(neg.party_ids)} parties but {len(signatures)} "
                    "signatures: every party signs")
    if " between " not in title:
        return
    missing = [s for s in signatures if _signatory(s) not in title.lower()]
    for line in missing:
        yield Finding(
            rule="lint.title-form", severity="warning", topic="objective",
            message=f"the signature block has “{line}”, but the title names the parties "
                    f"otherwise (“{title}”): name each signatory the same way in the title "
                    "and the signature block")


# -- 7. one name per body ----------------------------------------------------------------

_BODY_PHRASES = (
    r"joint body",
    r"the (?:joint )?(?:body|committee)(?: established| set up| described| referred to)"
    r"(?: under| by| in)? (?:Article|section|paragraph) [\w().]+(?: of Annex [IVX]+)?",
    r"the committee",
)
"""How a text names a joint body without its name: the generic words a library uses
when it does not know what the institutions clause calls the body."""


@lru_cache(maxsize=64)  # one pattern per set of names the library declares
def _body_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    named = [r"[\s-]+".join(re.escape(w) for w in name.split()) for name in names]
    return re.compile(r"(?<![\w-])(?:" + "|".join([*named, *_BODY_PHRASES]) + r")(?![\w-])",
                      re.IGNORECASE)


def _establishing(neg: Negotiation) -> tuple[set[str], str | None]:
    """The provisions whose clauses establish a body (their texts introduce it, so they
    may name it as they like), and the name the chosen one gives it."""
    provisions = {c.provision for c in neg.library.clauses.values() if "body" in c.names}
    name = named_body(c for c, _ in neg.chosen().values() if c.fits(neg.form, neg.linkage))
    return provisions, name


@rule("lint.body-names", topic="institutions")
def body_names(neg: Negotiation) -> Iterator[Finding]:
    """The joint body named in more than one way, or referred to where none is
    established."""
    establishing, name = _establishing(neg)
    names = tuple(sorted({n for c in neg.library.clauses.values()
                          for n in c.names.values()}, key=len, reverse=True))
    pattern = _body_pattern(names)
    if not pattern.search(whole_text(neg)):  # the usual case for a text with no body
        return
    provision = next(iter(sorted(establishing)), "")
    seen: set[tuple[str, str]] = set()
    for passage in passages(neg):
        if passage.provision in establishing:
            continue
        for match in pattern.finditer(passage.words):
            said = " ".join(match.group(0).split())
            if said == name:  # "the" before it is the text's own: any case will do
                continue
            if (passage.where, said.lower()) in seen:
                continue
            seen.add((passage.where, said.lower()))
            yield _body_finding(neg, passage, said, name, provision)


def _body_finding(neg: Negotiation, passage: Passage, said: str, name: str | None,
                  provision: str) -> Finding:
    if name is not None:
        return Finding(
            rule="lint.body-names", severity="warning", topic=passage.topic,
            message=f"{passage.where} calls the joint body “{said}”, but the text "
                    f"establishes it as the {name}: a body named two ways reads as two "
                    f"bodies; call it “the {name}” throughout (in a library clause, write "
                    "{{ body }})")
    decided = neg.chosen().get(provision)
    why = (f"the institutions clause chosen, “{decided[0].title}”, establishes none"
           if decided else "no institutions clause establishing one is agreed yet")
    return Finding(
        rule="lint.body-names", severity="error" if decided else "warning",
        topic=passage.topic,
        message=f"{passage.where} refers to “{said}”, but {why}: a text cannot give "
                "tasks to a body it never sets up; choose an institutions clause that "
                "establishes a joint body, or a clause here that does without one",
        remedies=tuple(c for c in fitting_choices(neg, provision, [
            (cl.id, f"establish the {cl.names['body']}")
            for cl in neg.library.fitting_clauses(provision, neg.form, neg.linkage)
            if "body" in cl.names])) if provision in neg.library.provisions else ())
