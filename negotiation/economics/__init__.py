"""The economics of a link: who abates, who sells, what each side gains.

Negotiators argue about caps and price controls partly in the dark: what
does a ceiling in one system do to the other's price, who keeps a quota's
rent, how much do both save? This package answers with the textbook model
of a linked allowance market (LINKING.md section 8): each system's marginal
abatement cost curve and cap, its price features as kinks in its supply of
allowances, and one solver that clears any link. It is part of the core and
stays light: pydantic and the YAML loader only, no screen, no graph.
"""

from negotiation.economics.model import Scenario
from negotiation.economics.report import to_json, to_text
from negotiation.economics.result import Result, solve
from negotiation.economics.scenario import load_scenario, parse_scenario, scenario_from_profiles

__all__ = [
    "Result",
    "Scenario",
    "load_scenario",
    "parse_scenario",
    "scenario_from_profiles",
    "solve",
    "to_json",
    "to_text",
]
