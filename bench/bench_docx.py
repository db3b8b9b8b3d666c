"""How long a DOCX takes: every preset, and a generated 150-article draft.

Prints figures (median of 3 runs, in-process): per preset, `build_draft`
plus `write_docx` (loading the preset is not counted); then the programmatic
draft of 150 articles x 3 paragraphs that the PDF bench also writes, which is
larger than any real linking instrument. Targets: under 1 s per preset,
under 3 s for 150 articles.

    python bench/bench_docx.py
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # the sibling bench_pdf

from bench_pdf import long_instrument

from negotiation.drafting.builder import build_draft
from negotiation.drafting.docx_writer import write_docx
from negotiation.session import load_preset

PRESETS = ["eu-ch", "ca-qc", "ca-qc-on", "au-eu", "eu-uk", "eu-ch-uk"]
RUNS = 3


def median_seconds(work: Callable[[], object]) -> tuple[float, object]:
    times, result = [], None
    for _ in range(RUNS):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    print(f"DOCX writer, median of {RUNS} runs, in-process")
    print(f"  {'draft':<28} {'build+write':>11} {'write only':>11} {'size':>8}")
    write_docx(build_draft(load_preset(PRESETS[0])))  # warm imports and caches
    for preset in PRESETS:
        neg = load_preset(preset)
        total, data = median_seconds(lambda neg=neg: write_docx(build_draft(neg)))
        draft = build_draft(neg)
        write, _ = median_seconds(lambda draft=draft: write_docx(draft))
        assert isinstance(data, bytes)
        flag = "" if total < 1.0 else "  over the 1 s target"
        print(f"  {preset:<28} {total * 1000:8.0f} ms {write * 1000:8.0f} ms "
              f"{len(data) / 1024:5.0f} KiB{flag}")
    draft = long_instrument()  # the same 150 articles as the PDF and Markdown benches
    write, data = median_seconds(lambda: write_docx(draft))
    assert isinstance(data, bytes)
    flag = "" if write < 3.0 else "  over the 3 s target"
    print(f"  {'generated: 150 articles x 3':<28} {'—':>11} {write * 1000:8.0f} ms "
          f"{len(data) / 1024:5.0f} KiB{flag}")


if __name__ == "__main__":
    main()
