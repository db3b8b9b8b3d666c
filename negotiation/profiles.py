"""System profiles: one jurisdiction's ETS as named, sourced parameters.

A profile stores plain values under `parameters:` (nested: `offsets:
{limit_pct: 8}`) and their provenance in a parallel `sources:` map keyed by
dotted name (`offsets.limit_pct: {note, as_of, verified}`). Figures change
over the years (the EU's linear reduction factor went from 1.74 % to 2.2 %
in 2021), so a profile may carry a `timeline:` of dated overlays; a session
that says which year it describes sees the figures of that year.

`null` always means *not known*. A system that has no such feature says so
as a fact: `none` for a price it does not set (a floor, a ceiling, an auction
reserve price) and for a sharing rule it does not allow, `false` for a
yes/no feature, `[]` for a list. The two must never be confused: a clause
that assumes "no party has a floor" holds for a party whose profile says
`none`, and only asks for confirmation of one whose profile says `null`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from functools import cache
from importlib import resources
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainValidator
from pydantic_core import PydanticCustomError

from negotiation.errors import LinkwrightError, did_you_mean
from negotiation.yamlload import Document, parse_text, validate

NONE = "none"
"""What a profile says of a feature the system does not have (no floor, no borrowing).

`negotiation.premises.NONE` is the same word: the premises read profiles."""

Sharing = Literal["allowed", "limited", "none"]


def _price(value: Any) -> float | str | None:
    """One message for every wrong price, instead of one per member of the union."""
    if value is None or value == NONE:
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) \
            and math.isfinite(value) and value >= 0:
        return float(value)
    raise PydanticCustomError(
        "price", "{value} is no price: give an amount of at least 0, `none` (the system "
        "sets no such price) or null (not known)", {"value": repr(value)})


Price = Annotated[float | Literal["none"] | None, PlainValidator(_price)]
"""A price a system may or may not set: the amount, `none` (it sets none), or
`None` (not known)."""

_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[A-Z]{2})?")


def _language_code(value: str) -> str:
    if not _LANGUAGE_CODE.fullmatch(value):
        raise PydanticCustomError(
            "language_code", "'{value}' is no language code: write the language's code "
            "(`fr`, `mi`), with its region where usage differs (`fr-CH`)", {"value": value})
    return value


LanguageCode = Annotated[str, AfterValidator(_language_code)]
"""A language as a code, with a region where usage differs: `fr`, `fr-CH`, `mi`."""


class _Strict(BaseModel):
    # Validators are built on first use (a run served by the cache validates only the
    # parties' figures), not all at import.
    model_config = ConfigDict(extra="forbid", defer_build=True)


class Coverage(_Strict):
    sectors: list[str] | None = None
    gases: list[str] | None = None
    threshold: str | None = None


class Offsets(_Strict):
    allowed: bool | None = None
    limit_pct: float | None = Field(default=None, ge=0, le=100)
    eligible: list[str] | None = None


class Auctions(_Strict):
    reserve_price: Price = None


class Penalty(_Strict):
    per_tonne: float | None = Field(default=None, ge=0)
    make_good: bool | None = None


class Mrv(_Strict):
    standard: str | None = None
    reporting_since: int | None = None


class Verification(_Strict):
    accreditation: str | None = None
    third_party: bool | None = Field(
        default=None, description="are emissions reports verified by accredited third "
        "parties? A recognition of the other side's verification rests on it")


class Legislation(_Strict):
    """The law a system rests on, by official names: Annex I states each essential
    criterion by reference to it, so a name nobody verified stays null (the annex then
    brackets the cell) rather than being guessed.

    `acts` are the full names the annex's introduction lists; `cited_as` is how a cell
    cites them together; the other fields cite the provisions of one element
    ("Article 16 of Directive 2003/87/EC"), and a cell falls back to `cited_as`."""

    acts: list[str] | None = None
    cited_as: str | None = None
    coverage: str | None = None
    cap: str | None = None
    allocation: str | None = None
    offsets: str | None = None
    auctions: str | None = None
    market_stability: str | None = None
    penalties: str | None = None
    mrv: str | None = None
    verification: str | None = None
    registry: str | None = None


class SystemParameters(_Strict):
    """Every named parameter of a system; `None` means not known."""

    jurisdiction: str | None = None
    level: Literal["national", "supranational", "subnational"] | None = None
    participation: Literal["mandatory", "voluntary"] | None = None
    cap_type: Literal["absolute", "intensity"] | None = None
    currency: str | None = None
    cap_mt: float | None = Field(default=None, ge=0)
    cap_year: int | None = None
    annual_reduction_pct: float | None = None
    coverage: Coverage = Coverage()
    allocation: str | None = None
    offsets: Offsets = Offsets()
    banking: Sharing | None = None
    borrowing: Sharing | None = None
    price_floor: Price = None
    price_ceiling: Price = None
    cost_containment_reserve: bool | None = None
    market_stability_reserve: bool | None = None
    auctions: Auctions = Auctions()
    penalty: Penalty = Penalty()
    mrv: Mrv = Mrv()
    verification: Verification = Verification()
    registry: str | None = None
    compliance_period_years: int | None = Field(default=None, ge=1)
    oversight_authority: str | None = None
    links: list[str] | None = None
    operational_since: int | None = None
    price_history: bool | None = None
    languages: list[LanguageCode] | None = Field(
        default=None, description="the official languages in which the jurisdiction "
        "legislates: what the instrument's languages clause proposes")
    legislation: Legislation = Legislation()

    def get(self, dotted: str) -> Any:
        """The value of a dotted parameter name (`offsets.limit_pct`)."""
        value: Any = self
        for part in dotted.split("."):
            value = getattr(value, part)
        return value

    # A floor holds the price up by a hard floor or, where auctions have a reserve
    # price, as far as the auctions reach: the checks and the advice compare either.

    def floor_parameter(self) -> str | None:
        """Which parameter sets the system's floor: its hard floor where it has one, else
        its auction reserve price; None when neither is a known amount."""
        if amount(self.price_floor) is not None:
            return "price_floor"
        if amount(self.auctions.reserve_price) is not None:
            return "auctions.reserve_price"
        return None

    def floor(self) -> float | None:
        """The amount of the system's floor (hard floor, else auction reserve price)."""
        parameter = self.floor_parameter()
        return None if parameter is None else amount(self.get(parameter))

    def sets_no_floor(self) -> bool:
        """Whether the profile says, as a fact, that the system has neither a floor nor an
        auction reserve price (not merely that neither is known)."""
        return self.price_floor == NONE and self.auctions.reserve_price == NONE


class Source(_Strict):
    """Where a figure comes from. `verified: false` says it was not confirmed."""

    note: str
    as_of: dt.date | int | None = None
    verified: bool = True


class TimelineEntry(_Strict):
    parameters: dict[str, Any] = {}
    sources: dict[str, Source] = {}


class PartyName(_Strict):
    name: str = Field(description="as in a treaty title: 'the Swiss Confederation'")
    short: str = Field(description="as in running text: 'Switzerland'")


NameForms = dict[str, str]
"""A name in one language with its grammatical forms: `name` ("la Suisse"), and those the
language needs ("de": "de la Suisse", "a": "à la Suisse"; German "gen", "dat", "acc"),
plus `short` for running text."""


class NamesIn(_Strict):
    """A party and its system as one language writes them."""

    party: NameForms
    system: NameForms | None = None
    legislation: dict[str, str] = Field(
        default={}, description="the legislation's citations (as the profile gives them in "
        "English) as this language cites them: 'Directive 2003/87/EC' -> 'directive "
        "2003/87/CE'")
    proper_names: dict[str, str] = Field(
        default={}, description="the profile's other names as this language writes them "
        "(its `registry`, its `oversight_authority`): English -> that language's")


class SystemProfile(_Strict):
    """A system profile as stored; `resolve(year)` gives its figures for a year."""

    id: str
    name: str
    short_name: str
    party: PartyName
    translations: dict[LanguageCode, NamesIn] = Field(
        default={}, description="the party and the system as each other language writes "
        "them, with the forms its grammar needs")
    historical: bool = False
    summary: str = ""
    parameters: dict[str, Any]
    sources: dict[str, Source] = {}
    timeline: dict[int, TimelineEntry] = {}
    economics: dict[str, Any] | None = None


@cache
def _parameter_names() -> tuple[str, ...]:
    names: list[str] = []
    for name, info in SystemParameters.model_fields.items():
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            names.extend(f"{name}.{sub}" for sub in annotation.model_fields)
        else:
            names.append(name)
    return tuple(names)


def parameter_names() -> list[str]:
    """Every dotted parameter name a profile knows, in declaration order."""
    return list(_parameter_names())


def amount(value: float | str | None) -> float | None:
    """The number of a price that may be absent, for arithmetic: None both when the
    system sets none and when it is not known. A rule that must tell those two apart
    (one is a fact, the other asks for confirmation) reads the value itself."""
    if value is None or value == NONE or isinstance(value, bool):
        return None
    return float(value)


def none_value(dotted: str) -> Any:
    """How a profile says the system has no such feature, for a parameter where that is
    a real state: `none` for a price or a sharing rule, `False` for a yes/no feature,
    `[]` for a list. None where the parameter cannot be absent (every system has a
    penalty; only its level may be unknown), so that "none" is never read into it."""
    annotation: Any = SystemParameters
    for part in dotted.split("."):
        annotation = annotation.model_fields[part].annotation
    kinds = _flatten_annotation(annotation)
    if NONE in kinds:
        return NONE
    if bool in kinds:
        return False
    if list in kinds:
        return []
    return None


def _flatten_annotation(annotation: Any) -> set[Any]:
    """The plain types and literal values an annotation allows (`float | Literal['none']
    | None` -> {float, 'none', NoneType}); a `list[...]` counts as `list`."""
    origin = get_origin(annotation)
    if origin is list:
        return {list}
    if origin is Literal:
        return set(get_args(annotation))
    if origin is Annotated:
        return _flatten_annotation(get_args(annotation)[0])
    if get_args(annotation):
        return set().union(*(_flatten_annotation(a) for a in get_args(annotation)))
    return {annotation}


def deep_merge(base: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    """`overlay` over `base`, recursing into nested mappings."""
    merged = dict(base)
    for key, value in overlay.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def flatten(nested: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """`{offsets: {limit_pct: 8}}` -> `{'offsets.limit_pct': 8}`."""
    flat: dict[str, Any] = {}
    for key, value in nested.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


def nest(dotted: str, value: Any) -> dict[str, Any]:
    """`'offsets.limit_pct', 4` -> `{offsets: {limit_pct: 4}}`."""
    result: dict[str, Any] = {}
    cursor = result
    parts = dotted.split(".")
    for part in parts[:-1]:
        cursor = cursor.setdefault(part, {})
    cursor[parts[-1]] = value
    return result


class ResolvedSystem(BaseModel):
    """A profile's figures for one year, with their sources."""

    model_config = ConfigDict(frozen=True)

    profile: SystemProfile
    year: int | None
    parameters: SystemParameters
    sources: dict[str, Source]

    @property
    def id(self) -> str:
        return self.profile.id


def resolve(profile: SystemProfile, year: int | None,
            overrides: dict[str, Any] | None = None,
            override_sources: dict[str, Source] | None = None) -> ResolvedSystem:
    """The profile's parameters for `year` (latest if None), then `overrides`."""
    values = dict(profile.parameters)
    sources = dict(profile.sources)
    for entry_year in sorted(profile.timeline):
        if year is not None and entry_year > year:
            break
        entry = profile.timeline[entry_year]
        values = deep_merge(values, entry.parameters)
        sources.update(entry.sources)
    if overrides:
        values = deep_merge(values, overrides)
        for name in flatten(overrides):
            sources[name] = (override_sources or {}).get(
                name, Source(note="set in this session", verified=False)
            )
    parameters = SystemParameters.model_validate(values)
    return ResolvedSystem(profile=profile, year=year, parameters=parameters, sources=sources)


def _check_profile(profile: SystemProfile, doc: Document) -> None:
    known = set(parameter_names())
    for where, names in [(("sources",), profile.sources.keys())] + [
        (("timeline", y, "sources"), e.sources.keys()) for y, e in profile.timeline.items()
    ]:
        for name in names:
            if name not in known:
                raise doc.error((*where, name), f"source for unknown parameter '{name}'"
                                + did_you_mean(name, known))
    validate(SystemParameters, doc, profile.parameters, ("parameters",))
    merged = dict(profile.parameters)
    for entry_year in sorted(profile.timeline):
        merged = deep_merge(merged, profile.timeline[entry_year].parameters)
        validate(SystemParameters, doc, merged, ("timeline", entry_year, "parameters"))


def load_profile_text(text: str, file: str) -> SystemProfile:
    doc = parse_text(text, file)
    profile = validate(SystemProfile, doc)
    _check_profile(profile, doc)
    return profile


@cache
def builtin_profiles() -> dict[str, SystemProfile]:
    """The built-in system profiles, by id (kept in the user's cache between runs,
    keyed by these very files: see negotiation.cache)."""
    from negotiation.cache import cached, fingerprints

    folder = resources.files("negotiation") / "systems"
    files = [(entry, f"systems/{entry.name}")
             for entry in sorted(folder.iterdir(), key=lambda e: e.name)
             if entry.name.endswith(".yaml")]
    return cached("profiles", fingerprints(files), lambda: _profiles_from(
        [(entry.read_text("utf-8"), name) for entry, name in files]), dict)


def _profiles_from(texts: list[tuple[str, str]]) -> dict[str, SystemProfile]:
    profiles: dict[str, SystemProfile] = {}
    for text, file in texts:
        profile = load_profile_text(text, file)
        profiles[profile.id] = profile
    return profiles


def get_profile(system_id: str) -> SystemProfile:
    profiles = builtin_profiles()
    if system_id not in profiles:
        raise LinkwrightError(
            f"unknown system profile '{system_id}'" + did_you_mean(system_id, profiles)
            + "; see `linkwright systems`"
        )
    return profiles[system_id]
