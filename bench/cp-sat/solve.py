"""CP-SAT reference for Closeloop's reschedule bench (a benchmark tool, never a runtime dependency).

Reads the instance written by export.ts and minimises total weighted tardiness in calendar minutes,
exactly as bench/planning.ts measures it. The schedule lives on the working-time axis (exact for
this bench: every centre shares one calendar and an operation runs through non-working time as
calendar-extended processing, see README.md); each work order's completion is mapped to calendar
minutes through the calendar's working stretches (an element constraint on the stretch index), so
the objective is the calendar-minute tardiness, not a working-minute proxy.

Prints one JSON object: status, objective (calendar TWT), best bound, wall time, the greedy hint's
own objective and whether the answer is the hint (so a hint is never mistaken for a CP-SAT
solution), the parameters used, and every operation's start on the working axis.

    .venv/bin/python solve.py /tmp/i7.json --seconds 10 --workers 2 [--params "k:v,k:v"] > /tmp/s7.json
"""
import argparse
import bisect
import heapq
import json
import sys
import time

from ortools.sat.python import cp_model

# Defaults for this size (16,000 intervals, 50 no-overlaps, 2,000 tardiness terms), each
# overridable with --params (e.g. --params "cp_model_presolve:true,cp_model_probing_level:2"):
# presolve (with probing) led to no better answer in our runs and delays the search: on the earlier
# working-minute model probing alone took more than 10 s (UNKNOWN at 10 s, not even the hint); on
# this one the hint is loaded at about 0.4 s with both off, 2.3 s with CP-SAT's defaults. See README.
DEFAULT_PARAMS = "cp_model_probing_level:0,cp_model_presolve:false"


def list_schedule(wos):
    """A greedy plan: of the operations whose predecessors are placed, the one that can start
    earliest goes next (earliest due date among equals), appended on its centre. It gives CP-SAT a
    solution hint (without one it finds no first solution of its own on 16,000 operations within a
    minute) and the scale of the horizon."""
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


class Calendar:
    """Working minute → calendar minute for a completion, from export.ts's stretches: a completion
    at x in (workingStart, workingEnd] is at calendarStart + x − workingStart (an operation that
    ends exactly at a shift's end ends then, not at the next shift's start)."""

    def __init__(self, stretches):
        self.ws = [s["workingStart"] for s in stretches]
        self.we = [s["workingEnd"] for s in stretches]
        self.offset = [s["calendarStart"] - s["workingStart"] for s in stretches]

    def stretch_of_end(self, x):
        return max(0, bisect.bisect_left(self.we, x))

    def end_minute(self, x):
        return x + self.offset[self.stretch_of_end(x)]

    def linear_form(self, horizon):
        """(L0, L, A, B, P) such that, for every completion x in (0, horizon], the stretch is
        j = (x + L − L0 − 1) // L and the calendar minute is x + A·j + B·(j // P): stretches of equal
        length L after a first one of L0, and a gap that grows by A a stretch and by B more every P
        stretches (here: 16 working hours a day, 8 h overnight, 48 h more each weekend). CP-SAT
        then sees only linear constraints; element constraints on the stretch tables made its
        presolve expand them into 275,000 Booleans and take the whole 10 s. Exits if the exported
        calendar does not have this form."""
        n = bisect.bisect_left(self.we, horizon) + 1
        lengths = [self.we[k] - self.ws[k] for k in range(n)]
        L0, L = lengths[0], lengths[1]
        steps = [self.offset[k + 1] - self.offset[k] for k in range(n - 1)]
        A = steps[0]
        P = next((k + 1 for k, d in enumerate(steps) if d != A), n + 1)
        B = steps[P - 1] - A if P <= len(steps) else 0
        ok = all(x == L for x in lengths[1 : n - 1]) and all(self.offset[k] == self.offset[0] + A * k + B * (k // P) for k in range(n))
        if not ok or self.offset[0] != 0:
            sys.exit("the calendar's working stretches are not of the periodic form solve.py models (see Calendar.linear_form)")
        return L0, L, A, B, P


def calendar_twt(wos, cal, starts):
    twt, makespan = 0, 0
    for w in wos:
        last = w["operations"][-1]
        c = cal.end_minute(starts[last["id"]] + last["minutes"])
        makespan = max(makespan, c)
        if w["due"] is not None:
            twt += w["weight"] * max(0, c - w["due"])
    return twt, makespan


class Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self):
        super().__init__()
        self.found = []  # (seconds, objective) of every solution CP-SAT reports

    def on_solution_callback(self):
        self.found.append((round(self.WallTime(), 2), self.ObjectiveValue()))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("instance")
    ap.add_argument("--seconds", type=float, default=10.0, help="max_time_in_seconds")
    ap.add_argument("--workers", type=int, default=2, help="num_workers (2 = both cores of the bench machine)")
    ap.add_argument("--params", default="", help='CP-SAT parameters in text format, applied last, e.g. "cp_model_probing_level:1,num_workers:4"')
    ap.add_argument("--horizon-factor", type=float, default=2.0, help="horizon = this × the greedy plan's working makespan")
    ap.add_argument("--no-hint", action="store_true", help="do not give CP-SAT the greedy plan as a hint")
    ap.add_argument("--hint-file", help="hint with these working-axis starts instead of the greedy plan (closeloop-hint.ts writes Closeloop's plan)")
    ap.add_argument("--log", action="store_true", help="CP-SAT's search log on stderr")
    a = ap.parse_args()
    inst = json.load(open(a.instance))
    wos = inst["workOrders"]
    cal = Calendar(inst["stretches"])
    t0 = time.time()
    hint, greedy_makespan = list_schedule(wos)
    hint_source = "greedy"
    if a.hint_file:
        hint_source = a.hint_file
        hint = json.load(open(a.hint_file))["starts"]
        durations = {o["id"]: o["minutes"] for w in wos for o in w["operations"]}
        greedy_makespan = max(greedy_makespan, max(v + durations[k] for k, v in hint.items()))
    hint_twt, hint_makespan = calendar_twt(wos, cal, hint)
    horizon = int(greedy_makespan * a.horizon_factor)
    if horizon > cal.we[-1]:
        sys.exit(f"horizon {horizon} working minutes is beyond the exported calendar ({cal.we[-1]}): export more --days")

    m = cp_model.CpModel()
    start, end, machines = {}, {}, {}
    for w in wos:
        for o in w["operations"]:
            s = m.NewIntVar(0, horizon - o["minutes"], f"s{o['id']}")
            e = m.NewIntVar(o["minutes"], horizon, f"e{o['id']}")
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
    # tardiness in calendar minutes, linear: completion x lies in stretch j = (x + L - L0 - 1) // L
    # and ends at calendar minute x + A*j + B*(j // P) (see Calendar.linear_form)
    L0, L, A, B, P = cal.linear_form(horizon)
    terms = []
    aux_hint = []
    for w in wos:
        if w["due"] is None:
            continue
        x = end[w["operations"][-1]["id"]]
        top = (horizon + L - L0 - 1) // L
        j = m.NewIntVar(0, top, f"j{w['id']}")
        q = m.NewIntVar(0, top // P, f"q{w['id']}")
        m.Add(L * j <= x + L - L0 - 1)
        m.Add(x + L - L0 - 1 <= L * j + L - 1)
        m.Add(P * q <= j)
        m.Add(j <= P * q + P - 1)
        t = m.NewIntVar(0, horizon + A * top + B * (top // P), f"t{w['id']}")
        m.Add(t >= x + A * j + B * q - w["due"])
        terms.append(w["weight"] * t)
        hx = hint[w["operations"][-1]["id"]] + w["operations"][-1]["minutes"]
        hj = (hx + L - L0 - 1) // L
        assert hx + A * hj + B * (hj // P) == cal.end_minute(hx)
        aux_hint += [(j, hj), (q, hj // P), (t, max(0, cal.end_minute(hx) - w["due"]))]
    m.Minimize(sum(terms))
    if not a.no_hint:
        for w in wos:
            for op in w["operations"]:
                m.AddHint(start[op["id"]], hint[op["id"]])
                m.AddHint(end[op["id"]], hint[op["id"]] + op["minutes"])
        for v, val in aux_hint:
            m.AddHint(v, val)
    built = time.time() - t0

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = a.seconds
    solver.parameters.num_workers = a.workers
    solver.parameters.log_search_progress = a.log
    solver.parameters.log_to_stdout = False  # stdout is the JSON answer
    solver.log_callback = lambda line: print(line, file=sys.stderr)
    params = ",".join(p for p in (DEFAULT_PARAMS, a.params) if p)
    if not solver.parameters.merge_text_format(params):
        sys.exit(f"CP-SAT does not accept the parameters {params!r}")
    progress = Progress()
    status = solver.Solve(m, progress)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    starts = {k: solver.Value(v) for k, v in start.items()} if found else None
    twt, makespan = calendar_twt(wos, cal, starts) if found else (None, None)
    json.dump(
        {
            "status": solver.StatusName(status),
            "wallSeconds": round(solver.WallTime(), 2),
            "modelSeconds": round(built, 2),
            "workers": solver.parameters.num_workers,
            "params": " ".join(str(solver.parameters).split()),
            "horizonWorkingMinutes": horizon,
            "hint": None if a.no_hint else hint_source,
            "hintTotalWeightedTardinessMinutes": hint_twt,
            "hintMakespanMinutes": hint_makespan,
            "objective": solver.ObjectiveValue() if found else None,
            "bestBound": solver.BestObjectiveBound(),
            "totalWeightedTardinessMinutes": twt,
            "makespanMinutes": makespan,
            "equalsHint": (starts == hint) if found and not a.no_hint else None,
            "solutions": len(progress.found),
            "firstSolution": progress.found[0] if progress.found else None,
            "lastSolution": progress.found[-1] if progress.found else None,
            "starts": starts,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
