"""Finding words in the instrument and the clause library.

A negotiator remembers a phrase ("held units", "aviation") rather than where a
provision lives. The search reads two things: the text of the draft as built
for this session (what the other side will read, article by article), and the
library's clauses (their titles and texts), so that a clause not chosen yet is
found too. Every hit names the provision it belongs to: the TUI takes the user
to that provision's topic, so only provisions this form and linkage ask for are
returned (a clause of a provision the draft does not contain could not be shown).

No Textual here: the TUI only shows the hits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from negotiation.drafting.model import Article, Draft, Paragraph
    from negotiation.session import Negotiation

SNIPPET = 90
"""Characters of context shown around a hit: about a line of a dialog."""

_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")
_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)


@dataclass(frozen=True)
class Passage:
    """A piece of text that belongs to one provision: a paragraph of the draft, or a
    clause of the library (its title and its texts)."""

    provision: str
    where: str  # "Article 12(1)", or "library: <clause title>"
    text: str  # plain text, searched and quoted
    clause: str | None = None  # the library clause, for a library passage


@dataclass(frozen=True)
class SearchHit:
    provision: str
    provision_title: str
    topic: str
    topic_title: str
    where: str
    snippet: str
    clause: str | None = None


def plain(markdown: str) -> str:
    """Draft Markdown as a reader sees it: escapes dropped, whitespace made single."""
    return " ".join(_MARKDOWN_ESCAPE.sub(r"\1", markdown).split())


def template_words(text: str) -> str:
    """A clause text without its template tags: a value still to be filled in reads as
    an ellipsis, so a snippet never shows `{{ limit_pct | percent }}`."""
    return " ".join(_TEMPLATE.sub("…", text).split())


def _paragraph_texts(paragraph: Paragraph) -> Iterator[str]:
    if paragraph.text is not None:
        yield paragraph.text.source
    for option in paragraph.options:
        yield option.text if isinstance(option.text, str) else option.text.source
    for _letter, point in paragraph.points:
        yield point if isinstance(point, str) else point.source
    if paragraph.note:
        yield paragraph.note


def _article_passages(articles: Iterable[Article], label: str) -> Iterator[Passage]:
    for article in articles:
        for paragraph in article.paragraphs:
            text = plain(" ".join(_paragraph_texts(paragraph)))
            if text:
                where = f"{label} {article.number}({paragraph.number})"
                yield Passage(paragraph.provision, where, text)


def draft_passages(draft: Draft) -> list[Passage]:
    """Every paragraph of the instrument (and of its guidelines annex), in order."""
    passages = list(_article_passages(draft.body, "Article"))
    for annex in draft.attachments:
        passages += _article_passages(annex.sections, f"Annex {annex.number}, section")
    return passages


def library_passages(neg: Negotiation) -> list[Passage]:
    """Every clause of the provisions this session's draft needs, title and texts."""
    passages = []
    for provision in neg.relevant_provisions():
        for clause_id in provision.clauses:
            clause = neg.library.clauses[clause_id]
            parts = [clause.title, clause.summary, clause.text.binding or "",
                     clause.text.nonbinding or ""]
            text = template_words(" — ".join(p for p in parts if p))
            passages.append(Passage(provision.id, f"library: {clause.title}", text, clause.id))
    return passages


class TextSearch:
    """The passages of one state of the negotiation, built once and searched as the
    user types (building the draft is the slow part; matching is cheap)."""

    def __init__(self, neg: Negotiation, draft: Draft | None = None) -> None:
        from negotiation.drafting.builder import build_draft

        self.neg = neg
        self.passages = draft_passages(draft or build_draft(neg)) + library_passages(neg)

    def find(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Passages holding every word of `query` (any case): those holding it as a
        phrase first, then the rest; within each, the instrument's in treaty order, then
        the library's. A provision's title counts as its text."""
        words = query.casefold().split()
        if not words:
            return []
        phrase = " ".join(words)
        library = self.neg.library
        exact: list[SearchHit] = []
        loose: list[SearchHit] = []
        for passage in self.passages:
            provision = library.provisions[passage.provision]
            haystack = f"{provision.title} {passage.text}".casefold()
            if not all(word in haystack for word in words):
                continue
            topic = library.topics.get(provision.topic)
            hit = SearchHit(
                provision=provision.id, provision_title=provision.title,
                topic=provision.topic, topic_title=topic.title if topic else provision.topic,
                where=passage.where, snippet=snippet(passage.text, [phrase, *words]),
                clause=passage.clause)
            (exact if phrase in haystack else loose).append(hit)
            if len(exact) >= limit:
                break
        return (exact + loose)[:limit]


def snippet(text: str, words: list[str], width: int = SNIPPET) -> str:
    """About `width` characters of `text` around the first of `words` (in the order
    given: the whole phrase first) that it holds."""
    if len(text) <= width:
        return text
    folded = text.casefold()
    first = next((i for w in words if (i := folded.find(w)) >= 0), 0)
    start = max(0, first - width // 3)
    end = min(len(text), start + width)
    start = max(0, end - width)
    return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")


def search(neg: Negotiation, query: str, limit: int = 50) -> list[SearchHit]:
    """The provisions whose text in the draft, or whose library clauses, hold `query`."""
    return TextSearch(neg).find(query, limit)
