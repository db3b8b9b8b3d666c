"""What changed since the last round: the change list, per topic, with who moved.

The session names its previous round (`previous: rounds/2`, or a git revision);
the core compares the two (`negotiation.compare`), provision by provision. This
dialog only lists the changes in the negotiators' words, grouped under the topic
they belong to, and Enter on one takes the user to its provision.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.markup import escape
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from negotiation.compare import KIND_WORDS, Change, Comparison
from negotiation.session import Negotiation
from tui.screens.modals import Dialog


@dataclass(frozen=True)
class ChangeStop:
    """Where a change takes the user: a topic, and the provision if there is one."""

    topic: str
    provision: str | None


def _plain(value: object) -> str:
    text = "—" if value is None else str(value)
    return text if len(text) <= 60 else text[:59] + "…"


def describe(comparison: Comparison, change: Change, neg: Negotiation) -> str:
    """One line: what changed, from what to what, and who moved."""
    library = neg.library
    what = KIND_WORDS.get(change.kind, change.kind)
    provision = library.provisions.get(change.provision)
    subject = provision.title if provision is not None else (
        library.topics[change.provision].title if change.provision in library.topics
        else change.provision)
    detail = ""
    if change.kind in ("value", "party-value", "clause", "position", "decided", "reopened"):
        before, after = change.before, change.after
        if change.kind in ("clause", "decided", "position") and isinstance(after, str) \
                and after in library.clauses:
            after = library.clauses[after].title
        if isinstance(before, str) and before in library.clauses:
            before = library.clauses[before].title
        detail = f": {_plain(before)} → {_plain(after)}"
    who = (" (" + ", ".join(comparison.name(p) for p in change.moved) + " moved)"
           if change.moved else "")
    return f"{subject} — {what}{detail}{who}"


def stop_for(change: Change, neg: Negotiation) -> ChangeStop | None:
    library = neg.library
    if change.provision in library.provisions:
        return ChangeStop(library.provisions[change.provision].topic, change.provision)
    if change.provision in library.topics:
        return ChangeStop(change.provision, None)
    return None


class SinceRoundScreen(Dialog):
    """Dismissed with the chosen `ChangeStop`, or None (Escape)."""

    BINDINGS: ClassVar[list[BindingType]] = []

    def __init__(self, neg: Negotiation) -> None:
        super().__init__()
        self._neg = neg
        self._stops: list[ChangeStop | None] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide tall", id="since"):
            yield Static("Since the last round", classes="dialog-title", id="since-title")
            yield Static("[dim]Comparing with the previous round…[/dim]", id="since-count")
            yield OptionList(id="since-changes")

    def on_mount(self) -> None:
        self.query_one("#since-changes", OptionList).focus()
        self._compare()

    @work(thread=True, exit_on_error=False, group="since-round")
    def _compare(self) -> None:
        from negotiation.compare import compare, side_of
        from negotiation.rounds import previous_side

        try:
            previous = previous_side(self._neg)
            if previous is None:
                self.app.call_from_thread(
                    self._say, "This session names no previous round: say `previous: "
                    "rounds/N` in it (`linkwright round close` does) to see what changed.")
                return
            comparison = compare(previous, side_of(self._neg, "this round"))
        except Exception as error:  # an unreadable round is said here, not raised
            self.app.call_from_thread(self._say, f"The previous round cannot be read: {error}")
            return
        self.app.call_from_thread(self._show, comparison)

    def _say(self, text: str) -> None:
        self.query_one("#since-count", Static).update(Content(text))

    def _show(self, comparison: Comparison) -> None:
        neg = self._neg
        listing = self.query_one("#since-changes", OptionList)
        self.query_one("#since-title", Static).update(
            Content(f"Since {comparison.old.label}"))
        order = {topic.id: i for i, topic in enumerate(neg.library.ordered_topics())}
        grouped: dict[str, list[Change]] = {}
        for change in comparison.changes:
            stop = stop_for(change, neg)
            grouped.setdefault(stop.topic if stop else "", []).append(change)
        options: list[Option | None] = []
        self._stops = []
        for topic in sorted(grouped, key=lambda t: order.get(t, -1)):
            title = neg.library.topics[topic].title if topic in neg.library.topics \
                else "The session as a whole"
            options.append(Option(Content.from_markup(f"[b]{escape(title)}[/b]"),
                                  disabled=True))
            self._stops.append(None)
            for change in grouped[topic]:
                options.append(Option(Content("  " + describe(comparison, change, neg))))
                self._stops.append(stop_for(change, neg))
        listing.set_options([o for o in options if o is not None])
        count = len(comparison.changes)
        self._say(f"{count} change{'s' if count != 1 else ''} · Enter goes to the "
                  "provision · Esc closes" if count else "No change since that round.")
        first = next((i for i, stop in enumerate(self._stops) if stop is not None), None)
        if first is not None:
            listing.highlighted = first

    @property
    def stops(self) -> list[ChangeStop | None]:
        return list(self._stops)

    @on(OptionList.OptionSelected, "#since-changes")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        stop = self._stops[event.option_index] if event.option_index < len(self._stops) \
            else None
        if stop is not None:
            self.dismiss(stop)
