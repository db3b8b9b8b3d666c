"""Findings a delegation accepts knowingly: `acknowledged:` in the session.

An acknowledged warning stays visible with its note but no longer counts as open;
it comes back when what it was about changes (another value, another clause);
errors cannot be acknowledged; an entry without a reason is refused at its line.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from negotiation.checks import run_checks
from negotiation.cli import main
from negotiation.findings import Finding, counts
from negotiation.session import load_session
from tests.conftest import fixed_notice_layer, override, preset_data

NOTE = "Separate limits are reported annually; accepted at round 3."


def differing_offset_limits(data: dict[str, Any], eu: float = 5, ch: float = 8) -> None:
    override(data, "eu", offsets__limit_pct=eu)
    override(data, "ch", offsets__limit_pct=ch)


def eu_ch_data() -> dict[str, Any]:
    """eu-ch without the acknowledgement the preset itself makes (the reserve it leaves
    unregulated), so that each test counts only the entries it writes."""
    data = preset_data("eu-ch")
    data.pop("acknowledged", None)
    return data


def session_file(folder: Path, data: dict[str, Any], name: str = "round3.yaml") -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def findings_of(path: Path) -> list[Finding]:
    return run_checks(load_session(path))


def only(findings: list[Finding], rule: str) -> Finding:
    found = [f for f in findings if f.rule == rule]
    assert len(found) == 1, [f.message for f in found]
    return found[0]


def entry_for(finding: Finding, note: str = NOTE) -> dict[str, str]:
    """What a delegation writes: the rule, the topic, the message `check` printed, why."""
    return {"rule": finding.rule, "topic": finding.topic, "about": finding.message,
            "note": note}


def acknowledged_session(tmp_path: Path) -> tuple[Path, dict[str, Any], Finding]:
    """eu-ch with differing offset limits, the resulting warning acknowledged."""
    data = eu_ch_data()
    differing_offset_limits(data)
    warning = only(findings_of(session_file(tmp_path, data)), "offsets.limit-differs")
    assert warning.severity == "warning"
    data["acknowledged"] = [entry_for(warning)]
    return session_file(tmp_path, data), data, warning


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# -- an acknowledged warning ---------------------------------------------------------


def test_an_acknowledged_warning_no_longer_counts_as_open(tmp_path: Path) -> None:
    data = eu_ch_data()
    differing_offset_limits(data)
    before = counts(findings_of(session_file(tmp_path, data, "before.yaml")))
    path, _, _ = acknowledged_session(tmp_path)
    findings = findings_of(path)
    after = counts(findings)
    assert after["warning"] == before["warning"] - 1
    assert after["acknowledged"] == 1
    assert only(findings, "offsets.limit-differs").acknowledged == NOTE
    assert not [f for f in findings if f.rule.startswith("acknowledged.")]


def test_check_shows_the_acknowledged_warning_with_its_note(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, _, warning = acknowledged_session(tmp_path)
    _, out, err = run(capsys, "check", str(path))
    assert err == ""
    assert ", 1 acknowledged" in out.splitlines()[1]
    assert f"  acknowledged offsets.limit-differs: {warning.message}\n          note: {NOTE}" in out
    assert "warning offsets.limit-differs" not in out


def test_check_hides_acknowledged_warnings_with_the_infos(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, _, _ = acknowledged_session(tmp_path)
    _, out, _ = run(capsys, "check", str(path), "--min-severity", "warning")
    assert "offsets.limit-differs" not in out


def test_check_json_carries_the_note(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, _, _ = acknowledged_session(tmp_path)
    _, out, _ = run(capsys, "check", str(path), "--format", "json")
    by_rule = {f["rule"]: f for f in json.loads(out)}
    assert by_rule["offsets.limit-differs"]["severity"] == "warning"
    assert by_rule["offsets.limit-differs"]["acknowledged"] == NOTE
    assert by_rule["supply.msr-one-sided"]["acknowledged"] is None


def test_the_brief_lists_the_acknowledged_warning_with_its_note(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, _, warning = acknowledged_session(tmp_path)
    output = tmp_path / "brief.md"
    code, _, err = run(capsys, "render", str(path), "--document", "brief", "-o", str(output))
    assert code == 0, err
    brief = output.read_text("utf-8")
    section = brief.split("## Acknowledged findings", 1)[1].split("\n## ", 1)[0]
    assert f"- `offsets.limit-differs` (Offset credits): {warning.message}\n" in section
    assert f"  - note: {NOTE}" in section
    offsets_article = brief.split("\n## Offset credits", 1)[1].split("\n## ", 1)[0]
    assert "offsets.limit-differs" not in offsets_article  # not listed among the open ones
    assert ", 1 acknowledged;" in brief.split("\n## ", 1)[0]


def test_a_message_folded_over_lines_still_matches(tmp_path: Path) -> None:
    _, data, warning = acknowledged_session(tmp_path)
    words = warning.message.split(" ")
    data["acknowledged"][0]["about"] = "\n".join([" ".join(words[:6]), " ".join(words[6:])])
    findings = findings_of(session_file(tmp_path, data))
    assert only(findings, "offsets.limit-differs").acknowledged == NOTE


# -- it comes back when what it was about changes ----------------------------------------


def test_another_value_brings_the_finding_back_and_the_entry_is_stale(tmp_path: Path) -> None:
    _, data, _ = acknowledged_session(tmp_path)
    differing_offset_limits(data, ch=10)  # Switzerland loosens its limit after round 3
    findings = findings_of(session_file(tmp_path, data))
    back = only(findings, "offsets.limit-differs")
    assert back.acknowledged is None and "Switzerland 10 per cent" in back.message
    assert counts(findings)["acknowledged"] == 0
    stale = only(findings, "acknowledged.stale")
    assert stale.severity == "info" and stale.topic == "offsets"
    assert stale.message.startswith("what was acknowledged has changed: no "
                                    "offsets.limit-differs finding says “offset limits differ")
    assert "look at the finding again" in stale.message


REPLACING_LAYER = fixed_notice_layer(
    "Either Party may terminate this Agreement on {{ months }} months' notice.",
    extra=("        forms: [treaty, hybrid]\n        linkage: [bilateral, multilateral]\n"
           "        requires: [termination.held_units, termination.survival]\n"),
    more_clauses="""\
      - overrides: termination.notice.withdrawal
        title: Withdrawal on notice
        forms: [treaty, memorandum, hybrid]
        linkage: [bilateral, multilateral]
        params:
          months: {type: months, min: 1, max: 36, default: 12}
        text:
          binding: Either Party may withdraw on {{ months }} months' notice.
          nonbinding: Either Participant may withdraw on {{ months }} months' notice.
""")


def test_another_clause_brings_the_finding_back(tmp_path: Path) -> None:
    # The delegation trusts its legal team's layer for the fixed-notice clause; the
    # acknowledgement does not carry over to another clause the same layer replaces.
    (tmp_path / "library").mkdir()
    (tmp_path / "library" / "termination.yaml").write_text(REPLACING_LAYER, "utf-8")
    data = eu_ch_data()
    data["libraries"] = ["library"]
    replaced = only(findings_of(session_file(tmp_path, data)), "library.replaced")
    assert "termination.notice.fixed" in replaced.message
    data["acknowledged"] = [entry_for(replaced, "Our legal service's text; reviewed.")]
    assert only(findings_of(session_file(tmp_path, data)), "library.replaced").acknowledged

    data["provisions"]["termination.notice"] = {"clause": "termination.notice.withdrawal",
                                                "params": {"months": 12}}
    findings = findings_of(session_file(tmp_path, data))
    back = only(findings, "library.replaced")
    assert back.acknowledged is None and "termination.notice.withdrawal" in back.message
    assert only(findings, "acknowledged.stale").topic == "termination"


# -- errors cannot be acknowledged ---------------------------------------------------------


def test_an_error_stays_open_whatever_the_entry_says(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = eu_ch_data()
    differing_offset_limits(data)
    data["provisions"]["offsets.quantity"] = {"clause": "offsets.quantity.none"}
    error = only(findings_of(session_file(tmp_path, data)), "offsets.limit-differs")
    assert error.severity == "error"
    errors_before = counts(findings_of(session_file(tmp_path, data)))["error"]
    data["acknowledged"] = [entry_for(error, "We accept it.")]
    path = session_file(tmp_path, data)
    findings = findings_of(path)
    assert only(findings, "offsets.limit-differs").acknowledged is None
    assert counts(findings)["error"] == errors_before
    ignored = only(findings, "acknowledged.ignored")
    assert ignored.severity == "info"
    assert ignored.message.startswith("errors cannot be acknowledged: offsets.limit-differs "
                                      "stays open")
    code, out, _ = run(capsys, "check", str(path))
    assert code == 1
    assert "error   offsets.limit-differs" in out


# -- what the session file must say ---------------------------------------------------------


@pytest.mark.parametrize(("entry", "where", "expected"), [
    ({"rule": "offsets.limit-differs", "topic": "offsets", "about": "x"}, "rule",
     "acknowledged.0: an acknowledged finding needs a `note:` saying why the delegation "
     "accepts it"),
    ({"rule": "offsets.limit-differs", "topic": "offsets", "about": "x", "note": "  \n "},
     "note", "acknowledged.0.note: is blank: write it out"),
    ({"rule": "offsets.limit-differs", "topic": "offsets", "about": "x", "note": "why " * 600},
     "note", "acknowledged.0.note: holds 2,399 characters, more than 2,000: keep the reason "
     "short and put the rest in `notes:`"),
    ({"rule": "Offsets limit", "topic": "offsets", "about": "x", "note": "why"}, "rule",
     "acknowledged.0.rule: 'Offsets limit' is not a rule id, which looks like "
     "offsets.limit-differs (copy it from `linkwright check`)"),
])
def test_an_entry_that_says_no_reason_or_names_no_rule_is_refused_at_its_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], entry: dict[str, str],
        where: str, expected: str) -> None:
    data = eu_ch_data()
    data["acknowledged"] = [entry]
    path = session_file(tmp_path, data)
    code, out, err = run(capsys, "check", str(path))
    assert code == 2 and out == ""
    lines = path.read_text("utf-8").splitlines()
    start = lines.index("acknowledged:")
    line = next(n for n in range(start, len(lines)) if f"{where}:" in lines[n]) + 1
    assert err.startswith(f"linkwright: {path}:{line}:")
    assert err.rstrip().endswith(expected)
    assert len(err.strip().splitlines()) == 1
