"""Fixtures for the TUI tests (helpers live in `tuihelp`)."""

from __future__ import annotations

from tuihelp import _private_dirs, places  # noqa: F401  (fixtures)
