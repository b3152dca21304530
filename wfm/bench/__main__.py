"""Run the benchmarks: `python -m wfm.bench [stage ...]`."""

from __future__ import annotations

import importlib
import resource
import sys
import time

from wfm.bench import STAGES


def main(argv: list[str]) -> int:
    wanted = argv or STAGES
    unknown = [s for s in wanted if s not in STAGES]
    if unknown:
        print(f"Error: unknown bench stage(s): {', '.join(unknown)} (have: {', '.join(STAGES)})", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    for stage in wanted:
        try:
            module = importlib.import_module(f"wfm.bench.{stage}")
        except ModuleNotFoundError as exc:
            if exc.name == f"wfm.bench.{stage}":
                print(f"== {stage}: no benchmark yet\n")
                continue
            raise
        print(f"== {stage}")
        module.run()
        print()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"bench total {time.perf_counter() - t0:.1f} s, peak RSS {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
