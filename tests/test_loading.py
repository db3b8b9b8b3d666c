"""Every loader error a user can cause ends in one clear, located message."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from negotiation.errors import LinkwrightError
from negotiation.library import Library, add_layer_text, load_library
from negotiation.session import load_session, load_session_text, preset_text
from negotiation.yamlload import parse_text


def error_of(text: str, file: str = "s.yaml") -> str:
    with pytest.raises(LinkwrightError) as caught:
        load_session_text(textwrap.dedent(text), file)
    return str(caught.value)


def eu_ch(replace: str = "", with_: str = "") -> str:
    text = preset_text("eu-ch")
    if replace:
        assert replace in text, replace
        text = text.replace(replace, with_)
    return text


# -- YAML ------------------------------------------------------------------------


def test_duplicate_key_names_file_line_and_column() -> None:
    message = error_of("linkwright: 1\ntitle: a\ntitle: b\n")
    assert message == "s.yaml:3:1: duplicate key 'title' (each key may appear once in a mapping)"


def test_object_constructing_tag_is_refused() -> None:
    message = error_of("linkwright: 1\ntitle: !!python/object/apply:os.system [echo hi]\n")
    assert message.startswith("s.yaml:2:8: YAML tag") and "not allowed" in message


def test_malformed_yaml_points_at_the_problem() -> None:
    message = error_of("linkwright: 1\ntitle: [unclosed\n")
    assert message.startswith("s.yaml:3:") and "malformed YAML" in message


def test_billion_laughs_fails_fast_with_a_clear_message() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    with pytest.raises(LinkwrightError, match="expands to more than"):
        parse_text("\n".join(lines), "laughs.yaml")


def test_deep_nesting_is_refused() -> None:
    with pytest.raises(LinkwrightError, match="nesting deeper than"):
        parse_text("[" * 200 + "]" * 200, "deep.yaml")


def test_oversized_document_is_refused() -> None:
    with pytest.raises(LinkwrightError, match="larger than"):
        parse_text("x: " + "a" * 3_000_000, "big.yaml")


def test_not_utf8_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes("title: Qu\xe9bec\n".encode("latin-1"))
    with pytest.raises(LinkwrightError, match="not UTF-8"):
        load_session(path)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(LinkwrightError, match="no such file"):
        load_session(tmp_path / "nope.yaml")


# -- sessions --------------------------------------------------------------------


def test_newer_schema_version_is_refused() -> None:
    message = error_of(eu_ch("linkwright: 1", "linkwright: 7"))
    assert "schema version 7" in message and "upgrade Linkwright" in message


def test_missing_schema_version_is_refused() -> None:
    assert "not a Linkwright session" in error_of("title: x\n")


def test_wrong_type_is_located() -> None:
    message = error_of(eu_ch("year: 2017", "year: twenty"))
    assert message.startswith("s.yaml:") and "year" in message


def test_unknown_key_is_located() -> None:
    line = eu_ch().splitlines().index("marking: Text as signed") + 1
    message = error_of(eu_ch("marking: Text as signed", "markin: Text as signed"))
    assert f":{line}:1:" in message and "unknown key" in message


def test_unknown_clause_suggests_the_right_one() -> None:
    message = error_of(eu_ch("clause: borrowing.rules.prohibited",
                             "clause: borrowing.rules.prohibted"))
    assert "unknown clause" in message and "did you mean" in message


def test_a_mistyped_form_names_the_forms_and_suggests_one() -> None:
    message = error_of(eu_ch("form: treaty", "form: memorandm"))
    assert "'memorandm' is not one of treaty, memorandum, hybrid, regulation" in message
    assert "did you mean 'memorandum'" in message and message.startswith("s.yaml:")


def test_unknown_provision_is_located() -> None:
    message = error_of(eu_ch("  borrowing.rules:", "  borowing.rules:"))
    assert "unknown provision 'borowing.rules'" in message
    assert "did you mean 'borrowing.rules'" in message


def test_unknown_system_profile_is_located() -> None:
    message = error_of(eu_ch("system: ch-ets", "system: ch-etz"))
    assert "unknown system profile 'ch-etz'" in message and message.startswith("s.yaml:")


def test_unknown_override_parameter_is_located() -> None:
    message = error_of(eu_ch("      market_stability_reserve: true",
                             "      market_stability_reserv: true"))
    assert "overrides" in message and "unknown key" in message


def test_unknown_clause_parameter_is_located() -> None:
    message = error_of(eu_ch("params: {months: 6, forum:", "params: {monhts: 6, forum:"))
    assert "has no parameter 'monhts'" in message and "did you mean 'months'" in message


def test_clause_of_another_provision_is_refused() -> None:
    message = error_of(eu_ch("borrowing.rules: {clause: borrowing.rules.prohibited}",
                             "borrowing.rules: {clause: banking.rules.harmonised}"))
    assert "belongs to provision 'banking.rules'" in message


def test_positions_of_unknown_party_are_refused() -> None:
    message = error_of(eu_ch("conditions:", "positions:\n  xx: {institutions.body: "
                             "{clause: institutions.body.joint_committee_binding}}\nconditions:"))
    assert "unknown party 'xx'" in message


def test_bilateral_link_needs_two_parties() -> None:
    message = error_of(eu_ch("linkage: {type: bilateral}", "linkage: {type: multilateral}"))
    assert "three or more parties" in message


def test_unilateral_link_names_the_recognising_party() -> None:
    message = error_of(eu_ch("linkage: {type: bilateral}", "linkage: {type: unilateral}"))
    assert "recognising" in message


def test_library_folder_outside_the_session_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    session_dir = tmp_path / "session"
    session_dir.mkdir()
    (session_dir / "link").symlink_to(outside)
    for name, expected in (("../outside", "no absolute path"), ("/etc", "no absolute path"),
                           ("link", "leads outside")):
        path = session_dir / "s.yaml"
        path.write_text(eu_ch("reporting_currency: EUR",
                              f"reporting_currency: EUR\nlibraries: ['{name}']"))
        with pytest.raises(LinkwrightError, match=expected):
            load_session(path)


# -- libraries -------------------------------------------------------------------

NEW_TOPIC = """
topic: fees
title: Transaction fees
order: 95
provisions:
  fees.transfer:
    title: Fee on transfers
    clauses:
      - id: fees.transfer.flat
        title: Flat fee
        params: {amount: {type: money, min: 0, default: 1}}
        text:
          binding: Each {{ Party }} shall charge {{ amount | money }} per transfer.
          nonbinding: Each {{ Party }} intends to charge {{ amount | money }} per transfer.
"""


def test_user_library_adds_a_topic(tmp_path: Path) -> None:
    (tmp_path / "fees.yaml").write_text(NEW_TOPIC)
    library = load_library((tmp_path,))
    assert "fees.transfer.flat" in library.clauses
    assert library.topics["fees"].order == 95


def test_redefining_a_clause_without_overrides_names_both_files(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text("""
topic: offsets
provisions:
  offsets.quantity:
    clauses:
      - id: offsets.quantity.none
        title: Mine
        text: {binding: No offsets.}
""")
    with pytest.raises(LinkwrightError) as caught:
        load_library((tmp_path,))
    message = str(caught.value)
    assert "mine.yaml" in message and "clauses/offsets.yaml" in message
    assert "overrides: offsets.quantity.none" in message


def test_overrides_replaces_a_clause(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text("""
topic: offsets
provisions:
  offsets.quantity:
    clauses:
      - overrides: offsets.quantity.none
        title: No credits at all
        text: {binding: No credits., nonbinding: No credits are intended.}
""")
    library = load_library((tmp_path,))
    assert library.clauses["offsets.quantity.none"].title == "No credits at all"
    assert library.clauses["offsets.quantity.none"].file.endswith("mine.yaml")


def test_redefining_a_provision_needs_overrides(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text("""
topic: offsets
provisions:
  offsets.quantity:
    title: Mine
    clauses: []
""")
    with pytest.raises(LinkwrightError, match=r"overrides: offsets\.quantity"):
        load_library((tmp_path,))


def test_template_syntax_in_a_title_is_refused_where_it_is_written(tmp_path: Path) -> None:
    (tmp_path / "fees.yaml").write_text(NEW_TOPIC.replace("title: Transaction fees",
                                                          "title: Fees of this {{ instrument }}"))
    with pytest.raises(LinkwrightError) as caught:
        load_library((tmp_path,))
    message = str(caught.value)
    assert "fees.yaml:3:" in message and "a title is plain text" in message


def test_unless_naming_an_unknown_clause_suggests_the_right_one(tmp_path: Path) -> None:
    (tmp_path / "fees.yaml").write_text(
        NEW_TOPIC.replace("    title: Fee on transfers\n",
                          "    title: Fee on transfers\n    unless: [offsets.quantity.nne]\n"))
    with pytest.raises(LinkwrightError) as caught:
        load_library((tmp_path,))
    message = str(caught.value)
    assert "unless 'offsets.quantity.nne'" in message
    assert "did you mean 'offsets.quantity.none'" in message


@pytest.mark.parametrize("template, reason", [
    ("{{ x.__class__ }}", "attribute access"),
    ("{% for i in range(9) %}x{% endfor %}", "a loop"),
    ("{{ lipsum() }}", "calls are allowed only"),
    ("{{ cycler }}", "unknown name 'cycler'"),
    ("{{ joiner() }}", "calls are allowed only"),
    ("{{ namespace() }}", "calls are allowed only"),
    ("{{ self }}", "unknown name 'self'"),
    ("{% macro m() %}{% endmacro %}", "a macro"),
    ("{{ amount|attr('x') }}", "filter 'attr'"),
    ("{{ amount['x'] }}", "subscript"),
    ("{% set x = 1 %}", "assignment"),
    ("{% include 'x' %}", "include"),
    ("{{ ref(amount) }}", "ref() takes one quoted id"),
    ("{{ amount is defined }}", "a test"),
    ("{{ unknown_param }}", "unknown name"),
])
def test_disallowed_template_construct_is_refused_naming_clause_and_file(
        template: str, reason: str) -> None:
    text = NEW_TOPIC.replace("Each {{ Party }} shall charge {{ amount | money }} per transfer.",
                             template.replace("'", "''"))
    text = text.replace("binding: ", "binding: '", 1).replace(
        template.replace("'", "''"), template.replace("'", "''") + "'", 1)
    with pytest.raises(LinkwrightError) as caught:
        add_layer_text(Library(), text, "evil/fees.yaml")
    message = str(caught.value)
    assert message.startswith("evil/fees.yaml:") and "fees.transfer.flat" in message
    assert reason in message
