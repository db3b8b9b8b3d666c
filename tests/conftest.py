"""Shared fixtures: negotiations built from presets with edits a test names."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from negotiation.session import Negotiation, negotiation_from_document, preset_text
from negotiation.yamlload import Document, parse_text


def preset_data(preset: str) -> dict[str, Any]:
    return copy.deepcopy(parse_text(preset_text(preset), f"presets/{preset}.yaml").data)


def negotiation(preset: str, edit: Callable[[dict[str, Any]], None] | None = None) -> Negotiation:
    """The preset, changed by `edit` (which mutates the plain session data)."""
    data = preset_data(preset)
    if edit is not None:
        edit(data)
    return negotiation_from_document(Document(data, "test-session.yaml", {(): (1, 1)}), None)


def override(data: dict[str, Any], party: str, **values: Any) -> None:
    """Set nested overrides on a party: override(d, 'eu', price_ceiling=50)."""
    spec = next(p for p in data["parties"] if p["id"] == party)
    overrides = spec.setdefault("overrides", {})
    for dotted, value in values.items():
        parts = dotted.split("__")
        cursor = overrides
        for part in parts[:-1]:
            cursor = cursor.setdefault(part, {})
        cursor[parts[-1]] = value


@pytest.fixture
def make() -> Callable[..., Negotiation]:
    return negotiation


def fixed_notice_layer(binding: str, nonbinding: str | None = None, extra: str = "",
                       more_clauses: str = "") -> str:
    """A library layer replacing the clause the presets choose for termination notice
    (`termination.notice.fixed`) with `binding` (and `nonbinding`) text: what another
    delegation's layer would do to text the parties agreed. `extra` holds further keys
    of the clause (indented as they are), `more_clauses` further clause entries."""
    voices = f'          binding: "{binding}"\n'
    if nonbinding is not None:
        voices += f'          nonbinding: "{nonbinding}"\n'
    return ("topic: termination\nprovisions:\n  termination.notice:\n    clauses:\n"
            "      - overrides: termination.notice.fixed\n"
            "        title: Termination on fixed notice\n"
            "        params:\n"
            "          months: {type: months, min: 1, max: 36, default: 6}\n"
            "          automatic: {type: boolean, default: true}\n"
            f"{extra}        text:\n{voices}{more_clauses}")
