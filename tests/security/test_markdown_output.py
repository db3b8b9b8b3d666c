"""No live markup in any Markdown Linkwright writes (issue 9, part 2).

A library layer, a session and a proposed text are untrusted, and Linkwright's
own skeletons write no link, image or HTML. So no Markdown it writes may hold a
link, an image, an autolink, raw HTML or a link reference definition, however
the markup is split: across template syntax in one clause text, across a
`{% if %}` branch and its neighbour, between clause text and a value, between
two clauses. Each case below either ends in one clear line on stderr (exit 2,
no traceback) naming the clause and its file, or the document it would have
reached, or renders with nothing live in it.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from markdown_it import MarkdownIt

from negotiation import templating
from negotiation.checks import run_checks
from negotiation.cli import main
from negotiation.drafting.brief import build_brief
from negotiation.drafting.builder import build_draft
from negotiation.drafting.markdown import write_markdown
from negotiation.drafting.status import build_status
from negotiation.errors import LinkwrightError
from negotiation.library import Clause, ClauseText, Library, Provision, add_layer_text
from negotiation.session import Negotiation, negotiation_from_document, preset_ids
from negotiation.yamlload import Document
from tests.conftest import negotiation, preset_data
from tests.security.support import markdown_visible_text

CLAUSE = "objective.purpose.link_and_implement"  # the objective eu-ch chooses

LAYER = """\
topic: objective
provisions:
  objective.purpose:
    clauses:
      - overrides: objective.purpose.link_and_implement
        title: Link through mutual recognition of allowances
        forms: [treaty, memorandum, hybrid]
        linkage: [bilateral, multilateral]
        params:
          x: {type: text, default: "yes"}
        text:
          binding: %(text)s
          nonbinding: %(text)s
"""
TEXT_AT = "12:11"
"""Line and column of the binding key in LAYER: where a load-time error points."""

DEFINES_X = """\
topic: termination
provisions:
  termination.notice:
    clauses:
      - overrides: termination.notice.fixed
        title: Fixed notice
        params:
          months: {type: months, default: 6}
        text:
          binding: "Either Party may terminate on {{ months }} months' notice.\\n\\n[x]: http://evil.example"
          nonbinding: "Either Participant may withdraw on {{ months }} months' notice."
"""
"""A reference definition in one clause, for a `[x]` in another."""


def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark")  # raw HTML on, as CommonMark has it
    parser.validateLink = lambda url: True  # count javascript: and file: links too
    return parser


def live(markdown: str) -> list[tuple[str, str]]:
    """Every link, image, autolink, raw HTML and link reference definition a
    CommonMark reader finds in `markdown`."""
    env: dict[str, Any] = {}
    found = []
    for block in _parser().parse(markdown, env):
        for token in [block, *(block.children or [])]:
            if token.type in ("link_open", "image", "html_inline", "html_block"):
                found.append((token.type, token.content or str(token.attrs)))
    found += [("reference", label) for label in env.get("references", {})]
    return found


def _layer(folder: Path, text: str, extra: str | None = None) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "objective.yaml").write_text(LAYER % {"text": json.dumps(text)}, "utf-8")
    if extra is not None:
        (folder / "termination.yaml").write_text(extra, "utf-8")
    return folder


def _render(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["render", *argv])
    return code, capsys.readouterr().err


def _refused_once(code: int, err: str) -> str:
    """The one line on stderr of a clear refusal."""
    assert code == 2
    assert "Traceback" not in err
    assert err.count("\n") == 1 and err.endswith("\n")
    return err.rstrip("\n")


# -- markup split by template syntax: refused when the library loads ------------------------

LINKS = ("links and images are not allowed in clause text: a clause may not point at a file "
         "or a web address")
HTML = "raw HTML is not allowed in clause text; write it in Markdown"

SPLIT: list[tuple[str, str]] = [
    ("See [click]{# #}(http://evil.example).", LINKS),
    ("See [click]{{ '' }}(http://evil.example).", LINKS),
    ("See [a]{% if x %}{% endif %}(http://evil.example).", LINKS),
    ("See !{# #}[i](http://evil.example/i.png).", LINKS),
    ("Each Party <scr{# #}ipt>alert(1)</script>.", HTML),
    ("Each Party <{{ '' }}img src=x onerror=alert(1)>.", HTML),
    ("See <http{# #}://evil.example>.", HTML),
    ("See [x].\n\n[x]: http{# #}://evil.example", LINKS),
]


@pytest.mark.parametrize(("text", "problem"), SPLIT, ids=[c[0] for c in SPLIT])
def test_markup_split_by_template_syntax_is_refused_with_the_clause_and_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, problem: str) -> None:
    folder = _layer(tmp_path / "library", text)
    out = tmp_path / "draft.md"
    line = _refused_once(*_render(capsys, "--preset", "eu-ch", "--library", str(folder),
                                  "--format", "md", "-o", str(out)))
    assert line.endswith(f"{folder / 'objective.yaml'}:{TEXT_AT}: clause '{CLAUSE}' "
                         f"(text.binding): {problem}; {templating.ALLOWED_SUMMARY}")
    assert not out.exists()


def test_a_reference_definition_for_another_clause_is_refused_with_its_clause(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _layer(tmp_path / "library", "See [x] for the terms.", DEFINES_X)
    out = tmp_path / "draft.md"
    line = _refused_once(*_render(capsys, "--preset", "eu-ch", "--library", str(folder),
                                  "--format", "md", "-o", str(out)))
    assert f"{folder / 'termination.yaml'}:" in line
    assert line.endswith(f"clause 'termination.notice.fixed' (text.binding): {LINKS}; "
                         f"{templating.ALLOWED_SUMMARY}")
    assert not out.exists()


# -- what only rendering shows: the branch that prints, the value next to a bracket ----------

RENDERED: list[tuple[str, str]] = [
    ("See {% if x %}[click]{% else %} {% endif %}(http://evil.example).", "a Markdown link"),
    ("See {% if x %}![i]{% else %} {% endif %}(http://evil.example/i.png).",
     "a Markdown image"),
    ("Each Party {% if x %}<{% else %} {% endif %}script>alert(1).", "raw HTML"),
    ("See {% if x %}<{% else %} {% endif %}http://evil.example>.", "an autolink"),
    ("Each Party shall act.\n\n{% if x %}[x]{% else %}[x] {% endif %}: http://evil.example",
     "a link reference definition"),
]


@pytest.mark.parametrize(("text", "what"), RENDERED, ids=[c[1] for c in RENDERED])
def test_markup_made_by_the_branch_that_prints_is_refused_when_it_renders(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, what: str) -> None:
    folder = _layer(tmp_path / "library", text)
    out = tmp_path / "draft.md"
    line = _refused_once(*_render(capsys, "--preset", "eu-ch", "--library", str(folder),
                                  "--format", "md", "-o", str(out)))
    assert line == (f"linkwright: clause '{CLAUSE}' ({folder / 'objective.yaml'}) renders to "
                    f"{what}; clause text may not hold links, images or HTML")
    assert not out.exists()


def _session(folder: Path, edit: Any) -> Path:
    data = preset_data("eu-ch")
    data["libraries"] = ["library"]
    edit(data)
    path = folder / "session.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    return path


def test_a_session_value_completing_a_link_after_a_bracket_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Values are escaped, but "(" is not Markdown by itself: next to a clause's
    "]" it would finish a link. The rendered fragment is checked, so it cannot."""
    folder = _layer(tmp_path / "library", "See [the annex]{{ x }}.")

    def edit(data: dict[str, Any]) -> None:
        data["provisions"]["objective.purpose"] = {
            "clause": CLAUSE, "params": {"x": "(http://evil.example)"}}

    out = tmp_path / "draft.md"
    line = _refused_once(*_render(capsys, str(_session(tmp_path, edit)), "--format", "md",
                                  "-o", str(out)))
    assert line == (f"linkwright: clause '{CLAUSE}' ({folder / 'objective.yaml'}) renders to "
                    "a Markdown link; clause text may not hold links, images or HTML")


def test_a_link_made_across_the_options_of_a_paragraph_is_refused_for_the_draft(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No fragment holds a link, but `[Option 1: ` + a clause's `x](http://…) y` does:
    the check of the finished document is the last wall, and names it."""
    _layer(tmp_path / "library", "x](http://evil.example) y")

    def edit(data: dict[str, Any]) -> None:
        data["provisions"]["objective.purpose"] = "open"
        positions = data.setdefault("positions", {})
        positions.setdefault("eu", {})["objective.purpose"] = {"clause": CLAUSE}
        positions.setdefault("ch", {})["objective.purpose"] = {
            "clause": "objective.purpose.link_and_cooperate"}

    out = tmp_path / "draft.md"
    line = _refused_once(*_render(capsys, str(_session(tmp_path, edit)), "--format", "md",
                                  "-o", str(out)))
    assert re.fullmatch(
        r"linkwright: the Markdown of the treaty draft would hold a Markdown link \(line \d+\); "
        r"Linkwright writes no links, images or HTML: remove the markup from the clause text "
        r"or the session value that put it there", line), line
    assert not out.exists()


def test_the_brief_refuses_live_markup_that_reached_it() -> None:
    """The economics section is inserted as the economics module wrote it: the check of
    the finished brief stands behind that module's own escaping."""
    neg = negotiation("eu-ch")
    with pytest.raises(LinkwrightError) as info:
        build_brief(neg, [], economics_markdown="Prices from <http://evil.example>.")
    assert str(info.value).startswith("the Markdown of the negotiator's brief would hold an "
                                      "autolink (line ")


# -- every preset, instrument and brief, with a hostile-but-legal layer ------------------------

HOSTILE_TEXT = ("Each {{ Party }} shall act < now on [the terms] (see b](c)) of `x < y`, "
                "*{{ parties | join }}*, 5[a] (b) and {{ x }}; a ![ is not an image, "
                "<> nor &lt;b&gt; HTML, ** nor _ emphasis.")
HOSTILE_VALUE = "<b>[v](http://evil.example)</b> <http://a.example> `t` [r]: /etc/passwd"
HOSTILE_TITLE = "Title <i>x</i> [t](http://evil.example) `c` *e*"
HOSTILE_PARTY = "<b>Party</b> [p](http://evil.example) `q` *s* <http://p.example>"

HOSTILE_CLAUSE = """\
      - overrides: %(id)s
        title: %(title)s
        forms: %(forms)s
        linkage: %(linkage)s
        params:
          x: {type: text, default: %(value)s}
%(own_params)s        defines: {%(title)s: %(value)s}
        precedent: [{source: %(title)s, where: %(value)s}]
        guidance: %(value)s
        recital: %(text)s
        text:
          binding: %(text)s
          nonbinding: %(text)s
"""
OBJECTIVES = {
    "objective.purpose.link": ("[treaty, memorandum, hybrid]", "[bilateral, multilateral]"),
    "objective.purpose.link_and_implement": ("[treaty, memorandum, hybrid]",
                                             "[bilateral, multilateral]"),
    "objective.purpose.harmonise_and_integrate": ("[treaty, memorandum, hybrid]",
                                                  "[bilateral, multilateral]"),
    "objective.purpose.link_and_cooperate": ("[treaty, memorandum, hybrid]",
                                             "[bilateral, multilateral]"),
    "objective.purpose.recognition_act": ("[regulation]", "[unilateral]"),
    "objective.purpose.recognition_act_under_statute": ("[regulation]", "[unilateral]"),
}
"""The objective clauses the presets choose, each overridden with hostile text."""

OWN_PARAMS = {"objective.purpose.recognition_act_under_statute": ["enabling_act"]}
"""Parameters a preset gives the clause it overrides: the override keeps them."""


def _hostile_layer(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    clauses = "".join(HOSTILE_CLAUSE % {
        "id": cid, "forms": forms, "linkage": linkage, "title": json.dumps(HOSTILE_TITLE),
        "value": json.dumps(HOSTILE_VALUE), "text": json.dumps(HOSTILE_TEXT),
        "own_params": "".join(f"          {name}: {{type: text}}\n"
                              for name in OWN_PARAMS.get(cid, []))}
        for cid, (forms, linkage) in OBJECTIVES.items())
    (folder / "objective.yaml").write_text(
        "topic: objective\nprovisions:\n  objective.purpose:\n    clauses:\n" + clauses,
        "utf-8")
    return folder


@pytest.fixture(scope="module")
def hostile_layer(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _hostile_layer(tmp_path_factory.mktemp("hostile") / "library")


def _hostile_preset(preset: str, layer: Path) -> Negotiation:
    data = preset_data(preset)
    data["parties"][0]["name"] = HOSTILE_PARTY
    return negotiation_from_document(Document(data, f"{preset}.yaml", {(): (1, 1)}), None,
                                     (layer,))


@pytest.mark.parametrize("preset", preset_ids())
def test_no_preset_instrument_holds_live_markup_with_a_hostile_layer(
        preset: str, hostile_layer: Path) -> None:
    neg = _hostile_preset(preset, hostile_layer)
    assert neg.chosen()["objective.purpose"][0].title == HOSTILE_TITLE  # the layer is used
    markdown = write_markdown(build_draft(neg))
    assert live(markdown) == []
    shown = markdown_visible_text(markdown)
    assert HOSTILE_PARTY in shown
    assert HOSTILE_VALUE in shown
    # An Australian instrument says "must" where the library says "shall" (its house style).
    verb = "must" if preset == "au-eu" else "shall"
    assert f"{verb} act < now on [the terms] (see b](c)) of" in shown


@pytest.mark.parametrize("preset", preset_ids())
def test_no_preset_brief_holds_live_markup_with_a_hostile_layer(
        preset: str, hostile_layer: Path) -> None:
    neg = _hostile_preset(preset, hostile_layer)
    markdown = build_brief(neg, run_checks(neg))
    assert live(markdown) == []
    shown = markdown_visible_text(markdown)
    assert HOSTILE_PARTY in shown
    assert f"Choice: {HOSTILE_TITLE}" in shown
    assert HOSTILE_VALUE in shown  # the clause's guidance


# -- ids reach the skeletons escaped -------------------------------------------------------------

HOSTILE_PROVISION = "objective.p`<img src=x onerror=alert(1)>`[l](http://evil.example)"
HOSTILE_CLAUSE_ID = "objective.c`<b>bold</b>`[r]: http://evil.example"


def _with_hostile_ids(neg: Negotiation) -> Negotiation:
    """The negotiation with one more open provision, whose ids a library loaded from
    a file may not hold: built in-process, so the escaping is tested on its own."""
    library = neg.library
    clause = Clause.model_construct(  # no validation: the load-time id rule is not tested here
        id=HOSTILE_CLAUSE_ID, title="A clause with a hostile id",
        text=ClauseText(binding="Each Party shall act.", nonbinding="Each Participant will act."))
    clause._provision = HOSTILE_PROVISION
    clause._facts = {}
    provision = Provision(HOSTILE_PROVISION, "objective", "A provision with a hostile id", "",
                          "", None, None, "in-process", [HOSTILE_CLAUSE_ID])
    objective = library.topics["objective"]
    hostile = Library(
        topics={**library.topics, "objective": dataclasses.replace(
            objective, provisions=[*objective.provisions, HOSTILE_PROVISION])},
        provisions={**library.provisions, HOSTILE_PROVISION: provision},
        clauses={**library.clauses, HOSTILE_CLAUSE_ID: clause},
        layers=list(library.layers))
    return Negotiation(copy.deepcopy(neg.session), hostile, neg.systems, doc=neg.doc)


def test_ids_holding_backticks_and_html_show_as_typed_in_the_status_note() -> None:
    # The status table (which names provisions by id) left the instrument for the note.
    neg = _with_hostile_ids(negotiation("eu-ch"))
    markdown = write_markdown(build_draft(neg))
    assert live(markdown) == [] and HOSTILE_PROVISION not in markdown_visible_text(markdown)
    note = build_status(neg)
    assert live(note) == []
    assert HOSTILE_PROVISION in markdown_visible_text(note)


def test_ids_holding_backticks_and_html_show_as_typed_in_the_brief() -> None:
    neg = _with_hostile_ids(negotiation("eu-ch"))
    markdown = build_brief(neg, run_checks(neg))
    assert live(markdown) == []
    shown = markdown_visible_text(markdown)
    assert f"A provision with a hostile id ({HOSTILE_PROVISION})" in shown
    assert f"A clause with a hostile id ({HOSTILE_CLAUSE_ID})" in shown


def test_plain_ids_stay_code_in_the_brief() -> None:
    markdown = build_brief(negotiation("eu-ch"), [])
    assert "### Purpose of the instrument (`objective.purpose`)" in markdown


# -- integer literals beyond what Python converts ------------------------------------------------

NUMBER_TOPIC = """\
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
          x: {type: number, default: 8}
        text:
          binding: %s
          nonbinding: Each Participant will act.
"""
FILE = "delegation-b/numbers.yaml"

LONG_NUMBERS = [
    "{{ 1" + "0" * 5000 + " }}",
    "{% if x > 1" + "0" * 5000 + " %}more{% endif %}",
    "{% if x > 1" + "0" * 30 + " %}more{% endif %}",
    "{{ 1" + "_000" * 11 + " }}",
    "{{ 0x" + "f" * 5000 + " }}",
    "{{ 1." + "5" * 5000 + " }}",
    "{{ x | number(1" + "0" * 40 + ") }}",
]


@pytest.mark.parametrize("source", LONG_NUMBERS, ids=[s[:16] for s in LONG_NUMBERS])
def test_a_number_longer_than_thirty_digits_is_refused_when_the_library_loads(
        source: str) -> None:
    library = Library()
    with pytest.raises(LinkwrightError) as info:
        add_layer_text(library, NUMBER_TOPIC % json.dumps(source), FILE)
    assert str(info.value) == (
        f"{FILE}:13:11: clause 'hostile.p.c' (text.binding): a number in clause text may "
        f"have at most 30 digits; {templating.ALLOWED_SUMMARY}")
    assert "hostile.p.c" not in library.clauses


def test_a_number_of_thirty_digits_loads_and_renders() -> None:
    source = "{% if x < 1" + "0" * 29 + " %}within{% endif %} " + "9" * 40 + " in text"
    library = Library()
    add_layer_text(library, NUMBER_TOPIC % json.dumps(source), FILE)
    assert templating.render(source, {"x": 8}) == "within " + "9" * 40 + " in text"
