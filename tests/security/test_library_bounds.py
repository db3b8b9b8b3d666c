"""Another delegation's library is bounded by what it holds: ids that print safely
everywhere, and layers whose size, files and clauses are capped, with a refusal that
says which folder and which limit."""

from __future__ import annotations

from pathlib import Path

import pytest

from negotiation import library as library_module
from negotiation.errors import LinkwrightError
from negotiation.library import (
    MAX_LAYER_BYTES,
    MAX_LAYER_CLAUSES,
    MAX_LAYER_FILES,
    MAX_LAYERS,
    Library,
    add_layer_text,
    load_library,
)


def topic_file(provision: str = "fees.amount", clause: str = "fees.amount.flat",
               param: str = "amount", clauses: int = 1) -> str:
    entries = "".join(f"""
      - id: {clause}{'' if n == 0 else f'_{n}'}
        title: Flat fee
        params:
          {param}: {{type: number, default: 1}}
        text:
          binding: Each Party shall charge a fee.
""" for n in range(clauses))
    return f"""topic: fees
title: Fees
order: 95
provisions:
  {provision}:
    title: Amount
    clauses:{entries}"""


def refused(text: str) -> str:
    with pytest.raises(LinkwrightError) as info:
        add_layer_text(Library(), text, "theirs/fees.yaml")
    return str(info.value)


@pytest.mark.parametrize(("provision", "clause", "shown"), [
    ("fees.amount", "fees.amount.`flat`", "'fees.amount.`flat`'"),
    ("fees.amount", "'fees.amount.<b>x</b>'", "'fees.amount.<b>x</b>'"),
    ("fees.amount", '"fees.amount.a b"', "'fees.amount.a b'"),
    ("fees.Amount", "fees.Amount.flat", "'fees.Amount'"),
    ("'fees.a m'", "fees.a m.flat", "'fees.a m'"),
])
def test_ids_that_would_print_as_markup_are_refused_at_their_line(
        provision: str, clause: str, shown: str) -> None:
    message = refused(topic_file(provision, clause))
    assert message.startswith("theirs/fees.yaml:")
    assert f"{shown} is not a usable id: ids are lowercase letters, digits, '_' and '-'" \
        in message


def test_a_parameter_name_must_be_a_plain_identifier() -> None:
    message = refused(topic_file(param="'a-b'"))
    assert "'a-b' is not a usable parameter name" in message


def test_ordinary_ids_still_load() -> None:
    library = Library()
    add_layer_text(library, topic_file("fees.amount_2", "fees.amount_2.flat-rate"), "f.yaml")
    assert "fees.amount_2.flat-rate" in library.clauses


def layer(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_a_layer_of_too_many_files_is_refused_before_reading_them(tmp_path: Path) -> None:
    folder = layer(tmp_path / "theirs", {f"t{n}.yaml": "x: [" for n in range(MAX_LAYER_FILES + 1)})
    with pytest.raises(LinkwrightError) as info:
        load_library((folder,))
    assert str(info.value) == (f"{folder}: {MAX_LAYER_FILES + 1} YAML files in one library "
                               f"folder; a layer may hold at most {MAX_LAYER_FILES}")


def test_a_layer_larger_than_its_bound_is_refused(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(library_module, "MAX_LAYER_BYTES", 500)
    folder = layer(tmp_path / "theirs", {"a.yaml": topic_file(),
                                         "b.yaml": topic_file().replace("fees", "levies")})
    with pytest.raises(LinkwrightError) as info:
        load_library((folder,))
    assert str(info.value).startswith(f"{folder / 'b.yaml'}: the library folder holds more "
                                      "than 0 MB of YAML")
    assert MAX_LAYER_BYTES >= 10 * 350_000  # ten times the built-in library still loads


def test_a_layer_adding_too_many_clauses_is_refused(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(library_module, "MAX_LAYER_CLAUSES", 3)
    folder = layer(tmp_path / "theirs", {"a.yaml": topic_file(clauses=4)})
    with pytest.raises(LinkwrightError) as info:
        load_library((folder,))
    assert str(info.value) == (f"{folder / 'a.yaml'}: the library folder adds more than 3 "
                               "clauses; a layer may add at most that")
    assert MAX_LAYER_CLAUSES >= 2_000


def test_too_many_layers_are_refused(tmp_path: Path) -> None:
    folders = tuple(layer(tmp_path / f"l{n}", {}) for n in range(MAX_LAYERS + 1))
    with pytest.raises(LinkwrightError) as info:
        load_library(folders)
    assert str(info.value) == (f"{MAX_LAYERS + 1} library layers; a session may layer at "
                               f"most {MAX_LAYERS} over the built-in library")


def test_a_replaced_clause_is_recorded_with_the_layer_that_replaced_it(tmp_path: Path) -> None:
    folder = layer(tmp_path / "theirs", {"termination.yaml": """topic: termination
provisions:
  termination.notice:
    clauses:
      - overrides: termination.notice.fixed
        title: Fixed notice
        params:
          months: {type: months, min: 1, max: 60, default: 6}
        text:
          binding: Either Party may terminate on notice.
"""})
    library = load_library((folder,))
    assert library.replaced == {"termination.notice.fixed": str(folder / "termination.yaml")}
    assert load_library().replaced == {}


def test_a_layer_with_more_clause_text_than_its_bound_is_refused_before_checking_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # checking templates is what made a 2 MB hostile library take seconds
    monkeypatch.setattr(library_module, "MAX_LAYER_TEXT", 60)
    checked: list[str] = []
    real_check = library_module.templating.check
    monkeypatch.setattr(library_module.templating, "check",
                        lambda source, params: checked.append(source) or real_check(source,
                                                                                    params))
    folder = layer(tmp_path / "theirs", {"a.yaml": topic_file(clauses=3)})
    with pytest.raises(LinkwrightError) as info:
        load_library((folder,))
    assert str(info.value) == (f"{folder / 'a.yaml'}:26:9: the library folder holds more than "
                               "60 characters of clause text; a layer may hold at most that")
    assert len([s for s in checked if "charge a fee" in s]) == 2

    monkeypatch.undo()
    assert library_module.MAX_LAYER_TEXT >= 4 * 115_000  # four built-in libraries' worth
