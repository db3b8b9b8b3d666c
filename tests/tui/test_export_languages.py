"""The export dialog offers the session's language versions, one or side by side: a
negotiator takes the French of ca-qc to the round as the CLI's `--language` would."""

from __future__ import annotations

from tuihelp import drive, open_export, opened, preset_app, submit_export, tick


def test_the_french_version_and_the_side_by_side_edition_are_exported(places):
    async def scenario(pilot, app):
        await opened(pilot, app)
        await open_export(pilot, app)
        labels = [str(b.label) for b in app.screen.query("#language RadioButton")]
        assert labels == ["English", "Français", "Side by side"]
        await tick(pilot, app, "md", "fr-CA")
        path = await submit_export(pilot, app)
        assert path.name.endswith("-fr-CA.md")
        text = path.read_text("utf-8")
        assert "la présente Entente" in text and "this Agreement" not in text
        await open_export(pilot, app, "md", "side-by-side")
        both = await submit_export(pilot, app)
        assert both.name.endswith("-en-fr-CA.md")
        assert "**[fr-CA]**" in both.read_text("utf-8")
        # the brief stays in the working language, whatever version was chosen
        await open_export(pilot, app, "md", "fr-CA", "brief")
        brief = await submit_export(pilot, app)
        assert brief.name.endswith("-brief.md") and "Language versions" in brief.read_text()

    drive(preset_app(places, "ca-qc"), scenario)
