"""The parties step shows a figure nobody knows as "not known" and a feature the system
does not have as "none", and typing either gives back what the profile would hold."""

from __future__ import annotations

import yaml
from textual.widgets import DataTable, Input
from tuihelp import drive, opened, preset_app, settle

from tui.formatting import parse_figure, show_figure


def saved(app) -> dict:
    return yaml.safe_load(app.doc.path.read_text("utf-8"))


def test_unknown_and_none_read_differently() -> None:
    assert show_figure(None) == "not known"
    assert show_figure("none") == "none"
    assert show_figure([]) == "none"
    assert show_figure(False) == "no"


def test_typing_none_writes_the_profiles_word_for_that_parameter() -> None:
    assert parse_figure("none", None, "price_floor") == "none"
    assert parse_figure("None", 12.5, "auctions.reserve_price") == "none"
    assert parse_figure("none", None, "market_stability_reserve") is False
    assert parse_figure("none", None, "coverage.sectors") == []
    assert parse_figure("none", None, "borrowing") == "none"


def test_typing_nothing_or_not_known_is_not_known_never_none() -> None:
    for text in ("", "  ", "not known", "—", "null"):
        assert parse_figure(text, 15.0, "price_floor") is None, text


def test_the_parties_table_shows_none_and_not_known_and_an_edit_keeps_them_apart(places):
    async def scenario(pilot, app):
        await opened(pilot, app)
        table = app.work_screen.query_one("#party-table", DataTable)
        # Switzerland has no ceiling; its penalty per tonne is not known.
        assert table.get_row("price_ceiling")[2].plain.strip() == "none"
        assert table.get_row("penalty.per_tonne")[2].plain.strip() == "not known"
        assert [c.plain.strip() for c in table.get_row("verification.third_party")[1:]] == [
            "yes", "not known"]

        async def type_into(row: str, text: str) -> None:
            table.move_cursor(row=table.get_row_index(row), column=2)
            await pilot.pause()
            await pilot.press("enter")
            app.screen.query_one("#value", Input).value = text
            await pilot.press("enter")
            await settle(pilot, app)

        await type_into("price_ceiling", "")
        assert app.doc.neg.systems["ch"].parameters.price_ceiling is None
        assert table.get_row("price_ceiling")[2].plain == "✎ not known"
        await type_into("price_ceiling", "none")
        assert app.doc.neg.systems["ch"].parameters.price_ceiling == "none"
        assert table.get_row("price_ceiling")[2].plain == "✎ none"
        ch = next(p for p in saved(app)["parties"] if p["id"] == "ch")
        assert ch["overrides"]["price_ceiling"] == "none"

    drive(preset_app(places, "eu-ch"), scenario)
