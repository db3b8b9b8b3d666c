"""How deep a YAML text nests, read from the raw characters before any parser runs.

The loader bounds nesting itself, on the parser's events (`yamlload`). That is
not enough on its own: libyaml (bundled in PyYAML's wheels since 6.0.4) has a
depth limit of its own, and inside a flow collection (`[[[[…`) it reads ahead
to its limit before the loader sees a single event, so the message and its
location would depend on the PyYAML release a machine happens to have. This
scan answers first, with Linkwright's own limit and location.

It is a light reading of YAML's structure, not a parser: it knows comments,
quoted scalars, block scalars (`|`, `>`), plain scalars continued on the next
line, sequence entries (`- `), mapping keys and flow collections. Where it is
unsure it counts *fewer* levels than the file has, never more, so it cannot
refuse a file the parser would accept within the limit; the event-level check
in `yamlload` stays as the second wall.
"""

from __future__ import annotations

import re

_INDENT = re.compile(r"[ ]*")
_FLOW_TOKEN = re.compile(r"""\s+|[\[\]{},"'#:]|\?(?=\s|$)|[^\s\[\]{},"'#:]+|.""")
_BLOCK_SCALAR = re.compile(r"[|>][-+0-9]*[ \t]*(?:#.*)?$")
_PROPERTY = re.compile(r"(?:[&!][^ \t]*[ \t]+)+")
"""An anchor or a tag before a node (`&base `, `!!str `)."""
_KEY = re.compile(r"""(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"\[\]{},][^#]*?)"""
                  r"[ \t]*:(?=[ \t]|$)")
"""A mapping key on one line, up to its ': ' indicator."""


def _opens_block(line: str, position: int) -> bool:
    """Whether the node at `position` is a block sequence entry or a mapping key."""
    if line.startswith(("- ", "? "), position) or line[position:] in ("-", "?"):
        return True
    return line[position] not in "[{" and _KEY.match(line, position) is not None


def first_too_deep(text: str, limit: int) -> tuple[int, int] | None:
    """Line and column (1-based) of the first collection nested deeper than `limit`."""
    return _Scan(text, limit).run()


class _Scan:
    def __init__(self, text: str, limit: int) -> None:
        self.lines = text.split("\n")
        self.limit = limit
        self.blocks: list[int] = []
        """Indents of the open block collections, innermost last."""
        self.skip_above: int | None = None
        """While set, lines indented more than this are block-scalar or plain-scalar text."""
        self.flow = 0
        self.quote: str | None = None
        """The open quote while a quoted scalar runs over several lines."""
        self.node_start = False
        """In flow context: whether the next token begins a node (so a quote opens one)."""

    def run(self) -> tuple[int, int] | None:
        for number, line in enumerate(self.lines):
            found = self._line(number, line)
            if found is not None:
                return found
        return None

    # -- one line -----------------------------------------------------------------

    def _line(self, number: int, line: str) -> tuple[int, int] | None:
        if self.quote is not None or self.flow:
            return self._inside(number, line, 0, len(self.blocks))
        indent = _INDENT.match(line).end()  # type: ignore[union-attr]
        rest = line[indent:]
        if not rest.strip() or rest.startswith("#"):
            return None
        if self.skip_above is not None:
            if indent > self.skip_above:
                return None
            self.skip_above = None
        if indent == 0 and rest.startswith(("---", "...", "%")):
            self.blocks.clear()
            rest = rest[3:] if not rest.startswith("%") else ""
            if not rest.strip():
                return None
        while self.blocks and self.blocks[-1] > indent:
            self.blocks.pop()
        if _opens_block(line, indent) and self._opens(indent):
            return number + 1, indent + 1
        return self._node(number, line, indent, indent)

    def _opens(self, indent: int) -> bool:
        """Open a block collection at `indent` unless one is open there; True if that
        makes the nesting too deep."""
        if self.blocks and self.blocks[-1] >= indent:
            return False
        self.blocks.append(indent)
        return len(self.blocks) > self.limit

    def _node(self, number: int, line: str, start: int, parent: int) -> tuple[int, int] | None:
        """Read a node that starts at `start` in block context; `parent` is its entry's indent."""
        position = start
        while True:
            if line.startswith(("- ", "? "), position) or line[position:] in ("-", "?"):
                # a compact entry inside an entry: one more collection on this line
                if (position != start or line[position] == "?") and self._opens(position):
                    return number + 1, position + 1
                parent = position
                position = _INDENT.match(line, position + 1).end()  # type: ignore[union-attr]
                if position >= len(line):
                    return None
                continue
            key = _KEY.match(line, position)
            # `- key: value`: a mapping opens at the key's column
            if (key is not None and position != start and line[position] not in "[{"
                    and self._opens(position)):
                return number + 1, position + 1
            if key is not None and line[position] not in "[{":
                parent = max(parent, position)
                position = _INDENT.match(line, key.end() + 1).end()  # type: ignore[union-attr]
                if position >= len(line):
                    return None
            break
        properties = _PROPERTY.match(line, position)
        if properties is not None:
            position = properties.end()
        if position >= len(line):
            return None
        first = line[position]
        if first in "[{":
            return self._inside(number, line, position, len(self.blocks))
        if first in "\"'":
            return self._inside(number, line, position, len(self.blocks))
        if first == "#":
            return None
        if _BLOCK_SCALAR.match(line, position):
            self.skip_above = parent
            return None
        # a plain scalar: a more indented line that follows continues it
        self.skip_above = parent
        return None

    def _inside(self, number: int, line: str, position: int,
                base: int) -> tuple[int, int] | None:
        """Scan flow collections and quoted scalars, which may run over several lines."""
        if self.quote is None and not self.flow:
            self.node_start = True  # called at a node: a quote here opens a scalar
        spaced = position == 0
        while position < len(line):
            if self.quote is not None:
                position = self._close_quote(line, position)
                self.node_start = False
                if not self.flow:
                    return None  # a quoted scalar in block context has ended
                continue
            token = _FLOW_TOKEN.match(line, position)
            assert token is not None  # the pattern matches any character
            text = token.group()
            position = token.end()
            if text.isspace():
                spaced = True
                continue
            if text == "#" and spaced:
                break  # a comment runs to the end of the line
            spaced = False
            if text in "\"'" and self.node_start:
                self.quote = text
            elif text in "[{":
                self.flow += 1
                self.node_start = True
                if base + self.flow > self.limit:
                    return number + 1, token.start() + 1
            elif text in "]}":
                self.flow = max(0, self.flow - 1)
                self.node_start = False
                if self.flow == 0:
                    return None  # what follows a closed collection on its line is no node
            else:
                # in flow context every ':' is an indicator (PyYAML and libyaml agree)
                self.node_start = text in (",", ":", "?")
        return None

    def _close_quote(self, line: str, position: int) -> int:
        """Past the closing quote on this line, or the end of the line if it runs on."""
        quote = self.quote
        while position < len(line):
            char = line[position]
            if quote == '"' and char == "\\":
                position += 2
                continue
            if char == quote:
                if quote == "'" and line.startswith("''", position):
                    position += 2
                    continue
                self.quote = None
                return position + 1
            position += 1
        return position
