"""Starting a link no preset covers from the command line, and what the command line
says about renders with errors, misspelt keys and the autosaved sessions (issue 14)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from negotiation.cli import main
from negotiation.session import load_session


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# -- new --systems -----------------------------------------------------------------


def test_new_with_systems_writes_a_blank_session_that_loads_and_checks(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "nz-uk.yaml"
    code, out, err = run(capsys, "new", "--systems", "nz-ets,uk-ets", "-o", str(target))
    assert code == 0 and err == ""
    assert f"wrote {target}" in out
    neg = load_session(target)
    assert neg.party_ids == ["nz", "uk"]
    assert neg.linkage == "bilateral"
    assert neg.session.title == ("Agreement on the linking of the emissions trading systems "
                                 "of New Zealand and the United Kingdom")
    assert not neg.session.provisions or all(
        v == "open" for v in neg.session.provisions.values())
    code, out, _ = run(capsys, "check", str(target))
    assert code == 0 and "bilateral treaty; 0 error(s)" in out


def test_new_names_parties_as_the_presets_do(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "ca-qc-on.yaml"
    code, _, _ = run(capsys, "new", "--systems", "california,quebec,ontario", "-o", str(target))
    neg = load_session(target)
    assert code == 0
    assert neg.party_ids == ["ca", "qc", "on"]
    assert neg.linkage == "multilateral"
    assert neg.form == "memorandum"  # sub-national governments: the recommended form


def test_new_unilateral_link_names_the_recognising_party_and_is_a_regulation(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "one-way.yaml"
    code, _, err = run(capsys, "new", "--systems", "nz-ets,uk-ets", "--linkage", "unilateral",
                       "--recognising", "uk-ets", "-o", str(target))
    neg = load_session(target)
    assert code == 0 and err == ""
    assert neg.linkage == "unilateral" and neg.recognising() == "uk"
    assert neg.form == "regulation"


def test_new_keeps_the_form_the_user_chose(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "mou.yaml"
    run(capsys, "new", "--systems", "eu-ets,ch-ets", "--form", "memorandum", "-o", str(target))
    assert load_session(target).form == "memorandum"


def test_new_unilateral_without_a_recognising_system_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "x.yaml"
    code, out, err = run(capsys, "new", "--systems", "nz-ets,uk-ets", "--linkage",
                         "unilateral", "-o", str(target))
    assert code == 2 and out == "" and not target.exists()
    assert err == ("linkwright: a unilateral link names the system that recognises the "
                   "other's units: one of nz-ets, uk-ets\n")


def test_new_with_an_unknown_system_suggests_the_right_one(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "x.yaml"
    code, _, err = run(capsys, "new", "--systems", "nz-ets,uk-et", "-o", str(target))
    assert code == 2 and not target.exists()
    assert "unknown system profile 'uk-et' (did you mean 'uk-ets'?)" in err
    assert "Traceback" not in err


def test_new_with_a_recognising_system_outside_the_link_suggests_one(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "new", "--systems", "nz-ets,uk-ets", "--recognising", "uk",
                       "--linkage", "bilateral", "-o", str(tmp_path / "x.yaml"))
    assert code == 2
    assert "a recognising system belongs to a unilateral link only" in err
    code, _, err = run(capsys, "new", "--systems", "nz-ets,uk-ets", "--recognising", "uk-et",
                       "-o", str(tmp_path / "x.yaml"))
    assert code == 2 and "(did you mean 'uk-ets'?)" in err


def test_new_refuses_preset_and_systems_together(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["new", "--preset", "eu-ch", "--systems", "nz-ets,uk-ets",
              "-o", str(tmp_path / "x.yaml")])
    assert exit_.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_new_with_a_preset_refuses_options_the_preset_sets(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "new", "--preset", "eu-ch", "--form", "memorandum",
                       "-o", str(tmp_path / "x.yaml"))
    assert code == 2
    assert err.startswith("linkwright: --form goes with --systems, not --preset")


def test_new_help_describes_every_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["new", "--help"])
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps to the terminal
    for option in ("--preset", "--systems", "--linkage", "--recognising", "--form",
                   "--output", "--force"):
        assert option in out
    assert "recognises the other's units" in out and "comma-separated" in out


def test_new_with_systems_does_not_replace_a_file_without_force(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "mine.yaml"
    target.write_text("keep me\n")
    code, _, err = run(capsys, "new", "--systems", "nz-ets,uk-ets", "-o", str(target))
    assert code == 2 and target.read_text() == "keep me\n" and "--force" in err
    code, _, _ = run(capsys, "new", "--systems", "nz-ets,uk-ets", "-o", str(target), "--force")
    assert code == 0 and load_session(target).party_ids == ["nz", "uk"]


# -- render with errors ------------------------------------------------------------


def test_render_with_errors_writes_but_says_how_many_remain(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    session = tmp_path / "ca-qc.yaml"
    # Sub-national governments cannot make a treaty: one error finding.
    run(capsys, "new", "--systems", "california,quebec", "--form", "treaty", "-o", str(session))
    draft = tmp_path / "draft.md"
    code, out, err = run(capsys, "render", str(session), "-o", str(draft))
    assert code == 0 and draft.exists()
    assert f"wrote {draft}" in out
    assert err == ("linkwright: 1 error remains (see `linkwright check`); "
                   "`render --clean` would refuse this text\n")


def test_render_without_errors_says_nothing_on_stderr(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "render", "--preset", "eu-ch", "-o", str(tmp_path / "d.md"))
    assert code == 0 and err == ""


# -- unknown keys ------------------------------------------------------------------


def _blank(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    target = tmp_path / "s.yaml"
    run(capsys, "new", "--systems", "nz-ets,uk-ets", "-o", str(target))
    return target


def test_a_misspelt_key_names_itself_with_the_key_it_meant(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    session = _blank(tmp_path, capsys)
    lines = session.read_text().splitlines()
    line = lines.index("parties:") + 1
    session.write_text(session.read_text().replace("parties:", "partys:"))
    code, _, err = run(capsys, "check", str(session))
    assert code == 2
    assert err == (f"linkwright: {session}:{line}:1: unknown key 'partys' "
                   "(did you mean 'parties'?)\n")


def test_a_misspelt_nested_key_names_itself_and_where_it_is(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    session = _blank(tmp_path, capsys)
    session.write_text(session.read_text().replace("  system: nz-ets", "  sytem: nz-ets"))
    code, _, err = run(capsys, "check", str(session))
    assert code == 2
    assert "parties.0: unknown key 'sytem' (did you mean 'system'?)" in err
    assert "required key is missing" not in err


# -- sessions ----------------------------------------------------------------------


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's data folder, here a temporary one (platformdirs follows XDG)."""
    home = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home / "linkwright" / "sessions"


def test_sessions_lists_the_autosaved_copies_with_title_and_date(
        data_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data_home.mkdir(parents=True)
    run(capsys, "new", "--systems", "nz-ets,uk-ets", "-o", str(data_home / "nz-uk-1.yaml"))
    (data_home / "broken-1.yaml").write_text("title: [unclosed\n")
    code, out, err = run(capsys, "sessions")
    assert code == 0 and err == ""
    assert out.splitlines()[0].split() == ["CHANGED", "PATH", "TITLE"]
    assert str(data_home / "nz-uk-1.yaml") in out
    assert "New Zealand and the United Kingdom" in out
    assert "(cannot read:" in out  # one broken copy does not stop the listing
    code, out, _ = run(capsys, "sessions", "--format", "json")
    rows = {Path(r["path"]).name: r for r in json.loads(out)}
    assert set(rows) == {"nz-uk-1.yaml", "broken-1.yaml"}
    assert rows["nz-uk-1.yaml"]["title"].startswith("Agreement on the linking")
    assert rows["nz-uk-1.yaml"]["changed"][:2] == "20"


def test_sessions_with_none_saved_says_where_it_looked(
        data_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "sessions")
    assert code == 0
    assert out == f"No autosaved sessions in {data_home}.\n"
