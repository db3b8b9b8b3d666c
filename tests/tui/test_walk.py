"""Full walks, keyboard only: from `linkwright` (the start screen) to exported files.

1. EU–Switzerland: preset, every step in order, every open question answered
   (the preset is the agreement as signed: `n` finds none), settled provisions
   confirmed, no error left, exported as PDF and DOCX.
2. California–Québec: preset, straight to the draft (read on screen), exported
   as PDF with the disputed provisions in square brackets (a memorandum for the
   next round).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pypdf
from textual.widgets import OptionList
from tuihelp import drive, opened, settle, start_app, submit_export

from tui.screens.modals import ExportScreen

# The agreement as signed decides every provision (what it does not regulate is decided
# as such): no question is left for the walk to answer.
ANSWERS: dict[str, str] = {}


async def press_down_to(pilot, listing: OptionList, option_id: str) -> None:
    """Move the highlight with the arrow keys (as a user would) to `option_id`."""
    target = listing.get_option_index(option_id)
    while listing.highlighted != target:
        await pilot.press("down" if (listing.highlighted or 0) < target else "up")


async def pick_preset(pilot, app, preset: str) -> None:
    await pilot.pause()
    menu = app.screen.query_one("#start-menu", OptionList)
    await press_down_to(pilot, menu, f"preset:{preset}")
    await pilot.press("enter")
    await opened(pilot, app)


async def export(pilot, app, fmt_presses: int) -> Path:
    """e, move to the format with the arrow keys (the dialog opens on them), Export;
    wait for the file."""
    await pilot.press("e")
    await pilot.pause()
    assert isinstance(app.screen, ExportScreen)
    for _ in range(fmt_presses):
        await pilot.press("down")
    return await submit_export(pilot, app)


def test_from_linkwright_to_a_consistent_eu_switzerland_treaty_in_pdf_and_docx(places, tmp_path):
    async def walk(pilot, app):
        await pick_preset(pilot, app, "eu-ch")
        screen = app.work_screen
        assert screen.step == "parties"
        for step in ("readiness", "form", "topics"):
            await pilot.press("right_square_bracket")
            await settle(pilot, app)
            assert screen.step == step
        # Readiness and form were the recommended ones already: a full link, a treaty.
        assert (app.doc.neg.linkage, app.doc.neg.form) == ("bilateral", "treaty")
        # Answer every question the draft still needs, each found with `n`.
        answered = []
        while True:
            await pilot.press("n")
            await settle(pilot, app)
            focused = app.screen.focused
            if not isinstance(focused, OptionList) or "clause-list" not in focused.classes:
                break
            provision = focused.parent.provision_id
            question = next(q for g in app.questions for q in g.questions if q.id == provision)
            if provision in answered or not question.needs_answer:
                break  # what is settled is confirmed below, all at once
            await press_down_to(pilot, focused, ANSWERS[provision])
            await pilot.press("enter")
            await settle(pilot, app)
            answered.append(provision)
        assert sorted(answered) == sorted(ANSWERS)
        await pilot.press("6")
        await settle(pilot, app)
        await pilot.press("c")  # confirm what only one clause can say
        await settle(pilot, app)
        assert sum(g.open_count + g.settled_count for g in app.questions) == 0
        assert not [f for f in app.findings if f.severity == "error"]
        # Nothing left in brackets: export straight from the review (e works anywhere).
        pdf = await export(pilot, app, fmt_presses=0)
        docx = await export(pilot, app, fmt_presses=1)
        assert pdf.suffix == ".pdf" and docx.suffix == ".docx"
        reader = pypdf.PdfReader(pdf)
        text = "".join(page.extract_text() for page in reader.pages)
        assert "Swiss Confederation" in text and "[Option" not in text
        with zipfile.ZipFile(docx) as package:
            assert "word/document.xml" in package.namelist()
            assert "Swiss Confederation" in package.read("word/document.xml").decode()

    drive(start_app(places), walk)


def test_from_linkwright_to_a_bracketed_california_quebec_memorandum(places, tmp_path):
    async def walk(pilot, app):
        await pick_preset(pilot, app, "ca-qc-draft")
        assert app.doc.neg.form == "memorandum"
        await pilot.press("7")
        await settle(pilot, app)
        assert "[Option 1:" in app.work_screen.query_one("#draft").text
        pdf = await export(pilot, app, fmt_presses=0)
        text = "".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)
        assert "Memorandum" in text and "[Option 1" in text.replace("\n", " ")

    drive(start_app(places), walk)
