"""Watching the open session file for edits made in another program.

Another delegation's editor, a `git pull`, a script: whatever writes the session
file while it is open here should show at once, not at the next save. The app
polls with Textual's own timer (`set_interval`): one `stat` per poll, the bytes
hashed only when the stat differs (`SessionDocument.disk_change`), so no new
dependency and nothing to clean up. Our own autosaves never trigger it: each save
records the file's new stamp before the next poll can run (both happen on the
app's thread).

What happens on a change:
- unsaved work here: the conflict dialog (reload, keep mine, save as), as on save;
- nothing unsaved: the file is reloaded and the user told so in a notification;
- the file does not load (half written, or broken): the user is told once, the
  session here is kept, and nothing is written over the file until they choose;
- the file is gone: the user is told once; the next change asks, as on save.

Tests call `poll` directly and never wait for the clock.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from negotiation.errors import LinkwrightError

if TYPE_CHECKING:
    from tui.app import LinkwrightApp

WATCH_EVERY = 0.5
"""Seconds between two looks at the file: a change shows well within a second."""

Seen = Literal["reloaded", "conflict", "unreadable", "deleted"]


class FileWatcher:
    """Looks at the open session file when polled, and reacts to a change."""

    def __init__(self, app: LinkwrightApp) -> None:
        self.app = app
        self._told: object = None  # the state of the file the user was last told about
        self._doc: object = None  # ... and the session it was about

    def poll(self) -> Seen | None:
        """Look once; return what was seen (None: nothing new)."""
        app, doc = self.app, self.app.doc
        if doc is None or app._conflict_open:
            return None  # nothing open, or the user is already deciding
        if doc is not self._doc:
            self._doc, self._told = doc, None
        change = doc.disk_change()
        if change is None:
            self._told = None
            return None
        state = doc.disk_state()
        if (state if state is not None else "gone") == self._told:
            return None  # told already; the user decides when they next change something
        if not doc.saved:
            app._reopen_conflict()
            return "conflict"
        if change == "deleted":
            self._told = "gone"
            app.notify(
                f"{doc.file_name} was deleted or moved by another program. The session is "
                "still open here; your next change asks where to save it, or ctrl+s saves "
                "it now.",
                severity="warning",
                title="File gone",
                timeout=15,
            )
            return "deleted"
        before = doc.neg
        try:
            after = doc.reload()
        except LinkwrightError as error:
            self._told = state
            app.notify(
                f"{doc.file_name} was changed by another program but does not load: {error}. "
                "The session here is unchanged, and the file is not written over until you "
                "choose (your next change asks).",
                severity="error",
                title="Changed on disk",
                timeout=15,
            )
            return "unreadable"
        self._told = None
        app.notify(
            f"{doc.file_name} was changed by another program: reloaded (undo starts again "
            "from here).",
            title="Reloaded",
        )
        app._after_change(before, after, ())
        return "reloaded"
