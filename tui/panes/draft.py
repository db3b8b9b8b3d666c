"""Step 7: the draft instrument as the parties would read it, and export.

The Markdown is built by the core (`build_draft` + `write_markdown`) in a
worker, so a long instrument never blocks a key press; open provisions
appear in square brackets with who supports which option. `e` exports to
PDF, DOCX or Markdown (the instrument, or the negotiator's brief). `l` shows the
next language version the session lists (`languages:`) and Linkwright has texts for:
the French of eu-ch as the other side will read it, and the export offers that one.
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
        Binding("r", "refresh_draft", "Refresh", id="refresh-draft", show=False),
        Binding("l", "next_version", "Show the next language version", id="next-version",
                show=False),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._generation = -1
        self.text = ""
        self.language = "en"  # the version shown, and the one the export offers first

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
        if self.language not in self.versions():
            self.language = "en"  # the session no longer lists it
        self.query_one("#draft-status", Static).update("[b]Draft[/b]  [dim]building…[/dim]")
        self.build(doc.neg, self.lw.generation, self.language, self.versions())

    def versions(self) -> list[str]:
        """The codes of the versions that can be shown: English, then the session's."""
        from negotiation.checks.rules_languages import rendered_languages

        doc = self.lw.doc
        return ["en", *(rendered_languages(doc.neg) if doc is not None else [])]

    def action_next_version(self) -> None:
        versions = self.versions()
        if len(versions) == 1:
            self.app.notify(
                "Only the English text can be shown: the session lists no other language "
                "Linkwright has texts for (`languages:`, in the session file).",
                title="Language versions",
            )
            return
        following = versions.index(self.language) + 1 if self.language in versions else 0
        self.language = versions[following % len(versions)]
        self._generation = -1
        self.refresh_pane()

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
    def build(self, neg: Negotiation, generation: int, language: str = "en",
              versions: list[str] | None = None) -> None:
        try:
            draft = build_draft(neg, language=language)
            text = write_markdown(draft)
            summary = (
                f"{draft.preface.kind} · {len(draft.body)} articles · "
                f"{draft.open_count()} open (in square brackets)"
            )
            if versions and len(versions) > 1:
                summary = f"{_names(versions, language)} · {summary}"
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


def _names(versions: list[str], shown: str) -> str:
    """The version shown by its own name, and where it is in the round `l` makes:
    "Version: Français (l: 2 of 3)"."""
    from negotiation.languages import language_name

    place = versions.index(shown) + 1 if shown in versions else 1
    return f"Version: {language_name(shown, shown)} (l: {place} of {len(versions)})"
