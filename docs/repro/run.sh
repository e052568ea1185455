#!/usr/bin/env bash
# Runs AcceptStarvation.java against plain Netty from Maven Central, on one CPU, so its one event loop is
# saturated. Usage: docs/repro/run.sh [4.1|4.2] [lt|et] [BUSY] [BATCH]   (defaults: 4.1 lt 2000 1)
# On 4.2 the mode is ignored: its epoll is level-triggered only.
set -euo pipefail
line=${1:-4.1}; mode=${2:-lt}; busy=${3:-2000}; batch=${4:-1}
case "$line" in
  4.1) version=4.1.137.Final ;;
  4.2) version=4.2.18.Final ;;
  *) echo "run.sh: the Netty line is 4.1 or 4.2, not '$line'" >&2; exit 2 ;;
esac
jars=$(mktemp -d)
trap 'rm -rf "$jars"' EXIT
for artifact in netty-common netty-buffer netty-resolver netty-transport netty-transport-native-unix-common \
    netty-transport-classes-epoll netty-transport-native-epoll:"$version":jar:linux-x86_64; do
  case "$artifact" in *:*) coords="io.netty:$artifact" ;; *) coords="io.netty:$artifact:$version" ;; esac
  mvn -q -B -Dstyle.color=never dependency:copy -Dartifact="$coords" -DoutputDirectory="$jars"
done
ulimit -n 20000
exec taskset -c "${CPU:-0}" java -cp "$jars/*" "$(dirname "$0")/AcceptStarvation.java" "$mode" "$busy" "$batch"
