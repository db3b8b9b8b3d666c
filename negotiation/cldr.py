"""How a language writes numbers and dates in legal text, from the Unicode CLDR.

Babel is the source: it knows every language's symbols and month names. But loading
a language's CLDR data cost a `check` of eu-ch 17 ms (Babel itself, then the French
and the German data, merged over the root), for the two or three facts a version
uses: the group and decimal symbols, and the long date with its twelve months. So
those facts are asked of Babel once, kept in the user's cache (negotiation.cache)
for the installed Babel, and applied here.

They are kept only if they reproduce Babel: when a language is built, a set of
numbers and dates is written both ways, and a language whose forms differ in any of
them (a pattern this reading does not foresee) is written by Babel itself, every
time. The tests compare the two over many values. One difference is wanted: where
the group symbol is an apostrophe (Swiss German, Swiss French), Babel reads the two
in "1'234'567" as a quotation and drops them; here a million keeps its groups.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

_PROBE_NUMBERS: tuple[Any, ...] = (0, 1, 7, 12, 999, 1000, 12345, 1234567, 1000000000,
                                   0.5, 0.05, 1.005, 1.015, 2.5, 3.14159, 1234.5678,
                                   999.999, 0.001, -1, -1234.5, -0.001, 10.1, 42.0)
_PROBE_DECIMALS: tuple[int | None, ...] = (None, 0, 1, 2, 3)
_PROBE_DAYS = (1, 7, 19, 28)
_PROBE_YEARS = (1999, 2013, 2020, 2034)
_DAY, _YEAR = 28, 2034  # what the month templates are made from: no other digits alike


class Forms(NamedTuple):
    """What a language's texts need of its CLDR data. None: Babel writes it."""

    group: str | None  # "\u202f" in French, "." in German, "'" in Swiss German
    decimal: str | None
    months: tuple[str, ...] | None  # "{d} janvier {y}", one per month


def babel_cached(name: str, build: Any, kind: type) -> Any:
    """`build()`, kept in the user's cache for the Babel installed, which is known by
    its files, not imported: an English text needs no Babel at all."""
    import negotiation.languages  # noqa: F401  (its code is in the key: it builds names)
    from negotiation.cache import cached, fingerprints

    spec = importlib.util.find_spec("babel")
    if spec is None or spec.origin is None:
        return build()
    return cached(name, fingerprints([(Path(spec.origin), "babel")]), build, kind,
                  ("negotiation.cache", "negotiation.cldr", "negotiation.languages"))


def number(value: float | int, decimals: int | None, language: str) -> str:
    """`value` as `language` writes it: `decimals` places, or up to two when None and
    the value has a fraction ("1 000,5", "1.000,5", "1'000.5")."""
    minimum, maximum = precision(value, decimals)
    forms = forms_for(language)
    if forms.group is None or forms.decimal is None:
        return _babel_number(value, minimum, maximum, language)
    return _number(value, minimum, maximum, forms.group, forms.decimal)


def long_date(value: dt.date, language: str) -> str:
    """A date in `language`'s long form: "1 octobre 2013", "1. Januar 2020"."""
    forms = forms_for(language)
    if forms.months is None:
        return _babel_date(value, language)
    return forms.months[value.month - 1].format(d=value.day, y=value.year)


def precision(value: float | int, decimals: int | None) -> tuple[int, int]:
    """The fewest and most decimal places a number is written with: `decimals` (0 to 6)
    when given, else up to two for a value with a fraction, none for a whole one."""
    if decimals is not None:
        decimals = max(0, min(int(decimals), 6))
        return decimals, decimals
    if isinstance(value, float) and not value.is_integer():
        return 0, 2
    return 0, 0


def _number(value: float | int, minimum: int, maximum: int, group: str,
            decimal: str) -> str:
    """As Babel writes it: the shortest decimal of a float, rounded half to even, the
    sign of a value that rounds to nothing kept ("-0"), groups of three."""
    exact = Decimal(str(value))
    rounded = abs(exact).normalize().quantize(Decimal(1).scaleb(-maximum))
    whole, _, fraction = f"{rounded:f}".partition(".")
    fraction = fraction.ljust(minimum, "0").rstrip("0").ljust(minimum, "0")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = group.join([whole, *groups])
    if fraction and maximum:
        text += decimal + fraction
    return ("-" if exact.is_signed() else "") + text


@cache
def forms_for(language: str) -> Forms:
    """The language's forms, from the cache or from Babel (checked as they are made)."""
    code = language.replace("-", "_")
    if not code.replace("_", "").isalnum():
        return Forms(None, None, None)  # not a name for a cache file: Babel every time
    found = babel_cached(f"forms-{code}", lambda: tuple(_forms_from_babel(language)), tuple)
    return Forms(*found)


def _forms_from_babel(language: str) -> Forms:
    from babel import UnknownLocaleError
    from babel.numbers import get_decimal_symbol, get_group_symbol

    locale = language.replace("-", "_")
    try:
        group, decimal = get_group_symbol(locale), get_decimal_symbol(locale)
    except (ValueError, UnknownLocaleError):
        return Forms(None, None, None)
    # Below a million: Babel takes two apostrophes in its output for a quotation and
    # drops them ("1234567" in Swiss German, where one thousand is "1'000").
    if not all(_number(value, *precision(value, decimals), group, decimal)
               == _babel_number(value, *precision(value, decimals), language)
               for value in _PROBE_NUMBERS if abs(value) < 1_000_000
               for decimals in _PROBE_DECIMALS):
        return Forms(None, None, _months(language))
    return Forms(group, decimal, _months(language))


def _months(language: str) -> tuple[str, ...] | None:
    months = []
    for month in range(1, 13):
        shown = _babel_date(dt.date(_YEAR, month, _DAY), language)
        if shown.count(str(_DAY)) != 1 or shown.count(str(_YEAR)) != 1 \
                or "{" in shown or "}" in shown:
            return None
        template = shown.replace(str(_YEAR), "{y}").replace(str(_DAY), "{d}")
        for year in _PROBE_YEARS:
            for day in _PROBE_DAYS:
                date = dt.date(year, month, day)
                if template.format(d=day, y=year) != _babel_date(date, language):
                    return None
        months.append(template)
    return tuple(months)


def _babel_number(value: float | int, minimum: int, maximum: int, language: str) -> str:
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * minimum + "#" * (maximum - minimum) if maximum else "")
    return format_decimal(value, format=pattern, locale=language.replace("-", "_"))


def _babel_date(value: dt.date, language: str) -> str:
    from babel.dates import format_date

    return format_date(value, format="long", locale=language.replace("-", "_"))
