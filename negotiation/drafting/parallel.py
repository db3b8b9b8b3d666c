"""Side-by-side editions: the language versions of one instrument, paired block by block.

Negotiators check the versions against each other article by article, so a
side-by-side edition pairs each block of one version (the title, a recital, a
paragraph, each of its lettered points, the closing) with the same block of the
others, in one row: definition (c) stands beside definition (c), not a page away.
The versions are built from one negotiation and one layout, so they have the same
structure; `aligned` checks that they do (same articles, same paragraphs, same points,
the same references and values) before pairing them, and refuses rather than pair
paragraph 3 of one version with paragraph 4 of another.

Every cell holds Markdown, as the Markdown writer would write that block (notes on
open text included), so the PDF and DOCX editions convert cells with the converters
their single-language writers already use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from negotiation.drafting import markdown as md_writer
from negotiation.drafting.model import Draft, Markdown, Paragraph
from negotiation.errors import LinkwrightError

Kind = Literal["marking", "title", "subtitle", "heading", "intro", "recital", "formula",
               "part", "article", "paragraph", "point", "closing", "signature", "annex",
               "annex-intro", "annex-table", "section"]


@dataclass(frozen=True)
class Row:
    """One block in every language, in the order of `languages`."""

    kind: Kind
    cells: tuple[str, ...]  # Markdown, one per version


def languages_of(drafts: list[Draft]) -> list[str]:
    return [d.language for d in drafts]


def aligned(drafts: list[Draft], attribution: bool = True) -> list[Row]:
    """The versions' blocks paired in rows; LinkwrightError if they do not align."""
    check_alignment(drafts)
    rows: list[Row] = []

    def add(kind: Kind, cells: list[str]) -> None:
        if any(c.strip() for c in cells):
            rows.append(Row(kind, tuple(cells)))

    def plain(values: list[str]) -> list[str]:
        return [md_writer.md(v) for v in values]

    def paragraph_rows(versions: list[Paragraph]) -> None:
        """The paragraph in one row, then each of its lettered points in a row of its own."""
        add("paragraph", [_paragraph(replace(p, points=[]), d, attribution)
                          for p, d in zip(versions, drafts, strict=True)])
        for index in range(len(versions[0].points)):
            add("point", [md_writer.point(*p.points[index]) for p in versions])

    first = drafts[0]
    add("marking", [_marking(d) for d in drafts])
    add("title", plain([d.preface.title for d in drafts]))
    add("subtitle", plain([d.preface.subtitle for d in drafts]))
    add("heading", plain([d.preamble_heading for d in drafts]))
    add("intro", plain([d.preamble_intro for d in drafts]))
    for index in range(len(first.recitals)):
        add("recital", [d.recitals[index].source for d in drafts])
    add("formula", plain([d.enacting_formula for d in drafts]))
    for a_index, article in enumerate(first.body):
        if article.part:
            add("part", plain([d.body[a_index].part for d in drafts]))
        add("article", plain([d.body[a_index].line() for d in drafts]))
        for p_index in range(len(article.paragraphs)):
            paragraph_rows([d.body[a_index].paragraphs[p_index] for d in drafts])
    add("heading", plain([d.conclusions_heading for d in drafts]))
    for part in range(len(first.conclusions_intro.split("\n\n"))):
        add("closing", plain([d.conclusions_intro.split("\n\n")[part] for d in drafts]))
    for s_index in range(len(first.signatures)):
        add("signature", plain([d.signatures[s_index].party
                                + (d.phrases("colon") if d.phrases else ":")
                                + " ______________________" for d in drafts]))
    for n_index, annex in enumerate(first.attachments):
        add("annex", plain([f"{d.attachments[n_index].label} — {d.attachments[n_index].title}"
                            for d in drafts]))
        add("annex-intro", plain([d.attachments[n_index].intro for d in drafts]))
        add("annex-table", [md_writer.table(d.attachments[n_index].table)
                            if d.attachments[n_index].table else "" for d in drafts])
        for s_index, section in enumerate(annex.sections):
            add("section", plain([d.attachments[n_index].sections[s_index].line("Section")
                                  for d in drafts]))
            for p_index in range(len(section.paragraphs)):
                paragraph_rows([d.attachments[n_index].sections[s_index].paragraphs[p_index]
                                for d in drafts])
    return rows


def _marking(draft: Draft) -> str:
    """The marking, the round and its date, as the version's language writes them."""
    preface = draft.preface
    parts = [md_writer.md(preface.marking)] if preface.marking else []
    if preface.round_number is not None and draft.phrases is not None:
        parts.append(md_writer.md(draft.phrases("round", number=preface.round_number)))
    if preface.round_date is not None:
        parts.append(md_writer._longdate(preface.round_date, draft.language))
    return " · ".join(parts)


def _paragraph(paragraph: Paragraph, draft: Draft, attribution: bool) -> str:
    return md_writer.paragraph(paragraph, attribution, draft.phrases)


_BRACKETED = re.compile(r"\\?\[([^\[\]]*?)\\?\]")


def check_alignment(drafts: list[Draft]) -> None:
    """The versions have one structure: the same articles, paragraphs, points, options,
    references and values in brackets. A difference is a fault of the library or of a
    translation layer, named here, never papered over by the pairing."""
    if len(drafts) < 2:
        return
    first = drafts[0]
    for other in drafts[1:]:
        where = f"the {other.language} version"
        _same(len(first.recitals), len(other.recitals), f"{where}: recitals")
        _same(len(first.body), len(other.body), f"{where}: articles")
        _same(len(first.attachments), len(other.attachments), f"{where}: annexes")
        for one, two in zip(first.articles(), other.articles(), strict=False):
            _same(len(one.paragraphs), len(two.paragraphs),
                  f"{where}: paragraphs of {two.title_line or two.number}")
            for p, q in zip(one.paragraphs, two.paragraphs, strict=True):
                label = f"{where}: {two.title_line or two.number}, paragraph {q.number}"
                _same(len(p.points), len(q.points), f"{label}: points")
                _same(len(p.options), len(q.options), f"{label}: options")
                _same(_targets(p), _targets(q), f"{label}: cross-references")


def _targets(paragraph: Paragraph) -> list[tuple[str, str | None]]:
    texts = [paragraph.text, *(o.text for o in paragraph.options)]
    return [(r.topic, r.provision) for t in texts if isinstance(t, Markdown)
            for r in t.references]


def _same(one: object, two: object, what: str) -> None:
    if one != two:
        raise LinkwrightError(f"the language versions do not align ({what}: {two} against "
                              f"{one} in the first version); check the translation layer")


def write_parallel_markdown(drafts: list[Draft], attribution: bool = True) -> str:
    """The side-by-side edition in Markdown: each block followed by its versions, each
    marked with its language, a rule between blocks: paired paragraphs, one to one."""
    out: list[str] = []
    for row in aligned(drafts, attribution):
        heading = {"title": "# ", "article": "## ", "annex": "## ", "part": "## ",
                   "section": "### "}.get(row.kind, "")
        for language, cell in zip(languages_of(drafts), row.cells, strict=True):
            tag = f"**[{language}]** "
            if heading:
                out.append(f"{heading}{cell} [{language}]" if cell.strip() else "")
            elif row.kind == "annex-table":
                out.append(f"{tag}\n\n{cell}")
            else:
                out.append(f"{tag}{cell}")
        out.append("---")
    text = "\n\n".join(part for part in out if part)
    return md_writer.refuse_live_markup(text.strip() + "\n", "the side-by-side edition")
