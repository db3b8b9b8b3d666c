"""Each step of the TUI, driven as a negotiator would with Pilot (keyboard and mouse)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from textual.widgets import DataTable, Input, OptionList, Select, TextArea
from tuihelp import (
    ECONOMICS,
    NARROW,
    drive,
    file_app,
    messages,
    opened,
    place_saved,
    preset_app,
    search_palette,
    settle,
    start_app,
)

from negotiation.session import ClauseChoice, ProposedText, load_session, preset_text
from tui.panes.topics import ProvisionCard, TopicsPane
from tui.screens.help import HelpScreen
from tui.screens.modals import ConflictScreen, PositionScreen, SourceScreen
from tui.screens.start import StartScreen
from tui.widgets.findings import FindingsPanel


def saved(app) -> dict:
    return yaml.safe_load(app.doc.path.read_text("utf-8"))


def eu_ch_with_open(places, folder: Path, *provisions: str):
    """eu-ch with these provisions undecided again: the agreement as signed decides them
    all, and these steps need questions still to answer."""
    data = yaml.safe_load(preset_text("eu-ch"))
    for provision in provisions:
        data["provisions"].pop(provision)
    path = folder / "eu-ch-open.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return file_app(places, path)


def card(app, provision: str) -> ProvisionCard:
    pane = app.work_screen.query_one(TopicsPane)
    return next(c for c in pane.cards() if c.provision_id == provision)


async def choose_clause(pilot, app, provision: str, clause: str) -> None:
    """Go to the provision's topic, highlight the clause and press Enter."""
    topic = app.doc.neg.library.provisions[provision].topic
    app.work_screen.go_to("topics", topic)
    await pilot.pause()
    listing = card(app, provision).query_one(".clause-list", OptionList)
    listing.focus()
    listing.highlighted = listing.get_option_index(clause)
    await pilot.press("enter")
    await settle(pilot, app)


# -- 2 parties ------------------------------------------------------------------------------------


class TestParties:
    def test_profiles_side_by_side_with_differences_marked_and_a_value_edited(self, places):
        async def scenario(pilot, app):
            await opened(pilot, app)
            table = app.work_screen.query_one("#party-table", DataTable)
            assert [c.label.plain for c in table.columns.values()] == [
                "Parameter",
                "the Union",
                "Switzerland",
            ]
            level = table.get_row("level")[0].plain
            assert level.startswith("≠")  # supranational vs national
            assert table.get_row("banking")[0].plain.startswith("  ")  # same on both sides
            # Source of the highlighted figure, then every party's note with `s`.
            table.move_cursor(row=table.get_row_index("offsets.limit_pct"), column=2)
            await pilot.pause()
            assert "offsets.limit_pct" in str(app.work_screen.query_one("#source-note").render())
            await pilot.press("s")
            assert isinstance(app.screen, SourceScreen)
            await pilot.press("escape")
            # Enter edits Switzerland's figure; it is saved as an override.
            await pilot.press("enter")
            field = app.screen.query_one("#value", Input)
            field.value = "5"
            await pilot.press("enter")
            await settle(pilot, app)
            assert app.doc.neg.systems["ch"].parameters.offsets.limit_pct == 5
            ch = next(p for p in saved(app)["parties"] if p["id"] == "ch")
            assert ch["overrides"]["offsets"]["limit_pct"] == 5
            assert "offsets" in app.affected
            # A value the profile cannot hold is refused, with its cause.
            table.move_cursor(row=table.get_row_index("offsets.limit_pct"), column=1)
            await pilot.press("enter")
            app.screen.query_one("#value", Input).value = "250"
            await pilot.press("enter")
            await settle(pilot, app)
            assert app.doc.neg.systems["eu"].parameters.offsets.limit_pct is None
            assert any("100" in m for m in messages(app)), messages(app)

        drive(preset_app(places, "eu-ch"), scenario)


# -- 3 readiness and link -------------------------------------------------------------------------


class TestReadiness:
    def test_maturity_recommendation_and_a_one_way_link_that_makes_a_regulation(self, places):
        async def scenario(pilot, app):
            await opened(pilot, app)
            await pilot.press("3")
            await settle(pilot, app)
            screen = app.work_screen
            table = screen.query_one("#readiness-table", DataTable)
            assert table.row_count == 2
            assert "Full two-way link" in str(screen.query_one("#link-advice").render())
            options = screen.query_one("#link-options", OptionList)
            options.highlighted = options.get_option_index("unilateral-ch")
            await pilot.press("enter")
            await settle(pilot, app)
            neg = app.doc.neg
            assert (neg.linkage, neg.recognising(), neg.form) == ("unilateral", "ch", "regulation")
            assert neg.decision("recognition.scope").clause == "recognition.scope.unilateral"
            assert any("regulation" in m for m in messages(app))
            # And back to a phased agreement (the walk went on to what the regulation
            # needs: 3 comes back): the form follows again.
            await pilot.press("3")
            await settle(pilot, app)
            options.highlighted = options.get_option_index("phased")
            await pilot.press("enter")
            await settle(pilot, app)
            assert (app.doc.neg.linkage, app.doc.neg.form) == ("bilateral", "treaty")

        drive(preset_app(places, "eu-ch"), scenario)


# -- 4 legal form ---------------------------------------------------------------------------------


class TestForm:
    def test_forms_with_trade_offs_and_a_treaty_refused_for_subnational_parties(self, places):
        async def scenario(pilot, app):
            await opened(pilot, app)
            await pilot.press("4")
            await settle(pilot, app)
            screen = app.work_screen
            listing = screen.query_one("#form-options", OptionList)
            assert "does not fit" in str(listing.get_option("treaty").prompt)
            listing.highlighted = listing.get_option_index("treaty")
            await pilot.pause()
            detail = str(screen.query_one("#form-detail").render())
            assert "Who may sign" in detail and "cannot sign a treaty" in detail
            await pilot.press("enter")
            await settle(pilot, app)
            assert app.doc.neg.form == "treaty"
            assert any(f.rule == "form.subnational-treaty" for f in app.findings)
            # The fix from the findings panel puts the memorandum back: a shows it, 1 picks it.
            panel = screen.query_one(FindingsPanel)
            listing = panel.query_one("#finding-list", OptionList)
            listing.focus()
            listing.highlighted = next(
                i for i, f in enumerate(panel.ordered) if f.rule == "form.subnational-treaty"
            )
            await pilot.press("a", "1")
            await settle(pilot, app)
            assert app.doc.neg.form == "memorandum"

        drive(preset_app(places, "ca-qc"), scenario)


# -- 5 design topics ------------------------------------------------------------------------------


class TestTopics:
    def test_only_needed_provisions_with_status_and_next_question(self, places, tmp_path):
        async def scenario(pilot, app):
            await opened(pilot, app)
            await pilot.press("n")
            await settle(pilot, app)
            screen = app.work_screen
            assert screen.step == "topics" and screen.topic == "offsets"
            pane = screen.query_one(TopicsPane)
            assert [c.provision_id for c in pane.cards()] == ["offsets.quantity"]
            # Topics a treaty does not need are not listed anywhere.
            steps = screen.query_one("#steps", OptionList)
            ids = [steps.get_option_at_index(i).id for i in range(steps.option_count)]
            assert "topic:sovereignty" not in ids and "topic:offsets" in ids
            listing = card(app, "offsets.quantity").query_one(".clause-list", OptionList)
            assert app.screen.focused is listing
            listing.highlighted = listing.get_option_index("offsets.quantity.common_limit")
            await pilot.pause()
            detail = str(card(app, "offsets.quantity").query_one(".clause-detail").render())
            assert "Precedent" in detail
            await pilot.press("enter")
            await settle(pilot, app)
            decision = app.doc.neg.decision("offsets.quantity")
            assert decision.clause == "offsets.quantity.common_limit"
            assert (
                saved(app)["provisions"]["offsets.quantity"]["clause"]
                == "offsets.quantity.common_limit"
            )
            # Its parameter: a value out of bounds is refused with the bounds.
            field = card(app, "offsets.quantity").query_one("#param-limit_pct", Input)
            field.focus()
            field.value = "150"
            await pilot.press("enter")
            await settle(pilot, app)
            assert any("between 0 and 100" in m for m in messages(app)), messages(app)
            field.value = "3"
            await pilot.press("enter")
            await settle(pilot, app)
            assert app.doc.neg.decision("offsets.quantity").params == {"limit_pct": 3}

        drive(eu_ch_with_open(places, tmp_path, "offsets.quantity"), scenario)

    def test_a_party_proposes_its_own_text_and_another_position_is_adopted(self, places):
        async def scenario(pilot, app):
            await opened(pilot, app)
            app.work_screen.go_to("topics", "termination")
            await settle(pilot, app)
            assert card(app, "termination.notice").question.status == "disputed"
            await pilot.click("#pos-edit-ca")
            await pilot.pause()
            assert isinstance(app.screen, PositionScreen)
            app.screen.query_one("#clause", Select).value = PositionScreen.OWN_TEXT
            await pilot.pause()
            app.screen.query_one("#own-text", TextArea).text = "Each Participant may leave."
            await pilot.click("#ok")
            await settle(pilot, app)
            assert app.doc.neg.positions_on("termination.notice")["ca"] == ProposedText(
                text="Each Participant may leave."
            )
            await pilot.click("#pos-adopt-qc")
            await settle(pilot, app)
            assert app.doc.neg.decision("termination.notice") == ClauseChoice(
                clause="termination.notice.withdrawal", params={"months": 6}
            )

        drive(preset_app(places, "ca-qc-draft"), scenario)

    def test_settled_confirmed_conditions_edited_and_affected_topics_marked(self, places,
                                                                            tmp_path):
        async def scenario(pilot, app):
            await opened(pilot, app)
            # A settled provision (a single fitting clause) is confirmed with one key.
            app.work_screen.go_to("topics", "registries")
            await settle(pilot, app)
            assert card(app, "registries.security").question.status == "settled"
            await pilot.press("c")
            await settle(pilot, app)
            assert (
                app.doc.neg.decision("registries.security").clause
                == "registries.security.standards"
            )
            # Pre-linking conditions are added and removed (with the mouse).
            app.work_screen.go_to("topics", "conditions")
            await settle(pilot, app)
            count = len(app.doc.session.conditions)
            await pilot.click("#add-condition")
            screen = app.screen
            screen.query_one("#what", Input).value = "adopt the registry rules"
            screen.query_one("#by", Input).value = "2021-01-01"
            await pilot.click("#ok")
            await settle(pilot, app)
            assert len(app.doc.session.conditions) == count + 1
            await pilot.click(f"#remove-condition-{count}")
            await settle(pilot, app)
            assert len(app.doc.session.conditions) == count
            # A change marks the other topics it reaches, until they are seen.
            await choose_clause(
                pilot, app, "institutions.body", "institutions.body.consultation_committee"
            )
            assert "disputes" in app.affected and "institutions" not in app.affected
            steps = app.work_screen.query_one("#steps", OptionList)
            assert "•" in str(steps.get_option("topic:disputes").prompt)
            app.work_screen.go_to("topics", "disputes")
            assert "disputes" not in app.affected

        drive(eu_ch_with_open(places, tmp_path, "registries.security"), scenario)


# -- 6 review -------------------------------------------------------------------------------------


class TestReview:
    def test_findings_grouped_with_remedies_applied_by_one_key(self, places, tmp_path):
        async def scenario(pilot, app):
            await opened(pilot, app)
            await pilot.press("6")
            await settle(pilot, app)
            listing = app.work_screen.query_one("#review-list", OptionList)
            ids = [listing.get_option_at_index(i).id for i in range(listing.option_count)]
            entries = app.work_screen.query_one("#review")._entries
            first_fix = next(
                i for i in ids if i.startswith("r") and entries[i][0].rule == "provision.open"
            )
            listing.highlighted = ids.index(first_fix)
            remedy = entries[first_fix][1].remedy.choose
            assert app.doc.neg.decision(remedy.provision) is None
            await pilot.press("enter")
            await settle(pilot, app)
            assert app.doc.neg.decision(remedy.provision).clause == remedy.clause
            assert not any(
                f.rule == "provision.open" and remedy.provision in f.message for f in app.findings
            )
            await pilot.press("ctrl+z")
            await settle(pilot, app)
            assert app.doc.neg.decision(remedy.provision) is None

        drive(eu_ch_with_open(places, tmp_path, "offsets.quantity"), scenario)


# -- 7 draft --------------------------------------------------------------------------------------


class TestDraft:
    def test_exports_with_brackets_a_failure_told_and_the_saved_path_shown(self, places, tmp_path):
        (tmp_path / "ca-qc-draft-1.pdf").write_text("someone else's file")

        async def scenario(pilot, app):
            await opened(pilot, app)
            # A PDF over an existing file: refused, with the cause, the file untouched.
            await pilot.press("e")  # export works from any step
            await pilot.pause()
            await pilot.click("#ok")
            await settle(pilot, app)
            assert any("exists" in m for m in messages(app)), messages(app)
            assert (tmp_path / "ca-qc-draft-1.pdf").read_text() == "someone else's file"
            # Markdown: the path follows the format, and is shown once saved.
            await pilot.press("e")
            await pilot.pause()
            screen = app.screen
            await pilot.click("#fmt RadioButton:last-of-type")  # Markdown
            assert screen.query_one("#path", Input).value.endswith("ca-qc-draft-1.md")
            await pilot.click("#ok")
            await settle(pilot, app)
            target = tmp_path / "ca-qc-draft-1.md"
            assert "[Option 1:" in target.read_text("utf-8")  # disputed text bracketed
            assert app.last_export == target.resolve()
            assert str(target.resolve()) in str(app.work_screen.query_one("#export-path").render())

        drive(preset_app(places, "ca-qc-draft"), scenario)

    def test_the_palettes_export_opens_on_the_format_and_document_it_named(self, places):
        async def scenario(pilot, app):
            await opened(pilot, app)
            app.action_export("docx", "brief")  # "Export the negotiator's brief as DOCX"
            await pilot.pause()
            ticked = [b.name for b in app.screen.query("#fmt RadioButton, #document RadioButton")
                      if b.value]
            assert ticked == ["docx", "brief"]
            assert app.screen.query_one("#path", Input).value.endswith("-brief.docx")
            await pilot.press("down")  # the arrows move on from the choice made
            assert [b.name for b in app.screen.query("#fmt RadioButton") if b.value] == ["md"]

        drive(preset_app(places, "ca-qc-draft"), scenario)


# -- 8 economics ----------------------------------------------------------------------------------




class TestEconomics:
    def test_price_flows_and_gains_as_table_and_bars(self, places):
        async def scenario(pilot, app):
            await opened(pilot, app)
            await pilot.press("8")
            await settle(pilot, app)
            table = app.work_screen.query_one("#economics-table", DataTable)
            # Parties as columns, one row per measure under its unit.
            assert [c.label.plain for c in table.columns.values()][1:] == ["the Union",
                                                                            "Switzerland"]
            assert [cell.plain for cell in table.get_row("gain")][1:] == ["0.40", "6.20"]
            chart = str(app.work_screen.query_one("#gain-chart").render())
            assert "█" in chart and "6.20" in chart

        drive(preset_app(places, "eu-ch", economics=lambda neg: ECONOMICS), scenario)

    def test_without_the_calculator_the_pane_says_it_is_not_available(self, places):
        async def scenario(pilot, app):
            await opened(pilot, app)
            await pilot.press("8")
            await settle(pilot, app)
            text = str(app.work_screen.query_one("#economics-message").render())
            # Either the calculator's absence is said, or its figures come with their units.
            assert "not available" in text or "Prices in EUR per tonne of CO2e" in text

        drive(preset_app(places, "eu-ch"), scenario)


# -- always: findings, autosave, conflicts, help, palette, small screens --------------------------


class TestAlways:
    def test_an_edit_by_someone_else_is_never_overwritten_silently(self, places, tmp_path):
        async def scenario(pilot, app):
            await opened(pilot, app)
            path = app.doc.path
            # 1. Reload takes their version and drops my change.
            theirs = path.read_text("utf-8").replace("Text as signed", "Theirs")
            path.write_text(theirs, "utf-8")
            await choose_clause(pilot, app, "offsets.quantity", "offsets.quantity.none")
            assert isinstance(app.screen, ConflictScreen)
            assert path.read_text("utf-8") == theirs
            await pilot.press("r")
            await settle(pilot, app)
            assert app.doc.session.marking == "Theirs"
            assert app.doc.neg.decision("offsets.quantity") is None
            # 2. Keep mine replaces theirs, which stays as the .bak.
            path.write_text(theirs.replace("Theirs", "Theirs again"), "utf-8")
            await choose_clause(pilot, app, "offsets.quantity", "offsets.quantity.none")
            await pilot.press("k")
            await settle(pilot, app)
            assert load_session(path).decision("offsets.quantity") is not None
            assert "Theirs again" in path.with_name(path.name + ".bak").read_text("utf-8")
            # 3. Save as puts mine in a new file and leaves theirs alone.
            theirs = path.read_text("utf-8").replace("marking: Theirs", "marking: Third")
            path.write_text(theirs, "utf-8")
            mechanism = "market_stability.mechanism"
            await choose_clause(pilot, app, mechanism, f"{mechanism}.accept_partner")
            assert isinstance(app.screen, ConflictScreen)
            await pilot.press("a")
            app.screen.query_one("#path", Input).value = str(path.with_name("mine.yaml"))
            await pilot.press("enter")
            await settle(pilot, app)
            assert app.doc.path.name == "mine.yaml" and not app.doc.scratch
            assert load_session(app.doc.path).decision("market_stability.mechanism") is not None
            assert path.read_text("utf-8") == theirs

        drive(eu_ch_with_open(places, tmp_path, "offsets.quantity", "market_stability.mechanism"),
              scenario)

    def test_help_lists_every_key_and_the_palette_finds_commands(self, places):
        async def scenario(pilot, app):
            await opened(pilot, app)
            await pilot.press("f1")
            assert isinstance(app.screen, HelpScreen)
            text = " ".join(str(s.render()) for s in app.screen.query(".help-group"))
            assert "[/b]" not in text  # no markup shown raw (the "[" key broke it)
            assert re.search(r"\[\s+Back", text), text
            for words in (
                "Next",
                "Apply fix",
                "Export",
                "Save as",
                "Confirm settled",
                "Command palette",
                "Leave open",
            ):
                assert words in text, words
            await pilot.press("escape")
            await search_palette(pilot, app, "economics")
            await pilot.press("enter")
            await settle(pilot, app)
            assert app.work_screen.step == "economics"

        drive(preset_app(places, "eu-ch"), scenario)

    def test_the_palette_reaches_the_actions_of_each_step_by_name(self, places):
        async def scenario(pilot, app):
            await opened(pilot, app)
            for query, screen, step in (
                ("edit a party", "EditValueScreen", "parties"),
                ("pre-linking", "WorkScreen", "topics"),
                ("legal form", "WorkScreen", "form"),
            ):
                await search_palette(pilot, app, query)
                await pilot.press("enter")
                await settle(pilot, app)
                for _ in range(100):
                    if type(app.screen).__name__ == screen:
                        break
                    await pilot.pause(0.05)
                assert (type(app.screen).__name__, app.work_screen.step) == (screen, step)
                if screen != "WorkScreen":
                    await pilot.press("escape")
                    await pilot.pause()

        drive(preset_app(places, "eu-ch"), scenario)

    def test_usable_at_80_by_24_with_findings_below_and_the_mouse(self, places):
        async def scenario(pilot, app):
            await opened(pilot, app)
            screen = app.work_screen
            panel = screen.query_one("#findings")
            assert panel.region.y > screen.query_one("#panes").region.y  # below, not beside
            await pilot.click("#steps", offset=(3, 3))  # the 4th line: "4 Legal form"
            await settle(pilot, app)
            assert screen.step == "form"

        drive(preset_app(places, "eu-ch"), scenario, size=NARROW)


# -- 1 start --------------------------------------------------------------------------------------


class TestStart:
    def test_start_screen_opens_a_preset_copy_in_the_data_folder(self, places):

        async def scenario(pilot, app):
            await pilot.pause()
            assert isinstance(app.screen, StartScreen)
            menu = app.screen.query_one("#start-menu", OptionList)
            menu.highlighted = menu.get_option_index("preset:eu-ch")
            await pilot.press("enter")
            await opened(pilot, app)
            assert app.doc.path.parent == places.sessions_dir
            assert app.doc.scratch and "autosaved copy" in app.work_screen._title[1]
            assert app.state.last() == app.doc.path.resolve()

        drive(start_app(places), scenario)

    def test_the_systems_to_pick_are_visible_at_80_by_24(self, places):
        from textual.widgets import SelectionList

        async def scenario(pilot, app):
            await pilot.pause()
            menu = app.screen.query_one("#start-menu", OptionList)
            menu.highlighted = menu.get_option_index("blank")
            await pilot.press("enter")
            await pilot.pause()
            picker = app.screen.query_one("#systems", SelectionList)
            assert picker.content_region.height >= 4  # several systems, not a folded list
            assert app.screen.query_one("#ok").region.bottom <= NARROW[1]

        drive(start_app(places), scenario, size=NARROW)

    def test_a_blank_session_from_picked_systems(self, places):
        from textual.widgets import SelectionList

        async def scenario(pilot, app):
            await pilot.pause()
            menu = app.screen.query_one("#start-menu", OptionList)
            menu.highlighted = menu.get_option_index("blank")
            await pilot.press("enter")
            picker = app.screen.query_one("#systems", SelectionList)
            picker.select("california")
            picker.select("quebec")
            await pilot.click("#ok")
            await opened(pilot, app)
            neg = app.doc.neg
            assert neg.party_ids == ["ca", "qc"]
            assert neg.form == "memorandum"  # sub-national parties
            assert app.questions  # the interview starts

        drive(start_app(places), scenario)

    def test_a_bad_file_is_a_notification_not_a_traceback(self, places, tmp_path):

        bad = tmp_path / "bad.yaml"
        bad.write_text("linkwright: 1\ntitle: x\nparties: [}\n")

        async def scenario(pilot, app):
            await pilot.pause()
            app.open_path(bad)
            for _ in range(100):
                await pilot.pause(0.02)
                if app._notifications:
                    break
            assert any("bad.yaml" in m for m in messages(app)), messages(app)
            assert app.doc is None

        drive(start_app(places), scenario)

    def test_a_bad_file_opened_from_a_session_leaves_the_session_on_screen(
        self, places, tmp_path
    ):
        bad = tmp_path / "bad.yaml"
        bad.write_text("linkwright: 1\ntitle: x\nparties: [}\n")

        async def scenario(pilot, app):
            await opened(pilot, app)
            before = app.doc
            app.open_path(bad)
            for _ in range(100):
                await pilot.pause(0.02)
                if app._notifications:
                    break
            assert any("bad.yaml" in m for m in messages(app)), messages(app)
            assert app.doc is before and app.screen is app.work_screen

        drive(preset_app(places, "eu-ch"), scenario)

    def test_reopening_resumes_where_the_user_was(self, places):
        state = {}

        async def first(pilot, app):
            await opened(pilot, app)
            app.work_screen.go_to("topics", "termination")
            await place_saved(pilot, places, "termination")
            state["path"] = app.doc.path
            # Where the user was lives in the state folder, never in the session file.
            assert "termination" not in app.doc.path.read_text("utf-8").split("provisions:")[0]
            assert str(places.state_dir) not in app.doc.path.read_text("utf-8")
            assert "termination" in places.state_file.read_text("utf-8")

        drive(preset_app(places, "eu-ch"), first)

        async def second(pilot, app):
            await opened(pilot, app)
            assert (app.work_screen.step, app.work_screen.topic) == ("topics", "termination")

        drive(file_app(places, state["path"]), second)


def test_resuming_on_the_readiness_step_at_80_columns_shows_the_kinds_of_link(places):
    """At 80 columns the step used to be laid out wide once, with no width left for
    the list of link kinds, and the app died on start-up every time after."""
    from textual.widgets import OptionList

    state = {}

    async def first(pilot, app):
        await opened(pilot, app)
        app.work_screen.go_to("readiness")
        await place_saved(pilot, places, '"step": "readiness"')
        state["path"] = app.doc.path

    drive(preset_app(places, "eu-ch"), first, size=NARROW)

    async def second(pilot, app):
        await opened(pilot, app)
        assert app.work_screen.step == "readiness"
        kinds = app.work_screen.query_one("#link-options", OptionList)
        assert kinds.content_region.width >= 20

    drive(file_app(places, state["path"]), second, size=NARROW)


def test_linkwright_open_with_a_missing_file_prints_one_line_and_exits_2(tmp_path, capsys):
    from negotiation.cli import main

    assert main(["open", str(tmp_path / "missing.yaml")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no such file" in err[0]


def test_linkwright_open_with_an_unknown_preset_exits_2(capsys):
    from negotiation.cli import main

    assert main(["open", "--preset", "eu-chh"]) == 2
    assert "did you mean 'eu-ch'" in capsys.readouterr().err


def test_a_file_that_does_not_load_ends_the_app_with_its_error(tmp_path, places):
    import argparse

    import pytest

    from negotiation.errors import LinkwrightError
    from tui.launch import opening_for

    bad = tmp_path / "bad.yaml"
    bad.write_text("linkwright: 1\ntitle: x\n")
    opening = opening_for(argparse.Namespace(session=bad, preset=None, library=[]), places)
    opening.start()
    with pytest.raises(LinkwrightError, match=r"bad\.yaml"):
        opening.wait()
    assert opening.fatal


def test_state_never_goes_to_the_real_user_folders(tmp_path):
    import platformdirs

    assert str(tmp_path) in platformdirs.user_state_dir("linkwright")
    assert str(tmp_path) in platformdirs.user_data_dir("linkwright")
    assert Path(platformdirs.user_state_dir("linkwright")).exists() is False
