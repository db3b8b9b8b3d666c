"""Step 4: the legal form, with its trade-offs and who may sign it.

Forms that do not fit the linkage or the parties (a sub-national party
cannot sign a treaty) are shown with the reason; choosing one anyway is
allowed, and the findings panel then says what is wrong and how to fix it.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.markup import escape
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from negotiation import edits
from negotiation.advice import FormOption, form_options
from negotiation.graph import topic_node
from tui.messages import ChoiceChanged
from tui.panes.base import StepPane


class FormPane(StepPane):
    step = "form"

    def compose(self) -> ComposeResult:
        yield Static("", id="form-title", classes="pane-title")
        yield Static("", id="form-advice", classes="advice")
        yield OptionList(id="form-options")
        yield Static("", id="form-detail", classes="note")

    def refresh_pane(self) -> None:
        neg = self.lw.doc.neg if self.lw.doc else None
        if neg is None:
            return
        advice = form_options(neg)
        self._options = list(advice.options)
        link = neg.linkage + (
            f", {neg.party_short(neg.recognising() or '')} recognising"
            if neg.linkage == "unilateral"
            else ""
        )
        self.query_one("#form-title", Static).update(
            f"[b]Legal form[/b]  [dim]for a {escape(link)} link · Enter to choose · ★ "
            "recommended · ● current[/dim]"
        )
        reasons = "\n".join(f"  • {escape(r)}" for r in advice.reasons)
        recommended = advice.option(advice.recommended)
        self.query_one("#form-advice", Static).update(
            Content.from_markup(
                f"Recommended: [b $text-success]{escape(recommended.title)}[/]\n{reasons}"
            )
        )
        listing = self.query_one("#form-options", OptionList)
        keep = listing.highlighted
        prompts = []
        for option in self._options:
            marks = ("[$text-success]★[/]" if option.recommended else " ") + (
                "[$text-accent]●[/]" if option.form == neg.form else "○"
            )
            fit = "" if option.fits else "  [$text-error]✖ does not fit[/]"
            prompts.append(
                Option(Content.from_markup(f"{marks} {escape(option.title)}{fit}"), id=option.form)
            )
        listing.set_options(prompts)
        index = (
            keep
            if keep is not None
            else next(i for i, o in enumerate(self._options) if o.form == neg.form)
        )
        listing.highlighted = index
        self._detail(self._options[index])

    def _detail(self, option: FormOption) -> None:
        lines = [
            f"[b]Binding force[/b]  {escape(option.binding_force)}",
            f"[b]Flexibility[/b]  {escape(option.flexibility)}",
            f"[b]Who may sign[/b]  {escape(option.signatories)}",
        ]
        if not option.fits:
            lines.append(f"[$text-error]Does not fit: {escape(option.why_not)}[/]")
        self.query_one("#form-detail", Static).update(Content.from_markup("\n".join(lines)))

    @on(OptionList.OptionHighlighted, "#form-options")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        option = next((o for o in getattr(self, "_options", []) if o.form == event.option_id), None)
        if option is not None:
            self._detail(option)

    @on(OptionList.OptionSelected, "#form-options")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        neg = self.lw.doc.neg if self.lw.doc else None
        form = event.option_id
        if neg is None or form is None or form == neg.form:
            return
        option = next(o for o in self._options if o.form == form)
        if not option.fits:
            self.app.notify(
                f"{option.title} does not fit: {option.why_not}. The findings "
                "panel shows how to fix it.",
                severity="warning",
                title="Form chosen anyway",
            )
        self.post_message(
            ChoiceChanged(
                lambda s: edits.set_form(s, form),
                touched=(topic_node("objective"),),
                what=f"legal form: {form}",
            )
        )

    def focus_first(self) -> None:
        self.query_one("#form-options", OptionList).focus()
