"""`linkwright economics` on presets, sessions and scenario files; the brief's section."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from negotiation.cli import main
from negotiation.drafting.brief import build_brief
from tests.conftest import negotiation

ROOT = Path(__file__).resolve().parent.parent


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("preset", ["eu-ch", "ca-qc", "ca-qc-on", "au-eu", "eu-uk", "eu-ch-uk"])
def test_every_preset_has_economics_in_the_documented_json(
        preset: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "economics", "--preset", preset, "--format", "json")
    assert code == 0, err
    result = json.loads(out)
    assert set(result) == {"systems", "total_gain", "combined_emissions", "combined_cap",
                           "notes"}
    for system in result["systems"]:
        assert set(system) == {"id", "autarky_price", "price", "abatement", "net_sales",
                               "transfer", "gain"}
    assert abs(sum(s["net_sales"] for s in result["systems"])) < 1e-6
    assert all(s["gain"] >= -1e-9 for s in result["systems"])


def test_session_file_and_scenario_file_are_told_apart(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    session = tmp_path / "s.yaml"
    session.write_text((ROOT / "negotiation/presets/eu-uk.yaml").read_text())
    code, out, _ = run(capsys, "economics", str(session))
    assert code == 0 and "The United Kingdom" in out and "EUR per tonne" in out
    code, out, _ = run(capsys, "economics",
                       str(ROOT / "tests/economics/scenarios/two-systems-ceiling.yaml"))
    assert code == 0 and "price ceiling (1,200) sets the linked price" in out


def test_unknown_system_in_a_scenario_is_a_located_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scenario = tmp_path / "bad.yaml"
    scenario.write_text("systems:\n  - {id: a, bau: 20, cap: 9, mac: {intercept: 0, slope: 2}}\n"
                        "  - {id: b, bau: 20, cap: 9, mac: {intercept: 0, slope: 1}}\n"
                        "link: {type: one_way, from: zz, to: a}\n")
    code, out, err = run(capsys, "economics", str(scenario))
    assert code == 2 and out == ""
    assert err.startswith(f"linkwright: {scenario}:4:") and "zz" in err


def test_file_that_is_neither_is_refused(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "x.yaml"
    other.write_text("title: nothing\n")
    code, _, err = run(capsys, "economics", str(other))
    assert code == 2 and "neither a session" in err


def test_brief_has_the_economics_with_a_chart() -> None:
    neg = negotiation("eu-uk")
    text = build_brief(neg, [])
    section = text.split("## Economics of the link")[1].split("\n## ")[0]
    assert "| The United Kingdom |" in section and "```chart" in section
