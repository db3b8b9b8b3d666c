"""Hostile files and a hostile environment: the terminal stays clean, a failed write is one
line, and a PDF render leaves nothing behind.

Another delegation's library or session can carry control characters in a title, a party
name or a file name; whatever Linkwright prints shows them as escapes, so they cannot
recolour the screen, rewrite a line or start a fake one. A full disk, a file-size limit or
a closed pipe ends as one line (or quietly, for a pipe), never a traceback, and never costs
the previous file. The Typst source of a PDF (for the brief it holds internal notes) is
compiled from memory and never written to disk.
"""

from __future__ import annotations

import json
import os
import re
import resource
import signal
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

from negotiation.cli import main
from negotiation.errors import LinkwrightError, visible, visible_json
from negotiation.session import preset_text

RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
                         "\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
"""What must never reach a terminal raw: every control but the newline that ends a line,
bidirectional marks and overrides, line separators, lone surrogates."""

TOPIC = """\
topic: hostile
title: "Hostile\\rlibrary"
order: 99
provisions:
  hostile.p:
    title: A provision from the other side
    clauses:
      - id: hostile.p.c
        title: "A\\rclause\\Nwith\\Lbreaks\\nand a fake line"
        text:
          binding: Each Party shall act.
          nonbinding: Each Participant will act.
"""
"""A valid library topic whose titles hold a carriage return, NEL (a C1 control), a line
separator and a newline: the loader keeps them (they are text), the terminal must not."""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_clean(*outputs: str) -> None:
    for output in outputs:
        assert RAW_CONTROL.search(output) is None, repr(output)


def session_file(folder: Path, title: str | None = None, ch_name: str | None = None) -> Path:
    """The eu-ch preset as a session file, with a YAML double-quoted title or Swiss name
    (so `\\r` in `title` is YAML's carriage-return escape)."""
    # English only: a hostile library's topics have no French or German texts, which the
    # language versions would report (tests/test_language_versions.py covers that)
    text = re.sub(r"(?m)^languages: .*\n", "", preset_text("eu-ch"))
    if title is not None:
        text = re.sub(r"(?m)^title: .*$", lambda _: f'title: "{title}"', text, count=1)
    if ch_name is not None:
        # the same name in the French and German versions the preset renders
        names = ", ".join(f'{code}: {{name: "{ch_name}"}}' for code in ("fr", "de"))
        text = text.replace("    system: ch-ets\n", f'    system: ch-ets\n    name: "{ch_name}"\n'
                            f"    names: {{{names}}}\n")
    path = folder / "session.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# -- the helper -----------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "shown"), [
    ("red \x1b[31mtext", "red \\x1b[31mtext"),
    ("rewritten\rline", "rewritten\\rline"),
    ("fake\nline", "fake\\nline"),
    ("tab\there", "tab\\there"),
    ("bell\x07 del\x7f csi\x9b nel\x85", "bell\\x07 del\\x7f csi\\x9b nel\\x85"),
    ("abc\u202edcba \u2066iso\u2069 \u2028", "abc\\u202edcba \\u2066iso\\u2069 \\u2028"),
    ("bad byte \udcff", "bad byte \\xff"),
    ("Québec — Zürich 北京 \\x1b", "Québec — Zürich 北京 \\x1b"),
])
def test_visible_writes_every_control_as_an_escape_and_keeps_text(raw: str, shown: str) -> None:
    assert visible(raw) == shown
    assert visible(shown) == shown


def test_json_output_escapes_c1_controls_and_bidi_and_still_reads_back() -> None:
    data = [{"title": "nel\x85 csi\x9b del\x7f bidi\u202e ls\u2028 esc\x1b é 北京"}]
    text = visible_json(data)
    assert_clean(text)
    assert "é 北京" in text  # readable text stays readable
    assert json.loads(text) == data


# -- error messages name hostile files visibly ---------------------------------------------


@pytest.mark.parametrize(("name", "shown"), [
    ("evil\x1b[31m.yaml", "evil\\x1b[31m.yaml"),
    ("evil\rlinkwright: all good.yaml", "evil\\rlinkwright: all good.yaml"),
    ("evil\nfake line.yaml", "evil\\nfake line.yaml"),
    ("evil\u202elmay.yaml", "evil\\u202elmay.yaml"),
    ("evil\x9b2J.yaml", "evil\\x9b2J.yaml"),
], ids=["escape", "carriage-return", "newline", "bidi-override", "c1-csi"])
@pytest.mark.parametrize("command", [["library"], ["check", "--preset", "eu-ch"]])
def test_a_library_file_name_holding_controls_is_named_with_escapes(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, shown: str,
        command: list[str]) -> None:
    library = tmp_path / "library"
    library.mkdir()
    (library / name).write_text("topic: [unclosed\n", encoding="utf-8")
    code, out, err = run(capsys, *command, "--library", str(library))
    assert code == 2 and out == ""
    assert err.startswith(f"linkwright: {library}/{shown}:2:1: malformed YAML")
    assert err.count("\n") == 1 and err.endswith("\n")
    assert_clean(err)


def test_an_undecodable_file_name_is_named_by_its_bytes(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    library = tmp_path / "library"
    library.mkdir()
    (library / os.fsdecode(b"evil\xff.yaml")).write_text("a: [\n")
    code, _, err = run(capsys, "library", "--library", str(library))
    assert code == 2
    assert f"{library}/evil\\xff.yaml:2:1: malformed YAML" in err
    assert_clean(err)


def test_an_unknown_argument_holding_an_escape_is_shown_escaped(
        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["check", "--preset", "eu-ch", "x", "\x1b[2J"])
    _, err = capsys.readouterr()
    assert exit_.value.code == 2
    assert "\\x1b[2J" in err
    assert_clean(err)


def test_an_error_message_quoting_a_value_shows_its_controls() -> None:
    error = LinkwrightError("unknown party 'ch\x1b[8m'", "a\rb.yaml", 3, 7)
    assert str(error) == "a\\rb.yaml:3:7: unknown party 'ch\\x1b[8m'"


# -- check, listings, render and economics show values visibly --------------------------------


def test_a_session_title_with_a_carriage_return_cannot_rewrite_the_check_header(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """YAML's "\\r" is a line break to the loader, which keeps line breaks as text."""
    path = session_file(tmp_path, title="Linking\\rALL CLEAR\\nsecond line")
    code, out, err = run(capsys, "check", str(path))
    assert code == 0 and err == ""
    assert out.splitlines()[0] == f"Linking\\rALL CLEAR\\nsecond line ({path})"
    assert_clean(out)


def test_a_party_name_with_controls_is_escaped_in_findings_text_and_json(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = session_file(tmp_path, ch_name="Swiss\\rX\\NY\\LZ")
    code, out, _ = run(capsys, "check", str(path))
    assert code == 0
    assert "and Swiss\\rX\\x85Y\\u2028Z does not" in out
    assert_clean(out)
    code, out, _ = run(capsys, "check", str(path), "--format", "json")
    assert code == 0
    assert_clean(out)
    messages = [finding["message"] for finding in json.loads(out)]
    assert any("Swiss\rX\x85Y\u2028Z does not" in message for message in messages)


def test_a_library_listing_escapes_hostile_titles_in_text_and_json(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    library = tmp_path / "library"
    library.mkdir()
    (library / "hostile.yaml").write_text(TOPIC, encoding="utf-8")
    code, out, _ = run(capsys, "library", "--library", str(library))
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("hostile.p.c "))
    assert row.endswith("A\\rclause\\x85with\\u2028breaks\\nand a fake line")
    assert not any(line.startswith("and a fake line") for line in out.splitlines())
    assert_clean(out)
    code, out, _ = run(capsys, "library", "--library", str(library), "--format", "json")
    assert code == 0
    assert_clean(out)
    clause = next(row for row in json.loads(out) if row["id"] == "hostile.p.c")
    assert clause["title"] == "A\rclause\x85with\u2028breaks\nand a fake line"


def test_check_shows_a_hostile_topic_title_and_remedy_escaped(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    library = tmp_path / "library"
    library.mkdir()
    (library / "hostile.yaml").write_text(TOPIC, encoding="utf-8")
    path = session_file(tmp_path)  # leaves hostile.p open: a finding in the hostile topic
    code, out, err = run(capsys, "check", str(path), "--library", str(library))
    assert code == 0, err
    lines = out.splitlines()
    assert "Hostile\\rlibrary [hostile]" in lines
    assert "          fix: choose 'A\\rclause\\x85with\\u2028breaks\\nand a fake line'" in lines
    assert not any(line.startswith("and a fake line") for line in lines)
    assert_clean(out)


def test_render_names_its_output_with_escapes(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "draft\x1b]0;pwned\x07.md"
    code, out, err = run(capsys, "render", "--preset", "eu-ch", "-o", str(output))
    assert code == 0 and err == ""
    assert out.startswith(f"wrote {tmp_path}/draft\\x1b]0;pwned\\x07.md (")
    assert_clean(out)


SCENARIO = """\
title: "Two\\rsystems\\nFAKE TITLE"
currency: "EUR\\L"
systems:
  - {id: a, name: "Alpha\\rZZ\\nBeta", bau: 20, cap: 9, mac: {intercept: 0, slope: 200}}
  - {id: b, name: "B\\N", bau: 20, cap: 10, mac: {intercept: 0, slope: 100}}
link: {type: full}
"""


def test_economics_text_keeps_a_name_with_a_line_break_on_its_row(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(SCENARIO, encoding="utf-8")
    code, out, err = run(capsys, "economics", str(scenario))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "Two\\rsystems\\nFAKE TITLE"
    assert any(line.startswith("Alpha\\rZZ\\nBeta ") for line in lines)
    assert not any(line.startswith(("Beta", "FAKE")) for line in lines)
    assert "B\\x85 " in out and "EUR\\u2028" in out
    assert_clean(out)
    code, out, _ = run(capsys, "economics", str(scenario), "--format", "json")
    assert code == 0
    assert_clean(out)
    assert any("B\x85" in note for note in json.loads(out)["notes"])


# -- write errors: one line, exit 2, the previous file untouched -------------------------------


def linkwright(*argv: str, cwd: Path, stdout: Any = subprocess.PIPE,
               file_size_limit: int | None = None) -> subprocess.CompletedProcess[str]:
    """Run the command line in a child process, as a shell would."""
    def limit() -> None:
        # Without SIGXFSZ ignored the kernel kills the writer; ignored, write() fails EFBIG.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        if file_size_limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    # Buffered, as in a shell: then a full disk or a closed pipe may show only at the end.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return subprocess.run([sys.executable, "-m", "negotiation.cli", *argv], cwd=cwd, env=env,
                          stdout=stdout, stderr=subprocess.PIPE, text=True,
                          preexec_fn=limit, check=False)


def assert_one_line(result: subprocess.CompletedProcess[str], expected: str) -> None:
    assert result.returncode == 2
    assert result.stderr == expected
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr


PREVIOUS = b"the previous version, which must survive\n"


@pytest.mark.parametrize("argv", [
    ["render", "--preset", "eu-ch", "-o", "out.md", "--force"],
    ["render", "--preset", "eu-ch", "-o", "out.docx", "--force"],
    ["render", "--preset", "eu-ch", "-o", "out.pdf", "--force"],
    ["render", "--preset", "eu-ch", "--document", "brief", "-o", "out.md", "--force"],
    ["new", "--preset", "eu-ch", "-o", "out.yaml", "--force"],
], ids=["md", "docx", "pdf", "brief", "new"])
def test_a_file_size_limit_while_writing_is_one_line_and_keeps_the_previous_file(
        tmp_path: Path, argv: list[str]) -> None:
    output = tmp_path / argv[argv.index("-o") + 1]
    output.write_bytes(PREVIOUS)
    result = linkwright(*argv, cwd=tmp_path, file_size_limit=2000)
    assert_one_line(result, f"linkwright: {output.name}: cannot write: File too large\n")
    assert result.stdout == ""
    assert output.read_bytes() == PREVIOUS
    assert sorted(p.name for p in tmp_path.iterdir()) == [output.name]  # no temp file left


@pytest.mark.parametrize("command", [["new"], ["render", "--format", "md"]])
def test_an_output_name_the_system_refuses_is_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    output = tmp_path / ("x" * 300 + ".md")
    code, out, err = run(capsys, *command, "--preset", "eu-ch", "-o", str(output))
    assert code == 2 and out == ""
    assert err == f"linkwright: {output}: cannot write: File name too long\n"


@pytest.mark.parametrize("argv", [
    ["check", "--preset", "eu-ch"],  # fits the buffer: fails when flushed at the end
    ["library", "--format", "json"],  # larger than the buffer: fails while printing
], ids=["flushed", "printed"])
def test_standard_output_on_a_full_disk_is_one_line(tmp_path: Path, argv: list[str]) -> None:
    with open("/dev/full", "w") as full:
        result = linkwright(*argv, cwd=tmp_path, stdout=full)
    assert_one_line(
        result, "linkwright: standard output: cannot write: No space left on device\n")


@pytest.mark.parametrize("argv", [
    ["presets"],  # fits the buffer: meets the closed pipe when flushed at the end
    ["library"],  # larger than the buffer: meets it while printing
], ids=["flushed", "printed"])
def test_a_closed_pipe_on_standard_output_ends_quietly(tmp_path: Path, argv: list[str]) -> None:
    """`linkwright presets | head -1`: the reader left; nothing to report, exit 0, and no
    "Exception ignored" from the interpreter's last flush."""
    reader, writer = os.pipe()
    os.close(reader)  # closed before the child writes: every write meets a closed pipe
    try:
        result = linkwright(*argv, cwd=tmp_path, stdout=writer)
    finally:
        os.close(writer)
    assert result.returncode == 0
    assert result.stderr == ""


# -- PDF: compiled from memory, nothing left behind --------------------------------------------


@pytest.fixture
def temp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temp dir of the test's own, so that other processes' folders are never touched."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def typst_roots(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("linkwright-typst-*"))


def dead_pid() -> int:
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)
    return int(child.stdout)


def test_a_render_leaves_no_typst_folder(temp_dir: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "render", "--preset", "eu-ch", "--document", "brief",
                       "-o", str(tmp_path / "brief.pdf"))
    assert code == 0, err
    assert (tmp_path / "brief.pdf").read_bytes().startswith(b"%PDF-")
    assert typst_roots(temp_dir) == []


def test_the_typst_source_is_never_written_to_disk(temp_dir: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The compiler gets the source as bytes and an empty, private root to resolve paths in."""
    import typst

    from negotiation.drafting.typst_writer import compile_pdf

    source = "Internal: our fallback is 9 months.\n"
    real = typst.compile
    seen: list[str] = []

    def watched(input: Any, *args: Any, **kwargs: Any) -> Any:
        root = Path(kwargs["root"])
        assert input == source.encode("utf-8")
        assert root.parent == temp_dir
        assert root.name.startswith(f"linkwright-typst-{os.getpid()}-")
        assert stat.S_IMODE(root.stat().st_mode) == 0o700
        assert list(root.iterdir()) == []
        on_disk = [p.read_bytes() for p in temp_dir.rglob("*") if p.is_file()]
        assert not any(b"fallback" in data for data in on_disk)
        seen.append(root.name)
        return real(input, *args, **kwargs)

    monkeypatch.setattr(typst, "compile", watched)
    assert compile_pdf(source).startswith(b"%PDF-")
    assert len(seen) == 1
    assert typst_roots(temp_dir) == []


def test_an_interrupted_compile_removes_its_folder(temp_dir: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import typst

    from negotiation.drafting.typst_writer import compile_pdf

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(typst, "compile", interrupted)
    with pytest.raises(KeyboardInterrupt):
        compile_pdf("x")
    assert typst_roots(temp_dir) == []


KILLED_MIDWAY = """\
import os, signal, typst
from negotiation.drafting.typst_writer import compile_pdf
typst.compile = lambda *args, **kwargs: os.kill(os.getpid(), signal.SIGKILL)
compile_pdf("Internal: our fallback is 9 months.")
"""


def test_a_render_killed_midway_leaves_no_source_and_the_next_render_cleans_up(
        temp_dir: Path) -> None:
    env = {**os.environ, "TMPDIR": str(temp_dir), "PYTHONDONTWRITEBYTECODE": "1"}
    killed = subprocess.Popen([sys.executable, "-c", KILLED_MIDWAY], env=env)
    assert killed.wait() == -signal.SIGKILL
    assert [p for p in temp_dir.rglob("*") if p.is_file()] == []  # nothing to read
    [left] = typst_roots(temp_dir)  # its empty folder: the kill left no time to remove it
    assert left.startswith(f"linkwright-typst-{killed.pid}-")

    from negotiation.drafting.typst_writer import compile_pdf

    compile_pdf("x")
    assert typst_roots(temp_dir) == []


def test_stale_typst_folders_are_removed_and_live_ones_kept(temp_dir: Path,
                                                            tmp_path: Path) -> None:
    from negotiation.drafting.typst_writer import compile_pdf

    gone = dead_pid()
    hour_and_more = time.time() - 2 * 3600
    dead = temp_dir / f"linkwright-typst-{gone}-dead"
    old = temp_dir / "linkwright-typst-abc123"  # an older Linkwright's name: no pid
    live = temp_dir / f"linkwright-typst-{os.getppid()}-live"  # our parent is running
    for folder in (dead, old, live):
        folder.mkdir(mode=0o700)
    (dead / "main.typ").write_text("leftover source")
    os.utime(old, (hour_and_more, hour_and_more))
    kept_target = tmp_path / "not-ours"
    kept_target.mkdir()
    (kept_target / "keep.txt").write_text("keep")
    link = temp_dir / f"linkwright-typst-{gone}-link"
    link.symlink_to(kept_target)  # a link is never followed into someone else's folder
    a_file = temp_dir / f"linkwright-typst-{gone}-file"
    a_file.write_text("not a folder")

    compile_pdf("x")

    assert not dead.exists() and not old.exists()
    assert live.is_dir()
    assert link.is_symlink() and (kept_target / "keep.txt").read_text() == "keep"
    assert a_file.read_text() == "not a folder"


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can make a folder another user owns")
def test_another_users_typst_folder_is_left_alone(temp_dir: Path) -> None:
    from negotiation.drafting.typst_writer import compile_pdf

    theirs = temp_dir / f"linkwright-typst-{dead_pid()}-theirs"
    theirs.mkdir()
    os.chown(theirs, 12345, 12345)
    compile_pdf("x")
    assert theirs.is_dir()
