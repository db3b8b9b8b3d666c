"""The TUI's dialogs refuse what the loader would refuse, in the loader's words: a date
or a year outside 1990-2100 stays in the dialog with a message, never a broken session
or a traceback."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Input, OptionList, SelectionList, Static
from tuihelp import drive, opened, preset_app, settle, start_app

from negotiation.session import date_problem, year_problem
from tui.screens.modals import ConditionScreen, NewSessionScreen


def problem_text(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def press_ok(pilot) -> None:
    """Click the dialog's OK once its last press has faded: a button ignores clicks
    while it still shows the previous one."""
    ok = pilot.app.screen.query_one("#ok")
    for _ in range(100):
        if not ok.has_class("-active"):
            break
        await pilot.pause(0.02)
    await pilot.click("#ok")
    await pilot.pause()


def test_a_condition_dated_beyond_2100_stays_in_the_dialog_with_the_loaders_words(places):
    async def scenario(pilot, app):
        await opened(pilot, app)
        app.work_screen.go_to("topics", "conditions")
        await settle(pilot, app)
        count = len(app.doc.session.conditions)
        await pilot.click("#add-condition")
        await pilot.pause()
        app.screen.query_one("#what", Input).value = "adopt the registry rules"
        app.screen.query_one("#by", Input).value = "2101-01-01"
        await press_ok(pilot)
        assert isinstance(app.screen, ConditionScreen)
        assert problem_text(app, "#condition-problem") == date_problem(dt.date(2101, 1, 1))
        app.screen.query_one("#by", Input).value = "2021-01-01"
        await press_ok(pilot)
        await settle(pilot, app)
        assert len(app.doc.session.conditions) == count + 1
        assert app.doc.session.conditions[-1].by == dt.date(2021, 1, 1)

    drive(preset_app(places, "eu-ch"), scenario)


def test_a_new_sessions_year_outside_1990_to_2100_is_refused_in_the_loaders_words(places):
    async def scenario(pilot, app):
        await pilot.pause()
        menu = app.screen.query_one("#start-menu", OptionList)
        menu.highlighted = menu.get_option_index("blank")
        await pilot.press("enter")
        await pilot.pause()
        picker = app.screen.query_one("#systems", SelectionList)
        picker.select("eu-ets")
        picker.select("ch-ets")
        for typed, problem in (("1850", year_problem(1850)),
                               ("²⁰²⁵", "the year is a number such as 2025")):
            app.screen.query_one("#year", Input).value = typed
            await press_ok(pilot)
            assert isinstance(app.screen, NewSessionScreen)
            assert problem_text(app, "#new-problem") == problem
        app.screen.query_one("#year", Input).value = "2025"
        await press_ok(pilot)
        await opened(pilot, app)
        assert app.doc.session.year == 2025

    drive(start_app(places), scenario)
