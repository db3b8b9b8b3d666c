"""Per-user state: recent sessions and where the user was in each.

A session file is shared between delegations and kept in git, so it must
never record that one user was looking at the offsets article. This JSON
file, in the user's state folder, does: recent files (newest first), the
last session (what `linkwright` with no arguments resumes), and per file
the step and topic last shown. It is written atomically; a missing or
unreadable file is simply an empty state, never an error the user sees.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_RECENT = 12
VERSION = 1


@dataclass(frozen=True)
class Recent:
    path: Path
    title: str

    @property
    def exists(self) -> bool:
        return self.path.is_file()


@dataclass(frozen=True)
class Place:
    """Where the user was in one session."""

    step: str
    topic: str | None = None


class UserState:
    def __init__(self, file: Path) -> None:
        self.file = file
        self._data: dict[str, Any] = {"version": VERSION, "recent": [], "places": {}, "last": None}
        with contextlib.suppress(OSError, ValueError, TypeError):
            loaded = json.loads(file.read_text("utf-8"))
            if isinstance(loaded, dict) and loaded.get("version") == VERSION:
                self._data.update(
                    {k: loaded[k] for k in ("recent", "places", "last", "seen")
                     if k in loaded}
                )

    @staticmethod
    def _key(path: Path) -> str:
        return str(path.resolve())

    def recent(self) -> list[Recent]:
        result = []
        for entry in self._data.get("recent", []):
            if isinstance(entry, dict) and isinstance(entry.get("path"), str):
                result.append(Recent(Path(entry["path"]), str(entry.get("title", ""))))
        return result

    def add_recent(self, path: Path, title: str) -> None:
        key = self._key(path)
        entries = [
            e for e in self._data.get("recent", []) if isinstance(e, dict) and e.get("path") != key
        ]
        self._data["recent"] = [{"path": key, "title": title}, *entries][:MAX_RECENT]
        self._data["last"] = key

    def forget(self, path: Path) -> None:
        key = self._key(path)
        self._data["recent"] = [
            e for e in self._data.get("recent", []) if isinstance(e, dict) and e.get("path") != key
        ]
        self._data.get("places", {}).pop(key, None)
        if self._data.get("last") == key:
            self._data["last"] = None

    def last(self) -> Path | None:
        last = self._data.get("last")
        return Path(last) if isinstance(last, str) else None

    def place(self, path: Path) -> Place | None:
        entry = self._data.get("places", {}).get(self._key(path))
        if not isinstance(entry, dict) or not isinstance(entry.get("step"), str):
            return None
        topic = entry.get("topic")
        return Place(entry["step"], topic if isinstance(topic, str) else None)

    def remember(self, path: Path, place: Place) -> None:
        places = self._data.setdefault("places", {})
        places[self._key(path)] = {"step": place.step, "topic": place.topic}

    def seen_positions(self, path: Path) -> dict[str, str] | None:
        """The other side's positions on each provision as this user last saw them in
        `path` (digests), or None the first time the file is opened here."""
        entry = self._data.get("seen", {}).get(self._key(path))
        if not isinstance(entry, dict):
            return None
        return {str(k): str(v) for k, v in entry.items()}

    def remember_seen(self, path: Path, seen: dict[str, str]) -> None:
        self._data.setdefault("seen", {})[self._key(path)] = dict(seen)

    def save(self) -> None:
        """Write the state atomically; a failure only costs the user their place."""
        from negotiation.errors import LinkwrightError
        from negotiation.storage import atomic_write

        with contextlib.suppress(OSError, LinkwrightError):
            self.file.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(
                self.file, json.dumps(self._data, indent=1, ensure_ascii=False), backup=False
            )
