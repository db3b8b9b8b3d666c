"""The library in other languages: language layers and the term base.

An instrument is authentic in every language it is drawn up in, and negotiators read
the versions side by side, article by article. A *language layer* gives, for the ids of
the English library, the text in one language: topic and provision titles, each
clause's title, texts in both voices, recital, definitions and the forms of the names it
gives (the joint body). It is a file like any other of a library, recognised by its
`language:` key, so the built-in library carries French and German, and another
delegation's layer may add a language or replace a text (`overrides: true`).

A translation says what the English says: it is checked at load against the English
clause it translates — the same parameters, the same cross-references, the same parties
named, nothing the allow-list refuses — so that the versions cannot drift apart in what
they bind. Whether a clause *has* a text in a language is not a load error: it is a
finding when that language is rendered (`missing`), and the version shows a bracket.

The *term base* (`terms:`) gives each defined term per language and per usage: Québec's
French says "droit d'émission" where the Union's says "quota d'émission", so a French
text writes `{{ term('allowance') }}` and each version gets its jurisdiction's word. All
the usages of a language must share gender and elision (one French text serves them
all); that is checked here. A text that writes a term out (the German layers write
"Zertifikat") is put in a usage's terms form for form (`in_usage`: Swiss German's
"Emissionsrecht"), where the word means that one term; where it means two (the Union's
German "Betreiber" is the covered entity and the operator), the text says which with
`term()`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from negotiation import templating
from negotiation.errors import did_you_mean
from negotiation.profiles import LanguageCode
from negotiation.yamlload import Document, validate

if TYPE_CHECKING:
    from collections.abc import Callable

    from negotiation.library import Clause, Library

Form = Literal["treaty", "memorandum", "hybrid", "regulation"]

NAME_FORMS: dict[str, tuple[str, ...]] = {
    "en": ("name",),
    "fr": ("name", "de", "a"),
    "de": ("name", "gen", "dat", "acc"),
}
"""The grammatical forms a name must be given in, per language: French contracts the
article with "de" and "à" (du Comité, au Comité), German declines it."""

TERM_FORMS: dict[str, tuple[str, ...]] = {
    "en": ("one", "other"),
    "fr": ("one", "other"),
    "de": ("one", "other", "one_gen", "other_dat"),
}


def base(language: str) -> str:
    """The language without its region: 'fr-CA' -> 'fr'."""
    return language.split("-")[0]


def name_forms(language: str) -> tuple[str, ...]:
    return NAME_FORMS.get(base(language), ("name",))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class ClauseVersion(_Strict):
    """One clause in one language."""

    title: str | None = None
    binding: str | None = None
    nonbinding: str | None = None
    recital: str | None = None
    defines: dict[str, str] = {}
    names: dict[Literal["body"], dict[str, str]] = {}
    labels: dict[str, str] = Field(default={}, description="each parameter's label, as the "
                                   "notes on disputed and unconfirmed values name it")
    values: dict[str, str] = Field(default={}, description="the library's default of each "
                                   "free-text parameter, as this language writes it")


class TopicVersion(_Strict):
    """One topic file of the library in one language."""

    language: LanguageCode
    topic: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=120)
    overrides: bool = Field(default=False, description="replace texts an earlier layer "
                            "gave in this language")
    title: str | None = None
    form_titles: dict[Form, str] = {}
    provisions: dict[str, str] = {}
    clauses: dict[str, ClauseVersion] = {}


class TermForms(_Strict):
    """A defined term in one language and usage."""

    one: str
    other: str
    gender: Literal["m", "f", "n"] | None = None
    plural: bool = False
    one_gen: str | None = None
    other_dat: str | None = None

    def form(self, name: str | None) -> str | None:
        return getattr(self, name or "one", None)


class TermBase(_Strict):
    terms: dict[str, dict[LanguageCode, TermForms]]


@dataclass
class Version:
    """Everything the library has in one language (a code as the files give it)."""

    language: str
    topic_titles: dict[str, str] = field(default_factory=dict)
    form_titles: dict[str, dict[str, str]] = field(default_factory=dict)
    provision_titles: dict[str, str] = field(default_factory=dict)
    clauses: dict[str, ClauseVersion] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    """Clause id -> the file its text in this language comes from."""


# -- loading ----------------------------------------------------------------------


def is_version_document(data: Any) -> bool:
    return isinstance(data, dict) and "language" in data


def is_term_document(data: Any) -> bool:
    return isinstance(data, dict) and "terms" in data and "topic" not in data


def add_term_document(library: Library, doc: Document) -> None:
    """A term base: its terms join (and may replace) the ones below it."""
    spec = validate(TermBase, doc)
    for term, per_language in spec.terms.items():
        for language, forms in per_language.items():
            wanted = TERM_FORMS.get(base(language), ("one", "other"))
            missing = [f for f in wanted if forms.form(f) is None]
            if missing:
                raise doc.error(("terms", term, language),
                                f"the {language} term for '{term}' needs its "
                                + ", ".join(missing) + " form" + "s" * (len(missing) > 1))
            library.terms.setdefault(term, {})[language] = forms
        _check_usages_agree(doc, term, library.terms[term])


def _elides(text: str) -> bool:
    return text[:1].lower() in "aeiouyhàâäéèêëîïôöùûü"


def _check_usages_agree(doc: Document, term: str, per_language: dict[str, TermForms]) -> None:
    """One text serves every usage of a language: its articles and agreements hold only
    if the usages share gender and elision ("le quota", "le droit": both fine)."""
    by_base: dict[str, list[tuple[str, TermForms]]] = {}
    for language, forms in per_language.items():
        by_base.setdefault(base(language), []).append((language, forms))
    for usages in by_base.values():
        first_language, first = usages[0]
        for language, forms in usages[1:]:
            if forms.gender != first.gender:
                raise doc.error(("terms", term, language),
                                f"'{term}' is {forms.gender or 'of no gender'} in {language} "
                                f"but {first.gender or 'of no gender'} in {first_language}: "
                                "one text serves both usages, so choose terms of one gender")
            if base(language) == "fr" and _elides(forms.one) != _elides(first.one):
                raise doc.error(("terms", term, language),
                                f"'{forms.one}' ({language}) and '{first.one}' "
                                f"({first_language}) take different articles (l' and le/la): "
                                "one text serves both usages, so choose terms that agree")


def add_version_document(library: Library, doc: Document) -> None:
    """A language layer: texts for ids an earlier layer (or this one) defines."""
    spec = validate(TopicVersion, doc)
    version = library.versions.setdefault(spec.language, Version(spec.language))
    if spec.topic not in library.topics:
        raise doc.error(("topic",), f"no topic '{spec.topic}' in the library to translate"
                        + did_you_mean(spec.topic, library.topics))
    if spec.title is not None:
        version.topic_titles[spec.topic] = spec.title
    for form, title in spec.form_titles.items():
        version.form_titles.setdefault(spec.topic, {})[form] = title
    for pid, title in spec.provisions.items():
        if pid not in library.provisions:
            raise doc.error(("provisions", pid), f"no provision '{pid}' in the library"
                            + did_you_mean(pid, library.provisions))
        version.provision_titles[pid] = title
    for cid, text in spec.clauses.items():
        path: tuple[Any, ...] = ("clauses", cid)
        _spend(library, doc, path, text)
        clause = library.clauses.get(cid)
        if clause is None:
            raise doc.error(path, f"no clause '{cid}' in the library to translate"
                            + did_you_mean(cid, library.clauses))
        if cid in version.clauses and not spec.overrides:
            raise doc.error(path, f"clause '{cid}' already has a {spec.language} text in "
                            f"{version.files[cid]}; say `overrides: true` in this file to "
                            "replace it")
        check_clause_version(clause, text, spec.language, doc, path, library)
        version.clauses[cid] = text
        version.files[cid] = doc.file


def _spend(library: Library, doc: Document, path: tuple[Any, ...],
           text: ClauseVersion) -> None:
    """A translation's text counts against its layer's bound like any clause text."""
    if library.text_budget is None:
        return
    library.text_budget -= sum(len(t or "") for t in (text.binding, text.nonbinding,
                                                       text.recital))
    if library.text_budget < 0:
        from negotiation.library import MAX_LAYER_TEXT

        raise doc.error(path, f"the library folder holds more than {MAX_LAYER_TEXT:,} "
                        "characters of clause text; a layer may hold at most that")


def check_clause_version(clause: Clause, text: ClauseVersion, language: str, doc: Document,
                         path: tuple[Any, ...], library: Library) -> None:
    """Refuse a translation that binds otherwise than its English: other parameters,
    other references, other parties, a voice the English lacks, or a construct the
    allow-list refuses."""
    params = set(clause.params)
    english = {"binding": clause.text.binding, "nonbinding": clause.text.nonbinding,
               "recital": clause.recital}
    for where in ("binding", "nonbinding", "recital"):
        source = getattr(text, where)
        if source is None:
            continue
        if english[where] is None:
            raise doc.error((*path, where), f"clause '{clause.id}' has no English {where} "
                            "text to translate")
        try:
            facts = templating.check(source, params)
        except templating.TemplateRefused as exc:
            raise doc.error((*path, where), f"clause '{clause.id}' ({language} {where}): "
                            f"{exc}; {templating.ALLOWED_SUMMARY}") from None
        ours = clause._facts.get("recital" if where == "recital" else f"text.{where}") \
            if clause._facts else None
        if ours is None:
            ours = templating.check(english[where] or "", params)
        _same(doc, (*path, where), clause.id, language, where, "parameters",
              ours.names & params, facts.names & params)
        _same(doc, (*path, where), clause.id, language, where, "references",
              ours.refs, facts.refs)
        _same(doc, (*path, where), clause.id, language, where, "parties named",
              ours.parties, facts.parties)
        unknown = sorted(t for t in facts.terms if t not in library.terms
                         and not _defined_anywhere(library, t))
        if unknown:
            raise doc.error((*path, where), f"clause '{clause.id}' ({language} {where}) "
                            f"uses the term '{unknown[0]}', which no clause defines"
                            + did_you_mean(unknown[0], library.terms))
    for term, meaning in text.defines.items():
        try:  # a definition may name other terms in the version's usage: {{ term('…') }}
            templating.check(meaning, set())
        except templating.TemplateRefused as exc:
            raise doc.error((*path, "defines", term), f"clause '{clause.id}' ({language} "
                            f"definition of '{term}'): {exc}") from None
    unknown_labels = sorted((set(text.labels) | set(text.values)) - set(clause.params))
    if unknown_labels:
        raise doc.error((*path, "labels"), f"clause '{clause.id}' has no parameter "
                        f"'{unknown_labels[0]}'" + did_you_mean(unknown_labels[0], clause.params))
    extra = sorted(set(text.defines) - set(clause.defines))
    if extra:
        raise doc.error((*path, "defines"), f"clause '{clause.id}' does not define "
                        f"'{extra[0]}' in English; a translation defines the same terms")
    for name, forms in text.names.items():
        if name not in clause.names:
            raise doc.error((*path, "names"), f"clause '{clause.id}' names no {name} in "
                            "English")
        missing = [f for f in name_forms(language) if not forms.get(f)]
        if missing:
            raise doc.error((*path, "names", name), f"the {language} name of the {name} "
                            f"needs the form{'s' * (len(missing) > 1)} "
                            + ", ".join(missing))


def _defined_anywhere(library: Library, term: str) -> bool:
    return any(term in c.defines for c in library.clauses.values())


def _same(doc: Document, path: tuple[Any, ...], cid: str, language: str, where: str,
          what: str, english: frozenset[str] | set[str],
          translated: frozenset[str] | set[str]) -> None:
    if set(english) == set(translated):
        return
    missing = sorted(set(english) - set(translated))
    added = sorted(set(translated) - set(english))
    said = "; ".join(filter(None, (
        f"lacks {', '.join(missing)}" if missing else "",
        f"adds {', '.join(added)}" if added else "")))
    raise doc.error(path, f"clause '{cid}' ({language} {where}): the {what} differ from the "
                    f"English ({said}); a translation binds what the English binds")


# -- what a version lacks ------------------------------------------------------------


def version_for(library: Library, language: str) -> Version | None:
    """The texts for `language`: its own ('fr-CA') over its base language's ('fr'), the
    base language's in the usage's defined terms (Swiss German's "Emissionsrecht" where
    the Union's German says "Zertifikat"). Made once per library and usage."""
    if language not in library.usages:
        library.usages[language] = _version_for(library, language)
    return library.usages[language]


def _version_for(library: Library, language: str) -> Version | None:
    exact = library.versions.get(language)
    general = library.versions.get(base(language))
    if general is not None and general is not exact:
        general = in_usage(library, general, language)
    if exact is None or general is None or exact is general:
        return exact or general
    merged = Version(language)
    for part in (general, exact):
        merged.topic_titles.update(part.topic_titles)
        for topic, titles in part.form_titles.items():
            merged.form_titles.setdefault(topic, {}).update(titles)
        merged.provision_titles.update(part.provision_titles)
        for cid, text in part.clauses.items():
            merged.clauses[cid] = _over(merged.clauses.get(cid), text)
        merged.files.update(part.files)
    return merged


def in_usage(library: Library, version: Version, language: str) -> Version:
    """`version` (a base language's texts) with each defined term the usage writes
    otherwise in the usage's words, form for form: one text serves every usage of a
    language, as the term base's genders (checked at load) allow. A word that is the
    base language's for two terms the usage tells apart ("Betreiber": covered entity and
    operator in the Union's German) is left: only `term()` can say which is meant."""
    say = usage_wording(library, language)
    if say is None:
        return version

    def say_all(texts: dict[str, str]) -> dict[str, str]:
        return {key: say(text) for key, text in texts.items()}

    mapped = Version(language, say_all(version.topic_titles),
                     {topic: say_all(titles) for topic, titles in version.form_titles.items()},
                     say_all(version.provision_titles), files=dict(version.files))
    for cid, text in version.clauses.items():
        mapped.clauses[cid] = text.model_copy(update={
            field: say(value) for field in ("title", "binding", "nonbinding", "recital")
            if (value := getattr(text, field))} | {
            "defines": say_all(text.defines), "labels": say_all(text.labels),
            "values": say_all(text.values)})
    return mapped


def usage_wording(library: Library, language: str) -> Callable[[str], str] | None:
    """What puts a text of `language`'s base language in the usage's defined terms, or
    None when the usage writes every term as its language does."""
    words = _usage_words(library, language)
    if not words:
        return None
    pattern = re.compile(r"\b(?:" + "|".join(
        re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b")
    return lambda text: pattern.sub(lambda m: words[m.group(0)], text)


def _usage_words(library: Library, language: str) -> dict[str, str]:
    """Each form of a defined term as `language`'s base language writes it -> as the
    usage writes it, where the two differ and the base form means one term only."""
    if base(language) == language:
        return {}
    words: dict[str, str] = {}
    meanings: dict[str, set[str]] = {}
    for per_language in library.terms.values():
        general = per_language.get(base(language))
        if general is None:
            continue
        own = per_language.get(language) or general
        for form in ("one", "other", "one_gen", "other_dat"):
            written, usage = general.form(form), own.form(form)
            if written:
                meanings.setdefault(written, set()).add(usage or written)
                if usage and usage != written:
                    words[written] = usage
    return {written: usage for written, usage in words.items()
            if len(meanings[written]) == 1}


def _over(general: ClauseVersion | None, exact: ClauseVersion) -> ClauseVersion:
    """A usage's clause over its language's: what the usage gives (a label in Québec's
    words) replaces that alone, the rest stays."""
    if general is None:
        return exact
    given = {name: value for name, value in exact if value not in (None, {})}
    for name in ("defines", "names", "labels", "values"):
        if name in given:
            given[name] = {**getattr(general, name), **given[name]}
    return general.model_copy(update=given)


def term_in(library: Library, term: str, language: str) -> TermForms | None:
    """`term` in `language`: the usage's own ('fr-CA'), else the language's ('fr')."""
    per_language = library.terms.get(term, {})
    return per_language.get(language) or per_language.get(base(language))


def renderable(library: Library) -> list[str]:
    """The languages the library has texts in, English first."""
    return ["en", *sorted(library.versions)]
