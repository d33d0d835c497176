#!/bin/sh
# argus-rotate [-z] [-k DAYS] [-p PIDFILE] FILE: moves argus-ts's output
# FILE aside as FILE.YYYYmmdd-HHMMSS. The sensor notices the rename within
# 1 s (at once with -p: SIGWINCH to the pid in PIDFILE) and starts a new
# FILE beginning with a MAR. Records written before it notices land in
# the moved file, so -z waits 2 s before gzip. -k DAYS deletes rotated
# files older than DAYS days. POSIX sh; busybox's is enough.

usage() {
	echo "usage: argus-rotate [-z] [-k DAYS] [-p PIDFILE] FILE" >&2
	exit 2
}

zip=0
keep=
pidfile=
while getopts :zk:p: opt; do
	case $opt in
	z) zip=1 ;;
	k) keep=$OPTARG ;;
	p) pidfile=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || usage
case $keep in
'' | *[!0-9]*) [ -z "$keep" ] || usage ;;
esac

file=$1
dir=$(dirname "$file")
base=$(basename "$file")

if [ -e "$file" ]; then
	moved="$file.$(date +%Y%m%d-%H%M%S)"
	[ -e "$moved" ] && moved="$moved.$$"
	mv "$file" "$moved" || {
		echo "argus-rotate: Cannot move \"$file\"" >&2
		exit 1
	}
	if [ -n "$pidfile" ] && [ -r "$pidfile" ]; then
		kill -WINCH "$(cat "$pidfile")" 2>/dev/null
	fi
	if [ "$zip" = 1 ]; then
		sleep 2
		gzip "$moved" || exit 1
	fi
fi

if [ -n "$keep" ]; then
	find "$dir" -name "$base.*" -type f -mtime +"$keep" -exec rm -f {} \;
fi
exit 0
