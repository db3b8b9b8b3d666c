"""Findings and remedies: what a check says, and what would fix it.

A `Finding` has a stable rule id (users look it up, silence it knowingly,
see it in CI), a severity, the topic it belongs to, a message that names
the parties and values involved, and `Remedy`s. A remedy is an action the
TUI can apply with one key and the CLI prints: choose a clause, set a
parameter of a provision or of a party, set the form or linkage, or add a
pre-linking condition.

A warning a delegation accepts knowingly (the session's `acknowledged:`) keeps
its severity and carries the note saying why (`acknowledged`): it is still
shown, with the note, but no longer counted among the open warnings.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, model_validator

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


class Choose(BaseModel):
    model_config = ConfigDict(frozen=True)
    provision: str
    clause: str
    params: dict[str, Any] = {}


class SetValue(BaseModel):
    """`target` is `provision:<id>.<param>` or `party:<id>.<parameter>`."""

    model_config = ConfigDict(frozen=True)
    target: str
    value: Any


class LinkageChange(BaseModel):
    model_config = ConfigDict(frozen=True)
    type: Literal["unilateral", "bilateral", "multilateral"]
    recognising: str | None = None


class ConditionToAdd(BaseModel):
    model_config = ConfigDict(frozen=True)
    party: str
    what: str


class Remedy(BaseModel):
    """One action that resolves a finding; exactly one action is given."""

    model_config = ConfigDict(frozen=True)

    description: str
    choose: Choose | None = None
    set: SetValue | None = None
    form: Literal["treaty", "memorandum", "hybrid", "regulation"] | None = None
    linkage: LinkageChange | None = None
    condition: ConditionToAdd | None = None

    @model_validator(mode="after")
    def _one_action(self) -> Remedy:
        actions = [a for a in (self.choose, self.set, self.form, self.linkage, self.condition)
                   if a is not None]
        if len(actions) != 1:
            raise ValueError("a remedy carries exactly one action")
        return self

    def to_json(self) -> dict[str, Any]:
        data = self.model_dump(mode="json", exclude_none=True)
        if self.choose is not None and not self.choose.params:
            data["choose"].pop("params")
        return data


class Finding(BaseModel):
    model_config = ConfigDict(frozen=True)

    rule: str
    severity: Severity
    topic: str
    message: str
    parties: tuple[str, ...] = ()
    clauses: tuple[str, ...] = ()
    parameters: tuple[str, ...] = ()
    remedies: tuple[Remedy, ...] = ()
    acknowledged: str | None = None
    """The session's note when a delegation accepted this warning knowingly, else None."""

    @property
    def is_open(self) -> bool:
        """Still to be dealt with: not a warning the session has acknowledged."""
        return self.acknowledged is None

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "topic": self.topic,
            "message": self.message,
            "parties": list(self.parties),
            "clauses": list(self.clauses),
            "parameters": list(self.parameters),
            "remedies": [r.to_json() for r in self.remedies],
            "acknowledged": self.acknowledged,
        }


def choose(provision: str, clause: str, why: str = "",
           params: dict[str, Any] | None = None) -> Remedy:
    return Remedy(description=why or f"choose '{clause}' for {provision}",
                  choose=Choose(provision=provision, clause=clause, params=params or {}))


def set_provision_param(provision: str, param: str, value: Any, why: str = "") -> Remedy:
    return Remedy(description=why or f"set {provision} {param} to {value}",
                  set=SetValue(target=f"provision:{provision}.{param}", value=value))


def set_party_param(party: str, parameter: str, value: Any, why: str = "") -> Remedy:
    return Remedy(description=why or f"set {party}'s {parameter} to {value}",
                  set=SetValue(target=f"party:{party}.{parameter}", value=value))


def set_form(form: str, why: str = "") -> Remedy:
    return Remedy(description=why or f"draft the instrument as a {form}", form=form)  # type: ignore[arg-type]


def set_linkage(kind: str, recognising: str | None = None, why: str = "") -> Remedy:
    return Remedy(description=why or f"make the link {kind}",
                  linkage=LinkageChange(type=kind, recognising=recognising))  # type: ignore[arg-type]


def add_condition(party: str, what: str, why: str = "") -> Remedy:
    return Remedy(description=why or f"add a pre-linking condition for {party}: {what}",
                  condition=ConditionToAdd(party=party, what=what))


def sort_findings(findings: list[Finding], topic_order: dict[str, int]) -> list[Finding]:
    """By topic in treaty order, then severity, then rule id."""
    return sorted(findings, key=lambda f: (topic_order.get(f.topic, 10_000), f.topic,
                                           SEVERITY_ORDER[f.severity], f.rule, f.message))


def counts(findings: list[Finding]) -> dict[str, int]:
    """Open findings by severity, and the acknowledged ones apart: a warning the
    session accepted knowingly is no longer an open warning."""
    result = {"error": 0, "warning": 0, "info": 0, "acknowledged": 0}
    for finding in findings:
        result[finding.severity if finding.is_open else "acknowledged"] += 1
    return result
