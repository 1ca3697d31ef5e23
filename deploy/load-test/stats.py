#!/usr/bin/env python3
"""Prints the figures of a Gatling run of PortalMixSimulation as text: per request kind the count, errors, rate and
latency percentiles; commands and reads in all; the projection lag (the groups "lag timeline" and "lag search",
whose durations Gatling reports). Gatling 3.15 keeps them only in its HTML report (its simulation.log is binary), so
this reads the report's statistics table.

  deploy/load-test/stats.py [RUN_DIR]          (default: the newest run under deploy/load-test/target/gatling)
  deploy/load-test/stats.py --commands [RUN_DIR]   prints only the number of commands (requests named "cmd ...")
"""
import html
import os
import re
import sys

COLUMNS = ["total", "ok", "ko", "ko_percent", "per_second", "min", "p50", "p90", "p95", "p99", "max", "mean",
           "std_dev"]
ROW = re.compile(r'<tr id="([^"]+)"[^>]*>(.*?)</tr>', re.S)
NAME = re.compile(r'class="ellipsed-name">(.*?)</span>', re.S)
VALUE = re.compile(r'<td class="value [a-z]+ col-(\d+)">([^<]*)</td>')


def newest_run(base):
    runs = [os.path.join(base, d) for d in os.listdir(base) if os.path.isdir(os.path.join(base, d))]
    if not runs:
        sys.exit(f"stats.py: no Gatling run under {base}")
    return max(runs, key=os.path.getmtime)


def read_rows(run):
    with open(os.path.join(run, "index.html"), encoding="utf-8") as report:
        page = report.read()
    rows = []
    for row_id, cells in ROW.findall(page):
        name = NAME.search(cells)
        values = dict(VALUE.findall(cells))
        if not name or len(values) < len(COLUMNS):
            continue
        figures = {}
        for i, column in enumerate(COLUMNS, start=2):
            text = values.get(str(i), "-").replace(",", "")
            figures[column] = float(text) if re.fullmatch(r"-?[0-9.]+", text) else None
        rows.append((row_id, html.unescape(name.group(1)).strip(), figures))
    return rows


def main(args):
    only_commands = "--commands" in args
    args = [a for a in args if a != "--commands"]
    here = os.path.dirname(os.path.abspath(__file__))
    run = args[0] if args else newest_run(os.path.join(here, "target", "gatling"))
    rows = read_rows(run)
    requests = [(name, f) for row_id, name, f in rows if row_id.startswith("req_")]
    groups = [(name, f) for row_id, name, f in rows if row_id.startswith("group_")]
    commands = [(name, f) for name, f in requests if name.startswith("cmd ")]
    reads = [(name, f) for name, f in requests if name.startswith("read ")]
    command_count = int(sum(f["total"] for _, f in commands))
    if only_commands:
        print(command_count)
        return

    def number(value, digits=0):
        return "-" if value is None else f"{value:,.{digits}f}"

    print(f"run: {run}")
    header = f"{'request kind':<28} {'count':>7} {'KO':>5} {'per s':>7} {'p50':>6} {'p90':>6} {'p95':>6} {'p99':>6}" \
             f" {'max':>6}  ms"
    print(header)
    for name, f in sorted(commands) + sorted(reads):
        print(f"{name:<28} {number(f['total']):>7} {number(f['ko']):>5} {number(f['per_second'], 2):>7}"
              f" {number(f['p50']):>6} {number(f['p90']):>6} {number(f['p95']):>6} {number(f['p99']):>6}"
              f" {number(f['max']):>6}")
    total = next((f for row_id, _, f in rows if row_id == "ROOT"), None)
    read_count = int(sum(f["total"] for _, f in reads))
    errors = int(sum(f["ko"] for _, f in requests))
    print(f"commands: {command_count:,} ({sum(f['per_second'] for _, f in commands):.1f}/s over the run), reads:"
          f" {read_count:,} ({sum(f['per_second'] for _, f in reads):.1f}/s), errors (KO): {errors:,}"
          + (f"; all requests p50 / p95 / p99 {number(total['p50'])} / {number(total['p95'])} /"
             f" {number(total['p99'])} ms" if total else ""))
    for name, f in groups:
        print(f"projection lag, {name[4:] if name.startswith('lag ') else name}: p50 {number(f['p50'])}, p90"
              f" {number(f['p90'])}, p95 {number(f['p95'])}, p99 {number(f['p99'])}, max {number(f['max'])} ms"
              f" ({number(f['total'])} probes, {number(f['ko'])} not seen by the deadline)")
    if not groups:
        print("projection lag: no probe in this run (-DlagProbes=0, or too short a run)")


if __name__ == "__main__":
    main(sys.argv[1:])
