#!/usr/bin/env bash
# Counts, with perf, the accept4 and epoll_wait calls a server makes for a burst of connections: one
# non-blocking connect after another, as fast as one thread issues them, then all closed. Shows how many
# connections each epoll wake-up accepts. Needs root (perf tracepoints) and python3; build the jars first
# (mvn -B -q package -DskipTests).
#   tools/accept-burst/run.sh lt-server/target/lt-server.jar [CONNECTIONS] [server options...]
set -euo pipefail
cd "$(dirname "$0")/../.."
jar=${1:?usage: $0 JAR [CONNECTIONS] [server options...]}
connections=${2:-2000}
shift $(( $# >= 2 ? 2 : 1 ))
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

java -jar "$jar" --port 0 "$@" >"$out/server" 2>&1 &
server=$!
for _ in $(seq 100); do grep -q 'listening on' "$out/server" && break; sleep 0.1; done
port=$(grep -o 'listening on [^ ]*' "$out/server" | sed 's/.*://')
[ -n "$port" ] || { echo "accept-burst: the server did not start:" >&2; cat "$out/server" >&2; exit 1; }

perf stat -x, -o "$out/perf" -p "$server" \
  -e syscalls:sys_enter_accept4 -e syscalls:sys_exit_accept4 --filter 'ret < 0' \
  -e syscalls:sys_enter_epoll_wait -e syscalls:sys_enter_epoll_pwait -e syscalls:sys_enter_epoll_pwait2 &
perf=$!
sleep 1
python3 - "$port" "$connections" <<'PY'
import socket, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
sockets = []
for _ in range(n):
    s = socket.socket()
    s.setblocking(False)
    try:
        s.connect(("127.0.0.1", port))
    except BlockingIOError:
        pass
    sockets.append(s)
time.sleep(1)
for s in sockets:
    s.close()
time.sleep(1)
PY
kill -INT "$perf"; wait "$perf" || true
kill -TERM "$server"; wait "$server" || true
awk -F, -v jar="$jar" -v n="$connections" '
  /sys_enter_accept4/ { accepts = $1 }
  /sys_exit_accept4/  { eagain = $1 }
  /sys_enter_epoll/   { waits += $1 }
  END { printf "%s: %d connections, accept4 %d (%d returned EAGAIN), epoll waits %d\n", jar, n, accepts, eagain, waits }
' "$out/perf"
