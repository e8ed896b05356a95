#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# sechard export, groups and the command line itself: raw BPF, PFC and OCI
# JSON of the shipped profiles, the group listing, --help, --version and
# usage errors.

. "$(dirname "$0")/lib.sh"

cli_init

config=$CLI_TMP/sechard.conf
cli_config_write "$config" <"$CLI_SHIPPED_CONFIG"

# expect_status CASE EXPECTED CMD...
expect_status() {
	local name=$1
	local expected=$2
	local status

	shift 2
	"$@" >/dev/null 2>&1 </dev/null
	status=$?
	if [ "$status" -eq "$expected" ]; then
		cli_pass "$name"
	else
		cli_fail "$name" "expected exit status $expected, got $status"
	fi
}

# bpf_ok CASE FILE: a non-empty whole number of 8-byte instructions.
bpf_ok() {
	local size

	size=$(stat -c %s "$2")
	if [ "$size" -gt 0 ] && [ $((size % 8)) -eq 0 ]; then
		cli_pass "$1"
	else
		cli_fail "$1" "size $size is not a whole number of instructions"
	fi
}

# --- BPF -----------------------------------------------------------------

# bpf_merged CASE FILE: the program stores results in scratch memory, which
# only the merge of several layers does (BPF_ST is opcode 0x02).
bpf_merged() {
	if od -An -v -tx1 -w8 "$2" | awk '$1 == "02" && $2 == "00" { found = 1 }
		END { exit !found }'; then
		cli_pass "$1"
	else
		cli_fail "$1" "no BPF_ST instruction: not a merged program"
	fi
}

# The shipped profiles compile into several layers each.  baseline has the
# deny-list and the fallback layer that restricts personality, and tenant
# the allow-list, the fallback layer and the conditional denies.  They are
# merged into the one program the module loads, so no --index is needed.
for profile in baseline tenant; do
	"$SECHARD" export "$profile" --bpf --config "$config" \
		-o "$CLI_TMP/$profile.bpf"
	bpf_ok "export $profile --bpf" "$CLI_TMP/$profile.bpf"
	bpf_merged "export $profile --bpf: layers merged" "$CLI_TMP/$profile.bpf"
	"$SECHARD" export "$profile" --bpf --index 1 --config "$config" \
		>"$CLI_TMP/$profile-1.bpf"
	if cmp -s "$CLI_TMP/$profile.bpf" "$CLI_TMP/$profile-1.bpf"; then
		cli_pass "export $profile --bpf --index 1: the same program"
	else
		cli_fail "export $profile --bpf --index 1: the same program" \
			"output differs from --bpf alone"
	fi
	expect_status "export $profile --bpf --index 2: 2" 2 \
		"$SECHARD" export "$profile" --bpf --index 2 --config "$config"
done
expect_status "export tenant --bpf --index 4: 2" 2 \
	"$SECHARD" export tenant --bpf --index 4 --config "$config"

# --- PFC -----------------------------------------------------------------

output=$("$SECHARD" export tenant --pfc --config "$config")
headers=$(grep -c '^# sechard: profile "tenant", layer [123] of 3 (merged' <<<"$output")
if [ "$headers" -eq 3 ] && grep -q 'pseudo filter code' <<<"$output" &&
	grep -q 'fallback layer is plain BPF' <<<"$output"; then
	cli_pass "export tenant --pfc: every layer"
else
	cli_fail "export tenant --pfc: every layer" "$(head -n 20 <<<"$output")"
fi
# The allow-list's first layer allows and denies by syscall number.
if grep -q 'action ALLOW' <<<"$output" &&
	grep -q 'action ERRNO(1)' <<<"$output"; then
	cli_pass "export tenant --pfc: allow and EPERM actions"
else
	cli_fail "export tenant --pfc: allow and EPERM actions" \
		"$(head -n 40 <<<"$output")"
fi

# --- OCI -----------------------------------------------------------------

# runc builds one filter; the shipped profiles need more for some syscalls
# (tenant: clone allowed and denied with CLONE_NEWUSER; baseline:
# personality restricted by conditional allows in a deny-list).  The export
# is refused with the syscall, both rules and what to use instead.
for profile in tenant baseline; do
	"$SECHARD" export "$profile" --oci-json --config "$config" \
		-o "$CLI_TMP/$profile.json" 2>"$CLI_TMP/$profile.err"
	status=$?
	if [ "$status" -eq 1 ] &&
		grep -q 'cannot hold both' "$CLI_TMP/$profile.err" &&
		grep -q 'use --bpf or --pfc' "$CLI_TMP/$profile.err"; then
		cli_pass "export $profile --oci-json refused with the reason"
	else
		cli_fail "export $profile --oci-json refused with the reason" \
			"exit status $status: $(cat "$CLI_TMP/$profile.err")"
	fi
done

oci_config=$CLI_TMP/oci.conf
cli_config_write "$oci_config" <<'CONF'
[global]
default = allow

[profile allow]
no_new_privs = yes
seccomp = allowlist
seccomp_allow = @default, personality(arg0 == 0), personality(arg0 == 0xffffffff)
seccomp_deny = socket(arg0 == AF_NETLINK):ENOSYS, ptrace:kill

[profile deny]
no_new_privs = no
seccomp = denylist
seccomp_deny = ioctl(arg1 == TIOCSTI), clone(arg0 & CLONE_NEWUSER == CLONE_NEWUSER), setns

[profile allow-ioctl]
no_new_privs = yes
seccomp = allowlist
seccomp_allow = @default, ioctl
seccomp_deny = ioctl(arg1 == TIOCSTI)
CONF

for profile in allow deny; do
	"$SECHARD" export "$profile" --oci-json --config "$oci_config" \
		-o "$CLI_TMP/$profile.json"
	status=$?
	if [ "$status" -eq 0 ] &&
		python3 -m json.tool "$CLI_TMP/$profile.json" >/dev/null; then
		cli_pass "export $profile --oci-json parses"
	else
		cli_fail "export $profile --oci-json parses" "exit status $status"
	fi
done

# The allow-list keeps its conditional allows and its conditional deny;
# the deny-list keeps the conditional denies of ioctl and clone, which the
# opening process's allowance holds, with the low 32 bits compared.
if python3 - "$CLI_TMP/allow.json" "$CLI_TMP/deny.json" <<'PY'
import json, sys
with open(sys.argv[1]) as f:
    allow = json.load(f)
with open(sys.argv[2]) as f:
    deny = json.load(f)

def entries(profile, name):
    return [e for e in profile["syscalls"] if name in e["names"]]

assert allow["defaultAction"] == "SCMP_ACT_ERRNO", allow["defaultAction"]
assert allow["defaultErrnoRet"] == 1
values = sorted(e["args"][0]["value"] for e in entries(allow, "personality"))
assert values == [0, 0xffffffff], values
socket = entries(allow, "socket")
assert len(socket) == 1, socket
assert socket[0]["errnoRet"] == 38, socket
assert entries(allow, "ptrace")[0]["action"] == "SCMP_ACT_KILL_PROCESS"

assert deny["defaultAction"] == "SCMP_ACT_ALLOW", deny["defaultAction"]
ioctl = entries(deny, "ioctl")
assert len(ioctl) == 1, ioctl
arg = ioctl[0]["args"][0]
assert arg["op"] == "SCMP_CMP_MASKED_EQ", arg
assert arg["value"] == 0xffffffff, arg
assert arg["valueTwo"] == 0x5412, arg
assert len(entries(deny, "clone")) == 1
assert entries(deny, "setns")[0]["action"] == "SCMP_ACT_ERRNO"
PY
then
	cli_pass "export --oci-json: conditional rules kept"
else
	cli_fail "export --oci-json: conditional rules kept"
fi

"$SECHARD" export allow-ioctl --oci-json --config "$oci_config" \
	>/dev/null 2>"$CLI_TMP/allow-ioctl.err"
status=$?
if [ "$status" -eq 1 ] && grep -q 'ioctl' "$CLI_TMP/allow-ioctl.err" &&
	grep -q 'swallows' "$CLI_TMP/allow-ioctl.err"; then
	cli_pass "export --oci-json: allow plus conditional deny refused"
else
	cli_fail "export --oci-json: allow plus conditional deny refused" \
		"exit status $status: $(cat "$CLI_TMP/allow-ioctl.err")"
fi

# --- errors ----------------------------------------------------------------

expect_status "export unknown profile: 1" 1 \
	"$SECHARD" export no-such-profile --pfc --config "$config"
expect_status "export unconfined has no filter: 1" 1 \
	"$SECHARD" export unconfined --pfc --config "$config"
expect_status "export without format: 2" 2 \
	"$SECHARD" export tenant --config "$config"
expect_status "export two formats: 2" 2 \
	"$SECHARD" export tenant --pfc --bpf --config "$config"

# --- groups ----------------------------------------------------------------

output=$("$SECHARD" groups)
if grep -q '^@mount: ' <<<"$output" && grep -q '^@default: ' <<<"$output"; then
	cli_pass "groups lists groups"
else
	cli_fail "groups lists groups" "$(head -n 20 <<<"$output")"
fi
output=$("$SECHARD" groups mount)
if grep -qw 'mount' <<<"$(tail -n +2 <<<"$output")"; then
	cli_pass "groups NAME lists members"
else
	cli_fail "groups NAME lists members" "$output"
fi
if "$SECHARD" groups --json | python3 -m json.tool >/dev/null; then
	cli_pass "groups --json parses"
else
	cli_fail "groups --json parses"
fi
expect_status "groups unknown group: 1" 1 "$SECHARD" groups no-such-group

# --- command line ----------------------------------------------------------

expect_status "--help: 0" 0 "$SECHARD" --help
expect_status "check --help: 0" 0 "$SECHARD" check --help
expect_status "--version: 0" 0 "$SECHARD" --version
expect_status "no command: 2" 2 "$SECHARD"
expect_status "unknown command: 2" 2 "$SECHARD" no-such-command
expect_status "unknown option: 2" 2 "$SECHARD" check --no-such-option
expect_status "invalid --enforce: 2" 2 \
	"$SECHARD" explain root --enforce sometimes --config "$config"

cli_finish
