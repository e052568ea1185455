#!/usr/bin/env bash
# Where the tail latency comes from: paired trials of one variant with the JVMs as the harness runs them (G1;
# server 512 MiB, client 1 GiB) against JVMs that never collect garbage (Epsilon, heaps big enough for a whole
# trial, pre-touched), alternating A B, B A, ... SIDE says whose JVM changes: server, client or both. Prints
# each metric's ratio B/A with a 95% t-interval over the pairs, and the G1 pauses each A trial logged on both
# sides. If a tail shrinks without a collector, it was that collector's.
# The table also goes to jmh/target/compare/jvm-tails-....md, where the report picks it up as a block.
# Needs python3; build first (mvn -B -q install -DskipTests).
#   tools/jvm-tails/run.sh [VARIANT] [PAIRS] [CLIENTS] [PAYLOAD] [server|client|both]
set -euo pipefail
cd "$(dirname "$0")/../.."
variant=${1:-et}
pairs=${2:-5}
clients=${3:-50}
payload=${4:-512}
side=${5:-both}
case $side in server|client|both) ;; *) echo "jvm-tails: SIDE is server, client or both, not '$side'" >&2; exit 2;; esac
[ -f jmh/target/benchmarks.jar ] || { echo "jvm-tails: build first: mvn -B -q install -DskipTests" >&2; exit 1; }
out=jmh/target/jvm-tails/$variant-clients$clients-payload$payload-$side
rm -rf "$out" && mkdir -p "$out"
common="-Dio.netty.leakDetection.level=disabled"
g1="-Xms512m -Xmx512m -XX:+UseG1GC $common"
epsilon="-Xms6g -Xmx6g -XX:+UnlockExperimentalVMOptions -XX:+UseEpsilonGC -XX:+AlwaysPreTouch"
nogc="$epsilon $common"

trial() { # NUMBER A|B SERVER_FLAGS CLIENT_FLAGS
  java -jar jmh/target/benchmarks.jar 'EchoBenchmark\.' -p variant="$variant" -p clients="$clients" \
    -p payload="$payload" -p serverJvm="$3" -jvmArgsAppend "$4" -wi 1 -w 3s -i 3 -r 2s -f 1 --no-perf \
    -rff "$out/$1-$2.json" >"$out/$1-$2.log" 2>&1 || { echo "jvm-tails: trial $1 failed, see $out/$1-$2.log" >&2; exit 1; }
  echo "[jvm-tails] pair $(( (10#$1 + 1) / 2 ))/$pairs $2 done"
}
n=0
for pair in $(seq "$pairs"); do
  if (( pair % 2 )); then order="g1 nogc"; else order="nogc g1"; fi
  for which in $order; do
    n=$((n + 1))
    num=$(printf %02d $n)
    if [ "$which" = g1 ]; then
      trial "$num" g1 "$g1 -Xlog:gc:file=$out/$num-server-gc.log" "-Xlog:gc:file=$out/$num-client-gc.log"
    else
      server_flags=$g1; client_flags=""
      [ "$side" != client ] && server_flags=$nogc
      [ "$side" != server ] && client_flags=$epsilon
      trial "$num" nogc "$server_flags" "$client_flags"
    fi
  done
done

name=jvm-tails-$variant-clients$clients-payload$payload-$side
mkdir -p jmh/target/compare
python3 - "$out" "$variant" "$clients" "$payload" "$side" <<'PY' | tee "jmh/target/compare/$name.md"
import glob, json, math, os, re, statistics, sys
out, variant, clients, payload, side = sys.argv[1:]
T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228}
metrics = [("echoes", "echoes/s"), ("server.cpu.us/op", "srv CPU us/op"), ("latency.p50.us", "p50 us"),
           ("latency.p99.us", "p99 us"), ("latency.p999.us", "p99.9 us")]
trials = {"g1": [], "nogc": []}
for f in sorted(glob.glob(os.path.join(out, "*-g1.json")) + glob.glob(os.path.join(out, "*-nogc.json"))):
    kind = f.rsplit("-", 1)[1][:-5]
    trials[kind].append(json.load(open(f))[0]["secondaryMetrics"])
print(f"{variant}, {clients} clients x {payload} B: no GC (Epsilon) on the {side} side(s) / G1, "
      f"{len(trials['g1'])} pairs, 95% interval\n")
print("| metric | G1 | no GC | no GC / G1 [95% CI] |")
print("| --- | ---: | ---: | ---: |")
for key, label in metrics:
    a = [t[key]["score"] for t in trials["g1"]]
    b = [t[key]["score"] for t in trials["nogc"]]
    logs = [math.log(y / x) for x, y in zip(a, b)]
    m = statistics.mean(logs)
    h = T975.get(len(logs) - 1, 1.96) * statistics.stdev(logs) / math.sqrt(len(logs))
    print(f"| {label} | {statistics.mean(a):,.1f} | {statistics.mean(b):,.1f} | "
          f"{math.exp(m):.3f} [{math.exp(m - h):.3f}, {math.exp(m + h):.3f}] |")
for who in ("server", "client"):
    pauses = []
    for f in sorted(glob.glob(os.path.join(out, f"*-{who}-gc.log"))):
        ms = [float(x) for x in re.findall(r"Pause.* (\d+\.\d+)ms", open(f).read())]
        pauses.append((len(ms), sum(ms), max(ms, default=0)))
    if pauses:
        print(f"\nG1 pauses of the {who} per G1 trial (its whole life, warm-up included): "
              + "; ".join(f"{n} pauses, {total:.1f} ms in all, longest {top:.1f} ms" for n, total, top in pauses))
PY
