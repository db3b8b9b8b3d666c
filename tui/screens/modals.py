"""Dialogs: small modal screens that ask one thing and return the answer.

Each is a `ModalScreen[T]` dismissed with its answer (or None when the user
escapes); the caller applies it. They hold no session logic.

Every dialog answers to the keyboard alone, the same way: it opens on what the
user acts on first, Tab follows what is shown (no invisible stop), Enter
submits (from a text field, a tick box or a list of choices alike: Space ticks,
the arrows choose) and Escape cancels.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    Checkbox,
    DirectoryTree,
    Input,
    Label,
    RadioButton,
    RadioSet,
    Select,
    SelectionList,
    Static,
    TextArea,
)

from negotiation.errors import LinkwrightError
from negotiation.library import Clause, Param
from negotiation.session import (
    ClauseChoice,
    Position,
    ProposedText,
    date_problem,
    year_problem,
)
from tui.formatting import edit_text, param_hint, parse_param


class Dialog(ModalScreen[Any]):
    """Escape cancels every dialog; Enter presses its main button (see `action_submit`)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog-cancel")
    ]

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_submit(self) -> None:
        """What Enter does where a widget would otherwise keep it (a tick box, a list
        of choices): the same as the dialog's main button."""
        for button in self.query("#ok, #yes").results(Button):
            button.press()
            return

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


class Tick(Checkbox):
    """A tick box in a dialog: Space ticks it, Enter submits the dialog (a tick box
    that swallowed Enter left the user pressing it with nothing happening)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "screen.submit", "Submit", show=False)
    ]


class ChoiceSet(RadioSet):
    """A list of choices in a dialog: the arrows choose (as in any dialog's radio
    group), Enter submits. Down then Enter on the formats exports the one moved to."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "screen.submit", "Submit", show=False)
    ]

    def _choose_selected(self) -> None:
        if self._selected is not None:
            button = self._nodes[self._selected]
            if isinstance(button, RadioButton) and not button.value:
                button.value = True

    def _move(self, step: Callable[[], None]) -> None:
        # RadioSet's own mount moves to the first choice: only a move once mounted (the
        # highlight set) chooses, or a dialog opened on another choice (the palette's
        # "Export the brief as DOCX", the version the Draft step shows) lost it.
        mounting = self._selected is None
        if not mounting and self._pressed_button is not None:
            self._selected = self.pressed_index  # move from the choice, not the first
        step()
        if not mounting:
            self._choose_selected()

    def action_next_button(self) -> None:
        self._move(super().action_next_button)

    def action_previous_button(self) -> None:
        self._move(super().action_previous_button)

    def on_focus(self) -> None:
        if self._pressed_button is not None:
            self._selected = self.pressed_index  # the highlight starts on the choice


# -- values -------------------------------------------------------------------------


class EditValueScreen(Dialog):
    """Edit one figure: returns the text typed (the caller parses it)."""

    def __init__(self, title: str, current: str, hint: str, note: str = "") -> None:
        super().__init__()
        self._title, self._current, self._hint, self._note = title, current, hint, note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(escape(self._title), classes="dialog-title")
            if self._note:
                yield Static(escape(self._note), classes="muted")
            yield Input(self._current, placeholder=self._hint, id="value")
            yield Static(escape(self._hint), classes="muted")
            with Horizontal(classes="buttons"):
                yield Button("Set", variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    @on(Input.Submitted, "#value")
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        self.dismiss(self.query_one("#value", Input).value)


class SourceScreen(Dialog):
    """The source note of a figure, for every party."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter,s", "cancel", "Close", id="source-close")
    ]

    def __init__(self, title: str, lines: list[str]) -> None:
        super().__init__()
        self._title, self._lines = title, lines

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(escape(self._title), classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                for line in self._lines:
                    yield Static(line, classes="source-line")
            with Horizontal(classes="buttons"):
                yield Button("Close", variant="primary", id="cancel")


class ConfirmScreen(Dialog):
    """A yes/no question; returns True for yes."""

    def __init__(self, question: str, yes: str = "Yes", no: str = "Cancel") -> None:
        super().__init__()
        self._question, self._yes, self._no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(escape(self._question), classes="dialog-title")
            with Horizontal(classes="buttons"):
                yield Button(self._yes, variant="primary", id="yes")
                yield Button(self._no, id="cancel")

    @on(Button.Pressed, "#yes")
    def _yes_pressed(self) -> None:
        self.dismiss(True)


# -- files ----------------------------------------------------------------------------


class ConflictScreen(Dialog):
    """The file changed on disk: reload, keep mine, or save as. Never silent."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "choose('reload')", "Reload", id="conflict-reload"),
        Binding("k", "choose('keep')", "Keep mine", id="conflict-keep"),
        Binding("a", "choose('save-as')", "Save as", id="conflict-save-as"),
    ]

    def __init__(self, file_name: str, deleted: bool) -> None:
        super().__init__()
        self._file, self._deleted = file_name, deleted

    def compose(self) -> ComposeResult:
        what = "was deleted or moved" if self._deleted else "was changed on disk by someone else"
        with Vertical(classes="dialog"):
            yield Static(
                f"{escape(self._file)} {what} since you opened it.", classes="dialog-title"
            )
            yield Static(
                "Your last change is not saved yet. Reload the file (your change "
                "is dropped), keep yours (it replaces theirs; the old file stays "
                "as .bak), or save yours to another file.",
                classes="muted",
            )
            with Horizontal(classes="buttons"):
                if not self._deleted:
                    yield Button("Reload (r)", id="reload")
                yield Button("Keep mine (k)", variant="warning", id="keep")
                yield Button("Save as… (a)", variant="primary", id="save-as")

    def action_cancel(self) -> None:
        self.app.bell()  # a decision is needed: nothing is saved until one is made

    def action_choose(self, what: str) -> None:
        if what == "reload" and self._deleted:
            return
        self.dismiss(what)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id in ("reload", "keep", "save-as"):
            event.stop()
            self.dismiss(event.button.id)


@dataclass(frozen=True)
class SaveAsAnswer:
    path: Path
    replace: bool


class SaveAsScreen(Dialog):
    def __init__(self, suggested: Path, title: str = "Save the session as") -> None:
        super().__init__()
        self._suggested, self._title = suggested, title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(self._title, classes="dialog-title")
            yield Input(str(self._suggested), id="path")
            yield Tick("Replace the file if it exists", id="replace")
            yield Static("", id="save-problem", classes="problem")
            with Horizontal(classes="buttons"):
                yield Button("Save", variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        text = self.query_one("#path", Input).value.strip()
        if not text:
            self.query_one("#save-problem", Static).update("name a file")
            return
        self.dismiss(
            SaveAsAnswer(Path(text).expanduser(), self.query_one("#replace", Checkbox).value)
        )


class _YamlTree(DirectoryTree):
    def filter_paths(self, paths: Any) -> Any:
        return [
            p
            for p in paths
            if not p.name.startswith(".") and (p.is_dir() or p.suffix.lower() in (".yaml", ".yml"))
        ]


class OpenFileScreen(Dialog):
    """Type a path, or pick a session file from the folder tree.

    Given `load`, the dialog opens the file itself (in a thread) and returns what
    `load` returns; a file that cannot be opened leaves the dialog open with the
    reason in it, so the next keys still land here. Without `load`, it returns the
    path of an existing file."""

    def __init__(self, folder: Path, load: Callable[[Path], Any] | None = None) -> None:
        super().__init__()
        self._folder = folder
        self._load = load

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide tall"):
            yield Static("Open a session file", classes="dialog-title")
            yield Input(placeholder="path/to/session.yaml", id="path")
            yield Static("", id="open-problem", classes="problem")
            yield _YamlTree(self._folder, id="tree")
            with Horizontal(classes="buttons"):
                yield Button("Open", variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    @on(DirectoryTree.FileSelected)
    def _picked(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self._open(Path(event.path))

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        text = self.query_one("#path", Input).value.strip()
        if not text:
            self._problem("type the path of a session file, or pick one below")
            return
        self._open(Path(text).expanduser())

    def _problem(self, text: str) -> None:
        self.query_one("#open-problem", Static).update(escape(text))

    def _open(self, path: Path) -> None:
        from tui.opening import file_problem

        problem = file_problem(path)
        if problem is not None:
            self._problem(problem)
            self.query_one("#path", Input).focus()
            return
        if self._load is None:
            self.dismiss(path)
            return
        self._problem(f"opening {path.name}…")
        self._opening(path)

    @work(thread=True, exclusive=True, group="open-file", exit_on_error=False)
    def _opening(self, path: Path) -> None:
        assert self._load is not None
        try:
            opened = self._load(path)
        except LinkwrightError as error:
            self.app.call_from_thread(self._failed, f"{path.name}: {error}")
            return
        except Exception as error:  # a file that breaks the loader is still only a message
            self.app.call_from_thread(self._failed, f"{path.name}: {type(error).__name__}: "
                                                    f"{error}")
            return
        self.app.call_from_thread(self._opened, opened)

    def _failed(self, why: str) -> None:
        if self.is_attached:
            self._problem(why)
            self.query_one("#path", Input).focus()

    def _opened(self, opened: Any) -> None:
        if self.is_attached and self.app.screen is self:
            self.dismiss(opened)


# -- export -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportRequest:
    fmt: str
    document: str
    path: Path
    replace: bool
    attribution: bool = True  # False: the instrument as a chair circulates it
    languages: tuple[str, ...] = ("en",)  # one version, or several side by side


FORMATS = (("pdf", "PDF"), ("docx", "Word (DOCX)"), ("md", "Markdown"))
DOCUMENTS = (
    # Short enough to be read whole beside the formats and the languages at 80 columns.
    ("instrument", "Draft instrument"),
    ("unattributed", "Chair's text (no names)"),
    ("status", "Status note (internal)"),
    ("brief", "Negotiator's brief"),
)
UNATTRIBUTED = "unattributed"
"""Not a document of its own: the instrument rendered with `attribution` off."""
SIDE_BY_SIDE = "side-by-side"
"""Not a language: every version in columns."""


class ExportScreen(Dialog):
    """Choose what to export and where; the path follows the choices until edited."""

    def __init__(
        self, folder: Path, stem: str, fmt: str = "pdf", document: str = "instrument",
        versions: Sequence[tuple[str, str]] = (), language: str = "en",
    ) -> None:
        super().__init__()
        self._folder, self._stem = folder, stem
        self._fmt, self._document = fmt, document
        self._path_edited = False
        # (code, name) of each language version the session renders besides English;
        # with any, the dialog offers them, and all of them side by side. `language`:
        # the one chosen first (the version the Draft step shows).
        self._versions = list(versions)
        self._language = language if language in {c for c, _ in self._versions} else "en"

    def _languages(self) -> tuple[str, ...]:
        if self._document not in ("instrument", UNATTRIBUTED):
            return ("en",)  # the brief and the status note are in the working language
        if self._language == SIDE_BY_SIDE:
            return ("en", *(code for code, _ in self._versions))
        return (self._language,)

    def _suggested(self) -> Path:
        suffix = "" if self._document == "instrument" else f"-{self._document}"
        languages = self._languages()
        if languages != ("en",):
            suffix += "-" + "-".join(languages)
        return self._folder / f"{self._stem}{suffix}.{self._fmt}"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static("Export", classes="dialog-title")
            with Horizontal(classes="choices"):
                with ChoiceSet(id="fmt"):
                    for key, label in FORMATS:
                        yield RadioButton(label, value=key == self._fmt, name=key)
                with ChoiceSet(id="document"):
                    for key, label in DOCUMENTS:
                        yield RadioButton(label, value=key == self._document, name=key)
                if self._versions:
                    with ChoiceSet(id="language"):
                        yield RadioButton("English", value=self._language == "en", name="en")
                        for code, name in self._versions:
                            yield RadioButton(name, value=code == self._language, name=code)
                        yield RadioButton("Side by side", name=SIDE_BY_SIDE)
            yield Label("Save to")
            yield Input(str(self._suggested()), id="path")
            yield Tick("Replace the file if it exists", id="replace")
            with Horizontal(classes="buttons"):
                yield Button("Export", variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        # On the formats, not the button: Down + Enter means "the next format, export".
        self.query_one("#fmt", ChoiceSet).focus()

    @on(RadioSet.Changed)
    def _changed(self, event: RadioSet.Changed) -> None:
        key = event.pressed.name or ""
        if event.radio_set.id == "fmt":
            self._fmt = key
        elif event.radio_set.id == "language":
            self._language = key
        else:
            self._document = key
        if not self._path_edited:
            with self.prevent(Input.Changed):
                self.query_one("#path", Input).value = str(self._suggested())

    @on(Input.Changed, "#path")
    def _edited(self, event: Input.Changed) -> None:
        self._path_edited = event.value != str(self._suggested())

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        text = self.query_one("#path", Input).value.strip()
        if not text:
            return
        unattributed = self._document == UNATTRIBUTED
        self.dismiss(
            ExportRequest(
                self._fmt,
                "instrument" if unattributed else self._document,
                Path(text).expanduser(),
                self.query_one("#replace", Checkbox).value,
                attribution=not unattributed,
                languages=self._languages(),
            )
        )


# -- positions and conditions ------------------------------------------------------------


class PositionScreen(Dialog):
    """What one party supports for one provision: a clause with values, or its own text.

    Returns a `Position`, the string "withdraw", or None (cancelled)."""

    OWN_TEXT = "__own_text__"

    def __init__(
        self,
        party_name: str,
        provision_title: str,
        clauses: list[Clause],
        current: Position | None,
        currency: str,
        proposed: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        super().__init__()
        self._party, self._provision = party_name, provision_title
        self._clauses = {c.id: c for c in clauses}
        self._current = current
        self._currency = currency
        # Clause id -> the values to propose where the party has stated none: the
        # session's, so that the dialog never offers a library default it overrode.
        self._proposed = proposed or {}

    def _initial(self) -> str:
        if isinstance(self._current, ProposedText):
            return self.OWN_TEXT
        if isinstance(self._current, ClauseChoice) and self._current.clause in self._clauses:
            return self._current.clause
        return next(iter(self._clauses), self.OWN_TEXT)

    def compose(self) -> ComposeResult:
        options = [(c.title, cid) for cid, c in self._clauses.items()]
        options.append(("Its own proposed text", self.OWN_TEXT))
        with Vertical(classes="dialog wide tall"):
            yield Static(
                f"{escape(self._party)}'s position on {escape(self._provision)}",
                classes="dialog-title",
            )
            yield Select(options, value=self._initial(), allow_blank=False, id="clause")
            # Not a Tab stop of its own: Tab goes from the clause to its first value.
            yield VerticalScroll(id="position-params", can_focus=False)
            yield TextArea(
                self._current.text if isinstance(self._current, ProposedText) else "",
                id="own-text",
                soft_wrap=True,
            )
            yield Static("", id="position-problem", classes="problem")
            with Horizontal(classes="buttons"):
                yield Button("Set", variant="primary", id="ok")
                yield Button("Withdraw", variant="warning", id="withdraw")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self._show_params(self._initial())

    def _show_params(self, choice: str) -> None:
        box = self.query_one("#position-params", VerticalScroll)
        box.remove_children()
        own = choice == self.OWN_TEXT
        self.query_one("#own-text", TextArea).display = own
        box.display = not own
        if own:
            return
        clause = self._clauses[choice]
        given = (
            self._current.params
            if isinstance(self._current, ClauseChoice) and self._current.clause == choice
            else {}
        )
        proposed = self._proposed.get(choice, {})
        widgets = []
        for name, param in clause.params.items():
            value = given[name] if name in given else proposed.get(name, param.default)
            widgets.append(Label(escape(param.label or name)))
            widgets.append(
                Input(
                    edit_text(value),
                    placeholder=param_hint(param, self._currency),
                    id=f"pp-{name}",
                    classes="param-input",
                )
            )
        if not widgets:
            widgets.append(Static("This clause takes no values.", classes="muted"))
        # A fresh container: the old inputs (same ids) may not be gone yet.
        box.mount(Vertical(*widgets, classes="param-group"))

    @on(Select.Changed, "#clause")
    def _clause_changed(self, event: Select.Changed) -> None:
        self._show_params(str(event.value))

    @on(Button.Pressed, "#withdraw")
    def _withdraw(self) -> None:
        self.dismiss("withdraw")

    @on(Input.Submitted, ".param-input")
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        choice = str(self.query_one("#clause", Select).value)
        problem = self.query_one("#position-problem", Static)
        if choice == self.OWN_TEXT:
            text = self.query_one("#own-text", TextArea).text.strip()
            if not text:
                problem.update("write the party's proposed text")
                return
            self.dismiss(ProposedText(text=text))
            return
        clause = self._clauses[choice]
        params: dict[str, Any] = {}
        for name, param in clause.params.items():
            value, why = parse_param(param, self.query_one(f"#pp-{name}", Input).value)
            if why:
                problem.update(f"{escape(param.label or name)}: {escape(why)}")
                return
            # Every value shown is the party's: one left out would fall back to a
            # profile figure or a library default the party never saw here.
            params[name] = value
        self.dismiss(ClauseChoice(clause=choice, params=params))


@dataclass(frozen=True)
class ConditionAnswer:
    party: str
    what: str
    by: dt.date | None


class ConditionScreen(Dialog):
    def __init__(self, parties: list[tuple[str, str]]) -> None:
        super().__init__()
        self._parties = parties

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static("Add a pre-linking condition", classes="dialog-title")
            yield Select(
                [(name, pid) for pid, name in self._parties],
                value=self._parties[0][0],
                allow_blank=False,
                id="party",
            )
            yield Input(placeholder="what the party must do before the link operates", id="what")
            yield Input(placeholder="by (YYYY-MM-DD, optional)", id="by")
            yield Static("", id="condition-problem", classes="problem")
            with Horizontal(classes="buttons"):
                yield Button("Add", variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        # On what the party must do: the party is chosen already (shift+Tab changes it).
        self.query_one("#what", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        what = self.query_one("#what", Input).value.strip()
        by_text = self.query_one("#by", Input).value.strip()
        problem = self.query_one("#condition-problem", Static)
        if not what:
            problem.update("say what the party must do")
            return
        by = None
        if by_text:
            try:
                by = dt.date.fromisoformat(by_text)
            except ValueError:
                problem.update("enter the date as YYYY-MM-DD, or leave it empty")
                return
            if (why := date_problem(by)) is not None:  # the words the loader would use
                problem.update(escape(why))
                return
        self.dismiss(ConditionAnswer(str(self.query_one("#party", Select).value), what, by))


# -- a new blank session -------------------------------------------------------------------


@dataclass(frozen=True)
class BlankAnswer:
    systems: list[str]
    title: str
    year: int | None


class NewSessionScreen(Dialog):
    """Pick two or more systems for a blank session."""

    def __init__(self, systems: list[tuple[str, str]]) -> None:
        super().__init__()
        self._systems = systems

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide tall"):
            yield Static(
                "New session: pick the parties' systems (space to tick)", classes="dialog-title"
            )
            yield SelectionList[str](*[(label, sid) for sid, label in self._systems], id="systems")
            # Side by side, so the list of systems keeps its rows at 80×24.
            with Horizontal(id="new-fields"):
                yield Input(placeholder="title (optional)", id="title")
                yield Input(placeholder="year of the figures (e.g. 2025)", id="year")
            yield Static("", id="new-problem", classes="problem")
            with Horizontal(classes="buttons"):
                yield Button("Create", variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    @on(Button.Pressed, "#ok")
    @on(Input.Submitted)
    def _ok(self) -> None:
        chosen = list(self.query_one("#systems", SelectionList).selected)
        problem = self.query_one("#new-problem", Static)
        if len(chosen) < 2:
            problem.update("tick at least two systems")
            return
        year_text = self.query_one("#year", Input).value.strip()
        year = None
        if year_text:
            if not (year_text.isascii() and year_text.isdigit()) or len(year_text) > 6:
                problem.update("the year is a number such as 2025")
                return
            if (why := year_problem(int(year_text))) is not None:
                problem.update(escape(why))
                return
            year = int(year_text)
        self.dismiss(BlankAnswer(chosen, self.query_one("#title", Input).value.strip(), year))


def param_widgets(name: str, param: Param, value: Any, currency: str) -> list[Any]:
    """Label and input for one clause parameter (shared with the topic cards)."""
    return [
        Label(escape(param.label or name)),
        Input(
            edit_text(value),
            placeholder=param_hint(param, currency),
            id=f"param-{name}",
            classes="param-input",
        ),
    ]


# -- editing a pre-linking condition -------------------------------------------------------


class EditConditionScreen(ConditionScreen):
    """The condition dialog, filled in with an existing condition: a new date or wording
    is a change to that condition (undoable), not a removal and a new one."""

    def __init__(self, parties: list[tuple[str, str]], party: str, what: str,
                 by: dt.date | None) -> None:
        super().__init__(parties)
        self._current = (party, what, by)

    def on_mount(self) -> None:
        party, what, by = self._current
        self.query_one(".dialog-title", Static).update("Edit the pre-linking condition")
        if any(pid == party for pid, _ in self._parties):
            self.query_one("#party", Select).value = party
        self.query_one("#what", Input).value = what
        self.query_one("#by", Input).value = by.isoformat() if by else ""
        self.query_one("#ok", Button).label = "Save"
        self.query_one("#what", Input).focus()


# -- one finding in full ---------------------------------------------------------------------


class FindingScreen(Dialog):
    """A finding in full: where, the whole message, the parties it concerns, its fixes.
    The findings panel shows one line per finding at 80 columns; Enter on one opens
    this. Enter goes to its topic; 1–9 applies the fix of that number (each is read
    here, by name, before it is picked); Escape closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(str(n), f"pick({n})", f"Apply fix {n}", show=False, id=f"finding-fix-{n}")
          for n in range(1, 10)),
    ]

    SEVERITY: ClassVar[dict[str, str]] = {"error": "Error", "warning": "Warning",
                                          "info": "Information"}

    def __init__(self, finding: Any, where: str, parties: list[str], fixes: list[str],
                 detail: str) -> None:
        super().__init__()
        self._finding, self._where, self._parties = finding, where, parties
        self._fixes, self._detail = fixes, detail

    def compose(self) -> ComposeResult:
        finding = self._finding
        kind = self.SEVERITY.get(finding.severity, finding.severity)
        with Vertical(classes="dialog wide", id="finding-dialog"):
            yield Static(f"{kind}: {escape(self._where)}", classes="dialog-title")
            with VerticalScroll(classes="dialog-body", id="finding-body"):
                yield Static(escape(finding.message), id="finding-message")
                if finding.acknowledged is not None:
                    yield Static(f"[dim]Acknowledged: {escape(finding.acknowledged)}[/dim]")
                if self._parties:
                    yield Static(f"[b]Parties:[/b] {escape(', '.join(self._parties))}",
                                 classes="section")
                if self._fixes:
                    lines = [f"[b $text-success]{n}[/] {escape(label)}"
                             for n, label in enumerate(self._fixes, start=1)]
                    yield Static("[b]Fixes[/b] (the number applies it)\n" + "\n".join(lines),
                                 classes="section", id="finding-fixes")
                else:
                    yield Static("No automatic fix: decide it in its topic.",
                                 classes="section muted", id="finding-fixes")
                yield Static(f"[dim]{escape(self._detail)}[/dim]", classes="section")
            with Horizontal(classes="buttons"):
                yield Button("Go to the topic", variant="primary", id="topic")
                yield Button("Close (Esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#topic", Button).focus()

    @on(Button.Pressed, "#topic")
    def _topic(self) -> None:
        self.dismiss("topic")

    def action_pick(self, number: int) -> None:
        if 1 <= number <= len(self._fixes):
            self.dismiss(f"fix-{number}")
        else:
            self.app.bell()
