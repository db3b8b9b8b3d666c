"""Saving files so that a crash never costs a negotiator their work.

Every write goes to a temporary file in the same folder, is flushed and
fsynced, and is then renamed over the target: a reader (or a crash at any
instant) sees the old file or the new one, whole, never a mixture. The
previous version is kept beside the file as `<name>.bak`, made the same
way, so even a bad save can be undone by hand.

Any failure of the disk (full, a file-size limit, no permission, an I/O error)
at any step ends as one `LinkwrightError` naming the file and the cause, with
the temporary file removed and the previous file as it was.

`fault_hook` lets the reliability tests stop the process at each step of a
save (they set it in a subprocess and kill it there); it is None in use.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from negotiation.errors import LinkwrightError

FAULT_POINTS = ("before-write", "mid-write", "before-fsync", "before-rename", "after-rename")

fault_hook: Callable[[str], None] | None = None


def _fault(point: str) -> None:
    if fault_hook is not None:
        fault_hook(point)


def _fsync_folder(folder: Path) -> None:
    # Makes the rename itself durable; not every platform can open a folder.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_replace(target: Path, data: bytes, *, faults: bool, mode: int | None = None) -> None:
    folder = target.parent
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            if faults:
                _fault("before-write")
            half = len(data) // 2
            handle.write(data[:half])
            handle.flush()
            if faults:
                _fault("mid-write")
            handle.write(data[half:])
            handle.flush()
            if faults:
                _fault("before-fsync")
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temp, mode)
        elif target.exists():
            # mkstemp creates 0600 files; keep the permissions the user gave the file.
            os.chmod(temp, target.stat().st_mode & 0o7777)
        else:
            os.chmod(temp, 0o644 & ~_umask())
        if faults:
            _fault("before-rename")
        os.replace(temp, target)
        if faults:
            _fault("after-rename")
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    _fsync_folder(folder)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def backup_path(target: Path) -> Path:
    return target.with_name(target.name + ".bak")


def _cannot(verb: str, target: Path, exc: OSError) -> LinkwrightError:
    return LinkwrightError(f"cannot {verb}: {exc.strerror or exc}", target)


def _replace(target: Path, data: bytes | str, *, backup: bool) -> None:
    """The atomic replace itself; raises OSError for the caller to word."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not target.parent.is_dir():
        raise LinkwrightError("the folder does not exist", target.parent)
    if backup and target.is_file():
        # The backup is no more readable than the file it keeps (confidential notes).
        _write_replace(backup_path(target), target.read_bytes(), faults=False,
                       mode=target.stat().st_mode & 0o7777)
    _write_replace(target, data, faults=True)


def atomic_write(target: Path, data: bytes | str, *, backup: bool = True) -> None:
    """Replace `target` with `data` atomically, keeping one backup of the old file."""
    target = Path(target)
    try:
        _replace(target, data, backup=backup)
    except OSError as exc:
        raise _cannot("save", target, exc) from None


def refuse_to_replace(target: Path, *, force: bool) -> None:
    """Refuse an output that exists unless `force`, and a folder always."""
    target = Path(target)
    try:
        exists, folder = target.exists(), target.is_dir()
    except OSError as exc:  # a name too long, a folder on the way we may not search
        raise _cannot("write", target, exc) from None
    if exists and not force:
        raise LinkwrightError("file exists; use --force to replace it", target)
    if folder:
        raise LinkwrightError("is a folder; name a file to write", target)


def write_new(target: Path, data: bytes | str, *, force: bool) -> None:
    """Write an output file the user named; refuse to replace one without `force`.

    An output keeps no backup: the user asked for it to be replaced."""
    target = Path(target)
    refuse_to_replace(target, force=force)
    try:
        _replace(target, data, backup=False)
    except OSError as exc:
        raise _cannot("write", target, exc) from None
