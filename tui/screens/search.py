"""The search dialog (`/` or ctrl+f): a phrase, and the provisions that hold it.

The core does the searching (`negotiation.search`): the draft as built now and
the library's clauses. This dialog only shows the hits, each with the
provision's title, its topic, where the words are (an article, or a library
clause) and a few words around them; Enter takes the user to the provision.
Building the draft takes a moment on a large session, so it happens in a
thread while the user starts typing.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.markup import escape
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from negotiation.search import SearchHit, TextSearch
from negotiation.session import Negotiation
from tui.screens.modals import Dialog

SHOWN = 50
"""Hits listed at most: more than a screenful says "type another word" better."""


def hit_prompt(hit: SearchHit) -> Content:
    """Two lines: what and where (in the negotiators' words), then the words found."""
    return Content.from_markup(
        f"[b]{escape(hit.provision_title)}[/b]  "
        f"[dim]{escape(hit.topic_title)} · {escape(hit.where)}[/dim]\n"
        f"  {escape(hit.snippet)}"
    )


class SearchScreen(Dialog):
    """Dismissed with the chosen `SearchHit`, or None (Escape)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "to_results", "To the results", show=False, id="search-results"),
    ]

    def __init__(self, neg: Negotiation, query: str = "") -> None:
        super().__init__()
        self._neg = neg
        self._query = query
        self._index: TextSearch | None = None
        self._hits: list[SearchHit] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide tall", id="search"):
            yield Static("Search the instrument and the library", classes="dialog-title")
            yield Input(self._query, placeholder="words to find, in any case", id="search-query")
            yield Static("[dim]Reading the draft…[/dim]", id="search-count")
            yield OptionList(id="search-results")

    def on_mount(self) -> None:
        self.query_one("#search-query", Input).focus()
        self._build()

    @work(thread=True, exit_on_error=False, group="search-index")
    def _build(self) -> None:
        try:
            index = TextSearch(self._neg)
        except Exception as error:  # a draft that cannot be built is reported, not raised
            self.app.call_from_thread(self._failed, str(error))
            return
        self.app.call_from_thread(self._ready, index)

    def _failed(self, cause: str) -> None:
        self.query_one("#search-count", Static).update(
            Content.from_markup(f"[$text-error]The draft cannot be read: {escape(cause)}[/]")
        )

    def _ready(self, index: TextSearch) -> None:
        self._index = index
        self._show(self.query_one("#search-query", Input).value)

    @property
    def hits(self) -> list[SearchHit]:
        return list(self._hits)

    @property
    def ready(self) -> bool:
        return self._index is not None

    def _show(self, query: str) -> None:
        if self._index is None:
            return
        self._hits = self._index.find(query, SHOWN)
        count = self.query_one("#search-count", Static)
        listing = self.query_one("#search-results", OptionList)
        listing.set_options(
            Option(hit_prompt(hit), id=f"hit-{i}") for i, hit in enumerate(self._hits)
        )
        if not query.strip():
            count.update("[dim]Type a word or phrase.[/dim]")
        elif not self._hits:
            count.update(f"Nothing holds “{escape(query.strip())}”.")
        else:
            more = " (the first ones: add a word to narrow)" if len(self._hits) >= SHOWN else ""
            count.update(
                f"{len(self._hits)} place{'s' if len(self._hits) != 1 else ''}{more}  "
                "[dim]↓ to the list · Enter goes there · Esc closes[/dim]"
            )
        if self._hits:
            listing.highlighted = 0

    @on(Input.Changed, "#search-query")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self._show(event.value)

    @on(Input.Submitted, "#search-query")
    def _enter_in_query(self, event: Input.Submitted) -> None:
        """Enter in the field goes to the highlighted (first) hit, as in the palette."""
        event.stop()
        listing = self.query_one("#search-results", OptionList)
        if self._hits:
            self.dismiss(self._hits[listing.highlighted or 0])

    def action_to_results(self) -> None:
        """↓ from the field moves into the results (the list itself uses ↓ to move)."""
        if self._hits:
            self.query_one("#search-results", OptionList).focus()

    @on(OptionList.OptionSelected, "#search-results")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        index = int((event.option_id or "hit-0").removeprefix("hit-"))
        if index < len(self._hits):
            self.dismiss(self._hits[index])
