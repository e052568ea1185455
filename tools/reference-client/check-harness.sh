#!/usr/bin/env bash
# Does the JMH harness measure what an independent client measures? Alternates, ROUNDS times, the C client
# (measure-et.sh) and the harness's EchoBenchmark against et-server in the same CPU layout (server on
# SERVER_CPUS, client on CLIENT_CPUS), at 1 and 50 clients x 512 B, and prints each round's harness/C ratio.
# The harness should reach at least 0.9x.
#
# Environment: ROUNDS [3], CLIENTS ["1 50"], PAYLOAD [512], SERVER_CPUS [1], CLIENT_CPUS [0], HARNESS_ARGS
# [""]: more harness options, e.g. "--no-perf" to measure without perf's syscall counting.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bench="$root/jmh/target/benchmarks.jar"
ROUNDS="${ROUNDS:-3}"
CLIENTS="${CLIENTS:-1 50}"
PAYLOAD="${PAYLOAD:-512}"
SERVER_CPUS="${SERVER_CPUS:-1}"
CLIENT_CPUS="${CLIENT_CPUS:-0}"
export CLIENTS PAYLOAD SERVER_CPUS CLIENT_CPUS SECONDS_=6 WARMUP=3

if [[ ! -f "$bench" ]]; then
    echo "check-harness.sh: $bench is missing; build it first: mvn -B -q package -DskipTests" >&2
    exit 1
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

for ((round = 1; round <= ROUNDS; round++)); do
    "$here/measure-et.sh" >"$tmp/c.txt" 2>"$tmp/c.err"
    (cd "$root" && java -jar "$bench" 'EchoBenchmark\.' -p variant=et -p "clients=${CLIENTS// /,}" \
        -p payload="$PAYLOAD" -p serverCpus="$SERVER_CPUS" -p clientCpus="$CLIENT_CPUS" \
        -wi 1 -w 3 -i 3 -r 2 -rf json -rff "$tmp/harness.json" ${HARNESS_ARGS:-}) >"$tmp/harness.txt" 2>&1
    for clients in $CLIENTS; do
        c=$(sed -n "s/^echoes_per_s=\([0-9.]*\) .* clients=$clients .*/\1/p" "$tmp/c.txt")
        h=$(sed -n "s/^| EchoBenchmark.echo *| et *| clients=$clients payload=$PAYLOAD *| *\([0-9,.]*\) .*/\1/p" \
            "$tmp/harness.txt" | tr -d ,)
        if [[ -z "$c" || -z "$h" ]]; then
            echo "check-harness.sh: round $round, $clients clients: no figure (C: '$c', harness: '$h'); outputs:" >&2
            cat "$tmp/c.txt" "$tmp/c.err" "$tmp/harness.txt" >&2
            exit 1
        fi
        awk -v r="$round" -v n="$clients" -v c="$c" -v h="$h" \
            'BEGIN { printf "round %d, %3d clients: C client %9.0f echoes/s, harness %9.0f, harness/C %.3f\n", r, n, c, h, h / c }'
    done
done
