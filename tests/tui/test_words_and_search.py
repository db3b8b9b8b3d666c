"""A screen in the negotiators' words, search, and conditions that can be edited.

What a negotiator reads names things as they do (a figure's label, not `cap_mt`; a
source, not a file they do not have); a topic page opens at its explanation; the
step list's marks are explained in help; a card says "Leave open" once; the findings
panel says "checking…" rather than "No findings." before the first check; a new
China–Korea session is `cn-kr-1.yaml`. `/` (or ctrl+f) finds a phrase in the
instrument or the library and Enter goes to its provision; a pre-linking condition
is edited in place, and undo takes the edit back.
"""

from __future__ import annotations

import threading

from textual.widgets import Button, DataTable, Input, OptionList, Static
from tuihelp import drive, opened, preset_app, search_palette, settle

from negotiation import edits
from negotiation.profiles import builtin_profiles, parameter_names
from negotiation.session import ClauseChoice
from tui.opening import open_blank
from tui.panes.topics import ProvisionCard, TopicsPane
from tui.screens.help import HelpScreen
from tui.screens.modals import EditConditionScreen, SourceScreen
from tui.screens.search import SearchScreen
from tui.widgets.findings import FindingsPanel


def card(app, provision: str) -> ProvisionCard:
    pane = app.work_screen.query_one(TopicsPane)
    return next(c for c in pane.cards() if c.provision_id == provision)


def shown(widget) -> str:
    """The text of every Static and Button inside `widget`, and its options."""
    parts = [str(s.render()) for s in widget.query(Static)]
    parts += [str(b.label) for b in widget.query(Button) if b.display]
    for listing in widget.query(OptionList):
        parts += [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
    return "\n".join(parts)


async def wait_for(pilot, condition, tries: int = 200) -> None:
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("never happened")


# -- words ----------------------------------------------------------------------------


def test_the_parties_table_names_figures_in_words_with_the_id_in_the_detail_line(places):
    async def scenario(pilot, app):
        await opened(pilot, app)
        table = app.work_screen.query_one("#party-table", DataTable)
        labels = [str(table.get_row_at(i)[0]).strip("≠ ") for i in range(table.row_count)]
        assert "Cap (Mt CO2e)" in labels and "Annual cut (%)" in labels
        assert not [label for label in labels if "_" in label], labels
        table.move_cursor(row=labels.index("Cap (Mt CO2e)"), column=1)
        await pilot.pause()
        detail = str(app.work_screen.query_one("#source-note", Static).render())
        assert "Cap (Mt CO2e)" in detail and "(cap_mt)" in detail

    drive(preset_app(places, "eu-ch"), scenario)


def test_a_source_note_cites_the_source_not_a_file_the_user_does_not_have(places):
    async def scenario(pilot, app):
        await opened(pilot, app)
        table = app.work_screen.query_one("#party-table", DataTable)
        table.focus()
        row = parameter_names().index("coverage.sectors")
        table.move_cursor(row=row, column=1)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen)
        text = shown(app.screen)
        assert "Sectors covered" in text
        assert "PROFILES.md" not in text and "icapcarbonaction.com" in text

    drive(preset_app(places, "eu-ch"), scenario)


def test_no_figure_of_a_built_in_profile_cites_the_fact_file():
    # The figures the parties table shows (the legislation entries are another task's).
    names = [n for n in parameter_names() if not n.startswith("legislation.")]
    cited = []
    for profile in builtin_profiles().values():
        notes = [(n, profile.sources[n].note) for n in names if n in profile.sources]
        for entry in profile.timeline.values():
            notes += [(n, s.note) for n, s in (entry.sources or {}).items() if n in names]
        cited += [(profile.id, n) for n, note in notes
                  if "PROFILES.md" in note or "LINKING.md" in note]
    assert not cited


def test_an_open_provision_says_who_stated_what_in_a_sentence(places):
    async def scenario(pilot, app):
        await opened(pilot, app)
        neg = app.doc.neg
        pid = "termination.notice"
        clauses = [c.id for c in neg.library.fitting_clauses(pid, neg.form, neg.linkage)]

        def disagree(session):
            session = edits.set_decision(session, pid, None)
            session = edits.set_position(session, "eu", pid, ClauseChoice(clause=clauses[0]))
            return edits.set_position(session, "ch", pid, ClauseChoice(clause=clauses[1]))

        app.apply(disagree)
        await settle(pilot, app)
        text = shown(app.work_screen.query_one(FindingsPanel))
        assert "the Union and Switzerland have each stated a position; they differ" in text
        assert "stated one" not in text

    drive(preset_app(places, "eu-ch"), scenario)


def test_a_new_china_korea_session_file_is_named_from_the_parties(places):
    doc = open_blank(places, ["china-ets", "k-ets"])
    assert doc.path.name == "cn-kr-1.yaml"


# -- the topic page, help, the card, the findings panel ----------------------------------


def test_a_topic_page_opens_at_the_top_with_its_explanation_in_view(places):
    async def scenario(pilot, app):
        await opened(pilot, app)
        for topic in ("termination", "institutions", "registries"):
            app.work_screen.go_to("topics", topic)
            await settle(pilot, app)
            await pilot.pause()
            body = app.work_screen.query_one("#topic-body")
            assert body.scroll_y == 0, topic
            guidance = app.work_screen.query_one("#topic-guidance", Static)
            assert guidance.region.y >= body.region.y, topic

    drive(preset_app(places, "eu-ch"), scenario, size=(80, 24))


def test_help_explains_the_step_lists_marks(places):
    async def scenario(pilot, app):
        await opened(pilot, app)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        text = " ".join(str(s.render()) for s in app.screen.query(".help-group"))
        assert "Marks in the step list" in text
        assert "~" in text and "settled" in text
        assert "•" in text and "affected by your last change" in text
        assert "Search the instrument and the library" in text

    drive(preset_app(places, "eu-ch"), scenario)


def test_a_decided_card_says_leave_open_once(places):
    async def scenario(pilot, app):
        await opened(pilot, app)
        app.work_screen.go_to("topics", "termination")
        await settle(pilot, app)
        decided = card(app, "termination.notice")
        assert decided.question.status == "decided"
        assert shown(decided).count("Leave open") == 1

    drive(preset_app(places, "eu-ch"), scenario)


def test_the_findings_panel_says_checking_until_the_first_check_ends(places, monkeypatch):
    import negotiation.checks as checks

    release = threading.Event()
    real = checks.run_checks

    def held(neg):
        release.wait(10)
        return real(neg)

    monkeypatch.setattr(checks, "run_checks", held)

    async def scenario(pilot, app):
        await wait_for(pilot, lambda: app.work_screen is not None and app.work_screen.is_attached)
        await pilot.pause()
        panel = app.work_screen.query_one(FindingsPanel)
        assert "No findings." not in shown(panel)
        assert "checking" in shown(panel)
        release.set()
        await settle(pilot, app)
        assert "checking" not in shown(panel)

    try:
        drive(preset_app(places, "eu-ch"), scenario)
    finally:
        release.set()


# -- search -----------------------------------------------------------------------------


async def search_for(pilot, app, key: str, query: str) -> SearchScreen:
    await pilot.press(key)
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, SearchScreen)
    await wait_for(pilot, lambda: screen.ready)
    await pilot.press(*query)
    await wait_for(pilot, lambda: bool(screen.hits))
    return screen


def test_slash_finds_a_phrase_and_enter_goes_to_its_provision_highlighted(places):
    async def scenario(pilot, app):
        await opened(pilot, app)
        screen = await search_for(pilot, app, "slash", "aviation activities")
        listing = screen.query_one("#search-results", OptionList)
        first = str(listing.get_option_at_index(0).prompt)
        assert "Pre-linking" in first or "condition" in first.lower()
        assert "Article 3(1)" in first and "aviation activities" in first
        await pilot.press("down", "enter")  # into the results, Enter on the first
        await settle(pilot, app)
        assert app.work_screen.step == "topics" and app.work_screen.topic == "conditions"
        found = card(app, "conditions.precondition")
        assert found.has_class("-found")
        assert app.focused is not None and found in app.focused.ancestors_with_self

    drive(preset_app(places, "eu-ch"), scenario)


def test_ctrl_f_finds_a_clause_of_the_library_nobody_chose(places):
    async def scenario(pilot, app):
        await opened(pilot, app)
        screen = await search_for(pilot, app, "ctrl+f", "frozen")
        hit = screen.hits[0]
        assert hit.where.startswith("library")
        await pilot.press("enter")  # Enter in the field goes to the first hit
        await settle(pilot, app)
        assert app.work_screen.topic == hit.topic
        assert card(app, hit.provision).has_class("-found")

    drive(preset_app(places, "eu-ch"), scenario)


def test_a_search_for_nothing_says_so_and_escape_closes_it(places):
    async def scenario(pilot, app):
        await opened(pilot, app)
        await pilot.press("slash")
        await pilot.pause()
        screen = app.screen
        await wait_for(pilot, lambda: screen.ready)
        await pilot.press(*"xylophone")
        await pilot.pause()
        assert "Nothing holds" in str(screen.query_one("#search-count", Static).render())
        await pilot.press("escape")
        assert not isinstance(app.screen, SearchScreen)

    drive(preset_app(places, "eu-ch"), scenario)


# -- conditions ---------------------------------------------------------------------------


def test_a_condition_is_edited_in_place_and_undo_takes_the_edit_back(places):
    async def scenario(pilot, app):
        await opened(pilot, app)
        before = app.doc.session.conditions[0]
        app.work_screen.go_to("topics", "conditions")
        await settle(pilot, app)
        edit = app.work_screen.query_one("#edit-condition-0", Button)
        edit.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EditConditionScreen)
        what = app.screen.query_one("#what", Input)
        assert what.value == before.what
        what.value = "include aviation, domestic and to the EEA, in the Swiss ETS"
        app.screen.query_one("#by", Input).value = "2020-01-01"
        what.focus()
        await pilot.press("enter")
        await settle(pilot, app)
        [after] = app.doc.session.conditions
        assert after.what.startswith("include aviation, domestic")
        assert after.by is not None and after.by.isoformat() == "2020-01-01"
        rows = shown(app.work_screen.query_one("#condition-rows"))
        assert "by 2020-01-01" in rows
        await pilot.press("ctrl+z")
        await settle(pilot, app)
        assert app.doc.session.conditions == [before]

    drive(preset_app(places, "eu-ch"), scenario)


def test_the_palette_offers_to_edit_a_condition(places):
    async def scenario(pilot, app):
        await opened(pilot, app)
        await search_palette(pilot, app, "edit a pre-linking condition")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EditConditionScreen))
        await pilot.press("escape")
        await settle(pilot, app)
        assert app.doc.session.conditions[0].what == "include aviation activities in the Swiss ETS"

    drive(preset_app(places, "eu-ch"), scenario)
