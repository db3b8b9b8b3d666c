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

Clause text is Markdown, but never live Markdown: no link, image, autolink,
raw HTML or link reference definition. The load-time check reads the text a
template prints (comments, tags and expressions taken out), so that markup
split by template syntax (`[a]{# #}(http://x)`) is refused with the clause
when the library loads; `render` checks what each fragment actually renders
to, because which `{% if %}` branch prints, and which value stands next to a
bracket, is known only then.

A value nobody has confirmed (`Unconfirmed`: a library default, or no value at
all) renders in square brackets (`[6] months`, `[…] per cent`), the brackets
escaped so that they can never join the text around them into a link.
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

FUNCTIONS = ("ref", "party", "system", "term")
"""Callable names; each takes one literal string (an id, or for `term` a defined term),
and may take a second: the grammatical form a language needs ("de", "a" in French for
"de l'article 12", "à la Partie"; "gen", "dat", "acc" in German)."""

WORDS = ("Party", "Parties", "parties", "instrument", "body", "several", "this_instrument")
"""Names every clause may use: the word for a party in this form (Party or
Participant), the list of party names, the instrument's own name
("Agreement", "Memorandum", "Regulation") for "this {{ instrument }}", the
joint body as the chosen institutions clause names it ("the Joint Committee"),
`several` (more than two parties: a language version cannot rely on the English
rewrites that adjust "the other Party") and `this_instrument` with its article,
whose gender a translation cannot know ("le présent Accord", "la présente Entente")."""

FORMED_WORDS = ("body", "this_instrument")
"""Words that come in grammatical forms, named `<word>_<form>`: `body_de` ("du Comité
mixte"), `this_instrument_dat` ("diesem Abkommen")."""

FORMS = ("de", "a", "gen", "dat", "acc", "other", "one_gen", "other_dat")
"""The forms a word, a name, a reference or a term may be asked for: French "de"/"a"
(the article contracted: du, au, de la, à la…), German cases, and a term's plural."""

FILTERS = ("number", "percent", "money", "date", "join", "capital")


def is_word(name: str) -> bool:
    """Whether `name` is one of the words a clause may use (`WORDS`, or a form of one)."""
    if name in WORDS:
        return True
    word, _, form = name.rpartition("_")
    return word in FORMED_WORDS and form in FORMS

_COMPARE_OPS = {"eq", "ne", "gt", "gteq", "lt", "lteq", "in", "notin"}

ALLOWED_SUMMARY = (
    "allowed: {{ param }}, {{ ref('topic.provision') }}, {{ party('id') }}, "
    "{{ system('id') }}, {{ term('defined term') }}, filters "
    "number/percent/money/date/join/capital, {% if param %}"
)


class TemplateRefused(ValueError):
    """Clause text uses a construct outside the allow-list (message says which)."""


@dataclass(frozen=True)
class TemplateFacts:
    """What a checked template uses: parameters read and references made."""

    names: frozenset[str]
    refs: frozenset[str]
    parties: frozenset[str]
    terms: frozenset[str] = frozenset()


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

MAX_DIGITS = 30
"""A number written in clause text has at most this many digits: no clause needs
more, and Python refuses to convert an integer of more than 4,300 digits."""

_FILTER_ARGS = {"number": (int, 0, 6), "percent": None, "money": (str, 0, 8),
                "date": None, "join": (str, 0, 20), "capital": None}
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


LONG_NUMBER = f"a number in clause text may have at most {MAX_DIGITS} digits"


def _refuse_long_number(value: object) -> None:
    """A constant too large to be a number a clause means (a 0x… literal can be
    huge in few characters; comparing magnitudes never converts it to text)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**MAX_DIGITS:
        raise TemplateRefused(LONG_NUMBER)


_DIGIT_RUN = re.compile(rf"[0-9A-Fa-f_.]{{{MAX_DIGITS + 1},}}")
"""A cheap first look: a literal of more than MAX_DIGITS digits holds such a run."""
_NUMBER_PREFIX = re.compile(r"^0[xXoObB]")


def _has_long_number(source: str) -> bool:
    """Whether an expression in `source` writes a number of more than MAX_DIGITS
    digits. Read from Jinja's raw tokens, before Jinja converts the literal:
    converting a 5,000-digit integer raises ValueError inside the parser, and a
    long float silently becomes another number."""
    if not _DIGIT_RUN.search(source):
        return False
    try:
        for _line, kind, literal in _environment().lex(source):
            if kind == "integer":
                digits = len(_NUMBER_PREFIX.sub("", literal).replace("_", ""))
            elif kind == "float":
                digits = sum(ch.isdigit() for ch in literal)
            else:
                continue
            if digits > MAX_DIGITS:
                return True
    except TemplateSyntaxError:
        return False  # the parser reports the syntax error with its line
    return False


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
        _refuse_long_number(node.value)
    elif isinstance(node, (nodes.List, nodes.Tuple)):
        for item in node.items:
            if not isinstance(item, nodes.Const):
                raise TemplateRefused("lists may hold constants only")
    elif isinstance(node, nodes.Name):
        if node.ctx != "load":
            raise TemplateRefused("assigning names is not allowed")
        if node.name in FUNCTIONS:
            raise TemplateRefused(f"'{node.name}' must be called with a quoted id")
        if node.name not in params and not is_word(node.name):
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
            raise TemplateRefused("calls are allowed only to ref(), party(), system() and "
                                  "term()")
        name = node.node.name
        if (len(node.args) not in (1, 2) or node.kwargs or node.dyn_args or node.dyn_kwargs
                or not all(isinstance(a, nodes.Const) and isinstance(a.value, str)
                           for a in node.args)):
            raise TemplateRefused(f"{name}() takes one quoted id, and may take a form "
                                  f"({', '.join(FORMS)})")
        if len(node.args) == 2 and node.args[1].value not in FORMS:  # type: ignore[attr-defined]
            raise TemplateRefused(f"{name}(): unknown form "
                                  f"'{node.args[1].value}'; the forms are "  # type: ignore[attr-defined]
                                  + ", ".join(FORMS))
        target = node.args[0].value  # type: ignore[attr-defined]
        facts[{"ref": "refs", "term": "terms"}.get(name, "parties")].add(target)
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
            if name in FUNCTIONS or (name not in params and not is_word(name)):
                return None
            names.add(name)
        else:
            (refs if match.group("func") == "ref" else parties).add(match.group("target"))
    return TemplateFacts(frozenset(names), frozenset(refs), frozenset(parties))


LINKS = ("links and images are not allowed in clause text: a clause may not point at a file "
         "or a web address")
RAW_HTML = "raw HTML is not allowed in clause text; write it in Markdown"


@dataclass(frozen=True)
class LiveMarkup:
    """Markup a Markdown reader would act on: what it is, and on which line."""

    what: str
    line: int


_LIVE_TOKENS = {"link_open": "a Markdown link", "image": "a Markdown image",
                "html_inline": "raw HTML", "html_block": "raw HTML"}


@lru_cache(maxsize=2)
def _markdown_parser(code: bool) -> Any:
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark")  # raw HTML on, as CommonMark readers have it
    # markdown-it drops file: and javascript: links as unsafe; other readers may not.
    parser.validateLink = lambda url: True
    if not code:
        parser.disable(["code", "fence", "backticks"])
    return parser


_MAYBE_LIVE = re.compile(r"<\S|\]\(|\]:")
"""A cheap first look that finds every candidate: raw HTML and autolinks open with
"<" and a non-space; an inline link or image closes its text with "](" (no space
allowed); every reference link needs a definition, and a definition is "[label]:"."""


def _token_markup(token: Any) -> str | None:
    if token.type == "link_open" and token.markup == "autolink":
        return "an autolink"
    return _LIVE_TOKENS.get(token.type)


def live_markup(markdown: str, code: bool = True) -> LiveMarkup | None:
    """The first link, image, autolink, raw HTML or link reference definition a
    CommonMark reader finds in `markdown`, or None.

    With `code=False` code spans and code blocks are read as plain text: a clause
    fragment is checked that way, because its place in the instrument (after a
    paragraph number, inside `[Option 1: …]`) can end a code block it opened and
    bring what the block held to life.
    """
    if not _MAYBE_LIVE.search(markdown):
        return None
    env: dict[str, Any] = {}
    for block in _markdown_parser(code).parse(markdown, env):
        line = block.map[0] + 1 if block.map else 1
        what = _token_markup(block)
        if what:
            return LiveMarkup(what, line)
        for child in block.children or []:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            what = _token_markup(child)
            if what:
                return LiveMarkup(what, line)
    for reference in env.get("references", {}).values():
        return LiveMarkup("a link reference definition", reference["map"][0] + 1)
    return None


def _printed_text(tree: nodes.Template) -> str:
    """The text a checked template prints whatever its values: its template data in
    order, every branch of every `{% if %}`, with comments, tags and expressions
    taken out (an expression may print nothing, and values are escaped)."""
    return "".join(node.data for node in tree.find_all(nodes.TemplateData))


def _refuse_markup(text: str) -> None:
    """Refuse clause text that holds, or prints, markup a reader would act on."""
    if _HTML.search(text):  # even where CommonMark would not see a tag: other readers may
        raise TemplateRefused(RAW_HTML)
    found = live_markup(text, code=False)
    if found is not None:
        raise TemplateRefused(RAW_HTML if found.what in ("raw HTML", "an autolink") else LINKS)


def check(source: str, params: Iterable[str]) -> TemplateFacts:
    """Parse and allow-list `source`; raise `TemplateRefused` with the reason."""
    params = set(params)
    if len(source) > MAX_SOURCE:
        raise TemplateRefused(f"clause text longer than {MAX_SOURCE:,} characters")
    _refuse_markup(source)
    simple = _simple_facts(source, params)
    if simple is not None:
        _refuse_markup(_EXPRESSION.sub("", source))
        return simple
    if source.count("{%") > MAX_BLOCKS:
        raise TemplateRefused("too many {% %} blocks for a clause")
    if _has_long_number(source):
        raise TemplateRefused(LONG_NUMBER)
    try:
        tree = _environment().parse(source)
    except TemplateSyntaxError as exc:
        raise TemplateRefused(f"template syntax error on line {exc.lineno}: {exc.message}") \
            from None
    except ValueError:  # Jinja converting a literal Python will not convert
        raise TemplateRefused(LONG_NUMBER) from None
    except (RecursionError, MemoryError):
        raise TemplateRefused(f"nested more than {MAX_NESTING} levels deep") from None
    facts: dict[str, set[str]] = {"names": set(), "refs": set(), "parties": set(),
                                  "terms": set()}
    _walk(tree, params, facts)
    _refuse_markup(_printed_text(tree))
    return TemplateFacts(frozenset(facts["names"]), frozenset(facts["refs"]),
                         frozenset(facts["parties"]), frozenset(facts["terms"]))


# -- escaping -------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&!${}])")


@lru_cache(maxsize=4096)  # the same values on every check of a session
def escape_markdown(text: str) -> str:
    """Backslash-escape the characters that could turn a value into markup. Line
    breaks become spaces: a value is inline text and must not open a list, a
    heading or a new paragraph of the instrument."""
    text = re.sub(r"[ \t]*[\r\n\u2028\u2029\x0b\x0c\x85][\s]*", " ", text)
    escaped = _MD_SPECIAL.sub(r"\\\1", text)
    # A value starting a line with "-", "+", "1." or "1)" could open a list. The
    # backslash goes before the punctuation: "\1." would show its backslash.
    return re.sub(r"^(\s*)(\d*)([-+.)])(\s)", _escape_list_marker, escaped,
                  flags=re.MULTILINE)


def _escape_list_marker(match: re.Match[str]) -> str:
    indent, digits, mark, space = match.groups()
    if bool(digits) != (mark in ".)"):
        return match.group(0)  # "-" after digits, or "." alone: no list marker
    return f"{indent}{digits}\\{mark}{space}"


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


NO_VALUE = "…"
"""What the negotiating text shows, bracketed, where a parameter has no value at all:
never `0` or `None`, which a reader would take for an agreed figure."""


@dataclass(frozen=True, eq=False)
class Unconfirmed:
    """A value no negotiator has confirmed: the library's default, or no value at all
    (`value` None). The negotiating text shows it bracketed (`[6] months`, `[…] per
    cent`), the way a value still to be agreed is shown in a UNFCCC text, so that a
    default can never pass for agreed text.

    Filters format the inner value and add the brackets; `{% if %}` and comparisons
    see the inner value, so the paragraph reads as the default would have it."""

    value: Any

    def __bool__(self) -> bool:
        return bool(self.value)

    def _holds(self, other: Any, test: Callable[[Any, Any], bool]) -> bool:
        if self.value is None:
            return False  # no value meets no condition: the text takes the plain branch
        # A default fails where the same value confirmed would (`RenderFailed` names it).
        return bool(test(self.value, _inner(other)))

    def __eq__(self, other: object) -> bool:
        return self._holds(other, lambda a, b: a == b)

    def __hash__(self) -> int:
        value = self.value
        return hash(tuple(value) if isinstance(value, list) else value)

    def __lt__(self, other: Any) -> bool:
        return self._holds(other, lambda a, b: a < b)

    def __le__(self, other: Any) -> bool:
        return self._holds(other, lambda a, b: a <= b)

    def __gt__(self, other: Any) -> bool:
        return self._holds(other, lambda a, b: a > b)

    def __ge__(self, other: Any) -> bool:
        return self._holds(other, lambda a, b: a >= b)

    def __contains__(self, item: Any) -> bool:
        return self._holds(item, lambda a, b: b in a)

    def __str__(self) -> str:
        return f"[{NO_VALUE if self.value is None else plain_value(self.value)}]"


def _inner(value: Any) -> Any:
    return value.value if isinstance(value, Unconfirmed) else value


def unconfirmed_brackets(shown: str) -> str:
    """Markdown for a bracketed value still to be confirmed (`shown` already escaped).

    Both brackets are escaped: a reader sees `[6]`, but no parser can join them with
    what the clause text puts next to them into a link (`[6](…)`) or a link reference
    definition (`[6]: …` at the start of a line), which the sandbox would refuse."""
    return f"\\[{shown}\\]"


def _each(value: Any, format_one: Callable[[Any], str]) -> str:
    if isinstance(value, Disputed):
        return "".join(f"[{format_one(v)}]" for v in value.values)
    if isinstance(value, Unconfirmed):
        return unconfirmed_brackets(NO_VALUE if value.value is None
                                    else format_one(value.value))
    return format_one(value)


LANGUAGE = "LANGUAGE"
"""The context key that holds the language a text is rendered in (a code: "en", "fr-CA").
Upper case: no parameter can be named so, and the allow-list refuses it as a name."""


def _language(context: Any) -> str:
    return str(context.get(LANGUAGE) or "en") if context is not None else "en"


def _format_number(value: Any, decimals: int | None = None, language: str = "en") -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return escape_markdown(str(value))
    if not language.startswith("en"):
        return _format_number_in(value, decimals, language)
    from negotiation.cldr import precision

    minimum, maximum = precision(value, decimals)  # one rule for every language
    if decimals is not None:
        return f"{value:,.{maximum}f}"
    if maximum > minimum:
        return f"{value:,.{maximum}f}".rstrip("0").rstrip(".")
    return f"{int(value):,}"


def _format_number_in(value: float, decimals: int | None, language: str) -> str:
    """A number as `language` writes it ("1 000,5", "1.000,5", "1'000.5" in Swiss German),
    from the CLDR through Babel (negotiation.cldr)."""
    from negotiation import cldr

    return cldr.number(value, decimals, language)


PER_CENT = {"en": "per cent", "fr": "pour cent", "de": "Prozent"}
"""How a percentage is written in legal text: in words, as each language's drafters do
("8 per cent", "8 pour cent", "8 Prozent"), not with the sign."""


def _base(language: str) -> str:
    return language.split("-")[0]


@pass_context
def filter_number(context: Any, value: Any, decimals: int | None = None) -> Markup:
    language = _language(context)
    return Markup(_each(value, lambda v: _format_number(v, decimals, language)))


@pass_context
def filter_percent(context: Any, value: Any) -> Markup:
    language = _language(context)
    words = PER_CENT.get(_base(language), PER_CENT["en"])
    return Markup(_each(value, lambda v: _format_number(v, None, language)) + " " + words)


@pass_context
def filter_money(context: Any, value: Any, currency: str | None = None) -> Markup:
    language = _language(context)
    code = escape_markdown(str(currency or context.get("currency") or ""))
    amount = _each(value, lambda v: _format_number(
        v, 2 if isinstance(v, float) and not float(v).is_integer() else None, language))
    if language.startswith("en"):
        return Markup(f"{code} {amount}".strip())
    return Markup(f"{amount} {code}".strip())  # "100 EUR", as French and German write it


def _format_date(value: Any, language: str = "en") -> str:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return escape_markdown(value)
    if isinstance(value, dt.date):
        return long_date(value, language)
    return escape_markdown(str(value))


def long_date(value: dt.date, language: str = "en") -> str:
    """A date as legal text writes it: "1 January 2020", "1er janvier 2020",
    "1. Januar 2020" (the month names from the CLDR through Babel)."""
    if language.startswith("en"):
        return f"{value.day} {value:%B %Y}"
    from negotiation import cldr

    text = cldr.long_date(value, language)
    if _base(language) == "fr" and value.day == 1:
        text = "1er" + text[1:]  # French writes the first of the month as an ordinal
    return text


@pass_context
def filter_date(context: Any, value: Any) -> Markup:
    language = _language(context)
    return Markup(_each(value, lambda v: _format_date(v, language)))


AND = {"en": "and", "fr": "et", "de": "und"}


def join_words(items: list[str], conjunction: str = "and") -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


class LanguageNames(list):  # type: ignore[type-arg]
    """Names of languages, as a version's language names them: French repeats its
    preposition before each ("en anglais et en français"), so `join` does."""


@pass_context
def filter_join(context: Any, value: Any, conjunction: str | None = None) -> Markup:
    language = _base(_language(context))
    if conjunction is None:
        conjunction = AND.get(language, "and")

    def one(items: Any) -> str:
        if isinstance(items, (list, tuple)):
            names = [v if isinstance(v, Markup) else escape_markdown(str(v)) for v in items]
            if isinstance(items, LanguageNames) and language == "fr":
                # "établi en anglais, en allemand et en français"
                names = [names[0], *(f"en {n}" for n in names[1:])]
            return join_words(names, escape_markdown(conjunction))
        return escape_markdown(str(items))
    return Markup(_each(value, one))


def filter_capital(value: Any) -> Markup:
    """The text with its first letter in capitals, for a term or name that opens a
    sentence ("L'exploitant", "Le Comité mixte")."""
    text = str(value)
    for index, char in enumerate(text):
        if char.isalpha():
            text = text[:index] + char.upper() + text[index + 1:]
            break
    return Markup(text) if isinstance(value, Markup) else Markup(escape_markdown(text))


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    if isinstance(value, Disputed):
        return Markup("".join(f"[{escape_markdown(plain_value(v))}]" for v in value.values))
    if isinstance(value, Unconfirmed):
        return Markup(_each(value, lambda v: escape_markdown(plain_value(v))))
    return Markup(escape_markdown(plain_value(value)))


def plain_value(value: Any) -> str:
    """A value as a reader sees it, unescaped: for writers that escape themselves."""
    if isinstance(value, Unconfirmed):
        return str(value)
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
        "date": filter_date, "join": filter_join, "capital": filter_capital,
    }
    env.globals = {}
    return env


_PRECOMPILED: dict[str, bytes] = {}
"""Clause text -> its template's compiled code (marshalled), for the built-in library,
kept with it in the user's cache (negotiation.cache, which says why that is safe):
compiling the templates was half of a first check."""


def compiled_code(source: str) -> bytes:
    """The compiled code of `source` as a template, marshalled: what the cache keeps."""
    import marshal

    return marshal.dumps(_environment().compile(source))


def use_compiled(codes: dict[str, bytes]) -> None:
    """Templates compiled before (see `compiled_code`), by their source."""
    _PRECOMPILED.update(codes)


@lru_cache(maxsize=4096)
def _compiled(source: str) -> Any:
    env = _environment()
    code = _PRECOMPILED.get(source)
    if code is not None:
        import marshal

        try:  # what `from_string` does, without compiling again
            return env.template_class.from_code(env, marshal.loads(code),
                                                env.make_globals(None), None)
        except Exception:  # a damaged entry: compile as if there were none
            pass
    return env.from_string(source)


class RenderFailed(ValueError):
    """Clause text that passed the allow-list still failed on these values (a
    comparison of text with a number, say); the caller names the clause."""


class MarkupRefused(RenderFailed):
    """Clause text rendered to a link, an image or raw HTML; the caller names the
    clause and its file."""


def render(source: str, values: dict[str, Any]) -> str:
    """Render checked clause text with `values` (params, words and functions).

    Functions (`ref`, `party`, `system`) are passed in `values` and must
    return `Markup` for trusted output or plain strings to be escaped.

    What renders to a link, an image, an autolink, raw HTML or a link reference
    definition is refused (`MarkupRefused`), not escaped: clause text is Markdown
    on purpose (emphasis, lists), and escaping a rendered fragment would have to
    guess which brackets the author meant as text. The load-time check refuses the
    same constructs, so refusing here keeps one rule with one message; it sees what
    the load-time check cannot: the `{% if %}` branch that prints and a value
    standing next to a bracket (`[a]{{ x }}` with x = "(http://…)").
    """
    try:
        text = _compiled(source).render(**values)
    except (RecursionError, MemoryError):
        raise RenderFailed("the text is nested too deeply") from None
    except Exception as exc:  # a library's text meets values it did not expect
        raise RenderFailed(f"{type(exc).__name__}: {exc}") from None
    found = live_markup(text, code=False)
    if found is not None:
        raise MarkupRefused(f"renders to {found.what}; clause text may not hold links, "
                            "images or HTML")
    return text
