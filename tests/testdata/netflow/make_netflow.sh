#!/bin/sh
# usage: make_netflow.sh out.pcap v:in.pcap ... — one capture of softflowd exports
set -e
out=$1; shift
ns=hin-sf$$
ip netns add $ns
trap "ip netns del $ns" EXIT
ip netns exec $ns ip link set lo up
ip netns exec $ns tcpdump -i lo -w $out -U udp port 9995 2>/dev/null &
tp=$!
sleep 1
for job in "$@"; do
  v=${job%%:*}; in=${job#*:}
  ctl=${TMPDIR:-/tmp}/sf-$$.ctl
  ip netns exec $ns softflowd $SFOPTS -d -r $in -n 127.0.0.1:9995 -v $v -p ${TMPDIR:-/tmp}/sf.pid -c $ctl & sp=$!
  sleep 0.5
  # softflowd 1.1.0 -r blocks in accept() on its control socket each loop:
  # control requests drive it until the file is done and it exits.
  while [ -S $ctl ]; do ip netns exec $ns softflowctl -c $ctl statistics >/dev/null 2>&1 || true; sleep 0.1; done
  wait $sp || true
done
sleep 1
kill $tp; wait $tp || true
