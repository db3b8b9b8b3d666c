"""The session's language versions in the TUI: the Draft step shows each in turn (`l`),
and the export dialog offers them, one or side by side: a negotiator reads the French of
eu-ch as the other side will, and takes it to the round as the CLI's `--language` would."""

from __future__ import annotations

from tuihelp import (
    drive,
    messages,
    open_export,
    opened,
    preset_app,
    settle,
    submit_export,
    tick,
)


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


async def on_draft(pilot, app):
    await opened(pilot, app)
    app.work_screen.go_to("draft")
    await settle(pilot, app)


async def next_version(pilot, app):
    await pilot.press("l")
    await settle(pilot, app)


def test_the_draft_step_shows_each_version_and_the_export_offers_the_one_shown(places):
    async def scenario(pilot, app):
        await on_draft(pilot, app)
        pane = app.work_screen.pane("draft")
        status = app.work_screen.query_one("#draft-status")
        assert "HAVE AGREED AS FOLLOWS" in pane.text
        assert "Version: English (l: 1 of 3)" in str(status.render())
        await next_version(pilot, app)
        assert "SONT CONVENUES DE CE QUI SUIT" in pane.text
        assert "Version: Français (l: 2 of 3)" in str(status.render())
        await next_version(pilot, app)
        assert "SIND WIE FOLGT ÜBEREINGEKOMMEN" in pane.text
        # the export offers the version being read, and writes it
        await open_export(pilot, app, "md")
        chosen = [b.name for b in app.screen.query("#language RadioButton") if b.value]
        assert chosen == ["de"]
        path = await submit_export(pilot, app)
        assert path.name.endswith("-de.md")
        assert "SIND WIE FOLGT ÜBEREINGEKOMMEN" in path.read_text("utf-8")
        await next_version(pilot, app)  # and round again to the English
        assert "HAVE AGREED AS FOLLOWS" in pane.text

    drive(preset_app(places, "eu-ch"), scenario)


def test_an_english_only_instrument_says_why_there_is_no_other_version(places):
    async def scenario(pilot, app):
        await on_draft(pilot, app)
        await next_version(pilot, app)
        assert any("Only the English text" in m for m in messages(app)), messages(app)
        assert "Version:" not in str(app.work_screen.query_one("#draft-status").render())

    drive(preset_app(places, "au-eu"), scenario)
