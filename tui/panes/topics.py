"""Step 5: the design topics, one at a time, in treaty order.

Each provision the draft needs (`negotiation.interview`) gets a card: its
question, the clauses that fit this form and linkage (highlight one to read
its guidance and precedent, Enter to choose it), the chosen clause's values,
each party's position, and the status (decided, agreed, settled, disputed,
open). A provision with a single fitting clause and nothing disputed is
shown as settled; `c` confirms it into the session. The conditions topic
also lists the pre-linking conditions.

Each value says where it comes from when that is not the session itself: a
library default nobody has agreed, or no value at all. Choosing a clause (or
confirming a settled one) records no default; `v` confirms the values shown,
which makes them a decision, and a missing value is typed in (`tui.values`).
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.css.query import NoMatches
from textual.markup import escape
from textual.widget import Widget
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from negotiation import edits
from negotiation.graph import clause_node, param_node, provision_node, topic_node
from negotiation.interview import Question, TopicQuestions
from negotiation.library import Clause
from negotiation.session import ClauseChoice, Negotiation, Origin, Position
from tui.formatting import describe_position, edit_text, param_hint, parse_param, show_param
from tui.messages import ChoiceChanged
from tui.panes.base import StepPane
from tui.screens.modals import (
    ConditionAnswer,
    ConditionScreen,
    EditConditionScreen,
    PositionScreen,
)
from tui.values import (
    NO_VALUE,
    NOT_AGREED,
    agreed_values,
    settled_decisions,
    shown_values,
    unconfirmed_names,
    value_origins,
)

STATUS = {
    "decided": ("$success", "decided"),
    "agreed": ("$success", "agreed by all"),
    "settled": ("$accent", "settled — c to confirm"),
    "disputed": ("$error", "disputed"),
    "open": ("$warning", "open"),
}
OPEN_OPTION = "__open__"


def show_changed(widget: Static, content: Content | str) -> None:
    """Update `widget` only when what it shows changed. Every update lays the screen
    out and paints it again, and a change elsewhere leaves most lines as they were:
    redrawing only what changed is what keeps a key press quick."""
    key = content.markup if isinstance(content, Content) else content
    if getattr(widget, "_shown_markup", None) != key:
        widget._shown_markup = key  # type: ignore[attr-defined]
        widget.update(content)


def origin_note(origin: Origin) -> str:
    """Markup saying where a decided value comes from, or "" when the session gives it."""
    if origin == "default":
        return f"[$text-warning]{NOT_AGREED} — v confirms it[/]"
    if origin == "missing":
        return f"[$text-warning]{NO_VALUE} — type one[/]"
    if origin == "profile":
        return "[dim]every party's own figure[/dim]"
    return ""


def supporters(neg: Negotiation, positions: dict[str, Position], clause: str) -> list[str]:
    return [
        neg.party_short(p)
        for p, pos in positions.items()
        if isinstance(pos, ClauseChoice) and pos.clause == clause
    ]


class ProvisionCard(Vertical):
    """One provision: choose a clause, set its values, see and edit positions."""

    def __init__(self, question: Question) -> None:
        super().__init__(classes="card")
        self.question = question
        self._shown_provision = ""
        self._shown_prompts: list[tuple[str | None, str]] = []
        self._clause_key: tuple[str, str | None, str] = ("", None, "")
        self._positions_key = ""

    @property
    def provision_id(self) -> str:
        return self.question.id

    def compose(self) -> ComposeResult:
        yield Static("", classes="card-title")
        yield Static("", classes="card-question")
        yield OptionList(classes="clause-list")
        yield Static("", classes="clause-detail")
        yield Vertical(classes="params")
        yield Vertical(classes="positions")
        with Horizontal(classes="card-actions"):
            # Labels are markup: the key hints are escaped, or "[c]" reads as a style
            yield Button(r"Confirm settled \[c]", id="confirm", compact=True, variant="primary")
            yield Button(r"Confirm values \[v]", id="confirm-values", compact=True)
            yield Button(r"Leave open \[x]", id="leave-open", compact=True)

    def on_mount(self) -> None:
        self._ready = True
        self.update_question(self.question, first=True)

    @property
    def neg(self) -> Negotiation:
        return self.app.doc.neg  # type: ignore[attr-defined]

    def update_question(self, question: Question, first: bool = False) -> None:
        self.question = question
        if not getattr(self, "_ready", False) or self._closing or self._closed:
            return  # on_mount shows the latest question; a card being removed shows nothing
        try:
            self._update(question, first)
        except NoMatches:  # removed while a refresh was on its way
            return

    def _update(self, question: Question, first: bool) -> None:
        neg = self.neg
        colour, label = STATUS[question.status]
        provision = question.provision
        show_changed(
            self.query_one(".card-title", Static),
            Content.from_markup(f"[b]{escape(provision.title)}[/b]  [{colour}]■ {label}[/]"),
        )
        show_changed(self.query_one(".card-question", Static), escape(provision.question or ""))
        listing = self.query_one(".clause-list", OptionList)
        chosen = question.choice.id if question.choice else None
        prompts = []
        for clause in question.clauses:
            mark = "[$text-success]●[/]" if clause.id == chosen else "○"
            who = supporters(neg, question.positions, clause.id)
            support = f" [dim]({escape(', '.join(who))})[/dim]" if who else ""
            prompts.append(
                Option(Content.from_markup(f"{mark} {escape(clause.title)}{support}"), id=clause.id)
            )
        open_mark = "[$text-warning]●[/]" if question.status in ("open", "disputed") else "○"
        prompts.append(
            # Not "Leave open": that is the button's word for the act (said once a card)
            Option(
                Content.from_markup(f"{open_mark} [i]Undecided (bracketed)[/i]"),
                id=OPEN_OPTION,
            )
        )
        keep = listing.highlighted if self._shown_provision == question.id else None
        self._shown_provision = question.id
        shown = [(o.id, o.prompt.markup) for o in prompts]  # type: ignore[union-attr]
        if keep is None or shown != self._shown_prompts:
            # The same list with its highlight kept is left alone: replacing it would
            # only repaint it.
            self._shown_prompts = shown
            listing.set_options(prompts)
            if keep is not None and keep < len(prompts):
                listing.highlighted = keep
            else:
                ids = [c.id for c in question.clauses]
                listing.highlighted = ids.index(chosen) if chosen in ids else 0
        self._detail()
        self._params(first)
        self._positions(first)
        self.query_one("#confirm", Button).display = question.status == "settled"
        self.query_one("#leave-open", Button).display = question.status == "decided"
        self.query_one("#confirm-values", Button).display = bool(
            unconfirmed_names(neg, question, "default")
        )

    # -- the highlighted clause ---------------------------------------------------------
    def _highlighted_clause(self) -> Clause | None:
        listing = self.query_one(".clause-list", OptionList)
        option = listing.highlighted_option
        if option is None or option.id == OPEN_OPTION:
            return None
        return self.neg.library.clauses.get(option.id or "")

    def _detail(self) -> None:
        clause = self._highlighted_clause()
        detail = self.query_one(".clause-detail", Static)
        if clause is None:
            show_changed(
                detail,
                Content.from_markup(
                    "[dim]Leave the provision open: the draft shows it in square brackets, "
                    "with each party's position.[/dim]"
                )
            )
            return
        lines = []
        if clause.summary:
            lines.append(escape(clause.summary))
        if clause.guidance:
            lines.append(f"[dim]{escape(' '.join(clause.guidance.split()))}[/dim]")
        for precedent in clause.precedent:
            where = f", {precedent.where}" if precedent.where else ""
            note = "" if precedent.verified else " (not verified)"
            lines.append(f"[$text-primary]Precedent:[/] {escape(precedent.source + where + note)}")
        show_changed(detail, Content.from_markup("\n".join(lines)))

    @on(OptionList.OptionHighlighted, ".clause-list")
    def _on_highlight(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._detail()

    @on(OptionList.OptionSelected, ".clause-list")
    def _on_select(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        pid = self.provision_id
        question = self.question
        if event.option_id == OPEN_OPTION:
            self.leave_open()
            return
        clause_id = event.option_id or ""
        if question.status == "decided" and question.choice and question.choice.id == clause_id:
            return
        params = self._carried_params(clause_id)
        old = question.choice.id if question.status == "decided" and question.choice else None
        touched = (provision_node(pid), clause_node(clause_id)) + (
            (clause_node(old),) if old else ()
        )
        self.post_message(
            ChoiceChanged(
                lambda s: edits.set_decision(s, pid, clause_id, params),
                touched=touched,
                what=f"{pid}: {self.neg.library.clauses[clause_id].title}",
            )
        )

    def _carried_params(self, clause_id: str) -> dict[str, Any]:
        """Values to record with a newly chosen clause: those of an agreed or settled
        choice of it, or a party's position on it when only one party stated one."""
        question = self.question
        if question.choice is not None and question.choice.id == clause_id:
            return {}
        stated = [
            p
            for p in question.positions.values()
            if isinstance(p, ClauseChoice) and p.clause == clause_id
        ]
        return dict(stated[0].params) if len(stated) == 1 else {}

    # -- parameters ------------------------------------------------------------------------
    def _params(self, first: bool) -> None:
        question = self.question
        box = self.query_one(".params", Vertical)
        clause = question.choice
        key = (question.id, clause.id if clause else None, question.status)
        origins = value_origins(self.neg, question)
        if not first and key == self._clause_key:
            # Same clause: refresh values in inputs the user is not typing in, and
            # where each value comes from (a confirmed default loses its mark).
            for name, value in question.values.items():
                for widget in box.query(f"#param-{name}").results(Input):
                    if not widget.has_focus:
                        widget.value = edit_text(value)
            for label in box.query(".param-label").results(Static):
                name = (label.id or "").removeprefix("label-")
                if name in origins:
                    show_changed(label, self._label(name, origins[name][1]))
            for line in box.query(".values").results(Static):
                show_changed(line, self._values_line(origins))
            return
        self._clause_key = key
        box.remove_children()
        if clause is None or not clause.params:
            box.display = False
            return
        box.display = True
        currency = self.neg.session.reporting_currency
        widgets: list[Widget] = []
        if question.status != "decided":
            widgets.append(Static(self._values_line(origins), classes="values"))
        else:
            for name, param in clause.params.items():
                widgets.append(
                    Static(
                        self._label(name, origins[name][1] if name in origins else "given"),
                        id=f"label-{name}",
                        classes="param-label",
                    )
                )
                widgets.append(
                    Input(
                        edit_text(question.values.get(name)),
                        placeholder=param_hint(param, currency),
                        id=f"param-{name}",
                        classes="param-input",
                        tooltip=param_hint(param, currency),
                    )
                )
                widgets.append(Static("", id=f"problem-{name}", classes="problem"))
        # A fresh container: the removed inputs (same ids) may not be gone yet.
        box.mount(Vertical(*widgets, classes="param-group"))

    def _label(self, name: str, origin: Origin) -> Content:
        """A value's label, and below it where the value comes from unless the session
        gives it (a line of its own: a long label must not break the warning in two)."""
        clause = self.question.choice
        param = clause.params[name] if clause is not None else None
        label = escape((param.label if param else None) or name)
        note = origin_note(origin)
        return Content.from_markup(f"{label}\n{note}" if note else label)

    def _values_line(self, origins: dict[str, tuple[Any, Origin]]) -> Content:
        """The values of a clause not yet decided, each unconfirmed one marked."""
        clause = self.question.choice
        if clause is None:
            return Content("")
        currency = self.neg.session.reporting_currency
        parts = []
        for name, param in clause.params.items():
            value, origin = origins.get(name, (None, "missing"))
            shown = escape(show_param(param, value, currency))
            mark = {"default": f" [$text-warning]({NOT_AGREED})[/]",
                    "missing": f" [$text-warning]({NO_VALUE})[/]"}.get(origin, "")
            parts.append(f"{escape(param.label or name)}: {shown}{mark}")
        return Content.from_markup(f"[dim]Values[/dim] {'; '.join(parts)}")

    def _param_of(self, widget_id: str | None) -> str | None:
        if not widget_id or not widget_id.startswith("param-"):
            return None
        return widget_id.removeprefix("param-")

    @on(Input.Changed, ".param-input")
    def _typing(self, event: Input.Changed) -> None:
        event.stop()
        name = self._param_of(event.input.id)
        clause = self.question.choice
        if name is None or clause is None:
            return
        _, problem = parse_param(clause.params[name], event.value)
        for widget in self.query(f"#problem-{name}").results(Static):
            widget.update(escape(problem) if problem else "")

    @on(Input.Submitted, ".param-input")
    @on(Input.Blurred, ".param-input")
    def _commit(self, event: Input.Submitted | Input.Blurred) -> None:
        event.stop()
        name = self._param_of(event.input.id)
        clause = self.question.choice
        if name is None or clause is None or self.question.status != "decided":
            return
        value, problem = parse_param(clause.params[name], event.input.value)
        if problem:
            if isinstance(event, Input.Submitted):
                self.app.notify(
                    f"{clause.params[name].label or name}: {problem}",
                    severity="warning",
                    title="Value not set",
                )
            return
        if value == self.question.values.get(name) and not (
            # Enter on a library default, unchanged, agrees to it; leaving the field
            # does not.
            isinstance(event, Input.Submitted)
            and name in unconfirmed_names(self.neg, self.question, "default")
        ):
            return
        pid = self.provision_id
        self.post_message(
            ChoiceChanged(
                lambda s: edits.set_decision_param(s, pid, name, value),
                touched=(param_node(clause.id, name),),
                what=f"{pid}: {name} = {value}",
            )
        )

    # -- positions ------------------------------------------------------------------------
    def _positions(self, first: bool) -> None:
        neg = self.neg
        question = self.question
        key = repr((question.id, [(p, question.positions.get(p)) for p in neg.party_ids]))
        if not first and key == self._positions_key:
            return
        self._positions_key = key
        box = self.query_one(".positions", Vertical)
        box.remove_children()
        rows: list[Widget] = []
        fitting = {c.id for c in question.clauses}
        for party in neg.party_ids:
            position = question.positions.get(party)
            text = describe_position(neg, position, 300)
            children: list[Widget] = [
                Static(
                    Content.from_markup(f"[b]{escape(neg.party_short(party))}[/b] {escape(text)}"),
                    classes="position-text",
                ),
                Button("Edit", id=f"pos-edit-{party}", classes="small", compact=True),
            ]
            if (
                isinstance(position, ClauseChoice)
                and position.clause in fitting
                and question.status != "decided"
            ):
                children.append(
                    Button("Adopt", id=f"pos-adopt-{party}", classes="small", compact=True)
                )
            rows.append(Horizontal(*children, classes="position-row"))
        box.mount(Vertical(*rows, classes="position-group"))

    @on(Button.Pressed)
    def _button(self, event: Button.Pressed) -> None:
        button = event.button.id or ""
        if button.startswith("pos-edit-"):
            event.stop()
            self.edit_position(button.removeprefix("pos-edit-"))
        elif button.startswith("pos-adopt-"):
            event.stop()
            party = button.removeprefix("pos-adopt-")
            position = self.question.positions.get(party)
            if isinstance(position, ClauseChoice):
                pid = self.provision_id
                self.post_message(
                    ChoiceChanged(
                        lambda s: edits.set_decision(s, pid, position.clause, position.params),
                        touched=(provision_node(pid), clause_node(position.clause)),
                        what=f"{pid}: {self.neg.party_short(party)}'s position adopted",
                    )
                )
        elif button == "confirm":
            event.stop()
            self.confirm()
        elif button == "confirm-values":
            event.stop()
            self.confirm_values()
        elif button == "leave-open":
            event.stop()
            self.leave_open()

    def edit_position(self, party: str) -> None:
        neg = self.neg
        pid = self.provision_id

        def done(answer: Position | str | None) -> None:
            if answer is None:
                return
            new = None if answer == "withdraw" else answer
            self.post_message(
                ChoiceChanged(
                    lambda s: edits.set_position(s, party, pid, new),  # type: ignore[arg-type]
                    touched=(provision_node(pid),),
                    what=f"{neg.party_short(party)}'s position on {pid}",
                )
            )

        self.app.push_screen(
            PositionScreen(
                neg.party_short(party),
                self.question.provision.title,
                list(self.question.clauses),
                self.question.positions.get(party),
                neg.session.reporting_currency,
                self._proposals(),
            ),
            done,
        )

    def _proposals(self) -> dict[str, dict[str, Any]]:
        """Per fitting clause, the values the position dialog proposes: the session's
        where it has settled on that clause (a decided 0 % is proposed as 0 %, not the
        library's 4 %), else the parties' shared figure or the library default."""
        neg, question = self.neg, self.question
        proposals = {c.id: neg.parameter_values(c, {}) for c in question.clauses}
        if question.choice is not None:
            proposals[question.choice.id] = dict(question.values)
        return proposals

    def confirm(self) -> None:
        question = self.question
        if question.status != "settled" or question.choice is None:
            return
        pid, clause = question.id, question.choice.id
        values = agreed_values(self.neg, question)  # a default stays to be confirmed (v)
        self.post_message(
            ChoiceChanged(
                lambda s: edits.set_decision(s, pid, clause, values),
                touched=(provision_node(pid), clause_node(clause)),
                what=f"{pid} confirmed",
            )
        )

    def confirm_values(self) -> None:
        """Record the values shown as agreed: library defaults become a decision."""
        neg, question = self.neg, self.question
        clause = question.choice
        if clause is None:
            self.app.notify("Choose a clause first: this provision shows no values yet.")
            return
        defaults = unconfirmed_names(neg, question, "default")
        missing = [clause.params[n].label or n for n in
                   unconfirmed_names(neg, question, "missing")]
        if missing:
            # Nothing to agree to: the negotiator types the value.
            where = "in the card" if question.status == "decided" else (
                "once the clause is chosen (Enter on it)"
            )
            self.app.notify(
                f"{'; '.join(missing)}: {NO_VALUE}. Type one {where}.",
                severity="warning",
                title="Set the value",
            )
        if not defaults:
            if not missing:
                self.app.notify(f"Every value of {question.provision.title} is already agreed.")
            return
        pid, clause_id, values = question.id, clause.id, shown_values(neg, question)
        self.post_message(
            ChoiceChanged(
                lambda s: edits.confirm_values(s, pid, clause_id, values),
                touched=(
                    provision_node(pid),
                    clause_node(clause_id),
                    *(param_node(clause_id, n) for n in defaults),
                ),
                what=f"{pid}: values confirmed",
            )
        )

    def leave_open(self) -> None:
        question = self.question
        if question.status != "decided":
            return
        pid = question.id
        old = question.choice.id if question.choice else None
        self.post_message(
            ChoiceChanged(
                lambda s: edits.set_decision(s, pid, None),
                touched=(provision_node(pid),) + ((clause_node(old),) if old else ()),
                what=f"{pid} left open",
            )
        )

    def focus_choices(self, scroll: bool = True) -> None:
        for listing in self.query(".clause-list").results(OptionList):
            listing.focus(scroll_visible=scroll)
            if scroll:
                self.scroll_visible()


class ConditionsBox(Vertical):
    """The pre-linking conditions: what a party must do before the link operates."""

    def compose(self) -> ComposeResult:
        yield Static("[b]Pre-linking conditions[/b]", classes="section")
        yield Vertical(id="condition-rows")
        yield Button("Add a condition", id="add-condition", classes="small", compact=True)

    def show(self, neg: Negotiation) -> None:
        rows = self.query_one("#condition-rows", Vertical)
        rows.remove_children()
        widgets: list[Widget] = []
        for index, condition in enumerate(neg.session.conditions):
            by = f" by {condition.by.isoformat()}" if condition.by else ""
            widgets.append(
                Horizontal(
                    Static(
                        f"[b]{escape(neg.party_short(condition.party))}[/b] "
                        f"{escape(condition.what)}{escape(by)}",
                        classes="position-text",
                    ),
                    Button("Edit", id=f"edit-condition-{index}", classes="small", compact=True),
                    Button("Remove", id=f"remove-condition-{index}", classes="small", compact=True),
                    classes="position-row",
                )
            )
        if not widgets:
            widgets.append(Static("[dim]No conditions.[/dim]"))
        rows.mount(Vertical(*widgets, classes="condition-group"))

    @on(Button.Pressed)
    def _button(self, event: Button.Pressed) -> None:
        button = event.button.id or ""
        neg: Negotiation = self.app.doc.neg  # type: ignore[attr-defined]
        if button == "add-condition":
            event.stop()

            def done(answer: ConditionAnswer | None) -> None:
                if answer is not None:
                    self.post_message(
                        ChoiceChanged(
                            lambda s: edits.add_condition(s, answer.party, answer.what, answer.by),
                            touched=(topic_node("conditions"),),
                            what=f"condition added for {neg.party_short(answer.party)}",
                        )
                    )

            self.app.push_screen(
                ConditionScreen([(p, neg.party_short(p)) for p in neg.party_ids]), done
            )
        elif button.startswith("edit-condition-"):
            event.stop()
            self.edit(int(button.removeprefix("edit-condition-")))
        elif button.startswith("remove-condition-"):
            event.stop()
            index = int(button.removeprefix("remove-condition-"))
            self.post_message(
                ChoiceChanged(
                    lambda s: edits.remove_condition(s, index),
                    touched=(topic_node("conditions"),),
                    what="condition removed",
                )
            )


    def edit(self, index: int) -> None:
        """Change what a condition asks of whom, and by when (undoable like any edit)."""
        neg: Negotiation = self.app.doc.neg  # type: ignore[attr-defined]
        if not 0 <= index < len(neg.session.conditions):
            self.app.notify("No such condition: add one with 'Add a condition'.")
            return
        condition = neg.session.conditions[index]

        def done(answer: ConditionAnswer | None) -> None:
            if answer is None or (answer.party, answer.what, answer.by) == (
                condition.party, condition.what, condition.by
            ):
                return
            self.post_message(
                ChoiceChanged(
                    lambda s: edits.edit_condition(
                        s, index, answer.party, answer.what, answer.by
                    ),
                    touched=(topic_node("conditions"),),
                    what=f"condition of {neg.party_short(answer.party)} changed",
                )
            )

        self.app.push_screen(
            EditConditionScreen(
                [(p, neg.party_short(p)) for p in neg.party_ids],
                condition.party,
                condition.what,
                condition.by,
            ),
            done,
        )


class TopicsPane(StepPane):
    step = "topics"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "confirm_settled", "Confirm settled", id="confirm-settled"),
        Binding("v", "confirm_values", "Confirm values", id="confirm-values"),
        Binding("x", "leave_open", "Leave open", id="leave-open"),
        Binding("o", "position", "Positions", id="edit-position"),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.topic: str | None = None
        self._shown: tuple[str | None, tuple[str, ...]] = (None, ())
        self._pool: list[ProvisionCard] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="topic-title", classes="pane-title")
        with VerticalScroll(id="topic-body"):
            yield Static("", id="topic-guidance", classes="guidance")
            yield ConditionsBox(id="conditions")
            yield Vertical(id="cards")

    def groups(self) -> list[TopicQuestions]:
        return self.lw.questions

    def current_group(self) -> TopicQuestions | None:
        groups = self.groups()
        return next((g for g in groups if g.topic.id == self.topic), None)

    def show_topic(self, topic: str | None) -> None:
        groups = self.groups()
        if topic is None or not any(g.topic.id == topic for g in groups):
            topic = next((g.topic.id for g in groups if g.open_count), None) or (
                groups[0].topic.id if groups else None
            )
        self.topic = topic
        self.refresh_pane()

    def refresh_pane(self) -> None:
        neg = self.lw.doc.neg if self.lw.doc else None
        if neg is None:
            return
        group = self.current_group()
        if group is None:
            self.show_topic(None) if self.groups() and self.topic is not None else None
            group = self.current_group()
        title = self.query_one("#topic-title", Static)
        cards = self.query_one("#cards", Vertical)
        if group is None:
            show_changed(title, "[b]Design topics[/b]  nothing to decide for this form and linkage")
            for card in self._pool:
                card.display = False
            self._shown = (None, ())
            return
        groups = self.groups()
        index = groups.index(group) + 1
        parts = []
        if group.open_count:
            parts.append(f"[$text-warning]{group.open_count} open[/]")
        if group.settled_count:
            # Settled provisions are still undecided in the file: say so, or the header
            # contradicts the "is open" finding beside it.
            parts.append(f"[$text-warning]{group.settled_count} settled to confirm (c)[/]")
        status = " · ".join(parts) or "[$text-success]nothing open[/]"
        affected = ""
        if group.topic.id in self.lw.affected:
            affected = "  [$text-accent]• affected by a change elsewhere[/]"
        show_changed(
            title,
            Content.from_markup(
                f"[b]{escape(group.topic.title)}[/b]  [dim]topic {index} of {len(groups)}[/dim]  "
                f"{status}{affected}"
            ),
        )
        guidance = " ".join(group.topic.guidance.split())
        show_changed(
            self.query_one("#topic-guidance", Static),
            Content.from_markup(f"[dim]{escape(guidance)}[/dim]") if guidance else "",
        )
        # Cards are reused from topic to topic (mounting new ones costs far more than
        # updating): the first ones take this topic's questions, the rest are hidden.
        if self._shown[0] != group.topic.id:
            self.query_one("#topic-body", VerticalScroll).scroll_home(animate=False)
            for card in self._pool:
                card.remove_class("-found")  # a search hit is marked on its topic only
        new = []
        for index, question in enumerate(group.questions):
            if index < len(self._pool):
                card = self._pool[index]
                card.display = True
                card.update_question(question)
            else:
                card = ProvisionCard(question)
                self._pool.append(card)
                new.append(card)
        if new:
            cards.mount_all(new)
        for card in self._pool[len(group.questions) :]:
            card.display = False
        self._shown = (group.topic.id, tuple(q.id for q in group.questions))
        conditions = self.query_one("#conditions", ConditionsBox)
        conditions.display = group.topic.id == "conditions"
        if conditions.display:
            conditions.show(neg)

    def cards(self) -> list[ProvisionCard]:
        """The cards of the topic on screen."""
        return self._pool[: len(self._shown[1])]

    def focused_card(self) -> ProvisionCard | None:
        node = self.screen.focused
        while node is not None and node is not self:
            if isinstance(node, ProvisionCard):
                return node
            node = node.parent  # type: ignore[assignment]
        cards = self.cards()
        return cards[0] if len(cards) == 1 else None

    def focus_first(self) -> None:
        cards = self.cards()
        target = next((c for c in cards if c.question.needs_answer), cards[0] if cards else None)
        if target is not None:
            # The first card is in view at the top: focusing it must not scroll the
            # page past the topic's explanation (a topic page opens at its top).
            target.focus_choices(scroll=target is not cards[0])

    def show_found(self, provision: str) -> None:
        """A search hit: highlight its provision's card (until the topic changes) and
        move to it."""
        for card in self.cards():
            card.set_class(card.provision_id == provision, "-found")
        self.focus_provision(provision)

    def focus_provision(self, provision: str) -> None:
        for card in self.cards():
            if card.provision_id == provision:
                card.focus_choices()
                return

    def action_confirm_settled(self) -> None:
        group = self.current_group()
        if group is None:
            return
        choices = settled_decisions(self.lw.doc.neg, group.topic.id) if self.lw.doc else {}
        if not choices:
            self.app.notify(
                "Nothing settled to confirm in this topic. In the review (6), c confirms "
                "what is settled in every topic."
            )
            return

        def confirm(session: Any) -> Any:
            for pid, choice in choices.items():
                session = edits.set_decision(session, pid, choice.clause, choice.params)
            return session

        touched = tuple(provision_node(pid) for pid in choices)
        self.post_message(
            ChoiceChanged(
                confirm, touched=touched, what=f"{len(choices)} settled provision(s) confirmed"
            )
        )

    def action_confirm_values(self) -> None:
        card = self.focused_card()
        if card is None:
            self.app.notify("Move to a provision first (Tab).")
            return
        card.confirm_values()

    def action_leave_open(self) -> None:
        card = self.focused_card()
        if card is None:
            self.app.notify("Move to a provision first (Tab).")
            return
        card.leave_open()

    def action_edit_condition(self, index: int = 0) -> None:
        """The palette's "Edit a pre-linking condition": its dialog, on this topic."""
        self.query_one("#conditions", ConditionsBox).edit(index)

    def action_position(self) -> None:
        card = self.focused_card()
        neg = self.lw.doc.neg if self.lw.doc else None
        if card is None or neg is None:
            self.app.notify("Move to a provision first (Tab).")
            return
        buttons = list(card.query(".position-row Button").results(Button))
        if buttons:
            buttons[0].focus()
            buttons[0].scroll_visible()
