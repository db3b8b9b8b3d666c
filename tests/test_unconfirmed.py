"""No silent defaults: a value nobody confirmed never reads as agreed text.

A parameter value in a draft comes from somewhere a negotiator can see: a
decision or a position in the session, or the figure every party's system
shares. A library default that nobody confirmed, and a value there is none of
(a figure the parties do not share, or a price no party sets), stand in the
negotiating text in square brackets with a note "not yet agreed", are a
warning (`param.unconfirmed`) with the remedy that confirms them, and stop
`render --clean`, which names each.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from negotiation.checks import run_checks
from negotiation.cli import main
from negotiation.drafting.brief import build_brief
from negotiation.drafting.builder import build_draft
from negotiation.drafting.command import CleanRefused, render_document
from negotiation.drafting.docx_writer import write_docx
from negotiation.drafting.markdown import write_markdown
from negotiation.drafting.typst_writer import write_pdf
from negotiation.edits import apply_remedy
from negotiation.findings import Finding
from negotiation.session import Negotiation, assemble, negotiation_from_document
from negotiation.yamlload import Document
from tests.conftest import negotiation, override, preset_data
from tests.security.support import (
    active_markdown,
    docx_text,
    markdown_visible_text,
    pdf_text,
)

MONTHS = "Months between the notification and the date termination takes effect"
AUTOMATIC = "The agreement also ends for a party whose system ceases to operate"
TERMINATION_NOTE = (f"*Not yet agreed — {MONTHS}: \\[6\\] (library default); "
                    f"{AUTOMATIC}: \\[yes\\] (library default).*")
WHAT_TO_DO = "confirm the value: write it into the decision, or set it in the card"


def notice_by_default(data: dict[str, Any]) -> None:
    """Termination on fixed notice chosen, as a hurried user would, with no values."""
    data["provisions"]["termination.notice"] = {"clause": "termination.notice.fixed"}


def notice_confirmed(data: dict[str, Any]) -> None:
    """The same clause with both values written into the decision."""
    data["provisions"]["termination.notice"] = {
        "clause": "termination.notice.fixed", "params": {"months": 6, "automatic": True}}


def common_reserve_price(data: dict[str, Any]) -> None:
    """A common reserve price chosen while the parties' own reserve prices differ."""
    data["provisions"]["price_floor.rule"] = {"clause": "price_floor.rule.common_reserve_price",
                                              "params": {"escalation_pct": 5,
                                                         "plus_inflation": True}}
    override(data, "eu", auctions__reserve_price=10)
    override(data, "ch", auctions__reserve_price=12)


def markdown(neg: Negotiation) -> str:
    return write_markdown(build_draft(neg))


def article(text: str, heading: str) -> str:
    return text.split(f" — {heading}\n")[1].split("\n## ")[0]


def unconfirmed_findings(neg: Negotiation) -> list[Finding]:
    return [f for f in run_checks(neg) if f.rule == "param.unconfirmed"]


# -- where each value comes from --------------------------------------------------------


def test_a_value_written_in_the_decision_prints_plain_with_no_note_and_no_finding() -> None:
    neg = negotiation("eu-ch", notice_confirmed)
    termination = article(markdown(neg), "Termination and withdrawal")
    assert "termination shall take effect 6 months after" in termination
    assert "\\[" not in termination and "Not yet agreed" not in termination
    assert "This Agreement shall also cease to apply" in termination
    assert not [f for f in unconfirmed_findings(neg) if "termination.notice" in f.message]


def test_a_value_every_party_shares_prints_plain() -> None:
    def common_limit(data: dict[str, Any]) -> None:
        data["provisions"]["offsets.quantity"] = {"clause": "offsets.quantity.common_limit"}
        override(data, "eu", offsets__limit_pct=3)
        override(data, "ch", offsets__limit_pct=3)

    neg = negotiation("eu-ch", common_limit)
    text = markdown(neg)
    assert re.search(r"\b3 per cent of (that|its|their) ", text)
    assert "\\[3\\]" not in text
    assert not [f for f in unconfirmed_findings(neg) if "offsets.quantity" in f.message]


def test_a_library_default_prints_bracketed_with_a_note() -> None:
    termination = article(markdown(negotiation("eu-ch", notice_by_default)),
                          "Termination and withdrawal")
    assert "termination shall take effect \\[6\\] months after" in termination
    assert TERMINATION_NOTE in termination
    # The yes/no cannot be bracketed inline: its branch reads as the default has it.
    assert "This Agreement shall also cease to apply" in termination


def test_a_figure_the_parties_do_not_share_is_no_value_never_the_default_zero() -> None:
    def common_limit(data: dict[str, Any]) -> None:
        data["provisions"]["offsets.quantity"] = {"clause": "offsets.quantity.common_limit"}
        override(data, "eu", offsets__limit_pct=3)
        override(data, "ch", offsets__limit_pct=0)

    offsets = article(markdown(negotiation("eu-ch", common_limit)), "Offset credits")
    assert "\\[4\\] per cent" in offsets  # the library's 4, bracketed, not either party's
    assert ": \\[4\\] (library default)" in offsets


def test_no_value_at_all_is_a_bracketed_placeholder_never_none_or_zero() -> None:
    neg = negotiation("eu-ch", common_reserve_price)
    text = markdown(neg)
    floor = article(text, "Minimum prices")
    assert "The reserve price shall be EUR \\[…\\] per allowance" in floor
    assert "Reserve price per allowance in the first year: \\[…\\] (no value)" in floor
    assert "None" not in text and " 0 per allowance" not in text


def test_a_price_no_party_sets_is_no_value_not_the_word_none() -> None:
    def common_ceiling(data: dict[str, Any]) -> None:
        data["provisions"]["price_ceiling.rule"] = {
            "clause": "price_ceiling.rule.common_ceiling", "params": {"escalation_pct": 0}}
        override(data, "eu", price_ceiling="none")
        override(data, "ch", price_ceiling="none")

    text = markdown(negotiation("eu-ch", common_ceiling))
    ceiling = article(text, "Price ceilings and cost containment")
    assert re.search(r"common price ceiling of [A-Z]{3} \\\[…\\\] per allowance", ceiling)
    assert "EUR none" not in text and "CHF none" not in text


def test_a_disputed_paragraph_brackets_the_default_no_party_gave() -> None:
    def disputed_months(data: dict[str, Any]) -> None:
        data["provisions"].pop("termination.notice")
        for party, months in (("eu", 12), ("ch", 6)):
            data.setdefault("positions", {}).setdefault(party, {})["termination.notice"] = {
                "clause": "termination.notice.fixed", "params": {"months": months}}

    termination = article(markdown(negotiation("eu-ch", disputed_months)),
                          "Termination and withdrawal")
    assert "take effect [12][6] months after" in termination
    assert f"*Not yet agreed — {AUTOMATIC}: \\[yes\\] (library default).*" in termination
    assert f"{MONTHS}: \\[" not in termination  # each party gave its months


def test_an_option_brackets_the_defaults_its_supporter_left_out() -> None:
    def two_clauses(data: dict[str, Any]) -> None:
        data["provisions"].pop("termination.notice")
        data.setdefault("positions", {}).setdefault("eu", {})["termination.notice"] = {
            "clause": "termination.notice.fixed", "params": {"automatic": True}}
        data.setdefault("positions", {}).setdefault("ch", {})["termination.notice"] = {
            "text": "Either Party may terminate at any time."}

    termination = article(markdown(negotiation("eu-ch", two_clauses)),
                          "Termination and withdrawal")
    assert "[Option 1: Any Party may terminate" in termination
    assert "take effect \\[6\\] months after" in termination
    assert f"*Not yet agreed — {MONTHS}: \\[6\\] (library default).*" in termination


# -- the finding and its remedy ----------------------------------------------------------


def test_the_warning_names_the_provision_the_values_and_what_to_do() -> None:
    neg = negotiation("eu-ch", notice_by_default)
    [finding] = [f for f in unconfirmed_findings(neg) if "termination.notice" in f.message]
    assert finding.severity == "warning" and finding.topic == "termination"
    assert finding.message == (
        "Notice of termination or withdrawal (termination.notice): values nobody has "
        f"confirmed — {MONTHS}: the proposed 6 months; {AUTOMATIC}: the proposed yes. "
        f"The draft shows them as not yet agreed; to agree one, {WHAT_TO_DO}")
    assert [r.description for r in finding.remedies] == [
        f"confirm the proposed 6 months ({MONTHS})", f"confirm the proposed yes ({AUTOMATIC})"]
    assert [(r.set.target, r.set.value) for r in finding.remedies if r.set] == [
        ("provision:termination.notice.months", 6),
        ("provision:termination.notice.automatic", True)]


def test_applying_the_remedies_confirms_the_values_and_the_brackets_go() -> None:
    neg = negotiation("eu-ch", notice_by_default)
    [finding] = [f for f in unconfirmed_findings(neg) if "termination.notice" in f.message]
    session = neg.session
    for remedy in finding.remedies:
        session = apply_remedy(session, remedy)
    confirmed = assemble(session)
    assert not [f for f in unconfirmed_findings(confirmed) if "termination.notice" in f.message]
    termination = article(markdown(confirmed), "Termination and withdrawal")
    assert "take effect 6 months after" in termination and "Not yet agreed" not in termination


def test_values_agreed_only_in_positions_are_confirmed_by_recording_a_decision() -> None:
    def agreed_in_positions(data: dict[str, Any]) -> None:
        data["provisions"].pop("termination.notice")
        for party in ("eu", "ch"):
            data.setdefault("positions", {}).setdefault(party, {})["termination.notice"] = {
                "clause": "termination.notice.fixed", "params": {"months": 6}}

    neg = negotiation("eu-ch", agreed_in_positions)
    [finding] = [f for f in unconfirmed_findings(neg) if "termination.notice" in f.message]
    [remedy] = finding.remedies
    assert remedy.choose is not None
    assert remedy.choose.params == {"months": 6, "automatic": True}
    confirmed = assemble(apply_remedy(neg.session, remedy))
    assert not [f for f in unconfirmed_findings(confirmed) if "termination.notice" in f.message]


def test_no_value_is_named_and_offers_no_remedy_to_confirm_it() -> None:
    neg = negotiation("eu-ch", common_reserve_price)
    [finding] = [f for f in unconfirmed_findings(neg) if "price_floor.rule" in f.message]
    assert ("Reserve price per allowance in the first year: no value (the draft shows […])"
            in finding.message)
    assert finding.remedies == ()


def test_the_brief_lists_the_warning_under_its_topic_and_marks_the_value() -> None:
    neg = negotiation("eu-ch", notice_by_default)
    brief = build_brief(neg, run_checks(neg), economics_markdown="")
    termination = brief.split("\n## Termination and withdrawal\n")[1].split("\n## ")[0]
    assert "`param.unconfirmed`: Notice of termination or withdrawal" in termination
    assert f"**{MONTHS}:** \\[6\\] (not confirmed)" in termination


# -- every format shows the brackets and the note ------------------------------------------


def test_markdown_reader_sees_the_brackets_and_no_link() -> None:
    text = markdown(negotiation("eu-ch", notice_by_default))
    visible = markdown_visible_text(text)
    assert "termination shall take effect [6] months after" in visible
    assert f"Not yet agreed — {MONTHS}: [6] (library default)" in visible
    assert active_markdown(text) == []


def test_the_status_note_counts_the_provision_as_open() -> None:
    # The status table left the instrument for the status note (--document status).
    note = render_document(negotiation("eu-ch", notice_by_default), "md", "status").data
    assert (f"| `termination.notice` | open | values not yet agreed: {MONTHS}; {AUTOMATIC} |"
            in note.decode("utf-8"))


def test_docx_shows_the_brackets_a_comment_on_them_and_the_note() -> None:
    data = write_docx(build_draft(negotiation("eu-ch", notice_by_default)))
    text = docx_text(data)
    assert "termination shall take effect [6] months after" in text
    assert f"Not yet agreed — {MONTHS}: [6] (library default); {AUTOMATIC}" in text
    assert f"Not yet agreed: {MONTHS}: [6] (library default)" in text  # the comment
    assert "[6]" in commented_texts(data)


def test_pdf_shows_the_brackets_with_a_footnote() -> None:
    text = pdf_text(write_pdf(build_draft(negotiation("eu-ch", notice_by_default))))
    assert re.search(r"termination shall take effect \[6\] ?\d+ ?months after", text)
    assert f"Not yet agreed: {MONTHS}: [6] (library default)." in text
    assert f"Not yet agreed: {AUTOMATIC}: [yes] (library default)." in text


def commented_texts(data: bytes) -> list[str]:
    """The text each Word comment is anchored on (comment ranges may nest)."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        xml = package.read("word/document.xml").decode()
    texts = []
    for found in re.finditer(r'<w:commentRangeStart w:id="(\d+)"/>', xml):
        end = xml.index(f'<w:commentRangeEnd w:id="{found.group(1)}"/>', found.end())
        texts.append("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>",
                                        xml[found.end():end])))
    return texts


# -- --clean ------------------------------------------------------------------------------


def test_clean_refuses_naming_each_unconfirmed_value() -> None:
    neg = negotiation("eu-ch", notice_by_default)
    with pytest.raises(CleanRefused) as refused:
        render_document(neg, "md", clean=True)
    assert (f"not agreed: termination.notice months ({MONTHS}): the proposed 6, "
            "not confirmed") in refused.value.remaining
    assert (f"not agreed: termination.notice automatic ({AUTOMATIC}): the proposed "
            "yes, not confirmed") in refused.value.remaining


def test_clean_names_no_value_as_such() -> None:
    neg = negotiation("eu-ch", common_reserve_price)
    with pytest.raises(CleanRefused) as refused:
        render_document(neg, "md", clean=True)
    assert ("not agreed: price_floor.rule price (Reserve price per allowance in the first "
            "year): no value") in refused.value.remaining


def test_clean_from_the_command_line_lists_the_values_and_writes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = preset_data("eu-ch")
    notice_by_default(data)
    session = tmp_path / "session.yaml"
    session.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    out = tmp_path / "draft.md"
    code = main(["render", str(session), "-o", str(out), "--clean"])
    err = capsys.readouterr().err
    assert code == 1 and not out.exists()
    assert "--clean refused" in err
    assert f"  not agreed: termination.notice months ({MONTHS}): the proposed 6" in err


def test_clean_does_not_name_a_confirmed_value() -> None:
    neg = negotiation("eu-ch", notice_confirmed)
    try:
        render_document(neg, "md", clean=True)
    except CleanRefused as refused:
        assert not [line for line in refused.remaining if line.startswith("not agreed:")]


# -- a clause from another delegation cannot turn the brackets into markup ------------------

LINKING_LIBRARY = """\
topic: termination
provisions:
  termination.notice:
    clauses:
      - overrides: termination.notice.fixed
        title: Termination on fixed notice, with brackets of its own
        params:
          months: {type: months, min: 1, max: 36, default: 6}
        text:
          binding: "%s"
          nonbinding: "%s"
"""


@pytest.mark.parametrize("text", [
    "{{ months }}(http://evil.example) months of notice.",
    "{{ months }}: http://evil.example",
    "See [the notice {{ months }}(http://evil.example) months.",
], ids=["inline-link", "reference-definition", "closing-an-earlier-bracket"])
def test_brackets_next_to_clause_text_never_form_a_link(tmp_path: Path, text: str) -> None:
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "user.yaml").write_text(LINKING_LIBRARY % (text, text), "utf-8")
    data = preset_data("eu-ch")
    notice_by_default(data)
    neg = negotiation_from_document(Document(data, "session.yaml", {(): (1, 1)}), None,
                                    (folder,))
    rendered = markdown(neg)
    assert active_markdown(rendered) == []
    assert "[6]" in markdown_visible_text(rendered)
