"""CP-SAT on the classic job-shop instances of bench/data/jssp (a benchmark tool, never a runtime
dependency): the textbook model (one interval per operation, routing order, AddNoOverlap per
machine, minimise the makespan), a time limit per instance, the gap against the best known upper
bound of bounds.tsv, (makespan − ub) / ub, as bench/jssp.ts reports Closeloop's.

    .venv/bin/python jssp.py [--seconds 10] [--workers 2] [--params "k:v,k:v"] [--only ta,la] [NAME ...]

Prints one line of JSON per instance, then one summary line per family (ft, la, ta) and overall.
"""
import argparse
import json
import os
import sys

from ortools.sat.python import cp_model

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "jssp")


def read_instance(path):
    nums = [int(x) for x in open(path).read().split()]
    jobs, machines = nums[0], nums[1]
    it = iter(nums[2:])
    return [[(next(it), next(it)) for _ in range(machines)] for _ in range(jobs)], machines


def read_bounds(path):
    out = {}
    for line in open(path).read().splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) >= 5:
            out[cols[0]] = (int(cols[3]), int(cols[4]))
    return out


def solve(jobs, seconds, workers, params):
    horizon = sum(d for job in jobs for _, d in job)
    m = cp_model.CpModel()
    per_machine, ends = {}, []
    for j, job in enumerate(jobs):
        prev = None
        for k, (mach, d) in enumerate(job):
            s = m.NewIntVar(0, horizon, f"s{j}_{k}")
            e = m.NewIntVar(0, horizon, f"e{j}_{k}")
            per_machine.setdefault(mach, []).append(m.NewIntervalVar(s, d, e, f"i{j}_{k}"))
            if prev is not None:
                m.Add(s >= prev)
            prev = e
        ends.append(prev)
    for ivs in per_machine.values():
        m.AddNoOverlap(ivs)
    makespan = m.NewIntVar(0, horizon, "makespan")
    m.AddMaxEquality(makespan, ends)
    m.Minimize(makespan)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = workers
    if params and not solver.parameters.merge_text_format(params):
        sys.exit(f"CP-SAT does not accept the parameters {params!r}")
    status = solver.Solve(m)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    return solver.StatusName(status), (int(solver.ObjectiveValue()) if found else None), int(solver.BestObjectiveBound()), round(solver.WallTime(), 2)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("names", nargs="*", help="instances (default: every one whose name starts with --only)")
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--workers", type=int, default=2, help="num_workers (2 = both cores of the bench machine)")
    ap.add_argument("--params", default="", help="CP-SAT parameters in text format, applied last")
    ap.add_argument("--only", default="ta,la", help="name prefixes, comma-separated (default ta,la)")
    ap.add_argument("--data", default=DATA)
    a = ap.parse_args()
    bounds = read_bounds(os.path.join(a.data, "bounds.tsv"))
    names = a.names or sorted(f[:-4] for f in os.listdir(a.data) if f.endswith(".txt") and f.startswith(tuple(a.only.split(","))))
    gaps = {}
    for name in names:
        jobs, machines = read_instance(os.path.join(a.data, f"{name}.txt"))
        status, mk, bound, secs = solve(jobs, a.seconds, a.workers, a.params)
        lb, ub = bounds.get(name, (None, None))
        gap = round(100 * (mk - ub) / ub, 2) if mk is not None and ub else None
        if gap is not None:
            gaps.setdefault(name[:2], []).append(gap)
        row = {"instance": name, "size": f"{len(jobs)}x{machines}", "lb": lb, "ub": ub, "makespan": mk, "gapPercent": gap, "status": status, "bound": bound, "seconds": secs}
        print(json.dumps(row), flush=True)
    everything = [g for gs in gaps.values() for g in gs]
    for fam, gs in sorted(gaps.items()) + ([("all", everything)] if len(gaps) > 1 else []):
        print(json.dumps({"family": fam, "instances": len(gs), "meanGapPercent": round(sum(gs) / len(gs), 2), "maxGapPercent": max(gs), "atBestKnown": sum(1 for g in gs if g <= 0)}), flush=True)


if __name__ == "__main__":
    main()
