"""The cache of the parsed built-in library and profiles: used only when it is the
user's own and fresh; anything else is rebuilt, silently, from the installed files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from negotiation import cache
from negotiation.library import Library, _builtin_texts, _library_from
from negotiation.profiles import builtin_profiles

TEXTS = [("topic: a\n", "clauses/a.yaml")]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of this test's own (platformdirs reads XDG_CACHE_HOME)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "linkwright"


def counting(value: object) -> tuple[list[int], object]:
    builds: list[int] = []

    def build() -> object:
        builds.append(1)
        return value

    return builds, build


def test_a_second_run_reads_what_the_first_built(folder: Path) -> None:
    builds, build = counting({"eu-ets": "parsed"})
    assert cache.cached("profiles", TEXTS, build, dict) == {"eu-ets": "parsed"}
    assert cache.cached("profiles", TEXTS, build, dict) == {"eu-ets": "parsed"}
    assert builds == [1]
    assert folder.stat().st_mode & 0o777 == 0o700
    assert (folder / "profiles.pickle").stat().st_mode & 0o777 == 0o600


def test_a_changed_file_is_read_again(folder: Path) -> None:
    builds, build = counting({"x": 1})
    cache.cached("profiles", TEXTS, build, dict)
    changed = [("topic: a\ntitle: changed\n", "clauses/a.yaml")]
    cache.cached("profiles", changed, build, dict)
    cache.cached("profiles", changed, build, dict)
    assert builds == [1, 1]


def test_a_folder_others_may_write_is_never_read_or_written(folder: Path) -> None:
    builds, build = counting({"x": 1})
    cache.cached("profiles", TEXTS, build, dict)
    folder.chmod(0o777)
    try:
        cache.cached("profiles", TEXTS, build, dict)
        assert builds == [1, 1]
        (folder / "profiles.pickle").unlink()
        cache.cached("profiles", TEXTS, build, dict)
        assert not (folder / "profiles.pickle").exists()
    finally:
        folder.chmod(0o700)


def test_a_folder_of_another_owner_is_ignored(folder: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    builds, build = counting({"x": 1})
    cache.cached("profiles", TEXTS, build, dict)
    someone_else = os.geteuid() + 1
    monkeypatch.setattr(cache.os, "geteuid", lambda: someone_else)
    cache.cached("profiles", TEXTS, build, dict)
    assert builds == [1, 1]


def test_a_file_others_may_write_is_ignored(folder: Path) -> None:
    builds, build = counting({"x": 1})
    cache.cached("profiles", TEXTS, build, dict)
    (folder / "profiles.pickle").chmod(0o666)
    cache.cached("profiles", TEXTS, build, dict)
    assert builds == [1, 1]


def test_a_link_in_place_of_the_file_is_not_followed(folder: Path, tmp_path: Path) -> None:
    builds, build = counting({"x": 1})
    cache.cached("profiles", TEXTS, build, dict)
    elsewhere = tmp_path / "elsewhere.pickle"
    (folder / "profiles.pickle").rename(elsewhere)
    (folder / "profiles.pickle").symlink_to(elsewhere)
    cache.cached("profiles", TEXTS, build, dict)
    assert builds == [1, 1]


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty"])
def test_a_corrupt_cache_is_rebuilt(folder: Path, damage: str) -> None:
    builds, build = counting({"x": 1})
    cache.cached("profiles", TEXTS, build, dict)
    path = folder / "profiles.pickle"
    data = path.read_bytes()
    header = data.split(b"\n", 2)
    if damage == "truncate":
        path.write_bytes(data[: len(data) - 5])
    elif damage == "garbage":
        path.write_bytes(header[0] + b"\n" + header[1] + b"\n" + b"\x80\x05not a pickle")
    else:
        path.write_bytes(b"")
    assert cache.cached("profiles", TEXTS, build, dict) == {"x": 1}
    assert builds == [1, 1]
    assert cache.cached("profiles", TEXTS, build, dict) == {"x": 1}
    assert builds == [1, 1]  # the rebuilt entry replaced the damaged one


def test_an_entry_of_the_wrong_kind_is_rebuilt(folder: Path) -> None:
    cache.cached("library", TEXTS, lambda: ["not", "a", "library"], list)
    builds, build = counting(Library())
    assert isinstance(cache.cached("library", TEXTS, build, Library), Library)
    assert builds == [1]


def test_the_cached_library_and_profiles_equal_freshly_parsed_ones(folder: Path) -> None:
    texts = _builtin_texts()
    fresh = _library_from(texts)
    cache.cached("library", texts, lambda: _library_from(texts), Library)
    again = cache.cached("library", texts, lambda: pytest.fail("rebuilt"), Library)
    assert list(again.topics) == list(fresh.topics)
    assert again.clauses == fresh.clauses
    assert again.clauses["termination.notice.fixed"].refs == \
        fresh.clauses["termination.notice.fixed"].refs
    assert builtin_profiles()["eu-ets"].name  # the cached path serves the real loader


def test_templates_compiled_in_the_cache_render_as_compiled_afresh(folder: Path) -> None:
    from negotiation import templating
    from negotiation.library import BuiltIn, _compiled_library

    texts = _builtin_texts()
    cache.cached("library", texts, lambda: _compiled_library(texts), BuiltIn)
    built = cache.cached("library", texts, lambda: pytest.fail("rebuilt"), BuiltIn)
    source = built.library.clauses["termination.notice.fixed"].text.binding
    assert source in built.codes
    values = {"months": 6, "automatic": True, "Party": "Party", "Parties": "Parties",
              "parties": "the Parties", "instrument": "Agreement", "body": "the Committee",
              "ref": lambda _id: "Article 1", "party": str, "system": str}
    fresh = templating._environment().from_string(source).render(**values)
    templating.use_compiled({source: built.codes[source]})
    templating._compiled.cache_clear()
    assert templating.render(source, values) == fresh


def test_the_typst_skeletons_compiled_once_are_reused_and_a_foreign_file_ignored(
        folder: Path) -> None:
    from negotiation.drafting import typst_writer
    from negotiation.drafting.builder import build_draft
    from tests.conftest import negotiation

    draft = build_draft(negotiation("ca-qc"))
    typst_writer.environment.cache_clear()
    first = typst_writer.write_typst(draft)
    kept = sorted(folder.glob("template-*.pickle"))
    assert kept  # the skeletons' compiled code, in the private folder
    typst_writer.environment.cache_clear()
    assert typst_writer.write_typst(draft) == first  # read back: the same source
    for path in kept:
        path.write_bytes(b"not a pickle")  # damaged: compiled afresh, same output
    typst_writer.environment.cache_clear()
    assert typst_writer.write_typst(draft) == first
    for path in folder.glob("template-*.pickle"):
        path.chmod(0o666)  # others may write it: never read
    typst_writer.environment.cache_clear()
    assert typst_writer.write_typst(draft) == first
    typst_writer.environment.cache_clear()


def test_an_installed_file_is_known_by_its_bytes(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("topic: a\n")
    first = cache.fingerprints([(path, "clauses/a.yaml")])
    os.utime(path, ns=(0, path.stat().st_mtime_ns + 10**9))  # rewritten, the same bytes
    assert cache.fingerprints([(path, "clauses/a.yaml")]) == first
    path.write_text("topic: b\n")
    assert cache.fingerprints([(path, "clauses/a.yaml")]) != first


def test_two_installations_share_the_library_and_a_changed_file_rebuilds_it(
        folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from negotiation import library

    copies = []
    for number, (entry, name) in enumerate(library._builtin_files()):
        copy = tmp_path / "installed" / f"{number}.yaml"
        copy.parent.mkdir(exist_ok=True)
        shutil.copy(entry, copy)  # another installation: the same bytes, other times
        copies.append((copy, name))

    def key_after_loading() -> bytes:
        library._builtin_library.cache_clear()
        library._builtin_library()
        return (folder / "library.pickle").read_bytes().split(b"\n", 2)[1]

    try:
        installed = key_after_loading()
        monkeypatch.setattr(library, "_builtin_files", lambda: copies)
        assert key_after_loading() == installed
        changed = copies[0][0]
        changed.write_text(changed.read_text() + "\n# edited\n")
        assert key_after_loading() != installed  # built again, under a new key
    finally:
        library._builtin_library.cache_clear()


def test_a_usages_texts_are_compiled_with_the_library() -> None:
    """A Swiss German draft's texts (the German ones in Swiss terms) come compiled."""
    from negotiation.library import _compiled_library
    from negotiation.translations import version_for

    built = _compiled_library(_builtin_texts())
    assert not built.library.usages  # the cache keeps the codes, not the versions
    swiss = version_for(built.library, "de-CH")
    assert swiss is not None
    sources = [t.binding for t in swiss.clauses.values() if t.binding]
    assert any("Emissionsrecht" in s for s in sources)
    assert all(s in built.codes for s in sources)
