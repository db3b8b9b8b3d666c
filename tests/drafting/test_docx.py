"""The DOCX a legal team opens in Word: styles, numbering, brackets, comments, annexes."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from functools import cache
from typing import Any

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn

from negotiation.drafting.builder import build_draft
from negotiation.drafting.criteria import ANNEX_HEADING, CRITERIA, column_label
from negotiation.drafting.docx_writer import markdown_document_docx, write_docx
from negotiation.drafting.model import Draft, Markdown
from negotiation.session import load_preset
from tests.conftest import negotiation

PRESETS = ["eu-ch", "ca-qc", "ca-qc-draft", "ca-qc-on", "au-eu", "eu-uk", "eu-ch-uk"]
HOSTILE = '<w:t>&amp;]]></w:t> #read("x") *b* \x07'
HOSTILE2 = 'Our own text: <b>x</b> & ]]> [link](http://e) **not bold** \\*  \x00\x0b\x1f$y$ end'
STRIPPED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


@cache
def draft(preset: str) -> Draft:
    return build_draft(load_preset(preset))


@cache
def rendered(preset: str) -> bytes:
    return write_docx(draft(preset))


def opened(data: bytes) -> DocxDocument:
    return docx.Document(io.BytesIO(data))


def body_texts(document: DocxDocument) -> list[str]:
    return [p.text for p in document.paragraphs]


def all_texts(document: DocxDocument) -> str:
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join(body_texts(document) + cells)


ARTICLE_HEADING = re.compile(r"Article (\d+) — |(\d+)  \S")
"""An article's heading, "Article 5 — …", or a section's in an Australian instrument,
"5  …" (under a Part heading)."""


def _article_number(paragraph: Any) -> int | None:
    match = ARTICLE_HEADING.match(paragraph.text)
    if paragraph.style.name in ("Heading 1", "Heading 2") and match:
        return int(match.group(1) or match.group(2))
    return None


def articles(document: DocxDocument) -> list[tuple[int, list[str]]]:
    """(article number, its paragraphs' texts), from the article headings."""
    found: list[tuple[int, list[str]]] = []
    for paragraph in document.paragraphs:
        number = _article_number(paragraph)
        if number is not None:
            found.append((number, []))
        elif paragraph.style.name.startswith("Heading"):
            if found and not paragraph.text.startswith("Part "):
                found.append((-1, []))  # a heading that closes the body
        elif found and found[-1][0] > 0:
            found[-1][1].append(paragraph.text)
    return [a for a in found if a[0] > 0]


def article_paragraphs(document: DocxDocument) -> list[list[Any]]:
    """The paragraphs under each article heading, up to the next heading."""
    found: list[list[Any]] = []
    inside = False
    for paragraph in document.paragraphs:
        if paragraph.style.name.startswith("Heading") or paragraph.style.name == "Title":
            inside = _article_number(paragraph) is not None
            if inside:
                found.append([])
        elif inside:
            found[-1].append(paragraph)
    return found


def hostile(preset: str, edit: Callable[[dict[str, Any]], None]) -> DocxDocument:
    return opened(write_docx(build_draft(negotiation(preset, edit))))


# -- every preset ------------------------------------------------------------


@pytest.mark.parametrize("preset", PRESETS)
def test_every_preset_renders_with_the_marking_and_short_title_in_every_header(
        preset: str) -> None:
    document = opened(rendered(preset))
    preface = draft(preset).preface
    assert len(document.sections) >= 2  # the body, then the annexes on their own pages
    for section in document.sections:
        header = "\n".join(p.text for p in section.header.paragraphs)
        assert preface.marking in header
        assert preface.short_title in header


@pytest.mark.parametrize("preset", PRESETS)
def test_footer_carries_a_page_number_field(preset: str) -> None:
    document = opened(rendered(preset))
    for section in document.sections:
        instructions = [e.text for e in section.footer._element.iter(qn("w:instrText"))]
        assert any(i.strip() == "PAGE" for i in instructions)


@pytest.mark.parametrize("preset", PRESETS)
def test_articles_are_heading_1_numbered_in_order_without_gaps(preset: str) -> None:
    document = opened(rendered(preset))
    numbers = [number for number, _ in articles(document)]
    assert numbers == list(range(1, len(draft(preset).body) + 1))
    headings = [p for p in document.paragraphs if _article_number(p) == 1]
    # Under a Part heading where the house style groups sections in Parts.
    parts = any(p.text.startswith("Part 1—") for p in document.paragraphs)
    assert headings[0].style.name == ("Heading 2" if parts else "Heading 1")


def _list_of(paragraph: Any) -> tuple[int, int] | None:
    """(numId, ilvl) of a paragraph numbered by a Word list, or None."""
    num_pr = paragraph._p.pPr.numPr if paragraph._p.pPr is not None else None
    if num_pr is None:
        return None
    return num_pr.numId.val, num_pr.ilvl.val


@pytest.mark.parametrize("preset", PRESETS)
def test_paragraphs_of_each_article_are_a_word_list_of_their_own_and_a_lone_one_unnumbered(
        preset: str) -> None:
    # Updated on purpose (issue 11): numbers come from Word's list numbering, not typed
    # "1.\t", and a lone paragraph carries no number.
    document = opened(rendered(preset))
    lists_seen: list[int] = []
    for article, paragraphs in zip(draft(preset).body, article_paragraphs(document),
                                   strict=True):
        provisions = [p for p in paragraphs if p.style.name in ("Numbered Paragraph",
                                                                "Article Text")]
        assert len(provisions) == len(article.paragraphs), article.heading
        assert not any(re.match(r"\d+\.\t", p.text) for p in paragraphs), article.heading
        if len(article.paragraphs) == 1:
            assert provisions[0].style.name == "Article Text"
            assert _list_of(provisions[0]) is None, article.heading
            continue
        lists = {_list_of(p) for p in provisions}
        assert len(lists) == 1 and None not in lists, article.heading
        num_id, level = lists.pop()  # type: ignore[misc]
        assert level == 0 and num_id not in lists_seen  # each article starts again at 1
        lists_seen.append(num_id)


@pytest.mark.parametrize("preset", PRESETS)
def test_the_title_and_subtitle_open_the_document(preset: str) -> None:
    document = opened(rendered(preset))
    first, second = document.paragraphs[:2]
    preface = draft(preset).preface
    assert (first.style.name, first.text) == ("Title", preface.title)
    assert second.style.name == "Subtitle"
    assert preface.subtitle in second.text
    assert f"Round {preface.round_number}" in second.text


@pytest.mark.parametrize("preset", PRESETS)
def test_the_same_session_gives_the_same_bytes_dated_by_the_round(preset: str) -> None:
    data = rendered(preset)
    assert write_docx(build_draft(load_preset(preset))) == data
    document = opened(data)
    round_date = draft(preset).preface.round_date
    assert document.core_properties.created.date() == round_date
    assert document.core_properties.modified.date() == round_date
    assert document.core_properties.title == draft(preset).preface.title
    assert all(c.timestamp is None or c.timestamp.date() == round_date
               for c in document.comments)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert {i.date_time for i in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_no_status_of_the_text_table_even_while_something_is_open() -> None:
    # The table moved to the status note (test_instrument_only.py); Annex I is the only one.
    document = opened(rendered("ca-qc-draft"))
    assert "Status of the text" not in body_texts(document)
    assert [t.rows[0].cells[0].text for t in document.tables] == [ANNEX_HEADING]


# -- eu-ch: a treaty --------------------------------------------------------------


def test_eu_ch_cross_references_read_article_n_and_article_n_k() -> None:
    text = all_texts(opened(rendered("eu-ch")))
    assert "[reference to" not in text
    assert re.search(r"\bArticle \d+\(\d+\)", text)
    assert re.search(r"\bArticle \d+(?![(\d])", text.split("HAVE AGREED AS FOLLOWS:")[1])


def test_eu_ch_preamble_then_articles_then_signatures_then_annex() -> None:
    texts = body_texts(opened(rendered("eu-ch")))
    # The EU's closing has no heading: "Done at …", then the signature blocks.
    done = next(i for i, t in enumerate(texts) if t.startswith("Done at"))
    order = [texts.index(t) for t in ("Preamble", "HAVE AGREED AS FOLLOWS:",
                                      "Article 1 — Objective")] + [done]
    annex = next(i for i, t in enumerate(texts) if t.startswith("Annex I — "))
    assert order == sorted(order) and order[-1] < annex
    assert "For the European Union:" in texts
    assert "For the Swiss Confederation:" in texts


def test_definitions_are_lettered_points_indented_under_their_paragraph() -> None:
    # Updated on purpose (issue 11): "(a)" is the second level of Word's list, not typed.
    document = opened(rendered("eu-ch"))
    points = [p for p in document.paragraphs if p.text.startswith("“")]
    assert len(points) >= 3 and all(p.style.name == "Lettered Point" for p in points)
    assert {_list_of(p)[1] for p in points} == {1}  # type: ignore[index]
    numbered = next(p for p in document.paragraphs if p.style.name == "Numbered Paragraph")
    paragraph_format, point_format = (numbered.style.paragraph_format,
                                      points[0].style.paragraph_format)
    assert point_format.left_indent > paragraph_format.left_indent
    assert paragraph_format.first_line_indent < 0  # the number hangs in the margin


# -- ca-qc-draft: a memorandum with brackets ----------------------------------------------


def test_ca_qc_options_sit_in_one_paragraph_with_a_comment_per_option() -> None:
    document = opened(rendered("ca-qc-draft"))
    options = [t for t in body_texts(document) if "[Option 1:" in t]
    assert options and all("[Option 2:" in t for t in options)
    comments = [c.text for c in document.comments]
    assert all(c.author == "Linkwright" for c in document.comments)
    assert "Supported by California" in comments
    assert "Proposed by Québec (own text)" in comments
    anchored = _commented_texts(rendered("ca-qc-draft"))
    assert any(a.startswith("[Option 2: Each Participant will inform") and a.endswith("]")
               for a in anchored)


def test_ca_qc_disputed_months_carry_a_comment_on_the_bracketed_values() -> None:
    document = opened(rendered("ca-qc-draft"))
    assert any("[12][6] months" in t for t in body_texts(document))
    expected = ("Minimum months of notice before the withdrawal takes effect: 12 supported by "
                "California; 6 supported by Québec")
    assert expected in [c.text for c in document.comments]
    assert "[12][6]" in _commented_texts(rendered("ca-qc-draft"))


def test_memorandum_body_never_says_shall() -> None:
    for preset in ("ca-qc", "ca-qc-draft", "ca-qc-on"):
        body = "\n".join(body_texts(opened(rendered(preset))))
        assert not re.search(r"\bshall\b", body, re.IGNORECASE), preset


def _commented_texts(data: bytes) -> list[str]:
    """The text each comment is anchored on, read from document.xml."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        xml = package.read("word/document.xml").decode()
    spans = re.findall(r'<w:commentRangeStart w:id="(\d+)"/>(.*?)'
                       r'<w:commentRangeEnd w:id="\1"/>', xml, re.S)
    return ["".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", body)) for _, body in spans]


# -- annexes ---------------------------------------------------------------------


@pytest.mark.parametrize("preset", ["eu-ch", "ca-qc-on", "eu-ch-uk"])
def test_annex_i_is_a_word_table_column_per_party_row_per_element(preset: str) -> None:
    document = opened(rendered(preset))
    neg = load_preset(preset)
    shorts = [column_label(neg.party_short(p)) for p in neg.party_ids]
    table = next(t for t in document.tables if t.rows[0].cells[0].text == ANNEX_HEADING)
    header = table.rows[0]
    # An obligation per row, a column per party; no common-rule column (issue 11).
    assert [c.text for c in header.cells] == [ANNEX_HEADING, *shorts]
    assert [r.cells[0].text for r in table.rows[1:]] == [c.obligation for c in CRITERIA]
    assert table.style.name == "Table Grid"
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page
    assert all(run.bold for cell in header.cells for run in cell.paragraphs[0].runs)


def test_annex_i_is_on_a_landscape_page_of_its_own() -> None:
    document = opened(rendered("eu-ch"))
    assert document.sections[-1].page_width > document.sections[-1].page_height


def test_hybrid_eu_uk_has_annex_ii_with_heading_2_sections() -> None:
    document = opened(rendered("eu-uk"))
    styled = [(p.style.name, p.text) for p in document.paragraphs]
    annex = next(i for i, (_, text) in enumerate(styled) if text.startswith("Annex II — "))
    assert styled[annex][0] == "Heading 1"
    sections = [(i, text) for i, (style, text) in enumerate(styled) if style == "Heading 2"]
    expected = draft("eu-uk").attachments[1].sections
    assert [t for _, t in sections] == [f"Section {s.number} — {s.heading}" for s in expected]
    assert sections[0][0] > annex
    assert styled[sections[0][0] + 1][0] in ("Numbered Paragraph", "Article Text")
    assert "with Implementing Guidelines in Annex II" in document.paragraphs[1].text


# -- text is text ----------------------------------------------------------------------


def test_hostile_party_name_and_proposed_text_render_literally() -> None:
    def edit(data: dict[str, Any]) -> None:
        data["parties"][0]["name"] = HOSTILE
        data["positions"]["qc"]["oversight.coordination"] = {"text": HOSTILE2}

    document = hostile("ca-qc-draft", edit)
    text = all_texts(document)
    assert STRIPPED.sub("", HOSTILE) in text  # via clause text (escaped Markdown) and plain
    assert STRIPPED.sub("", HOSTILE2) in text  # a proposed text: never parsed
    assert any(STRIPPED.sub("", HOSTILE) in c.text for c in document.comments)
    signature = f"For {STRIPPED.sub('', HOSTILE)}:"
    assert signature in body_texts(document)


def test_hostile_short_title_and_marking_render_literally_in_the_header() -> None:
    def edit(data: dict[str, Any]) -> None:
        data["short_title"] = "A <b>&amp; \x01 ]]>"
        data["marking"] = "*Secret* \\ # \x1f"

    document = hostile("eu-ch", edit)
    header = document.sections[0].header.paragraphs[0].text
    assert header == "*Secret* \\ # \tA <b>&amp;  ]]>"


def test_markdown_in_clause_text_becomes_runs_without_its_syntax() -> None:
    draft_ = build_draft(load_preset("eu-ch"))
    draft_.body[0].paragraphs[0].text = Markdown(
        "The *Parties* **shall** cooperate \\*here\\* on `code`.\n\nA second paragraph.")
    document = opened(write_docx(draft_))
    paragraphs = document.paragraphs
    at = next(i for i, p in enumerate(paragraphs) if p.text.startswith("The Parties"))
    assert paragraphs[at].text == "The Parties shall cooperate *here* on code."
    runs = {r.text: r for r in paragraphs[at].runs}
    assert runs["Parties"].italic and runs["shall"].bold
    assert runs["code"].font.name == "Courier New"
    assert paragraphs[at + 1].text == "A second paragraph."


# -- a whole Markdown document (the brief) -------------------------------------------------

BRIEF = """\
# Negotiator's brief

Where the round stands, with *emphasis* and a literal \\*star\\* and <tag> & more.

## Positions

- California wants **12** months
- Québec wants 6

1. First step
2. Second step

### Figures

| Element | EU | CH |
| --- | ---: | --- |
| Cap | 1,800 | 4.9 |

#### Price gap

```chart
{"title": "Price gap", "unit": "EUR/t", "bars": [{"label": "EU ETS", "value": 25},
 {"label": "Swiss ETS", "value": -12.5}]}
```

```
plain <code> block
```
"""


def test_brief_headings_map_to_word_heading_styles() -> None:
    document = opened(markdown_document_docx(BRIEF, "Negotiator's brief", "Brief", "Internal"))
    styles = {p.text: p.style.name for p in document.paragraphs}
    assert document.paragraphs[0].style.name == "Title"
    assert styles["Positions"] == "Heading 2"
    assert styles["Figures"] == "Heading 3"
    pairs = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Heading 4", "Price gap") in pairs  # the heading, then the chart's caption
    assert ("Caption", "Price gap") in pairs
    assert styles["California wants 12 months"] == "List Bullet"
    assert styles["First step"] == "List Number"
    assert "Where the round stands, with emphasis and a literal *star* and <tag> & more." \
        in styles
    assert styles["plain <code> block"] == "Normal"
    header = document.sections[0].header.paragraphs[0].text
    assert header == "Internal\tBrief"


def test_brief_chart_becomes_a_table_of_bars() -> None:
    document = opened(markdown_document_docx(BRIEF, "Brief", "Brief", "Internal"))
    chart = next(t for t in document.tables if "EU ETS" in t.rows[1].cells[0].text)
    rows = [[c.text for c in r.cells] for r in chart.rows]
    assert rows[0][1] == "Value (EUR/t)"
    assert rows[1][:2] == ["EU ETS", "25"] and rows[2][:2] == ["Swiss ETS", "-12.5"]
    assert rows[1][2] == "█" * 20  # the largest absolute value fills the bar
    assert rows[2][2].count("█") == 10
    figures = next(t for t in document.tables if t.rows[0].cells[0].text == "Element")
    assert [c.text for c in figures.rows[1].cells] == ["Cap", "1,800", "4.9"]


def test_brief_text_with_control_characters_still_renders() -> None:
    data = markdown_document_docx("Bad \x00\x08 text\n", "T\x0b", "S", "M\x1f")
    document = opened(data)
    assert "Bad  text" in body_texts(document)
    assert document.core_properties.title == "T"
