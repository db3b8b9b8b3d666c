"""Saving never costs a negotiator their work: atomic replace, one backup, clear errors.

`negotiation.storage.atomic_write` writes a temporary file beside the target,
fsyncs it and renames it over the target, after keeping the previous version
as `<name>.bak`. `write_new` is for outputs the user names and never replaces
a file without `--force`.
"""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from negotiation import storage
from negotiation.cli import main
from negotiation.errors import LinkwrightError
from negotiation.session import (
    SCHEMA_VERSION,
    dump_session,
    load_session,
    load_session_text,
    preset_text,
    save_session,
)
from negotiation.storage import FAULT_POINTS, atomic_write, backup_path, write_new


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


# -- the backup ---------------------------------------------------------------------------


def test_a_first_save_makes_no_backup(tmp_path: Path) -> None:
    target = tmp_path / "session.yaml"
    atomic_write(target, "first\n")
    assert target.read_text() == "first\n"
    assert files(tmp_path) == ["session.yaml"]
    assert mode(target) == 0o644 & ~umask()


def test_each_save_keeps_exactly_one_backup_of_the_previous_version(tmp_path: Path) -> None:
    target = tmp_path / "session.yaml"
    for version in ("one\n", "two\n", "three\n"):
        atomic_write(target, version)
    assert target.read_text() == "three\n"
    assert backup_path(target) == tmp_path / "session.yaml.bak"
    assert backup_path(target).read_text() == "two\n"
    assert files(tmp_path) == ["session.yaml", "session.yaml.bak"]


def test_a_save_without_backup_leaves_the_backup_alone(tmp_path: Path) -> None:
    target = tmp_path / "session.yaml"
    atomic_write(target, "one\n")
    atomic_write(target, "two\n")
    atomic_write(target, "three\n", backup=False)
    assert target.read_text() == "three\n"
    assert backup_path(target).read_text() == "one\n"


def test_text_is_saved_as_utf8_and_bytes_as_given(tmp_path: Path) -> None:
    target = tmp_path / "s.yaml"
    atomic_write(target, "Québec — Zürich\n")
    assert target.read_bytes() == "Québec — Zürich\n".encode()
    atomic_write(target, b"\x00\xffraw")
    assert target.read_bytes() == b"\x00\xffraw"


@pytest.mark.parametrize("permissions", [0o600, 0o640, 0o664, 0o444])
def test_the_permissions_of_the_file_are_kept(tmp_path: Path, permissions: int) -> None:
    target = tmp_path / "session.yaml"
    target.write_text("old\n")
    target.chmod(permissions)
    atomic_write(target, "new\n")
    assert target.read_text() == "new\n"
    assert mode(target) == permissions


def test_the_backup_is_no_more_readable_than_the_file(tmp_path: Path) -> None:
    """Confidential notes kept 0600 keep 0600 in their backup too."""
    target = tmp_path / "session.yaml"
    target.write_text("confidential\n")
    target.chmod(0o600)
    atomic_write(target, "still confidential\n")
    assert mode(target) == 0o600
    assert mode(backup_path(target)) == 0o600


# -- failures are clear and leave the old file whole ---------------------------------------------


def test_saving_into_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    target = tmp_path / "nowhere" / "session.yaml"
    with pytest.raises(LinkwrightError) as info:
        atomic_write(target, "x")
    assert str(info.value) == f"{tmp_path / 'nowhere'}: the folder does not exist"
    assert files(tmp_path) == []


def test_saving_over_a_folder_is_a_clear_error(tmp_path: Path) -> None:
    target = tmp_path / "session.yaml"
    target.mkdir()
    with pytest.raises(LinkwrightError) as info:
        atomic_write(target, "x")
    assert str(info.value) == f"{target}: cannot save: Is a directory"
    assert files(tmp_path) == ["session.yaml"] and target.is_dir()


def test_saving_into_a_read_only_folder_is_a_clear_error(tmp_path: Path) -> None:
    # Root writes into any folder: as root, the save runs without root's capabilities
    # (util-linux's setpriv), so the folder's permissions hold for it as for anyone.
    target = tmp_path / "session.yaml"
    target.write_text("old\n")
    save = ("from pathlib import Path\nfrom negotiation.storage import atomic_write\n"
            "from negotiation.errors import LinkwrightError\ntry:\n"
            f"    atomic_write(Path({str(target)!r}), 'new\\n')\n"
            "except LinkwrightError as error:\n    print(error)\n")
    powerless = ["setpriv", "--bounding-set=-all", "--inh-caps=-all"] \
        if os.geteuid() == 0 else []
    tmp_path.chmod(0o555)
    try:
        done = subprocess.run([*powerless, sys.executable, "-c", save], capture_output=True,
                              text=True, check=False)
    finally:
        tmp_path.chmod(0o755)
    assert "cannot save: Permission denied" in done.stdout, done.stderr
    assert target.read_text() == "old\n"


@pytest.mark.parametrize("point", FAULT_POINTS)
def test_an_error_at_any_point_of_a_save_leaves_a_whole_file_and_no_temp(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, point: str) -> None:
    """A disk error (OSError) at each step: one clear error, the old file (or, once renamed,
    the new one) whole, the backup whole, no temporary file left."""
    target = tmp_path / "session.yaml"
    atomic_write(target, "old\n" * 1000)

    def fail(at: str) -> None:
        if at == point:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(storage, "fault_hook", fail)
    with pytest.raises(LinkwrightError) as info:
        atomic_write(target, "new\n" * 1000)
    assert str(info.value) == f"{target}: cannot save: No space left on device"
    expected = "new\n" * 1000 if point == "after-rename" else "old\n" * 1000
    assert target.read_text() == expected
    assert backup_path(target).read_text() == "old\n" * 1000
    assert files(tmp_path) == ["session.yaml", "session.yaml.bak"]


@pytest.mark.parametrize("point", FAULT_POINTS)
def test_an_interrupt_at_any_point_of_a_save_leaves_a_whole_file_and_no_temp(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, point: str) -> None:
    """Ctrl-C (KeyboardInterrupt, not an OSError) at each step of a save."""
    target = tmp_path / "session.yaml"
    atomic_write(target, b"old" * 5000)

    def interrupt(at: str) -> None:
        if at == point:
            raise KeyboardInterrupt

    monkeypatch.setattr(storage, "fault_hook", interrupt)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, b"new" * 5000)
    assert target.read_bytes() == (b"new" if point == "after-rename" else b"old") * 5000
    assert files(tmp_path) == ["session.yaml", "session.yaml.bak"]


def test_a_failing_fsync_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "session.yaml"
    atomic_write(target, "old\n")

    def fsync(fd: int) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(LinkwrightError) as info:
        atomic_write(target, "new\n")
    assert str(info.value) == f"{target}: cannot save: Input/output error"
    assert target.read_text() == "old\n"
    assert [n for n in files(tmp_path) if n.endswith(".tmp")] == []


# -- outputs the user names ------------------------------------------------------------------------


def test_write_new_refuses_to_replace_a_file_without_force(tmp_path: Path) -> None:
    target = tmp_path / "draft.md"
    target.write_text("keep me")
    with pytest.raises(LinkwrightError) as info:
        write_new(target, "replacement", force=False)
    assert str(info.value) == f"{target}: file exists; use --force to replace it"
    assert target.read_text() == "keep me"
    write_new(target, "replacement", force=True)
    assert target.read_text() == "replacement"
    assert files(tmp_path) == ["draft.md"]  # an output keeps no backup


def test_write_new_writes_a_new_file(tmp_path: Path) -> None:
    target = tmp_path / "draft.md"
    write_new(target, "text", force=False)
    assert target.read_text() == "text" and files(tmp_path) == ["draft.md"]


def test_write_new_never_replaces_a_folder(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.mkdir()
    with pytest.raises(LinkwrightError) as info:
        write_new(target, "x", force=False)
    assert str(info.value) == f"{target}: file exists; use --force to replace it"
    with pytest.raises(LinkwrightError) as info:
        write_new(target, "x", force=True)
    assert str(info.value) == f"{target}: is a folder; name a file to write"
    assert target.is_dir()


def test_the_cli_writes_only_the_file_it_is_told_to(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    session_folder = tmp_path / "session"
    session_folder.mkdir()
    session = session_folder / "eu-ch.yaml"
    assert main(["new", "--preset", "eu-ch", "-o", str(session)]) == 0
    out = tmp_path / "out"
    out.mkdir()
    assert main(["render", str(session), "--format", "md", "-o", str(out / "draft.md")]) == 0
    assert files(out) == ["draft.md"]
    assert files(session_folder) == ["eu-ch.yaml"]
    capsys.readouterr()


def test_the_cli_refuses_to_overwrite_and_to_write_into_a_missing_folder(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    existing = tmp_path / "eu-ch.yaml"
    existing.write_text("my notes")
    assert main(["new", "--preset", "eu-ch", "-o", str(existing)]) == 2
    assert existing.read_text() == "my notes"
    assert capsys.readouterr().err == (
        f"linkwright: {existing}: file exists; use --force to replace it\n")
    missing = tmp_path / "missing" / "draft.md"
    assert main(["render", "--preset", "eu-ch", "--format", "md", "-o", str(missing)]) == 2
    assert capsys.readouterr().err == (
        f"linkwright: {tmp_path / 'missing'}: the folder does not exist\n")
    assert files(tmp_path) == ["eu-ch.yaml"]


# -- sessions: schema version and a save that round-trips ---------------------------------------


def test_a_saved_session_carries_its_schema_version_and_loads_back_equal(tmp_path: Path) -> None:
    original = load_session_text(preset_text("eu-ch"), "eu-ch.yaml")
    target = tmp_path / "eu-ch.yaml"
    save_session(original.session, target)
    text = target.read_text(encoding="utf-8")
    assert text.startswith(f"linkwright: {SCHEMA_VERSION}\n")
    again = load_session(target)
    assert again.session == original.session
    save_session(again.session, target)  # saving an unchanged session changes nothing
    assert target.read_text(encoding="utf-8") == text
    assert backup_path(target).read_text(encoding="utf-8") == text


@pytest.mark.parametrize(("version", "message"), [
    ("2", "this session uses schema version 2, newer than this Linkwright understands (1); "
          "upgrade Linkwright to open it"),
    ("999999", "this session uses schema version 999999, newer than this Linkwright "
               "understands (1); upgrade Linkwright to open it"),
    ("'1'", "`linkwright:` must be a whole number (the schema version)"),
    ("true", "`linkwright:` must be a whole number (the schema version)"),
    ("1.5", "`linkwright:` must be a whole number (the schema version)"),
])
def test_a_session_from_a_newer_linkwright_is_refused_clearly(
        tmp_path: Path, version: str, message: str) -> None:
    text = preset_text("eu-ch").replace("linkwright: 1", f"linkwright: {version}", 1)
    line = text.splitlines().index(f"linkwright: {version}") + 1
    path = tmp_path / "future.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LinkwrightError) as info:
        load_session(path)
    assert str(info.value) == f"{path}:{line}:1: {message}"


@pytest.mark.parametrize("version", ["0", "-1"])
def test_a_schema_version_that_never_existed_is_refused_clearly(version: str) -> None:
    text = preset_text("eu-ch").replace("linkwright: 1", f"linkwright: {version}", 1)
    line = text.splitlines().index(f"linkwright: {version}") + 1
    with pytest.raises(LinkwrightError) as info:
        load_session_text(text, "s.yaml")
    assert str(info.value) == (f"s.yaml:{line}:1: `linkwright: {version}` names no schema "
                               "version; sessions start at version 1 (this Linkwright writes 1)")


def test_a_file_without_a_schema_version_is_not_a_session(tmp_path: Path) -> None:
    text = preset_text("eu-ch").replace("linkwright: 1\n", "", 1)
    first = next(i for i, line in enumerate(text.splitlines(), 1) if not line.startswith("#"))
    with pytest.raises(LinkwrightError) as info:
        load_session_text(text, "s.yaml")
    assert str(info.value) == (
        f"s.yaml:{first}:1: not a Linkwright session: the first key should be `linkwright: 1`")


def test_dump_session_is_stable(tmp_path: Path) -> None:
    neg = load_session_text(preset_text("ca-qc"), "ca-qc.yaml")
    text = dump_session(neg.session)
    assert dump_session(load_session_text(text, "again.yaml").session) == text
