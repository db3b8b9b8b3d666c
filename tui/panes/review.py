"""Step 6: every finding, grouped by topic, each with its remedies.

A fix is one line under its finding, labelled as `tui.fixes` offers it (a
party's position by the party's name): Enter (or `a`) on a fix applies that
fix; `a` on the finding itself moves to its first fix rather than applying it
unseen. The settled provisions the draft still needs recorded are confirmed
all at once with `c`.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.markup import escape
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from negotiation import edits
from negotiation.findings import Finding, Remedy
from negotiation.graph import party_node, provision_node, topic_node
from tui.fixes import Fix, fixes_for
from tui.messages import ChoiceChanged, Navigate
from tui.panes.base import StepPane
from tui.values import settled_decisions
from tui.widgets.findings import ICON, counts_markup


def remedy_nodes(remedy: Remedy) -> tuple[str, ...]:
    """The graph nodes a remedy changes (to mark the topics it affects)."""
    if remedy.choose is not None:
        return (provision_node(remedy.choose.provision),)
    if remedy.set is not None:
        kind, _, rest = remedy.set.target.partition(":")
        if kind == "party":
            party, _, parameter = rest.partition(".")
            return (party_node(party, parameter),)
        provision, _, _ = rest.rpartition(".")
        return (provision_node(provision),)
    if remedy.condition is not None:
        return (topic_node("conditions"),)
    return ()


def remedy_change(remedy: Remedy) -> ChoiceChanged:
    return ChoiceChanged(
        lambda s: edits.apply_remedy(s, remedy),
        touched=remedy_nodes(remedy),
        what=f"fix applied: {remedy.description}",
    )


class ReviewPane(StepPane):
    step = "review"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "confirm_settled", "Confirm settled", id="confirm-all-settled"),
        Binding("g", "go_topic", "Go to topic", id="go-to-topic"),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._entries: dict[str, tuple[Finding, Fix | None]] = {}

    def compose(self) -> ComposeResult:
        yield Static("", id="review-title", classes="pane-title")
        yield OptionList(id="review-list")

    def refresh_pane(self) -> None:
        self.refresh_review()

    def refresh_review(self) -> None:
        neg = self.lw.doc.neg if self.lw.doc else None
        if neg is None:
            return
        findings = self.lw.review.findings
        groups = self.lw.questions
        open_count = sum(g.open_count for g in groups)
        settled = sum(g.settled_count for g in groups)
        lines = [f"[b]Review[/b]  {counts_markup(findings)}"]
        lines.append(
            f"[dim]{open_count} {'question' if open_count == 1 else 'questions'} open · "
            f"{settled} settled to confirm"
            + (" (c confirms them all)" if settled else "")
            + " · Enter on a fix applies it · g goes to the topic[/dim]"
        )
        self.query_one("#review-title", Static).update(Content.from_markup("\n".join(lines)))
        listing = self.query_one("#review-list", OptionList)
        keep = listing.highlighted
        options: list[Option] = []
        self._entries = {}
        current = None
        for index, finding in enumerate(findings):
            if finding.topic != current:
                current = finding.topic
                topic = neg.library.topics.get(current)
                options.append(
                    Option(
                        Content.from_markup(
                            f"[b $text-primary]{escape(topic.title if topic else current)}[/]"
                        ),
                        id=f"t{index}",
                        disabled=True,
                    )
                )
            key = f"f{index}"
            self._entries[key] = (finding, None)
            options.append(
                Option(
                    Content.from_markup(
                        f"{ICON[finding.severity]} {escape(finding.message)}  "
                        f"[dim]({escape(finding.rule)})[/dim]"
                    ),
                    id=key,
                )
            )
            for number, fix in enumerate(fixes_for(neg, finding), start=1):
                rkey = f"r{index}-{number}"
                self._entries[rkey] = (finding, fix)
                options.append(
                    Option(
                        Content.from_markup(
                            f"    [$text-success]→ fix {number}:[/] {escape(fix.label)}"
                        ),
                        id=rkey,
                    )
                )
        if not options:
            options.append(
                Option(
                    Content.from_markup("[$text-success]No findings.[/]"), id="none", disabled=True
                )
            )
        listing.set_options(options)
        # Stay where the user was; when the list shrank past it, keep a highlight
        # anyway (the last line), so `a` and Enter always have a finding to act on.
        if keep is not None:
            listing.highlighted = min(keep, len(options) - 1)
            if options[listing.highlighted].disabled:
                listing.action_cursor_down()

    def highlighted(self) -> tuple[Finding, Fix | None] | None:
        listing = self.query_one("#review-list", OptionList)
        option = listing.highlighted_option
        if option is None or option.id not in self._entries:
            return None
        return self._entries[option.id]

    @on(OptionList.OptionSelected, "#review-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        entry = self._entries.get(event.option_id or "")
        if entry is None:
            return
        finding, fix = entry
        if fix is not None:
            self.lw.apply_remedy(fix.remedy, fix.label)
        else:
            self.post_message(Navigate("topics", finding.topic))

    def apply_highlighted(self) -> bool:
        """`a` in the review: a highlighted fix is applied; on a finding, the highlight
        moves to its first fix, to be read and picked, never applied unseen."""
        entry = self.highlighted()
        if entry is None:
            return False
        finding, fix = entry
        if fix is not None:
            self.lw.apply_remedy(fix.remedy, fix.label)
            return True
        listing = self.query_one("#review-list", OptionList)
        key = next((k for k, (f, x) in self._entries.items() if f == finding and x), None)
        if key is None:
            self.app.notify("No automatic fix for this finding; go to its topic (g).")
            return True
        listing.highlighted = listing.get_option_index(key)
        self.app.notify("Enter (or a) applies the highlighted fix; ↓ shows the others.",
                        title="Pick a fix")
        return True

    def highlight_finding(self, finding: Finding) -> None:
        """Put the highlight (and the keyboard) on `finding` (where `n` leads)."""
        self.refresh_review()
        listing = self.query_one("#review-list", OptionList)
        key = next((k for k, (f, x) in self._entries.items() if f == finding and x is None),
                   None)
        listing.focus()
        if key is not None:
            listing.highlighted = listing.get_option_index(key)

    def action_go_topic(self) -> None:
        entry = self.highlighted()
        if entry is not None:
            self.post_message(Navigate("topics", entry[0].topic))

    def action_confirm_settled(self) -> None:
        neg = self.lw.doc.neg if self.lw.doc else None
        if neg is None:
            return
        choices = settled_decisions(neg)  # a library default stays to be confirmed
        if not choices:
            self.app.notify("Nothing settled to confirm.")
            return

        def confirm(session: Any) -> Any:
            for pid, choice in choices.items():
                session = edits.set_decision(session, pid, choice.clause, choice.params)
            return session

        self.post_message(
            ChoiceChanged(
                confirm,
                touched=tuple(provision_node(p) for p in choices),
                what=f"{len(choices)} settled provision(s) confirmed",
            )
        )

    def focus_first(self) -> None:
        self.query_one("#review-list", OptionList).focus()
