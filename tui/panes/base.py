"""What every step pane shares: access to the open session and a stale flag.

Panes are refreshed lazily: a change marks every pane stale and refreshes
only the one on screen; the others catch up when they are shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.containers import Vertical

if TYPE_CHECKING:
    from tui.app import LinkwrightApp


class StepPane(Vertical):
    step: ClassVar[str] = ""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.stale = True

    @property
    def lw(self) -> LinkwrightApp:
        return cast("LinkwrightApp", self.app)

    def refresh_pane(self) -> None:
        """Show the current state of the negotiation."""

    def refresh_review(self) -> None:
        """New findings arrived (panes that show them override this)."""

    def focus_first(self) -> None:
        """Give the keyboard to the pane's main widget."""
        for widget in self.query("*"):
            if widget.focusable and widget.display:
                widget.focus()
                return
