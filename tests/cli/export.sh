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

# The shipped baseline compiles into the deny-list and, because it
# restricts personality to a few values, the fallback filter.
for index in 1 2; do
	"$SECHARD" export baseline --bpf --index "$index" --config "$config" \
		-o "$CLI_TMP/baseline-$index.bpf"
	bpf_ok "export baseline --bpf --index $index" \
		"$CLI_TMP/baseline-$index.bpf"
done

# The tenant allows personality under conditions, so a fallback filter,
# and has conditional denies, so a third filter: --index needed.
expect_status "export three filters --bpf without --index: 2" 2 \
	"$SECHARD" export tenant --bpf --config "$config"
for index in 1 2 3; do
	"$SECHARD" export tenant --bpf --index "$index" --config "$config" \
		>"$CLI_TMP/tenant-$index.bpf"
	bpf_ok "export tenant --bpf --index $index" "$CLI_TMP/tenant-$index.bpf"
done
if ! cmp -s "$CLI_TMP/tenant-1.bpf" "$CLI_TMP/tenant-2.bpf" &&
	! cmp -s "$CLI_TMP/tenant-2.bpf" "$CLI_TMP/tenant-3.bpf"; then
	cli_pass "export tenant: the filters differ"
else
	cli_fail "export tenant: the filters differ" "identical output"
fi
expect_status "export tenant --bpf --index 4: 2" 2 \
	"$SECHARD" export tenant --bpf --index 4 --config "$config"
expect_status "export baseline --bpf --index 3: 2" 2 \
	"$SECHARD" export baseline --bpf --index 3 --config "$config"

# --- PFC -----------------------------------------------------------------

output=$("$SECHARD" export tenant --pfc --config "$config")
headers=$(grep -c '^# sechard: profile "tenant", filter [123] of 3' <<<"$output")
if [ "$headers" -eq 3 ] && grep -q 'pseudo filter code' <<<"$output" &&
	grep -q 'fallback filter is plain BPF' <<<"$output"; then
	cli_pass "export tenant --pfc: every filter"
else
	cli_fail "export tenant --pfc: every filter" "$(head -n 20 <<<"$output")"
fi
# The allow-list's first filter allows and denies by syscall number.
if grep -q 'action ALLOW' <<<"$output" &&
	grep -q 'action ERRNO(1)' <<<"$output"; then
	cli_pass "export tenant --pfc: allow and EPERM actions"
else
	cli_fail "export tenant --pfc: allow and EPERM actions" \
		"$(head -n 40 <<<"$output")"
fi

# --- OCI -----------------------------------------------------------------

for profile in tenant baseline; do
	"$SECHARD" export "$profile" --oci-json --config "$config" \
		-o "$CLI_TMP/$profile.json"
	status=$?
	if [ "$status" -eq 0 ] &&
		python3 -m json.tool "$CLI_TMP/$profile.json" >/dev/null; then
		cli_pass "export $profile --oci-json parses"
	else
		cli_fail "export $profile --oci-json parses" "exit status $status"
	fi
done
if python3 - "$CLI_TMP/tenant.json" <<'PY'
import json, sys
with open(sys.argv[1]) as f:
    data = json.load(f)
assert data["defaultAction"].startswith("SCMP_ACT_"), data["defaultAction"]
assert isinstance(data["syscalls"], list) and data["syscalls"]
PY
then
	cli_pass "export tenant --oci-json: OCI fields"
else
	cli_fail "export tenant --oci-json: OCI fields"
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
