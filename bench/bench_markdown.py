"""Markdown render times: each preset, a generated 150-article instrument, and the
whole process `linkwright render --format md`. Prints figures; asserts nothing.
Run from the repository root: `python bench/bench_markdown.py`. Target: under 50 ms.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from negotiation.drafting.builder import build_draft
from negotiation.drafting.markdown import write_markdown
from negotiation.session import load_preset

# Run as a script (`python bench/bench_markdown.py`) or as a module: find the sibling.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pdf import long_instrument

PRESETS = ["eu-ch", "ca-qc", "ca-qc-on", "au-eu", "eu-uk", "eu-ch-uk"]
ROOT = Path(__file__).resolve().parent.parent


def median_ms(work, runs: int = 15) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    print("Markdown, in-process build_draft + write_markdown, median of 15 (target < 50 ms)")
    for preset in PRESETS:
        neg = load_preset(preset)

        def work(neg=neg) -> None:  # type: ignore[no-untyped-def]
            neg.invalidate()
            write_markdown(build_draft(neg))

        print(f"  {preset:<9} {median_ms(work):6.1f} ms")
    draft = long_instrument(150)
    long_ms = median_ms(lambda: write_markdown(draft))
    print(f"  150 articles x 3 paragraphs (write_markdown) {long_ms:6.1f} ms")
    with tempfile.TemporaryDirectory() as folder:
        times = []
        for _ in range(5):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "negotiation.cli", "render", "--preset", "eu-ch",
                            "--format", "md", "-o", str(Path(folder) / "d.md"), "--force"],
                           cwd=ROOT, check=True, capture_output=True)
            times.append(time.perf_counter() - start)
    print(f"whole process `linkwright render --preset eu-ch --format md`: median "
          f"{statistics.median(times) * 1000:.0f} ms (of 5)")


if __name__ == "__main__":
    main()
