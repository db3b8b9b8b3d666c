"""The export dialog offers the chair's text: the instrument with its brackets and no
party named behind them, and the status of the text as its own document."""

from __future__ import annotations

from pathlib import Path

from tuihelp import drive, open_export, opened, preset_app, submit_export

from tests.security.support import pdf_text


async def export_document(pilot, app, document: str) -> Path:
    """e, pick `document` in the dialog, Export; wait for the file."""
    await open_export(pilot, app, document)
    return await submit_export(pilot, app)


def test_the_chairs_text_is_exported_with_brackets_and_no_supporters(places):
    async def scenario(pilot, app):
        await opened(pilot, app)
        path = await export_document(pilot, app, "unattributed")
        assert path.name.endswith("-unattributed.pdf")
        text = pdf_text(path.read_bytes())
        assert "[Option 1:" in text
        assert "supported by" not in text and "proposed by" not in text
        status = pdf_text((await export_document(pilot, app, "status")).read_bytes())
        assert "provisions open" in status

    drive(preset_app(places, "eu-uk"), scenario)
