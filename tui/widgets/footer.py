"""A footer that fits its width: at 80 columns the keys of a step, the work keys and the
palette do not fit on one line, and Textual's footer cuts the last one mid-word
("a Apply fi"). This one turns compact on a narrow screen, then leaves out whole keys,
the least needed first, and always keeps f1 (help lists every key, hidden or not)."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

NARROW = 110
"""Below this many columns the footer is compact (as the work screen's breakpoint)."""

KEEP = ("help",)
"""Actions never left out: the way to every other key."""

FIRST_OUT = ("previous_step", "next_step", "save_as")
"""Left out first: the step list beside shows where ] and [ go, and ctrl+s is in help."""


class FittedFooter(Footer):
    _width = 0

    def compose(self) -> ComposeResult:
        self.set_reactive(Footer.compact, self.app.size.width < NARROW)
        self.set_class(self.compact, "-compact")
        yield from super().compose()
        self.call_after_refresh(self.fit)

    def on_resize(self, event: events.Resize) -> None:
        # Sent when the footer's width changes, and when its keys are laid out (their
        # total is its virtual width): the moment their widths can be measured.
        if event.size.width != self._width:
            self._width = event.size.width
            narrow = self._width < NARROW
            if narrow != self.compact:
                self.compact = narrow
            for key in self.query(FooterKey):
                key.display = True
        self.call_after_refresh(self.fit)

    def fit(self) -> None:
        """Leave out the moves between steps, then keys from the right (the app's, then
        the screen's, then the step's: the footer lists them in that order reversed),
        until the rest fits."""
        if not self.is_attached or not self.size.width:
            return
        keys = [k for k in self.query(FooterKey) if not k.has_class("-command-palette")]
        palette = [k for k in self.query(FooterKey) if k.has_class("-command-palette")]
        # Measured from the keys' text and styles, not from the layout: a footer
        # recomposed on a screen in the background (under a dialog) is not laid out.
        size = self.size

        def width(key: FooterKey) -> int:
            return (key.get_content_width(size, size) + key.styles.gutter.width
                    + key.styles.margin.width)

        widths = {id(k): width(k) for k in keys}
        room = size.width - sum(width(k) for k in palette if k.display)
        shown = [k for k in keys if k.display]
        order = sorted(reversed(shown), key=lambda k: _action(k) not in FIRST_OUT)
        for key in order:
            if sum(widths[id(k)] for k in shown) <= room:
                break
            if _action(key) in KEEP:
                continue
            key.display = False
            shown.remove(key)


def _action(key: FooterKey) -> str:
    return key.action.rsplit(".", 1)[-1]
