"""Acknowledged warnings in the TUI: the findings panel shows them dimmed with their
note and counts them apart; the palette acknowledges the highlighted warning."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from textual.widgets import OptionList, Static
from tuihelp import drive, file_app, opened, search_palette, settle

from negotiation.session import preset_text
from tui.screens.acknowledge import AcknowledgeScreen
from tui.widgets.findings import FindingsPanel

NOTE = "Separate limits are reported annually; accepted at round 3."


def session_with_differing_offset_limits(folder: Path, **extra: Any) -> Path:
    data = yaml.safe_load(preset_text("eu-ch"))
    data.pop("acknowledged", None)  # the preset's own (the reserve): these tests count theirs
    for party, limit in (("eu", 5), ("ch", 8)):
        spec = next(p for p in data["parties"] if p["id"] == party)
        spec.setdefault("overrides", {})["offsets"] = {"limit_pct": limit}
    data.update(extra)
    path = folder / "round3.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def panel_text(app: Any) -> tuple[str, list[str]]:
    panel = app.work_screen.query_one(FindingsPanel)
    counts = str(panel.query_one("#finding-counts", Static).render())
    listing = panel.query_one("#finding-list", OptionList)
    lines = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
    return counts, lines


def highlight(app: Any, rule: str) -> None:
    panel = app.work_screen.query_one(FindingsPanel)
    index = next(i for i, f in enumerate(panel.ordered) if f.rule == rule)
    panel.query_one("#finding-list", OptionList).highlighted = index


def test_the_palette_acknowledges_the_highlighted_warning_with_a_note(places, tmp_path):
    path = session_with_differing_offset_limits(tmp_path)

    async def scenario(pilot, app):
        await opened(pilot, app)
        highlight(app, "offsets.limit-differs")
        await search_palette(pilot, app, "acknowledge this warning")
        await pilot.press("enter")
        for _ in range(100):
            if isinstance(app.screen, AcknowledgeScreen):
                break
            await pilot.pause(0.05)
        assert isinstance(app.screen, AcknowledgeScreen)
        await pilot.press("enter")  # no note yet: refused, the dialog stays
        await pilot.pause()
        assert isinstance(app.screen, AcknowledgeScreen)
        problem = str(app.screen.query_one("#acknowledge-problem", Static).render())
        assert problem == "write the note: an acknowledged finding says why it is accepted"
        await pilot.press(*NOTE, "enter")
        await settle(pilot, app)
        saved = yaml.safe_load(path.read_text("utf-8"))["acknowledged"]
        assert [(a["rule"], a["topic"], a["note"]) for a in saved] == [
            ("offsets.limit-differs", "offsets", NOTE)]
        assert saved[0]["about"].startswith("offset limits differ (the Union 5 per cent")
        counts, lines = panel_text(app)
        assert "1 acknowledged" in counts
        assert lines[-1].startswith("✓ Offset credits: offset limits differ")
        assert lines[-1].endswith(f"(acknowledged: {NOTE})")

    drive(file_app(places, path), scenario)


def test_an_acknowledged_warning_is_dimmed_last_and_counted_apart(places, tmp_path):
    probe = session_with_differing_offset_limits(tmp_path)
    from negotiation.checks import run_checks
    from negotiation.session import load_session

    warning = next(f for f in run_checks(load_session(probe)) if f.rule == "offsets.limit-differs")
    path = session_with_differing_offset_limits(tmp_path, acknowledged=[
        {"rule": warning.rule, "topic": warning.topic, "about": warning.message, "note": NOTE}])

    async def scenario(pilot, app):
        await opened(pilot, app)
        panel = app.work_screen.query_one(FindingsPanel)
        assert panel.ordered[-1].rule == "offsets.limit-differs"
        listing = panel.query_one("#finding-list", OptionList)
        last = listing.get_option_at_index(listing.option_count - 1).prompt
        assert any("dim" in str(span.style) for span in last.spans)
        counts, _ = panel_text(app)
        assert "1 acknowledged" in counts
        highlight(app, "offsets.limit-differs")
        panel.acknowledge_highlighted()
        await pilot.pause()
        assert not isinstance(app.screen, AcknowledgeScreen)
        assert f"Already acknowledged: {NOTE}" in [n.message for n in app._notifications]

    drive(file_app(places, path), scenario)
