#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# sechard explain: users mapped by name, by group and by default get the
# rule that chose their profile and the profile's controls, in text and in
# JSON.  Creates users and groups, so it needs root; exits 77 otherwise.

. "$(dirname "$0")/lib.sh"

[ "$(id -u)" -eq 0 ] || cli_die_skip "needs root to create users and groups"
for tool in useradd userdel groupadd groupdel python3; do
	command -v "$tool" >/dev/null || cli_die_skip "$tool not installed"
done

cli_init
cli_etc_snapshot

cli_group_add tenants || cli_die_skip "groupadd failed"
cli_group_add builders || cli_die_skip "groupadd failed"
cli_user_add named || cli_die_skip "useradd failed"
cli_user_add grouped -G "$tenants,$builders" || cli_die_skip "useradd failed"
cli_user_add plain || cli_die_skip "useradd failed"

config=$CLI_TMP/sechard.conf
{
	cat <<-CONF
	[global]
	default = baseline

	[users]
	unconfined = root
	tenant = $named

	[groups]
	tenant = $tenants
	builder = $builders

	CONF
	awk '/^\[profile /{on = 1} on' "$CLI_SHIPPED_CONFIG"
} | cli_config_write "$config"

# Lines of the configuration that each mapping comes from.
named_line=$(grep -n "^tenant = $named\$" "$config" | cut -d: -f1)
group_line=$(grep -n "^tenant = $tenants\$" "$config" | cut -d: -f1)
builder_line=$(grep -n "^builder = $builders\$" "$config" | cut -d: -f1)
default_line=$(grep -n '^default = baseline$' "$config" | cut -d: -f1)

# expect_line CASE OUTPUT PATTERN: OUTPUT has a line matching PATTERN.
expect_line() {
	if grep -q -- "$3" <<<"$2"; then
		cli_pass "$1"
	else
		cli_fail "$1" "no line matches: $3" "output:" "$2"
	fi
}

# --- mapped by name ----------------------------------------------------

output=$("$SECHARD" explain --config "$config" "$named" 2>&1)
status=$?
if [ "$status" -ne 0 ]; then
	cli_fail "explain named user: exit status" "got $status" "$output"
fi
expect_line "explain named user: profile" "$output" '^profile: *tenant$'
expect_line "explain named user: rule" "$output" \
	"^chosen by: \[users\] line naming \"$named\" at $config:$named_line\$"
expect_line "explain named user: bounding set" "$output" \
	'^bounding set: *none$'
expect_line "explain named user: ambient" "$output" '^ambient set: *cleared$'
expect_line "explain named user: no_new_privs" "$output" \
	'^no_new_privs: *yes$'
expect_line "explain named user: seccomp mode" "$output" \
	'^seccomp: *allowlist$'
expect_line "explain named user: ptrace verdict" "$output" \
	'^  ptrace  *EPERM'
expect_line "explain named user: read verdict" "$output" \
	"^  read  *allow ($config:"
expect_line "explain named user: TIOCSTI condition" "$output" \
	'^  ioctl  *allow .*; EPERM if arg1 == 0x5412'
expect_line "explain named user: clone3" "$output" '^  clone3  *ENOSYS'
expect_line "explain named user: allowance" "$output" \
	'^enforcement allowance (enforce=child): execve, exit'
expect_line "explain named user: score" "$output" \
	'^exposure score: [0-9]*/10'

# --- mapped by group, with a losing group --------------------------------

output=$("$SECHARD" explain --config "$config" "$grouped" 2>&1)
expect_line "explain grouped user: profile" "$output" '^profile: *tenant$'
expect_line "explain grouped user: rule" "$output" \
	"^chosen by: \[groups\] line naming group \"$tenants\" at $config:$group_line"
expect_line "explain grouped user: losing group" "$output" \
	"^lost: *group \"$builders\" -> profile \"builder\" at $config:$builder_line\$"

# --- default ---------------------------------------------------------------

output=$("$SECHARD" explain --config "$config" --service sshd "$plain" 2>&1)
expect_line "explain default user: profile" "$output" '^profile: *baseline$'
expect_line "explain default user: rule" "$output" \
	"^chosen by: \[global\] default at $config:$default_line"
expect_line "explain default user: service" "$output" '^service: *sshd'
expect_line "explain default user: bounding set" "$output" \
	'^bounding set: *all$'
expect_line "explain default user: seccomp mode" "$output" \
	'^seccomp: *denylist$'
expect_line "explain default user: kexec denied" "$output" \
	'^  kexec_load  *EPERM'
expect_line "explain default user: filter at open" "$output" \
	'^filters: .*loaded at session open'
expect_line "explain default user: layers merged" "$output" \
	'^filters: *1 (its 2 layers merged into one program)'
expect_line "explain default user: denials not logged" "$output" \
	'^denied calls: *kill and log actions logged'

output=$("$SECHARD" explain --config "$config" root 2>&1)
expect_line "explain root: unconfined" "$output" '^profile: *unconfined$'
expect_line "explain root: score 10" "$output" '^exposure score: 10/10'

# --- JSON ----------------------------------------------------------------

# check_json CASE USER KIND PROFILE
check_json() {
	local json

	json=$("$SECHARD" explain --json --config "$config" "$2")
	if ! python3 -m json.tool <<<"$json" >/dev/null; then
		cli_fail "$1: parses" "$json"
		return
	fi
	cli_pass "$1: parses"
	printf '%s\n' "$json" >"$CLI_TMP/explain.json"
	if python3 - "$CLI_TMP/explain.json" "$3" "$4" <<'PY'
import json, sys
with open(sys.argv[1]) as f:
    data = json.load(f)
kind, profile = sys.argv[2], sys.argv[3]
assert data["match"]["kind"] == kind, data["match"]
assert data["profile"] == profile, data["profile"]
assert 0 <= data["exposure"]["score"] <= 10
if profile != "unconfined":
    names = [s["name"] for s in data["seccomp"]["syscalls"]]
    assert "ptrace" in names, names
    assert "read" in names, names
PY
	then
		cli_pass "$1: content"
	else
		cli_fail "$1: content" "$json"
	fi
}

check_json "explain --json named" "$named" user tenant
check_json "explain --json grouped" "$grouped" group tenant
check_json "explain --json default" "$plain" default baseline
check_json "explain --json root" root user unconfined

# --- failures ------------------------------------------------------------

"$SECHARD" explain --config "$config" shcli-no-such-user >/dev/null 2>&1
status=$?
if [ "$status" -eq 1 ]; then
	cli_pass "explain unknown user: exit status 1"
else
	cli_fail "explain unknown user: exit status 1" "got $status"
fi
"$SECHARD" explain --config "$config" >/dev/null 2>&1
status=$?
if [ "$status" -eq 2 ]; then
	cli_pass "explain without user: exit status 2"
else
	cli_fail "explain without user: exit status 2" "got $status"
fi

cli_cleanup_now
cli_etc_verify
cli_finish
