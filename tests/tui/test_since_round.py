"""The "Since the last round" view (issue 13): the change list per topic, with who
moved, and Enter goes to the provision."""

from __future__ import annotations

import asyncio
from pathlib import Path

import yaml
from textual.widgets import OptionList, Static
from tuihelp import drive, file_app, opened, settle

from negotiation.cli import main
from tests.conftest import preset_data
from tests.tui.test_words_and_search import card
from tui.screens.since import SinceRoundScreen


def _closed_round_then_changes(folder: Path) -> Path:
    """eu-ch as round 2, closed; then round 3 moves the data exchange deadline and the
    Swiss position on the notice period."""
    data = preset_data("eu-ch")
    data["round"] = {"number": 2, "date": "2017-06-12"}
    data["delegation"] = "eu"
    data["positions"] = {"ch": {"termination.notice": {"clause": "termination.notice.fixed",
                                                       "params": {"months": 12}}}}
    session = folder / "session.yaml"
    session.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    assert main(["round", "close", str(session), "--date", "2017-11-23"]) == 0
    later = yaml.safe_load(session.read_text("utf-8"))
    later["provisions"]["transparency.exchange"]["params"]["months"] = 5
    later["positions"]["ch"]["termination.notice"]["params"]["months"] = 9
    session.write_text(yaml.safe_dump(later, sort_keys=False, allow_unicode=True), "utf-8")
    return session


async def _since(pilot, app) -> SinceRoundScreen:
    app.work_screen.action_since_round()
    for _ in range(100):
        await pilot.pause(0.05)
        screen = app.screen
        if isinstance(screen, SinceRoundScreen) and any(screen.stops):
            return screen
    raise AssertionError("the comparison never arrived")


def test_since_the_last_round_lists_changes_by_topic_and_goes_to_one(places, tmp_path):
    session = _closed_round_then_changes(tmp_path)

    async def scenario(pilot, app):
        await opened(pilot, app)
        screen = await _since(pilot, app)
        listing = screen.query_one("#since-changes", OptionList)
        lines = [str(listing.get_option_at_index(i).prompt)
                 for i in range(listing.option_count)]
        assert "Since round 2" in str(screen.query_one("#since-title", Static).render())
        assert any("value changed: 4 → 5" in line for line in lines), lines
        assert any("(Switzerland moved)" in line for line in lines), lines
        assert not any("transparency.exchange" in line for line in lines)  # titles, not ids
        wanted = next(i for i, line in enumerate(lines) if "4 → 5" in line)
        listing.highlighted = wanted
        await pilot.press("enter")
        await settle(pilot, app)
        assert not isinstance(app.screen, SinceRoundScreen)
        assert app.work_screen.topic == "transparency"
        assert card(app, "transparency.exchange").has_class("-found")
        await asyncio.sleep(0)

    drive(file_app(places, session), scenario)


def test_without_a_previous_round_the_view_says_how_to_get_one(places, tmp_path):
    session = tmp_path / "s.yaml"
    session.write_text(yaml.safe_dump(preset_data("eu-ch"), sort_keys=False,
                                      allow_unicode=True), "utf-8")

    async def scenario(pilot, app):
        await opened(pilot, app)
        app.work_screen.action_since_round()
        for _ in range(60):
            await pilot.pause(0.05)
            said = str(app.screen.query_one("#since-count", Static).render())
            if "names no previous round" in said:
                break
        assert "linkwright round close" in said
        await pilot.press("escape")
        await settle(pilot, app)
        assert not isinstance(app.screen, SinceRoundScreen)

    drive(file_app(places, session), scenario)


def test_the_other_sides_moves_are_marked_in_the_step_list_until_seen(places, tmp_path):
    """Opened once, then their position changes on disk (as `merge --write` does): the
    topic is marked on the next opening, and the mark goes once the topic is visited."""
    from tui.widgets.sidebar import StepList

    data = preset_data("eu-ch")
    data["delegation"] = "eu"
    data["positions"] = {"ch": {"termination.notice": {"clause": "termination.notice.fixed",
                                                       "params": {"months": 12}}}}
    session = tmp_path / "ours.yaml"
    session.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")

    def sidebar(app) -> str:
        listing = app.work_screen.query_one(StepList)
        return "\n".join(str(listing.get_option_at_index(i).prompt)
                         for i in range(listing.option_count))

    async def first(pilot, app):
        await opened(pilot, app)
        assert "✱" not in sidebar(app)  # nothing was seen before: nothing is news

    drive(file_app(places, session), first)
    data["positions"]["ch"]["termination.notice"]["params"]["months"] = 9  # their move
    session.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")

    async def second(pilot, app):
        await opened(pilot, app)
        marked = [line for line in sidebar(app).splitlines() if "✱" in line]
        assert len(marked) == 1 and "Termination" in marked[0], marked
        app.work_screen.go_to("topics", "termination")
        await settle(pilot, app)
        assert "✱" not in sidebar(app)

    drive(file_app(places, session), second)

    async def third(pilot, app):
        await opened(pilot, app)
        assert "✱" not in sidebar(app)  # seen stays seen

    drive(file_app(places, session), third)
