#!/usr/bin/env bash
# What the agent costs the service, in CPU per request (robust on a shared box, unlike latency):
# the reference service in conditional mode at RATE req/s, without the agent and with each agent
# jar given, alternating, RUNS rounds, a fresh service JVM per run, a 20 s warm-up (another seed,
# discarded), then SECONDS measured. Per run: requests answered, the service's CPU (utime+stime
# of the whole process, /proc/PID/stat) per request, split by thread from
# /proc/PID/task/TID/schedstat: the agent's writer, the JIT compilers, the garbage collector
# (GC/G1 threads and the VM thread, which runs its pauses), and the application (the rest of
# the process, threads that ended included); and the writer's wake-ups (voluntary context
# switches). The headline is CPU per request without the JIT threads: on this 2-core box C2 is
# still compiling the service's H2 code long after the warm-up (about half the process's CPU at
# 300 req/s), and how much it compiles in a window varies more between runs than the agent costs.
# WARMUP (default 20) sets the warm-up seconds; SERVICE_OPTS adds JVM options to the service (both
# arms), e.g. SERVICE_OPTS="-Xms512m -Xmx512m": with G1's default sizing, the concurrent cycle that
# the agent's class loading starts at JVM start (Metadata GC Threshold) shrinks the heap to this
# service's small live set, so young collections come twice as often as without the agent.
#   agent/benchmarks/cpu-per-request.sh [RUNS=2] [RATE=900] [SECONDS=30] [AGENT_JAR...]
# (from the repository root; default agent jar: agent/target/racetrace-agent.jar)
set -euo pipefail
runs=${1:-2}; rate=${2:-900}; secs=${3:-30}
shift $(( $# < 3 ? $# : 3 )) || true
root=$(cd "$(dirname "$0")/../.." && pwd)
jars=("$@"); [ ${#jars[@]} -eq 0 ] && jars=("$root/agent/target/racetrace-agent.jar")
svc_jar=$root/target-service/target/racetrace-target-service.jar
drv_jar=$root/target-service/target/racetrace-workload.jar
tick=$(getconf CLK_TCK)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cpu_ms() { awk -v t="$tick" '{print int(($14 + $15) * 1000 / t)}' "/proc/$1/stat"; }
wakeups() { # pid -> voluntary context switches of the racetrace-writer thread, or 0
  for t in /proc/"$1"/task/*; do
    if [ "$(cat "$t/comm" 2>/dev/null)" = "racetrace-write" ]; then
      awk '/^voluntary_ctxt_switches/ {print $2}' "$t/status"; return
    fi
  done
  echo 0
}
split() { # pid -> "writer_ns jit_ns gc_ns" summed over the live threads of each class
  # (%.0f, not %d: mawk clamps %d at 2^31 ns, which a compiler thread passes in seconds)
  for t in /proc/"$1"/task/*; do
    printf '%s\t%s\n' "$(cat "$t/comm" 2>/dev/null)" "$(awk '{print $1}' "$t/schedstat" 2>/dev/null)"
  done | awk -F'\t' '$1 == "racetrace-write" {w += $2; next}
    $1 ~ /^C[12] CompilerThre/ {j += $2; next}
    $1 ~ /^(GC Thread|G1 |VM Thread|VM Periodic)/ {g += $2; next}
    END {printf "%.0f %.0f %.0f\n", w, j, g}'
}
echo "run agent answered cpu_ms us_per_request us_per_request_without_jit app_us writer_us jit_us gc_us writer_wakeups_per_s load1"
for i in $(seq 1 "$runs"); do
  for a in none "${jars[@]}"; do
    opts=""
    [ "$a" != none ] && opts="-javaagent:$a=probes=$root/samples/probes/target-service.yaml,queue=$out/q-$i-$RANDOM${AGENT_OPTS:+,$AGENT_OPTS}"
    # shellcheck disable=SC2086
    java ${SERVICE_OPTS:-} $opts -jar "$svc_jar" --mode conditional --port 0 > "$out/svc.log" 2>&1 &
    svc=$!
    port=""
    for _ in $(seq 1 300); do port=$(sed -n 's/^ready: port=//p' "$out/svc.log"); [ -n "$port" ] && break; sleep 0.1; done
    t=http://127.0.0.1:$port
    java -jar "$drv_jar" run --target "$t" --profile "${PROFILE:-seed-peak}" --seed 1 --rate "$rate" --duration-seconds "${WARMUP:-20}" > /dev/null
    c0=$(cpu_ms "$svc"); s0=$(wakeups "$svc"); read -r sw0 sj0 sg0 <<< "$(split "$svc")"
    java -jar "$drv_jar" run --target "$t" --profile "${PROFILE:-seed-peak}" --rate "$rate" --duration-seconds "$secs" --out "$out/gt.json" > "$out/run.txt"
    c1=$(cpu_ms "$svc"); s1=$(wakeups "$svc"); read -r sw1 sj1 sg1 <<< "$(split "$svc")"
    kill "$svc"; wait "$svc" 2>/dev/null || true
    n=$(sed -n 's/.*"completed" *: *\([0-9]*\).*/\1/p' "$out/gt.json" | head -1)
    label=$([ "$a" = none ] && echo none || basename "$(dirname "$a")")/$(basename "$a")
    nn=$(( n > 0 ? n : 1 )); total_ns=$(( (c1 - c0) * 1000000 ))
    wr=$(( sw1 - sw0 )); jit=$(( sj1 - sj0 )); gc=$(( sg1 - sg0 )); app=$(( total_ns - wr - jit - gc ))
    echo "$i $label $n $((c1 - c0)) $(( total_ns / 1000 / nn )) $(( (total_ns - jit) / 1000 / nn )) $(( app / 1000 / nn )) $(( wr / 1000 / nn )) $(( jit / 1000 / nn )) $(( gc / 1000 / nn )) $(( (s1 - s0) / secs )) $(cut -d' ' -f1 /proc/loadavg)"
  done
done
