"""Comparing amounts across currencies, with dated rates.

Price floors and penalties are compared across systems (a floor 25 % apart
is a finding), so amounts in EUR, CHF or USD must be converted. A session
may carry its own dated rates (`currency_rates`); otherwise the built-in
table below is used and its date is shown wherever a converted figure is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from negotiation.errors import LinkwrightError

if TYPE_CHECKING:
    from negotiation.session import Negotiation, Session
    from negotiation.yamlload import Document

DEFAULT_AS_OF = dt.date(2024, 12, 31)
DEFAULT_NOTE = "approximate 2024 annual-average reference rates; illustrative, not sourced"
DEFAULT_EUR_PER_UNIT: dict[str, float] = {
    "EUR": 1.0,
    "CHF": 1.05,
    "GBP": 1.18,
    "USD": 0.92,
    "CAD": 0.68,
    "NZD": 0.55,
    "AUD": 0.61,
    "KRW": 0.00068,
    "CNY": 0.128,
}


@dataclass(frozen=True)
class Rates:
    """Units of `reporting` per unit of each currency, as of a date."""

    reporting: str
    as_of: dt.date
    per_unit: dict[str, float]
    note: str

    def convert(self, amount: float, code: str) -> float:
        if code not in self.per_unit:
            raise LinkwrightError(f"no exchange rate for {code}; add it under currency_rates")
        return amount * self.per_unit[code]

    def can_convert(self, code: str | None) -> bool:
        return code is not None and code in self.per_unit


def rates_for(session: Session) -> Rates:
    """The session's own rates if it has them, else the built-in table."""
    if session.currency_rates is not None:
        table = dict(session.currency_rates.rates)
        table.setdefault(session.reporting_currency, 1.0)
        return Rates(session.reporting_currency, session.currency_rates.as_of, table,
                     "rates set in the session")
    base = DEFAULT_EUR_PER_UNIT.get(session.reporting_currency)
    if base is None:
        return Rates(session.reporting_currency, DEFAULT_AS_OF,
                     {session.reporting_currency: 1.0}, DEFAULT_NOTE)
    table = {code: value / base for code, value in DEFAULT_EUR_PER_UNIT.items()}
    return Rates(session.reporting_currency, DEFAULT_AS_OF, table, DEFAULT_NOTE)


def check_rates(neg: Negotiation, doc: Document) -> None:
    """Every party's currency must be convertible into the reporting currency."""
    rates = neg.rates()
    for index, party in enumerate(neg.session.parties):
        code = neg.systems[party.id].parameters.currency
        if code and not rates.can_convert(code):
            where: tuple[Any, ...] = (("currency_rates",) if neg.session.currency_rates
                                      else ("parties", index, "system"))
            raise doc.error(where, f"no exchange rate from {code} (party '{party.id}') to "
                            f"{rates.reporting}; add `{code}: <rate>` under currency_rates")
