"""The open session: its file, the loaded negotiation, undo, and safe saving.

Every edit makes a new `Session` (the core's edits never change one in
place) and `assemble`s a new `Negotiation`, so the previous states are kept
for undo for free. Saving is atomic (the core's `save_session`), and before
each save the file on disk is compared with what was last loaded or saved
(size, modification time, then a SHA-256 of the bytes): if another
delegation's edit landed in between, `save` raises `ChangedOnDisk` and the
UI asks the user what to do. Nothing is ever silently overwritten.

No Textual here: the document is tested and benchmarked without a screen.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from negotiation.errors import LinkwrightError
from negotiation.session import Negotiation, Session, assemble, load_session, save_session

Edit = Callable[[Session], Session]
MAX_UNDO = 200


@dataclass(frozen=True)
class DiskStamp:
    """What a file looked like when we last read or wrote it."""

    mtime_ns: int
    size: int
    digest: str
    # (device, inode): an editor that saves by renaming a new file over the old one
    # gives it a new identity even when the time and size look the same.
    identity: tuple[int, int] = (0, 0)

    @classmethod
    def of(cls, path: Path) -> DiskStamp | None:
        try:
            stat = path.stat()
            data = path.read_bytes()
        except OSError:
            return None
        return cls(stat.st_mtime_ns, stat.st_size, hashlib.sha256(data).hexdigest(),
                   (stat.st_dev, stat.st_ino))

    def looks_same(self, stat: os.stat_result) -> bool:
        """The cheap test (no read): same identity, time and size."""
        return ((stat.st_dev, stat.st_ino) == self.identity
                and stat.st_mtime_ns == self.mtime_ns and stat.st_size == self.size)

    def same_file(self, path: Path) -> bool:
        """Is the file on disk still the one this stamp describes?"""
        try:
            stat = path.stat()
        except OSError:
            return False
        if self.looks_same(stat):
            return True
        if stat.st_size != self.size:
            return False
        try:
            return hashlib.sha256(path.read_bytes()).hexdigest() == self.digest
        except OSError:
            return False


class ChangedOnDisk(Exception):
    """The session file changed (or vanished) since we last read or wrote it."""

    def __init__(self, path: Path, deleted: bool) -> None:
        what = "was deleted or moved" if deleted else "was changed by someone else"
        super().__init__(f"{path.name} {what} since it was opened")
        self.path = path
        self.deleted = deleted


class SessionDocument:
    """One open session file and its history in this run."""

    def __init__(
        self,
        neg: Negotiation,
        path: Path,
        extra_libraries: tuple[Path, ...] = (),
        scratch: bool = False,
    ) -> None:
        self.path = Path(path)
        self.neg = neg
        self.neg.path = self.path
        self.extra_libraries = tuple(extra_libraries)
        self.scratch = scratch
        self.stamp = DiskStamp.of(self.path)
        self.saved = True
        # Where this session was last exported in this run (the Draft step shows it;
        # another session opened later must not inherit it).
        self.last_export: Path | None = None
        self._undo: list[Session] = []
        self._redo: list[Session] = []

    @classmethod
    def open(
        cls, path: Path, extra_libraries: tuple[Path, ...] = (), scratch: bool = False
    ) -> SessionDocument:
        """Load a session file (raises `LinkwrightError` with file:line:column)."""
        path = Path(path)
        return cls(load_session(path, extra_libraries), path, extra_libraries, scratch)

    # -- reading -------------------------------------------------------------------
    @property
    def session(self) -> Session:
        return self.neg.session

    @property
    def file_name(self) -> str:
        return self.path.name

    @property
    def title(self) -> str:
        return self.session.short_title or self.session.title

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    # -- changing ------------------------------------------------------------------
    def _assemble(self, session: Session, folder: Path | None = None) -> Negotiation:
        neg = assemble(session, None, folder or self.path.parent, self.extra_libraries)
        neg.path = self.path
        return neg

    def apply(self, edit: Edit) -> Negotiation:
        """Apply one edit; the session is re-validated as a whole, or nothing changes."""
        from pydantic import ValidationError

        try:
            session = edit(self.session)
            neg = self._assemble(session)
        except ValidationError as exc:
            first = exc.errors()[0] if exc.errors() else {}
            where = ".".join(str(p) for p in first.get("loc", ()))
            raise LinkwrightError(
                f"{where}: {first.get('msg', exc)}" if where else str(first.get("msg", exc))
            ) from None
        self._undo.append(self.session)
        del self._undo[:-MAX_UNDO]
        self._redo.clear()
        self.neg = neg
        self.saved = False
        return neg

    def undo(self) -> Negotiation | None:
        if not self._undo:
            return None
        previous = self._undo.pop()
        self._redo.append(self.session)
        self.neg = self._assemble(previous)
        self.saved = False
        return self.neg

    def redo(self) -> Negotiation | None:
        if not self._redo:
            return None
        following = self._redo.pop()
        self._undo.append(self.session)
        self.neg = self._assemble(following)
        self.saved = False
        return self.neg

    # -- saving ----------------------------------------------------------------------
    def changed_on_disk(self) -> bool:
        return self.stamp is None or not self.stamp.same_file(self.path)

    def disk_change(self) -> str | None:
        """What another program did to the file since we last read or wrote it: None,
        'changed' or 'deleted'. Cheap enough to poll: one stat, and the bytes are
        hashed only when the stat differs (a `touch` or a copy of the same text is
        no change, and is remembered so the next poll is a stat again)."""
        try:
            stat = self.path.stat()
        except OSError:
            return "deleted"
        stamp = self.stamp
        if stamp is not None and stamp.looks_same(stat):
            return None
        if stamp is None or not stamp.same_file(self.path):
            return "changed"
        self.stamp = replace(stamp, mtime_ns=stat.st_mtime_ns, size=stat.st_size,
                             identity=(stat.st_dev, stat.st_ino))
        return None

    def disk_state(self) -> tuple[int, int, int, int] | None:
        """The file's identity, time and size now (None if it is gone): what the
        watcher remembers so that it tells the user once per state of the file."""
        try:
            stat = self.path.stat()
        except OSError:
            return None
        return (stat.st_dev, stat.st_ino, stat.st_mtime_ns, stat.st_size)

    def save(self, force: bool = False) -> None:
        """Save atomically; refuse (ChangedOnDisk) if the file changed under us."""
        if not force and self.changed_on_disk():
            raise ChangedOnDisk(self.path, deleted=not self.path.exists())
        save_session(self.session, self.path)
        self.stamp = DiskStamp.of(self.path)
        self.saved = True

    def save_as(self, path: Path, replace: bool = False) -> None:
        """Save to a new file and keep working there (a scratch copy stops being one)."""
        path = Path(path).expanduser()
        if path.is_dir():
            raise LinkwrightError("is a folder; name a file to save to", path)
        if path.suffix.lower() not in (".yaml", ".yml"):
            raise LinkwrightError("a session file ends in .yaml", path)
        if path.exists() and not replace:
            raise LinkwrightError("file exists; choose to replace it or give another name", path)
        if not path.parent.is_dir():
            raise LinkwrightError("the folder does not exist", path.parent)
        # The session's own library folders must exist beside the new file too.
        neg = self._assemble(self.session, path.parent)
        save_session(self.session, path)
        self.path = path
        neg.path = path
        self.neg = neg
        self.stamp = DiskStamp.of(path)
        self.saved = True
        self.scratch = False

    def reload(self) -> Negotiation:
        """Read the file again, dropping this run's unsaved state and history."""
        neg = load_session(self.path, self.extra_libraries)
        self.neg = neg
        self.stamp = DiskStamp.of(self.path)
        self.saved = True
        self._undo.clear()
        self._redo.clear()
        return neg
