"""Benchmark of the terminal UI: prints figures, asserts nothing.

    python3 bench/bench_tui.py

1. Start-up to the first screen, in a fresh process (what `linkwright` and
   `linkwright open --preset eu-ch` cost a user): the first screen shown, and
   for the preset also the moment the session is on screen with its findings.
   Target: first screen < 1.5 s.
2. A key press that changes a choice, to the updated findings panel (Enter on
   a clause of the EU–Switzerland offsets provision, alternating clauses), over
   50 presses. Targets (issue 14): median < 50 ms, 95th percentile < 100 ms.
3. Resident memory after a full walk (preset, every step, the open questions
   answered, settled ones confirmed, the draft shown, a PDF exported), in a
   fresh process. Target: < 250 MB.

Each run uses temporary state and data folders, never the user's own.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"first screen": 1.5, "key to findings": 0.050, "key to findings p95": 0.100,
           "memory": 250}
PRESSES = 50

CHILD_PRELUDE = textwrap.dedent("""
    import asyncio, json, sys, time
    from pathlib import Path
    sys.path.insert(0, {root!r})
    T0 = {t0!r}
""")

STARTUP = textwrap.dedent("""
    from tui.places import Places
    from tui.launch import opening_for
    import argparse
    base = Path({base!r})
    places = Places(base / "state", base / "data")
    args = argparse.Namespace(session=None, preset={preset!r}, library=[])
    opening = opening_for(args, places)
    from tui.app import LinkwrightApp
    times = {{}}

    class Timed(LinkwrightApp):
        def on_mount(self):
            super().on_mount()
            self.call_after_refresh(lambda: times.setdefault("first", time.time() - T0))

    async def main():
        app = Timed(places, opening)
        async with app.run_test(size=(160, 48)) as pilot:
            while "first" not in times:
                await asyncio.sleep(0.005)
            if opening is not None:
                while not app.findings_shown:
                    await asyncio.sleep(0.005)
                await pilot.pause()
                times["ready"] = time.time() - T0
    asyncio.run(main())
    print(json.dumps(times))
""")

WALK = textwrap.dedent("""
    sys.path.insert(0, {tests!r})
    from tui.places import Places
    from tui.opening import Opening, open_preset_copy
    from tui.app import LinkwrightApp
    from tuihelp import opened, settle
    import os
    base = Path({base!r})
    os.chdir(base)
    places = Places(base / "state", base / "data")
    answers = {answers!r}

    def rss_mb():
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    async def main():
        opening = Opening("eu-ch", lambda: open_preset_copy(places, "eu-ch"), True).start()
        app = LinkwrightApp(places, opening)
        async with app.run_test(size=(160, 48)) as pilot:
            await opened(pilot, app)
            for key in ("3", "4", "5"):
                await pilot.press(key)
                await settle(pilot, app)
            for group in list(app.questions):
                app.work_screen.go_to("topics", group.topic.id)
                await settle(pilot, app)
            for provision, clause in answers.items():
                from negotiation import edits
                app.apply(lambda s, p=provision, c=clause: edits.set_decision(s, p, c))
                await settle(pilot, app)
            app.action_confirm_settled()
            await settle(pilot, app)
            for key in ("6", "7", "8"):
                await pilot.press(key)
                await settle(pilot, app)
            from tui.screens.modals import ExportRequest
            app.export(ExportRequest("pdf", "instrument", base / "walk.pdf", True))
            while app._exporting:
                await asyncio.sleep(0.05)
            await settle(pilot, app)
            assert (base / "walk.pdf").is_file()
            print(json.dumps({{"rss_mb": rss_mb()}}))
    asyncio.run(main())
""")


def child(code: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory() as home:
        env["XDG_STATE_HOME"] = str(Path(home) / "state")
        env["XDG_DATA_HOME"] = str(Path(home) / "data")
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
    if result.returncode != 0:
        raise SystemExit(f"benchmark child failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def startup(preset: str | None) -> dict:
    with tempfile.TemporaryDirectory() as base:
        t0 = time.time()
        code = CHILD_PRELUDE.format(root=str(ROOT), t0=t0) + STARTUP.format(
            base=base, preset=preset
        )
        return child(code)


def key_to_findings(rounds: int = PRESSES) -> list[float]:
    import asyncio

    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "tests" / "tui"))
    from textual.widgets import OptionList
    from tuihelp import opened, settle

    from tui.app import LinkwrightApp
    from tui.opening import Opening, open_preset_copy
    from tui.panes.topics import TopicsPane
    from tui.places import Places

    samples: list[float] = []

    async def main(base: Path) -> None:
        places = Places(base / "state", base / "data")
        opening = Opening("eu-ch", lambda: open_preset_copy(places, "eu-ch"), True).start()
        app = LinkwrightApp(places, opening)
        async with app.run_test(size=(160, 48)) as pilot:
            await opened(pilot, app)
            app.work_screen.go_to("topics", "offsets")
            await settle(pilot, app)
            card = app.work_screen.query_one(TopicsPane).cards()[0]
            listing = card.query_one(".clause-list", OptionList)
            listing.focus()
            clauses = ["offsets.quantity.none", "offsets.quantity.separate_limits"]
            for index in range(rounds):
                listing.highlighted = listing.get_option_index(clauses[index % 2])
                await settle(pilot, app)
                shown = app.findings_shown
                start = time.perf_counter()
                await pilot.press("enter")
                while app.findings_shown == shown:
                    await asyncio.sleep(0.001)
                samples.append(app.findings_shown_at - start)
                await settle(pilot, app)

    with tempfile.TemporaryDirectory() as base:
        asyncio.run(main(Path(base)))
    return samples


def walk_memory() -> float:
    answers = {
        "offsets.quantity": "offsets.quantity.none",
        "offset_quality.standards": "offset_quality.standards.harmonised_protocols",
        "offset_quality.eligible": "offset_quality.eligible.none",
        "market_stability.mechanism": "market_stability.mechanism.accept_partner",
        "mrv.offsets": "mrv.offsets.protocols_recognised",
    }
    with tempfile.TemporaryDirectory() as base:
        code = CHILD_PRELUDE.format(root=str(ROOT), t0=time.time()) + WALK.format(
            tests=str(ROOT / "tests" / "tui"), base=base, answers=answers
        )
        return child(code)["rss_mb"]


def percentile(samples: list[float], percent: float) -> float:
    """The nearest-rank percentile: the value `percent` % of the samples do not exceed."""
    ordered = sorted(samples)
    rank = max(1, -(-len(ordered) * percent // 100))  # ceiling, at least the first
    return ordered[int(rank) - 1]


def verdict(value: float, target: float) -> str:
    return "ok" if value < target else "OVER TARGET"


def main() -> None:
    blank = startup(None)
    preset = startup("eu-ch")
    print(
        f"start-up, `linkwright` (start screen):        first screen {blank['first']:.2f} s "
        f"(target < {TARGETS['first screen']} s: {verdict(blank['first'], 1.5)})"
    )
    print(
        f"start-up, `linkwright open --preset eu-ch`:  first screen {preset['first']:.2f} s "
        f"({verdict(preset['first'], 1.5)}); session with findings on screen "
        f"{preset['ready']:.2f} s"
    )
    samples = key_to_findings()
    median = statistics.median(samples)
    p95 = percentile(samples, 95)
    print(
        f"key press (choose a clause) -> findings panel updated, {len(samples)} presses: "
        f"median {1000 * median:.0f} ms (target < 50 ms: "
        f"{verdict(median, TARGETS['key to findings'])}), 95th percentile {1000 * p95:.0f} ms "
        f"(target < 100 ms: {verdict(p95, TARGETS['key to findings p95'])}), max "
        f"{1000 * max(samples):.0f} ms; load average {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} cores"
    )
    rss = walk_memory()
    print(
        f"resident memory after a full walk (to an exported PDF): {rss:.0f} MB "
        f"(target < {TARGETS['memory']} MB: {verdict(rss, TARGETS['memory'])})"
    )


if __name__ == "__main__":
    main()
