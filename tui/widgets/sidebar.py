"""The step list on the left: the steps of the negotiation and, under the design
step, every topic this draft needs, with its count of open questions and a
mark when the last changes affected it."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.content import Content
from textual.markup import escape
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from negotiation.interview import TopicQuestions
from tui.formatting import clip
from tui.messages import Navigate


@dataclass(frozen=True)
class Step:
    key: str
    number: int
    title: str


STEPS = (
    Step("start", 1, "Start"),
    Step("parties", 2, "Parties"),
    Step("readiness", 3, "Readiness & link"),
    Step("form", 4, "Legal form"),
    Step("topics", 5, "Design topics"),
    Step("review", 6, "Review"),
    Step("draft", 7, "Draft & export"),
    Step("economics", 8, "Economics"),
)
STEP_KEYS = tuple(s.key for s in STEPS)
TOPIC_WIDTH = 16


class StepList(OptionList):
    """Selecting an entry posts `Navigate`."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._ids: list[str] = []
        self._prompts: dict[str, str] = {}

    def show(
        self,
        questions: list[TopicQuestions],
        affected: set[str],
        errors: int,
        current: tuple[str, str | None],
        news: set[str] | frozenset[str] = frozenset(),
    ) -> None:
        step_now, topic_now = current
        open_total = sum(t.open_count for t in questions)
        entries: list[tuple[str, Content]] = []
        for step in STEPS:
            here = step.key == step_now and (step.key != "topics" or topic_now is None)
            marker = "▶" if step.key == step_now else " "
            badge = ""
            if step.key == "topics" and open_total:
                badge = f" [$text-warning]{open_total}[/]"
            elif step.key == "review" and errors:
                badge = f" [$text-error]✖{errors}[/]"
            style = "bold" if here else ""
            text = f"{marker}{step.number} {escape(step.title)}"
            entries.append(
                (
                    f"step:{step.key}",
                    Content.from_markup(
                        f"[{style}]{text}[/]{badge}" if style else f"{text}{badge}"
                    ),
                )
            )
            if step.key != "topics":
                continue
            for group in questions:
                topic = group.topic
                marker = "›" if (step_now == "topics" and topic.id == topic_now) else " "
                if group.open_count:
                    badge = f"[$text-warning]{group.open_count}[/]"
                elif group.settled_count:
                    badge = "[$text-accent]~[/]"
                else:
                    badge = "[$text-success]✓[/]"
                if topic.id in news:  # the other side moved here since the user last looked
                    mark = "[$text-warning]✱[/]"
                elif topic.id in affected:
                    mark = "[$text-accent]•[/]"
                else:
                    mark = " "
                title = escape(clip(topic.title, TOPIC_WIDTH).ljust(TOPIC_WIDTH))
                bold = topic.id == topic_now and step_now == "topics"
                body = f"[bold]{title}[/]" if bold else title
                entries.append(
                    (f"topic:{topic.id}", Content.from_markup(f" {marker}{mark}{body} {badge}"))
                )
        ids = [key for key, _ in entries]
        if ids == self._ids:
            for key, prompt in entries:
                if self._prompts.get(key) != prompt.markup:
                    self.replace_option_prompt(key, prompt)
                    self._prompts[key] = prompt.markup
        else:
            highlighted = self.highlighted_option.id if self.highlighted_option else None
            self.set_options([Option(prompt, id=key) for key, prompt in entries])
            self._ids = ids
            self._prompts = {key: prompt.markup for key, prompt in entries}
            target = highlighted if highlighted in ids else None
            if target is None:
                target = (
                    f"topic:{topic_now}"
                    if step_now == "topics" and topic_now
                    else f"step:{step_now}"
                )
            if target in ids:
                self.highlighted = ids.index(target)

    def follow(self, step: str, topic: str | None) -> None:
        """Move the highlight to where the user is (without posting anything)."""
        key = f"topic:{topic}" if step == "topics" and topic else f"step:{step}"
        if key in self._ids:
            self.highlighted = self._ids.index(key)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        kind, _, key = (event.option_id or "").partition(":")
        if kind == "step":
            self.post_message(Navigate(key))
        elif kind == "topic":
            self.post_message(Navigate("topics", key))
