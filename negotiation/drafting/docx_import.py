"""Reading the other side's Word mark-up of a DOCX Linkwright rendered.

Delegations edit the round's text in Word with tracked changes on. Each provision's
paragraphs in the DOCX we write are spanned by a bookmark whose name is recomputed
here from the library's provision ids (`docx_writer.provision_mark`), so an insertion
(`w:ins`, `w:moveTo`) or deletion (`w:del`, `w:moveFrom`) is placed in the provision it
falls in, whatever the article numbers became. A provision with edits becomes their
proposed text: its paragraphs with their changes accepted. An edit outside every
provision (a heading, a new article) or spanning two provisions is returned as
unplaced, with its text, for the negotiator to carry over by hand.

The file comes from another delegation: its expanded size is bounded before anything
is decompressed (a zip bomb is refused by what its members declare, and no member is
read past its bound either), and XML is parsed with entities off, no network and no
DTD (a part with a DOCTYPE is refused: Word never writes one).
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from negotiation.drafting.docx_writer import provision_mark
from negotiation.errors import LinkwrightError
from negotiation.session import ProposedText
from negotiation.yamlload import _HIDDEN as HIDDEN_IN_VALUES

MAX_FILE = 20_000_000
"""Bytes of a .docx on disk: the longest instrument with its annexes is a few hundred
kilobytes; twenty megabytes leaves room for pasted images."""
MAX_PART = 50_000_000
"""Expanded bytes of any one part (document.xml of the longest instrument: a few MB)."""
MAX_EXPANDED = 100_000_000
"""Expanded bytes of all parts together."""
MAX_PARTS = 2_000

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                   "officeDocument")
LONGEST_PROPOSAL: int = next(m.max_length for m in ProposedText.model_fields["text"].metadata
                             if hasattr(m, "max_length"))
"""What the session takes as one party's proposed text (its model's bound)."""
BRACKET_NOTE = "Bracket Note"
"""The style of our "Not yet agreed — …" notes: ours, not provision text."""


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


INSERTED = {_w("ins"), _w("moveTo")}
DELETED = {_w("del"), _w("moveFrom")}
P = _w("p")


@dataclass(frozen=True)
class MarkUp:
    """What their tracked changes say: provision -> proposed text, and what could not
    be placed (where, text)."""

    proposals: dict[str, str]
    unplaced: list[tuple[str, str]]


# -- the package --------------------------------------------------------------------


def _package(path: Path) -> zipfile.ZipFile:
    try:
        size = path.stat().st_size
    except OSError as error:
        raise LinkwrightError(f"cannot read: {error.strerror or error}", path) from None
    if size > MAX_FILE:
        raise LinkwrightError(f"is {size:,} bytes, more than a DOCX of an instrument "
                              f"({MAX_FILE:,}); refusing to read it", path)
    try:
        package = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise LinkwrightError(f"is not a DOCX (not a zip package: {error})", path) from None
    members = package.infolist()
    if len(members) > MAX_PARTS:
        raise LinkwrightError(f"holds {len(members):,} parts, more than a DOCX does "
                              f"({MAX_PARTS:,}); refusing to read it", path)
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > MAX_PART or total > MAX_EXPANDED:
            raise LinkwrightError(
                f"would expand to more than {min(MAX_PART, MAX_EXPANDED) // 1_000_000} MB "
                f"({member.filename!r} alone declares {member.file_size:,} bytes; "
                f"{total:,} so far): a DOCX of an instrument is far smaller; refusing to "
                "decompress it", path)
    return package


def _read(package: zipfile.ZipFile, name: str, path: Path) -> bytes | None:
    try:
        with package.open(name) as handle:
            data = handle.read(MAX_PART + 1)  # a member lying about its size stops here
    except KeyError:
        return None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise LinkwrightError(f"part {name!r} cannot be read: {error}", path) from None
    if len(data) > MAX_PART:
        raise LinkwrightError(f"part {name!r} expands past {MAX_PART:,} bytes; refusing it",
                              path)
    return data


def _xml(data: bytes, name: str, path: Path) -> Any:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             dtd_validation=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise LinkwrightError(f"part {name!r} is not well-formed XML: {error}", path) from None
    if root.getroottree().docinfo.doctype:
        raise LinkwrightError(f"part {name!r} declares a DOCTYPE, which Word never writes; "
                              "refusing it", path)
    return root


def _main_part(package: zipfile.ZipFile, path: Path) -> str:
    """The document part the package relationships name (word/document.xml in practice)."""
    rels = _read(package, "_rels/.rels", path)
    if rels is not None:
        for rel in _xml(rels, "_rels/.rels", path).iter(f"{{{RELS}}}Relationship"):
            if rel.get("Type") == OFFICE_DOCUMENT and rel.get("Target"):
                # a name inside the zip, never a path on disk
                return posixpath.normpath(rel.get("Target")).lstrip("/")
    return "word/document.xml"


def _style_names(package: zipfile.ZipFile, path: Path) -> dict[str, str]:
    data = _read(package, "word/styles.xml", path)
    if data is None:
        return {}
    return {style.get(_w("styleId"), ""): name.get(_w("val"), "")
            for style in _xml(data, "word/styles.xml", path).iter(_w("style"))
            if (name := style.find(_w("name"))) is not None}


# -- paragraphs and their changes --------------------------------------------------------


@dataclass
class _Paragraph:
    at_start: frozenset[str]
    owners: set[str] = field(default_factory=set)
    accepted: list[str] = field(default_factory=list)
    original: list[str] = field(default_factory=list)
    edited: bool = False
    mark: str = ""  # "inserted" or "deleted": the paragraph mark itself is a tracked change
    style: str = ""

    def provisions(self) -> set[str]:
        return self.owners or set(self.at_start)


_OUTSIDE = ("heading", "title", "subtitle")
"""Styles (by name, as any word processor keeps them) of paragraphs in no provision."""

_CHARACTERS = {_w("tab"): " ", _w("br"): "\n", _w("cr"): "\n", _w("noBreakHyphen"): "\u2011"}


def _tracked(element: Any) -> str:
    """'inserted', 'deleted' or '' for a text element, by its enclosing change."""
    for ancestor in element.iterancestors():
        if ancestor.tag in INSERTED:
            return "inserted"
        if ancestor.tag in DELETED:
            return "deleted"
        if ancestor.tag == P:
            break
    return ""


def _paragraph_mark(p: Any) -> str:
    marks = p.find(f"{_w('pPr')}/{_w('rPr')}")
    if marks is None:
        return ""
    if any(child.tag in INSERTED for child in marks):
        return "inserted"
    if any(child.tag in DELETED for child in marks):
        return "deleted"
    return ""


def _paragraphs(body: Any, names: dict[str, str], styles: dict[str, str]) -> list[_Paragraph]:
    """Every paragraph in document order, with the provisions whose marks are open over
    its text, and its text as they would have it and as it was."""
    open_marks: dict[str, str] = {}  # bookmark w:id -> provision
    paragraphs: list[_Paragraph] = []
    current: _Paragraph | None = None
    for element in body.iter():
        tag = element.tag
        if tag == P:
            style = element.find(f"{_w('pPr')}/{_w('pStyle')}")
            name = "" if style is None else styles.get(style.get(_w("val"), ""), "")
            if name.lower().startswith(_OUTSIDE):
                open_marks.clear()  # a heading is in no provision, whatever a lost end says
            current = _Paragraph(frozenset(open_marks.values()), mark=_paragraph_mark(element),
                                 style=name)
            current.edited = bool(current.mark)
            paragraphs.append(current)
        elif tag == _w("bookmarkStart"):
            provision = names.get(element.get(_w("name"), ""))
            if provision is not None:
                # Provisions follow one another, never nest: a new mark closes the one
                # before, whose end a word processor may have dropped (LibreOffice 7.4
                # saves a mark over several paragraphs as a start in the first, left
                # open, and a start and end around the last).
                open_marks.clear()
                open_marks[element.get(_w("id"), "")] = provision
        elif tag == _w("bookmarkEnd"):
            open_marks.pop(element.get(_w("id"), ""), None)
        elif current is not None and tag in (_w("t"), _w("delText"), *_CHARACTERS):
            text = (element.text or "") if tag in (_w("t"), _w("delText")) \
                else _CHARACTERS[tag]
            change = "deleted" if tag == _w("delText") else _tracked(element)
            current.owners.update(open_marks.values())
            if change:
                current.edited = True
            if change != "deleted":
                current.accepted.append(text)
            if change != "inserted":
                current.original.append(text)
    return paragraphs


def _joined(paragraphs: list[_Paragraph], accepted: bool) -> str:
    """The provision's text, one line per paragraph: a deleted paragraph mark joins two
    paragraphs once accepted; an inserted one split a paragraph that was one."""
    pieces: list[str] = []
    for index, paragraph in enumerate(paragraphs):
        pieces.append("".join(paragraph.accepted if accepted else paragraph.original))
        if index < len(paragraphs) - 1:
            joins = paragraph.mark == ("deleted" if accepted else "inserted")
            pieces.append("" if joins else "\n")
    lines = (" ".join(line.split()) for line in "".join(pieces).split("\n"))
    return "\n".join(line for line in lines if line)


def _edit_text(paragraph: _Paragraph) -> str:
    text = " ".join("".join(paragraph.accepted).split())
    return text or "(deleted) " + " ".join("".join(paragraph.original).split())


def read_markup(path: Path, provision_ids: Iterable[str]) -> MarkUp:
    """Their tracked changes in the DOCX at `path`, placed in our provisions."""
    path = Path(path)
    names = {provision_mark(pid): pid for pid in provision_ids}
    with _package(path) as package:
        main = _main_part(package, path)
        data = _read(package, main, path)
        if data is None:
            raise LinkwrightError("is not a DOCX (no document part)", path)
        root = _xml(data, main, path)
        styles = _style_names(package, path)
    body = root.find(_w("body"))
    if body is None:
        raise LinkwrightError("is not a Word document (no w:body)", path)
    paragraphs = _paragraphs(body, names, styles)
    if not any(p.provisions() for p in paragraphs):
        raise LinkwrightError("carries no provision marks: it was not rendered by this "
                              "Linkwright (or the marks were removed); render the text with "
                              "`linkwright render -o FILE.docx` and send that", path)
    edited: set[str] = set()
    unplaced: list[tuple[str, str]] = []
    for index, paragraph in enumerate(paragraphs):
        if not paragraph.edited:
            continue
        owners = paragraph.provisions()
        following = paragraphs[index + 1].provisions() if index + 1 < len(paragraphs) else set()
        if len(owners) > 1 or (paragraph.mark == "deleted" and following != owners):
            unplaced.append(("an edit across provisions "
                             + ", ".join(sorted(owners | following)), _edit_text(paragraph)))
        elif paragraph.style == BRACKET_NOTE:
            unplaced.append(("an edit in a note of ours (not treaty text)",
                             _edit_text(paragraph)))
        elif not owners:
            unplaced.append(("an edit outside every provision (a heading, a new article or "
                             "the text around the articles)", _edit_text(paragraph)))
        else:
            edited |= owners
    proposals: dict[str, str] = {}
    for pid in sorted(edited):
        own = [p for p in paragraphs if p.provisions() == {pid} and p.style != BRACKET_NOTE]
        text, before = _joined(own, True), _joined(own, False)
        if text == before:
            continue  # formatting only
        if not text:
            unplaced.append((f"{pid}: the whole provision deleted", before))
        elif HIDDEN_IN_VALUES.search(text):
            # the session loader would refuse the file we saved: a control character or a
            # direction override reorders what a reader sees
            unplaced.append((f"{pid}: holds an invisible character, refused", text))
        elif len(text) > LONGEST_PROPOSAL:
            unplaced.append((f"{pid}: longer than a proposed text may be "
                             f"({LONGEST_PROPOSAL:,} characters)",
                             text[:200] + "…"))
        else:
            proposals[pid] = text
    return MarkUp(proposals, unplaced)
