"""The DOCX writer: a draft the legal teams can keep working on in Word.

Lawyers take the round's text into Word, so this writer builds a document
that behaves like one they would have typed: Word heading styles (so the
navigation pane and a table of contents work), articles numbered as text
(so paragraph numbers survive copy and paste between drafts, as "Article
12(1)" references assume), a real table for Annex I, and who supports which
bracketed option or disputed value as Word comments, where a delegation
expects to read and answer them. It walks the `Draft` model with
python-docx, in the order the Markdown writer uses, and never a template.
Clause text (`Markdown`) is parsed with markdown-it-py and becomes formatted
runs; plain strings become literal runs; either way every
string is written as run text, with the characters XML cannot hold
removed, so nothing a delegation typed is interpreted. The same draft gives
the same bytes: core properties are dated by the round and the zip entries
carry a fixed timestamp.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
import json
import math
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
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
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
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
    Reference,
    Supporter,
    Table,
    UnconfirmedValue,
    ValueNote,
)
from negotiation.drafting.phrases import (
    Phrases,
    supporters_words,
    unconfirmed_words,
    value_note_words,
)
from negotiation.templating import join_words, long_date

AUTHOR = "Linkwright"
"""Author of the comments and of the document's core properties: never a person, whose
name would travel with the file to the other side."""
SUBJECT = "Linking of emissions trading systems"

MONO = "Courier New"
INDENT = 1.0  # cm: one level of hanging indent ("1." and "(a)")
BAR = "█"
BAR_WIDTH = 20  # characters of the longest bar in a chart table
FIXED_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
"""Core-property date of a document that has no round date."""
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"

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
    "Numbered Paragraph": (1, True, False),  # "1." from Word's list numbering
    "Article Text": (0, False, False),  # an article's lone paragraph: no number
    "Lettered Point": (2, True, False),  # "(a)" from Word's list numbering
    "Indented Text": (1, False, False),  # a further block of a paragraph
    "Bracket Note": (1, False, True),  # which values are not yet agreed
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


def _run_element(properties: Any = None) -> Any:
    """An empty w:r, formatted like `properties` (a w:rPr) if given."""
    run = OxmlElement("w:r")
    if properties is not None:
        run.append(copy.deepcopy(properties))
    return run


def _field_elements(instruction: str, shown: str, properties: Any = None) -> list[Any]:
    """The runs of a Word field: its instruction, and `shown` as the result Word displays
    until it updates the field (so the text reads right before anyone presses F9)."""
    def char(kind: str) -> Any:
        run = _run_element(properties)
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run.append(element)
        return run

    code = _run_element(properties)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    code.append(instr)
    result = _run_element(properties)
    result.add_t(xml_text(shown))
    return [char("begin"), code, char("separate"), result, char("end")]


def _field(paragraph: DocxParagraph, instruction: str, shown: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word updates when it lays out the pages."""
    for element in _field_elements(instruction, shown):
        paragraph._p.append(element)


def _header_footer(section: Section, marking: str, short_title: str, round_line: str,
                   pages: tuple[str, str] = ("Page", "of")) -> None:
    """Marking and short title above every page; round and page number below ("Page 2
    of 9", or `pages` in the version's language: "Seite 2 von 9")."""
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
    add_text(footer, f"{round_line}\t{pages[0]} ")
    _field(footer, "PAGE", "1")
    add_text(footer, f" {pages[1]} ")
    _field(footer, "NUMPAGES", "1")


@dataclass(frozen=True)
class _Running:
    """What every page's header and footer carry."""

    marking: str
    short_title: str
    round_line: str
    pages: tuple[str, str] = ("Page", "of")

    def apply(self, section: Section) -> None:
        _header_footer(section, self.marking, self.short_title, self.round_line, self.pages)


def _new_document() -> DocxDocument:
    document = Document()
    package_rels = document.part.package.rels
    for key, rel in list(package_rels.items()):  # the template's thumbnail of another text
        if rel.reltype == RT.THUMBNAIL:
            package_rels.pop(key)
    document_rels = document.part.rels
    for key, rel in list(document_rels.items()):  # Word 2010's copy of the blue styles
        if rel.reltype == STYLES_WITH_EFFECTS:
            document_rels.pop(key)
    settings = document.settings.element
    for mark in settings.findall(qn("w:proofState")):  # "spelling: clean" is not true of us
        settings.remove(mark)
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
                category: str = "", keywords: str = "") -> None:
    """Core properties from the draft only: no "today", no person, no python-docx defaults."""
    props = document.core_properties
    # Word's core properties hold at most 255 characters; the full text is in the body.
    props.title = _fit(xml_text(title))
    props.subject = _fit(xml_text(subject))
    props.category = _fit(xml_text(category))
    props.author = AUTHOR
    props.last_modified_by = AUTHOR
    props.comments = ""
    props.keywords = _fit(xml_text(keywords))
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


# -- the house style: headings, proofing language --------------------------------------

HEADING_SIZES: dict[str, float] = {
    "Title": 16, "Subtitle": 12, "Heading 1": 13, "Heading 2": 12, "Heading 3": 11,
    "Heading 4": 11,
}
"""Point sizes of the display styles: a treaty's headings are set a little above the
text, never at Word's default 26 points."""


def _black_serif(style_element: Any, size: float | None) -> None:
    """Black ("auto") text in the body's (serif) theme font, at `size`: a tabled text
    looks like the rest of a ministry's papers, not like Word's blue default."""
    r_pr = style_element.get_or_add_rPr()
    for old in r_pr.findall(qn("w:rFonts")) + r_pr.findall(qn("w:color")):
        r_pr.remove(old)
    fonts = OxmlElement("w:rFonts")
    for kind, theme in (("asciiTheme", "minorHAnsi"), ("eastAsiaTheme", "minorEastAsia"),
                        ("hAnsiTheme", "minorHAnsi"), ("cstheme", "minorBidi")):
        fonts.set(qn(f"w:{kind}"), theme)
    r_pr.insert(0, fonts)
    color = OxmlElement("w:color")
    color.set(qn("w:val"), "auto")
    r_pr.append(color)
    if size is not None:
        for old in r_pr.findall(qn("w:sz")) + r_pr.findall(qn("w:szCs")):
            r_pr.remove(old)
        for tag in ("w:sz", "w:szCs"):
            element = OxmlElement(tag)
            element.set(qn("w:val"), str(round(size * 2)))
            r_pr.append(element)
    _schema_order(r_pr)


_RPR_ORDER = ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike",
              "dstrike", "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid",
              "vanish", "webHidden", "color", "spacing", "w", "kern", "position", "sz",
              "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign",
              "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath"]


def _schema_order(r_pr: Any) -> None:
    """Children of a w:rPr in the order the schema requires (Word refuses others)."""
    rank = {qn(f"w:{name}"): index for index, name in enumerate(_RPR_ORDER)}
    children = list(r_pr)
    children.sort(key=lambda child: rank.get(child.tag, len(rank)))
    for child in children:
        r_pr.append(child)


def _house_headings(document: DocxDocument) -> None:
    """Title, subtitle and headings (and the character styles Word links to them) in
    black, in the body's serif, at treaty sizes; the Title loses its blue rule."""
    styles = {style.name: style for style in document.styles if style.name}
    for name, size in HEADING_SIZES.items():
        style = styles.get(name)
        if style is None:
            continue
        _black_serif(style.element, size)
        linked = styles.get(f"{name} Char")
        if linked is not None:
            _black_serif(linked.element, size)
    title = styles.get("Title")
    if title is not None and title.element.pPr is not None:
        for border in title.element.pPr.findall(qn("w:pBdr")):
            title.element.pPr.remove(border)
    for level in (5, 6, 7, 8, 9):  # not used by the instrument, but never blue either
        style = styles.get(f"Heading {level}")
        if style is not None:
            _black_serif(style.element, None)


def _proofing_language(document: DocxDocument, language: str) -> None:
    """The text's English as the document default, so Word checks "programme" against the
    right dictionary; no run or style marks any text as not to be checked."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
        _schema_order(r_pr)
    lang.set(qn("w:val"), language)
    theme_lang = document.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), language)
    for mark in list(document.styles.element.iter(qn("w:noProof"))):
        mark.getparent().remove(mark)


# -- numbering: Word's own list numbering, restarting in each article ----------------------

TWIPS_PER_STEP = 567  # 1 cm, the `INDENT` step


def _level(ilvl: int, number_format: str, text: str) -> str:
    left = TWIPS_PER_STEP * (ilvl + 1)
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{number_format}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:tabs><w:tab w:val="num" w:pos="{left}"/></w:tabs>'
            f'<w:ind w:left="{left}" w:hanging="{TWIPS_PER_STEP}"/></w:pPr></w:lvl>')


def _paragraph_numbering(document: DocxDocument, label: str = "%1.") -> int:
    """The numbering definition of provisions ("1.") and their points ("(a)"): a list
    Word renumbers itself when a paragraph is inserted, and that REF fields can cite."""
    numbering = document.part.numbering_part.element
    taken = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
    abstract_id = max(taken, default=-1) + 1
    element = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        f'<w:multiLevelType w:val="multilevel"/><w:name w:val="Linkwright paragraphs"/>'
        + _level(0, "decimal", label) + _level(1, "lowerLetter", "(%2)")
        + "</w:abstractNum>")
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:  # the schema wants every abstractNum before any num
        first_num.addprevious(element)
    else:
        numbering.append(element)
    return abstract_id


def _restarted_list(document: DocxDocument, abstract_id: int) -> int:
    """A list of `abstract_id` that starts again at 1 (one per article)."""
    num = document.part.numbering_part.element.add_num(abstract_id)
    for ilvl in (0, 1):
        num.add_lvlOverride(ilvl=ilvl).add_startOverride(1)
    return int(num.numId)


# -- bookmarks and cross-references ---------------------------------------------------------

BOOKMARK_LIMIT = 40  # Word drops longer bookmark names
_NOT_NAME = re.compile(r"[^A-Za-z0-9_]")


def bookmark_name(prefix: str, target: str, hashed: bool = False) -> str:
    """A bookmark name Word accepts for `target` (a topic or provision id): letters, digits
    and underscores, starting with a letter, at most 40 characters ("art_termination",
    "par_termination_notice"); a longer one (or, `hashed`, one that would clash with
    another) keeps its start and ends in a hash of the whole id."""
    name = f"{prefix}_{_NOT_NAME.sub('_', target)}"
    if len(name) <= BOOKMARK_LIMIT and not hashed:
        return name
    digest = hashlib.sha1(target.encode("utf-8")).hexdigest()[:8]
    return f"{name[:BOOKMARK_LIMIT - 9]}_{digest}"


PROVISION_MARK = "lw"
"""Prefix of the bookmark that spans each provision's paragraphs, so that a DOCX coming
back from the other side (`linkwright import-docx`) says which provision an edit is in."""


def provision_mark(provision_id: str) -> str:
    """The bookmark name of a provision's paragraphs: `lw_` and the id with its dots as
    underscores, cut to fit, then a hash of the whole id ("lw_termination_notice_1a2b3c4d"),
    so that the name is a valid Word name, one id gives one name in every document, and
    ids differing only in punctuation or past the cut still get names of their own. The
    importer recomputes it from the library's provision ids: no table travels in the file
    (a word processor may drop custom XML parts on saving; bookmarks it keeps)."""
    digest = hashlib.sha1(provision_id.encode("utf-8")).hexdigest()[:8]
    stem = f"{PROVISION_MARK}_{_NOT_NAME.sub('_', provision_id)}"
    return f"{stem[:BOOKMARK_LIMIT - 9]}_{digest}"


def _markdown_of(draft: Draft) -> Iterator[Markdown]:
    """Every piece of clause text in the draft, where a reference can stand."""
    yield from draft.recitals
    for article in draft.articles():
        for paragraph in article.paragraphs:
            if paragraph.text is not None:
                yield paragraph.text
            yield from (o.text for o in paragraph.options if isinstance(o.text, Markdown))
            yield from (text for _, text in paragraph.points if isinstance(text, Markdown))


def _numbered(article: Article) -> bool:
    """A lone paragraph carries no number (the EU's drafting rule, and most others')."""
    return len(article.paragraphs) > 1


@dataclass
class _Bookmarks:
    """The bookmark of every article heading, and of every numbered paragraph some text
    refers to, so that each reference can be a REF field."""

    headings: dict[str, str]  # topic -> name
    paragraphs: dict[str, str]  # provision -> name
    next_id: int = 0

    @classmethod
    def of(cls, draft: Draft) -> _Bookmarks:
        referenced = {ref.provision for text in _markdown_of(draft) for ref in text.references}
        headings: dict[str, str] = {}
        paragraphs: dict[str, str] = {}
        used: set[str] = set()

        def unique(prefix: str, target: str) -> str:
            name = bookmark_name(prefix, target)
            if name in used:  # two ids that differ only in punctuation
                name = bookmark_name(prefix, target, hashed=True)
            used.add(name)
            return name

        for article in draft.body:
            headings[article.topic] = unique("art", article.topic)
        for annex in draft.attachments:
            for section in annex.sections:
                headings[section.topic] = unique("sec", section.topic)
        for article in draft.articles():
            if _numbered(article):
                for paragraph in article.paragraphs:
                    if paragraph.provision in referenced:
                        paragraphs[paragraph.provision] = unique("par", paragraph.provision)
        return cls(headings, paragraphs)

    def mark(self, paragraph: DocxParagraph, name: str, runs: Sequence[Run] = ()) -> None:
        """Bookmark `runs` (all of `paragraph` if none)."""
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(self.next_id))
        start.set(qn("w:name"), name)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(self.next_id))
        self.next_id += 1
        if runs:
            runs[0]._r.addprevious(start)
            runs[-1]._r.addnext(end)
            return
        p = paragraph._p
        p.insert(1 if p.pPr is not None else 0, start)
        p.append(end)

    def span(self, first: DocxParagraph, last: Any, name: str) -> None:
        """Bookmark from the start of `first` to the end of the `last` w:p (the same, or a
        later one): a provision with its further blocks and points. Invisible in Word."""
        self.mark(first, name)
        if last is not first._p:
            end = first._p[-1]  # the w:bookmarkEnd `mark` just appended
            last.append(end)


_SHOWN = re.compile(r"(?P<word>\D*?)(?P<number>\d+)(?:\((?P<paragraph>\d+)\))?(?P<rest>.*)",
                    re.S)
"""A reference as the builder words it: "Article 12", "Article 12(1)",
"section 3(1) of Annex II"."""


def _highlight(runs: Iterable[Run]) -> None:
    """Yellow, as negotiators mark what is still open."""
    for run in runs:
        r_pr = run._r.get_or_add_rPr()
        if r_pr.find(qn("w:highlight")) is None:
            mark = OxmlElement("w:highlight")
            mark.set(qn("w:val"), "yellow")
            r_pr.append(mark)
            _schema_order(r_pr)



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


def _option_comment(option: Option, attribution: bool, say: Phrases | None = None) -> str:
    """Who supports an option; without attribution, only that it is open (as a chair
    circulates a joint text)."""
    if say is not None and not say.english:
        if attribution:
            return supporters_words(say, option.number, [s.party for s in option.supporters],
                                    any(s.proposed for s in option.supporters))
        return say("not_yet_agreed", what=say("option", number=option.number))
    if attribution:
        return supporters_comment(option.supporters)
    return f"Open point: Option {option.number}, not yet agreed"


def _values_comment(note: ValueNote, attribution: bool, say: Phrases | None = None) -> str:
    if say is not None and not say.english:
        if attribution:
            return value_note_words(say, note.parameter, list(note.values))
        return say("not_yet_agreed", what=note.parameter)
    if attribution:
        return f"{note.parameter}: " + "; ".join(
            f"{shown} supported by {join_words(list(who))}" for shown, who in note.values)
    return f"{note.parameter}: not yet agreed (" + " or ".join(
        shown for shown, _ in note.values) + ")"


def _unconfirmed_comment(note: UnconfirmedValue, say: Phrases | None = None) -> str:
    if say is not None and not say.english:
        return unconfirmed_words(say, note.parameter, note.bracket)
    return f"Not yet agreed: {note.describe()}"


PLACEHOLDER_COMMENT = "Open point: no text agreed yet"


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


def _find_reference(text: str, shown: str) -> int:
    """Where `shown` ("Article 1") stands in `text` as a whole reference, not as the start
    of "Article 12" or "Article 1(2)"; -1 if nowhere."""
    found = re.search(re.escape(shown) + r"(?![\d(])", text)
    return found.start() if found else -1


class _InstrumentWriter:
    """Walks a `Draft` in the Markdown writer's order, building the document."""

    def __init__(self, draft: Draft, attribution: bool = True) -> None:
        self.draft = draft
        self.attribution = attribution
        self.document = _new_document()
        preface = draft.preface
        round_parts = []
        say = draft.phrases if draft.phrases is not None and not draft.phrases.english \
            else None
        self.say = say
        if preface.round_number is not None:
            round_parts.append(say("round", number=preface.round_number) if say
                               else f"Round {preface.round_number}")
        if preface.round_date:
            round_parts.append(long_date(preface.round_date, say.language) if say
                               else _long_date(preface.round_date))
        self.round_line = " · ".join(round_parts)
        self.round_words = ", ".join(round_parts)  # "Round 3, 12 June 2017"
        self.running = _Running(preface.marking, preface.short_title, self.round_line,
                                (say("page"), say("of_pages")) if say else ("Page", "of"))
        self.stamp = _stamp(preface.round_date)
        _add_body_styles(self.document)
        _house_headings(self.document)
        _proofing_language(self.document, preface.language)
        self.ids = _style_ids(self.document)
        # "(1)" where the house style numbers subsections so (REF fields then show the
        # brackets too), "1." otherwise.
        self.bracketed = any((p.label or "").startswith("(")
                             for a in draft.body for p in a.paragraphs)
        self.numbering = _paragraph_numbering(self.document,
                                              "(%1)" if self.bracketed else "%1.")
        self.bookmarks = _Bookmarks.of(draft)

    def write(self) -> bytes:
        draft, document = self.draft, self.document
        self.running.apply(document.sections[0])
        _properties(document, draft.preface.title, SUBJECT, self.stamp, draft.preface.kind,
                    self.round_words)
        add_text(_paragraph(document, self.ids["Title"]), draft.preface.title)
        line = self.subtitle() + (f" · {self.round_line}" if self.round_line else "")
        add_text(_paragraph(document, self.ids["Subtitle"]), line)
        # No status of the text: it is the status note's (--document status), never the
        # instrument's.
        self.preamble()
        parts = any(article.part for article in draft.body)
        for article in draft.body:
            if article.part:
                self.heading(article.part, 1)
            self.article(article, 2 if parts else 1, "Article")
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
        if draft.preamble_heading:
            self.heading(draft.preamble_heading, 1)
        if draft.preamble_intro:
            add_text(self.document.add_paragraph(), draft.preamble_intro)
        for recital in draft.recitals:
            runs = text_runs(_paragraph(self.document, self.ids["Recital"]), recital)
            self.live_references(runs, recital)
        if draft.enacting_formula:
            add_text(self.document.add_paragraph(), draft.enacting_formula)

    def article(self, article: Article, level: int, word: str) -> None:
        """The heading, its number bookmarked for references, then the paragraphs: numbered
        by a list of their own when there are several, unnumbered when alone."""
        heading = _paragraph(self.document, self.ids[f"Heading {level}"])
        # The number is a run of its own, bookmarked, whatever the style's words around it.
        before, _, after = article.line(word).partition(str(article.number))
        if before:
            add_text(heading, before)
        number = add_text(heading, str(article.number))
        add_text(heading, after)
        if number is not None and article.topic in self.bookmarks.headings:
            self.bookmarks.mark(heading, self.bookmarks.headings[article.topic], [number])
        has_points = any(p.points for p in article.paragraphs)
        numbered = _numbered(article)
        num_id = _restarted_list(self.document, self.numbering) \
            if numbered or has_points else None
        for paragraph in article.paragraphs:
            self.provision(paragraph, num_id if numbered else None, num_id)

    def provision(self, value: Paragraph, num_id: int | None, points_id: int | None) -> None:
        """One provision: its text, options or placeholder, open points highlighted and
        commented, then its lettered points."""
        document = self.document
        paragraph = document.add_paragraph()
        self.provision_body(paragraph, value, num_id, points_id)
        # after the points: the mark spans everything the provision wrote
        self.bookmarks.span(paragraph, _last_paragraph(document), provision_mark(value.provision))

    def provision_body(self, paragraph: DocxParagraph, value: Paragraph, num_id: int | None,
                       points_id: int | None) -> None:
        """The provision's paragraphs, from `paragraph` on (the mark is `provision`'s)."""
        if num_id is None:
            paragraph._p.style = self.ids["Article Text"]
        else:
            paragraph._p.style = self.ids["Numbered Paragraph"]
            _number_with(paragraph, num_id)
        if value.status in ("agreed", "disputed"):
            runs = self.clause(paragraph, value.text, 1) if value.text else []
            if value.text is not None:
                self.live_references(runs, value.text)
            for note in value.value_notes:
                target = "".join(f"[{shown}]" for shown, _ in note.values)
                self.open_point(_anchor(runs, target),
                                _values_comment(note, self.attribution, self.say))
            for pending in value.unconfirmed:
                self.open_point(_anchor(runs, pending.bracket),
                                _unconfirmed_comment(pending, self.say))
        elif value.status == "options":
            for index, option in enumerate(value.options):
                if index:
                    add_text(paragraph, " ")
                word = (self.say("option", number=option.number) if self.say
                        else f"Option {option.number}")
                opened = add_text(paragraph, f"[{word}: ")
                runs = text_runs(paragraph, option.text)
                closed = add_text(paragraph, "]")
                whole = [r for r in (opened, *runs, closed) if r is not None]
                _highlight(whole)  # before the references, whose runs copy the formatting
                if isinstance(option.text, Markdown):
                    self.live_references(runs, option.text)
                self.comment(whole, _option_comment(option, self.attribution, self.say))
        else:
            self.open_point([r for r in [add_text(paragraph, value.note)] if r is not None],
                            PLACEHOLDER_COMMENT)
        if value.unconfirmed and self.say:
            self.note(" ".join(unconfirmed_words(self.say, n.parameter, n.bracket)
                               for n in value.unconfirmed))
        elif value.unconfirmed:
            self.note("Not yet agreed — "
                      + "; ".join(n.describe() for n in value.unconfirmed) + ".")
        if value.provision in self.bookmarks.paragraphs:
            self.bookmarks.mark(paragraph, self.bookmarks.paragraphs[value.provision])
        for _letter, point in value.points:
            self.point(point, points_id)

    def point(self, text: Markdown | str, num_id: int | None) -> None:
        """A lettered point, "(a)" counted by Word (level 2 of the article's list)."""
        paragraph = self.document.add_paragraph()
        paragraph._p.style = self.ids["Lettered Point"]
        if num_id is not None:
            _number_with(paragraph, num_id, 1)
        runs = self.clause(paragraph, text, 2)
        if isinstance(text, Markdown):
            self.live_references(runs, text)

    def open_point(self, runs: Sequence[Run], comment: str) -> None:
        _highlight(runs)
        self.comment(runs, comment)

    def comment(self, runs: Sequence[Run], text: str) -> None:
        _comment(self.document, runs, text, self.stamp)

    def live_references(self, runs: list[Run], text: Markdown) -> None:
        """Each reference of `text` ("Article 12(1)") as REF fields to the bookmarks of its
        article and paragraph, showing the same words, so that Word renumbers it (F9) when
        an article is inserted. `runs` is updated in place and keeps only text runs, for
        comments to anchor on. A reference not found as written stays typed."""
        start = 0
        for reference in text.references:
            for index in range(start, len(runs)):
                at = _find_reference(runs[index].text, reference.shown)
                if at >= 0:
                    break
            else:
                continue
            middle, pieces = _split_run(runs[index], at, at + len(reference.shown))
            position = next(i for i, piece in enumerate(pieces) if piece._r is middle._r)
            words = self.reference_fields(middle, reference)
            runs[index:index + 1] = pieces[:position] + words + pieces[position + 1:]
            start = index + position + len(words)

    def reference_fields(self, middle: Run, reference: Reference) -> list[Run]:
        """`middle` (the reference's words) replaced by text and REF fields; the text runs."""
        if reference.within:
            return self.within_fields(middle, reference)
        parts = _SHOWN.fullmatch(reference.shown)
        heading = self.bookmarks.headings.get(reference.topic)
        if parts is None or heading is None:
            return [middle]
        properties = middle._r.rPr
        elements: list[tuple[Any, bool]] = []  # (w:r, is plain text)

        def words(value: str) -> None:
            if value:
                run = _run_element(properties)
                run.add_t(xml_text(value))
                elements.append((run, True))

        def field(instruction: str, shown: str) -> None:
            elements.extend((e, False) for e in _field_elements(instruction, shown, properties))

        words(parts["word"])
        field(f"REF {heading} \\h", parts["number"])
        if parts["paragraph"]:
            paragraph = self.bookmarks.paragraphs.get(reference.provision or "")
            if paragraph is None:  # the paragraph has no number of its own to cite
                words(f"({parts['paragraph']})")
            elif self.bracketed:  # the list's own "(2)", brackets and all
                field(f"REF {paragraph} \\n \\h", f"({parts['paragraph']})")
            else:  # \n: the number without its full stop ("1", not "1.")
                words("(")
                field(f"REF {paragraph} \\n \\h", parts["paragraph"])
                words(")")
        words(parts["rest"])
        anchor = middle._r
        for element, _ in elements:
            anchor.addnext(element)
            anchor = element
        middle._r.getparent().remove(middle._r)
        return [Run(element, middle._parent) for element, plain in elements if plain]

    def within_fields(self, middle: Run, reference: Reference) -> list[Run]:
        """ "paragraph 2" / "subsection (2)", cited from the same article: the words, then a
        REF field to the paragraph's own number."""
        parts = re.fullmatch(r"(?P<word>[^\d(]*)\(?(?P<number>\d+)\)?", reference.shown)
        paragraph = self.bookmarks.paragraphs.get(reference.provision or "")
        if parts is None or paragraph is None:
            return [middle]
        properties = middle._r.rPr
        shown = f"({parts['number']})" if self.bracketed else parts["number"]
        word = _run_element(properties)
        word.add_t(xml_text(parts["word"]))
        elements = [word, *_field_elements(f"REF {paragraph} \\n \\h", shown, properties)]
        anchor = middle._r
        for element in elements:
            anchor.addnext(element)
            anchor = element
        middle._r.getparent().remove(middle._r)
        return [Run(word, middle._parent)]

    def body_paragraph(self, level: int, label: str | None = None) -> DocxParagraph:
        """A paragraph `level` steps in; a label ("–", "1.") hangs in the margin."""
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
        if draft.conclusions_heading:
            self.heading(draft.conclusions_heading, 1)
        for line in draft.conclusions_intro.split("\n\n"):
            add_text(self.document.add_paragraph(), line)
        for signature in draft.signatures:
            paragraph = self.document.add_paragraph()
            paragraph.paragraph_format.space_before = Pt(18)
            paragraph.paragraph_format.keep_with_next = True
            add_text(paragraph, signature.party + (self.say("colon") if self.say else ":"))
            line = self.document.add_paragraph()
            line.paragraph_format.space_before = Pt(24)
            add_text(line, "______________________")

    def annex(self, annex: Annex) -> None:
        _new_section(self.document, self.running, landscape=annex.table is not None)
        self.heading(f"{annex.label} — {annex.title}", 1)
        if annex.intro:
            add_text(self.document.add_paragraph(), annex.intro)
        if annex.table is not None:
            columns = len(annex.table.headers)
            width = _text_width(self.document.sections[-1]).cm
            widths = _widths(width, {0: 4.5, columns - 1: 7.5}, columns)
            plain_table(self.document, annex.table, widths)
        for section in annex.sections:
            self.article(section, 2, "Section")


def _last_paragraph(document: DocxDocument) -> Any:
    """The body's last w:p (python-docx keeps the section properties after it)."""
    element = document.element.body[-1]
    while element is not None and element.tag != qn("w:p"):
        element = element.getprevious()
    return element


def write_docx(draft: Draft, attribution: bool = True) -> bytes:
    """The draft as a .docx package; the same draft always gives the same bytes.

    Without `attribution`, the same joint text as a chair circulates it: open points are
    still highlighted and commented, but nothing says which party supports what."""
    return _InstrumentWriter(draft, attribution).write()


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


def _number_with(paragraph: DocxParagraph, num_id: int, level: int = 0) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
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
