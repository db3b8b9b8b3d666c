"""The Typst writer: a draft (or the negotiator's brief) as Typst, then PDF.

Typst is a markup language *and* a programming language: `#read(...)`,
`#include`, `$math$`, `@label` and `<label>` are all live in ordinary text.
A party name, a proposed text or a clause library comes from another
delegation, so nothing it contains may reach the Typst source unescaped.
Two doors lead in, and both escape every character that could start markup
or code: `typst_escape` for plain strings and `markdown_to_typst`, which
walks markdown-it's syntax tree and builds Typst calls (`#emph[…]`,
`#table(…)`) from the structure while escaping every text node. The page
itself (A4, bundled serif, title page, running header, "Page 3 of 12",
footnotes for who supports which option) lives in `templates/<form>.typ.j2`,
our own trusted skeletons; a Jinja2 `finalize` hook escapes any value a
skeleton forgets to filter. Compilation runs in-process from memory, with an
empty private temporary folder as the Typst root, bundled fonts only and no
packages, so a draft can neither read a file nor reach the network, and the
same session gives the same PDF bytes.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import typst
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from negotiation.drafting.model import (
    Draft,
    Markdown,
    Option,
    Paragraph,
    Preface,
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
from negotiation.errors import LinkwrightError
from negotiation.templating import _format_date, join_words, long_date


class Typst(str):
    """Typst markup that is safe to splice into a document as it stands."""


# -- escaping -------------------------------------------------------------------

# Every ASCII character that can open markup, code, math, a label or a reference,
# close a content block, or form a shorthand (`--`, `...`, `-?`, `1.` at the start of
# a line, `//` comments, `https://` links). Typst accepts `\` before any of them.
_SPECIAL = re.compile(r"""([\\#\[\]{}()$@<>*_`~/=+\-'".])""")
# C0 controls (except tab and newline), DEL and the C1 block: never meaningful in a draft.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _CONTROL.sub("", text)


# "Article 12(1)", "Annex II", "section 3": a reference never breaks across lines; so
# too in the French and German versions ("l'article 12", "Artikel 12 Absatz 1").
_REFERENCE = re.compile(r"\b(?:[Aa]rticles?|[Aa]nnex(?:es?)?|[Ss]ections?|"
                        r"[Pp]aragraph(?:e|s|es)?|Artikel|Anhang|Absatz|Abschnitt) "
                        r"(?:\d+(?:\(\d+\))?|[IVXLC]+\b)")


def _escape_inline(text: str) -> str:
    """Escape one run of text that holds no line break; keep references on one line."""
    out, last = [], 0
    for found in _REFERENCE.finditer(text):
        out.append(_SPECIAL.sub(r"\\\1", text[last:found.start()]))
        out.append("#box[" + _SPECIAL.sub(r"\\\1", found.group()) + "]")
        last = found.end()
    out.append(_SPECIAL.sub(r"\\\1", text[last:]))
    return "".join(out)


def typst_escape(text: str) -> str:
    """A plain string (title, party name, proposed text) as literal Typst markup.

    Line breaks of the original are kept as Typst line breaks; nothing else
    in the string can become markup, code or math.
    """
    lines = [_escape_inline(line) for line in _clean(str(text)).split("\n")]
    return Typst("#linebreak()\n".join(lines))


def typst_string(text: str) -> str:
    """A Python string as a Typst string literal (for `raw`, metadata, arguments)."""
    out = []
    for char in _clean(str(text)):
        if char == "\\":
            out.append("\\\\")
        elif char == '"':
            out.append('\\"')
        elif char == "\n":
            out.append("\\n")
        else:
            out.append(char)
    return Typst('"' + "".join(out) + '"')


# -- Markdown to Typst ------------------------------------------------------------


@cache
def _parser() -> MarkdownIt:
    # Raw HTML is off: a `<script>` in a clause is text, shown as typed.
    return MarkdownIt("commonmark", {"html": False}).enable("table")


_ALIGN = {"left": "left", "center": "center", "right": "right"}


class _Converter:
    """Builds Typst from a markdown-it syntax tree, escaping every text node."""

    def __init__(self, document: bool) -> None:
        self.document = document  # a whole brief: real headings, charts

    def blocks(self, nodes: list[SyntaxTreeNode]) -> str:
        parts = [self.block(node) for node in nodes]
        return "\n\n".join(part for part in parts if part)

    def block(self, node: SyntaxTreeNode) -> str:
        kind = node.type
        if kind == "paragraph":
            return self.inline(node.children)
        if kind == "heading":
            body = self.inline(node.children)
            if self.document:
                return f"#heading(level: {int(node.tag[1:])})[{body}]"
            return f"#strong[{body}]"
        if kind == "bullet_list":
            items = ", ".join(self.item(child) for child in node.children)
            return f"#list(tight: {self.tight(node)}, {items})"
        if kind == "ordered_list":
            start = int(node.attrs.get("start", 1) or 1)
            numbering = typst_string("1)" if node.markup == ")" else "1.")
            items = ", ".join(self.item(child) for child in node.children)
            return (f"#enum(start: {start}, numbering: {numbering}, tight: {self.tight(node)}, "
                    f"{items})")
        if kind == "table":
            return self.table(node)
        if kind == "blockquote":
            return f"#quote(block: true)[{self.blocks(node.children)}]"
        if kind in ("code_block", "fence"):
            if self.document and kind == "fence" and node.info.strip() == "chart":
                return chart(node.content)
            return f"#raw(block: true, {typst_string(node.content.rstrip(chr(10)))})"
        if kind == "hr":
            return "#line(length: 100%, stroke: 0.5pt)"
        if kind == "html_block":
            return typst_escape(node.content.rstrip("\n"))
        return self.blocks(node.children)

    @staticmethod
    def tight(node: SyntaxTreeNode) -> str:
        hidden = [p.hidden for item in node.children for p in item.children
                  if p.type == "paragraph"]
        return "true" if all(hidden) else "false"

    def item(self, node: SyntaxTreeNode) -> str:
        return f"[{self.blocks(node.children)}]"

    def table(self, node: SyntaxTreeNode) -> str:
        header: list[SyntaxTreeNode] = []
        rows: list[list[SyntaxTreeNode]] = []
        for section in node.children:
            for row in section.children:
                if section.type == "thead":
                    header = row.children
                else:
                    rows.append(row.children)
        aligns = []
        for cell in header:
            style = str(cell.attrs.get("style", ""))
            found = re.search(r"text-align:(\w+)", style)
            aligns.append(_ALIGN.get(found.group(1), "left") if found else "left")
        width = len(header)
        head = ", ".join(f"[{self.inline(c.children)}]" for c in header)
        body = []
        for row in rows:
            cells = [f"[{self.inline(c.children)}]" for c in row][:width]
            cells += ["[]"] * (width - len(cells))
            body.append(", ".join(cells))
        columns = "(" + ", ".join(_column_widths(header, rows)) + ",)"
        align = "(" + ", ".join(aligns) + ",)"
        rows_source = "".join(f",\n  {row}" for row in body)
        return (f"#table(columns: {columns}, align: {align},\n"
                f"  table.header({head}){rows_source})")

    def inline(self, nodes: list[SyntaxTreeNode]) -> str:
        out = []
        for node in nodes:
            kind = node.type
            if kind == "inline":
                out.append(self.inline(node.children))
            elif kind == "text":
                out.append(_escape_inline(_clean(node.content)))
            elif kind == "softbreak":
                out.append("\n")
            elif kind == "hardbreak":
                out.append("#linebreak()\n")
            elif kind == "em":
                out.append(f"#emph[{self.inline(node.children)}]")
            elif kind == "strong":
                out.append(f"#strong[{self.inline(node.children)}]")
            elif kind == "code_inline":
                out.append(f"#raw({typst_string(node.content)})")
            elif kind == "link":
                # Shown, never made active: a draft carries no clickable targets.
                text = self.inline(node.children)
                href = str(node.attrs.get("href", ""))
                out.append(text if not href or href == _plain_text(node)
                           else f"{text} \\({_escape_inline(_clean(href))}\\)")
            elif kind == "image":
                out.append(f"\\[{_escape_inline(_clean(_plain_text(node)))}\\]")
            elif kind == "html_inline":
                out.append(_escape_inline(_clean(node.content)))
            else:
                out.append(self.inline(node.children))
        return "".join(out)


def _column_widths(header: list[SyntaxTreeNode], rows: list[list[SyntaxTreeNode]]) -> list[str]:
    """Natural widths for a narrow table; for a wide one, short columns keep their
    width and the others share the line by how much text they hold, so nothing
    runs past the margin."""
    longest = [len(_plain_text(cell)) for cell in header]
    for row in rows:
        for index, cell in enumerate(row[:len(longest)]):
            longest[index] = max(longest[index], len(_plain_text(cell)))
    if sum(longest) + 3 * len(longest) <= 80:
        return ["auto"] * len(longest)
    return ["auto" if width <= 12 else f"{min(width, 60)}fr" for width in longest]


def _plain_text(node: SyntaxTreeNode) -> str:
    if node.type in ("text", "code_inline"):
        return node.content
    return "".join(_plain_text(child) for child in node.children)


def _convert(source: str, document: bool) -> Typst:
    tree = SyntaxTreeNode(_parser().parse(_clean(source)))
    return Typst(_Converter(document).blocks(tree.children))


def markdown_to_typst(source: str) -> str:
    """A Markdown fragment (clause text) as Typst markup, every text node escaped."""
    return _convert(source, document=False)


# -- charts -------------------------------------------------------------------------

CHART_WIDTH_CM = 9.0
CHART_POSITIVE = "rgb(\"#2f5d8a\")"
CHART_NEGATIVE = "rgb(\"#b5532f\")"


def _chart_data(source: str) -> tuple[str, str, list[tuple[str, float]]]:
    """The chart's title, unit and bars; ValueError when the block is not a chart."""
    data = json.loads(source)
    if not isinstance(data, dict) or not isinstance(data.get("bars"), list):
        raise ValueError("expected an object with a list of bars")
    title, unit = data.get("title", ""), data.get("unit", "")
    if not isinstance(title, str) or not isinstance(unit, str):
        raise ValueError("title and unit must be text")
    bars = []
    for bar in data["bars"]:
        if not isinstance(bar, dict):
            raise ValueError("each bar must be an object")
        label, value = bar.get("label"), bar.get("value")
        if (not isinstance(label, str) or isinstance(value, bool)
                or not isinstance(value, (int, float)) or not math.isfinite(value)):
            raise ValueError("each bar needs a text label and a finite number value")
        bars.append((label, float(value)))
    values = [0.0, *(value for _, value in bars)]
    if not math.isfinite(max(values) - min(values)):
        raise ValueError("values too large to draw")
    return title, unit, bars


def _number(value: float) -> str:
    shown = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if shown == "-0" else shown.replace("-", "−")


def chart(source: str) -> str:
    """A horizontal bar chart drawn with Typst shapes from a ```chart block's JSON.

    Negative values run left of the zero line in a second colour. A block
    that is not a valid chart is shown as raw text with the reason, so a
    broken chart never hides the brief around it.
    """
    try:
        title, unit, bars = _chart_data(source)
    except ValueError as error:  # json.JSONDecodeError is a ValueError
        reason = typst_escape(f"Chart not drawn: {str(error).splitlines()[0]}")
        return (f"#raw(block: true, {typst_string(source.rstrip(chr(10)))})\n\n"
                f"#text(size: 9pt, style: \"italic\")[{reason}]")
    low = min([0.0, *(v for _, v in bars)])
    high = max([0.0, *(v for _, v in bars)])
    span = (high - low) or 1.0
    zero = CHART_WIDTH_CM * (-low / span)
    rows = []
    for label, value in bars:
        length = CHART_WIDTH_CM * abs(value) / span
        start = zero - length if value < 0 else zero
        colour = CHART_NEGATIVE if value < 0 else CHART_POSITIVE
        shown = typst_escape(_number(value) + (f" {unit}" if unit else ""))
        rows.append(
            f"  [{typst_escape(label)}],\n"
            f"  box(width: {CHART_WIDTH_CM:.3f}cm, height: 0.9em, {{\n"
            f"    place(dx: {start:.3f}cm, rect(width: {length:.3f}cm, height: 0.9em, "
            f"fill: {colour}, stroke: none))\n"
            f"    place(dx: {zero:.3f}cm, dy: -0.225em, line(length: 1.35em, angle: 90deg, "
            f"stroke: 0.6pt))\n"
            f"  }}),\n"
            f"  text(size: 8.5pt)[{shown}],")
    heading = f"#text(weight: \"bold\")[{typst_escape(title)}]" if title else ""
    unit_note = f" #text(size: 8.5pt)[\\({typst_escape(unit)}\\)]" if unit and title else ""
    breakable = "true" if len(bars) > 20 else "false"  # a short chart stays on one page
    return (f"#block(breakable: {breakable}, above: 1.2em, below: 1.2em)[\n{heading}{unit_note}\n"
            f"#grid(columns: (auto, {CHART_WIDTH_CM:.3f}cm, auto), column-gutter: 0.6em, "
            f"row-gutter: 0.45em, align: (right + horizon, left + horizon, left + horizon),\n"
            + "\n".join(rows) + "\n)]")


# -- the draft ---------------------------------------------------------------------------


def text(value: Markdown | str) -> Typst:
    """Clause text parsed as Markdown; a plain string shown literally."""
    if isinstance(value, Markdown):
        return Typst(markdown_to_typst(value.source))
    return typst_escape(value)


def _supporters(option: Option, say: Phrases | None = None) -> str:
    if say is not None and not say.english:
        return supporters_words(say, option.number, [s.party for s in option.supporters],
                                any(s.proposed for s in option.supporters)) + "."
    names = join_words([s.party for s in option.supporters])
    if any(s.proposed for s in option.supporters):
        return f"Option {option.number}: text proposed by {names}."
    return f"Option {option.number}: supported by {names}."


def _value_note(note: ValueNote, say: Phrases | None = None) -> str:
    if say is not None and not say.english:
        return value_note_words(say, note.parameter, list(note.values))
    values = "; ".join(f"[{shown}] supported by {join_words(list(who))}"
                       for shown, who in note.values)
    return f"Disputed value of {note.parameter}: {values}."


def _unconfirmed_note(note: UnconfirmedValue, say: Phrases | None = None) -> str:
    if say is not None and not say.english:
        return unconfirmed_words(say, note.parameter, note.bracket)
    return f"Not yet agreed: {note.describe()}."


def _brackets(shown: list[str]) -> str:
    """Values as the text brackets them (`[12][6]`), in Typst as the converter writes them."""
    return "".join(f"\\[{_escape_inline(_clean(one))}\\]" for one in shown)


def _footnotes(value: Paragraph, attribution: bool = True, say: Phrases | None = None
               ) -> list[tuple[str, str]]:
    """(brackets the footnote belongs after, footnote) for the paragraph's disputed
    values (only with attribution: the note is who supports which), then for its
    values nobody has confirmed."""
    marks = [(_brackets([shown for shown, _ in n.values]),
              f"#footnote[{typst_escape(_value_note(n, say))}]")
             for n in (value.value_notes if attribution else [])]
    marks += [(_brackets([n.bracket[1:-1]]),
               f"#footnote[{typst_escape(_unconfirmed_note(n, say))}]")
              for n in value.unconfirmed]
    return marks


def _with_footnotes(body: str, marks: list[tuple[str, str]]) -> str:
    """Each footnote right after its brackets (`[6][12]¹`, `[6]²`), or at the end of
    the paragraph when the brackets cannot be found in the text (a yes/no that only
    chose the words, a value its `{% if %}` left out)."""
    trailing = ""
    for brackets, footnote in marks:
        at = body.find(brackets)
        while at >= 0 and not _stands_alone(body, at, at + len(brackets)):
            at = body.find(brackets, at + 1)
        if at < 0:
            trailing += footnote
        else:
            end = at + len(brackets)
            body = body[:end] + footnote + body[end:]
    return body + trailing


def _stands_alone(body: str, start: int, end: int) -> bool:
    """Whether the brackets at body[start:end] are a whole group not yet noted: not part
    of a longer run of disputed values (`[6][12]`), nor already given its footnote
    (two values of one paragraph may show the same figure)."""
    return (body[max(0, start - 2):start] != "\\]" and not body.startswith("\\[", end)
            and not body.startswith("#footnote[", end))


def paragraph(value: Paragraph, attribution: bool = True, say: Phrases | None = None) -> Typst:
    """A numbered paragraph: its text, options with their supporters as footnotes,
    disputed values and values nobody has confirmed as footnotes, and lettered points.
    Without attribution (the chair's text) the brackets stay and no footnote names
    who supports what."""
    blocks: list[str] = []
    marks = _footnotes(value, attribution, say)
    notes = "".join(footnote for _, footnote in marks)
    if value.status in ("agreed", "disputed") and value.text is not None:
        blocks.append(_with_footnotes(text(value.text), marks))
    elif value.status == "options":
        for option in value.options:
            supporters = (f"[{typst_escape(_supporters(option, say))}]" if attribution
                          else "none")
            word = (say("option", number=option.number) if say is not None
                    else f"Option {option.number}")
            blocks.append(f"#lw-option([{typst_escape(word)}], [{text(option.text)}], "
                          f"{supporters})")
        if notes:
            blocks.append(notes)
    else:
        blocks.append(f"#lw-note[{typst_escape(value.note)}]{notes}")
    for letter, point in value.points:
        blocks.append(f"#lw-point[{typst_escape(f'({letter})')}][{text(point)}]")
    body = "\n\n".join(blocks)
    label = f"{value.number}." if value.label is None else value.label
    if not label:  # an article's lone paragraph is not numbered
        return Typst(f"#block(above: 1.1em, below: 1.1em)[{body}]")
    return Typst(f"#lw-paragraph[{typst_escape(label)}][{body}]")


def _cells(values: list[str]) -> str:
    return ", ".join(f"[{typst_escape(v)}]" for v in values)


def annex_table(value: Table) -> Typst:
    """An annex table: the element column, one column per party, the common rule."""
    count = len(value.headers)
    if count == 0:
        return Typst("")
    widths = (["1.15fr"] + ["1fr"] * (count - 2) + ["1.45fr"] if count >= 3
              else ["1fr"] * count)
    rows = "".join(f",\n  {_cells((row + [''] * count)[:count])}" for row in value.rows)
    return Typst(f"#lw-annex-table(({', '.join(widths)},), ({_cells(value.headers)},)"
                 f"{rows})")


def longdate(value: Any, language: str = "en") -> Typst:
    if value is None:
        return Typst("")
    if language != "en" and hasattr(value, "year"):
        return typst_escape(long_date(value, language))
    return typst_escape(_format_date(value))


def round_line(preface: Preface, say: Phrases | None = None) -> Typst:
    """'Round 3 · 12 June 2017', or as much of it as the session says."""
    parts = []
    english = say is None or say.english
    if preface.round_number is not None:
        parts.append(f"Round {preface.round_number}" if english
                     else say("round", number=preface.round_number))  # type: ignore[misc]
    if preface.round_date is not None:
        parts.append(_format_date(preface.round_date) if english
                     else long_date(preface.round_date, say.language))  # type: ignore[union-attr]
    return typst_escape(" · ".join(parts))


def parties(names: list[str]) -> Typst:
    return typst_escape(join_words(list(names)))


def _finalize(value: Any) -> Any:
    """Whatever a skeleton prints without a filter is escaped: nothing slips through."""
    if isinstance(value, Typst):
        return value
    if value is None:
        return ""
    return typst_escape(str(value))


def _load_template(name: str) -> str:
    return (resources.files("templates") / name).read_text("utf-8")


FILTERS: dict[str, Callable[..., Typst]] = {
    "esc": typst_escape, "string": typst_string, "text": text, "paragraph": paragraph,
    "annex_table": annex_table, "longdate": longdate,
    "parties": parties, "round_line": round_line,
}


@cache
def environment() -> jinja2.Environment:
    from negotiation.cache import TemplateCache

    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(_load_template),
        autoescape=False, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined, finalize=_finalize,
        # Compiling the page skeletons is a tenth of a `render`: kept in the user's
        # private cache, keyed by each template's source and this module's code.
        bytecode_cache=TemplateCache(__name__),
    )
    env.filters.update(FILTERS)
    return env


def write_typst(draft: Draft, attribution: bool = True) -> str:
    """The draft as Typst source from the skeleton for its form; deterministic.
    `attribution=False` leaves out who supports which option or value."""
    rendered = environment().get_template(f"{draft.form}.typ.j2").render(
        draft=draft, attribution=attribution)
    return re.sub(r"\n{3,}", "\n\n", rendered).strip() + "\n"


# -- compiling --------------------------------------------------------------------------


_PACKAGE_IMPORT = re.compile(r'(?<!\\)"@[A-Za-z0-9_-]+/[A-Za-z0-9_.-]+(?::[0-9.]+)?"?')
"""A package spec ("@preview/name:0.1.0") anywhere in the source, however it is
imported or included: resolving one would need the network."""


ROOT_PREFIX = "linkwright-typst-"
"""Our private compile folders in the temp dir: `linkwright-typst-<pid>-<random>`."""

_ROOT_PID = re.compile(re.escape(ROOT_PREFIX) + r"([0-9]{1,10})-")

STALE_AFTER_SECONDS = 3600
"""A compile takes seconds; a folder of ours older than an hour is a leftover even
if its pid now belongs to another process."""


def compile_pdf(source: str) -> bytes:
    """Compile Typst source to PDF from memory: bundled fonts, no packages.

    The source never touches the disk (for the brief it holds internal notes, and a
    render killed midway would leave it behind). The compiler still gets a root: an
    empty private folder, because without one it resolves paths such as
    `#read("notes.txt")` from the current directory."""
    if _PACKAGE_IMPORT.search(source):
        # Our own templates never import packages; a package would need the network.
        raise LinkwrightError("PDF could not be typeset: Typst packages are not used here")
    remove_stale_roots()
    root = Path(tempfile.mkdtemp(prefix=f"{ROOT_PREFIX}{os.getpid()}-"))  # mode 0700
    try:
        return _typeset(source, root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _typeset(source: str, root: Path) -> bytes:
    packages = str(root / "packages")  # never created: no package is ever resolved
    try:
        result = typst.compile(source.encode("utf-8"), root=str(root), ignore_system_fonts=True,
                               package_path=packages, package_cache_path=packages)
    except typst.TypstError as error:
        first = (str(error).strip().splitlines() or ["unknown error"])[0]
        raise LinkwrightError(f"PDF could not be typeset: {first}") from None
    if not isinstance(result, bytes):  # a one-page-per-file format was never asked for
        raise LinkwrightError("PDF could not be typeset: the compiler returned no PDF")
    return result


def remove_stale_roots() -> None:
    """Remove compile folders of ours that a killed render left in the temp dir.

    Only this user's real folders (not links), and only when the process that made
    one is gone or the folder is over an hour old (a pid can be reused; a folder
    from before pids were in the name has none). A folder removed under a running
    compile costs nothing: its root is empty and the source is in memory."""
    try:
        entries = list(os.scandir(tempfile.gettempdir()))
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(ROOT_PREFIX) and _is_stale(entry):
            shutil.rmtree(entry.path, ignore_errors=True)


def _is_stale(entry: os.DirEntry[str]) -> bool:
    try:
        info = entry.stat(follow_symlinks=False)
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != _uid():
        return False
    match = _ROOT_PID.match(entry.name)
    if match and not _process_alive(int(match.group(1))):
        return True
    return time.time() - info.st_mtime > STALE_AFTER_SECONDS


def _uid() -> int:
    return os.getuid() if hasattr(os, "getuid") else -1


def _process_alive(pid: int) -> bool:
    """Whether process `pid` exists; signal 0 only asks, it sends nothing."""
    if pid <= 0 or os.name != "posix":
        return True  # pid 0 would ask our process group; elsewhere kill() terminates
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):
        return True  # it exists but is another user's (EPERM), or we cannot tell
    return True


def write_pdf(draft: Draft, attribution: bool = True) -> bytes:
    """The draft as PDF bytes; the same draft gives the same bytes."""
    return compile_pdf(write_typst(draft, attribution))


# -- the negotiator's brief and other whole Markdown documents ---------------------------


def markdown_document_to_typst(markdown: str, title: str, short_title: str,
                               marking: str) -> str:
    """A whole Markdown document (headings, lists, tables, ```chart blocks) as a Typst
    document on the same page as the drafts, under a title block."""
    body = _convert(markdown, document=True)
    rendered = environment().get_template("document.typ.j2").render(
        title=title, short_title=short_title, marking=marking, body=body)
    return re.sub(r"\n{3,}", "\n\n", rendered).strip() + "\n"


def markdown_document_pdf(markdown: str, title: str, short_title: str,
                          marking: str) -> bytes:
    """The Markdown document as PDF bytes."""
    return compile_pdf(markdown_document_to_typst(markdown, title, short_title, marking))
