"""Scenarios written in code for the economics tests, and a closeness test."""

from __future__ import annotations

import pytest

from negotiation.economics import Scenario

TOL = 1e-7


def system(sid: str, bau: float, cap: float, slope: float, intercept: float = 0.0,
           **extra: object) -> dict[str, object]:
    return {"id": sid, "bau": bau, "cap": cap,
            "mac": {"intercept": intercept, "slope": slope}, **extra}


def scenario(*systems: dict[str, object], **rest: object) -> Scenario:
    return Scenario.model_validate({"systems": list(systems), **rest})


def close(a: float, b: float) -> bool:
    return a == pytest.approx(b, rel=TOL, abs=TOL)
