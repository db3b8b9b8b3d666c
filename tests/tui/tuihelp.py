"""Shared helpers for the TUI tests: apps on temporary folders, and a driver that
runs a Pilot scenario to completion (the suite has no async plugin).

Every app here gets its own state and data folders under `tmp_path`, and the
XDG variables point there too, so a user's real folders are never touched.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tui.app import LinkwrightApp
from tui.opening import Opening, open_file, open_preset_copy
from tui.places import Places

WIDE = (160, 48)
NARROW = (80, 24)


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def places(tmp_path: Path) -> Places:
    return Places(tmp_path / "state", tmp_path / "data")


def quiet(app: LinkwrightApp) -> LinkwrightApp:
    """No animations: tests wait for every scroll animation otherwise. No file watcher
    on the clock either: a test that writes the session file polls it (`app.watcher`)."""
    app.animation_level = "none"
    app.watch_every = None
    return app


def start_app(places: Places, **kwargs: Any) -> LinkwrightApp:
    return quiet(LinkwrightApp(places, **kwargs))


def preset_app(places: Places, preset: str, **kwargs: Any) -> LinkwrightApp:
    opening = Opening(preset, lambda: open_preset_copy(places, preset), fatal=True)
    return quiet(LinkwrightApp(places, opening, **kwargs))


def file_app(places: Places, path: Path, **kwargs: Any) -> LinkwrightApp:
    opening = Opening(path.name, lambda: open_file(path, places), fatal=True)
    return quiet(LinkwrightApp(places, opening, **kwargs))


async def settle(pilot: Pilot[Any], app: LinkwrightApp) -> None:
    """Wait until workers are done and the findings of the latest change are shown."""
    for _ in range(400):
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = app.doc is None or (
            app.review.generation == app.generation
            and app.work_screen is not None
            and app.work_screen.is_attached
        )
        if shown and all(worker.is_finished for worker in app.workers):
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the app did not settle")


async def opened(pilot: Pilot[Any], app: LinkwrightApp) -> None:
    """Wait for the session given at start-up to be on screen."""
    for _ in range(600):
        if app.doc is not None and app.work_screen is not None and app.work_screen.is_attached:
            break
        await asyncio.sleep(0.02)
        await pilot.pause()
    await settle(pilot, app)


async def search_palette(pilot: Pilot[Any], app: LinkwrightApp, query: str) -> None:
    """Open the command palette, type `query` and wait for its first hit (the palette
    searches in the background), ready for Enter."""
    from textual.command import CommandList

    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*query)
    hits = app.screen.query_one(CommandList)
    for _ in range(200):
        await pilot.pause(0.05)
        if hits.option_count and hits.highlighted is not None:
            return


async def place_saved(pilot: Pilot[Any], places: Places, needle: str) -> None:
    """Wait until the state file holds `needle`: the place is saved by a debounce
    timer, which a fixed sleep on a loaded CI machine can outlast."""
    saved = places.state_file
    for _ in range(200):
        await pilot.pause(0.05)
        if saved.exists() and needle in saved.read_text("utf-8"):
            return


def messages(app: LinkwrightApp) -> list[str]:
    """The notifications the app has shown, oldest first."""
    return [n.message for n in app._notifications]


Scenario = Callable[[Pilot[Any], LinkwrightApp], Awaitable[None]]


def drive(app: LinkwrightApp, scenario: Scenario, size: tuple[int, int] = WIDE) -> None:
    """Run the app headless with `scenario`, which gets the pilot and the app."""

    async def run() -> None:
        async with app.run_test(size=size) as pilot:
            await scenario(pilot, app)

    asyncio.run(run())


# The economics screen is tested on fixed figures, not on the solver.
ECONOMICS = {
    "systems": [
        {
            "id": "eu",
            "autarky_price": 80.0,
            "price": 78.5,
            "abatement": 120.0,
            "net_sales": 1.5,
            "transfer": 117.75,
            "gain": 0.4,
        },
        {
            "id": "ch",
            "autarky_price": 70.0,
            "price": 78.5,
            "abatement": 0.9,
            "net_sales": -1.5,
            "transfer": -117.75,
            "gain": 6.2,
        },
    ],
    "total_gain": 6.6,
    "combined_emissions": 1500.0,
    "combined_cap": 1500.0,
    "notes": ["illustrative curves"],
}


async def open_export(pilot: Pilot[Any], app: LinkwrightApp, *choices: str) -> None:
    """e, then tick each named choice in the export dialog (a format, a document, a
    language version), in order."""
    from tui.screens.modals import ExportScreen

    await pilot.press("e")
    await pilot.pause()
    assert isinstance(app.screen, ExportScreen)
    await tick(pilot, app, *choices)


async def tick(pilot: Pilot[Any], app: LinkwrightApp, *choices: str) -> None:
    """Tick each named radio button of the open dialog, in order."""
    from textual.widgets import RadioButton

    for name in choices:
        button = next(b for b in app.screen.query(RadioButton) if b.name == name)
        button.value = True
        await pilot.pause()


async def submit_export(pilot: Pilot[Any], app: LinkwrightApp) -> Path:
    """Press Export in the open export dialog and wait until the file is written."""
    path = Path(app.screen.query_one("#path").value)
    app.screen.query_one("#ok").focus()
    await pilot.press("enter")
    for _ in range(300):
        await settle(pilot, app)
        if not app._exporting:
            break
    assert app.last_export == path.resolve(), [n.message for n in app._notifications]
    return path
