#!/usr/bin/env bash
# Agent overhead under load: the reference service in conditional mode at RATE req/s, with and
# without the agent, alternating, RUNS times each, same workload seed. Per run: a fresh service
# JVM, a 10 s warm-up (another seed, discarded), then the measured run; records throughput,
# p50/p99 from the intended send time, and the service's CPU seconds during the measured run.
#   benchmarks/overhead.sh [RUNS=3] [RATE=900] [SECONDS=30]      (from the repository root)
# PROFILE picks the workload (default seed-peak: 20 hot skus, whose CAS retries dominate the tail;
# samples/workloads/soak.json spreads the load over 400 skus). AGENT_OPTS adds agent options (e.g. AGENT_OPTS=budget=2); a RATE beyond what the service can
# answer measures the loss of throughput at saturation.
set -euo pipefail
runs=${1:-3}; rate=${2:-900}; secs=${3:-30}
root=$(cd "$(dirname "$0")/../.." && pwd)
svc_jar=$root/target-service/target/racetrace-target-service.jar
drv_jar=$root/target-service/target/racetrace-workload.jar
agent="-javaagent:$root/agent/target/racetrace-agent.jar=probes=$root/samples/probes/target-service.yaml${AGENT_OPTS:+,$AGENT_OPTS}"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "run agent throughput/s p50_ms p99_ms service_cpu_s budget_cuts"
for i in $(seq 1 "$runs"); do
  for with in no yes; do
    opts=""; [ "$with" = yes ] && opts="$agent,queue=$out/q-$i"
    # shellcheck disable=SC2086
    java $opts -jar "$svc_jar" --mode conditional --port 0 > "$out/svc.log" 2>&1 &
    svc=$!
    port=""
    for _ in $(seq 1 300); do port=$(sed -n 's/^ready: port=//p' "$out/svc.log"); [ -n "$port" ] && break; sleep 0.1; done
    t=http://127.0.0.1:$port
    java -jar "$drv_jar" run --target "$t" --profile "${PROFILE:-seed-peak}" --seed 1 --rate "$rate" --duration-seconds 10 > /dev/null
    c0=$(ps -o cputimes= -p "$svc" | tr -d ' ')
    java -jar "$drv_jar" run --target "$t" --profile "${PROFILE:-seed-peak}" --rate "$rate" --duration-seconds "$secs" --out "$out/gt.json" > "$out/run.txt"
    c1=$(ps -o cputimes= -p "$svc" | tr -d ' ')
    kill "$svc"; wait "$svc" 2>/dev/null || true
    tp=$(sed -n 's/.*throughput \([0-9.]*\)\/s.*/\1/p' "$out/run.txt")
    p50=$(sed -n 's/.*p50 \([0-9.]*\).*/\1/p' "$out/run.txt" | head -1)
    p99=$(sed -n 's/.*p99 \([0-9.]*\).*/\1/p' "$out/run.txt" | head -1)
    cuts=$(grep -c "budget: the agent used" "$out/svc.log" || true)
    echo "$i $with $tp $p50 $p99 $((c1 - c0)) $cuts"
    [ "$with" = yes ] && grep "budget: the agent used" "$out/svc.log" | tail -1 || true
  done
done
