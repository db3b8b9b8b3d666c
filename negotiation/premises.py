"""Premises: what a clause's text assumes of the parties' systems.

A clause that harmonises banking is true only if every party's system banks
as it says; a common offset limit of 4 per cent only if no party's own limit
is looser; a clause recognising the other side's verification only if that
side verifies by third parties. The clause declares these facts (`assumes:`)
and one rule, `clause.premise`, tests them against every party whenever the
clause is chosen, so no rule has to trust a chosen clause.

The form is deliberately small and checked when the library loads:

    assumes:
      - {every: banking, is: allowed}
      - {every: price_floor, is: none}
      - {every: offsets.limit_pct, at_most: {param: limit_pct}}
      - {every: operational_since, at_most: {year: -2}}
      - {recognised: registry, known: true}
      - {any: offsets.allowed, is: true, instead: offsets.quantity.none}

A role (`every` party, `any` party, the `recognising` or the `recognised`
party of a unilateral link) names a system parameter; one comparison
(`is`, `is_not`, `one_of`, `at_most`, `at_least`, `known`, and `same: true`:
every party's value is the same, as a harmonised rule needs) says what must
hold, against a constant, one of the clause's own parameters (`{param: …}`)
or the session's year plus an offset (`{year: …}`). `none` is the value of
a party that has no such feature: the profile says `none`, `false`, or an
empty list. A value the profile does not know (`null`) is never taken as
`none`: the premise then asks for confirmation instead of passing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from negotiation.profiles import NONE  # "this system has no such feature"

Role = Literal["every", "any", "recognising", "recognised"]
ROLES: tuple[Role, ...] = ("every", "any", "recognising", "recognised")
COMPARISONS = ("is", "is_not", "one_of", "at_most", "at_least", "known", "same")



class ParamRef(BaseModel):
    """The value of one of the clause's own parameters."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    param: str


class YearRef(BaseModel):
    """The session's year plus `year` (negative: that many years before)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    year: int = Field(ge=-100, le=100)


Operand = ParamRef | YearRef | bool | int | float | str | None


class Premise(BaseModel):
    """One condition on the parties' systems that the clause's text relies on."""

    # Built on first use: a run whose library comes from the cache validates none.
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                              defer_build=True)

    every: str | None = None
    any_: str | None = Field(default=None, alias="any")
    recognising: str | None = None
    recognised: str | None = None

    is_: Operand = Field(default=None, alias="is")
    is_not: Operand = None
    one_of: list[str | int | float | bool] | None = None
    at_most: ParamRef | YearRef | int | float | None = None
    at_least: ParamRef | YearRef | int | float | None = None
    known: Literal[True] | None = None
    same: Literal[True] | None = Field(default=None, description="every party's value is "
                                       "the same (a harmonised rule)")

    instead: str | None = Field(default=None, description="for `any`: the clause that fits "
                                "when no party has the feature")
    reported_by: str | None = Field(default=None, description="a rule that already reports "
                                    "a contradiction as an error under its own id")
    why: str = Field(default="", max_length=300)

    @model_validator(mode="after")
    def _one_role_one_comparison(self) -> Premise:
        roles = [r for r in ROLES if self.role_parameter(r) is not None]
        if len(roles) != 1:
            raise ValueError("a premise names one role (every, any, recognising or "
                             "recognised) with the system parameter it reads")
        if len(self._written_here()) != 1:
            raise ValueError("a premise makes one comparison: is, is_not, one_of, at_most, "
                             "at_least, known or same")
        if self.instead is not None and roles[0] != "any":
            raise ValueError("`instead:` belongs to an `any:` premise")
        if self.same and roles[0] != "every":
            raise ValueError("`same:` compares every party with the others: use `every:`")
        return self

    def _written_here(self) -> tuple[str, ...]:
        # `null` is never a comparison's operand: it is what a profile says when it
        # does not know, and a clause cannot rely on not knowing.
        return tuple(k for k in COMPARISONS if getattr(self, _FIELD[k]) is not None)

    # -- reading -----------------------------------------------------------------------
    # Role, parameter and comparison are fixed once validated, and the rule reads them
    # for every party of every chosen clause: they are worked out once, here, and kept
    # as plain attributes (pydantic's private attributes cost a lookup each time).

    def model_post_init(self, context: Any) -> None:
        # runs before the check below: a malformed premise is left for it to refuse
        roles = [r for r in ROLES if self.role_parameter(r) is not None]
        written = self._written_here()
        role = roles[0] if roles else "every"
        comparison = written[0] if written else "is"
        operand = getattr(self, _FIELD[comparison])
        for name, value in (("_role", role), ("_comparison", comparison),
                            ("_parameter", self.role_parameter(role) or ""),
                            ("_operand", operand),
                            ("_clause_params", frozenset(
                                {operand.param} if isinstance(operand, ParamRef) else ()))):
            object.__setattr__(self, name, value)

    def role_parameter(self, role: Role) -> str | None:
        return {"every": self.every, "any": self.any_, "recognising": self.recognising,
                "recognised": self.recognised}[role]

    @property
    def role(self) -> Role:
        return self.__dict__["_role"]  # type: ignore[no-any-return]

    @property
    def parameter(self) -> str:
        return self.__dict__["_parameter"]  # type: ignore[no-any-return]

    @property
    def comparison(self) -> str:
        return self.__dict__["_comparison"]  # type: ignore[no-any-return]

    @property
    def operand(self) -> Any:
        return self.__dict__["_operand"]

    def clause_params(self) -> frozenset[str]:
        """The clause parameters this premise compares with."""
        return self.__dict__["_clause_params"]  # type: ignore[no-any-return]


_FIELD = {"is": "is_", "is_not": "is_not", "one_of": "one_of", "at_most": "at_most",
          "at_least": "at_least", "known": "known", "same": "same"}


# -- evaluation ----------------------------------------------------------------------------


def is_none(value: Any) -> bool:
    """Whether a profile value says the system has no such feature."""
    return value is False or value == NONE or (isinstance(value, list) and not value)


@dataclass(frozen=True)
class Verdict:
    """How one party's value stands against one premise."""

    holds: bool | None
    """True, False, or None when the party's value is unknown."""
    value: Any
    target: Any
    """The operand resolved: a number, a constant, or the list for one_of."""


def resolve_operand(premise: Premise, params: dict[str, Any], year: int | None) -> Any:
    operand = premise.operand
    if isinstance(operand, ParamRef):
        return params.get(operand.param)
    if isinstance(operand, YearRef):
        return None if year is None else year + operand.year
    return operand


def judge(premise: Premise, value: Any, target: Any) -> Verdict:
    """Whether `value` (one party's) meets the premise with its operand resolved."""
    comparison = premise.comparison
    if value is None:
        return Verdict(None, value, target)
    if comparison == "known":
        return Verdict(not is_none(value), value, target)
    if comparison == "same":
        return Verdict(_same(value, target), value, target)
    if comparison in ("is", "is_not"):
        same = _same(value, target)
        return Verdict(same if comparison == "is" else not same, value, target)
    if comparison == "one_of":
        return Verdict(any(_same(value, t) for t in target or []), value, target)
    if target is None:
        return Verdict(None, value, target)  # the clause's own figure is not set yet
    if is_none(value) or not _number(value):
        return Verdict(False, value, target)
    if comparison == "at_most":
        return Verdict(value <= target, value, target)
    return Verdict(value >= target, value, target)


def _same(value: Any, target: Any) -> bool:
    if target == NONE or target is False:
        return is_none(value)
    if isinstance(target, list) and isinstance(value, list):
        return sorted(map(str, value)) == sorted(map(str, target))
    return bool(value == target)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def session_year(year: int | None, round_date: dt.date | None) -> int | None:
    """The year a `{year: …}` operand counts from: the session's, else its round's."""
    if year is not None:
        return year
    return round_date.year if round_date is not None else None
