// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Replay a fuzz corpus without libFuzzer: feed every regular file in the
 * folder given as argv[1] to LLVMFuzzerTestOneInput(), in name order, so
 * that CI runs each target over its seeds and past crashes.  Built only
 * when the target is not linked with -fsanitize=fuzzer.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Largest input replayed; the parsers reject anything near this anyway. */
#define REPLAY_INPUT_MAX (8 * 1024 * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(int dir_fd, const char *name)
{
	struct stat st;
	uint8_t *data;
	size_t size = 0;
	ssize_t n;
	int fd;

	fd = openat(dir_fd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 || fstat(fd, &st) < 0) {
		fprintf(stderr, "replay: %s: %s\n", name, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > REPLAY_INPUT_MAX) {
		close(fd);
		return 0;
	}

	/* One spare byte, so that an empty file still gets a valid pointer. */
	data = malloc((size_t)st.st_size + 1);
	if (!data) {
		close(fd);
		return -1;
	}
	while (size < (size_t)st.st_size) {
		n = read(fd, data + size, (size_t)st.st_size - size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		size += (size_t)n;
	}
	close(fd);

	LLVMFuzzerTestOneInput(data, size);
	free(data);
	return 1;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

int main(int argc, char **argv)
{
	struct dirent **entries;
	int count, dir_fd, i, r, replayed = 0, failed = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s CORPUS-FOLDER\n", argv[0]);
		return 2;
	}

	dir_fd = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	count = scandir(argv[1], &entries, NULL, by_name);
	if (dir_fd < 0 || count < 0) {
		fprintf(stderr, "replay: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}

	for (i = 0; i < count; i++) {
		if (entries[i]->d_name[0] != '.') {
			r = replay_file(dir_fd, entries[i]->d_name);
			if (r < 0)
				failed++;
			else
				replayed += r;
		}
		free(entries[i]);
	}
	free(entries);
	close(dir_fd);

	printf("replay: %d inputs from %s\n", replayed, argv[1]);
	return failed ? 1 : 0;
}
