"""The negotiator's brief in every format, for every preset, read back."""

from __future__ import annotations

import io

import docx
import pypdf
import pytest

from negotiation.drafting.command import render_document
from tests.conftest import negotiation

PRESETS = ["eu-ch", "ca-qc", "ca-qc-on", "au-eu", "eu-uk", "eu-ch-uk"]


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    parts += [p.text for s in document.sections for p in s.header.paragraphs]
    return "\n".join(parts)


@pytest.mark.parametrize("preset", PRESETS)
def test_brief_renders_in_pdf_and_docx_marked_internal(preset: str) -> None:
    neg = negotiation(preset)
    for fmt, read in (("pdf", pdf_text), ("docx", docx_text)):
        text = " ".join(read(render_document(neg, fmt, "brief").data).split())
        assert "not for the other side" in text.lower(), fmt
        assert "Negotiator's brief" in text, fmt
        first = neg.relevant_provisions()[0]
        assert first.id in text, fmt
        assert "Economics of the link" in text, fmt
        system = neg.party_short(neg.party_ids[0])
        assert system[:1].upper() + system[1:] in text, fmt  # the chart's first label
