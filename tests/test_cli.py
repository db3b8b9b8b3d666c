"""The command line as a negotiator and a CI job see it: output, exit codes, files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from negotiation.cli import main

ROOT = Path(__file__).resolve().parent.parent


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_on_a_preset_exits_zero_and_groups_by_topic(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", "--preset", "eu-ch")
    assert code == 0 and err == ""
    assert "bilateral treaty; 0 error(s), " in out
    # The design is sound; only the legal lint still marks wording of the clause library.
    warnings = [line for line in out.splitlines() if line.strip().startswith("warning ")]
    assert all(line.strip().startswith("warning lint.") for line in warnings), warnings
    assert "Market stability and supply adjustment [market_stability]" in out
    # The agreement leaves the reserves unregulated; the preset accepts the difference.
    assert "acknowledged supply.msr-one-sided" in out


def test_check_json_has_the_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "--preset", "eu-uk", "--format", "json")
    findings = json.loads(out)
    assert code == 0 and findings
    # The preset acknowledges one warning, with its note; every other finding is open.
    acknowledged = [f for f in findings if f["acknowledged"] is not None]
    assert [f["rule"] for f in acknowledged] == ["clause.premise"]
    assert "not on file" in acknowledged[0]["acknowledged"]
    for finding in findings:
        assert set(finding) == {"rule", "severity", "topic", "message", "parties", "clauses",
                                "parameters", "remedies", "acknowledged"}
        for remedy in finding["remedies"]:
            actions = set(remedy) - {"description"}
            assert len(actions) == 1 and actions <= {"choose", "set", "form", "linkage",
                                                     "condition"}
            if "choose" in remedy:
                assert {"provision", "clause"} <= set(remedy["choose"])
            if "set" in remedy:
                assert remedy["set"]["target"].split(":")[0] in ("provision", "party")


def test_check_exits_one_on_error_findings(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    session = tmp_path / "s.yaml"
    text = (ROOT / "negotiation/presets/ca-qc.yaml").read_text()
    session.write_text(text.replace("form: memorandum", "form: treaty"))
    code, out, _ = run(capsys, "check", str(session))
    assert code == 1 and "form.subnational-treaty" in out


def test_unusable_input_exits_two_with_one_line_and_no_stdout(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    session = tmp_path / "bad.yaml"
    session.write_text("linkwright: 1\ntitle: x\ntitle: y\n")
    code, out, err = run(capsys, "check", str(session))
    assert code == 2 and out == ""
    assert err == f"linkwright: {session}:3:1: duplicate key 'title' (each key may appear once " \
                  "in a mapping)\n"


def test_usage_error_exits_two(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["check", "--format", "xml"])
    assert exit_.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_unknown_preset_suggests_one(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", "--preset", "eu-hc")
    assert code == 2 and out == "" and "did you mean 'eu-ch'" in err


def test_new_writes_a_session_and_refuses_to_overwrite(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "round3.yaml"
    assert run(capsys, "new", "--preset", "ca-qc", "-o", str(target))[0] == 0
    assert run(capsys, "check", str(target))[0] == 0
    code, _, err = run(capsys, "new", "--preset", "eu-ch", "-o", str(target))
    assert code == 2 and "use --force" in err
    assert "California" in target.read_text()
    assert run(capsys, "new", "--preset", "eu-ch", "-o", str(target), "--force")[0] == 0
    assert "Swiss" in target.read_text()


@pytest.mark.parametrize("command", ["presets", "systems", "library"])
def test_listings_have_json_with_ids(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, command, "--format", "json")
    rows = json.loads(out)
    assert code == 0 and rows and all("id" in row for row in rows)
    if command == "library":
        assert len(rows) >= 90
        assert all({"topic", "provision", "forms"} <= set(row) for row in rows)
    if command == "presets":
        assert {r["id"] for r in rows} == {"eu-ch", "ca-qc", "ca-qc-draft", "ca-qc-on",
                                           "au-eu", "eu-uk", "eu-ch-uk"}
    if command == "systems":
        assert len(rows) == 11


def test_help_does_not_import_textual_networkx_or_typst() -> None:
    code = ("import sys; from negotiation.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('textual', 'networkx', 'typst') if m in sys.modules]\n"
            "print('HEAVY', heavy)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, check=True)
    assert "HEAVY []" in result.stdout
    assert "check" in result.stdout and "render" in result.stdout


def test_core_never_imports_textual() -> None:
    code = ("import sys\n"
            "import negotiation.cli, negotiation.session, negotiation.checks, negotiation.graph\n"
            "import negotiation.edits, negotiation.drafting.builder\n"
            "import negotiation.drafting.markdown\n"
            "from negotiation.session import load_preset\n"
            "from negotiation.checks import run_checks\n"
            "run_checks(load_preset('eu-ch'))\n"
            "print('TEXTUAL', 'textual' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, check=True)
    assert "TEXTUAL False" in result.stdout


def test_wheel_installs_and_runs_from_another_directory(tmp_path: Path) -> None:
    """Everything read at run time ships in the wheel (found with importlib.resources)."""
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(wheels), str(ROOT)], check=True, capture_output=True)
    wheel = next(wheels.glob("linkwright-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; "
                           "print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    # The fresh venv sees the test environment's dependencies through a .pth file.
    Path(site, "outer.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q",
                    "--target", site, str(wheel)], check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    result = subprocess.run([str(python), "-m", "negotiation.cli", "check", "--preset", "eu-ch"],
                            cwd=elsewhere, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert "bilateral treaty" in result.stdout
    located = subprocess.run([str(python), "-c", "import negotiation; print(negotiation.__file__)"],
                             cwd=elsewhere, capture_output=True, text=True, env=env)
    assert str(ROOT) not in located.stdout
