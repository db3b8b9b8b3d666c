"""The one exception a user can cause, and how it reads.

Everything a negotiator can get wrong (a typo in a session, a hostile
library, an existing output file) ends in a `LinkwrightError`. The CLI and
the TUI catch it at their edge and show `str(error)`: one line that says
where (file:line:column) and what to do. Nothing below the edge prints.
"""

from __future__ import annotations

from pathlib import Path


class LinkwrightError(Exception):
    """An error the user can act on, optionally located in a file."""

    def __init__(
        self,
        message: str,
        file: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.column = column

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        return where + self.message


def did_you_mean(name: str, candidates: list[str] | set[str]) -> str:
    """A ' (did you mean …?)' suffix for a mistyped id, or ''."""
    import difflib

    close = difflib.get_close_matches(name, sorted(candidates), n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""
