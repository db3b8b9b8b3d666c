"""`linkwright render`: one draft or brief, in one format, to one file.

A draft with open provisions, unconfirmed values or error findings still
renders (unconfirmed values stand in brackets; `--document status` says what is
open): negotiators take bracketed text to a round. `--clean` is for the final
text and refuses, listing what remains. `--attribution off` renders the same
instrument with unattributed brackets, as a chair circulates it.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from negotiation.errors import LinkwrightError, visible
from negotiation.templating import plain_value

if TYPE_CHECKING:  # the findings' models are built while Typst works (see below)
    from negotiation.drafting.model import Draft
    from negotiation.findings import Finding
    from negotiation.session import Negotiation


@dataclass(frozen=True)
class Rendered:
    data: bytes
    summary: str
    findings: list[Finding] = field(default_factory=list)  # those the render went by


def blockers(neg: Negotiation, findings: list[Finding]) -> list[str]:
    """What stops a clean text: open provisions, values nobody has confirmed (the
    final text has no brackets to show them in), and error findings."""
    chosen = neg.chosen()
    relevant = neg.relevant_provisions()
    lines = [f"open: {p.id} ({p.title})" for p in relevant if p.id not in chosen]
    lines += _unconfirmed(neg, [p.id for p in relevant])
    lines += [f"error: {f.rule}: {f.message}" for f in findings if f.severity == "error"]
    return lines


def _unconfirmed(neg: Negotiation, order: list[str]) -> list[str]:
    """One line per value nobody has confirmed, by provision and parameter, in treaty
    order. Acknowledging the warning does not let it through: a default is no text."""
    unconfirmed = neg.unconfirmed()
    lines = []
    for provision in (p for p in order if p in unconfirmed):
        clause, values = neg.chosen()[provision]
        for name in unconfirmed[provision]:
            value = values.get(name)
            what = ("no value" if value is None
                    else f"the proposed {plain_value(value)}, not confirmed")
            lines.append(f"not agreed: {provision} {name} "
                         f"({clause.params[name].label or name}): {what}")
    return lines


def chosen_languages(neg: Negotiation, given: str | None) -> list[str]:
    """The versions `--language` asks for, as codes the library renders: "fr" on a session
    whose `languages:` says fr-CA is Québec's French. One clear error for a code that is
    no language or that the library has no texts in."""
    from negotiation.profiles import _LANGUAGE_CODE as LANGUAGE_CODE
    from negotiation.translations import base, renderable, version_for

    codes = [c.strip() for c in (given or "en").split(",") if c.strip()] or ["en"]
    chosen: list[str] = []
    for code in codes:
        if not LANGUAGE_CODE.fullmatch(code):
            raise LinkwrightError(f"--language: '{code}' is no language code: write the "
                                  "language's code (fr, de), with its region where usage "
                                  "differs (fr-CA), several separated by commas")
        session_usage = [c for c in neg.session.languages or []
                         if base(c) == code and c != code]
        if "-" not in code and session_usage:
            code = session_usage[0]
        if base(code) != "en" and version_for(neg.library, code) is None:
            raise LinkwrightError(
                f"--language: the library has no texts in '{code}'; it renders "
                + ", ".join(renderable(neg.library))
                + " (a language layer in a library folder can add one)")
        code = "en" if base(code) == "en" else code
        if code in chosen:
            raise LinkwrightError(f"--language: '{code}' is named twice")
        chosen.append(code)
    if len(chosen) > 4:
        raise LinkwrightError("--language: a side-by-side edition has at most four columns")
    return chosen


def render_document(neg: Negotiation, fmt: str, document: str = "instrument",
                    clean: bool = False, findings: list[Finding] | None = None,
                    attribution: bool = True, languages: list[str] | None = None
                    ) -> Rendered:
    """Render in-process; shared by the CLI and the TUI's export. `findings` of `neg`
    when the caller has them already; else they are computed, and returned with the
    result. `languages`: the version (one code) or the side-by-side edition (several);
    English by default."""
    languages = languages or ["en"]
    if languages != ["en"] and document != "instrument":
        # The brief and the status note are the delegation's own working papers, in its
        # working language.
        raise LinkwrightError(f"--language applies to the instrument only; the {document} "
                              "is in English, the working language")
    if not attribution and document != "instrument":
        # The brief and the status note are one side's own papers: who supports what
        # is what they are for, so an unattributed one would be a false promise.
        raise LinkwrightError(f"--attribution off applies to the instrument only, not to "
                              f"the {document}: leave it on, or render the instrument")
    if findings is None and fmt == "pdf" and document == "instrument" and not clean \
            and languages == ["en"]:
        # The findings do not change this text: they are found while Typst sets it.
        from negotiation.drafting.builder import build_draft
        from negotiation.drafting.typst_writer import write_typst

        draft = build_draft(neg)
        data, findings = _typeset_while_checking(write_typst(draft, attribution), neg)
        return Rendered(data, _summary(draft), findings)
    if findings is None:
        from negotiation.checks import run_checks

        findings = run_checks(neg)
    if clean:
        remaining = blockers(neg, findings)
        if remaining:
            raise CleanRefused(remaining)
    if document == "brief":
        from negotiation.drafting.brief import build_brief

        title = f"Negotiator's brief: {neg.session.short_title or neg.session.title}"
        data = _markdown_document(build_brief(neg, findings), fmt, title,
                                  "Internal — not for the other side")
        return Rendered(data, "negotiator's brief (internal)", findings)
    if document == "status":
        from negotiation.drafting.status import MARKING, build_status, status_title

        data = _markdown_document(build_status(neg), fmt, status_title(neg), MARKING)
        return Rendered(data, "status of the text (internal)", findings)

    from negotiation.drafting.builder import build_draft

    if len(languages) > 1:
        return _side_by_side(neg, fmt, clean, attribution, languages, findings)
    draft = build_draft(neg, clean=clean, language=languages[0])
    if fmt == "md":
        from negotiation.drafting.markdown import write_markdown

        data = write_markdown(draft, attribution).encode("utf-8")
    elif fmt == "pdf":
        from negotiation.drafting.typst_writer import write_pdf

        data = write_pdf(draft, attribution)
    elif fmt == "docx":
        from negotiation.drafting.docx_writer import write_docx

        data = write_docx(draft, attribution=attribution)
    else:
        raise LinkwrightError(f"unknown format '{fmt}': use md, pdf or docx")
    return Rendered(data, _summary(draft), findings)


def _side_by_side(neg: Negotiation, fmt: str, clean: bool, attribution: bool,
                  languages: list[str], findings: list[Finding]) -> Rendered:
    """The versions in columns, paired block by block (negotiation.drafting.parallel)."""
    from negotiation.drafting.builder import build_draft

    drafts = [build_draft(neg, clean=clean, language=code) for code in languages]
    if fmt == "md":
        from negotiation.drafting.parallel import write_parallel_markdown

        data = write_parallel_markdown(drafts, attribution).encode("utf-8")
    elif fmt == "pdf":
        from negotiation.drafting.parallel_pdf import write_parallel_pdf

        data = write_parallel_pdf(drafts, attribution)
    elif fmt == "docx":
        from negotiation.drafting.parallel_docx import write_parallel_docx

        data = write_parallel_docx(drafts, attribution)
    else:
        raise LinkwrightError(f"unknown format '{fmt}': use md, pdf or docx")
    summary = f"side-by-side edition in {', '.join(languages)}, {_summary(drafts[0])}"
    return Rendered(data, summary, findings)


def _summary(draft: Draft) -> str:
    return f"{draft.preface.kind.lower()}, {len(draft.body)} articles, {draft.open_count()} open"


def _typeset_while_checking(source: str, neg: Negotiation) -> tuple[bytes, list[Finding]]:
    """The PDF of the Typst `source`, and the findings of `neg`, side by side: Typst lets
    go of Python's lock while it typesets, so the checks take no time of their own on a
    machine with a second core (50 ms of a `render` of eu-ch)."""
    import threading

    from negotiation.drafting.typst_writer import compile_pdf

    typeset: dict[str, Any] = {}

    def compile_source() -> None:
        try:
            typeset["pdf"] = compile_pdf(source)
        except BaseException as error:  # raised again below, in the caller's thread
            typeset["error"] = error

    thread = threading.Thread(target=compile_source, name="linkwright-typst", daemon=True)
    thread.start()
    try:
        from negotiation.checks import run_checks  # imported meanwhile, too

        findings = run_checks(neg)
    finally:
        thread.join()
    if "error" in typeset:
        raise typeset["error"]
    return typeset["pdf"], findings


def _markdown_document(markdown: str, fmt: str, title: str, marking: str) -> bytes:
    """A Markdown document of our own (the brief, the status note) in `fmt`. The PDF
    and DOCX writers set the marking and title themselves, so the Markdown's own
    marking line and title heading are left out of the body they are given."""
    if fmt == "md":
        return markdown.encode("utf-8")
    body = markdown.split("\n# ", 1)[1].split("\n", 1)[1] if "\n# " in markdown \
        else markdown
    if fmt == "pdf":
        from negotiation.drafting.typst_writer import markdown_document_pdf

        return markdown_document_pdf(body, title, title, marking)
    from negotiation.drafting.docx_writer import markdown_document_docx

    return markdown_document_docx(body, title, title, marking)


class CleanRefused(Exception):
    """`--clean` found open provisions, unconfirmed values or error findings."""

    def __init__(self, remaining: list[str]) -> None:
        super().__init__(f"{len(remaining)} open provisions, unconfirmed values or errors")
        self.remaining = remaining


FORMAT_BY_SUFFIX = {".md": "md", ".markdown": "md", ".pdf": "pdf", ".docx": "docx"}


def output_format(output: Path, given: str | None) -> str:
    """The format to write: `--format`, else the output's suffix. A name that says
    another format is refused, so `-o draft.pdf` never holds Markdown."""
    named = FORMAT_BY_SUFFIX.get(output.suffix.lower())
    if given is None:
        if named is None:
            raise LinkwrightError("cannot tell the format from the name: end it in .md, .pdf "
                                  "or .docx, or say --format", output)
        return named
    if named is not None and named != given:
        raise LinkwrightError(f"--format {given} does not match the name, which says "
                              f"{named}: rename the file or change --format", output)
    return given


def render_command(args: argparse.Namespace, neg: Negotiation,
                   findings: list[Finding] | None = None) -> int:
    """`linkwright render`; `findings` of `neg` when the caller has them already."""
    from negotiation.cli import say
    from negotiation.storage import refuse_to_replace, write_new

    fmt = output_format(args.output, args.format)
    refuse_to_replace(args.output, force=args.force)  # before the work, not after it
    try:
        rendered = render_document(
            neg, fmt, args.document, args.clean, findings=findings,
            attribution=args.attribution == "on",
            languages=chosen_languages(neg, getattr(args, "language", None)))
    except CleanRefused as refused:
        sys.stderr.write("linkwright: --clean refused: the text is not final\n")
        for line in refused.remaining:
            sys.stderr.write(f"  {visible(line)}\n")
        return 1
    write_new(args.output, rendered.data, force=args.force)
    say(f"wrote {visible(str(args.output))} ({visible(rendered.summary)})")
    if not args.clean:
        _say_errors_remain(rendered.findings)
    return 0


def _say_errors_remain(findings: list[Finding]) -> None:
    """A draft with errors is written (a round needs a text), but the negotiator must
    not take it for a consistent one: say so on stderr, apart from the output."""
    from negotiation.findings import counts

    errors = counts(findings)["error"]
    if errors:
        noun = "error remains" if errors == 1 else "errors remain"
        sys.stderr.write(f"linkwright: {errors} {noun} (see `linkwright check`); "
                         "`render --clean` would refuse this text\n")
