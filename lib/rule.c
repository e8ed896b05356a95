// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Seccomp rule text: parsing of list entries such as
 * "ioctl(arg1 == TIOCSTI):EPERM" or "@mount:EACCES", group expansion, and
 * the policy's rule array.
 *
 *   list   := entry { "," entry }
 *   entry  := "@" group | rule
 *   rule   := syscall [ "(" cond { "," cond } ")" ] [ ":" action ]
 *   cond   := "arg" N op value | "arg" N "&" value "==" value
 *   op     := "==" | "!=" | "<" | "<=" | ">" | ">="
 *   value  := number | constant | value "|" value
 *   action := errno name or number | kill | kill-thread | log | trap
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sechard.h"
#include "consts.h"
#include "groups.h"

/* Longest entry of a seccomp list, terminating NUL excluded. */
#define SH_ENTRY_MAX 255
/* Deepest nesting of groups inside groups. */
#define SH_GROUP_DEPTH_MAX 4

struct parse_ctx {
	const char *entry;	/* the whole entry, for messages */
	const char *file;
	unsigned int line;
	struct sh_error *err;
};

static int parse_error(const struct parse_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int parse_error(const struct parse_ctx *ctx, const char *fmt, ...)
{
	char message[sizeof(((struct sh_error *)0)->message)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);

	return sh_error_set(ctx->err, EINVAL, ctx->file, ctx->line, ctx->entry,
			    "%s", message);
}

/* Copy TEXT[0..len) into BUF without leading and trailing blanks. */
static int copy_trimmed(char *buf, size_t size, const char *text, size_t len)
{
	while (len && isspace((unsigned char)text[0])) {
		text++;
		len--;
	}
	while (len && isspace((unsigned char)text[len - 1]))
		len--;

	if (len >= size)
		return -ENAMETOOLONG;

	memcpy(buf, text, len);
	buf[len] = '\0';
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Errno names */

int sh_errno_from_name(const char *name)
{
	uint64_t number;
	int e;

	if (sh_parse_u64(name, &number) == 0) {
		if (number < 1 || number > SH_ERRNO_MAX)
			return -EINVAL;
		return (int)number;
	}

	for (e = 1; e <= SH_ERRNO_MAX; e++) {
		const char *known = strerrorname_np(e);

		if (known && strcmp(known, name) == 0)
			return e;
	}
	return -EINVAL;
}

/* Return the symbolic name ("EPERM"), or NULL for an errno glibc lacks. */
const char *sh_errno_name(int errno_value)
{
	return strerrorname_np(errno_value);
}

/* ------------------------------------------------------------------------ */
/* Actions */

static int parse_action(const struct parse_ctx *ctx, const char *text,
			struct sh_action *ret)
{
	static const struct {
		const char *name;
		enum sh_action_kind kind;
	} named[] = {
		{ "kill", SH_ACT_KILL_PROCESS },
		{ "kill-process", SH_ACT_KILL_PROCESS },
		{ "kill-thread", SH_ACT_KILL_THREAD },
		{ "log", SH_ACT_LOG },
		{ "trap", SH_ACT_TRAP },
	};
	size_t i;
	int e;

	for (i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
		if (strcmp(text, named[i].name) == 0) {
			ret->kind = named[i].kind;
			ret->errno_value = 0;
			return 0;
		}
	}

	e = sh_errno_from_name(text);
	if (e < 0)
		return parse_error(ctx,
				   "unknown action \"%s\" in \"%s\"; expected an errno name or number (1..%d), kill, kill-thread, log or trap",
				   text, ctx->entry, SH_ERRNO_MAX);

	ret->kind = SH_ACT_ERRNO;
	ret->errno_value = e;
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Condition values */

static int parse_value_term(const struct parse_ctx *ctx, const char *term,
			    uint64_t *ret)
{
	int64_t number;

	if (!term[0])
		return parse_error(ctx, "missing value in \"%s\"", ctx->entry);

	if (isdigit((unsigned char)term[0]) || term[0] == '-') {
		if (sh_parse_i64(term, &number) == 0) {
			*ret = (uint64_t)number;
			return 0;
		}
		/* values from 2^63 up have no signed form */
		if (sh_parse_u64(term, ret) == 0)
			return 0;
		return parse_error(ctx, "invalid number \"%s\" in \"%s\"",
				   term, ctx->entry);
	}

	if (sh_const_lookup(term, ret) < 0)
		return parse_error(ctx, "unknown constant \"%s\" in \"%s\"",
				   term, ctx->entry);
	return 0;
}

/* Parse TEXT[0..len): terms joined with '|' are ORed together. */
static int parse_value(const struct parse_ctx *ctx, const char *text,
		       size_t len, uint64_t *ret)
{
	char term[SH_ENTRY_MAX + 1];
	uint64_t value = 0;
	const char *end = text + len;

	for (;;) {
		const char *bar = memchr(text, '|', (size_t)(end - text));
		size_t term_len = bar ? (size_t)(bar - text) :
					(size_t)(end - text);
		uint64_t term_value;
		int r;

		if (copy_trimmed(term, sizeof(term), text, term_len) < 0)
			return parse_error(ctx, "value too long in \"%s\"",
					   ctx->entry);
		r = parse_value_term(ctx, term, &term_value);
		if (r < 0)
			return r;
		value |= term_value;

		if (!bar)
			break;
		text = bar + 1;
	}

	*ret = value;
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Conditions */

static const struct {
	const char *text;
	enum scmp_compare op;
} sh_ops[] = {
	/* two-character operators first, so "<=" is not read as "<" */
	{ "==", SCMP_CMP_EQ },
	{ "!=", SCMP_CMP_NE },
	{ "<=", SCMP_CMP_LE },
	{ ">=", SCMP_CMP_GE },
	{ "<", SCMP_CMP_LT },
	{ ">", SCMP_CMP_GT },
};

static const char *op_text(enum scmp_compare op)
{
	size_t i;

	if (op == SCMP_CMP_MASKED_EQ)
		return "&";
	for (i = 0; i < sizeof(sh_ops) / sizeof(sh_ops[0]); i++) {
		if (sh_ops[i].op == op)
			return sh_ops[i].text;
	}
	return "?";
}

/* Parse "argN & MASK == VALUE" once the text after N starts with '&'. */
static int parse_masked(const struct parse_ctx *ctx, const char *text,
			struct sh_cond *cond)
{
	const char *equals = strstr(text, "==");
	int r;

	if (!equals)
		return parse_error(ctx,
				   "expected \"argN & MASK == VALUE\" in \"%s\"",
				   ctx->entry);

	r = parse_value(ctx, text, (size_t)(equals - text), &cond->value);
	if (r < 0)
		return r;

	r = parse_value(ctx, equals + 2, strlen(equals + 2),
			&cond->value_two);
	if (r < 0)
		return r;

	cond->op = SCMP_CMP_MASKED_EQ;
	return 0;
}

static int parse_cond(const struct parse_ctx *ctx, const char *text,
		      struct sh_cond *cond)
{
	size_t i;

	memset(cond, 0, sizeof(*cond));

	if (strncmp(text, "arg", 3) != 0 || text[3] < '0' || text[3] > '5' ||
	    isdigit((unsigned char)text[4]))
		return parse_error(ctx,
				   "invalid condition \"%s\" in \"%s\"; expected arg0 to arg5, an operator and a value",
				   text, ctx->entry);
	cond->arg = (unsigned int)(text[3] - '0');

	text += 4;
	while (isspace((unsigned char)*text))
		text++;

	if (*text == '&')
		return parse_masked(ctx, text + 1, cond);

	for (i = 0; i < sizeof(sh_ops) / sizeof(sh_ops[0]); i++) {
		size_t op_len = strlen(sh_ops[i].text);

		if (strncmp(text, sh_ops[i].text, op_len) != 0)
			continue;

		cond->op = sh_ops[i].op;
		text += op_len;
		return parse_value(ctx, text, strlen(text), &cond->value);
	}

	return parse_error(ctx,
			   "missing operator in \"%s\"; expected ==, !=, <, <=, >, >= or & MASK ==",
			   ctx->entry);
}

/* Parse the text between the parentheses: conditions separated by ','. */
static int parse_cond_list(const struct parse_ctx *ctx, const char *text,
			   size_t len, struct sh_rule *rule)
{
	const char *end = text + len;

	for (;;) {
		const char *comma = memchr(text, ',', (size_t)(end - text));
		size_t cond_len = comma ? (size_t)(comma - text) :
					  (size_t)(end - text);
		char cond_text[SH_ENTRY_MAX + 1];
		int r;

		if (copy_trimmed(cond_text, sizeof(cond_text), text,
				 cond_len) < 0 || !cond_text[0])
			return parse_error(ctx, "empty condition in \"%s\"",
					   ctx->entry);

		if (rule->ncond == SH_RULE_CONDS_MAX)
			return parse_error(ctx,
					   "too many conditions in \"%s\" (maximum %d)",
					   ctx->entry, SH_RULE_CONDS_MAX);

		r = parse_cond(ctx, cond_text, &rule->cond[rule->ncond]);
		if (r < 0)
			return r;
		rule->ncond++;

		if (!comma)
			return 0;
		text = comma + 1;
	}
}

/* ------------------------------------------------------------------------ */
/* 32-bit arguments */

/*
 * The kernel reads an int or unsigned int argument from the low 32 bits of
 * its register and ignores the rest, but a seccomp filter sees all 64.  A
 * comparison of such an argument (low32) is safe only if setting the high
 * bits can never turn a denied call into an allowed one:
 *
 *   deny  ==      compiled as "low 32 bits == value" (sh_filter_build), so
 *                 it matches whatever the high bits hold;
 *   deny  & ==    mask and value cut to 32 bits, same reason;
 *   deny  != > >= a plain 64-bit compare: high bits only make it match more;
 *   deny  < <=    rejected: high bits make the value large and skip the deny;
 *   allow == & == a plain 64-bit compare: high bits only make it miss, and
 *                 a call that misses is denied;
 *   allow < <=    safe for the same reason;
 *   allow > >=    rejected: high bits make any value large enough to pass;
 *   allow !=      rejected with other conditions.  Alone, sh_filter_build
 *                 compiles it as an unconditional allow plus a deny of
 *                 "low 32 bits == value" in the second layer.
 */
int sh_rule_check_width(const struct sh_rule *rule, char *reason,
			size_t size)
{
	unsigned int i;

	for (i = 0; i < rule->ncond; i++) {
		const struct sh_cond *cond = &rule->cond[i];
		const char *op = op_text(cond->op);

		if (!cond->low32)
			continue;

		if (!rule->allow &&
		    (cond->op == SCMP_CMP_LT || cond->op == SCMP_CMP_LE)) {
			snprintf(reason, size,
				 "a deny with \"arg%u %s\" can be bypassed: argument %u of %s is 32 bits wide and the kernel ignores the high bits a caller sets; deny with ==, >= or > instead",
				 cond->arg, op, cond->arg, rule->syscall);
			return -EINVAL;
		}

		if (rule->allow &&
		    (cond->op == SCMP_CMP_GT || cond->op == SCMP_CMP_GE)) {
			snprintf(reason, size,
				 "an allow with \"arg%u %s\" can be bypassed: argument %u of %s is 32 bits wide and the kernel ignores the high bits a caller sets; allow with ==, < or <= instead",
				 cond->arg, op, cond->arg, rule->syscall);
			return -EINVAL;
		}

		if (rule->allow && cond->op == SCMP_CMP_NE &&
		    rule->ncond > 1) {
			snprintf(reason, size,
				 "an allow with \"arg%u !=\" must be the only condition of its rule, because argument %u of %s is 32 bits wide; write it as a separate deny instead",
				 cond->arg, cond->arg, rule->syscall);
			return -EINVAL;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Rules */

static int parse_syscall_name(const struct parse_ctx *ctx, const char *text,
			      size_t len, struct sh_rule *rule)
{
	size_t i;

	if (copy_trimmed(rule->syscall, sizeof(rule->syscall), text, len) < 0)
		return parse_error(ctx, "syscall name too long in \"%s\"",
				   ctx->entry);

	if (!rule->syscall[0])
		return parse_error(ctx, "missing syscall name in \"%s\"",
				   ctx->entry);

	for (i = 0; rule->syscall[i]; i++) {
		unsigned char c = (unsigned char)rule->syscall[i];

		if (!islower(c) && !isdigit(c) && c != '_')
			return parse_error(ctx,
					   "invalid syscall name \"%s\" in \"%s\"",
					   rule->syscall, ctx->entry);
	}

	/*
	 * A name that exists only on another architecture resolves to a
	 * negative pseudo number.  It is accepted, because it matters on
	 * the secondary architectures a profile may opt in to.
	 */
	if (seccomp_syscall_resolve_name(rule->syscall) == __NR_SCMP_ERROR)
		return parse_error(ctx, "unknown syscall \"%s\"",
				   rule->syscall);
	return 0;
}

/*
 * Split TEXT into syscall, condition list and action.  The action follows the
 * last ':' that is outside the parentheses.
 */
static int parse_rule_text(const struct parse_ctx *ctx, const char *text,
			   bool allow, struct sh_rule *rule)
{
	const char *open = strchr(text, '(');
	const char *close = strrchr(text, ')');
	const char *colon = strrchr(text, ':');
	const char *name_end;
	int r;

	if (colon && close && colon < close)
		colon = NULL;

	if ((open && !close) || (!open && close) || (open && close < open))
		return parse_error(ctx, "unbalanced parentheses in \"%s\"",
				   ctx->entry);

	if (close) {
		const char *after = close + 1;

		while (isspace((unsigned char)*after))
			after++;
		if (*after && *after != ':')
			return parse_error(ctx,
					   "unexpected text after ')' in \"%s\"",
					   ctx->entry);
		if (memchr(open + 1, '(', (size_t)(close - open - 1)))
			return parse_error(ctx,
					   "nested parentheses in \"%s\"",
					   ctx->entry);
	}

	name_end = open ? open : colon ? colon : text + strlen(text);
	r = parse_syscall_name(ctx, text, (size_t)(name_end - text), rule);
	if (r < 0)
		return r;

	if (open) {
		r = parse_cond_list(ctx, open + 1, (size_t)(close - open - 1),
				    rule);
		if (r < 0)
			return r;
	}

	if (colon) {
		char action[SH_ENTRY_MAX + 1];

		if (allow)
			return parse_error(ctx,
					   "an allow entry cannot carry an action: \"%s\"",
					   ctx->entry);

		copy_trimmed(action, sizeof(action), colon + 1,
			     strlen(colon + 1));
		r = parse_action(ctx, action, &rule->action);
		if (r < 0)
			return r;
	}
	return 0;
}

static void mark_32bit_args(struct sh_rule *rule)
{
	unsigned int i;

	for (i = 0; i < rule->ncond; i++) {
		struct sh_cond *cond = &rule->cond[i];

		cond->low32 = !sh_syscall_arg_is_64bit(rule->syscall,
						       cond->arg);
	}
}

static int parse_rule(const struct parse_ctx *ctx, const char *text,
		      bool allow, struct sh_rule *ret)
{
	char reason[400];
	int r;

	memset(ret, 0, sizeof(*ret));
	ret->allow = allow;
	/* ERRNO with errno 0: no action written, the profile's default */
	ret->action.kind = SH_ACT_ERRNO;
	ret->file = ctx->file;
	ret->line = ctx->line;

	if (strlen(text) > SH_ENTRY_MAX)
		return parse_error(ctx, "entry longer than %d characters",
				   SH_ENTRY_MAX);

	r = parse_rule_text(ctx, text, allow, ret);
	if (r < 0)
		return r;

	mark_32bit_args(ret);

	if (sh_rule_check_width(ret, reason, sizeof(reason)) < 0)
		return parse_error(ctx, "%s", reason);
	return 0;
}

int sh_rule_parse(const char *text, bool allow, struct sh_rule *ret,
		  struct sh_error *err)
{
	struct parse_ctx ctx = { .entry = text, .err = err };

	return parse_rule(&ctx, text, allow, ret);
}

/* ------------------------------------------------------------------------ */
/* Policies */

static int policy_append(struct sh_seccomp_policy *policy,
			 const struct sh_rule *rule,
			 const struct parse_ctx *ctx)
{
	struct sh_rule *rules;

	if (policy->nrules >= SH_RULES_MAX)
		return sh_error_set(ctx->err, E2BIG, ctx->file, ctx->line,
				    ctx->entry,
				    "more than %d seccomp rules after group expansion",
				    SH_RULES_MAX);

	rules = realloc(policy->rules,
			(policy->nrules + 1) * sizeof(*policy->rules));
	if (!rules)
		return sh_error_set(ctx->err, ENOMEM, ctx->file, ctx->line,
				    ctx->entry, "out of memory");

	policy->rules = rules;
	policy->rules[policy->nrules++] = *rule;
	return 0;
}

static int add_group(struct sh_seccomp_policy *policy,
		     const struct sh_syscall_group *group, bool allow,
		     const struct sh_action *action,
		     const struct parse_ctx *ctx, unsigned int depth)
{
	const char *const *member;

	if (depth > SH_GROUP_DEPTH_MAX)
		return parse_error(ctx, "groups nested too deeply in \"%s\"",
				   group->name);

	for (member = group->members; *member; member++) {
		struct sh_rule rule;
		int r;

		if ((*member)[0] == '@') {
			const struct sh_syscall_group *nested =
				sh_syscall_group_find(*member);

			if (!nested)
				return parse_error(ctx,
						   "group %s names unknown group \"%s\"",
						   group->name, *member);
			r = add_group(policy, nested, allow, action, ctx,
				      depth + 1);
			if (r < 0)
				return r;
			continue;
		}

		memset(&rule, 0, sizeof(rule));
		snprintf(rule.syscall, sizeof(rule.syscall), "%s", *member);
		rule.allow = allow;
		rule.action = *action;
		rule.file = ctx->file;
		rule.line = ctx->line;

		r = policy_append(policy, &rule, ctx);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Expand "@name" or "@name:action". */
static int add_group_entry(struct sh_seccomp_policy *policy, const char *text,
			   bool allow, const struct parse_ctx *ctx)
{
	struct sh_action action = { .kind = SH_ACT_ERRNO };
	const struct sh_syscall_group *group;
	const char *colon = strchr(text, ':');
	char name[SH_ENTRY_MAX + 1];
	int r;

	copy_trimmed(name, sizeof(name), text,
		     colon ? (size_t)(colon - text) : strlen(text));

	group = sh_syscall_group_find(name);
	if (!group)
		return parse_error(ctx, "unknown syscall group \"%s\"", name);

	if (colon) {
		char action_text[SH_ENTRY_MAX + 1];

		if (allow)
			return parse_error(ctx,
					   "an allow entry cannot carry an action: \"%s\"",
					   ctx->entry);

		copy_trimmed(action_text, sizeof(action_text), colon + 1,
			     strlen(colon + 1));
		r = parse_action(ctx, action_text, &action);
		if (r < 0)
			return r;
	}

	return add_group(policy, group, allow, &action, ctx, 0);
}

int sh_seccomp_add_entry(struct sh_seccomp_policy *policy, const char *text,
			 bool allow, const char *file, unsigned int line,
			 struct sh_error *err)
{
	struct parse_ctx ctx = {
		.entry = text, .file = file, .line = line, .err = err,
	};
	char trimmed[SH_ENTRY_MAX + 1];
	struct sh_rule rule;
	int r;

	if (copy_trimmed(trimmed, sizeof(trimmed), text, strlen(text)) < 0)
		return parse_error(&ctx, "entry longer than %d characters",
				   SH_ENTRY_MAX);
	ctx.entry = trimmed;

	if (!trimmed[0])
		return parse_error(&ctx, "empty seccomp entry");

	if (trimmed[0] == '@')
		return add_group_entry(policy, trimmed, allow, &ctx);

	r = parse_rule(&ctx, trimmed, allow, &rule);
	if (r < 0)
		return r;

	return policy_append(policy, &rule, &ctx);
}

int sh_seccomp_add_list(struct sh_seccomp_policy *policy, const char *text,
			bool allow, const char *file, unsigned int line,
			struct sh_error *err)
{
	const char *start = text;
	const char *p;
	int depth = 0;

	for (p = text;; p++) {
		char entry[SH_ENTRY_MAX + 1];
		int r;

		if (*p == '(')
			depth++;
		else if (*p == ')')
			depth--;

		if (*p && (*p != ',' || depth > 0))
			continue;

		if (copy_trimmed(entry, sizeof(entry), start,
				 (size_t)(p - start)) < 0) {
			snprintf(entry, sizeof(entry), "%.*s", 120, start);
			return sh_error_set(err, EINVAL, file, line, entry,
					    "entry longer than %d characters",
					    SH_ENTRY_MAX);
		}

		/*
		 * An empty list and a trailing comma add nothing, but an
		 * empty entry between two commas is an error.
		 */
		if (entry[0] || *p == ',') {
			r = sh_seccomp_add_entry(policy, entry, allow, file,
						 line, err);
			if (r < 0)
				return r;
		}

		if (!*p)
			return 0;
		start = p + 1;
	}
}

void sh_seccomp_policy_clear(struct sh_seccomp_policy *policy)
{
	free(policy->rules);
	memset(policy, 0, sizeof(*policy));
}

int sh_seccomp_policy_copy(struct sh_seccomp_policy *dst,
			   const struct sh_seccomp_policy *src)
{
	struct sh_rule *rules = NULL;

	if (src->nrules) {
		rules = malloc(src->nrules * sizeof(*rules));
		if (!rules)
			return -ENOMEM;
		memcpy(rules, src->rules, src->nrules * sizeof(*rules));
	}

	*dst = *src;
	dst->rules = rules;
	return 0;
}
