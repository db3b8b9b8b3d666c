"""How long the economics solver takes: two systems, and fifty with piecewise curves.

Prints figures (median of many in-process runs of `solve`, which includes
every system's autarky, the linked market, gains and notes): two systems
under each link type, then 50 systems with 8-point piecewise curves and
price features, fully linked, with a few pair restrictions (which third
systems route around), and with a newcomer held to quotas by every member
(two price zones). Targets: under 10 ms for two systems, under 200 ms for
fifty. No asserts: this prints, it does not judge.

    python bench/bench_economics.py
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from negotiation.economics import Scenario, solve

SEED = 20171123


def median_ms(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def two_systems(link: dict[str, Any]) -> Scenario:
    return Scenario.model_validate({
        "systems": [
            {"id": "a", "bau": 20, "cap": 9, "mac": {"intercept": 0, "slope": 200}},
            {"id": "b", "bau": 20, "cap": 10, "mac": {"intercept": 0, "slope": 100},
             "price_ceiling": 1200},
        ],
        "link": link,
    })


def piecewise_system(rng: random.Random, k: int) -> dict[str, Any]:
    bau = rng.uniform(5, 500)
    points, q, p = [[0.0, rng.uniform(0, 10)]], 0.0, 0.0
    p = points[0][1]
    for _ in range(7):
        q += rng.uniform(0.02, 0.2) * bau
        p += rng.uniform(1, 40)
        points.append([round(q, 3), round(p, 3)])
    system: dict[str, Any] = {"id": f"s{k:02d}", "bau": round(bau, 3),
                              "cap": round(bau * rng.uniform(0.7, 0.98), 3),
                              "mac": {"points": points}}
    if k % 7 == 0:
        system["price_ceiling"] = round(rng.uniform(150, 250), 2)
    if k % 5 == 1:
        system["reserve"] = {"volume": round(0.02 * bau, 3),
                             "trigger": round(rng.uniform(40, 90), 2)}
    if k % 6 == 2:
        system["price_floor"] = round(rng.uniform(5, 20), 2)
    if k % 4 == 3:
        system["offsets"] = {"limit": round(0.03 * bau, 3),
                             "supply": {"intercept": 5, "slope": rng.uniform(1, 10)}}
    return system


def fifty(restrictions: list[dict[str, Any]]) -> Scenario:
    rng = random.Random(SEED)
    systems = [piecewise_system(rng, k) for k in range(50)]
    # the last one is a large, cheap newcomer: quotas on its exports bind
    systems[-1].update(bau=400.0, cap=395.0, mac={"points": [[0, 0], [5, 0.5], [400, 80]]})
    return Scenario.model_validate({"systems": systems, "link": {"type": "full"},
                                    "restrictions": restrictions})


def main() -> None:
    print("two systems (median of 500 runs)")
    for link in ({"type": "full"}, {"type": "one_way", "from": "b", "to": "a"},
                 {"type": "quota", "into": "a", "limit": 2},
                 {"type": "exchange_rate", "from": "b", "to": "a", "rate": 0.5},
                 {"type": "fee", "per_tonne": 5}):
        scenario = two_systems(link)
        print(f"  {link['type']:<14} {median_ms(lambda s=scenario: solve(s), 500):7.2f} ms"
              "   (target < 10 ms)")
    few = [{"type": "quota", "from": "s01", "into": "s02", "limit": 1},
           {"type": "fee", "between": ["s03", "s04"], "per_tonne": 2},
           {"type": "one_way", "from": "s05", "to": "s06"}]
    newcomer = [{"type": "quota", "from": "s49", "into": f"s{k:02d}", "limit": 0.2}
                for k in range(49)]
    print("fifty systems, 8-point piecewise curves (median of 30 runs)")
    for label, restrictions in (("full link", []),
                                ("3 pair restrictions", few),
                                ("newcomer, 49 quotas", newcomer)):
        scenario = fifty(restrictions)
        result = solve(scenario)
        prices = sorted({round(s.price, 6) for s in result.systems})
        print(f"  {label:<20} {median_ms(lambda s=scenario: solve(s), 30):7.2f} ms"
              f"   (target < 200 ms; {len(prices)} price(s): "
              + ", ".join(f"{p:g}" for p in prices) + ")")


if __name__ == "__main__":
    main()
