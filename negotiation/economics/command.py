"""`linkwright economics`: a session (it has `parties`) or a scenario (it has `systems`)."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

from negotiation.economics.report import to_json, to_text
from negotiation.economics.result import Result, solve
from negotiation.errors import LinkwrightError, visible, visible_json


def _result(args: argparse.Namespace) -> Result:
    from negotiation.economics.scenario import parse_scenario
    from negotiation.economics.session import economics_for
    from negotiation.session import load_preset, negotiation_from_document
    from negotiation.yamlload import read_file

    if args.preset and args.file:
        raise LinkwrightError("give a file or --preset, not both")
    if args.preset:
        return economics_for(load_preset(args.preset, tuple(args.library)))
    if args.file is None:
        raise LinkwrightError("name a session or scenario file, or use --preset ID")
    path = Path(args.file)
    doc = read_file(path)
    if isinstance(doc.data, dict) and "parties" in doc.data:
        neg = negotiation_from_document(doc, path.parent, tuple(args.library))
        neg.path = path
        return economics_for(neg)
    if isinstance(doc.data, dict) and "systems" in doc.data:
        return solve(parse_scenario(path.read_text("utf-8"), str(path)))
    raise doc.error((), "neither a session (with `parties:`) nor a scenario (with `systems:`)")


def economics_command(args: argparse.Namespace) -> int:
    from negotiation.cli import say

    result = _result(args)
    if args.format == "json":
        say(visible_json(to_json(result)))
    else:
        unit = "Mt" if args.preset or _is_session(args) else "t"
        say(to_text(_for_terminal(result), unit))
    return 0


def _for_terminal(result: Result) -> Result:
    """The result with every text a file gave (title, system names, currency, and the
    notes that quote them) made `visible`, before the table is laid out: a name's
    line break must not start a row of its own, nor an escape colour the table."""
    def shown(text: str | None) -> str | None:
        return None if text is None else visible(text)

    return dataclasses.replace(
        result,
        title=shown(result.title),
        currency=shown(result.currency),
        notes=tuple(visible(note) for note in result.notes),
        systems=tuple(dataclasses.replace(s, name=visible(s.name)) for s in result.systems),
    )


def _is_session(args: argparse.Namespace) -> bool:
    try:
        return args.file is not None and "parties:" in Path(args.file).read_text("utf-8")
    except OSError:
        return False
