"""The messages widgets and the app exchange (harlequin's pattern).

A pane never edits the session itself: it posts `ChoiceChanged` with a pure
edit function (from `negotiation.edits`) and the graph nodes it touches.
The app applies it, saves, and re-checks in a worker, which posts
`FindingsUpdated`; screens then refresh what they show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from textual.message import Message

from negotiation.findings import Finding
from negotiation.interview import TopicQuestions
from negotiation.session import Session


class ChoiceChanged(Message):
    """A pane asks for an edit of the session."""

    def __init__(
        self, edit: Callable[[Session], Session], touched: tuple[str, ...] = (), what: str = ""
    ) -> None:
        super().__init__()
        self.edit = edit
        self.touched = touched
        self.what = what


class SessionReplaced(Message):
    """The negotiation changed (an edit, undo, reload): refresh what is shown."""

    def __init__(self, generation: int, affected: frozenset[str] = frozenset()) -> None:
        super().__init__()
        self.generation = generation
        self.affected = affected


@dataclass
class Review:
    """What the checks worker computed for one state of the negotiation."""

    generation: int
    findings: list[Finding] = field(default_factory=list)
    questions: list[TopicQuestions] = field(default_factory=list)


class FindingsUpdated(Message):
    def __init__(self, review: Review) -> None:
        super().__init__()
        self.review = review


class Navigate(Message):
    """Go to a step (and a topic within the design step)."""

    def __init__(self, step: str, topic: str | None = None) -> None:
        super().__init__()
        self.step = step
        self.topic = topic
