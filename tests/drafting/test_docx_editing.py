"""A DOCX lawyers keep editing (issue 11): Word's own paragraph numbering, cross-references
as REF fields to bookmarks, black serif headings, the text's proofing language, open points
highlighted and commented, attribution only in comments (and nowhere when it is off), and
core properties that say what the file is."""

from __future__ import annotations

import io
import re
import zipfile
from functools import cache

import docx
import pytest
from docx.document import Document as DocxDocument

from negotiation.drafting.builder import build_draft
from negotiation.drafting.docx_writer import bookmark_name, write_docx
from negotiation.drafting.model import Article, Draft
from negotiation.session import load_preset, preset_ids

PRESETS = ["eu-ch", "ca-qc", "ca-qc-on", "au-eu", "eu-uk", "eu-ch-uk"]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
VALID_BOOKMARK = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,39}")


@cache
def draft(preset: str) -> Draft:
    return build_draft(load_preset(preset))


def _disputed(preset: str) -> bool:
    paragraphs = [p for a in _articles(draft(preset)) for p in a.paragraphs]
    return any(p.options for p in paragraphs) and any(p.value_notes for p in paragraphs)


def _articles(draft_: Draft) -> list[Article]:
    return [*draft_.body, *(s for annex in draft_.attachments for s in annex.sections)]


@cache
def disputed() -> str:
    """A preset whose text has bracketed options and disputed values, each attributed."""
    return next(p for p in preset_ids() if _disputed(p))


@cache
def rendered(preset: str, attribution: bool = True) -> bytes:
    return write_docx(draft(preset), attribution=attribution)


@cache
def part(preset: str, name: str, attribution: bool = True) -> str:
    with zipfile.ZipFile(io.BytesIO(rendered(preset, attribution))) as package:
        return package.read(name).decode("utf-8") if name in package.namelist() else ""


def opened(data: bytes) -> DocxDocument:
    return docx.Document(io.BytesIO(data))


def texts_of(xml: str) -> str:
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


def fields(xml: str) -> list[tuple[str, str]]:
    """(instruction, result shown) of every complex field, in document order."""
    found = re.findall(r'<w:fldChar w:fldCharType="begin"/>(.*?)'
                       r'<w:fldChar w:fldCharType="separate"/>(.*?)'
                       r'<w:fldChar w:fldCharType="end"/>', xml, re.S)
    return [(" ".join(re.findall(r"<w:instrText[^>]*>([^<]*)</w:instrText>", code)).strip(),
             texts_of(result)) for code, result in found]


def bookmarked(xml: str) -> dict[str, str]:
    """Bookmark name -> the text it marks."""
    marks = {}
    for start in re.finditer(r'<w:bookmarkStart w:id="(\d+)" w:name="([^"]+)"/>', xml):
        end = xml.index(f'<w:bookmarkEnd w:id="{start.group(1)}"/>', start.end())
        marks[start.group(2)] = texts_of(xml[start.end():end])
    return marks


# -- numbering -------------------------------------------------------------------------


@pytest.mark.parametrize("preset", PRESETS)
def test_numbered_paragraphs_use_a_word_numbering_definition_not_typed_numbers(
        preset: str) -> None:
    numbering = part(preset, "word/numbering.xml")
    ours = re.search(r'<w:abstractNum [^>]*w:abstractNumId="(\d+)"[^>]*>'
                     r'(?:(?!</w:abstractNum>).)*Linkwright paragraphs.*?</w:abstractNum>',
                     numbering, re.S)
    assert ours, "no numbering definition for the provisions"
    levels = re.findall(r'<w:lvl w:ilvl="(\d)">.*?<w:numFmt w:val="(\w+)"/>'
                        r'<w:lvlText w:val="([^"]+)"/>', ours.group(0), re.S)
    # "1." in treaties; "(1)" for the subsections of an Australian instrument.
    first = "(%1)" if preset == "au-eu" else "%1."
    assert levels[:2] == [("0", "decimal", first), ("1", "lowerLetter", "(%2)")]
    lists = set(re.findall(rf'<w:num w:numId="(\d+)"><w:abstractNumId w:val="{ours.group(1)}"/>',
                           numbering))
    document = opened(rendered(preset))
    numbered = [p for p in document.paragraphs if p.style.name == "Numbered Paragraph"]
    assert numbered
    for paragraph in numbered:
        num_pr = paragraph._p.pPr.numPr
        assert num_pr is not None and str(num_pr.numId.val) in lists, paragraph.text[:60]
        assert not re.match(r"\d+\.\t", paragraph.text), paragraph.text[:60]


def test_an_article_of_one_paragraph_carries_no_number() -> None:
    lone = [a for a in draft("eu-ch").body if len(a.paragraphs) == 1]
    assert lone
    document = opened(rendered("eu-ch"))
    styles = [p.style.name for p in document.paragraphs]
    for article in lone:
        heading = styles.index("Heading 1", [p.text for p in document.paragraphs].index(
            f"Article {article.number} — {article.heading}"))
        following = document.paragraphs[heading + 1]
        assert following.style.name == "Article Text"
        assert following._p.pPr.numPr is None


# -- cross-references ---------------------------------------------------------------------


@pytest.mark.parametrize("preset", PRESETS)
def test_every_field_is_a_page_number_or_a_ref_to_a_bookmark_in_the_document(
        preset: str) -> None:
    xml = part(preset, "word/document.xml")
    marks = bookmarked(xml)
    assert all(VALID_BOOKMARK.fullmatch(name) for name in marks), sorted(marks)
    refs = [(code, shown) for code, shown in fields(xml) if code.startswith("REF ")]
    assert refs, "no cross-reference became a REF field"
    for code, shown in refs:
        name, *switches = code.split()[1:]
        assert name in marks, code
        assert set(switches) <= {"\\h", "\\n"}, code
        if "\\n" not in switches:  # the article's number, as its heading shows it now
            assert shown == marks[name], (code, shown)
    for name in ("word/header1.xml", "word/footer1.xml"):
        assert {code for code, _ in fields(part(preset, name))} <= {"PAGE", "NUMPAGES"}


def test_article_and_paragraph_references_read_as_before_and_point_at_their_targets() -> None:
    xml = part("eu-ch", "word/document.xml")
    codes = [code for code, _ in fields(xml)]
    # ref('essential_criteria.compliance') -> "Article 4(1)": the article, then its paragraph.
    assert "REF art_essential_criteria \\h" in codes
    assert "REF par_essential_criteria_compliance \\n \\h" in codes
    text = "\n".join(p.text for p in opened(rendered("eu-ch")).paragraphs)
    assert "referred to in the essential criteria in Article 4(1)" in text
    headings = bookmarked(xml)
    assert headings["art_essential_criteria"] == "4"
    assert headings["par_essential_criteria_compliance"]  # the whole paragraph, numbered 1


def test_guidelines_sections_are_bookmarked_for_references_from_the_core() -> None:
    xml = part("eu-uk", "word/document.xml")
    refs = {code.split()[1] for code, _ in fields(xml) if code.startswith("REF ")}
    assert any(name.startswith("sec_") for name in refs)
    assert "section 17 of Annex II" in "\n".join(p.text for p in opened(
        rendered("eu-uk")).paragraphs)


def test_bookmark_names_are_valid_for_any_id() -> None:
    long_id = "essential_criteria.compliance.with_a_very_long_provision_name"
    names = [bookmark_name("par", "termination.notice"), bookmark_name("par", long_id),
             bookmark_name("art", "price-floor"), bookmark_name("par", long_id, hashed=True)]
    assert names[0] == "par_termination_notice"
    assert all(VALID_BOOKMARK.fullmatch(n) for n in names), names
    assert len(names[1]) == 40 and names[1] != bookmark_name("par", long_id + "2")


# -- house style and proofing language --------------------------------------------------------


def test_headings_title_and_subtitle_are_black_in_the_body_serif_not_word_blue() -> None:
    styles = part("eu-ch", "word/styles.xml")
    for style_id in ("Title", "Subtitle", "Heading1", "Heading2", "Heading3", "Heading4",
                     "Heading1Char", "TitleChar"):
        body = re.search(rf'w:styleId="{style_id}">(.*?)</w:style>', styles, re.S)
        assert body, style_id
        colours = re.findall(r"<w:color [^>]*/>", body.group(1))
        assert colours == ['<w:color w:val="auto"/>'], (style_id, colours)
        assert "majorHAnsi" not in body.group(1) and "w:pBdr" not in body.group(1), style_id
    with zipfile.ZipFile(io.BytesIO(rendered("eu-ch"))) as package:
        assert "word/stylesWithEffects.xml" not in package.namelist()  # Word 2010's blue
    document = opened(rendered("eu-ch"))
    assert document.styles["Heading 1"].font.size.pt < document.styles["Title"].font.size.pt


@pytest.mark.parametrize(("preset", "language"), [
    ("eu-ch", "en-GB"), ("eu-uk", "en-GB"), ("eu-ch-uk", "en-GB"),
    # California drafts the English of its agreements with Québec: American spelling.
    ("ca-qc", "en-US"), ("ca-qc-on", "en-US"),
    # Australia's own regulation: Australian English.
    ("au-eu", "en-AU"),
])
def test_proofing_language_follows_the_parties_and_nothing_is_marked_as_checked(
        preset: str, language: str) -> None:
    styles = part(preset, "word/styles.xml")
    defaults = re.search(r"<w:docDefaults>.*?</w:docDefaults>", styles, re.S)
    assert defaults and f'<w:lang w:val="{language}"' in defaults.group(0)
    settings = part(preset, "word/settings.xml")
    assert "w:proofState" not in settings and "hideSpellingErrors" not in settings
    assert all("w:noProof" not in part(preset, name) for name in
               ("word/document.xml", "word/styles.xml"))


# -- open points and attribution --------------------------------------------------------------


def _highlighted(xml: str) -> list[str]:
    runs = re.findall(r"<w:r>(?:(?!</w:r>).)*<w:highlight w:val=\"yellow\"/>.*?</w:r>", xml,
                      re.S)
    return [texts_of(run) for run in runs]


def test_open_points_are_highlighted_and_commented() -> None:
    preset = disputed()
    marked = "".join(_highlighted(part(preset, "word/document.xml")))
    paragraphs = [p for a in _articles(draft(preset)) for p in a.paragraphs]
    note = next(p for p in paragraphs if p.value_notes).value_notes[0]
    assert "[Option 1: " in marked
    assert "".join(f"[{shown}]" for shown, _ in note.values) in marked
    comments = [c.text for c in opened(rendered(preset)).comments]
    assert any(c.startswith(("Supported by ", "Proposed by ")) for c in comments)
    placeholder = next(p for p in paragraphs if p.status == "open")
    assert placeholder.note in marked
    assert "Open point: no text agreed yet" in comments


def test_supporters_are_named_in_comments_only_never_in_the_text() -> None:
    document = opened(rendered(disputed()))
    body = "\n".join(p.text for p in document.paragraphs)
    assert not re.search(r"supported by|proposed by|Disputed values", body, re.IGNORECASE)
    assert any("supported by" in c.text.lower() for c in document.comments)


def _supporters(preset: str) -> set[str]:
    names: set[str] = set()
    for article in _articles(draft(preset)):
        for paragraph in article.paragraphs:
            names |= {s.party for option in paragraph.options for s in option.supporters}
            names |= {who for note in paragraph.value_notes for _, whom in note.values
                      for who in whom}
    return names


def test_attribution_off_names_no_party_in_comments_and_no_supporter_anywhere() -> None:
    preset = disputed()
    names = _supporters(preset)
    assert names, "the preset has no attributed bracket to hide"
    comments = texts_of(part(preset, "word/comments.xml", attribution=False))
    assert comments  # the open points are still commented
    for name in names:
        assert name not in comments, name
    everything = "\n".join(texts_of(part(preset, name, attribution=False))
                           for name in ("word/document.xml", "word/comments.xml"))
    assert not re.search(r"supported by|proposed by|Disputed values", everything,
                         re.IGNORECASE)
    assert "Open point: Option 1, not yet agreed" in comments
    authors = set(re.findall(r'w:author="([^"]*)"', part(preset, "word/comments.xml",
                                                         attribution=False)))
    assert authors == {"Linkwright"}


# -- core properties -----------------------------------------------------------------------------


@pytest.mark.parametrize("preset", PRESETS)
def test_core_properties_name_the_instrument_the_subject_and_the_round(preset: str) -> None:
    properties = opened(rendered(preset)).core_properties
    preface = draft(preset).preface
    assert properties.title == preface.title
    assert properties.subject == "Linking of emissions trading systems"
    assert properties.keywords.startswith(f"Round {preface.round_number}, ")
    assert preface.round_date is not None
    assert f"{preface.round_date.day} {preface.round_date:%B %Y}" in properties.keywords
    assert properties.author == properties.last_modified_by == "Linkwright"


def test_eu_ch_is_round_3_of_23_november_2017() -> None:
    assert opened(rendered("eu-ch")).core_properties.keywords == "Round 3, 23 November 2017"
