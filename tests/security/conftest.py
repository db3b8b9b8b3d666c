"""Fixtures for the hostile-input tests."""

from __future__ import annotations

import pytest
import yaml

from negotiation import yamlload

_PARSERS = {"libyaml": yaml.CSafeLoader, "pure-python": yaml.SafeLoader}
"""PyPI's PyYAML wheels (the lock's) carry libyaml: both parsers are always tested."""


@pytest.fixture(params=sorted(_PARSERS))
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run the test once with libyaml's parser and once with PyYAML's own: Linkwright's
    limits and messages must not depend on which one a machine has."""
    monkeypatch.setattr(yamlload, "_Loader", _PARSERS[request.param])
    return request.param
