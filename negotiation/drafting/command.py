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
from dataclasses import dataclass
from pathlib import Path

from negotiation.errors import LinkwrightError, visible
from negotiation.findings import Finding
from negotiation.session import Negotiation
from negotiation.templating import plain_value


@dataclass(frozen=True)
class Rendered:
    data: bytes
    summary: str


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


def render_document(neg: Negotiation, fmt: str, document: str = "instrument",
                    clean: bool = False, findings: list[Finding] | None = None,
                    attribution: bool = True) -> Rendered:
    """Render in-process; shared by the CLI and the TUI's export."""
    from negotiation.checks import run_checks

    if not attribution and document != "instrument":
        # The brief and the status note are one side's own papers: who supports what
        # is what they are for, so an unattributed one would be a false promise.
        raise LinkwrightError(f"--attribution off applies to the instrument only, not to "
                              f"the {document}: leave it on, or render the instrument")
    findings = run_checks(neg) if findings is None else findings
    if clean:
        remaining = blockers(neg, findings)
        if remaining:
            raise CleanRefused(remaining)
    if document == "brief":
        from negotiation.drafting.brief import build_brief

        title = f"Negotiator's brief: {neg.session.short_title or neg.session.title}"
        data = _markdown_document(build_brief(neg, findings), fmt, title,
                                  "Internal — not for the other side")
        return Rendered(data, "negotiator's brief (internal)")
    if document == "status":
        from negotiation.drafting.status import MARKING, build_status, status_title

        data = _markdown_document(build_status(neg), fmt, status_title(neg), MARKING)
        return Rendered(data, "status of the text (internal)")

    from negotiation.drafting.builder import build_draft

    draft = build_draft(neg, clean=clean)
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
    articles = len(draft.body)
    summary = f"{draft.preface.kind.lower()}, {articles} articles, {draft.open_count()} open"
    return Rendered(data, summary)


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
        rendered = render_document(neg, fmt, args.document, args.clean, findings=findings,
                                   attribution=args.attribution == "on")
    except CleanRefused as refused:
        sys.stderr.write("linkwright: --clean refused: the text is not final\n")
        for line in refused.remaining:
            sys.stderr.write(f"  {visible(line)}\n")
        return 1
    write_new(args.output, rendered.data, force=args.force)
    say(f"wrote {visible(str(args.output))} ({visible(rendered.summary)})")
    return 0
