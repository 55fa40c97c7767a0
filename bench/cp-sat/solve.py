"""CP-SAT reference for Closeloop's reschedule bench (a benchmark tool, never a runtime dependency).

Reads the instance written by export.ts (working-time axis), minimises total weighted tardiness
in working minutes (tardiness in calendar minutes is a monotone function of it, so the proxy
orders solutions alike; evaluate.ts measures the sequence exactly in calendar minutes), and prints
the start of every operation on the working axis with the solver's status, objective and bound.

    .venv/bin/python solve.py /tmp/i7.json --seconds 10 --workers 2 > /tmp/s7.json
"""
import argparse
import heapq
import json
import sys
import time

from ortools.sat.python import cp_model


def list_schedule(wos):
    """A greedy plan: of the operations whose predecessors are placed, the one that can start
    earliest goes next (earliest due date among equals), appended on its centre. It gives the model
    a valid horizon and CP-SAT a solution hint (without one it finds no first solution of its own
    on 16,000 operations within a minute)."""
    ops = {o["id"]: (w, k) for w in wos for k, o in enumerate(w["operations"])}
    preds = {}
    for w in wos:
        for k, o in enumerate(w["operations"]):
            preds[o["id"]] = ([w["operations"][k - 1]["id"]] if k else []) + list(o["after"])
    succs = {i: [] for i in ops}
    for i, ps in preds.items():
        for q in ps:
            succs[q].append(i)
    waiting = {i: len(ps) for i, ps in preds.items()}
    ready_at = {i: 0 for i in ops}
    free, start, end = {}, {}, {}
    due = lambda i: ops[i][0]["dueWorking"] if ops[i][0]["dueWorking"] is not None else float("inf")
    heap = [(0, due(i), i) for i, n in waiting.items() if n == 0]
    heapq.heapify(heap)
    while heap:
        est, d, i = heapq.heappop(heap)
        w, k = ops[i]
        o = w["operations"][k]
        now = max(ready_at[i], free.get(o["workCenter"], 0))
        if now > est:  # its centre got busy meanwhile: back in line at its new earliest start
            heapq.heappush(heap, (now, d, i))
            continue
        start[i], end[i] = now, now + o["minutes"]
        free[o["workCenter"]] = end[i]
        for s in succs[i]:
            ready_at[s] = max(ready_at[s], end[i])
            waiting[s] -= 1
            if waiting[s] == 0:
                wc = ops[s][0]["operations"][ops[s][1]]["workCenter"]
                heapq.heappush(heap, (max(ready_at[s], free.get(wc, 0)), due(s), s))
    return start, max(end.values())


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
