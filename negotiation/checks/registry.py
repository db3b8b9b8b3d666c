"""Where cross-system rules register, with their stable ids.

A rule is a small pure function from a `Negotiation` to `Finding`s. It
declares its id, the topic it reports under, and the system parameters it
reads: the graph uses `reads` to mark which topics a change of a party's
figure affects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from negotiation.findings import Finding
from negotiation.session import Negotiation

RuleFunction = Callable[[Negotiation], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    id: str
    topic: str
    reads: tuple[str, ...]
    check: RuleFunction
    summary: str


RULES: dict[str, Rule] = {}


def rule(rule_id: str, topic: str, reads: tuple[str, ...] = ()) -> Callable[[RuleFunction],
                                                                             RuleFunction]:
    """Register a rule function under a stable id."""

    def register(function: RuleFunction) -> RuleFunction:
        if rule_id in RULES:
            raise ValueError(f"rule id {rule_id} registered twice")
        summary = (function.__doc__ or "").strip().splitlines()[0] if function.__doc__ else ""
        RULES[rule_id] = Rule(rule_id, topic, reads, function, summary)
        return function

    return register
