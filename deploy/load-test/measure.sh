#!/usr/bin/env bash
# Runs PortalMixSimulation against a running stack and measures what each of the stack's processes spent on it: CPU
# time (user + system, from /proc/PID/stat) from the simulation's start to its end, per process kind and per command
# (the requests named "cmd ..." that Gatling made). Prints the machine, the Gatling figures (deploy/load-test/stats.py)
# and the CPU table. The issue's measure: the CPU per command of each process at an open rate of 100 commands/s:
#   deploy/load-test/measure.sh -Dmodel=open -Drate=100 -Dramp=30 -Dduration=120 [-Dcommand=... -Dquery=...]
# Every argument goes to the simulation (its Javadoc lists them); fetch the tokens first (tokens.sh). The processes
# are found with pgrep -f: the command side(s) (command-side-*-exec.jar), query side(s) (query-side-*-exec.jar), the
# MongoDB emulator (deploy-*-exec.jar), Elasticsearch (java processes naming org.elasticsearch), the authorization
# server (auth-server-*-exec.jar) and the round-robin proxy of several instances. With more than one stack on the
# machine, STACK_DATA=<the stack's HOSO_DATA> keeps the processes started with that HOSO_DATA (run.sh hands it on when
# it was set for run.sh). Also printed, not in the total: the stack idle (IDLE_SECONDS, 10, before the run) and the load
# generator (Maven and Gatling, which share the machine: the machine's busy CPU less the stack's, so anything else
# running counts as the generator). MVN_FLAGS: the Maven flags (default -B -o: offline).
# WARMUP="RATE:SECONDS ...": open-model runs first, not measured (the JIT compiler takes up to half of a fresh JVM's
# CPU in its first minutes of load: README, Warm stacks), e.g. WARMUP="10:65 30:65 60:210"; the table's "of which JIT"
# is what the JIT compiler threads took during the measured run (near 0 on a warm stack; it can undercount where the
# JVM retires compiler threads during the run, as it may with more than two cores).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
idle_seconds="${IDLE_SECONDS:-10}"
read -r -a mvn_flags <<<"${MVN_FLAGS:--B -o}"
ticks_per_second="$(getconf CLK_TCK)"
results="$here/target/gatling"
mkdir -p "$here/target"
log="$here/target/measure-$(date +%Y%m%d-%H%M%S).log"

kinds=("command side" "query side" "MongoDB emulator" "Elasticsearch" "authorization server" "proxy")
patterns=('command-side-.*-exec\.jar' 'query-side-.*-exec\.jar' 'deploy-.*-exec\.jar' 'org\.elasticsearch'
  'auth-server-.*-exec\.jar' 'vn\.hoso\.deploy\.RoundRobinProxy')

of_this_stack() { # of_this_stack PID: true without STACK_DATA, else when the process names that data folder
  [ -z "${STACK_DATA:-}" ] && return 0
  tr '\0' '\n' <"/proc/$1/environ" 2>/dev/null | grep -qxF "HOSO_DATA=$STACK_DATA" && return 0
  tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$STACK_DATA"
}

pids_of() { # pids_of PATTERN: the java processes whose command line matches, space-separated
  local found=() pid
  for pid in $(pgrep -f -- "$1" || true); do
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = java ] || continue
    of_this_stack "$pid" && found+=("$pid")
  done
  echo "${found[*]:-}"
}

stat_ticks() { # stat_ticks FILE: the utime + stime of a /proc stat file, in clock ticks (0 when it is gone)
  local stat rest fields
  stat="$(cat "$1" 2>/dev/null)" || { echo 0; return; }
  rest="${stat##*) }" # the fields after the command name, which may hold spaces: state is field 3
  read -r -a fields <<<"$rest"
  echo $((fields[11] + fields[12])) # fields 14 (utime) and 15 (stime)
}

ticks() { # ticks PID...: their utime + stime so far, in clock ticks (a process gone counts 0)
  local total=0 pid
  for pid in "$@"; do
    total=$((total + $(stat_ticks "/proc/$pid/stat")))
  done
  echo "$total"
}

machine_ticks() { # the whole machine's busy CPU so far, in clock ticks (/proc/stat: user, nice, system, irq, softirq)
  awk '/^cpu / { print $2 + $3 + $4 + $7 + $8; exit }' /proc/stat
}

now() { date +%s.%N; }

declare -A pids
found=0
for i in "${!kinds[@]}"; do
  pids[$i]="$(pids_of "${patterns[$i]}")"
  [ -n "${pids[$i]}" ] && found=$((found + 1))
done
if [ -z "${pids[0]}" ] || [ -z "${pids[1]}" ]; then
  echo "measure.sh: no command side or no query side running (start the stack: deploy/run.sh)" >&2
  exit 1
fi

echo "machine: $(nproc) cores (nproc), CPU $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | sort -u |
  paste -sd ';'), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) memory," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg)"
for i in "${!kinds[@]}"; do
  [ -n "${pids[$i]}" ] && printf '  %-22s pid %s\n' "${kinds[$i]}" "${pids[$i]}"
done

echo "compiling the simulation ..."
./mvnw "${mvn_flags[@]}" -q -pl deploy/load-test test-compile >"$log" 2>&1 || {
  tail -n 30 "$log" >&2
  exit 1
}

if [ -n "${WARMUP:-}" ]; then
  warmup_log="${log%.log}-warmup.log" # apart: the measured run's log is read for its start and end
  passed=() # the stack's addresses and the tokens, for the warm-up runs too
  for argument in "$@"; do
    case "$argument" in -Dcommand=* | -Dquery=* | -Dtokens=*) passed+=("$argument") ;; esac
  done
  for step in $WARMUP; do
    if ! [[ "$step" =~ ^[0-9.]+:[0-9]+$ ]]; then
      echo "measure.sh: WARMUP takes RATE:SECONDS steps (e.g. WARMUP=\"10:60 60:210\"), not '$step'" >&2
      exit 1
    fi
  done
  for step in $WARMUP; do
    echo "warming up: ${step%%:*} commands/s for ${step##*:} s (not measured) ..."
    ./mvnw "${mvn_flags[@]}" -pl deploy/load-test gatling:test "${passed[@]}" -Dmodel=open -Drate="${step%%:*}" \
      -Dramp=5 -Dduration="${step##*:}" >>"$warmup_log" 2>&1 || {
      tail -n 30 "$warmup_log" >&2
      exit 1
    }
  done
fi

jit_ticks() { # jit_ticks PID...: the CPU ticks of their JIT compiler threads so far
  local total=0 pid task name
  for pid in "$@"; do
    for task in /proc/"$pid"/task/*; do
      read -r name 2>/dev/null <"$task/comm" || continue
      case "$name" in
        C1\ Compiler* | C2\ Compiler*) total=$((total + $(stat_ticks "$task/stat"))) ;;
      esac
    done
  done
  echo "$total"
}

declare -A idle_start idle_end start end jit_start jit_end
echo "the stack idle for $idle_seconds s ..."
idle_from="$(now)"
for i in "${!kinds[@]}"; do idle_start[$i]="$(ticks ${pids[$i]})"; done
sleep "$idle_seconds"
for i in "${!kinds[@]}"; do idle_end[$i]="$(ticks ${pids[$i]})"; done
idle_to="$(now)"

echo "running the simulation (log: $log) ..."
started_at=""
ended_at=""
generator_start=0
generator_end=0
# the stack's CPU is read when Gatling says the simulation started and when it turns to its report, so that Maven's
# and Gatling's own start and the report are not counted
./mvnw "${mvn_flags[@]}" -pl deploy/load-test gatling:test "$@" >>"$log" 2>&1 &
maven_pid=$!
while IFS= read -r line; do
  case "$line" in
    "Simulation vn.hoso.load.PortalMixSimulation started"*)
      for i in "${!kinds[@]}"; do start[$i]="$(ticks ${pids[$i]})"; done
      for i in "${!kinds[@]}"; do jit_start[$i]="$(jit_ticks ${pids[$i]})"; done
      generator_start="$(machine_ticks)"
      started_at="$(now)"
      echo "  started $(date +%T)"
      ;;
    "Parsing log file(s)..."*) # Gatling's first words after the simulation
      for i in "${!kinds[@]}"; do end[$i]="$(ticks ${pids[$i]})"; done
      for i in "${!kinds[@]}"; do jit_end[$i]="$(jit_ticks ${pids[$i]})"; done
      generator_end="$(machine_ticks)"
      ended_at="$(now)"
      echo "  completed $(date +%T)"
      ;;
    "open model:"* | "closed model:"*) echo "  $line" ;;
  esac
done < <(tail -n +1 --pid="$maven_pid" -F "$log" 2>/dev/null)
status=0
wait "$maven_pid" || status=$?
if [ -z "$started_at" ] || [ -z "$ended_at" ]; then
  echo "measure.sh: the simulation did not run to its end (Maven exit status $status); the end of $log:" >&2
  tail -n 40 "$log" >&2
  exit 1
fi

echo
sed -n '/^---- Global Information/,/^====/p' "$log" | tail -n 20
# the report Gatling names at its end (its lastRun.txt is not always this run's)
report="$(sed -n 's|^Reports generated, please open the following file: file://\(.*\)/index\.html$|\1|p' "$log" | tail -n 1)"
run_dir="${report:-$(ls -dt "$results"/portalmixsimulation-* | head -n 1)}"
echo
"$here/stats.py" "$run_dir"
commands="$("$here/stats.py" --commands "$run_dir")"

echo
python3 - "$ticks_per_second" "$commands" "$started_at" "$ended_at" "$idle_from" "$idle_to" \
  "$generator_start" "$generator_end" <<PY
import sys
hz, commands, t0, t1, i0, i1, g0, g1 = (float(a) for a in sys.argv[1:])
seconds, idle = t1 - t0, i1 - i0
rows = [
$(for i in "${!kinds[@]}"; do
  [ -n "${pids[$i]}" ] && printf '    ("%s", "%s", %s, %s, %s, %s, %s),\n' "${kinds[$i]}" "${pids[$i]}" \
    "${start[$i]}" "${end[$i]}" "${idle_start[$i]}" "${idle_end[$i]}" "$((jit_end[$i] - jit_start[$i]))"
done)
]
print(f"CPU during the simulation ({seconds:.1f} s, {commands:.0f} commands, {commands / seconds:.1f} commands/s):")
print(f"{'process kind':<24} {'pids':<16} {'CPU s':>8} {'ms CPU/command':>15} {'% of a core':>12}"
      f" {'idle ms CPU/s':>14} {'of which JIT s':>15}")
total = total_idle = 0
for kind, pids, start, end, idle_start, idle_end, jit in rows:
    cpu = (end - start) / hz
    idle_rate = (idle_end - idle_start) / hz / idle * 1000
    total += cpu
    total_idle += idle_rate
    per_command = f"{cpu * 1000 / commands:.2f}" if commands else "-"
    print(f"{kind:<24} {pids:<16} {cpu:>8.2f} {per_command:>15} {cpu / seconds * 100:>11.1f}% {idle_rate:>14.1f}"
          f" {jit / hz:>15.2f}")
per_command = f"{total * 1000 / commands:.2f}" if commands else "-"
print(f"{'total (the stack)':<24} {'':<16} {total:>8.2f} {per_command:>15} {total / seconds * 100:>11.1f}%"
      f" {total_idle:>14.1f}")
generator = (g1 - g0) / hz - total
print(f"{'load generator':<24} {'(the rest)':<16} {generator:>8.2f} {'':>15} {generator / seconds * 100:>11.1f}%"
      "   (not in the total)")
PY
