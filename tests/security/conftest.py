"""Fixtures for the hostile-input tests."""

from __future__ import annotations

import pytest
import yaml

from negotiation import yamlload

_PARSERS = {"libyaml": getattr(yaml, "CSafeLoader", None), "pure-python": yaml.SafeLoader}


@pytest.fixture(params=sorted(_PARSERS))
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run the test once with libyaml's parser and once with PyYAML's own: Linkwright's
    limits and messages must not depend on which one a machine has."""
    loader = _PARSERS[request.param]
    if loader is None:
        pytest.skip("this PyYAML has no libyaml")
    monkeypatch.setattr(yamlload, "_Loader", loader)
    return request.param
