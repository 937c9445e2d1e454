#!/usr/bin/env bash
# Soak: the reference service in conditional mode with the agent attached from JVM start, driven
# at RATE req/s for SECONDS by the samples/workloads/soak.json profile. Every minute it records the
# service's resident memory (anonymous and file-backed) and, every fifth minute, a class histogram
# after a full GC: the live heap, and the part of it that belongs to the agent (racetrace's agent
# and trace classes, Chronicle). The service keeps every reservation in its in-memory H2 store, so
# its own heap grows with the requests; the agent's part must not. At the end it reconciles the
# store (ground truth) and analyzes the capture.
#   agent/benchmarks/soak.sh [SECONDS=1800] [RATE=900] [OUT=agent/benchmarks/target/soak]   (from the repository root)
set -euo pipefail
secs=${1:-1800}; rate=${2:-900}
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${3:-$root/agent/benchmarks/target/soak}
rm -rf "$out"; mkdir -p "$out"
svc_jar=$root/target-service/target/racetrace-target-service.jar
drv_jar=$root/target-service/target/racetrace-workload.jar
agent="-javaagent:${AGENT_JAR:-$root/agent/target/racetrace-agent.jar}=probes=$root/samples/probes/target-service.yaml,queue=$out/queue,worker=soak"

java -Xmx2g "$agent" -jar "$svc_jar" --mode conditional --port 0 > "$out/service.log" 2>&1 &
svc=$!
trap 'kill $svc 2>/dev/null || true' EXIT
port=""
for _ in $(seq 1 300); do port=$(sed -n 's/^ready: port=//p' "$out/service.log"); [ -n "$port" ] && break; sleep 0.1; done
[ -n "$port" ] || { echo "service did not start; see $out/service.log" >&2; exit 1; }

java -jar "$drv_jar" run --target "http://127.0.0.1:$port" --profile "$root/samples/workloads/soak.json" \
  --rate "$rate" --duration-seconds "$secs" --out "$out/ground-truth.json" > "$out/driver.txt" 2>&1 &
drv=$!

heap_after_gc() {  # "live_heap_kb agent_heap_kb" (the histogram runs a full GC first)
  jcmd "$svc" GC.class_histogram > "$out/histo.txt"
  awk '/^Total/ {t=$3} /io\.racetrace\.(agent|trace)|net\.openhft/ {a+=$3} END {printf "%d %d", t/1024, a/1024}' "$out/histo.txt"
}
echo "minute rss_anon_kb rss_file_kb live_heap_kb agent_heap_kb cpu_s" | tee "$out/memory.txt"
minute=0
while kill -0 "$drv" 2>/dev/null; do
  anon=$(sed -n 's/^RssAnon:[[:space:]]*\([0-9]*\).*/\1/p' /proc/$svc/status)
  file=$(sed -n 's/^RssFile:[[:space:]]*\([0-9]*\).*/\1/p' /proc/$svc/status)
  live="- -"; [ $((minute % 5)) -eq 0 ] && live=$(heap_after_gc)
  cpu=$(ps -o cputimes= -p "$svc" | tr -d ' ')
  echo "$minute $anon $file $live $cpu" | tee -a "$out/memory.txt"
  for _ in $(seq 1 60); do kill -0 "$drv" 2>/dev/null || break; sleep 1; done
  minute=$((minute + 1))
done
wait "$drv" || true
echo "final $(sed -n 's/^RssAnon:[[:space:]]*\([0-9]*\).*/\1/p' /proc/$svc/status) $(sed -n 's/^RssFile:[[:space:]]*\([0-9]*\).*/\1/p' /proc/$svc/status) $(heap_after_gc) $(ps -o cputimes= -p "$svc" | tr -d ' ')" | tee -a "$out/memory.txt"
kill "$svc"; wait "$svc" 2>/dev/null || true   # SIGTERM: the agent flushes and writes its footer
trap - EXIT

tail -5 "$out/driver.txt"
"$root/racetrace" analyze "$out/queue" --out "$out/report" --no-rows-csv \
  --criteria "$root/samples/criteria/correctness-only.yaml" > "$out/analyze.txt" 2>&1 || true
echo "store (ground truth) mismatch: $(grep -o '"absoluteMismatch" : [0-9-]*' "$out/ground-truth.json" | head -1)"
echo "capture: $(grep -m1 -A3 '"invariant"' "$out/report/report.json" | tr -d '\n ' | head -c 200)"
sed -n '1,12p' "$out/report/report.md"
