"""The side-by-side edition as PDF: one column per language version, one row per block.

`parallel.aligned` pairs the versions' blocks and gives each cell as Markdown; here
each cell goes through the Typst writer's `markdown_to_typst` (every text node
escaped), every other value through `typst_escape` or the skeleton's escaping
`finalize`, and the page is the drafts' page (`templates/page.typ.j2`: the bundled
serif, the running header, "Page N of M"), in landscape from three versions on.
The skeleton is `templates/parallel.typ.j2`: one table whose header row names the
languages and repeats on every page; a heading row (title, article, part, annex,
section) is a sub-header, so it never stands alone at the foot of a page; a short
row stays on one page, a long one may break between its lines. Compiled with the
Typst writer's `compile_pdf`: bundled fonts, no packages, nothing read from disk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from negotiation.drafting import typst_writer
from negotiation.drafting.model import Draft
from negotiation.drafting.parallel import Row, aligned
from negotiation.drafting.typst_writer import Typst, markdown_to_typst, typst_escape, typst_string
from negotiation.languages import language_name

HEADER_LEVELS: dict[str, int] = {"title": 2, "heading": 2, "part": 2, "annex": 2,
                                 "article": 3, "section": 3}
"""Rows that head what follows, as table sub-headers: Typst keeps a sub-header with the
row after it, so an article's heading is never the last line of a page."""

SHORT_ROW = 500
"""A row whose longest cell holds at most this many characters of Markdown (some ten
lines of a column) is kept on one page; a longer one may break across pages."""

LANDSCAPE_FROM = 3
"""From this many versions on, the page is turned: three columns need its width."""


@dataclass(frozen=True)
class _Column:
    name: Typst  # the language's name in that language ("Français")
    lang: Typst  # Typst string literals for `text(lang:, region:)`
    region: Typst


@dataclass(frozen=True)
class _Row:
    kind: str
    level: int | None
    breakable: bool
    cells: tuple[Typst, ...]


def _column(draft: Draft) -> _Column:
    tag = draft.preface.language or draft.language
    language, _, region = tag.replace("_", "-").partition("-")
    region = region.split("-")[0]
    return _Column(
        name=typst_escape(language_name(draft.language, draft.language)),
        lang=typst_string(language.lower()),
        region=typst_string(region.upper()) if re.fullmatch(r"[A-Za-z]{2}", region)
        else Typst("none"))


def _row(row: Row) -> _Row:
    longest = max((len(cell) for cell in row.cells), default=0)
    return _Row(kind=row.kind, level=HEADER_LEVELS.get(row.kind),
                breakable=row.kind == "annex-table" or longest > SHORT_ROW,
                cells=tuple(markdown_to_typst(cell) for cell in row.cells))


def write_parallel_typst(drafts: list[Draft], attribution: bool = True) -> str:
    """The side-by-side edition as Typst source; deterministic. LinkwrightError (from
    `aligned`) when the versions do not share one structure."""
    rows = [_row(row) for row in aligned(drafts, attribution)]
    first = drafts[0]
    preface = first.preface
    rendered = typst_writer.environment().get_template("parallel.typ.j2").render(
        title=preface.title, short_title=preface.short_title, marking=preface.marking,
        round_line=typst_writer.round_line(preface, first.phrases),
        authors=preface.parties, language=preface.language or first.language,
        landscape=len(drafts) >= LANDSCAPE_FROM,
        size=Typst("10.5" if len(drafts) < LANDSCAPE_FROM else "10"),
        columns=[_column(d) for d in drafts], rows=rows)
    return re.sub(r"\n{3,}", "\n\n", rendered).strip() + "\n"


def write_parallel_pdf(drafts: list[Draft], attribution: bool = True) -> bytes:
    """The side-by-side edition as PDF bytes; the same drafts give the same bytes."""
    return typst_writer.compile_pdf(write_parallel_typst(drafts, attribution))
