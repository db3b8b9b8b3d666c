"""Scenario files: what loads, and mistakes reported at file:line:column."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from negotiation.economics import load_scenario, solve
from negotiation.errors import LinkwrightError

EXAMPLES = Path(__file__).resolve().parent / "scenarios"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scenario.yaml"
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def error_for(tmp_path: Path, text: str) -> str:
    path = write(tmp_path, text)
    with pytest.raises(LinkwrightError) as caught:
        load_scenario(path)
    message = str(caught.value)
    assert message.startswith(str(path) + ":"), message
    return message[len(str(path)) + 1:]


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_every_example_scenario_loads_and_solves(example: Path):
    result = solve(load_scenario(example))
    assert len(result.systems) >= 2
    assert result.notes


def test_the_issues_example_reads_as_written(tmp_path: Path):
    path = write(tmp_path, """
        systems:
          - {id: a, bau: 20, cap: 9, mac: {intercept: 0, slope: 200}}
          - {id: b, bau: 20, cap: 10, mac: {intercept: 0, slope: 100}, price_ceiling: 1200}
        link: {type: full}
    """)
    result = solve(load_scenario(path))
    assert result.system("a").price == pytest.approx(1200)


@pytest.mark.parametrize("link", [
    "{type: one_way, from: b, to: a}",
    "{type: quota, into: a, limit: 2}",
    "{type: quota, from: b, limit: 2}",
    "{type: exchange_rate, from: b, to: a, rate: 0.5}",
    "{type: fee, per_tonne: 5}",
])
def test_every_link_type_of_the_issue_loads(tmp_path: Path, link: str):
    path = write(tmp_path, f"""
        systems:
          - {{id: a, bau: 20, cap: 9, mac: {{intercept: 0, slope: 200}}}}
          - {{id: b, bau: 20, cap: 10, mac: {{intercept: 0, slope: 100}}}}
        link: {link}
    """)
    assert solve(load_scenario(path)).total_gain > 0


def test_a_negative_slope_is_reported_at_the_slope(tmp_path: Path):
    message = error_for(tmp_path, """
        systems:
          - id: a
            bau: 20
            cap: 9
            mac: {intercept: 0, slope: -200}
    """)
    assert message.startswith("5:25:"), message
    assert "slope is negative" in message


def test_a_flat_curve_without_max_abatement_is_reported(tmp_path: Path):
    message = error_for(tmp_path, """
        systems:
          - id: a
            bau: 20
            cap: 9
            mac:
              intercept: 40
              slope: 0
    """)
    assert message.startswith("7:7:"), message
    assert "max_abatement" in message


def test_points_that_fall_are_reported_at_the_point(tmp_path: Path):
    message = error_for(tmp_path, """
        systems:
          - id: a
            bau: 20
            cap: 9
            mac:
              points:
                - [0, 0]
                - [5, 50]
                - [4, 60]
    """)
    assert message.startswith("9:11:"), message
    assert "points must increase" in message


def test_an_unknown_system_in_the_link_is_reported_with_a_suggestion(tmp_path: Path):
    message = error_for(tmp_path, """
        systems:
          - {id: eu, bau: 20, cap: 9, mac: {intercept: 0, slope: 200}}
          - {id: ch, bau: 20, cap: 10, mac: {intercept: 0, slope: 100}}
        link: {type: one_way, from: chh, to: eu}
    """)
    assert message.startswith("4:"), message
    assert "unknown system 'chh' (did you mean 'ch'?)" in message


def test_an_unknown_system_in_a_restriction_is_reported(tmp_path: Path):
    message = error_for(tmp_path, """
        systems:
          - {id: a, bau: 20, cap: 9, mac: {intercept: 0, slope: 200}}
          - {id: b, bau: 20, cap: 10, mac: {intercept: 0, slope: 100}}
          - {id: c, bau: 20, cap: 10, mac: {intercept: 0, slope: 100}}
        link: {type: full}
        restrictions:
          - {type: fee, between: [a, d], per_tonne: 3}
    """)
    assert message.startswith("7:"), message
    assert "unknown system 'd'" in message


def test_a_missing_cap_is_reported_at_the_system(tmp_path: Path):
    message = error_for(tmp_path, """
        systems:
          - id: a
            bau: 20
            mac: {intercept: 0, slope: 200}
    """)
    assert message.startswith("2:5:"), message
    assert "systems.0.cap: required key is missing" in message


def test_an_unknown_link_type_is_reported(tmp_path: Path):
    message = error_for(tmp_path, """
        systems:
          - {id: a, bau: 20, cap: 9, mac: {intercept: 0, slope: 200}}
          - {id: b, bau: 20, cap: 10, mac: {intercept: 0, slope: 100}}
        link: {type: two_way}
    """)
    assert message.startswith("4:"), message
    assert "one_way" in message


def test_a_misspelt_key_is_reported(tmp_path: Path):
    message = error_for(tmp_path, """
        systems:
          - {id: a, bau: 20, cap: 9, mac: {intercept: 0, slope: 200}, price_cieling: 50}
    """)
    assert message.startswith("2:"), message
    assert "unknown key" in message


def test_a_cap_no_curve_can_meet_is_an_error_not_an_infinite_price(tmp_path: Path):
    message = error_for(tmp_path, """
        systems:
          - {id: a, bau: 20, cap: 5, mac: {intercept: 10, slope: 0, max_abatement: 10}}
    """)
    assert "can abate at most 10" in message


def test_more_than_two_systems_need_a_full_link_with_restrictions(tmp_path: Path):
    message = error_for(tmp_path, """
        systems:
          - {id: a, bau: 20, cap: 9, mac: {intercept: 0, slope: 200}}
          - {id: b, bau: 20, cap: 10, mac: {intercept: 0, slope: 100}}
          - {id: c, bau: 20, cap: 10, mac: {intercept: 0, slope: 100}}
        link: {type: fee, per_tonne: 2}
    """)
    assert "restrictions" in message


def test_too_many_price_zones_are_refused_with_the_groups_named(tmp_path: Path):
    systems = "\n".join(f"  - {{id: s{k}, bau: 20, cap: 10, mac: {{intercept: 0, slope: 10}}}}"
                        for k in range(4))
    pairs = [(i, j) for i in range(4) for j in range(i + 1, 4)]
    restrictions = "\n".join(f"  - {{type: fee, between: [s{i}, s{j}], per_tonne: 1}}"
                             for i, j in pairs)
    path = tmp_path / "many.yaml"
    path.write_text(f"systems:\n{systems}\nrestrictions:\n{restrictions}\n", encoding="utf-8")
    with pytest.raises(LinkwrightError) as caught:
        load_scenario(path)
    assert "4 separately priced groups" in str(caught.value)
    assert str(caught.value).startswith(f"{path}:6:")


def test_an_exchange_rate_loop_that_creates_allowances_is_refused(tmp_path: Path):
    message = error_for(tmp_path, """
        systems:
          - {id: a, bau: 20, cap: 9, mac: {intercept: 0, slope: 200}}
          - {id: b, bau: 20, cap: 10, mac: {intercept: 0, slope: 100}}
          - {id: c, bau: 20, cap: 10, mac: {intercept: 0, slope: 100}}
        restrictions:
          - {type: exchange_rate, from: b, to: a, rate: 2}
    """)
    assert message.startswith("6:"), message
    assert "from nothing" in message


def test_the_economics_package_stays_light():
    code = ("import sys, negotiation.economics as e; "
            "heavy = {'textual', 'networkx', 'typst', 'docx'} & set(sys.modules); "
            "print(sorted(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == "[]"


def test_a_figure_beyond_any_market_is_refused_at_its_line(tmp_path: Path):
    message = error_for(tmp_path, """
        systems:
          - {id: a, bau: 1.0e+200, cap: 0, mac: {intercept: 0, slope: 1.0e+200}}
          - {id: b, bau: 20, cap: 10, mac: {intercept: 0, slope: 100}}
        link: {type: full}
    """)
    assert message.startswith("2:") and "systems.0.bau: 1e+200 is beyond the range" in message


def test_a_number_in_exponent_form_is_a_number_and_a_quoted_one_is_not(tmp_path: Path):
    path = write(tmp_path, """
        systems:
          - {id: a, bau: 2e1, cap: 1e1, mac: {intercept: 0, slope: 2E2}}
          - {id: b, bau: 20, cap: 10, mac: {intercept: 0, slope: 100}}
        link: {type: full}
    """)
    assert solve(load_scenario(path)).systems[0].price > 0
    message = error_for(tmp_path, """
        systems:
          - {id: a, bau: "20", cap: 9, mac: {intercept: 0, slope: 200}}
        link: {type: full}
    """)
    assert "systems.0.bau: expected a number, got '20'" in message


def test_where_nothing_flows_the_net_sales_are_exactly_zero(tmp_path: Path):
    path = write(tmp_path, """
        systems:
          - {id: a, bau: 20, cap: 9, mac: {intercept: 0, slope: 200}}
          - {id: b, bau: 20, cap: 10, mac: {intercept: 0, slope: 100}}
        link: {type: one_way, from: a, to: b}
    """)
    result = solve(load_scenario(path))
    assert [s.net_sales for s in result.systems] == [0.0, 0.0]
    assert [s.transfer for s in result.systems] == [0.0, 0.0]


def test_a_quota_from_a_system_into_itself_is_refused(tmp_path: Path):
    message = error_for(tmp_path, """
        systems:
          - {id: a, bau: 20, cap: 9, mac: {intercept: 0, slope: 200}}
          - {id: b, bau: 20, cap: 10, mac: {intercept: 0, slope: 100}}
        link: {type: quota, into: a, from: a, limit: 5}
    """)
    assert "`into` and `from` name the same system" in message


def test_notes_name_the_systems_not_their_ids():
    from negotiation.economics.session import economics_for
    from tests.conftest import negotiation

    notes = " ".join(economics_for(negotiation("au-eu")).notes)
    assert "Australia accepts The Union's units" in notes and "au accepts" not in notes
