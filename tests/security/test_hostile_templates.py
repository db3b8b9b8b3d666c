"""Clause text from another delegation's library: the template allow-list.

Clause text may use `{{ param }}`, `{{ ref('…') }}`, `{{ party('…') }}`,
`{{ system('…') }}`, the filters number/percent/money/date/join and
`{% if %}` on parameters. Each hostile case below names the exact outcome:
refused when the library loads (`add_layer_text`), with one LinkwrightError
that starts with the file, line and column of the text, names the clause and
the voice, says which construct is refused, and lists what is allowed. The
allowed cases render to exactly the text shown.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from markupsafe import Markup

from negotiation import templating
from negotiation.drafting.builder import build_draft
from negotiation.drafting.command import render_document
from negotiation.drafting.markdown import write_markdown
from negotiation.errors import LinkwrightError
from negotiation.library import Library, add_layer_text
from negotiation.session import Negotiation, negotiation_from_document
from negotiation.yamlload import Document
from tests.conftest import preset_data
from tests.security.support import (
    active_markdown,
    docx_text,
    flat,
    markdown_visible_text,
    pdf_text,
)

FILE = "delegation-b/hostile.yaml"
CLAUSE = "hostile.p.c"

TOPIC = """\
topic: hostile
title: Hostile library
order: 99
provisions:
  hostile.p:
    title: A provision from the other side
    clauses:
      - id: hostile.p.c
        title: A hostile clause
        params:
          limit_pct: {type: percent, default: 8}
          x: {type: text, default: plain}
          items: {type: list, default: [a, b]}
        recital: %(recital)s
        text:
          binding: %(binding)s
          nonbinding: %(nonbinding)s
"""
WHERE = {"recital": "14:9", "text.binding": "16:11", "text.nonbinding": "17:11"}
"""Line and column of each text's key in TOPIC: where the error must point."""


def topic(binding: str = "Each Party shall act.", nonbinding: str = "Each Participant will act.",
          recital: str = "Recalling their commitments,") -> str:
    # A JSON string is a valid YAML double-quoted scalar: the text arrives verbatim.
    return TOPIC % {"binding": json.dumps(binding), "nonbinding": json.dumps(nonbinding),
                    "recital": json.dumps(recital)}


ATTR = "attribute access (x.y) is not allowed in clause text"
ITEM = "subscript access (x[y]) is not allowed in clause text"
CALL = "calls are allowed only to ref(), party() and system()"
LOOP = "a loop ({% for %}) is not allowed in clause text"
SET = "assignment ({% set %}) is not allowed in clause text"
FILTER_ARGS = "filters take only plain constant arguments"


def unknown(name: str) -> str:
    return f"unknown name '{name}' (not a parameter of this clause)"


def one_id(function: str) -> str:
    return f"{function}() takes exactly one quoted id"


def syntax(message: str) -> str:
    return f"template syntax error on line 1: {message}"


HOSTILE: list[tuple[str, str]] = [
    # attribute walks toward Python internals
    ("{{ x.__class__.__mro__ }}", ATTR),
    ("{{ ''.__class__ }}", ATTR),
    ("{{ (x).__class__.__base__ }}", ATTR),
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}", CALL),
    ("{{ x.__len__ }}", ATTR),
    ("{{ Party.__class__ }}", ATTR),
    ("{{ self._TemplateReference__context }}", ATTR),
    ("{{ self }}", unknown("self")),
    # Jinja's default globals: gadgets toward __globals__ and os
    ("{{ cycler.__init__.__globals__ }}", ATTR),
    ("{{ cycler }}", unknown("cycler")),
    ("{{ joiner }}", unknown("joiner")),
    ("{{ joiner(',') }}", CALL),
    ("{{ namespace }}", unknown("namespace")),
    ("{{ namespace(a=1) }}", CALL),
    ("{{ lipsum }}", unknown("lipsum")),
    ("{{ lipsum(n=99999) }}", CALL),
    ("{{ range(10) }}", CALL),
    ("{{ dict(a=1) }}", CALL),
    ("{{ config }}", unknown("config")),
    ("{{ request }}", unknown("request")),
    ("{{ os }}", unknown("os")),
    ("{{ loop }}", unknown("loop")),
    ("{{ varargs }}", unknown("varargs")),
    ("{{ caller() }}", CALL),
    ("{{ super() }}", CALL),
    ("{{ gettext('x') }}", CALL),
    ("{{ _('x') }}", CALL),
    ("{{ x() }}", CALL),
    ("{{ undefined_param }}", unknown("undefined_param")),
    # loops, however bounded they look
    ("{% for a in range(99) %}{% for b in range(99) %}x{% endfor %}{% endfor %}", LOOP),
    ("{% for a in items %}{{ a }}{% endfor %}", LOOP),
    ("{%- for a in items -%}{{ a }}{%- endfor -%}", LOOP),
    # macros, call blocks, scopes, assignments
    ("{% macro m() %}x{% endmacro %}{{ m() }}", "a macro is not allowed in clause text"),
    ("{% call ref('hostile') %}x{% endcall %}", "a call block is not allowed in clause text"),
    ("{% set y = x %}{{ y }}", SET),
    ("{% set y %}x{% endset %}", SET),
    ("{% with y = 1 %}{{ y }}{% endwith %}", "{% with %} is not allowed in clause text"),
    ("{% filter upper %}x{% endfilter %}", "a filter block is not allowed in clause text"),
    ("{% autoescape false %}{{ x }}{% endautoescape %}",
     "a scope block is not allowed in clause text"),
    # reading other templates or files
    ("{% include '/etc/passwd' %}", "{% include %} is not allowed in clause text"),
    ("{% import 'x' as y %}", "{% import %} is not allowed in clause text"),
    ("{% from 'x' import y %}", "{% from … import %} is not allowed in clause text"),
    ("{% extends '/etc/passwd' %}", "{% extends %} is not allowed in clause text"),
    ("{% block b %}x{% endblock %}", "{% block %} is not allowed in clause text"),
    # filters outside the allow-list, and non-constant filter arguments
    ("{{ x|attr('__class__') }}", "filter 'attr' is not allowed"),
    ("{{ x|map('upper') }}", "filter 'map' is not allowed"),
    ("{{ items|map(attribute='__class__') }}", "filter 'map' is not allowed"),
    ("{{ x|safe }}", "filter 'safe' is not allowed"),
    ("{{ x|e }}", "filter 'e' is not allowed"),
    ("{{ x|format(x) }}", "filter 'format' is not allowed"),
    ("{{ x|default('y') }}", "filter 'default' is not allowed"),
    ("{{ limit_pct|number(x) }}", FILTER_ARGS),
    ("{{ limit_pct|number(decimals=2) }}", FILTER_ARGS),
    ("{{ items|join(*items) }}", FILTER_ARGS),
    ("{{ items|join(['a']) }}", FILTER_ARGS),
    # subscripts and slices
    ("{{ x['__class__'] }}", ITEM),
    ("{{ x[0:2] }}", ITEM),
    ("{{ items[0] }}", ITEM),
    # ref(), party() and system() take one literal id, nothing else
    ("{{ ref(x) }}", one_id("ref")),
    ("{{ ref('a' ~ 'b') }}", one_id("ref")),
    ("{{ ref() }}", one_id("ref")),
    ("{{ ref('a', 'b') }}", one_id("ref")),
    ("{{ ref(id='a') }}", one_id("ref")),
    ("{{ ref(1) }}", one_id("ref")),
    ("{{ party('a', 'b') }}", one_id("party")),
    ("{{ party(['a']) }}", one_id("party")),
    ("{{ system(x) }}", one_id("system")),
    ("{{ ref }}", "'ref' must be called with one quoted id"),
    ("{{ party }}", "'party' must be called with one quoted id"),
    # string building and arithmetic (a way to spell a dunder, or to burn CPU)
    ("{{ 'a' ~ 'b' }}", "'Concat' is not allowed in clause text"),
    ("{{ '__cla' ~ 'ss__' }}", "'Concat' is not allowed in clause text"),
    ("{{ 'a' + 'b' }}", "'Add' is not allowed in clause text"),
    ("{{ '%s' % x }}", "'Mod' is not allowed in clause text"),
    ("{{ 7*7 }}", "'Mul' is not allowed in clause text"),
    ("{{ 9**9**9 }}", "'Pow' is not allowed in clause text"),
    ("{{ {'a': 1} }}", "a dict literal is not allowed in clause text"),
    ("{{ [x, x] }}", "lists may hold constants only"),
    # tests
    ("{{ x is defined }}", "a test (is …) is not allowed in clause text"),
    ("{% if x is sameas x %}y{% endif %}", "a test (is …) is not allowed in clause text"),
    # a forbidden construct hidden inside an allowed one
    ("{{ x if limit_pct else x.__class__ }}", ATTR),
    ("{% if limit_pct %}{{ x.y }}{% endif %}", ATTR),
    ("{% if limit_pct %}a{% elif x.y %}b{% endif %}", ATTR),
    ("{% if limit_pct %}a{% else %}{{ x['y'] }}{% endif %}", ITEM),
    ("{{ x|number(2) if limit_pct else lipsum }}", unknown("lipsum")),
    # tags Jinja knows only with extensions, and broken syntax
    ("{% do x %}", syntax("Encountered unknown tag 'do'.")),
    ("{% trans %}x{% endtrans %}", syntax("Encountered unknown tag 'trans'.")),
    ("{% break %}", syntax("Encountered unknown tag 'break'.")),
    ("{{ x", syntax("unexpected end of template, expected 'end of print statement'.")),
]


@pytest.mark.parametrize(("source", "construct"), HOSTILE, ids=[c[0] for c in HOSTILE])
def test_hostile_clause_text_is_refused_when_the_library_loads(source: str,
                                                               construct: str) -> None:
    library = Library()
    with pytest.raises(LinkwrightError) as info:
        add_layer_text(library, topic(binding=source), FILE)
    error = info.value
    assert str(error) == (f"{FILE}:{WHERE['text.binding']}: clause '{CLAUSE}' (text.binding): "
                          f"{construct}; {templating.ALLOWED_SUMMARY}")
    assert (error.file, error.line, error.column) == (FILE, 16, 11)
    assert CLAUSE not in library.clauses


@pytest.mark.parametrize("where", ["recital", "text.binding", "text.nonbinding"])
def test_the_error_names_the_text_that_holds_the_construct(where: str) -> None:
    texts = {"recital": "Recalling their commitments,", "binding": "Each Party shall act.",
             "nonbinding": "Each Participant will act."}
    texts[where.removeprefix("text.")] = "{{ x.__class__ }}"
    with pytest.raises(LinkwrightError) as info:
        add_layer_text(Library(), topic(**texts), FILE)
    assert str(info.value).startswith(f"{FILE}:{WHERE[where]}: clause '{CLAUSE}' ({where}): "
                                      f"{ATTR};")


def test_hostile_corpus_is_large_enough() -> None:
    assert len(HOSTILE) >= 30
    assert len({source for source, _ in HOSTILE}) == len(HOSTILE)


# -- what is allowed, and exactly what it renders ---------------------------------------


def _values(**given: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "limit_pct": 8, "x": "plain", "items": ["a", "b"],
        "Party": "Party", "Parties": "Parties", "parties": ["A", "B"], "instrument": "Agreement",
        "ref": lambda target: Markup(f"Article 9 [{target}]"),
        "party": lambda who: Markup(f"Party {who.upper()}"),
        "system": lambda who: Markup(f"the system of {who}"),
        "currency": "EUR",
    }
    values.update(given)
    return values


ALLOWED: list[tuple[str, dict[str, Any], str]] = [
    ("{% if limit_pct > 5 %}high{% else %}low{% endif %}", {}, "high"),
    ("{% if limit_pct > 5 %}high{% else %}low{% endif %}", {"limit_pct": 3}, "low"),
    ("{% if limit_pct >= 5 and limit_pct != 9 %}in{% elif not x %}none{% endif %}", {}, "in"),
    ("{% if 'a' in items %}has a{% endif %}", {}, "has a"),
    ("{{ limit_pct | percent }}", {}, "8 per cent"),
    ("{{ limit_pct | number(2) }}", {}, "8.00"),
    ("{{ limit_pct | money('CHF') }}", {"limit_pct": 12.5}, "CHF 12.50"),
    ("{{ limit_pct | money }}", {}, "EUR 8"),
    ("{{ items | join('or') }}", {"items": ["a", "b", "c"]}, "a, b or c"),
    ("{{ x | date }}", {"x": "2020-01-01"}, "1 January 2020"),
    ("{{ ref('offsets.quantity') }}", {}, "Article 9 [offsets.quantity]"),
    ("{{ party('ch') }} and {{ system('eu') }}", {}, "Party CH and the system of eu"),
    ("this {{ instrument }} binds each {{ Party }}", {}, "this Agreement binds each Party"),
    ("{{ x if limit_pct else 'none' }}", {}, "plain"),
    ("{{ not x }}", {}, "no"),
    ("{# a comment from the other side #}text", {}, "text"),
    # {% raw %} is allowed: what it holds is template *data*, printed as typed and never
    # evaluated, here or later (the writers do not render clause text again).
    ("{% raw %}{{ x.__class__ }}{% include '/etc/passwd' %}{% endraw %}", {},
     "{{ x.__class__ }}{% include '/etc/passwd' %}"),
    # Values are escaped as Markdown, so a value never becomes markup.
    ("{{ x }}", {"x": "*b* <i>[l](javascript:x)</i> # {{ 7*7 }}"},
     r"\*b\* \<i\>\[l\](javascript:x)\</i\> \# \{\{ 7\*7 \}\}"),
    ("{{ items | join }}", {"items": ["<b>", "*"]}, r"\<b\> and \*"),
]


@pytest.mark.parametrize(("source", "given", "expected"), ALLOWED,
                         ids=[f"{c[0]}|{c[1]}" for c in ALLOWED])
def test_allowed_clause_text_loads_and_renders_exactly(source: str, given: dict[str, Any],
                                                       expected: str) -> None:
    library = Library()
    add_layer_text(library, topic(binding=source), FILE)
    assert library.clauses[CLAUSE].text.binding == source
    assert templating.render(source, _values(**given)) == expected


def test_the_sandbox_is_a_second_wall_behind_the_allow_list() -> None:
    """Even if a template skipped `check()`, rendering refuses the classic escapes."""
    from jinja2.exceptions import SecurityError, UndefinedError

    with pytest.raises(SecurityError):
        templating.render("{{ x.__class__.__mro__ }}", {"x": "s"})
    with pytest.raises(UndefinedError):
        templating.render("{{ cycler }}", {})
    with pytest.raises(UndefinedError):
        templating.render("{{ missing }}", {})


# -- render-time safety of templates that pass the allow-list --------------------------------

RENDER_CRASHES = [
    # (source, values): each passes check() today and then raises at render time
    ("{% if limit_pct > 5 %}high{% endif %}", {"limit_pct": None}),
    ("{% if limit_pct > 5 %}high{% endif %}", {"limit_pct": "eight"}),
    ("{{ -x }}", {"x": "plain"}),
    ("{% if 'a' in limit_pct %}x{% endif %}", {"limit_pct": 8}),
    ("{{ limit_pct | percent(1) }}", {}),
    ("{{ x | date('long') }}", {}),
    ("{{ items | join(1) }}", {}),
    ("{{ items | join('and', 'or') }}", {}),
    ("{{ limit_pct | number('two') }}", {}),
    ("{{ limit_pct | number(2.5) }}", {}),
]


@pytest.mark.xfail(strict=True, raises=(TypeError, ValueError), reason=(
    "BUG: templating.check (negotiation/templating.py, _walk) allows comparisons, unary minus, "
    "'in' and filter calls whose operand types and arity it cannot know, and "
    "templating.render (templating.py:render) lets the TypeError/ValueError escape: a hostile "
    "library clause crashes build_draft and `linkwright render` with a traceback instead of "
    "a LinkwrightError naming the clause"))
@pytest.mark.parametrize(("source", "given"), RENDER_CRASHES,
                         ids=[f"{c[0]}|{c[1]}" for c in RENDER_CRASHES])
def test_a_template_that_passes_the_allow_list_never_crashes_the_render(
        source: str, given: dict[str, Any]) -> None:
    try:
        add_layer_text(Library(), topic(binding=source), FILE)
    except LinkwrightError:
        return  # refused at load: a fine outcome
    templating.render(source, _values(**given))


def _disputed_limit(data: dict[str, Any]) -> None:
    """The parties dispute a parameter that a user clause compares in `{% if %}`."""
    data["provisions"]["offsets.quantity"] = "open"
    data["positions"]["ca"]["offsets.quantity"] = {
        "clause": "offsets.quantity.common_limit", "params": {"limit_pct": 8}}
    data["positions"]["qc"]["offsets.quantity"] = {
        "clause": "offsets.quantity.common_limit", "params": {"limit_pct": 4}}


COMPARING_LIBRARY = """\
topic: offsets
provisions:
  offsets.quantity:
    clauses:
      - overrides: offsets.quantity.common_limit
        title: Common limit, with a comparison
        params:
          limit_pct: {type: percent, min: 0, max: 100}
        text:
          binding: Each Party shall limit offsets to {{ limit_pct | percent }}{% if limit_pct > 5 %}, a generous limit{% endif %}.
          nonbinding: Each Participant will limit offsets to {{ limit_pct | percent }}{% if limit_pct > 5 %}, a generous limit{% endif %}.
"""


def _with_library(tmp_path: Path, text: str, edit: Any = None) -> Negotiation:
    folder = tmp_path / "library"
    folder.mkdir(exist_ok=True)
    (folder / "user.yaml").write_text(text, encoding="utf-8")
    data = preset_data("ca-qc")
    if edit is not None:
        edit(data)
    return negotiation_from_document(Document(data, "session.yaml", {(): (1, 1)}), None,
                                     (folder,))


def test_the_documented_if_comparison_renders_when_the_value_is_settled(tmp_path: Path) -> None:
    neg = _with_library(tmp_path, COMPARING_LIBRARY)
    text = write_markdown(build_draft(neg))
    assert "limit offsets to 8 per cent, a generous limit." in text


@pytest.mark.xfail(strict=True, raises=TypeError, reason=(
    "BUG: `{% if limit_pct > 5 %}` (the allow-list's own example) raises TypeError in "
    "build_draft when the parties dispute limit_pct: the value is a templating.Disputed, "
    "which has no ordering (negotiation/templating.py, class Disputed; render does not "
    "catch it); `linkwright render` ends in a traceback"))
def test_a_comparison_on_a_disputed_value_does_not_crash_the_draft(tmp_path: Path) -> None:
    neg = _with_library(tmp_path, COMPARING_LIBRARY, _disputed_limit)
    try:
        text = write_markdown(build_draft(neg))
    except LinkwrightError as error:
        assert "offsets.quantity.common_limit" in str(error)
        return
    assert "[8 per cent][4 per cent]" in text or "[8][4] per cent" in text


@pytest.mark.xfail(strict=True, raises=(RecursionError, SyntaxError), reason=(
    "BUG: templating.check (negotiation/templating.py:check) bounds no nesting: deeply nested "
    "expressions raise RecursionError out of check()/add_layer_text, and ~100 nested "
    "{% if %} blocks pass check() and raise IndentationError when Jinja compiles them"))
@pytest.mark.parametrize("source", [
    "{{ " + "(" * 3000 + "x" + ")" * 3000 + " }}",
    "{{ " + "not " * 3000 + "x }}",
    "{% if x %}" * 1000 + "y" + "{% endif %}" * 1000,
    "{% if x %}" * 120 + "y" + "{% endif %}" * 120,
], ids=["parens-3000", "not-3000", "if-1000", "if-120"])
def test_deeply_nested_clause_text_is_refused_cleanly(source: str) -> None:
    try:
        add_layer_text(Library(), topic(binding=source), FILE)
    except LinkwrightError as error:
        assert str(error).startswith(f"{FILE}:16:11: clause '{CLAUSE}'")
        return
    templating.render(source, _values())


@pytest.mark.xfail(strict=True, reason=(
    "BUG: the `number` filter's decimals argument is unbounded "
    "(negotiation/templating.py, _format_number): `{{ limit_pct | number(999999999) }}` in a "
    "hostile library builds a string of a gigabyte; check() should bound the constant or "
    "render should refuse"))
def test_a_filter_argument_cannot_blow_up_the_output() -> None:
    source = "{{ limit_pct | number(10000000) }}"
    try:
        add_layer_text(Library(), topic(binding=source), FILE)
    except LinkwrightError:
        return
    try:
        out = templating.render(source, _values())
    except LinkwrightError:
        return
    assert len(out) < 10_000


# -- clause text is Markdown data all the way to the page -------------------------------------

PAYLOAD = ('PAYLOAD #read("/etc/passwd") #include "/etc/passwd" #image("/etc/hostname") '
           '$x^2$ @label // not a comment {% raw %}{{ 7*7 }}{% endraw %} ENDPAYLOAD')
PAYLOAD_SHOWN = ('PAYLOAD #read("/etc/passwd") #include "/etc/passwd" #image("/etc/hostname") '
                 '$x^2$ @label // not a comment {{ 7*7 }} ENDPAYLOAD')

PAYLOAD_LIBRARY = """\
topic: languages
provisions:
  languages.authentic:
    clauses:
      - overrides: languages.authentic.all_equal
        title: All language versions equally authentic
        params:
          languages: {type: list, default: [English, French]}
        text:
          binding: %(text)s
          nonbinding: %(text)s
"""


def payload_library(text: str) -> str:
    return PAYLOAD_LIBRARY % {"text": json.dumps(text + " in {{ languages | join }}.")}


@pytest.fixture(scope="module")
def payload_negotiation(tmp_path_factory: pytest.TempPathFactory) -> Negotiation:
    folder = tmp_path_factory.mktemp("payload")
    return _with_library(folder, payload_library(PAYLOAD))


def test_typst_and_jinja_in_clause_text_stay_text_in_markdown(
        payload_negotiation: Negotiation) -> None:
    text = write_markdown(build_draft(payload_negotiation))
    assert PAYLOAD_SHOWN in markdown_visible_text(text)
    assert "root:" not in text


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_typst_and_jinja_in_clause_text_stay_text_in_pdf_and_docx(
        payload_negotiation: Negotiation, fmt: str) -> None:
    pytest.importorskip(f"negotiation.drafting.{'typst' if fmt == 'pdf' else 'docx'}_writer")
    data = render_document(payload_negotiation, fmt).data
    shown = pdf_text(data) if fmt == "pdf" else docx_text(data)
    assert flat(PAYLOAD_SHOWN) in shown
    assert "root:" not in shown and "ENDPAYLOAD" in shown


@pytest.mark.xfail(strict=True, reason=(
    "BUG: raw HTML in a library's clause text reaches draft.md unescaped "
    "(negotiation/drafting/markdown.py, text(): Markdown clause text is passed through), so "
    "an HTML viewer of the Markdown runs `<script>`; the PDF and DOCX writers treat the same "
    "HTML as text (markdown-it with html off)"))
def test_raw_html_in_clause_text_never_becomes_html_in_markdown(tmp_path: Path) -> None:
    text = "Each Participant will act <script>alert(1)</script> <lbl> <img src=x onerror=alert(1)>"
    neg = _with_library(tmp_path, payload_library(text))
    assert active_markdown(write_markdown(build_draft(neg))) == []
