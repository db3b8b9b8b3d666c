"""Step 3: each system's readiness, the kind of link that follows, and the choice.

The table and the recommendation come from `negotiation.advice`; choosing an
option sets the linkage and the recognition clause. If the current legal
form cannot carry the new linkage (a unilateral link is a regulation; an
agreement is not), the form the advice recommends is set with it and the
user is told.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.markup import escape
from textual.widgets import DataTable, OptionList, Static
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
from tui.messages import ChoiceChanged
from tui.panes.base import StepPane

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

    @on(OptionList.OptionSelected, "#link-options")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        neg = self.lw.doc.neg if self.lw.doc else None
        option = next((o for o in self._options if o.key == event.option_id), None)
        if neg is None or option is None or option.key == current_link_option(neg):
            return
        young = [r for r in readiness(neg) if r.maturity in ("new", "unknown")]
        self.post_message(
            ChoiceChanged(
                lambda s: link_edit(self.lw, s, option, young[0].name if len(young) == 1 else None),
                touched=(provision_node("recognition.scope"),),
                what=f"kind of link: {option.title}",
            )
        )

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
