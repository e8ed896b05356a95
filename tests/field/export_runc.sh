#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Field case: "sechard export PROFILE --oci-json" gives runc the verdicts
# sechard's own filters give.
#
# For each profile below, the exported JSON goes into a runc bundle, and the
# static probe (tests/probe.c, "probe try OP...") runs once in that
# container and once under "sechard run -p PROFILE", with the same
# capabilities (Docker's default set) and no_new_privs.  The imported
# Docker profile is also probed syscall by syscall with oci_probe, every
# syscall it names.  One PASS or FAIL line per profile.
#
# The shipped tenant and baseline need more than the one filter runc
# builds; their export must be refused with the reason.
#
# Needs root and a runc that can start containers here; exits 77 otherwise.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$top/build}
sechard=$build/sechard
enforce=$build/tests/oci_enforce
docker_profile=${DOCKER_PROFILE:-/work/shared/peers/docker-default-seccomp.json}

skip() {
	echo "SKIP: export_runc: $*"
	exit 77
}

[ "$(id -u)" = 0 ] || skip "needs root to run runc"
command -v runc >/dev/null || skip "runc is not installed"
command -v python3 >/dev/null || skip "python3 is not installed"
[ -x "$sechard" ] || skip "$sechard is missing; run make first"
[ -x "$enforce" ] || skip "$enforce is missing; run make first"
${CC:-cc} --version >/dev/null 2>&1 || skip "no C compiler for the probe"

# Docker's default capabilities, for runc and for the sechard profiles.
caps_runc="CAP_CHOWN CAP_DAC_OVERRIDE CAP_FSETID CAP_FOWNER CAP_MKNOD
CAP_NET_RAW CAP_SETGID CAP_SETUID CAP_SETFCAP CAP_SETPCAP
CAP_NET_BIND_SERVICE CAP_SYS_CHROOT CAP_KILL CAP_AUDIT_WRITE"
caps_conf=$(echo $caps_runc | tr 'A-Z' 'a-z' | sed 's/ /, /g')

# Operations whose verdict does not depend on the container around them.
# Every one also runs in the rootfs, which holds only the probe.
ops="getpid read write statx pthread tiocsti tiocsti-high tioclinux
tioclinux-high clone-newuser clone-newuser-high unshare-user unshare-mount
personality personality-flag personality-bit31 personality-no-randomize
socket-inet socket-unix socket-netlink socket-packet clone3 keyctl bpf
ptrace io-uring-setup setns-user mount fsopen open-tree"

work=$(mktemp -d /tmp/sechard-export-runc.XXXXXX)
container=sechard-export-$$
failed=0
cleanup() {
	runc delete --force "$container" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

bundle=$work/bundle
# /tmp for the operations that make a scratch folder (mount)
mkdir -p "$bundle/rootfs/tmp"
${CC:-cc} -std=gnu11 -D_GNU_SOURCE -static -O2 -o "$bundle/rootfs/probe" \
	"$top/tests/probe.c" -lseccomp 2>"$work/cc.err" ||
	skip "cannot link the probe statically (libseccomp.a?): $(cat "$work/cc.err")"
${CC:-cc} -static -O2 -o "$bundle/rootfs/oci_probe" \
	"$top/tests/helpers/oci_probe.c"
(cd "$bundle" && runc spec)
cp "$bundle/config.json" "$work/config.orig.json"

# The configuration file checks want it root-owned and not writable by
# group or others, and so does the copy of Docker's profile.
install -m 0600 "$docker_profile" "$work/docker.json"
conf=$work/sechard.conf
(umask 077 && cat >"$conf") <<CONF
[global]
default = cond-allow

; allow-list: personality decided by conditional allows alone, and a
; conditional deny of socket, which nothing else allows
[profile cond-allow]
caps = $caps_conf
no_new_privs = yes
seccomp = allowlist
seccomp_allow = @default, @basic-io, @file-system, @process, @signal, @memory, personality(arg0 == 0), personality(arg0 == 0xffffffff)
seccomp_deny = socket(arg0 == AF_NETLINK):ENOSYS, ptrace:ENOSYS

; deny-list: conditional denies (on 32-bit arguments: high bits must not
; matter) and plain ones
[profile cond-deny]
caps = $caps_conf
no_new_privs = yes
seccomp = denylist
seccomp_deny = @bpf, @keyring, @io-uring, ioctl(arg1 == TIOCSTI), ioctl(arg1 == TIOCLINUX), unshare(arg0 & CLONE_NEWUSER == CLONE_NEWUSER), clone(arg0 & CLONE_NEWUSER == CLONE_NEWUSER), clone3:ENOSYS, socket(arg0 == AF_PACKET), setns, mount:ENOSYS

; Docker's default profile, imported
[profile docker]
caps = $caps_conf
no_new_privs = yes
seccomp_oci = $work/docker.json
CONF
cat "$top/conf/sechard.conf" >"$work/shipped.conf"
chmod 0600 "$work/shipped.conf"

# Write the bundle's config.json: PROFILE_JSON as the seccomp profile,
# Docker's capabilities, no_new_privs, and ARGS as the process.
write_bundle() {
	python3 - "$work/config.orig.json" "$bundle/config.json" "$1" \
		"$caps_runc" "$@" <<'PY'
import json
import sys

orig, out, profile_path, caps = sys.argv[1:5]
args = sys.argv[6:]
with open(orig) as f:
    config = json.load(f)
with open(profile_path) as f:
    profile = json.load(f)
caps = caps.split()
config["process"]["terminal"] = False
config["process"]["args"] = args
config["process"]["noNewPrivileges"] = True
config["root"]["readonly"] = False
config["process"]["capabilities"] = {
    "bounding": caps, "effective": caps, "permitted": caps,
}
config["linux"]["seccomp"] = profile
with open(out, "w") as f:
    json.dump(config, f, indent=1)
PY
}

run_runc() {
	runc run --bundle "$bundle" "$container" </dev/null \
		>"$work/runc.out" 2>"$work/runc.err" && return 0
	runc delete --force "$container" >/dev/null 2>&1 || true
	runc run --bundle "$bundle" --no-pivot "$container" </dev/null \
		>"$work/runc.out" 2>"$work/runc.err"
}

# compare NAME: diff runc.out against sechard.out, one PASS/FAIL line.
compare() {
	if [ ! -s "$work/runc.out" ]; then
		echo "FAIL: export_runc: $1: runc printed nothing"
		sed 's/^/  /' "$work/runc.err"
		failed=1
	elif diff "$work/runc.out" "$work/sechard.out" >"$work/diff"; then
		echo "PASS: export_runc: $1 ($(wc -l <"$work/runc.out") verdicts)"
	else
		echo "FAIL: export_runc: $1: verdicts differ (< runc, > sechard):"
		sed 's/^/  /' "$work/diff"
		failed=1
	fi
}

# check_profile NAME LABEL PROBE ARGS...: export, run under runc and sechard.
check_profile() {
	name=$1
	label=$2
	shift 2
	if ! "$sechard" export "$name" --oci-json --config "$conf" \
		-o "$work/$name.json" 2>"$work/export.err"; then
		echo "FAIL: export_runc: $name: export refused:"
		sed 's/^/  /' "$work/export.err"
		failed=1
		return
	fi
	write_bundle "$work/$name.json" "$@"
	if ! run_runc && [ ! -s "$work/runc.out" ]; then
		cat "$work/runc.err"
		skip "runc cannot run a container here (see its output above)"
	fi
	probe=$1
	shift
	"$sechard" run -p "$name" --config "$conf" -- \
		"$bundle/rootfs/$(basename "$probe")" "$@" \
		</dev/null >"$work/sechard.out" 2>"$work/sechard.err" || true
	compare "$label"
}

# shellcheck disable=SC2086
check_profile cond-allow cond-allow /probe try $ops
# shellcheck disable=SC2086
check_profile cond-deny cond-deny /probe try $ops
# shellcheck disable=SC2086
check_profile docker docker /probe try $ops

# Every syscall of Docker's profile, by number, with invalid arguments.
"$enforce" list "$work/docker.json" | sort -u -t= -k1,1 >"$work/list"
# shellcheck disable=SC2046
check_profile docker "docker, every syscall" /oci_probe $(tr '\n' ' ' <"$work/list")

# The shipped profiles need a second filter stage: refused, with the
# syscall, both rules and the way out.
for name in tenant baseline; do
	if "$sechard" export "$name" --oci-json --config "$work/shipped.conf" \
		>/dev/null 2>"$work/export.err"; then
		echo "FAIL: export_runc: shipped $name: export was not refused"
		failed=1
	elif grep -q 'cannot hold both' "$work/export.err" &&
		grep -q 'use --bpf or --pfc' "$work/export.err"; then
		echo "PASS: export_runc: shipped $name refused:" \
			"$(head -n 1 "$work/export.err" | sed 's/.*error: //')"
	else
		echo "FAIL: export_runc: shipped $name: refused without the reason:"
		sed 's/^/  /' "$work/export.err"
		failed=1
	fi
done

exit "$failed"
