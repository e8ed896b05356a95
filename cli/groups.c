// SPDX-License-Identifier: LGPL-2.1-or-later
/* sechard groups [NAME]: the syscall groups that profiles may name. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "groups.h"

static struct json_object *group_json(const struct sh_syscall_group *group)
{
	struct json_object *object = json_object_new_object();
	struct json_object *members = json_object_new_array();
	const char *const *member;

	json_object_object_add(object, "name",
			       json_object_new_string(group->name));
	json_object_object_add(object, "description",
			       cli_json_string(group->description));
	for (member = group->members; *member; member++)
		json_object_array_add(members, json_object_new_string(*member));
	json_object_object_add(object, "members", members);
	return object;
}

static void print_group(const struct sh_syscall_group *group)
{
	const char *const *member;
	size_t width = 4;

	printf("%s: %s\n", group->name,
	       group->description ? group->description : "");
	for (member = group->members; *member; member++) {
		size_t len = strlen(*member) + 1;

		if (width + len > 78) {
			printf("\n   ");
			width = 4;
		} else if (member == group->members) {
			printf("   ");
		}
		printf(" %s", *member);
		width += len;
	}
	printf("\n");
}

static int parse_groups_args(struct cli_options *options, int argc,
			     char **argv, const char **ret_name)
{
	static const struct option table[] = {
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	int c, r;

	while ((c = getopt_long(argc, argv, "h", table, NULL)) != -1) {
		r = cli_common_option(options, c, optarg);
		if (r != CLI_HANDLED)
			return r;
	}
	if (argc - optind > 1) {
		cli_fail("groups takes at most one group name");
		return EXIT_USAGE;
	}
	*ret_name = argc - optind == 1 ? argv[optind] : NULL;
	return -1;
}

int cmd_groups(struct cli_options *options, int argc, char **argv)
{
	const struct sh_syscall_group *groups, *group;
	struct json_object *array;
	const char *name = NULL;
	size_t count, i;
	int r;

	r = parse_groups_args(options, argc, argv, &name);
	if (r >= 0)
		return r;

	if (name) {
		group = sh_syscall_group_find(name);
		if (!group) {
			cli_fail("unknown syscall group \"%s\"; \"sechard groups\" lists them",
				 name);
			return EXIT_PROBLEMS;
		}
		if (options->json)
			cli_json_print(group_json(group));
		else
			print_group(group);
		return EXIT_OK;
	}

	groups = sh_syscall_groups(&count);
	if (options->json) {
		array = json_object_new_array();
		for (i = 0; i < count; i++)
			json_object_array_add(array, group_json(&groups[i]));
		cli_json_print(array);
		return EXIT_OK;
	}
	for (i = 0; i < count; i++) {
		if (i)
			printf("\n");
		print_group(&groups[i]);
	}
	return EXIT_OK;
}
