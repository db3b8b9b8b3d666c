"""`linkwright` and `linkwright open`: what to open, then run the app.

- `linkwright`: resume the last session (where the user was), else the
  start screen;
- `linkwright open FILE`: that file;
- `linkwright open --preset ID`: your copy of the preset in the user's data
  folder (the one last changed), which autosaves there until the user saves it
  elsewhere; a new copy the first time, or with `--fresh`. Reopening says which
  copy it is, and when the built-in preset has changed since it was made.

The session loads in a thread once the first screen is on the terminal (a
loading screen), so the user sees the app at once while the clause library
loads; loading any earlier only competes with Textual's start for the CPU. A file that
cannot be opened ends the app and is raised here as the `LinkwrightError`
the CLI prints as one line (exit 2); a last session that no longer opens
just leads to the start screen.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from negotiation.errors import LinkwrightError
from tui.opening import Opening, open_file, open_preset_copy
from tui.places import Places
from tui.state import UserState


def opening_for(args: argparse.Namespace, places: Places) -> Opening | None:
    """What to open for these arguments (None: the start screen)."""
    session: Path | None = getattr(args, "session", None)
    preset: str | None = getattr(args, "preset", None)
    libraries = tuple(getattr(args, "library", None) or ())
    if session is not None and preset:
        raise LinkwrightError("give a session file or --preset, not both")
    if getattr(args, "fresh", False) and not preset:
        raise LinkwrightError("--fresh goes with --preset: it opens a new copy of a preset")
    for folder in libraries:
        if not Path(folder).is_dir():
            raise LinkwrightError("library folder not found", folder)
    if preset:
        from negotiation.session import preset_text

        text = preset_text(preset)  # an unknown preset fails here, before the screen
        copies = [] if getattr(args, "fresh", False) else places.preset_copies(preset)
        if copies:
            return _reopen_copy(places, preset, copies[0], text, libraries)
        return Opening(
            f"a copy of preset {preset}",
            lambda: open_preset_copy(places, preset, libraries),
            fatal=True,
        )
    if session is not None:
        path = Path(session)
        if not path.exists():
            raise LinkwrightError("no such file", path)
        if path.is_dir():
            raise LinkwrightError("is a folder, not a session file", path)
        return Opening(path.name, lambda: open_file(path, places, libraries), fatal=True)
    last = UserState(places.state_file).last()
    if last is not None and last.is_file():
        return Opening(last.name, lambda: open_file(last, places, libraries), fatal=False)
    return None


def _reopen_copy(places: Places, preset: str, copy: Path, text: str,
                 libraries: tuple[Path, ...]) -> Opening:
    """Your copy of a preset, as you left it, rather than one more copy each time."""
    if places.preset_changed_since(copy, text):
        notice = (f"The built-in {preset} example has changed since your copy {copy.name} "
                  f"was made: `linkwright open --preset {preset} --fresh` opens a fresh copy.")
    else:
        notice = (f"Your copy of the {preset} example ({copy.name}), as you left it; "
                  f"`linkwright open --preset {preset} --fresh` starts a new one.")
    return Opening(copy.name, lambda: open_file(copy, places, libraries), fatal=True,
                   notice=notice)


def launch(args: argparse.Namespace, places: Places | None = None) -> int:
    places = places or Places.for_user()
    opening = opening_for(args, places)
    from tui.app import LinkwrightApp

    app = LinkwrightApp(places, opening, libraries=tuple(getattr(args, "library", None) or ()))
    result = app.run()
    app.state.save()
    if app.startup_error is not None:
        raise app.startup_error
    return int(result or 0)
