#!/usr/bin/env bash
# One load run of the target service in one mode, as recorded in BENCHMARKS.md.
#   target-service/workload/scripts/load-run.sh unsafe|conditional [out-dir] [profile]
# Starts a fresh service JVM (default flags, embedded H2) on a free port, warms the JIT with a
# 20 s run of the same profile under another seed (discarded), then runs the profile itself and
# writes its ground truth to <out-dir>/ground-truth-<mode>.json. SERVICE_JAVA_OPTS is added to the
# service's command line (e.g. -javaagent:agent/target/racetrace-agent.jar=probes=...,queue=...),
# and the service's CPU seconds during the measured run are recorded. Build the jars first:
#   mvn -B -q -N install && mvn -B -q -pl target-service/service,target-service/workload -am install
set -euo pipefail
mode=${1:?usage: load-run.sh unsafe|conditional [out-dir] [profile]}
out=${2:-out/load}
profile=${3:-seed-peak}
root=$(cd "$(dirname "$0")/../../.." && pwd)
svc_jar=$root/target-service/target/racetrace-target-service.jar
drv_jar=$root/target-service/target/racetrace-workload.jar
java=${JAVA:-java}
mkdir -p "$out"
log=$out/service-$mode.log

# shellcheck disable=SC2086
"$java" ${SERVICE_JAVA_OPTS:-} -jar "$svc_jar" --mode "$mode" --port 0 > "$log" 2>&1 &
svc=$!
trap 'kill "$svc" 2>/dev/null || true; wait "$svc" 2>/dev/null || true' EXIT
port=
for _ in $(seq 1 300); do
  port=$(sed -n 's/^ready: port=//p' "$log")
  [ -n "$port" ] && break
  kill -0 "$svc" 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$port" ] || { echo "service did not print its ready line" >&2; exit 1; }
target=http://127.0.0.1:$port
echo "== $mode: service pid $svc at $target; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

"$java" -jar "$drv_jar" run --target "$target" --profile "$profile" --seed 1 --duration-seconds 20 \
  > "$out/warmup-$mode.txt"
echo "== warm-up done (20 s, seed 1, discarded); load average: $(cut -d' ' -f1-3 /proc/loadavg)"

cpu_before=$(ps -o cputimes= -p "$svc" | tr -d ' ')
"$java" -jar "$drv_jar" run --target "$target" --profile "$profile" --out "$out/ground-truth-$mode.json" \
  | tee "$out/summary-$mode.txt"
cpu_after=$(ps -o cputimes= -p "$svc" | tr -d ' ')
echo "== service CPU during the measured run: $((cpu_after - cpu_before)) s" | tee -a "$out/summary-$mode.txt"
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/summary-$mode.txt"
