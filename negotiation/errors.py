"""The one exception a user can cause, and how it (and any text) reads on a terminal.

Everything a negotiator can get wrong (a typo in a session, a hostile
library, an existing output file) ends in a `LinkwrightError`. The CLI and
the TUI catch it at their edge and show `str(error)`: one line that says
where (file:line:column) and what to do. Nothing below the edge prints.

Text from another delegation's files (titles, names, file names) reaches the
terminal too, so everything printed passes through `visible`: a control
character in a value must show as what it is, never move the cursor, recolour
the screen, rewrite the line (a bare carriage return) or reorder what the
reader sees (a bidirectional override).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

_BEYOND_C0 = "\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
"""DEL and the C1 controls, the bidirectional marks, overrides and isolates, the
Unicode line and paragraph separators, and lone surrogates (the undecodable bytes
of a file name): with the C0 controls, what a terminal acts on instead of showing."""

_HIDDEN = re.compile(f"[\x00-\x1f{_BEYOND_C0}]")

_HIDDEN_IN_JSON = re.compile(f"[{_BEYOND_C0}]")
"""`json.dumps` escapes C0 controls inside strings itself, and outside strings its
line breaks are the indentation."""

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"  # the byte the file name really holds
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with every control character written as an escape (ESC as `\\x1b`).

    A line break inside a value shows as `\\n` rather than a space: the reader
    sees exactly what the file holds (and where to fix it), and a title can
    never start what looks like a new line of output. Output that is several
    lines by design applies this to each value, not to the whole."""
    return _HIDDEN.sub(_escape, text)


def visible_json(data: Any) -> str:
    """`data` as indented JSON, non-ASCII text kept readable but every control escaped.

    `json.dumps` escapes C0 controls itself; DEL, C1 controls, bidirectional
    overrides and line separators it passes through raw when `ensure_ascii` is
    off. Outside strings JSON is plain ASCII, so escaping them afterwards as
    `\\uXXXX` keeps the document valid and equal."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return _HIDDEN_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


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
        # Both parts may come from untrusted input: a library's file name, a value quoted
        # back in the message.
        where = ""
        if self.file:
            where = visible(self.file)
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        return where + visible(self.message)


def did_you_mean(name: str, candidates: list[str] | set[str]) -> str:
    """A ' (did you mean …?)' suffix for a mistyped id, or ''."""
    import difflib

    close = difflib.get_close_matches(name, sorted(candidates), n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""
