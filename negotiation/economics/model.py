"""What a linking calculation is about: systems, their curves, and the link.

A scenario comes from a file another delegation may have written, or from
the `economics` blocks of system profiles, so it is checked in two layers.
pydantic checks the shape and each value alone (a negative slope, an
unknown key, a missing cap) and points at the offending key. `problems()`
then checks what needs more than one value: a curve whose points fall, a
flat curve with no end, a link naming a system that is not there, a cap
that no abatement could meet. It returns paths rather than raising, so the
file loader can turn each into `file:line:column` and the profile adapter
into the system's name; past these checks, the curves and the solver trust
the model.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from negotiation.errors import did_you_mean

LARGEST = 1e12
"""No figure of a market comes near this (a trillion tonnes, or a price of a
trillion a tonne); beyond it the solver's sums lose their meaning, so it is refused."""


def _plain_number(value: Any) -> Any:
    # pydantic would read `true` as 1.0 and "12" as 12.0; in a scenario
    # either is a typo, not a figure.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:40] + "…"
        raise PydanticCustomError("number", "expected a number, got {value}", {"value": shown})
    if isinstance(value, float) and value != value:
        return value  # NaN: refused by allow_inf_nan with its own message
    if abs(value) > LARGEST and abs(value) != float("inf"):
        raise PydanticCustomError(
            "too_large", "{value} is beyond the range Linkwright computes with (at most {largest})",
            {"value": f"{value:g}", "largest": f"{LARGEST:g}"})
    return value


Number = Annotated[float, BeforeValidator(_plain_number)]
"""A finite number written as a number (not text, not true/false)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False,
                              populate_by_name=True)


def _not_negative(value: float | None, what: str) -> float | None:
    if value is not None and value < 0:
        raise PydanticCustomError("negative", "{what} cannot be negative (got {value})",
                                  {"what": what, "value": f"{value:g}"})
    return value


class Mac(_Strict):
    """Marginal abatement cost: `intercept + slope·a`, or points `[abatement, price]`.

    The curve reaches bau, or `max_abatement` if less: points stop there, or
    go on along their last segment (a last vertical piece means no more).
    """

    intercept: Number | None = None
    slope: Number | None = None
    points: list[tuple[Number, Number]] | None = None
    max_abatement: Number | None = Field(default=None, ge=0)

    @field_validator("slope")
    @classmethod
    def _slope_not_negative(cls, value: float | None) -> float | None:
        if value is not None and value < 0:
            raise PydanticCustomError(
                "negative_slope",
                "the slope is negative ({value}): a marginal abatement cost curve must not "
                "fall as abatement grows (use 0 for a flat curve, with max_abatement)",
                {"value": f"{value:g}"},
            )
        return value

    @field_validator("intercept")
    @classmethod
    def _intercept_not_negative(cls, value: float | None) -> float | None:
        return _not_negative(value, "the intercept (the cost of the first tonne)")

    @property
    def is_linear(self) -> bool:
        return self.points is None


class Reserve(_Strict):
    """A finite cost-containment reserve: up to `volume` released at `trigger`."""

    volume: Number = Field(ge=0)
    trigger: Number = Field(ge=0)


class LinearSupply(_Strict):
    intercept: Number = Field(ge=0)
    slope: Number = Field(ge=0)


class Offsets(_Strict):
    """Offset credits: at most `limit` tonnes, offered along `supply`."""

    limit: Number = Field(ge=0)
    supply: LinearSupply


class Penalty(_Strict):
    """A penalty per tonne not covered; without make-good it is a buy-out price."""

    per_tonne: Number = Field(ge=0)
    make_good: bool


class _SystemFields(_Strict):
    bau: Number = Field(ge=0, description="business-as-usual emissions")
    mac: Mac
    price_floor: Number | None = Field(default=None, ge=0)
    floor_kind: Literal["hard", "auction"] = "hard"
    auction_volume: Number | None = Field(default=None, ge=0)
    price_ceiling: Number | None = Field(default=None, ge=0)
    reserve: Reserve | None = None
    offsets: Offsets | None = None
    penalty: Penalty | None = None


class System(_SystemFields):
    """One system in a scenario: its emissions, cap, curve and price features."""

    id: str = Field(min_length=1)
    name: str | None = None
    cap: Number = Field(ge=0)

    @property
    def label(self) -> str:
        return self.name or self.id

    @property
    def required_abatement(self) -> float:
        """bau − cap; negative when the cap is slack."""
        return self.bau - self.cap

    @property
    def max_abatement(self) -> float:
        """How far the curve reaches: bau, or less if `mac.max_abatement` or the points say so."""
        limit = self.bau if self.mac.max_abatement is None else min(self.bau,
                                                                    self.mac.max_abatement)
        points = self.mac.points
        if points is not None and len(points) >= 2:
            (q0, _), (q1, _) = points[-2], points[-1]
            if q1 <= q0:  # ends on a vertical piece: nothing beyond the last point
                limit = min(limit, q1)
        elif points is not None and points:
            limit = min(limit, points[-1][0])
        return max(limit, 0.0)

    @property
    def buyout_price(self) -> float | None:
        """The price at which emitters may pay instead of surrendering, if any."""
        if self.penalty is not None and not self.penalty.make_good:
            return self.penalty.per_tonne
        return None

    @property
    def unlimited_supply(self) -> bool:
        """Whether a ceiling or a buy-out covers any shortfall."""
        return self.price_ceiling is not None or self.buyout_price is not None


class ProfileEconomics(_SystemFields):
    """The `economics` block of a system profile: like a system, plus provenance."""

    cap: Number | None = Field(default=None, ge=0)
    illustrative: bool = False
    basis: str | None = None
    year: int | None = None


# --- links -----------------------------------------------------------------

Pair = tuple[str, str]


class FullLink(_Strict):
    """Two-way recognition: one market, one price."""

    type: Literal["full"]


class OneWayLink(_Strict):
    """`to` accepts the units of `from`; not the reverse."""

    type: Literal["one_way"]
    from_: str = Field(alias="from")
    to: str
    between: Pair | None = None


class QuotaLink(_Strict):
    """At most `limit` units flow into `into` (or out of `from`); the reverse is free."""

    type: Literal["quota"]
    limit: Number = Field(ge=0)
    into: str | None = None
    from_: str | None = Field(default=None, alias="from")
    between: Pair | None = None

    @model_validator(mode="after")
    def _one_direction(self) -> QuotaLink:
        if self.into is not None and self.into == self.from_:
            raise PydanticCustomError(
                "quota_direction", "a quota cannot run from a system into itself: `into` "
                "and `from` name the same system", {})
        return self


class ExchangeRateLink(_Strict):
    """Units flow from `from` to `to` only, each covering `rate` tonnes there."""

    type: Literal["exchange_rate"]
    from_: str = Field(alias="from")
    to: str
    rate: Number = Field(gt=0)
    between: Pair | None = None


class FeeLink(_Strict):
    """Either direction, at a charge per transferred tonne."""

    type: Literal["fee"]
    per_tonne: Number = Field(ge=0)
    between: Pair | None = None


_LINK_TAGS = {"full": "Full", "one_way": "OneWay", "quota": "Quota",
              "exchange_rate": "ExchangeRate", "fee": "Fee"}
LINK_TYPES = tuple(_LINK_TAGS)


def _link_tag(value: Any) -> str | None:
    kind = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
    return _LINK_TAGS.get(kind) if isinstance(kind, str) else None


_TYPE_ERROR = ("`type` must be one of " + ", ".join(LINK_TYPES))

Link = Annotated[
    Annotated[FullLink, Tag("Full")]
    | Annotated[OneWayLink, Tag("OneWay")]
    | Annotated[QuotaLink, Tag("Quota")]
    | Annotated[ExchangeRateLink, Tag("ExchangeRate")]
    | Annotated[FeeLink, Tag("Fee")],
    Discriminator(_link_tag, custom_error_type="link_type", custom_error_message=_TYPE_ERROR),
]
"""How units may move between two systems."""

RestrictedLink = OneWayLink | QuotaLink | ExchangeRateLink | FeeLink


class Scenario(_Strict):
    """Systems and how they are linked; `restrictions` narrow named pairs of a full link."""

    title: str | None = None
    currency: str | None = Field(default=None, description="label for prices and money")
    systems: list[System] = Field(min_length=1)
    link: Link = FullLink(type="full")
    restrictions: list[Link] = []
    caveats: list[str] = Field(default=[], description="carried into the result's notes")

    def system(self, system_id: str) -> System:
        for system in self.systems:
            if system.id == system_id:
                return system
        raise KeyError(system_id)


# --- checks that need more than one value ----------------------------------

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """Something wrong with a scenario, at a path of keys inside it."""

    path: Path
    message: str

    @property
    def dotted(self) -> str:
        return ".".join(str(part) for part in self.path)

    def text(self) -> str:
        return f"{self.dotted}: {self.message}" if self.path else self.message


def problems(scenario: Scenario) -> list[Problem]:
    """Every problem of `scenario` a single value could not show, in file order."""
    found: list[Problem] = []
    ids: set[str] = set()
    for i, system in enumerate(scenario.systems):
        where: Path = ("systems", i)
        if system.id in ids:
            found.append(Problem((*where, "id"), f"system id '{system.id}' is used twice"))
        ids.add(system.id)
        found.extend(system_problems(system, where))
    found.extend(_link_problems(scenario, ids))
    return found


def system_problems(system: System | ProfileEconomics, where: Path = ()) -> Iterator[Problem]:
    """Problems within one system's block (also used for profile economics)."""
    yield from _mac_problems(system.mac, (*where, "mac"))
    if system.floor_kind == "auction" and system.auction_volume is None:
        yield Problem((*where, "floor_kind"),
                      "an auction floor needs `auction_volume` (allowances auctioned, "
                      "the most that can go unsold)")
    if system.floor_kind == "auction" and system.price_floor is None:
        yield Problem((*where, "floor_kind"), "floor_kind is set but there is no price_floor")
    if system.auction_volume is not None and system.floor_kind != "auction":
        yield Problem((*where, "auction_volume"),
                      "auction_volume applies only with `floor_kind: auction`")
    floor = system.price_floor
    if floor is not None and system.price_ceiling is not None and floor > system.price_ceiling:
        yield Problem((*where, "price_floor"),
                      f"the price floor ({floor:g}) is above the price ceiling "
                      f"({system.price_ceiling:g})")
    if (floor is not None and system.penalty is not None and not system.penalty.make_good
            and floor > system.penalty.per_tonne):
        yield Problem((*where, "price_floor"),
                      f"the price floor ({floor:g}) is above the buy-out penalty "
                      f"({system.penalty.per_tonne:g}): emitters would pay the penalty instead")
    if isinstance(system, System):
        yield from _feasibility_problems(system, where)


def _mac_problems(mac: Mac, where: Path) -> Iterator[Problem]:
    if mac.points is not None:
        if mac.intercept is not None or mac.slope is not None:
            yield Problem(where, "give either `intercept` and `slope`, or `points`, not both")
            return
        yield from _points_problems(mac.points, (*where, "points"))
        return
    if mac.intercept is None or mac.slope is None:
        missing = "intercept" if mac.intercept is None else "slope"
        yield Problem(where, f"`{missing}` is missing: give `intercept` and `slope`, "
                             "or `points: [[abatement, price], …]`")
        return
    if mac.slope == 0 and mac.max_abatement is None:
        yield Problem((*where, "slope"),
                      "a zero slope is a flat curve: say how much can be abated at that "
                      "cost with `max_abatement`")


def _points_problems(points: list[tuple[float, float]], where: Path) -> Iterator[Problem]:
    if len(points) < 2:
        yield Problem(where, "give at least two points [abatement, price]")
        return
    if points[0][0] != 0:
        yield Problem((*where, 0), f"the first point must be at zero abatement "
                                   f"(got [{points[0][0]:g}, {points[0][1]:g}])")
    for k, (q, p) in enumerate(points):
        if q < 0 or p < 0:
            yield Problem((*where, k), "abatement and price cannot be negative "
                                       "(abatement that pays for itself belongs in bau)")
            return
        if k == 0:
            continue
        q0, p0 = points[k - 1]
        if q < q0 or p < p0 or (q, p) == (q0, p0):
            yield Problem((*where, k),
                          f"points must increase: [{q:g}, {p:g}] follows [{q0:g}, {p0:g}]; "
                          "list them by growing abatement, with prices that never fall")
            return


def _feasibility_problems(system: System, where: Path) -> Iterator[Problem]:
    if system.unlimited_supply:
        return
    needed = system.required_abatement
    reach = system.max_abatement
    extra = 0.0
    if system.offsets is not None:
        extra += system.offsets.limit
    if system.reserve is not None:
        extra += system.reserve.volume
    if needed > reach + extra + 1e-12 * max(1.0, system.bau):
        fallback = f" plus {extra:g} from offsets and the reserve" if extra else ""
        yield Problem(
            (*where, "cap"),
            f"the cap ({system.cap:g}) needs {needed:g} of abatement, but '{system.id}' can "
            f"abate at most {reach:g}{fallback}, and has no price ceiling or buy-out penalty "
            "to fall back on: raise the cap, or extend the curve (mac.max_abatement or points)",
        )


def link_pair(link: RestrictedLink, ids: list[str]) -> Pair | None:
    """The two systems a restricted link joins, if it names them (or there are only two)."""
    named: list[str] = []
    if link.between is not None:
        named = list(link.between)
    else:
        named = [name for name in _named_ids(link) if name is not None]
    if len(set(named)) == 2:
        return named[0], named[1]
    if len(ids) == 2 and len(set(named)) <= 1 and (not named or named[0] in ids):
        return ids[0], ids[1]
    return None


def _named_ids(link: RestrictedLink) -> list[str | None]:
    if isinstance(link, (OneWayLink, ExchangeRateLink)):
        return [link.from_, link.to]
    if isinstance(link, QuotaLink):
        return [link.from_, link.into]
    return []


def _id_fields(link: RestrictedLink) -> Iterator[tuple[Path, str]]:
    if isinstance(link, (OneWayLink, ExchangeRateLink)):
        yield ("from",), link.from_
        yield ("to",), link.to
    if isinstance(link, QuotaLink):
        if link.into is not None:
            yield ("into",), link.into
        if link.from_ is not None:
            yield ("from",), link.from_
    if link.between is not None:
        for k, name in enumerate(link.between):
            yield ("between", k), name


def _link_problems(scenario: Scenario, known: set[str]) -> Iterator[Problem]:
    ids = [s.id for s in scenario.systems]
    link = scenario.link
    entries: list[tuple[Path, Any]] = []
    if not isinstance(link, FullLink):
        if scenario.restrictions:
            yield Problem(("restrictions",), "restrictions apply to a full link: set "
                                            "`link: {type: full}` and list the restricted pairs")
        if len(ids) > 2:
            yield Problem(("link", "type"),
                          f"with {len(ids)} systems, link them with `{{type: full}}` and list "
                          "restricted pairs under `restrictions:`")
            return
        if len(ids) == 1:
            yield Problem(("link",), "there is only one system, so nothing to link: remove "
                                     "`link:` or add the partner's system")
            return
        entries.append((("link",), link))
    for k, restriction in enumerate(scenario.restrictions):
        if isinstance(restriction, FullLink):
            yield Problem(("restrictions", k, "type"),
                          "a restriction is one_way, quota, exchange_rate or fee "
                          "(pairs not listed are fully linked already)")
            continue
        entries.append((("restrictions", k), restriction))
    seen: dict[frozenset[str], Path] = {}
    for where, entry in entries:
        bad = False
        for sub, name in _id_fields(entry):
            if name not in known:
                yield Problem((*where, *sub),
                              f"unknown system '{name}'" + did_you_mean(name, known)
                              + f"; the systems are {', '.join(ids)}")
                bad = True
        if bad:
            continue
        yield from _entry_problems(entry, where)
        pair = link_pair(entry, ids)
        if pair is None:
            yield Problem(where, "name the two systems this applies to, e.g. "
                                 "`between: [a, b]`")
            continue
        if pair[0] == pair[1]:
            yield Problem(where, f"a link joins two different systems, not '{pair[0]}' "
                                 "with itself")
            continue
        key = frozenset(pair)
        if key in seen:
            yield Problem(where, f"the pair {pair[0]}–{pair[1]} is already restricted at "
                                 + ".".join(str(p) for p in seen[key]))
        seen[key] = where


def _entry_problems(entry: RestrictedLink, where: Path) -> Iterator[Problem]:
    names = _named_ids(entry)
    if isinstance(entry, QuotaLink) and entry.into is None and entry.from_ is None:
        yield Problem(where, "a quota needs `into: <system>` (limit on units flowing in) "
                             "or `from: <system>` (limit on units flowing out)")
    if entry.between is not None:
        extra = {n for n in names if n is not None} - set(entry.between)
        if extra:
            yield Problem((*where, "between"),
                          f"'{sorted(extra)[0]}' is named in the link but not in `between`")
