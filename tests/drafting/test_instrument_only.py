"""The instrument is only the instrument: no status of the text, ids, sources or
research notes in any format of any preset; those are the status note's
(`--document status`). `--attribution off` gives the chair's text: the same
brackets, nobody named behind them."""

from __future__ import annotations

import re
import zipfile
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest

from negotiation.cli import main
from negotiation.drafting.builder import build_draft
from negotiation.drafting.command import render_document
from negotiation.drafting.criteria import CRITERIA, TO_BE_STATED
from negotiation.drafting.docx_writer import write_docx
from negotiation.drafting.markdown import write_markdown
from negotiation.drafting.typst_writer import write_pdf
from negotiation.session import Negotiation, preset_ids
from tests.conftest import negotiation, override
from tests.security.support import docx_text, flat, markdown_visible_text, pdf_text

PRESETS = preset_ids()
FORMATS = ["md", "pdf", "docx"]
DISPUTED = "ca-qc-draft" if "ca-qc-draft" in PRESETS else "eu-uk"
"""A preset whose text has bracketed options and disputed values, each attributed."""

WORKINGS = ["provisions open", "Status of the text", "not verified", "unverified",
            "not sourced", "(description)", "PROFILES.md", "source note", "not known"]
"""What the tool's workings read like; none of it belongs in a tabled text."""

ATTRIBUTION = re.compile(r"supported by|proposed by|Disputed values?\b")


@cache
def neg(preset: str) -> Negotiation:
    return negotiation(preset)


@cache
def instrument(preset: str, fmt: str, attribution: bool = True) -> str:
    """The instrument as a reader of that format sees it."""
    draft = build_draft(neg(preset))
    if fmt == "md":
        return markdown_visible_text(write_markdown(draft, attribution))
    if fmt == "pdf":
        return pdf_text(write_pdf(draft, attribution))
    return docx_text(write_docx(draft))


@cache
def status(preset: str, fmt: str) -> str:
    data = render_document(neg(preset), fmt, "status").data
    if fmt == "md":
        return markdown_visible_text(data.decode("utf-8"))
    return pdf_text(data) if fmt == "pdf" else docx_text(data)


# -- no status, ids or sources in the instrument ------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("preset", PRESETS)
def test_no_instrument_names_a_provision_by_id_or_counts_what_is_open(preset: str,
                                                                      fmt: str) -> None:
    text = instrument(preset, fmt)
    ids = [p.id for p in neg(preset).relevant_provisions()]
    assert [i for i in ids if re.search(rf"(?<![\w.]){re.escape(i)}(?![\w])", text)] == []
    assert "Reference Provision Status Detail" not in text
    for words in WORKINGS:
        assert words not in text, words


@pytest.mark.parametrize("preset", PRESETS)
def test_no_source_note_reaches_the_instrument(preset: str) -> None:
    negotiation_ = neg(preset)
    notes = {flat(source.note) for party in negotiation_.party_ids
             for source in negotiation_.systems[party].sources.values() if len(source.note) > 12}
    for fmt in FORMATS:
        text = instrument(preset, fmt)
        assert [note for note in notes if note in text] == [], fmt


# -- Annex I states rules or brackets, never workings --------------------------------------


def annex_rows(markdown: str) -> list[list[str]]:
    annex = re.split(r"^## (?:Annex I|Schedule 1) — Essential criteria", markdown,
                     flags=re.M)[1].split("\n## ")[0]
    rows = [line for line in annex.splitlines() if line.startswith("| ")][2:]
    return [[cell.strip().replace("\\[", "[").replace("\\]", "]")
             for cell in re.split(r"(?<!\\)\|", row)[1:-1]] for row in rows]


@pytest.mark.parametrize("preset", PRESETS)
def test_annex_one_cells_state_a_rule_or_a_bracketed_placeholder(preset: str) -> None:
    rows = annex_rows(write_markdown(build_draft(neg(preset))))
    assert len(rows) == len(CRITERIA)
    for row in rows:
        for cell in row[1:]:
            assert cell not in ("", "—", "-", "open", "not known"), row
            assert not cell.startswith("open"), row
            assert "not known" not in cell and "not sourced" not in cell, row
            assert not re.search(r"\babout\b", cell), row


def obligation(element: str) -> str:
    return next(c.obligation for c in CRITERIA if c.element == element)


def test_an_unknown_figure_is_to_be_stated_and_the_status_note_lists_it() -> None:
    rows = {row[0]: row for row in annex_rows(write_markdown(build_draft(neg("eu-ch"))))}
    # Switzerland's penalty per tonne in 2017 is not on file: the annex brackets it, the
    # note says why.
    assert rows[obligation("Penalty per tonne")][2] == TO_BE_STATED
    # No common-rule column: what the parties agreed stands in the articles (issue 11).
    assert all(len(row) == 3 for row in rows.values())
    note = status("eu-ch", "md")
    assert ("Switzerland, Penalty per tonne: its penalty per tonne is not on file "
            "(source note: ") in note
    # A figure whose source is not confirmed is bracketed too, and listed with its figure.
    assert rows[obligation("Borrowing")][2] == TO_BE_STATED
    assert "Switzerland, Borrowing: its borrowing on file (none) is not confirmed" in note


def test_a_figure_the_session_states_is_the_partys_rule_in_the_annex() -> None:
    def penalty(data: dict[str, Any]) -> None:
        override(data, "ch", penalty__per_tonne=100)

    rows = {row[0]: row for row in annex_rows(write_markdown(build_draft(
        negotiation("eu-ch", penalty))))}
    assert rows[obligation("Penalty per tonne")][2].startswith(
        "A penalty of CHF 100 for each tonne")


# -- the status note has what the instrument does not --------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_status_note_counts_lists_ids_and_sources_in_every_format(fmt: str) -> None:
    draft = build_draft(neg("ca-qc"))
    text = status("ca-qc", fmt)
    assert "not for the other side" in text.lower()
    assert f"{draft.open_count()} of {len(draft.status)} provisions open" in text
    assert "termination.notice" in text and "objective.purpose" in text
    assert "Annex I: entries to be stated" in text
    assert "source note:" in text


def test_status_note_lists_agreed_and_open_provisions_with_the_reason() -> None:
    # Moved from the instrument's former status table (tests/drafting/test_markdown.py).
    table = render_document(neg("ca-qc-draft"), "md", "status").data.decode("utf-8")
    assert "| `termination.notice` | open | values disputed: Minimum months of notice" in table
    assert "| open | 2 options |" in table
    assert "| agreed | decided |" in table


def test_render_document_status_from_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "status.md"
    assert main(["render", "--preset", "eu-ch", "--document", "status", "-o", str(out)]) == 0
    assert "provisions open" in out.read_text("utf-8")


# -- the chair's unattributed text ---------------------------------------------------------


def attribution_notes(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if ATTRIBUTION.search(line)]


@pytest.mark.parametrize("preset", PRESETS)
def test_markdown_without_attribution_is_the_same_text_without_the_notes(preset: str) -> None:
    draft = build_draft(neg(preset))
    attributed, unattributed = write_markdown(draft), write_markdown(draft, attribution=False)
    notes = attribution_notes(attributed)
    without = "\n".join(line for line in attributed.splitlines() if line not in notes)
    assert re.sub(r"\n{3,}", "\n\n", without).strip() == unattributed.strip()
    assert attribution_notes(unattributed) == []
    if preset == DISPUTED:
        assert notes and "[Option 1:" in unattributed  # the brackets stay


def test_markdown_without_attribution_names_no_party_beside_an_option_or_value() -> None:
    text = write_markdown(build_draft(neg(DISPUTED)), attribution=False)
    shorts = [neg(DISPUTED).party_short(p) for p in neg(DISPUTED).party_ids]
    for line in text.splitlines():
        if "[Option" in line or re.search(r"\[[^]]+\]\[[^]]+\]", line):
            after = line.rsplit("]", 1)[1]
            assert not any(short in after for short in shorts), line


def test_pdf_without_attribution_keeps_brackets_and_drops_supporters_footnotes() -> None:
    attributed = pdf_text(write_pdf(build_draft(neg(DISPUTED))))
    unattributed = pdf_text(write_pdf(build_draft(neg(DISPUTED)), attribution=False))
    assert ATTRIBUTION.search(attributed)  # the test reads what it means to
    assert ATTRIBUTION.search(unattributed) is None
    assert "[Option 1:" in unattributed


def test_docx_without_attribution_from_render_has_no_supporters_anywhere() -> None:
    data = render_document(neg(DISPUTED), "docx", attribution=False).data
    assert ATTRIBUTION.search(docx_text(data)) is None
    shorts = [neg(DISPUTED).party_short(p) for p in neg(DISPUTED).party_ids]
    with zipfile.ZipFile(BytesIO(data)) as package:
        xml = "".join(package.read(name).decode("utf-8") for name in package.namelist()
                      if name.endswith(".xml"))
    authors = re.findall(r'w:author="([^"]*)"', xml)
    assert not any(short in author for short in shorts for author in authors)


def test_attribution_off_is_refused_for_the_brief_in_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "brief.md"
    code = main(["render", "--preset", "eu-uk", "--document", "brief", "--attribution", "off",
                 "-o", str(out)])
    assert code == 2 and not out.exists()
    error = capsys.readouterr().err
    assert "--attribution off applies to the instrument only" in error
    assert len(error.strip().splitlines()) == 1


def test_attribution_off_from_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "chair.md"
    assert main(["render", "--preset", DISPUTED, "--attribution", "off", "-o", str(out)]) == 0
    text = out.read_text("utf-8")
    assert "[Option 1:" in text and attribution_notes(text) == []
