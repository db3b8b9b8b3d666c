"""The Linkwright app: opens sessions, applies edits, saves, re-checks, exports.

The change cycle (STYLE: harlequin's pattern): a pane posts `ChoiceChanged`
with an edit from `negotiation.edits`; the app applies it to the session
document (a new `Negotiation` is assembled, or nothing changes and the user
is told why), marks the topics the change reaches in the dependency graph,
saves atomically (asking first if the file changed on disk), refreshes the
screen, and runs the checks in a thread worker that posts `FindingsUpdated`.
Everything slow (loading, checks, drafts, PDF export, economics) runs in a
worker; every error a user can cause ends in a notification, not a traceback.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from negotiation.errors import LinkwrightError
from negotiation.findings import Finding, Remedy
from negotiation.interview import TopicQuestions, questions
from negotiation.session import Negotiation, Session
from tui.commands import LinkwrightCommands
from tui.document import ChangedOnDisk, SessionDocument
from tui.messages import ChoiceChanged, FindingsUpdated, Review
from tui.news import moved_since, others_positions
from tui.opening import Opening, open_blank, open_file, open_preset_copy, preset_labels
from tui.places import Places
from tui.screens.help import HelpScreen
from tui.screens.modals import (
    BlankAnswer,
    ConfirmScreen,
    ConflictScreen,
    ExportRequest,
    ExportScreen,
    NewSessionScreen,
    OpenFileScreen,
    SaveAsAnswer,
    SaveAsScreen,
)
from tui.screens.start import LoadingScreen, StartScreen
from tui.screens.work import WorkScreen
from tui.state import Place, UserState
from tui.values import settled_decisions
from tui.watcher import WATCH_EVERY, FileWatcher

FORMAT_NAMES = {"pdf": "PDF", "docx": "DOCX", "md": "Markdown"}

REDRAW_AFTER = 0.1
"""Seconds a change waits for its findings before the pane is redrawn without them:
normally they come sooner, and the pane and the findings are drawn in one go."""

CHECK_AT_ONCE = 0.05
"""Seconds under which the checks of a change run at once on the screen's own thread
(the last check of the session says how long they take). A background thread would
only add its start, the hop back and the processor time the screen takes meanwhile;
slower checks (a large library) run in the background, so that keys keep working."""


class LinkwrightApp(App[int]):
    CSS_PATH = Path(__file__).with_name("linkwright.tcss")
    TITLE = "Linkwright"
    COMMANDS = App.COMMANDS | {LinkwrightCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1,question_mark", "help", "Help", id="help"),
        Binding("ctrl+s", "save_as", "Save as", id="save-as"),
        Binding("ctrl+o", "open", "Open", show=False, id="open"),
        Binding("ctrl+n", "new", "New", show=False, id="new-session"),
        Binding("ctrl+z", "undo", "Undo", show=False, id="undo"),
        Binding("ctrl+y", "redo", "Redo", show=False, id="redo"),
        Binding("ctrl+t", "toggle_theme", "Light/dark", show=False, id="toggle-theme"),
    ]

    def __init__(
        self,
        places: Places,
        opening: Opening | None = None,
        *,
        libraries: tuple[Path, ...] = (),
        economics: Callable[[Negotiation], dict[str, Any]] | None = None,
        watch_every: float | None = WATCH_EVERY,
    ) -> None:
        super().__init__()
        self.watch_every = watch_every  # None: the file is looked at only when polled
        self.watcher = FileWatcher(self)
        self.places = places
        self.state = UserState(places.state_file)
        self.opening = opening
        self.libraries = tuple(libraries)
        self.economics = economics
        self.doc: SessionDocument | None = None
        self.work_screen: WorkScreen | None = None
        self.generation = 0
        self.review = Review(0)
        self.questions: list[TopicQuestions] = []
        self.affected: set[str] = set()
        self.news: set[str] = set()
        """Provisions whose other-side positions changed since the user last looked."""
        self.startup_error: LinkwrightError | None = None
        self.last_export: Path | None = None
        self.findings_shown = 0  # counts panel updates (tests and the benchmark wait on it)
        self.findings_shown_at = 0.0
        self._exporting = False
        self._exporting_for: SessionDocument | None = None
        self._conflict_open = False
        self._graphs: dict[tuple[int, tuple[str, ...]], Any] = {}
        self._place_timer: Any = None
        self._when_checked: list[tuple[int, Callable[[], None]]] = []
        self._redraw_pending = False
        self._save_pending = False
        self._check_seconds: float | None = None  # how long the last check took

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer session actions (in the footer and by key) only with a session open."""
        needs_session = action in ("save_as", "undo", "redo", "export", "reload")
        return not (needs_session and self.doc is None)

    # -- start-up -----------------------------------------------------------------------
    def on_mount(self) -> None:
        if self.watch_every:
            self.set_interval(self.watch_every, self.watcher.poll)
        # Slow work starts after the first screen is painted, not before.
        if self.opening is None:
            self.push_screen(StartScreen())
            self.call_after_refresh(self.warm_up)
        else:
            self.push_screen(LoadingScreen(self.opening.label))
            self.call_after_refresh(self._begin_opening, self.opening)

    def _begin_opening(self, opening: Opening) -> None:
        opening.start()
        self._finish_opening(opening)

    @work(thread=True, exit_on_error=False, group="warm-up")
    def warm_up(self) -> None:
        """Load the library and profiles while the user reads the start screen."""
        from negotiation.library import load_library
        from negotiation.profiles import builtin_profiles

        builtin_profiles()
        load_library()

    @work(thread=True, exit_on_error=False, group="open")
    def _finish_opening(self, opening: Opening) -> None:
        try:
            doc = opening.wait()
        except LinkwrightError as error:
            self.call_from_thread(self._opening_failed, opening, error)
            return
        self.call_from_thread(self.show_document, doc)
        if opening.notice:
            self.call_from_thread(self.notify, opening.notice, timeout=12)

    def _opening_failed(self, opening: Opening, error: LinkwrightError) -> None:
        if opening.fatal:
            self.startup_error = error
            self.exit(2)
            return
        # Only the loading screen gives way; a session or the start screen the user
        # is on stays, so a bad file never costs them the session they were in.
        if isinstance(self.screen, LoadingScreen):
            self._show_screen(StartScreen())
        self.notify(
            str(error), severity="error", title=f"Could not open {opening.label}", timeout=10
        )

    def preset_labels(self, presets: list[str]) -> list[tuple[str, str]]:
        return preset_labels(presets)

    # -- opening sessions -------------------------------------------------------------------
    def _show_screen(self, screen: Screen[Any]) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if len(self.screen_stack) == 2:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def open_in_background(self, label: str, load: Callable[[], SessionDocument]) -> None:
        self._finish_opening(Opening(label, load, fatal=False).start())

    def open_path(self, path: Path) -> None:
        self.open_in_background(path.name, lambda: open_file(path, self.places, self.libraries))

    def open_preset(self, preset: str) -> None:
        self.open_in_background(
            f"preset {preset}", lambda: open_preset_copy(self.places, preset, self.libraries)
        )

    def show_document(self, doc: SessionDocument) -> None:
        self.doc = doc
        self.generation += 1
        # Nothing checked yet (generation -1): the panel says "checking…" until the first
        # result, instead of flashing "No findings." (and an export runs the checks).
        self.review = Review(-1)
        self.questions = questions(doc.neg)
        self.affected = set()
        # The other side's moves since this user last looked (after a merge): marked in
        # the step list until their topic is visited.
        now = others_positions(doc.neg.session)
        self.news = moved_since(self.state.seen_positions(doc.path), now)
        self.state.remember_seen(doc.path, {p: d for p, d in now.items()
                                            if p not in self.news})
        self.state.add_recent(doc.path, doc.title)
        self.state.save()
        place = self.state.place(doc.path) or Place("parties")
        self.work_screen = WorkScreen(place.step, place.topic)
        self._update_titles()
        self._show_screen(self.work_screen)
        self.recheck(doc.neg, self.generation)

    def _update_titles(self) -> None:
        doc = self.doc
        if doc is None:
            return
        screen = self.work_screen
        if screen is None:
            return
        note = " (autosaved copy)" if doc.scratch else ""
        unsaved = " ● not saved" if not doc.saved else ""
        screen.show_title(doc.title, f"{doc.file_name}{note}{unsaved}")

    def news_topics(self) -> set[str]:
        """The topics holding the other side's unseen moves, for the step list."""
        doc = self.doc
        if doc is None or not self.news:
            return set()
        provisions = doc.neg.library.provisions
        return {provisions[p].topic for p in self.news if p in provisions}

    def seen_topic(self, topic: str) -> None:
        """The user is on `topic`: the other side's moves on its provisions are seen."""
        doc = self.doc
        if doc is None:
            return
        provisions = {p for p in self.news if doc.neg.library.provisions.get(p) is not None
                      and doc.neg.library.provisions[p].topic == topic}
        if not provisions:
            return
        self.news -= provisions
        self._remember_positions(doc)
        self.state.save()  # seen is seen, even if the app is closed the next moment

    def _remember_positions(self, doc: SessionDocument) -> None:
        """Every position not marked as news counts as seen (our own edits included)."""
        seen = self.state.seen_positions(doc.path) or {}
        now = others_positions(doc.neg.session)
        for provision in set(seen) | set(now):
            if provision in self.news:
                continue
            if provision in now:
                seen[provision] = now[provision]
            else:
                seen.pop(provision, None)
        self.state.remember_seen(doc.path, seen)

    def remember_place(self, step: str, topic: str | None) -> None:
        if self.doc is None:
            return
        self.state.remember(self.doc.path, Place(step, topic))
        if self._place_timer is not None:
            self._place_timer.stop()
        self._place_timer = self.set_timer(0.5, self.state.save)

    # -- the change cycle ---------------------------------------------------------------------
    def on_choice_changed(self, message: ChoiceChanged) -> None:
        message.stop()
        self.apply(message.edit, message.touched)

    def apply(self, edit: Callable[[Session], Session], touched: tuple[str, ...] = ()) -> bool:
        doc = self.doc
        if doc is None:
            return False
        before = doc.neg
        try:
            after = doc.apply(edit)
        except LinkwrightError as error:
            self.notify(str(error), severity="error", title="Change not made", timeout=8)
            return False
        except Exception as error:  # an edit must never take the screen down
            self.notify(
                f"{type(error).__name__}: {error}",
                severity="error",
                title="Change not made",
                timeout=8,
            )
            return False
        self._after_change(before, after, touched)
        return True

    def apply_remedy(self, remedy: Remedy, label: str | None = None) -> bool:
        """Apply a fix the user picked, and say which (its label, never an id)."""
        from negotiation import edits
        from tui.fixes import remedy_label
        from tui.panes.review import remedy_nodes

        doc = self.doc
        if doc is None:
            return False
        label = label or remedy_label(doc.neg, remedy)
        with contextlib.suppress(Exception):  # `apply` below reports a failing remedy
            if edits.apply_remedy(doc.session, remedy) == doc.session:
                # Say so rather than seem to ignore the key.
                self.notify(f"Already in force: {label}", title="Nothing to change")
                return False
        if not self.apply(lambda s: edits.apply_remedy(s, remedy), remedy_nodes(remedy)):
            return False
        self.notify(f"{label} (ctrl+z undoes it)", title="Fix applied")
        return True

    def _after_change(
        self, before: Negotiation, after: Negotiation, touched: tuple[str, ...]
    ) -> None:
        self.generation += 1
        self.questions = questions(after)
        reached = self._affected(before, after, touched)
        here = None
        if self.work_screen is not None and self.work_screen.step == "topics":
            here = self.work_screen.topic
        self.affected |= reached - {here}
        # A reload is what is on disk: never written back over it.
        self._save_pending = self.doc is not None and not self.doc.saved
        self._update_titles()
        # The pane is redrawn with the findings, once, when they arrive, and the file
        # is saved just after: redrawing now would take the processor from the checks
        # and paint the screen twice, and the save waits on the disk. A slow check (a
        # large library) must not hold the change back: the timer does both without them.
        self._redraw_pending = True
        self.set_timer(REDRAW_AFTER, self._catch_up)
        self._check(after, self.generation)

    def _check(self, neg: Negotiation, generation: int) -> None:
        """Check `neg` at once if its checks are quick, else in the background; the
        findings arrive as `FindingsUpdated` either way."""
        if self._check_seconds is None or self._check_seconds >= CHECK_AT_ONCE:
            self.recheck(neg, generation)
            return
        try:
            review = self._checked(neg, generation)
        except Exception as error:
            self.notify(f"The checks failed: {error}", severity="error", title="Checks")
            return
        self.post_message(FindingsUpdated(review))

    def _checked(self, neg: Negotiation, generation: int) -> Review:
        from negotiation.checks import run_checks

        start = time.perf_counter()
        findings = run_checks(neg)
        self._check_seconds = time.perf_counter() - start
        return Review(generation, findings, questions(neg))

    def _redraw(self) -> None:
        """Refresh the work screen after a change, once (see `_after_change`)."""
        if self._redraw_pending and self.work_screen is not None:
            self._redraw_pending = False
            self.work_screen.refresh_all()

    def _save_changed(self) -> None:
        """Autosave after a change, once (see `_after_change`)."""
        if self._save_pending:
            self._save_pending = False
            self.autosave()
            self._update_titles()

    def _catch_up(self) -> None:
        self._redraw()
        self._save_changed()

    def _graph(self, neg: Negotiation) -> Any:
        from negotiation.graph import build_graph

        key = (id(neg.library), tuple(neg.party_ids))
        if key not in self._graphs:
            if len(self._graphs) > 4:
                self._graphs.clear()
            import networkx as nx

            graph = build_graph(neg)
            # A graph of its own, not a filtered view: a view calls the filter on every
            # edge it walks, and `_affected` walks it on every change.
            substance = nx.DiGraph()
            substance.add_nodes_from(graph.nodes(data=True))
            substance.add_edges_from(
                (a, b, data)
                for a, b, data in graph.edges(data=True)
                if data.get("kind") != "referenced_by"
            )
            self._graphs[key] = (neg.library, substance)
        return self._graphs[key][1]

    def _affected(
        self, before: Negotiation, after: Negotiation, touched: tuple[str, ...]
    ) -> set[str]:
        """Topics the change reaches: graph descendants of what it touched, and topics
        whose relevant provisions changed (a new form, linkage or `only_if` choice).

        `referenced_by` edges are not followed: a cross-reference only renumbers, and
        following it from a topic reaches nearly every article, which would mark all."""
        from negotiation.graph import affected_topics

        graph = self._graph(after)
        topics: set[str] = set()
        for node in touched:
            topics |= affected_topics(graph, node)
        old = {(p.id, p.topic) for p in before.relevant_provisions()}
        new = {(p.id, p.topic) for p in after.relevant_provisions()}
        topics |= {topic for _, topic in old ^ new}
        return topics

    # A description of our own: Textual would otherwise describe the worker by the
    # repr of its arguments, the whole negotiation, on every key press.
    @work(thread=True, exclusive=True, group="checks", exit_on_error=False,
          description="checks")
    def recheck(self, neg: Negotiation, generation: int) -> None:
        try:
            review = self._checked(neg, generation)
        except Exception as error:
            self.call_from_thread(
                self.notify, f"The checks failed: {error}", severity="error", title="Checks"
            )
            return
        self.post_message(FindingsUpdated(review))
        # The dependency graph (networkx and all) is built here, once per library and
        # parties, not on the user's first key press, which asks it what a change reaches.
        with contextlib.suppress(Exception):
            self._graph(neg)

    def on_findings_updated(self, message: FindingsUpdated) -> None:
        if message.review.generation != self.generation:
            return  # a newer change is being checked
        self.review = message.review
        self._redraw()
        if self.work_screen is not None:
            self.work_screen.show_findings()
        waiting, self._when_checked = self._when_checked, []
        for generation, then in waiting:
            if generation == self.generation:  # older ones wait for a state that is gone
                then()
        self.findings_shown += 1
        self.findings_shown_at = time.perf_counter()
        self._save_changed()

    def when_checked(self, then: Callable[[], None]) -> None:
        """Run `then` once the findings of the current state are on screen: a walk that
        goes on to what a change now needs must see that change's own findings."""
        self._when_checked.append((self.generation, then))

    @property
    def findings(self) -> list[Finding]:
        return self.review.findings

    # -- saving -------------------------------------------------------------------------------
    def autosave(self) -> None:
        doc = self.doc
        if doc is None or self._conflict_open:
            return
        try:
            doc.save()
            self._remember_positions(doc)
        except ChangedOnDisk as change:
            self._conflict_open = True
            self.push_screen(ConflictScreen(doc.file_name, change.deleted), self._resolve)
        except LinkwrightError as error:
            self.notify(f"Not saved: {error}", severity="error", title="Autosave", timeout=10)

    def _resolve(self, choice: str | None) -> None:
        doc = self.doc
        if doc is None:
            return
        if choice == "reload":
            self._conflict_open = False
            try:
                before = doc.neg
                after = doc.reload()
            except LinkwrightError as error:
                self.notify(f"Cannot reload: {error}", severity="error", timeout=10)
                self._reopen_conflict()
                return
            self.notify(
                f"Reloaded {doc.file_name}; your last change was dropped.", title="Reloaded"
            )
            self._after_change(before, after, ())
        elif choice == "keep":
            self._conflict_open = False
            try:
                doc.save(force=True)
            except LinkwrightError as error:
                self.notify(f"Not saved: {error}", severity="error", timeout=10)
                self._reopen_conflict()
                return
            self._update_titles()
            self.notify(
                f"Saved your version; the other one is kept as {doc.file_name}.bak.", title="Saved"
            )
        else:
            self.push_screen(
                SaveAsScreen(
                    doc.path.with_name(doc.path.stem + "-mine.yaml"), "Save your version as"
                ),
                self._conflict_save_as,
            )

    def _reopen_conflict(self) -> None:
        doc = self.doc
        if doc is not None:
            self._conflict_open = True
            self.push_screen(ConflictScreen(doc.file_name, not doc.path.exists()), self._resolve)

    def _conflict_save_as(self, answer: SaveAsAnswer | None) -> None:
        if answer is None or not self._save_as(answer):
            self._reopen_conflict()
            return
        self._conflict_open = False

    def _save_as(self, answer: SaveAsAnswer) -> bool:
        doc = self.doc
        if doc is None:
            return False
        try:
            doc.save_as(answer.path, answer.replace)
        except LinkwrightError as error:
            self.notify(str(error), severity="error", title="Not saved", timeout=10)
            return False
        self.state.add_recent(doc.path, doc.title)
        if self.work_screen is not None:
            self.remember_place(self.work_screen.step, self.work_screen.topic)
        self.state.save()
        self._update_titles()
        self.notify(f"Saved to {doc.path.resolve()}", title="Saved")
        return True

    def action_save_as(self) -> None:
        doc = self.doc
        if doc is None:
            self.notify("Open a session first.")
            return
        suggested = Path.cwd() / doc.file_name if doc.scratch else doc.path
        self.push_screen(SaveAsScreen(suggested), lambda a: a is not None and self._save_as(a))

    def action_reload(self) -> None:
        self._resolve("reload")

    def action_undo(self) -> None:
        self._history(undo=True)

    def action_redo(self) -> None:
        self._history(undo=False)

    def _history(self, undo: bool) -> None:
        doc = self.doc
        if doc is None:
            return
        before = doc.neg
        try:
            after = doc.undo() if undo else doc.redo()
        except LinkwrightError as error:
            self.notify(str(error), severity="error")
            return
        if after is None:
            self.notify("Nothing to undo." if undo else "Nothing to redo.")
            return
        self._after_change(before, after, ())

    # -- other actions ----------------------------------------------------------------------------
    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_new(self) -> None:
        if not isinstance(self.screen, StartScreen):
            self.push_screen(StartScreen())

    def action_new_blank(self) -> None:
        from negotiation.profiles import builtin_profiles

        systems = [
            (p.id, f"{p.short_name} — {p.party.short}" + (" (historical)" if p.historical else ""))
            for p in sorted(builtin_profiles().values(), key=lambda p: (p.historical, p.short_name))
        ]

        def create(answer: BlankAnswer | None) -> None:
            if answer is not None:
                self.open_in_background(
                    "a new session",
                    lambda: open_blank(
                        self.places, answer.systems, answer.title, answer.year, self.libraries
                    ),
                )

        self.push_screen(NewSessionScreen(systems), create)

    def action_open(self) -> None:
        # The dialog opens the file itself and stays, with the error in it, when the
        # file cannot be opened: keys typed next never land on the screen behind it.
        def chosen(doc: SessionDocument | None) -> None:
            if doc is not None:
                self.show_document(doc)

        self.push_screen(
            OpenFileScreen(Path.cwd(), lambda path: open_file(path, self.places, self.libraries)),
            chosen,
        )

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def action_confirm_settled(self) -> None:
        from negotiation import edits
        from negotiation.graph import provision_node

        doc = self.doc
        if doc is None:
            return
        choices = settled_decisions(doc.neg)  # a library default stays to be confirmed
        if not choices:
            self.notify("Nothing settled to confirm.")
            return

        def confirm(session: Session) -> Session:
            for pid, choice in choices.items():
                session = edits.set_decision(session, pid, choice.clause, choice.params)
            return session

        self.apply(confirm, tuple(provision_node(p) for p in choices))

    async def action_quit(self) -> None:
        doc = self.doc
        self.state.save()
        if doc is not None and not doc.saved:

            def answered(yes: bool | None) -> None:
                if yes:
                    self.exit(0)

            self.push_screen(
                ConfirmScreen("Your last change is not saved. Quit anyway?", "Quit", "Stay"),
                answered,
            )
            return
        self.exit(0)

    # -- export -----------------------------------------------------------------------------------
    def action_export(self, fmt: str = "pdf", document: str = "instrument") -> None:
        doc = self.doc
        if doc is None:
            self.notify("Open a session first.")
            return
        if self._exporting:
            self.notify("An export is already running.")
            return
        folder = Path.cwd() if doc.scratch else doc.path.parent
        from negotiation.checks.rules_languages import language_versions

        self.push_screen(ExportScreen(folder, doc.path.stem, fmt, document,
                                      language_versions(doc.neg), self._version_shown()),
                         self.export)

    def _version_shown(self) -> str:
        """The language version the Draft step shows: the export offers it first."""
        from textual.css.query import NoMatches

        if self.work_screen is None:
            return "en"
        try:
            pane = self.work_screen.pane("draft")
        except NoMatches:
            return "en"
        return str(getattr(pane, "language", "en"))

    def export(self, request: ExportRequest | None) -> None:
        doc = self.doc
        if request is None or doc is None:
            return
        path = request.path
        if path.exists() and not request.replace:
            self.notify(
                f"{path} exists: tick 'Replace' or choose another name.",
                severity="error",
                title="Not exported",
                timeout=10,
            )
            return
        if not path.parent.is_dir():
            self.notify(
                f"The folder {path.parent} does not exist.",
                severity="error",
                title="Not exported",
                timeout=10,
            )
            return
        findings = self.review.findings if self.review.generation == self.generation else None
        self._exporting = True
        self._exporting_for = doc
        self._export_progress(f"Exporting {FORMAT_NAMES[request.fmt]}…", 0)
        self.run_export(doc.neg, findings, request)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def run_export(
        self, neg: Negotiation, findings: list[Finding] | None, request: ExportRequest
    ) -> None:
        from negotiation.drafting.command import render_document
        from negotiation.storage import write_new

        name = FORMAT_NAMES[request.fmt]

        def progress(label: str, done: int) -> None:
            self.call_from_thread(self._export_progress, label, done)

        try:
            progress("Checking the session…", 1)
            if findings is None:
                from negotiation.checks import run_checks

                findings = run_checks(neg)
            progress(f"Rendering the {request.document} as {name}…", 2)
            rendered = render_document(neg, request.fmt, request.document, findings=findings,
                                       attribution=request.attribution,
                                       languages=list(request.languages))
            progress(f"Saving {request.path.name}…", 3)
            write_new(request.path, rendered.data, force=request.replace)
            progress("Done", 4)
        except LinkwrightError as error:
            self.call_from_thread(self._export_failed, str(error))
            return
        except Exception as error:  # a failed writer is reported, never a traceback
            self.call_from_thread(self._export_failed, f"{type(error).__name__}: {error}")
            return
        self.call_from_thread(self._export_done, request, rendered.summary)

    def _export_progress(self, label: str, done: int | None) -> None:
        if self.work_screen is not None and self.work_screen.is_attached:
            self.work_screen.export_progress(label, done)

    def _export_failed(self, cause: str) -> None:
        self._exporting = False
        self._export_progress("", None)
        self.notify(cause, severity="error", title="Export failed", timeout=12)

    def _export_done(self, request: ExportRequest, summary: str) -> None:
        self._exporting = False
        self._export_progress("", None)
        self.last_export = request.path.resolve()
        if self._exporting_for is not None:  # the session exported, even if another is open now
            self._exporting_for.last_export = self.last_export
        self.notify(
            f"{FORMAT_NAMES[request.fmt]} ({summary}) saved to {self.last_export}",
            title="Exported",
            timeout=10,
        )
        if self.work_screen is not None:
            draft = self.work_screen.pane("draft")
            draft._show_export_path()  # type: ignore[attr-defined]
