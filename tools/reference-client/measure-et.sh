#!/usr/bin/env bash
# Measure et-server with the independent C echo client (echo_client.c), as a yardstick for the Java harness.
#
# Builds echo_client into a temp dir, starts et-server.jar pinned to SERVER_CPUS, runs the client pinned to
# CLIENT_CPUS once per entry of CLIENTS, prints the client's key=value line for each, stops the server.
#
# Environment (defaults in brackets):
#   CLIENTS      connection counts to run, space-separated ["1 50"]
#   PAYLOAD      bytes per request [512]
#   SECONDS_     measured seconds per run [5]   (SECONDS is taken by bash)
#   WARMUP       warmup seconds per run [2]
#   SERVER_CPUS  taskset list for the server [1]
#   CLIENT_CPUS  CPU list for the client [0]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
jar="$root/et-server/target/et-server.jar"

CLIENTS="${CLIENTS:-1 50}"
PAYLOAD="${PAYLOAD:-512}"
SECONDS_="${SECONDS_:-5}"
WARMUP="${WARMUP:-2}"
SERVER_CPUS="${SERVER_CPUS:-1}"
CLIENT_CPUS="${CLIENT_CPUS:-0}"

if [[ ! -f "$jar" ]]; then
    echo "measure-et.sh: $jar is missing; build it first: mvn -B -q package -DskipTests" >&2
    exit 1
fi
for tool in gcc java taskset; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "measure-et.sh: '$tool' is not on the PATH" >&2
        exit 1
    fi
done

tmp="$(mktemp -d)"
server_pid=""

stop_server() {
    # SIGTERM, then up to 20 s for the graceful shutdown, then SIGKILL.
    local pid="$1" i
    kill -TERM "$pid" 2>/dev/null || return 0
    for ((i = 0; i < 200; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        echo "measure-et.sh: server did not stop within 20 s of SIGTERM; killing it" >&2
        kill -KILL "$pid" 2>/dev/null || true
    fi
}

cleanup() {
    if [[ -n "$server_pid" ]]; then
        stop_server "$server_pid"
        wait "$server_pid" 2>/dev/null || true
        server_pid=""
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

gcc -O2 -Wall -Wextra -o "$tmp/echo_client" "$here/echo_client.c"

cd "$root"
taskset -c "$SERVER_CPUS" java -Xms512m -Xmx512m -XX:+UseG1GC -Dio.netty.leakDetection.level=disabled \
    -jar "$jar" --port 0 --idle-timeout 0 >"$tmp/server.out" 2>"$tmp/server.err" &
server_pid=$!

port=""
for ((i = 0; i < 300; i++)); do # up to 30 s for the JVM to start
    port="$(sed -n 's/^listening on [^ ]*:\([0-9][0-9]*\).*/\1/p' "$tmp/server.out" | head -n 1)"
    [[ -n "$port" ]] && break
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "measure-et.sh: the server exited before listening; its output:" >&2
        cat "$tmp/server.out" "$tmp/server.err" >&2
        exit 1
    fi
    sleep 0.1
done
if [[ -z "$port" ]]; then
    echo "measure-et.sh: the server printed no 'listening on' line within 30 s; its output:" >&2
    cat "$tmp/server.out" "$tmp/server.err" >&2
    exit 1
fi
echo "measure-et.sh: $(head -n 1 "$tmp/server.out") [server cpus $SERVER_CPUS, client cpus $CLIENT_CPUS]" >&2

for clients in $CLIENTS; do
    "$tmp/echo_client" --host 127.0.0.1 --port "$port" --clients "$clients" --payload "$PAYLOAD" \
        --warmup "$WARMUP" --seconds "$SECONDS_" --cpus "$CLIENT_CPUS"
done

pid="$server_pid"
stop_server "$pid"
status=0
wait "$pid" || status=$?
server_pid=""
if ((status != 0)); then
    echo "measure-et.sh: the server exited with status $status; its stderr:" >&2
    cat "$tmp/server.err" >&2
    exit 1
fi
grep '^stopped:' "$tmp/server.out" >&2 || true
