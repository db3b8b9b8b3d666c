"""The findings panel: always visible, counted by severity, updated on every change.

Errors come first, then warnings, then infos. Enter on a finding goes to its
topic; `a` (on the work screen) applies its first remedy.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.markup import escape
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from negotiation.findings import SEVERITY_ORDER, Finding, counts
from negotiation.session import Negotiation
from tui.messages import Navigate

ICON = {
    "error": "[$text-error]✖[/]",
    "warning": "[$text-warning]▲[/]",
    "info": "[$text-primary]●[/]",
}


def counts_markup(findings: list[Finding], short: bool = False) -> str:
    total = counts(findings)
    if short:
        return (
            f"[$text-error]✖ {total['error']}[/]  [$text-warning]▲ {total['warning']}[/]  "
            f"[$text-primary]● {total['info']}[/]"
        )
    return (
        f"[$text-error]✖ {total['error']} error{'s' if total['error'] != 1 else ''}[/]  "
        f"[$text-warning]▲ {total['warning']} warning{'s' if total['warning'] != 1 else ''}[/]  "
        f"[$text-primary]● {total['info']} info[/]"
    )


class FindingsPanel(Vertical):
    """Counts and the list of findings of the current state of the negotiation."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.findings: list[Finding] = []
        self.ordered: list[Finding] = []
        self.border_title = "Findings"

    def compose(self) -> ComposeResult:
        yield Static("checking…", id="finding-counts")
        yield OptionList(id="finding-list")

    def show(self, neg: Negotiation, findings: list[Finding], width: int | None = None) -> None:
        self.findings = findings
        self.ordered = sorted(findings, key=lambda f: SEVERITY_ORDER[f.severity])
        self.query_one("#finding-counts", Static).update(
            Content.from_markup(counts_markup(findings, short=False))
        )
        listing = self.query_one("#finding-list", OptionList)
        previous = listing.highlighted
        options = []
        for index, finding in enumerate(self.ordered):
            topic = neg.library.topics.get(finding.topic)
            where = topic.title if topic else finding.topic
            text = f"{where}: {finding.message}"
            options.append(
                Option(
                    Content.from_markup(f"{ICON[finding.severity]} {escape(text)}"), id=f"f{index}"
                )
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
