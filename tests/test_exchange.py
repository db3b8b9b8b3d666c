"""Exchange between delegations (issue 13): what a party tables, the other side's tabled
positions merged in, and their Word mark-up brought back as proposals, with their files
treated as untrusted."""

from __future__ import annotations

import copy
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from lxml import etree

from negotiation.cli import main
from negotiation.drafting.docx_writer import provision_mark
from negotiation.session import ClauseChoice, ProposedText, load_session
from tests.conftest import preset_data

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FIXTURES = Path(__file__).parent / "fixtures"
VALID_BOOKMARK = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,39}")
Edit = Callable[[dict[str, Any]], None]


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def write_session(path: Path, delegation: str, edit: Edit | None = None) -> Path:
    """The eu-uk preset as `delegation`'s own file, changed by `edit`."""
    data = preset_data("eu-uk")
    data["delegation"] = delegation
    if edit is not None:
        edit(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    return path


def their_file(tmp_path: Path, capsys: pytest.CaptureFixture[str],
               edit: Edit | None = None) -> Path:
    """What the UK delegation tables: its own session, exported by `export-positions`."""
    full = write_session(tmp_path / "uk-side" / "uk.yaml", "uk", edit)
    tabled = tmp_path / "uk-side" / "tabled.yaml"
    code, _, err = run(capsys, "export-positions", full, "--party", "uk", "-o", tabled)
    assert code == 0, err
    return tabled


def uk(data: dict[str, Any]) -> dict[str, Any]:
    return data["positions"]["uk"]


# -- export-positions ------------------------------------------------------------------


def test_export_holds_the_partys_positions_and_the_shared_text_but_no_internal_notes(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ours = write_session(tmp_path / "ours.yaml", "eu")
    out = tmp_path / "tabled.yaml"
    code, said, _ = run(capsys, "export-positions", ours, "--party", "uk", "-o", out)
    assert code == 0 and "4 position(s) of uk" in said
    tabled = load_session(out).session
    source = load_session(ours).session
    assert set(tabled.positions) == {"uk"}
    assert tabled.positions["uk"] == source.positions["uk"]
    assert (tabled.provisions, tabled.parties, tabled.form, tabled.linkage,
            tabled.conditions) == (source.provisions, source.parties, source.form,
                                   source.linkage, source.conditions)
    assert tabled.delegation == "uk"
    text = out.read_text("utf-8")
    assert "Internal" not in text and "notes:" not in text  # our internal notes
    assert "acknowledged" not in text and "confirm its factor" not in text
    assert "price_floor.rule.none" not in text  # the EU's position as we read it


def test_export_of_a_party_the_session_does_not_have_is_one_line_and_exit_2(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ours = write_session(tmp_path / "ours.yaml", "eu")
    code, _, err = run(capsys, "export-positions", ours, "--party", "ch", "-o",
                       tmp_path / "x.yaml")
    assert code == 2 and err.count("\n") == 1 and "'ch' is not a party" in err
    assert not (tmp_path / "x.yaml").exists()


# -- merge -------------------------------------------------------------------------------


def test_merge_takes_a_new_proposal_and_a_changed_position_and_leaves_ours_alone(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ours = write_session(tmp_path / "ours.yaml", "eu")

    def moved(data: dict[str, Any]) -> None:
        uk(data)["termination.notice"]["params"]["months"] = 9
        uk(data)["institutions.body"] = {"text": "A Joint Committee shall decide by consensus."}
        data["positions"]["eu"]["termination.notice"]["params"]["months"] = 1  # their reading
        data["notes"] = "UK internal: fall back to 6 months"

    theirs = their_file(tmp_path, capsys, moved)
    before = ours.read_bytes()
    code, said, _ = run(capsys, "merge", ours, theirs)
    assert code == 0
    assert "new      institutions.body: text \"A Joint Committee shall decide" in said
    assert "changed  termination.notice: clause termination.notice.fixed (months: 9) " \
           "(was clause termination.notice.fixed (months: 12))" in said
    assert "would take 2 position(s) of uk" in said and "dry run" in said
    assert ours.read_bytes() == before  # a dry run writes nothing
    assert not (tmp_path / "ours.yaml.bak").exists()

    code, said, _ = run(capsys, "merge", ours, theirs, "--write")
    assert code == 0 and "took 2 position(s) of uk" in said
    merged, original = load_session(ours).session, preset_data("eu-uk")
    assert merged.positions["uk"]["institutions.body"] == ProposedText(
        text="A Joint Committee shall decide by consensus.")
    assert merged.positions["uk"]["termination.notice"] == ClauseChoice(
        clause="termination.notice.fixed", params={"months": 9})
    eu = merged.positions["eu"]["termination.notice"]
    assert isinstance(eu, ClauseChoice) and eu.params == {"months": 6}  # ours, untouched
    assert merged.notes == original["notes"] and merged.delegation == "eu"
    assert "UK internal" not in ours.read_text("utf-8")


def test_a_provision_both_sides_changed_since_the_last_closed_round_is_a_conflict(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_session(tmp_path / "rounds" / "2" / "session.yaml", "eu")  # as `round close` keeps it

    def we_moved(data: dict[str, Any]) -> None:
        data["positions"]["eu"]["termination.notice"]["params"]["months"] = 9

    def they_moved(data: dict[str, Any]) -> None:
        uk(data)["termination.notice"]["params"]["months"] = 10
        uk(data)["market_stability.mechanism"] = {
            "clause": "market_stability.mechanism.accept_partner"}

    ours = write_session(tmp_path / "ours.yaml", "eu", we_moved)
    theirs = their_file(tmp_path, capsys, they_moved)
    code, said, _ = run(capsys, "merge", ours, theirs, "--write")
    assert code == 0 and "base: rounds/2" in said
    assert re.search(r"conflict termination\.notice: both sides changed it since the base; "
                     r"kept ours, clause termination\.notice\.fixed \(months: 12\); they table "
                     r"clause termination\.notice\.fixed \(months: 10\)", said), said
    assert "took 1 position(s) of uk; 1 conflict(s)" in said
    merged = load_session(ours).session
    notice = merged.positions["uk"]["termination.notice"]
    assert isinstance(notice, ClauseChoice) and notice.params == {"months": 12}
    mechanism = merged.positions["uk"]["market_stability.mechanism"]
    assert isinstance(mechanism, ClauseChoice)
    assert mechanism.clause == "market_stability.mechanism.accept_partner"


def test_a_position_they_did_not_move_keeps_our_later_reading_of_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_session(tmp_path / "rounds" / "2" / "session.yaml", "eu")

    def we_reread(data: dict[str, Any]) -> None:  # after a call with their delegation
        uk(data)["termination.notice"]["params"]["months"] = 9

    ours = write_session(tmp_path / "ours.yaml", "eu", we_reread)
    code, said, _ = run(capsys, "merge", ours, their_file(tmp_path, capsys), "--write",
                        "--base", "2")
    assert code == 0 and "kept     termination.notice: they did not move since the base" in said
    notice = load_session(ours).session.positions["uk"]["termination.notice"]
    assert isinstance(notice, ClauseChoice) and notice.params == {"months": 9}


def test_without_a_closed_round_there_is_no_base_and_no_conflict(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def we_moved(data: dict[str, Any]) -> None:
        data["positions"]["eu"]["termination.notice"]["params"]["months"] = 9

    def they_moved(data: dict[str, Any]) -> None:
        uk(data)["termination.notice"]["params"]["months"] = 10

    ours = write_session(tmp_path / "ours.yaml", "eu", we_moved)
    code, said, _ = run(capsys, "merge", ours, their_file(tmp_path, capsys, they_moved))
    assert code == 0 and "base: none" in said and "0 conflict(s)" in said
    assert "changed  termination.notice" in said


def test_merge_never_takes_positions_for_our_own_delegation(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ours = write_session(tmp_path / "ours.yaml", "eu")
    before = ours.read_bytes()
    code, _, err = run(capsys, "merge", ours, their_file(tmp_path, capsys), "--party", "eu",
                       "--write")
    assert code == 2 and "never overwritten" in err and err.count("\n") == 1
    assert ours.read_bytes() == before


@pytest.mark.parametrize(("key", "value", "said"), [
    ("libraries", ["../../ours/library"], "must be a folder inside the session's own folder"),
    ("previous", "../../ours/rounds/2", "inside the session's own folder"),
])
def test_a_path_in_their_file_cannot_leave_their_folder(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], key: str, value: Any,
        said: str) -> None:
    ours = write_session(tmp_path / "ours.yaml", "eu")
    theirs = tmp_path / "uk-side" / "tabled.yaml"
    write_session(theirs, "uk", lambda data: data.update({key: value}))
    before = ours.read_bytes()
    code, _, err = run(capsys, "merge", ours, theirs, "--write")
    assert code == 2 and said in err and err.count("\n") == 1 and "Traceback" not in err
    assert ours.read_bytes() == before


HOSTILE = ("Each Party {++shall++} {--may--} {~~never~>always~~} [sign here](http://x.test) "
           "<b>now</b>")


def test_their_text_is_escaped_in_the_draft(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ours = write_session(tmp_path / "ours.yaml", "eu")

    def hostile(data: dict[str, Any]) -> None:
        uk(data)["third_links.procedure"] = {"text": HOSTILE}  # open: its options are shown

    code, said, _ = run(capsys, "merge", ours, their_file(tmp_path, capsys, hostile), "--write")
    assert code == 0 and "took 1 position(s)" in said
    draft = tmp_path / "draft.md"
    code, _, err = run(capsys, "render", ours, "-o", draft)  # the final-output check passes
    assert code == 0, err
    text = draft.read_text("utf-8")
    assert not re.search(r"(?<!\\)\{(\+\+|--|~~)", text)  # no CriticMarkup opens
    assert "\\{++shall++\\}" in text and "\\[sign here\\]" in text and "<b>" not in text


# -- provision marks in the DOCX we write --------------------------------------------------


def document_xml(data: bytes) -> Any:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read("word/document.xml"))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    out = tmp_path_factory.mktemp("docx") / "eu-uk.docx"
    assert main(["render", "--preset", "eu-uk", "-o", str(out)]) == 0
    return out.read_bytes()


def test_each_provision_of_the_docx_is_marked_once_by_a_valid_word_bookmark(
        rendered: bytes) -> None:
    from negotiation.drafting.builder import build_draft
    from negotiation.session import load_preset

    draft = build_draft(load_preset("eu-uk"))
    provisions = [p.provision for a in [*draft.body, *(s for x in draft.attachments
                                                        for s in x.sections)]
                  for p in a.paragraphs]
    root = document_xml(rendered)
    names = [b.get(w("name")) for b in root.iter(w("bookmarkStart"))]
    marks = [n for n in names if n.startswith("lw_")]
    assert sorted(marks) == sorted(provision_mark(p) for p in provisions)
    assert len(set(names)) == len(names)
    assert all(VALID_BOOKMARK.fullmatch(n) for n in marks)
    ends = {e.get(w("id")) for e in root.iter(w("bookmarkEnd"))}
    assert all(b.get(w("id")) in ends for b in root.iter(w("bookmarkStart")))
    shown = "".join(t.text or "" for t in root.iter(w("t")))
    assert "lw_" not in shown  # nothing of the marks is visible


def test_provision_marks_fit_word_for_long_ids_and_ids_alike_but_for_punctuation() -> None:
    long_id = "essential_criteria.compliance_with_the_annexed_criteria_under_review"
    assert len(provision_mark(long_id)) <= 40 and VALID_BOOKMARK.fullmatch(provision_mark(long_id))
    assert provision_mark("a.b_c") != provision_mark("a_b.c")
    assert provision_mark("termination.notice") == provision_mark("termination.notice")


# -- import-docx -----------------------------------------------------------------------------


def tracked(data: bytes, edits: list[tuple[str, str, str]]) -> bytes:
    """`data` with tracked changes as Word writes them: in the run holding `old` (in the
    paragraph holding `phrase`), `old` becomes a w:del of it and a w:ins of `new`."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        parts = {i.filename: package.read(i) for i in package.infolist()}
    root = etree.fromstring(parts["word/document.xml"])
    for phrase, old, new in edits:
        paragraph = next(p for p in root.iter(w("p"))
                         if phrase in "".join(t.text or "" for t in p.iter(w("t"))))
        text_element = next(t for t in paragraph.iter(w("t")) if old in (t.text or ""))
        _split(text_element.getparent(), text_element.text.index(old), old, new)
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True,
                                                encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in parts.items():
            package.writestr(name, content)
    return out.getvalue()


def _split(run: Any, at: int, old: str, new: str) -> None:
    text = run.find(w("t")).text

    def piece(value: str, kind: str = "t") -> Any:
        copy_run = copy.deepcopy(run)
        for child in list(copy_run):
            if child.tag != w("rPr"):
                copy_run.remove(child)
        element = etree.SubElement(copy_run, w(kind))
        element.text = value
        element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        return copy_run

    def change(kind: str, inner: Any, number: int) -> Any:
        element = etree.Element(w(kind))
        element.set(w("id"), str(900 + number))
        element.set(w("author"), "UK delegation")
        element.set(w("date"), "2025-12-01T10:00:00Z")
        element.append(inner)
        return element

    pieces = [piece(text[:at])]
    if old:
        pieces.append(change("del", piece(old, "delText"), 2 * at))
    if new:
        pieces.append(change("ins", piece(new), 2 * at + 1))
    pieces.append(piece(text[at + len(old):]))
    anchor = run
    for element in pieces:
        anchor.addnext(element)
        anchor = element
    run.getparent().remove(run)


EDITS = [("which shall seek to settle it", "final", "conclusive"),
         ("which shall seek to settle it", "seek", "promptly seek"),
         ("All other transactions shall remain possible", "possible, ", "")]


def dumped_without(path: Path, party: str, provisions: set[str]) -> dict[str, Any]:
    data = load_session(path).session.model_dump()
    data["positions"][party] = {k: v for k, v in data["positions"][party].items()
                                if k not in provisions}
    return data


def test_their_tracked_changes_become_their_proposed_texts_and_nothing_else_changes(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], rendered: bytes) -> None:
    ours = write_session(tmp_path / "ours.yaml", "eu")
    marked_up = tmp_path / "eu-uk-uk-markup.docx"
    marked_up.write_bytes(tracked(rendered, EDITS))
    before = ours.read_bytes()
    code, said, _ = run(capsys, "import-docx", ours, marked_up, "--party", "uk")
    assert code == 0 and "would take 2 position(s) of uk" in said
    assert ours.read_bytes() == before

    code, said, _ = run(capsys, "import-docx", ours, marked_up, "--party", "uk", "--write")
    assert code == 0 and "took 2 position(s)" in said and "unplaced" not in said
    positions = load_session(ours).session.positions["uk"]
    disputes, effects = positions["disputes.procedure"], positions["suspension.effects"]
    assert isinstance(disputes, ProposedText) and isinstance(effects, ProposedText)
    assert "which shall promptly seek to settle it" in disputes.text
    assert "shall be conclusive and binding" in disputes.text and "final" not in disputes.text
    assert "shall remain including the holding" in effects.text
    assert "possible" not in effects.text and effects.text.startswith("During a suspension")
    changed = {"disputes.procedure", "suspension.effects"}
    assert dumped_without(ours, "uk", changed) == dumped_without(
        write_session(tmp_path / "original.yaml", "eu"), "uk", changed)


def test_an_edit_outside_every_provision_is_listed_with_its_text_not_lost(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], rendered: bytes) -> None:
    ours = write_session(tmp_path / "ours.yaml", "eu")
    marked_up = tmp_path / "markup.docx"
    marked_up.write_bytes(tracked(rendered, [("Dispute settlement", "settlement",
                                              "settlement and arbitration")]))
    before = ours.read_bytes()
    code, said, _ = run(capsys, "import-docx", ours, marked_up, "--party", "uk", "--write")
    assert code == 0 and "took 0 position(s)" in said
    assert re.search(r'unplaced an edit outside every provision .*: "Article \d+ — Dispute '
                     r'settlement and arbitration"', said), said
    assert ours.read_bytes() == before


def test_tracked_changes_written_by_libreoffice_become_their_proposals(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ours = write_session(tmp_path / "ours.yaml", "eu")
    code, said, _ = run(capsys, "import-docx", ours,
                        FIXTURES / "eu-uk-tracked-libreoffice.docx", "--party", "uk",
                        "--write")
    assert code == 0 and "took 2 position(s)" in said and "unplaced" not in said
    positions = load_session(ours).session.positions["uk"]
    disputes, effects = positions["disputes.procedure"], positions["suspension.effects"]
    assert isinstance(disputes, ProposedText) and isinstance(effects, ProposedText)
    assert "which shall promptly seek to settle it" in disputes.text
    assert "shall be conclusive and binding" in disputes.text
    assert "shall remain permitted, including" in effects.text


def test_a_direction_override_in_their_mark_up_is_shown_escaped_and_not_taken(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], rendered: bytes) -> None:
    ours = write_session(tmp_path / "ours.yaml", "eu")
    marked_up = tmp_path / "markup.docx"
    marked_up.write_bytes(tracked(rendered, [(*EDITS[0][:2], "\u202edefinitive")]))
    code, said, _ = run(capsys, "import-docx", ours, marked_up, "--party", "uk", "--write")
    assert code == 0 and "took 0 position(s)" in said and "\u202e" not in said
    assert "disputes.procedure: holds an invisible character, refused" in said
    assert "\\u202edefinitive" in said
    assert "disputes.procedure" not in load_session(ours).session.positions["uk"]


def zip_bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        with package.open("word/document.xml", "w", force_zip64=True) as handle:
            block = b"\0" * 1_000_000
            for _ in range(120):
                handle.write(block)
    return path


def test_a_zip_bomb_is_refused_by_its_expanded_size_before_it_is_read(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ours = write_session(tmp_path / "ours.yaml", "eu")
    bomb = zip_bomb(tmp_path / "bomb.docx")
    assert bomb.stat().st_size < 1_000_000
    code, _, err = run(capsys, "import-docx", ours, bomb, "--party", "uk", "--write")
    assert code == 2 and "refusing to decompress" in err and err.count("\n") == 1


def test_a_docx_larger_than_any_instrument_is_refused_unread(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ours = write_session(tmp_path / "ours.yaml", "eu")
    big = tmp_path / "big.docx"
    with big.open("wb") as handle:
        handle.truncate(25_000_000)  # sparse: nothing written
    code, _, err = run(capsys, "import-docx", ours, big, "--party", "uk")
    assert code == 2 and "refusing to read it" in err and err.count("\n") == 1


def test_xml_with_entities_is_refused_not_expanded(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], rendered: bytes) -> None:
    ours = write_session(tmp_path / "ours.yaml", "eu")
    laughs = ('<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "lol">'
              '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
              '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
              f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&c;</w:t></w:r></w:p>'
              '</w:body></w:document>')
    hostile = tmp_path / "laughs.docx"
    with zipfile.ZipFile(hostile, "w") as package:
        package.writestr("word/document.xml", laughs)
    code, _, err = run(capsys, "import-docx", ours, hostile, "--party", "uk")
    assert code == 2 and "DOCTYPE" in err and err.count("\n") == 1


def test_a_file_that_is_not_a_docx_is_one_line_and_exit_2(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ours = write_session(tmp_path / "ours.yaml", "eu")
    code, _, err = run(capsys, "import-docx", ours, ours, "--party", "uk")
    assert code == 2 and "not a DOCX" in err and err.count("\n") == 1
