"""`linkwright economics`: a session (it has `parties`) or a scenario (it has `systems`)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from negotiation.economics.report import to_json, to_text
from negotiation.economics.result import Result, solve
from negotiation.errors import LinkwrightError


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
    result = _result(args)
    if args.format == "json":
        print(json.dumps(to_json(result), indent=2, ensure_ascii=False))
    else:
        print(to_text(result, "Mt" if args.preset or _is_session(args) else "t"))
    return 0


def _is_session(args: argparse.Namespace) -> bool:
    try:
        return args.file is not None and "parties:" in Path(args.file).read_text("utf-8")
    except OSError:
        return False
