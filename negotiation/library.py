"""The clause library: topics, provisions and their alternative clauses.

A library is a folder of YAML files, one per topic. Layers stack: the
built-in library (`clauses/`), then the folders a session lists, then each
`--library` flag. A later layer may add topics, provisions and clauses; it
may replace one only by saying `overrides: <id>`. Defining an id twice
without that is an error naming both files, because two delegations'
libraries silently shadowing each other is how a draft goes wrong.

Clause text is checked here, at load, against the template allow-list
(`templating.check`), so that nothing past this module meets a template it
has not vetted.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)

from negotiation import templating
from negotiation.drafting.phrases import add_skeleton_document, is_skeleton_document
from negotiation.errors import LinkwrightError, did_you_mean
from negotiation.premises import Premise
from negotiation.profiles import parameter_names
from negotiation.translations import (
    TermForms,
    Version,
    add_term_document,
    add_version_document,
    is_term_document,
    is_version_document,
)
from negotiation.yamlload import Document, iter_yaml_files, parse_text, read_file, validate

Form = Literal["treaty", "memorandum", "hybrid", "regulation"]
LinkageType = Literal["unilateral", "bilateral", "multilateral"]
FORMS: tuple[Form, ...] = ("treaty", "memorandum", "hybrid", "regulation")
LINKAGES: tuple[LinkageType, ...] = ("unilateral", "bilateral", "multilateral")
Voice = Literal["binding", "nonbinding"]

ID_PATTERN = r"^[a-z][a-z0-9_]*(?:\.[a-z0-9][a-z0-9_-]*)*$"
"""Topic, provision and clause ids: lowercase letters, digits, `_`, `-`, dotted. An id
reaches headings, the brief, the terminal and bookmarks in Word; anything wider (a
backtick, markup, a line break) would have to be escaped in every one of them."""

MAX_ID = 120
PARAM_NAME = r"^[a-z_][a-z0-9_]{0,63}$"
"""Parameter names are template variables: plain lowercase identifiers."""

MAX_LAYER_BYTES = 4_000_000
"""Bytes of YAML in one library layer (the built-in library has about 350,000)."""

MAX_LAYER_TEXT = 500_000
"""Characters of clause text (both voices and recitals) one layer may bring: checking a
template costs time in proportion to its length (the built-in library has about
115,000)."""

MAX_LAYER_FILES = 200
MAX_LAYER_CLAUSES = 5_000
MAX_LAYERS = 16
"""Layers, files and clauses a session may bring in: the work a library can cause is
bounded by what it holds, not by a clock."""



def _plain_id(value: str) -> str:
    if len(value) > MAX_ID or not re.fullmatch(ID_PATTERN, value):
        shown = value if len(value) <= 40 else value[:40] + "…"
        raise ValueError(f"'{shown}' is not a usable id: ids are lowercase letters, digits, "
                         f"'_' and '-', in dotted parts (at most {MAX_ID} characters)")
    return value


def _param_name(value: str) -> str:
    if not re.fullmatch(PARAM_NAME, value):
        shown = value if len(value) <= 40 else value[:40] + "…"
        raise ValueError(f"'{shown}' is not a usable parameter name: lowercase letters, "
                         "digits and '_', starting with a letter or '_'")
    return value


MAX_NAME = 80


def _body_name(value: str) -> str:
    """A body's name is printed in every clause that mentions the body ("the Joint
    Committee"): plain words on one line, capitalised as a proper name, with no
    article of its own (the text adds "the")."""
    value = value.strip()
    if (not value or len(value) > MAX_NAME or "\n" in value or "{{" in value
            or "{%" in value or value.lower().startswith(("the ", "a ", "an "))
            or not value[0].isupper()):
        shown = value if len(value) <= 40 else value[:40] + "…"
        raise ValueError(f"'{shown}' is not a usable name for a body: a proper name on one "
                         f"line, capitalised, without “the” (at most {MAX_NAME} "
                         "characters), such as 'Joint Committee'")
    return value


_Id = Annotated[str, AfterValidator(_plain_id)]
_ParamName = Annotated[str, AfterValidator(_param_name)]
_BodyName = Annotated[str, AfterValidator(_body_name)]

ParamType = Literal[
    "percent", "number", "integer", "months", "days", "years", "money", "date",
    "text", "choice", "boolean", "list",
]
_NUMERIC = {"percent", "number", "integer", "months", "days", "years", "money"}


class _Strict(BaseModel):
    # Validators are built on first use: a run served by the cache never validates a
    # library file, and building them all at import was a tenth of a `check`.
    model_config = ConfigDict(extra="forbid", defer_build=True)

    @field_validator("title", check_fields=False)
    @classmethod
    def _plain_title(cls, value: str | None) -> str | None:
        # Titles are shown as they are (headings, the TUI, the brief): template
        # syntax there would print raw, so it is refused where it is written.
        if value is not None and ("{{" in value or "{%" in value):
            raise ValueError("a title is plain text: template syntax is used only in clause text")
        return value


class Param(_Strict):
    """A typed parameter of a clause, with bounds and a default."""

    type: ParamType
    label: str = ""
    min: float | None = None
    max: float | None = None
    default: Any = None
    default_from: str | None = Field(
        default=None, description="a system profile parameter (dotted) the parties share"
    )
    options: list[str] | None = None

    def problem(self, value: Any) -> str | None:
        """Why `value` does not fit this parameter, or None."""
        if value is None:
            return "has no value"
        if self.type in _NUMERIC:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                return f"must be a number, not '{value}'"
            whole = {"integer", "months", "days", "years"}
            if self.type in whole and not float(value).is_integer():
                return f"must be a whole number, not {value}"
            if self.min is not None and value < self.min:
                return f"is {value}, below the minimum {self.min:g}"
            if self.max is not None and value > self.max:
                return f"is {value}, above the maximum {self.max:g}"
        elif self.type == "date":
            if not isinstance(value, dt.date):
                return f"must be a date (YYYY-MM-DD), not '{value}'"
        elif self.type == "boolean":
            if not isinstance(value, bool):
                return f"must be true or false, not '{value}'"
        elif self.type == "choice":
            if value not in (self.options or []):
                return f"is '{value}', not one of {', '.join(self.options or [])}"
        elif self.type == "list":
            if not isinstance(value, list):
                return "must be a list"
        elif not isinstance(value, (str, int, float)):
            return "must be text"
        return None


class Precedent(_Strict):
    source: str
    where: str = ""
    verified: bool = True


class ClauseText(_Strict):
    binding: str | None = None
    nonbinding: str | None = None


class Clause(_Strict):
    """One alternative text for a provision."""

    id: _Id
    overrides: _Id | None = None
    title: str
    summary: str = ""
    forms: list[Form] = list(FORMS)
    linkage: list[LinkageType] = list(LINKAGES)
    params: dict[_ParamName, Param] = {}
    requires: list[_Id] = []
    conflicts: list[_Id] = []
    defines: dict[str, str] = {}
    names: dict[Literal["body"], _BodyName] = Field(
        default={}, description="the name this clause gives what it establishes: `body`, "
        "the joint body every clause calls {{ body }}")
    assumes: list[Premise] = Field(default=[], max_length=20)
    recital: str | None = None
    precedent: list[Precedent] = []
    guidance: str = ""
    text: ClauseText

    _provision: str = PrivateAttr(default="")
    _file: str = PrivateAttr(default="")
    # A plain default, not default_factory: pydantic inspects a factory's
    # signature on every instance, which dominated loading large libraries.
    _facts: dict[str, templating.TemplateFacts] | None = PrivateAttr(default=None)

    @model_validator(mode="before")
    @classmethod
    def _id_from_overrides(cls, data: Any) -> Any:
        if isinstance(data, dict) and "id" not in data and data.get("overrides"):
            data = {**data, "id": data["overrides"]}
        return data

    @property
    def provision(self) -> str:
        return self._provision

    @property
    def file(self) -> str:
        return self._file

    def fits(self, form: str, linkage: str) -> bool:
        return form in self.forms and linkage in self.linkage

    def text_for(self, voice: Voice) -> str | None:
        return self.text.binding if voice == "binding" else self.text.nonbinding

    @property
    def leaves_out(self) -> bool:
        """Whether the clause drafts nothing in any voice ("Not regulated by this
        instrument"). Such an answer is open to every provision, so it is no rival to
        the one clause that would draft text, and no reason to ask a provision that
        has nothing else to offer."""
        texts = [t for t in (self.text.binding, self.text.nonbinding) if t is not None]
        return bool(texts) and not any(t.strip() for t in texts)

    @property
    def refs(self) -> frozenset[str]:
        """Every id this clause's texts and recital refer to with ref()."""
        return frozenset().union(*(f.refs for f in (self._facts or {}).values()))

    @property
    def party_refs(self) -> frozenset[str]:
        return frozenset().union(*(f.parties for f in (self._facts or {}).values()))


class ProvisionSpec(_Strict):
    title: str | None = None
    overrides: _Id | None = None
    question: str = ""
    guidance: str = ""
    forms: list[Form] | None = None
    linkage: list[LinkageType] | None = None
    only_if: list[_Id] | None = Field(
        default=None, description="asked only when one of these clauses is chosen")
    unless: list[_Id] | None = Field(
        default=None, description="not asked once one of these clauses is chosen")
    clauses: list[Clause] = []


class TopicFile(_Strict):
    topic: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=MAX_ID)
    overrides: _Id | None = None
    title: str | None = None
    order: int | None = Field(default=None, ge=-1_000_000, le=1_000_000)
    core: bool | None = None
    form_titles: dict[Form, str] = Field(
        default={}, description="the article's heading where a form words it otherwise")
    guidance: str = ""
    provisions: dict[_Id, ProvisionSpec] = {}


@dataclass
class Topic:
    """One subject of the instrument; becomes one article."""

    id: str
    title: str
    order: int
    core: bool
    guidance: str
    file: str
    provisions: list[str] = field(default_factory=list)
    form_titles: dict[str, str] = field(default_factory=dict)
    """Form -> heading, where that form words the article otherwise: a memorandum
    "takes effect", it does not "enter into force"."""

    def heading(self, form: str) -> str:
        """The article's heading in an instrument of this form."""
        return self.form_titles.get(form, self.title)


@dataclass
class Provision:
    """One decision within a topic; holds alternative clauses."""

    id: str
    topic: str
    title: str
    question: str
    guidance: str
    forms: list[str] | None
    linkage: list[str] | None
    file: str
    clauses: list[str] = field(default_factory=list)
    only_if: list[str] | None = None
    unless: list[str] | None = None

    def needed(self, chosen: set[str] | frozenset[str]) -> bool:
        """Whether the draft needs this provision, given the chosen clause ids: an
        `only_if` clause is chosen (if any are named) and no `unless` clause is."""
        if self.only_if and not chosen.intersection(self.only_if):
            return False
        return not (self.unless and chosen.intersection(self.unless))

    def applies(self, form: str, linkage: str) -> bool:
        return (self.forms is None or form in self.forms) and (
            self.linkage is None or linkage in self.linkage
        )


@dataclass(eq=False)  # hashed by identity: graphs are cached per library object
class Library:
    """All layers merged: topics in treaty order, provisions, clauses by id."""

    topics: dict[str, Topic] = field(default_factory=dict)
    provisions: dict[str, Provision] = field(default_factory=dict)
    clauses: dict[str, Clause] = field(default_factory=dict)
    layers: list[str] = field(default_factory=list)
    text_budget: int | None = None
    """Characters of clause text the layer being loaded may still bring (None: ours)."""
    replaced: dict[str, str] = field(default_factory=dict)
    """Clause id -> the file of the later layer that replaced its text (`overrides:`):
    agreed text that changes under a session without a word is a finding."""
    versions: dict[str, Version] = field(default_factory=dict)
    """Language code -> the library's texts in that language (negotiation.translations)."""
    terms: dict[str, dict[str, TermForms]] = field(default_factory=dict)
    """Defined term -> language code -> the term as that language and usage writes it."""
    skeletons: dict[str, dict[str, str]] = field(default_factory=dict)
    """Language code -> the skeleton's phrases in it (negotiation.drafting.phrases)."""
    usages: dict[str, Version | None] = field(default_factory=dict, compare=False, repr=False)
    """Language code -> its texts as `translations.version_for` put them together (a
    usage's own over its language's, in the usage's terms): made on first use."""

    def ordered_topics(self) -> list[Topic]:
        return sorted(self.topics.values(), key=lambda t: (t.order, t.id))

    def fitting_clauses(self, provision_id: str, form: str, linkage: str) -> list[Clause]:
        return [c for cid in self.provisions[provision_id].clauses
                if (c := self.clauses[cid]).fits(form, linkage)]

    def drafting_clauses(self, provision_id: str, form: str, linkage: str) -> list[Clause]:
        """The fitting clauses that would draft text: the real alternatives."""
        return [c for c in self.fitting_clauses(provision_id, form, linkage)
                if not c.leaves_out]

    def relevant_provisions(self, form: str, linkage: str) -> list[Provision]:
        """Provisions this form and linkage need decided, in treaty order."""
        result = []
        for topic in self.ordered_topics():
            for pid in topic.provisions:
                provision = self.provisions[pid]
                if provision.applies(form, linkage) and self.drafting_clauses(pid, form,
                                                                              linkage):
                    result.append(provision)
        return result


UNNAMED_BODY = "[the joint body]"
"""What `{{ body }}` prints while no chosen clause establishes and names a body: a
bracket a reader sees, and `lint.body-names` explains."""


def named_body(clauses: Iterable[Clause]) -> str | None:
    """The name of the joint body the chosen clauses establish ("Joint Committee"), or
    None when none of them establishes one. The institutions clause names the body
    once, so that every other clause calls it the same way."""
    for clause in clauses:
        if "body" in clause.names:
            return clause.names["body"]
    return None


# -- loading ----------------------------------------------------------------


def _check_clause_templates(clause: Clause, doc: Document, path: tuple[Any, ...]) -> None:
    params = set(clause.params)
    clause._facts = {}
    sources = {"text.binding": clause.text.binding, "text.nonbinding": clause.text.nonbinding,
               "recital": clause.recital}
    for where, source in sources.items():
        if source is None:
            continue
        try:
            clause._facts[where] = templating.check(source, params)
        except templating.TemplateRefused as exc:
            raise doc.error((*path, *where.split(".")),
                            f"clause '{clause.id}' ({where}): {exc}; "
                            f"{templating.ALLOWED_SUMMARY}") from None
    known = set(parameter_names())
    for name, param in clause.params.items():
        if param.default_from and param.default_from not in known:
            raise doc.error((*path, "params", name, "default_from"),
                            f"clause '{clause.id}': unknown profile parameter "
                            f"'{param.default_from}'" + did_you_mean(param.default_from, known))
        if param.type == "choice" and not param.options:
            raise doc.error((*path, "params", name), f"clause '{clause.id}': a choice "
                            "parameter needs options")
    for index, premise in enumerate(clause.assumes):
        where = (*path, "assumes", index)
        if premise.parameter not in known:
            raise doc.error(where, f"clause '{clause.id}' assumes something of "
                            f"'{premise.parameter}', which is no system parameter"
                            + did_you_mean(premise.parameter, known))
        for name in premise.clause_params() - params:
            raise doc.error(where, f"clause '{clause.id}' compares with its parameter "
                            f"'{name}', which it does not have"
                            + did_you_mean(name, params))


def _add_topic_file(library: Library, doc: Document, spec: TopicFile) -> None:
    file = doc.file
    existing = library.topics.get(spec.topic)
    redefines = (any(v is not None for v in (spec.title, spec.order, spec.core))
                 or bool(spec.form_titles))
    if existing is None:
        if spec.title is None or spec.order is None:
            raise doc.error(("topic",), f"new topic '{spec.topic}' needs a title and an order")
        topic = Topic(spec.topic, spec.title, spec.order, bool(spec.core), spec.guidance, file,
                      form_titles=dict(spec.form_titles))
        library.topics[spec.topic] = topic
    elif redefines and spec.overrides != spec.topic:
        raise doc.error(("topic",), f"topic '{spec.topic}' is already defined in "
                        f"{existing.file}; say `overrides: {spec.topic}` to replace its title "
                        "and order, or leave them out to add provisions to it")
    else:
        topic = existing
        if redefines:
            topic.title = spec.title or topic.title
            topic.order = spec.order if spec.order is not None else topic.order
            topic.core = spec.core if spec.core is not None else topic.core
            topic.guidance = spec.guidance or topic.guidance
            topic.form_titles = dict(spec.form_titles) or topic.form_titles
            topic.file = file

    for pid, pspec in spec.provisions.items():
        path: tuple[Any, ...] = ("provisions", pid)
        if not pid.startswith(spec.topic + "."):
            raise doc.error(path, f"provision '{pid}' must start with its topic "
                            f"'{spec.topic}.'")
        prior = library.provisions.get(pid)
        if prior is None:
            if pspec.title is None:
                raise doc.error(path, f"provision '{pid}' is new and needs a title")
            provision = Provision(pid, spec.topic, pspec.title, pspec.question,
                                  pspec.guidance, pspec.forms, pspec.linkage, file,
                                  only_if=pspec.only_if, unless=pspec.unless)
            library.provisions[pid] = provision
            topic.provisions.append(pid)
        elif pspec.title is not None and pspec.overrides != pid:
            raise doc.error(path, f"provision '{pid}' is already defined in {prior.file}; "
                            f"say `overrides: {pid}` to replace it, or leave out its title "
                            "to add clauses to it")
        elif pspec.overrides == pid:
            for old in prior.clauses:
                del library.clauses[old]
                library.replaced[old] = file
            provision = Provision(pid, prior.topic, pspec.title or prior.title,
                                  pspec.question, pspec.guidance, pspec.forms,
                                  pspec.linkage, file, only_if=pspec.only_if,
                                  unless=pspec.unless)
            library.provisions[pid] = provision
        else:
            provision = prior
        for index, clause in enumerate(pspec.clauses):
            _add_clause(library, doc, provision, clause, (*path, "clauses", index))


def _spend_text(library: Library, clause: Clause, doc: Document,
                path: tuple[Any, ...]) -> None:
    """Refuse a clause whose text takes its layer past `MAX_LAYER_TEXT`, before it is
    checked: the check is the work being bounded."""
    if library.text_budget is None:
        return
    library.text_budget -= sum(len(t or "") for t in (clause.text.binding,
                                                        clause.text.nonbinding, clause.recital))
    if library.text_budget < 0:
        raise doc.error((*path, "text"), f"the library folder holds more than "
                        f"{MAX_LAYER_TEXT:,} characters of clause text; a layer may hold at "
                        "most that")


def _add_clause(library: Library, doc: Document, provision: Provision, clause: Clause,
                path: tuple[Any, ...]) -> None:
    if not clause.id.startswith(provision.id + "."):
        raise doc.error((*path, "id"), f"clause '{clause.id}' must start with its "
                        f"provision '{provision.id}.'")
    if clause.overrides is not None and clause.overrides != clause.id:
        raise doc.error((*path, "overrides"), f"clause '{clause.id}' says overrides: "
                        f"{clause.overrides}; an override keeps the id it replaces")
    prior = library.clauses.get(clause.id)
    if prior is not None and clause.overrides != clause.id:
        raise doc.error((*path, "id"), f"clause '{clause.id}' is already defined in "
                        f"{prior.file}; say `overrides: {clause.id}` to replace it")
    if prior is None and clause.overrides is not None:
        raise doc.error((*path, "overrides"), f"clause '{clause.id}' overrides nothing: "
                        "no earlier layer defines it")
    if clause.text.binding is None and clause.text.nonbinding is None:
        raise doc.error((*path, "text"), f"clause '{clause.id}' has no text in either voice")
    _spend_text(library, clause, doc, path)
    _check_clause_templates(clause, doc, path)
    clause._provision = provision.id
    clause._file = doc.file
    if prior is None:
        provision.clauses.append(clause.id)
    else:
        library.replaced[clause.id] = doc.file
    library.clauses[clause.id] = clause


def add_layer_text(library: Library, text: str, file: str) -> None:
    """Add one library file's text to `library` (in place)."""
    _add_documents(library, [parse_text(text, file)])


def _add_documents(library: Library, docs: list[Document]) -> None:
    """One layer's files: topics first, then term bases, then language layers, which
    name the ids and terms the others define."""
    for doc in sorted(docs, key=_kind):  # stable: files keep their order within a kind
        _add_document(library, doc)


def _kind(doc: Document) -> int:
    if is_skeleton_document(doc.data) or is_term_document(doc.data):
        return 1
    return 2 if is_version_document(doc.data) else 0


def _check_links(library: Library) -> None:
    """Every `requires` and `conflicts` entry names a known clause or provision."""
    known = set(library.clauses) | set(library.provisions)
    for provision in library.provisions.values():
        for kind in ("only_if", "unless"):
            for target in getattr(provision, kind) or []:
                if target not in library.clauses:
                    raise LinkwrightError(
                        f"provision '{provision.id}' {kind} '{target}', which no layer "
                        "defines" + did_you_mean(target, library.clauses), provision.file)
    for clause in library.clauses.values():
        for premise in clause.assumes:
            if premise.instead is not None and premise.instead not in library.clauses:
                raise LinkwrightError(
                    f"clause '{clause.id}' names '{premise.instead}' as the clause that fits "
                    "instead, which no layer defines"
                    + did_you_mean(premise.instead, library.clauses),
                    clause.file)
        for kind in ("requires", "conflicts"):
            for target in getattr(clause, kind):
                if target not in known:
                    raise LinkwrightError(
                        f"clause '{clause.id}' {kind} '{target}', which no layer defines"
                        + did_you_mean(target, known), clause.file)


def _builtin_files() -> list[tuple[Any, str]]:
    """Our own library files (resource, name): the topics, then `lang/` (the term base
    and a folder of language layers per language)."""
    def yaml_in(folder: Any, prefix: str) -> list[tuple[Any, str]]:
        return [(entry, f"{prefix}/{entry.name}")
                for entry in sorted(folder.iterdir(), key=lambda e: e.name)
                if entry.name.endswith(".yaml") and entry.is_file()]

    folder = resources.files("clauses")
    files = yaml_in(folder, "clauses")
    languages = folder / "lang"
    if languages.is_dir():
        files += yaml_in(languages, "clauses/lang")
        for sub in sorted(languages.iterdir(), key=lambda e: e.name):
            if sub.is_dir() and not sub.name.startswith(("_", ".")):
                files += yaml_in(sub, f"clauses/lang/{sub.name}")
    return files


def _builtin_texts() -> list[tuple[str, str]]:
    """Our own library files' texts, with their names, in the order they are layered."""
    return [(entry.read_text("utf-8"), name) for entry, name in _builtin_files()]


def load_library(folders: list[Path] | tuple[Path, ...] = ()) -> Library:
    """The built-in library with `folders` layered over it, in order.

    Cached on the folders' files (name, size, modification time), so the TUI
    can re-assemble a session after every edit without re-reading its libraries.
    """
    if not folders:
        return _builtin_library()
    if len(folders) > MAX_LAYERS:
        raise LinkwrightError(f"{len(folders)} library layers; a session may layer at most "
                              f"{MAX_LAYERS} over the built-in library")
    return _layered(tuple(_fingerprint(Path(f)) for f in folders))


def _fingerprint(folder: Path) -> tuple[str, tuple[tuple[str, int, int], ...]]:
    if not folder.is_dir():
        raise LinkwrightError("library folder not found", folder)
    files = []
    for path in iter_yaml_files(folder):
        try:
            stat = path.stat()
        except OSError:
            continue
        files.append((path.name, stat.st_mtime_ns, stat.st_size))
    return str(folder), tuple(files)


@lru_cache(maxsize=16)
def _layered(prints: tuple[tuple[str, tuple[tuple[str, int, int], ...]], ...]) -> Library:
    folders = [Path(folder) for folder, _files in prints]
    library = Library()
    _add_documents(library, [parse_text(text, file) for text, file in _builtin_texts()])
    library.layers.append("built-in")
    for folder in folders:
        if not folder.is_dir():
            raise LinkwrightError("library folder not found", folder)
        _add_layer(library, folder)
    _check_links(library)
    return library


def _layer_files(folder: Path) -> list[Path]:
    """A layer's YAML files: its topic files, and its language layers and term base
    under `lang/` (one folder per language), as the built-in library keeps them."""
    paths = list(iter_yaml_files(folder))
    languages = folder / "lang"
    if languages.is_dir() and not languages.is_symlink():
        paths += iter_yaml_files(languages)
        for sub in sorted(languages.iterdir()):
            if sub.is_dir() and not sub.is_symlink():
                paths += iter_yaml_files(sub)
    return paths


def _add_layer(library: Library, folder: Path) -> None:
    """One library folder over the layers below it, within the layer's bounds."""
    root = folder.resolve()
    paths = _layer_files(folder)
    if len(paths) > MAX_LAYER_FILES:
        raise LinkwrightError(f"{len(paths):,} YAML files in one library folder; a layer "
                              f"may hold at most {MAX_LAYER_FILES}", folder)
    size, first_clause = 0, len(library.clauses)
    library.text_budget = MAX_LAYER_TEXT
    docs = []
    for path in paths:
        if not path.resolve().is_relative_to(root):
            raise LinkwrightError("this file is a link leading outside its library "
                                  "folder; refusing to read it", path)
        doc = read_file(path)
        size += doc.size
        if size > MAX_LAYER_BYTES:
            raise LinkwrightError(f"the library folder holds more than "
                                  f"{MAX_LAYER_BYTES // 1_000_000} MB of YAML; a layer may "
                                  "hold at most that", path)
        docs.append(doc)
    for doc in sorted(docs, key=_kind):  # topics before the translations that name them
        _add_document(library, doc)
        if len(library.clauses) - first_clause > MAX_LAYER_CLAUSES:
            raise LinkwrightError(f"the library folder adds more than "
                                  f"{MAX_LAYER_CLAUSES:,} clauses; a layer may add at most "
                                  "that", doc.file)
    library.layers.append(str(folder))
    library.text_budget = None


def _add_document(library: Library, doc: Document) -> None:
    if not isinstance(doc.data, dict):
        raise doc.error((), "a library file must be a mapping with `topic:` and `provisions:`")
    if is_skeleton_document(doc.data):
        add_skeleton_document(library, doc)
    elif is_version_document(doc.data):
        add_version_document(library, doc)
    elif is_term_document(doc.data):
        add_term_document(library, doc)
    else:
        _add_topic_file(library, doc, validate(TopicFile, doc))


@cache
def _builtin_library() -> Library:
    # Parsing our own files and compiling their templates is most of a first `check`:
    # both are kept in the user's cache between runs, keyed by these very files (see
    # negotiation.cache), which are parsed only when the cache cannot serve them.
    from negotiation.cache import cached, fingerprints

    built = cached("library", fingerprints(_builtin_files()),
                   lambda: _compiled_library(_builtin_texts()), BuiltIn)
    templating.use_compiled(built.codes)
    return built.library


@dataclass
class BuiltIn:
    """The built-in library as the cache keeps it: with its templates compiled."""

    library: Library
    codes: dict[str, bytes]


def _compiled_library(texts: list[tuple[str, str]]) -> BuiltIn:
    from negotiation.translations import base, version_for

    library = _library_from(texts)
    codes: dict[str, bytes] = {}
    # Each usage the term base knows (de-CH, fr-CA) words its base language's texts in
    # its own terms (translations.in_usage): those texts are compiled here too, or a
    # Swiss German draft compiled some sixty templates on every run (50 ms).
    usages = sorted({code for per_language in library.terms.values() for code in per_language
                     if base(code) != code and base(code) in library.versions})
    versions = [*library.versions.values(),
                *(v for code in usages if (v := version_for(library, code)) is not None)]
    library.usages.clear()  # put together again on first use: the cache keeps the codes
    translated = [(t.binding, t.nonbinding, t.recital, *(d.strip() for d in t.defines.values()))
                  for version in versions for t in version.clauses.values()]
    english = [(c.text.binding, c.text.nonbinding, c.recital) for c in library.clauses.values()]
    for sources in (*english, *translated):
        for source in sources:
            if source and source not in codes:
                try:
                    codes[source] = templating.compiled_code(source)
                except Exception:  # left to fail where it is rendered, with its clause named
                    continue
    return BuiltIn(library, codes)


def _library_from(texts: list[tuple[str, str]]) -> Library:
    library = Library()
    _add_documents(library, [parse_text(text, file) for text, file in texts])
    library.layers.append("built-in")
    _check_links(library)
    return library
