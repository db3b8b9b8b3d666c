"""The PDF a negotiator takes to the round: every preset typesets, reads in order,
carries its marking and page numbers, and shows hostile text literally."""

from __future__ import annotations

import io
import re
from typing import Any

import pypdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negotiation.drafting.builder import build_draft
from negotiation.drafting.model import (
    Annex,
    Article,
    Draft,
    Markdown,
    Option,
    Paragraph,
    Preface,
    Supporter,
    Table,
)
from negotiation.drafting.typst_writer import (
    compile_pdf,
    markdown_document_pdf,
    markdown_document_to_typst,
    markdown_to_typst,
    typst_escape,
    write_pdf,
    write_typst,
)
from negotiation.errors import LinkwrightError
from negotiation.session import load_preset
from tests.conftest import negotiation

PRESETS = ["eu-ch", "ca-qc", "ca-qc-draft", "ca-qc-on", "au-eu", "eu-uk", "eu-ch-uk"]

HOSTILE = '#read("/etc/passwd") $x$ @ref <lbl> ]] *bold* \\'
HOSTILE2 = ('#include "/etc/passwd" #image("/etc/hostname") // no comment /* nor this */ '
            '= no heading - no list $$ ` ~ --- ... 1. x <a> @b [c] {d} (e) \'f\' "g" _h_')


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    """Extracted text with line ends and runs of spaces folded, as a reader scans it."""
    return re.sub(r"\s+", " ", text.replace("\xa0", " "))


@pytest.fixture(scope="module")
def rendered() -> dict[str, tuple[Draft, bytes, list[str]]]:
    out = {}
    for preset in PRESETS:
        draft = build_draft(load_preset(preset))
        pdf = write_pdf(draft)
        out[preset] = (draft, pdf, pages_text(pdf))
    return out


# -- escaping ---------------------------------------------------------------------------


@pytest.mark.parametrize("char", list("\\#[]$@<>*_`~/=+-'\".{}()"))
def test_every_markup_character_is_escaped(char: str) -> None:
    assert typst_escape(f"a{char}b") == f"a\\{char}b"


def test_escaped_strings_typeset_to_the_same_characters() -> None:
    samples = [HOSTILE, HOSTILE2, "1. not a list", "- nor this", "+ nor this", "= nor a heading",
               "/ term: nor a term", "https://example.org // x", "a -- b --- c -? d ... e",
               "\\u{41} stays as typed", "#let x = 1", "#{x}", "<label> @label", "$ a^2 $"]
    source = "#set document(date: none)\n#set page(width: 20cm, height: auto)\n" + "\n\n".join(
        f"#block[{typst_escape(s)}]" for s in samples)
    text = flat(" ".join(pages_text(compile_pdf(source))))
    for sample in samples:
        assert flat(sample) in text


MARKUP_HEAVY = st.text(alphabet=st.sampled_from(list("\\#[]{}()$@<>*_`~/=+-'\".:| \naZ1é")),
                       max_size=40)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MARKUP_HEAVY)
def test_any_plain_text_or_markdown_typesets(sample: str) -> None:
    compile_pdf(f"#block[{typst_escape(sample)}]\n\n{markdown_to_typst(sample)}\n")


def test_line_breaks_of_plain_text_stay_line_breaks() -> None:
    assert typst_escape("one\ntwo") == "one#linebreak()\ntwo"


def test_control_characters_are_dropped() -> None:
    assert typst_escape("a\x00b\x1bc") == "abc"


def test_markdown_structure_becomes_typst_calls() -> None:
    out = markdown_to_typst("Some *emphasis*, **strong** and `code`.")
    assert "#emph[emphasis]" in out and "#strong[strong]" in out
    assert '#raw("code")' in out


def test_markdown_lists_and_tables_convert() -> None:
    out = markdown_to_typst("- one\n- two\n\n3. three\n4. four\n\n| a | b |\n| --- | ---: |\n"
                            "| 1 | 2 |\n")
    assert "#list(tight: true, [one], [two])" in out
    assert "#enum(start: 3" in out
    assert "table.header([a], [b])" in out and "align: (left, right,)" in out


def test_markdown_backslash_escapes_show_the_character() -> None:
    assert markdown_to_typst(r"\*not strong\* \[8\]") == r"\*not strong\* \[8\]"


def test_markdown_text_nodes_cannot_call_functions() -> None:
    out = markdown_to_typst('#read("/etc/passwd") and *#image("x")* and `#include "y"`')
    assert "#read" not in out.replace("\\#read", "")
    assert "#image" not in out.replace("\\#image", "")
    assert '#raw("#include \\"y\\"")' in out


def test_raw_html_in_markdown_is_text() -> None:
    assert "\\<script\\>" in markdown_to_typst("<script>alert(1)</script>")


def test_references_stay_on_one_line() -> None:
    assert "#box[Article 12\\(1\\)]" in markdown_to_typst("under Article 12(1)")


# -- every preset ---------------------------------------------------------------------------


@pytest.mark.parametrize("preset", PRESETS)
def test_first_page_is_a_title_page_with_title_and_marking(rendered: Any, preset: str) -> None:
    draft, _pdf, pages = rendered[preset]
    first = flat(pages[0])
    assert flat(draft.preface.title) in first
    assert draft.preface.marking.upper() in first
    assert "Page 1 of" not in first


@pytest.mark.parametrize("preset", PRESETS)
def test_later_pages_carry_short_title_marking_and_page_numbers(rendered: Any,
                                                                preset: str) -> None:
    draft, _pdf, pages = rendered[preset]
    assert len(pages) > 2
    for number, text in enumerate(pages[1:], start=2):
        text = flat(text)
        assert flat(draft.preface.short_title) in text
        assert draft.preface.marking.upper() in text
        assert f"Page {number} of {len(pages)}" in text


@pytest.mark.parametrize("preset", PRESETS)
def test_every_article_heading_appears_in_order(rendered: Any, preset: str) -> None:
    draft, _pdf, pages = rendered[preset]
    text = flat(" ".join(pages))
    at = 0
    for article in draft.body:
        heading = flat(article.line())
        found = text.find(heading, at)
        assert found >= 0, heading
        at = found


def test_same_session_gives_the_same_pdf_bytes(rendered: Any) -> None:
    _draft, pdf, _pages = rendered["eu-ch"]
    assert write_pdf(build_draft(load_preset("eu-ch"))) == pdf


def test_only_bundled_fonts_are_embedded(rendered: Any) -> None:
    _draft, pdf, _pages = rendered["eu-ch"]
    fonts = set()
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts
    assert all(re.search(r"Libertinus|DejaVuSansMono|NewCM", f) for f in fonts), fonts


# -- what a negotiator checks in particular drafts --------------------------------------------


def article_text(draft: Draft, pages: list[str], topic: str) -> str:
    text = flat(" ".join(pages))
    article = next(a for a in draft.body if a.topic == topic)
    start = text.index(f"Article {article.number} — ")
    following = [a for a in draft.body if a.number == article.number + 1]
    end = text.index(f"Article {following[0].number} — ", start) if following else len(text)
    return text[start:end]


def test_cross_references_in_suspension_and_termination_are_resolved(rendered: Any) -> None:
    draft, _pdf, pages = rendered["eu-ch"]
    number = {a.topic: a.number for a in draft.body}
    suspension = article_text(draft, pages, "suspension")
    termination = article_text(draft, pages, "termination")
    assert f"under Article {number['termination']}" in suspension
    # The survival clause names the dispute settlement article by its number.
    assert f"Article {number['disputes']}," in termination
    # Its own paragraphs are "paragraph 3", not "Article 27(3)" (issue 11's style rule).
    assert re.search(r"\bparagraph \d\b", termination)
    assert not re.search(rf"Article {number['termination']}\(\d\)", termination)
    assert "unresolved" not in flat(" ".join(pages))


def test_options_carry_footnotes_naming_their_supporters(rendered: Any) -> None:
    draft, _pdf, pages = rendered["ca-qc-draft"]
    text = flat(" ".join(pages))
    assert "[Option 1:" in text and "[Option 2:" in text
    options = [o for a in draft.body for p in a.paragraphs for o in p.options]
    parties = {s.party for o in options for s in o.supporters}
    assert {"California", "Québec"} <= parties
    for name in ("California", "Québec"):
        assert re.search(rf"\dOption \d: (supported|text proposed) by {name}", text), name


def test_disputed_values_carry_a_footnote(rendered: Any) -> None:
    _draft, _pdf, pages = rendered["ca-qc-draft"]
    assert "Disputed value of Minimum months of notice" in flat(" ".join(pages))


def test_memorandum_says_nothing_binding(rendered: Any) -> None:
    _draft, _pdf, pages = rendered["ca-qc"]
    assert not re.search(r"\bshall\b", " ".join(pages), re.IGNORECASE)


def test_no_status_of_the_text_in_the_instrument(rendered: Any) -> None:
    # The counts and the table moved to the status note (test_instrument_only.py).
    _draft, _pdf, pages = rendered["ca-qc-draft"]
    assert "Status of the text" not in flat(" ".join(pages))
    assert "provisions open" not in flat(pages[0])


def test_clean_text_has_no_status_table() -> None:
    pages = pages_text(write_pdf(build_draft(load_preset("eu-ch"), clean=True)))
    assert not any("Status of the text" in p for p in pages)
    assert "open" not in flat(pages[0])


def test_hybrid_has_guidelines_annex_with_sections(rendered: Any) -> None:
    _draft, _pdf, pages = rendered["eu-uk"]
    text = flat(" ".join(pages))
    assert "Annex II — Implementing Guidelines" in text and "Section 1 — " in text
    assert "with Implementing Guidelines in Annex II" in flat(pages[0])


def test_regulation_title_page_names_the_recognising_party(rendered: Any) -> None:
    _draft, _pdf, pages = rendered["au-eu"]
    # An Australian legislative instrument says so under its name.
    first = flat(pages[0])
    assert "Regulation 2012" in first and "Commonwealth of Australia" in first


def test_essential_criteria_annex_is_a_table(rendered: Any) -> None:
    draft, _pdf, pages = rendered["eu-ch-uk"]
    table = draft.attachments[0].table
    assert table is not None
    text = flat(" ".join(pages))
    assert "Annex I — Essential criteria" in text
    assert " ".join(table.headers) in text


def test_long_annex_table_repeats_its_header_on_every_page() -> None:
    rows = [[f"Element {i}", "mandatory " * 8, "absolute " * 8, "open (Article 4(1))"]
            for i in range(120)]
    draft = small_draft(articles=1)
    draft.attachments = [Annex("I", "Essential criteria",
                               table=Table(["Element", "Alpha", "Beta", "Common rule"], rows))]
    pages = pages_text(write_pdf(draft))
    annex_pages = [p for p in pages if "Element 1" in p or "Element 9" in p]
    assert len(annex_pages) > 1
    assert all("Element Alpha Beta Common rule" in flat(p) for p in annex_pages)


# -- hostile input --------------------------------------------------------------------------


def test_hostile_names_and_proposed_text_render_literally_and_run_nothing() -> None:
    def edit(data: dict[str, Any]) -> None:
        data["parties"][0]["name"] = HOSTILE
        data["provisions"].pop("termination.notice", None)
        positions = data.setdefault("positions", {})
        positions.setdefault("eu", {})["termination.notice"] = {"text": HOSTILE2}
        positions.setdefault("ch", {})["termination.notice"] = {
            "clause": "termination.notice.fixed", "params": {"months": 12}}

    draft = build_draft(negotiation("eu-ch", edit))
    source = write_typst(draft)
    # The PDF maps one glyph to both "-" and a line-end hyphen; which one a reader
    # extracts depends on which the page sets first, so read both as "-".
    text = flat(" ".join(pages_text(compile_pdf(source)))).replace("\xad", "-")
    assert flat(HOSTILE) in text
    assert flat(HOSTILE2) in text
    assert f"text proposed by {flat(HOSTILE)}" in text
    assert "root:" not in text
    assert '#read("' not in source and '#include "' not in source


def test_a_typst_error_is_one_line_for_the_user() -> None:
    with pytest.raises(LinkwrightError) as caught:
        compile_pdf("#let x = (")
    assert "\n" not in str(caught.value)
    assert str(caught.value).startswith("PDF could not be typeset")


# -- the brief and other Markdown documents --------------------------------------------------

BRIEF = """# Economics of the link

Prices *converge*; gains accrue to **both** sides.

```chart
{"title": "Gains from trade", "unit": "EUR million",
 "bars": [{"label": "European Union", "value": 412.5},
          {"label": "Switzerland", "value": 38.2},
          {"label": "Net flow to Switzerland", "value": -12.75}]}
```

## Assumptions

1. Linear abatement costs.

| Party | Price |
| --- | ---: |
| EU | 24.10 |

```
#read("/etc/passwd") stays raw text
```
"""


def test_brief_with_chart_shows_bar_labels_and_values() -> None:
    text = flat(" ".join(pages_text(markdown_document_pdf(
        BRIEF, "Negotiator's brief", "Brief", "Internal — not for the other side"))))
    for label in ("European Union", "Switzerland", "Net flow to Switzerland", "Gains from trade"):
        assert label in text
    assert "412.5 EUR million" in text and "−12.75 EUR million" in text
    assert '#read("/etc/passwd") stays raw text' in text and "root:" not in text
    assert "Page 1 of 1" in text


def test_chart_draws_negative_bars_in_another_colour() -> None:
    source = markdown_document_to_typst(BRIEF, "t", "t", "m")
    assert source.count('fill: rgb("#b5532f")') == 1
    assert source.count('fill: rgb("#2f5d8a")') == 2


def test_unreadable_chart_is_shown_as_text_with_the_reason() -> None:
    source = markdown_document_to_typst('```chart\n{"bars": 3}\n```\n', "t", "t", "m")
    assert "Chart not drawn" in source
    assert "Chart not drawn" in flat(" ".join(pages_text(compile_pdf(source))))


# -- a draft made by hand -------------------------------------------------------------------


def small_draft(articles: int) -> Draft:
    body = []
    for number in range(1, articles + 1):
        paragraphs = [Paragraph(1, f"topic{number}.a", "agreed",
                                text=Markdown(f"Each Party shall apply Article {number}.")),
                      Paragraph(2, f"topic{number}.b", "options", options=[
                          Option(1, Markdown("The *first* text."), (Supporter("Alpha"),), "x"),
                          Option(2, "Own text [sic]", (Supporter("Beta", True),), "proposed text"),
                      ])]
        body.append(Article(number, f"topic{number}", f"Topic {number}", paragraphs))
    preface = Preface("A Test Agreement", "Test", "Agreement", "Agreement between Alpha and Beta",
                      "Draft", 1, None, ["Alpha", "Beta"])
    return Draft("treaty", "bilateral", "Parties", preface, [], "ALPHA and BETA,", [],
                 "HAVE AGREED AS FOLLOWS:", body, "Signatures", "IN WITNESS WHEREOF", [], [])


def test_a_hand_made_draft_renders_options_and_proposed_text() -> None:
    text = flat(" ".join(pages_text(write_pdf(small_draft(articles=2)))))
    assert "[Option 2: Own text [sic]]" in text
    assert "Option 2: text proposed by Beta." in text
