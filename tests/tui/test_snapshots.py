"""Snapshots of the main screens at 80×24 and 160×48 (one class per feature).

Each app opens a preset copy in a fresh temporary folder (so the file name is
always `<preset>-1.yaml` and no absolute path is on screen), waits until the
findings are shown, and goes to its step. Update with `--snapshot-update`
after looking at the new SVGs (tests/tui/__snapshots__/).
"""

from __future__ import annotations

import pytest
from tuihelp import ECONOMICS, NARROW, WIDE, opened, preset_app, settle, start_app

SIZES = pytest.mark.parametrize("size", [NARROW, WIDE], ids=["80x24", "160x48"])



def at_step(app, *keys: str):
    async def run_before(pilot) -> None:
        await opened(pilot, app)
        for key in keys:
            await pilot.press(key)
            await settle(pilot, app)
        await settle(pilot, app)

    return run_before


class TestStartScreen:
    @SIZES
    def test_start(self, snap_compare, places, size):
        app = start_app(places)
        assert snap_compare(app, terminal_size=size)


class TestPartiesScreen:
    @SIZES
    def test_parties(self, snap_compare, places, size):
        app = preset_app(places, "eu-ch")
        assert snap_compare(app, terminal_size=size, run_before=at_step(app))


class TestReadinessScreen:
    @SIZES
    def test_readiness(self, snap_compare, places, size):
        app = preset_app(places, "ca-qc-draft")
        assert snap_compare(app, terminal_size=size, run_before=at_step(app, "3"))


class TestFormScreen:
    @SIZES
    def test_form(self, snap_compare, places, size):
        app = preset_app(places, "ca-qc-draft")
        assert snap_compare(app, terminal_size=size, run_before=at_step(app, "4"))


class TestTopicsScreen:
    @SIZES
    def test_disputed_termination(self, snap_compare, places, size):
        app = preset_app(places, "ca-qc-draft")

        async def run_before(pilot) -> None:
            await opened(pilot, app)
            app.work_screen.go_to("topics", "termination")
            await settle(pilot, app)

        assert snap_compare(app, terminal_size=size, run_before=run_before)


class TestReviewScreen:
    @SIZES
    def test_review(self, snap_compare, places, size):
        app = preset_app(places, "eu-ch")
        assert snap_compare(app, terminal_size=size, run_before=at_step(app, "6"))


class TestDraftScreen:
    @SIZES
    def test_draft(self, snap_compare, places, size):
        app = preset_app(places, "au-eu")  # a short instrument: a regulation
        assert snap_compare(app, terminal_size=size, run_before=at_step(app, "7"))


class TestEconomicsScreen:
    @SIZES
    def test_economics(self, snap_compare, places, size):
        app = preset_app(places, "eu-ch", economics=lambda neg: ECONOMICS)
        assert snap_compare(app, terminal_size=size, run_before=at_step(app, "8"))


class TestLightTheme:
    def test_topics_in_the_light_theme(self, snap_compare, places):
        app = preset_app(places, "eu-ch")

        async def run_before(pilot) -> None:
            await opened(pilot, app)
            app.theme = "textual-light"
            app.work_screen.go_to("topics", "offsets")
            await settle(pilot, app)

        assert snap_compare(app, terminal_size=WIDE, run_before=run_before)
