"""Rounds: closing one as tabled, and finding the rounds a comparison names.

`linkwright round close SESSION` freezes the round as it crossed the table:
beside the session, `rounds/N/` receives a copy of the session file as it
was, its instrument rendered to Markdown, and the instrument's layout (which
article holds which topic, which paragraph which provision), so that a later
comparison matches the text as tabled by id without rendering it again. The
session then opens round N+1 and names the closed round as its `previous:`.

`linkwright compare OLD NEW` reads each side from a session file, a closed
round (`rounds/3`), or a file at a git revision (`git:REV:path`, read with one
`git cat-file` per file and nothing else). Another delegation's file is
untrusted: a `previous:` or round path stays inside the session's folder, and
a revision that git could take for an option is refused before git runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from negotiation.errors import LinkwrightError, visible, visible_json

if TYPE_CHECKING:  # the CLI registers the commands without loading the core
    from negotiation.compare import Comparison, Side
    from negotiation.session import Negotiation, Session

ROUNDS = "rounds"
SESSION_FILE, INSTRUMENT_FILE, LAYOUT_FILE = "session.yaml", "instrument.md", "layout.json"
MAX_TABLED = 20_000_000
"""A tabled instrument is a few hundred kilobytes; twenty megabytes is no instrument."""
GIT_TIMEOUT = 30


# -- reading a side ------------------------------------------------------------------


def load_side(spec: str, cwd: Path | None = None) -> Side:
    """The round `spec` names: a session file, a closed round's folder, or
    `git:REV:path` (git's own reading of path: from the top of the repository, or
    from `cwd` when it starts with `./`)."""
    from negotiation.compare import side_of
    from negotiation.session import load_session

    cwd = Path.cwd() if cwd is None else cwd
    if spec.startswith("git:"):
        return _git_side(spec, cwd)
    path = cwd / spec
    if path.is_dir():
        return _closed_round(path, spec)
    if not path.is_file():
        raise LinkwrightError("not found: name a session file, a closed round (rounds/3) or "
                              "git:REV:path", spec)
    neg = load_session(path)
    return side_of(neg, _round_label(neg.session, spec))


def _round_label(session: Session, where: str) -> str:
    return f"round {session.round.number} ({where})" if session.round else where


def _read_tabled(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_TABLED + 1)
    except FileNotFoundError:
        raise LinkwrightError("a closed round holds session.yaml, instrument.md and "
                              "layout.json; this one is missing", path) from None
    except OSError as error:
        raise LinkwrightError(f"cannot read: {error.strerror or error}", path) from None
    return _text(data, str(path))


def _text(data: bytes, where: str) -> str:
    if len(data) > MAX_TABLED:
        raise LinkwrightError(f"larger than {MAX_TABLED:,} bytes: no round's text is", where)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise LinkwrightError("not UTF-8 text", where) from None


def _closed_round(folder: Path, spec: str) -> Side:
    session_folder = folder.parent.parent if folder.parent.name == ROUNDS else folder
    texts = {name: _read_tabled(folder / name)
             for name in (SESSION_FILE, INSTRUMENT_FILE, LAYOUT_FILE)}
    return _tabled_side(texts, spec, str(folder / SESSION_FILE), session_folder)


def _tabled_side(texts: dict[str, str], spec: str, file: str, base: Path | None) -> Side:
    from negotiation.compare import Layout, Side

    session, neg = _session_as_tabled(texts[SESSION_FILE], file, base)
    try:
        layout = Layout.from_json(json.loads(texts[LAYOUT_FILE]))
    except (ValueError, KeyError, TypeError, RecursionError):
        raise LinkwrightError("the closed round's layout.json is not the layout Linkwright "
                              "writes", spec) from None
    return Side(_round_label(session, spec), session, texts[INSTRUMENT_FILE], layout, neg,
                tabled=True)


def _session_as_tabled(text: str, file: str, base: Path | None
                       ) -> tuple[Session, Negotiation | None]:
    """A closed round's session. Its text is compared as tabled, so the session only
    needs to be a valid file: if the library has changed since (a clause it chose is
    gone), it is read without its library rather than refused."""
    from negotiation.session import Session, _migrate, negotiation_from_document
    from negotiation.yamlload import parse_text, validate

    doc = parse_text(text, file)
    try:
        return (neg := negotiation_from_document(doc, base)).session, neg
    except LinkwrightError:
        return validate(Session, doc, _migrate(doc)), None


def _git_side(spec: str, cwd: Path) -> Side:
    from negotiation.compare import side_of
    from negotiation.session import negotiation_from_document, previous_problem
    from negotiation.yamlload import parse_text

    problem = previous_problem(spec, None)
    if problem is not None:
        raise LinkwrightError(f"{problem}", "git revision")
    rev, _, path = spec[4:].partition(":")
    if Path(path).suffix.lower() in (".yaml", ".yml"):
        text = _text(git_show(rev, path, cwd), spec)
        local = cwd / path
        base = local.parent if local.parent.is_dir() else None
        doc = parse_text(text, f"{rev}:{path}")
        try:
            neg = negotiation_from_document(doc, base)
        except LinkwrightError as error:
            raise LinkwrightError(f"{rev}:{path}: {error.message}", error.file, error.line,
                                  error.column) from None
        return side_of(neg, _round_label(neg.session, spec))
    texts = {name: _text(git_show(rev, f"{path.rstrip('/')}/{name}", cwd), spec)
             for name in (SESSION_FILE, INSTRUMENT_FILE, LAYOUT_FILE)}
    local = cwd / path
    base = local.parent.parent if local.parent.name == ROUNDS else None
    return _tabled_side(texts, spec, f"{rev}:{path}/{SESSION_FILE}", base)


def git_show(rev: str, path: str, cwd: Path) -> bytes:
    """The bytes of `path` at revision `rev`, by `git cat-file` alone; a revision
    starting with `-` never reaches git (it would be read as an option)."""
    if rev.startswith("-") or not rev or "\x00" in rev + path:
        raise LinkwrightError(f"refusing the revision '{visible(rev)}': a revision may not "
                              "start with '-'", "git revision")
    import subprocess  # here: the CLI imports this module for every command

    try:
        done = subprocess.run(
            ["git", "cat-file", "-p", "--end-of-options", f"{rev}:{path}"],
            cwd=cwd, capture_output=True, timeout=GIT_TIMEOUT, check=False,
            stdin=subprocess.DEVNULL)
    except FileNotFoundError:
        raise LinkwrightError("git is not installed: cannot read a revision") from None
    except (OSError, subprocess.TimeoutExpired) as error:
        raise LinkwrightError(f"git could not read {path} at {rev}: {error}") from None
    if done.returncode != 0:
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = why[-1].removeprefix("fatal: ") if why else f"exit {done.returncode}"
        raise LinkwrightError(f"git cannot read {path} at {rev}: {reason}")
    return done.stdout


def previous_side(neg: Negotiation) -> Side | None:
    """The round the session names as `previous:`, or None when it names none."""
    from negotiation.session import previous_problem

    previous = neg.session.previous
    if previous is None:
        return None
    folder = neg.path.parent if neg.path is not None else Path.cwd()
    problem = previous_problem(previous, folder)
    if problem is not None:
        raise LinkwrightError(f"previous: {problem}", neg.path)
    return load_side(previous, folder)


# -- closing a round -------------------------------------------------------------------


def close_round(path: Path, next_date: dt.date | None = None) -> tuple[Path, Session]:
    """Freeze the session's round under `rounds/N/` and open round N+1 in the session;
    the closed round's folder and the session as now saved."""
    from negotiation.compare import side_of
    from negotiation.session import Round, load_session, save_session

    neg = load_session(path)
    session = neg.session
    if session.round is None:
        raise LinkwrightError("the session has no round to close: give it one, "
                              "`round: {number: 1, date: 2026-01-31}`", path)
    number = session.round.number
    rounds = path.parent / ROUNDS
    target = rounds / str(number)
    if target.exists():
        raise LinkwrightError(f"round {number} is already closed ({ROUNDS}/{number} exists); "
                              "a closed round is never replaced", path)
    side = side_of(neg, f"round {number}")
    tabled = {SESSION_FILE: path.read_bytes(), INSTRUMENT_FILE: side.markdown.encode(),
              LAYOUT_FILE: json.dumps(side.layout.to_json(), indent=1).encode()}
    _write_folder(rounds, target, tabled)
    opened = session.model_copy(update={
        "round": Round(number=number + 1, date=next_date or session.round.date),
        "previous": f"{ROUNDS}/{number}"})
    save_session(opened, path)
    return target, opened


def _write_folder(rounds: Path, target: Path, files: dict[str, bytes]) -> None:
    """Write the closed round whole or not at all: into a temporary folder beside it,
    flushed, then renamed into place (a crash leaves no half-closed round)."""
    import shutil  # here, as tempfile: the CLI imports this module for every command
    import tempfile

    try:
        rounds.mkdir(exist_ok=True)
        temp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=rounds))
    except OSError as error:
        raise LinkwrightError(f"cannot write: {error.strerror or error}", rounds) from None
    try:
        for name, data in files.items():
            with (temp / name).open("wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(temp, 0o755 & ~_umask())
        if target.exists():
            raise LinkwrightError("appeared while closing the round; not replaced", target)
        os.rename(temp, target)
    except OSError as error:
        raise LinkwrightError(f"cannot write: {error.strerror or error}", target) from None
    finally:
        if temp.exists():
            shutil.rmtree(temp, ignore_errors=True)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


# -- the commands ------------------------------------------------------------------------


def add_commands(sub: argparse._SubParsersAction,  # type: ignore[type-arg]
                 command: str | None = None) -> None:
    """Register `round close` and `compare` on the CLI's subcommands; with `command`,
    give options only to that one (see `cli.build_parser`)."""
    p = sub.add_parser("round", help="close the round as tabled and open the next one")
    if command in (None, "round"):
        actions = p.add_subparsers(dest="round_action", metavar="ACTION", required=True,
                                   parser_class=type(p))
        close = actions.add_parser(
            "close", help="copy the session and its instrument to rounds/N/ beside it, then "
                          "open round N+1")
        close.add_argument("session", type=Path)
        close.add_argument("--date", type=_date, metavar="YYYY-MM-DD",
                           help="the next round's date (default: the closed round's, to be "
                                "set)")

    p = sub.add_parser(
        "compare", help="what changed between two rounds: a change list and the text "
                        "with tracked changes",
        description="OLD and NEW are session files, closed rounds (rounds/3) or "
                    "git:REV:path. Exit 0 with or without changes.")
    if command not in (None, "compare"):
        return
    p.add_argument("old", metavar="OLD")
    p.add_argument("new", metavar="NEW")
    p.add_argument("-o", "--output", type=Path, metavar="FILE")
    p.add_argument("--format", choices=("md", "json", "docx", "pdf"),
                   help="default: from the output's name, else md")
    p.add_argument("--attribution", choices=("on", "off"), default="on",
                   help="off: every change by one neutral author (the chair's text)")
    p.add_argument("--force", action="store_true", help="replace an existing output file")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text} (write YYYY-MM-DD)") from None


def round_command(args: argparse.Namespace) -> int:
    from negotiation.cli import say

    target, opened = close_round(args.session, args.date)
    assert opened.round is not None
    say(f"closed round {opened.round.number - 1} as tabled in {visible(str(target))}; "
        f"the session is now round {opened.round.number}, dated "
        f"{opened.round.date.isoformat()}" + ("" if args.date else " (set its date with "
                                              "--date or in the file)"))
    return 0


FORMAT_BY_SUFFIX = {".md": "md", ".markdown": "md", ".json": "json", ".docx": "docx",
                    ".pdf": "pdf"}


def compare_command(args: argparse.Namespace) -> int:
    from negotiation.cli import say
    from negotiation.storage import refuse_to_replace, write_new

    fmt = args.format
    if args.output is not None:
        named = FORMAT_BY_SUFFIX.get(args.output.suffix.lower())
        if fmt is None:
            fmt = named or "md"
        elif named is not None and named != fmt:
            raise LinkwrightError(f"--format {fmt} does not match the name, which says "
                                  f"{named}", args.output)
        refuse_to_replace(args.output, force=args.force)
    fmt = fmt or "md"
    if args.output is None and fmt in ("docx", "pdf"):
        raise LinkwrightError(f"{fmt} is not for the terminal: name a file with -o")
    from negotiation.compare import compare

    comparison = compare(load_side(args.old), load_side(args.new))
    data = write_comparison(comparison, fmt, args.attribution == "on")
    if args.output is None:
        text = data.decode("utf-8")
        say(text.rstrip("\n") if fmt == "json"
            else "\n".join(visible(line) for line in text.rstrip("\n").split("\n")))
        return 0
    write_new(args.output, data, force=args.force)
    count = len(comparison.changes)
    sys.stderr.write(f"wrote {visible(str(args.output))} ({count} change"
                     f"{'' if count == 1 else 's'})\n")
    return 0


def write_comparison(comparison: Comparison, fmt: str, attribution: bool = True) -> bytes:
    if fmt == "json":
        return visible_json(comparison_json(comparison)).encode("utf-8")
    if fmt == "md":
        from negotiation.drafting.compare_markdown import write_compare_markdown

        return write_compare_markdown(comparison, attribution).encode("utf-8")
    if fmt == "docx":
        from negotiation.drafting.compare_docx import write_compare_docx

        return write_compare_docx(comparison, attribution)
    from negotiation.drafting.compare_pdf import write_compare_pdf

    return write_compare_pdf(comparison, attribution)


def comparison_json(comparison: Comparison) -> dict[str, object]:
    return {"old": comparison.old.label, "new": comparison.new.label,
            "changes": [change.to_json() for change in comparison.changes]}
