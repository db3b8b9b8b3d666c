"""The side-by-side edition in PDF and DOCX: one column per language version, each
block of one version beside the same block of the others, and versions that do not
share one structure refused rather than paired wrongly."""

from __future__ import annotations

import copy
import io
import itertools
import re
from functools import cache

import docx
import pypdf
import pytest
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from negotiation.drafting.builder import build_draft
from negotiation.drafting.model import Draft
from negotiation.drafting.parallel import aligned
from negotiation.drafting.parallel_docx import write_parallel_docx
from negotiation.drafting.parallel_pdf import write_parallel_pdf, write_parallel_typst
from negotiation.errors import LinkwrightError
from negotiation.languages import language_name
from negotiation.session import load_preset

EDITIONS = [("eu-ch", ("en", "fr", "de")), ("ca-qc", ("en", "fr-CA"))]
IDS = ["eu-ch-en-fr-de", "ca-qc-en-fr-CA"]
HEADING_KINDS = ("title", "article", "annex", "part", "section")


@cache
def drafts(preset: str, codes: tuple[str, ...]) -> tuple[Draft, ...]:
    neg = load_preset(preset)
    return tuple(build_draft(neg, True, code) for code in codes)


@cache
def pdf(preset: str, codes: tuple[str, ...]) -> bytes:
    return write_parallel_pdf(list(drafts(preset, codes)))


@cache
def docx_bytes(preset: str, codes: tuple[str, ...]) -> bytes:
    return write_parallel_docx(list(drafts(preset, codes)))


def names(versions: tuple[Draft, ...]) -> list[str]:
    return [language_name(d.language, d.language) for d in versions]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


# -- PDF --------------------------------------------------------------------------------


Fragment = tuple[float, float, str]  # x, y (points from the bottom left), text


def fragments(page: pypdf.PageObject) -> list[Fragment]:
    found: list[Fragment] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            found.append((tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5], text))

    page.extract_text(visitor_text=visit)
    return found


def column_starts(found: list[Fragment], languages: list[str]) -> list[float]:
    """The left edge of each column: where the header row names its language."""
    starts = []
    for name in languages:
        hits = [x for x, _, text in found if text.strip() == name]
        assert hits, f"no header naming {name} on the page"
        starts.append(hits[0])
    return starts


def line_in_column(found: list[Fragment], starts: list[float], column: int, y: float) -> str:
    """The text of the line at height `y` in `column`."""
    left = starts[column] - 2
    right = starts[column + 1] - 2 if column + 1 < len(starts) else float("inf")
    return flat("".join(text for x, at, text in sorted(found)
                        if abs(at - y) < 1 and left <= x < right))


@pytest.mark.parametrize(("preset", "codes"), EDITIONS, ids=IDS)
def test_pdf_has_one_column_per_language_named_on_every_page(
        preset: str, codes: tuple[str, ...]) -> None:
    versions = drafts(preset, codes)
    reader = pypdf.PdfReader(io.BytesIO(pdf(preset, codes)))
    assert len(reader.pages) > 1
    for page in reader.pages:
        starts = column_starts(fragments(page), names(versions))
        assert len(starts) == len(codes) and starts == sorted(starts)
        gaps = [b - a for a, b in itertools.pairwise(starts)]
        assert max(gaps) - min(gaps) < 1  # columns of one width


@pytest.mark.parametrize(("preset", "codes"), EDITIONS, ids=IDS)
def test_pdf_article_headings_side_by_side(preset: str, codes: tuple[str, ...]) -> None:
    """Each article's heading starts one line of the page in every column: the number
    of each version in its own column, at the same height."""
    versions = drafts(preset, codes)
    reader = pypdf.PdfReader(io.BytesIO(pdf(preset, codes)))
    pages = [fragments(page) for page in reader.pages]
    for index, article in enumerate(versions[0].body):
        number = article.line().split(" — ")[0]
        spot = next(((found, y) for found in pages for x, y, text in found
                     if flat(text).startswith(number) and x < 100
                     and line_in_column(found, column_starts(found, names(versions)), 0, y)
                     .startswith(number + " ")), None)
        assert spot is not None, f"no row for {number}"
        found, y = spot
        starts = column_starts(found, names(versions))
        for column, version in enumerate(versions):
            heading = version.body[index].line()
            shown = line_in_column(found, starts, column, y)
            assert heading.startswith(shown) or shown.startswith(heading.split(" — ")[0]), \
                (column, shown, heading)


def test_pdf_objective_beside_objet() -> None:
    reader = pypdf.PdfReader(io.BytesIO(pdf("eu-ch", ("en", "fr", "de"))))
    for page in reader.pages:
        found = fragments(page)
        starts = column_starts(found, ["English", "Français", "Deutsch"])
        rows = {round(y, 1) for _, y, text in found if "Objective" in text}
        for y in rows:
            assert [line_in_column(found, starts, c, y) for c in range(3)] == \
                ["Article 1 — Objective", "Article 1 — Objet", "Artikel 1 — Ziel"]
            return
    pytest.fail("no row for Article 1")


@pytest.mark.parametrize(("preset", "codes"), EDITIONS, ids=IDS)
def test_pdf_landscape_from_three_versions(preset: str, codes: tuple[str, ...]) -> None:
    reader = pypdf.PdfReader(io.BytesIO(pdf(preset, codes)))
    for page in reader.pages:
        box = page.mediabox
        assert (float(box.width) > float(box.height)) == (len(codes) >= 3)
        assert {round(float(box.width)), round(float(box.height))} == {595, 842}  # A4


@pytest.mark.parametrize(("preset", "codes"), EDITIONS, ids=IDS)
def test_pdf_document_is_in_the_first_versions_language(
        preset: str, codes: tuple[str, ...]) -> None:
    first = drafts(preset, codes)[0]
    reader = pypdf.PdfReader(io.BytesIO(pdf(preset, codes)))
    assert reader.trailer["/Root"]["/Lang"] == first.preface.language
    assert reader.metadata is not None and reader.metadata.title == first.preface.title
    text = flat(reader.pages[0].extract_text())
    assert flat(first.preface.title) in text  # no title page: the title is the first rows'


def test_typst_source_sets_each_columns_language_and_the_heading_look() -> None:
    source = write_parallel_typst(list(drafts("ca-qc", ("en", "fr-CA"))))
    assert 'lw-cell("article", "en", "US", false)' in source
    assert 'lw-cell("article", "fr", "CA", false)' in source
    assert "flipped: true" not in source
    assert source.count("table.header(repeat: true") == 1
    three = write_parallel_typst(list(drafts("eu-ch", ("en", "fr", "de"))))
    assert "#set page(flipped: true" in three
    assert 'lw-cell("paragraph", "de", "DE"' in three


def test_pdf_heading_rows_never_end_a_page() -> None:
    versions = drafts("eu-ch", ("en", "fr", "de"))
    reader = pypdf.PdfReader(io.BytesIO(pdf("eu-ch", ("en", "fr", "de"))))
    headings = {flat(a.line()) for a in versions[0].body}
    for page in reader.pages[:-1]:
        found = [f for f in fragments(page) if f[1] > 80]  # above the footer
        starts = column_starts(found, names(versions))
        lowest = min(y for _, y, _ in found)
        assert line_in_column(found, starts, 0, lowest) not in headings


def test_pdf_shows_hostile_text_literally() -> None:
    versions = [copy.deepcopy(d) for d in drafts("ca-qc", ("en", "fr-CA"))]
    hostile = '#read("/etc/passwd") $x$ <lbl> @ref *b* ]'
    for version in versions:
        version.preface.title = hostile
    text = flat(pypdf.PdfReader(io.BytesIO(write_parallel_pdf(versions))).pages[0]
                .extract_text())
    assert text.count(flat(hostile)) == 2


def test_pdf_is_deterministic() -> None:
    assert write_parallel_pdf(list(drafts("ca-qc", ("en", "fr-CA")))) == \
        pdf("ca-qc", ("en", "fr-CA"))


# -- DOCX -------------------------------------------------------------------------------


def opened(data: bytes) -> DocxDocument:
    return docx.Document(io.BytesIO(data))


@pytest.mark.parametrize(("preset", "codes"), EDITIONS, ids=IDS)
def test_docx_one_table_one_column_per_language_header_repeated(
        preset: str, codes: tuple[str, ...]) -> None:
    versions = drafts(preset, codes)
    document = opened(docx_bytes(preset, codes))
    assert len(document.tables) == 1
    table = document.tables[0]
    assert len(table.columns) == len(codes)
    assert [c.text for c in table.rows[0].cells] == names(versions)
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert len(table.rows) == 1 + len(aligned(list(versions)))
    # not a paragraph outside the table but the one Word requires after it
    assert [p.text for p in document.paragraphs] == [""]


@pytest.mark.parametrize(("preset", "codes"), EDITIONS, ids=IDS)
def test_docx_article_headings_side_by_side(preset: str, codes: tuple[str, ...]) -> None:
    versions = drafts(preset, codes)
    rows = [[c.text for c in row.cells] for row in opened(docx_bytes(preset, codes))
            .tables[0].rows]
    for index in range(len(versions[0].body)):
        assert [v.body[index].line() for v in versions] in rows


def test_docx_objective_beside_objet() -> None:
    rows = [[c.text for c in row.cells]
            for row in opened(docx_bytes("eu-ch", ("en", "fr", "de"))).tables[0].rows]
    assert ["Article 1 — Objective", "Article 1 — Objet", "Artikel 1 — Ziel"] in rows


@pytest.mark.parametrize(("preset", "codes"), EDITIONS, ids=IDS)
def test_docx_runs_carry_their_columns_language(preset: str, codes: tuple[str, ...]) -> None:
    versions = drafts(preset, codes)
    document = opened(docx_bytes(preset, codes))
    tags = [v.preface.language for v in versions]
    assert len(set(tags)) == len(tags)
    for row in document.tables[0].rows:
        for column, cell in enumerate(row.cells):
            runs = list(cell._tc.iter(qn("w:r")))
            for run in runs:
                lang = run.find(qn("w:rPr")).find(qn("w:lang"))
                assert lang is not None and lang.get(qn("w:val")) == tags[column]
            for paragraph in cell._tc.iter(qn("w:p")):  # what is typed there, too
                mark = paragraph.find(qn("w:pPr")).find(qn("w:rPr")).find(qn("w:lang"))
                assert mark.get(qn("w:val")) == tags[column]
    defaults = document.styles.element.find(qn("w:docDefaults"))
    lang = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
    assert lang.get(qn("w:val")) == tags[0]


@pytest.mark.parametrize(("preset", "codes"), EDITIONS, ids=IDS)
def test_docx_landscape_from_three_versions(preset: str, codes: tuple[str, ...]) -> None:
    document = opened(docx_bytes(preset, codes))
    assert len(document.sections) == 1
    section = document.sections[0]
    landscape = len(codes) >= 3
    assert (section.orientation == WD_ORIENT.LANDSCAPE) == landscape
    assert (section.page_width > section.page_height) == landscape


@pytest.mark.parametrize(("preset", "codes"), EDITIONS, ids=IDS)
def test_docx_headings_bold_and_kept_with_the_next_row(
        preset: str, codes: tuple[str, ...]) -> None:
    versions = drafts(preset, codes)
    table = opened(docx_bytes(preset, codes)).tables[0]
    for row, pairs in zip(table.rows[1:], aligned(list(versions)), strict=True):
        short = max(len(c) for c in pairs.cells) < 500
        if short:  # a short row never breaks across pages
            assert row._tr.trPr.find(qn("w:cantSplit")) is not None
        if pairs.kind in HEADING_KINDS:
            for cell in row.cells:
                paragraph = cell.paragraphs[0]
                assert paragraph.runs and all(r.bold for r in paragraph.runs)
                assert paragraph.paragraph_format.keep_with_next


@pytest.mark.parametrize(("preset", "codes"), EDITIONS, ids=IDS)
def test_docx_core_properties(preset: str, codes: tuple[str, ...]) -> None:
    first = drafts(preset, codes)[0]
    props = opened(docx_bytes(preset, codes)).core_properties
    assert props.title == first.preface.title[:255]
    assert props.subject == "Side-by-side edition"
    assert props.author == "Linkwright"


def test_docx_is_deterministic() -> None:
    assert write_parallel_docx(list(drafts("ca-qc", ("en", "fr-CA")))) == \
        docx_bytes("ca-qc", ("en", "fr-CA"))


# -- alignment --------------------------------------------------------------------------


@pytest.mark.parametrize("writer", [aligned, write_parallel_pdf, write_parallel_docx])
def test_versions_of_different_structure_are_refused(writer: object) -> None:
    english, french = drafts("eu-ch", ("en", "fr"))
    short = copy.deepcopy(french)
    article = next(a for a in short.body if len(a.paragraphs) > 1)
    del article.paragraphs[-1]
    with pytest.raises(LinkwrightError, match=r"the fr version.*paragraphs"):
        writer([english, short])  # type: ignore[operator]
