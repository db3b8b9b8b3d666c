"""One safe YAML loader for everything Linkwright reads.

Sessions and clause libraries come from other delegations, so YAML is
untrusted input. This loader is the boundary:

* only the YAML core schema: a tag that would construct an object
  (`!!python/object`, anything custom) is refused;
* duplicate keys are refused (PyYAML silently keeps the last one);
* size, nesting depth and alias expansion are bounded before any data is
  built, so a "billion laughs" file fails in milliseconds;
* every mapping key and value keeps its line and column, so that a
  validation error on the model can point at `file:line:column`.

Past this module, code works on validated pydantic models.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from negotiation.errors import LinkwrightError, did_you_mean
from negotiation.yamldepth import first_too_deep

_HIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f"
                     "\u202a-\u202e\u2066-\u2069]")
"""Characters a value may not hold: terminal controls (they would reach the screen
when a value is printed) and bidirectional overrides (they reorder what a reader
sees). YAML's reader refuses most of them raw; double-quoted escapes let them in.
Tab, line breaks and NEL stay: they are text."""

_EXPONENT = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[eE][-+]?[0-9]+")
"""Numbers in exponent form that YAML 1.1 reads as text (1e6, 2.5E-3)."""

MAX_BYTES = 2_000_000
"""A session or a topic file is a few kilobytes; two megabytes is generous."""

MAX_DEPTH = 60
"""Legitimate files nest fewer than ten levels."""

_TOO_DEEP = f"nesting deeper than {MAX_DEPTH} levels; refusing to load it"

MAX_NODES = 200_000
"""Nodes visited while expanding aliases: bounds 'billion laughs' files."""

MAX_CHARACTERS = MAX_BYTES
"""Characters of text once aliases are expanded: one long string aliased a thousand
times is few nodes but gigabytes of draft. No file needs more than it could hold
written out."""

MAX_DIGITS = 40
"""Characters of a number written in a file. Money, percentages and years need a
dozen; Python refuses to convert integers of more than 4,300 digits, and a huge
hexadecimal or sexagesimal literal costs time to build."""

_NUMBER_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}

_STR = "tag:yaml.org,2002:str"

_SAFE_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}

# libyaml (C) is ten times faster than PyYAML's pure-Python scanner and keeps
# the same marks; PyPI's PyYAML wheels ship it, but fall back if absent.
_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Path_ = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)


@dataclass
class Document:
    """Plain data from one YAML file, with where each piece came from."""

    data: Any
    file: str
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    size: int = 0
    """Characters of text once aliases are expanded: what the file costs to use."""

    def where(self, path: Path_) -> tuple[int | None, int | None]:
        """Line and column of the deepest known node on `path` (1-based)."""
        path = tuple(path)
        while True:
            if path in self.positions:
                return self.positions[path]
            if not path:
                return None, None
            path = path[:-1]

    def error(self, path: Path_, message: str) -> LinkwrightError:
        line, column = self.where(path)
        return LinkwrightError(message, self.file, line, column)


@dataclass
class _Frame:
    """An open mapping or sequence while the events are read."""

    value: dict[Any, Any] | list[Any]
    path: Path_
    anchor: str | None
    size: int = 1
    characters: int = 0
    key: Any = None
    has_key: bool = False


class _Builder:
    """Builds plain data from the parser's events in one iterative pass.

    No node graph and no recursion: depth is the stack's height, and every
    alias adds the size of what it repeats to a running count, so nesting
    and "billion laughs" expansion are refused as they are met.
    """

    def __init__(self, file: str) -> None:
        self.file = file
        self.count = 0
        self.positions: dict[Path_, tuple[int, int]] = {}
        self.scalars = yaml.constructor.SafeConstructor()
        self.resolver = yaml.resolver.Resolver()
        self.anchors: dict[str, tuple[Any, int, int]] = {}
        self.characters = 0

    def fail(self, event: yaml.Event, message: str) -> LinkwrightError:
        mark = event.start_mark
        return LinkwrightError(message, self.file, mark.line + 1, mark.column + 1)

    def _tag(self, event: yaml.Event, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
        tag = getattr(event, "tag", None)
        if tag is None or tag == "!":
            tag = self.resolver.resolve(kind, value, implicit)
        if tag == "tag:yaml.org,2002:merge":
            raise self.fail(event, "merge keys (<<) are not supported; write the keys out")
        if tag not in _SAFE_TAGS:
            raise self.fail(event, f"YAML tag '{tag}' is not allowed: Linkwright files hold "
                            "plain values only (text, numbers, dates, lists, mappings)")
        return tag

    def _scalar(self, event: yaml.ScalarEvent) -> Any:
        hidden = _HIDDEN.search(event.value)
        if hidden is not None:
            raise self.fail(event, f"the value holds the invisible character "
                            f"U+{ord(hidden.group()):04X} (a control or direction mark, "
                            "perhaps written as an escape such as \\e); remove it")
        if event.tag is None and event.implicit[1] and not event.implicit[0]:
            return event.value  # a quoted scalar is text, whatever it looks like
        tag = self._tag(event, yaml.ScalarNode, event.value, event.implicit)
        if tag in _NUMBER_TAGS and len(event.value) > MAX_DIGITS:
            raise self.fail(event, f"a number of {len(event.value):,} characters; numbers in "
                            f"Linkwright files have at most {MAX_DIGITS} (quote it if it is "
                            "meant as text)")
        if tag == _STR:
            if event.implicit[0] and _EXPONENT.fullmatch(event.value):
                return float(event.value)  # 1e6 is a number (YAML 1.2), not text
            return event.value  # most values are text: no node to build
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            return self.scalars.construct_object(node, deep=True)
        except Exception as exc:  # PyYAML's constructors raise many types on odd values
            shown = event.value if len(event.value) <= 40 else event.value[:40] + "…"
            raise self.fail(event, f"unreadable value '{shown}': not a valid "
                            f"{tag.rsplit(':', 1)[-1]} ({type(exc).__name__})") from None

    def _grow(self, event: yaml.Event, size: int) -> None:
        self.count += size
        if self.count > MAX_NODES:
            raise self.fail(event, f"the document expands to more than {MAX_NODES:,} nodes "
                            "(aliases repeated too often?); refusing to load it")

    def _lengthen(self, event: yaml.Event, characters: int) -> None:
        self.characters += characters
        if self.characters > MAX_CHARACTERS:
            raise self.fail(event, f"the document expands to more than {MAX_CHARACTERS:,} "
                            "characters of text (a long value repeated through aliases?); "
                            "refusing to load it")

    def run(self, events: Iterator[yaml.Event]) -> Any:
        stack: list[_Frame] = []
        result: Any = None
        documents = 0
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise self.fail(event, "one YAML document per file (found a second '---')")
                continue
            if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent,
                                  yaml.DocumentEndEvent)):
                continue
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                frame = stack.pop()
                if frame.anchor is not None:
                    self.anchors[frame.anchor] = (frame.value, frame.size, frame.characters)
                if stack:
                    stack[-1].size += frame.size
                    stack[-1].characters += frame.characters
                    self._attach(stack[-1], frame.value, event, placed=True)
                else:
                    result = frame.value
                continue
            parent = stack[-1] if stack else None
            if parent is not None and isinstance(parent.value, dict) and not parent.has_key:
                self._key(parent, event)
                continue
            path = self._child_path(parent)
            mark = event.start_mark
            self.positions.setdefault(path, (mark.line + 1, mark.column + 1))
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                kind = yaml.MappingNode if isinstance(event, yaml.MappingStartEvent) \
                    else yaml.SequenceNode
                self._tag(event, kind, None, event.implicit)
                if len(stack) >= MAX_DEPTH:
                    raise self.fail(event, _TOO_DEEP)
                self._grow(event, 1)
                container: dict[Any, Any] | list[Any] = \
                    {} if kind is yaml.MappingNode else []
                stack.append(_Frame(container, path, event.anchor))
                continue
            if isinstance(event, yaml.AliasEvent):
                if event.anchor not in self.anchors:
                    raise self.fail(event, f"unknown alias '*{event.anchor}'")
                value, size, characters = self.anchors[event.anchor]
                self._grow(event, size)
                self._lengthen(event, characters)
                value = copy.deepcopy(value)
            else:
                self._grow(event, 1)
                value = self._scalar(event)
                size, characters = 1, len(event.value)
                self._lengthen(event, characters)
                if event.anchor is not None:
                    self.anchors[event.anchor] = (value, 1, characters)
            if parent is None:
                result = value
            else:
                parent.size += size
                parent.characters += characters
                self._attach(parent, value, event, placed=False)
        return result

    def _child_path(self, parent: _Frame | None) -> Path_:
        if parent is None:
            return ()
        if isinstance(parent.value, dict):
            return (*parent.path, parent.key)
        return (*parent.path, len(parent.value))

    def _key(self, parent: _Frame, event: yaml.Event) -> None:
        if not isinstance(event, yaml.ScalarEvent):
            raise self.fail(event, "a mapping key must be plain text")
        key = self._scalar(event)
        if isinstance(key, (dt.date, float)) or key is None:
            key = str(event.value)
        assert isinstance(parent.value, dict)
        if key in parent.value:
            raise self.fail(event, f"duplicate key '{key}' (each key may appear once in a "
                            "mapping)")
        mark = event.start_mark
        self.positions[(*parent.path, key)] = (mark.line + 1, mark.column + 1)
        parent.key = key
        parent.has_key = True
        self._grow(event, 1)
        self._lengthen(event, len(event.value))
        parent.characters += len(event.value)

    @staticmethod
    def _attach(parent: _Frame, value: Any, event: yaml.Event, placed: bool) -> None:
        if isinstance(parent.value, dict):
            parent.value[parent.key] = value
            parent.has_key = False
        else:
            parent.value.append(value)


def parse_text(text: str, file: str = "<text>") -> Document:
    """Parse YAML text into a `Document`, or raise one clear `LinkwrightError`."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise LinkwrightError(
            f"file is larger than {MAX_BYTES // 1_000_000} MB; refusing to load it", file
        )
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        line, column = _line_column(text, exc.start)
        raise LinkwrightError("the text holds an invalid character (a lone surrogate); save "
                              "it as UTF-8 text", file, line, column) from None
    too_deep = first_too_deep(text, MAX_DEPTH)
    if too_deep is not None:
        raise LinkwrightError(_TOO_DEEP, file, *too_deep)
    builder = _Builder(file)
    try:
        data = builder.run(yaml.parse(text, Loader=_Loader))
    except yaml.reader.ReaderError as exc:
        line, column = _line_column(text, exc.position)
        raise LinkwrightError(f"character {exc.character!r} is not allowed in a YAML file "
                              "(a control character?); remove it", file, line, column) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "malformed YAML"
        if mark is None:
            raise LinkwrightError(f"malformed YAML: {problem}", file) from None
        raise LinkwrightError(
            f"malformed YAML: {problem}", file, mark.line + 1, mark.column + 1
        ) from None
    except yaml.YAMLError as exc:
        raise LinkwrightError(f"malformed YAML: {exc}", file) from None
    builder.positions.setdefault((), (1, 1))
    return Document(data, file, builder.positions, max(builder.characters, len(text)))


def _line_column(text: str, position: int) -> tuple[int, int]:
    before = text[:position]
    return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1


def read_file(path: Path) -> Document:
    """Read and parse one YAML file; a missing or unreadable file is a user error."""
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would never end
            raise LinkwrightError("is not a regular file", path)
        with path.open("rb") as stream:
            raw = stream.read(MAX_BYTES + 1)  # the size on disk can change after stat
        if len(raw) > MAX_BYTES:
            raise LinkwrightError(
                f"file is larger than {MAX_BYTES // 1_000_000} MB; refusing to load it", path
            )
    except FileNotFoundError:
        raise LinkwrightError("no such file", path) from None
    except IsADirectoryError:
        raise LinkwrightError("is a folder, not a file", path) from None
    except OSError as exc:
        raise LinkwrightError(f"cannot read the file: {exc.strerror}", path) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LinkwrightError(
            f"not UTF-8 text (byte {exc.start}); save the file as UTF-8", path
        ) from None
    return parse_text(text, str(path))


def validate(model: type[M], doc: Document, data: Any = None, path: Path_ = ()) -> M:
    """Validate `data` (default: the whole document) against `model`.

    A pydantic error becomes one `LinkwrightError` at the YAML node the
    first error refers to.
    """
    value = doc.data if data is None else data
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        raise validation_error(exc, doc, path) from None


def validation_error(exc: ValidationError, doc: Document, path: Path_ = ()) -> LinkwrightError:
    """The first error of `exc`, located in `doc`, in words a user can act on.

    A misspelt key shows to pydantic as two errors, the right key missing and the wrong
    one unknown; the unknown one is what the user typed, so it is the one reported,
    with the missing keys beside it as the likely meant spelling."""
    errors = exc.errors(include_url=False)
    first = _unknown_key_first(errors)
    loc = tuple(part for part in first["loc"] if not _is_union_tag(part))
    full = (*path, *loc)
    dotted = ".".join(str(p) for p in full) or "the document"
    message = first["msg"]
    if first["type"] == "extra_forbidden" and loc:
        key = str(loc[-1])
        meant = did_you_mean(key, _missing_beside(errors, first["loc"][:-1]))
        where = ".".join(str(p) for p in full[:-1])
        message = f"unknown key '{key}'" + (meant or " (check its spelling and where it "
                                                     "is indented)")
        return doc.error(full, f"{where}: {message}" if where else message)
    if first["type"] == "extra_forbidden":
        message = "unknown key (check its spelling and where it is indented)"
    elif first["type"] == "missing":
        message = "required key is missing"
    elif first["type"] == "value_error":
        message = message.removeprefix("Value error, ")  # our validators' own words
    elif first["type"] == "literal_error" and isinstance(first.get("input"), str):
        expected = re.findall(r"'([^']*)'", str(first.get("ctx", {}).get("expected", "")))
        message = (f"'{first['input']}' is not one of {', '.join(expected)}"
                   + did_you_mean(first["input"], expected))
    return doc.error(full, f"{dotted}: {message}")


def _unknown_key_first(errors: list[Any]) -> Any:
    """The first error, unless it is a missing key beside an unknown one: then that."""
    first = errors[0]
    if first["type"] != "missing":
        return first
    parent = first["loc"][:-1]
    return next((e for e in errors
                 if e["type"] == "extra_forbidden" and e["loc"][:-1] == parent), first)


def _missing_beside(errors: list[Any], parent: tuple[Any, ...]) -> list[str]:
    """The keys reported missing in the same mapping: the model's fields a misspelt key
    most likely meant."""
    return [str(e["loc"][-1]) for e in errors
            if e["type"] == "missing" and e["loc"][:-1] == parent and e["loc"]]


def _is_union_tag(part: str | int) -> bool:
    # pydantic puts the name of the union member it tried into `loc`
    # (e.g. 'ClauseDecision', 'literal['open']'); they are not YAML keys.
    return isinstance(part, str) and (
        part[:1].isupper() or part.startswith(("literal[", "function-", "list[", "dict["))
    )


def iter_yaml_files(folder: Path) -> Iterator[Path]:
    """YAML files of a folder, in a stable order."""
    yield from sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
