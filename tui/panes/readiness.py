"""Step 3: each system's readiness, the kind of link that follows, and the choice.

The table and the recommendation come from `negotiation.advice`; choosing an
option sets the linkage and the recognition clause. If the current legal
form cannot carry the new linkage (a unilateral link is a regulation; an
agreement is not), the form the advice recommends is set with it and the
user is told. Once the checks have run on the new link, the walk takes the
user on to what the choice now asks of them (a provision to decide, values to
confirm, an error), and says so; when it asks nothing new, they stay here.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.markup import escape
from textual.widgets import Button, DataTable, OptionList, Static
from textual.widgets.option_list import Option

from negotiation import edits
from negotiation.advice import (
    LinkOption,
    current_link_option,
    form_options,
    readiness,
    recommend_linkage,
)
from negotiation.graph import provision_node
from negotiation.session import Session, assemble
from tui.formatting import show
from tui.panes.base import StepPane
from tui.walk import walk

MATURITY_STYLE = {
    "established": "$success",
    "developing": "$primary",
    "new": "$warning",
    "unknown": "$warning",
}


class ReadinessPane(StepPane):
    step = "readiness"

    def compose(self) -> ComposeResult:
        yield Static("", id="readiness-title", classes="pane-title")
        yield DataTable(id="readiness-table", cursor_type="none", show_cursor=False)
        yield Static("", id="link-advice", classes="advice")
        yield Static(
            "[b]Kind of link[/b] [dim](Enter to choose; ★ recommended, ● current)[/dim]",
            classes="section",
        )
        yield OptionList(id="link-options")
        # Tab from the list lands here, on what Enter does in the list, rather than on
        # the findings panel, where Down + Enter went to another topic unnoticed.
        yield Button("Choose this kind of link", id="choose-link", classes="small",
                     compact=True)
        yield Static("", id="link-detail", classes="note")

    def refresh_pane(self) -> None:
        neg = self.lw.doc.neg if self.lw.doc else None
        if neg is None:
            return
        ready = readiness(neg)
        year = ready[0].year if ready else ""
        self.query_one("#readiness-title", Static).update(
            f"[b]Readiness and kind of link[/b]  [dim]as of {year}[/dim]"
        )
        table = self.query_one("#readiness-table", DataTable)
        table.clear(columns=True)
        for label in ("Party", "Years", "Prices", "Registry", "MRV since", "Maturity"):
            table.add_column(label, key=label)
        colours = self.app.theme_variables
        for r in ready:
            colour = colours.get(MATURITY_STYLE[r.maturity].lstrip("$"), "")
            table.add_row(
                Text(r.name),
                Text(show(r.years_operating)),
                Text(show(r.price_history)),
                Text(show(r.registry)[:28]),
                Text(show(r.mrv_since)),
                Text(r.maturity, style=f"bold {colour}"),
            )
        advice = recommend_linkage(neg)
        reasons = "\n".join(f"  • {escape(reason)}" for reason in advice.reasons)
        self.query_one("#link-advice", Static).update(
            Content.from_markup(
                f"Recommended: [b $text-success]{escape(advice.recommended.title)}[/]\n{reasons}"
            )
        )
        current = current_link_option(neg)
        listing = self.query_one("#link-options", OptionList)
        keep = listing.highlighted
        self._options = list(advice.options)
        prompts = []
        for option in self._options:
            marks = ("[$text-success]★[/]" if option.recommended else " ") + (
                "[$text-accent]●[/]" if option.key == current else "○"
            )
            prompts.append(
                Option(Content.from_markup(f"{marks} {escape(option.title)}"), id=option.key)
            )
        listing.set_options(prompts)
        if keep is not None and keep < len(prompts):
            listing.highlighted = keep
        elif current is not None:
            listing.highlighted = next(i for i, o in enumerate(self._options) if o.key == current)
        else:
            listing.highlighted = 0

    @on(OptionList.OptionHighlighted, "#link-options")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        option = next((o for o in self._options if o.key == event.option_id), None)
        if option is not None:
            self.query_one("#link-detail", Static).update(
                f"[dim]{escape(option.description)}[/dim]"
            )

    @on(Button.Pressed, "#choose-link")
    def _choose_highlighted(self, event: Button.Pressed) -> None:
        event.stop()
        listing = self.query_one("#link-options", OptionList)
        option = listing.highlighted_option
        if option is not None and option.id is not None:
            self._choose(option.id)

    @on(OptionList.OptionSelected, "#link-options")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option_id or "")

    def _choose(self, key: str) -> None:
        neg = self.lw.doc.neg if self.lw.doc else None
        option = next((o for o in self._options if o.key == key), None)
        if neg is None or option is None:
            return
        if option.key == current_link_option(neg):
            self.app.notify(f"{option.title} is the kind of link already.",
                            title="Nothing to change")
            return
        young = [r for r in readiness(neg) if r.maturity in ("new", "unknown")]
        before = self._needs()
        applied = self.lw.apply(
            lambda s: link_edit(self.lw, s, option, young[0].name if len(young) == 1 else None),
            (provision_node("recognition.scope"),),
        )
        if applied:
            self.lw.when_checked(partial(self._follow, option.title, before))

    def _needs(self) -> set[tuple[str, str]]:
        """What the walk asks of the user now (each place, with what it asks there)."""
        neg = self.lw.doc.neg if self.lw.doc else None
        if neg is None:
            return set()
        return {(s.key, s.why) for s in walk(neg, self.lw.review.findings, self.lw.questions)}

    def _follow(self, title: str, before: set[tuple[str, str]]) -> None:
        """After a new kind of link is checked: go on to the first thing it now needs."""
        from tui.screens.work import WorkScreen

        neg = self.lw.doc.neg if self.lw.doc else None
        screen = self.screen
        if neg is None or not isinstance(screen, WorkScreen) or screen.step != self.step:
            return  # the user has moved on: leave them where they are
        stops = walk(neg, self.lw.review.findings, self.lw.questions)
        new = [s for s in stops if (s.key, s.why) not in before]
        if not new:
            self.app.notify(f"{title}: nothing new to decide. ] goes on to the legal form.",
                            title="Kind of link chosen")
            return
        count = f"{len(new)} thing{'s' if len(new) != 1 else ''}"
        self.app.notify(f"{title} now needs {count} from you; here is the first "
                        "(n walks everything that needs you).", title="Kind of link chosen")
        screen.go_to_stop(new[0])

    def focus_first(self) -> None:
        self.query_one("#link-options", OptionList).focus()


def link_edit(app: Any, session: Session, option: LinkOption, first: str | None) -> Session:
    """The session with `option`'s linkage and recognition clause, and a fitting form."""
    doc = app.doc
    folder = doc.path.parent

    def load(s: Session) -> Any:
        return assemble(s, None, folder, doc.extra_libraries)

    changed = edits.set_linkage(session, option.linkage, option.recognising)
    neg = load(changed)
    advice = form_options(neg)
    if not advice.option(neg.form).fits:
        changed = edits.set_form(changed, advice.recommended)
        app.call_later(
            app.notify,
            f"Legal form set to {advice.recommended}: "
            f"{advice.reasons[0] if advice.reasons else ''}",
            title="Form changed",
        )
        neg = load(changed)
    clause = option.clause
    if clause is None:
        fitting = neg.library.fitting_clauses("recognition.scope", neg.form, neg.linkage)
        clause = fitting[0].id if len(fitting) == 1 else None
    if clause is not None:
        params: dict[str, Any] = {}
        if clause == "recognition.scope.phased" and first:
            params["first_recognising"] = first
        changed = edits.set_decision(changed, "recognition.scope", clause, params)
    return changed
