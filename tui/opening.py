"""Opening a session: from a file, as a copy of a preset, or as a blank session,
possibly in a background thread while Textual starts.

Loading the clause library is the slow part of start-up, so `launch` starts
an `Opening` before it even imports Textual and the app waits for it behind
a loading screen. No Textual here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from negotiation.blank import blank_session_text, file_stem
from negotiation.errors import LinkwrightError
from negotiation.yamlload import parse_text
from tui.document import SessionDocument
from tui.places import Places


class Opening:
    """A session loading in a thread. `fatal`: if it fails, the app exits with the
    error (an explicit `linkwright open FILE`) rather than offering the start screen."""

    def __init__(self, label: str, load: Callable[[], SessionDocument], fatal: bool,
                 notice: str | None = None) -> None:
        self.label = label
        self.fatal = fatal
        self.notice = notice
        """Said once the session is on screen (which copy of a preset this is, and why)."""
        self._load = load
        self._done = threading.Event()
        self._result: SessionDocument | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="linkwright-open", daemon=True)

    def start(self) -> Opening:
        """Start loading (again: no effect)."""
        if not self._thread.is_alive() and not self._done.is_set() and self._thread.ident is None:
            self._thread.start()
        return self

    def _run(self) -> None:
        try:
            self._result = self._load()
        except BaseException as exc:  # handed to the waiting side, never lost
            self._error = exc
        finally:
            self._done.set()

    def wait(self) -> SessionDocument:
        self._done.wait()
        if self._error is not None:
            if isinstance(self._error, LinkwrightError):
                raise self._error
            raise LinkwrightError(f"cannot open {self.label}: {self._error}") from None
        assert self._result is not None
        return self._result


def file_problem(path: Path) -> str | None:
    """Why `path` cannot be a session file to open, in words for the open dialog (None
    when it is a file: reading it says the rest)."""
    if path.is_dir():
        return f"{path} is a folder: pick a session file (.yaml) in it"
    if not path.exists():
        return f"no file named {path}"
    return None


def open_file(path: Path, places: Places, libraries: tuple[Path, ...] = ()) -> SessionDocument:
    return SessionDocument.open(path, libraries, scratch=places.is_scratch(path))


def open_preset_copy(
    places: Places, preset: str, libraries: tuple[Path, ...] = ()
) -> SessionDocument:
    """Copy a preset into the data folder and open the copy (it autosaves there). The
    preset's digest is recorded with the copy, so that reopening it later can say when
    the built-in preset has changed since."""
    from negotiation.session import preset_text

    text = preset_text(preset)
    doc = _open_scratch(places, preset, text, libraries)
    places.record_preset_copy(doc.path, text)
    return doc


def open_blank(
    places: Places,
    systems: list[str],
    title: str = "",
    year: int | None = None,
    libraries: tuple[Path, ...] = (),
) -> SessionDocument:
    text = blank_session_text(systems, title, year)
    return _open_scratch(places, file_stem(systems), text, libraries)


def _open_scratch(
    places: Places, stem: str, text: str, libraries: tuple[Path, ...]
) -> SessionDocument:
    """Write `text` to a new autosaved copy in the data folder and open it; a copy
    that does not open is removed, so no broken file lingers among the recent ones."""
    path = places.new_scratch_file(stem, text)
    try:
        return SessionDocument.open(path, libraries, scratch=True)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def preset_labels(presets: list[str]) -> list[tuple[str, str]]:
    """(id, 'short title (form, linkage, year)') for the start screen, read cheaply:
    parsed, not validated (the preset's own load reports what is wrong with it)."""
    from negotiation.session import preset_text

    labels = []
    for preset in presets:
        try:
            data = parse_text(preset_text(preset), f"presets/{preset}.yaml").data
            title = data.get("short_title") or data.get("title") or preset
            link = (data.get("linkage") or {}).get("type", "")
            year = data.get("year")
            detail = ", ".join(str(x) for x in (data.get("form"), link, year) if x)
            labels.append((preset, f"{title} ({detail})"))
        except Exception:  # a label is decoration; the preset's own load reports errors
            labels.append((preset, preset))
    return labels
