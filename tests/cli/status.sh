#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# sechard status: the confinement fields of its own process match
# /proc/self/status of the shell that started it (they are inherited),
# --json parses, and invalid or missing process ids fail.

. "$(dirname "$0")/lib.sh"

cli_init

output=$("$SECHARD" status 2>&1)
status=$?
if [ "$status" -ne 0 ]; then
	cli_fail "status self: exit status" "got $status" "$output"
fi

# Fields a child inherits unchanged from this shell.
for field in CapInh CapBnd CapAmb NoNewPrivs Seccomp Seccomp_filters; do
	expected=$(awk -v key="$field:" '$1 == key { print $2 }' /proc/self/status)
	actual=$(awk -v key="$field" '$1 == key { print $2 }' <<<"$output")
	if [ -n "$expected" ] && [ "$actual" = "$expected" ]; then
		cli_pass "status self: $field"
	else
		cli_fail "status self: $field" "expected $expected, got $actual" \
			"$output"
	fi
done

if grep -q '^CapAmb  *0000000000000000 = none$' <<<"$output"; then
	cli_pass "status self: empty set named none"
else
	cli_fail "status self: empty set named none" "$output"
fi

json=$("$SECHARD" status --json)
printf '%s\n' "$json" >"$CLI_TMP/status.json"
if python3 - "$CLI_TMP/status.json" <<'PY'
import json, sys
with open(sys.argv[1]) as f:
    data = json.load(f)
assert data["pid"].isdigit(), data["pid"]
for key in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"):
    assert len(data[key]["mask"]) == 16, data[key]
    assert isinstance(data[key]["names"], list)
assert data["NoNewPrivs"] in ("0", "1")
PY
then
	cli_pass "status --json parses"
else
	cli_fail "status --json parses" "$json"
fi

# A process id given explicitly: this shell.
output=$("$SECHARD" status $$ 2>&1)
if grep -q "^process: *$$\$" <<<"$output"; then
	cli_pass "status PID"
else
	cli_fail "status PID" "$output"
fi

"$SECHARD" status not-a-pid >/dev/null 2>&1
status=$?
if [ "$status" -eq 2 ]; then
	cli_pass "status invalid pid: exit status 2"
else
	cli_fail "status invalid pid: exit status 2" "got $status"
fi

# pid_max never exceeds 4194304, so this process cannot exist.
"$SECHARD" status 4194304 >/dev/null 2>&1
status=$?
if [ "$status" -eq 1 ]; then
	cli_pass "status missing pid: exit status 1"
else
	cli_fail "status missing pid: exit status 1" "got $status"
fi

cli_finish
