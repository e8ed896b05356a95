#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Field case: a profile too long to merge into one program must not lose
# its deny of seccomp(2).
#
# A profile's layers are merged into one BPF program.  When that program
# would pass the kernel's 4096 instructions, the layers are loaded as
# separate filters instead, and every filter but the last has to allow
# seccomp(2) so that the next one can be loaded.  A profile that denies
# seccomp(2) itself must then be refused with its file, line and reason,
# not loaded with seccomp(2) allowed.  The same profile without that deny
# loads as separate filters.
#
# The profiles are OCI deny-lists: ioctl denied with EACCES, and 300
# stricter conditional denies of ioctl (kill), which form a second layer of
# about 2000 instructions that the merge would copy twice.  Needs root for
# "sechard run"; exits 77 otherwise.

. "$(dirname "$0")/../real/lib.sh"

sh_init "$@"

SECHARD=$SH_BUILD/sechard
[ -x "$SECHARD" ] || sh_die_skip "$SECHARD not built; run make"
command -v perl >/dev/null || sh_die_skip "perl not installed"

# write_profile FILE [deny-seccomp]: the OCI deny-list described above,
# with seccomp(2) denied when asked.
write_profile() {
	local value

	{
		printf '{"defaultAction": "SCMP_ACT_ALLOW",\n'
		printf ' "architectures": ["SCMP_ARCH_X86_64"],\n'
		printf ' "syscalls": [\n'
		if [ "${2:-}" = deny-seccomp ]; then
			printf '  {"names": ["seccomp"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1},\n'
		fi
		printf '  {"names": ["ioctl"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}'
		for ((value = 1; value <= 300; value++)); do
			printf ',\n  {"names": ["ioctl"], "action": "SCMP_ACT_KILL_PROCESS", "args": [{"index": 1, "value": %d, "op": "SCMP_CMP_EQ"}, {"index": 2, "value": %d, "op": "SCMP_CMP_EQ"}]}' \
				"$((0x5500 + value))" "$value"
		done
		printf '\n ]}\n'
	} | sh_config_write "$1"
}

write_profile "$SH_TMP/conf/denies-seccomp.json" deny-seccomp
write_profile "$SH_TMP/conf/allows-seccomp.json"

CONFIG=$SH_TMP/conf/sechard.conf
sh_config_write "$CONFIG" <<CONF
[global]
default = allows

[users]
unconfined = root

[profile denies]
no_new_privs = yes
seccomp_oci = $SH_TMP/conf/denies-seccomp.json

[profile allows]
no_new_privs = yes
seccomp_oci = $SH_TMP/conf/allows-seccomp.json
CONF
DENIES_LINE=$(grep -n 'denies-seccomp.json' "$CONFIG" | cut -d: -f1)

# seccomp(SECCOMP_GET_ACTION_AVAIL, 0, NULL): EFAULT when allowed.
PROBE='syscall(317, 2, 0, 0); print $! + 0, "\n"'

OUTPUT=$("$SECHARD" --config "$CONFIG" run -p denies -- \
	perl -e "$PROBE" 2>&1)
STATUS=$?
if [ "$STATUS" -ne 0 ] &&
	grep -q "sechard.conf:$DENIES_LINE: error: seccomp: .*allow seccomp" \
		<<<"$OUTPUT"; then
	sh_pass "profile denying seccomp(2) refused when too long to merge"
else
	sh_fail "profile denying seccomp(2) refused when too long to merge" \
		"exit status $STATUS" "$OUTPUT"
fi

OUTPUT=$("$SECHARD" --config "$CONFIG" check 2>&1)
if grep -q "error: seccomp: .*instructions" <<<"$OUTPUT"; then
	sh_pass "sechard check reports the refused profile"
else
	sh_fail "sechard check reports the refused profile" "$OUTPUT"
fi

OUTPUT=$("$SECHARD" --config "$CONFIG" run -p allows -- \
	perl -e "$PROBE" 2>&1)
if [ "$OUTPUT" = 14 ]; then
	sh_pass "profile allowing seccomp(2) loads as separate filters"
else
	sh_fail "profile allowing seccomp(2) loads as separate filters" \
		"expected errno 14 (EFAULT), got: $OUTPUT"
fi

if "$SECHARD" --config "$CONFIG" export allows --bpf --index 2 \
	>/dev/null 2>&1; then
	sh_pass "export --index 2 writes the second separate filter"
else
	sh_fail "export --index 2 writes the second separate filter"
fi

sh_finish
