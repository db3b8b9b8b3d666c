"""Authentic texts in several languages: the library's French and German, the term base,
the versions a negotiator renders, and what a missing translation does."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from negotiation.checks import run_checks
from negotiation.checks.rules_languages import rendered_languages, translators_languages
from negotiation.cli import main
from negotiation.drafting.builder import build_draft
from negotiation.drafting.markdown import write_markdown
from negotiation.drafting.parallel import aligned, write_parallel_markdown
from negotiation.errors import LinkwrightError
from negotiation.library import load_library
from negotiation.session import load_session, preset_text
from negotiation.templating import long_date, render
from negotiation.translations import term_in
from tests.conftest import negotiation

PRESET_LANGUAGES = {"ca-qc": ["fr-CA"], "eu-ch": ["fr", "de"], "eu-ch-uk": ["fr", "de"]}


@pytest.mark.parametrize("preset", sorted(PRESET_LANGUAGES))
def test_each_preset_renders_the_versions_it_needs_without_a_gap(preset: str) -> None:
    neg = negotiation(preset)
    assert rendered_languages(neg) == PRESET_LANGUAGES[preset]
    for code in PRESET_LANGUAGES[preset]:
        draft = build_draft(neg, clean=True, language=code)
        gaps = [m for m in draft.missing if m[0] != "criteria"]
        assert gaps == [], f"{preset} in {code}: {gaps}"


@pytest.mark.parametrize("preset", sorted(PRESET_LANGUAGES))
def test_the_versions_align_paragraph_by_paragraph(preset: str) -> None:
    neg = negotiation(preset)
    drafts = [build_draft(neg, language=code) for code in ["en", *PRESET_LANGUAGES[preset]]]
    rows = aligned(drafts)
    assert rows and all(len(row.cells) == len(drafts) for row in rows)
    for articles in zip(*(d.body for d in drafts), strict=True):
        for paragraphs in zip(*(a.paragraphs for a in articles), strict=True):
            # the same references and the same number of bracketed values in each
            refs = [[(r.topic, r.provision) for r in p.text.references] if p.text else []
                    for p in paragraphs]
            assert all(r == refs[0] for r in refs)
            brackets = [len(re.findall(r"\\\[", p.text.source)) if p.text else 0
                        for p in paragraphs]
            assert len(set(brackets)) == 1, (paragraphs[0].provision, brackets)
            assert len({len(p.points) for p in paragraphs}) == 1


def test_a_disputed_value_stands_in_every_version_at_the_same_place() -> None:
    def dispute(data: dict[str, Any]) -> None:
        data["provisions"]["termination.notice"] = "open"
        data["positions"] = {
            "eu": {"termination.notice": {"clause": "termination.notice.fixed",
                                          "params": {"months": 6}}},
            "ch": {"termination.notice": {"clause": "termination.notice.fixed",
                                          "params": {"months": 12}}}}
    neg = negotiation("eu-ch", dispute)
    texts = {code: write_markdown(build_draft(neg, language=code))
             for code in ("en", "fr", "de")}
    assert "[6][12] months" in texts["en"]
    assert "[6][12] mois" in texts["fr"]
    assert "[6][12] Monaten" in texts["de"] or "[6][12] Monate" in texts["de"]
    # who supports what, in the version's language
    assert "Valeur contestée" in texts["fr"] and "Strittiger Wert" in texts["de"]
    assert "supported by" not in texts["fr"] and "supported by" not in texts["de"]


@pytest.mark.parametrize("preset", sorted(PRESET_LANGUAGES))
def test_the_term_base_has_every_defined_term_in_every_instrument_language(
        preset: str) -> None:
    neg = negotiation(preset)
    defined = {t for c, _ in neg.chosen().values() for t in c.defines}
    for code in ["en", *PRESET_LANGUAGES[preset]]:
        lacking = sorted(t for t in defined if term_in(neg.library, t, code) is None)
        assert lacking == [], f"{code}: {lacking}"


def test_the_usage_of_the_version_decides_the_term() -> None:
    library = load_library()
    assert term_in(library, "allowance", "fr-CA").one == "droit d'émission"  # Québec
    assert term_in(library, "allowance", "fr").one == "quota d'émission"  # the Union
    ca_qc = write_markdown(build_draft(negotiation("ca-qc"), language="fr-CA"))
    assert "« droit d'émission »" in ca_qc and "quota" not in ca_qc


def test_french_and_german_write_numbers_percentages_and_dates_their_way() -> None:
    source = "{{ p | percent }}, {{ n | number }}, {{ d | date }}"
    values = {"p": 8, "n": 1000, "d": dt.date(2020, 1, 1)}
    assert render(source, {**values, "LANGUAGE": "fr"}) == \
        "8 pour cent, 1\u202f000, 1er janvier 2020"
    assert render(source, {**values, "LANGUAGE": "de"}) == "8 Prozent, 1.000, 1. Januar 2020"
    # Swiss German groups thousands with an apostrophe (CLDR writes it straight or curly)
    assert render("{{ n | number }}", {"n": 1000, "LANGUAGE": "de-CH"}) in ("1’000", "1'000")
    assert render(source, values) == "8 per cent, 1,000, 1 January 2020"
    assert long_date(dt.date(2017, 11, 23), "fr") == "23 novembre 2017"


def test_the_eu_ch_closing_names_the_languages_in_each_version() -> None:
    neg = negotiation("eu-ch")
    french = write_markdown(build_draft(neg, language="fr"))
    german = write_markdown(build_draft(neg, language="de"))
    assert "SONT CONVENUES DE CE QUI SUIT :" in french
    assert "SIND WIE FOLGT ÜBEREINGEKOMMEN:" in german
    # the languages article reads the session's list, in the version's own words
    assert "allemand" in french and "Deutsch" in german
    assert "Pour l'Union européenne" in french and "Für die Europäische Union" in german


LAYER = """\
topic: objective
provisions:
  objective.extra:
    title: A further purpose
    clauses:
      - id: objective.extra.cooperate
        title: Cooperation on research
        text:
          binding: The {{ Parties }} shall cooperate on research into carbon markets.
"""


def _session_with_layer(tmp_path: Path, languages: str, edit: str = "") -> Path:
    (tmp_path / "library").mkdir()
    (tmp_path / "library" / "extra.yaml").write_text(LAYER)
    text = preset_text("eu-ch")
    text = text.replace("provisions:\n", "libraries: [library]\nprovisions:\n  objective.extra: "
                        "{clause: objective.extra.cooperate}\n", 1)
    text = re.sub(r"^languages: \[.*\]$", f"languages: [{languages}]", text, flags=re.M)
    session = tmp_path / "s.yaml"
    session.write_text(text + edit)
    return session


def test_a_clause_without_a_french_text_is_an_error_and_a_bracket(tmp_path: Path) -> None:
    neg = load_session(_session_with_layer(tmp_path, "en, fr"))
    found = [f for f in run_checks(neg) if f.rule == "language.text-missing"
             and "objective.extra.cooperate" in f.clauses]
    assert len(found) == 1 and found[0].severity == "error"
    assert "“Cooperation on research” has no French text" in found[0].message
    french = write_markdown(build_draft(neg, language="fr"))
    assert "\\[objective.extra.cooperate : texte français manquant\\]" in french
    assert "cooperate on research" not in french  # never the English in its place


def test_a_delegations_layer_may_add_a_language(tmp_path: Path) -> None:
    session = _session_with_layer(tmp_path, "en, it")
    italian = tmp_path / "library" / "lang" / "it"
    italian.mkdir(parents=True)
    (italian / "objective.yaml").write_text(
        "language: it\ntopic: objective\ntitle: Obiettivo\nprovisions:\n"
        "  objective.extra: Un ulteriore obiettivo\nclauses:\n"
        "  objective.extra.cooperate:\n    title: Cooperazione nella ricerca\n"
        "    binding: Le {{ Parties }} cooperano nella ricerca sui mercati del carbonio.\n")
    (italian / "skeleton.yaml").write_text(
        "language: it\nskeleton:\n  party_word: Parte\n  parties_word: Parti\n"
        "  article_heading: 'Articolo {number} — {heading}'\n")
    neg = load_session(session)
    assert rendered_languages(neg) == ["it"]
    italian_text = write_markdown(build_draft(neg, language="it"))
    assert "Le Parti cooperano nella ricerca sui mercati del carbonio." in italian_text
    assert "Articolo 1 — Obiettivo" in italian_text
    assert "[termination.notice.fixed : " not in italian_text  # the skeleton's own words
    missing = {f.message.split(" has ")[0] for f in run_checks(neg)
               if f.rule == "language.text-missing"}
    assert "The clause “Termination on fixed notice”" in missing


def _layer_file(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "lib"
    (folder / "lang" / "fr").mkdir(parents=True)
    (folder / "lang" / "fr" / "termination.yaml").write_text(body)
    return folder


@pytest.mark.parametrize(("binding", "said"), [
    ("Chaque {{ Party }} peut dénoncer {{ this_instrument }} avec un préavis de "
     "{{ weeks }} semaines.", "unknown name 'weeks'"),
    ("Chaque {{ Party }} peut dénoncer {{ this_instrument }} après consultation "
     "{{ body_a }} et conformément {{ ref('suspension', 'a') }}.",
     "the parameters differ from the English (lacks automatic, months)"),
])
def test_a_translation_that_binds_otherwise_is_refused_at_load(
        tmp_path: Path, binding: str, said: str) -> None:
    folder = _layer_file(tmp_path, "language: fr\ntopic: termination\noverrides: true\n"
                         "clauses:\n  termination.notice.fixed:\n    binding: >-\n      "
                         + binding + "\n")
    with pytest.raises(LinkwrightError) as info:
        load_library((folder,))
    assert "termination.yaml:" in str(info.value) and said in str(info.value)


def test_a_term_base_whose_usages_disagree_in_gender_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    (folder / "lang").mkdir(parents=True)
    (folder / "lang" / "terms.yaml").write_text(
        "terms:\n  allowance:\n    fr-BE: {one: unité d'émission, other: unités d'émission, "
        "gender: f}\n")
    with pytest.raises(LinkwrightError) as info:
        load_library((folder,))
    assert "one text serves both usages" in str(info.value)


def test_render_language_from_the_command_line(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    session = tmp_path / "cq.yaml"
    session.write_text(preset_text("ca-qc"))
    assert main(["render", str(session), "--language", "fr", "-o",
                 str(tmp_path / "fr.md")]) == 0
    french = (tmp_path / "fr.md").read_text()
    assert french.startswith("**Texte tel que conclu en 2013")
    assert "la présente Entente" in french and "Agreement" not in french
    assert main(["render", str(session), "--language", "en,fr", "-o",
                 str(tmp_path / "both.md")]) == 0
    both = (tmp_path / "both.md").read_text()
    assert "## Article 1 — Objective [en]" in both or "[en]" in both
    assert both.count("**[fr-CA]**") == both.count("**[en]**") > 20
    capsys.readouterr()
    assert main(["render", str(session), "--language", "it", "-o",
                 str(tmp_path / "it.md")]) == 2
    assert "the library has no texts in 'it'; it renders en, de, fr" in capsys.readouterr().err
    assert main(["render", str(session), "--language", "fr", "--document", "brief", "-o",
                 str(tmp_path / "brief.md")]) == 2
    assert "the brief is in English" in capsys.readouterr().err


def test_the_brief_says_which_versions_translators_make() -> None:
    neg = negotiation("eu-ch")
    assert translators_languages(neg)[:3] == ["bg", "hr", "cs"]
    from negotiation.checks import run_checks as checks
    from negotiation.drafting.brief import build_brief

    brief = build_brief(neg, checks(neg))
    assert "French and German versions are rendered by Linkwright" in brief
    assert "Bulgarian" in brief  # left to translators, by name


def test_side_by_side_markdown_pairs_each_paragraph() -> None:
    neg = negotiation("ca-qc")
    text = write_parallel_markdown([build_draft(neg), build_draft(neg, language="fr-CA")])
    first = text.index("**[en]** The purpose")
    assert text.index("**[fr-CA]** La présente Entente a pour objet") > first


def test_each_definition_stands_beside_its_versions_in_a_row_of_its_own() -> None:
    neg = negotiation("eu-ch")
    rows = aligned([build_draft(neg, language=code) for code in ("en", "fr", "de")])
    points = [row.cells for row in rows if row.kind == "point"]
    definitions = [cells for cells in points if "“allowance”" in cells[0]]
    assert len(definitions) == 1
    english, french, german = definitions[0]
    letter = english.split(")")[0] + ")"
    assert french.startswith(letter) and german.startswith(letter)  # the same point, (b)
    assert "« quota d'émission »" in french and "„Zertifikat“" in german
    paragraph = next(r for r in rows if r.kind == "paragraph" and "purposes" in r.cells[0])
    assert "“allowance”" not in paragraph.cells[0]  # the points are not repeated there


def test_a_swiss_german_version_uses_the_swiss_terms_throughout() -> None:
    """The German layers are the Union's German; a de-CH version says what the CO2 Act
    says: "Emissionsrecht" for "Zertifikat", "EHS-Teilnehmer" for the covered entity."""
    neg = negotiation("eu-ch")
    swiss = write_markdown(build_draft(neg, language="de-CH"))
    union = write_markdown(build_draft(neg, language="de"))
    assert "Zertifikat" not in swiss and "Emissionsrecht" in swiss
    assert "EHS-Teilnehmer" in swiss and "EHS-Teilnehmer" not in union
    assert "Emissionsrecht" not in union and "Zertifikat" in union
    # "Betreiber" is also the operator: where the English says operator, it stays
    assert re.search(r"\bBetreiber", union)


def test_a_usage_takes_a_word_only_where_it_means_one_term() -> None:
    from negotiation.translations import usage_wording

    say = usage_wording(load_library(), "de-CH")
    assert say is not None
    assert say("die Zertifikate des Betreibers und der Zertifikatsmarkt") == \
        "die Emissionsrechte des Betreibers und der Zertifikatsmarkt"
    assert usage_wording(load_library(), "de") is None


@pytest.mark.parametrize("code", ["fr", "de"])
def test_the_whole_library_and_skeleton_are_in_french_and_german(code: str) -> None:
    from negotiation.drafting.phrases import ENGLISH

    library = load_library()
    version = library.versions[code]
    lacking = []
    for clause in library.clauses.values():
        text = version.clauses.get(clause.id)
        if text is None or not text.title:
            lacking.append(clause.id)
            continue
        lacking += [f"{clause.id} {voice}" for voice in ("binding", "nonbinding")
                    if clause.text_for(voice) is not None and getattr(text, voice) is None]
        lacking += [f"{clause.id} recital" for _ in [1] if clause.recital and not text.recital]
        lacking += [f"{clause.id} defines {t}" for t in clause.defines if t not in text.defines]
        lacking += [f"{clause.id} label {p}" for p in clause.params if p not in text.labels]
    lacking += [t for t in library.topics if t not in version.topic_titles]
    lacking += [p for p in library.provisions if p not in version.provision_titles]
    assert lacking == []
    assert sorted(set(ENGLISH) - set(library.skeletons[code])) == []
