"""The Markdown draft, read back as a treaty lawyer would read it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from negotiation.cli import main
from negotiation.drafting.builder import build_draft
from negotiation.drafting.criteria import ANNEX_HEADING, CRITERIA, column_label
from negotiation.drafting.markdown import write_markdown
from negotiation.session import load_session
from tests.conftest import negotiation

PRESETS = ["eu-ch", "ca-qc", "ca-qc-draft", "ca-qc-on", "au-eu", "eu-uk", "eu-ch-uk"]
ROOT = Path(__file__).resolve().parents[2]


def markdown(preset: str, edit: Any = None) -> str:
    return write_markdown(build_draft(negotiation(preset, edit)))


def articles(text: str) -> dict[int, str]:
    """Article number -> its text (heading to the next heading)."""
    parts = re.split(r"^## Article (\d+) — ", text, flags=re.M)
    return {int(parts[i]): parts[i + 1].split("\n## ")[0] for i in range(1, len(parts), 2)}


def heading_number(text: str, title: str) -> int:
    match = re.search(rf"^## Article (\d+) — {re.escape(title)}$", text, flags=re.M)
    assert match, title
    return int(match.group(1))


@pytest.mark.parametrize("preset", PRESETS)
def test_articles_are_numbered_in_order_and_references_resolve(preset: str) -> None:
    text = markdown(preset)
    # "## Article 5 — …", or "### 5  …" for a section of an Australian instrument.
    numbers = [int(a or b) for a, b in re.findall(r"^#{2,3} (?:Article (\d+) — |(\d+)  )",
                                                  text, flags=re.M)]
    assert numbers == list(range(1, len(numbers) + 1))
    assert "[reference to" not in text
    assert "{{" not in text.replace("\\{", "{") and "{%" not in text.replace("\\{", "{")
    body = re.split(r"^## (?:Annex|Schedule) ", text, flags=re.M)[0]  # the law it cites
    for cited in re.findall(r"\b(?:Article|section) (\d+)(?![(\d]*\)? of Annex)", body):
        assert 1 <= int(cited) <= len(numbers)


@pytest.mark.parametrize("preset", PRESETS)
def test_same_session_renders_the_same_bytes(preset: str) -> None:
    assert markdown(preset) == markdown(preset)


@pytest.mark.parametrize("preset", PRESETS)
def test_internal_notes_never_reach_the_instrument(preset: str) -> None:
    neg = negotiation(preset)
    note = neg.session.notes.strip().split(".")[1].strip() if "." in neg.session.notes else ""
    text = markdown(preset)
    assert "Internal." not in text
    if note:
        assert note not in text


@pytest.mark.parametrize("preset", PRESETS)
def test_annex_one_has_a_row_per_element_and_a_column_per_party(preset: str) -> None:
    neg = negotiation(preset)
    text = markdown(preset)
    annex = re.split(r"^## (?:Annex I|Schedule 1) — Essential criteria", text,
                     flags=re.M)[1].split("\n## ")[0]
    header = next(line for line in annex.splitlines() if line.startswith(f"| {ANNEX_HEADING}"))
    for party in neg.party_ids:
        assert column_label(neg.party_short(party)) in header
    assert "Common rule" not in header  # the agreed rules stand in the articles
    rows = [line for line in annex.splitlines() if line.startswith("| ")][2:]
    assert len(rows) == len(CRITERIA)
    # The first essential criteria are obligations every system meets, in its own law.
    assert rows[0].startswith("| Participation: mandatory for the activities covered |")
    assert rows[1].startswith("| Cap: an absolute cap on the allowances issued |")


def test_treaty_has_the_parts_a_treaty_lawyer_expects() -> None:
    text = markdown("eu-ch")
    assert text.startswith("**Text as signed** · Round 3 · 23 November 2017")
    assert "THE EUROPEAN UNION and THE SWISS CONFEDERATION, hereinafter “the Parties”," in text
    assert "HAVE AGREED AS FOLLOWS:" in text
    assert "Status of the text" not in text  # the status note's (--document status)
    body = articles(text)
    assert body[1].startswith("Objective")
    assert body[2].startswith("Definitions") and "“auction” means" in body[2]
    conditions = body[heading_number(text, "Conditions for linking")]
    # A condition is a sentence a lawyer can cite, not a note "Switzerland: include …".
    assert "Switzerland is to include aviation activities in the Swiss ETS." in conditions
    assert "For the European Union: ___" in text and "For the Swiss Confederation: ___" in text
    assert " shall " in text


def test_cross_references_follow_the_numbering_when_articles_are_added(tmp_path: Path) -> None:
    neg = negotiation("eu-ch")
    citing, cited = next(
        (neg.library.topics[clause.provision.split(".")[0]].title, neg.library.topics[ref].title)
        for clause, _ in neg.chosen().values() for ref in sorted(clause.refs)
        if ref in neg.library.topics and ref != clause.provision.split(".")[0])

    def cites(text: str) -> set[int]:
        return {int(n) for n in re.findall(r"Article (\d+)",
                                            articles(text)[heading_number(text, citing)])}

    before = markdown("eu-ch")
    target = heading_number(before, cited)
    assert target in cites(before)

    library = tmp_path / "library"
    library.mkdir()
    (library / "early.yaml").write_text("""
topic: early
title: An early article
order: 12
provisions:
  early.one:
    title: Early
    clauses:
      - id: early.one.text
        title: Early text
        text: {binding: The Parties shall meet., nonbinding: The Participants will meet.}
""")
    session = tmp_path / "s.yaml"
    source = (ROOT / "negotiation/presets/eu-ch.yaml").read_text()
    session.write_text(source.replace("reporting_currency: EUR",
                                      "reporting_currency: EUR\nlibraries: [library]")
                       .replace("provisions:\n", "provisions:\n  early.one: {clause: "
                                "early.one.text}\n"))
    after = write_markdown(build_draft(load_session(session)))
    assert heading_number(after, "An early article") == 2
    assert heading_number(after, cited) == target + 1
    assert target + 1 in cites(after)


def test_memorandum_has_no_shall_and_says_it_binds_no_one() -> None:
    text = markdown("ca-qc")
    assert not re.search(r"\bshall\b", text, flags=re.I)
    # The North American sub-national style (issue 11): "Parties" and "WHEREAS" recitals, as
    # the published 2017 California–Québec–Ontario text has them, though it binds no one.
    assert "hereinafter “the Parties”" in text
    assert "\nWHEREAS " in text
    assert "NOW, THEREFORE, the Parties agree as follows:" in text
    assert re.search(r"not (create|intended to create|give rise to)[^.]*legally binding", text) \
        or "no legally binding" in text


def test_open_provisions_render_as_bracketed_options_with_supporters() -> None:
    text = markdown("ca-qc-draft")
    assert "[Option 1: " in text and "[Option 2: " in text
    assert "*Option 1 proposed by Québec" in text or "Option 2 proposed by Québec" in text
    assert "supported by California" in text
    # Québec's own text is shown literally as an option.
    assert "before it begins discussions on linking with another jurisdiction" in text


def test_disputed_value_renders_as_bracketed_values() -> None:
    text = markdown("ca-qc-draft")
    assert "[12][6] months" in text
    assert ("*Disputed values — Minimum months of notice before the withdrawal takes effect: "
            "[12] California, [6] Québec.*") in text


def test_a_proposal_the_other_party_has_not_answered_stays_in_brackets() -> None:
    def only_california(data: dict[str, Any]) -> None:
        del data["positions"]["qc"]["termination.notice"]

    text = markdown("ca-qc-draft", only_california)
    article = text.split("Termination and withdrawal")[1].split("\n## ")[0]
    assert "[Option 1:" in article and "12 months" in article
    assert "supported by California" in article


def test_hybrid_puts_non_core_topics_in_annex_two_in_the_non_binding_voice() -> None:
    text = markdown("eu-uk")
    core, annex = text.split("## Annex II — Implementing Guidelines")
    assert "### Section 1 — " in annex
    guidelines = annex.split("\n## ")[0]
    assert not re.search(r"\bshall\b", guidelines, flags=re.I)
    assert re.search(r"\bshall\b", core)
    assert "Annex II" in core.split("## Annex I —")[0]  # a core article points at the annex
    assert "## Article" in core and "Joint Committee" in core


def test_multilateral_treaty_has_depositary_and_accession() -> None:
    text = markdown("eu-ch-uk")
    accession = articles(text)[heading_number(text, "Accession")]
    depositary = articles(text)[heading_number(text, "Depositary")]
    assert "Secretary-General of the Council of the European Union" in depositary
    # named before the entry-into-force article counts its dates from the deposit
    assert heading_number(text, "Depositary") < heading_number(text, "Entry into force")
    assert "accede" in accession.lower() or "accession" in accession.lower()
    assert "deposit" in text.lower()
    assert text.count("For the ") >= 3


def test_regulation_is_the_recognising_partys_act() -> None:
    text = markdown("au-eu")
    # An Australian legislative instrument (issue 11): made by the Governor-General, named
    # in section 1, sections in Parts, commencement, a Schedule; nobody else signs it.
    assert "# Clean Energy (Recognition of European Union Allowances) Regulation 2012" in text
    assert "Governor-General of the Commonwealth of Australia" in text
    assert "## Part 1—Preliminary" in text and "### 1  Name" in text
    assert "### 2  Commencement" in text and "This instrument commences on" in text
    # Schedule 1 cites the Union's law in the Union's own terms ("Article 16 of Directive
    # 2003/87/EC"); the instrument itself has no Annex and no Article.
    own = re.sub(r"\b(?:Articles?|Annex) [\w ]+? (?:of|to) Directive 2003/87/EC", "", text)
    assert "## Schedule 1 — Essential criteria" in text and "Annex" not in own
    assert "Article" not in own and "HAS ADOPTED" not in text and "whereas" not in text
    assert " shall " not in text
    assert "For the European Union" not in text
    assert "allowances issued under the European Union Emissions Trading System" in text


def test_another_partys_regulation_is_its_own_act() -> None:
    def generic(data: dict[str, Any]) -> None:
        data["style"] = "regulation"
    text = markdown("au-eu", generic)
    assert "HAS ADOPTED THIS REGULATION:" in text and "## Article 1 — " in text
    neg = negotiation("au-eu")
    assert f"For {neg.party_name('au')}, the competent authority: ___" in text
    assert f"For {neg.party_name('eu')}" not in text


def test_hostile_strings_render_literally() -> None:
    hostile = "*bold* [x](http://evil.example) <script>alert(1)</script> # & {{ 7*7 }}"

    def edit(data: dict[str, Any]) -> None:
        data["parties"][0]["name"] = hostile
        data["positions"]["qc"]["third_links.procedure"] = {"text": hostile}

    text = markdown("ca-qc-draft", edit)
    html = MarkdownIt("commonmark").render(text)
    assert "<script>" not in html and "<em>bold</em>" not in html
    assert 'href="http://evil.example"' not in html
    assert "{{ 7*7 }}" in html and "49" not in html.split("{{ 7*7 }}")[0][-5:]


def test_clean_render_refuses_while_provisions_are_open(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "draft.md"
    code = main(["render", "--preset", "ca-qc-draft", "--format", "md", "-o", str(out),
                 "--clean"])
    err = capsys.readouterr().err
    assert code == 1 and not out.exists()
    assert "open: termination.notice" in err


def test_render_refuses_to_overwrite_without_force(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "draft.md"
    out.write_text("keep me")
    code = main(["render", "--preset", "eu-ch", "--format", "md", "-o", str(out)])
    assert code == 2 and out.read_text() == "keep me"
    assert "use --force" in capsys.readouterr().err
    assert main(["render", "--preset", "eu-ch", "--format", "md", "-o", str(out),
                 "--force"]) == 0
    assert out.read_text().startswith("**Text as signed**")


def test_brief_is_internal_and_covers_every_provision(tmp_path: Path) -> None:
    out = tmp_path / "brief.md"
    assert main(["render", "--preset", "ca-qc-draft", "--document", "brief", "-o",
                 str(out)]) == 0
    text = out.read_text()
    assert text.startswith("**INTERNAL — NOT FOR THE OTHER SIDE**")
    neg = negotiation("ca-qc-draft")
    for provision in neg.relevant_provisions():
        assert f"(`{provision.id}`)" in text
    assert "Position of Québec: its own text" in text
    assert "**Options not taken:**" in text and "fix: " in text
    assert "Québec's side needs approval" in text  # the internal notes belong in the brief


def test_the_output_name_chooses_the_format(tmp_path: Path) -> None:
    pdf, docx = tmp_path / "round2.pdf", tmp_path / "round2.docx"
    assert main(["render", "--preset", "eu-ch", "-o", str(pdf)]) == 0
    assert main(["render", "--preset", "eu-ch", "-o", str(docx)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    assert docx.read_bytes().startswith(b"PK")


@pytest.mark.parametrize("name, given, expected", [
    ("round2.pdf", "md", "--format md does not match the name, which says pdf"),
    ("round2.txt", None, "cannot tell the format from the name"),
])
def test_a_name_that_contradicts_the_format_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, given: str | None,
        expected: str) -> None:
    out = tmp_path / name
    flags = ["--format", given] if given else []
    assert main(["render", "--preset", "eu-ch", *flags, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert expected in err and name in err and not out.exists()


def test_a_bilateral_instrument_speaks_of_the_other_party() -> None:
    bilateral = markdown("eu-ch")
    for phrase in ("each other Party", "the other Parties", "all the Parties", "another Party"):
        assert phrase not in bilateral, phrase
    assert "the other Party" in bilateral and "the other Party" in markdown("ca-qc")
    assert "the other Participant" in markdown("ca-qc-draft")
    assert "the other Parties" in markdown("eu-ch-uk")  # three parties keep the plural
