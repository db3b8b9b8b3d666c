"""The `linkwright` command line: the edge where user errors become one line.

Every command imports what it needs inside its function, so that
`linkwright --help` starts fast and never loads Textual, networkx or Typst.
A `LinkwrightError` raised anywhere below ends here as one line on stderr
and exit code 2 (unusable input or usage); `check` exits 1 when error
findings remain and `render --clean` when it refuses.

Everything printed goes through `say` (or `visible_json`), with each value from
a file made `visible`, so another delegation's title or file name cannot drive
the terminal; and a full disk or a closed pipe on standard output ends as one
line (or, for a pipe closed by `head`, quietly), never a traceback.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from negotiation.errors import LinkwrightError, visible, visible_json

if TYPE_CHECKING:
    from negotiation.findings import Finding
    from negotiation.session import Negotiation

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class OutputFailed(LinkwrightError):
    """Standard output could not take what we printed (a full disk, a file-size limit)."""

    def __init__(self, error: OSError) -> None:
        super().__init__(f"cannot write: {error.strerror or error}", "standard output")


def say(text: str = "") -> None:
    """Print one line (or a block) of output; the caller has made its values `visible`."""
    try:
        sys.stdout.write(text + "\n")
    except BrokenPipeError:
        raise  # the reader left (`| head`): main ends quietly
    except OSError as error:
        raise OutputFailed(error) from None


def _flush_output() -> None:
    # Output to a file is buffered: a full disk shows only here, and must not wait
    # for the interpreter's exit, which would report it as "Exception ignored".
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as error:
        raise OutputFailed(error) from None


def _discard_output() -> None:
    """Point standard output at the null device, so that the interpreter's final
    flush of what is still buffered cannot fail again (Python's documented remedy
    for a closed pipe)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass  # not a real file (a test's capture): nothing will be flushed to it


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse prints usage plus the message; keep one clear line and exit 2.
        sys.stderr.write(f"linkwright: {visible(message)} (see `linkwright --help`)\n")
        raise SystemExit(EXIT_USAGE)


def _add_source(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("session", nargs="?", type=Path, help="a session file (YAML)")
    parser.add_argument("--preset", metavar="ID", help="a built-in preset instead of a file")
    parser.add_argument("--library", metavar="DIR", type=Path, action="append", default=[],
                        help="a clause library folder layered over the built-in one "
                             "(repeatable)")


def _add_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("text", "json"), default="text")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line. With `command`, every command is there but only that one gets
    its options (all of them cost every run 2 ms); `--help` shows the others by their
    help line alone."""
    parser = _Parser(
        prog="linkwright",
        description="Negotiate and draft the linking of emissions trading systems. "
                    "With no command, opens the terminal UI.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def add(name: str, **kwargs: Any) -> argparse.ArgumentParser | None:
        """The command's parser, to give its options to; None when they are not needed."""
        new = sub.add_parser(name, **kwargs)
        return new if command in (None, name) else None

    if p := add("check", help="check a session for inconsistencies"):
        _add_source(p)
        _add_format(p)
        p.add_argument("--min-severity", choices=("error", "warning", "info"), default="info",
                       help="hide findings below this severity (text format)")

    if p := add("render", help="render a draft instrument, the status of the text "
                               "or the negotiator's brief"):
        _add_source(p)
        p.add_argument("--format", choices=("md", "pdf", "docx"),
                       help="default: from the output's name (.md, .pdf, .docx)")
        p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
        p.add_argument("--document", choices=("instrument", "status", "brief"),
                       default="instrument",
                       help="instrument: the text to table; status: the cover note saying "
                            "what is open (internal); brief: the negotiator's brief "
                            "(internal)")
        p.add_argument("--attribution", choices=("on", "off"), default="on",
                       help="off: the same text with unattributed brackets, as a chair "
                            "circulates it (instrument only)")
        p.add_argument("--clean", action="store_true",
                       help="final text only: refuse while provisions are open or errors "
                            "remain")
        p.add_argument("--language", metavar="CODES", default="en",
                       help="the version to render (fr, de, fr-CA …; default en), or several "
                            "separated by commas (en,fr) for a side-by-side edition; a base "
                            "code takes the session's usage (fr on a session in fr-CA is "
                            "Québec's)")
        p.add_argument("--force", action="store_true", help="replace an existing output file")

    if p := add("economics", help="prices, flows and gains of the link"):
        p.add_argument("file", nargs="?", type=Path, help="a session or a scenario file")
        p.add_argument("--preset", metavar="ID")
        p.add_argument("--library", metavar="DIR", type=Path, action="append", default=[])
        _add_format(p)

    if p := add("open", help="open a session in the terminal UI"):
        p.add_argument("session", nargs="?", type=Path)
        p.add_argument("--preset", metavar="ID",
                       help="open your copy of a preset (made the first time)")
        p.add_argument("--fresh", action="store_true",
                       help="with --preset: a new copy of the preset, not the one you have")
        p.add_argument("--library", metavar="DIR", type=Path, action="append", default=[])

    if p := add("new", help="start a session file from a preset or from the parties' systems",
                description="Start a session file: a copy of a built-in preset (--preset), or "
                            "a blank session for the systems you name (--systems), nothing "
                            "decided."):
        start = p.add_mutually_exclusive_group(required=True)
        start.add_argument("--preset", metavar="ID",
                           help="copy a built-in preset (see `linkwright presets`)")
        start.add_argument("--systems", metavar="ID,ID[,...]",
                           help="the parties' system profiles, comma-separated, e.g. "
                                "nz-ets,uk-ets (see `linkwright systems`)")
        p.add_argument("--linkage", choices=("bilateral", "multilateral", "unilateral"),
                       help="the kind of link (with --systems); default: bilateral for two "
                            "systems, multilateral for more, unilateral with --recognising")
        p.add_argument("--recognising", metavar="SYSTEM",
                       help="for a unilateral link: the system that recognises the other's "
                            "units")
        p.add_argument("--form", choices=("treaty", "memorandum", "hybrid", "regulation"),
                       help="the legal form (with --systems); default: the one recommended "
                            "for these parties and this link")
        p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE",
                       help="the session file to write")
        p.add_argument("--force", action="store_true", help="replace an existing file")

    if p := add("export-positions", help="write what one party tables: its "
                "positions and proposals on the shared text, no internal notes"):
        p.add_argument("session", type=Path, help="a session file (YAML)")
        p.add_argument("--party", metavar="ID", required=True,
                       help="the party whose file it is")
        p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
        p.add_argument("--force", action="store_true", help="replace an existing output file")

    if p := add("merge", help="bring the other side's tabled positions into this "
                              "session (a dry run without --write)"):
        p.add_argument("session", type=Path, help="our session file")
        p.add_argument("theirs", type=Path, help="their file (from `export-positions`)")
        p.add_argument("--party", metavar="ID",
                       help="whose positions to take (default: whose file theirs says it is)")
        p.add_argument("--base", metavar="ROUND",
                       help="the round both sides started from: a number (rounds/N beside "
                            "the session), a round folder or a session file; default: the "
                            "last closed round")
        p.add_argument("--write", action="store_true", help="save the merged session")

    if p := add("import-docx", help="bring the other side's tracked changes in a "
                                    "DOCX we rendered in as their proposed texts"):
        p.add_argument("session", type=Path, help="our session file")
        p.add_argument("docx", type=Path, metavar="THEIRS.docx")
        p.add_argument("--party", metavar="ID", required=True, help="whose mark-up it is")
        p.add_argument("--write", action="store_true", help="save the session with them")

    if p := add("sessions", help="list the sessions the terminal UI autosaved in "
                                 "your data folder, most recently changed first"):
        _add_format(p)

    for name, text in (("presets", "list the built-in presets"),
                       ("systems", "list the built-in system profiles"),
                       ("library", "list the clauses of the library")):
        if p := add(name, help=text):
            _add_format(p)
            if name == "library":
                p.add_argument("--library", metavar="DIR", type=Path, action="append",
                               default=[])

    from negotiation.rounds import add_commands  # `round close`, `compare`: light to import

    add_commands(sub, command)
    return parser


def _command_named(argv: Sequence[str]) -> str | None:
    """The command an argument list names (its first word that is no option), if it is
    one of ours; None builds them all (for `--help`, and for the terminal UI, which is
    the command when none is named)."""
    word = next((arg for arg in argv if not arg.startswith("-")), None)
    return word if word in COMMANDS else None


# -- loading -------------------------------------------------------------------


def load(args: argparse.Namespace) -> Negotiation:
    from negotiation.session import load_preset, load_session

    session = getattr(args, "session", None)
    if session is not None and args.preset:
        raise LinkwrightError("give a session file or --preset, not both")
    if args.preset:
        return load_preset(args.preset, tuple(args.library))
    if session is None:
        raise LinkwrightError("name a session file or use --preset ID "
                              "(see `linkwright presets`)")
    return load_session(session, tuple(args.library))


# -- commands ------------------------------------------------------------------


def cmd_check(args: argparse.Namespace) -> int:
    from negotiation.checks import run_checks
    from negotiation.findings import counts

    neg = load(args)
    findings = run_checks(neg)
    if args.format == "json":
        say(visible_json([f.to_json() for f in findings]))
    else:
        say(format_findings(neg, findings, args.min_severity))
    return EXIT_FINDINGS if counts(findings)["error"] else EXIT_OK


def format_findings(neg: Negotiation, findings: list[Finding], min_severity: str = "info") -> str:
    """The findings by topic, each with its fixes; a warning the session acknowledged
    shows as `acknowledged` with its note instead (no fixes: the delegation chose to
    keep it), is counted apart, and ranks with the infos for `--min-severity`."""
    from negotiation.findings import SEVERITY_ORDER, counts

    total = counts(findings)
    source = str(neg.path) if neg.path else (neg.doc.file if neg.doc else "session")
    acknowledged = f", {total['acknowledged']} acknowledged" if total["acknowledged"] else ""
    lines = [f"{visible(neg.session.title)} ({visible(source)})",
             f"{neg.linkage} {neg.form}; {total['error']} error(s), {total['warning']} "
             f"warning(s), {total['info']} info{acknowledged}", ""]

    def rank(finding: Finding) -> int:
        return SEVERITY_ORDER[finding.severity if finding.is_open else "info"]

    shown = [f for f in findings if rank(f) <= SEVERITY_ORDER[min_severity]]
    current = None
    for finding in shown:
        if finding.topic != current:
            current = finding.topic
            topic = neg.library.topics.get(current)
            title = topic.title if topic else current
            lines.append(f"{visible(title)} [{visible(current)}]")
        if finding.acknowledged is not None:
            lines.append(f"  acknowledged {visible(finding.rule)}: {visible(finding.message)}")
            lines.append(f"          note: {visible(finding.acknowledged)}")
            continue
        lines.append(f"  {finding.severity:<7} {visible(finding.rule)}: "
                     f"{visible(finding.message)}")
        for remedy in finding.remedies:
            lines.append(f"          fix: {visible(remedy.description)}")
    if not shown:
        lines.append("No findings.")
    return "\n".join(lines).rstrip()


def cmd_new(args: argparse.Namespace) -> int:
    from negotiation.storage import write_new

    if args.preset:
        text, origin = _preset_session(args), f"from preset {args.preset}"
    else:
        text, origin = _blank_session(args), f"a blank session for {args.systems}"
    write_new(args.output, text, force=args.force)
    say(f"wrote {visible(str(args.output))} ({visible(origin)})")
    return EXIT_OK


def _preset_session(args: argparse.Namespace) -> str:
    from negotiation.session import load_preset, preset_text

    given = [f"--{name}" for name in ("linkage", "recognising", "form")
             if getattr(args, name) is not None]
    if given:
        # A preset already settles these; silently ignoring them would mislead.
        verb = "goes" if len(given) == 1 else "go"
        raise LinkwrightError(f"{' and '.join(given)} {verb} with --systems, not --preset: "
                              "the preset sets it already (edit the file afterwards)")
    text = preset_text(args.preset)
    load_preset(args.preset)  # a preset that does not load is never written out
    return text


def _blank_session(args: argparse.Namespace) -> str:
    from negotiation.blank import blank_session_text

    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    return blank_session_text(systems, linkage=args.linkage, recognising=args.recognising,
                              form=args.form)


def cmd_presets(args: argparse.Namespace) -> int:
    from negotiation.session import load_preset, preset_ids

    rows = []
    for preset in preset_ids():
        neg = load_preset(preset)
        rows.append({"id": preset, "title": neg.session.title, "form": neg.form,
                     "linkage": neg.linkage, "parties": neg.party_ids,
                     "year": neg.session.year})
    _print_rows(rows, args.format, ("id", "form", "linkage", "year", "title"))
    return EXIT_OK


def cmd_systems(args: argparse.Namespace) -> int:
    from negotiation.profiles import builtin_profiles

    rows = [{"id": p.id, "name": p.name, "jurisdiction": p.parameters.get("jurisdiction"),
             "level": p.parameters.get("level"), "currency": p.parameters.get("currency"),
             "historical": p.historical} for p in builtin_profiles().values()]
    _print_rows(rows, args.format, ("id", "name", "level", "currency", "historical"))
    return EXIT_OK


def cmd_sessions(args: argparse.Namespace) -> int:
    from tui.places import Places  # where the TUI keeps them; plain paths, no Textual

    folder = Places.for_user().sessions_dir
    rows = [_autosaved(path) for path in _session_files(folder)]
    rows.sort(key=lambda row: row["changed"], reverse=True)
    if args.format == "json":
        say(visible_json(rows))
    elif rows:
        _print_rows(rows, "text", ("changed", "path", "title"))
    else:
        say(f"No autosaved sessions in {visible(str(folder))}.")
    return EXIT_OK


def _session_files(folder: Path) -> list[Path]:
    try:
        return [p for p in folder.iterdir() if p.suffix == ".yaml" and p.is_file()]
    except FileNotFoundError:
        return []  # the TUI has not made one yet
    except OSError as error:
        raise LinkwrightError(f"cannot list the sessions: {error.strerror or error}",
                              folder) from None


def _autosaved(path: Path) -> dict[str, Any]:
    """One autosaved session: where, what it is called, when last changed. Read cheaply
    (parsed, not validated): a listing must not fail on one broken copy."""
    import datetime as dt

    from negotiation.yamlload import parse_text

    changed = dt.datetime.fromtimestamp(path.stat().st_mtime).isoformat(" ", "minutes")
    try:
        data = parse_text(path.read_text("utf-8"), str(path)).data
        title = data.get("title") if isinstance(data, dict) else None
        title = str(title) if title else "(no title)"
    except (LinkwrightError, OSError, UnicodeDecodeError) as error:
        title = f"(cannot read: {getattr(error, 'message', error)})"
    return {"path": str(path), "title": title, "changed": changed}


def cmd_library(args: argparse.Namespace) -> int:
    from negotiation.library import load_library

    library = load_library(tuple(args.library))
    rows = []
    for topic in library.ordered_topics():
        for pid in topic.provisions:
            for cid in library.provisions[pid].clauses:
                clause = library.clauses[cid]
                rows.append({"id": cid, "topic": topic.id, "provision": pid,
                             "title": clause.title, "forms": clause.forms,
                             "linkage": clause.linkage, "file": clause.file})
    _print_rows(rows, args.format, ("id", "title"))
    if args.format != "json":
        say(f"\n{len(rows)} clauses, {len(library.provisions)} provisions, "
            f"{len(library.topics)} topics")
    return EXIT_OK


def cmd_render(args: argparse.Namespace) -> int:
    from negotiation.drafting.command import render_command

    return render_command(args, load(args))  # which runs the checks once, for both


def cmd_economics(args: argparse.Namespace) -> int:
    from negotiation.economics.command import economics_command

    return economics_command(args)


def cmd_open(args: argparse.Namespace) -> int:
    from tui.launch import launch

    return launch(args)


def cmd_export_positions(args: argparse.Namespace) -> int:
    from negotiation.exchange import export_command

    return export_command(args)


def cmd_merge(args: argparse.Namespace) -> int:
    from negotiation.exchange import merge_command

    return merge_command(args)


def cmd_import_docx(args: argparse.Namespace) -> int:
    from negotiation.exchange import import_docx_command

    return import_docx_command(args)


def _print_rows(rows: list[dict[str, Any]], fmt: str, columns: Sequence[str]) -> None:
    """A listing as JSON (every key) or as an aligned table of `columns`."""
    if fmt == "json":
        say(visible_json(rows))
    else:
        say(_table(rows, columns))


def _table(rows: list[dict[str, Any]], columns: Sequence[str]) -> str:
    # Cells are made visible before measuring, so an escape widens its column
    # instead of breaking the alignment.
    cells = [{c: visible(str(r.get(c, ""))) for c in columns} for r in rows]
    widths = {c: max(len(c), *(len(r[c]) for r in cells)) for c in columns}
    widths[columns[-1]] = 0
    lines = ["  ".join(c.upper().ljust(widths[c]) for c in columns).rstrip()]
    for row in cells:
        lines.append("  ".join(row[c].ljust(widths[c]) for c in columns).rstrip())
    return "\n".join(lines)


def cmd_round(args: argparse.Namespace) -> int:
    from negotiation.rounds import round_command

    return round_command(args)


def cmd_compare(args: argparse.Namespace) -> int:
    from negotiation.rounds import compare_command

    return compare_command(args)


COMMANDS = {"round": cmd_round, "compare": cmd_compare, "check": cmd_check,
            "render": cmd_render, "economics": cmd_economics,
            "open": cmd_open, "new": cmd_new, "presets": cmd_presets, "systems": cmd_systems,
            "library": cmd_library, "sessions": cmd_sessions,
            "export-positions": cmd_export_positions, "merge": cmd_merge,
            "import-docx": cmd_import_docx}


QUICK_EXIT = frozenset({"check", "render"})
"""Commands that, run as the program, end without tearing the interpreter down."""


def _exit_now(code: int) -> None:
    """End the process at once, everything written: freeing the library, the models and
    the modules object by object took a seventh of a `check` and adds nothing. Only
    when `main` is the program (`argv` from the command line), never for a caller, and
    only after commands that have flushed and closed all they wrote."""
    sys.stderr.flush()
    os._exit(code)


def _no_pydantic_plugins() -> None:
    """Give pydantic its answer to "which plugins are installed?" (none) before it asks.

    Linkwright uses no pydantic plugin, and wants none watching what a session holds.
    Asking costs every run 15 ms: pydantic's plugin loader imports
    `importlib.metadata` (and with it `email`, `zipfile`, `csv`...) at its top, to scan
    the entry points of every installed package; `PYDANTIC_DISABLE_PLUGINS` skips only
    the scan. Pydantic looks the loader up when it builds its first validator."""
    name = "pydantic.plugin._loader"
    if name in sys.modules:
        return
    import types

    def the_real_one(attribute: str) -> Any:
        # A later pydantic asking its loader for more than `get_plugins` gets the loader
        # (not for the import system's questions, such as whether it has a `__path__`).
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        import importlib

        del sys.modules[name]
        return getattr(importlib.import_module(name), attribute)

    loader = types.ModuleType(name)
    loader.get_plugins = tuple  # type: ignore[attr-defined]  # tuple() == (): none
    loader.__getattr__ = the_real_one  # type: ignore[method-assign]
    sys.modules[name] = loader


def main(argv: Sequence[str] | None = None) -> int:
    _no_pydantic_plugins()
    parser = build_parser(_command_named(sys.argv[1:] if argv is None else argv))
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["open", *(argv or [])])
    if argv is None and args.command in QUICK_EXIT:
        # A run this short frees its memory by exiting: the cycle collector would only
        # walk the modules and the library again and again (20 ms of a `check`).
        gc.disable()
    try:
        code = COMMANDS[args.command](args)
        _flush_output()
        if argv is None and args.command in QUICK_EXIT:
            _exit_now(code)
        return code
    except OutputFailed as error:
        _discard_output()
        sys.stderr.write(f"linkwright: {error}\n")
        return EXIT_USAGE
    except LinkwrightError as error:
        sys.stderr.write(f"linkwright: {error}\n")
        return EXIT_USAGE
    except BrokenPipeError:
        _discard_output()
        return EXIT_OK
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
