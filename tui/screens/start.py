"""Step 1, the start screen: a new session from a preset or blank, a recent
session, or a file. Also the screen shown while a session loads."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Footer, LoadingIndicator, OptionList, Static
from textual.widgets.option_list import Option

from tui.formatting import clip
from tui.widgets.titlebar import TitleBar

if TYPE_CHECKING:
    from tui.app import LinkwrightApp


class LoadingScreen(Screen[None]):
    """Shown while a session and the clause library load in the background."""

    def __init__(self, what: str) -> None:
        super().__init__()
        self._what = what

    def compose(self) -> ComposeResult:
        with Vertical(id="loading"):
            yield Static(f"Opening {escape(self._what)}…", id="loading-label")
            yield Static("[dim]Loading the clause library and the system profiles.[/dim]")
            yield LoadingIndicator()
        yield Footer()


class StartScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back to the session", id="start-back"),
        Binding("ctrl+o", "app.open", "Open file", id="start-open"),
    ]

    @property
    def lw(self) -> LinkwrightApp:
        return cast("LinkwrightApp", self.app)

    def compose(self) -> ComposeResult:
        yield TitleBar("[b]Linkwright[/b]", id="title-bar")
        with Vertical(id="start"):
            yield Static(
                "[b]Linkwright[/b] — negotiate and draft the link between emissions "
                "trading systems",
                id="start-title",
            )
            yield Static(
                "[dim]Choose how to begin (↑↓ and Enter, or click). F1 lists every "
                "key; ctrl+p finds any command.[/dim]",
                id="start-hint",
            )
            yield OptionList(id="start-menu")
        yield Footer()

    def on_mount(self) -> None:
        self.populate()
        self.query_one("#start-menu", OptionList).focus()

    def populate(self) -> None:
        from negotiation.session import preset_ids

        options: list[Option | None] = [
            Option(
                Content.from_markup("[b $text-primary]New session from a preset[/]"),
                id="h-presets",
                disabled=True,
            )
        ]
        for preset, label in self.lw.preset_labels(preset_ids()):
            options.append(
                Option(
                    Content.from_markup(f"  {escape(preset):<9} {escape(label)}"),
                    id=f"preset:{preset}",
                )
            )
        options.append(
            Option(
                Content.from_markup("[b $text-primary]New blank session[/]"),
                id="h-blank",
                disabled=True,
            )
        )
        options.append(Option("  Pick the parties' systems…", id="blank"))
        recent = [r for r in self.lw.state.recent() if r.exists]
        options.append(
            Option(
                Content.from_markup("[b $text-primary]Recent sessions[/]"),
                id="h-recent",
                disabled=True,
            )
        )
        if recent:
            for index, entry in enumerate(recent[:8]):
                options.append(
                    Option(
                        Content.from_markup(
                            f"  {escape(entry.path.name)}  "
                            f"[dim]{escape(clip(entry.title, 60))}[/dim]"
                        ),
                        id=f"recent:{index}",
                    )
                )
        else:
            options.append(
                Option(Content.from_markup("  [dim]none yet[/dim]"), id="h-none", disabled=True)
            )
        options.append(
            Option(
                Content.from_markup("[b $text-primary]Open a file[/]"), id="h-open", disabled=True
            )
        )
        options.append(Option("  Open a session file…", id="open"))
        self._recent = recent
        menu = self.query_one("#start-menu", OptionList)
        menu.set_options([o for o in options if o is not None])
        menu.highlighted = 1

    @on(OptionList.OptionSelected, "#start-menu")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        key = event.option_id or ""
        if key.startswith("preset:"):
            self.lw.open_preset(key.removeprefix("preset:"))
        elif key == "blank":
            self.lw.action_new_blank()
        elif key.startswith("recent:"):
            self.lw.open_path(self._recent[int(key.removeprefix("recent:"))].path)
        elif key == "open":
            self.lw.action_open()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return self.lw.doc is not None
        return True

    def action_back(self) -> None:
        if (
            self.lw.doc is not None
            and len(self.app.screen_stack) > 1
            and self.app.screen_stack[-2].__class__.__name__ == "WorkScreen"
        ):
            self.app.pop_screen()
