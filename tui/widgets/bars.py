"""A horizontal bar chart made of block characters (readable in any theme)."""

from __future__ import annotations

from textual.content import Content
from textual.markup import escape
from textual.widgets import Static

EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(value: float, scale: float, width: int) -> str:
    """A bar of `value / scale * width` cells, in eighths of a cell."""
    if scale <= 0 or value <= 0:
        return ""
    cells = min(width, value / scale * width)
    whole = int(cells)
    rest = int((cells - whole) * 8)
    return "█" * whole + (EIGHTHS[rest] if rest else "")


def chart_lines(
    items: list[tuple[str, float]], width: int, unit: str = "", label_width: int = 14
) -> list[str]:
    """Markup lines: label, bar (positive to the right; negative shown in the
    warning colour with a minus sign), value."""
    scale = max((abs(v) for _, v in items), default=0.0)
    lines = []
    room = max(4, width - label_width - 14)
    for label, value in items:
        name = escape(label[:label_width].ljust(label_width))
        colour = "$success" if value >= 0 else "$warning"
        shown = f"{value:,.2f}{unit}"
        lines.append(f"{name} [{colour}]{bar(abs(value), scale, room) or '·'}[/] {escape(shown)}")
    return lines


class BarChart(Static):
    """Set `.items` through `plot`; re-plots to the widget's width."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        self._items: list[tuple[str, float]] = []
        self._unit = ""

    def plot(self, items: list[tuple[str, float]], unit: str = "") -> None:
        self._items, self._unit = items, unit
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        width = self.size.width or 60
        self.update(Content.from_markup("\n".join(chart_lines(self._items, width, self._unit))))
