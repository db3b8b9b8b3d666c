"""A crash (kill -9) at any instant of a save leaves the old file or the new one, whole.

(a) Fault points: a child Python process sets `negotiation.storage.fault_hook` to
    SIGKILL itself at one point of the save (before-write, mid-write,
    before-fsync, before-rename, after-rename) while saving a large new session
    over an old one, with `atomic_write` and with `save_session`. Each point,
    several times.
(b) Random kills: a child saves two large versions A and B in turn, as fast as it
    can; the parent kills it with SIGKILL after a random delay drawn from a
    seeded `random.Random`. Hundreds of trials.

After every kill the target is exactly the old or the new bytes (a valid
session), the backup is whole, and a leftover temporary file (`.<name>.*.tmp`,
which a SIGKILL gives no chance to remove) never stands in for the target.
The counts are printed at the end.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

import negotiation
from negotiation.session import dump_session, validate_session_data
from negotiation.storage import FAULT_POINTS, backup_path
from negotiation.yamlload import parse_text
from tests.conftest import preset_data

ROOT = str(Path(negotiation.__file__).resolve().parents[1])
SEED = 20_260_611
RANDOM_TRIALS = 220
REPEATS = 3
LANES = 2  # children run side by side, one per core, each in its own folder

SUMMARY: Counter[str] = Counter()


def _session_bytes(label: str, seed: int) -> bytes:
    """A valid session of a few hundred kilobytes: long internal notes."""
    rng = random.Random(seed)
    words = ["allowance", "cap", "offset", "registry", "auction", "ceiling", "floor", "banking",
             "Québec", "Zürich", "verification", "surrender", "linking", "reserve", "—"]
    data = preset_data("ca-qc")
    data["notes"] = f"{label} " + " ".join(rng.choice(words) for _ in range(40_000))
    return dump_session(validate_session_data(data)).encode("utf-8")


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("versions")
    a, b = _session_bytes("VERSION-A", 1), _session_bytes("VERSION-B", 2)
    assert a != b and len(a) > 250_000 and len(b) > 250_000
    for name, data in (("A", a), ("B", b)):
        (folder / f"{name}.yaml").write_bytes(data)
        # each version is a session whose save is stable: re-saving gives the same bytes
        session = validate_session_data(parse_text(data.decode("utf-8"), name).data)
        assert dump_session(session).encode("utf-8") == data
    return {"A": a, "B": b, "folder": folder}


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": ROOT + os.pathsep + os.environ.get("PYTHONPATH", "")}


def _leftovers(folder: Path) -> list[Path]:
    """Temporary files of interrupted saves (of the target or of its backup)."""
    return sorted(folder.glob(".session.yaml.*tmp"))


# -- (a) a kill at each fault point ----------------------------------------------------------------

FAULT_CHILD = r"""
import os, signal, sys
from pathlib import Path
import negotiation.storage as storage

point, method, target, source = sys.argv[1:5]

def hook(at):
    if at == point:
        os.kill(os.getpid(), signal.SIGKILL)

storage.fault_hook = hook
data = Path(source).read_bytes()
if method == "atomic_write":
    storage.atomic_write(Path(target), data)
else:
    from negotiation.session import save_session, validate_session_data
    from negotiation.yamlload import parse_text
    save_session(validate_session_data(parse_text(data.decode("utf-8"), source).data),
                 Path(target))
sys.exit(3)  # never reached: the hook kills the process
"""

FAULT_CASES = [(point, method, repeat) for point in FAULT_POINTS
               for method in ("atomic_write", "save_session") for repeat in range(REPEATS)]


def _fault_run(case: tuple[str, str, int], base: Path, versions: dict[str, Any]) -> dict[str, Any]:
    point, method, repeat = case
    folder = base / f"{point}-{method}-{repeat}"
    folder.mkdir()
    target = folder / "session.yaml"
    target.write_bytes(versions["A"])
    child = subprocess.run(
        [sys.executable, "-c", FAULT_CHILD, point, method, str(target),
         str(versions["folder"] / "B.yaml")],
        env=_env(), capture_output=True, timeout=120, check=False)
    content = target.read_bytes() if target.exists() else None
    backup = backup_path(target)
    return {"case": case, "returncode": child.returncode, "stderr": child.stderr.decode(),
            "content": content, "backup": backup.read_bytes() if backup.exists() else None,
            "leftovers": _leftovers(folder),
            "others": sorted(p.name for p in folder.iterdir())}


def test_a_kill_at_each_fault_point_leaves_the_old_or_the_new_file(
        tmp_path: Path, versions: dict[str, Any]) -> None:
    with ThreadPoolExecutor(LANES) as pool:
        results = list(pool.map(lambda case: _fault_run(case, tmp_path, versions), FAULT_CASES))
    for result in results:
        point, _method, _ = result["case"]
        assert result["returncode"] == -signal.SIGKILL, (result["case"], result["stderr"])
        renamed = point == "after-rename"
        # the exact version each point must leave: the new one only once renamed
        assert result["content"] == (versions["B"] if renamed else versions["A"]), \
            result["case"]
        assert result["backup"] == versions["A"], result["case"]  # made before the kill
        assert len(result["leftovers"]) == (0 if renamed else 1), result["case"]
        expected = {"session.yaml", "session.yaml.bak", *(p.name for p in result["leftovers"])}
        assert set(result["others"]) == expected, result["case"]
        SUMMARY["fault-point kills"] += 1
        SUMMARY["fault-point: old file kept" if not renamed else "fault-point: new file"] += 1
        SUMMARY["fault-point: temp files left"] += len(result["leftovers"])
    # the target always parses as a session
    for data in (versions["A"], versions["B"]):
        validate_session_data(parse_text(data.decode("utf-8"), "target").data)


# -- (b) seeded random kills during a saving loop ------------------------------------------------

LOOP_CHILD = r"""
import os, sys
from pathlib import Path
from negotiation.storage import atomic_write

target, a_path, b_path = (Path(p) for p in sys.argv[1:4])
a, b = a_path.read_bytes(), b_path.read_bytes()
version = b if target.read_bytes() == a else a
os.write(1, b"ready\n")
saved = 0
while True:
    atomic_write(target, version)
    saved += 1
    os.write(1, b"saved %d\n" % saved)
    version = a if version is b else b
"""


def _random_trial(lane: int, delay: float, versions: dict[str, Any], folder: Path
                  ) -> dict[str, Any]:
    target = folder / "session.yaml"
    before = target.read_bytes()
    other = versions["B"] if before == versions["A"] else versions["A"]
    child = subprocess.Popen(
        [sys.executable, "-S", "-c", LOOP_CHILD, str(target),
         str(versions["folder"] / "A.yaml"), str(versions["folder"] / "B.yaml")],
        env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout is not None
    ready = child.stdout.readline()
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    out, err = child.communicate(timeout=60)
    saved = sum(1 for line in out.splitlines() if line.startswith(b"saved"))
    content = target.read_bytes() if target.exists() else None
    backup = backup_path(target)
    leftovers = _leftovers(folder)
    for path in leftovers:  # count them, then clear them for the next trial
        path.unlink()
    # saves alternate other/before/other/…: after `saved` whole saves the target holds
    # the last one, or, if the kill came after the rename of the next, that next one
    last = before if saved % 2 == 0 else other
    following = other if saved % 2 == 0 else before
    return {"lane": lane, "ready": ready, "returncode": child.returncode,
            "stderr": err.decode(errors="replace"), "saved": saved, "before": before,
            "content": content, "allowed": (last, following),
            "backup": backup.read_bytes() if backup.exists() else None,
            "leftovers": len(leftovers), "names": sorted(p.name for p in folder.iterdir())}


def _lane(lane: int, delays: list[float], versions: dict[str, Any], base: Path
          ) -> list[dict[str, Any]]:
    folder = base / f"lane-{lane}"
    folder.mkdir()
    (folder / "session.yaml").write_bytes(versions["A"])
    return [_random_trial(lane, delay, versions, folder) for delay in delays]


def test_seeded_random_kills_never_lose_the_session(tmp_path: Path,
                                                    versions: dict[str, Any]) -> None:
    rng = random.Random(SEED)
    # one save of A or B (backup + target, fsynced) takes a few milliseconds here:
    # the delays spread the kills over many saves and every step of a save
    delays = [rng.uniform(0.0, 0.06) for _ in range(RANDOM_TRIALS)]
    start = time.perf_counter()
    with ThreadPoolExecutor(LANES) as pool:
        lanes = list(pool.map(lambda lane: _lane(lane, delays[lane::LANES], versions, tmp_path),
                              range(LANES)))
    elapsed = time.perf_counter() - start
    results = [r for lane in lanes for r in lane]
    A, B = versions["A"], versions["B"]
    losses = []
    for r in results:
        assert r["ready"] == b"ready\n", r["stderr"]
        assert r["returncode"] == -signal.SIGKILL, r["stderr"]
        if r["content"] not in (A, B) or r["content"] not in r["allowed"]:
            losses.append(r)
            continue
        SUMMARY["random kills"] += 1
        SUMMARY["random: old file (unchanged by the trial)" if r["content"] == r["before"]
                else "random: new file"] += 1
        SUMMARY["random: target = A" if r["content"] == A else "random: target = B"] += 1
        SUMMARY["random: temp files left"] += r["leftovers"]
        SUMMARY["random: kills during the first save"] += r["saved"] == 0
        SUMMARY["random: whole saves before the kill"] += r["saved"]
        assert r["backup"] in (A, B, None)
        assert set(r["names"]) <= {"session.yaml", "session.yaml.bak"}
    SUMMARY["random: losses"] += len(losses)
    SUMMARY["random: seconds"] = round(elapsed)
    assert len(results) == RANDOM_TRIALS >= 200
    assert losses == [], [(r["lane"], r["saved"], r["content"] and r["content"][:40])
                          for r in losses]
    # the kills did land in the middle of saves, not only between them
    assert SUMMARY["random: temp files left"] > 0


def test_zz_print_the_kill_summary(capsys: pytest.CaptureFixture[str]) -> None:
    with capsys.disabled():
        print("\nkill-during-save summary:")
        for name, count in sorted(SUMMARY.items()):
            print(f"  {count:6d}  {name}")
        trials = SUMMARY["fault-point kills"] + SUMMARY["random kills"]
        losses = SUMMARY["random: losses"]
        print(f"  {trials:6d}  kills in all; losses: {losses}")
