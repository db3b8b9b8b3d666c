"""No silent defaults in the walk: a card marks every value nobody has agreed, `v`
confirms the values shown (they become the decision, and undo takes that back), a
value that is not there is typed rather than confirmed, and the position dialog
proposes the session's value, not the library's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from textual.widgets import Button, Input, OptionList
from tuihelp import drive, file_app, messages, opened, preset_app, search_palette, settle

from negotiation.session import ClauseChoice, preset_text
from tui.panes.topics import ProvisionCard, TopicsPane
from tui.screens.help import HelpScreen
from tui.screens.modals import PositionScreen

NOT_AGREED = "library default, not yet agreed"


def session_file(tmp_path: Path, preset: str, **provisions: Any) -> Path:
    """A preset's session with some provisions decided otherwise (`a__b` for `a.b`)."""
    data = yaml.safe_load(preset_text(preset))
    for key, decision in provisions.items():
        data["provisions"][key.replace("__", ".")] = decision
    path = tmp_path / f"{preset}-session.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def saved_decision(app, provision: str) -> Any:
    """The provision's decision as the session file on disk holds it."""
    decision = yaml.safe_load(app.doc.path.read_text("utf-8"))["provisions"].get(provision)
    if isinstance(decision, dict):
        decision.setdefault("params", {})
    return decision


def card(app, provision: str) -> ProvisionCard:
    pane = app.work_screen.query_one(TopicsPane)
    return next(c for c in pane.cards() if c.provision_id == provision)


def card_text(app, provision: str) -> str:
    """Everything the card's labels and value lines say."""
    return " ".join(
        str(widget.render())
        for widget in card(app, provision).query(".param-label, .values")
    )


async def on_card(pilot, app, provision: str) -> None:
    """Go to the provision's topic and put the focus in its card."""
    app.work_screen.go_to("topics", app.doc.neg.library.provisions[provision].topic)
    await settle(pilot, app)
    card(app, provision).query_one(".clause-list", OptionList).focus()
    await pilot.pause()


def test_a_library_default_is_marked_and_v_makes_the_shown_values_the_decision(places, tmp_path):
    path = session_file(
        tmp_path, "eu-ch", termination__notice={"clause": "termination.notice.fixed"}
    )

    async def scenario(pilot, app):
        await opened(pilot, app)
        await on_card(pilot, app, "termination.notice")
        text = card_text(app, "termination.notice")
        assert text.count(NOT_AGREED) == 2, text  # the notice period and the automatic end
        assert card(app, "termination.notice").query_one("#confirm-values", Button).display
        assert saved_decision(app, "termination.notice") == {
            "clause": "termination.notice.fixed", "params": {}
        }
        await pilot.press("v")
        await settle(pilot, app)
        assert saved_decision(app, "termination.notice") == {
            "clause": "termination.notice.fixed",
            "params": {"months": 6, "automatic": True},
        }
        assert NOT_AGREED not in card_text(app, "termination.notice")
        assert not card(app, "termination.notice").query_one("#confirm-values", Button).display
        # Undo takes the confirmation back, like any other edit.
        await pilot.press("ctrl+z")
        await settle(pilot, app)
        assert saved_decision(app, "termination.notice")["params"] == {}
        assert card_text(app, "termination.notice").count(NOT_AGREED) == 2

    drive(file_app(places, path), scenario)


def test_choosing_a_clause_leaves_its_defaults_marked_until_confirmed(places, tmp_path):
    path = session_file(tmp_path, "eu-ch", termination__settlement="open")

    async def scenario(pilot, app):
        await opened(pilot, app)
        await on_card(pilot, app, "termination.settlement")
        listing = card(app, "termination.settlement").query_one(".clause-list", OptionList)
        listing.highlighted = listing.get_option_index("termination.settlement.net_flows_settled")
        await pilot.press("enter")
        await settle(pilot, app)
        assert saved_decision(app, "termination.settlement") == {
            "clause": "termination.settlement.net_flows_settled", "params": {}
        }
        assert NOT_AGREED in card_text(app, "termination.settlement")
        # Typing the shown figure and Enter agrees to it as well.
        field = card(app, "termination.settlement").query_one("#param-months", Input)
        field.focus()
        await pilot.press("enter")
        await settle(pilot, app)
        assert saved_decision(app, "termination.settlement")["params"] == {"months": 6}
        assert NOT_AGREED not in card_text(app, "termination.settlement")

    drive(file_app(places, path), scenario)


def test_confirming_a_settled_provision_records_no_default(places, tmp_path):
    path = session_file(tmp_path, "eu-ch")
    data = yaml.safe_load(path.read_text("utf-8"))
    # Both parties support the data exchange without saying by when: agreed, but the
    # four months are the library's.
    del data["provisions"]["transparency.exchange"]
    data["positions"] = {
        party: {**data.get("positions", {}).get(party, {}),
                "transparency.exchange": {"clause": "transparency.exchange.annual_data"}}
        for party in ("eu", "ch")
    }
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")

    async def scenario(pilot, app):
        await opened(pilot, app)
        await on_card(pilot, app, "transparency.exchange")
        assert card(app, "transparency.exchange").question.status == "agreed"
        text = card_text(app, "transparency.exchange")
        assert f"4 months ({NOT_AGREED})" in text, text
        await pilot.press("v")
        await settle(pilot, app)
        assert saved_decision(app, "transparency.exchange") == {
            "clause": "transparency.exchange.annual_data", "params": {"months": 4}
        }

    drive(file_app(places, path), scenario)


def test_c_confirms_a_settled_clause_without_its_defaults(places, tmp_path):
    path = session_file(tmp_path, "ca-qc-on")
    data = yaml.safe_load(path.read_text("utf-8"))
    settled = "termination.settlement"
    del data["provisions"][settled]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")

    async def scenario(pilot, app):
        await opened(pilot, app)
        await on_card(pilot, app, settled)
        assert card(app, settled).question.status == "settled"
        assert NOT_AGREED in card_text(app, settled)
        await pilot.press("c")
        await settle(pilot, app)
        assert saved_decision(app, settled) == {
            "clause": "termination.settlement.net_flows_settled", "params": {}
        }
        assert NOT_AGREED in card_text(app, settled)  # still to be agreed: v

    drive(file_app(places, path), scenario)


def test_a_missing_value_is_typed_not_confirmed(places, tmp_path):
    # The UK has an auction reserve price, the EU and Switzerland none: the common
    # reserve price has no figure to fall back on.
    path = session_file(
        tmp_path,
        "eu-ch-uk",
        price_floor__rule={"clause": "price_floor.rule.common_reserve_price"},
    )

    async def scenario(pilot, app):
        await opened(pilot, app)
        await on_card(pilot, app, "price_floor.rule")
        text = card_text(app, "price_floor.rule")
        assert "no value yet — type one" in text, text
        await pilot.press("v")
        await settle(pilot, app)
        assert any("no value yet" in m and "Type one" in m for m in messages(app)), messages(app)
        params = saved_decision(app, "price_floor.rule")["params"]
        assert "price" not in params  # nothing invented
        assert params == {"escalation_pct": 5, "plus_inflation": True}  # the shown defaults
        assert "no value yet — type one" in card_text(app, "price_floor.rule")

    drive(file_app(places, path), scenario)


def test_the_position_dialog_proposes_the_decided_value(places, tmp_path):
    path = session_file(
        tmp_path,
        "eu-ch",
        offsets__quantity={"clause": "offsets.quantity.common_limit", "params": {"limit_pct": 0}},
    )

    async def scenario(pilot, app):
        await opened(pilot, app)
        await on_card(pilot, app, "offsets.quantity")
        await pilot.click("#pos-edit-eu")
        await pilot.pause()
        assert isinstance(app.screen, PositionScreen)
        assert app.screen.query_one("#pp-limit_pct", Input).value == "0"
        await pilot.click("#ok")
        await settle(pilot, app)
        assert app.doc.neg.positions_on("offsets.quantity")["eu"] == ClauseChoice(
            clause="offsets.quantity.common_limit", params={"limit_pct": 0}
        )

    drive(file_app(places, path), scenario)


def test_the_key_is_in_the_help_and_the_palette(places):
    async def scenario(pilot, app):
        await opened(pilot, app)
        await on_card(pilot, app, "termination.notice")
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        text = " ".join(str(s.render()) for s in app.screen.query(".help-group"))
        assert "Confirm values" in text
        await pilot.press("escape")
        await search_palette(pilot, app, "confirm the values")
        await pilot.press("enter")
        await settle(pilot, app)
        assert any("already agreed" in m for m in messages(app)), messages(app)

    drive(preset_app(places, "eu-ch"), scenario)


def test_the_card_buttons_show_their_keys(places, tmp_path):
    # button labels are markup: an unescaped "[c]" vanished as if it were a style
    path = session_file(
        tmp_path, "eu-ch", termination__notice={"clause": "termination.notice.fixed"}
    )

    async def scenario(pilot, app):
        await opened(pilot, app)
        await on_card(pilot, app, "termination.notice")
        labels = {b.id: str(b.label) for b in card(app, "termination.notice").query(Button)}
        assert labels["confirm"] == "Confirm settled [c]"
        assert labels["confirm-values"] == "Confirm values [v]"
        assert labels["leave-open"] == "Leave open [x]"

    drive(file_app(places, path), scenario)
