"""Fuzzing the loaders and renderers with Hypothesis (fixed seed: derandomize=True).

Any input ends in a valid result or one clear LinkwrightError (TemplateRefused
for `templating.check`, RenderFailed for `templating.render`), never another
exception. Through the command line (`linkwright check` and `render` on a session
folder with a mutated library layer, or with mutated decisions and positions), it
ends in exit 0, 1 or 2 and at most one line on stderr.

Every test counts the examples it runs; the last test prints the totals.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import io
import math
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negotiation import templating
from negotiation.cli import main
from negotiation.drafting.builder import build_draft
from negotiation.drafting.command import render_document
from negotiation.drafting.markdown import write_markdown
from negotiation.errors import LinkwrightError
from negotiation.library import Param, load_library
from negotiation.session import Negotiation, load_session_text, preset_ids
from negotiation.yamlload import Document, parse_text
from tests.conftest import negotiation, preset_data
from tests.security.support import active_markdown, docx_text, flat, pdf_text

RUN: Counter[str] = Counter()
"""Examples actually run, per test."""


def fuzz(examples: int) -> Any:
    return settings(derandomize=True, deadline=None, max_examples=examples, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])


FILE = "fuzzed.yaml"

# -- parse_text -------------------------------------------------------------------------------

YAML_TOKENS = [
    ":", ": ", "- ", "-", "[", "]", "{", "}", ", ", ",", "\n", "  ", "    ", "\t", "? ",
    "&a ", "&b ", "*a", "*b", "!!str ", "!!map ", "!!seq ", "!!null ", "!!binary ", "!!set ",
    "!!int ", "!!float ", "!!bool ", "!!timestamp ", "!!merge ", "''", "+", ".",
    "!!python/object:os.system ", "!tag ", "!e!x ", "%YAML 1.1\n", "%TAG !e! tag:x,2000:\n",
    "---\n", "...\n", "<<", "|", ">", "|-", "'", '"', "#", "@", "`", "\\", "\\0", "\\x41",
    "~", "null", "true", "yes", "1", "-1", "0x1F", "1e9", ".nan", ".inf", "2020-01-01",
    "2020-13-45", "12:30", "key", "title", "linkwright", "\x00", "\x85", "\ufeff", "\u2028",
]

yaml_ish = st.lists(st.one_of(st.sampled_from(YAML_TOKENS), st.text(max_size=4)),
                    max_size=40).map("".join)


def _parses_or_refuses(text: str) -> None:
    try:
        doc = parse_text(text, FILE)
    except LinkwrightError as error:
        assert str(error).startswith(FILE)
        return
    assert isinstance(doc, Document)
    for line, column in doc.positions.values():
        assert line >= 1 and column >= 1


@fuzz(300)
@given(st.text(st.characters(exclude_categories=()), max_size=200))  # lone surrogates too
def test_parse_text_of_any_text(text: str) -> None:
    RUN["parse_text(any text)"] += 1
    _parses_or_refuses(text)


@fuzz(400)
@given(yaml_ish)
def test_parse_text_of_yaml_like_text(text: str) -> None:
    RUN["parse_text(YAML-like tokens)"] += 1
    _parses_or_refuses(text)


# -- documents built from data, sometimes shaped like sessions --------------------------------

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.integers(),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 1, 1)),
    st.sampled_from(["open", "eu", "ch", "ca", "qc", "eu-ets", "treaty", "memorandum",
                     "bilateral", "unilateral", "offsets.quantity", "termination.notice",
                     "termination.notice.fixed", "library", "../x", "/etc", "~"]),
)
keys = st.one_of(st.text(max_size=12), st.sampled_from([
    "linkwright", "title", "parties", "id", "system", "name", "overrides", "sources", "linkage",
    "type", "recognising", "form", "provisions", "positions", "clause", "params", "text",
    "conditions", "party", "what", "by", "notes", "libraries", "round", "number", "date",
    "marking", "currency_rates", "as_of", "reporting_currency", "year", "short_title"]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)), max_leaves=12)


def _load(data: Any) -> None:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    try:
        neg = load_session_text(text, FILE)
    except LinkwrightError as error:
        assert str(error).startswith(FILE)
        return
    assert isinstance(neg, Negotiation)
    RUN["  of which loaded (any document or mutated preset)"] += 1


@fuzz(150)
@given(values)
def test_load_session_text_of_any_document(data: Any) -> None:
    RUN["load_session_text(any document)"] += 1
    _load(data)


PRESETS = preset_ids()


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a node of `data` (mappings and lists)."""
    out = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            out += _paths(value, (*prefix, index))
    return out


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _mutate(draw: st.DrawFn, data: Any, times: int = 4) -> Any:
    """`data` with 1 to `times` random changes: a value replaced, a key added or removed."""
    for _ in range(draw(st.integers(1, times))):
        paths = _paths(data)
        path = draw(st.sampled_from(paths))
        action = draw(st.sampled_from(["replace", "add", "remove"]))
        if not path:
            continue
        parent, last = _at(data, path[:-1]), path[-1]
        if action == "replace":
            parent[last] = draw(values)
        elif action == "remove":
            del parent[last]
        elif isinstance(parent, dict):
            parent[draw(keys)] = draw(values)
        else:
            parent.append(draw(values))
    return data


@st.composite
def mutated_sessions(draw: st.DrawFn) -> dict[str, Any]:
    """A real preset with a few random changes: a value replaced, a key added or removed."""
    return _mutate(draw, copy.deepcopy(preset_data(draw(st.sampled_from(PRESETS)))))


@fuzz(120)
@given(mutated_sessions())
def test_load_session_text_of_mutated_presets(data: dict[str, Any]) -> None:
    RUN["load_session_text(mutated preset)"] += 1
    _load(data)


def _leaf_like(value: Any) -> st.SearchStrategy[Any]:
    """A new value of the same type as `value`, often out of any sensible range (which
    the loader refuses), as often within one (which goes on to the checks and the draft)."""
    if isinstance(value, bool):
        return st.booleans()
    if isinstance(value, int):
        return st.one_of(st.integers(1, 36), st.integers(-10**6, 10**6),
                         st.integers(-10**12, 10**12))
    if isinstance(value, float):
        return st.one_of(st.floats(0, 100), st.floats())
    if isinstance(value, dt.date):
        return st.one_of(st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)), st.dates())
    if isinstance(value, str):
        return st.text(max_size=40)
    return values


@st.composite
def typed_mutations(draw: st.DrawFn) -> dict[str, Any]:
    """A real preset with a few scalar values replaced by others of the same type (parameter
    values, dates, names, texts), so that most still load and go on to the checks and the
    draft."""
    data = copy.deepcopy(preset_data(draw(st.sampled_from(PRESETS))))
    leaves = [p for p in _paths(data) if p and not isinstance(_at(data, p), (dict, list))
              and p[-1] not in ("id", "system", "clause", "party", "linkwright", "type",
                                "form", "recognising")]
    for path in draw(st.lists(st.sampled_from(leaves), min_size=1, max_size=3)):
        parent = _at(data, path[:-1])
        parent[path[-1]] = draw(_leaf_like(parent[path[-1]]))
    return data


@fuzz(60)
@given(typed_mutations())
def test_a_session_that_loads_also_checks_and_drafts(data: dict[str, Any]) -> None:
    """What loads must check and draft: run_checks, build_draft and the Markdown writer
    accept every session the loader accepts (or say why in a LinkwrightError)."""
    RUN["load + checks + draft to Markdown(typed mutation of a preset)"] += 1
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    try:
        neg = load_session_text(text, FILE)
    except LinkwrightError:
        return
    try:
        markdown = render_document(neg, "md").data.decode("utf-8")
    except LinkwrightError:
        return
    assert markdown.endswith("\n")
    RUN["  of which loaded, checked and drafted"] += 1


# -- templating.check ------------------------------------------------------------------------

PARAMS = ["limit_pct", "x", "items"]
JINJA_TOKENS = [
    "{{", "}}", "{%", "%}", "{#", "#}", "{{-", "-}}", " ", "\n", "x", "limit_pct", "items",
    "Party", "parties", "instrument", "ref", "party", "system", "self", "cycler", "joiner",
    "namespace", "lipsum", "range", "config", "loop", "__class__", "__globals__", "mro", ".",
    "[", "]", "(", ")", "|", "number", "percent", "money", "date", "join", "attr", "map",
    "safe", "'offsets'", "'__class__'", "''", "2", "1.5", "none", "true", ",", "=", "==", ">",
    "<=", "!=", "in", "not", "and", "or", "is", "defined", "~", "+", "-", "*", "**", "/", "%",
    "if", "elif", "else", "endif", "for", "endfor", "set", "endset", "macro", "endmacro",
    "raw", "endraw", "include", "import", "from", "extends", "block", "endblock", "with",
    "endwith", "filter", "endfilter", "call", "endcall", ":", "text",
]

templates = st.lists(st.one_of(st.sampled_from(JINJA_TOKENS), st.text(max_size=3)),
                     max_size=40).map("".join)
"""Up to 40 tokens; deep nesting and long texts are covered by the exact cases in
test_hostile_templates.py."""


def _walked(source: str) -> templating.TemplateFacts:
    """The full AST walk, bypassing any fast path check() may take."""
    from jinja2 import TemplateSyntaxError

    try:
        tree = templating._environment().parse(source)
    except TemplateSyntaxError as exc:
        raise templating.TemplateRefused(str(exc)) from None
    facts: dict[str, set[str]] = {"names": set(), "refs": set(), "parties": set()}
    templating._walk(tree, set(PARAMS), facts)
    return templating.TemplateFacts(frozenset(facts["names"]), frozenset(facts["refs"]),
                                    frozenset(facts["parties"]))



RENDER_VALUES = {"limit_pct": 8, "x": "plain", "items": ["a", "b"], "Party": "Party",
                 "Parties": "Parties", "parties": ["A", "B"], "instrument": "Agreement",
                 "ref": lambda t: "Article 1", "party": lambda p: "A", "system": lambda p: "S",
                 "currency": "EUR"}


@fuzz(700)
@given(templates)
def test_check_of_any_template_passes_or_refuses(source: str) -> None:
    RUN["templating.check + render(template tokens)"] += 1
    try:
        facts = templating.check(source, PARAMS)
    except templating.TemplateRefused as refused:
        assert str(refused)
        return
    assert facts == _walked(source)  # no shortcut allows what the walk refuses
    RUN["  of which allowed"] += 1
    try:  # what is allowed renders, or fails as RenderFailed (the builder names the clause)
        assert isinstance(templating.render(source, RENDER_VALUES), str)
    except templating.RenderFailed as failed:
        assert str(failed)


@fuzz(200)
@given(st.text(max_size=120))
def test_check_of_any_text_passes_or_refuses(source: str) -> None:
    RUN["templating.check(any text)"] += 1
    with contextlib.suppress(templating.TemplateRefused):
        templating.check(source, PARAMS)


@fuzz(200)
@given(st.text(max_size=80), st.text(max_size=200))
def test_a_library_file_with_any_clause_text_loads_or_refuses(title: str, text: str) -> None:
    RUN["add_layer_text(any clause text)"] += 1
    from negotiation.library import Library, add_layer_text

    data = {"topic": "fuzz", "title": title or "t", "order": 1, "provisions": {"fuzz.p": {
        "title": "P", "clauses": [{"id": "fuzz.p.c", "title": title or "c",
                                   "params": {"x": {"type": "text"}},
                                   "text": {"binding": text}}]}}}
    try:
        add_layer_text(Library(), yaml.safe_dump(data, allow_unicode=True), FILE)
    except LinkwrightError as error:
        assert str(error).startswith(FILE)


# -- hostile values through the writers --------------------------------------------------------

# Single-line strings for the title, marking and names; any text for the others.
line = st.text(st.characters(exclude_characters="\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"),
               min_size=1, max_size=60)
anything = st.text(min_size=1, max_size=120)


@st.composite
def hostile_values(draw: st.DrawFn, text: st.SearchStrategy[str] = anything,
                   short: st.SearchStrategy[str] = line) -> dict[str, Any]:
    return {"title": draw(short), "marking": draw(short), "party": draw(short),
            "condition": draw(text), "proposed": draw(text),
            "notes": "NOTESECRET " + draw(text),
            "language": draw(short), "prevailing": draw(text)}


def _edit(v: dict[str, Any]) -> Any:
    def edit(data: dict[str, Any]) -> None:
        data["title"] = v["title"]
        data["marking"] = v["marking"]
        data["parties"][0]["name"] = v["party"]
        data["conditions"] = [{"party": "qc", "what": v["condition"]}]
        data["positions"]["qc"]["third_links.procedure"] = {"text": v["proposed"]}
        data["provisions"]["languages.authentic"] = {
            "clause": "languages.authentic.one_prevails",
            "params": {"languages": [v["language"], "French"], "prevailing": v["prevailing"]}}
        data["notes"] = v["notes"]
    return edit


def _hostile_negotiation(v: dict[str, Any]) -> Negotiation | None:
    try:
        return negotiation("ca-qc-draft", _edit(v))
    except LinkwrightError:
        return None  # e.g. a blank title: refused at load, a fine outcome


@fuzz(50)
@given(hostile_values())
def test_markdown_of_hostile_values(v: dict[str, Any]) -> None:
    RUN["write_markdown(build_draft(hostile values))"] += 1
    neg = _hostile_negotiation(v)
    if neg is None:
        return
    markdown = write_markdown(build_draft(neg))
    assert active_markdown(markdown) == []
    assert "NOTESECRET" not in markdown


@fuzz(10)
@given(hostile_values())
def test_pdf_of_hostile_values(v: dict[str, Any]) -> None:
    RUN["render_document(pdf, hostile values)"] += 1
    neg = _hostile_negotiation(v)
    if neg is None:
        return
    data = render_document(neg, "pdf", findings=[]).data  # a PDF, never "could not typeset"
    assert "NOTESECRET" not in pdf_text(data)


@fuzz(10)
@given(hostile_values())
def test_docx_of_hostile_values(v: dict[str, Any]) -> None:
    RUN["render_document(docx, hostile values)"] += 1
    neg = _hostile_negotiation(v)
    if neg is None:
        return
    text = docx_text(render_document(neg, "docx", findings=[]).data)
    assert flat(v["party"]).replace("\ufffe", "").replace("\uffff", "") in text
    assert "NOTESECRET" not in text


# -- through the command line: library layers, decisions and positions -------------------------
#
# What a user runs: `linkwright check` and `linkwright render` on a session folder another
# delegation sent, its library layer included. Every run ends in exit 0, 1 or 2 with at most
# one line on stderr; an exception escaping `main` is the traceback a user would see.

SEED = "eu-ch"
LAYER_FOLDER = "lib"

OVERRIDE_LAYER: dict[str, Any] = {
    "topic": "termination",
    "provisions": {"termination.notice": {"clauses": [{
        "overrides": "termination.notice.fixed",
        "title": "Termination on fixed notice",
        "forms": ["treaty", "hybrid"], "linkage": ["bilateral", "multilateral"],
        "params": {"months": {"type": "months", "min": 1, "max": 36, "default": 6},
                   "automatic": {"type": "boolean", "default": True}},
        "text": {"binding": "Either {{ Party }} may terminate this Agreement on "
                            "{{ months | number }} months' notice."}}]}}}
"""A layer replacing a built-in clause the seed session has decided."""

NEW_TOPIC_LAYER: dict[str, Any] = {
    "topic": "fuzzing", "title": "Fuzzed terms", "order": 285, "guidance": "Why it matters.",
    "provisions": {"fuzzing.terms": {
        "title": "Terms", "question": "Which terms?",
        "clauses": [
            {"id": "fuzzing.terms.full", "title": "Full terms", "summary": "Every kind of value.",
             "params": {
                 "share": {"type": "percent", "min": 0, "max": 100, "default": 5,
                           "default_from": "offsets.limit_pct"},
                 "start": {"type": "date", "default": dt.date(2030, 1, 1)},
                 "body": {"type": "choice", "options": ["committee", "council"],
                          "default": "committee"},
                 "names": {"type": "list", "default": ["a", "b"]},
                 "fee": {"type": "money", "min": 0, "default": 10},
                 "strict": {"type": "boolean", "default": True},
                 "note": {"type": "text", "default": "plain"}},
             "requires": ["termination.notice"], "conflicts": ["fuzzing.terms.none"],
             "defines": {"fuzzed term": "a term the fuzzer wrote"},
             "recital": "Recalling {{ ref('termination') }},",
             "precedent": [{"source": "None", "where": "nowhere", "verified": False}],
             "text": {
                 "binding": "From {{ start | date }}, {{ share | percent }} and {{ fee | money }} "
                            "for {{ names | join }}{% if strict %}, strictly{% endif %}, by the "
                            "{{ body }} ({{ note }}); see {{ ref('termination.notice') }}.",
                 "nonbinding": "The {{ Parties }} intend {{ share | percent }} from "
                               "{{ start | date }}."}},
            {"id": "fuzzing.terms.none", "title": "No terms",
             "text": {"binding": "No terms apply.", "nonbinding": "No terms are intended."}},
        ]}}}
"""A new topic whose clause takes a parameter of every kind and refers to others."""


def _seed_session(library_in_session: bool) -> dict[str, Any]:
    data = preset_data(SEED)
    # English only: the layers fuzzed here bring clauses no language layer translates,
    # which would be findings of another subject (tests/test_language_versions.py)
    data.pop("languages", None)
    if library_in_session:
        data["libraries"] = [LAYER_FOLDER]
    data["provisions"]["fuzzing.terms"] = {"clause": "fuzzing.terms.full", "params": {"share": 3}}
    data.setdefault("positions", {}).setdefault("ch", {})["termination.notice"] = {
        "clause": "termination.notice.fixed", "params": {"months": 12}}
    return data


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _cli(*args: str) -> tuple[int, str]:
    """Run `linkwright ARGS` in-process: (exit code, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, err.getvalue()


def _check_and_render(folder: Path, formats: tuple[str, ...], options: tuple[str, ...] = (),
                      counter: str = "") -> None:
    """`check`, then `render` in each format: exit 0, 1 or 2, at most one line on stderr."""
    session = str(folder / "session.yaml")
    runs = [("check", session, *options)]
    runs += [("render", session, *options, "-o", str(folder / f"draft.{fmt}"), "--force")
             for fmt in formats]
    for args in runs:
        code, err = _cli(*args)
        assert code in (0, 1, 2), (args, code, err)
        assert "Traceback" not in err
        assert len(err.splitlines()) <= 1, err
        if code == 2:
            assert err.startswith("linkwright: "), err
            return  # refused, in one line: every command refuses the same session alike
    if counter:
        RUN[counter] += 1


STRUCTURAL = {"topic", "id", "overrides", "type", "forms", "linkage", "requires",
              "conflicts", "default_from", "options", "binding", "nonbinding", "recital"}
"""Keys whose values are ids or templates: a random value there is refused at once."""

printable = st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=40)


@st.composite
def mutated_layers(draw: st.DrawFn) -> dict[str, Any]:
    """The two layers, one or both mutated; the layer named by the session or by --library."""
    layers = {"termination.yaml": copy.deepcopy(OVERRIDE_LAYER),
              "fuzzing.yaml": copy.deepcopy(NEW_TOPIC_LAYER)}
    for name in draw(st.lists(st.sampled_from(sorted(layers)), min_size=1, max_size=2,
                              unique=True)):
        if draw(st.booleans()):
            layers[name] = _mutate(draw, layers[name], 3)
        else:  # a value of the same type where ids do not matter: the layer often loads
            leaves = [p for p in _paths(layers[name])
                      if p and not isinstance(_at(layers[name], p), (dict, list))
                      and not STRUCTURAL.intersection(str(part) for part in p)]
            for path in draw(st.lists(st.sampled_from(leaves), min_size=1, max_size=3)):
                parent = _at(layers[name], path[:-1])
                old = parent[path[-1]]
                parent[path[-1]] = draw(printable if isinstance(old, str) else _leaf_like(old))
    return {"layers": layers, "in_session": draw(st.booleans()),
            "format": draw(st.sampled_from(["md", "docx"]))}


def _write_layered(folder: Path, case: dict[str, Any]) -> tuple[str, ...]:
    """Write the session and its layer folder; the options that name the layer, if any."""
    (folder / LAYER_FOLDER).mkdir()
    for name, layer in case["layers"].items():
        (folder / LAYER_FOLDER / name).write_text(_dump(layer), "utf-8")
    (folder / "session.yaml").write_text(_dump(_seed_session(case["in_session"])), "utf-8")
    return () if case["in_session"] else ("--library", str(folder / LAYER_FOLDER))


def test_the_unmutated_layers_load_check_and_draft(tmp_path: Path) -> None:
    """The seed of the layer fuzzing goes all the way, so mutations start from a draft."""
    for in_session in (True, False):
        folder = tmp_path / str(in_session)
        folder.mkdir()
        layers = {"termination.yaml": OVERRIDE_LAYER, "fuzzing.yaml": NEW_TOPIC_LAYER}
        options = _write_layered(folder, {"layers": layers, "in_session": in_session})
        assert _cli("check", str(folder / "session.yaml"), *options)[0] in (0, 1)
        code, err = _cli("render", str(folder / "session.yaml"), *options,
                         "-o", str(folder / "draft.md"))
        assert (code, err) == (0, "")
        assert "on 6 months' notice" in (folder / "draft.md").read_text("utf-8")


@fuzz(30)
@given(mutated_layers())
def test_a_mutated_library_layer_checks_and_renders_or_refuses_in_one_line(
        case: dict[str, Any]) -> None:
    RUN["check + render(md|docx) via the CLI(mutated library layer)"] += 1
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        options = _write_layered(folder, case)
        _check_and_render(folder, ("md", case["format"]), options,
                          "  of which checked and rendered (layer)")


LIBRARY = load_library()
PROVISION_IDS = sorted(LIBRARY.provisions)
CLAUSE_IDS = sorted(LIBRARY.clauses)
CLAUSES_WITH_VALUES = [c for c in CLAUSE_IDS if LIBRARY.clauses[c].params]

any_param_value = st.one_of(
    st.none(), st.booleans(), st.integers(-10**4, 10**4), st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.text(max_size=20), st.lists(st.text(max_size=8), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.sampled_from(["committee", "2030-01-01", "12", "", "EUR 10", "yes"]))


def _fitting(param: Param) -> st.SearchStrategy[Any]:
    """Values that fit `param` (so that most choices load and reach the draft)."""
    if param.type in ("percent", "number", "money"):
        low = param.min if param.min is not None else -10**6
        high = param.max if param.max is not None else 10**6
        return st.one_of(st.integers(math.ceil(low), math.floor(high)),
                         st.floats(low, high, allow_nan=False))
    if param.type in ("integer", "months", "days", "years"):
        low = math.ceil(param.min) if param.min is not None else -10**6
        high = math.floor(param.max) if param.max is not None else 10**6
        return st.integers(low, high)
    if param.type == "date":
        return st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))
    if param.type == "boolean":
        return st.booleans()
    if param.type == "choice":
        return st.sampled_from(param.options or ["none"])
    if param.type == "list":
        return st.lists(st.text(max_size=12), max_size=4)
    return st.text(max_size=40)


@st.composite
def clause_choices(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """(provision, choice): mostly one of its own clauses with fitting values, sometimes
    another provision's clause, an unknown parameter or a value of any kind."""
    pick = draw(st.sampled_from(["a clause with values"] * 5 + ["any own clause"] * 4
                                + ["another provision's clause"]))
    if pick == "a clause with values":
        clause_id = draw(st.sampled_from(CLAUSES_WITH_VALUES))
        provision = LIBRARY.clauses[clause_id].provision
    else:
        provision = draw(st.sampled_from(PROVISION_IDS))
        own = LIBRARY.provisions[provision].clauses
        clause_id = draw(st.sampled_from(own if own and pick == "any own clause"
                                         else CLAUSE_IDS))
    clause = LIBRARY.clauses[clause_id]
    params: dict[str, Any] = {}
    names = sorted(clause.params)
    for name in draw(st.lists(st.sampled_from(names), max_size=3, unique=True)) if names else []:
        kind = draw(st.sampled_from(["fitting"] * 3 + ["any kind"]))
        params[name] = draw(_fitting(clause.params[name]) if kind == "fitting"
                            else any_param_value)
    if draw(st.sampled_from(["known names"] * 9 + ["an unknown name"])) != "known names":
        params["unknown"] = draw(any_param_value)
    return provision, {"clause": clause_id, "params": params}


@st.composite
def chosen_and_proposed(draw: st.DrawFn) -> dict[str, Any]:
    """A preset with a few decisions and positions changed: clause choices with values, or
    a party's own text."""
    data = preset_data(draw(st.sampled_from(PRESETS)))
    parties = [p["id"] for p in data["parties"]]
    for _ in range(draw(st.integers(1, 4))):
        provision, choice = draw(clause_choices())
        if draw(st.booleans()):
            data["provisions"][provision] = choice
            continue
        party = draw(st.sampled_from(parties))
        position: Any = choice if draw(st.integers(0, 4)) else {"text": draw(anything)}
        data.setdefault("positions", {}).setdefault(party, {})[provision] = position
    return {"session": data, "format": draw(st.sampled_from(["md", "docx"]))}


@fuzz(40)
@given(chosen_and_proposed())
def test_mutated_decisions_and_positions_check_and_render_or_refuse_in_one_line(
        case: dict[str, Any]) -> None:
    RUN["check + render(md|docx) via the CLI(decisions and positions)"] += 1
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "session.yaml").write_text(_dump(case["session"]), "utf-8")
        _check_and_render(folder, ("md", case["format"]),
                          counter="  of which checked and rendered (choices)")


@fuzz(4)
@given(chosen_and_proposed())
def test_mutated_decisions_and_positions_render_to_pdf_or_refuse_in_one_line(
        case: dict[str, Any]) -> None:
    RUN["render(pdf) via the CLI(decisions and positions)"] += 1
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "session.yaml").write_text(_dump(case["session"]), "utf-8")
        _check_and_render(folder, ("pdf",))


def test_zz_print_the_number_of_fuzzed_examples(capsys: pytest.CaptureFixture[str]) -> None:
    with capsys.disabled():
        print("\nfuzzed examples run:")
        for name, count in sorted(RUN.items()):
            print(f"  {count:6d}  {name}")
        total = sum(count for name, count in RUN.items() if not name.startswith(" "))
        print(f"  {total:6d}  examples in all")
