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

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from negotiation.errors import LinkwrightError

MAX_BYTES = 2_000_000
"""A session or a topic file is a few kilobytes; two megabytes is generous."""

MAX_DEPTH = 60
"""Legitimate files nest fewer than ten levels."""

MAX_NODES = 200_000
"""Nodes visited while expanding aliases: bounds 'billion laughs' files."""

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

Path_ = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)


@dataclass
class Document:
    """Plain data from one YAML file, with where each piece came from."""

    data: Any
    file: str
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)

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


class _Builder:
    """Turns a composed node graph into plain data, counting every visit."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.visits = 0
        self.positions: dict[Path_, tuple[int, int]] = {}
        self.scalars = yaml.constructor.SafeConstructor()

    def fail(self, node: yaml.Node, message: str) -> LinkwrightError:
        mark = node.start_mark
        return LinkwrightError(message, self.file, mark.line + 1, mark.column + 1)

    def build(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        self.visits += 1
        if self.visits > MAX_NODES:
            raise self.fail(
                node,
                f"the document expands to more than {MAX_NODES:,} nodes "
                "(aliases repeated too often?); refusing to load it",
            )
        if depth > MAX_DEPTH:
            raise self.fail(node, f"nesting deeper than {MAX_DEPTH} levels; refusing to load it")
        self.positions.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if node.tag not in _SAFE_TAGS:
            raise self.fail(
                node,
                f"YAML tag '{node.tag}' is not allowed: Linkwright files hold plain "
                "values only (text, numbers, dates, lists, mappings)",
            )
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _SAFE_TAGS:
                raise self.fail(key_node, "a mapping key must be plain text")
            key = self._scalar(key_node)
            if isinstance(key, (dt.date, float)) or key is None:
                key = str(key_node.value)
            if key in result:
                raise self.fail(
                    key_node, f"duplicate key '{key}' (each key may appear once in a mapping)"
                )
            self.positions[(*path, key)] = (key_node.start_mark.line + 1,
                                            key_node.start_mark.column + 1)
            result[key] = self.build(value_node, (*path, key), depth + 1)
        return result

    def _scalar(self, node: yaml.Node) -> Any:
        try:
            return self.scalars.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            raise self.fail(node, f"unreadable value '{node.value}': {exc}") from None


def _check_events(text: str, file: str) -> None:
    """Bound nesting depth before composing (the composer recurses)."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                raise LinkwrightError(
                    f"nesting deeper than {MAX_DEPTH} levels; refusing to load it",
                    file, mark.line + 1, mark.column + 1,
                )
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def parse_text(text: str, file: str = "<text>") -> Document:
    """Parse YAML text into a `Document`, or raise one clear `LinkwrightError`."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise LinkwrightError(
            f"file is larger than {MAX_BYTES // 1_000_000} MB; refusing to load it", file
        )
    try:
        _check_events(text, file)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
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
    except RecursionError:
        raise LinkwrightError("nesting too deep; refusing to load it", file) from None
    if node is None:
        return Document(None, file, {(): (1, 1)})
    builder = _Builder(file)
    data = builder.build(node, (), 0)
    return Document(data, file, builder.positions)


def read_file(path: Path) -> Document:
    """Read and parse one YAML file; a missing or unreadable file is a user error."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise LinkwrightError(
                f"file is larger than {MAX_BYTES // 1_000_000} MB; refusing to load it", path
            )
        raw = path.read_bytes()
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
    """The first error of `exc`, located in `doc`, in words a user can act on."""
    first = exc.errors(include_url=False)[0]
    loc = tuple(part for part in first["loc"] if not _is_union_tag(part))
    full = (*path, *loc)
    dotted = ".".join(str(p) for p in full) or "the document"
    message = first["msg"]
    if first["type"] == "extra_forbidden":
        message = "unknown key (check its spelling and where it is indented)"
    elif first["type"] == "missing":
        message = "required key is missing"
    return doc.error(full, f"{dotted}: {message}")


def _is_union_tag(part: str | int) -> bool:
    # pydantic puts the name of the union member it tried into `loc`
    # (e.g. 'ClauseDecision', 'literal['open']'); they are not YAML keys.
    return isinstance(part, str) and (
        part[:1].isupper() or part.startswith(("literal[", "function-", "list[", "dict["))
    )


def iter_yaml_files(folder: Path) -> Iterator[Path]:
    """YAML files of a folder, in a stable order."""
    yield from sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
