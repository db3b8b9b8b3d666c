"""The work screen: step list on the left, the current step in the middle, the
findings panel on the right (below the step at 80 columns), keys in the footer."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import ContentSwitcher, ProgressBar, Static

from tui.messages import Navigate
from tui.panes.base import StepPane
from tui.panes.draft import DraftPane
from tui.panes.economics import EconomicsPane
from tui.panes.form import FormPane
from tui.panes.parties import PartiesPane
from tui.panes.readiness import ReadinessPane
from tui.panes.review import ReviewPane
from tui.panes.topics import TopicsPane
from tui.walk import Stop, after, walk
from tui.widgets.findings import FindingsPanel
from tui.widgets.footer import FittedFooter
from tui.widgets.sidebar import STEP_KEYS, STEPS, StepList
from tui.widgets.titlebar import TitleBar

if TYPE_CHECKING:
    from negotiation.search import SearchHit
    from tui.app import LinkwrightApp

WORK_STEPS = STEP_KEYS[1:]  # "start" is its own screen


class ExportBar(Horizontal):
    """Progress of a running export, above the footer. It shows once the export has
    taken `SHOW_AFTER` seconds (a quick one would only flash it) and hides when the
    export ends; the file written is then told in a notification."""

    SHOW_AFTER = 0.3

    def compose(self) -> ComposeResult:
        yield Static("", id="export-label")
        yield ProgressBar(total=4, show_eta=False, id="export-progress")

    def on_mount(self) -> None:
        self.display = False
        self._timer: Timer | None = None

    def progress(self, label: str, done: int) -> None:
        self.query_one("#export-label", Static).update(label)
        self.query_one("#export-progress", ProgressBar).update(progress=done)
        if not self.display and self._timer is None:
            self._timer = self.set_timer(self.SHOW_AFTER, self._show)

    def _show(self) -> None:
        self.display = True

    def finish(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.display = False


class WorkScreen(Screen[None]):
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (110, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right_square_bracket", "next_step", "Next", id="next-step"),
        Binding("left_square_bracket", "previous_step", "Back", id="previous-step"),
        Binding("n", "next_question", "Next question", id="next-question"),
        Binding("a", "apply_remedy", "Apply fix", id="apply-remedy"),
        Binding("e", "export", "Export", id="export"),
        Binding("f", "focus_findings", "Findings", show=False, id="focus-findings"),
        Binding("slash,ctrl+f", "search", "Search the instrument and the library", show=False,
                id="search"),
        Binding("tab", "app.focus_next", "Focus next", show=False, id="focus-next"),
        *(
            Binding(
                str(step.number),
                f"go('{step.key}')",
                f"Step {step.number}: {step.title}",
                show=False,
                id=f"step-{step.number}",
            )
            for step in STEPS
        ),
    ]

    def __init__(self, step: str = "parties", topic: str | None = None) -> None:
        super().__init__()
        self.step = step if step in WORK_STEPS else "parties"
        self.topic = topic

    @property
    def lw(self) -> LinkwrightApp:
        return cast("LinkwrightApp", self.app)

    def _fit_width(self, width: int) -> None:
        """Set the width classes now. Textual applies the breakpoints on a resize of
        the active screen only: a screen composed, or resumed, at 80 columns would
        otherwise lay out wide once and leave the step no width at all."""
        for _minimum, name in self.HORIZONTAL_BREAKPOINTS:
            self.set_class(False, name)
        chosen = next(name for minimum, name in reversed(self.HORIZONTAL_BREAKPOINTS)
                      if width >= minimum)
        self.add_class(chosen)

    def on_screen_resume(self) -> None:
        self._fit_width(self.app.size.width)

    def compose(self) -> ComposeResult:
        self._fit_width(self.app.size.width)
        yield TitleBar(id="title-bar")
        with Horizontal(id="body"):
            yield StepList(id="steps")
            with Container(id="center"):
                with ContentSwitcher(id="panes", initial=self.step):
                    yield PartiesPane(id="parties")
                    yield ReadinessPane(id="readiness")
                    yield FormPane(id="form")
                    yield TopicsPane(id="topics")
                    yield ReviewPane(id="review")
                    yield DraftPane(id="draft")
                    yield EconomicsPane(id="economics")
                yield FindingsPanel(id="findings")
        yield ExportBar(id="export-bar")
        yield FittedFooter()

    def show_title(self, title: str, detail: str) -> None:
        self._title = (title, detail)
        if self.is_mounted:
            self.query_one(TitleBar).show(title, detail)

    def on_mount(self) -> None:
        self.query_one(TitleBar).show(*getattr(self, "_title", ("Linkwright", "")))
        self.refresh_all()
        self.show_findings()
        self.go_to(self.step, self.topic, focus=True)

    # -- panes -------------------------------------------------------------------------
    def pane(self, step: str) -> StepPane:
        return self.query_one(f"#{step}", StepPane)

    @property
    def current_pane(self) -> StepPane:
        return self.pane(self.step)

    def go_to(self, step: str, topic: str | None = None, focus: bool = True) -> None:
        if step == "start":
            self.app.action_new()  # type: ignore[attr-defined]
            return
        if step not in WORK_STEPS:
            return
        self.step = step
        switcher = self.query_one("#panes", ContentSwitcher)
        switcher.current = step
        pane = self.pane(step)
        if step == "topics":
            topics = cast(TopicsPane, pane)
            topics.show_topic(topic or topics.topic)
            self.topic = topics.topic
            if self.topic:
                self.lw.affected.discard(self.topic)
                self.lw.seen_topic(self.topic)
            pane.stale = False
        elif pane.stale:
            pane.stale = False
            pane.refresh_pane()
        self._refresh_steps()
        self.query_one(StepList).follow(self.step, self.topic)
        self.lw.remember_place(self.step, self.topic if step == "topics" else None)
        if focus:
            self.call_after_refresh(self._focus, pane)

    def _focus(self, pane: StepPane) -> None:
        if pane.is_attached and pane.display:
            with contextlib.suppress(NoMatches):  # the screen is closing
                pane.focus_first()

    def refresh_all(self) -> None:
        """The negotiation changed: refresh the visible pane, mark the others stale."""
        for key in WORK_STEPS:
            self.pane(key).stale = True
        pane = self.current_pane
        pane.stale = False
        pane.refresh_pane()
        self._refresh_steps()
        self.pane("review").stale = True  # its findings arrive from the checks worker

    def show_findings(self) -> None:
        doc = self.lw.doc
        if doc is None:
            return
        if self.lw.review.generation < 0:
            return  # not checked yet: the panel keeps saying "checking…"
        panel = self.query_one(FindingsPanel)
        panel.set_class((self.size.width or 80) < 110, "-one-line")
        panel.show(doc.neg, self.lw.review.findings)
        errors = sum(f.severity == "error" for f in self.lw.review.findings)
        if errors != getattr(self, "_errors_shown", None):
            self._errors_shown = errors
            self._refresh_steps()
        review = self.pane("review")
        if self.step == "review":
            review.refresh_review()
        else:
            review.stale = True

    def _refresh_steps(self) -> None:
        errors = sum(f.severity == "error" for f in self.lw.review.findings)
        self.query_one(StepList).show(
            self.lw.questions, self.lw.affected, errors, (self.step, self.topic),
            self.lw.news_topics()
        )

    # -- navigation ----------------------------------------------------------------------
    @on(Navigate)
    def _navigate(self, event: Navigate) -> None:
        event.stop()
        self.go_to(event.step, event.topic)

    def _topic_ids(self) -> list[str]:
        return [g.topic.id for g in self.lw.questions]

    def action_go(self, step: str) -> None:
        self.go_to(step)

    def action_next_step(self) -> None:
        topics = self._topic_ids()
        if (
            self.step == "topics"
            and self.topic in topics
            and topics.index(self.topic) + 1 < len(topics)
        ):
            self.go_to("topics", topics[topics.index(self.topic) + 1])
            return
        index = WORK_STEPS.index(self.step)
        if index + 1 < len(WORK_STEPS):
            following = WORK_STEPS[index + 1]
            self.go_to(following, topics[0] if following == "topics" and topics else None)

    def action_previous_step(self) -> None:
        topics = self._topic_ids()
        if self.step == "topics" and self.topic in topics and topics.index(self.topic) > 0:
            self.go_to("topics", topics[topics.index(self.topic) - 1])
            return
        index = WORK_STEPS.index(self.step)
        if index == 0:
            self.go_to("start")
            return
        previous = WORK_STEPS[index - 1]
        self.go_to(previous, topics[-1] if previous == "topics" and topics else None)

    def action_next_question(self) -> None:
        doc = self.lw.doc
        if doc is None:
            return
        # Every provision that needs the user, errors first (`tui.walk`), from where the
        # user is: not only the open ones, which said "Nothing open" beside errors.
        stops = walk(doc.neg, self.lw.review.findings, self.lw.questions)
        topics = cast(TopicsPane, self.pane("topics"))
        card = topics.focused_card() if self.step == "topics" else None
        found = after(stops, card.provision_id if card else getattr(self, "_stop", None))
        if found is None:
            self.app.notify("No error, nothing open and nothing to confirm.",
                            title="Nothing needs you")
            return
        index, stop = found
        self.go_to_stop(stop, f"{index + 1} of {len(stops)}: n goes on")

    def go_to_stop(self, stop: Stop, where: str = "") -> None:
        """Take the user to one stop of the walk and say what it asks of them."""
        self._stop = stop.key
        self.app.notify(stop.why, title=f"Needs you ({where})" if where else "Needs you")
        if stop.step == "review":
            self.go_to("review")
            review = cast(ReviewPane, self.pane("review"))
            if stop.finding is not None:
                self.call_after_refresh(review.highlight_finding, stop.finding)
            return
        self.go_to("topics", stop.topic, focus=stop.provision is None)
        topics = cast(TopicsPane, self.pane("topics"))
        if stop.provision is not None:
            provision = stop.provision
            self.call_after_refresh(
                lambda: topics.is_attached and topics.focus_provision(provision)
            )

    def action_search(self) -> None:
        """Find a phrase in the instrument or the library; the chosen hit opens its
        provision's topic with that provision's card highlighted."""
        from tui.screens.search import SearchScreen

        doc = self.lw.doc
        if doc is None:
            return

        def chosen(hit: SearchHit | None) -> None:
            if hit is None:
                return
            self.go_to("topics", hit.topic, focus=False)
            topics = cast(TopicsPane, self.pane("topics"))
            self.call_after_refresh(lambda: topics.is_attached and topics.show_found(hit.provision))

        self.app.push_screen(SearchScreen(doc.neg), chosen)

    def action_since_round(self) -> None:
        """What changed since the round the session names as `previous:`; the chosen
        change opens its provision's topic with the provision highlighted."""
        from tui.screens.since import ChangeStop, SinceRoundScreen

        doc = self.lw.doc
        if doc is None:
            return

        def chosen(stop: ChangeStop | None) -> None:
            if stop is None:
                return
            self.go_to("topics", stop.topic, focus=stop.provision is None)
            if stop.provision is not None:
                topics = cast(TopicsPane, self.pane("topics"))
                provision = stop.provision
                self.call_after_refresh(
                    lambda: topics.is_attached and topics.show_found(provision))

        self.app.push_screen(SinceRoundScreen(doc.neg), chosen)

    def action_focus_findings(self) -> None:
        self.query_one(FindingsPanel).focus_first_finding()

    def action_apply_remedy(self) -> None:
        review = cast(ReviewPane, self.pane("review"))
        if self.step == "review" and review.apply_highlighted():
            return
        finding = self.query_one(FindingsPanel).highlighted
        focused_in_panel = self.focused is not None and self.focused.id == "finding-list"
        if finding is None or not (focused_in_panel or self.step != "review"):
            self.app.notify(
                "Highlight a finding or a fix first (↑↓ in the review)."
                if self.step == "review"
                else "Highlight a finding first: f focuses the findings panel, 6 opens the review.",
                title="Apply a fix",
            )
            return
        # Never fix 1 blindly: the fixes are shown under the finding, to be picked.
        self.query_one(FindingsPanel).offer_fixes()

    def action_export(self) -> None:
        self.lw.action_export()

    # -- export progress ---------------------------------------------------------------------
    def export_progress(self, label: str, done: int | None) -> None:
        bar = self.query_one("#export-bar", ExportBar)
        if done is None:
            bar.finish()
        else:
            bar.progress(label, done)

    def on_resize(self) -> None:
        self.query_one(FindingsPanel).set_class(self.size.width < 110, "-one-line")
