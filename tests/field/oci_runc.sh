#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Field case: an imported Docker profile gives the same seccomp verdicts
# under sechard as under runc.
#
# The static probe build/tests/oci_probe.c makes each syscall with invalid
# arguments and prints one verdict per syscall.  It runs once in a runc
# container that uses Docker's default profile and Docker's default
# capabilities, and once under oci_enforce, which imports the same profile
# with sh_oci_load(), compiles it with sh_filter_compile() and keeps the same
# capabilities.  The two outputs must match, apart from the differences
# listed in KNOWN below, which docs/oci-import.md explains.
#
# Needs root and a runc that can start containers here; exits 77 otherwise.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$top/build}
profile=$top/tests/fuzz/corpus/oci/docker-default.json
enforce=$build/tests/oci_enforce

skip() {
	echo "SKIP: oci_runc: $*"
	exit 77
}

[ "$(id -u)" = 0 ] || skip "needs root to run runc"
command -v runc >/dev/null || skip "runc is not installed"
[ -x "$enforce" ] || skip "$enforce is missing; run make first"
${CC:-cc} --version >/dev/null 2>&1 || skip "no C compiler for the probe"

# Docker's default capability set (moby oci/caps/defaults.go), as numbers:
# CHOWN 0, DAC_OVERRIDE 1, FOWNER 3, FSETID 4, KILL 5, SETGID 6, SETUID 7,
# SETPCAP 8, NET_BIND_SERVICE 10, NET_RAW 13, SYS_CHROOT 18, MKNOD 27,
# AUDIT_WRITE 29, SETFCAP 31.
caps_names="CAP_CHOWN CAP_DAC_OVERRIDE CAP_FSETID CAP_FOWNER CAP_MKNOD
CAP_NET_RAW CAP_SETGID CAP_SETUID CAP_SETFCAP CAP_SETPCAP
CAP_NET_BIND_SERVICE CAP_SYS_CHROOT CAP_KILL CAP_AUDIT_WRITE"
caps_mask=0xa80425fb

# Known differences: syscall, runc's verdict, ours.
# - x32_getpid: Docker's archMap adds the x32 and i386 entry points, which
#   the kernel here does not offer (ENOSYS); sechard refuses them (EPERM).
KNOWN='
x32_getpid ENOSYS EPERM
'

work=$(mktemp -d /tmp/sechard-oci-runc.XXXXXX)
container=sechard-oci-$$
cleanup() {
	runc delete --force "$container" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

bundle=$work/bundle
mkdir -p "$bundle/rootfs"
${CC:-cc} -static -O2 -o "$bundle/rootfs/probe" \
	"$top/tests/helpers/oci_probe.c"

# Every syscall of the profile, then a sample outside it: privileged calls,
# obsolete ones, numbers no syscall has (400, 470, 1000), syscalls newer
# than libseccomp 2.5 (462 mseal, 467 open_tree_attr) and an x32 entry.
"$enforce" list "$profile" >"$work/list"
cat >>"$work/list" <<'EOF'
create_module=174
get_kernel_syms=177
query_module=178
nfsservctl=180
getpmsg=181
putpmsg=182
afs_syscall=183
tuxcall=184
security=185
lookup_dcookie=212
vserver=236
uselib=134
ustat=136
sysfs=139
_sysctl=156
add_key=248
request_key=249
keyctl=250
userfaultfd=323
io_uring_setup=425
io_uring_enter=426
io_uring_register=427
kexec_load=246
nr_335=335
nr_400=400
nr_462_mseal=462
nr_467=467
nr_470=470
nr_1000=1000
x32_getpid=1073741863
EOF
sort -u -t= -k1,1 "$work/list" >"$work/list.sorted"
# Every line is NAME=NUMBER, no blanks: word splitting is safe here.
probe_args=$(tr '\n' ' ' <"$work/list.sorted")

# The runc side: runc's default bundle (pid, mount, ipc, uts and network
# namespaces of its own), Docker's capabilities, and Docker's profile as
# Docker hands it to runc.  runc knows nothing of "includes", "excludes" and
# "archMap": Docker resolves them first (moby profiles/seccomp), for the
# "amd64" architecture, the container's bounding set and the running
# kernel, and so does the Python below.
(cd "$bundle" && runc spec)
python3 - "$bundle/config.json" "$profile" "$caps_names" $probe_args <<'EOF'
import json
import os
import sys

config_path, profile_path, caps = sys.argv[1], sys.argv[2], sys.argv[3]
with open(config_path) as f:
    config = json.load(f)
with open(profile_path) as f:
    profile = json.load(f)
caps = caps.split()
release = os.uname().release.split(".")
kernel = (int(release[0]), int(release[1].split("-")[0]))


def version(text):
    major, minor = text.split(".")
    return (int(major), int(minor))


def applies(entry):
    excludes = entry.get("excludes") or {}
    includes = entry.get("includes") or {}
    if "amd64" in (excludes.get("arches") or []):
        return False
    if any(cap in caps for cap in excludes.get("caps") or []):
        return False
    if excludes.get("minKernel") and kernel >= version(excludes["minKernel"]):
        return False
    if includes.get("arches") and "amd64" not in includes["arches"]:
        return False
    if any(cap not in caps for cap in includes.get("caps") or []):
        return False
    if includes.get("minKernel") and kernel < version(includes["minKernel"]):
        return False
    return True


resolved = {"defaultAction": profile["defaultAction"], "syscalls": []}
if "defaultErrnoRet" in profile:
    resolved["defaultErrnoRet"] = profile["defaultErrnoRet"]
for item in profile.get("archMap") or []:
    if item["architecture"] == "SCMP_ARCH_X86_64":
        resolved["architectures"] = ([item["architecture"]] +
                                     (item.get("subArchitectures") or []))
for entry in profile["syscalls"]:
    if applies(entry):
        resolved["syscalls"].append({key: entry[key] for key in entry
                                     if key in ("names", "action", "args",
                                                "errnoRet")})

config["process"]["terminal"] = False
config["process"]["args"] = ["/probe"] + sys.argv[4:]
config["process"]["noNewPrivileges"] = True
config["process"]["capabilities"] = {
    "bounding": caps, "effective": caps, "permitted": caps,
}
config["linux"]["seccomp"] = resolved
with open(config_path, "w") as f:
    json.dump(config, f, indent=1)
EOF

run_runc() {
	runc run --bundle "$bundle" "$@" "$container" \
		>"$work/runc.out" 2>"$work/runc.err"
}
if ! run_runc; then
	runc delete --force "$container" >/dev/null 2>&1 || true
	if ! run_runc --no-pivot; then
		echo "runc output:"
		cat "$work/runc.err"
		skip "runc cannot run a container here (see its output above)"
	fi
fi

# The sechard side, with the same capabilities and no_new_privs.
# shellcheck disable=SC2086
"$enforce" exec "$profile" "$caps_mask" "$bundle/rootfs/probe" $probe_args \
	>"$work/sechard.out"

count=$(wc -l <"$work/runc.out")
if [ "$count" -ne "$(wc -l <"$work/list.sorted")" ]; then
	echo "FAIL: oci_runc: runc printed $count verdicts for" \
		"$(wc -l <"$work/list.sorted") syscalls"
	cat "$work/runc.err"
	exit 1
fi

# Pair the verdicts: NAME RUNC SECHARD, then drop the known differences.
join "$work/runc.out" "$work/sechard.out" >"$work/joined"
awk '$2 != $3' "$work/joined" >"$work/differ"
printf '%s\n' "$KNOWN" | awk 'NF >= 3 { print $1, $2, $3 }' |
	sort >"$work/known"
sort "$work/differ" | comm -23 - "$work/known" >"$work/unexpected"
sort "$work/differ" | comm -12 - "$work/known" >"$work/expected"

echo "oci_runc: compared $count syscalls," \
	"$(wc -l <"$work/expected") known differences"
while read -r name runc_verdict ours; do
	echo "  known: $name runc=$runc_verdict sechard=$ours"
done <"$work/expected"

if [ -s "$work/unexpected" ]; then
	echo "FAIL: oci_runc: verdicts differ (syscall, runc, sechard):"
	sed 's/^/  /' "$work/unexpected"
	exit 1
fi
echo "PASS: oci_runc"
