"""Step 7: the draft instrument as the parties would read it, and export.

The Markdown is built by the core (`build_draft` + `write_markdown`) in a
worker, so a long instrument never blocks a key press; open provisions
appear in square brackets with who supports which option. `e` exports to
PDF, DOCX or Markdown (the instrument, or the negotiator's brief).
"""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.markup import escape
from textual.widgets import Button, Markdown, Static

from negotiation.drafting.builder import build_draft
from negotiation.drafting.markdown import write_markdown
from negotiation.session import Negotiation
from tui.panes.base import StepPane


class DraftPane(StepPane):
    step = "draft"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "refresh_draft", "Refresh", id="refresh-draft", show=False)
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._generation = -1
        self.text = ""

    def compose(self) -> ComposeResult:
        with Horizontal(id="draft-bar"):
            yield Static("", id="draft-status", classes="pane-title")
            yield Button(
                "Export… [e]", id="export", variant="primary", classes="small", compact=True
            )
        yield Static("", id="export-path", classes="note")
        with VerticalScroll(id="draft-scroll", can_focus=True):
            yield Markdown("*Building the draft…*", id="draft-text")

    def refresh_pane(self) -> None:
        doc = self.lw.doc
        if doc is None:
            return
        self._show_export_path()
        if self._generation == self.lw.generation and self.text:
            return
        self._generation = self.lw.generation
        self.query_one("#draft-status", Static).update("[b]Draft[/b]  [dim]building…[/dim]")
        self.build(doc.neg, self.lw.generation)

    def _show_export_path(self) -> None:
        # The open session's own last export: after ctrl+n, the previous session's
        # file is not this one's.
        doc = self.lw.doc
        last = doc.last_export if doc is not None else None
        self.query_one("#export-path", Static).update(
            f"Last export: [b]{escape(str(last))}[/b]"
            if last
            else "[dim]Not exported yet. e exports to PDF, DOCX or Markdown.[/dim]"
        )

    @work(thread=True, exclusive=True, group="draft", exit_on_error=False)
    def build(self, neg: Negotiation, generation: int) -> None:
        try:
            draft = build_draft(neg)
            text = write_markdown(draft)
            summary = (
                f"{draft.preface.kind} · {len(draft.body)} articles · "
                f"{draft.open_count()} open (in square brackets)"
            )
        except Exception as exc:  # a broken clause must not take the screen down
            self.app.call_from_thread(
                self.app.notify,
                f"The draft could not be built: {exc}",
                severity="error",
                title="Draft",
            )
            return
        self.app.call_from_thread(self._show, text, summary, generation)

    async def _show(self, text: str, summary: str, generation: int) -> None:
        if generation != self.lw.generation:
            return
        self.text = text
        self.query_one("#draft-status", Static).update(
            f"[b]Draft[/b]  [dim]{escape(summary)}[/dim]"
        )
        await self.query_one("#draft-text", Markdown).update(text)

    def action_refresh_draft(self) -> None:
        self._generation = -1
        self.refresh_pane()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "export":
            event.stop()
            self.screen.action_export()  # type: ignore[attr-defined]

    def focus_first(self) -> None:
        self.query_one("#draft-scroll", VerticalScroll).focus()
