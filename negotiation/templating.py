"""The small template language of clause text, and its two walls.

Clause text comes from libraries that other delegations write, so it is
untrusted. The first wall is an allow-list over the Jinja2 AST, checked
when a library loads: `{{ param }}`, `{{ ref('…') }}`, `{{ party('…') }}`,
`{{ system('…') }}`, the filters number, percent, money, date and join, and
`{% if %}` on parameters. Everything else (attribute access, subscripts,
loops, macros, blocks, calls to other names) is refused with the clause id.
The second wall is rendering in a `SandboxedEnvironment` with
`StrictUndefined`. Values inserted into the text are escaped as Markdown so
that a value (a party name, a parameter) can never become markup.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import pass_context
from markupsafe import Markup

FUNCTIONS = ("ref", "party", "system")
"""Callable names; each takes one literal string."""

WORDS = ("Party", "Parties", "parties", "instrument")
"""Names every clause may use: the word for a party in this form (Party or
Participant), the list of party names, and the instrument's own name
("Agreement", "Memorandum", "Regulation") for "this {{ instrument }}"."""

FILTERS = ("number", "percent", "money", "date", "join")

_COMPARE_OPS = {"eq", "ne", "gt", "gteq", "lt", "lteq", "in", "notin"}

ALLOWED_SUMMARY = (
    "allowed: {{ param }}, {{ ref('topic.provision') }}, {{ party('id') }}, "
    "{{ system('id') }}, filters number/percent/money/date/join, {% if param %}"
)


class TemplateRefused(ValueError):
    """Clause text uses a construct outside the allow-list (message says which)."""


@dataclass(frozen=True)
class TemplateFacts:
    """What a checked template uses: parameters read and references made."""

    names: frozenset[str]
    refs: frozenset[str]
    parties: frozenset[str]


_NODE_WORDS = {
    "For": "a loop ({% for %})",
    "Macro": "a macro",
    "CallBlock": "a call block",
    "Getattr": "attribute access (x.y)",
    "Getitem": "subscript access (x[y])",
    "Assign": "assignment ({% set %})",
    "AssignBlock": "assignment ({% set %})",
    "Include": "{% include %}",
    "Import": "{% import %}",
    "FromImport": "{% from … import %}",
    "Extends": "{% extends %}",
    "Block": "{% block %}",
    "FilterBlock": "a filter block",
    "With": "{% with %}",
    "Scope": "a scope block",
    "ExprStmt": "an expression statement",
    "Test": "a test (is …)",
    "Slice": "slicing",
    "Dict": "a dict literal",
}


MAX_SOURCE = 20_000
"""A clause text longer than this is not a clause."""

MAX_NESTING = 12
"""Deeper nesting of {% if %} or of expressions is refused (Jinja's compiler and the
walk both recurse)."""

MAX_BLOCKS = 100
"""More {% %} tags than this is not a clause (and Jinja's compiler would choke)."""

_FILTER_ARGS = {"number": (int, 0, 6), "percent": None, "money": (str, 0, 8),
                "date": None, "join": (str, 0, 20)}
"""What a filter's one constant argument may be: type and bounds (length for text)."""

_HTML = re.compile(r"<[A-Za-z/!?]")


def _filter_arguments(node: nodes.Filter) -> None:
    allowed = _FILTER_ARGS.get(node.name)
    if not node.args:
        return
    if allowed is None or len(node.args) > 1:
        raise TemplateRefused(f"filter '{node.name}' takes no such argument")
    kind, low, high = allowed
    value = node.args[0].value  # type: ignore[attr-defined]
    if not isinstance(value, kind) or isinstance(value, bool):
        wanted = "a whole number" if kind is int else "a quoted text"
        raise TemplateRefused(f"filter '{node.name}' takes {wanted} as its argument")
    size = value if isinstance(value, int) else len(value)
    if not low <= size <= high:
        raise TemplateRefused(f"filter '{node.name}' argument out of range ({low} to {high})")


def _walk(node: nodes.Node, params: set[str], facts: dict[str, set[str]],
          depth: int = 0) -> None:
    if depth > MAX_NESTING:
        raise TemplateRefused(f"nested more than {MAX_NESTING} levels deep")
    kind = type(node).__name__
    if isinstance(node, (nodes.Template, nodes.Output)):
        for child in node.iter_child_nodes():
            _walk(child, params, facts, depth)  # containers add no nesting
    elif isinstance(node, nodes.TemplateData):
        return
    elif isinstance(node, nodes.Const):
        if not isinstance(node.value, (str, int, float, bool, type(None))):
            raise TemplateRefused("only plain constants are allowed")
    elif isinstance(node, (nodes.List, nodes.Tuple)):
        for item in node.items:
            if not isinstance(item, nodes.Const):
                raise TemplateRefused("lists may hold constants only")
    elif isinstance(node, nodes.Name):
        if node.ctx != "load":
            raise TemplateRefused("assigning names is not allowed")
        if node.name in FUNCTIONS:
            raise TemplateRefused(f"'{node.name}' must be called with one quoted id")
        if node.name not in params and node.name not in WORDS:
            raise TemplateRefused(f"unknown name '{node.name}' (not a parameter of this clause)")
        facts["names"].add(node.name)
    elif isinstance(node, nodes.Filter):
        if node.node is None or node.name not in FILTERS:
            raise TemplateRefused(f"filter '{node.name}' is not allowed")
        if node.kwargs or node.dyn_args or node.dyn_kwargs:
            raise TemplateRefused("filters take only plain constant arguments")
        for arg in node.args:
            if not isinstance(arg, nodes.Const):
                raise TemplateRefused("filters take only plain constant arguments")
        _filter_arguments(node)
        _walk(node.node, params, facts, depth + 1)
    elif isinstance(node, nodes.Call):
        if not isinstance(node.node, nodes.Name) or node.node.name not in FUNCTIONS:
            raise TemplateRefused("calls are allowed only to ref(), party() and system()")
        if (len(node.args) != 1 or node.kwargs or node.dyn_args or node.dyn_kwargs
                or not isinstance(node.args[0], nodes.Const)
                or not isinstance(node.args[0].value, str)):
            raise TemplateRefused(f"{node.node.name}() takes exactly one quoted id")
        target = node.args[0].value
        facts["refs" if node.node.name == "ref" else "parties"].add(target)
    elif isinstance(node, nodes.If):
        _walk(node.test, params, facts, depth + 1)
        for child in [*node.body, *node.elif_, *node.else_]:
            _walk(child, params, facts, depth + 1)
    elif isinstance(node, nodes.CondExpr):
        for child in (node.test, node.expr1, node.expr2):
            if child is not None:
                _walk(child, params, facts, depth + 1)
    elif isinstance(node, nodes.Compare):
        _walk(node.expr, params, facts, depth + 1)
        for operand in node.ops:
            if operand.op not in _COMPARE_OPS:
                raise TemplateRefused(f"comparison '{operand.op}' is not allowed")
            _walk(operand.expr, params, facts, depth + 1)
    elif isinstance(node, (nodes.And, nodes.Or)):
        _walk(node.left, params, facts, depth + 1)
        _walk(node.right, params, facts, depth + 1)
    elif isinstance(node, (nodes.Not, nodes.Neg)):
        _walk(node.node, params, facts, depth + 1)
    else:
        words = _NODE_WORDS.get(kind, f"'{kind}'")
        raise TemplateRefused(f"{words} is not allowed in clause text")


_SIMPLE_EXPR = re.compile(
    r"""\s*(?:
        (?P<name>[A-Za-z_][A-Za-z0-9_]*)
          (?:\s*\|\s*(?P<filter>number|percent|money|date|join))?
      | (?P<func>ref|party|system)\(\s*'(?P<target>[A-Za-z0-9_.\-]+)'\s*\)
    )\s*$""", re.VERBOSE)
"""`{{ name }}`, `{{ name | filter }}` without arguments, `{{ ref('id') }}`: anything
more (a filter argument included) goes through the full walk."""
_EXPRESSION = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)


def _simple_facts(source: str, params: set[str]) -> TemplateFacts | None:
    """Facts of a text that uses only `{{ name }}`, `{{ name | filter }}` and
    `{{ ref('id') }}`-style calls, found without parsing; None if it uses
    anything else (then the full AST walk decides). A strict subset of what
    the walk allows: it only saves time on large libraries."""
    if "{%" in source or "{#" in source or "%}" in source or "#}" in source:
        return None
    names: set[str] = set()
    refs: set[str] = set()
    parties: set[str] = set()
    rest = _EXPRESSION.sub("", source)
    if "{{" in rest or "}}" in rest:
        return None
    for inner in _EXPRESSION.findall(source):
        match = _SIMPLE_EXPR.fullmatch(inner)
        if match is None:
            return None
        if match.group("name"):
            name = match.group("name")
            if name in FUNCTIONS or (name not in params and name not in WORDS):
                return None
            names.add(name)
        else:
            (refs if match.group("func") == "ref" else parties).add(match.group("target"))
    return TemplateFacts(frozenset(names), frozenset(refs), frozenset(parties))


_LINKISH = re.compile(r"\]\s*[(:\[]|!\[")
"""A cheap first look: Markdown links and images need one of these."""


def _has_link_or_image(source: str) -> bool:
    """Whether the Markdown of `source` makes a link or an image (parsed, so that
    brackets used as text are not mistaken for one)."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark")
    # markdown-it drops file: and javascript: links as unsafe; other readers may not.
    parser.validateLink = lambda url: True  # type: ignore[method-assign]
    pending = list(parser.parse(source))
    while pending:
        token = pending.pop()
        if token.type in ("link_open", "image"):
            return True
        pending.extend(token.children or [])
    return False


def check(source: str, params: Iterable[str]) -> TemplateFacts:
    """Parse and allow-list `source`; raise `TemplateRefused` with the reason."""
    params = set(params)
    if len(source) > MAX_SOURCE:
        raise TemplateRefused(f"clause text longer than {MAX_SOURCE:,} characters")
    if _HTML.search(source):
        raise TemplateRefused("raw HTML is not allowed in clause text; write it in Markdown")
    if _LINKISH.search(source) and _has_link_or_image(source):
        raise TemplateRefused("links and images are not allowed in clause text: a clause "
                              "may not point at a file or a web address")
    simple = _simple_facts(source, params)
    if simple is not None:
        return simple
    if source.count("{%") > MAX_BLOCKS:
        raise TemplateRefused("too many {% %} blocks for a clause")
    try:
        tree = _environment().parse(source)
    except TemplateSyntaxError as exc:
        raise TemplateRefused(f"template syntax error on line {exc.lineno}: {exc.message}") \
            from None
    except (RecursionError, MemoryError):
        raise TemplateRefused(f"nested more than {MAX_NESTING} levels deep") from None
    facts: dict[str, set[str]] = {"names": set(), "refs": set(), "parties": set()}
    _walk(tree, params, facts)
    return TemplateFacts(frozenset(facts["names"]), frozenset(facts["refs"]),
                         frozenset(facts["parties"]))


# -- escaping -------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&!${}])")


def escape_markdown(text: str) -> str:
    """Backslash-escape the characters that could turn a value into markup. Line
    breaks become spaces: a value is inline text and must not open a list, a
    heading or a new paragraph of the instrument."""
    text = re.sub(r"[ \t]*[\r\n\u2028\u2029\x0b\x0c\x85][\s]*", " ", text)
    escaped = _MD_SPECIAL.sub(r"\\\1", text)
    # A value starting a line with "1." or "-" could open a list.
    return re.sub(r"^(\s*)([-+]|\d+\.)(\s)", r"\1\\\2\3", escaped, flags=re.MULTILINE)


# -- values and filters ---------------------------------------------------


@dataclass(frozen=True)
class Disputed:
    """A parameter whose value the parties still dispute: rendered `[8][4]`."""

    values: tuple[Any, ...]

    def __bool__(self) -> bool:
        return any(bool(v) for v in self.values)

    # A condition on a disputed value holds if it holds for any value the parties
    # propose: the bracketed text then shows the words that condition adds.
    def _any(self, other: Any, test: Callable[[Any, Any], bool]) -> bool:
        results = []
        for value in self.values:
            try:
                results.append(test(value, other))
            except TypeError:
                results.append(False)
        return any(results)

    def __lt__(self, other: Any) -> bool:
        return self._any(other, lambda a, b: a < b)

    def __le__(self, other: Any) -> bool:
        return self._any(other, lambda a, b: a <= b)

    def __gt__(self, other: Any) -> bool:
        return self._any(other, lambda a, b: a > b)

    def __ge__(self, other: Any) -> bool:
        return self._any(other, lambda a, b: a >= b)

    def __str__(self) -> str:
        return "".join(f"[{v}]" for v in self.values)


def _each(value: Any, format_one: Callable[[Any], str]) -> str:
    if isinstance(value, Disputed):
        return "".join(f"[{format_one(v)}]" for v in value.values)
    return format_one(value)


def _format_number(value: Any, decimals: int | None = None) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return escape_markdown(str(value))
    if decimals is not None:
        decimals = max(0, min(int(decimals), 6))
        return f"{value:,.{decimals}f}"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{int(value):,}"


def filter_number(value: Any, decimals: int | None = None) -> Markup:
    return Markup(_each(value, lambda v: _format_number(v, decimals)))


def filter_percent(value: Any) -> Markup:
    return Markup(_each(value, _format_number) + " per cent")


@pass_context
def filter_money(context: Any, value: Any, currency: str | None = None) -> Markup:
    code = currency or context.get("currency") or ""
    amount = _each(value, lambda v: _format_number(v, 2 if isinstance(v, float)
                                                   and not float(v).is_integer() else None))
    return Markup(f"{escape_markdown(str(code))} {amount}".strip())


def _format_date(value: Any) -> str:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return escape_markdown(value)
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
    return escape_markdown(str(value))


def filter_date(value: Any) -> Markup:
    return Markup(_each(value, _format_date))


def join_words(items: list[str], conjunction: str = "and") -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def filter_join(value: Any, conjunction: str = "and") -> Markup:
    def one(items: Any) -> str:
        if isinstance(items, (list, tuple)):
            return join_words([v if isinstance(v, Markup) else escape_markdown(str(v))
                               for v in items], escape_markdown(conjunction))
        return escape_markdown(str(items))
    return Markup(_each(value, one))


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    if isinstance(value, Disputed):
        return Markup("".join(f"[{escape_markdown(plain_value(v))}]" for v in value.values))
    return Markup(escape_markdown(plain_value(value)))


def plain_value(value: Any) -> str:
    """A value as a reader sees it, unescaped: for writers that escape themselves."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return _format_number(value)
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
    if isinstance(value, (list, tuple)):
        return join_words([str(v) for v in value])
    return str(value)


@lru_cache(maxsize=1)
def _environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        undefined=StrictUndefined, autoescape=False, finalize=_finalize,
        keep_trailing_newline=False,
    )
    env.filters = {
        "number": filter_number, "percent": filter_percent, "money": filter_money,
        "date": filter_date, "join": filter_join,
    }
    env.globals = {}
    return env


@lru_cache(maxsize=4096)
def _compiled(source: str) -> Any:
    return _environment().from_string(source)


class RenderFailed(ValueError):
    """Clause text that passed the allow-list still failed on these values (a
    comparison of text with a number, say); the caller names the clause."""


def render(source: str, values: dict[str, Any]) -> str:
    """Render checked clause text with `values` (params, words and functions).

    Functions (`ref`, `party`, `system`) are passed in `values` and must
    return `Markup` for trusted output or plain strings to be escaped.
    """
    try:
        return _compiled(source).render(**values)
    except (RecursionError, MemoryError):
        raise RenderFailed("the text is nested too deeply") from None
    except Exception as exc:  # a library's text meets values it did not expect
        raise RenderFailed(f"{type(exc).__name__}: {exc}") from None
