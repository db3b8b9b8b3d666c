"""Hostile strings typed by the other side, in every field, in every format.

A party name, the title, the marking, a condition, a party's own proposed
text and parameter values (text and list) carry Markdown/HTML, Typst, XML,
Jinja and control characters. In Markdown, PDF and DOCX each must show as
typed (less the characters a format cannot hold) and nothing may execute:
no file read, no arithmetic, no link, no image, no raw HTML, no new
structure. Internal notes reach the brief and never the instrument.

Strings are rendered in groups (every field of one session holds several
strings, each between its own markers), so that the whole corpus costs six
renders per format.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import zipfile
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pypdf
import pytest

from negotiation.drafting.builder import build_draft
from negotiation.drafting.command import render_document
from negotiation.drafting.markdown import write_markdown
from negotiation.errors import LinkwrightError
from negotiation.session import Negotiation
from tests.conftest import negotiation
from tests.security.support import (
    active_markdown,
    docx_text,
    flat,
    markdown_tokens,
    markdown_visible_text,
    pdf_text,
)

HOSTILE: dict[str, str] = {
    "html-script": "<script>alert('x')</script>",
    "html-img": '<img src=x onerror="alert(1)">',
    "md-link": "[click](javascript:alert(1))",
    "md-image": "![img](file:///etc/passwd)",
    "md-autolink": "<https://evil.example/>",
    "md-ref-link": "[x][1] [1]: http://evil.example",
    "md-emphasis": "*bold* _it_ **strong** `code` ~~s~~",
    "md-heading": "# Heading",
    "md-entities": "&amp; &lt;b&gt; &#x3C; &copy;",
    "md-table": "| a | b |",
    "typst-read": '#read("/etc/passwd")',
    "typst-import": '#import "@preview/cetz:0.2.2": *',
    "typst-include": '#include "/etc/passwd"',
    "typst-image": '#image("/etc/hostname")',
    "typst-math": "$x^2$ $ a $",
    "typst-ref-label": "@label <lbl>",
    "typst-brackets": "] [ } { ) (",
    "typst-backslash": "\\ \\u{41} \\#",
    "typst-comment": "// not a comment /* nor this */",
    "typst-code": "#{ let x = 1 } #let y = 2 #x",
    "typst-shorthands": "a -- b --- c ... d ~ e -? f",
    "xml": "<w:t>x</w:t> & ]]> <![CDATA[y]]> &amp;",
    "jinja-expr": "{{ 7*7 }} {{ config }}",
    "jinja-stmt": "{% for i in range(3) %}x{% endfor %}",
    "control": "bell\x07 esc\x1b[31m nul\x00 del\x7f c1\x85 end",
    "quotes": "'single' \"double\" `back`",
}

FIELDS = ("title", "marking", "party", "condition", "proposed", "list", "text")
"""Where a string is put; `notes` is checked separately (never in the instrument)."""

ESCAPES = {"typst-read", "typst-include", "typst-image"}


def _tag(field: str, key: str) -> str:
    return f"Q{FIELDS.index(field) if field in FIELDS else 9}{list(HOSTILE).index(key):02d}Q"


def _groups() -> list[list[str]]:
    """Corpus ids in groups of a few strings: a field holds all strings of its group
    (short enough for a title)."""
    groups: list[list[str]] = [[]]
    length = 0
    for key, value in HOSTILE.items():
        size = len(value) + 2 * len(_tag("title", key)) + 3
        if length + size > 180:
            groups.append([])
            length = 0
        groups[-1].append(key)
        length += size
    return groups


GROUPS = _groups()
GROUP_OF = {key: index for index, keys in enumerate(GROUPS) for key in keys}


def marked(field: str, key: str, value: str) -> str:
    tag = _tag(field, key)
    return f"{tag} {value} {tag}"


def _values(group: int, neutral: bool = False) -> dict[str, str]:
    keys = GROUPS[group]
    out = {}
    for field in (*FIELDS, "notes"):
        out[field] = " ".join(marked(field, key, "neutral" if neutral else HOSTILE[key])
                              for key in keys)
    out["notes"] = "INTERNALNOTE " + out["notes"]
    return out


def _edit(values: dict[str, str]) -> Any:
    def edit(data: dict[str, Any]) -> None:
        data["title"] = values["title"]
        data["marking"] = values["marking"]
        data["parties"][0]["name"] = values["party"]
        data["conditions"] = [{"party": "qc", "what": values["condition"]}]
        data["positions"]["qc"]["third_links.procedure"] = {"text": values["proposed"]}
        data["provisions"]["languages.authentic"] = {
            "clause": "languages.authentic.one_prevails",
            "params": {"languages": [values["list"], "French"], "prevailing": values["text"]}}
        data["notes"] = values["notes"]
    return edit


@cache
def session(group: int, neutral: bool = False) -> Negotiation:
    return negotiation("ca-qc-draft", _edit(_values(group, neutral)))


@cache
def rendered(group: int, fmt: str, document: str = "instrument") -> bytes:
    if fmt == "md" and document == "instrument":
        return write_markdown(build_draft(session(group))).encode("utf-8")
    return render_document(session(group), fmt, document).data


@cache
def shown(group: int, fmt: str, document: str = "instrument") -> str:
    """What a reader of the rendered document sees, folded."""
    data = rendered(group, fmt, document)
    if fmt == "md":
        return markdown_visible_text(data.decode("utf-8"))
    return pdf_text(data) if fmt == "pdf" else docx_text(data)


def visible(text: str) -> str:
    """`text` less the characters no format keeps (controls; NUL becomes U+FFFD in
    CommonMark)."""
    return flat(text).replace("\ufffd", "")


def dense(text: str) -> str:
    """`text` without whitespace or soft hyphens: a PDF line may break anywhere (after a
    '/' or a ']'), and its text then reads with a space or a soft hyphen there."""
    return re.sub(r"[\s\xad]+", "", visible(text))


def appears(fmt: str, field: str, expected: str, text: str) -> bool:
    if fmt != "pdf":
        return visible(expected) in visible(text)
    if field == "marking":  # the PDF sets the marking in capitals, by design
        return dense(expected).upper() in dense(text).upper()
    return dense(expected) in dense(text)


FORMATS = ["md", "pdf", "docx"]
CASES = [(fmt, key) for fmt in FORMATS for key in HOSTILE]


@pytest.mark.parametrize(("fmt", "key"), CASES, ids=[f"{f}-{k}" for f, k in CASES])
def test_each_hostile_string_shows_literally_in_every_field(fmt: str, key: str) -> None:
    group = GROUP_OF[key]
    text = shown(group, fmt)
    missing = [field for field in FIELDS
               if not appears(fmt, field, marked(field, key, HOSTILE[key]), text)]
    assert missing == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_nothing_in_the_strings_executes(fmt: str) -> None:
    for group in range(len(GROUPS)):
        text = shown(group, fmt)
        raw = rendered(group, fmt)
        assert "root:" not in text and b"root:" not in raw  # no /etc/passwd read
        assert "49" not in re.findall(r"Q\d\d\dQ (\S+)", text)  # no {{ 7*7 }} evaluated
        assert " xxx " not in text  # no {% for %} run


def test_markdown_holds_no_link_image_or_html() -> None:
    for group in range(len(GROUPS)):
        markdown = rendered(group, "md").decode("utf-8")
        assert active_markdown(markdown) == []


def _structure(markdown: str) -> Counter[str]:
    """Block and inline structure of the Markdown, without the text itself."""
    ignore = {"text", "text_special", "softbreak", "hardbreak", "inline"}
    return Counter(t.type for t in markdown_tokens(markdown) if t.type not in ignore)


def test_markdown_structure_is_the_same_as_with_neutral_strings() -> None:
    for group in range(len(GROUPS)):
        hostile = rendered(group, "md").decode("utf-8")
        neutral = write_markdown(build_draft(session(group, neutral=True)))
        assert _structure(hostile) == _structure(neutral)


def test_the_brief_holds_no_link_image_or_html_and_keeps_its_structure() -> None:
    """The brief shows party names in its economics table and chart too."""
    for group in range(len(GROUPS)):
        hostile = rendered(group, "md", "brief").decode("utf-8")
        assert active_markdown(hostile) == []
        neutral = render_document(session(group, neutral=True), "md", "brief").data
        assert _structure(hostile) == _structure(neutral.decode("utf-8"))


MULTILINE = ("first line\n1) not a list\n---\n===\n    not code\n\nnew paragraph\n"
             "* star\n> quote\n# heading")


def test_a_line_break_in_a_string_adds_no_markdown_structure() -> None:
    def hostile(data: dict[str, Any]) -> None:
        data["parties"][0]["name"] = "Party " + MULTILINE
        data["title"] = "Title " + MULTILINE
        data["positions"]["qc"]["third_links.procedure"] = {"text": "Own " + MULTILINE}

    def neutral(data: dict[str, Any]) -> None:
        data["parties"][0]["name"] = "Party neutral"
        data["title"] = "Title neutral"
        data["positions"]["qc"]["third_links.procedure"] = {"text": "Own neutral"}

    bad = write_markdown(build_draft(negotiation("ca-qc-draft", hostile)))
    good = write_markdown(build_draft(negotiation("ca-qc-draft", neutral)))
    assert _structure(bad) == _structure(good)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_line_breaks_in_strings_stay_text_in_pdf_and_docx(fmt: str) -> None:
    def hostile(data: dict[str, Any]) -> None:
        data["positions"]["qc"]["third_links.procedure"] = {"text": "OWNTEXT " + MULTILINE}

    data = render_document(negotiation("ca-qc-draft", hostile), fmt).data
    if fmt == "docx":
        assert appears(fmt, "proposed", "OWNTEXT " + MULTILINE, docx_text(data))
        return
    # A page break may fall inside the text (footnotes and the running footer are then
    # read between its lines): each line shows literally, in order.
    text, start = dense(pdf_text(data)), 0
    for line in ("OWNTEXT " + MULTILINE).splitlines():
        found = text.find(dense(line), start)
        assert found >= 0, line
        start = found + len(dense(line))


def test_pdf_carries_no_link_or_script() -> None:
    for group in range(len(GROUPS)):
        data = rendered(group, "pdf")
        reader = pypdf.PdfReader(io.BytesIO(data))
        for page in reader.pages:
            for annotation in page.get("/Annots") or []:
                action = annotation.get_object().get("/A")
                assert action is None or "/URI" not in action.get_object()
        assert b"/JavaScript" not in data and b"/Launch" not in data


def test_docx_carries_no_link_field_or_external_target() -> None:
    for group in range(len(GROUPS)):
        with zipfile.ZipFile(io.BytesIO(rendered(group, "docx"))) as package:
            for name in package.namelist():
                if not name.endswith((".xml", ".rels")):
                    continue
                xml = package.read(name).decode("utf-8")
                assert 'TargetMode="External"' not in xml, name
                assert "<w:hyperlink" not in xml, name
                fields = re.findall(r"<w:instrText[^>]*>([^<]*)</w:instrText>", xml)
                # Page numbers, and cross-references to bookmarks inside this document
                # (issue 11): a REF to anything else, or any other field, is refused.
                bookmarks = set(re.findall(r'<w:bookmarkStart [^>]*w:name="([^"]+)"', xml))
                for field in fields:
                    words = field.split()
                    page_number = words in (["PAGE"], ["NUMPAGES"])
                    reference = (words[:1] == ["REF"] and len(words) > 1
                                 and words[1] in bookmarks
                                 and set(words[2:]) <= {"\\h", "\\n", "\\r"})
                    assert page_number or reference, (name, field)
                assert "<w:t>x</w:t>" not in xml.replace("&lt;w:t&gt;x&lt;/w:t&gt;", "")


# -- confidentiality: notes are for one's own side only -----------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_internal_notes_never_reach_the_instrument(fmt: str) -> None:
    for group in range(len(GROUPS)):
        text = shown(group, fmt)
        assert "INTERNALNOTE" not in text
        assert _tag("notes", GROUPS[group][0]) not in text
        assert b"INTERNALNOTE" not in rendered(group, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_internal_notes_do_reach_the_brief(fmt: str) -> None:
    text = shown(0, fmt, "brief")
    assert "INTERNALNOTE" in text
    for key in GROUPS[0]:
        assert appears(fmt, "notes", marked("notes", key, HOSTILE[key]), text)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_brief_guidance_stays_out_of_the_instrument(fmt: str) -> None:
    """Guidance written for negotiators (here: of the chosen language clause) is in
    the brief, never in the text that goes to the other side."""
    guidance = "Expect resistance from a party whose language would not prevail"
    assert appears(fmt, "guidance", guidance, shown(0, fmt, "brief"))
    assert not appears(fmt, "guidance", guidance, shown(0, fmt))


def test_the_brief_is_marked_internal_and_the_instrument_is_not() -> None:
    assert "INTERNAL — NOT FOR THE OTHER SIDE" in shown(0, "md", "brief")
    assert "INTERNAL" not in shown(0, "md").upper().replace("INTERNATIONAL", "")


@pytest.mark.parametrize("field", ["title", "party"])
def test_a_long_title_or_party_name_renders_to_docx(field: str) -> None:
    long = "Agreement " + "concerning the linking of their systems " * 10
    assert 255 < len(long) <= 500

    def edit(data: dict[str, Any]) -> None:
        if field == "title":
            data["title"] = long
        else:
            data["parties"][0]["name"] = long

    text = docx_text(render_document(negotiation("ca-qc", edit), "docx").data)
    assert flat(long) in text


# -- Typst compiles in a private folder ------------------------------------------------------------


@pytest.mark.parametrize(("source", "problem"), [
    ('#read("/etc/passwd")', "file not found (searched at "),
    ('#image("/etc/hostname")', "file not found (searched at "),
    ('#include "/etc/passwd"', "file not found (searched at "),
    ('#json("/etc/passwd")', "file not found (searched at "),
    ('#read("../../../../etc/passwd")', "would escape the project root"),
    ('#read("secret.txt")', "file not found (searched at "),
])
def test_typst_cannot_read_local_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       source: str, problem: str) -> None:
    """Even Typst code that reached the compiler (it cannot: every string is escaped)
    reads nothing: the root is a private, empty temporary folder."""
    from negotiation.drafting import typst_writer
    (tmp_path / "secret.txt").write_text("root:x:0:0 TOPSECRET")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(LinkwrightError) as info:
        typst_writer.compile_pdf(source)
    assert str(info.value).startswith("PDF could not be typeset: ")
    assert problem in str(info.value)
    assert "TOPSECRET" not in str(info.value)
    # Removed: none of this process's folders is left (other processes compile too).
    assert list(Path(tempfile.gettempdir()).glob(f"linkwright-typst-{os.getpid()}-*")) == []


def test_a_typst_package_import_is_refused_without_the_network() -> None:
    from negotiation.drafting import typst_writer
    with pytest.raises(LinkwrightError) as info:
        typst_writer.compile_pdf('#import "@preview/linkwright-no-such-package:0.0.1": *\nx')
    assert str(info.value) == "PDF could not be typeset: Typst packages are not used here"


@pytest.mark.parametrize("source", [
    '#import("@preview/linkwright-no-such-package:0.0.1")',
    '#{import "@preview/linkwright-no-such-package:0.0.1": *}\nx',
    '#let p = "@preview/linkwright-no-such-package:0.0.1"\n#import p: *\nx',
    '#include("@preview/linkwright-no-such-package:0.0.1")',
], ids=["call", "code-block", "variable", "include-call"])
def test_typst_never_reaches_the_network_for_packages(source: str) -> None:
    from negotiation.drafting import typst_writer
    with pytest.raises(LinkwrightError) as info:
        typst_writer.compile_pdf(source)
    assert "download" not in str(info.value)
