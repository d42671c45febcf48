// SPDX-License-Identifier: GPL-2.0
/*
 * Configuration files: the device part is read here; the [policy] and
 * [ranks] sections go to the policy and rank file parsers, each given the
 * whole file with the other lines blanked, so that one format is read by
 * one parser and every error names the file's own line.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf.h"
#include "dev.h"
#include "parse.h"

/* The reason in @err, and -1. */
#define why(err, ...)	({ snprintf(err, CONF_ERR_LEN, __VA_ARGS__); -1; })

#define BY_ID		"/dev/disk/by-id/"

const char *conf_dir(const char *opt)
{
	const char *env = getenv(CONF_DIR_ENV);

	if (opt)
		return opt;
	return env && *env ? env : CONF_DIR;
}

int conf_name(const char *path, char *name, char *err)
{
	const char *base = strrchr(path, '/');
	size_t len, sfx = strlen(CONF_SUFFIX);

	base = base ? base + 1 : path;
	len = strlen(base);
	if (len <= sfx || strcmp(base + len - sfx, CONF_SUFFIX))
		return why(err, "%s: not NAME" CONF_SUFFIX " (the device's name is the file's)",
			   path);
	len -= sfx;
	if (len >= FDPBLK_NAME_LEN)
		return why(err, "%s: %.*s: a device name has at most %d characters",
			   path, (int)len, base, FDPBLK_NAME_LEN - 1);
	memcpy(name, base, len);
	name[len] = '\0';
	if (!fdpblk_valid_name(name))
		return why(err, "%s: %s: not a device name (A-Z a-z 0-9 . _ -, starting with a letter or digit, not fdpblk<digits>)",
			   path, name);
	return 0;
}

/* nvmeXnY, nvmeXcYnZ, ngXnY, with or without /dev/ and a partition: kernel names. */
static bool kernel_name(const char *s)
{
	unsigned int a, b, c;
	int end = 0;

	if (!strncmp(s, "/dev/", 5))
		s += 5;
	if ((sscanf(s, "nvme%un%u%n", &a, &b, &end) == 2 ||
	     sscanf(s, "nvme%uc%un%u%n", &a, &b, &c, &end) == 3 ||
	     sscanf(s, "ng%un%u%n", &a, &b, &end) == 2) &&
	    (!s[end] || s[end] == 'p'))
		return true;
	return false;
}

int conf_check_lower(const char *id, char *err)
{
	size_t i;

	if (!*id)
		return why(err, "empty");
	for (i = 0; id[i]; i++)
		if (!isgraph((unsigned char)id[i]))
			return why(err, "'%s': no blanks or control characters in an identity",
				   id);
	if (kernel_name(id))
		return why(err, "%s: kernel names change between boots: name the namespace by its wwid (cat /sys/block/nvmeXnY/wwid) or a " BY_ID " link",
			   id);
	if (id[0] == '/') {
		if (strncmp(id, BY_ID, strlen(BY_ID)) || !id[strlen(BY_ID)] ||
		    strchr(id + strlen(BY_ID), '/'))
			return why(err, "%s: a path must be a link in " BY_ID,
				   id);
		return 0;
	}
	if (strncasecmp(id, "eui.", 4) && strncasecmp(id, "uuid.", 5) &&
	    strncasecmp(id, "nguid.", 6) && strncasecmp(id, "nvme.", 5))
		return why(err, "%s: not a wwid (eui., uuid., nvme., as /sys/block/nvmeXnY/wwid shows it) or a " BY_ID " link",
			   id);
	return 0;
}

bool conf_lower_is(const char *id, const char *ns, const char *wwid)
{
	char real[PATH_MAX];
	const char *base;

	if (id[0] != '/')
		return wwid && !strcasecmp(id, wwid);
	/* 60-persistent-storage.rules' nvme-WWID link, made or not. */
	base = strrchr(id, '/') + 1;
	if (wwid && !strncmp(base, "nvme-", 5) && !strcasecmp(base + 5, wwid))
		return true;
	return realpath(id, real) && !strncmp(real, "/dev/", 5) &&
	       !strcmp(real + 5, ns);
}

unsigned int conf_streams(const struct fdpblk_conf *c)
{
	return c->streams ? c->streams : FDPBLK_DEFAULT_STREAMS;
}

void conf_free(struct fdpblk_conf *c)
{
	free(c->policy);
	rankfile_free(&c->ranks);
	memset(c, 0, sizeof(*c));
}

static int parse_bool(const char *s, bool *v)
{
	static const char * const yes[] = { "yes", "true", "on", "1" };
	static const char * const no[] = { "no", "false", "off", "0" };
	unsigned int i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcmp(s, yes[i]) || !strcmp(s, no[i])) {
			*v = !strcmp(s, yes[i]);
			return 0;
		}
	}
	return -1;
}

enum { S_DEVICE, S_POLICY, S_RANKS, NR_SECTIONS };
static const char * const section_names[NR_SECTIONS] = {
	"", "[policy]", "[ranks]",
};
enum { K_LOWER, K_STREAMS, K_PASSTHROUGH, NR_KEYS };
static const char * const device_keys[NR_KEYS] = {
	"lower", "streams", "passthrough",
};

/* A line of the device part, @s without its comment: -1 with why in @msg. */
static int device_line(struct fdpblk_conf *c, char *s, unsigned int no,
		       unsigned int *first, char *msg)
{
	char *eq = strchr(s, '='), *key, *val, e[CONF_ERR_LEN];
	unsigned long v;
	unsigned int k;

	if (!eq)
		return why(msg, "'%s': expected KEY = VALUE", s);
	*eq = '\0';
	key = str_trim(s);
	val = str_trim(eq + 1);
	for (k = 0; k < NR_KEYS; k++)
		if (!strcmp(key, device_keys[k]))
			break;
	if (k == NR_KEYS)
		return why(msg, "%s: unknown key (lower, streams, passthrough; policy entries go under [policy])",
			   key);
	if (first[k])
		return why(msg, "%s: duplicate key, first on line %u", key,
			   first[k]);
	first[k] = no;
	switch (k) {
	case K_LOWER:
		if (strlen(val) >= sizeof(c->lower))
			return why(msg, "lower: longer than %zu characters",
				   sizeof(c->lower) - 1);
		if (conf_check_lower(val, e))
			return why(msg, "lower = %.400s", e);
		strcpy(c->lower, val);
		return 0;
	case K_STREAMS:
		if (parse_dec(val, FDPBLK_MAX_STREAMS, &v) || !v)
			return why(msg, "streams = %.40s: must be 1..%d", val,
				   FDPBLK_MAX_STREAMS);
		c->streams = v;
		return 0;
	}
	if (parse_bool(val, &c->passthrough))
		return why(msg, "passthrough = %.40s: must be yes or no", val);
	return 0;
}

/*
 * The header keys of a policy file that have no place in a configuration:
 * the lower is the device part's, and a configuration holds whatever
 * version the device is at.
 */
static int policy_line(const char *s, char *msg)
{
	size_t n = strcspn(s, "=");

	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 5 && !strncmp(s, "lower", 5))
		return why(msg, "lower: goes before [policy], with the device's keys");
	if (n == 7 && !strncmp(s, "version", 7))
		return why(msg, "version: a configuration holds no policy version (apply pushes only what differs)");
	return 0;
}

/* The [ranks] section, through the rank file parser: 0, or -1 with @err. */
static int parse_ranks(struct fdpblk_conf *c, const char *text, size_t len,
		       const char *path, char *err)
{
	char msg[RANKFILE_ERR_LEN];
	unsigned int i;
	FILE *f;
	int ret;

	if (!len)
		return 0;
	f = fmemopen((void *)text, len, "r");
	if (!f)
		return why(err, "%s: %s", path, strerror(errno));
	ret = rankfile_parse(f, path, &c->ranks, msg);
	fclose(f);
	if (ret)
		return why(err, "%.600s", msg);
	for (i = 0; i < c->ranks.n; i++) {
		if (c->ranks.e[i].cgroup && !c->ranks.e[i].path)
			return why(err, "%s:%u: cgroup ids do not survive a reboot: name the cgroup by its path",
				   path, c->ranks.e[i].line);
	}
	return 0;
}

/* Append @s to the text of a section (@buf, @len, @room); -1 without memory. */
static int append(char **buf, size_t *len, size_t *room, const char *s)
{
	size_t n = strlen(s);
	char *b;

	if (*len + n + 1 > *room) {
		*room = (*len + n + 1) * 2;
		b = realloc(*buf, *room);
		if (!b)
			return -1;
		*buf = b;
	}
	memcpy(*buf + *len, s, n + 1);
	*len += n;
	return 0;
}

int conf_parse(FILE *f, const char *path, struct fdpblk_conf *c, char *err)
{
	unsigned int lineno = 0, first[NR_KEYS] = { 0 };
	unsigned int seen[NR_SECTIONS] = { 0 }, sec = S_DEVICE, k;
	char line[4096], copy[4096], msg[CONF_ERR_LEN], *s, *hash;
	char *text[NR_SECTIONS] = { NULL };
	size_t len[NR_SECTIONS] = { 0 }, room[NR_SECTIONS] = { 0 };

	memset(c, 0, sizeof(*c));
	if (conf_name(path, c->name, err))
		return -1;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			why(err, "%s:%u: line too long", path, lineno);
			goto fail;
		}
		strcpy(copy, line);
		hash = strchr(copy, '#');
		if (hash)
			*hash = '\0';
		s = str_trim(copy);
		if (*s == '[') {
			for (k = S_POLICY; k < NR_SECTIONS; k++)
				if (!strcmp(s, section_names[k]))
					break;
			if (k == NR_SECTIONS) {
				why(err, "%s:%u: %s: unknown section ([policy] or [ranks])",
				    path, lineno, s);
				goto fail;
			}
			if (seen[k]) {
				why(err, "%s:%u: %s: duplicate section, first on line %u",
				    path, lineno, s, seen[k]);
				goto fail;
			}
			seen[k] = lineno;
			sec = k;
			*s = '\0';
		}
		if (sec == S_DEVICE && *s && device_line(c, s, lineno, first, msg)) {
			why(err, "%s:%u: %.400s", path, lineno, msg);
			goto fail;
		}
		if (sec == S_POLICY && *s && policy_line(s, msg)) {
			why(err, "%s:%u: %.400s", path, lineno, msg);
			goto fail;
		}
		/* Each section's text keeps every line: blank where not its own. */
		for (k = S_POLICY; k < NR_SECTIONS; k++) {
			if (append(&text[k], &len[k], &room[k],
				   k == sec && *s ? line : "\n")) {
				why(err, "%s: %s", path, strerror(ENOMEM));
				goto fail;
			}
		}
	}
	if (ferror(f)) {
		why(err, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (!c->lower[0]) {
		why(err, "%s: no lower = (the namespace's wwid or a " BY_ID " link)",
		    path);
		goto fail;
	}
	if (c->passthrough && (c->streams || seen[S_POLICY] || seen[S_RANKS])) {
		why(err, "%s:%u: a pass-through device places nothing: it takes no %s",
		    path, c->streams ? first[K_STREAMS] :
		    seen[S_POLICY] ? seen[S_POLICY] : seen[S_RANKS],
		    c->streams ? "streams" : seen[S_POLICY] ? "[policy]" : "[ranks]");
		goto fail;
	}
	if (parse_ranks(c, text[S_RANKS] ? text[S_RANKS] : "", len[S_RANKS],
			path, err))
		goto fail;
	if (seen[S_POLICY]) {
		c->policy = text[S_POLICY];
		text[S_POLICY] = NULL;
	}
	free(text[S_POLICY]);
	free(text[S_RANKS]);
	return 0;
fail:
	free(text[S_POLICY]);
	free(text[S_RANKS]);
	conf_free(c);
	return -1;
}

int conf_policy(const struct fdpblk_conf *c, const char *path,
		const struct policy_limits *lim, struct fdpblk_policy *p,
		char *err)
{
	char msg[POLICY_ERR_LEN];
	struct policy_header h;
	FILE *f;
	int ret;

	policy_default(lim, p);
	if (!c->policy)
		return 0;
	f = fmemopen(c->policy, strlen(c->policy), "r");
	if (!f)
		return why(err, "%s: %s", path, strerror(errno));
	ret = policy_parse(f, path, lim, p, &h, msg);
	fclose(f);
	if (ret)
		return why(err, "%.600s", msg);
	if (policy_header_check(&h, "", lim, msg))
		return why(err, "%s: %.400s", path, msg);
	return 0;
}

void conf_write_device(FILE *f, const char *lower, unsigned int streams,
		       bool passthrough)
{
	fprintf(f, "lower = %s\n", lower);
	if (!passthrough)
		fprintf(f, "streams = %u\n", streams);
	fprintf(f, "passthrough = %s\n", passthrough ? "yes" : "no");
}
