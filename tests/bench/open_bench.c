// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * open_bench: wall time of one PAM session, and of its pam_open_session().
 *
 *   open_bench USER SESSIONS ROUNDS SERVICE...
 *
 * Each round runs SESSIONS sessions of every SERVICE in turn, each one
 * pam_start, pam_open_session, pam_close_session and pam_end, so that a
 * change of CPU clock speed hits all services alike.  Prints one line per
 * service: its name, the median ms per whole session and the median ms
 * spent in pam_open_session() alone, over the rounds.  pam_start loads the
 * service's modules and pam_end unloads them, so the first figure includes
 * dlopen() of every module as a login program pays it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <security/pam_appl.h>

#include "sechard.h"

#define SERVICES_MAX 8
#define ROUNDS_MAX 101

static int silent_conversation(int count, const struct pam_message **messages,
			       struct pam_response **responses, void *data)
{
	*responses = NULL;
	return PAM_CONV_ERR;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int run_session(const char *service, const char *user,
		       double *open_ms)
{
	struct pam_conv conversation = { silent_conversation, NULL };
	pam_handle_t *pamh = NULL;
	double start;
	int r;

	r = pam_start(service, user, &conversation, &pamh);
	if (r != PAM_SUCCESS) {
		fprintf(stderr, "open_bench: pam_start %s: %s\n", service,
			pam_strerror(pamh, r));
		return -1;
	}

	start = now_ms();
	r = pam_open_session(pamh, 0);
	*open_ms += now_ms() - start;
	if (r != PAM_SUCCESS) {
		fprintf(stderr, "open_bench: %s: session refused: %s\n",
			service, pam_strerror(pamh, r));
		pam_end(pamh, r);
		return -1;
	}

	r = pam_close_session(pamh, 0);
	pam_end(pamh, r);
	return 0;
}

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int parse_count(const char *text, uint64_t max, uint64_t *ret)
{
	if (sh_parse_u64(text, ret) < 0 || *ret == 0 || *ret > max) {
		fprintf(stderr, "open_bench: invalid count \"%s\": use 1..%llu\n",
			text, (unsigned long long)max);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static double ms[SERVICES_MAX][ROUNDS_MAX];
	static double open_ms[SERVICES_MAX][ROUNDS_MAX];
	uint64_t sessions, rounds, round, i;
	int nservices, service;
	double start;

	nservices = argc - 4;
	if (nservices < 1 || nservices > SERVICES_MAX) {
		fprintf(stderr, "usage: open_bench USER SESSIONS ROUNDS SERVICE... (at most %d services)\n",
			SERVICES_MAX);
		return 2;
	}
	if (parse_count(argv[2], 1000000, &sessions) < 0 ||
	    parse_count(argv[3], ROUNDS_MAX, &rounds) < 0)
		return 2;

	for (round = 0; round < rounds; round++) {
		for (service = 0; service < nservices; service++) {
			double opening = 0;

			start = now_ms();
			for (i = 0; i < sessions; i++)
				if (run_session(argv[4 + service], argv[1],
						&opening) < 0)
					return 1;
			ms[service][round] = (now_ms() - start) / sessions;
			open_ms[service][round] = opening / sessions;
		}
	}

	for (service = 0; service < nservices; service++) {
		qsort(ms[service], rounds, sizeof(double), compare_doubles);
		qsort(open_ms[service], rounds, sizeof(double), compare_doubles);
		printf("%s %.4f %.4f\n", argv[4 + service],
		       ms[service][rounds / 2], open_ms[service][rounds / 2]);
	}
	return 0;
}
