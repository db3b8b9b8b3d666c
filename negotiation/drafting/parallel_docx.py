"""The side-by-side edition as DOCX: one table, one column per language version.

`parallel.aligned` pairs the versions' blocks, each cell as Markdown; this module
lays them out with the single-language DOCX writer's own helpers (its page, running
header and footer, core properties, fixed zip dates, its Markdown-to-runs and
Markdown-to-blocks converters), so a cell reads as that writer would write the
block. The header row names the languages and repeats on every page; a heading row
keeps with the row after it; a short row never breaks across pages. Every run in a
column (and every paragraph mark, so what a lawyer types there too) carries its
version's proofing language, so Word checks the French column against French.
The page turns to landscape from three versions on.
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import _Cell, _Row

from negotiation.drafting.docx_writer import (  # the writer's own helpers, private ones too
    BOLD,
    PLAIN,
    _bytes,
    _cell_text,
    _Format,
    _grid,
    _house_headings,
    _long_date,
    _markdown_inline,
    _MarkdownWriter,
    _new_document,
    _page,
    _proofing_language,
    _properties,
    _Running,
    _schema_order,
    _stamp,
    _text_width,
    _tree,
    _widths,
)
from negotiation.drafting.model import Draft
from negotiation.drafting.parallel import Row, aligned
from negotiation.languages import language_name
from negotiation.templating import long_date

SUBJECT = "Side-by-side edition"

LANDSCAPE_FROM = 3
"""From this many versions on, the page is turned: three columns need its width."""

SHORT_ROW = 800
"""A row whose longest cell holds at most this many characters of Markdown is kept on
one page (`w:cantSplit`); a longer one may break, or a page could not hold it."""

HEADINGS = {"title", "article", "annex", "part", "section", "heading"}
SIZES = {"marking": 8.0, "title": 12.0, "annex-table": 8.0}


def _round_line(draft: Draft) -> str:
    """'Round 3 · 23 November 2017', in the version's language."""
    preface, say = draft.preface, draft.phrases
    english = say is None or say.english
    parts = []
    if preface.round_number is not None:
        parts.append(f"Round {preface.round_number}" if english
                     else say("round", number=preface.round_number))  # type: ignore[misc]
    if preface.round_date is not None:
        parts.append(_long_date(preface.round_date) if english
                     else long_date(preface.round_date, draft.language))
    return " · ".join(parts)


def _language(cell: _Cell, tag: str) -> None:
    """Every run of the cell, and every paragraph mark, in the proofing language `tag`."""
    targets = []
    for run in cell._tc.iter(qn("w:r")):
        targets.append(run.get_or_add_rPr())
    for paragraph in cell._tc.iter(qn("w:p")):
        p_pr = paragraph.get_or_add_pPr()
        r_pr = p_pr.find(qn("w:rPr"))
        if r_pr is None:
            r_pr = OxmlElement("w:rPr")
            p_pr.append(r_pr)  # before any w:sectPr/w:pPrChange: a cell holds neither
        targets.append(r_pr)
    for r_pr in targets:
        lang = r_pr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            r_pr.append(lang)
        lang.set(qn("w:val"), tag)
        _schema_order(r_pr)


def _fill(writer: _MarkdownWriter, cell: _Cell, kind: str, source: str) -> None:
    """One block of one version, as the DOCX writer converts Markdown."""
    if kind in HEADINGS or kind == "marking":
        paragraph = cell.paragraphs[0]
        fmt = _Format(bold=True, italic=kind == "heading") if kind in HEADINGS else PLAIN
        _markdown_inline(paragraph, source, fmt)
    else:
        writer.blocks(_tree(source).children, cell)
        first = cell._tc.find(qn("w:p"))
        if first is not None and first.getnext() is not None \
                and first.getnext().tag == qn("w:tbl") and not first.findall(qn("w:r")):
            cell._tc.remove(first)  # the cell's empty first paragraph above a table
    size = SIZES.get(kind)
    for paragraph in cell.paragraphs:
        paragraph.paragraph_format.space_after = Pt(3)
        if kind == "point":
            paragraph.paragraph_format.left_indent = Pt(12)  # under its paragraph
        if kind in HEADINGS:
            paragraph.paragraph_format.keep_with_next = True  # Word keeps the row with the next
        if size:
            for run in paragraph.runs:
                run.font.size = Pt(size)
    if size:
        for table in cell.tables:
            for row in table.rows:
                for inner in row.cells:
                    for paragraph in inner.paragraphs:
                        for run in paragraph.runs:
                            run.font.size = Pt(size)


def _may_split(row: Row) -> bool:
    return row.kind == "annex-table" or max(len(c) for c in row.cells) > SHORT_ROW


def _allow_split(table_row: _Row) -> None:
    tr_pr = table_row._tr.trPr
    if tr_pr is not None:
        for mark in tr_pr.findall(qn("w:cantSplit")):
            tr_pr.remove(mark)


def write_parallel_docx(drafts: list[Draft], attribution: bool = True) -> bytes:
    """The side-by-side edition as a .docx package; the same drafts give the same bytes.
    LinkwrightError (from `aligned`) when the versions do not share one structure."""
    rows = aligned(drafts, attribution)
    first = drafts[0]
    preface = first.preface
    document = _new_document()
    section = document.sections[0]
    _page(section, landscape=len(drafts) >= LANDSCAPE_FROM)
    round_line = _round_line(first)
    _Running(preface.marking, preface.short_title, round_line).apply(section)
    _properties(document, preface.title, SUBJECT, _stamp(preface.round_date), preface.kind,
                round_line.replace(" · ", ", "))
    _house_headings(document)
    _proofing_language(document, preface.language)
    # Columns are narrow: a smaller body text keeps a three-language eu-ch near the PDF's
    # 25 pages rather than Word's 41 at 11 points.
    document.styles["Normal"].font.size = Pt(9.5 if len(drafts) >= LANDSCAPE_FROM else 10)
    tags = [d.preface.language or d.language for d in drafts]
    widths = _widths(_text_width(section).cm, {}, len(drafts))
    grid = _grid(document, 1 + len(rows), len(drafts), widths)  # header repeated, rows kept
    for cell, draft, tag in zip(grid.rows[0].cells, drafts, tags, strict=True):
        _cell_text(cell, language_name(draft.language, draft.language), BOLD)
        _language(cell, tag)
    writer = _MarkdownWriter(document)
    for table_row, row in zip(grid.rows[1:], rows, strict=True):
        if _may_split(row):
            _allow_split(table_row)
        for cell, source, tag in zip(table_row.cells, row.cells, tags, strict=True):
            _fill(writer, cell, row.kind, source)
            _language(cell, tag)
    document.add_paragraph()  # Word ends a document with a paragraph, never a table
    return _bytes(document)
