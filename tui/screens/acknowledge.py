"""The dialog that acknowledges a warning: the finding as it reads now, and the note
saying why the delegation accepts it. Returns the note (None when cancelled); the
caller records it with `negotiation.edits.acknowledge`."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.markup import escape
from textual.widgets import Button, Input, Static

from negotiation.findings import Finding
from negotiation.session import MAX_NOTE
from tui.screens.modals import Dialog


class AcknowledgeScreen(Dialog):
    """Ask for the note; refuse a blank one in the words the loader would use."""

    def __init__(self, finding: Finding, where: str) -> None:
        super().__init__()
        self._finding, self._where = finding, where

    def compose(self) -> ComposeResult:
        finding = self._finding
        with Vertical(classes="dialog wide"):
            yield Static("Acknowledge this warning", classes="dialog-title")
            yield Static(f"[b]{escape(self._where)}[/b] ({escape(finding.rule)})")
            yield Static(escape(finding.message), classes="muted")
            yield Static(
                "It will no longer count as open, and comes back if what it is about "
                "changes. Why does the delegation accept it?"
            )
            yield Input(placeholder="e.g. Separate limits are reported annually; accepted "
                        "at round 3.", max_length=MAX_NOTE, id="note")
            yield Static("", id="acknowledge-problem", classes="problem")
            with Horizontal(classes="buttons"):
                yield Button("Acknowledge", variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#note", Input).focus()

    @on(Input.Submitted, "#note")
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        note = " ".join(self.query_one("#note", Input).value.split())
        if not note:
            self.query_one("#acknowledge-problem", Static).update(
                "write the note: an acknowledged finding says why it is accepted"
            )
            return
        self.dismiss(note)
