"""The title bar: the session's title and its file name (just the name, never a path).

A plain widget rather than Textual's Header, which watches the app's titles
and can trip over a screen being removed while a title changes.
"""

from __future__ import annotations

from textual.content import Content
from textual.markup import escape
from textual.widgets import Static


class TitleBar(Static):
    def show(self, title: str, detail: str = "") -> None:
        text = f"[b]{escape(title)}[/b]"
        if detail:
            text += f"  [dim]—[/dim]  {escape(detail)}"
        self.update(Content.from_markup(text))
