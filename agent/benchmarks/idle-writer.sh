#!/usr/bin/env bash
# The agent's writer thread while the service is idle: the reference service started with the
# agent, no traffic, the writer thread's CPU and wake-ups over SECONDS after a 15 s settle.
#   agent/benchmarks/idle-writer.sh [AGENT_JAR] [SECONDS=30]      (from the repository root)
# AGENT_OPTS adds agent options (e.g. AGENT_OPTS=flushMs=20).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
jar=${1:-$root/agent/target/racetrace-agent.jar}; secs=${2:-30}
q=$(mktemp -d)
trap 'rm -rf "$q"' EXIT
java "-javaagent:$jar=probes=$root/samples/probes/target-service.yaml,queue=$q/queue${AGENT_OPTS:+,$AGENT_OPTS}" \
  -jar "$root/target-service/target/racetrace-target-service.jar" --mode conditional --port 0 > "$q/log" 2>&1 &
pid=$!
sleep 15
tid=""
for t in /proc/$pid/task/*; do [ "$(cat "$t/comm")" = "racetrace-write" ] && tid=$(basename "$t"); done
if [ -z "$tid" ]; then echo "no writer thread"; kill "$pid"; exit 1; fi
c0=$(awk '{print $1}' "/proc/$pid/task/$tid/schedstat"); w0=$(awk '/^voluntary_ctxt_switches/ {print $2}' "/proc/$pid/task/$tid/status")
sleep "$secs"
c1=$(awk '{print $1}' "/proc/$pid/task/$tid/schedstat"); w1=$(awk '/^voluntary_ctxt_switches/ {print $2}' "/proc/$pid/task/$tid/status")
kill "$pid"; wait "$pid" 2>/dev/null || true
echo "writer CPU $(( (c1 - c0) / 1000 )) us in $secs s = $(awk -v d=$((c1 - c0)) -v s="$secs" 'BEGIN {printf "%.3f", d / (s * 1e9) * 100}') % of a core;" \
  "wake-ups $(( w1 - w0 )) ($(( (w1 - w0) / secs ))/s)"
