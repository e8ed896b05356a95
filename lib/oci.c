// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Import and export of OCI/Docker seccomp profiles (JSON).
 *
 * The import follows what runc and Docker do with such a file on x86_64:
 * "includes"/"excludes" gate each entry, conditions are plain 64-bit
 * comparisons, and several comparisons of the same argument in one entry
 * become separate rules.  Where that would leave a hole in a login session,
 * the import is stricter, and a comment at each such place gives the
 * reason.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <json-c/json.h>
#include <sys/capability.h>

#include "safefile.h"
#include "sechard.h"

/* JSON nesting deeper than any valid profile needs (root, syscalls, args). */
#define OCI_DEPTH_MAX 16
/* Maximum length of a syscall, action, architecture or capability name. */
#define OCI_NAME_MAX 63
#define OCI_ERRNO_MAX SH_ERRNO_MAX

struct oci_loader {
	const char *path;
	uint64_t caps_keep;
	unsigned int kernel_major;
	unsigned int kernel_minor;
	struct sh_seccomp_policy *policy;
	size_t capacity;	/* rules allocated in policy->rules */
	struct sh_error *err;
};

/* A syscall entry once its keys are read, before it becomes rules. */
struct oci_entry {
	bool allow;
	struct sh_action action;
	unsigned int ncond;
	struct sh_cond cond[SH_RULE_CONDS_MAX];
};

static const struct {
	const char *name;
	enum scmp_compare op;
} oci_operators[] = {
	{ "SCMP_CMP_NE", SCMP_CMP_NE },
	{ "SCMP_CMP_LT", SCMP_CMP_LT },
	{ "SCMP_CMP_LE", SCMP_CMP_LE },
	{ "SCMP_CMP_EQ", SCMP_CMP_EQ },
	{ "SCMP_CMP_GE", SCMP_CMP_GE },
	{ "SCMP_CMP_GT", SCMP_CMP_GT },
	{ "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
};

/* Architecture tokens of the OCI runtime specification, 1.2. */
static const char *const oci_architectures[] = {
	"SCMP_ARCH_X86",	 "SCMP_ARCH_X86_64",	  "SCMP_ARCH_X32",
	"SCMP_ARCH_ARM",	 "SCMP_ARCH_AARCH64",	  "SCMP_ARCH_MIPS",
	"SCMP_ARCH_MIPS64",	 "SCMP_ARCH_MIPS64N32",	  "SCMP_ARCH_MIPSEL",
	"SCMP_ARCH_MIPSEL64",	 "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC",
	"SCMP_ARCH_PPC64",	 "SCMP_ARCH_PPC64LE",	  "SCMP_ARCH_S390",
	"SCMP_ARCH_S390X",	 "SCMP_ARCH_PARISC",	  "SCMP_ARCH_PARISC64",
	"SCMP_ARCH_RISCV64",	 "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K",
	"SCMP_ARCH_SH",		 "SCMP_ARCH_SHEB",
};

/*
 * Syscalls of Linux up to 6.17 that libseccomp 2.5 may not name.  A profile
 * written for a newer libseccomp lists them (Docker's default does), so they
 * are real syscalls, not typos.  add_name() decides what the import does
 * with them.
 * NOTE: extend this list when the kernel gains syscalls; a name missing
 * here is reported as unknown until then.
 */
static const char *const kernel_newer_syscalls[] = {
	"cachestat",	    "fchmodat2",	 "map_shadow_stack",
	"futex_wake",	    "futex_wait",	 "futex_requeue",
	"statmount",	    "listmount",	 "lsm_get_self_attr",
	"lsm_set_self_attr", "lsm_list_modules", "mseal",
	"setxattrat",	    "getxattrat",	 "listxattrat",
	"removexattrat",    "open_tree_attr",	 "file_getattr",
	"file_setattr",	    "uretprobe",	 "uprobe",
	"riscv_hwprobe",    "set_mempolicy_home_node",
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

__attribute__((format(printf, 4, 5)))
static int oci_error(struct oci_loader *ld, int code, const char *key,
		     const char *fmt, ...)
{
	char message[sizeof(ld->err->message)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);

	return sh_error_set(ld->err, code, ld->path, 0, key, "%s", message);
}

/*
 * Write the path of a key, such as "syscalls[12].args[0].op".  A path longer
 * than the buffer is cut, which only shortens the error message.
 */
__attribute__((format(printf, 3, 4)))
static void format_key(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, size, fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------------------ */
/* Reading and parsing the file */

/* Turn a byte offset into the line and column a text editor shows. */
static void offset_to_position(const char *text, size_t offset,
			       unsigned int *line, unsigned int *column)
{
	size_t i;

	*line = 1;
	*column = 1;
	for (i = 0; i < offset; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*column = 1;
		} else {
			(*column)++;
		}
	}
}

static bool is_json_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int parse_json(const char *path, const char *text, size_t size,
		      json_object **ret, struct sh_error *err)
{
	enum json_tokener_error code;
	json_tokener *tokener;
	json_object *root;
	unsigned int line, column;
	size_t end;

	/* json-c stops at a NUL byte, which would hide what follows it. */
	end = strnlen(text, size);
	if (end < size) {
		offset_to_position(text, end, &line, &column);
		return sh_error_set(err, EINVAL, path, line, NULL,
				    "invalid JSON at column %u: NUL byte",
				    column);
	}

	tokener = json_tokener_new_ex(OCI_DEPTH_MAX);
	if (!tokener)
		return sh_error_set(err, ENOMEM, path, 0, NULL,
				    "out of memory");
	json_tokener_set_flags(tokener, JSON_TOKENER_STRICT);

	root = json_tokener_parse_ex(tokener, text, (int)size);
	code = json_tokener_get_error(tokener);
	end = json_tokener_get_parse_end(tokener);
	json_tokener_free(tokener);

	if (code == json_tokener_continue) {
		offset_to_position(text, size, &line, &column);
		return sh_error_set(err, EINVAL, path, line, NULL,
				    "invalid JSON at column %u: unexpected end of file",
				    column);
	}
	if (code != json_tokener_success || !root) {
		/* json-c stops at the offending byte. */
		offset_to_position(text, end < size ? end : size, &line,
				   &column);
		return sh_error_set(err, EINVAL, path, line, NULL,
				    "invalid JSON at column %u: %s", column,
				    json_tokener_error_desc(code));
	}

	while (end < size && is_json_blank(text[end]))
		end++;
	if (end < size) {
		json_object_put(root);
		offset_to_position(text, end, &line, &column);
		return sh_error_set(err, EINVAL, path, line, NULL,
				    "invalid JSON at column %u: text after the profile",
				    column);
	}

	*ret = root;
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Typed access to JSON values */

static int expect_type(struct oci_loader *ld, const char *key,
		       json_object *value, json_type type)
{
	if (json_object_is_type(value, type))
		return 0;
	return oci_error(ld, EINVAL, key, "invalid value: expected %s, got %s",
			 json_type_to_name(type),
			 json_type_to_name(json_object_get_type(value)));
}

static int get_string(struct oci_loader *ld, const char *key,
		      json_object *value, const char **ret)
{
	int r;

	r = expect_type(ld, key, value, json_type_string);
	if (r < 0)
		return r;

	if (json_object_get_string_len(value) > OCI_NAME_MAX)
		return oci_error(ld, EINVAL, key,
				 "invalid value: longer than %d characters",
				 OCI_NAME_MAX);
	*ret = json_object_get_string(value);
	return 0;
}

static int get_u64(struct oci_loader *ld, const char *key, json_object *value,
		   uint64_t *ret)
{
	int r;

	r = expect_type(ld, key, value, json_type_int);
	if (r < 0)
		return r;

	/* json-c keeps values above INT64_MAX as unsigned; below 0 as signed. */
	if (json_object_get_int64(value) < 0)
		return oci_error(ld, EINVAL, key,
				 "invalid value %" PRId64 ": must not be negative",
				 json_object_get_int64(value));
	*ret = json_object_get_uint64(value);
	return 0;
}

/* An array, or null where the specification allows leaving a list empty. */
static int get_array(struct oci_loader *ld, const char *key,
		     json_object *value, size_t *ret_length)
{
	int r;

	if (json_object_is_type(value, json_type_null)) {
		*ret_length = 0;
		return 0;
	}

	r = expect_type(ld, key, value, json_type_array);
	if (r < 0)
		return r;

	*ret_length = json_object_array_length(value);
	return 0;
}

/* Run LOAD_ITEM on each element of the array under KEY; stop at an error. */
static int load_each(struct oci_loader *ld, const char *key,
		     json_object *value,
		     int (*load_item)(struct oci_loader *ld, size_t index,
				      json_object *item))
{
	size_t count, i;
	int r;

	r = get_array(ld, key, value, &count);
	if (r < 0)
		return r;

	for (i = 0; i < count; i++) {
		r = load_item(ld, i, json_object_array_get_idx(value, i));
		if (r < 0)
			return r;
	}
	return 0;
}

static int unknown_key(struct oci_loader *ld, const char *key)
{
	return oci_error(ld, EINVAL, key, "unknown key");
}

/* ------------------------------------------------------------------------ */
/* Actions */

static int errno_value(struct oci_loader *ld, const char *key,
		       json_object *value, int *ret)
{
	uint64_t number;
	int r;

	r = get_u64(ld, key, value, &number);
	if (r < 0)
		return r;

	/*
	 * The policy model uses errno 0 for "the profile's default", so an
	 * action that makes a syscall return 0 unexecuted cannot be imported.
	 */
	if (number < 1 || number > OCI_ERRNO_MAX)
		return oci_error(ld, EINVAL, key,
				 "invalid errno %" PRIu64 ": must be 1 to %d",
				 number, OCI_ERRNO_MAX);
	*ret = (int)number;
	return 0;
}

/*
 * Parse an action name.  ERRNO_JSON is the "errnoRet" or "defaultErrnoRet"
 * value, or NULL; without one, runc makes SCMP_ACT_ERRNO return EPERM.
 */
static int parse_action(struct oci_loader *ld, const char *key,
			const char *name, const char *errno_key,
			json_object *errno_json, bool *ret_allow,
			struct sh_action *ret)
{
	bool allow = false;
	int r;

	memset(ret, 0, sizeof(*ret));

	if (strcmp(name, "SCMP_ACT_ALLOW") == 0) {
		allow = true;
		ret->kind = SH_ACT_ALLOW;
	} else if (strcmp(name, "SCMP_ACT_ERRNO") == 0) {
		ret->kind = SH_ACT_ERRNO;
		ret->errno_value = EPERM;
	} else if (strcmp(name, "SCMP_ACT_KILL") == 0 ||
		   strcmp(name, "SCMP_ACT_KILL_THREAD") == 0) {
		/* libseccomp's SCMP_ACT_KILL is SECCOMP_RET_KILL_THREAD. */
		ret->kind = SH_ACT_KILL_THREAD;
	} else if (strcmp(name, "SCMP_ACT_KILL_PROCESS") == 0) {
		ret->kind = SH_ACT_KILL_PROCESS;
	} else if (strcmp(name, "SCMP_ACT_TRAP") == 0) {
		ret->kind = SH_ACT_TRAP;
	} else if (strcmp(name, "SCMP_ACT_LOG") == 0) {
		ret->kind = SH_ACT_LOG;
	} else if (strcmp(name, "SCMP_ACT_TRACE") == 0) {
		/*
		 * A tracer decides whether a traced syscall runs, and the
		 * session's user may ptrace their own processes, so the user
		 * would decide.
		 */
		return oci_error(ld, EOPNOTSUPP, key,
				 "unsupported action SCMP_ACT_TRACE: the user of a login session can attach their own tracer and let the syscall run");
	} else if (strcmp(name, "SCMP_ACT_NOTIFY") == 0) {
		return oci_error(ld, EOPNOTSUPP, key,
				 "unsupported action SCMP_ACT_NOTIFY: a login session has no supervisor to receive the notifications");
	} else {
		return oci_error(ld, EINVAL, key,
				 "unknown action \"%s\"; expected SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, SCMP_ACT_KILL, SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD, SCMP_ACT_TRAP or SCMP_ACT_LOG",
				 name);
	}

	if (errno_json && ret->kind != SH_ACT_ERRNO)
		return oci_error(ld, EINVAL, errno_key,
				 "invalid key: only SCMP_ACT_ERRNO returns an errno, not %s",
				 name);
	if (errno_json) {
		r = errno_value(ld, errno_key, errno_json, &ret->errno_value);
		if (r < 0)
			return r;
	}

	*ret_allow = allow;
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Top-level keys other than "syscalls" */

static bool name_in(const char *name, const char *const *list, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (strcmp(name, list[i]) == 0)
			return true;
	return false;
}

static int check_architecture(struct oci_loader *ld, const char *key,
			      json_object *value)
{
	const char *name;
	int r;

	r = get_string(ld, key, value, &name);
	if (r < 0)
		return r;

	if (!name_in(name, oci_architectures, ARRAY_SIZE(oci_architectures)))
		return oci_error(ld, EINVAL, key,
				 "unknown architecture \"%s\"", name);
	return 0;
}

/*
 * Validate "architectures".  The policy keeps filtering the native
 * architecture only and refuses the 32-bit and x32 entry points, so the
 * list widens nothing: see docs/oci-import.md.
 */
static int load_architectures(struct oci_loader *ld, json_object *value)
{
	char key[64];
	size_t count, i;
	int r;

	r = get_array(ld, "architectures", value, &count);
	if (r < 0)
		return r;

	for (i = 0; i < count; i++) {
		format_key(key, sizeof(key), "architectures[%zu]", i);
		r = check_architecture(ld, key,
				       json_object_array_get_idx(value, i));
		if (r < 0)
			return r;
	}
	return 0;
}

static int load_arch_map_item(struct oci_loader *ld, size_t index,
			      json_object *item)
{
	char key[128], item_key[64];
	size_t count, i;
	int r;

	format_key(item_key, sizeof(item_key), "archMap[%zu]", index);
	r = expect_type(ld, item_key, item, json_type_object);
	if (r < 0)
		return r;

	json_object_object_foreach(item, name, value)
	{
		format_key(key, sizeof(key), "%s.%s", item_key, name);
		if (strcmp(name, "architecture") == 0) {
			r = check_architecture(ld, key, value);
		} else if (strcmp(name, "subArchitectures") == 0) {
			r = get_array(ld, key, value, &count);
			for (i = 0; r == 0 && i < count; i++) {
				format_key(key, sizeof(key), "%s.%s[%zu]",
					 item_key, name, i);
				r = check_architecture(
					ld, key,
					json_object_array_get_idx(value, i));
			}
		} else {
			r = unknown_key(ld, key);
		}
		if (r < 0)
			return r;
	}

	if (!json_object_object_get_ex(item, "architecture", NULL))
		return oci_error(ld, EINVAL, item_key,
				 "missing key \"architecture\"");
	return 0;
}

/* Validate "archMap", which only matters to the deliberately unused list. */
static int load_arch_map(struct oci_loader *ld, json_object *value)
{
	return load_each(ld, "archMap", value, load_arch_map_item);
}

/*
 * Check "flags".  LOG makes the kernel audit what the filter denies, as
 * seccomp_log_denied does.  Flags that change no verdict are accepted and
 * have no effect: TSYNC (the session is one thread when the filter is
 * loaded) and WAIT_KILLABLE_RECV (notifications only).  SPEC_ALLOW is
 * rejected because it turns off the speculative store bypass mitigation
 * that seccomp gives the session otherwise.
 */
static int load_flags(struct oci_loader *ld, json_object *value)
{
	static const char *const no_effect[] = {
		"SECCOMP_FILTER_FLAG_TSYNC",
		"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
	};
	const char *name;
	char key[64];
	size_t count, i;
	int r;

	r = get_array(ld, "flags", value, &count);
	if (r < 0)
		return r;

	for (i = 0; i < count; i++) {
		format_key(key, sizeof(key), "flags[%zu]", i);
		r = get_string(ld, key, json_object_array_get_idx(value, i),
			       &name);
		if (r < 0)
			return r;

		if (strcmp(name, "SECCOMP_FILTER_FLAG_SPEC_ALLOW") == 0)
			return oci_error(ld, EOPNOTSUPP, key,
					 "unsupported flag %s: it turns off the speculative store bypass mitigation of the session",
					 name);
		if (strcmp(name, "SECCOMP_FILTER_FLAG_LOG") == 0)
			ld->policy->log_denied = true;
		else if (!name_in(name, no_effect, ARRAY_SIZE(no_effect)))
			return oci_error(ld, EINVAL, key,
					 "unknown flag \"%s\"", name);
	}
	return 0;
}

/* ------------------------------------------------------------------------ */
/* "includes" and "excludes" */

static int parse_kernel_version(const char *text, unsigned int *major,
				unsigned int *minor)
{
	char copy[32], *dot;
	uint64_t number;
	int r;

	if (strlen(text) >= sizeof(copy))
		return -EINVAL;
	strcpy(copy, text);

	dot = strchr(copy, '.');
	if (!dot)
		return -EINVAL;
	*dot = '\0';

	r = sh_parse_u64(copy, &number);
	if (r < 0 || number > 65535)
		return -EINVAL;
	*major = (unsigned int)number;

	r = sh_parse_u64(dot + 1, &number);
	if (r < 0 || number > 65535)
		return -EINVAL;
	*minor = (unsigned int)number;
	return 0;
}

/* Read "major.minor" from the start of a release such as "6.18.0-1-amd64". */
static int running_kernel_version(unsigned int *major, unsigned int *minor)
{
	struct utsname names;
	char *end;
	unsigned long number;

	if (uname(&names) < 0)
		return -errno;

	errno = 0;
	number = strtoul(names.release, &end, 10);
	if (errno || end == names.release || *end != '.' || number > 65535)
		return -EINVAL;
	*major = (unsigned int)number;

	number = strtoul(end + 1, &end, 10);
	if (errno || number > 65535)
		return -EINVAL;
	*minor = (unsigned int)number;
	return 0;
}

static int gate_caps(struct oci_loader *ld, const char *key,
		     json_object *value, bool includes, bool *ret_holds)
{
	char item_key[128];
	const char *name;
	cap_value_t cap;
	size_t count, i;
	bool kept;
	int r;

	r = get_array(ld, key, value, &count);
	if (r < 0)
		return r;

	/* Includes hold when every cap is kept, excludes when any one is. */
	*ret_holds = includes || count == 0;
	for (i = 0; i < count; i++) {
		format_key(item_key, sizeof(item_key), "%s[%zu]", key, i);
		r = get_string(ld, item_key, json_object_array_get_idx(value, i),
			       &name);
		if (r < 0)
			return r;

		if (cap_from_name(name, &cap) < 0 || cap < 0 || cap > 63)
			return oci_error(ld, EINVAL, item_key,
					 "unknown capability \"%s\"", name);

		kept = ld->caps_keep & (UINT64_C(1) << cap);
		if (includes && !kept)
			*ret_holds = false;
		if (!includes && kept)
			*ret_holds = true;
	}
	return 0;
}

/*
 * Docker compares "arches" with the Go name of the native architecture,
 * "amd64" on x86_64; "x86_64" is accepted as well.  The "x86" and "x32"
 * names Docker lists next to it never match, because the policy refuses
 * those entry points.
 */
static bool arch_is_native(const char *name)
{
	return strcmp(name, "amd64") == 0 || strcmp(name, "x86_64") == 0;
}

static int gate_arches(struct oci_loader *ld, const char *key,
		       json_object *value, bool includes, bool *ret_holds)
{
	char item_key[128];
	const char *name;
	size_t count, i;
	bool native = false;
	int r;

	r = get_array(ld, key, value, &count);
	if (r < 0)
		return r;

	for (i = 0; i < count; i++) {
		format_key(item_key, sizeof(item_key), "%s[%zu]", key, i);
		r = get_string(ld, item_key, json_object_array_get_idx(value, i),
			       &name);
		if (r < 0)
			return r;
		if (arch_is_native(name))
			native = true;
	}

	*ret_holds = count == 0 ? includes : native;
	return 0;
}

static int gate_kernel(struct oci_loader *ld, const char *key,
		       json_object *value, bool *ret_holds)
{
	unsigned int major, minor;
	const char *text;
	int r;

	r = get_string(ld, key, value, &text);
	if (r < 0)
		return r;

	if (parse_kernel_version(text, &major, &minor) < 0)
		return oci_error(ld, EINVAL, key,
				 "invalid kernel version \"%s\": expected major.minor such as \"4.8\"",
				 text);

	*ret_holds = ld->kernel_major > major ||
		     (ld->kernel_major == major && ld->kernel_minor >= minor);
	return 0;
}

/*
 * Judge an "includes" (INCLUDES true) or "excludes" object.  Includes hold
 * when all of their conditions hold; excludes hold when any one does.
 */
static int judge_gate(struct oci_loader *ld, const char *entry_key,
		      const char *gate_name, json_object *gate, bool includes,
		      bool *ret_holds)
{
	char key[128];
	bool holds = false, all = true, any = false;
	int r;

	format_key(key, sizeof(key), "%s.%s", entry_key, gate_name);
	r = expect_type(ld, key, gate, json_type_object);
	if (r < 0)
		return r;

	json_object_object_foreach(gate, name, value)
	{
		format_key(key, sizeof(key), "%s.%s.%s", entry_key, gate_name,
			 name);
		if (strcmp(name, "caps") == 0)
			r = gate_caps(ld, key, value, includes, &holds);
		else if (strcmp(name, "arches") == 0)
			r = gate_arches(ld, key, value, includes, &holds);
		else if (strcmp(name, "minKernel") == 0)
			r = gate_kernel(ld, key, value, &holds);
		else
			r = unknown_key(ld, key);
		if (r < 0)
			return r;

		all = all && holds;
		any = any || holds;
	}

	*ret_holds = includes ? all : any;
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Argument conditions */

static int parse_operator(struct oci_loader *ld, const char *key,
			  json_object *value, enum scmp_compare *ret)
{
	const char *name;
	size_t i;
	int r;

	r = get_string(ld, key, value, &name);
	if (r < 0)
		return r;

	for (i = 0; i < ARRAY_SIZE(oci_operators); i++) {
		if (strcmp(name, oci_operators[i].name) == 0) {
			*ret = oci_operators[i].op;
			return 0;
		}
	}
	return oci_error(ld, EINVAL, key,
			 "unknown operator \"%s\"; expected SCMP_CMP_EQ, SCMP_CMP_NE, SCMP_CMP_LT, SCMP_CMP_LE, SCMP_CMP_GT, SCMP_CMP_GE or SCMP_CMP_MASKED_EQ",
			 name);
}

static bool fits_32_bits(uint64_t value)
{
	uint64_t high = value >> 32;

	/* Zero-extended, or an int such as -1 sign-extended by the caller. */
	return high == 0 ||
	       (high == UINT32_MAX && (value & UINT64_C(0x80000000)));
}

/*
 * Decide whether a condition compares the low 32 bits only.
 *
 * runc compares all 64 bits, and the import keeps that, with one exception.
 * The kernel ignores the high bits of an int argument, such as the request
 * of ioctl(), so a caller can set them to make a 64-bit comparison miss
 * while the kernel still acts on the value.  For an allow rule a miss only
 * denies more, but a deny rule on == or a masked == would let the caller
 * past it, so those compare the low 32 bits (sh_filter_build() compiles
 * them as such) when their values fit in 32 bits.  A larger value cannot
 * belong to an int argument, and cutting it would deny calls the profile
 * lets through.  A deny on != , > or >= stays 64-bit, because high bits can
 * only make it match more.
 * NOTE: a deny on < or <= of an int argument stays 64-bit as in runc, and
 * a caller can skip it by setting high bits; the policy model has no exact
 * 32-bit range compare to use instead.
 */
static bool deny_needs_low32(const struct sh_cond *cond)
{
	switch (cond->op) {
	case SCMP_CMP_EQ:
		return fits_32_bits(cond->value);
	case SCMP_CMP_MASKED_EQ:
		return fits_32_bits(cond->value) &&
		       fits_32_bits(cond->value_two);
	default:
		return false;
	}
}

static int load_arg(struct oci_loader *ld, const char *arg_key,
		    json_object *arg, struct sh_cond *cond)
{
	char key[128];
	bool have_index = false, have_op = false, have_two = false;
	uint64_t number;
	int r;

	r = expect_type(ld, arg_key, arg, json_type_object);
	if (r < 0)
		return r;

	memset(cond, 0, sizeof(*cond));
	json_object_object_foreach(arg, name, value)
	{
		format_key(key, sizeof(key), "%s.%s", arg_key, name);
		if (strcmp(name, "index") == 0) {
			r = get_u64(ld, key, value, &number);
			if (r == 0 && number >= SH_RULE_CONDS_MAX)
				r = oci_error(ld, EINVAL, key,
					      "invalid index %" PRIu64 ": syscalls have arguments 0 to %d",
					      number, SH_RULE_CONDS_MAX - 1);
			cond->arg = (unsigned int)number;
			have_index = true;
		} else if (strcmp(name, "value") == 0) {
			r = get_u64(ld, key, value, &cond->value);
		} else if (strcmp(name, "valueTwo") == 0) {
			r = get_u64(ld, key, value, &cond->value_two);
			have_two = true;
		} else if (strcmp(name, "op") == 0) {
			r = parse_operator(ld, key, value, &cond->op);
			have_op = true;
		} else {
			r = unknown_key(ld, key);
		}
		if (r < 0)
			return r;
	}

	if (!have_index)
		return oci_error(ld, EINVAL, arg_key, "missing key \"index\"");
	if (!have_op)
		return oci_error(ld, EINVAL, arg_key, "missing key \"op\"");
	/* libseccomp ignores a second value except as the masked datum. */
	if (have_two && cond->op != SCMP_CMP_MASKED_EQ && cond->value_two)
		return oci_error(ld, EINVAL, arg_key,
				 "invalid key \"valueTwo\": only SCMP_CMP_MASKED_EQ uses it");
	return 0;
}

static int load_args(struct oci_loader *ld, const char *entry_key,
		     json_object *args, struct oci_entry *entry)
{
	char key[128];
	size_t count, i;
	int r;

	format_key(key, sizeof(key), "%s.args", entry_key);
	r = get_array(ld, key, args, &count);
	if (r < 0)
		return r;

	if (count > SH_RULE_CONDS_MAX)
		return oci_error(ld, EINVAL, key,
				 "too many conditions: %zu, at most %d", count,
				 SH_RULE_CONDS_MAX);

	for (i = 0; i < count; i++) {
		format_key(key, sizeof(key), "%s.args[%zu]", entry_key, i);
		r = load_arg(ld, key, json_object_array_get_idx(args, i),
			     &entry->cond[i]);
		if (r < 0)
			return r;
	}
	entry->ncond = (unsigned int)count;
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Turning entries into rules */

static bool rules_equal(const struct sh_rule *a, const struct sh_rule *b)
{
	unsigned int i;

	if (strcmp(a->syscall, b->syscall) != 0 || a->allow != b->allow ||
	    a->action.kind != b->action.kind ||
	    a->action.errno_value != b->action.errno_value ||
	    a->ncond != b->ncond)
		return false;

	for (i = 0; i < a->ncond; i++) {
		if (a->cond[i].arg != b->cond[i].arg ||
		    a->cond[i].op != b->cond[i].op ||
		    a->cond[i].value != b->cond[i].value ||
		    a->cond[i].value_two != b->cond[i].value_two ||
		    a->cond[i].low32 != b->cond[i].low32)
			return false;
	}
	return true;
}

static int compare_rule_order(const void *a, const void *b)
{
	const struct sh_rule *const *left = a;
	const struct sh_rule *const *right = b;
	int r = strcmp((*left)->syscall, (*right)->syscall);

	if (r)
		return r;
	/* equal rules keep their order, so the first of them survives */
	return *left < *right ? -1 : *left > *right;
}

/*
 * Docker's profile names some syscalls twice; one rule is enough.  Rules
 * are sorted by name to find the repeats, and the survivors keep the order
 * of the file.
 */
static int drop_duplicate_rules(struct sh_seccomp_policy *policy)
{
	const struct sh_rule **sorted;
	bool *duplicate;
	size_t i, j, kept = 0;

	if (policy->nrules < 2)
		return 0;

	sorted = calloc(policy->nrules, sizeof(*sorted));
	duplicate = calloc(policy->nrules, sizeof(*duplicate));
	if (!sorted || !duplicate) {
		free(sorted);
		free(duplicate);
		return -ENOMEM;
	}

	for (i = 0; i < policy->nrules; i++)
		sorted[i] = &policy->rules[i];
	qsort(sorted, policy->nrules, sizeof(*sorted), compare_rule_order);

	for (i = 0; i < policy->nrules; i = j) {
		for (j = i + 1; j < policy->nrules &&
				strcmp(sorted[i]->syscall, sorted[j]->syscall) == 0;
		     j++) {
			size_t k;

			for (k = i; k < j; k++) {
				if (!duplicate[sorted[k] - policy->rules] &&
				    rules_equal(sorted[k], sorted[j])) {
					duplicate[sorted[j] - policy->rules] = true;
					break;
				}
			}
		}
	}

	for (i = 0; i < policy->nrules; i++) {
		if (!duplicate[i])
			policy->rules[kept++] = policy->rules[i];
	}
	policy->nrules = kept;

	free(sorted);
	free(duplicate);
	return 0;
}

static int append_rule(struct oci_loader *ld, const char *key,
		       const struct sh_rule *rule)
{
	struct sh_seccomp_policy *policy = ld->policy;
	struct sh_rule *grown;
	size_t capacity;

	if (policy->nrules >= SH_RULES_MAX)
		return oci_error(ld, E2BIG, key,
				 "too many rules: at most %d", SH_RULES_MAX);

	if (policy->nrules == ld->capacity) {
		capacity = ld->capacity ? ld->capacity * 2 : 64;
		grown = reallocarray(policy->rules, capacity, sizeof(*grown));
		if (!grown)
			return oci_error(ld, ENOMEM, key, "out of memory");
		policy->rules = grown;
		ld->capacity = capacity;
	}

	policy->rules[policy->nrules++] = *rule;
	return 0;
}

static bool has_repeated_argument(const struct oci_entry *entry)
{
	unsigned int i, j;

	for (i = 0; i < entry->ncond; i++)
		for (j = i + 1; j < entry->ncond; j++)
			if (entry->cond[i].arg == entry->cond[j].arg)
				return true;
	return false;
}

/*
 * Add the rules of ENTRY for syscall NAME.  runc turns an entry that
 * compares one argument more than once into one rule per comparison, so
 * any one of them matches.  The import does the same to give the same
 * verdicts.
 */
static int add_rules(struct oci_loader *ld, const char *key, const char *name,
		     const struct oci_entry *entry)
{
	struct sh_rule rule;
	unsigned int i;
	int r;

	memset(&rule, 0, sizeof(rule));
	snprintf(rule.syscall, sizeof(rule.syscall), "%s", name);
	rule.allow = entry->allow;
	rule.action = entry->action;

	if (!has_repeated_argument(entry)) {
		rule.ncond = entry->ncond;
		memcpy(rule.cond, entry->cond, sizeof(rule.cond));
		return append_rule(ld, key, &rule);
	}

	rule.ncond = 1;
	for (i = 0; i < entry->ncond; i++) {
		rule.cond[0] = entry->cond[i];
		r = append_rule(ld, key, &rule);
		if (r < 0)
			return r;
	}
	return 0;
}

/*
 * Add the rules for one name of an entry.  A name libseccomp cannot resolve
 * is either a typo (an error) or a syscall newer than libseccomp.  A filter
 * cannot name the latter: an allow-list returns ENOSYS for it anyway, so
 * its rules are dropped, but a deny-list would let it through, so a deny
 * rule for it is an error.  Names of other architectures are dropped.
 */
static int add_name(struct oci_loader *ld, const char *key, const char *name,
		    const struct oci_entry *entry, bool applies)
{
	int number;

	number = seccomp_syscall_resolve_name(name);
	if (number == __NR_SCMP_ERROR) {
		if (!name_in(name, kernel_newer_syscalls,
			     ARRAY_SIZE(kernel_newer_syscalls)))
			return oci_error(ld, EINVAL, key,
					 "unknown syscall \"%s\"", name);
		if (!applies)
			return 0;
		if (ld->policy->mode == SH_SECCOMP_DENYLIST && !entry->allow)
			return oci_error(ld, EOPNOTSUPP, key,
					 "cannot deny syscall \"%s\": the installed libseccomp cannot name it, so a deny-list would let it through",
					 name);
		return 0;
	}
	if (number < 0 || !applies)
		return 0;

	/* A deny-list allows anyway; runc drops such rules too. */
	if (ld->policy->mode == SH_SECCOMP_DENYLIST && entry->allow)
		return 0;

	return add_rules(ld, key, name, entry);
}

static int add_names(struct oci_loader *ld, const char *entry_key,
		     json_object *names, const struct oci_entry *entry,
		     bool applies)
{
	const char *name;
	char key[128];
	size_t count, i;
	int r;

	if (json_object_is_type(names, json_type_string)) {
		format_key(key, sizeof(key), "%s.name", entry_key);
		r = get_string(ld, key, names, &name);
		if (r < 0)
			return r;
		return add_name(ld, key, name, entry, applies);
	}

	format_key(key, sizeof(key), "%s.names", entry_key);
	r = get_array(ld, key, names, &count);
	if (r < 0)
		return r;
	if (count == 0)
		return oci_error(ld, EINVAL, key, "invalid value: empty list");

	for (i = 0; i < count; i++) {
		format_key(key, sizeof(key), "%s.names[%zu]", entry_key, i);
		r = get_string(ld, key, json_object_array_get_idx(names, i),
			       &name);
		if (r < 0)
			return r;

		r = add_name(ld, key, name, entry, applies);
		if (r < 0)
			return r;
	}
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Syscall entries */

struct oci_entry_keys {
	json_object *names;	/* "names" array or the older "name" string */
	json_object *action;
	json_object *errno_ret;
	json_object *args;
	json_object *includes;
	json_object *excludes;
};

static int collect_entry_keys(struct oci_loader *ld, const char *entry_key,
			      json_object *item, struct oci_entry_keys *keys)
{
	char key[128];
	int r = 0;

	memset(keys, 0, sizeof(*keys));
	json_object_object_foreach(item, name, value)
	{
		format_key(key, sizeof(key), "%s.%s", entry_key, name);
		if (strcmp(name, "names") == 0 || strcmp(name, "name") == 0) {
			if (keys->names)
				r = oci_error(ld, EINVAL, key,
					      "invalid key: give either \"name\" or \"names\"");
			keys->names = value;
		} else if (strcmp(name, "action") == 0) {
			keys->action = value;
		} else if (strcmp(name, "errnoRet") == 0) {
			keys->errno_ret = value;
		} else if (strcmp(name, "args") == 0) {
			keys->args = value;
		} else if (strcmp(name, "includes") == 0) {
			keys->includes = value;
		} else if (strcmp(name, "excludes") == 0) {
			keys->excludes = value;
		} else if (strcmp(name, "comment") == 0) {
			r = expect_type(ld, key, value, json_type_string);
		} else {
			r = unknown_key(ld, key);
		}
		if (r < 0)
			return r;
	}

	if (!keys->names)
		return oci_error(ld, EINVAL, entry_key,
				 "missing key \"names\"");
	if (!keys->action)
		return oci_error(ld, EINVAL, entry_key,
				 "missing key \"action\"");
	return 0;
}

/* Decide, as Docker does, whether the entry applies to this session. */
static int entry_applies(struct oci_loader *ld, const char *entry_key,
			 const struct oci_entry_keys *keys, bool *ret)
{
	bool holds;
	int r;

	*ret = true;
	if (keys->excludes) {
		r = judge_gate(ld, entry_key, "excludes", keys->excludes, false,
			       &holds);
		if (r < 0)
			return r;
		if (holds)
			*ret = false;
	}

	if (keys->includes) {
		r = judge_gate(ld, entry_key, "includes", keys->includes, true,
			       &holds);
		if (r < 0)
			return r;
		if (!holds)
			*ret = false;
	}
	return 0;
}

static int load_syscall(struct oci_loader *ld, size_t index, json_object *item)
{
	struct oci_entry_keys keys;
	struct oci_entry entry;
	char entry_key[64], key[128];
	const char *action_name;
	unsigned int i;
	bool applies;
	int r;

	format_key(entry_key, sizeof(entry_key), "syscalls[%zu]", index);
	r = expect_type(ld, entry_key, item, json_type_object);
	if (r < 0)
		return r;

	r = collect_entry_keys(ld, entry_key, item, &keys);
	if (r < 0)
		return r;

	/* Every key is checked, even in an entry that does not apply. */
	memset(&entry, 0, sizeof(entry));
	format_key(key, sizeof(key), "%s.action", entry_key);
	r = get_string(ld, key, keys.action, &action_name);
	if (r < 0)
		return r;
	format_key(key, sizeof(key), "%s.errnoRet", entry_key);
	r = parse_action(ld, entry_key, action_name, key, keys.errno_ret,
			 &entry.allow, &entry.action);
	if (r < 0)
		return r;

	if (keys.args) {
		r = load_args(ld, entry_key, keys.args, &entry);
		if (r < 0)
			return r;
	}
	for (i = 0; !entry.allow && i < entry.ncond; i++)
		entry.cond[i].low32 = deny_needs_low32(&entry.cond[i]);

	r = entry_applies(ld, entry_key, &keys, &applies);
	if (r < 0)
		return r;

	/* Names are checked for typos even in an entry that does not apply. */
	return add_names(ld, entry_key, keys.names, &entry, applies);
}

static int load_syscalls(struct oci_loader *ld, json_object *value)
{
	return load_each(ld, "syscalls", value, load_syscall);
}

/* ------------------------------------------------------------------------ */
/* The profile */

static int load_default_action(struct oci_loader *ld, json_object *action,
			       json_object *errno_json)
{
	struct sh_seccomp_policy *policy = ld->policy;
	const char *name;
	bool allow;
	int r;

	r = get_string(ld, "defaultAction", action, &name);
	if (r < 0)
		return r;

	r = parse_action(ld, "defaultAction", name, "defaultErrnoRet",
			 errno_json, &allow, &policy->default_action);
	if (r < 0)
		return r;

	if (allow) {
		policy->mode = SH_SECCOMP_DENYLIST;
		policy->default_action.kind = SH_ACT_ERRNO;
		policy->default_action.errno_value = 0;
		policy->default_errno = EPERM;
		return 0;
	}

	policy->mode = SH_SECCOMP_ALLOWLIST;
	policy->default_errno = policy->default_action.kind == SH_ACT_ERRNO ?
					policy->default_action.errno_value :
					EPERM;
	policy->unnamed_below_max_denied = true;
	return 0;
}

static int load_root(struct oci_loader *ld, json_object *root)
{
	json_object *action = NULL, *errno_json = NULL, *syscalls = NULL;
	int r = 0;

	r = expect_type(ld, NULL, root, json_type_object);
	if (r < 0)
		return r;

	json_object_object_foreach(root, name, value)
	{
		if (strcmp(name, "defaultAction") == 0)
			action = value;
		else if (strcmp(name, "defaultErrnoRet") == 0)
			errno_json = value;
		else if (strcmp(name, "syscalls") == 0)
			syscalls = value;
		else if (strcmp(name, "architectures") == 0)
			r = load_architectures(ld, value);
		else if (strcmp(name, "archMap") == 0)
			r = load_arch_map(ld, value);
		else if (strcmp(name, "flags") == 0)
			r = load_flags(ld, value);
		else if (strcmp(name, "listenerPath") == 0 ||
			 strcmp(name, "listenerMetadata") == 0)
			r = oci_error(ld, EOPNOTSUPP, name,
				      "unsupported key: notifications need SCMP_ACT_NOTIFY, which a login session cannot use");
		else
			r = unknown_key(ld, name);
		if (r < 0)
			return r;
	}

	if (!action)
		return oci_error(ld, EINVAL, NULL,
				 "missing key \"defaultAction\"");

	/* The mode decides what add_name() does, so it comes first. */
	r = load_default_action(ld, action, errno_json);
	if (r < 0)
		return r;

	if (syscalls)
		r = load_syscalls(ld, syscalls);
	return r;
}

int sh_oci_load(const char *path, uint64_t caps_keep,
		struct sh_seccomp_policy *ret, struct sh_error *err)
{
	struct oci_loader ld = {
		.path = path,
		.caps_keep = caps_keep,
		.policy = ret,
		.err = err,
	};
	json_object *root = NULL;
	size_t size;
	char *text;
	int r;

	r = running_kernel_version(&ld.kernel_major, &ld.kernel_minor);
	if (r < 0)
		return sh_error_set(err, -r, path, 0, NULL,
				    "cannot read the kernel version from uname");

	r = sh_safe_read(path, &text, &size, err);
	if (r < 0)
		return r;

	r = parse_json(path, text, size, &root, err);
	free(text);
	if (r < 0)
		return r;

	r = load_root(&ld, root);
	json_object_put(root);
	if (r == 0 && drop_duplicate_rules(ret) < 0)
		r = sh_error_set(err, ENOMEM, path, 0, NULL, "out of memory");
	if (r < 0) {
		free(ret->rules);
		memset(ret, 0, sizeof(*ret));
	}
	return r;
}

/* ------------------------------------------------------------------------ */
/* Export */

static const char *action_name(enum sh_action_kind kind)
{
	switch (kind) {
	case SH_ACT_ALLOW:
		return "SCMP_ACT_ALLOW";
	case SH_ACT_KILL_PROCESS:
		return "SCMP_ACT_KILL_PROCESS";
	case SH_ACT_KILL_THREAD:
		return "SCMP_ACT_KILL_THREAD";
	case SH_ACT_LOG:
		return "SCMP_ACT_LOG";
	case SH_ACT_TRAP:
		return "SCMP_ACT_TRAP";
	case SH_ACT_ERRNO:
	default:
		return "SCMP_ACT_ERRNO";
	}
}

static const char *operator_name(enum scmp_compare op)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(oci_operators); i++)
		if (oci_operators[i].op == op)
			return oci_operators[i].name;
	return NULL;
}

/* One plain 64-bit comparison, as OCI can express it. */
struct oci_compare {
	unsigned int arg;
	enum scmp_compare op;
	uint64_t value;
	uint64_t value_two;
};

/*
 * Express COND as OCI can.  OCI has no 32-bit comparison, but a low-32 ==
 * or masked == is a masked == with the high bits cleared from the mask,
 * which gives the same verdicts.  sh_filter_build() compiles the other
 * low-32 operators as plain 64-bit compares, and so does the export.
 * NOTE: a lone allow on a low-32 != is compiled by sh_filter_build() as an
 * allow plus a deny of the value in a second layer; the export writes a
 * plain 64-bit != instead, which a caller can pass by setting high bits.
 */
static void condition_to_compare(const struct sh_cond *cond,
				 struct oci_compare *compare)
{
	compare->arg = cond->arg;
	compare->op = cond->op;
	compare->value = cond->value;
	compare->value_two = cond->op == SCMP_CMP_MASKED_EQ ?
				     cond->value_two : 0;
	if (!cond->low32)
		return;

	if (cond->op == SCMP_CMP_EQ) {
		compare->op = SCMP_CMP_MASKED_EQ;
		compare->value = UINT32_MAX;
		compare->value_two = cond->value & UINT32_MAX;
	} else if (cond->op == SCMP_CMP_MASKED_EQ) {
		compare->value = cond->value & UINT32_MAX;
		compare->value_two = cond->value_two & compare->value;
	}
}

static json_object *compare_to_json(const struct oci_compare *compare)
{
	json_object *arg = json_object_new_object();

	json_object_object_add(arg, "index",
			       json_object_new_int64(compare->arg));
	json_object_object_add(arg, "value",
			       json_object_new_uint64(compare->value));
	if (compare->op == SCMP_CMP_MASKED_EQ)
		json_object_object_add(arg, "valueTwo",
				       json_object_new_uint64(compare->value_two));
	json_object_object_add(arg, "op",
			       json_object_new_string(operator_name(compare->op)));
	return arg;
}

static json_object *entry_to_json(const char *syscall, const char *action,
				  int errno_value)
{
	json_object *entry = json_object_new_object();
	json_object *names = json_object_new_array();

	json_object_array_add(names, json_object_new_string(syscall));
	json_object_object_add(entry, "names", names);
	json_object_object_add(entry, "action", json_object_new_string(action));
	if (errno_value)
		json_object_object_add(entry, "errnoRet",
				       json_object_new_int(errno_value));
	return entry;
}

/*
 * Which policies one OCI profile can hold.
 *
 * runc builds a single libseccomp filter from the profile (plus a stub that
 * returns ENOSYS for numbers above the highest one the profile names).
 * sechard compiles a policy into up to three layers, which give the
 * strictest result of all of them whether they are merged into one program
 * or loaded as separate filters.  The export writes the verdicts of those
 * layers, syscall by syscall, and refuses a policy that needs more than one
 * layer for some syscall, rather than write a profile that allows what
 * sechard denies:
 *
 *   - A syscall allowed without conditions (an allow rule, the
 *     enforcement allowance, a lone "!=" allow) that also has conditional
 *     denies.  In one libseccomp filter an unconditional allow swallows a
 *     conditional deny added later, and rule_add still returns 0.  In a
 *     deny-list the default action allows, and "default allow plus
 *     conditional denies" is one filter, so that case is written.
 *   - A syscall that conditional allows decide and that also has
 *     conditional denies: libseccomp refuses a deny beside a conditional
 *     allow of the same argument.
 *   - A syscall denied without conditions and more strictly, or with
 *     another errno, when a conditional deny matches: the conditional
 *     deny would be lost.  A conditional deny that is not stricter than
 *     the unconditional one changes no verdict and is left out.
 *   - In a deny-list, a syscall restricted by conditional allows
 *     ("personality(arg0 == 0)"): sechard denies its other calls in a
 *     filter of their own, and a profile whose default action is ALLOW
 *     cannot say "else deny".  In an allow-list the profile's default
 *     action does that, so conditional allows alone are written.
 *
 * An unconditional deny of an allowance syscall is left out, because the
 * filters allow the allowance whatever the rules say; a conditional deny of
 * it is enforced, so it counts as above.  When an allow-list needs filters
 * after the first, sechard allows seccomp(2) so that they can be loaded,
 * and the export allows it too.
 *
 * Conditions are written as sh_filter_build() compiles them: a deny on a
 * 32-bit argument compares the low 32 bits (== becomes a masked == with
 * mask 0xffffffff), an allow compares all 64 bits, and a lone "!=" allow
 * of a 32-bit argument is written as one allow per low bit, "this bit
 * differs from the value", which matches the same calls.
 */

/* A seccomp action once the profile's defaults are filled in. */
struct export_action {
	enum sh_action_kind kind;
	int errno_value;	/* SH_ACT_ERRNO only */
};

/* Rules the policy gives one syscall. */
struct export_call {
	const char *name;
	bool in_allowance;
	const struct sh_rule *allow_rule;	/* an unconditional allow */
	const struct sh_rule *allow_ne_rule;	/* a lone 32-bit "!=" allow */
	unsigned int nallow_ne;
	const struct sh_rule *cond_allow_rule;	/* the first other one */
	const struct sh_rule *deny_rule;	/* strictest unconditional */
	struct export_action deny_action;
	const struct sh_rule *cond_deny_rule;	/* the first conditional */
};

struct export {
	const struct sh_seccomp_policy *policy;
	const char *const *allowance;
	struct export_action default_action;
	bool allow_seccomp;	/* allow-list with filters after the first */
	size_t ncalls;
	struct export_call *calls;
	json_object *syscalls;
	struct sh_error *err;
};

/* Order of precedence the kernel applies when several filters run. */
static int export_rank(enum sh_action_kind kind)
{
	switch (kind) {
	case SH_ACT_KILL_PROCESS:
		return 5;
	case SH_ACT_KILL_THREAD:
		return 4;
	case SH_ACT_TRAP:
		return 3;
	case SH_ACT_ERRNO:
		return 2;
	case SH_ACT_LOG:
		return 1;
	case SH_ACT_ALLOW:
	default:
		return 0;
	}
}

static bool actions_equal(const struct export_action *a,
			  const struct export_action *b)
{
	return a->kind == b->kind &&
	       (a->kind != SH_ACT_ERRNO || a->errno_value == b->errno_value);
}

/* The profile's default, computed as set_default_action() in filter.c. */
static void export_default_action(const struct sh_seccomp_policy *policy,
				  struct export_action *ret)
{
	const struct sh_action *action = &policy->default_action;

	ret->kind = policy->complain ? SH_ACT_LOG : action->kind;
	ret->errno_value = policy->default_errno ? policy->default_errno :
			   action->errno_value ? action->errno_value : EPERM;
}

/* What a deny rule does, as action_to_scmp() in filter.c decides it. */
static void rule_action(const struct export *ex, const struct sh_rule *rule,
			struct export_action *ret)
{
	ret->kind = rule->action.kind;
	ret->errno_value = rule->action.errno_value;
	if (ex->policy->complain)
		ret->kind = SH_ACT_LOG;
	else if (ret->kind == SH_ACT_ERRNO && !ret->errno_value)
		*ret = ex->default_action;
}

static bool is_allow_ne(const struct sh_rule *rule)
{
	return rule->allow && rule->ncond == 1 &&
	       rule->cond[0].op == SCMP_CMP_NE && rule->cond[0].low32;
}

static struct export_call *find_call(struct export *ex, const char *name)
{
	size_t i;

	for (i = 0; i < ex->ncalls; i++)
		if (strcmp(ex->calls[i].name, name) == 0)
			return &ex->calls[i];

	ex->calls[ex->ncalls].name = name;
	return &ex->calls[ex->ncalls++];
}

static void record_export_rule(struct export *ex, const struct sh_rule *rule)
{
	struct export_call *call = find_call(ex, rule->syscall);
	struct export_action action;

	if (rule->allow && !rule->ncond) {
		call->allow_rule = call->allow_rule ? call->allow_rule : rule;
	} else if (is_allow_ne(rule)) {
		if (!call->allow_ne_rule)
			call->allow_ne_rule = rule;
		call->nallow_ne++;
	} else if (rule->allow) {
		if (!call->cond_allow_rule)
			call->cond_allow_rule = rule;
	} else if (rule->ncond) {
		if (!call->cond_deny_rule)
			call->cond_deny_rule = rule;
	} else {
		rule_action(ex, rule, &action);
		if (!call->deny_rule || export_rank(action.kind) >
						export_rank(call->deny_action.kind)) {
			call->deny_rule = rule;
			call->deny_action = action;
		}
	}
}

/*
 * Set *RET when the policy loads as separate filters, because its merged
 * program would be too long (see filter.c).  Every filter but the last
 * then allows seccomp(2), and the export must allow it too.
 */
static int loads_stacked(const struct export *ex, bool *ret)
{
	struct sh_bpf programs[SH_FILTERS_MAX];
	unsigned int count = 0;
	int r;

	r = sh_filter_compile(ex->policy, ex->allowance, programs, &count,
			      ex->err);
	if (r < 0)
		return r;

	*ret = count > 1;
	while (count)
		free(programs[--count].insns);
	return 0;
}

static int record_export_calls(struct export *ex)
{
	const struct sh_seccomp_policy *policy = ex->policy;
	size_t nallowance = 0, i;
	bool stacked = false;
	int r;

	while (ex->allowance && ex->allowance[nallowance])
		nallowance++;

	ex->calls = calloc(policy->nrules + nallowance + 1,
			   sizeof(*ex->calls));
	if (!ex->calls)
		return sh_error_set(ex->err, ENOMEM, NULL, 0, NULL,
				    "out of memory");

	for (i = 0; i < policy->nrules; i++)
		record_export_rule(ex, &policy->rules[i]);
	for (i = 0; i < nallowance; i++)
		find_call(ex, ex->allowance[i])->in_allowance = true;

	if (policy->mode != SH_SECCOMP_ALLOWLIST)
		return 0;
	r = loads_stacked(ex, &stacked);
	if (r < 0)
		return r;

	if (stacked) {
		struct export_call *call = find_call(ex, "seccomp");

		/* an allow rule of its own says it already */
		if (!call->allow_rule || call->deny_rule) {
			ex->allow_seccomp = !call->in_allowance;
			call->in_allowance = true;
		}
	}
	return 0;
}

static const char *op_symbol(enum scmp_compare op)
{
	switch (op) {
	case SCMP_CMP_NE:
		return "!=";
	case SCMP_CMP_LT:
		return "<";
	case SCMP_CMP_LE:
		return "<=";
	case SCMP_CMP_GE:
		return ">=";
	case SCMP_CMP_GT:
		return ">";
	case SCMP_CMP_EQ:
	default:
		return "==";
	}
}

/*
 * Write "name(arg1 == 0x5412) at line 83" into BUF; the file is named too
 * when it is not SAME_FILE, the one the error names.
 */
static void describe_rule(const struct sh_rule *rule, const char *same_file,
			  char *buf, size_t size)
{
	size_t used;
	unsigned int i;

	used = (size_t)snprintf(buf, size, "%s%s", rule->syscall,
				rule->ncond ? "(" : "");
	for (i = 0; i < rule->ncond && used < size; i++) {
		const struct sh_cond *cond = &rule->cond[i];
		const char *separator = i ? ", " : "";

		if (cond->op == SCMP_CMP_MASKED_EQ)
			used += (size_t)snprintf(buf + used, size - used,
						 "%sarg%u & 0x%" PRIx64 " == 0x%" PRIx64,
						 separator, cond->arg,
						 cond->value, cond->value_two);
		else
			used += (size_t)snprintf(buf + used, size - used,
						 "%sarg%u %s 0x%" PRIx64,
						 separator, cond->arg,
						 op_symbol(cond->op),
						 cond->value);
	}
	if (rule->ncond && used < size)
		used += (size_t)snprintf(buf + used, size - used, ")");
	if (used >= size || !rule->file)
		return;

	if (same_file && strcmp(rule->file, same_file) == 0)
		snprintf(buf + used, size - used, " (line %u)", rule->line);
	else
		snprintf(buf + used, size - used, " (%s:%u)", rule->file,
			 rule->line);
}

/* Refuse CALL: FIRST (a rule, or NULL for FIRST_TEXT) and SECOND clash. */
static int refuse(struct export *ex, const struct export_call *call,
		  const struct sh_rule *first, const char *first_text,
		  const struct sh_rule *second, const char *why)
{
	char one[200], two[200];

	if (first)
		describe_rule(first, second->file, one, sizeof(one));
	else
		snprintf(one, sizeof(one), "%s", first_text);
	describe_rule(second, second->file, two, sizeof(two));
	return sh_error_set(ex->err, EOPNOTSUPP, second->file, second->line,
			    call->name,
			    "one OCI profile cannot hold both %s and %s: %s",
			    one, two, why);
}

/* The unconditional allow of CALL, described, or NULL if there is none. */
static bool unconditional_allow(const struct export *ex,
				const struct export_call *call,
				const struct sh_rule **ret_rule,
				const char **ret_text)
{
	*ret_rule = NULL;
	*ret_text = NULL;
	if (call->in_allowance) {
		*ret_text = ex->allow_seccomp && !strcmp(call->name, "seccomp") ?
				    "seccomp, which loads the later filters when they are separate" :
				    "the enforcement allowance";
	} else if (call->deny_rule) {
		return false;
	} else if (call->allow_rule) {
		*ret_rule = call->allow_rule;
	} else if (call->allow_ne_rule) {
		*ret_rule = call->allow_ne_rule;
	} else {
		return false;
	}
	return true;
}

/* Refuse a conditional deny that an unconditional deny would swallow. */
static int check_deny_pair(struct export *ex, const struct export_call *call)
{
	const struct sh_seccomp_policy *policy = ex->policy;
	struct export_action action;
	size_t i;

	for (i = 0; i < policy->nrules; i++) {
		const struct sh_rule *rule = &policy->rules[i];

		if (rule->allow || !rule->ncond ||
		    strcmp(rule->syscall, call->name) != 0)
			continue;

		rule_action(ex, rule, &action);
		if (export_rank(action.kind) <
			    export_rank(call->deny_action.kind) ||
		    actions_equal(&action, &call->deny_action))
			continue;
		/* in a deny-list the same rank loses, as in filter.c */
		if (policy->mode == SH_SECCOMP_DENYLIST &&
		    export_rank(action.kind) ==
			    export_rank(call->deny_action.kind))
			continue;
		return refuse(ex, call, call->deny_rule, NULL, rule,
			      "the conditional deny is stricter or has another errno, and in one filter the unconditional deny swallows it; sechard puts it in a second layer");
	}
	return 0;
}

/*
 * sh_filter_build() compiles a lone "!=" allow of a 32-bit argument as an
 * unconditional allow plus a deny of the value in the second layer, one
 * deny per such rule, and keeps that deny for an allowance syscall too.
 */
static int check_allow_ne(struct export *ex, const struct export_call *call)
{
	const struct sh_seccomp_policy *policy = ex->policy;
	size_t i;

	if (call->in_allowance)
		return refuse(ex, call, NULL, "the enforcement allowance",
			      call->allow_ne_rule,
			      "sechard denies the excluded value in a second layer, and in one filter the unconditional allow swallows that deny");
	if (call->nallow_ne < 2)
		return 0;

	for (i = 0; i < policy->nrules; i++) {
		const struct sh_rule *rule = &policy->rules[i];

		if (rule != call->allow_ne_rule && is_allow_ne(rule) &&
		    strcmp(rule->syscall, call->name) == 0)
			return refuse(ex, call, call->allow_ne_rule, NULL,
				      rule,
				      "sechard denies each excluded value in a second layer, and in one filter the allows would let each other's values through");
	}
	return 0;
}

static int check_call(struct export *ex, const struct export_call *call)
{
	bool denylist = ex->policy->mode == SH_SECCOMP_DENYLIST;
	const struct sh_rule *allow;
	const char *allow_text;
	int r;

	if (denylist && call->cond_allow_rule && !call->in_allowance &&
	    !call->allow_rule && !call->allow_ne_rule && !call->deny_rule)
		return refuse(ex, call, NULL, "the default allow of a deny-list",
			      call->cond_allow_rule,
			      "the conditional allow denies every other call, which a profile whose default action is ALLOW cannot say; sechard does that in a layer of its own");

	if (!denylist && call->allow_ne_rule && !call->allow_rule &&
	    (!call->deny_rule || call->in_allowance)) {
		r = check_allow_ne(ex, call);
		if (r < 0)
			return r;
	}

	if (!call->cond_deny_rule)
		return 0;

	if (denylist) {
		bool denies_all = call->deny_rule && !call->in_allowance &&
				  !call->allow_rule;

		return denies_all ? check_deny_pair(ex, call) : 0;
	}

	if (unconditional_allow(ex, call, &allow, &allow_text))
		return refuse(ex, call, allow, allow_text, call->cond_deny_rule,
			      "in one libseccomp filter an unconditional allow swallows a conditional deny, so runc would allow what sechard denies in a second layer");
	if (call->deny_rule && !call->in_allowance)
		return check_deny_pair(ex, call);
	if (call->cond_allow_rule)
		return refuse(ex, call, call->cond_allow_rule, NULL,
			      call->cond_deny_rule,
			      "libseccomp refuses a deny beside a conditional allow of the same syscall; sechard puts the deny in a second layer");
	return 0;
}

static void add_entry(struct export *ex, const char *syscall,
		      const struct export_action *action, json_object *args)
{
	int errno_value = action->kind == SH_ACT_ERRNO ? action->errno_value : 0;
	json_object *entry;

	entry = entry_to_json(syscall, action_name(action->kind), errno_value);
	if (args)
		json_object_object_add(entry, "args", args);
	json_object_array_add(ex->syscalls, entry);
}

static void export_rule(struct export *ex, const struct sh_rule *rule,
			const struct export_action *action)
{
	struct oci_compare compare;
	json_object *args = NULL;
	unsigned int i;

	if (rule->ncond)
		args = json_object_new_array();
	for (i = 0; i < rule->ncond; i++) {
		/* an allow compares all 64 bits, as sh_filter_build() does */
		if (rule->allow) {
			compare.arg = rule->cond[i].arg;
			compare.op = rule->cond[i].op;
			compare.value = rule->cond[i].value;
			compare.value_two = rule->cond[i].value_two;
		} else {
			condition_to_compare(&rule->cond[i], &compare);
		}
		json_object_array_add(args, compare_to_json(&compare));
	}
	add_entry(ex, rule->syscall, action, args);
}

/*
 * Write a lone "argN != value" allow of a 32-bit argument as one allow per
 * low bit, each matching the calls whose bit differs from the value's.
 * Together they allow exactly the calls whose low 32 bits differ, which is
 * what the allow plus the low-32 deny of sh_filter_build() give.
 */
static void export_allow_ne(struct export *ex, const struct sh_rule *rule)
{
	const struct export_action allow = { .kind = SH_ACT_ALLOW };
	const struct sh_cond *cond = &rule->cond[0];
	struct oci_compare compare;
	json_object *args;
	unsigned int bit;

	for (bit = 0; bit < 32; bit++) {
		compare.arg = cond->arg;
		compare.op = SCMP_CMP_MASKED_EQ;
		compare.value = UINT64_C(1) << bit;
		compare.value_two = ~cond->value & compare.value;
		args = json_object_new_array();
		json_object_array_add(args, compare_to_json(&compare));
		add_entry(ex, rule->syscall, &allow, args);
	}
}

static bool denies_all(const struct export_call *call)
{
	return call->deny_rule && !call->in_allowance && !call->allow_rule;
}

static void export_allowlist_rule(struct export *ex,
				  const struct export_call *call,
				  const struct sh_rule *rule)
{
	const struct export_action allow = { .kind = SH_ACT_ALLOW };
	struct export_action action;
	bool decided = call->in_allowance || call->deny_rule;

	if (rule->allow && !rule->ncond) {
		if (!decided && rule == call->allow_rule)
			export_rule(ex, rule, &allow);
	} else if (is_allow_ne(rule)) {
		if (!decided && !call->allow_rule &&
		    rule == call->allow_ne_rule)
			export_allow_ne(ex, rule);
	} else if (rule->allow) {
		if (!decided && !call->allow_rule && !call->allow_ne_rule)
			export_rule(ex, rule, &allow);
	} else if (!rule->ncond) {
		if (!call->in_allowance && rule == call->deny_rule &&
		    !actions_equal(&call->deny_action, &ex->default_action))
			export_rule(ex, rule, &call->deny_action);
	} else if (!decided) {
		/* check_call() refused the other cases */
		rule_action(ex, rule, &action);
		if (!actions_equal(&action, &ex->default_action))
			export_rule(ex, rule, &action);
	}
}

static void export_denylist_rule(struct export *ex,
				 const struct export_call *call,
				 const struct sh_rule *rule)
{
	struct export_action action;

	if (rule->allow)
		return;

	if (!rule->ncond) {
		if (denies_all(call) && rule == call->deny_rule)
			export_rule(ex, rule, &call->deny_action);
		return;
	}

	/* check_call() refused a conditional deny stricter than denies_all */
	if (denies_all(call))
		return;
	rule_action(ex, rule, &action);
	export_rule(ex, rule, &action);
}

static void export_default(const struct export *ex, json_object *profile)
{
	struct export_action action = ex->default_action;

	if (ex->policy->mode == SH_SECCOMP_DENYLIST)
		action.kind = SH_ACT_ALLOW;

	json_object_object_add(profile, "defaultAction",
			       json_object_new_string(action_name(action.kind)));
	if (action.kind == SH_ACT_ERRNO)
		json_object_object_add(profile, "defaultErrnoRet",
				       json_object_new_int(action.errno_value));
}

static json_object *allowance_to_json(const char *const *allowance,
				      const char *comment)
{
	json_object *entry, *names;
	size_t i;

	names = json_object_new_array();
	for (i = 0; allowance[i]; i++)
		json_object_array_add(names,
				      json_object_new_string(allowance[i]));

	entry = json_object_new_object();
	json_object_object_add(entry, "names", names);
	json_object_object_add(entry, "action",
			       json_object_new_string("SCMP_ACT_ALLOW"));
	json_object_object_add(entry, "comment",
			       json_object_new_string(comment));
	return entry;
}

static int write_all(int fd, const char *text, size_t size,
		     struct sh_error *err)
{
	ssize_t n;

	while (size > 0) {
		n = write(fd, text, size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return sh_error_set(err, errno, NULL, 0, NULL,
					    "cannot write the OCI profile: %s",
					    strerror(errno));
		text += n;
		size -= (size_t)n;
	}
	return 0;
}

static int check_policy(struct export *ex)
{
	size_t i;
	int r;

	for (i = 0; i < ex->policy->nrules; i++)
		if (ex->policy->rules[i].ncond > SH_RULE_CONDS_MAX)
			return sh_error_set(ex->err, EINVAL,
					    ex->policy->rules[i].file,
					    ex->policy->rules[i].line,
					    ex->policy->rules[i].syscall,
					    "too many conditions");

	for (i = 0; i < ex->ncalls; i++) {
		r = check_call(ex, &ex->calls[i]);
		if (r < 0)
			return r;
	}
	return 0;
}

static void export_syscalls(struct export *ex)
{
	static const char *const seccomp_only[] = { "seccomp", NULL };
	const struct sh_seccomp_policy *policy = ex->policy;
	size_t i;

	if (policy->mode == SH_SECCOMP_ALLOWLIST && ex->allowance &&
	    ex->allowance[0])
		json_object_array_add(ex->syscalls,
				      allowance_to_json(ex->allowance,
							"needed to start the session"));
	if (ex->allow_seccomp)
		json_object_array_add(ex->syscalls,
				      allowance_to_json(seccomp_only,
							"sechard allows it to load its separate later filters"));

	for (i = 0; i < policy->nrules; i++) {
		const struct sh_rule *rule = &policy->rules[i];
		const struct export_call *call = find_call(ex, rule->syscall);

		if (policy->mode == SH_SECCOMP_ALLOWLIST)
			export_allowlist_rule(ex, call, rule);
		else
			export_denylist_rule(ex, call, rule);
	}
}

static int write_profile(json_object *profile, int fd, struct sh_error *err)
{
	const char *text;
	int r;

	text = json_object_to_json_string_ext(profile,
					      JSON_C_TO_STRING_PRETTY |
						      JSON_C_TO_STRING_PRETTY_TAB |
						      JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!text)
		return sh_error_set(err, ENOMEM, NULL, 0, NULL,
				    "out of memory");

	r = write_all(fd, text, strlen(text), err);
	if (r == 0)
		r = write_all(fd, "\n", 1, err);
	return r;
}

/*
 * Returns -EOPNOTSUPP with err naming the syscall and the two rules when
 * the policy needs more than one filter for some syscall (see the rules
 * above), -EINVAL for a policy without seccomp, -ENOMEM, or the error of
 * write().
 */
int sh_oci_write(const struct sh_seccomp_policy *policy,
		 const char *const *allowance, int fd, struct sh_error *err)
{
	struct export ex = {
		.policy = policy, .allowance = allowance, .err = err,
	};
	json_object *profile, *architectures, *flags;
	int r;

	if (policy->mode == SH_SECCOMP_OFF)
		return sh_error_set(err, EINVAL, NULL, 0, NULL,
				    "the profile has no seccomp filter to export");

	export_default_action(policy, &ex.default_action);
	r = record_export_calls(&ex);
	if (r == 0)
		r = check_policy(&ex);
	if (r < 0) {
		free(ex.calls);
		return r;
	}

	profile = json_object_new_object();
	if (!profile) {
		free(ex.calls);
		return sh_error_set(err, ENOMEM, NULL, 0, NULL,
				    "out of memory");
	}
	export_default(&ex, profile);

	architectures = json_object_new_array();
	json_object_array_add(architectures,
			      json_object_new_string("SCMP_ARCH_X86_64"));
	json_object_object_add(profile, "architectures", architectures);

	if (policy->log_denied) {
		flags = json_object_new_array();
		json_object_array_add(flags, json_object_new_string(
					      "SECCOMP_FILTER_FLAG_LOG"));
		json_object_object_add(profile, "flags", flags);
	}

	ex.syscalls = json_object_new_array();
	json_object_object_add(profile, "syscalls", ex.syscalls);
	export_syscalls(&ex);

	r = write_profile(profile, fd, err);
	json_object_put(profile);
	free(ex.calls);
	return r;
}
