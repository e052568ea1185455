#!/usr/bin/env bash
# Two network namespaces joined by a veth pair: a "server host" and a "load host" on this machine, so that the
# load reaches the server over a real (virtual) link with its own addresses instead of loopback. Needs root and
# iproute2. The namespaces and the pair go away with "down" (deleting a namespace deletes its end of the pair).
#   tools/two-namespaces/netns.sh up   [NAME] [N]   creates NAME-srv (10.231.N.1) and NAME-load (10.231.N.2)
#   tools/two-namespaces/netns.sh down [NAME]
# NAME defaults to "lab", N to 0. Then, e.g.:
#   ip netns exec lab-srv java -jar et-server/target/et-server.jar --host 10.231.0.1 --port 9000
#   ip netns exec lab-load java -jar jmh/target/benchmarks.jar EchoBenchmark -p target=10.231.0.1:9000 ...
set -euo pipefail
action=${1:?usage: $0 up|down [NAME] [N]}
name=${2:-lab}
n=${3:-0}
srv="$name-srv"
load="$name-load"
# Interface names are at most 15 bytes; the pair's ends are named after the namespace they live in.
veth_srv="${name:0:10}-s"
veth_load="${name:0:10}-l"

case "$action" in
  up)
    if ! [[ "$n" =~ ^[0-9]+$ ]] || [ "$n" -gt 255 ]; then
      echo "netns.sh: N must be 0..255, not '$n'" >&2
      exit 2
    fi
    ip netns add "$srv"
    ip netns add "$load"
    ip link add "$veth_srv" type veth peer name "$veth_load"
    ip link set "$veth_srv" netns "$srv"
    ip link set "$veth_load" netns "$load"
    ip -n "$srv" addr add "10.231.$n.1/24" dev "$veth_srv"
    ip -n "$load" addr add "10.231.$n.2/24" dev "$veth_load"
    for ns in "$srv" "$load"; do ip -n "$ns" link set lo up; done
    ip -n "$srv" link set "$veth_srv" up
    ip -n "$load" link set "$veth_load" up
    echo "server namespace $srv at 10.231.$n.1, load namespace $load at 10.231.$n.2 (veth $veth_srv <-> $veth_load)"
    ;;
  down)
    ip netns del "$srv" 2>/dev/null || true
    ip netns del "$load" 2>/dev/null || true
    ;;
  *)
    echo "netns.sh: unknown action '$action' (up or down)" >&2
    exit 2
    ;;
esac
