"""Step 8: the economics of the link: linked price, flows and gains per party.

The calculation is the core's (`negotiation.economics`), run in a worker;
this pane shows its JSON (`to_json`) as a table (parties as columns, each
measure under its unit) and as bars. Until the economics module is part of
the build, the pane says so instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.widgets import DataTable, Static

from negotiation.errors import LinkwrightError
from negotiation.session import Negotiation
from tui.panes.base import StepPane
from tui.widgets.bars import BarChart

EconomicsSource = Callable[[Negotiation], dict[str, Any]]



def two_lines(name: str, width: int = 11) -> str:
    """A column header on at most two lines: a name longer than `width` breaks at the
    space that best balances the lines ("the United\nKingdom")."""
    words = name.split(" ")
    if len(name) <= width or len(words) == 1:
        return name
    best = min(range(1, len(words)), key=lambda cut: abs(
        len(" ".join(words[:cut])) - len(" ".join(words[cut:]))))
    return " ".join(words[:best]) + "\n" + " ".join(words[best:])

class EconomicsUnavailable(Exception):
    """The economics module is not installed yet."""


def default_source() -> EconomicsSource:
    """The core's calculation, or an error saying it is not there yet."""
    try:
        from negotiation.economics import to_json  # type: ignore[attr-defined]
        from negotiation.economics.session import economics_for  # type: ignore[import-not-found]
    except ImportError as exc:
        raise EconomicsUnavailable(str(exc)) from None

    def compute(neg: Negotiation) -> dict[str, Any]:
        return to_json(economics_for(neg))

    return compute


def number(value: Any, digits: int = 2) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:,.{digits}f}"
    return "—" if value is None else str(value)


class EconomicsPane(StepPane):
    step = "economics"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._generation = -1

    def compose(self) -> ComposeResult:
        yield Static("[b]Economics of the link[/b]", id="economics-title", classes="pane-title")
        with VerticalScroll(id="economics-body"):
            yield Static("", id="economics-message", classes="note")
            # Two header lines: a long party name ("the United Kingdom") wraps instead of
            # widening its column past the pane beside the findings at 120 columns.
            yield DataTable(id="economics-table", cursor_type="row", zebra_stripes=True,
                            header_height=2)
            yield Static("[b]Gain per party[/b]", classes="section", id="gain-label")
            yield BarChart(id="gain-chart")
            yield Static(
                "[b]Net sales of allowances[/b] [dim](Mt CO2e; negative: buys)[/dim]",
                classes="section",
                id="flow-label",
            )
            yield BarChart(id="flow-chart")
            yield Static("", id="economics-notes", classes="note")

    def refresh_pane(self) -> None:
        doc = self.lw.doc
        if doc is None or self._generation == self.lw.generation:
            return
        self._generation = self.lw.generation
        self._message("[dim]Calculating…[/dim]")
        self.compute(doc.neg, self.lw.generation)

    def _message(self, text: str, show_results: bool = False) -> None:
        self.query_one("#economics-message", Static).update(text)
        for selector in (
            "#economics-table",
            "#gain-label",
            "#gain-chart",
            "#flow-label",
            "#flow-chart",
            "#economics-notes",
        ):
            self.query_one(selector).display = show_results

    @work(thread=True, exclusive=True, group="economics", exit_on_error=False)
    def compute(self, neg: Negotiation, generation: int) -> None:
        try:
            source = self.lw.economics or default_source()
            result = source(neg)
        except EconomicsUnavailable:
            self.app.call_from_thread(
                self._message,
                "Economics is not available yet in this build: the "
                "calculator (negotiation.economics) is still being finished.",
            )
            return
        except LinkwrightError as exc:
            self.app.call_from_thread(
                self._message, f"[$text-error]Cannot calculate:[/] {escape(str(exc))}"
            )
            self.app.call_from_thread(
                self.app.notify, str(exc), severity="error", title="Economics"
            )
            return
        except Exception as exc:
            self.app.call_from_thread(
                self._message, f"[$text-error]Calculation failed:[/] {escape(str(exc))}"
            )
            return
        self.app.call_from_thread(self._show, neg, result, generation)

    def _show(self, neg: Negotiation, result: dict[str, Any], generation: int) -> None:
        if generation != self.lw.generation:
            return
        systems = result.get("systems", [])
        currency = neg.session.reporting_currency
        money = f"{currency} million"
        self._message(
            f"Prices in {escape(currency)} per tonne of CO2e (tCO2e) · quantities in "
            f"Mt CO2e · receipts and gains in {escape(money)} · net sales: + sells, − buys",
            show_results=True,
        )

        def name(system_id: str) -> str:
            return neg.party_short(system_id) if system_id in neg.party_ids else system_id

        # Parties as columns, measures as rows grouped under their unit: seven
        # columns of figures do not fit beside the findings at 120 columns (nor at
        # 80), two or three parties do, and each figure's unit is on its group.
        table = self.query_one("#economics-table", DataTable)
        table.clear(columns=True)
        table.add_column("", key="measure")
        for row in systems:
            party = str(row.get("id"))
            table.add_column(Text(two_lines(name(party)), justify="right"), key=party)
        for unit, measures in (
            (f"{currency} per tCO2e", (("autarky_price", "Price unlinked"),
                                       ("price", "Linked price"))),
            ("Mt CO2e", (("abatement", "Abatement"), ("net_sales", "Net sales"))),
            (money, (("transfer", "Net receipts"), ("gain", "Gain from link"))),
        ):
            table.add_row(Text(unit, style="bold"), *(Text("") for _ in systems),
                          key=f"unit:{unit}")
            for key, label in measures:
                table.add_row(
                    Text(f"  {label}"),
                    *(Text(number(row.get(key)), justify="right") for row in systems),
                    key=key,
                )
        self.query_one("#gain-label", Static).update(
            f"[b]Gain per party[/b] [dim]({escape(money)})[/dim]"
        )
        self.query_one("#gain-chart", BarChart).plot(
            [(name(str(r.get("id"))), float(r.get("gain") or 0)) for r in systems],
            f" {currency} m",
        )
        self.query_one("#flow-chart", BarChart).plot(
            [(name(str(r.get("id"))), float(r.get("net_sales") or 0)) for r in systems], " Mt"
        )
        notes = [
            f"Total gain: [b]{number(result.get('total_gain'))} {escape(money)}[/b]",
            f"Combined emissions {number(result.get('combined_emissions'))} Mt CO2e against a "
            f"combined cap of {number(result.get('combined_cap'))} Mt CO2e",
        ]
        notes += [f"[dim]• {escape(str(n))}[/dim]" for n in result.get("notes", [])]
        self.query_one("#economics-notes", Static).update("\n".join(notes))

    def focus_first(self) -> None:
        self.query_one("#economics-body", VerticalScroll).focus()
