"""Where the TUI keeps its own files: per-user state and preset copies.

Two folders, both per user and never shared: the state folder
(`platformdirs.user_state_dir`) holds recent files and where the user was
in each; the data folder (`platformdirs.user_data_dir`) holds the session
files made from presets until the user saves them elsewhere. Tests and the
benchmark pass their own folders, so a user's real ones are never touched.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from negotiation.errors import LinkwrightError

APP_NAME = "linkwright"


@dataclass(frozen=True)
class Places:
    state_dir: Path
    data_dir: Path

    @classmethod
    def for_user(cls) -> Places:
        import platformdirs

        return cls(
            Path(platformdirs.user_state_dir(APP_NAME)), Path(platformdirs.user_data_dir(APP_NAME))
        )

    @property
    def state_file(self) -> Path:
        return self.state_dir / "state.json"

    @property
    def sessions_dir(self) -> Path:
        return self.data_dir / "sessions"

    def is_scratch(self, path: Path) -> bool:
        """A session the TUI made (from a preset or blank) that the user has not saved
        elsewhere yet: it lives in our data folder."""
        try:
            return path.resolve().parent == self.sessions_dir.resolve()
        except OSError:
            return False

    @property
    def copies_file(self) -> Path:
        return self.state_dir / "preset-copies.json"

    def preset_copies(self, preset: str) -> list[Path]:
        """The copies of `preset` in the sessions folder, the last changed first."""
        import re

        pattern = re.compile(re.escape(preset) + r"-\d+\.yaml")
        try:
            found = [p for p in self.sessions_dir.iterdir()
                     if pattern.fullmatch(p.name) and p.is_file()]
        except OSError:
            return []
        return sorted(found, key=lambda p: p.stat().st_mtime_ns, reverse=True)

    def record_preset_copy(self, copy: Path, text: str) -> None:
        """Remember which text of the preset `copy` was made from (its digest)."""
        import hashlib
        import json

        from negotiation.storage import atomic_write

        records = self._copy_records()
        records[copy.name] = hashlib.sha256(text.encode("utf-8")).hexdigest()
        try:
            self.state_dir.mkdir(parents=True, exist_ok=True)
            atomic_write(self.copies_file, json.dumps(records, indent=1), backup=False)
        except (OSError, LinkwrightError):
            pass  # a convenience: the copy itself is safe

    def preset_changed_since(self, copy: Path, text: str) -> bool:
        """Whether the preset's text differs from the one `copy` was made from; False
        when that is not known (a copy made before copies were recorded)."""
        import hashlib

        made_from = self._copy_records().get(copy.name)
        return made_from is not None and made_from != hashlib.sha256(
            text.encode("utf-8")).hexdigest()

    def _copy_records(self) -> dict[str, str]:
        import json

        try:
            data = json.loads(self.copies_file.read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def new_scratch_file(self, stem: str, text: str) -> Path:
        """Write `text` to the first free `<stem>-<n>.yaml` in the sessions folder."""
        from negotiation.storage import atomic_write

        try:
            self.sessions_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LinkwrightError(
                f"cannot create the folder for new sessions: {exc.strerror or exc}",
                self.sessions_dir,
            ) from None
        for number in range(1, 10_000):
            path = self.sessions_dir / f"{stem}-{number}.yaml"
            try:
                # Reserve the name first (exclusive create), then write it atomically.
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                continue
            except OSError as exc:
                raise LinkwrightError(
                    f"cannot create a session file: {exc.strerror or exc}", path
                ) from None
            os.close(fd)
            atomic_write(path, text, backup=False)
            return path
        raise LinkwrightError("too many session files; tidy the folder", self.sessions_dir)
