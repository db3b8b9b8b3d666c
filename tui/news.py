"""What the other side moved since this user last looked at the session.

After a `merge` or an `import-docx`, the session holds the other delegations'
new positions. The user's own state (never the shared session file) keeps, per
session file, a digest of every other party's position on each provision as it
was last seen; opening the file compares, and the provisions whose positions
changed are marked in the step list until the user visits their topic. No
Textual here.
"""

from __future__ import annotations

import hashlib
import json

from negotiation.session import Session


def others_positions(session: Session) -> dict[str, str]:
    """Provision id -> a digest of the positions the other parties hold on it (all
    parties' when the file does not say whose it is)."""
    found: dict[str, list[str]] = {}
    for party, positions in sorted(session.positions.items()):
        if party == session.delegation:
            continue
        for provision, position in positions.items():
            dumped = json.dumps(position.model_dump(mode="json"), sort_keys=True)
            found.setdefault(provision, []).append(f"{party}={dumped}")
    return {provision: hashlib.sha256("\n".join(sorted(parts)).encode("utf-8")).hexdigest()
            for provision, parts in found.items()}


def moved_since(seen: dict[str, str] | None, now: dict[str, str]) -> set[str]:
    """The provisions whose other-side positions differ from what was seen; none the
    first time (nothing was seen, so nothing is news)."""
    if seen is None:
        return set()
    return {p for p in seen.keys() | now.keys() if seen.get(p) != now.get(p)}
