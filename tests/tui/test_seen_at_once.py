"""Seen at once (issue 14): edits made in another program, the last export of the
session on screen (not the previous one's), a findings panel whose long findings can
be read whole at 120x40 and at 80x24, an economics step that fits with its units, and
an export whose progress is on screen while it runs.

The file watcher is polled by the test (`app.watcher.poll()`), never by the clock.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import yaml
from textual.widgets import DataTable, OptionList
from textual.widgets._footer import FooterKey
from tuihelp import (
    ECONOMICS,
    NARROW,
    drive,
    file_app,
    messages,
    opened,
    preset_app,
    settle,
    submit_export,
)

import negotiation.drafting.command as drafting_command
import tui.document
from negotiation.blank import blank_session_text
from negotiation.errors import LinkwrightError
from tui.app import LinkwrightApp
from tui.screens.modals import ConflictScreen, ExportScreen, FindingScreen
from tui.screens.start import StartScreen
from tui.widgets.findings import FindingsPanel
from tui.widgets.footer import FittedFooter

MID = (120, 40)


def screen_lines(app) -> list[str]:
    """The screen as the user sees it, one string per row."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def text_in(app, widget) -> str:
    """What is on screen inside `widget` (within its border, padding and scrollbar),
    its rows joined by spaces (wrapped text reads as one line again)."""
    region = widget.scrollable_content_region
    rows = screen_lines(app)[region.y:region.bottom]
    return " ".join(" ".join(row[region.x:region.right].split()) for row in rows)


def flat(text: str) -> str:
    return " ".join(text.split())


def bare(text: str) -> str:
    """Without any white space (a path wraps anywhere)."""
    return "".join(text.split())


def marking(path: Path, text: str) -> None:
    """Another program (an editor, a git pull) changes the session's marking."""
    data = yaml.safe_load(path.read_text("utf-8"))
    data["marking"] = text
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


# -- 1. edits made in another program ----------------------------------------------------


class TestEditsFromOutside:
    def test_a_change_on_disk_is_reloaded_and_told_when_nothing_is_unsaved(self, places):
        assert LinkwrightApp(places).watch_every < 1  # seen within a second of the change

        async def scenario(pilot, app):
            await opened(pilot, app)
            path = app.doc.path
            assert app.watcher.poll() is None  # nothing changed yet
            marking(path, "Their marking")
            written = path.read_text("utf-8")
            assert app.watcher.poll() == "reloaded"
            await settle(pilot, app)
            assert app.doc.session.marking == "Their marking"
            assert any("changed by another program: reloaded" in m for m in messages(app))
            assert path.read_text("utf-8") == written  # their file, not rewritten by us
            assert app.watcher.poll() is None

        drive(preset_app(places, "eu-ch"), scenario, size=MID)

    def test_our_own_autosave_is_not_an_edit_from_outside(self, places):
        async def scenario(pilot, app):
            await opened(pilot, app)
            before = app.doc.path.read_text("utf-8")
            await pilot.press("4")  # the legal form: a choice here is autosaved
            await settle(pilot, app)
            listing = app.work_screen.query_one("#form-options", OptionList)
            listing.focus()
            listing.highlighted = listing.get_option_index("memorandum")
            await pilot.press("enter")
            await settle(pilot, app)
            assert app.doc.neg.form == "memorandum"
            assert app.doc.path.read_text("utf-8") != before  # saved...
            told = len(messages(app))
            assert app.watcher.poll() is None  # ...and not taken for someone else's edit
            assert len(messages(app)) == told and not isinstance(app.screen, ConflictScreen)

        drive(preset_app(places, "eu-ch"), scenario, size=MID)

    def test_with_unsaved_work_the_conflict_dialog_is_offered(self, places, monkeypatch):
        async def scenario(pilot, app):
            await opened(pilot, app)
            path = app.doc.path

            def disk_full(session, target):
                raise LinkwrightError("no space left on the device", target)

            # A save that fails leaves the change unsaved (the disk is full).
            monkeypatch.setattr(tui.document, "save_session", disk_full)
            assert app.apply(lambda s: s.model_copy(update={"marking": "Mine"}))
            await settle(pilot, app)
            assert not app.doc.saved
            monkeypatch.undo()
            marking(path, "Theirs")
            assert app.watcher.poll() == "conflict"
            await pilot.pause()
            assert isinstance(app.screen, ConflictScreen)
            assert app.watcher.poll() is None  # asked once, while the user decides
            await pilot.press("r")
            await settle(pilot, app)
            assert app.doc.session.marking == "Theirs"

        drive(preset_app(places, "eu-ch"), scenario, size=MID)

    def test_a_broken_or_deleted_file_is_told_once_and_the_session_kept(self, places):
        async def scenario(pilot, app):
            await opened(pilot, app)
            path = app.doc.path
            path.write_text("linkwright: 1\nparties: [unclosed\n", "utf-8")
            assert app.watcher.poll() == "unreadable"
            assert app.watcher.poll() is None  # told once per state of the file
            assert app.doc.session.marking  # the session here is unchanged
            assert path.read_text("utf-8").endswith("[unclosed\n")  # and theirs not replaced
            path.unlink()
            assert app.watcher.poll() == "deleted"
            assert app.watcher.poll() is None
            await pilot.pause()
            assert any("deleted or moved by another program" in m for m in messages(app))

        drive(preset_app(places, "eu-ch"), scenario, size=MID)


# -- 2. the last export belongs to its session -----------------------------------------


def test_a_new_session_does_not_show_the_previous_sessions_last_export(places):
    async def scenario(pilot, app):
        await opened(pilot, app)
        first = app.doc
        await pilot.press("7")
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        path = await submit_export(pilot, app)
        assert path.exists()
        assert bare(str(path.resolve())) in bare(
            text_in(app, app.work_screen.query_one("#export-path")))
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        menu = app.screen.query_one("#start-menu", OptionList)
        menu.highlighted = menu.get_option_index("preset:ca-qc")
        await pilot.press("enter")
        for _ in range(300):
            await pilot.pause(0.02)
            if app.doc is not first and app.work_screen and app.work_screen.is_attached:
                break
        await settle(pilot, app)
        await pilot.press("7")
        await settle(pilot, app)
        shown = text_in(app, app.work_screen.query_one("#export-path"))
        assert "Not exported yet" in shown and path.name not in bare(shown)

    drive(preset_app(places, "au-eu"), scenario, size=MID)


# -- 3. the findings panel ------------------------------------------------------------------


def china_korea(folder: Path) -> Path:
    """`linkwright new --systems china-ets,k-ets`: China's intensity cap is an error
    whose message is long."""
    path = folder / "china-korea.yaml"
    path.write_text(blank_session_text(["china-ets", "k-ets"]), "utf-8")
    return path


def intensity_error(app):
    return next(f for f in app.findings if f.rule == "criteria.mandatory-absolute")


def test_a_long_finding_is_whole_in_the_panel_at_120_by_40(places, tmp_path):
    async def scenario(pilot, app):
        await opened(pilot, app)
        finding = intensity_error(app)
        listing = app.work_screen.query_one("#finding-list", OptionList)
        assert flat(finding.message) in text_in(app, listing)  # to "the joint cap is unknown"

    drive(file_app(places, china_korea(tmp_path)), scenario, size=MID)


def test_at_80_by_24_enter_opens_a_finding_in_full_and_the_footer_fits(places, tmp_path):
    async def scenario(pilot, app):
        await opened(pilot, app)
        finding = intensity_error(app)
        # The footer: whole keys only (no "a Apply fi"), help always among them.
        footer = app.work_screen.query_one(FittedFooter)
        bottom = screen_lines(app)[-1]
        shown = [k for k in footer.query(FooterKey) if k.display]
        assert any(k.description == "Help" for k in shown)
        for key in shown:
            assert f"{key.key_display} {key.description}" in bottom, (key.description, bottom)
        # The panel shows one line per finding; Enter opens the highlighted one whole.
        panel = app.work_screen.query_one(FindingsPanel)
        listing = panel.query_one("#finding-list", OptionList)
        assert flat(finding.message) not in text_in(app, listing)
        await pilot.press("f")
        listing.highlighted = panel.ordered.index(finding)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, FindingScreen)
        dialog = app.screen.query_one("#finding-dialog")
        seen = text_in(app, dialog)
        assert flat(finding.message) in seen
        assert "Error: Essential criteria" in seen and "Parties: China" in seen
        assert "1 adopt an absolute cap in China" in seen
        assert "Go to the topic" in seen
        # Enter on "Go to the topic" goes there.
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.work_screen.step == "topics" and app.work_screen.topic == finding.topic

    drive(file_app(places, china_korea(tmp_path)), scenario, size=NARROW)


def test_a_fix_picked_by_number_in_the_finding_dialog_is_applied(places, tmp_path):
    async def scenario(pilot, app):
        await opened(pilot, app)
        finding = intensity_error(app)
        panel = app.work_screen.query_one(FindingsPanel)
        panel.open_finding(finding)
        await pilot.pause()
        await pilot.press("1")
        await settle(pilot, app)
        assert app.doc.session.parties[0].overrides["cap_type"] == "absolute"
        assert all(f.rule != "criteria.mandatory-absolute" for f in app.findings)

    drive(file_app(places, china_korea(tmp_path)), scenario, size=NARROW)


# -- 4. the economics step ------------------------------------------------------------------


def test_economics_fits_at_120_and_80_columns_with_units(places):
    for size in (MID, NARROW):

        async def scenario(pilot, app):
            await opened(pilot, app)
            await pilot.press("8")
            await settle(pilot, app)
            table = app.work_screen.query_one("#economics-table", DataTable)
            assert table.virtual_size.width <= table.scrollable_content_region.width  # no cut
            body = app.work_screen.query_one("#economics-body")
            for row in ("transfer", "gain"):  # the last rows, scrolled to as a user would
                table.move_cursor(row=table.get_row_index(row))
                body.scroll_to_widget(table)
            await pilot.pause()
            seen = text_in(app, app.work_screen.query_one("#economics"))
            assert "the Union" in seen and "Switzerland" in seen
            assert "Linked price 78.50 78.50" in seen  # both parties' columns
            for unit in ("EUR per tCO2e", "Mt CO2e", "EUR million"):
                assert unit in seen, unit

        drive(preset_app(places, "eu-ch", economics=lambda neg: ECONOMICS), scenario,
              size=size)


# -- 5. export progress ----------------------------------------------------------------------


def test_a_slow_export_shows_its_progress_then_the_file_written(places, monkeypatch):
    release = threading.Event()
    render = drafting_command.render_document

    def slow_render(*args, **kwargs):
        release.wait(30)  # as long as the test needs to look at the screen
        return render(*args, **kwargs)

    monkeypatch.setattr(drafting_command, "render_document", slow_render)

    async def scenario(pilot, app):
        await opened(pilot, app)
        await pilot.press("e")
        await pilot.pause()
        path = Path(app.screen.query_one("#path").value)
        app.screen.query_one("#ok").focus()
        await pilot.press("enter")
        bar = app.work_screen.query_one("#export-bar")
        for _ in range(200):  # shown once the export has run for a moment
            await pilot.pause(0.02)
            if bar.display:
                break
        await pilot.pause()
        assert "Rendering the instrument as" in "\n".join(screen_lines(app))
        release.set()
        for _ in range(300):
            await asyncio.sleep(0.02)
            await pilot.pause()
            if not app._exporting:
                break
        await settle(pilot, app)
        assert not bar.display
        assert any(str(path.resolve()) in m for m in messages(app))

    try:
        drive(preset_app(places, "au-eu"), scenario, size=NARROW)
    finally:
        release.set()


def test_a_long_party_name_wraps_in_the_economics_header_instead_of_widening_it() -> None:
    from tui.panes.economics import two_lines

    assert two_lines("the United Kingdom") == "the United\nKingdom"
    assert two_lines("Switzerland") == "Switzerland"
    assert two_lines("the Gouvernement du Québec") == "the Gouvernement\ndu Québec"
