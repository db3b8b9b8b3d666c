"""`linkwright open --preset ID` reopens your copy instead of piling up copies
(issue 14): a new copy the first time or with `--fresh`, and a word when the
built-in preset has changed since the copy was made."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

import negotiation.session
from negotiation.errors import LinkwrightError
from tui.launch import opening_for
from tui.places import Places


def args(preset: str | None = "eu-ch", fresh: bool = False) -> argparse.Namespace:
    return argparse.Namespace(session=None, preset=preset, library=[], fresh=fresh)


def opened(places: Places, **kwargs: object) -> tuple[Path, str | None]:
    opening = opening_for(args(**kwargs), places)  # type: ignore[arg-type]
    assert opening is not None
    return opening.start().wait().path, opening.notice


def test_the_second_open_of_a_preset_is_the_same_copy_and_says_so(tmp_path: Path) -> None:
    places = Places(tmp_path / "state", tmp_path / "data")
    first, notice = opened(places)
    assert first.name == "eu-ch-1.yaml" and notice is None
    again, notice = opened(places)
    assert again == first
    assert notice is not None and "Your copy of the eu-ch example (eu-ch-1.yaml)" in notice
    assert "--fresh" in notice
    assert sorted(p.name for p in places.sessions_dir.iterdir()) == ["eu-ch-1.yaml"]


def test_fresh_makes_a_new_copy_and_the_last_changed_copy_is_reopened(tmp_path: Path) -> None:
    places = Places(tmp_path / "state", tmp_path / "data")
    opened(places)
    fresh, _ = opened(places, fresh=True)
    assert fresh.name == "eu-ch-2.yaml"
    again, _ = opened(places)
    assert again.name == "eu-ch-2.yaml"


def test_a_changed_built_in_preset_is_said_when_the_copy_is_reopened(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    places = Places(tmp_path / "state", tmp_path / "data")
    copy, _ = opened(places)
    original = negotiation.session.preset_text
    monkeypatch.setattr(negotiation.session, "preset_text",
                        lambda preset: original(preset) + "\n# revised\n")
    again, notice = opened(places)
    assert again == copy
    assert notice is not None and "has changed since your copy eu-ch-1.yaml" in notice


def test_fresh_without_a_preset_is_refused() -> None:
    with pytest.raises(LinkwrightError, match="--fresh goes with --preset"):
        opening_for(args(preset=None, fresh=True), Places(Path("/nonexistent"),
                                                          Path("/nonexistent")))
