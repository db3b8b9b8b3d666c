"""A comparison as a Word document with real tracked changes.

Each insertion is a `w:ins` and each deletion a `w:del` (its words in
`w:delText`), with the author whose position made the change (or the
delegation whose file the newer round is; one neutral author with attribution
off) and the newer round's date, so that Word's "Accept all" gives the newer
text and "Reject all" the older one. A paragraph that is wholly new or wholly
gone has its paragraph mark tracked too, so it disappears whole on rejection or
acceptance. python-docx has no API for tracked changes (its `Paragraph.text`
even drops inserted runs), so the runs are written as WordprocessingML through
its element tree, in a simple document of our own rather than the instrument's.

Numbers that changed only because articles were renumbered are not marked: both
views show the newer numbering, and an article that moved carries a comment
saying where it stood ("Formerly Article 11"), which no view prints.
"""

from __future__ import annotations

import difflib
import io
import itertools
from collections.abc import Iterator

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

from negotiation.compare import (
    Block,
    Comparison,
    Piece,
    SectionPair,
    block_paragraphs,
    heading_text,
    word_diff,
)
from negotiation.drafting.docx_writer import xml_text


class _Tracker:
    """Writes tracked runs with one author per change, unique ids and one date."""

    def __init__(self, comparison: Comparison, attribution: bool) -> None:
        self.comparison = comparison
        self.attribution = attribution
        self.ids = itertools.count(1)
        when = comparison.new.session.round
        self.date = f"{when.date.isoformat()}T00:00:00Z" if when else None

    def mark(self, tag: str, author: str) -> object:
        element = OxmlElement(tag)
        element.set(qn("w:id"), str(next(self.ids)))
        element.set(qn("w:author"), xml_text(author)[:255] or "Linkwright")
        if self.date:
            element.set(qn("w:date"), self.date)
        return element

    def author(self, provision: str | None) -> str:
        return self.comparison.author(provision, self.attribution)


def _run(text: str, deleted: bool = False) -> object:
    run = OxmlElement("w:r")
    for index, part in enumerate(xml_text(text).split("\t")):
        if index:
            run.append(OxmlElement("w:tab"))
        if part:
            element = OxmlElement("w:delText" if deleted else "w:t")
            element.set(qn("xml:space"), "preserve")
            element.text = part
            run.append(element)
    return run


def _write(paragraph: DocxParagraph, pieces: list[Piece], tracker: _Tracker,
           author: str) -> list[object]:
    """The pieces as runs of `paragraph`; the runs left in place (for a comment)."""
    plain = []
    for piece in pieces:
        if piece.kind == "same":
            run = _run(piece.text)
            paragraph._p.append(run)
            plain.append(run)
            continue
        wrapper = tracker.mark("w:ins" if piece.kind == "ins" else "w:del", author)
        wrapper.append(_run(piece.text, deleted=piece.kind == "del"))  # type: ignore[attr-defined]
        paragraph._p.append(wrapper)
    return plain


def _whole(document: DocxDocument, text: str, kind: str, tracker: _Tracker, author: str,
           style: str | None = None) -> None:
    """A paragraph wholly inserted or deleted, its paragraph mark included."""
    paragraph = document.add_paragraph(style=style)
    p_pr = paragraph._p.get_or_add_pPr()
    r_pr = OxmlElement("w:rPr")
    r_pr.append(tracker.mark("w:ins" if kind == "ins" else "w:del", author))
    p_pr.append(r_pr)
    _write(paragraph, [Piece(kind, text)] if text else [], tracker, author)  # type: ignore[arg-type]


def paired(old: list[str], new: list[str]) -> Iterator[tuple[str | None, str | None]]:
    """A block's paragraphs paired: the same ones, changed ones by place, the rest
    wholly inserted or deleted."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or tag == "replace":
            both = min(i2 - i1, j2 - j1) if tag == "replace" else i2 - i1
            yield from zip(old[i1:i1 + both], new[j1:j1 + both], strict=True)
            yield from ((text, None) for text in old[i1 + both:i2])
            yield from ((None, text) for text in new[j1 + both:j2])
        elif tag == "delete":
            yield from ((text, None) for text in old[i1:i2])
        else:
            yield from ((None, text) for text in new[j1:j2])


def _paragraphs(document: DocxDocument, old: list[str], new: list[str], tracker: _Tracker,
                author: str, style: str | None = None) -> list[DocxParagraph]:
    written = []
    for before, after in paired(old, new):
        if before is None or after is None:
            _whole(document, after if after is not None else before or "",
                   "ins" if after is not None else "del", tracker, author, style)
            continue
        paragraph = document.add_paragraph(style=style)
        _write(paragraph, word_diff(before, after, tracker.comparison.renumbering), tracker,
               author)
        written.append(paragraph)
    return written


def _heading_style(level: int) -> str:
    return "Title" if level == 1 else f"Heading {min(level - 1, 3)}"


def _section(document: DocxDocument, pair: SectionPair, tracker: _Tracker) -> None:
    author = tracker.author(None)
    section = pair.new or pair.old
    if section is not None and section.level:
        style = _heading_style(section.level)
        old = [heading_text(pair.old, pair.new.label if pair.new else None)] if pair.old else []
        new = [heading_text(pair.new)] if pair.new else []
        written = _paragraphs(document, old, new, tracker, author, style)
        if pair.moved_from and written:
            runs = [Run(r, written[0]) for r in written[0]._p.findall(qn("w:r"))]
            if runs:
                document.add_comment(runs, text=f"Formerly {pair.moved_from}",
                                     author=author if tracker.attribution else "Linkwright")
    for before, after in pair.blocks:
        _block(document, before, after, tracker)


def _block(document: DocxDocument, before: Block | None, after: Block | None,
           tracker: _Tracker) -> None:
    block = after or before
    assert block is not None
    author = tracker.author(block.provision)
    old = block_paragraphs(before, after.number if after else None) if before else []
    new = block_paragraphs(after) if after else []
    _paragraphs(document, old, new, tracker, author)


def write_compare_docx(comparison: Comparison, attribution: bool = True) -> bytes:
    document = Document()
    tracker = _Tracker(comparison, attribution)
    core = document.core_properties
    core.title = xml_text(f"Changes from {comparison.old.label} to {comparison.new.label}")[:255]
    core.author = core.last_modified_by = "Linkwright"
    for pair in comparison.sections:
        _section(document, pair, tracker)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
