"""CP-SAT reference for Closeloop's reschedule bench (a benchmark tool, never a runtime dependency).

Reads the instance written by export.ts (working-time axis), minimises total weighted tardiness
in working minutes (tardiness in calendar minutes is a monotone function of it, so the proxy
orders solutions alike; evaluate.ts measures the sequence exactly in calendar minutes), and prints
the start of every operation on the working axis with the solver's status, objective and bound.

    .venv/bin/python solve.py /tmp/i7.json --seconds 10 --workers 2 > /tmp/s7.json
"""
import argparse
import json
import sys
import time

from ortools.sat.python import cp_model


def list_schedule(wos):
    """A greedy plan (work orders by due date, each operation appended on its centre): a valid
    horizon for the model, and the solution hint CP-SAT starts from (it finds no first solution of
    its own on 16,000 operations within a minute)."""
    by_id = {w["id"]: w for w in wos}
    owner = {o["id"]: w["id"] for w in wos for o in w["operations"]}
    free, start, done = {}, {}, set()

    def place(w):
        if w["id"] in done:
            return
        done.add(w["id"])
        for o in w["operations"]:
            for p in o["after"]:
                place(by_id[owner[p]])
        ready = 0
        for o in w["operations"]:
            ready = max([ready, free.get(o["workCenter"], 0)] + [start[p] + minutes[p] for p in o["after"]])
            start[o["id"]] = ready
            ready += o["minutes"]
            free[o["workCenter"]] = ready

    minutes = {o["id"]: o["minutes"] for w in wos for o in w["operations"]}
    for w in sorted(wos, key=lambda w: (w["dueWorking"] is None, w["dueWorking"] or 0)):
        place(w)
    return start, max(start[k] + minutes[k] for k in start)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("instance")
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-hint", action="store_true", help="no greedy hint (the horizon is then the sum of all durations)")
    a = ap.parse_args()
    inst = json.load(open(a.instance))
    wos = inst["workOrders"]
    hint, greedy_makespan = list_schedule(wos)
    horizon = sum(o["minutes"] for w in wos for o in w["operations"]) if a.no_hint else greedy_makespan

    t0 = time.time()
    m = cp_model.CpModel()
    start, end, machines = {}, {}, {}
    for w in wos:
        for o in w["operations"]:
            s = m.NewIntVar(0, horizon, f"s{o['id']}")
            e = m.NewIntVar(0, horizon, f"e{o['id']}")
            iv = m.NewIntervalVar(s, o["minutes"], e, f"i{o['id']}")
            start[o["id"]], end[o["id"]] = s, e
            machines.setdefault(o["workCenter"], []).append(iv)
    for w in wos:
        ops = w["operations"]
        for k, o in enumerate(ops):
            if k:
                m.Add(start[o["id"]] >= end[ops[k - 1]["id"]])
            for p in o["after"]:
                m.Add(start[o["id"]] >= end[p])
    for ivs in machines.values():
        m.AddNoOverlap(ivs)
    terms = []
    for w in wos:
        if w["dueWorking"] is None:
            continue
        t = m.NewIntVar(0, horizon, f"t{w['id']}")
        m.Add(t >= end[w["operations"][-1]["id"]] - w["dueWorking"])
        terms.append(w["weight"] * t)
    m.Minimize(sum(terms))
    if not a.no_hint:
        for k, v in hint.items():
            m.AddHint(start[k], v)
    built = time.time() - t0

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = a.seconds
    solver.parameters.num_workers = a.workers
    status = solver.Solve(m)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    json.dump(
        {
            "status": solver.StatusName(status),
            "seconds": round(solver.WallTime(), 2),
            "modelSeconds": round(built, 2),
            "workers": a.workers,
            "hint": not a.no_hint,
            "objectiveWorkingMinutes": solver.ObjectiveValue() if found else None,
            "boundWorkingMinutes": solver.BestObjectiveBound() if found else None,
            "starts": {k: solver.Value(v) for k, v in start.items()} if found else None,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
