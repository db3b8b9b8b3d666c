"""The command palette (ctrl+p): every action by name, offered only when it makes
sense now (an export only once a session is open, undo only after an edit)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.css.query import NoMatches
from textual.widgets import Button

from tui.fixes import fixes_for
from tui.widgets.findings import FindingsPanel
from tui.widgets.sidebar import STEPS

if TYPE_CHECKING:
    from tui.app import LinkwrightApp

Command = tuple[str, str, Callable[[], object]]


class LinkwrightCommands(Provider):
    @property
    def lw(self) -> LinkwrightApp:
        return cast("LinkwrightApp", self.app)

    def commands(self) -> Iterator[Command]:
        app = self.lw
        yield ("Help: list every key", "show the help screen", app.action_help)
        yield ("New session", "from a preset or blank", app.action_new)
        yield ("Open a session file", "pick a YAML session file", app.action_open)
        yield (
            "Toggle light/dark theme",
            "switch between the light and dark theme",
            app.action_toggle_theme,
        )
        yield ("Quit", "the session is saved as you go", app.action_quit)
        doc = app.doc
        if doc is None:
            return
        work = app.work_screen
        yield (
            "Save as…",
            "save the session to another file and keep working there",
            app.action_save_as,
        )
        if doc.can_undo:
            yield ("Undo", "undo the last change", app.action_undo)
        if doc.can_redo:
            yield ("Redo", "redo the change undone", app.action_redo)
        yield (
            "Reload from disk",
            "read the session file again (drops undo history)",
            app.action_reload,
        )
        if work is None:
            return
        for step in STEPS:
            yield (f"Go to step {step.number}: {step.title}", "", partial(work.go_to, step.key))
        for group in app.questions:
            count = f"{group.open_count} open" if group.open_count else "nothing open"
            yield (
                f"Go to topic: {group.topic.title}",
                count,
                partial(work.go_to, "topics", group.topic.id),
            )
        # The actions that live on a step, by the words a negotiator would type.
        def on_step(step: str, topic: str | None = None, then: str | None = None) -> Callable[
                [], None]:
            def run() -> None:
                work.go_to(step, topic)
                if then is not None:
                    work.call_after_refresh(work.pane(step).run_action, then)
            return run

        yield ("Edit a party's figure", "an override of its system profile (step 2, v)",
               on_step("parties", then="edit_value"))
        yield ("Show the source of a figure", "where each party's value comes from (step 2, s)",
               on_step("parties", then="source"))
        yield ("Choose the kind of link", "full, restricted, phased or unilateral (step 3)",
               on_step("readiness"))
        yield ("Choose the legal form", "treaty, memorandum, hybrid or regulation (step 4)",
               on_step("form"))
        def conditions() -> None:
            # Where the user acts on conditions (Enter adds one, shift+Tab reaches the
            # Remove buttons), not the clause list, where Enter re-chose the clause.
            work.go_to("topics", "conditions", focus=False)
            work.call_after_refresh(focus_add_condition)

        def focus_add_condition() -> None:
            with contextlib.suppress(NoMatches):
                button = work.query_one("#add-condition", Button)
                button.focus()
                button.scroll_visible()

        yield ("Add or remove a pre-linking condition", "what a party must do first",
               conditions)
        for index, condition in enumerate(doc.neg.session.conditions):
            by = f" by {condition.by.isoformat()}" if condition.by else ""
            yield (f"Edit a pre-linking condition: {doc.neg.party_short(condition.party)}, "
                   f"{condition.what[:40]}{by}", "change its wording or date (undoable)",
                   on_step("topics", "conditions", then=f"edit_condition({index})"))
        yield ("Search the instrument and the library", "find a phrase; Enter goes to it (/)",
               work.action_search)
        yield ("Since the last round", "what changed since the round named as `previous:`, "
               "per topic, with who moved; Enter goes to the provision",
               work.action_since_round)
        if work.step == "topics":
            yield ("State a party's position or its own text", "on this topic (o)",
                   on_step("topics", work.topic, then="position"))
            yield ("Leave this provision open", "bracketed in the draft (x)",
                   on_step("topics", work.topic, then="leave_open"))
            yield ("Confirm the values shown on this provision",
                   "library defaults become agreed values (v)",
                   on_step("topics", work.topic, then="confirm_values"))
        yield (
            "Next open question",
            "the next provision that needs you: errors first, then open, then to confirm (n)",
            work.action_next_question,
        )
        yield (
            "Confirm every settled provision",
            "record what only one clause can say",
            app.action_confirm_settled,
        )
        for fmt, label in (("pdf", "PDF"), ("docx", "DOCX"), ("md", "Markdown")):
            yield (
                f"Export the instrument as {label}",
                "choose where to save",
                partial(app.action_export, fmt, "instrument"),
            )
            yield (
                f"Export the negotiator's brief as {label}",
                "internal, not for the other side",
                partial(app.action_export, fmt, "brief"),
            )
        panel = work.query_one(FindingsPanel)
        warning = panel.highlighted
        if warning is not None and warning.severity == "warning" and warning.is_open:
            yield ("Acknowledge this warning…",
                   f"{warning.rule}: accept it knowingly, with a note saying why",
                   panel.acknowledge_highlighted)
        for index, finding in enumerate(app.review.findings):
            # Labelled as the findings panel offers them: a party's position by name.
            for fix in fixes_for(doc.neg, finding)[:3]:
                yield (
                    f"Fix: {fix.label}",
                    f"{finding.severity}: {finding.rule}",
                    partial(app.apply_remedy, fix.remedy, fix.label),
                )
            if index > 60:
                break


    async def discover(self) -> Hits:
        for name, help_text, action in self.commands():
            yield DiscoveryHit(name, action, help=help_text or None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, action in self.commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), action, help=help_text or None)
