"""Turning values into short text for the screen, and typed text back into values.

Two kinds of value are edited in the TUI: a party's system figure (an
override of its profile, any type a profile holds) and a clause parameter
(typed by the library: percent, money, months, date, ...). Parsing returns
the value and, if it does not fit, a message that says what would.

A system figure nobody knows shows as "not known" and one the system does not
have (no floor, no borrowing) as "none": the two are different facts to a
negotiator, and typing either gives back the value the profile would hold.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from negotiation.errors import LinkwrightError
from negotiation.library import Param
from negotiation.profiles import NONE, none_value
from negotiation.session import ClauseChoice, Negotiation, Position, ProposedText
from negotiation.yamlload import parse_text

NOT_KNOWN = "not known"
NOT_KNOWN_WORDS = {"", "—", "-", "null", NOT_KNOWN, "unknown", "?"}
"""What a user may type for a figure nobody knows."""

WHOLE = {"integer", "months", "days", "years"}
NUMERIC = {"percent", "number", "money"} | WHOLE
UNITS = {"percent": "%", "months": "months", "days": "days", "years": "years"}

FIGURE_LABELS = {
    "jurisdiction": "Jurisdiction",
    "level": "Government level",
    "participation": "Participation",
    "cap_type": "Type of cap",
    "currency": "Currency",
    "cap_mt": "Cap (Mt CO2e)",
    "cap_year": "Cap figure year",
    "annual_reduction_pct": "Annual cut (%)",
    "coverage.sectors": "Sectors covered",
    "coverage.gases": "Gases covered",
    "coverage.threshold": "Threshold",
    "allocation": "Allocation",
    "offsets.allowed": "Offsets allowed",
    "offsets.limit_pct": "Offset limit (%)",
    "offsets.eligible": "Eligible offsets",
    "banking": "Banking",
    "borrowing": "Borrowing",
    "price_floor": "Price floor",
    "price_ceiling": "Price ceiling",
    "cost_containment_reserve": "Cost containment",
    "market_stability_reserve": "Reserve (MSR)",
    "auctions.reserve_price": "Auction reserve",
    "penalty.per_tonne": "Penalty per t",
    "penalty.make_good": "Make-good",
    "mrv.standard": "MRV rules",
    "mrv.reporting_since": "Reporting since",
    "verification.accreditation": "Accreditation",
    "verification.third_party": "Outside verifier",
    "registry": "Registry",
    "compliance_period_years": "Compliance (yrs)",
    "oversight_authority": "Oversight body",
    "links": "Existing links",
    "operational_since": "Operating since",
    "price_history": "Price history",
    "languages": "Languages",
}
"""A system figure as the parties table names it (at most 16 characters: the name column
of the table beside the findings panel); the dotted id is for the detail line and the
session file."""


def figure_label(dotted: str) -> str:
    """The label of a system figure; one not listed reads as words, never as an id."""
    if dotted in FIGURE_LABELS:
        return FIGURE_LABELS[dotted]
    words = dotted.replace(".", ": ", 1).replace("_", " ").replace(".", " ")
    return words[:1].upper() + words[1:]


def show(value: Any) -> str:
    """A profile or parameter value as short plain text."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return ", ".join(show(v) for v in value) if value else "none"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def show_figure(value: Any) -> str:
    """A system figure as short plain text: "not known" where the profile does not know
    it (never a dash that could be read as "none")."""
    return NOT_KNOWN if value is None else show(value)


def clip(text: str, width: int) -> str:
    """Text cut to `width` cells with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def edit_text(value: Any) -> str:
    """A value as the user would type it back."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(edit_text(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_figure(text: str, current: Any, parameter: str | None = None) -> Any:
    """A system figure typed by the user: the same kind as the current value where
    that is known (a list stays a list), else a plain YAML scalar, read by the one
    loader everything else goes through (its limits hold for typed text too).

    Empty text (or "not known") is None: not known. "none" says the system has no
    such feature, written as its profile would write it for `parameter`."""
    text = text.strip()
    if text.lower() in NOT_KNOWN_WORDS:
        return None
    if text.lower() == NONE:
        return _none_for(parameter, current)
    if isinstance(current, list):
        return [part.strip() for part in text.split(",") if part.strip()]
    if text.lower() in ("yes", "true"):
        return True
    if text.lower() in ("no", "false"):
        return False
    try:
        value = parse_text(text, "typed value").data
    except LinkwrightError:
        return text
    if isinstance(value, (int, float, str, list, dt.date)) and not isinstance(value, bool):
        if isinstance(value, dt.date):
            return value.year if isinstance(current, int) else value
        return value
    return text


def _none_for(parameter: str | None, current: Any) -> Any:
    """How `parameter` says "the system has none": 'none', no, or an empty list."""
    if parameter is not None and (value := none_value(parameter)) is not None:
        return value
    if isinstance(current, list):
        return []
    if isinstance(current, bool):
        return False
    return NONE


def parse_param(param: Param, text: str) -> tuple[Any, str | None]:
    """(value, problem) for text typed into a clause parameter."""
    text = text.strip()
    if not text:
        return None, "enter a value"
    value: Any = text
    if param.type in NUMERIC:
        cleaned = text.replace(",", "").removesuffix("%").strip()
        for prefix in ("EUR", "CHF", "USD", "CAD", "GBP", "AUD", "NZD", "$", "€"):
            cleaned = cleaned.removeprefix(prefix).strip()
        try:
            number = float(cleaned)
        except ValueError:
            return None, f"enter a number{_bounds(param)}"
        value = (
            int(number)
            if number.is_integer() and (param.type in WHOLE or "." not in cleaned)
            else number
        )
    elif param.type == "date":
        try:
            value = dt.date.fromisoformat(text)
        except ValueError:
            return None, "enter a date as YYYY-MM-DD"
    elif param.type == "boolean":
        lowered = text.lower()
        if lowered not in ("yes", "no", "true", "false"):
            return None, "enter yes or no"
        value = lowered in ("yes", "true")
    elif param.type == "list":
        value = [part.strip() for part in text.split(",") if part.strip()]
    problem = param.problem(value)
    if problem:
        return None, f"{problem}{_bounds(param) if param.type in NUMERIC else ''}"
    return value, None


def _bounds(param: Param) -> str:
    if param.min is not None and param.max is not None:
        return f" between {param.min:g} and {param.max:g}"
    if param.min is not None:
        return f" of at least {param.min:g}"
    if param.max is not None:
        return f" of at most {param.max:g}"
    return ""


def param_hint(param: Param, currency: str) -> str:
    """What to type, e.g. 'percent, 0–100' or 'money (EUR)'."""
    parts = [param.type]
    if param.type == "money":
        parts = [f"money ({currency})"]
    if param.type in NUMERIC and (param.min is not None or param.max is not None):
        low = "" if param.min is None else f"{param.min:g}"
        high = "" if param.max is None else f"{param.max:g}"
        parts.append(f"{low}–{high}")
    if param.type == "date":
        parts.append("YYYY-MM-DD")
    if param.type == "list":
        parts.append("comma-separated")
    if param.type == "choice" and param.options:
        parts.append(" / ".join(param.options))
    return ", ".join(parts)


def show_param(param: Param, value: Any, currency: str) -> str:
    if value is None:
        return "—"
    if param.type == "percent":
        return f"{show(value)} %"
    if param.type == "money":
        return f"{currency} {show(value)}"
    if param.type in ("months", "days", "years"):
        return f"{show(value)} {param.type}"
    return show(value)


def describe_position(neg: Negotiation, position: Position | None, width: int = 200) -> str:
    """A party's position in a line: the clause title and values, or its own text."""
    if position is None:
        return "no position stated"
    if isinstance(position, ProposedText):
        return clip(f"own text: “{position.text}”", width)
    assert isinstance(position, ClauseChoice)
    clause = neg.library.clauses.get(position.clause)
    title = clause.title if clause else position.clause
    if position.params and clause is not None:
        values = ", ".join(
            f"{clause.params[n].label or n if n in clause.params else n} {show(v)}"
            for n, v in position.params.items()
        )
        return clip(f"{title} ({values})", width)
    return clip(title, width)


def describe_values(
    neg: Negotiation, clause_params: dict[str, Param], values: dict[str, Any]
) -> str:
    currency = neg.session.reporting_currency
    return "; ".join(
        f"{name} {show_param(param, values.get(name), currency)}"
        for name, param in clause_params.items()
    )
