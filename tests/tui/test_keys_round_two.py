"""The walk, round two (issue 14): no blind keys, no keyboard traps.

Keys are pressed as a negotiator would; what is asserted is what they would
notice: which fix was applied and what the notification said, where the
cursor went, which file was written, and whether a dialog is still open.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button, Input, OptionList, Static
from tuihelp import (
    NARROW,
    drive,
    opened,
    preset_app,
    quiet,
    search_palette,
    settle,
    start_app,
)

from negotiation import edits
from negotiation.session import ClauseChoice, preset_text
from tui.app import LinkwrightApp
from tui.opening import Opening, open_blank
from tui.panes.topics import ProvisionCard
from tui.screens.acknowledge import AcknowledgeScreen
from tui.screens.modals import (
    ConditionScreen,
    ConfirmScreen,
    EditValueScreen,
    ExportScreen,
    NewSessionScreen,
    OpenFileScreen,
    PositionScreen,
    SaveAsScreen,
    SourceScreen,
)
from tui.screens.start import StartScreen
from tui.widgets.findings import FindingsPanel


def notes(app: LinkwrightApp) -> list[str]:
    return [f"{n.title}: {n.message}" for n in app._notifications]


def finding_lines(app: LinkwrightApp) -> list[str]:
    listing = app.work_screen.query_one("#finding-list", OptionList)
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


async def highlight_finding(pilot, app: LinkwrightApp, wanted) -> None:
    """f, then Down until the highlighted finding is the first one `wanted` accepts."""
    await pilot.press("f")
    panel = app.work_screen.query_one(FindingsPanel)
    for _ in range(len(panel.ordered) + 1):
        if panel.highlighted is not None and wanted(panel.highlighted):
            return
        await pilot.press("down")
    raise AssertionError("no such finding")


async def until(pilot, done) -> None:
    """Wait for `done()` without waiting on every worker: the open dialog's folder
    tree keeps a loader running as long as it is shown."""
    for _ in range(300):
        await pilot.pause(0.05)
        if done():
            return


def focused_provision(app: LinkwrightApp) -> str | None:
    node = app.screen.focused
    while node is not None and not isinstance(node, ProvisionCard):
        node = node.parent
    return node.provision_id if node is not None else None


# -- decisions made blind ----------------------------------------------------------------


def test_a_shows_the_fixes_where_the_finding_is_and_applies_only_the_one_picked(places):
    async def scenario(pilot, app):
        await opened(pilot, app)
        mechanism = app.doc.neg.decision("market_stability.mechanism")
        await highlight_finding(pilot, app, lambda f: f.rule == "supply.msr-one-sided")
        await pilot.press("a")
        await settle(pilot, app)
        # Nothing applied by `a`: the fix is shown, numbered, under its finding.
        assert app.doc.neg.decision("market_stability.mechanism") == mechanism
        lines = finding_lines(app)
        assert any("1 Switzerland accepts the partner's reserve" in line for line in lines), lines
        assert any("Esc closes" in line for line in lines)
        await pilot.press("escape")  # closes the fixes, and still nothing applied
        assert not any("Esc closes" in line for line in finding_lines(app))
        await pilot.press("a", "1")
        await settle(pilot, app)
        chosen = app.doc.neg.decision("market_stability.mechanism")
        assert chosen.clause == "market_stability.mechanism.accept_partner"
        said = [n for n in notes(app) if n.startswith("Fix applied")]
        assert said and "Switzerland accepts the partner's reserve" in said[-1]
        assert "supply." not in said[-1]  # the label, never the rule id

    drive(preset_app(places, "eu-ch"), scenario)


def test_a_fix_in_a_dispute_names_the_party_whose_position_it_adopts(places):
    async def scenario(pilot, app):
        await opened(pilot, app)
        assert app.doc.neg.decision("termination.notice") is None
        title = app.doc.neg.library.provisions["termination.notice"].title
        await highlight_finding(pilot, app, lambda f: f.rule == "provision.open"
                                and f.message.startswith(title))
        await pilot.press("a")
        await settle(pilot, app)
        assert app.doc.neg.decision("termination.notice") is None  # no side taken by `a`
        lines = finding_lines(app)
        assert any("1 adopt the Union's position" in line and "6" in line for line in lines)
        assert any("2 adopt the United Kingdom's position" in line and "12" in line
                   for line in lines), lines
        await pilot.press("2")
        await settle(pilot, app)
        assert app.doc.neg.decision("termination.notice") == ClauseChoice(
            clause="termination.notice.fixed", params={"months": 12})
        assert any("the United Kingdom's position" in n for n in notes(app)
                   if n.startswith("Fix applied"))

    drive(preset_app(places, "eu-uk"), scenario)


def test_n_goes_to_an_error_first_then_on_through_what_needs_the_user(places):
    async def scenario(pilot, app):
        await opened(pilot, app)
        # The agreement as signed, made a memorandum: a chosen clause no longer fits (an
        # error, in the conditions) and one provision is newly open (later in the treaty).
        # English only: the German of eu-ch's clauses is in the treaty voice, and its
        # gaps as a memorandum would be errors of another subject.
        app.apply(lambda s: edits.set_form(s.model_copy(update={"languages": None}),
                                           "memorandum"))
        await settle(pilot, app)
        errors = [f for f in app.findings if f.severity == "error"]
        assert errors and errors[0].topic == "conditions"
        await pilot.press("n")
        await settle(pilot, app)
        assert (app.work_screen.step, app.work_screen.topic) == ("topics", "conditions")
        assert focused_provision(app) == "conditions.precondition"
        assert any(n.startswith("Needs you") and "Error" in n for n in notes(app)), notes(app)
        # n goes on from there, never back to the same place, and never says "Nothing".
        seen = [focused_provision(app)]
        for _ in range(3):
            await pilot.press("n")
            await settle(pilot, app)
            seen.append(focused_provision(app))
        assert len(set(seen)) == 4 and None not in seen, seen
        # Errors first: the newly open question (sovereignty) waits until they are seen.
        assert "sovereignty.statement" not in seen
        assert not any(n.startswith("Nothing") for n in notes(app))

    drive(preset_app(places, "eu-ch"), scenario)


def test_choosing_the_recommended_link_goes_on_to_what_it_now_needs(places):
    opening = Opening("new", lambda: open_blank(places, ["nz-ets", "uk-ets"]), fatal=True)
    app = quiet(LinkwrightApp(places, opening))

    async def scenario(pilot, app):
        await opened(pilot, app)
        await pilot.press("3")
        await settle(pilot, app)
        listing = app.screen.focused
        assert listing.id == "link-options"
        while "★" not in str(listing.highlighted_option.prompt):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot, app)
        await pilot.pause()
        assert app.work_screen.step == "topics" and app.work_screen.topic == "recognition"
        assert focused_provision(app) == "recognition.scope"
        assert any("now needs" in n for n in notes(app)), notes(app)

    drive(app, scenario)


# -- keyboard traps and focus --------------------------------------------------------------


def test_export_dialog_opens_on_the_formats_down_and_enter_exports_docx(places):
    async def scenario(pilot, app):
        await opened(pilot, app)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        assert app.screen.focused.id == "fmt"
        await pilot.press("down", "enter")
        for _ in range(300):
            await settle(pilot, app)
            if app.last_export is not None:
                break
        assert app.last_export is not None and app.last_export.suffix == ".docx"
        assert app.last_export.read_bytes()[:2] == b"PK"  # a Word package, not a PDF

    drive(preset_app(places, "eu-ch"), scenario)


def test_position_dialog_tabs_from_the_clause_to_its_value_and_enter_submits(places):
    async def scenario(pilot, app):
        await opened(pilot, app)
        app.work_screen.go_to("topics", "termination", focus=False)
        await settle(pilot, app)
        app.work_screen.query_one("#topics").focus_provision("termination.notice")
        await pilot.pause()
        await pilot.press("o", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PositionScreen)
        assert app.screen.focused.id == "clause"
        await pilot.press("tab")
        field = app.screen.focused
        assert isinstance(field, Input) and field.id == "pp-months"  # no stop in between
        await pilot.press("ctrl+u", "9", "enter")
        await settle(pilot, app)
        assert not isinstance(app.screen, PositionScreen)
        position = next(iter(app.doc.neg.positions_on("termination.notice").values()))
        assert position.params["months"] == 9

    drive(preset_app(places, "eu-uk"), scenario)


def test_step_3_tab_then_down_and_enter_stays_on_the_kind_of_link(places):
    async def scenario(pilot, app):
        await opened(pilot, app)
        await pilot.press("3")
        await settle(pilot, app)
        assert app.screen.focused.id == "link-options"
        await pilot.press("tab")
        assert app.screen.focused.id == "choose-link"
        await pilot.press("down", "enter")
        await settle(pilot, app)
        assert app.work_screen.step == "readiness"
        assert app.doc.neg.linkage == "bilateral"
        assert any("already" in n for n in notes(app))

    drive(preset_app(places, "eu-ch"), scenario)


def test_the_palettes_condition_command_leaves_enter_adding_a_condition(places):
    async def scenario(pilot, app):
        await opened(pilot, app)
        await search_palette(pilot, app, "Add or remove a pre-linking")
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.screen.focused.id == "add-condition"
        before = app.doc.session.provisions
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConditionScreen)
        assert app.doc.session.provisions == before  # no clause re-chosen

    drive(preset_app(places, "eu-ch"), scenario)


def test_f_highlights_the_first_finding_so_a_has_one_to_act_on(places):
    async def scenario(pilot, app):
        await opened(pilot, app)
        await pilot.press("f")
        panel = app.work_screen.query_one(FindingsPanel)
        assert app.screen.focused.id == "finding-list"
        assert panel.highlighted == panel.ordered[0]
        await pilot.press("a")
        assert not any("Highlight a finding first" in n for n in notes(app))

    drive(preset_app(places, "eu-ch"), scenario)


def test_a_failed_open_keeps_the_dialog_with_the_error_in_it(places, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("linkwright: 1\npartys: []\n", "utf-8")
    good = tmp_path / "good.yaml"
    good.write_text(preset_text("eu-uk"), "utf-8")

    async def scenario(pilot, app):
        await opened(pilot, app)
        title = app.doc.title
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, OpenFileScreen)
        await pilot.press(*"missing.yaml", "enter")
        await pilot.pause()
        assert isinstance(app.screen, OpenFileScreen)
        problem = str(app.screen.query_one("#open-problem", Static).render())
        assert "no file named missing.yaml" in problem
        # The next keys still land in the dialog, not on the screen behind it.
        await pilot.press("ctrl+u", *"broken.yaml", "enter")

        def problem_text() -> str:
            return str(app.screen.query_one("#open-problem", Static).render())

        await until(pilot, lambda: "opening" not in problem_text())
        problem = problem_text()
        assert isinstance(app.screen, OpenFileScreen)
        assert "broken.yaml" in problem and "partys" in problem
        assert app.doc.title == title
        await pilot.press("ctrl+u", *"good.yaml", "enter")
        await until(pilot, lambda: app.doc.path.resolve() == good.resolve())
        await settle(pilot, app)
        assert app.doc.path.resolve() == good.resolve()
        assert not isinstance(app.screen, OpenFileScreen | StartScreen)

    drive(preset_app(places, "eu-ch"), scenario)


# -- every dialog by keyboard alone ----------------------------------------------------------


def tab_stops(app: LinkwrightApp) -> list[str]:
    """The dialog's Tab stops, checked to follow what is shown (top to bottom, left to
    right) and each to be visible: no invisible stop between two fields."""
    chain = app.screen.focus_chain
    for widget in chain:
        assert widget.region.area > 0, f"an invisible Tab stop: {widget!r}"
    places = [(w.region.y, w.region.x) for w in chain]
    assert places == sorted(places), [w.id for w in chain]
    return [w.id or type(w).__name__ for w in chain]


async def walk_dialog(pilot, app, open_keys: tuple[str, ...], kind: type, submit: tuple[str, ...]
                      ) -> list[str]:
    """Open the dialog by keys, check its Tab order, Escape it, open it again and
    submit it with `submit` (ending in Enter). Returns its Tab stops."""
    await pilot.press(*open_keys)
    await until(pilot, lambda: isinstance(app.screen, kind))
    assert isinstance(app.screen, kind), (kind, app.screen)
    stops = tab_stops(app)
    first = app.screen.focused
    for _ in stops:  # Tab goes round every stop and back to the first
        await pilot.press("tab")
    assert app.screen.focused is first
    await pilot.press("escape")
    await pilot.pause()
    assert not isinstance(app.screen, kind)
    await pilot.press(*open_keys)
    await until(pilot, lambda: isinstance(app.screen, kind))
    assert isinstance(app.screen, kind)
    await pilot.press(*submit)
    await until(pilot, lambda: not isinstance(app.screen, kind))
    assert not isinstance(app.screen, kind), f"{kind.__name__} did not submit with Enter"
    await settle(pilot, app)
    return stops


def test_every_dialog_by_keyboard_alone(places, tmp_path):
    async def scenario(pilot, app):
        await opened(pilot, app)
        title = app.doc.title
        # Step 2: a party's figure (v) and its source (s).
        await pilot.press("2")
        await settle(pilot, app)
        await walk_dialog(pilot, app, ("v",), EditValueScreen, ("enter",))
        await walk_dialog(pilot, app, ("s",), SourceScreen, ("enter",))
        # Save as (ctrl+s): the tick box passes Enter on to Save.
        target = tmp_path / "saved.yaml"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SaveAsScreen)
        assert tab_stops(app) == ["path", "replace", "ok", "cancel"]
        app.screen.query_one("#path", Input).value = str(target)
        await pilot.press("tab", "enter")  # on the tick box
        await settle(pilot, app)
        assert not isinstance(app.screen, SaveAsScreen) and target.exists()
        # Export (e): the format, the document, the language version (eu-ch has French
        # and German), the path, replace, the buttons.
        stops = await walk_dialog(pilot, app, ("e",), ExportScreen, ("down", "down", "enter"))
        assert stops == ["fmt", "document", "language", "path", "replace", "ok", "cancel"]
        for _ in range(300):
            await settle(pilot, app)
            if app.last_export is not None:
                break
        assert app.last_export.suffix == ".md"
        # A party's position (o, Enter on Edit): the clause, then its values, Enter sets it.
        app.work_screen.go_to("topics", "termination", focus=False)
        await settle(pilot, app)
        app.work_screen.query_one("#topics").focus_provision("termination.notice")
        await pilot.pause()
        stops = await walk_dialog(pilot, app, ("o", "enter"), PositionScreen, ("tab", "enter"))
        assert stops[:2] == ["clause", "pp-months"]
        # A pre-linking condition: Enter in the text adds it.
        count = len(app.doc.session.conditions)
        app.work_screen.go_to("topics", "conditions", focus=False)
        await settle(pilot, app)
        app.work_screen.query_one("#add-condition", Button).focus()
        await walk_dialog(pilot, app, ("enter",), ConditionScreen,
                          (*"adopt the registry rules", "enter"))
        assert len(app.doc.session.conditions) == count + 1
        # Acknowledge a warning (from the palette): the note, Enter.
        await highlight_finding(pilot, app, lambda f: f.severity == "warning" and f.is_open)
        await search_palette(pilot, app, "Acknowledge this warning")
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, AcknowledgeScreen)
        tab_stops(app)
        await pilot.press(*"accepted at round 3", "enter")
        await settle(pilot, app)
        assert not isinstance(app.screen, AcknowledgeScreen)
        assert any(f.acknowledged for f in app.findings)
        # A yes/no question: Enter answers yes, Escape cancels.
        answers = []
        app.push_screen(ConfirmScreen("Go on?", "Go on", "Stay"), answers.append)
        await pilot.pause()
        assert tab_stops(app) == ["yes", "cancel"]
        await pilot.press("escape")
        app.push_screen(ConfirmScreen("Go on?", "Go on", "Stay"), answers.append)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        app.push_screen(ConfirmScreen("Go on?", "Go on", "Stay"), answers.append)
        await pilot.pause()
        await pilot.press("tab", "enter")  # the other button, by keys: cancels
        await pilot.pause()
        assert answers == [None, True, None]
        # Open (ctrl+o): the path, Enter opens it.
        await walk_dialog(pilot, app, ("ctrl+o",), OpenFileScreen,
                          (*str(target), "enter"))
        assert app.doc.path.resolve() == target.resolve()
        assert app.doc.title == title

    drive(preset_app(places, "eu-uk"), scenario)


def test_a_new_session_by_keyboard_alone_at_80_columns(places):
    async def scenario(pilot, app):
        await pilot.pause()
        menu = app.screen.query_one("#start-menu", OptionList)
        while menu.highlighted_option is None or menu.highlighted_option.id != "blank":
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NewSessionScreen)
        assert tab_stops(app) == ["systems", "title", "year", "ok", "cancel"]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("space", "down", "space", "tab", *"Two systems", "enter")
        await opened(pilot, app)
        assert app.doc is not None and app.doc.title == "Two systems"

    drive(start_app(places), scenario, size=NARROW)


def test_a_missing_path_in_the_open_dialog_is_said_there(tmp_path: Path, places):
    """The open dialog from the start screen: Enter on nothing says what to type."""

    async def scenario(pilot, app):
        await pilot.pause()
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(app.screen, OpenFileScreen))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, OpenFileScreen)
        assert "type the path" in str(app.screen.query_one("#open-problem", Static).render())

    drive(start_app(places), scenario)
