"""The export dialog offers the session's language versions, one or side by side: a
negotiator takes the French of ca-qc to the round as the CLI's `--language` would."""

from __future__ import annotations

from textual.widgets import RadioButton
from tuihelp import drive, opened, preset_app, submit_export

from tui.screens.modals import ExportScreen


async def choose(pilot, app, *names: str) -> None:
    for name in names:
        button = next(b for b in app.screen.query(RadioButton) if b.name == name)
        button.value = True
        await pilot.pause()


def test_the_french_version_and_the_side_by_side_edition_are_exported(places):
    async def scenario(pilot, app):
        await opened(pilot, app)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        labels = [str(b.label) for b in app.screen.query("#language RadioButton")]
        assert labels == ["English", "Français", "Side by side"]
        await choose(pilot, app, "md", "fr-CA")
        path = await submit_export(pilot, app)
        assert path.name.endswith("-fr-CA.md")
        text = path.read_text("utf-8")
        assert "la présente Entente" in text and "this Agreement" not in text
        await pilot.press("e")
        await pilot.pause()
        await choose(pilot, app, "md", "side-by-side")
        both = await submit_export(pilot, app)
        assert both.name.endswith("-en-fr-CA.md")
        assert "**[fr-CA]**" in both.read_text("utf-8")
        # the brief stays in the working language, whatever version was chosen
        await pilot.press("e")
        await pilot.pause()
        await choose(pilot, app, "md", "fr-CA", "brief")
        brief = await submit_export(pilot, app)
        assert brief.name.endswith("-brief.md") and "Language versions" in brief.read_text()

    drive(preset_app(places, "ca-qc"), scenario)
