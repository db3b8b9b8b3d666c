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
CALL = "calls are allowed only to ref(), party(), system() and term()"
LOOP = "a loop ({% for %}) is not allowed in clause text"
SET = "assignment ({% set %}) is not allowed in clause text"
FILTER_ARGS = "filters take only plain constant arguments"


def unknown(name: str) -> str:
    return f"unknown name '{name}' (not a parameter of this clause)"


def one_id(function: str) -> str:
    return (f"{function}() takes one quoted id, and may take a form "
            "(de, a, gen, dat, acc, other, one_gen, other_dat)")


def unknown_form(function: str, form: str) -> str:
    return (f"{function}(): unknown form '{form}'; the forms are de, a, gen, dat, acc, "
            "other, one_gen, other_dat")


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
    # ref(), party(), system() and term() take one literal id and at most a known form
    ("{{ ref(x) }}", one_id("ref")),
    ("{{ ref('a' ~ 'b') }}", one_id("ref")),
    ("{{ ref() }}", one_id("ref")),
    ("{{ ref('a', 'b') }}", unknown_form("ref", "b")),
    ("{{ ref('a', 'de', 'a') }}", one_id("ref")),
    ("{{ term('allowance', x) }}", one_id("term")),
    ("{{ term('allowance', '__class__') }}", unknown_form("term", "__class__")),
    ("{{ ref(id='a') }}", one_id("ref")),
    ("{{ ref(1) }}", one_id("ref")),
    ("{{ party('a', 'b') }}", unknown_form("party", "b")),
    ("{{ party(['a']) }}", one_id("party")),
    ("{{ system(x) }}", one_id("system")),
    ("{{ ref }}", "'ref' must be called with a quoted id"),
    ("{{ party }}", "'party' must be called with a quoted id"),
    ("{{ term }}", "'term' must be called with a quoted id"),
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
    """Even a template that skipped `check()` cannot escape when it renders: the sandbox
    and StrictUndefined refuse, and render() reports it as RenderFailed."""
    with pytest.raises(templating.RenderFailed) as info:
        templating.render("{{ x.__class__.__mro__ }}", {"x": "s"})
    assert str(info.value) == ("SecurityError: access to attribute '__class__' of 'str' "
                               "object is unsafe.")
    with pytest.raises(templating.RenderFailed) as info:
        templating.render("{{ cycler }}", {})
    assert str(info.value) == "UndefinedError: 'cycler' is undefined"
    with pytest.raises(templating.RenderFailed) as info:
        templating.render("{{ missing }}", {})
    assert str(info.value) == "UndefinedError: 'missing' is undefined"


# -- limits checked at load -------------------------------------------------------------------

LINKS = ("links and images are not allowed in clause text: a clause may not point at a file "
         "or a web address")

LIMITS: list[tuple[str, str]] = [
    ("{{ items | join('and', 'or') }}", "filter 'join' takes no such argument"),
    ("{{ limit_pct | number(2.5) }}", "filter 'number' takes a whole number as its argument"),
    ("{{ limit_pct | number(7) }}", "filter 'number' argument out of range (0 to 6)"),
    # a gigabyte of zeros from one filter argument
    ("{{ limit_pct | number(999999999) }}", "filter 'number' argument out of range (0 to 6)"),
    ("{{ limit_pct | money('ABCDEFGHI') }}", "filter 'money' argument out of range (0 to 8)"),
    ("{{ " + "(" * 3000 + "x" + ")" * 3000 + " }}", "nested more than 12 levels deep"),
    ("{{ " + "not " * 3000 + "x }}", "nested more than 12 levels deep"),
    ("{{ " + "-" * 50 + "limit_pct }}", "nested more than 12 levels deep"),
    ("{% if x %}" * 120 + "y" + "{% endif %}" * 120, "too many {% %} blocks for a clause"),
    ("{% if x %}" * 1000 + "y" + "{% endif %}" * 1000,
     "clause text longer than 20,000 characters"),
    ("a" * 20_001, "clause text longer than 20,000 characters"),
    # raw HTML: the Markdown writer passes clause text through, so it is refused at load
    ("Each Party shall act <script>alert(1)</script>.",
     "raw HTML is not allowed in clause text; write it in Markdown"),
    ("<img src=x onerror=alert(1)>", "raw HTML is not allowed in clause text; write it in "
                                     "Markdown"),
    ("<!-- hidden -->", "raw HTML is not allowed in clause text; write it in Markdown"),
    ("see <https://evil.example>", "raw HTML is not allowed in clause text; write it in "
                                   "Markdown"),
    ("a label <lbl>", "raw HTML is not allowed in clause text; write it in Markdown"),
    # links and images: a Markdown reader would fetch or follow them
    ("See ![img](/etc/passwd).", LINKS),
    ("See [the rules](https://evil.example).", LINKS),
    ("See [the rules][1].\n\n[1]: file:///etc/passwd", LINKS),
    ("See ![x][r]\n\n[r]: /etc/passwd", LINKS),
]


@pytest.mark.parametrize(("source", "problem"), LIMITS, ids=[c[0][:40] for c in LIMITS])
def test_oversized_nested_or_html_clause_text_is_refused_at_load(source: str,
                                                                 problem: str) -> None:
    with pytest.raises(LinkwrightError) as info:
        add_layer_text(Library(), topic(binding=source), FILE)
    assert str(info.value) == (f"{FILE}:{WHERE['text.binding']}: clause '{CLAUSE}' "
                               f"(text.binding): {problem}; {templating.ALLOWED_SUMMARY}")


@pytest.mark.parametrize(("source", "expected"), [
    ("{% if x %}" * 12 + "deep" + "{% endif %}" * 12, "deep"),
    ("{{ limit_pct | number(6) }}", "8.000000"),
    ("{{ limit_pct | money('ABCDEFGH') }}", "ABCDEFGH 8"),
    ("a < b and c > d, 1 <2", "a < b and c > d, 1 <2"),  # comparisons are not HTML
    ("Article 5[a] (b) and [bracketed] words", "Article 5[a] (b) and [bracketed] words"),
])
def test_what_stays_within_the_limits_loads_and_renders(source: str, expected: str) -> None:
    add_layer_text(Library(), topic(binding=source), FILE)
    assert templating.render(source, _values()) == expected


# -- render-time safety of templates that pass the allow-list --------------------------------

RENDER_FAILS = [
    # (source, values, error): allowed, but these values do not fit the text
    ("{% if limit_pct > 5 %}high{% endif %}", {"limit_pct": None},
     "TypeError: '>' not supported between instances of 'NoneType' and 'int'"),
    ("{% if limit_pct > 5 %}high{% endif %}", {"limit_pct": "eight"},
     "TypeError: '>' not supported between instances of 'str' and 'int'"),
    ("{{ -x }}", {"x": "plain"}, "TypeError: bad operand type for unary -: 'str'"),
    ("{% if 'a' in limit_pct %}x{% endif %}", {"limit_pct": 8},
     "TypeError: argument of type 'int' is not iterable"),
]


@pytest.mark.parametrize(("source", "given", "error"), RENDER_FAILS,
                         ids=[f"{c[0]}|{c[1]}" for c in RENDER_FAILS])
def test_values_a_clause_cannot_take_fail_its_render_cleanly(source: str, given: dict[str, Any],
                                                            error: str) -> None:
    add_layer_text(Library(), topic(binding=source), FILE)
    with pytest.raises(templating.RenderFailed) as info:
        templating.render(source, _values(**given))
    assert str(info.value) == error


FAST_PATH_GAPS = [
    ("{{ limit_pct | percent(1) }}", "filter 'percent' takes no such argument"),
    ("{{ x | date('long') }}", "filter 'date' takes no such argument"),
    ("{{ items | join(1) }}", "filter 'join' takes a quoted text as its argument"),
    ("{{ limit_pct | number('two') }}", "filter 'number' takes a whole number as its argument"),
]


@pytest.mark.parametrize(("source", "problem"), FAST_PATH_GAPS,
                         ids=[c[0] for c in FAST_PATH_GAPS])
def test_the_fast_path_refuses_what_the_allow_list_refuses(source: str, problem: str) -> None:
    with pytest.raises(LinkwrightError) as info:
        add_layer_text(Library(), topic(binding=source), FILE)
    assert str(info.value) == (f"{FILE}:{WHERE['text.binding']}: clause '{CLAUSE}' "
                               f"(text.binding): {problem}; {templating.ALLOWED_SUMMARY}")


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
          binding: >-
            Each Party shall limit offsets to {{ limit_pct | percent }}{% if limit_pct > 5
            %}, a generous limit{% endif %}.
          nonbinding: >-
            Each Participant will limit offsets to {{ limit_pct | percent }}{% if
            limit_pct > 5 %}, a generous limit{% endif %}.
"""


def _with_library(tmp_path: Path, text: str, edit: Any = None) -> Negotiation:
    folder = tmp_path / "library"
    folder.mkdir(exist_ok=True)
    (folder / "user.yaml").write_text(text, encoding="utf-8")
    data = preset_data("ca-qc-draft")
    if edit is not None:
        edit(data)
    return negotiation_from_document(Document(data, "session.yaml", {(): (1, 1)}), None,
                                     (folder,))


def test_the_documented_if_comparison_renders_when_the_value_is_settled(tmp_path: Path) -> None:
    neg = _with_library(tmp_path, COMPARING_LIBRARY)
    text = write_markdown(build_draft(neg))
    assert "limit offsets to 8 per cent, a generous limit." in text


def test_a_comparison_on_a_disputed_value_shows_the_words_it_adds(tmp_path: Path) -> None:
    """`{% if limit_pct > 5 %}` holds when it holds for any value a party proposes, so the
    bracketed text shows what the condition adds."""
    neg = _with_library(tmp_path, COMPARING_LIBRARY, _disputed_limit)
    text = write_markdown(build_draft(neg))
    assert "Each Participant will limit offsets to [8][4] per cent, a generous limit." in text


def test_a_clause_that_cannot_render_is_named_with_its_file(tmp_path: Path) -> None:
    neg = _with_library(tmp_path, payload_library("{% if languages > 5 %}many{% endif %}"))
    with pytest.raises(LinkwrightError) as info:
        build_draft(neg)
    file = tmp_path / "library" / "user.yaml"
    assert str(info.value) == (
        f"{file}: clause 'languages.authentic.all_equal' cannot be rendered with these "
        "values: TypeError: '>' not supported between instances of 'list' and 'int'")


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
    data = render_document(payload_negotiation, fmt).data
    shown = pdf_text(data) if fmt == "pdf" else docx_text(data)
    assert flat(PAYLOAD_SHOWN) in shown
    assert "root:" not in shown and "ENDPAYLOAD" in shown


def test_markdown_from_a_library_clause_holds_no_html_or_active_link(
        payload_negotiation: Negotiation) -> None:
    assert active_markdown(write_markdown(build_draft(payload_negotiation))) == []
