"""The help screen: every key, grouped where it works, read from the bindings
themselves (so it cannot drift from what the keys do), and what the step list's
marks mean."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import Static

WIDGET_KEYS = [
    (
        "Everywhere",
        [
            ("tab / shift+tab", "move between fields and lists"),
            ("↑ ↓ / page up, page down", "move in a list or table"),
            ("enter / space", "choose the highlighted entry, press a button"),
            ("mouse", "click any entry, button or cell; scroll with the wheel"),
        ],
    ),
]

MARKS = [
    (
        "Marks in the step list",
        [
            ("▶ / ›", "the step, and the topic, you are on"),
            ("3 (a number)", "questions still open in that topic"),
            ("~", "settled: only one clause fits and nothing is disputed; c confirms it"),
            ("✓", "every question of the topic is decided"),
            ("•", "affected by your last change elsewhere: look at it again"),
            ("✱", "the other side moved here since you last looked (after a merge or their "
                  "Word mark-up): gone once you visit the topic"),
            ("✖ 2", "errors left (in the review, step 6)"),
        ],
    ),
]
"""The step list's marks: they are not keys, but they are read like the keys' labels."""


def _key_text(binding: Binding) -> str:
    names = []
    for key in binding.key.split(","):
        key = key.strip()
        names.append(
            {
                "right_square_bracket": "]",
                "left_square_bracket": "[",
                "question_mark": "?",
                "slash": "/",
                "escape": "esc",
            }.get(key, key)
        )
    return " / ".join(names)


def binding_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """(where, [(keys, what)]) for every binding of the app, its screens and panes."""
    from tui.app import LinkwrightApp
    from tui.panes.draft import DraftPane
    from tui.panes.parties import PartiesPane
    from tui.panes.review import ReviewPane
    from tui.panes.topics import TopicsPane
    from tui.screens.modals import ConflictScreen, Dialog
    from tui.screens.start import StartScreen
    from tui.screens.work import WorkScreen

    sources: list[tuple[str, list[Binding]]] = [
        (
            "Anywhere",
            [b for b in LinkwrightApp.BINDINGS if isinstance(b, Binding)]
            + [
                Binding("ctrl+p", "command_palette", "Command palette: find any command"),
                Binding("ctrl+q", "quit", "Quit"),
            ],
        ),
        (
            "Work screen",
            [b for b in WorkScreen.BINDINGS if isinstance(b, Binding) and b.id != "focus-next"],
        ),
        ("Start screen", [b for b in StartScreen.BINDINGS if isinstance(b, Binding)]),
        ("2 Parties", [b for b in PartiesPane.BINDINGS if isinstance(b, Binding)]),
        ("5 Design topics", [b for b in TopicsPane.BINDINGS if isinstance(b, Binding)]),
        ("6 Review", [b for b in ReviewPane.BINDINGS if isinstance(b, Binding)]),
        ("7 Draft", [b for b in DraftPane.BINDINGS if isinstance(b, Binding)]),
        (
            "Dialogs",
            [b for b in Dialog.BINDINGS + ConflictScreen.BINDINGS if isinstance(b, Binding)],
        ),
    ]
    groups = []
    seen: set[tuple[str, str]] = set()
    for where, bindings in sources:
        rows = []
        for binding in bindings:
            key = (where, binding.key)
            if key in seen:
                continue
            seen.add(key)
            rows.append((_key_text(binding), binding.description or binding.action))
        groups.append((where, rows))
    return groups + WIDGET_KEYS + MARKS


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q,question_mark", "dismiss", "Close", id="help-close")
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide tall", id="help"):
            yield Static(
                "[b]Keys[/b]  [dim](escape closes; ctrl+p finds any command by name)[/dim]",
                classes="dialog-title",
            )
            with VerticalScroll(id="help-body"):
                for where, rows in binding_groups():
                    lines = [f"[b $text-primary]{escape(where)}[/]"]
                    # Pad before escaping, and escape every "[": a lone "[" key followed
                    # by padding and "[/b]" was read as a tag.
                    lines += [
                        f"  [b]{f'{keys:<22}'.replace('[', chr(92) + '[')}[/b] {escape(what)}"
                        for keys, what in rows
                    ]
                    yield Static("\n".join(lines), classes="help-group")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
