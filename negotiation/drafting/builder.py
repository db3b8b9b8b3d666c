"""From a negotiation to a `Draft`: numbering, voices, brackets, annexes.

Two passes. The first lays out the instrument: which topics become
articles (or, in a hybrid, sections of the guidelines annex) and which
paragraph each provision takes, so that `ref()` can resolve to "Article
12(1)" before any text is rendered. The second renders each paragraph:
the settled clause in the topic's voice, or, where the parties still
disagree, bracketed options (`[Option 1: …] [Option 2: …]`) or disputed
values (`[8][4] per cent`) with who supports what.

The draft is dated by the round, never by today, so the same session
always gives the same draft.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from markupsafe import Markup

from negotiation import templating
from negotiation.drafting import styles
from negotiation.drafting.criteria import essential_criteria_annex, essential_criteria_intro
from negotiation.drafting.model import (
    Annex,
    Article,
    Draft,
    Markdown,
    Option,
    Paragraph,
    Preface,
    Reference,
    Signature,
    StatusRow,
    Supporter,
    UnconfirmedValue,
    ValueNote,
)
from negotiation.drafting.phrases import Phrases, french_form, phrases_for
from negotiation.errors import LinkwrightError
from negotiation.library import UNNAMED_BODY, Clause, Provision, named_body
from negotiation.session import ClauseChoice, Negotiation, ProposedText
from negotiation.templating import (
    Disputed,
    LanguageNames,
    Unconfirmed,
    join_words,
    plain_value,
)
from negotiation.translations import Version, base, term_in, version_for


@dataclass
class Tongue:
    """The language a draft is built in: the library's texts in it, the skeleton's
    words, and what the version lacks (each a finding, each a bracket in the text)."""

    code: str = "en"
    texts: Version | None = None
    phrases: Phrases = field(default_factory=Phrases)
    missing: list[tuple[str, str]] = field(default_factory=list)
    """(what, which): ("clause", id), ("term", term), ("name", party id), ("phrase", key),
    ("title", topic or provision id), ("condition", party), ("criteria", "annex")."""

    @property
    def english(self) -> bool:
        return self.code == "en"

    def lacks(self, what: str, which: str) -> None:
        if (what, which) not in self.missing:
            self.missing.append((what, which))

    def name(self) -> str:
        """The language by name, in itself ("français"), for a bracket in its text."""
        from negotiation.languages import language_name

        return language_name(self.code, base(self.code)).lower()


def tongue_for(neg: Negotiation, language: str) -> Tongue:
    if language == "en":
        return Tongue()
    return Tongue(language, version_for(neg.library, language),
                  phrases_for(neg.library, language))

KIND = {"treaty": "Agreement", "hybrid": "Agreement", "memorandum": "Memorandum of Understanding",
        "regulation": "Regulation"}
INSTRUMENT_WORD = {"treaty": "Agreement", "hybrid": "Agreement", "memorandum": "Memorandum",
                   "regulation": "Regulation"}
GUIDELINES_ANNEX = "II"


@dataclass
class Layout:
    """Where every included topic and provision sits in the instrument."""

    body: list[tuple[str, list[Provision]]]
    guidelines: list[tuple[str, list[Provision]]]
    topic_ref: dict[str, str]
    provision_ref: dict[str, str]
    left_out: list[Provision] = field(default_factory=list)
    """Decided provisions whose clause adds no text ("Not regulated by this instrument")."""


def adds_no_text(neg: Negotiation, provision: Provision) -> bool:
    """Whether the clause settled for `provision` leaves it out of the instrument.

    A clause such as "Not regulated by this instrument" has empty text in the voice
    the provision's topic takes: drafting it would table an empty paragraph, or an
    article with none. It is left out of the text and of the numbering instead (the
    decision stays in the brief and the status). A clause with no text at all in that
    voice is another matter: a voice missing, which the draft brackets."""
    chosen = neg.chosen().get(provision.id)
    if chosen is None:
        return False
    source = chosen[0].text_for(neg.voice_for_topic(provision.topic))
    return source is not None and not source.strip()


NAME_TOPIC = "name"
"""The section that names an Australian instrument: no provision, no clause."""


def _ordered(style: styles.HouseStyle, topics: list[tuple[str, list[Provision]]]
             ) -> list[tuple[str, list[Provision]]]:
    """The body in the style's order: the topics it puts first, then each Part's topics
    (the library's order within a Part)."""
    def rank(item: tuple[int, tuple[str, list[Provision]]]) -> tuple[int, int, int]:
        index, (topic_id, _) = item
        first = style.first.index(topic_id) if topic_id in style.first else len(style.first)
        return (_part_of(style, topic_id), first, index)
    return [item for _, item in sorted(enumerate(topics), key=rank)]


def _part_of(style: styles.HouseStyle, topic_id: str) -> int:
    catch_all = 0
    for index, (_title, topics) in enumerate(style.parts):
        if topic_id in topics:
            return index
        if not topics:
            catch_all = index
    return catch_all


def _layout(neg: Negotiation, style: styles.HouseStyle, tongue: Tongue | None = None
            ) -> Layout:
    by_topic: dict[str, list[Provision]] = {}
    left_out: list[Provision] = []
    for provision in neg.relevant_provisions():
        if adds_no_text(neg, provision):
            left_out.append(provision)
            continue
        by_topic.setdefault(provision.topic, []).append(provision)
    body: list[tuple[str, list[Provision]]] = []
    guidelines: list[tuple[str, list[Provision]]] = []
    if NAME_TOPIC in style.first:
        body.append((NAME_TOPIC, []))
    for topic in neg.library.ordered_topics():
        if topic.id not in by_topic:
            continue
        in_annex = neg.form == "hybrid" and not topic.core
        (guidelines if in_annex else body).append((topic.id, by_topic[topic.id]))
    body = _ordered(style, body)
    if tongue is not None and not tongue.english:
        return _layout_in(style, tongue, body, guidelines, left_out)
    topic_ref: dict[str, str] = {}
    provision_ref: dict[str, str] = {}
    for number, (topic_id, provisions) in enumerate(body, start=1):
        topic_ref[topic_id] = f"{style.unit} {number}"
        for index, provision in enumerate(provisions, start=1):
            # A lone paragraph has no number of its own: it is cited by its article.
            provision_ref[provision.id] = (
                f"{style.sub_unit}{style.unit} {number}({index})" if len(provisions) > 1
                else topic_ref[topic_id])
    guidelines_annex = styles.annex_number(style, 2)
    for number, (topic_id, provisions) in enumerate(guidelines, start=1):
        topic_ref[topic_id] = f"section {number} of {style.annex_word} {guidelines_annex}"
        for index, provision in enumerate(provisions, start=1):
            provision_ref[provision.id] = (
                f"section {number}({index}) of {style.annex_word} {guidelines_annex}"
                if len(provisions) > 1 else topic_ref[topic_id])
    return Layout(body, guidelines, topic_ref, provision_ref, left_out)


def _layout_in(style: styles.HouseStyle, tongue: Tongue,
               body: list[tuple[str, list[Provision]]],
               guidelines: list[tuple[str, list[Provision]]],
               left_out: list[Provision]) -> Layout:
    """The same numbering, cited as the version's language cites it ("l'article 12,
    paragraphe 1", "Artikel 12 Absatz 1")."""
    say = tongue.phrases
    topic_ref: dict[str, str] = {}
    provision_ref: dict[str, str] = {}
    for number, (topic_id, provisions) in enumerate(body, start=1):
        topic_ref[topic_id] = say("article_ref", number=number)
        for index, provision in enumerate(provisions, start=1):
            provision_ref[provision.id] = (
                say("paragraph_ref", number=number, paragraph=index) if len(provisions) > 1
                else topic_ref[topic_id])
    annex = say("annex_ref", number=styles.annex_number(style, 2))
    for number, (topic_id, provisions) in enumerate(guidelines, start=1):
        topic_ref[topic_id] = say("guidelines_ref", number=number, annex=annex)
        for index, provision in enumerate(provisions, start=1):
            provision_ref[provision.id] = (
                say("guidelines_paragraph_ref", number=number, paragraph=index, annex=annex)
                if len(provisions) > 1 else topic_ref[topic_id])
    return Layout(body, guidelines, topic_ref, provision_ref, left_out)


class _Renderer:
    """Renders clause text for one negotiation and layout, in one language."""

    def __init__(self, neg: Negotiation, layout: Layout, style: styles.HouseStyle,
                 tongue: Tongue | None = None) -> None:
        self.neg = neg
        self.layout = layout
        self.style = style
        self.tongue = tongue or Tongue()
        self.topic: str | None = None
        """The article being rendered: a paragraph of it is cited as "paragraph 2"."""
        self.topic_of = {provision.id: topic_id
                         for topic_id, provisions in (*layout.body, *layout.guidelines)
                         for provision in provisions}
        self.references: list[Reference] = []
        """The references the text being rendered makes, for `Markdown.references`."""
        self.unconfirmed = neg.unconfirmed()
        """Provision id -> the parameters of its settled clause nobody has confirmed."""
        self.words = (self._english_words() if self.tongue.english
                      else self._words_in(self.tongue))

    def _english_words(self) -> dict[str, Any]:
        neg, style = self.neg, self.style
        parties = voice_word(neg, style)
        instrument = style.instrument_word or instrument_word(neg)
        body = (f"the {name}" if (name := self._body_clause_name()) else UNNAMED_BODY)
        words: dict[str, Any] = {
            "Party": parties[:-3] + "y" if parties.endswith("ies") else parties[:-1],
            "Parties": parties,
            "parties": [neg.party_name(p) for p in neg.party_ids],
            "instrument": instrument,
            # One name for the joint body, from the clause that establishes it.
            "body": body,
            "several": len(neg.party_ids) > 2,
            "this_instrument": f"this {instrument}",
        }
        for form in templating.FORMS:  # English declines nothing: every form is the word
            words[f"body_{form}"] = body
            words[f"this_instrument_{form}"] = words["this_instrument"]
        return words

    def _body_clause_name(self) -> str | None:
        return named_body(c for c, _ in self.neg.chosen().values()
                          if c.fits(self.neg.form, self.neg.linkage))

    def _body_clause(self) -> Clause | None:
        for clause, _ in self.neg.chosen().values():
            if clause.fits(self.neg.form, self.neg.linkage) and "body" in clause.names:
                return clause
        return None

    def _words_in(self, tongue: Tongue) -> dict[str, Any]:
        neg, say = self.neg, tongue.phrases
        noun, gender = _instrument_in(neg, tongue)
        words: dict[str, Any] = {
            "Party": say("party_word"),
            "Parties": say("parties_word"),
            "parties": [Markup(self.party(p)) for p in neg.party_ids],
            "instrument": noun,
            "several": len(neg.party_ids) > 2,
        }
        for form in ("", *templating.FORMS):
            suffix = f"_{form}" if form else ""
            words[f"this_instrument{suffix}"] = _this_instrument(tongue.code, noun, gender,
                                                                 form)
            words[f"body{suffix}"] = self._body_in(form)
        return words

    def _body_in(self, form: str) -> str:
        tongue = self.tongue
        clause = self._body_clause()
        if clause is None:
            named = f"unnamed_body_{form}"
            return tongue.phrases(named if named in tongue.phrases.words else "unnamed_body")
        text = tongue.texts.clauses.get(clause.id) if tongue.texts else None
        forms = text.names.get("body") if text else None
        if not forms:
            tongue.lacks("clause", clause.id)
            return "[…]"
        return name_form(forms, form, tongue.code)

    def ref(self, target: str, form: str | None = None) -> Markup:
        found = self.layout.provision_ref.get(target) or self.layout.topic_ref.get(target)
        if found is None:
            return Markup(f"[reference to {templating.escape_markdown(target)} unresolved]")
        if target in self.topic_of:
            topic = self.topic_of[target]
            provisions = dict(self.layout.body).get(topic, [])
            if topic == self.topic and len(provisions) > 1:
                number = next(i for i, p in enumerate(provisions, start=1) if p.id == target)
                found = (self.style.within.format(number) if self.tongue.english
                         else self.tongue.phrases("within_ref", paragraph=number))
                self.references.append(Reference(found, topic, target, within=True))
                return Markup(self._form(found, form))
            self.references.append(Reference(found, topic, target))
        else:
            self.references.append(Reference(found, target))
        return Markup(self._form(found, form))

    def _form(self, text: str, form: str | None) -> str:
        if form and base(self.tongue.code) == "fr":
            return french_form(text, form)
        return text

    def _party_id(self, who: str) -> str | None:
        if who == "recognising":
            return self.neg.recognising()
        if who == "recognised":
            return self.neg.recognised()
        return who if who in self.neg.party_ids else None

    def party(self, who: str, form: str | None = None) -> Markup:
        pid = self._party_id(who)
        if pid is None:
            return Markup(f"[party '{templating.escape_markdown(who)}']")
        if self.tongue.english:
            return Markup(templating.escape_markdown(self.neg.party_name(pid)))
        forms = party_names_in(self.neg, pid, self.tongue.code)
        if forms is None:
            self.tongue.lacks("name", pid)
            return Markup("[…]")
        return Markup(templating.escape_markdown(name_form(forms, form, self.tongue.code)))

    def short(self, pid: str) -> str:
        """A party's short name in running text and notes ("Switzerland", "la Suisse")."""
        if self.tongue.english:
            return self.neg.party_short(pid)
        forms = party_names_in(self.neg, pid, self.tongue.code)
        if forms is None:
            self.tongue.lacks("name", pid)
            return "[…]"
        return forms.get("short") or forms.get("name", "[…]")

    def system(self, who: str, form: str | None = None) -> Markup:
        pid = self._party_id(who)
        if pid is None:
            return Markup(f"[system of '{templating.escape_markdown(who)}']")
        if self.tongue.english:
            return Markup(templating.escape_markdown(
                f"the {self.neg.systems[pid].profile.name}"))
        names = _profile_names(self.neg, pid, self.tongue.code)
        if names is None or not names.system:
            self.tongue.lacks("name", pid)
            return Markup("[…]")
        return Markup(templating.escape_markdown(name_form(names.system, form,
                                                          self.tongue.code)))

    def term(self, term: str, form: str | None = None) -> Markup:
        """A defined term as the version's usage writes it (English: as defined)."""
        if self.tongue.english:
            found = term_in(self.neg.library, term, "en")
            text = (found.form(form) if found else None) or term
            return Markup(templating.escape_markdown(text))
        found = term_in(self.neg.library, term, self.tongue.code)
        text = found.form(form) if found else None
        if text is None:
            self.tongue.lacks("term", term)
            return Markup(f"[{templating.escape_markdown(term)}]")
        return Markup(templating.escape_markdown(text))

    def text_of(self, clause: Clause, voice: str) -> str | None:
        """The clause's text in this voice and language; None where the clause has none
        in the voice (in English too). A translation missing is recorded and shown as a
        bracket by `missing_text`."""
        source = clause.text_for(voice)  # type: ignore[arg-type]
        if self.tongue.english or source is None:
            return source
        text = self.tongue.texts.clauses.get(clause.id) if self.tongue.texts else None
        return getattr(text, voice, None) if text else None

    def _value_for(self, clause: Clause | None, name: str, value: Any) -> Any:
        named = _language_names_in(value, self.tongue.code)
        if clause is None or named != value:  # languages are named by the CLDR
            return named
        if isinstance(value, Unconfirmed):
            return Unconfirmed(self.value_in(clause, name, value.value))
        if isinstance(value, Disputed):
            return Disputed(tuple(self.value_in(clause, name, v) for v in value.values))
        return self.value_in(clause, name, value)

    def shown(self, clause: Clause, name: str, value: Any) -> Any:
        """A value as a note on open values names it: in the version's language."""
        return value if self.tongue.english else self._value_for(clause, name, value)

    def proposal(self, position: Any) -> str:
        """A party's own proposed text in the version's language: its `translations:`,
        else a bracket (and a finding): a proposal is never shown in English there."""
        if self.tongue.english:
            return str(position.text)
        translated = (position.translations.get(self.tongue.code)
                      or position.translations.get(base(self.tongue.code)))
        if translated:
            return str(translated)
        self.tongue.lacks("proposal", position.text[:60])
        return self.tongue.phrases("text_missing", title="…", language=self.tongue.name())

    def plain(self, value: Any) -> str:
        """A value as a note names it, in the version's language ("oui", "1 000")."""
        if self.tongue.english:
            return plain_value(value)
        if isinstance(value, bool):
            return self.tongue.phrases("yes" if value else "no")
        if isinstance(value, (int, float)):
            return templating._format_number(value, None, self.tongue.code)
        if isinstance(value, dt.date):
            return templating.long_date(value, self.tongue.code)
        if isinstance(value, (list, tuple)):
            return join_words([self.plain(v) for v in value], self.tongue.phrases("and"))
        return str(value)

    def value_in(self, clause: Clause, name: str, value: Any) -> Any:
        """A free-text value (a forum, a depositary) as the version's language writes it:
        the session's glossary (`versions: {fr: {values: …}}`), else the library's
        translation of the default; else a bracket and a finding, never the English."""
        param = clause.params.get(name)
        if self.tongue.english or param is None or param.type != "text" \
                or not isinstance(value, str) or not value:
            return value
        version = _session_version(self.neg, self.tongue.code)
        if version is not None and value in version.values:
            return version.values[value]
        for pid in self.neg.party_ids:  # a party named by its name: the version's name
            if value in (self.neg.party_short(pid), self.neg.party_name(pid)):
                forms = party_names_in(self.neg, pid, self.tongue.code)
                if forms:
                    short = value == self.neg.party_short(pid)
                    return forms.get("short" if short else "name") or forms.get("name")
        text = self.tongue.texts.clauses.get(clause.id) if self.tongue.texts else None
        if text is not None and name in text.values and value == param.default:
            return text.values[name]
        self.tongue.lacks("value", value[:80])
        return f"[{value}]"

    def label(self, clause: Clause, name: str) -> str:
        """A parameter as the notes on open values name it, in the version's language."""
        english = clause.params[name].label or name
        if self.tongue.english:
            return english
        text = self.tongue.texts.clauses.get(clause.id) if self.tongue.texts else None
        label = text.labels.get(name) if text else None
        if label is None:
            self.tongue.lacks("label", f"{clause.id}:{name}")
            return f"[{name}]"
        return label

    def missing_text(self, clause: Clause) -> Markdown:
        self.tongue.lacks("clause", clause.id)
        text = self.tongue.texts.clauses.get(clause.id) if self.tongue.texts else None
        title = (text.title if text and text.title else clause.id)
        return Markdown(templating.escape_markdown(self.tongue.phrases(
            "text_missing", title=title, language=self.tongue.name())))

    def render(self, source: str, values: dict[str, Any], clause: Clause | None = None
               ) -> Markdown:
        if not self.tongue.english:
            values = {name: self._value_for(clause, name, value)
                      for name, value in values.items()}
        context = {**self.words, **values, "ref": self.ref, "party": self.party,
                   "system": self.system, "term": self.term,
                   "currency": self.neg.session.reporting_currency,
                   templating.LANGUAGE: self.tongue.code}
        self.references = []
        try:
            text = templating.render(source, context).strip()
        except templating.MarkupRefused as refused:
            who = f"clause '{clause.id}' ({clause.file})" if clause else "a recital"
            raise LinkwrightError(f"{who} {refused}") from None
        except templating.RenderFailed as failed:
            who = f"clause '{clause.id}'" if clause else "a recital"
            raise LinkwrightError(f"{who} cannot be rendered with these values: {failed}",
                                  clause.file if clause else None) from None
        if not self.tongue.english:  # the wording rules below are English's
            return Markdown(text, tuple(self.references))
        return self._english(text)

    def _english(self, text: str) -> Markdown:
        if self.neg.linkage == "bilateral":
            text = for_two(text)
        return Markdown(styles.rewrite(self.style, text), tuple(self.references))


def _language_names_in(value: Any, language: str) -> Any:
    """A value that names languages in English ("English", ["English", "French"]) as the
    version's language names them ("anglais", "Englisch"); any other value as it is."""
    from negotiation.languages import language_code, language_name

    def one(item: Any) -> Any:
        if not isinstance(item, str):
            return item
        code = language_code(item)
        if code is None:
            return item
        name = language_name(code, base(language))
        return name.lower() if base(language) == "fr" else name

    if isinstance(value, Unconfirmed):
        return Unconfirmed(_language_names_in(value.value, language))
    if isinstance(value, Disputed):
        return Disputed(tuple(_language_names_in(v, language) for v in value.values))
    if isinstance(value, list):
        named = [one(v) for v in value]
        if named == value:
            return value
        # in the version's alphabetical order, as the Union's versions list them
        return LanguageNames(sorted(named, key=_unaccented))
    return one(value)


def _unaccented(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFD", str(text).lower())
                   if not unicodedata.combining(c))


def name_form(forms: dict[str, str], form: str | None, language: str) -> str:
    """A name in the form asked for: given, or (French) contracted from the name."""
    name = forms.get("name", "")
    if not form:
        return name
    if form in forms:
        return forms[form]
    return french_form(name, form) if base(language) == "fr" else name


def _profile_names(neg: Negotiation, pid: str, language: str) -> Any:
    translations = neg.systems[pid].profile.translations
    return translations.get(language) or translations.get(base(language))


def party_names_in(neg: Negotiation, pid: str, language: str) -> dict[str, str] | None:
    """The party's name and forms in `language`: the session's (a party it names itself),
    else its profile's. None when neither has the language."""
    spec = neg.party_spec(pid)
    if spec.name:
        return spec.names.get(language) or spec.names.get(base(language))
    names = _profile_names(neg, pid, language)
    return dict(names.party) if names else None


_GERMAN_THIS = {"n": ("dieses {}", "dieses {}s", "diesem {}", "dieses {}"),
                "f": ("diese {}", "dieser {}", "dieser {}", "diese {}"),
                "m": ("dieser {}", "dieses {}s", "diesem {}", "diesen {}")}


def _this_instrument(language: str, noun: str, gender: str, form: str) -> str:
    """"this Agreement" with its article: "le présent Accord", "la présente Entente",
    "dieses Abkommens"; the gender decides, so a translation never writes it."""
    if base(language) == "fr":
        text = f"la présente {noun}" if gender == "f" else f"le présent {noun}"
        return french_form(text, form) if form in ("de", "a") else text
    if base(language) == "de":
        cases = _GERMAN_THIS.get(gender, _GERMAN_THIS["n"])
        index = {"gen": 1, "dat": 2, "acc": 3}.get(form, 0)
        if noun.startswith("["):  # no name in German yet: no ending on the bracket
            return cases[index].replace("{}s", "{}").format(noun)
        return cases[index].format(noun)
    return noun


def _instrument_in(neg: Negotiation, tongue: Tongue) -> tuple[str, str]:
    """What the instrument calls itself in the version's language, and its gender: the
    session's own name for it (ca-qc's "Entente"), else the form's usual name."""
    version = _session_version(neg, tongue.code)
    if neg.session.instrument_name:
        if version and version.instrument_name:
            return version.instrument_name, version.instrument_gender or "m"
        tongue.lacks("title", "instrument_name")
        return "[…]", "m"
    say = tongue.phrases
    return say(f"instrument_{neg.form}"), say(f"gender_{neg.form}")


def _session_version(neg: Negotiation, language: str) -> Any:
    versions = neg.session.versions
    return versions.get(language) or versions.get(base(language))


_FOR_TWO = [  # (a word every match holds, pattern, replacement)
    # What the library says of more than two parties says nothing between two: dropped.
    ("more than two", re.compile(r" ?Where this \w+ has more than two (?:Parties|Participants)"
                                 r", [^.]*\."), ""),
    ("remaining", re.compile(r",? and this (\w+) (?:shall|will) (?:remain in force|continue to "
                             r"apply) between the remaining (?:Parties|Participants), if there "
                             r"are two or more of them\."), "."),
    ("remaining", re.compile(r" ?This \w+ (?:shall|will) (?:remain in force|continue to apply) "
                             r"between the remaining (?:Parties|Participants), if there are two "
                             r"or more of them\."), ""),
    ("pair of", re.compile(r"\beach pair of linked systems\b"), "the two linked systems"),
    ("pair of", re.compile(r"\beach pair of\s+linked systems\b"), "the two linked systems"),
    ("the others", re.compile(r"\bunder the others\b"), "under the other"),
    ("all the other", re.compile(r"\ball the other (Part)ies\b"), r"the other \1y"),
    ("all the other", re.compile(r"\ball the other (Participant)s\b"), r"the other \1"),
    ("other Part", re.compile(r"\b(?:each|every|any) other (Party|Participant)\b"),
     r"the other \1"),
    ("other Part", re.compile(r"\bthe other (Part)ies do\b"), r"the other \1y does"),
    ("other Part", re.compile(r"\bthe other (Participant)s do\b"), r"the other \1 does"),
    ("other Part", re.compile(r"\b(?<!the )other (Part)ies\b"), r"the other \1y"),
    ("other Part", re.compile(r"\b(?<!the )other (Participant)s\b"), r"the other \1"),
    ("other Part", re.compile(r"\bthe other (Part)ies\b"), r"the other \1y"),
    ("other Part", re.compile(r"\bthe other (Participant)s\b"), r"the other \1"),
    ("other Part", re.compile(r"\b[Aa]nother (Party|Participant)\b"), r"the other \1"),
    ("all the", re.compile(r"\ball the (Parties|Participants)\b"), r"both \1"),
]
"""The library writes for any number of parties ("each other Party"); between two,
a lawyer writes "the other Party" and "both Parties"."""


@lru_cache(maxsize=4096)  # the same texts on every check of a session: the TUI's key press
def for_two(text: str) -> str:
    """Clause text as a bilateral instrument words it."""
    for needle, pattern, replacement in _FOR_TWO:
        if needle in text:  # most texts hold none of them: no pattern need scan it
            text = pattern.sub(replacement, text)
    return text


def _supporters(renderer: _Renderer, parties: list[str], proposed: bool = False) -> tuple[
        Supporter, ...]:
    return tuple(Supporter(renderer.short(p), proposed) for p in parties)


def _paragraph(neg: Negotiation, renderer: _Renderer, provision: Provision, number: int,
               voice: str) -> Paragraph:
    chosen = neg.chosen().get(provision.id)
    if chosen is not None:
        clause, values = chosen
        values, notes = _bracket_unconfirmed(clause, values,
                                             renderer.unconfirmed.get(provision.id, []),
                                             renderer)
        return _settled(renderer, provision, clause, values, notes, number, voice)
    positions = neg.positions_on(provision.id)
    if not positions:
        return Paragraph(number, provision.id, "open", note=renderer.tongue.phrases(
            "to_be_agreed",
            title=_provision_title(renderer.tongue, provision)))
    groups: dict[Any, list[str]] = {}
    for party_id, position in positions.items():
        key = (("text", position.text) if isinstance(position, ProposedText)
               else ("clause", position.clause, _frozen(position.params)))
        groups.setdefault(key, []).append(party_id)
    clauses = {k[1] for k in groups if k[0] == "clause"}
    # One clause, stated by every party, differs at most in its values: `[12][6]`.
    # A party that has said nothing has not agreed, so a proposal it has not
    # answered stays a bracketed option attributed to its supporters.
    everyone = len(positions) == len(neg.party_ids)
    if everyone and len(clauses) == 1 and all(k[0] == "clause" for k in groups):
        return _disputed_values(neg, renderer, provision, number, voice, positions)
    options = []
    notes: list[UnconfirmedValue] = []
    for index, (key, parties) in enumerate(groups.items(), start=1):
        if key[0] == "text":
            options.append(Option(index, renderer.proposal(positions[parties[0]]),
                                  _supporters(renderer, parties, True), "proposed text"))
            continue
        clause = neg.library.clauses[key[1]]
        position = positions[parties[0]]
        assert isinstance(position, ClauseChoice)
        source = renderer.text_of(clause, voice)
        if source is None and clause.text_for(voice) is not None:  # type: ignore[arg-type]
            text: Markdown | str = renderer.missing_text(clause)
        elif source is None:
            text = renderer.tongue.phrases("voice_missing", title=clause.title)[1:-1]
        else:
            values, found = _bracket_unconfirmed(
                clause, neg.parameter_values(clause, position.params),
                _unconfirmed_names(neg, clause, [position.params]), renderer)
            notes += [note for note in found if note not in notes]
            text = renderer.render(source, values, clause)
        options.append(Option(index, text, _supporters(renderer, parties), clause.id))
    return Paragraph(number, provision.id, "options", options=options, unconfirmed=notes)


def _frozen(params: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))


def _unconfirmed_names(neg: Negotiation, clause: Clause,
                       given: list[dict[str, Any]]) -> list[str]:
    """The parameters of `clause` that none of these positions (or decisions) gives and
    no shared profile figure fills: library defaults, or no value at all."""
    origins = [neg.parameter_origins(clause, params) for params in given]
    return [name for name in clause.params
            if all(found[name][1] in ("default", "missing") for found in origins)]


def _bracket_unconfirmed(clause: Clause, values: dict[str, Any], names: list[str],
                         renderer: _Renderer) -> tuple[dict[str, Any], list[UnconfirmedValue]]:
    """`values` with the unconfirmed ones wrapped, so the text brackets them, and the
    paragraph's note on each: a default must never read as agreed text."""
    if not names:
        return values, []
    wrapped = dict(values)
    notes = []
    for name in names:
        value = values.get(name)
        wrapped[name] = Unconfirmed(value)
        notes.append(UnconfirmedValue(renderer.label(clause, name), None if value is None
                                      else renderer.plain(renderer.shown(clause, name, value))))
    return wrapped, notes


def _settled(renderer: _Renderer, provision: Provision, clause: Clause,
             values: dict[str, Any], notes: list[UnconfirmedValue], number: int,
             voice: str) -> Paragraph:
    source = renderer.text_of(clause, voice)
    if source is None and clause.text_for(voice) is not None:  # type: ignore[arg-type]
        return Paragraph(number, provision.id, "agreed", text=renderer.missing_text(clause),
                         unconfirmed=notes)
    if source is None:
        return Paragraph(number, provision.id, "missing-voice", note=renderer.tongue.phrases(
            "voice_missing", title=clause.title))
    return Paragraph(number, provision.id, "agreed",
                     text=renderer.render(source, values, clause), unconfirmed=notes)


def _disputed_values(neg: Negotiation, renderer: _Renderer, provision: Provision, number: int,
                     voice: str, positions: dict[str, Any]) -> Paragraph:
    clause = neg.library.clauses[next(iter(positions.values())).clause]
    per_party = {pid: neg.parameter_values(clause, pos.params) for pid, pos in positions.items()}
    unconfirmed = _unconfirmed_names(neg, clause, [pos.params for pos in positions.values()])
    values: dict[str, Any] = {}
    notes = []
    for name in clause.params:
        seen: dict[Any, list[str]] = {}
        for pid, params in per_party.items():
            seen.setdefault(_hashable(params.get(name)), []).append(pid)
        if len(seen) == 1:
            values[name] = next(iter(per_party.values())).get(name)
            continue
        ordered = list(seen)
        values[name] = Disputed(tuple(_unhash(v) for v in ordered))
        label = renderer.label(clause, name)
        notes.append(ValueNote(label, tuple(
            (renderer.plain(renderer.shown(clause, name, _unhash(v))),
             tuple(renderer.short(p) for p in seen[v]))
            for v in ordered)))
    # No party gives these and no shared figure fills them: the same default for all.
    values, defaults = _bracket_unconfirmed(clause, values, unconfirmed, renderer)
    source = renderer.text_of(clause, voice)
    if source is None and clause.text_for(voice) is not None:  # type: ignore[arg-type]
        return Paragraph(number, provision.id, "disputed", text=renderer.missing_text(clause),
                         value_notes=notes, unconfirmed=defaults)
    if source is None:
        return Paragraph(number, provision.id, "missing-voice", note=renderer.tongue.phrases(
            "voice_missing", title=clause.title))
    return Paragraph(number, provision.id, "disputed",
                     text=renderer.render(source, values, clause), value_notes=notes,
                     unconfirmed=defaults)


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _unhash(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _definitions(neg: Negotiation) -> list[tuple[str, str, Clause]]:
    """The terms the chosen clauses define, in the English alphabetical order: every
    language version lists them in that order, so that point (c) is the same definition
    in each (the versions are read against each other point by point)."""
    terms: dict[str, tuple[str, Clause]] = {}
    for clause, _values in neg.chosen().values():
        if clause.fits(neg.form, neg.linkage):
            for term, meaning in clause.defines.items():
                terms.setdefault(term, (meaning, clause))
    return sorted(((term, meaning, clause) for term, (meaning, clause) in terms.items()),
                  key=lambda item: item[0].lower())


def _definition(renderer: _Renderer, term: str, meaning: str, clause: Clause,
                end: str) -> Markdown:
    """One point of the definitions article: "“term” means …", or the version's own
    wording, with the term as the version's usage writes it."""
    tongue = renderer.tongue
    if tongue.english:
        return Markdown(styles.rewrite(
            renderer.style, f"“{templating.escape_markdown(term)}” means "
                            f"{templating.escape_markdown(meaning.strip())}{end}"))
    text = tongue.texts.clauses.get(clause.id) if tongue.texts else None
    if text is None or term not in text.defines:
        missing = renderer.missing_text(clause)
        return Markdown(missing.source + end)
    # A translated definition may name other terms in the version's usage, so it is
    # rendered like clause text (it was checked at load).
    said = renderer.render(text.defines[term].strip(), {}, clause)
    return Markdown(tongue.phrases("definition", term=str(renderer.term(term)),
                                   meaning=said.source) + end, said.references)


def _letter(index: int) -> str:
    return "abcdefghijklmnopqrstuvwxyz"[index] if index < 26 else f"z{index}"


def _name_section(neg: Negotiation, style: styles.HouseStyle) -> Article:
    """Section 1 of an Australian instrument: its name."""
    title = templating.escape_markdown(neg.session.title)
    text = Markdown(f"This {style.instrument_word or 'instrument'} is the *{title}*.")
    return Article(1, NAME_TOPIC, "Name", [Paragraph(1, NAME_TOPIC, "agreed", text=text,
                                                     label="")])


def _articles(neg: Negotiation, renderer: _Renderer,
              topics: list[tuple[str, list[Provision]]], annex: bool = False) -> list[Article]:
    style = renderer.style
    articles = []
    part = -1
    for number, (topic_id, provisions) in enumerate(topics, start=1):
        if topic_id == NAME_TOPIC:
            article = _name_section(neg, style)
        else:
            topic = neg.library.topics[topic_id]
            voice = neg.voice_for_topic(topic_id)
            heading = ((style.headings.get(topic_id) or topic.heading(neg.form))
                       if renderer.tongue.english
                       else _heading_in(renderer.tongue, neg, topic_id))
            article = Article(number, topic_id, heading)
            renderer.topic = None if annex else topic_id
            for index, provision in enumerate(provisions, start=1):
                article.paragraphs.append(_paragraph(neg, renderer, provision, index, voice))
            renderer.topic = None
        article.number = number
        for paragraph in article.paragraphs:
            paragraph.label = ("" if len(article.paragraphs) == 1
                               else style.paragraph_label.format(paragraph.number))
        say = renderer.tongue.phrases
        if not renderer.tongue.english:
            article.title_line = say("section_heading" if annex else "article_heading",
                                     number=number, heading=article.heading, unit="")
        elif annex:
            article.title_line = f"Section {number} — {article.heading}"
        elif style.numbered_heading:
            article.title_line = f"{number}  {article.heading}"
        else:
            article.title_line = f"Article {number} — {article.heading}"
        if style.parts and not annex and _part_of(style, topic_id) != part:
            part = _part_of(style, topic_id)
            shown = sorted({_part_of(style, t) for t, _ in topics})
            article.part = f"Part {shown.index(part) + 1}—{style.parts[part][0]}"
        if topic_id == "definitions" and article.paragraphs:
            definitions = _definitions(neg)
            article.paragraphs[-1].points = [
                (_letter(i), _definition(renderer, term, meaning, clause,
                                         _list_end(i, len(definitions), renderer.tongue)))
                for i, (term, meaning, clause) in enumerate(definitions)]
        if topic_id == "conditions" and article.paragraphs and neg.session.conditions:
            conditions = neg.session.conditions
            article.paragraphs[0].points = [
                (_letter(i), _condition_text(neg, c, renderer.tongue)
                 + _list_end(i, len(conditions), renderer.tongue))
                for i, c in enumerate(conditions)]
        articles.append(article)
    return articles


def _list_end(index: int, count: int, tongue: Tongue | None = None) -> str:
    """Points of a list end in a semicolon, the last in a full stop (French sets a space
    before the semicolon)."""
    if index == count - 1:
        return "."
    return " ;" if tongue is not None and base(tongue.code) == "fr" else ";"


def _condition_text(neg: Negotiation, condition: Any, tongue: Tongue | None = None) -> str:
    """A condition as a sentence a lawyer can cite ("Switzerland is to include aviation in
    its system, by 1 January 2020"), not a note ("Switzerland: include aviation")."""
    if tongue is None or tongue.english:
        by = f", by {templating._format_date(condition.by)}" if condition.by else ""
        return (f"{neg.party_short(condition.party)} is to {condition.what.rstrip(' .;')}"
                f"{by}")
    what = (condition.translations.get(tongue.code)
            or condition.translations.get(base(tongue.code)))
    if not what:
        tongue.lacks("condition", condition.party)
        return tongue.phrases("text_missing", title=condition.what, language=tongue.name())
    names = party_names_in(neg, condition.party, tongue.code) or {}
    by = (tongue.phrases("condition_by", date=templating.long_date(condition.by, tongue.code))
          if condition.by else "")
    return tongue.phrases("condition", party=names.get("short") or names.get("name", "[…]"),
                          what=what.rstrip(" .;"), by=by)


def _status(neg: Negotiation, layout: Layout, paragraphs: dict[str, Paragraph]) -> list[
        StatusRow]:
    rows = []
    for topics in (layout.body, layout.guidelines):
        for _topic, provisions in topics:
            for provision in provisions:
                paragraph = paragraphs[provision.id]
                reference = layout.provision_ref[provision.id]
                pending = ("values not yet agreed: "
                           + "; ".join(n.parameter for n in paragraph.unconfirmed)
                           if paragraph.unconfirmed else "")
                if paragraph.status == "agreed" and not pending:
                    detail = ("decided" if neg.decision(provision.id)
                              else "supported by every party")
                    rows.append(StatusRow(reference, provision.id, provision.title, "agreed",
                                          detail))
                    continue
                if paragraph.status == "agreed":  # the clause is agreed, not its values
                    rows.append(StatusRow(reference, provision.id, provision.title, "open",
                                          pending))
                    continue
                detail = {
                    "options": f"{len(paragraph.options)} options",
                    "disputed": ("values disputed: "
                                 + "; ".join(n.parameter for n in paragraph.value_notes)
                                 if paragraph.value_notes
                                 else "positions agree; to be recorded"),
                    "open": "no clause chosen",
                    "missing-voice": "non-binding text missing",
                }[paragraph.status]
                if pending:
                    detail += f"; {pending}"
                rows.append(StatusRow(reference, provision.id, provision.title, "open", detail))
    for provision in layout.left_out:
        how = "decided" if neg.decision(provision.id) else "supported by every party"
        clause = neg.chosen()[provision.id][0]
        rows.append(StatusRow("no text", provision.id, provision.title, "agreed",
                              f"{how}: {clause.title}, which adds no text"))
    return rows


def _recitals(neg: Negotiation, renderer: _Renderer) -> list[Markdown]:
    """The recitals the chosen clauses declare, in treaty order, each once."""
    position = {pid: i for i, p in enumerate(neg.relevant_provisions()) for pid in [p.id]}
    recitals: list[Markdown] = []
    seen: set[str] = set()
    for provision_id in sorted(neg.chosen(), key=lambda p: position.get(p, 10**6)):
        clause, values = neg.chosen()[provision_id]
        if (provision_id in position and clause.recital and clause.fits(neg.form, neg.linkage)
                and clause.recital not in seen):
            seen.add(clause.recital)
            # A recital has no note of its own: its paragraph's note names the value.
            values, _ = _bracket_unconfirmed(clause, values,
                                             renderer.unconfirmed.get(provision_id, []),
                                             renderer)
            if not renderer.tongue.english:
                recitals.append(_recital_in(renderer, clause, values))
                continue
            recital = _recital_in_style(renderer.style, renderer.render(
                clause.recital, values, clause), str(renderer.words["Parties"]))
            # The words the style put in front follow its spelling too ("recognize").
            recitals.append(Markdown(styles.rewrite(renderer.style, recital.source),
                                     recital.references))
    return recitals


def _recital_in(renderer: _Renderer, clause: Clause, values: dict[str, Any]) -> Markdown:
    """A recital in another language, as translated; an agreement of the Union opens it
    in capitals there too ("CONSIDÉRANT que …")."""
    text = renderer.tongue.texts.clauses.get(clause.id) if renderer.tongue.texts else None
    if text is None or text.recital is None:
        return renderer.missing_text(clause)
    recital = renderer.render(text.recital, values, clause)
    if renderer.style.id != "eu-agreement":
        return recital
    if base(renderer.tongue.code) == "fr":
        return Markdown(_french_recital_lead(recital.source), recital.references)
    return _recital_in_style(renderer.style, recital, "")


_FRENCH_STOPS = ("que", "qu'", "qu’", "le", "la", "les", "l'", "l’", "de", "du", "des", "d'",
                 "d’", "un", "une", "leur", "leurs", "son", "sa", "ses", "en", "aux", "au")


def _french_recital_lead(text: str) -> str:
    """The opening of a recital in capitals as the Union's French versions set it:
    "AYANT À L'ESPRIT les engagements…", "CONSIDÉRANT qu'une tonne…"."""
    words = text.split(" ")
    for index, word in enumerate(words[:4]):
        if index and (word.lower() in _FRENCH_STOPS
                      or word.lower().startswith(("qu'", "qu’", "d'", "d’"))):
            break
        words[index] = word.upper()
    return " ".join(words)


_WHEREAS = {"Considering": "", "Recognising": "recognise ",
            "Recognizing": "recognize ", "Noting": "note ",
            "Acknowledging": "acknowledge ", "Desiring": "desire ",
            "Affirming": "affirm ", "Reaffirming": "reaffirm ",
            "Respecting": "respect ", "Welcoming": "welcome ",
            "Aware": "are aware ", "Conscious": "are conscious ",
            "Convinced": "are convinced ", "Determined": "are "
            "determined ", "Mindful": "are mindful "}
"""How a participle or adjective opening a recital reads after "WHEREAS"."""
_RECITAL_LEAD = re.compile(r"^(" + "|".join(_WHEREAS) + r")\b")


def _recital_in_style(style: styles.HouseStyle, recital: Markdown, voice: str) -> Markdown:
    """A recital as the tradition opens it: "CONSIDERING that …," in an agreement of the
    Union; "WHEREAS …;" in a North American one."""
    if style.id == "eu-agreement":  # the opening word in capitals, whatever it is
        first = re.match(r"[^\W\d_]+", recital.source)
        if first:
            return Markdown(first.group(0).upper() + recital.source[first.end():],
                            recital.references)
    found = _RECITAL_LEAD.match(recital.source)
    if found is None:
        return recital
    word, rest = found.group(1), recital.source[found.end():]
    if style.recital_lead:
        if not _WHEREAS[word]:  # "Considering that X" is "WHEREAS X"
            rest = re.sub(r"^ that\b", "", rest)
        subject = f"the {voice} {_WHEREAS[word]}" if _WHEREAS[word] else ""
        source = f"{style.recital_lead}{subject}{rest.lstrip()}".rstrip(",;. ") + ";"
        return Markdown(source, recital.references)
    return recital


def _heading_in(tongue: Tongue, neg: Negotiation, topic_id: str) -> str:
    texts = tongue.texts
    heading = None
    if texts is not None:
        heading = (texts.form_titles.get(topic_id, {}).get(neg.form)
                   or texts.topic_titles.get(topic_id))
    if heading is None:
        tongue.lacks("title", topic_id)
        return f"[{neg.library.topics[topic_id].title}]"
    return heading


def _provision_title(tongue: Tongue, provision: Provision) -> str:
    if tongue.english:
        return provision.title
    title = tongue.texts.provision_titles.get(provision.id) if tongue.texts else None
    if title is None:
        tongue.lacks("title", provision.id)
        return provision.id
    return title


def _preamble(neg: Negotiation, renderer: _Renderer, style: styles.HouseStyle
              ) -> tuple[str, str, list[Markdown], str]:
    """The preamble's heading, its opening words, the recitals and the enacting formula,
    as the house style writes them."""
    if not renderer.tongue.english:
        return _preamble_in(neg, renderer, style)
    names = [neg.party_name(p) for p in neg.party_ids]
    if style.id == "au-instrument":
        # Made by the Governor-General on the advice of the Executive Council; who holds the
        # office on the day is for the maker to fill in.
        return ("", "I, […], Governor-General of the Commonwealth of Australia, acting with "
                "the advice of the Federal Executive Council, make the following instrument.",
                [], "")
    recitals = _recitals(neg, renderer) if style.recitals else []
    voice = voice_word(neg, style)
    if neg.form == "regulation":
        recognising = neg.recognising() or neg.party_ids[0]
        return ("Preamble", f"{_capital(neg.party_name(recognising))}, whereas:", recitals,
                "HAS ADOPTED THIS REGULATION:")
    if style.id == "north-american":
        return ("", f"{_capital(join_words(names))}, hereinafter “the {voice}”,", recitals,
                f"NOW, THEREFORE, the {voice} "
                + ("agree as follows:"
                   if neg.form != "memorandum" or instrument_word(neg) == "Agreement"
                   else "have reached the following understanding:"))
    if neg.form == "memorandum":
        return ("Preamble", f"{_capital(join_words(names))}, hereinafter “the {voice}”,",
                recitals, "HAVE REACHED THE FOLLOWING UNDERSTANDING:")
    return ("Preamble", f"{join_words([n.upper() for n in names])}, hereinafter “the {voice}”,",
            recitals, "HAVE AGREED AS FOLLOWS:")


def _preamble_in(neg: Negotiation, renderer: _Renderer, style: styles.HouseStyle
                 ) -> tuple[str, str, list[Markdown], str]:
    """The preamble in another language: the same structure, the language's formulas."""
    say, tongue = renderer.tongue.phrases, renderer.tongue
    names = [str(renderer.party(p)) for p in neg.party_ids]
    joined = join_words(names, say("and"))
    recitals = _recitals(neg, renderer) if style.recitals else []
    parties = str(renderer.words["Parties"])
    if neg.form == "regulation":
        recognising = neg.recognising() or neg.party_ids[0]
        return (say("preamble"), say("regulation_intro",
                                     name=_capital(str(renderer.party(recognising)))),
                recitals, say("regulation_formula"))
    if style.id == "north-american":
        agree = neg.form != "memorandum" or neg.session.instrument_name == "Agreement"
        return ("", say("parties_intro", names=_capital(joined), Parties=parties), recitals,
                say("na_agree" if agree else "na_understanding", Parties=parties))
    if neg.form == "memorandum":
        return (say("preamble"), say("parties_intro", names=_capital(joined),
                                     Parties=parties), recitals, say("understanding"))
    del tongue
    capitals = join_words([n.upper() for n in names], say("and"))
    return (say("preamble"), say("parties_intro_capitals", NAMES=capitals,
                                 Parties=parties), recitals, say("agreed"))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def text_date(neg: Negotiation) -> dt.date:
    """The date the text speaks from: its round's, else the first day of its year."""
    session = neg.session
    if session.round and session.round.date:
        return session.round.date
    return dt.date(session.year or dt.date.today().year, 1, 1)


def _languages_named(neg: Negotiation, style: styles.HouseStyle) -> str:
    """The languages of the originals, for a closing formula that names them: for an
    agreement of the Union, every language it concluded agreements in on the date of the
    text, with the partners' own; otherwise the parties' official languages."""
    from negotiation.languages import language_name, proposed_languages

    per_party = [neg.systems[p].parameters.languages for p in neg.party_ids]
    if style.id == "eu-agreement":
        names = [language_name(c) for c in styles.eu_languages(text_date(neg))]
        for codes in per_party:
            names += [language_name(c) for c in codes or []
                      if language_name(c) not in names]
        return f"the {join_words(sorted(names))} languages"
    found = proposed_languages(per_party)
    return f"the {join_words(found)} languages" if found else "the […] languages"


def _signatures(neg: Negotiation, renderer: _Renderer, style: styles.HouseStyle,
                layout: Layout) -> tuple[str, str, list[Signature]]:
    """The closing: its heading, the formula and the signature blocks."""
    if not renderer.tongue.english:
        return _signatures_in(neg, renderer, style, layout)
    signed = [Signature(f"For {neg.party_name(p)}") for p in neg.party_ids]
    # The languages article says already in which languages the originals are drawn up.
    stated = "languages" in dict(layout.body)
    languages = "" if stated else (
        f", in {_languages_named(neg, style)}, each text being equally authentic")
    if style.id == "au-instrument":
        return ("", "Dated […]",
                [Signature("[…], Governor-General"),
                 Signature("By Command, […], Minister responsible for the Act under which "
                           "this instrument is made")])
    if neg.form == "regulation":
        recognising = neg.recognising() or neg.party_ids[0]
        return ("", "Done at […], on […].",
                [Signature(f"For {neg.party_name(recognising)}, the competent authority")])
    # Where the languages article says how many originals, the closing only dates them.
    count = "" if stated else styles.copies(len(neg.party_ids))
    if style.id == "eu-agreement":
        return ("", f"Done at […], on […]{', ' + count if count else ''}{languages}.", signed)
    if style.id == "north-american":
        valid = languages.replace("equally authentic", "equally valid")
        return ("", f"Signed at […], on […]{', ' + count if count else ''}{valid}.", signed)
    if neg.form == "memorandum":
        return ("", f"Signed by the {voice_word(neg, style)} at […], on […]"
                f"{', ' + count if count else ''}"
                f"{languages.replace('equally authentic', 'equally valid')}.", signed)
    return ("", "IN WITNESS WHEREOF, the undersigned, being duly authorised thereto, have "
            f"signed this {instrument_word(neg)}.\n\nDone at […], on […]"
            f"{', ' + count if count else ''}{languages}.",
            signed)


def _languages_in(neg: Negotiation, style: styles.HouseStyle, tongue: Tongue) -> str:
    """The languages of the originals as the version's closing names them: "en langues
    allemande et anglaise", "in deutscher und englischer Sprache"."""
    from negotiation.drafting.phrases import (
        french_language_adjective,
        german_language_adjective,
    )
    from negotiation.languages import language_name

    codes = authentic_languages(neg, style)
    if not codes:
        return tongue.phrases("languages_unknown")
    lang = base(tongue.code)
    names = sorted({language_name(c, lang) for c in codes}, key=str.lower)
    if lang == "fr":
        names = [french_language_adjective(n) for n in names]
    elif lang == "de":
        names = [german_language_adjective(n) for n in names]
    return join_words(names, tongue.phrases("and"))


def authentic_languages(neg: Negotiation, style: styles.HouseStyle) -> list[str]:
    """The instrument's authentic languages by code: the session's `languages:`, else
    for an agreement of the Union every language it concluded agreements in on the date
    of the text with the partners' own, else the parties' official languages."""
    if neg.session.languages:
        return list(neg.session.languages)
    per_party = [neg.systems[p].parameters.languages for p in neg.party_ids]
    codes: list[str] = []
    if style.id == "eu-agreement":
        codes = list(styles.eu_languages(text_date(neg)))
    if any(found is None for found in per_party) and not codes:
        return []
    for found in per_party:
        for code in found or []:
            if base(code) not in {base(c) for c in codes}:
                codes.append(code)
    return codes


def _signatures_in(neg: Negotiation, renderer: _Renderer, style: styles.HouseStyle,
                   layout: Layout) -> tuple[str, str, list[Signature]]:
    """The closing in another language: the same formula, the language's words."""
    tongue = renderer.tongue
    say = tongue.phrases
    de = base(tongue.code) == "de"
    signed = [Signature(say("signature", party=str(renderer.party(p, "acc" if de else None))))
              for p in neg.party_ids]
    stated = "languages" in dict(layout.body)
    count = "" if stated else _copies_in(say, len(neg.party_ids))
    count = f", {count}" if count else ""
    languages = ""
    if not stated:
        valid = style.id == "north-american" or neg.form == "memorandum"
        languages = ", " + say("languages_valid" if valid else "languages_authentic",
                               languages=_languages_in(neg, style, tongue))
    parties = str(renderer.words["Parties"])
    if neg.form == "regulation":
        recognising = neg.recognising() or neg.party_ids[0]
        return ("", say("done", count="", languages=""),
                [Signature(say("regulation_signature",
                               party=str(renderer.party(recognising, "acc" if de else None))))])
    if style.id == "eu-agreement":
        return ("", say("done", count=count, languages=languages), signed)
    if style.id == "north-american":
        return ("", say("signed", count=count, languages=languages), signed)
    if neg.form == "memorandum":
        return ("", say("signed_by", Parties=parties, count=count, languages=languages),
                signed)
    witness = say("witness", instrument=str(renderer.words["instrument"]),
                  this_instrument=str(renderer.words["this_instrument_acc" if de
                                                     else "this_instrument"]))
    return ("", witness + "\n\n" + say("done", count=count, languages=languages), signed)


def _copies_in(say: Phrases, count: int) -> str:
    return say(f"copies_{count}") if count in (2, 3, 4) else say("copies_n", count=count)


def voice_word(neg: Negotiation, style: styles.HouseStyle) -> str:
    """What the instrument calls those it binds or brings together: "Parties", or
    "Participants" in a memorandum, unless the tradition says otherwise: the North
    American agreements speak of "Parties" though they bind no one (verified in the
    published 2017 California–Québec–Ontario text)."""
    if style.voice:
        return style.voice
    if style.id == "north-american" and instrument_word(neg) == "Agreement":
        return "Parties"
    return "Participants" if neg.form == "memorandum" else "Parties"


def _party_order(neg: Negotiation) -> list[str]:
    """Parties as the instrument names them: a regulation's author first."""
    recognising = neg.recognising()
    if neg.form == "regulation" and recognising:
        return [recognising, *(p for p in neg.party_ids if p != recognising)]
    return list(neg.party_ids)


def instrument_word(neg: Negotiation) -> str:
    """What the instrument calls itself ("this Agreement"): the form's usual name unless
    the session names it (a non-binding text that its parties called an Agreement)."""
    return neg.session.instrument_name or INSTRUMENT_WORD[neg.form]


def _kind(neg: Negotiation) -> str:
    return neg.session.instrument_name or KIND[neg.form]


def _subtitle(neg: Negotiation, parties: list[str], style: styles.HouseStyle,
              renderer: _Renderer | None = None) -> str:
    form = neg.form
    if renderer is not None and not renderer.tongue.english:
        say = renderer.tongue.phrases
        kind = str(renderer.words["instrument"]) if neg.session.instrument_name \
            else say(f"kind_{form}")
        if form == "regulation":
            case = "gen" if base(renderer.tongue.code) == "de" else "de"
            return say("of", kind=kind, name=str(renderer.party(_party_order(neg)[0], case)))
        line = say("between", kind=kind, names=join_words(
            [str(renderer.party(p, "dat")) for p in _party_order(neg)], say("and")))
        annex = say("annex_ref", number=styles.annex_number(style, 2))
        return line + (say("with_guidelines", annex=annex) if form == "hybrid" else "")
    if style.id == "au-instrument":
        return "Legislative instrument of the Commonwealth of Australia"
    if form == "regulation":
        return f"{_kind(neg)} of {parties[0]}"
    line = f"{_kind(neg)} between {join_words(parties)}"
    guidelines = f"{style.annex_word} {styles.annex_number(style, 2)}"
    return line + (f", with Implementing Guidelines in {guidelines}" if form == "hybrid" else "")


def _english_of(languages: list[str]) -> str | None:
    """The English a jurisdiction legislates in: its own `en-XX`; the Union's plain "en"
    is British and Irish English; a French-speaking Canadian province writes Canadian."""
    for code in languages:
        if code.startswith("en-"):
            return code
    if "en" in languages:
        return "en-GB"
    if any(code.endswith("-CA") for code in languages):
        return "en-CA"
    return None


def _text_language(neg: Negotiation) -> str:
    """The English of the instrument, for the editor's spelling check. A regulation is the
    recognising party's own act; an agreement with the EU or the UK follows their (British)
    usage; one with a US party, American usage (the US party drafts the English); otherwise
    the parties' common English, and British, the usage of international treaties, when they
    have none in common."""
    englishes = {pid: _english_of(neg.systems[pid].parameters.languages or [])
                 for pid in neg.party_ids}
    own = englishes.get(neg.recognising() or "") if neg.form == "regulation" else None
    if own:
        return own
    found = {e for e in englishes.values() if e}
    for preferred in ("en-GB", "en-US"):
        if preferred in found:
            return preferred
    return found.pop() if len(found) == 1 else "en-GB"


def build_draft(neg: Negotiation, clean: bool = False, language: str = "en") -> Draft:
    """The instrument this negotiation's form and linkage call for, in its house style,
    in `language` (a code: "fr", "fr-CA"; "en", the library's own, by default)."""
    style = styles.choose_style(neg)
    tongue = tongue_for(neg, language)
    layout = _layout(neg, style, tongue)
    renderer = _Renderer(neg, layout, style, tongue)
    body = _articles(neg, renderer, layout.body)
    guidelines = _articles(neg, renderer, layout.guidelines, annex=True)
    paragraphs = {p.provision: p for a in (*body, *guidelines) for p in a.paragraphs}
    session = neg.session
    parties = [neg.party_name(p) for p in _party_order(neg)]
    title, short_title, marking = _session_words(neg, tongue)
    preface = Preface(
        title=title,
        short_title=short_title,
        kind=_kind(neg) if tongue.english else str(renderer.words["instrument"]),
        subtitle=_subtitle(neg, parties, style, renderer),
        marking=marking,
        round_number=session.round.number if session.round else None,
        round_date=session.round.date if session.round else None,
        parties=parties if tongue.english else [str(renderer.party(p))
                                                for p in _party_order(neg)],
        language=_text_language(neg) if tongue.english else _proofing(tongue.code),
    )
    heading, intro, recitals, formula = _preamble(neg, renderer, style)
    conclusions_heading, conclusions, signatures = _signatures(neg, renderer, style, layout)
    attachments = [_criteria_annex(neg, renderer, style, layout)]
    if guidelines:
        say = tongue.phrases
        if tongue.english:
            body_name = str(renderer.words.get("body") or "the joint body")
            intro_text = (f"These guidelines implement the {instrument_word(neg)}. "
                          f"{_capital(body_name)} may adopt and amend them by decision.")
        else:
            intro_text = say("guidelines_intro", instrument=str(renderer.words[
                "this_instrument_gen" if base(tongue.code) == "de" else "this_instrument"]),
                Body=_capital(str(renderer.words["body"])))
        attachments.append(Annex(
            styles.annex_number(style, 2), say("guidelines_title"),
            word=style.annex_word if tongue.english else say("annex"),
            intro=intro_text, sections=guidelines))
    return Draft(
        form=neg.form, linkage=neg.linkage, voice_word=str(renderer.words["Parties"])
        if not tongue.english else voice_word(neg, style),
        preface=preface,
        status=[] if clean or not tongue.english else _status(neg, layout, paragraphs),
        preamble_intro=intro, recitals=recitals, enacting_formula=formula, body=body,
        conclusions_heading=conclusions_heading,
        conclusions_intro=conclusions, signatures=signatures, attachments=attachments,
        clean=clean, style=style.id, preamble_heading=heading, language=tongue.code,
        missing=list(tongue.missing) + [_phrase_missing(k) for k in sorted(tongue.phrases.missing)],
        phrases=tongue.phrases)


def _criteria_annex(neg: Negotiation, renderer: _Renderer, style: styles.HouseStyle,
                    layout: Layout) -> Annex:
    """Annex I, generated from each party's legislation (negotiation.drafting.criteria):
    in another language, in that language's words, with each party's law as its profile
    cites it there; a bracket where the version lacks a phrase or a citation (each
    recorded among the phrases it misses)."""
    tongue = renderer.tongue
    say = None if tongue.english else tongue.phrases
    return Annex(styles.annex_number(style, 1),
                 "Essential criteria" if say is None else say("criteria_title"),
                 word=style.annex_word if say is None else say("annex"),
                 intro=essential_criteria_intro(neg, str(renderer.words["Party"]), say=say),
                 table=essential_criteria_annex(neg, layout.provision_ref, say=say))


def _phrase_missing(key: str) -> tuple[str, str]:
    """What a missing skeleton key stands for: a citation of a party's law or one of its
    proper names (criteria.py asks for those by `legislation:<profile>:<English>` and
    `proper_name:<profile>:<English>`), else a phrase of the skeleton."""
    kind = key.split(":", 1)[0]
    return ("citation", key) if kind in ("legislation", "proper_name") else ("phrase", key)


def _session_words(neg: Negotiation, tongue: Tongue) -> tuple[str, str, str]:
    """Title, short title and marking in the version's language (the session's
    `versions:`); a title the session does not give there is a bracket and a finding."""
    session = neg.session
    if tongue.english:
        return session.title, session.short_title or session.title, session.marking
    version = _session_version(neg, tongue.code)
    if version is None or not version.title:
        tongue.lacks("title", "title")
        title = f"[{session.title}]"
    else:
        title = version.title
    short = (version.short_title if version and version.short_title else title)
    if session.marking and not (version and version.marking):
        tongue.lacks("title", "marking")
    marking = (version.marking if version and version.marking
               else (f"[{session.marking}]" if session.marking else ""))
    return title, short, marking


_PROOFING = {"fr": "fr-FR", "de": "de-DE", "it": "it-IT", "en": "en-GB"}


def _proofing(language: str) -> str:
    """The BCP 47 tag an editor checks a version's spelling with: its region where it has
    one (fr-CA, de-CH), else the language's main one."""
    return language if "-" in language else _PROOFING.get(language, language)
