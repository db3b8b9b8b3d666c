"""The language versions: what a version lacks, and terms that do not match.

An instrument authentic in several languages is argued in each, so a version that
prints a bracket where the English has a paragraph is not a text to table, and a
paragraph whose versions use different defined terms is a divergence a court would
have to resolve. The versions checked are those the session lists in `languages:` and
the library has texts for (`rendered_languages`); the others are for translators, and
the brief says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from negotiation.checks.registry import rule
from negotiation.findings import Finding
from negotiation.library import Clause, Library
from negotiation.session import Negotiation
from negotiation.translations import base, term_in, version_for

MISSING = "language.text-missing"
TERMS = "language.term-mismatch"
SHARED = "language.term-shared"


def rendered_languages(neg: Negotiation) -> list[str]:
    """The instrument's languages Linkwright renders, English aside: those in the
    session's `languages:` the library has texts for, in the session's order."""
    found = []
    for code in neg.session.languages or []:
        if base(code) != "en" and version_for(neg.library, code) is not None \
                and code not in found:
            found.append(code)
    return found


def language_versions(neg: Negotiation) -> list[tuple[str, str]]:
    """(code, name in itself) of each version rendered besides English, for a choice of
    version: [("fr-CA", "Français")]."""
    from negotiation.languages import language_name

    return [(code, language_name(code, base(code))) for code in rendered_languages(neg)]


def translators_languages(neg: Negotiation) -> list[str]:
    """The instrument's languages Linkwright has no texts for: translators make those."""
    shown = set(rendered_languages(neg))
    return [code for code in neg.session.languages or []
            if base(code) != "en" and code not in shown]


def _name(code: str) -> str:
    from negotiation.languages import language_name

    return language_name(code)


def _drafts(neg: Negotiation) -> dict[str, object]:
    from negotiation.drafting.builder import build_draft

    return {code: build_draft(neg, clean=True, language=code)
            for code in rendered_languages(neg)}


_FIX = {
    "clause": "Add its text to a language layer (clauses/lang/{code}/ or a library's)",
    "term": "Add the term to a term base (clauses/lang/terms.yaml or a library's)",
    "name": "Give the name in the session (`names: {{{code}: {{name: …}}}}` on the party) "
            "or in the profile",
    "phrase": "Add the phrase to a skeleton file (lang/{code}/skeleton.yaml in a library)",
    "title": "Give it in the session (`versions: {{{code}: {{title: …}}}}`) or in a language "
             "layer",
    "condition": "Give it in the session (`translations: {{{code}: …}}` on the condition)",
    "criteria": "Add the phrases to a skeleton file",
    "label": "Add the label to a language layer",
    "proposal": "Give the proposal's text in that language in the position's "
                "`translations: {{{code}: …}}`",
    "value": "Give it in the session (`versions: {{{code}: {{values: {{English: …}}}}}}`)",
    "citation": "Add it to the profile's `translations:`",
}
"""Where a negotiator puts what a version lacks."""

_WHAT = {
    "clause": "has no {language} text",
    "term": "has no {language} term in the term base",
    "name": "has no {language} name (the profile's `translations:` or the party's `names:`)",
    "phrase": "has no {language} wording in the skeleton",
    "title": "has no {language} title",
    "condition": "has no {language} text (the condition's `translations:`)",
    "criteria": "has no {language} text",
    "proposal": "has no {language} version (the position's `translations:`)",
    "value": "has no {language} form (the session's `versions: <code>: values:`)",
    "label": "has no {language} label (the language layer's `labels:`), for the notes on "
             "values not yet agreed",
    "citation": "has no {language} form in the profile (`translations: <code>: "
                "legislation:` or `proper_names:`)",
}


@rule(MISSING, topic="languages")
def text_missing(neg: Negotiation) -> Iterator[Finding]:
    """A version lacks a text: it shows a bracket there, never the English."""
    for code, draft in _drafts(neg).items():
        language = _name(code)
        for what, which in draft.missing:  # type: ignore[attr-defined]
            subject, topic, clauses = _subject(neg, what, which)
            yield Finding(
                rule=MISSING, severity="error", topic=topic,
                message=f"{subject} {_WHAT[what].format(language=language)}: the {language} "
                        f"version shows a bracket in its place. {_FIX[what].format(code=code)}"
                        ", or take the language out of `languages:` and leave the version "
                        "to translators.",
                clauses=clauses, parties=(which,) if what in ("name", "condition") else ())


def _subject(neg: Negotiation, what: str, which: str) -> tuple[str, str, tuple[str, ...]]:
    library = neg.library
    if what == "clause" and which in library.clauses:
        clause = library.clauses[which]
        return (f"The clause “{clause.title}”",
                library.provisions[clause.provision].topic, (which,))
    if what == "title" and which in library.topics:
        return f"The article “{library.topics[which].title}”", which, ()
    if what == "title" and which in library.provisions:
        return (f"The provision “{library.provisions[which].title}”",
                library.provisions[which].topic, ())
    if what == "title":
        return {"title": "The instrument", "marking": "The marking line",
                "instrument_name": "The instrument's own name (`instrument_name:`)"}.get(
                    which, which), "languages", ()
    if what == "name":
        return f"{neg.party_short(which)}", "languages", ()
    if what == "condition":
        return f"{neg.party_short(which)}'s pre-linking condition", "conditions", ()
    if what == "criteria":
        return "Annex I (the essential criteria)", "essential_criteria", ()
    if what == "term":
        return f"The defined term “{which}”", "definitions", ()
    if what == "proposal":
        return f"A party's own proposed text (“{which}…”)", "languages", ()
    if what == "value":
        return f"The value “{which}”", "languages", ()
    if what == "label":
        cid, _, name = which.partition(":")
        clause = library.clauses.get(cid)
        title = clause.title if clause else cid
        return (f"The parameter “{name}” of “{title}”",
                library.provisions[clause.provision].topic if clause else "languages",
                (cid,) if clause else ())
    if what == "citation":
        _kind, profile, english = [*which.split(":", 2), "", ""][:3]
        return f"“{english}” ({profile})", "essential_criteria", ()
    return f"The phrase '{which}'", "languages", ()


def _used_clauses(neg: Negotiation) -> list[Clause]:
    used: dict[str, Clause] = {}
    for clause, _ in neg.chosen().values():
        if clause.fits(neg.form, neg.linkage):
            used[clause.id] = clause
    for positions in neg.session.positions.values():
        for choice in positions.values():
            cid = getattr(choice, "clause", None)
            if cid in neg.library.clauses:
                used[cid] = neg.library.clauses[cid]
    return list(used.values())


@lru_cache(maxsize=8)
def _english_terms(library: Library) -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern for every defined term's English forms ("allowance", "allowances"),
    longest first, so that "aircraft operator" is read as that term and not as a use of
    "operator"; and each form (lower case) -> its term."""
    terms = {t for c in library.clauses.values() for t in c.defines} | set(library.terms)
    forms: dict[str, str] = {}
    for term in sorted(terms):
        english = term_in(library, term, "en")
        for form in {term, *((english.one, english.other) if english else ())}:
            forms.setdefault(form.lower(), term)
    alternatives = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE), forms


@lru_cache(maxsize=4096)
def _terms_in(library: Library, text: str) -> frozenset[str]:
    """The defined terms an English text uses."""
    pattern, forms = _english_terms(library)
    return frozenset(forms[m.group(0).lower()] for m in pattern.finditer(text))


def _mentions(word: str, text: str) -> bool:
    """Whether `text` uses `word` (a term in some language), allowing inflection and
    derivation: each word of the term matched by its stem (German "Zertifikate",
    "Zertifikaten"; "Versteigerung" by "versteigert")."""
    return _stems(word).search(text) is not None


@lru_cache(maxsize=1024)
def _stems(word: str) -> re.Pattern[str]:
    stems = [re.escape(w[:max(4, len(w) - 4)]) for w in word.split()]
    return re.compile(r"\b" + r"\w*\W+".join(stems), re.IGNORECASE)


@rule(TERMS, topic="definitions")
def term_mismatch(neg: Negotiation) -> Iterator[Finding]:
    """A paragraph's versions do not use the matching defined terms."""
    library = neg.library
    for code in rendered_languages(neg):
        version = version_for(library, code)
        if version is None:
            continue
        language = _name(code)
        for clause in _used_clauses(neg):
            text = version.clauses.get(clause.id)
            if text is None:
                continue  # a missing text is language.text-missing
            voice = neg.voice_for_topic(library.provisions[clause.provision].topic)
            english = clause.text_for(voice) or ""
            translated = getattr(text, voice, None)
            if not translated:
                continue  # no text in this voice: language.text-missing says so
            for term in sorted(_terms_in(library, english)):
                word = term_in(library, term, code)
                if f"term('{term}'" in translated or f'term("{term}"' in translated:
                    continue
                if word is not None and (_mentions(word.one, translated)
                                         or _mentions(word.other, translated)):
                    continue
                shown = f"“{word.one}”" if word else "its term"
                yield Finding(
                    rule=TERMS, severity="warning",
                    topic=library.provisions[clause.provision].topic,
                    message=f"The English of “{clause.title}” uses the defined term "
                            f"“{term}”, but its {language} text uses neither {shown} nor "
                            f"`{{{{ term('{term}') }}}}`: the versions may say different "
                            "things. Use the term in the translation.",
                    clauses=(clause.id,))


@rule(SHARED, topic="definitions")
def term_shared(neg: Negotiation) -> Iterator[Finding]:
    """Two terms the instrument defines are one word in a version."""
    library = neg.library
    defined = sorted({t for c in _used_clauses(neg) for t in c.defines})
    for code in rendered_languages(neg):
        words: dict[str, list[str]] = {}
        for term in defined:
            found = term_in(library, term, code)
            if found is not None:
                words.setdefault(found.one, []).append(term)
        for word, terms in words.items():
            if len(terms) > 1:
                yield Finding(
                    rule=SHARED, severity="warning", topic="definitions",
                    message=f"“{terms[0]}” and “{terms[1]}” are both “{word}” in the "
                            f"{_name(code)} version, which defines the word twice: give "
                            "one of them another term in the term base "
                            "(clauses/lang/terms.yaml or a layer's).")
