"""The DOCX writer: a draft the legal teams can keep working on in Word.

Lawyers take the round's text into Word, so this writer builds a document
that behaves like one they would have typed: Word heading styles (so the
navigation pane and a table of contents work), articles numbered as text
(so paragraph numbers survive copy and paste between drafts, as "Article
12(1)" references assume), real tables for the status of the text and
Annex I, and who supports which bracketed option or disputed value as Word
comments, where a delegation expects to read and answer them. It walks the
`Draft` model with python-docx, in the order the Markdown writer uses, and
never a template. Clause text (`Markdown`) is parsed with markdown-it-py and
becomes formatted runs; plain strings become literal runs; either way every
string is written as run text, with the characters XML cannot hold
removed, so nothing a delegation typed is interpreted. The same draft gives
the same bytes: core properties are dated by the round and the zip entries
carry a fixed timestamp.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Length, Pt
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from negotiation.drafting.model import (
    Annex,
    Article,
    Draft,
    Markdown,
    Option,
    Paragraph,
    Supporter,
    Table,
    UnconfirmedValue,
    ValueNote,
)
from negotiation.templating import join_words

AUTHOR = "Linkwright"
"""Author of the comments and of the document's core properties."""

MONO = "Courier New"
INDENT = 1.0  # cm: one level of hanging indent ("1." and "(a)")
BAR = "█"
BAR_WIDTH = 20  # characters of the longest bar in a chart table
FIXED_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
"""Core-property date of a document that has no round date."""
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BREAKS = re.compile("[\t\n\r]")
_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
          "right": WD_ALIGN_PARAGRAPH.RIGHT}

Container = DocxDocument | _Cell


def xml_text(text: str) -> str:
    """`text` without the characters an XML 1.0 document cannot hold."""
    return _NOT_XML.sub("", text)


@cache
def _parser() -> MarkdownIt:
    # html off: a tag in clause text is text, never markup.
    return MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def _tree(source: str) -> SyntaxTreeNode:
    # Strip first: markdown-it would turn NUL into U+FFFD.
    return SyntaxTreeNode(_parser().parse(xml_text(source)))


# -- runs --------------------------------------------------------------------


@dataclass(frozen=True)
class _Format:
    bold: bool = False
    italic: bool = False
    strike: bool = False
    mono: bool = False


PLAIN = _Format()
BOLD = _Format(bold=True)


def add_text(paragraph: DocxParagraph, text: str, fmt: _Format = PLAIN) -> Run | None:
    """One run of literal text (nothing in `text` is interpreted)."""
    text = xml_text(text)
    if not text:
        return None
    run = paragraph.add_run()
    if _BREAKS.search(text):
        run.text = text  # python-docx turns tabs and newlines into w:tab and w:br
    else:
        run._r.add_t(text)  # one w:t at once (the setter appends char by char)
    if fmt.bold:
        run.bold = True
    if fmt.italic:
        run.italic = True
    if fmt.strike:
        run.font.strike = True
    if fmt.mono:
        run.font.name = MONO
    return run


def _inline(paragraph: DocxParagraph, node: SyntaxTreeNode, fmt: _Format = PLAIN) -> list[Run]:
    """The runs of a Markdown inline node: emphasis, strong, code, breaks."""
    runs: list[Run | None] = []
    for child in node.children:
        kind = child.type
        if kind in ("text", "text_special", "html_inline"):
            runs.append(add_text(paragraph, child.content, fmt))
        elif kind == "softbreak":
            runs.append(add_text(paragraph, " ", fmt))
        elif kind == "hardbreak":
            run = paragraph.add_run()
            run.add_break()
            runs.append(run)
        elif kind == "code_inline":
            runs.append(add_text(paragraph, child.content, replace(fmt, mono=True)))
        elif kind == "em":
            runs += _inline(paragraph, child, replace(fmt, italic=True))
        elif kind == "strong":
            runs += _inline(paragraph, child, replace(fmt, bold=True))
        elif kind == "s":
            runs += _inline(paragraph, child, replace(fmt, strike=True))
        elif kind == "link":
            label = _inline(paragraph, child, fmt)
            runs += label
            href = str(child.attrs.get("href", ""))
            if href and href != "".join(r.text for r in label):
                runs.append(add_text(paragraph, f" ({href})", fmt))
        elif child.children:
            runs += _inline(paragraph, child, fmt)
        else:
            runs.append(add_text(paragraph, child.content, fmt))
    return [r for r in runs if r is not None]


def _inline_of(node: SyntaxTreeNode) -> SyntaxTreeNode | None:
    return next((c for c in node.children if c.type == "inline"), None)


def _markdown_inline(paragraph: DocxParagraph, source: str, fmt: _Format = PLAIN) -> list[Run]:
    """Markdown squeezed into one paragraph: blocks joined by a space."""
    runs: list[Run] = []
    for block in _tree(source).children:
        if runs:
            space = add_text(paragraph, " ", fmt)
            runs += [space] if space else []
        runs += _flatten(paragraph, block, fmt)
    return runs


def _flatten(paragraph: DocxParagraph, block: SyntaxTreeNode, fmt: _Format) -> list[Run]:
    if block.type == "inline":
        return _inline(paragraph, block, fmt)
    if block.type in ("fence", "code_block"):
        run = add_text(paragraph, block.content.strip("\n"), replace(fmt, mono=True))
        return [run] if run else []
    runs: list[Run] = []
    for child in block.children:
        part = _flatten(paragraph, child, fmt)
        if runs and part:
            space = add_text(paragraph, " ", fmt)
            runs += [space] if space else []
        runs += part
    return runs


def text_runs(paragraph: DocxParagraph, value: Markdown | str, fmt: _Format = PLAIN) -> list[Run]:
    """Clause text parsed as Markdown; a plain string written literally."""
    if isinstance(value, Markdown):
        return _markdown_inline(paragraph, value.source, fmt)
    run = add_text(paragraph, value, fmt)
    return [run] if run else []


# -- paragraphs, indents, tables ------------------------------------------------


def _style_ids(document: DocxDocument) -> dict[str, str]:
    """Style name -> id, looked up once (python-docx's lookup by name is slow)."""
    return {style.name: style.style_id for style in document.styles if style.name}


def _paragraph(container: Container, style_id: str | None = None) -> DocxParagraph:
    """A new paragraph at the end of `container` (a cell's first, empty one is reused)."""
    if isinstance(container, _Cell) and len(container.paragraphs) == 1 \
            and not container.paragraphs[0].runs:
        paragraph = container.paragraphs[0]
    else:
        paragraph = container.add_paragraph()
    if style_id:
        paragraph._p.style = style_id
    return paragraph


def _indented(paragraph: DocxParagraph, level: float, label: str | None = None) -> None:
    """Indent by `level` steps; with a label ("1.", "(a)"), hang it in the margin."""
    fmt = paragraph.paragraph_format
    fmt.left_indent = Cm(INDENT * level)
    if label is not None:
        fmt.first_line_indent = Cm(-INDENT)
        fmt.tab_stops.add_tab_stop(Cm(INDENT * level))
        add_text(paragraph, f"{label}\t")


BODY_STYLES: dict[str, tuple[float, bool, bool]] = {
    # name: (left indent in steps, label hangs, italic)
    "Numbered Paragraph": (1, True, False),  # "1.\t…"
    "Lettered Point": (2, True, False),  # "(a)\t…"
    "Indented Text": (1, False, False),  # a further block of a paragraph
    "Bracket Note": (1, False, True),  # who supports which option or value
    "Recital": (0, False, False),
}
"""Paragraph styles of the instrument's body, so a legal team can restyle every
numbered paragraph (or every note) at once instead of paragraph by paragraph."""


def _add_body_styles(document: DocxDocument) -> None:
    styles = document.styles
    for name, (level, hanging, italic) in BODY_STYLES.items():
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        style.quick_style = True
        fmt = style.paragraph_format
        if level:
            fmt.left_indent = Cm(INDENT * level)
        if hanging:
            fmt.first_line_indent = Cm(-INDENT)
            fmt.tab_stops.add_tab_stop(Cm(INDENT * level))
        if italic:
            style.font.italic = True


def _repeat_header(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _cant_split(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def _grid(container: Container, rows: int, columns: int,
          widths: Sequence[float] | None) -> DocxTable:
    """A "Table Grid" table whose first row is a bold header repeated on each page."""
    table = container.add_table(rows=rows, cols=columns)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row in table.rows:  # cantSplit before tblHeader: the schema's order
        _cant_split(row)
    _repeat_header(table.rows[0])
    if widths:
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Cm(width)
            for cell in column.cells:
                cell.width = Cm(width)
    return table


def _cell_text(cell: _Cell, text: str, fmt: _Format = PLAIN, size: float | None = None) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    run = add_text(paragraph, text, fmt)
    if run is not None and size:
        run.font.size = Pt(size)


def plain_table(container: Container, table: Table, widths: Sequence[float] | None = None,
                size: float | None = 9) -> DocxTable:
    """A model `Table` (plain strings) as a Word table with a bold, repeated header row."""
    grid = _grid(container, 1 + len(table.rows), len(table.headers), widths)
    for index, (row, values) in enumerate(zip(grid.rows, [table.headers, *table.rows],
                                              strict=True)):
        for cell, value in zip(row.cells, values, strict=True):
            _cell_text(cell, value, PLAIN if index else BOLD, size)
    return grid


def _widths(total: float, fixed: dict[int, float], columns: int) -> list[float]:
    """Column widths in cm: the `fixed` ones, the rest sharing what is left."""
    free = [i for i in range(columns) if i not in fixed]
    rest = max(total - sum(fixed.values()), 1.5 * len(free))
    share = rest / len(free) if free else 0
    return [fixed.get(i, share) for i in range(columns)]


# -- page layout -----------------------------------------------------------------


def _page(section: Section, landscape: bool = False) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    width, height = (Cm(29.7), Cm(21.0)) if landscape else (Cm(21.0), Cm(29.7))
    section.page_width, section.page_height = width, height
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.5))


def _text_width(section: Section) -> Length:
    return Length(section.page_width - section.left_margin - section.right_margin)


def _field(paragraph: DocxParagraph, instruction: str, shown: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word updates when it lays out the pages."""
    def char(kind: str) -> None:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        paragraph.add_run()._r.append(element)

    char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    char("separate")
    paragraph.add_run(shown)
    char("end")


def _header_footer(section: Section, marking: str, short_title: str, round_line: str) -> None:
    """Marking and short title above every page; round and page number below."""
    right = _text_width(section)
    section.header.is_linked_to_previous = False
    header = section.header.paragraphs[0]
    header.paragraph_format.tab_stops.add_tab_stop(right, WD_TAB_ALIGNMENT.RIGHT)
    add_text(header, marking, BOLD)
    add_text(header, "\t")
    add_text(header, short_title)
    section.footer.is_linked_to_previous = False
    footer = section.footer.paragraphs[0]
    footer.paragraph_format.tab_stops.add_tab_stop(right, WD_TAB_ALIGNMENT.RIGHT)
    add_text(footer, f"{round_line}\tPage ")
    _field(footer, "PAGE", "1")
    add_text(footer, " of ")
    _field(footer, "NUMPAGES", "1")


@dataclass(frozen=True)
class _Running:
    """What every page's header and footer carry."""

    marking: str
    short_title: str
    round_line: str

    def apply(self, section: Section) -> None:
        _header_footer(section, self.marking, self.short_title, self.round_line)


def _new_document() -> DocxDocument:
    document = Document()
    package_rels = document.part.package.rels
    for key, rel in list(package_rels.items()):  # the template's thumbnail of another text
        if rel.reltype == RT.THUMBNAIL:
            package_rels.pop(key)
    styles = document.styles
    for name in ("Header", "Footer"):  # the template's Letter-size tab stops
        styles[name].paragraph_format.tab_stops.clear_all()
    normal = styles["Normal"].paragraph_format
    normal.space_after = Pt(6)
    _page(document.sections[0])
    return document


def _new_section(document: DocxDocument, running: _Running, landscape: bool) -> None:
    section = document.add_section(WD_SECTION.NEW_PAGE)
    _page(section, landscape)
    running.apply(section)


def _stamp(when: dt.date | None) -> dt.datetime:
    """The document's date: the round's, or a fixed one; never "now"."""
    return dt.datetime(when.year, when.month, when.day, tzinfo=dt.UTC) if when else FIXED_DATE


def _fit(text: str, limit: int = 255) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _properties(document: DocxDocument, title: str, subject: str, stamp: dt.datetime,
                category: str = "") -> None:
    """Core properties from the draft only: no "today", no python-docx defaults."""
    props = document.core_properties
    # Word's core properties hold at most 255 characters; the full text is in the body.
    props.title = _fit(xml_text(title))
    props.subject = _fit(xml_text(subject))
    props.category = _fit(xml_text(category))
    props.author = AUTHOR
    props.last_modified_by = AUTHOR
    props.comments = ""
    props.keywords = ""
    props.revision = 1
    props.created = stamp
    props.modified = stamp


def _bytes(document: DocxDocument) -> bytes:
    """The saved package with fixed zip timestamps, so equal drafts give equal bytes."""
    raw = io.BytesIO()
    document.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def _long_date(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


# -- the instrument -----------------------------------------------------------------


def _comment(document: DocxDocument, runs: Sequence[Run], text: str,
             stamp: dt.datetime) -> None:
    """A Word comment by Linkwright on `runs`, dated by the round (python-docx says now)."""
    if runs:
        comment = document.add_comment(list(runs), text=xml_text(text), author=AUTHOR,
                                       initials="LW")
        comment._comment_elm.date = stamp


def supporters_comment(supporters: Sequence[Supporter]) -> str:
    """ "Supported by California" / "Proposed by Québec (own text)"."""
    names = join_words([s.party for s in supporters])
    if any(s.proposed for s in supporters):
        return f"Proposed by {names} (own text)"
    return f"Supported by {names}"


def _supporters_note(options: Sequence[Option]) -> str:
    parts = []
    for option in options:
        verb = "proposed by" if any(s.proposed for s in option.supporters) else "supported by"
        parts.append(f"Option {option.number} {verb} "
                     f"{join_words([s.party for s in option.supporters])}")
    return "; ".join(parts) + "."


def _values_note(note: ValueNote) -> str:
    return f"{note.parameter}: " + ", ".join(
        f"[{shown}] {join_words(list(who))}" for shown, who in note.values)


def _values_comment(note: ValueNote) -> str:
    return f"{note.parameter}: " + "; ".join(
        f"{shown} supported by {join_words(list(who))}" for shown, who in note.values)


def _unconfirmed_comment(note: UnconfirmedValue) -> str:
    return f"Not yet agreed: {note.describe()}"


def _split_run(run: Run, start: int, end: int) -> tuple[Run, list[Run]]:
    """Cut `run` so that text[start:end] is a run of its own (same formatting): that
    run, and all the runs that remain of `run`, in order."""
    text = run.text
    middle = copy.deepcopy(run._r)
    after = copy.deepcopy(run._r)
    run._r.addnext(middle)
    middle.addnext(after)
    middle_run = Run(middle, run._parent)
    middle_run.text = text[start:end]
    after_run = Run(after, run._parent)
    after_run.text = text[end:]
    run.text = text[:start]
    for part in (run, after_run):
        if not part.text:
            part._r.getparent().remove(part._r)
    return middle_run, [part for part in (run, middle_run, after_run) if part.text]


def _find_alone(text: str, target: str) -> int:
    """Where `target` ("[6]") stands as a whole group of brackets in `text`, not inside
    a run of disputed values ("[12][6]"); -1 if nowhere."""
    at = text.find(target) if target else -1
    while at >= 0 and (text[at - 1:at] == "]" or text[at + len(target):].startswith("[")):
        at = text.find(target, at + 1)
    return at


def _anchor(runs: list[Run], target: str) -> list[Run]:
    """The run holding `target` ("[12][6]"), split out; all of `runs` if not found.
    `runs` is updated in place, so that the next note finds its own brackets."""
    for index, run in enumerate(runs):
        at = _find_alone(run.text, target)
        if at >= 0:
            middle, pieces = _split_run(run, at, at + len(target))
            runs[index:index + 1] = pieces
            return [middle]
    return runs


class _InstrumentWriter:
    """Walks a `Draft` in the Markdown writer's order, building the document."""

    def __init__(self, draft: Draft) -> None:
        self.draft = draft
        self.document = _new_document()
        preface = draft.preface
        round_parts = []
        if preface.round_number is not None:
            round_parts.append(f"Round {preface.round_number}")
        if preface.round_date:
            round_parts.append(_long_date(preface.round_date))
        self.round_line = " · ".join(round_parts)
        self.running = _Running(preface.marking, preface.short_title, self.round_line)
        self.stamp = _stamp(preface.round_date)
        _add_body_styles(self.document)
        self.ids = _style_ids(self.document)

    def write(self) -> bytes:
        draft, document = self.draft, self.document
        self.running.apply(document.sections[0])
        _properties(document, draft.preface.title, self.subtitle(), self.stamp, draft.form)
        add_text(_paragraph(document, self.ids["Title"]), draft.preface.title)
        line = self.subtitle() + (f" · {self.round_line}" if self.round_line else "")
        add_text(_paragraph(document, self.ids["Subtitle"]), line)
        if draft.status:
            self.status()
        self.preamble()
        for article in draft.body:
            self.article(article, 1, "Article")
        self.conclusions()
        for annex in draft.attachments:
            self.annex(annex)
        return _bytes(document)

    def subtitle(self) -> str:
        return self.draft.preface.subtitle

    def heading(self, text: str, level: int) -> DocxParagraph:
        paragraph = _paragraph(self.document, self.ids[f"Heading {level}"])
        add_text(paragraph, text)
        return paragraph

    def status(self) -> None:
        self.heading("Status of the text", 1)
        rows = self.draft.status
        widths = _widths(16.0, {0: 2.6, 2: 1.8, 3: 4.6}, 4)
        grid = _grid(self.document, 1 + len(rows), 4, widths)
        for cell, text in zip(grid.rows[0].cells, ("Reference", "Provision", "Status", "Detail"),
                              strict=True):
            _cell_text(cell, text, BOLD, 9)
        for row, status in zip(grid.rows[1:], rows, strict=True):
            cells = row.cells
            _cell_text(cells[0], status.reference, size=9)
            _cell_text(cells[1], f"{status.title} (", size=9)
            _cell_text(cells[1], status.provision, _Format(mono=True), 8)
            _cell_text(cells[1], ")", size=9)
            _cell_text(cells[2], status.status, BOLD if status.status == "open" else PLAIN, 9)
            _cell_text(cells[3], status.detail, size=9)

    def preamble(self) -> None:
        draft = self.draft
        self.heading("Preamble", 1)
        add_text(self.document.add_paragraph(), draft.preamble_intro)
        for recital in draft.recitals:
            text_runs(_paragraph(self.document, self.ids["Recital"]), recital)
        add_text(self.document.add_paragraph(), draft.enacting_formula)

    def article(self, article: Article, level: int, word: str) -> None:
        self.heading(f"{word} {article.number} — {article.heading}", level)
        for paragraph in article.paragraphs:
            self.numbered(paragraph)

    def numbered(self, value: Paragraph) -> None:
        """ "1." hanging in the margin, then the text, options or note."""
        document = self.document
        paragraph = self.body_paragraph(1, f"{value.number}.")
        if value.status in ("agreed", "disputed"):
            runs = self.clause(paragraph, value.text, 1) if value.text else []
            for note in value.value_notes:
                target = "".join(f"[{shown}]" for shown, _ in note.values)
                _comment(document, _anchor(runs, target), _values_comment(note), self.stamp)
            for pending in value.unconfirmed:
                _comment(document, _anchor(runs, pending.bracket),
                         _unconfirmed_comment(pending), self.stamp)
        elif value.status == "options":
            for index, option in enumerate(value.options):
                if index:
                    add_text(paragraph, " ")
                runs = [add_text(paragraph, f"[Option {option.number}: ")]
                runs += text_runs(paragraph, option.text)
                runs.append(add_text(paragraph, "]"))
                _comment(document, [r for r in runs if r is not None],
                         supporters_comment(option.supporters), self.stamp)
            self.note(_supporters_note(value.options))
        else:
            add_text(paragraph, value.note)
        if value.value_notes:
            self.note("Disputed values — "
                      + "; ".join(_values_note(n) for n in value.value_notes) + ".")
        if value.unconfirmed:
            self.note("Not yet agreed — "
                      + "; ".join(n.describe() for n in value.unconfirmed) + ".")
        for letter, point in value.points:
            self.clause(self.body_paragraph(2, f"({letter})"), point, 2)

    def body_paragraph(self, level: int, label: str | None = None) -> DocxParagraph:
        """A paragraph `level` steps in; a label ("1.", "(a)") hangs in the margin."""
        paragraph = self.document.add_paragraph()
        style = {(1, True): "Numbered Paragraph", (2, True): "Lettered Point",
                 (1, False): "Indented Text"}.get((level, label is not None))
        if style is None:  # deeper than any article needs: direct formatting
            _indented(paragraph, level, label)
            return paragraph
        paragraph._p.style = self.ids[style]
        if label is not None:
            add_text(paragraph, f"{label}\t")
        return paragraph

    def clause(self, paragraph: DocxParagraph, value: Markdown | str, level: int) -> list[Run]:
        """Clause text: its first paragraph in `paragraph`, further blocks indented below."""
        if not isinstance(value, Markdown):
            return text_runs(paragraph, value)
        runs: list[Run] = []
        for index, block in enumerate(_tree(value.source).children):
            inline = _inline_of(block) if block.type == "paragraph" else None
            if index == 0 and inline is not None:
                runs += _inline(paragraph, inline)
            else:
                runs += self.clause_block(block, level)
        return runs

    def clause_block(self, block: SyntaxTreeNode, level: int) -> list[Run]:
        """A further block of clause text; list items hang their own marker."""
        if block.type in ("bullet_list", "ordered_list"):
            runs: list[Run] = []
            ordered = block.type == "ordered_list"
            start = int(block.attrs.get("start", 1)) if ordered else 1
            for number, item in enumerate(block.children, start=start):
                paragraph = self.body_paragraph(level + 1, f"{number}." if ordered else "–")
                for index, child in enumerate(item.children):
                    inline = _inline_of(child) if child.type == "paragraph" else None
                    if index == 0 and inline is not None:
                        runs += _inline(paragraph, inline)
                    else:
                        runs += self.clause_block(child, level + 1)
            return runs
        return _flatten(self.body_paragraph(level), block, PLAIN)

    def note(self, text: str) -> None:
        add_text(_paragraph(self.document, self.ids["Bracket Note"]), text)

    def conclusions(self) -> None:
        draft = self.draft
        self.heading(draft.conclusions_heading, 1)
        add_text(self.document.add_paragraph(), draft.conclusions_intro)
        for signature in draft.signatures:
            paragraph = self.document.add_paragraph()
            paragraph.paragraph_format.space_before = Pt(18)
            paragraph.paragraph_format.keep_with_next = True
            add_text(paragraph, f"{signature.party}:")
            line = self.document.add_paragraph()
            line.paragraph_format.space_before = Pt(24)
            add_text(line, "______________________")

    def annex(self, annex: Annex) -> None:
        _new_section(self.document, self.running, landscape=annex.table is not None)
        self.heading(f"Annex {annex.number} — {annex.title}", 1)
        if annex.intro:
            add_text(self.document.add_paragraph(), annex.intro)
        if annex.table is not None:
            columns = len(annex.table.headers)
            width = _text_width(self.document.sections[-1]).cm
            widths = _widths(width, {0: 4.5, columns - 1: 7.5}, columns)
            plain_table(self.document, annex.table, widths)
        for section in annex.sections:
            self.article(section, 2, "Section")


def write_docx(draft: Draft) -> bytes:
    """The draft as a .docx package; the same draft always gives the same bytes."""
    return _InstrumentWriter(draft).write()


# -- a whole Markdown document (the negotiator's brief) ---------------------------------


@dataclass(frozen=True)
class Chart:
    """A bar chart from a ```chart block: shown as a table of bars."""

    title: str
    unit: str
    bars: tuple[tuple[str, float], ...]


def parse_chart(source: str) -> Chart | None:
    """The chart a ```chart block describes, or None if it is not one."""
    try:
        data = json.loads(source)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("bars"), list):
        return None
    bars = []
    for bar in data["bars"]:
        if not isinstance(bar, dict):
            return None
        value = bar.get("value")
        if isinstance(value, bool) or not isinstance(value, (int, float)) \
                or not math.isfinite(value):
            return None
        bars.append((str(bar.get("label", "")), float(value)))
    return Chart(str(data.get("title", "")), str(data.get("unit", "")), tuple(bars))


def _number(value: float) -> str:
    if value.is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def bar(value: float, largest: float) -> str:
    """`BAR_WIDTH` blocks for the largest absolute value; at least one for any non-zero."""
    if largest <= 0 or value == 0:
        return ""
    length = max(1, round(abs(value) / largest * BAR_WIDTH))
    return ("−" if value < 0 else "") + BAR * length


class _MarkdownWriter:
    """Block-level Markdown into a document: headings, lists, tables, charts, code."""

    def __init__(self, document: DocxDocument) -> None:
        self.document = document
        self.ids = _style_ids(document)

    def blocks(self, nodes: Iterable[SyntaxTreeNode], container: Container,
               depth: int = 0) -> None:
        for node in nodes:
            self.block(node, container, depth)

    def block(self, node: SyntaxTreeNode, container: Container, depth: int) -> None:
        kind = node.type
        if kind == "heading":
            level = min(int(node.tag[1:]), 6)
            self.inline(_paragraph(container, self.ids[f"Heading {level}"]), node)
        elif kind == "paragraph":
            paragraph = _paragraph(container)
            if depth:
                _indented(paragraph, depth)
            self.inline(paragraph, node)
        elif kind in ("bullet_list", "ordered_list"):
            self.list(node, container, depth)
        elif kind == "table":
            self.table(node, container)
        elif kind == "fence" and node.info.strip() == "chart" \
                and (chart := parse_chart(node.content)) is not None:
            self.chart(chart, container)
        elif kind in ("fence", "code_block"):
            self.code(node.content, container, depth)
        elif kind == "blockquote":
            for child in node.children:
                if child.type == "paragraph":
                    self.inline(_paragraph(container, self.ids["Quote"]), child)
                else:
                    self.block(child, container, depth + 1)
        elif kind == "hr":
            return
        elif node.children:
            self.blocks(node.children, container, depth)
        elif node.content:
            add_text(_paragraph(container), node.content)

    def inline(self, paragraph: DocxParagraph, node: SyntaxTreeNode) -> None:
        inline = _inline_of(node)
        if inline is not None:
            _inline(paragraph, inline)

    def list(self, node: SyntaxTreeNode, container: Container, depth: int) -> None:
        ordered = node.type == "ordered_list"
        level = min(depth + 1, 3)
        style = ("List Number" if ordered else "List Bullet") + (f" {level}" if level > 1 else "")
        number = self._restart(style, int(node.attrs.get("start", 1))) if ordered else None
        for item in node.children:
            first = True
            for child in item.children:
                if child.type == "paragraph":
                    name = style if first else "List Continue" + (f" {level}" if level > 1
                                                                  else "")
                    paragraph = _paragraph(container, self.ids[name])
                    if first and number is not None:
                        _number_with(paragraph, number)
                    self.inline(paragraph, child)
                    first = False
                else:
                    self.block(child, container, depth + 1)

    def _restart(self, style: str, start: int) -> int | None:
        """A fresh numbering instance for one ordered list, so each starts at `start`."""
        num_pr = self.document.styles[style].element.pPr
        num_pr = num_pr.numPr if num_pr is not None else None
        if num_pr is None or num_pr.numId is None:
            return None
        numbering = self.document.part.numbering_part.element
        abstract = numbering.num_having_numId(num_pr.numId.val).abstractNumId.val
        num = numbering.add_num(abstract)
        num.add_lvlOverride(ilvl=0).add_startOverride(start)
        return int(num.numId)

    def table(self, node: SyntaxTreeNode, container: Container) -> None:
        rows = [tr for part in node.children for tr in part.children]
        if not rows:
            return
        columns = max(len(tr.children) for tr in rows)
        grid = _grid(container, len(rows), columns, None)
        for row, tr in zip(grid.rows, rows, strict=True):
            header = tr.parent is not None and tr.parent.type == "thead"
            for cell, td in zip(row.cells, tr.children, strict=False):
                paragraph = cell.paragraphs[0]
                paragraph.paragraph_format.space_after = Pt(0)
                align = str(td.attrs.get("style", "")).removeprefix("text-align:")
                if align in _ALIGN:
                    paragraph.alignment = _ALIGN[align]
                inline = _inline_of(td)
                if inline is not None:
                    _inline(paragraph, inline, BOLD if header else PLAIN)

    def chart(self, chart: Chart, container: Container) -> None:
        if chart.title:
            add_text(_paragraph(container, self.ids["Caption"]), chart.title)
        largest = max((abs(v) for _, v in chart.bars), default=0.0)
        value_header = f"Value ({chart.unit})" if chart.unit else "Value"
        grid = _grid(container, 1 + len(chart.bars), 3, (5.0, 3.0, 8.0))
        for cell, text in zip(grid.rows[0].cells, ("", value_header, ""), strict=True):
            _cell_text(cell, text, BOLD)
        for row, (label, value) in zip(grid.rows[1:], chart.bars, strict=True):
            cells = row.cells
            _cell_text(cells[0], label)
            _cell_text(cells[1], _number(value))
            cells[1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _cell_text(cells[2], bar(value, largest))

    def code(self, content: str, container: Container, depth: int) -> None:
        lines = content.rstrip("\n").split("\n")
        for index, line in enumerate(lines, start=1):
            paragraph = _paragraph(container)
            paragraph.paragraph_format.space_after = Pt(6 if index == len(lines) else 0)
            _indented(paragraph, depth + 0.5)
            add_text(paragraph, line, _Format(mono=True))


def _number_with(paragraph: DocxParagraph, num_id: int) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = num_id


def _heading_text(node: SyntaxTreeNode) -> str:
    inline = _inline_of(node)
    return "".join(c.content for c in inline.walk() if c.type in ("text", "code_inline")) \
        if inline is not None else ""


def markdown_document_docx(markdown: str, title: str, short_title: str, marking: str) -> bytes:
    """A whole Markdown document (the negotiator's brief) as a .docx package.

    `title` opens the document in the Title style; a leading level-1 heading
    that repeats it is not written twice. Headings # to #### use Heading 1
    to 4, lists the List Bullet and List Number styles, tables and ```chart
    blocks become Word tables; other fenced blocks are monospace.
    """
    document = _new_document()
    _Running(marking, short_title, "").apply(document.sections[0])
    _properties(document, title, marking, FIXED_DATE)
    add_text(document.add_paragraph(style="Title"), title)
    nodes = list(_tree(markdown).children)
    if nodes and nodes[0].type == "heading" and nodes[0].tag == "h1" \
            and _heading_text(nodes[0]).strip() == xml_text(title).strip():
        nodes = nodes[1:]
    _MarkdownWriter(document).blocks(nodes, document)
    return _bytes(document)
