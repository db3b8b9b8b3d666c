"""Exchange between delegations: what one party tables, and bringing the other side's in.

A session holds one delegation's view of the negotiation: its internal notes, the
findings it chose to live with, and its reading of every party's position. What
crosses the table is less: a party's own positions and proposals on the shared
text. `export_positions` cuts a session down to that; `merge` brings such a file
from the other side into ours, and `apply_proposals` does the same for proposals read
from their Word mark-up (`drafting.docx_import`).

Their file is untrusted input: it goes through the one session loader (which checks
every id, value and path), only their own positions are taken from it, each one is
checked against our library before it is taken, and their text reaches the terminal
through `visible`. What we hold of our own delegation is never overwritten.

A three-way merge needs the text both sides started from: the last closed round
(`rounds/N/` beside the session) or `--base`. Without one, their tabled positions
simply replace our reading of them, and nothing can conflict.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from negotiation.errors import LinkwrightError, did_you_mean, visible
from negotiation.rounds import ROUNDS  # the folder of closed rounds beside a session
from negotiation.session import (
    ClauseChoice,
    Decision,
    Negotiation,
    Position,
    ProposedText,
    Session,
    value_problem,
)

Kind = Literal["new", "changed", "conflict", "kept", "skipped"]


@dataclass(frozen=True)
class Change:
    """What bringing in one of their positions does (or would do) to our session."""

    provision: str
    kind: Kind
    theirs: Position | None
    ours: Position | None  # our reading of their position before the merge
    why: str = ""

    @property
    def applied(self) -> bool:
        return self.kind in ("new", "changed")


# -- what a party tables -------------------------------------------------------------


def tabled_by(session: Session, party: str) -> Session:
    """The session as `party` tables it: the shared text (parties, form, linkage,
    decisions, conditions) and that party's positions and proposals; never internal
    notes, acknowledged findings with their notes, other parties' positions as we
    read them, or the round we compare with (a path of ours)."""
    _known_party(session, party)
    own = session.positions.get(party)
    return session.model_copy(update={
        "positions": {party: dict(own)} if own else {},
        "notes": "",
        "acknowledged": [],
        "delegation": party,
        "previous": None,
    })


def _known_party(session: Session, party: str) -> None:
    ids = [p.id for p in session.parties]
    if party not in ids:
        raise LinkwrightError(f"'{party}' is not a party of this session"
                              + did_you_mean(party, ids) + f"; its parties: {', '.join(ids)}")


# -- bringing theirs in --------------------------------------------------------------


def their_party(theirs: Session, ours: Session, named: str | None) -> str:
    """Whose positions to take: `--party`, else whose file theirs says it is, else the
    one party it holds positions of."""
    party = named or (theirs.delegation if theirs.delegation != "chair" else None)
    if party is None:
        held = [p for p, by in theirs.positions.items() if by]
        if len(held) != 1:
            raise LinkwrightError("their file does not say whose it is (`delegation:`) and "
                                  f"holds positions of {len(held)} parties: name the party "
                                  "with --party")
        party = held[0]
    _known_party(ours, party)
    if party == ours.delegation:
        raise LinkwrightError(f"'{party}' is our own delegation (`delegation:` of the "
                              "session): its positions are ours and are never overwritten")
    return party


def merge(ours: Negotiation, theirs: Session, party: str,
          base: Session | None) -> list[Change]:
    """What taking `party`'s tabled positions from `theirs` would do, provision by
    provision, in our library's order.

    New proposals and changed positions are taken in. With a `base` (the round both
    sides started from): a position they did not move since the base while we changed
    our reading of it keeps ours; one both sides moved since the base (they changed
    their position, we changed the decision, our own position or our reading of
    theirs) is a conflict, listed and left for the negotiator."""
    session = ours.session
    held = session.positions.get(party, {})
    changes = []
    for pid, position in _in_order(ours, theirs.positions.get(party, {})):
        current = held.get(pid)
        problem = _unusable(ours, pid, position)
        if problem is not None:
            changes.append(Change(pid, "skipped", position, current, problem))
            continue
        if current == position:
            continue
        if base is not None:
            before = base.positions.get(party, {}).get(pid)
            they_moved = position != before
            we_moved = current != before or _we_moved(session, base, pid)
            if not they_moved:
                changes.append(Change(pid, "kept", position, current,
                                      "they did not move since the base; we changed our "
                                      "reading of it"))
                continue
            if we_moved:
                changes.append(Change(pid, "conflict", position, current,
                                      "both sides changed it since the base"))
                continue
        changes.append(Change(pid, "new" if current is None else "changed", position, current))
    return changes


def _we_moved(ours: Session, base: Session, pid: str) -> bool:
    """Whether our side changed `pid` since the base: its decision, or our delegation's
    own position on it."""
    if _decided(ours.provisions.get(pid)) != _decided(base.provisions.get(pid)):
        return True
    own = ours.delegation
    return bool(own) and (ours.positions.get(own, {}).get(pid)
                          != base.positions.get(own, {}).get(pid))


def _decided(value: Decision | None) -> Decision:
    return "open" if value is None else value


def _in_order(ours: Negotiation, positions: dict[str, Position]) -> list[tuple[str, Position]]:
    order = {pid: index for index, pid in enumerate(ours.library.provisions)}
    return sorted(positions.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))


def _unusable(ours: Negotiation, pid: str, position: Position) -> str | None:
    """Why their position cannot stand in our session (their library may hold clauses
    ours lacks), or None. The loader would refuse the merged file for the same reason."""
    if pid not in ours.library.provisions:
        return "our library has no such provision"
    if not isinstance(position, ClauseChoice):
        return None
    clause = ours.library.clauses.get(position.clause)
    if clause is None or clause.provision != pid:
        return f"our library has no clause {position.clause} for it"
    for name, value in position.params.items():
        if name not in clause.params:
            return f"clause {clause.id} has no parameter {name} in our library"
        problem = value_problem(clause.params[name], value)
        if problem is not None:
            return f"{name} {problem}"
    return None


def apply(session: Session, party: str, changes: Iterable[Change]) -> Session:
    """Our session with the applied changes' positions given to `party`; nothing else
    of it touched."""
    positions = {p: dict(by) for p, by in session.positions.items()}
    theirs = positions.setdefault(party, {})
    for change in changes:
        if change.applied and change.theirs is not None:
            theirs[change.provision] = change.theirs
    return session.model_copy(update={"positions": positions})


def proposals_as_changes(ours: Negotiation, party: str,
                         proposals: dict[str, str]) -> list[Change]:
    """Proposed texts (provision -> text) as changes to `party`'s positions."""
    held = ours.session.positions.get(party, {})
    changes = []
    for pid, text in _in_order(ours, {p: ProposedText(text=t) for p, t in proposals.items()}):
        current = held.get(pid)
        if current != text:
            changes.append(Change(pid, "new" if current is None else "changed", text, current))
    return changes


# -- the round both sides started from -----------------------------------------------


def base_session(session_path: Path, given: str | None) -> tuple[Session | None, str]:
    """The session of the common base and how to name it: `--base` (a round number, a
    closed round's folder or a session file), else the last closed round beside the
    session, else none."""
    if given is not None:
        where = Path(given)
        if given.isdigit():
            where = session_path.parent / ROUNDS / given
        return _read_base(_round_file(where, session_path)), given
    rounds = session_path.parent / ROUNDS
    closed = sorted((int(p.name), p) for p in _folders(rounds) if p.name.isdigit())
    if not closed:
        return None, "none (no closed round beside the session)"
    number, folder = closed[-1]
    return _read_base(_round_file(folder, session_path)), f"{ROUNDS}/{number}"


def _folders(where: Path) -> list[Path]:
    try:
        return [p for p in where.iterdir() if p.is_dir()]
    except FileNotFoundError:
        return []
    except OSError as error:
        raise LinkwrightError(f"cannot list the closed rounds: {error.strerror or error}",
                              where) from None


def _round_file(where: Path, session_path: Path) -> Path:
    """The session a closed round holds (`round close` writes it as session.yaml), else
    the file named like ours, else its one YAML."""
    from negotiation.rounds import SESSION_FILE

    if where.is_file():
        return where
    if not where.is_dir():
        raise LinkwrightError("no such round or session file for --base", where)
    for named in (where / SESSION_FILE, where / session_path.name):
        if named.is_file():
            return named
    files = sorted(p for p in where.glob("*.yaml") if p.is_file())
    if len(files) != 1:
        raise LinkwrightError(f"the round holds {len(files)} session files; name one with "
                              "--base FILE", where)
    return files[0]


def _read_base(path: Path) -> Session:
    from negotiation.yamlload import read_file, validate

    return validate(Session, read_file(path))


# -- what the negotiator reads -----------------------------------------------------------


def describe(position: Position | None) -> str:
    """A position on one line, every value made `visible` (their text is untrusted)."""
    if position is None:
        return "nothing"
    if isinstance(position, ProposedText):
        return f'text "{visible(" ".join(position.text.split()))}"'
    values = ", ".join(f"{visible(k)}: {visible(str(v))}" for k, v in position.params.items())
    return f"clause {visible(position.clause)}" + (f" ({values})" if values else "")


def report(changes: list[Change], party: str, written: bool) -> list[str]:
    """The lines printed after a merge or an import: one per change, then a count."""
    lines = []
    for change in changes:
        head = f"  {change.kind:<9}{visible(change.provision)}: "
        if change.kind in ("new", "changed"):
            was = f" (was {describe(change.ours)})" if change.ours is not None else ""
            lines.append(f"{head}{describe(change.theirs)}{was}")
        elif change.kind == "conflict":
            lines.append(f"{head}{change.why}; kept ours, {describe(change.ours)}; "
                         f"they table {describe(change.theirs)}")
        else:
            lines.append(f"{head}{visible(change.why)}; not taken: {describe(change.theirs)}")
    taken = sum(c.applied for c in changes)
    conflicts = sum(c.kind == "conflict" for c in changes)
    verb = "took" if written else "would take"
    lines.append(f"{verb} {taken} position(s) of {visible(party)}; {conflicts} conflict(s)"
                 + ("" if written else " (dry run: nothing written; --write to save)"))
    return lines


# -- commands --------------------------------------------------------------------------


def export_command(args: argparse.Namespace) -> int:
    from negotiation.cli import EXIT_OK, say
    from negotiation.session import dump_session, load_session
    from negotiation.storage import write_new

    neg = load_session(args.session)
    tabled = tabled_by(neg.session, args.party)
    write_new(args.output, dump_session(tabled), force=args.force)
    count = len(tabled.positions.get(args.party, {}))
    say(f"wrote {visible(str(args.output))} ({count} position(s) of {visible(args.party)}, "
        "no internal notes)")
    return EXIT_OK


def merge_command(args: argparse.Namespace) -> int:
    from negotiation.cli import EXIT_OK, say
    from negotiation.session import load_session, save_session

    ours = load_session(args.session)
    theirs = load_session(args.theirs).session
    party = their_party(theirs, ours.session, args.party)
    base, named = base_session(args.session, args.base)
    changes = merge(ours, theirs, party, base)
    say(f"merge of {visible(str(args.theirs))} into {visible(str(args.session))} "
        f"(positions of {visible(party)}; base: {visible(named)})")
    if args.write and any(c.applied for c in changes):
        save_session(_checked(ours, apply(ours.session, party, changes)), args.session)
    for line in report(changes, party, args.write):
        say(line)
    return EXIT_OK


def _checked(ours: Negotiation, merged: Session) -> Session:
    """The merged session, loaded once as the file will be before it replaces ours."""
    from negotiation.session import assemble

    folder = ours.path.parent if ours.path else None
    assemble(merged, None, folder)
    return merged


def import_docx_command(args: argparse.Namespace) -> int:
    from negotiation.cli import EXIT_OK, say
    from negotiation.drafting.docx_import import read_markup
    from negotiation.session import load_session, save_session

    ours = load_session(args.session)
    _known_party(ours.session, args.party)
    if args.party == ours.session.delegation:
        raise LinkwrightError(f"'{args.party}' is our own delegation: name the party whose "
                              "mark-up this is")
    markup = read_markup(args.docx, ours.library.provisions)
    changes = proposals_as_changes(ours, args.party, markup.proposals)
    say(f"mark-up of {visible(str(args.docx))} as proposals of {visible(args.party)}")
    if args.write and changes:
        save_session(_checked(ours, apply(ours.session, args.party, changes)), args.session)
    for line in report(changes, args.party, args.write):
        say(line)
    for where, text in markup.unplaced:
        say(f"  unplaced {visible(where)}: \"{visible(text)}\"")
    if markup.unplaced:
        say(f"{len(markup.unplaced)} edit(s) could not be placed in a provision: "
            "carry them over by hand")
    return EXIT_OK
