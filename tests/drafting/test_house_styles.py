"""House styles (issue 11): each drafting tradition's opening, numbering, citations and
closing, chosen from the parties and the form, overridable in the session; and the
lint of final clauses against the tradition and the date of the text."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from negotiation.checks import run_checks
from negotiation.cli import main
from negotiation.drafting.builder import build_draft
from negotiation.drafting.docx_writer import write_docx
from negotiation.drafting.markdown import write_markdown
from negotiation.drafting.styles import choose_style, eu_languages
from tests.conftest import negotiation, preset_data


def markdown(preset: str, edit: Any = None) -> str:
    return write_markdown(build_draft(negotiation(preset, edit)))


def final_clauses(preset: str, edit: Any = None) -> list[str]:
    return [f.message for f in run_checks(negotiation(preset, edit))
            if f.rule == "lint.final-clauses"]


@pytest.mark.parametrize(("preset", "style"), [
    ("eu-ch", "eu-agreement"), ("eu-uk", "eu-agreement"), ("eu-ch-uk", "eu-agreement"),
    ("ca-qc", "north-american"), ("ca-qc-on", "north-american"),
    ("ca-qc-draft", "north-american"), ("au-eu", "au-instrument")])
def test_each_preset_is_drafted_in_its_parties_tradition(preset: str, style: str) -> None:
    assert choose_style(negotiation(preset)).id == style
    assert build_draft(negotiation(preset)).style == style


def _national(data: dict[str, Any]) -> None:
    """eu-uk between two national systems: New Zealand in the Union's place."""
    data["parties"][0]["system"] = "nz-ets"
    data["currency_rates"]["NZD"] = 0.55


def test_a_link_between_national_systems_is_a_generic_treaty() -> None:
    assert choose_style(negotiation("eu-uk", _national)).id == "treaty"
    text = markdown("eu-uk", _national)
    assert "IN WITNESS WHEREOF, the undersigned, being duly authorised thereto" in text
    assert "HAVE AGREED AS FOLLOWS:" in text


def test_a_session_may_name_its_style_and_a_style_that_cannot_draft_the_form_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def generic(data: dict[str, Any]) -> None:
        data["style"] = "treaty"
    assert choose_style(negotiation("eu-ch", generic)).id == "treaty"
    data = preset_data("eu-ch")
    data["style"] = "au-instrument"
    session = tmp_path / "s.yaml"
    session.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    assert main(["render", str(session), "-o", str(tmp_path / "x.md")]) == 2
    err = capsys.readouterr().err
    assert "style 'au-instrument'" in err and "does not draft a treaty" in err
    assert "eu-agreement" in err and "Traceback" not in err


# -- an agreement of the European Union ----------------------------------------------


def test_eu_agreement_opens_with_the_parties_in_capitals_and_recitals_in_capitals() -> None:
    text = markdown("eu-ch")
    assert "THE EUROPEAN UNION and THE SWISS CONFEDERATION, hereinafter “the Parties”," in text
    preamble = text.split("## Preamble")[1].split("HAVE AGREED AS FOLLOWS:")[0]
    recitals = [line for line in preamble.splitlines()[3:] if line.strip()]
    assert recitals and all(re.match(r"[A-Z]{3,}\b", line) for line in recitals), recitals


def test_eu_agreement_closes_done_at_with_no_signatures_heading() -> None:
    text = markdown("eu-ch")
    assert "## Signatures" not in text
    closing = text.split("## Annex I")[0].rsplit("## Article", 1)[1]
    assert "Done at \\[…\\], on \\[…\\]." in closing
    assert "For the European Union: ___" in closing


def test_the_unions_languages_are_those_of_the_date_of_the_text() -> None:
    assert "hr" not in eu_languages(dt.date(2013, 6, 30))
    assert "hr" in eu_languages(dt.date(2013, 7, 1))
    assert "ga" not in eu_languages(dt.date(2021, 12, 31))
    assert len(eu_languages(dt.date(2017, 11, 23))) == 23
    assert len(eu_languages(dt.date(2022, 1, 1))) == 24


def test_a_languages_article_without_a_language_of_the_date_is_pointed_out() -> None:
    assert not final_clauses("eu-ch")

    def without_croatian(data: dict[str, Any]) -> None:
        languages = data["languages"]  # the session's list, which the article reads
        languages.remove("hr")
        languages.append("ga")
    found = final_clauses("eu-ch", without_croatian)
    assert len(found) == 1
    assert "23 November 2017" in found[0] and "missing Croatian" in found[0]
    assert "Irish" in found[0]


def test_without_a_languages_article_the_closing_names_the_languages_of_the_date() -> None:
    def no_article(data: dict[str, Any]) -> None:
        data["provisions"]["languages.authentic"] = {
            "clause": "languages.authentic.not_regulated"}
    text = markdown("eu-ch", no_article)
    done = next(line for line in text.splitlines() if line.startswith("Done at"))
    assert "in duplicate" in done and "Croatian" in done and "Irish" not in done
    assert "each text being equally authentic" in done


# -- a North American sub-national agreement ------------------------------------------


def test_north_american_agreement_speaks_of_parties_recites_whereas_and_is_signed() -> None:
    text = markdown("ca-qc")
    assert ("The California Air Resources Board and the Gouvernement du Québec, hereinafter "
            "“the Parties”,") in text
    preamble = text.split("NOW, THEREFORE")[0]
    recitals = [line for line in preamble.splitlines() if line.startswith("WHEREAS ")]
    assert len(recitals) >= 3 and all(line.endswith(";") for line in recitals)
    assert "Considering" not in preamble and "Participant" not in text
    assert re.search(r"^Signed at \\\[…\\\], on \\\[…\\\]", text, flags=re.M)


def test_a_draft_memorandum_between_agencies_keeps_participants() -> None:
    text = markdown("ca-qc-draft")
    assert "hereinafter “the Participants”" in text
    assert "WHEREAS the Participants" in text or "WHEREAS " in text


def test_a_sub_national_text_that_enters_into_force_is_pointed_out() -> None:
    assert not final_clauses("ca-qc")

    def as_treaty(data: dict[str, Any]) -> None:
        data["form"] = "treaty"
        data.pop("instrument_name", None)
        data["provisions"]["entry_into_force.procedure"] = {
            "clause": "entry_into_force.procedure.exchange_of_instruments"}
    found = final_clauses("ca-qc", as_treaty)
    assert any("takes effect on signature" in m for m in found), found


# -- a Commonwealth of Australia legislative instrument -------------------------------


def test_australian_instrument_has_parts_sections_and_subsections() -> None:
    draft = build_draft(negotiation("au-eu"))
    assert draft.body[0].part == "Part 1—Preliminary"
    assert [a.heading for a in draft.body[:2]] == ["Name", "Commencement"]
    assert [a.title_line for a in draft.body[:2]] == ["1  Name", "2  Commencement"]
    labels = {p.label for a in draft.body for p in a.paragraphs}
    assert "(1)" in labels and "(2)" in labels and "1." not in labels
    text = write_markdown(draft)
    assert "in accordance with subsection (2)" in text  # its own subsection
    assert re.search(r"\bsection \d+\b", text) and "Article" not in text.split("## Schedule")[0]


def test_australian_subsection_references_are_word_fields_showing_the_bracketed_number(
        ) -> None:
    data = write_docx(build_draft(negotiation("au-eu")))
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        document = package.read("word/document.xml").decode()
        numbering = package.read("word/numbering.xml").decode()
    assert 'w:lvlText w:val="(%1)"' in numbering
    field = re.search(r"subsection </w:t>.*?REF (par_\w+) \\n \\h.*?<w:t[^>]*>\((\d)\)</w:t>",
                      document, re.S)
    assert field, "no REF field behind “subsection (2)”"
    assert f'w:name="{field.group(1)}"' in document


def test_a_domestic_act_with_a_languages_clause_is_pointed_out() -> None:
    assert not final_clauses("au-eu")

    def with_languages(data: dict[str, Any]) -> None:
        data["provisions"]["languages.authentic"] = {
            "clause": "languages.authentic.regulation", "params": {"languages": ["English"]}}
    found = final_clauses("au-eu", with_languages)
    assert any("authentic-language clause" in m for m in found), found


# -- citations inside an article -------------------------------------------------------


def test_an_article_cites_its_own_paragraphs_as_paragraph_n() -> None:
    text = markdown("eu-ch")
    termination = text.split("— Termination and withdrawal")[1].split("\n## ")[0]
    assert re.search(r"\bparagraph \d\b", termination)
    number = re.search(r"## Article (\d+) — Termination and withdrawal", text).group(1)
    assert not re.search(rf"Article {number}\(\d\)", termination)


def test_a_lone_paragraph_is_cited_by_its_article_alone() -> None:
    draft = build_draft(negotiation("eu-ch"))
    lone = {a.number for a in draft.body if len(a.paragraphs) == 1}
    text = write_markdown(draft)
    for number in lone:
        assert f"Article {number}(1)" not in text


def test_a_north_american_text_is_spelt_as_its_parties_spell() -> None:
    text = markdown("ca-qc")
    for british in ("harmonis", "programme", "recognis", "organis"):
        assert british not in text, british
    assert "harmonized" in text and "programs" in text
    # ... while an agreement of the Union keeps British spelling.
    assert "programme" in markdown("eu-ch") or "recognis" in markdown("eu-ch")
