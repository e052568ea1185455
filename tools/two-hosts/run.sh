#!/usr/bin/env bash
# One benchmark with the server on one host and the load on one or more others: starts the server there with
# its metrics endpoint, runs benchmarks.jar on each load host against it (server CPU, RSS and threads from the
# endpoint), collects each load's results and latency logs here, merges the latencies, and stops the server.
# As a cross-check it reads the server's CPU time from /proc on the server host and from the endpoint at the
# same two moments, before and after the load, and prints both.
#
# Every host needs Java 17+ and the built lab at the same path ($LAB); the load hosts need curl. Commands reach
# a host through a prefix: "ssh user@host" for another machine, "ip netns exec NS" for a namespace
# (tools/two-namespaces/netns.sh), nothing for this machine.
#
#   SERVER_ADDR=10.0.0.1 ON_SERVER="ssh lab@10.0.0.1" ON_LOAD="ssh lab@10.0.0.2;ssh lab@10.0.0.3" \
#     tools/two-hosts/run.sh EchoBenchmark -p variant=et -p clients=200 -p payload=512
#
# Settings (environment):
#   SERVER_ADDR   the address the load hosts reach the server at (required)
#   ON_SERVER     prefix that runs a command on the server host (default: none, this machine)
#   ON_LOAD       prefixes of the load hosts, separated by ';' (default: one load, on this machine)
#   SERVER_JAR    the server, relative to $LAB (default et-server/target/et-server.jar); SERVER_ARGS its options
#   PORT, METRICS_PORT  the server's ports (default 9000 and 9100)
#   LAB           the lab's folder on every host (default: this checkout)
#   OUT           where the results land here (default two-hosts-results/DATE)
# Arguments: what benchmarks.jar runs (default: EchoBenchmark -p clients=50 -p payload=512); the script adds the
# target, the endpoint, --latency-log and -rf json, and gives the load every CPU of its host unless the
# arguments pin it (-p clientCpus=LIST); pin the server with a prefix, e.g. ON_SERVER="ssh host taskset -c 2-3".
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
: "${SERVER_ADDR:?set SERVER_ADDR to the address the load hosts reach the server at (see the header of $0)}"
ON_SERVER=${ON_SERVER:-}
ON_LOAD=${ON_LOAD:-}
SERVER_JAR=${SERVER_JAR:-et-server/target/et-server.jar}
SERVER_ARGS=${SERVER_ARGS:-}
PORT=${PORT:-9000}
METRICS_PORT=${METRICS_PORT:-9100}
LAB=${LAB:-$here}
OUT=${OUT:-$here/two-hosts-results/$(date +%Y%m%d-%H%M%S)}
if [ $# -eq 0 ]; then
  set -- EchoBenchmark -p clients=50 -p payload=512
fi
# Every CPU of a load host to its load, unless the arguments say otherwise.
cpus=()
[[ " $* " == *clientCpus=* ]] || cpus+=(-p clientCpus=all)
[[ " $* " == *serverCpus=* ]] || cpus+=(-p serverCpus=all)
IFS=';' read -r -a loads <<< "${ON_LOAD:- }"
mkdir -p "$OUT"
say() { echo "two-hosts: $*"; }

# 1. The server, with its endpoint. Its pid comes from its listening line.
# shellcheck disable=SC2086 # the prefixes and SERVER_ARGS are word lists on purpose
$ON_SERVER java -jar "$LAB/$SERVER_JAR" --host "$SERVER_ADDR" --port "$PORT" --metrics-port "$METRICS_PORT" \
  $SERVER_ARGS >"$OUT/server.log" 2>&1 &
server_job=$!
for _ in $(seq 300); do
  grep -q 'listening on' "$OUT/server.log" && break
  kill -0 "$server_job" 2>/dev/null || break
  sleep 0.1
done
pid=$(grep -o 'pid=[0-9]*' "$OUT/server.log" | head -1 | cut -d= -f2 || true)
if [ -z "$pid" ]; then
  say "the server did not start:" >&2
  cat "$OUT/server.log" >&2
  exit 1
fi
stop_server() { $ON_SERVER kill -TERM "$pid" 2>/dev/null || true; wait "$server_job" 2>/dev/null || true; }
trap stop_server EXIT
say "server: $(grep 'listening on' "$OUT/server.log")"

# The server's CPU seconds from the kernel on its host, and from its endpoint, read as close together as can be.
ticks=$($ON_SERVER getconf CLK_TCK)
proc_cpu() { $ON_SERVER cat "/proc/$pid/stat" | awk -v hz="$ticks" '{ sub(/.*\) /, ""); print ($12 + $13) / hz }'; }
endpoint() { ${loads[0]} curl -sf "http://$SERVER_ADDR:$METRICS_PORT/metrics" | awk -v m="$1" '$1 == m { print $2 }'; }
# A cold endpoint spends tens of ms of its first scrapes loading and compiling its code, part of it after it has
# taken its CPU figure: scrape it warm first, as the harness does before a remote trial.
for _ in $(seq 50); do endpoint process_cpu_seconds_total >/dev/null; done
proc_before=$(proc_cpu); endpoint_before=$(endpoint process_cpu_seconds_total)
bytes_before=$(endpoint echo_sent_bytes_total)

# 2. The load, from every load host at once, each into its own folder there, then copied here.
remote_out=/tmp/two-hosts-$$
jobs_=()
for i in "${!loads[@]}"; do
  prefix=${loads[$i]}
  $prefix mkdir -p "$remote_out/load-$i"
  # shellcheck disable=SC2086
  $prefix java -jar "$LAB/jmh/target/benchmarks.jar" "$@" \
    -p "target=$SERVER_ADDR:$PORT" -p "targetMetrics=$SERVER_ADDR:$METRICS_PORT" "${cpus[@]}" \
    --latency-log "$remote_out/load-$i" -rf json -rff "$remote_out/load-$i/results.json" >"$OUT/load-$i.log" 2>&1 &
  jobs_+=($!)
done
failed=0
for i in "${!jobs_[@]}"; do
  if ! wait "${jobs_[$i]}"; then
    say "load $i failed; its output is in $OUT/load-$i.log:" >&2
    tail -20 "$OUT/load-$i.log" >&2
    failed=1
  fi
done
# The load is over, but the server may still be busy a moment (closing connections, its JIT compiling): read
# once it is idle, so that what falls between the two readings is nothing.
for _ in $(seq 25); do
  idle_from=$(proc_cpu); sleep 0.2
  [ "$(proc_cpu)" = "$idle_from" ] && break
done
endpoint_after=$(endpoint process_cpu_seconds_total); proc_after=$(proc_cpu)
bytes_after=$(endpoint echo_sent_bytes_total)
for i in "${!loads[@]}"; do
  mkdir -p "$OUT/load-$i"
  # shellcheck disable=SC2086
  ${loads[$i]} tar -C "$remote_out/load-$i" -cf - . | tar -C "$OUT/load-$i" -xf -
  ${loads[$i]} rm -rf "$remote_out/load-$i"
done
[ "$failed" = 0 ] || exit 1

# 3. What came out.
for i in "${!loads[@]}"; do
  say "load $i: $OUT/load-$i/results.json"
  grep '^|' "$OUT/load-$i.log" || true
done
say "latencies of every load, merged:"
java -jar "$here/jmh/target/benchmarks.jar" --merge-latencies "$OUT"/load-*/*.hlog
awk -v p="$proc_before" -v P="$proc_after" -v e="$endpoint_before" -v E="$endpoint_after" \
    -v b="$bytes_before" -v B="$bytes_after" 'BEGIN {
  printf "two-hosts: server CPU over the load, /proc %.2f s, endpoint %.2f s (endpoint/proc %.3f); %.0f MiB echoed\n",
    P - p, E - e, (E - e) / (P - p), (B - b) / 1048576 }'
say "results in $OUT"
