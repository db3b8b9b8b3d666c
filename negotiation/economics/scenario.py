"""Where scenarios come from: a YAML file, or the parties' system profiles.

A scenario file is read through the one YAML loader, so a mistake in it is
reported at its `file:line:column` like any other Linkwright file. A session
instead builds its scenario from the `economics` blocks of the parties'
profiles; those carry figures in each system's own currency, so they are
converted here, once, into the session's reporting currency (prices,
intercepts, slopes and money amounts; tonnes are left alone). A currency
without a rate is an error that names it: guessing a rate would put a wrong
number in front of a minister.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from negotiation.economics.model import (
    FullLink,
    Link,
    ProfileEconomics,
    Scenario,
    System,
    problems,
    system_problems,
)
from negotiation.economics.solver import market_problems
from negotiation.errors import LinkwrightError
from negotiation.yamlload import Document, parse_text, read_file, validate, validation_error

ProfileEntry = tuple[str, str, str, Mapping[str, Any] | None, float | None]
"""(system id, display name, currency code, economics block, the profile's cap_mt)."""


def load_scenario(path: str | Path) -> Scenario:
    """Read and check a scenario file; any mistake is a `LinkwrightError` at its place."""
    return _checked(read_file(Path(path)))


def parse_scenario(text: str, file: str = "<text>") -> Scenario:
    """The same as `load_scenario`, for text already in hand."""
    return _checked(parse_text(text, file))


def _checked(doc: Document) -> Scenario:
    if not isinstance(doc.data, dict):
        raise doc.error((), "a scenario is a mapping with `systems:` (a list) and an "
                            "optional `link:`")
    scenario = validate(Scenario, doc)
    found = problems(scenario) or market_problems(scenario)
    if found:
        raise doc.error(found[0].path, found[0].text())
    return scenario


_MONEY_KEYS = ("price_floor", "price_ceiling")


def scenario_from_profiles(entries: Iterable[ProfileEntry], reporting_currency: str,
                           rates: Mapping[str, Any], *, link: Link | None = None,
                           restrictions: Sequence[Link] = ()) -> Scenario:
    """A scenario from profiles' `economics` blocks, in `reporting_currency`.

    `rates` maps a currency code to units of the reporting currency per
    unit (a session's `currency_rates`). By default the systems are fully
    linked; pass `link` or `restrictions` as a scenario file would.
    """
    systems: list[System] = []
    caveats: list[str] = []
    names: dict[str, str] = {}
    for sid, name, currency, economics, cap_mt in entries:
        names[sid] = name
        where = f"economics of {name} ({sid})"
        if economics is None:
            raise LinkwrightError(f"{where}: the profile has no economics block; add bau, cap "
                                  "and mac to compute the economics of the link")
        data = dict(economics)
        try:
            block = ProfileEconomics.model_validate(data)
        except ValidationError as exc:
            raise validation_error(exc, Document(data, where)) from None
        for problem in system_problems(block):
            raise LinkwrightError(f"{where}: {problem.text()}")
        cap = block.cap if block.cap is not None else cap_mt
        if cap is None:
            raise LinkwrightError(f"{where}: no cap: give `cap` in the economics block, or "
                                  "`cap_mt` in the profile")
        factor = _rate(currency, reporting_currency, rates, name)
        systems.append(_system(sid, name, cap, block, factor, where))
        caveats += _provenance(name, block)
    scenario_data: dict[str, Any] = {
        "currency": reporting_currency,
        "systems": systems,
        "link": link if link is not None else FullLink(type="full"),
        "restrictions": list(restrictions),
        "caveats": caveats,
    }
    scenario = Scenario.model_validate(scenario_data)
    found = problems(scenario) or market_problems(scenario)
    if found:
        path = found[0].path
        if len(path) >= 2 and path[0] == "systems" and isinstance(path[1], int):
            sid = scenario.systems[path[1]].id
            inner = ".".join(str(p) for p in path[2:])
            raise LinkwrightError(f"economics of {names[sid]} ({sid}): "
                                  + (f"{inner}: " if inner else "") + found[0].message)
        raise LinkwrightError(found[0].text())
    return scenario


def _rate(currency: str, reporting: str, rates: Mapping[str, Any], name: str) -> float:
    if not currency:
        raise LinkwrightError(f"{name}: the profile gives no currency, so its economics "
                              f"cannot be converted into {reporting}")
    if currency == reporting and currency not in rates:
        return 1.0
    if currency not in rates:
        raise LinkwrightError(
            f"no exchange rate for {currency} (the currency of {name}): add "
            f"`{currency}: <{reporting} per {currency}>` to the session's currency_rates")
    value = rates[currency]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise LinkwrightError(f"the exchange rate for {currency} must be a positive number "
                              f"of {reporting} per {currency} (got {value!r})")
    return float(value)


def _system(sid: str, name: str, cap: float, block: ProfileEconomics, factor: float,
            where: str) -> System:
    data = block.model_dump(by_alias=True, exclude={"cap", "illustrative", "basis", "year"},
                            exclude_none=True)
    mac = data["mac"]
    for key in ("intercept", "slope"):
        if key in mac:
            mac[key] *= factor
    if "points" in mac:
        mac["points"] = [(q, p * factor) for q, p in mac["points"]]
    for key in _MONEY_KEYS:
        if key in data:
            data[key] *= factor
    if "reserve" in data:
        data["reserve"]["trigger"] *= factor
    if "offsets" in data:
        supply = data["offsets"]["supply"]
        supply["intercept"] *= factor
        supply["slope"] *= factor
    if "penalty" in data:
        data["penalty"]["per_tonne"] *= factor
    data.update(id=sid, name=name, cap=cap)
    try:
        return System.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, Document(data, where)) from None


def _provenance(name: str, block: ProfileEconomics) -> list[str]:
    if not (block.illustrative or block.basis or block.year):
        return []
    parts = []
    if block.basis:
        parts.append(f"basis: {block.basis.strip().rstrip('.')}")
    if block.year:
        parts.append(f"year {block.year}")
    detail = f" ({'; '.join(parts)})" if parts else ""
    what = "illustrative, not estimates" if block.illustrative else "as sourced"
    return [f"{name}'s economics figures are {what}{detail}."]
