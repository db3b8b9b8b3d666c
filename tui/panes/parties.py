"""Step 2: the parties' system profiles side by side.

Rows are the named parameters; a row whose values differ between parties is
marked (in the warning colour when a check compares it). Enter on a party's
cell edits the figure for this session (an override, with "set in this
session" as its source); the highlighted figure's source is shown below the
table, and `s` opens every party's source note for that row.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.markup import escape
from textual.widgets import DataTable, Static

from negotiation import edits
from negotiation.graph import party_node
from negotiation.profiles import Source, parameter_names
from tui.formatting import clip, edit_text, figure_label, parse_figure, show_figure
from tui.messages import ChoiceChanged
from tui.panes.base import StepPane
from tui.screens.modals import EditValueScreen, SourceScreen

DESCRIPTIVE = {
    "jurisdiction",
    "registry",
    "oversight_authority",
    "mrv.standard",
    "verification.accreditation",
    "coverage.threshold",
    "allocation",
}
"""Free-text descriptions: they always differ and are not compared by any check."""


def _same(values: list[Any]) -> bool:
    def norm(v: Any) -> Any:
        return tuple(sorted(map(str, v))) if isinstance(v, list) else v

    return len({repr(norm(v)) for v in values}) <= 1


def checked_parameters() -> set[str]:
    from negotiation.checks import registry

    return {name for rule in registry.RULES.values() for name in rule.reads}


def source_line(source: Source | None) -> str:
    if source is None:
        return "no source recorded"
    parts = [source.note]
    if source.as_of is not None:
        parts.append(f"as of {source.as_of}")
    parts.append("verified" if source.verified else "not verified")
    return " · ".join(str(p) for p in parts)


class PartiesPane(StepPane):
    step = "parties"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "source", "Source", id="show-source"),
        Binding("v", "edit_value", "Edit value", id="edit-value"),
    ]

    def compose(self) -> ComposeResult:
        yield Static("", id="parties-intro", classes="pane-title")
        yield DataTable(id="party-table", cursor_type="cell", zebra_stripes=True)
        yield Static("", id="source-note", classes="note")

    def refresh_pane(self) -> None:
        neg = self.lw.doc.neg if self.lw.doc else None
        if neg is None:
            return
        ids = neg.party_ids
        self.query_one("#parties-intro", Static).update(
            "[b]Parties[/b] [dim]≠ values differ (coloured: a check compares them) · "
            "✎ set here · ←→ party · Enter edit · s source[/dim]"
        )
        table = self.query_one("#party-table", DataTable)
        where = table.cursor_coordinate
        table.clear(columns=True)
        width = self.size.width or 58
        self._built_width = width
        name_width = 24 if width >= 90 else 18
        party_width = max(10, min(30, (width - name_width - 4 - 2 * (len(ids) + 1)) // len(ids)))
        table.add_column("Parameter", key="param", width=name_width)
        for pid in ids:
            table.add_column(neg.party_short(pid), key=pid, width=party_width)
        checked = checked_parameters()
        warning = self.app.theme_variables.get("warning", "yellow")
        for dotted in parameter_names():
            values = [neg.systems[p].parameters.get(dotted) for p in ids]
            differs = not _same(values)
            marked = differs and dotted not in DESCRIPTIVE
            label = Text(("≠ " if marked else "  ") + clip(figure_label(dotted), name_width - 2))
            if marked:
                label.stylize(f"bold {warning}" if dotted in checked else "bold")
            cells: list[Text] = [label]
            for pid, value in zip(ids, values, strict=True):
                overridden = (
                    neg.systems[pid].sources.get(dotted) is not None
                    and neg.systems[pid].sources[dotted].note == "set in this session"
                )
                text = Text(clip(("✎ " if overridden else "") + show_figure(value), party_width))
                if marked and dotted in checked:
                    text.stylize(warning)
                cells.append(text)
            table.add_row(*cells, key=dotted)
        if where.row < table.row_count:
            # Start on the first party's value, not the name column, so that Enter
            # edits a figure as the hint says.
            table.cursor_coordinate = where if where.column else Coordinate(where.row, 1)
        self._show_source()

    def on_resize(self) -> None:
        if (
            abs((self.size.width or 0) - getattr(self, "_built_width", 0)) > 2
            and self.lw.doc is not None
            and not self.stale
        ):
            self.refresh_pane()

    def _cursor(self) -> tuple[str, str | None] | None:
        table = self.query_one("#party-table", DataTable)
        if not table.row_count:
            return None
        row_key, column_key = table.coordinate_to_cell_key(table.cursor_coordinate)
        column = column_key.value
        return str(row_key.value), (None if column == "param" else column)

    @on(DataTable.CellHighlighted, "#party-table")
    def _show_source(self) -> None:
        neg = self.lw.doc.neg if self.lw.doc else None
        where = self._cursor()
        note = self.query_one("#source-note", Static)
        if neg is None or where is None:
            note.update("")
            return
        dotted, party = where
        parties = [party] if party else neg.party_ids
        lines = []
        for pid in parties:
            system = neg.systems[pid]
            value = system.parameters.get(dotted)
            lines.append(
                f"[b]{escape(neg.party_short(pid))}[/b] {escape(figure_label(dotted))} "
                f"[dim]({escape(dotted)})[/dim] = "
                f"{escape(show_figure(value))} — "
                f"[dim]{escape(clip(source_line(system.sources.get(dotted)), 160))}"
                "[/dim]"
            )
        note.update("\n".join(lines))

    def action_source(self) -> None:
        neg = self.lw.doc.neg if self.lw.doc else None
        where = self._cursor()
        if neg is None or where is None:
            return
        dotted, _ = where
        lines = []
        for pid in neg.party_ids:
            system = neg.systems[pid]
            lines.append(
                f"[b]{escape(neg.party_short(pid))}[/b] ({escape(system.profile.name)})"
                f": {escape(show_figure(system.parameters.get(dotted)))}\n"
                f"  {escape(source_line(system.sources.get(dotted)))}"
            )
        self.app.push_screen(
            SourceScreen(f"Sources for {figure_label(dotted)} ({dotted})", lines)
        )

    @on(DataTable.CellSelected, "#party-table")
    def _selected(self) -> None:
        self.action_edit_value()

    def action_edit_value(self) -> None:
        neg = self.lw.doc.neg if self.lw.doc else None
        where = self._cursor()
        if neg is None or where is None:
            return
        dotted, party = where
        if party is None:
            self.action_source()
            return
        current = neg.systems[party].parameters.get(dotted)
        hint = (
            "comma-separated list"
            if isinstance(current, list)
            else "a number, yes/no, text, 'none' if the system has none, or empty for "
            "'not known'"
        )

        def done(text: str | None) -> None:
            if text is None:
                return
            value = parse_figure(text, current, dotted)
            if value == current:
                return
            self.post_message(
                ChoiceChanged(
                    lambda s: edits.set_party_value(s, party, dotted, value),
                    touched=(party_node(party, dotted),),
                    what=f"{neg.party_short(party)}'s {figure_label(dotted)} set to "
                    f"{show_figure(value)}",
                )
            )

        self.app.push_screen(
            EditValueScreen(
                f"{neg.party_short(party)}: {figure_label(dotted)}",
                edit_text(current),
                hint,
                note=f"Profile value {show_figure(current)}; the new value is recorded as set in "
                "this session.",
            ),
            done,
        )

    def focus_first(self) -> None:
        self.query_one("#party-table", DataTable).focus()
