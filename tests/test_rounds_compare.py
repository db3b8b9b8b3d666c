"""Rounds and compare: two rounds of eu-ch as a negotiator would see them change.

Round 2 (OLD) leaves the administrator open, has Switzerland ask for twelve
months' notice and carries Switzerland's aviation condition. Round 3 (NEW)
decides the administrator, Switzerland moves to nine months, the data deadline
goes from four months to five, a common offset limit enters the text (a new
article, so every later article renumbers) and the condition is dropped.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import subprocess
import zipfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest
import yaml
from lxml import etree

from negotiation.cli import main
from negotiation.compare import compare, instrument_paragraphs
from negotiation.rounds import load_side
from negotiation.templating import live_markup
from tests.conftest import preset_data

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def round_two() -> dict[str, Any]:
    data = preset_data("eu-ch")
    data["round"] = {"number": 2, "date": "2017-06-12"}
    data["delegation"] = "eu"
    data["provisions"]["institutions.administrator"] = "open"
    data["positions"] = {"ch": {"termination.notice": {"clause": "termination.notice.fixed",
                                                       "params": {"months": 12}}}}
    return data


def round_three() -> dict[str, Any]:
    data = round_two()
    data["round"] = {"number": 3, "date": "2017-11-23"}
    data["provisions"]["institutions.administrator"] = {"clause": "institutions.administrator.none"}
    data["positions"]["ch"]["termination.notice"]["params"]["months"] = 9
    data["provisions"]["transparency.exchange"]["params"]["months"] = 5
    data["provisions"]["offsets.quantity"] = {"clause": "offsets.quantity.common_limit",
                                              "params": {"limit_pct": 5}}
    data["conditions"] = []
    return data


def write(folder: Path, name: str, data: dict[str, Any]) -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    return path


@pytest.fixture
def rounds(tmp_path: Path) -> tuple[Path, Path]:
    return write(tmp_path, "round2.yaml", round_two()), write(tmp_path, "round3.yaml",
                                                                round_three())


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def changes_of(old: Path | str, new: Path | str) -> list[dict[str, Any]]:
    code, out, err = run("compare", str(old), str(new), "--format", "json")
    assert code == 0, err
    return json.loads(out)["changes"]


# -- the change list -------------------------------------------------------------------


def test_the_change_list_names_each_change_and_who_moved(rounds: tuple[Path, Path]) -> None:
    changes = changes_of(*rounds)
    kinds = {(c["provision"], c["kind"]) for c in changes}
    assert ("institutions.administrator", "decided") in kinds
    value = next(c for c in changes if c["kind"] == "value")
    assert (value["provision"], value["parameter"], value["before"], value["after"]) == (
        "transparency.exchange", "months", 4, 5)
    moved = next(c for c in changes if c["kind"] == "position")
    assert moved["provision"] == "termination.notice" and moved["moved"] == ["ch"]
    assert moved["before"]["params"]["months"] == 12 and moved["after"]["params"]["months"] == 9
    dropped = next(c for c in changes if c["kind"] == "condition-dropped")
    assert dropped["moved"] == ["ch"] and "aviation" in dropped["before"]["what"]
    assert ("offsets.quantity", "text-added") in kinds
    assert ("transparency.exchange", "text-changed") in kinds


def test_same_session_twice_has_no_changes_and_exits_0(rounds: tuple[Path, Path]) -> None:
    assert changes_of(rounds[0], rounds[0]) == []
    code, out, _ = run("compare", str(rounds[0]), str(rounds[0]))
    assert code == 0 and "No changes." in out


def test_a_renumbered_article_is_moved_once_not_deleted_and_inserted(
        rounds: tuple[Path, Path]) -> None:
    changes = changes_of(*rounds)
    moved = [c for c in changes if c["kind"] == "moved"]
    assert moved, "the offsets article should push later articles down"
    assert len({c["provision"] for c in moved}) == len(moved)  # each article once
    termination = next(c for c in moved if c["provision"] == "termination")
    number = int(termination["before"].split()[-1])
    assert termination["after"] == f"Article {number + 1}"
    assert not [c for c in changes if c["kind"] in ("text-removed",)]
    added = [c["provision"] for c in changes if c["kind"] == "text-added"]
    assert added == ["offsets.quantity"]


# -- Markdown with CriticMarkup -------------------------------------------------------


def test_critic_markup_marks_the_words_that_changed_and_only_those(
        rounds: tuple[Path, Path]) -> None:
    code, md, _ = run("compare", str(rounds[0]), str(rounds[1]))
    assert code == 0
    assert md.index("| Provision |") < md.index("# Agreement between")  # summary first
    assert "{~~4~>5~~} months after the end of each calendar year" in md
    assert re.search(r"## Article (\d+) \(formerly Article (\d+)\) — Termination", md)
    heading = re.search(r"## \{\+\+Article \d+ — [^\n]*\+\+\}", md)
    assert heading and "Offset" in heading.group(0)
    # A cross-reference that only followed its article is not marked: no number of
    # the articles is substituted for another except the deadline that really changed
    # (the marking line above the title says which round it is, and that did change).
    body = md[md.index("# Agreement between"):]
    assert re.findall(r"\{~~(\d+)~>(\d+)~~\}", body) == [("4", "5")]
    assert "Round {~~2~>3~~}" in md
    assert "{--Article" not in md
    assert live_markup(md) is None


def test_the_condition_dropped_shows_as_deleted_text(rounds: tuple[Path, Path]) -> None:
    _, md, _ = run("compare", str(rounds[0]), str(rounds[1]))
    assert re.search(r"\{--[^\n]*aviation[^\n]*--\}", md)


def test_attribution_off_names_nobody(rounds: tuple[Path, Path]) -> None:
    _, md, _ = run("compare", str(rounds[0]), str(rounds[1]), "--attribution", "off")
    assert "Moved by" not in md


# -- DOCX tracked changes -------------------------------------------------------------


def _body(docx: bytes) -> Any:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return etree.fromstring(archive.read("word/document.xml")).find(f"{W}body")


def _view(docx: bytes, accept: bool) -> list[str]:
    """The text Word shows after Accept All (or Reject All), paragraph by paragraph:
    read from the XML, since python-docx drops inserted runs."""
    dropped_mark = f"{W}del" if accept else f"{W}ins"
    dropped_text = f"{W}del" if accept else f"{W}ins"
    paragraphs = []
    for p in _body(docx).iter(f"{W}p"):
        if p.find(f"{W}pPr/{W}rPr/{dropped_mark}") is not None:
            continue
        text = []
        for node in p.iter(f"{W}t", f"{W}delText", f"{W}tab"):
            inside = {a.tag for a in node.iterancestors() if a.tag in (f"{W}ins", f"{W}del")}
            if dropped_text in inside:
                continue
            text.append("\t" if node.tag == f"{W}tab" else node.text or "")
        paragraphs.append("".join(text))
    return paragraphs


def _renumbered(paragraphs: list[str], old: Any, new: Any) -> list[str]:
    """OLD's paragraphs in NEW's numbering of the articles both have (renumbering is
    not a change, so neither view of the comparison marks it)."""
    topics = {p.topic: p.number for p in new.layout.places if p.word == "Article"}
    numbers = {p.number: topics[p.topic] for p in old.layout.places
               if p.word == "Article" and p.topic in topics}
    def renumber(match: re.Match[str]) -> str:
        return f"Article {numbers.get(int(match.group(1)), match.group(1))}"

    # "Article 9 of Directive 2003/87/EC" is another instrument's article: not ours
    return [re.sub(r"\bArticle (\d+)(?! of )", renumber, text) for text in paragraphs]


def test_docx_accept_all_gives_new_and_reject_all_gives_old(
        rounds: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "changes.docx"
    code, _, err = run("compare", str(rounds[0]), str(rounds[1]), "-o", str(out))
    assert code == 0, err
    old, new = load_side(str(rounds[0])), load_side(str(rounds[1]))
    data = out.read_bytes()
    assert _view(data, accept=True) == instrument_paragraphs(new.markdown, new.layout)
    assert _view(data, accept=False) == _renumbered(
        instrument_paragraphs(old.markdown, old.layout), old, new)


def test_docx_changes_carry_author_and_the_new_rounds_date(rounds: tuple[Path, Path],
                                                           tmp_path: Path) -> None:
    out = tmp_path / "changes.docx"
    run("compare", str(rounds[0]), str(rounds[1]), "-o", str(out))
    marks = [e for e in _body(out.read_bytes()).iter(f"{W}ins", f"{W}del")]
    authors = {e.get(f"{W}author") for e in marks}
    assert "the Union" in authors  # the delegation's own changes, by its short name
    assert {e.get(f"{W}date") for e in marks} == {"2017-11-23T00:00:00Z"}
    neutral = tmp_path / "neutral.docx"
    run("compare", str(rounds[0]), str(rounds[1]), "-o", str(neutral), "--attribution", "off")
    assert {e.get(f"{W}author") for e in _body(neutral.read_bytes()).iter(
        f"{W}ins", f"{W}del")} == {"Consolidated text"}


def test_docx_attributes_a_moved_position_to_the_party_that_moved(tmp_path: Path) -> None:
    old = round_two()
    old["provisions"]["termination.notice"] = "open"
    new = round_two()
    new["provisions"]["termination.notice"] = "open"
    new["positions"]["ch"]["termination.notice"] = {"text": "Twelve months' notice, in writing."}
    out = tmp_path / "moved.docx"
    code, _, err = run("compare", str(write(tmp_path, "a.yaml", old)),
                       str(write(tmp_path, "b.yaml", new)), "-o", str(out))
    assert code == 0, err
    authors = {e.get(f"{W}author") for e in _body(out.read_bytes()).iter(f"{W}ins")}
    assert authors == {"Switzerland"}


# -- closed rounds ------------------------------------------------------------------------


def test_round_close_freezes_the_round_and_opens_the_next(rounds: tuple[Path, Path]) -> None:
    session = rounds[1]
    code, out, err = run("round", "close", str(session), "--date", "2018-02-01")
    assert code == 0, err
    assert "closed round 3" in out and "round 4" in out
    closed = session.parent / "rounds" / "3"
    assert sorted(p.name for p in closed.iterdir()) == ["instrument.md", "layout.json",
                                                        "session.yaml"]
    reopened = yaml.safe_load(session.read_text("utf-8"))
    assert reopened["round"] == {"number": 4, "date": dt.date(2018, 2, 1)}
    assert reopened["previous"] == "rounds/3"
    assert changes_of(closed, session) == []  # nothing negotiated since
    code, _, err = run("round", "close", str(session))
    assert code == 0
    before = (closed / "instrument.md").read_bytes()
    # a session that claims round 3 again cannot replace what was tabled
    write(session.parent, "again.yaml", round_three())
    code, _, err = run("round", "close", str(session.parent / "again.yaml"))
    assert code == 2 and "already closed" in err and err.count("\n") == 1
    assert (closed / "instrument.md").read_bytes() == before


def test_a_closed_round_is_compared_as_tabled(rounds: tuple[Path, Path]) -> None:
    session = rounds[1]
    run("round", "close", str(session))
    tabled = session.parent / "rounds" / "3" / "instrument.md"
    # the text that crossed the table said eight months (as if the library changed since)
    tabled.write_text(tabled.read_text("utf-8").replace("no later than 5 months",
                                                       "no later than 8 months"), "utf-8")
    _, md, _ = run("compare", str(tabled.parent), str(session))
    assert "{~~8~>5~~} months" in md


# -- git revisions ------------------------------------------------------------------------


def _git(folder: Path, *argv: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *argv],
                   cwd=folder, check=True, capture_output=True)


def test_git_revisions_are_compared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _git(tmp_path, "init", "-q")
    session = write(tmp_path, "session.yaml", round_two())
    _git(tmp_path, "add", "session.yaml")
    _git(tmp_path, "commit", "-qm", "round 2")
    write(tmp_path, "session.yaml", round_three())
    monkeypatch.chdir(tmp_path)
    changes = changes_of("git:HEAD:session.yaml", session)
    assert ("transparency.exchange", "value") in {(c["provision"], c["kind"]) for c in changes}


def test_a_revision_starting_with_a_dash_is_refused(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    session = write(tmp_path, "s.yaml", round_two())
    code, out, err = run("compare", "git:--output=/tmp/x:s.yaml", str(session))
    assert code == 2 and out == "" and err.count("\n") == 1 and "'-'" in err


# -- untrusted input ----------------------------------------------------------------------


@pytest.mark.parametrize("previous", ["../elsewhere/rounds/2", "/etc", "git:-p:session.yaml",
                                      "linked/rounds/2"])
def test_a_previous_outside_the_session_folder_is_refused(tmp_path: Path,
                                                          previous: str) -> None:
    (tmp_path / "outside").mkdir()
    (tmp_path / "here").mkdir()
    (tmp_path / "here" / "linked").symlink_to(tmp_path / "outside")
    data = round_two()
    data["previous"] = previous
    code, _, err = run("check", str(write(tmp_path / "here", "s.yaml", data)))
    assert code == 2 and "previous" in err and err.count("\n") == 1


def test_delegation_must_be_a_party_or_the_chair(tmp_path: Path) -> None:
    data = round_two()
    data["delegation"] = "uk"
    code, _, err = run("check", str(write(tmp_path, "s.yaml", data)))
    assert code == 2 and "delegation" in err
    data["delegation"] = "chair"
    assert run("check", str(write(tmp_path, "s.yaml", data)))[0] in (0, 1)


def their_text(folder: Path, text: str) -> tuple[Path, Path]:
    """Two rounds that differ only by Switzerland's own text on the termination notice."""
    old = round_two()
    old["provisions"]["termination.notice"] = "open"
    new = round_two()
    new["provisions"]["termination.notice"] = "open"
    new["positions"]["ch"]["termination.notice"] = {"text": text}
    return write(folder, "a.yaml", old), write(folder, "b.yaml", new)


def test_hostile_text_is_escaped_in_every_output(tmp_path: Path) -> None:
    hostile = "{++ ours ++} {-- theirs --} {~~ a ~> b ~~} [click](http://x.example) <b>bold</b>"
    a, b = their_text(tmp_path, hostile)
    code, md, err = run("compare", str(a), str(b))
    assert code == 0, err
    assert live_markup(md) is None
    # even a processor that ignores backslashes finds none of the text's own markers
    for delimiter in ("{++ ours", "ours ++}", "{-- theirs", "theirs --}", "{~~ a", "~> b",
                      "b ~~}"):
        assert delimiter not in md
    assert "\\{\\++ ours ++\\}" in md
    out = tmp_path / "h.docx"
    assert run("compare", str(a), str(b), "-o", str(out))[0] == 0
    assert any("{++ ours ++}" in p for p in _view(out.read_bytes(), accept=True))


def test_unusable_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    code, out, err = run("compare", str(tmp_path / "nope.yaml"), str(tmp_path / "x.yaml"))
    assert code == 2 and out == "" and err.count("\n") == 1


def test_the_comparison_in_process_matches_the_command(rounds: tuple[Path, Path]) -> None:
    comparison = compare(load_side(str(rounds[0])), load_side(str(rounds[1])))
    assert [c.to_json() for c in comparison.changes] == changes_of(*rounds)


def test_the_brief_says_what_changed_since_the_last_round(rounds: tuple[Path, Path]) -> None:
    session = rounds[0]
    run("round", "close", str(session))  # round 2 tabled; the session is round 3 now
    data = yaml.safe_load(session.read_text("utf-8"))
    data["provisions"]["transparency.exchange"]["params"]["months"] = 5
    data["positions"]["ch"]["termination.notice"]["params"]["months"] = 9
    session.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    brief = session.parent / "brief.md"
    code, _, err = run("render", str(session), "--document", "brief", "-o", str(brief))
    assert code == 0, err
    text = brief.read_text("utf-8")
    since = text[text.index("## Since the last round"):]
    since = since[:since.index("\n## ", 5)]
    assert "round 2" in since
    assert "transparency.exchange: value changed (months): 4 → 5" in since
    assert "termination.notice: position moved" in since and "(moved: Switzerland)" in since


# -- PDF ------------------------------------------------------------------------------


def _pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages)


def test_pdf_marks_insertions_and_deletions_with_a_change_bar(
        rounds: tuple[Path, Path], tmp_path: Path) -> None:
    from negotiation.drafting.compare_pdf import comparison_typst
    from negotiation.rounds import load_side

    old, new = rounds
    out = tmp_path / "changes.pdf"
    code, _out, err = run("compare", str(old), str(new), "-o", str(out))
    assert code == 0, err
    assert out.read_bytes().startswith(b"%PDF")
    text = " ".join(_pdf_text(out.read_bytes()).split())
    assert "Summary of changes" in text and "Article" in text
    source = comparison_typst(compare(load_side(str(old)), load_side(str(new))))
    # The data exchange deadline moved from 4 to 5 months: struck, then underlined.
    assert "no later than #lw-del[4]#lw-ins[5] months" in source
    assert source.count("#lw-changed[") >= 3  # a bar beside each changed paragraph
    # A renumbered reference is not marked as a change.
    assert "#lw-del[Article" not in source


def test_pdf_escapes_their_text(tmp_path: Path) -> None:
    from negotiation.drafting.compare_pdf import comparison_typst
    from negotiation.rounds import load_side

    hostile = '#import "evil.typ" ] #read("/etc/passwd") $x$ *bold* <label> @ref'
    a, b = their_text(tmp_path, hostile)
    source = comparison_typst(compare(load_side(str(a)), load_side(str(b))))
    assert '#read("/etc/passwd")' not in source and '#import "evil' not in source
    out = tmp_path / "h.pdf"
    code, _o, err = run("compare", str(a), str(b), "-o", str(out))
    assert code == 0, err
    assert "/etc/passwd" in " ".join(_pdf_text(out.read_bytes()).split())
