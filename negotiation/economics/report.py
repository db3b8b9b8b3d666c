"""The result as data for other programs and as a table for an adviser.

`to_json` fixes the keys other code relies on (the TUI's economics screen,
a session's export), so it is deliberately plain: one mapping per system in
the scenario's order, then the totals and the notes. `to_text` is what an
adviser pastes into a briefing: a table with aligned columns and units in
the headings, the combined emissions against the cap, and the notes that
say which feature set which price and who keeps which wedge.
"""

from __future__ import annotations

import textwrap
from typing import Any

from negotiation.economics.result import Result, fmt

SYSTEM_KEYS = ("id", "autarky_price", "price", "abatement", "net_sales", "transfer", "gain")

_SCALE = {"t": "", "kt": "thousand", "Mt": "million", "Gt": "billion"}
"""Money is price per tonne times quantity: its scale follows the quantity's unit."""


def _number(value: float) -> float:
    # nine significant digits: enough for any figure, and no 1199.9999999999975
    # nor 10.00000002 (the solver's bisection residue)
    return float(f"{value:.9g}") + 0.0


def to_json(result: Result) -> dict[str, Any]:
    """`systems` (id, autarky_price, price, abatement, net_sales, transfer, gain), totals, notes."""
    return {
        "systems": [
            {"id": s.id, **{key: _number(getattr(s, key)) for key in SYSTEM_KEYS[1:]}}
            for s in result.systems
        ],
        "total_gain": _number(result.total_gain),
        "combined_emissions": _number(result.combined_emissions),
        "combined_cap": _number(result.combined_cap),
        "notes": list(result.notes),
    }


def to_text(result: Result, unit_label: str = "t") -> str:
    """An aligned table of the result, its units stated once, the notes below."""
    currency = result.currency or ""
    if currency and unit_label in _SCALE:
        money = f"{currency} {_SCALE[unit_label]}".strip()
    else:
        money = f"{currency or 'price'} × {unit_label}"
    price_unit = f"{currency} per tonne" if currency else "per tonne"
    header = ("System", "Autarky price", "Linked price", "Abatement", "Net sales",
              "Transfer", "Gain")
    rows = [(s.name, fmt(s.autarky_price), fmt(s.price), fmt(s.abatement), fmt(s.net_sales),
             fmt(s.transfer), fmt(s.gain)) for s in result.systems]
    rows.append(("Total", "", "", fmt(sum(s.abatement for s in result.systems)), "",
                 "", fmt(result.total_gain)))
    widths = [max(len(row[k]) for row in [header, *rows]) for k in range(len(header))]

    def line(row: tuple[str, ...]) -> str:
        cells = [row[0].ljust(widths[0])] + [cell.rjust(w)
                                             for cell, w in zip(row[1:], widths[1:], strict=True)]
        return "  ".join(cells).rstrip()

    lines: list[str] = []
    if result.title:
        lines += [result.title, ""]
    lines.append(f"Prices {price_unit}; abatement and net sales in {unit_label}; transfers and "
                 f"gains in {money}. Net sales: + sells, − buys.")
    lines.append("")
    lines.append(line(header))
    lines.append("  ".join("-" * w for w in widths))
    lines += [line(row) for row in rows[:-1]]
    lines.append("  ".join("-" * w for w in widths))
    lines.append(line(rows[-1]))
    lines.append("")
    lines.append(f"Combined emissions {fmt(result.combined_emissions)} {unit_label} against a "
                 f"combined cap of {fmt(result.combined_cap)} {unit_label}.")
    if result.notes:
        lines += ["", "Notes"]
        for note in result.notes:
            lines += textwrap.wrap(note, width=88, initial_indent="- ",
                                   subsequent_indent="  ", break_on_hyphens=False)
    return "\n".join(lines) + "\n"
