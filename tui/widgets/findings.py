"""The findings panel: always visible, counted by severity, updated on every change.

Errors come first, then warnings, then infos, then the warnings the session
acknowledged (dimmed, marked ✓, with the note saying why: they are no longer
open, and counted apart). Enter on a finding opens it in full (message, parties,
fixes: at 80 columns the list shows one line of each), and Enter there goes to its
topic; `a` (on the work
screen) shows its fixes under it, numbered (`tui.fixes`): 1, 2, 3… or Enter on
one applies it, Escape closes them. Nothing is applied by `a` alone, so no fix
is applied unseen and no party's position is adopted unnamed. The palette's
"Acknowledge this warning…" asks for the note on the highlighted warning.
"""

from __future__ import annotations

from functools import partial
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.markup import escape
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from negotiation import edits
from negotiation.findings import SEVERITY_ORDER, Finding, counts
from negotiation.session import Negotiation
from tui.fixes import Fix, fixes_for
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


class FindingList(OptionList):
    """The list of findings, wrapped to its width. Textual measures how many lines each
    option wraps to once, for the width it had then; when the scrollbar appears the
    text is drawn one column narrower and a finding that now needs one more line lost
    its last line ("…under an absolute cap, or the"). Measure again when it shows or
    hides."""

    def watch_show_vertical_scrollbar(self) -> None:
        self._clear_caches()


class FindingsPanel(Vertical):
    """Counts and the list of findings of the current state of the negotiation."""

    # While a finding's fixes are shown, a digit picks one (otherwise digits go on to
    # the steps: `check_action` lets them through).
    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(str(n), f"pick_fix({n})", f"Apply fix {n}", show=False, id=f"pick-fix-{n}")
          for n in range(1, 10)),
        Binding("escape", "close_fixes", "Close the fixes", show=False, id="close-fixes"),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.findings: list[Finding] = []
        self.ordered: list[Finding] = []
        self._neg: Negotiation | None = None
        self.border_title = "Findings"
        self._fixes_of: Finding | None = None  # the finding whose fixes are shown
        self._fixes: list[Fix] = []

    def compose(self) -> ComposeResult:
        yield Static("checking…", id="finding-counts")
        yield FindingList(id="finding-list")

    def show(self, neg: Negotiation, findings: list[Finding], width: int | None = None) -> None:
        self._neg = neg
        self.findings = findings
        self.ordered = sorted(findings, key=_rank)
        self.query_one("#finding-counts", Static).update(
            Content.from_markup(counts_markup(findings, short=False))
        )
        listing = self.query_one("#finding-list", OptionList)
        previous = listing.highlighted
        if self._fixes_of is not None and self._fixes_of not in findings:
            self._fixes_of, self._fixes = None, []  # the finding is resolved: so are its fixes
        options = []
        for index, finding in enumerate(self.ordered):
            topic = neg.library.topics.get(finding.topic)
            where = topic.title if topic else finding.topic
            options.append(
                Option(Content.from_markup(finding_markup(where, finding)), id=f"f{index}")
            )
            if finding == self._fixes_of:
                self._fixes = fixes_for(neg, finding)
                options.extend(self._fix_options())
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
        """The highlighted finding (a fix line under it counts as its finding)."""
        listing = self.query_one("#finding-list", OptionList)
        option = listing.highlighted_option
        key = option.id if option is not None else None
        if not key or not self.ordered:
            return None
        if key.startswith("fix-"):
            return self._fixes_of
        if key.startswith("f") and key[1:].isdigit() and int(key[1:]) < len(self.ordered):
            return self.ordered[int(key[1:])]
        return None

    # -- the fixes of a finding, where the finding is --------------------------------------
    def _fix_options(self) -> list[Option]:
        options = [
            Option(Content.from_markup(f"   [b $text-success]{number}[/] {escape(fix.label)}"),
                   id=f"fix-{number}")
            for number, fix in enumerate(self._fixes, start=1)
        ]
        keys = "1" if len(self._fixes) == 1 else f"1–{min(len(self._fixes), 9)}"
        options.append(Option(
            Content.from_markup(f"   [dim]{keys} or Enter applies a fix · Esc closes[/dim]"),
            id="fix-hint", disabled=True))
        return options

    def focus_first_finding(self) -> None:
        """Focus the list with a finding highlighted (the first unless one already is),
        so that `a` or Enter right after has something to act on."""
        listing = self.query_one("#finding-list", OptionList)
        listing.focus()
        if self.highlighted is None and self.ordered:
            listing.highlighted = listing.get_option_index("f0")

    def offer_fixes(self) -> None:
        """Show the highlighted finding's fixes under it, numbered, and wait for a pick
        (`a` again, or Escape, closes them)."""
        finding = self.highlighted
        if finding is None or self._neg is None:
            self.app.notify("Highlight a finding first: f focuses the findings panel.",
                            title="Fixes")
            return
        if finding == self._fixes_of:
            self.action_close_fixes()
            return
        fixes = fixes_for(self._neg, finding)
        if not fixes:
            self.app.notify("No automatic fix for this finding: decide it in its topic "
                            "(Enter on it).", title="Fixes")
            return
        self._fixes_of, self._fixes = finding, fixes
        self.show(self._neg, self.findings)
        listing = self.query_one("#finding-list", OptionList)
        listing.focus()
        listing.highlighted = listing.get_option_index("fix-1")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("pick_fix", "close_fixes"):
            return self._fixes_of is not None
        return True

    def action_close_fixes(self) -> None:
        finding = self._fixes_of
        self._fixes_of, self._fixes = None, []
        if self._neg is not None:
            self.show(self._neg, self.findings)
        if finding is not None and finding in self.ordered:
            listing = self.query_one("#finding-list", OptionList)
            listing.highlighted = listing.get_option_index(f"f{self.ordered.index(finding)}")

    def action_pick_fix(self, number: int) -> None:
        if not 1 <= number <= len(self._fixes):
            self.app.bell()
            return
        fix = self._fixes[number - 1]
        self.action_close_fixes()
        app: Any = self.app
        app.apply_remedy(fix.remedy, fix.label)

    @on(OptionList.OptionSelected, "#finding-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if (event.option_id or "").startswith("fix-"):
            self.action_pick_fix(int((event.option_id or "").removeprefix("fix-")))
            return
        if event.option_id and event.option_id.startswith("f"):
            self.open_finding(self.ordered[int(event.option_id[1:])])

    def open_finding(self, finding: Finding) -> None:
        """The finding in full, in a dialog (at 80 columns the list shows one line of
        it): Enter there goes to its topic, a number applies that fix."""
        from tui.screens.modals import FindingScreen

        neg = self._neg
        if neg is None:
            return
        topic = neg.library.topics.get(finding.topic)
        parties = [neg.party_short(p) if p in neg.party_ids else p for p in finding.parties]
        fixes = fixes_for(neg, finding)
        detail = " · ".join(
            [f"rule {finding.rule}"]
            + ([f"clauses {', '.join(finding.clauses)}"] if finding.clauses else [])
            + ([f"values {', '.join(finding.parameters)}"] if finding.parameters else [])
        )

        def chosen(answer: str | None) -> None:
            if answer == "topic":
                self.post_message(Navigate("topics", finding.topic))
            elif answer and answer.startswith("fix-"):
                fix = fixes[int(answer.removeprefix("fix-")) - 1]
                app: Any = self.app
                app.apply_remedy(fix.remedy, fix.label)

        self.app.push_screen(
            FindingScreen(finding, topic.title if topic else finding.topic, parties,
                          [f.label for f in fixes], detail),
            chosen,
        )
