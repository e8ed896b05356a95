#!/bin/bash
# Benchmarks: the cost of one system call under the shipped profiles next
# to Docker's default seccomp profile, and the cost of opening a session
# with pam_sechard.  Run by "make bench"; results are described in
# docs/benchmarks.md.
#
# Tested as root. The filters are loaded with no_new_privs in forked
# children, and the PAM sessions run through pam_wrapper with the module's
# enforce=child, so the benchmark process itself stays unconfined.
# NOTE: as another user, profile "docker" may fail to drop capabilities.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
build=$top/build
module=$build/pam_sechard.so
docker_json=${SECHARD_BENCH_OCI:-/work/shared/peers/docker-default-seccomp.json}
wrapper=$(ls /usr/lib/*/libpam_wrapper.so 2>/dev/null | head -n 1)
cc=${CC:-cc}

# Sessions per round and rounds for the PAM figures.
sessions=${SECHARD_BENCH_SESSIONS:-200}
rounds=${SECHARD_BENCH_ROUNDS:-7}

if [ ! -e "$build/libsechard.a" ] || [ ! -e "$module" ]; then
	echo "bench.sh: build/libsechard.a or build/pam_sechard.so missing; run make first" >&2
	exit 1
fi
if [ ! -r "$docker_json" ]; then
	echo "bench.sh: Docker profile $docker_json not found; set SECHARD_BENCH_OCI" >&2
	exit 1
fi

work=$(mktemp -d /tmp/sechard-bench.XXXXXX)
chmod 0755 "$work"
trap 'rm -rf "$work"' EXIT

# The library's dependencies, linked as the Makefile links its helpers.
flags="-std=gnu11 -O2 -D_GNU_SOURCE -Wall -Wextra -Wformat=2 -Wshadow
	-Wmissing-prototypes -Wstrict-prototypes -Wwrite-strings
	-Wno-unused-parameter -I$top/lib -I/usr/include/iniparser"
libs="$(pkg-config --libs pam libseccomp libcap libselinux libapparmor json-c) -liniparser"
for name in syscall_bench open_bench; do
	# shellcheck disable=SC2086 # flags and libs are word lists
	$cc $flags -o "$work/$name" "$top/tests/bench/$name.c" \
		"$build/libsechard.a" $libs
done

# sh_config_load() accepts only files that no other user may write.
cp "$top/conf/sechard.conf" "$work/sechard.conf"
cp "$docker_json" "$work/docker-default.json"
chmod 0644 "$work/sechard.conf" "$work/docker-default.json"

echo "machine: $(nproc) CPUs, kernel $(uname -r)," \
	"$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
echo "filters: conf/sechard.conf (baseline, tenant), $docker_json (Docker)"
echo
"$work/syscall_bench" "$work/sechard.conf" "$work/docker-default.json"
echo "  target: allowed syscall within 5% of no filter;" \
	"conditional syscalls no slower than Docker"
echo

if [ -z "$wrapper" ]; then
	echo "SKIP session cost: libpam_wrapper.so not installed (Debian package libpam-wrapper)"
	exit 0
fi

cat >"$work/bench.conf" <<EOF
[global]
default = small

[profile small]
caps = all
no_new_privs = yes
seccomp = denylist
seccomp_deny = ptrace, @mount, @module, @reboot

[profile docker]
caps = cap_chown, cap_dac_override, cap_fowner, cap_fsetid, cap_kill, cap_setgid, cap_setuid, cap_setpcap, cap_net_bind_service, cap_net_raw, cap_sys_chroot, cap_mknod, cap_audit_write, cap_setfcap
no_new_privs = yes
seccomp_oci = $work/docker-default.json
EOF
sed 's/^default = small$/default = docker/' "$work/bench.conf" \
	>"$work/bench-docker.conf"
chmod 0644 "$work/bench.conf" "$work/bench-docker.conf"

# enforce=child with no child: the session process stays unconfined and the
# module logs at close that the profile was never enforced.
mkdir -m 0755 "$work/pam"
echo "session required pam_permit.so" >"$work/pam/bench-none"
echo "session required $module config=$work/bench.conf enforce=child" \
	>"$work/pam/bench-small"
echo "session required $module config=$work/bench-docker.conf enforce=child" \
	>"$work/pam/bench-docker"

LD_PRELOAD=$wrapper PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR=$work/pam \
	"$work/open_bench" "$(id -un)" "$sessions" "$rounds" \
	bench-none bench-small bench-docker \
	>"$work/sessions" 2>"$work/sessions.log" || {
	echo "bench.sh: open_bench failed:" >&2
	cat "$work/sessions.log" >&2
	exit 1
}

echo "PAM session, median of $rounds rounds of $sessions sessions"
echo "(whole: pam_start .. pam_end, including dlopen of the modules;"
echo " open: pam_open_session() alone; root's sessions reuse compiled filters"
echo " from /run/sechard after the first)"
awk '
	$1 == "bench-none" { base = $2; open_base = $3 }
	{ ms[$1] = $2; open_ms[$1] = $3; order[NR] = $1 }
	END {
		label["bench-none"] = "(a) pam_permit only"
		label["bench-small"] = "(b) pam_sechard, small profile"
		label["bench-docker"] = "(c) pam_sechard, Docker profile"
		printf "%-34s %10s %10s %10s %10s\n", "stack", "whole ms",
			"delta", "open ms", "delta"
		for (i = 1; i <= NR; i++)
			printf "%-34s %10.3f %+10.3f %10.3f %+10.3f\n",
				label[order[i]], ms[order[i]],
				ms[order[i]] - base, open_ms[order[i]],
				open_ms[order[i]] - open_base
		delta = open_ms["bench-docker"] - open_base
		printf "  target: pam_open_session with a Docker-sized profile adds < 1 ms: %.3f ms %s\n",
			delta, delta < 1 ? "met" : "MISSED"
	}' "$work/sessions"
