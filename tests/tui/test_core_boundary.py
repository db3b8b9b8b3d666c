"""The core never imports Textual: a screen can change without touching the rules."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CORE = [
    "negotiation.cli",
    "negotiation.session",
    "negotiation.checks",
    "negotiation.graph",
    "negotiation.drafting.builder",
    "negotiation.drafting.markdown",
    "negotiation.advice",
    "negotiation.interview",
    "negotiation.edits",
    "tui.document",
    "tui.state",
    "tui.places",
    "tui.opening",
    "tui.formatting",
]


def test_the_core_and_the_tui_s_document_model_never_import_textual():
    code = (
        "import importlib, sys\n"
        f"for name in {CORE!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'textual' or "
        "m.startswith('textual.'))\n"
        "print(loaded)\n"
        "assert 'textual' not in sys.modules, loaded\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert result.stdout.strip() == "[]"
