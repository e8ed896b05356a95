#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Coverage-guided fuzzing of the fuzz targets with libFuzzer, ASan and
# UBSan.  Not part of "make check": CI only replays the corpus.
#
# Usage: tests/fuzz/run-libfuzzer.sh [SECONDS_PER_TARGET] [TARGET...]
#   SECONDS_PER_TARGET  run time of each target (default 480)
#   TARGET              config, oci, merge (default all three, side by side)
# Environment: WORKDIR (default /tmp/sechard-libfuzzer) contains the build, the
# working corpora, the dictionaries, logs and any crash-* files.
#
# Needs clang and libclang-rt-14-dev (Debian 12).  Crashing inputs go to
# WORKDIR/artifacts-TARGET/; minimize one with
#   WORKDIR/fuzz_TARGET -minimize_crash=1 -runs=100000 CRASH_FILE
# and copy it into tests/fuzz/corpus/TARGET/ so the replay keeps it.
set -eu

seconds=${1:-480}
[ $# -gt 0 ] && shift
case $seconds in
''|*[!0-9]*)
	echo "invalid run time \"$seconds\": expected whole seconds" >&2
	echo "usage: $0 [SECONDS_PER_TARGET] [config|oci|merge ...]" >&2
	exit 2
	;;
esac
targets=${*:-config oci merge}
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
workdir=${WORKDIR:-/tmp/sechard-libfuzzer}
cc=${CC:-clang}

cflags="-g -O1 -fno-omit-frame-pointer -std=gnu11 -D_GNU_SOURCE \
	-I$srcdir/lib -I/usr/include/iniparser"
san="address,undefined"
libs="$(pkg-config --libs pam libseccomp libcap libselinux libapparmor \
	json-c) -liniparser"

mkdir -p "$workdir/obj"

# Build the library once, instrumented but without libFuzzer's main.
for src in "$srcdir"/lib/*.c; do
	obj="$workdir/obj/$(basename "$src" .c).o"
	$cc $cflags -fsanitize=fuzzer-no-link,$san \
		-fno-sanitize-recover=undefined -c "$src" -o "$obj"
done

for target in $targets; do
	$cc $cflags -fsanitize=fuzzer,$san -fno-sanitize-recover=undefined \
		"$srcdir/tests/fuzz/fuzz_$target.c" "$workdir"/obj/*.o \
		$libs -o "$workdir/fuzz_$target"
done

cat > "$workdir/config.dict" <<'DICT'
"[global]"
"[users]"
"[groups]"
"[profile "
"]"
"\x0a"
" = "
"="
";"
"#"
","
", "
"\\"
"\""
"default"
"include_dir"
"unconfined"
"inherit"
"caps"
"all"
"no_new_privs"
"yes"
"no"
"selinux_exec_context"
"apparmor_exec_profile"
"seccomp"
"off"
"allowlist"
"denylist"
"seccomp_allow"
"seccomp_deny"
"seccomp_errno"
"seccomp_action"
"seccomp_complain"
"seccomp_oci"
"seccomp_arch"
"errno"
"kill"
"kill-process"
"kill-thread"
"log"
"trap"
"root"
"baseline"
"tenant"
"builder"
"@default"
"@basic-io"
"@file-system"
"@process"
"@signal"
"@time"
"@memory"
"@ipc"
"@network"
"@mount"
"@io-uring"
"@namespace"
"@debug"
"@keyring"
"@bpf"
"@perf"
"@module"
"@reboot"
"@swap"
"@raw-io"
"@clock"
"@cpu-emulation"
"@obsolete"
"@privileged-identity"
"("
")"
"(arg0 == "
"(arg1 == "
"(arg2 & "
"(arg5 != "
" == "
" != "
" < "
" <= "
" > "
" >= "
" & "
":ENOSYS"
":EPERM"
":kill"
":log"
"0xffffffff"
"0xffffffffffffffff"
"18446744073709551616"
"-1"
"TIOCSTI"
"TIOCLINUX"
"CLONE_NEWUSER"
"AF_NETLINK"
"PER_LINUX32"
"ioctl"
"clone"
"clone3"
"unshare"
"setns"
"personality"
"socket"
"read"
"write"
"CAP_SYS_ADMIN"
"cap_net_raw"
"chown"
"/tmp/x.json"
DICT

cat > "$workdir/oci.dict" <<'DICT'
"{"
"}"
"["
"]"
":"
","
"\""
"null"
"true"
"false"
"0"
"-1"
"1e999"
"18446744073709551615"
"\\u0000"
"\"defaultAction\""
"\"defaultErrnoRet\""
"\"architectures\""
"\"archMap\""
"\"architecture\""
"\"subArchitectures\""
"\"flags\""
"\"listenerPath\""
"\"listenerMetadata\""
"\"syscalls\""
"\"names\""
"\"name\""
"\"action\""
"\"errnoRet\""
"\"args\""
"\"index\""
"\"value\""
"\"valueTwo\""
"\"op\""
"\"comment\""
"\"includes\""
"\"excludes\""
"\"caps\""
"\"arches\""
"\"minKernel\""
"\"SCMP_ACT_ALLOW\""
"\"SCMP_ACT_ERRNO\""
"\"SCMP_ACT_KILL\""
"\"SCMP_ACT_KILL_PROCESS\""
"\"SCMP_ACT_KILL_THREAD\""
"\"SCMP_ACT_LOG\""
"\"SCMP_ACT_NOTIFY\""
"\"SCMP_ACT_TRACE\""
"\"SCMP_ACT_TRAP\""
"\"SCMP_ARCH_X86_64\""
"\"SCMP_ARCH_X86\""
"\"SCMP_ARCH_X32\""
"\"SCMP_ARCH_AARCH64\""
"\"SCMP_CMP_EQ\""
"\"SCMP_CMP_NE\""
"\"SCMP_CMP_LT\""
"\"SCMP_CMP_LE\""
"\"SCMP_CMP_GT\""
"\"SCMP_CMP_GE\""
"\"SCMP_CMP_MASKED_EQ\""
"\"SECCOMP_FILTER_FLAG_LOG\""
"\"SECCOMP_FILTER_FLAG_SPEC_ALLOW\""
"\"SECCOMP_FILTER_FLAG_TSYNC\""
"\"CAP_SYS_ADMIN\""
"\"CAP_SYS_PTRACE\""
"\"amd64\""
"\"x86\""
"\"x32\""
"\"4.8\""
"\"ioctl\""
"\"clone\""
"\"clone3\""
"\"personality\""
"\"socket\""
"\"mseal\""
"\"no_such_call\""
DICT

pids=
for target in $targets; do
	corpus="$workdir/corpus-$target"
	artifacts="$workdir/artifacts-$target"
	mkdir -p "$corpus" "$artifacts"
	# The working corpus grows here, and the seeds in the tree stay as
	# they are.  NOTE: -max_len cuts docker-default.json (13 KiB) short,
	# and each target stops at its first crash.  The merge target reads
	# bytes, not text, so it has no dictionary.
	dict=
	if [ -e "$workdir/$target.dict" ]; then
		dict=-dict="$workdir/$target.dict"
	fi
	# shellcheck disable=SC2086 # an empty $dict must vanish
	"$workdir/fuzz_$target" -max_len=8192 -max_total_time="$seconds" \
		$dict -print_final_stats=1 \
		-detect_leaks=1 -artifact_prefix="$artifacts/" \
		"$corpus" "$srcdir/tests/fuzz/corpus/$target" \
		> "$workdir/$target.log" 2>&1 &
	pids="$pids $!"
done

status=0
for pid in $pids; do
	wait "$pid" || status=1
done

for target in $targets; do
	echo "== $target: $workdir/$target.log"
	grep -E '^(#[0-9]+.*DONE|stat::|==[0-9]+==ERROR|SUMMARY)' \
		"$workdir/$target.log" || true
	ls "$workdir/artifacts-$target"
done
exit $status
