"""Sessions: one negotiation as a YAML file, and the loaded `Negotiation`.

The session file (shape fixed in DESIGN, step 2) is shared between
delegations and kept in git, so it holds only what the parties decided and
said: parties and overrides, linkage, form, provisions, positions,
conditions. Per-user state (recent files, where the user was) lives in the
user's state directory, never here.

Loading is where every id and every value the file gives is checked: a
party's system, a provision, a clause, a parameter name and its value (type
and declared bounds), a library folder, the round and the years. A wrong id
or value stops the load with the file, line and column, because a value that
passed here would reach the draft: another delegation's file is untrusted
input. Values the file does not give (a profile's figure behind a clause's
`default_from`) are left to the checks, which report them as findings the
negotiator can fix.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from negotiation import currency
from negotiation.errors import LinkwrightError, did_you_mean
from negotiation.languages import proposed_languages
from negotiation.library import (
    Clause,
    Form,
    Library,
    LinkageType,
    Param,
    Provision,
    load_library,
)
from negotiation.profiles import (
    NONE,
    LanguageCode,
    ResolvedSystem,
    Source,
    get_profile,
    resolve,
)
from negotiation.yamlload import Document, parse_text, read_file, validate, validation_error

SCHEMA_VERSION = 1

# -- values a file gives, checked where they are written ---------------------------

FIRST_YEAR, LAST_YEAR = 1990, 2100
"""Years a negotiation speaks of: from 1990 (the Kyoto base year, before any ETS)
to 2100 (the horizon of the longest targets). A date outside them is a typo or a
hostile file, and would only fail later, in a date filter or a writer."""

LAST_ROUND = 999
"""Negotiating rounds are counted from 1; a thousand rounds is no negotiation."""


def year_problem(year: int) -> str | None:
    """Why `year` is no year a negotiation speaks of, or None."""
    if FIRST_YEAR <= year <= LAST_YEAR:
        return None
    return f"the year {year} is not between {FIRST_YEAR} and {LAST_YEAR}; check it"


def date_problem(date: dt.date) -> str | None:
    """Why `date` is no date a negotiation speaks of, or None. The TUI's dialogs
    ask this too, so that they refuse a date in the words the loader would."""
    if FIRST_YEAR <= date.year <= LAST_YEAR:
        return None
    return (f"the date {date.isoformat()} is not between the years {FIRST_YEAR} and "
            f"{LAST_YEAR}; check its year")


def round_problem(number: int) -> str | None:
    """Why `number` is no round's number, or None (it heads every draft: "Round 3")."""
    if 1 <= number <= LAST_ROUND:
        return None
    return f"a round is numbered from 1 to {LAST_ROUND}, not {number}"


def _refuse_with(problem: Callable[[Any], str | None]) -> Any:
    """A pydantic validator that refuses a value in `problem`'s words (one message
    for the loader and the dialogs, located at the value's line by `validation_error`)."""

    def check(value: Any) -> Any:
        why = problem(value)
        if why is not None:
            raise PydanticCustomError("out_of_range", why)
        return value

    return AfterValidator(check)


NegotiationDate = Annotated[dt.date, _refuse_with(date_problem)]
NegotiationYear = Annotated[int, _refuse_with(year_problem)]
RoundNumber = Annotated[int, _refuse_with(round_problem)]


def value_problem(param: Param, value: Any) -> str | None:
    """Why a value a file gives for `param` does not fit it, in one short line.

    `Param.problem` says what is wrong; the value it quotes is shown by its kind
    when it is a mapping or a list (it could be a whole file's worth) and clipped
    when it is long text, so that the message stays one line a user can read."""
    if isinstance(value, float) and not math.isfinite(value):
        # .nan compares false with any bound, so `problem` would let it through.
        return f"is {_kind_of(value)}, not a finite number"
    problem = param.problem(value)
    if problem is None:
        return None
    quoted = f"'{value}'"
    if quoted in problem:
        problem = problem.replace(quoted, _kind_of(value), 1)
    return " ".join(problem.split())


def _kind_of(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true" if value else "false"  # as YAML writes it, not Python's True
    if isinstance(value, float) and not math.isfinite(value):
        return {"nan": ".nan", "inf": ".inf", "-inf": "-.inf"}[str(value)]
    text = " ".join(str(value).split())
    return f"'{text}'" if len(text) <= 40 else f"'{text[:40]}…'"


class _Strict(BaseModel):
    # Built on first use (the session's own schema includes these), not at import.
    model_config = ConfigDict(extra="forbid", defer_build=True)


class Round(_Strict):
    number: RoundNumber
    date: NegotiationDate


class PartySpec(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_-]{0,31}$")
    system: str
    name: str | None = Field(default=None, description="replaces the profile's party name")
    names: dict[LanguageCode, dict[str, str]] = Field(
        default={}, description="`name` in other languages, with the forms their grammar "
        "needs: {fr: {name: le gouvernement du Québec, de: du …, a: au …}}")
    overrides: dict[str, Any] = {}
    sources: dict[str, Source] = {}


class Linkage(_Strict):
    type: LinkageType
    recognising: str | None = None


class ClauseChoice(_Strict):
    """A clause and its parameter values: a decision, or a party's position."""

    clause: str
    params: dict[str, Any] = {}


class ProposedText(_Strict):
    """A party's own proposed text: plain text, shown literally, never a template."""

    text: str = Field(min_length=1, max_length=20_000)
    translations: dict[LanguageCode, str] = Field(
        default={}, description="the same proposal in the instrument's other languages, "
        "shown literally in those versions")


Decision = Literal["open"] | ClauseChoice
Origin = Literal["given", "profile", "default", "missing"]
Position = ClauseChoice | ProposedText


class Condition(_Strict):
    party: str
    what: str = Field(min_length=1)
    by: NegotiationDate | None = None
    translations: dict[LanguageCode, str] = Field(
        default={}, description="`what` in the instrument's other languages")


class SessionVersion(_Strict):
    """The session's own words in one of the instrument's other languages."""

    title: str | None = Field(default=None, min_length=1, max_length=500)
    short_title: str | None = None
    marking: str | None = None
    instrument_name: str | None = Field(default=None, min_length=1, max_length=60)
    instrument_gender: Literal["m", "f", "n"] | None = None
    values: dict[str, str] = Field(
        default={}, description="the session's free-text values (a forum, a depositary) as "
        "this language writes them: {the Permanent Court of Arbitration: la Cour "
        "permanente d'arbitrage}")


MAX_NOTE = 2_000
"""A note on an acknowledged finding says why in a sentence or a paragraph; a page is
an internal memo, which belongs in `notes:`."""

MAX_ABOUT = 4_000
"""A finding's message is one line; four thousand characters hold the longest (a list
of every party's figures) with room to spare."""


def _one_line(value: str) -> str:
    """Whitespace as a reader sees it: a message folded over lines by YAML, or copied
    with other spacing, still matches the finding it was copied from."""
    return " ".join(value.split())


def _written(limit: int, longer: str) -> Any:
    """A validator for text a person writes: put on one line, refused when blank or
    longer than `limit` (with where the longer text belongs)."""

    def check(value: str) -> str:
        text = _one_line(value)
        if not text:
            raise PydanticCustomError("blank", "is blank: write it out")
        if len(text) > limit:
            raise PydanticCustomError("too_long", f"holds {len(text):,} characters, more "
                                      f"than {limit:,}: {longer}")
        return text

    return AfterValidator(check)


_RULE_ID = re.compile(r"[a-z][a-z0-9_]*(?:[.-][a-z0-9_]+)*")
_TOPIC_ID = re.compile(r"[a-z][a-z0-9_]*")


def _id_like(pattern: re.Pattern[str], kind: str, example: str) -> Any:
    """A validator refusing a value that cannot be a `kind` id, with an example."""

    def check(value: str) -> str:
        if len(value) > 80 or not pattern.fullmatch(value):
            raise PydanticCustomError(
                "id_shape", f"{{value}} is not a {kind} id, which looks like {example} "
                "(copy it from `linkwright check`)", {"value": _kind_of(value)})
        return value

    return AfterValidator(check)


def _open_or_closed(value: Any) -> Any:
    """`open_to_accession` takes YAML's true or false, not a word that might mean either."""
    if value is None or isinstance(value, bool):
        return value
    raise PydanticCustomError("true_or_false", "write true (further systems may join) or "
                              "false (they may not)")


class Acknowledgement(_Strict):
    """A warning a delegation accepts knowingly, with the note saying why.

    It names the rule and the topic the finding is under, and what the finding said
    (`about`: its message when it was acknowledged). Matching the message, not only
    the rule, is what makes an acknowledged finding come back when what it was about
    changes: a message names the values, parties and clauses involved, so another
    value or another clause gives another message, which this entry no longer
    matches. The finding is open again, and the entry is reported as stale until
    someone looks at it again. Errors cannot be acknowledged (the checks say so)."""

    rule: Annotated[str, _id_like(_RULE_ID, "rule", "offsets.limit-differs")]
    topic: Annotated[str, _id_like(_TOPIC_ID, "topic", "offsets")]
    about: Annotated[str, _written(MAX_ABOUT, "copy the finding's message only")]
    note: Annotated[str, _written(MAX_NOTE, "keep the reason short and put the rest in "
                                            "`notes:`")]

    @model_validator(mode="before")
    @classmethod
    def _note_required(cls, data: Any) -> Any:
        # Said before the generic "required key is missing": the note is the point.
        if isinstance(data, dict) and "note" not in data:
            raise PydanticCustomError(
                "note_missing", "an acknowledged finding needs a `note:` saying why the "
                "delegation accepts it")
        return data

    def matches(self, rule: str, topic: str, message: str) -> bool:
        return (self.rule, self.topic, self.about) == (rule, topic, _one_line(message))


MAX_RATE = 1_000_000
"""The widest real ratio between two currencies is a few thousand (won per euro); a
rate beyond a million is a typo, and would turn amounts into overflowing figures."""


class CurrencyRates(BaseModel):
    """Units of the reporting currency per unit of each currency, as of a date."""

    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, float] = Field(init=False)  # type: ignore[assignment]

    as_of: NegotiationDate

    @property
    def rates(self) -> dict[str, float]:
        return dict(self.__pydantic_extra__ or {})


class Session(_Strict):
    """A session file as stored."""

    linkwright: int
    title: str = Field(min_length=1, max_length=500)
    short_title: str | None = None
    year: NegotiationYear | None = Field(default=None,
                                         description="the year whose figures the profiles use")
    round: Round | None = None
    marking: str = ""
    hypothetical: bool = Field(default=False, description="an illustration, not a real "
                               "negotiation: the brief's cover says so, the instrument never")
    instrument_name: str | None = Field(
        default=None, min_length=1, max_length=60, pattern=r"^[A-Z][A-Za-z ]*$",
        description="what the instrument calls itself when its form's usual name does not "
                    "fit: the 2013 California-Quebec text is a non-binding 'Agreement'")
    style: Literal["eu-agreement", "treaty", "north-american", "au-instrument",
                   "regulation"] | None = Field(
        default=None, description="the house style the instrument is drafted in; absent: "
        "the one its parties and form call for (negotiation/drafting/styles.py)")
    languages: list[LanguageCode] | None = Field(
        default=None, max_length=60, description="the instrument's authentic languages, by "
        "code; a region says whose usage a version follows (`fr-CA`: Québec's); absent: "
        "proposed from the parties' profiles and the house style")
    versions: dict[LanguageCode, SessionVersion] = Field(
        default={}, description="the title, marking and instrument name in each other "
        "language, keyed as in `languages`")
    parties: list[PartySpec] = Field(min_length=1)
    linkage: Linkage
    form: Form
    open_to_accession: Annotated[bool | None, BeforeValidator(_open_or_closed)] = Field(
        default=None, description="whether further systems may join the instrument; "
        "absent: a multilateral link is open, a bilateral or one-way link is not")
    reporting_currency: str = "EUR"
    currency_rates: CurrencyRates | None = None
    libraries: list[str] = []
    provisions: dict[str, Decision] = {}
    positions: dict[str, dict[str, Position]] = {}
    conditions: list[Condition] = []
    acknowledged: list[Acknowledgement] = Field(default=[], max_length=1_000)
    delegation: str | None = Field(default=None, description="whose file this is: one of "
                                   "its parties, or `chair`; our changes are attributed to it")
    previous: str | None = Field(default=None, min_length=1, max_length=1_000, description=
                                 "the round this one is compared with: a closed round "
                                 "(`rounds/2`), a session file, or `git:REV:path`")
    notes: str = ""


# -- migrations ---------------------------------------------------------------

MIGRATIONS: dict[int, Any] = {}
"""from-version -> function(data) -> data of the next version. Version 1 has none yet."""


def _migrate(doc: Document) -> Any:
    data = doc.data
    if not isinstance(data, dict):
        raise doc.error((), "a session file must be a mapping (keys such as title:, parties:)")
    version = data.get("linkwright")
    if version is None:
        raise doc.error((), "not a Linkwright session: the first key should be `linkwright: 1`")
    if not isinstance(version, int) or isinstance(version, bool):
        raise doc.error(("linkwright",), "`linkwright:` must be a whole number (the schema "
                        "version)")
    if version < 1:
        raise doc.error(("linkwright",), f"`linkwright: {version}` names no schema version; "
                        f"sessions start at version 1 (this Linkwright writes {SCHEMA_VERSION})")
    if version > SCHEMA_VERSION:
        raise doc.error(("linkwright",), f"this session uses schema version {version}, newer "
                        f"than this Linkwright understands ({SCHEMA_VERSION}); upgrade "
                        "Linkwright to open it")
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
    return data


# -- the loaded negotiation ----------------------------------------------------

ACCESSION_TOPIC = "accession"
"""The topic whose provisions say how a further system joins: asked only when the link
is open to further systems (`Negotiation.open_to_accession`)."""



@dataclass
class Negotiation:
    """A session with its library and the parties' systems resolved: what checks
    and drafts work on."""

    session: Session
    library: Library
    systems: dict[str, ResolvedSystem]
    path: Path | None = None
    doc: Document | None = None
    _chosen: dict[str, tuple[Clause, dict[str, Any]]] | None = field(default=None, repr=False)
    memo: dict[str, Any] = field(default_factory=dict, repr=False)
    """Derived results (the economics, say) computed once per state of the session."""

    # parties ---------------------------------------------------------------
    @property
    def party_ids(self) -> list[str]:
        return [p.id for p in self.session.parties]

    def party_spec(self, party_id: str) -> PartySpec:
        return next(p for p in self.session.parties if p.id == party_id)

    def party_name(self, party_id: str) -> str:
        spec = self.party_spec(party_id)
        return spec.name or self.systems[party_id].profile.party.name

    def party_short(self, party_id: str) -> str:
        spec = self.party_spec(party_id)
        return spec.name or self.systems[party_id].profile.party.short

    def recognising(self) -> str | None:
        return self.session.linkage.recognising

    def recognised(self) -> str | None:
        if self.session.linkage.type != "unilateral" or not self.recognising():
            return None
        return next((p for p in self.party_ids if p != self.recognising()), None)

    def rates(self) -> currency.Rates:
        return currency.rates_for(self.session)

    # provisions --------------------------------------------------------------
    @property
    def form(self) -> str:
        return self.session.form

    @property
    def linkage(self) -> str:
        return self.session.linkage.type

    def open_to_accession(self) -> bool:
        """Whether further systems may join this instrument: as the session says
        (`open_to_accession:`), else as the linkage implies. A multilateral link is
        open (its parties expect others to follow); a bilateral one is not: a further
        system joins it by a new agreement among all, as Ontario joined California and
        Québec. A one-way link is the recognising party's own act: nothing accedes."""
        if self.linkage == "unilateral":
            return False
        said = self.session.open_to_accession
        return said if said is not None else self.linkage == "multilateral"

    def relevant_provisions(self) -> list[Provision]:
        """Provisions the draft needs decided: they fit this form and linkage, any
        `only_if` clause they depend on is chosen, and no `unless` clause is (nothing
        else is asked); accession only when the link is open to further systems."""
        if "relevant" not in self.memo:  # asked for every paragraph and row of a draft
            self.memo["relevant"] = self._relevant_provisions()
        return list(self.memo["relevant"])

    def _relevant_provisions(self) -> list[Provision]:
        provisions = self.library.relevant_provisions(self.form, self.linkage)
        if not self.open_to_accession():
            provisions = [p for p in provisions if p.topic != ACCESSION_TOPIC]
        if not any(p.only_if or p.unless for p in provisions):
            return provisions
        chosen = self.chosen_clause_ids()
        return [p for p in provisions if p.needed(chosen)]

    def decision(self, provision_id: str) -> ClauseChoice | None:
        value = self.session.provisions.get(provision_id)
        return value if isinstance(value, ClauseChoice) else None

    def positions_on(self, provision_id: str) -> dict[str, Position]:
        return {pid: by_party[provision_id]
                for pid, by_party in self.session.positions.items()
                if provision_id in by_party}

    def agreed_by_positions(self, provision_id: str) -> ClauseChoice | None:
        """Every party supports the same clause and values: agreed, though not recorded."""
        positions = self.positions_on(provision_id)
        if len(positions) != len(self.party_ids):
            return None
        values = list(positions.values())
        first = values[0]
        if isinstance(first, ClauseChoice) and all(v == first for v in values):
            return first
        return None

    def parameter_values(self, clause: Clause, given: dict[str, Any]) -> dict[str, Any]:
        """The clause's parameters: given values, else the parties' shared
        profile value (`default_from`), else the clause default."""
        return {name: value for name, (value, _) in
                self.parameter_origins(clause, given).items()}

    def parameter_origins(self, clause: Clause,
                          given: dict[str, Any]) -> dict[str, tuple[Any, Origin]]:
        """Each parameter's value and where it comes from.

        `given`: written in the session (a decision or a position); `profile`: the
        figure every party's system shares (`default_from`); `default`: the library's
        default, which nobody has confirmed; `missing`: no value at all (a
        `default_from` figure the parties do not share, and no default). Only the
        first two may stand in a draft as agreed text."""
        origins: dict[str, tuple[Any, Origin]] = {}
        for name, param in clause.params.items():
            if name in given:
                origins[name] = (given[name], "given")
                continue
            if param.default_from == "languages" and self.session.languages:
                # the session states the authentic languages: the clause reads that list
                from negotiation.languages import language_name

                named = list(dict.fromkeys(language_name(c) for c in self.session.languages))
                origins[name] = (named, "given")
                continue
            if param.default_from == "languages":
                # the parties' official languages together: a proposal, agreed only when
                # every party's list is the same
                lists = [s.parameters.languages for s in self.systems.values()]
                proposed = proposed_languages(lists)
                if proposed is not None:
                    alike = len({tuple(sorted(x or [])) for x in lists}) == 1
                    origins[name] = (proposed, "profile" if alike else "default")
                    continue
            elif param.default_from:
                shared = {_freeze(self._in_reporting(pid, param.type,
                                                     s.parameters.get(param.default_from)))
                          for pid, s in self.systems.items()}
                # `none` (the systems set no such price) is a fact, not a figure to print.
                if len(shared) == 1 and (only := next(iter(shared))) not in (None, NONE):
                    origins[name] = (only, "profile")
                    continue
            origins[name] = (param.default, "default" if param.default is not None
                             else "missing")
        return origins

    def unconfirmed(self) -> dict[str, list[str]]:
        """Provision id -> the parameters of its settled clause that nobody has
        confirmed (a library default, or no value), for provisions the draft needs."""
        if "unconfirmed" not in self.memo:
            self.memo["unconfirmed"] = self._unconfirmed()
        return {pid: list(names) for pid, names in self.memo["unconfirmed"].items()}

    def _unconfirmed(self) -> dict[str, list[str]]:
        needed = {p.id for p in self.relevant_provisions()}
        result: dict[str, list[str]] = {}
        for pid in needed:
            choice = self.decision(pid) or self.agreed_by_positions(pid)
            if choice is None:
                continue
            clause = self.library.clauses[choice.clause]
            names = [name for name, (_, origin) in
                     self.parameter_origins(clause, choice.params).items()
                     if origin in ("default", "missing")]
            if names:
                result[pid] = names
        return result

    def _in_reporting(self, party: str, kind: str, value: Any) -> Any:
        """A profile amount, in the session's reporting currency (money only)."""
        if kind != "money" or not isinstance(value, (int, float)) or isinstance(value, bool):
            return value
        code = self.systems[party].parameters.currency
        rates = self.rates()
        return round(rates.convert(value, code), 2) if rates.can_convert(code) else value

    def chosen(self) -> dict[str, tuple[Clause, dict[str, Any]]]:
        """Provision id -> (clause, parameter values) for every settled provision
        (decided in the session, or agreed in every party's position)."""
        if self._chosen is None:
            chosen: dict[str, tuple[Clause, dict[str, Any]]] = {}
            for pid in self.library.provisions:
                choice = self.decision(pid) or self.agreed_by_positions(pid)
                if choice is not None:
                    clause = self.library.clauses[choice.clause]
                    chosen[pid] = (clause, self.parameter_values(clause, choice.params))
            self._chosen = chosen
        return self._chosen

    def chosen_clause_ids(self) -> set[str]:
        return {clause.id for clause, _ in self.chosen().values()}

    def voice_for_topic(self, topic_id: str) -> Literal["binding", "nonbinding"]:
        if self.form == "memorandum":
            return "nonbinding"
        if self.form == "hybrid" and not self.library.topics[topic_id].core:
            return "nonbinding"
        return "binding"

    def invalidate(self) -> None:
        """Forget derived state after the session changed in place."""
        self._chosen = None
        self.memo.clear()


def _freeze(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


# -- loading -------------------------------------------------------------------


def _library_folders(session: Session, doc: Document, base: Path | None) -> list[Path]:
    """The session's library folders: only inside the session's own folder."""
    folders = []
    for index, name in enumerate(session.libraries):
        where = ("libraries", index)
        candidate = Path(name)
        if base is None:
            raise doc.error(where, "a preset cannot name library folders")
        if "\x00" in name:
            raise doc.error(where, "library folder name holds a NUL character")
        if candidate.is_absolute() or ".." in candidate.parts or not name.strip():
            raise doc.error(where, f"library folder '{name}' must be a folder inside the "
                            "session's own folder (no absolute path, no '..')")
        root = base.resolve()
        resolved = (base / candidate).resolve()
        if not resolved.is_relative_to(root):
            raise doc.error(where, f"library folder '{name}' leads outside the session's "
                            "folder (through a link); refusing to read it")
        if not resolved.is_dir():
            raise doc.error(where, f"library folder '{name}' not found next to the session")
        folders.append(resolved)
    return folders


def _check_rates(session: Session, doc: Document) -> None:
    """Every exchange rate is a positive, finite number, refused at its own line (the
    model's own bounds would point at `currency_rates:` only: currency codes are
    upper-case, which the error locator takes for pydantic's union tags)."""
    if session.currency_rates is None:
        return
    for code, rate in session.currency_rates.rates.items():
        if math.isfinite(rate) and 0 < rate <= MAX_RATE:
            continue
        raise doc.error(("currency_rates", code), f"currency_rates.{code}: a rate is the "
                        f"{session.reporting_currency} paid for one {code}, more than 0 and "
                        f"at most {MAX_RATE:,}, not "
                        f"{f'{rate:g}' if math.isfinite(rate) else _kind_of(rate)}")


def _check_ids(neg: Negotiation, doc: Document) -> None:
    session, library = neg.session, neg.library
    parties = set(neg.party_ids)
    seen: set[str] = set()
    for index, party in enumerate(session.parties):
        if party.id in seen:
            raise doc.error(("parties", index, "id"), f"party id '{party.id}' is used twice")
        seen.add(party.id)
    link = session.linkage
    count = len(session.parties)
    if link.type == "unilateral":
        if count != 2:
            raise doc.error(("linkage",), "a unilateral link has exactly two parties")
        if link.recognising not in parties:
            raise doc.error(("linkage", "recognising") if link.recognising else ("linkage",),
                            "a unilateral link names the party that recognises the other's "
                            f"units: `recognising:` one of {', '.join(sorted(parties))}")
    else:
        if link.recognising is not None:
            raise doc.error(("linkage", "recognising"), "`recognising:` belongs to a "
                            "unilateral link only")
        if link.type == "bilateral" and count != 2:
            raise doc.error(("linkage", "type"), f"a bilateral link has two parties, not "
                            f"{count}; use multilateral")
        if link.type == "multilateral" and count < 3:
            raise doc.error(("linkage", "type"), "a multilateral link has three or more parties")

    def check_choice(choice: Any, path: tuple[Any, ...], provision_id: str) -> None:
        if not isinstance(choice, ClauseChoice):
            return
        clause = library.clauses.get(choice.clause)
        if clause is None:
            raise doc.error((*path, "clause"), f"unknown clause '{choice.clause}'"
                            + did_you_mean(choice.clause, library.clauses))
        if clause.provision != provision_id:
            raise doc.error((*path, "clause"), f"clause '{choice.clause}' belongs to "
                            f"provision '{clause.provision}', not '{provision_id}'")
        for name, value in choice.params.items():
            where = (*path, "params", name)
            if name not in clause.params:
                raise doc.error(where, f"clause '{clause.id}' has no "
                                f"parameter '{name}'" + did_you_mean(name, clause.params)
                                + (f"; it has: {', '.join(clause.params)}"
                                   if clause.params else "; it takes none"))
            problem = value_problem(clause.params[name], value)
            if problem is not None:
                raise doc.error(where, f"{'.'.join(str(p) for p in where)}: {problem}")

    for pid, decision in session.provisions.items():
        if pid not in library.provisions:
            raise doc.error(("provisions", pid), f"unknown provision '{pid}'"
                            + did_you_mean(pid, library.provisions))
        check_choice(decision, ("provisions", pid), pid)
    for party_id, by_provision in session.positions.items():
        if party_id not in parties:
            raise doc.error(("positions", party_id), f"positions of unknown party "
                            f"'{party_id}'" + did_you_mean(party_id, parties))
        for pid, position in by_provision.items():
            if pid not in library.provisions:
                raise doc.error(("positions", party_id, pid), f"unknown provision '{pid}'"
                                + did_you_mean(pid, library.provisions))
            check_choice(position, ("positions", party_id, pid), pid)
    for index, condition in enumerate(session.conditions):
        if condition.party not in parties:
            raise doc.error(("conditions", index, "party"), f"condition for unknown party "
                            f"'{condition.party}'" + did_you_mean(condition.party, parties))
    if session.delegation is not None and session.delegation not in parties | {CHAIR}:
        raise doc.error(("delegation",), f"`delegation:` names whose file this is: one of "
                        f"{', '.join(sorted(parties))} or {CHAIR}, not "
                        f"{_kind_of(session.delegation)}")


CHAIR = "chair"
"""`delegation: chair`: the file is the chair's consolidated text, no party's."""


def previous_problem(value: str, base: Path | None) -> str | None:
    """Why `previous:` cannot name the round a session is compared with, or None.

    It is read from another delegation's file too, so it may name only a place inside
    the session's own folder (a closed round, a session file), or a file at a git
    revision whose revision cannot pass for an option of git."""
    if any(ord(c) < 32 or c == "\x7f" for c in value):
        return "holds a control character"
    in_git = value.startswith("git:")
    if in_git:
        rev, sep, path = value[4:].partition(":")
        if not sep or not rev or not path:
            return "a git revision is written git:REV:path (git:HEAD~1:session.yaml)"
        if rev.startswith("-"):
            return f"the revision '{rev}' starts with '-', which git would read as an option"
        value = path
    candidate = Path(value)
    if candidate.is_absolute() or ".." in candidate.parts:
        return (f"'{value}' must be inside the session's own folder (no absolute path, "
                "no '..')")
    if base is not None and not in_git:
        root = base.resolve()
        if not (base / candidate).resolve().is_relative_to(root):
            return f"'{value}' leads outside the session's folder (through a link)"
    return None


def negotiation_from_document(doc: Document, base: Path | None,
                              extra_libraries: list[Path] | tuple[Path, ...] = ()) -> Negotiation:
    """Validate a parsed session and load what it refers to."""
    data = _migrate(doc)
    try:
        session = Session.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, doc) from None
    return assemble(session, doc, base, extra_libraries)


def assemble(session: Session, doc: Document | None = None, base: Path | None = None,
             extra_libraries: list[Path] | tuple[Path, ...] = ()) -> Negotiation:
    """A validated session with its library and systems; every id checked."""
    if doc is None:
        # An edited session has no file or lines yet: a refusal names the value by its
        # path alone ("provisions.x.params.y: ..."), as the TUI shows it after an edit.
        doc = Document(session.model_dump(mode="python"), "", {})
    _check_rates(session, doc)
    folders = [*_library_folders(session, doc, base), *extra_libraries]
    library = load_library(tuple(folders))
    systems: dict[str, ResolvedSystem] = {}
    for index, party in enumerate(session.parties):
        try:
            profile = get_profile(party.system)
        except LinkwrightError as exc:
            raise doc.error(("parties", index, "system"), exc.message) from None
        systems[party.id] = _resolve_party(profile, session, party, doc, index)
    neg = Negotiation(session, library, systems, doc=doc)
    _check_ids(neg, doc)
    if session.previous is not None and (why := previous_problem(session.previous, base)):
        raise doc.error(("previous",), f"previous: {why}")
    currency.check_rates(neg, doc)
    return neg


def _resolve_party(profile: Any, session: Session, party: PartySpec, doc: Document,
                   index: int) -> ResolvedSystem:
    from negotiation.profiles import parameter_names

    known = set(parameter_names())
    for name in party.sources:
        if name not in known:
            raise doc.error(("parties", index, "sources", name), f"source for unknown "
                            f"parameter '{name}'" + did_you_mean(name, known))
    try:
        return resolve(profile, session.year, party.overrides, party.sources)
    except ValidationError as exc:
        error = validation_error(exc, doc, ("parties", index, "overrides"))
        raise error from None


def load_session(path: Path, extra_libraries: list[Path] | tuple[Path, ...] = ()) -> Negotiation:
    """Load a session file and everything it refers to, or raise one clear error."""
    path = Path(path)
    doc = read_file(path)
    neg = negotiation_from_document(doc, path.parent, extra_libraries)
    neg.path = path
    return neg


def preset_ids() -> list[str]:
    folder = resources.files("negotiation") / "presets"
    return sorted(e.name[:-5] for e in folder.iterdir() if e.name.endswith(".yaml"))


def preset_text(preset_id: str) -> str:
    if preset_id not in preset_ids():
        raise LinkwrightError(f"unknown preset '{preset_id}'"
                              + did_you_mean(preset_id, preset_ids())
                              + "; see `linkwright presets`")
    return (resources.files("negotiation") / "presets" / f"{preset_id}.yaml").read_text("utf-8")


def load_preset(preset_id: str,
                extra_libraries: list[Path] | tuple[Path, ...] = ()) -> Negotiation:
    doc = parse_text(preset_text(preset_id), f"presets/{preset_id}.yaml")
    return negotiation_from_document(doc, None, extra_libraries)


def load_session_text(text: str, file: str = "<session>", base: Path | None = None,
                      extra_libraries: list[Path] | tuple[Path, ...] = ()) -> Negotiation:
    return negotiation_from_document(parse_text(text, file), base, extra_libraries)


# -- saving --------------------------------------------------------------------


def dump_session(session: Session) -> str:
    """The session as YAML, keys in the documented order, defaults left out."""
    data = session.model_dump(mode="python", exclude_defaults=True, by_alias=True)
    data = {"linkwright": session.linkwright, **data}
    return yaml.safe_dump(_plain(data), sort_keys=False, allow_unicode=True, width=88)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def save_session(session: Session, path: Path) -> None:
    from negotiation.storage import atomic_write

    atomic_write(Path(path), dump_session(session))


def validate_session_data(data: Any, file: str = "<session>") -> Session:
    """Validate plain data as a session (used by code that edits a session)."""
    doc = Document(data, file, {(): (1, 1)})
    return validate(Session, doc)
