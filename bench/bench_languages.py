"""Benchmark: the eu-ch side-by-side edition in English, French and German, to PDF and to
DOCX, whole process (`linkwright render SESSION --language en,fr,de -o x.pdf`), as a
negotiator runs it. Also the French version alone, for comparison with the English.

Each command runs as a fresh process a few times, alternating, after one run that
fills the user's cache (the parsed library and compiled templates), since that is the
state a negotiator's machine is in after the first command. Prints the best and
median wall time per command; the target is under 1.5 s for each edition.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from negotiation.session import preset_text

RUNS = 7
TARGET = 1.5
COMMANDS = {
    "en,fr,de side by side, pdf": ("en,fr,de", "pdf"),
    "en,fr,de side by side, docx": ("en,fr,de", "docx"),
    "fr alone, pdf": ("fr", "pdf"),
    "en alone, pdf": ("en", "pdf"),
}


def main() -> None:
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        session = folder / "eu-ch.yaml"
        session.write_text(preset_text("eu-ch"), "utf-8")
        env = {**os.environ}
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # byte code cached, as on a user's machine

        def run(languages: str, fmt: str, index: int) -> float:
            out = folder / f"x{index}.{fmt}"
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "negotiation.cli", "render", str(session),
                            "--language", languages, "-o", str(out), "--force"],
                           check=True, capture_output=True, env=env)
            return time.perf_counter() - start

        for languages, fmt in COMMANDS.values():  # warm the cache and the byte code
            run(languages, fmt, 0)
        times: dict[str, list[float]] = {name: [] for name in COMMANDS}
        for index in range(RUNS):
            for name, (languages, fmt) in COMMANDS.items():
                times[name].append(run(languages, fmt, index))
        print(f"eu-ch render, whole process, {RUNS} runs each, alternating "
              f"(target under {TARGET} s for each side-by-side edition)")
        for name, found in times.items():
            print(f"  {name:32s} best {min(found):.2f} s, median "
                  f"{statistics.median(found):.2f} s, worst {max(found):.2f} s")


if __name__ == "__main__":
    main()
