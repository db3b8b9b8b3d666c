"""Benchmark: `linkwright compare` of two eu-ch rounds, whole process, md and docx.

Two rounds are written to a temporary folder (round 3 decides an open
provision, moves a position, changes a value and adds an article, so that later
articles renumber); each format is run as a fresh process, as a negotiator runs
it, a few times. Prints the best and median wall time per format; the target is
under a second for each.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.conftest import preset_data

RUNS = 5
TARGET = 1.0


def _rounds(folder: Path) -> tuple[Path, Path]:
    old = preset_data("eu-ch")
    old["round"] = {"number": 2, "date": "2017-06-12"}
    old["provisions"]["institutions.administrator"] = "open"
    old["positions"] = {"ch": {"termination.notice": {"clause": "termination.notice.fixed",
                                                      "params": {"months": 12}}}}
    new = yaml.safe_load(yaml.safe_dump(old))
    new["round"] = {"number": 3, "date": "2017-11-23"}
    new["provisions"]["institutions.administrator"] = {
        "clause": "institutions.administrator.none"}
    new["positions"]["ch"]["termination.notice"]["params"]["months"] = 9
    new["provisions"]["transparency.exchange"]["params"]["months"] = 5
    new["provisions"]["offsets.quantity"] = {"clause": "offsets.quantity.common_limit",
                                             "params": {"limit_pct": 5}}
    paths = folder / "round2.yaml", folder / "round3.yaml"
    for path, data in zip(paths, (old, new), strict=True):
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    return paths


def main() -> None:
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        old, new = _rounds(folder)
        print(f"compare of two eu-ch rounds, whole process, {RUNS} runs each "
              f"(target under {TARGET:.0f} s)")
        for fmt in ("md", "docx"):
            times = []
            for index in range(RUNS):
                out = folder / f"changes{index}.{fmt}"
                start = time.perf_counter()
                subprocess.run([sys.executable, "-m", "negotiation.cli", "compare", str(old),
                                str(new), "-o", str(out)], check=True, capture_output=True)
                times.append(time.perf_counter() - start)
            best, median = min(times), statistics.median(times)
            verdict = "ok" if median < TARGET else "over target"
            print(f"  {fmt:<5} best {best:.2f} s  median {median:.2f} s  "
                  f"({out.stat().st_size:,} bytes)  {verdict}")


if __name__ == "__main__":
    main()
