"""Values another delegation's file gives are checked at their line, and a library
layer that replaces agreed text says so (issue 9, part 2).

A session or a library from across the table is untrusted input: a value of the
wrong kind or out of its bounds ends in one line naming the file, line and column,
never in a draft that prints a mapping as a percentage; and a layer that swaps the
text behind a clause the parties chose is a warning in `check` and in the brief.
"""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

from negotiation import edits
from negotiation.checks import run_checks
from negotiation.cli import main
from negotiation.errors import LinkwrightError
from negotiation.findings import Finding
from negotiation.session import (
    Negotiation,
    date_problem,
    load_session,
    preset_text,
)
from tests.conftest import fixed_notice_layer, negotiation

ROOT = Path(__file__).resolve().parents[2]
EU_CH = preset_text("eu-ch").replace(
    "\nconditions:\n",
    "\npositions:\n"
    "  eu: {institutions.body: {clause: institutions.body.joint_committee_binding}}\n"
    "  ch: {institutions.body: {clause: institutions.body.joint_committee_binding}}\n"
    "conditions:\n", 1)
"""eu-ch with each party's position on the joint body: the agreement as signed records no
positions, and these tests edit one."""
NOTICE = ("  termination.notice: {clause: termination.notice.fixed, "
          "params: {months: 6, automatic: true}}\n")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def session_file(folder: Path, old: str, new: str, text: str = EU_CH) -> Path:
    assert old in text, old
    path = folder / "s.yaml"
    path.write_text(text.replace(old, new), "utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1)
                if needle in line)


# -- a parameter value of the wrong kind or out of bounds ---------------------------------------

WRONG_VALUES = [
    ("{a: 1}", "must be a number, not a mapping"),
    ("[1, 2]", "must be a number, not a list"),
    ("six", "must be a number, not 'six'"),
    ("true", "must be a number, not true"),
    ("null", "has no value"),
    (".nan", "is .nan, not a finite number"),
    ("0", "is 0, below the minimum 1"),
    ("37", "is 37, above the maximum 36"),
    ("6.5", "must be a whole number, not 6.5"),
]


@pytest.mark.parametrize(("value", "problem"), WRONG_VALUES,
                         ids=[v for v, _ in WRONG_VALUES])
def test_a_decisions_wrong_value_is_refused_at_its_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str, problem: str) -> None:
    path = session_file(tmp_path, "params: {months: 6, automatic",
                        f"params: {{months: {value}, automatic")
    code, out, err = run(capsys, "check", str(path))
    line = line_of(path, "termination.notice:")
    assert code == 2 and out == ""
    assert err == (f"linkwright: {path}:{line}:67: provisions.termination.notice.params.months: "
                   f"{problem}\n")


def test_a_positions_wrong_value_is_refused_at_its_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = session_file(
        tmp_path, "  ch: {institutions.body: {clause: institutions.body.joint_committee_binding}}",
        "  ch: {termination.notice: {clause: termination.notice.fixed,\n"
        "                            params: {months: {years: 1}}}}")
    code, _, err = run(capsys, "check", str(path))
    assert code == 2
    assert err == (f"linkwright: {path}:{line_of(path, 'params: {months: {years')}:38: "
                   "positions.ch.termination.notice.params.months: must be a number, "
                   "not a mapping\n")


@pytest.mark.parametrize(("clause", "name", "value", "problem"), [
    ("recognition.scope.phased", "phase_one_end", "'2030'",
     "must be a date (YYYY-MM-DD), not '2030'"),
    ("recognition.scope.phased", "phase_one_end", "{a: 1}",
     "must be a date (YYYY-MM-DD), not a mapping"),
    ("recognition.scope.quantitative_limit", "limit_pct", "[5]", "must be a number, not a list"),
    ("recognition.scope.quantitative_limit", "limit_pct", "100.5",
     "is 100.5, above the maximum 100"),
])
def test_a_value_of_any_kind_is_checked_against_the_parameters_type(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], clause: str, name: str, value: str,
        problem: str) -> None:
    path = session_file(tmp_path, "recognition.scope: {clause: recognition.scope.full}",
                        f"recognition.scope: {{clause: {clause}, params: {{{name}: {value}}}}}")
    code, _, err = run(capsys, "check", str(path))
    assert code == 2
    assert err.endswith(f": provisions.recognition.scope.params.{name}: {problem}\n")


def test_a_long_text_value_is_shown_clipped_on_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = session_file(tmp_path, "params: {months: 6, automatic",
                        'params: {months: "six\\nmonths ' + "and more " * 20
                        + '", automatic')
    code, _, err = run(capsys, "check", str(path))
    assert code == 2 and err.count("\n") == 1
    assert err.endswith("must be a number, not 'six months and more and more and more an…'\n")


def test_render_refuses_what_check_refuses_and_writes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = session_file(tmp_path, "params: {months: 6}}", "params: {months: {a: 1}}}")
    for name in ("draft.md", "draft.docx"):
        code, _, err = run(capsys, "render", str(path), "-o", str(tmp_path / name))
        assert code == 2 and "must be a number, not a mapping" in err
        assert not (tmp_path / name).exists()


def test_values_at_the_bounds_load(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for months in ("1", "36", "12.0"):
        path = session_file(tmp_path, "params: {months: 6, automatic",
                            f"params: {{months: {months}, automatic")
        assert run(capsys, "check", str(path))[0] in (0, 1), months


# -- the round, the year and the dates -----------------------------------------------------------

@pytest.mark.parametrize(("old", "new", "needle", "message"), [
    ("number: 3", "number: 0", "round:", "round.number: a round is numbered from 1 to 999, not 0"),
    ("number: 3", "number: 1000", "round:",
     "round.number: a round is numbered from 1 to 999, not 1000"),
    ("year: 2017", "year: 1989", "year: 1989",
     "year: the year 1989 is not between 1990 and 2100; check it"),
    ("year: 2017", "year: 2101", "year: 2101",
     "year: the year 2101 is not between 1990 and 2100; check it"),
    ("date: 2017-11-23", "date: 2207-11-23", "round:",
     "round.date: the date 2207-11-23 is not between the years 1990 and 2100; check its year"),
    ("as_of: 2017-06-01", "as_of: 1989-12-31", "currency_rates:",
     "currency_rates.as_of: the date 1989-12-31 is not between the years 1990 and 2100; "
     "check its year"),
    ("what: include aviation activities in the Swiss ETS\n",
     "what: include aviation activities in the Swiss ETS\n    by: 0020-01-01\n", "by: 0020",
     "conditions.0.by: the date 0020-01-01 is not between the years 1990 and 2100; check its year"),
])
def test_round_year_and_dates_out_of_range_are_refused_at_their_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, needle: str,
        message: str) -> None:
    path = session_file(tmp_path, old, new)
    code, _, err = run(capsys, "check", str(path))
    assert code == 2
    assert err.startswith(f"linkwright: {path}:{line_of(path, needle)}:")
    assert err.endswith(f": {message}\n")


@pytest.mark.parametrize(("rate", "shown"), [
    ("0", "0"), ("-0.92", "-0.92"), (".nan", ".nan"), (".inf", ".inf"), ("1e7", "1e+07")])
def test_an_exchange_rate_that_is_no_rate_is_refused_at_its_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], rate: str, shown: str) -> None:
    path = session_file(tmp_path, "CHF: 0.92}", f"CHF: {rate}}}")
    code, _, err = run(capsys, "check", str(path))
    assert code == 2
    assert err == (f"linkwright: {path}:{line_of(path, 'currency_rates:')}:47: "
                   "currency_rates.CHF: a rate is the EUR paid for one CHF, more than 0 and "
                   f"at most 1,000,000, not {shown}\n")


def test_no_preset_uses_a_round_zero_or_a_date_out_of_range() -> None:
    for preset in ("eu-ch", "ca-qc", "ca-qc-on", "au-eu", "eu-uk", "eu-ch-uk"):
        session = negotiation(preset).session
        assert session.round is None or 1 <= session.round.number <= 999
        assert session.round is None or date_problem(session.round.date) is None


def test_a_huge_hexadecimal_schema_version_ends_in_the_schema_version_message(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = session_file(tmp_path, "linkwright: 1", "linkwright: 0x7fffffffffffffffffff")
    code, _, err = run(capsys, "check", str(path))
    assert code == 2
    assert err == (f"linkwright: {path}:{line_of(path, 'linkwright: 0x')}:1: this session "
                   "uses schema version "
                   f"{0x7fffffffffffffffffff}, newer than this Linkwright understands (1); "
                   "upgrade Linkwright to open it\n")


# -- edits (what the TUI writes) are held to the same rules -------------------------------------

def test_an_edit_writing_a_value_out_of_bounds_is_refused_in_the_loaders_words(
        tmp_path: Path) -> None:
    from tui.document import SessionDocument

    path = tmp_path / "s.yaml"
    path.write_text(EU_CH, "utf-8")
    document = SessionDocument.open(path)
    before = document.session
    with pytest.raises(LinkwrightError) as refused:
        document.apply(lambda s: edits.set_decision_param(s, "termination.notice", "months", 37))
    assert str(refused.value) == ("provisions.termination.notice.params.months: is 37, "
                                  "above the maximum 36")
    assert document.session is before and not document.can_undo


def test_an_edit_adding_a_condition_dated_beyond_2100_is_refused_in_the_dialogs_words(
        tmp_path: Path) -> None:
    from tui.document import SessionDocument

    path = tmp_path / "s.yaml"
    path.write_text(EU_CH, "utf-8")
    document = SessionDocument.open(path)
    late = dt.date(2101, 1, 1)
    with pytest.raises(LinkwrightError) as refused:
        document.apply(lambda s: edits.add_condition(s, "ch", "include aviation", late))
    assert str(refused.value) == f"by: {date_problem(late)}"
    assert date_problem(late) == ("the date 2101-01-01 is not between the years 1990 and 2100; "
                                  "check its year")


# -- every parser is the safe one -----------------------------------------------------------------

def _yaml_parsing_calls(path: Path) -> list[str]:
    """Calls of PyYAML's parsing functions in a module (dumping is fine)."""
    parsing = {"load", "safe_load", "full_load", "unsafe_load", "load_all", "safe_load_all",
               "parse", "compose", "scan"}
    calls = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "yaml"
                and node.func.attr in parsing):
            calls.append(f"{path.relative_to(ROOT)}:{node.lineno}: yaml.{node.func.attr}")
    return calls


def test_nothing_but_the_one_loader_parses_yaml() -> None:
    modules = [p for folder in ("negotiation", "tui") for p in (ROOT / folder).rglob("*.py")
               if p.name != "yamlload.py"]
    assert modules
    assert [call for p in modules for call in _yaml_parsing_calls(p)] == []


def test_a_typed_figure_goes_through_the_loader() -> None:
    from tui.formatting import parse_figure

    # Ordinary input reads as before: numbers, dates, words, lists.
    assert parse_figure("12", 5) == 12
    assert parse_figure("12.5", 5.0) == 12.5
    assert parse_figure("2020-01-01", None) == dt.date(2020, 1, 1)
    assert parse_figure("2020-01-01", 2019) == 2020
    assert parse_figure("EU ETS", "x") == "EU ETS"
    assert parse_figure("power, industry", ["power"]) == ["power", "industry"]
    assert parse_figure("yes", False) is True
    assert parse_figure("[unclosed", "x") == "[unclosed"
    # A control character written as an escape is the loader's to refuse: the text is
    # kept as typed, never turned into an escape sequence in the session file.
    assert parse_figure('"\\e[31mred"', "x") == '"\\e[31mred"'


def test_preset_labels_read_through_the_loader() -> None:
    from tui.opening import preset_labels

    assert preset_labels(["eu-ch", "ca-qc"]) == [
        ("eu-ch", "EU–Switzerland ETS Linking Agreement (treaty, bilateral, 2017)"),
        ("ca-qc", f"{negotiation('ca-qc').session.short_title} (memorandum, bilateral, 2014)"),
    ]


# -- a library layer that replaces a clause the parties chose ------------------------------------

REPLACING_LAYER = fixed_notice_layer(
    "Either Party may terminate this Agreement at any time, without notice.",
    extra="        forms: [treaty, hybrid]\n        linkage: [bilateral, multilateral]\n")

ADDING_LAYER = """\
topic: termination
provisions:
  termination.notice:
    clauses:
      - id: termination.notice.immediate
        title: Termination at once
        forms: [treaty, hybrid]
        text:
          binding: Either Party may terminate this Agreement at once.
"""

AGREED = ("the agreed text of 'Notice of termination or withdrawal' (termination.notice) comes "
          "from library/termination.yaml, which replaces the built-in clause "
          "'termination.notice.fixed' (clauses/termination.yaml); read it before tabling")


def layered_session(folder: Path, layer: str = REPLACING_LAYER, text: str = EU_CH) -> Path:
    (folder / "library").mkdir()
    (folder / "library" / "termination.yaml").write_text(layer, "utf-8")
    path = folder / "session.yaml"
    path.write_text(text.replace("reporting_currency: EUR",
                                 "reporting_currency: EUR\nlibraries: [library]"), "utf-8")
    return path


def replaced_findings(neg: Negotiation) -> list[Finding]:
    return [f for f in run_checks(neg) if f.rule == "library.replaced"]


def test_a_replaced_clause_the_session_decided_is_one_warning(tmp_path: Path) -> None:
    found = replaced_findings(load_session(layered_session(tmp_path)))
    assert [(f.severity, f.topic, f.message, f.clauses) for f in found] == [
        ("warning", "termination", AGREED, ("termination.notice.fixed",))]


def test_a_replaced_clause_decided_and_proposed_is_still_one_warning(tmp_path: Path) -> None:
    text = EU_CH.replace(
        "  ch: {institutions.body: {clause: institutions.body.joint_committee_binding}}",
        "  ch: {termination.notice: {clause: termination.notice.fixed, params: {months: 12}}}")
    found = replaced_findings(load_session(layered_session(tmp_path, text=text)))
    assert [f.message for f in found] == [AGREED]


def test_a_replaced_clause_only_a_party_proposes_names_the_party(tmp_path: Path) -> None:
    text = EU_CH.replace(NOTICE, "").replace(
        "  ch: {institutions.body: {clause: institutions.body.joint_committee_binding}}",
        "  ch: {termination.notice: {clause: termination.notice.fixed, params: {months: 12}}}")
    found = replaced_findings(load_session(layered_session(tmp_path, text=text)))
    assert [(f.message, f.parties) for f in found] == [(
        "the text Switzerland proposes for 'Notice of termination or withdrawal' "
        "(termination.notice) comes from library/termination.yaml, which replaces the "
        "built-in clause 'termination.notice.fixed' (clauses/termination.yaml); read it "
        "before tabling", ("ch",))]


def test_a_replaced_clause_nobody_chose_or_named_is_no_finding(tmp_path: Path) -> None:
    text = EU_CH.replace(NOTICE, "")
    assert replaced_findings(load_session(layered_session(tmp_path, text=text))) == []


def test_check_warns_of_a_layer_that_replaces_a_decided_clause(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", str(layered_session(tmp_path)))
    assert code in (0, 1) and err == ""  # 1 if other rules find errors: not this one
    assert f"  warning library.replaced: {AGREED}" in out.splitlines()


def test_a_layer_given_with_library_is_named_as_given(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / "theirs").mkdir()
    (tmp_path / "theirs" / "termination.yaml").write_text(REPLACING_LAYER, "utf-8")
    (tmp_path / "s.yaml").write_text(EU_CH, "utf-8")
    monkeypatch.chdir(tmp_path)
    _, out, _ = run(capsys, "check", "s.yaml", "--library", "theirs")
    assert "comes from theirs/termination.yaml, which replaces" in out


def test_the_brief_lists_the_replaced_clause(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    brief = tmp_path / "brief.md"
    code, _, err = run(capsys, "render", str(layered_session(tmp_path)), "-o", str(brief),
                       "--document", "brief")
    assert (code, err) == (0, "")
    assert " ".join(AGREED.split()) in " ".join(brief.read_text("utf-8").split()).replace(
        "\\", "")


def test_a_layer_that_only_adds_a_clause_is_no_finding(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", str(layered_session(tmp_path, ADDING_LAYER)))
    assert code in (0, 1) and err == ""
    assert "library.replaced" not in out
