"""The findings panel: always visible, counted by severity, updated on every change.

Errors come first, then warnings, then infos, then the warnings the session
acknowledged (dimmed, marked ✓, with the note saying why: they are no longer
open, and counted apart). Enter on a finding goes to its topic; `a` (on the work
screen) applies its first remedy; the palette's "Acknowledge this warning…" asks
for the note on the highlighted warning.
"""

from __future__ import annotations

from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.markup import escape
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from negotiation import edits
from negotiation.findings import SEVERITY_ORDER, Finding, counts
from negotiation.session import Negotiation
from tui.messages import ChoiceChanged, Navigate
from tui.screens.acknowledge import AcknowledgeScreen

ICON = {
    "error": "[$text-error]✖[/]",
    "warning": "[$text-warning]▲[/]",
    "info": "[$text-primary]●[/]",
}
ACKNOWLEDGED_ICON = "[$text-muted]✓[/]"


def _rank(finding: Finding) -> int:
    """Open findings by severity; acknowledged ones after them all."""
    return SEVERITY_ORDER[finding.severity] if finding.is_open else len(SEVERITY_ORDER)


def finding_markup(where: str, finding: Finding) -> str:
    """One line of the list: an open finding with its severity's icon; an acknowledged
    one dimmed, with the note the session gives for it."""
    text = f"{where}: {finding.message}"
    if finding.acknowledged is None:
        return f"{ICON[finding.severity]} {escape(text)}"
    return (f"{ACKNOWLEDGED_ICON} [dim]{escape(text)} "
            f"(acknowledged: {escape(finding.acknowledged)})[/dim]")


def counts_markup(findings: list[Finding], short: bool = False) -> str:
    total = counts(findings)
    acknowledged = total["acknowledged"]
    if short:
        return (
            f"[$text-error]✖ {total['error']}[/]  [$text-warning]▲ {total['warning']}[/]  "
            f"[$text-primary]● {total['info']}[/]"
            + (f"  {ACKNOWLEDGED_ICON} {acknowledged}" if acknowledged else "")
        )
    return (
        f"[$text-error]✖ {total['error']} error{'s' if total['error'] != 1 else ''}[/]  "
        f"[$text-warning]▲ {total['warning']} warning{'s' if total['warning'] != 1 else ''}[/]  "
        f"[$text-primary]● {total['info']} info[/]"
        + (f"  {ACKNOWLEDGED_ICON} [$text-muted]{acknowledged} acknowledged[/]"
           if acknowledged else "")
    )


class FindingsPanel(Vertical):
    """Counts and the list of findings of the current state of the negotiation."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.findings: list[Finding] = []
        self.ordered: list[Finding] = []
        self._neg: Negotiation | None = None
        self.border_title = "Findings"

    def compose(self) -> ComposeResult:
        yield Static("checking…", id="finding-counts")
        yield OptionList(id="finding-list")

    def show(self, neg: Negotiation, findings: list[Finding], width: int | None = None) -> None:
        self._neg = neg
        self.findings = findings
        self.ordered = sorted(findings, key=_rank)
        self.query_one("#finding-counts", Static).update(
            Content.from_markup(counts_markup(findings, short=False))
        )
        listing = self.query_one("#finding-list", OptionList)
        previous = listing.highlighted
        options = []
        for index, finding in enumerate(self.ordered):
            topic = neg.library.topics.get(finding.topic)
            where = topic.title if topic else finding.topic
            options.append(
                Option(Content.from_markup(finding_markup(where, finding)), id=f"f{index}")
            )
        if not options:
            options.append(
                Option(
                    Content.from_markup("[$text-success]No findings.[/]"), id="none", disabled=True
                )
            )
        listing.set_options(options)
        if previous is not None and self.ordered:
            listing.highlighted = min(previous, len(self.ordered) - 1)

    def acknowledge_highlighted(self) -> None:
        """Ask for the note on the highlighted warning, then record it in the session
        (errors cannot be acknowledged; an acknowledged one already has its note)."""
        finding = self.highlighted
        if finding is None:
            self.app.notify("Highlight a warning in the findings panel first (f focuses it).",
                            title="Acknowledge")
            return
        if finding.severity == "error":
            self.app.notify(f"{finding.rule} is an error: errors cannot be acknowledged, "
                            "only resolved.", title="Acknowledge")
            return
        if not finding.is_open:
            self.app.notify(f"Already acknowledged: {finding.acknowledged}", title="Acknowledge")
            return
        topic = self._neg.library.topics.get(finding.topic) if self._neg else None
        where = topic.title if topic else finding.topic

        def record(note: str | None) -> None:
            if note:
                self.post_message(ChoiceChanged(
                    partial(edits.acknowledge, finding=finding, note=note),
                    what=f"acknowledged {finding.rule}"))

        self.app.push_screen(AcknowledgeScreen(finding, where), record)

    @property
    def highlighted(self) -> Finding | None:
        listing = self.query_one("#finding-list", OptionList)
        if listing.highlighted is None or not self.ordered:
            return None
        return (
            self.ordered[listing.highlighted] if listing.highlighted < len(self.ordered) else None
        )

    @on(OptionList.OptionSelected, "#finding-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id and event.option_id.startswith("f"):
            finding = self.ordered[int(event.option_id[1:])]
            self.post_message(Navigate("topics", finding.topic))
