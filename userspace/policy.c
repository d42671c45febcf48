// SPDX-License-Identifier: GPL-2.0
/*
 * fdpblk policy files: parse, check, write, compare, derive.
 *
 * A policy is a list of entries, each with a key: default, hint.NAME for
 * the five write hints, stream.S for each virtual stream, data_pool,
 * meta_pool, meta_chunk_kib. The same entry list drives parsing, writing
 * and comparing, so the three cannot disagree about the format.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "nvme.h"
#include "parse.h"
#include "policy.h"

static const char * const hint_names[FDPBLK_NR_HINTS] = {
	"not_set", "none", "short", "medium", "long", "extreme",
};

/* The hints block/fops.c also turns into streams 1..5. */
#define LAST_HINT_STREAM	(FDPBLK_NR_HINTS - 1)

enum entry_kind { E_DEFAULT, E_HINT, E_STREAM, E_DATA_POOL, E_META_POOL, E_META_CHUNK };

struct entry {
	enum entry_kind kind;
	unsigned int idx;	/* hint or stream number */
};

const char *policy_hint_name(unsigned int h)
{
	return h < FDPBLK_NR_HINTS ? hint_names[h] : "?";
}

/* Entry @i of the list for @lim, or false past its end. */
static bool entry_at(const struct policy_limits *lim, unsigned int i,
		     struct entry *e)
{
	unsigned int nr_hints = FDPBLK_NR_HINTS - 1;

	if (i == 0) {
		*e = (struct entry){ E_DEFAULT, 0 };
	} else if (i <= nr_hints) {
		*e = (struct entry){ E_HINT, i };
	} else if (i <= nr_hints + lim->nr_streams) {
		*e = (struct entry){ E_STREAM, i - nr_hints };
	} else if (i <= nr_hints + lim->nr_streams + 3) {
		static const enum entry_kind tail[] = {
			E_DATA_POOL, E_META_POOL, E_META_CHUNK,
		};

		*e = (struct entry){ tail[i - nr_hints - lim->nr_streams - 1], 0 };
	} else {
		return false;
	}
	return true;
}

static void entry_name(const struct entry *e, char *buf, size_t len)
{
	switch (e->kind) {
	case E_DEFAULT:
		snprintf(buf, len, "default");
		break;
	case E_HINT:
		snprintf(buf, len, "hint.%s", hint_names[e->idx]);
		break;
	case E_STREAM:
		snprintf(buf, len, "stream.%u", e->idx);
		break;
	case E_DATA_POOL:
		snprintf(buf, len, "data_pool");
		break;
	case E_META_POOL:
		snprintf(buf, len, "meta_pool");
		break;
	case E_META_CHUNK:
		snprintf(buf, len, "meta_chunk_kib");
		break;
	}
}

static void pool_value(const uint16_t *pool, unsigned int n, char *buf,
		       size_t len)
{
	size_t off = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < n && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%u", i ? " " : "", pool[i]);
}

/* The value of an entry as the file shows it. */
static void entry_value(const struct fdpblk_policy *p, const struct entry *e,
			char *buf, size_t len)
{
	switch (e->kind) {
	case E_DEFAULT:
		snprintf(buf, len, "%u", p->default_ph);
		break;
	case E_HINT:
		snprintf(buf, len, "%u", p->hint_map[e->idx]);
		break;
	case E_STREAM:
		if (p->stream_map[e->idx] == FDPBLK_PH_FOLLOW_HINT)
			snprintf(buf, len, "hint");
		else
			snprintf(buf, len, "%u", p->stream_map[e->idx]);
		break;
	case E_DATA_POOL:
		pool_value(p->data_pool, p->data_pool_len, buf, len);
		break;
	case E_META_POOL:
		pool_value(p->meta_pool, p->meta_pool_len, buf, len);
		break;
	case E_META_CHUNK:
		snprintf(buf, len, "%u", p->meta_chunk_kib);
		break;
	}
}

void policy_default(const struct policy_limits *lim, struct fdpblk_policy *p)
{
	unsigned int i;

	memset(p, 0, sizeof(*p));
	for (i = 1; i < FDPBLK_NR_HINTS; i++)
		p->hint_map[i] = i <= lim->max_ph ? i : 0;
	for (i = 1; i <= lim->nr_streams; i++)
		p->stream_map[i] = i <= LAST_HINT_STREAM ? FDPBLK_PH_FOLLOW_HINT :
				   i <= lim->max_ph ? i : 0;
	p->meta_chunk_kib = POLICY_META_CHUNK_DEFAULT;
}

static int why(char *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, POLICY_ERR_LEN, fmt, ap);
	va_end(ap);
	return -1;
}

/* pid:P: the ph whose handle has NVMe placement ID P. */
static int parse_pid_ph(const char *s, const struct policy_limits *lim,
			uint16_t *ph, char *err)
{
	unsigned long v;
	unsigned int i;

	if (parse_dec(s + 4, UINT16_MAX, &v))
		return why(err, "'%s' is not a placement ID (pid:0..65535)", s);
	if (!lim->handles)
		return why(err, "%s: the device's placement IDs are unknown (RUH status unreadable)",
			   s);
	for (i = 0; i < lim->max_ph; i++) {
		if (lim->handles[i].pid == v) {
			*ph = i + 1;
			return 0;
		}
	}
	return why(err, "%s: no handle of the device has placement ID %lu",
		   s, v);
}

/* A ph: a decimal number 0..N, or pid:P. */
static int parse_ph(const char *s, const struct policy_limits *lim,
		    uint16_t *ph, char *err)
{
	unsigned long v;

	if (!strncmp(s, "pid:", 4))
		return parse_pid_ph(s, lim, ph, err);
	if (parse_dec(s, ULONG_MAX, &v))
		return why(err, "'%s' is not a placement handle (0..%u or pid:P)",
			   s, lim->max_ph);
	if (v > lim->max_ph)
		return why(err, "ph %lu is beyond the device's %u handles (0..%u, 0 = no directive)",
			   v, lim->max_ph, lim->max_ph);
	*ph = v;
	return 0;
}

/* A pool: handles to place on, so no ph 0 (no directive), none twice. */
static int parse_pool(const char *val, const struct policy_limits *lim,
		      uint16_t *pool, uint16_t *len, char *err)
{
	char s[4096], *tok, *save;
	unsigned int n = 0, i;

	snprintf(s, sizeof(s), "%s", val);
	memset(pool, 0, FDPBLK_POOL_MAX * sizeof(*pool));
	for (tok = strtok_r(s, " \t,", &save); tok;
	     tok = strtok_r(NULL, " \t,", &save)) {
		if (n == FDPBLK_POOL_MAX)
			return why(err, "more than %d entries", FDPBLK_POOL_MAX);
		if (parse_ph(tok, lim, &pool[n], err))
			return -1;
		if (!pool[n])
			return why(err, "'%s': ph 0 (no directive) is no handle to place on",
				   tok);
		for (i = 0; i < n; i++)
			if (pool[i] == pool[n])
				return why(err, "'%s': ph %u is in the pool twice",
					   tok, pool[n]);
		n++;
	}
	*len = n;
	return 0;
}

static int entry_set(struct fdpblk_policy *p, const struct entry *e,
		     const char *val, const struct policy_limits *lim, char *err)
{
	unsigned long v;

	switch (e->kind) {
	case E_DEFAULT:
		return parse_ph(val, lim, &p->default_ph, err);
	case E_HINT:
		return parse_ph(val, lim, &p->hint_map[e->idx], err);
	case E_STREAM:
		if (!strcmp(val, "hint")) {
			if (e->idx > LAST_HINT_STREAM)
				return why(err, "only streams 1..%d can follow a hint",
					   LAST_HINT_STREAM);
			p->stream_map[e->idx] = FDPBLK_PH_FOLLOW_HINT;
			return 0;
		}
		return parse_ph(val, lim, &p->stream_map[e->idx], err);
	case E_DATA_POOL:
		return parse_pool(val, lim, p->data_pool, &p->data_pool_len, err);
	case E_META_POOL:
		return parse_pool(val, lim, p->meta_pool, &p->meta_pool_len, err);
	case E_META_CHUNK:
		if (parse_dec(val, 1048576, &v) || v < 4 || (v & (v - 1)))
			return why(err, "'%s' is not a power of two from 4 to 1048576",
				   val);
		p->meta_chunk_kib = v;
		return 0;
	}
	return why(err, "unknown entry");
}

/* The entry named @key (hint.N accepted for hint.NAME), or -1. */
static int find_entry(const char *key, const struct policy_limits *lim,
		      struct entry *e)
{
	char name[32], alias[32];
	unsigned int i;

	for (i = 0; entry_at(lim, i, e); i++) {
		entry_name(e, name, sizeof(name));
		if (!strcmp(key, name))
			return i;
		if (e->kind == E_HINT) {
			snprintf(alias, sizeof(alias), "hint.%u", e->idx);
			if (!strcmp(key, alias))
				return i;
		}
	}
	return -1;
}

/* Why @key names no entry of this device: the clearest reason we know. */
static int unknown_key(const char *key, const struct policy_limits *lim,
		       char *err)
{
	char *end;

	if (!strncmp(key, "stream.", 7)) {
		strtoul(key + 7, &end, 10);
		if (!*end && end != key + 7)
			return why(err, "%s: the device has streams 1..%u only",
				   key, lim->nr_streams);
	}
	if (!strncmp(key, "hint.", 5))
		return why(err, "%s: hints are none, short, medium, long, extreme (or 1..5)",
			   key);
	return why(err, "%s: unknown key", key);
}

/* The header's keys: after the entries, in the table of where keys were. */
enum { H_LOWER, H_PIDS, H_VERSION, NR_HEADER_KEYS };
static const char * const header_keys[NR_HEADER_KEYS] = {
	"lower", "placement_ids", "version",
};
#define NR_ENTRIES	(FDPBLK_NR_HINTS + FDPBLK_MAX_STREAMS + 3)

/* A file or argument list being parsed. */
struct parser {
	const struct policy_limits *lim;
	struct fdpblk_policy *p;
	struct policy_header *h;
	const char *unit;	/* "on line" or "in argument" */
	/* Where each entry, then each header key, was first given; 0: not. */
	unsigned int first[NR_ENTRIES + NR_HEADER_KEYS];
};

static void parser_init(struct parser *ps, const char *unit,
			const struct policy_limits *lim,
			struct fdpblk_policy *p, struct policy_header *h)
{
	memset(ps, 0, sizeof(*ps));
	ps->lim = lim;
	ps->p = p;
	ps->h = h;
	ps->unit = unit;
	memset(h, 0, sizeof(*h));
	h->nr_pids = -1;
}

static int header_set(struct policy_header *h, unsigned int k,
		      const char *val, char *err)
{
	char s[4096], *tok, *save;
	unsigned long v;

	switch (k) {
	case H_LOWER:
		if (!*val || strlen(val) >= sizeof(h->lower))
			return why(err, "not a namespace's identity");
		strcpy(h->lower, val);
		return 0;
	case H_PIDS:
		snprintf(s, sizeof(s), "%s", val);
		h->nr_pids = 0;
		for (tok = strtok_r(s, " \t,", &save); tok;
		     tok = strtok_r(NULL, " \t,", &save)) {
			if (h->nr_pids == FDPBLK_MAX_PH)
				return why(err, "more than %d entries", FDPBLK_MAX_PH);
			if (parse_dec(tok, UINT16_MAX, &v))
				return why(err, "'%s' is not a placement ID (0..65535)",
					   tok);
			h->pid[h->nr_pids++] = v;
		}
		return 0;
	}
	if (parse_dec(val, ULONG_MAX, &v))
		return why(err, "'%s' is not a policy version", val);
	h->version = v;
	h->has_version = true;
	return 0;
}

/* One line @s (changed in place) given at @no: -1 with why in @err. */
static int parse_line(struct parser *ps, char *s, unsigned int no, char *err)
{
	char *key, *val, *eq, msg[POLICY_ERR_LEN];
	struct entry e;
	int i, k;

	eq = strchr(s, '#');
	if (eq)
		*eq = '\0';
	s = str_trim(s);
	if (!*s)
		return 0;
	eq = strchr(s, '=');
	if (!eq)
		return why(err, "'%s': expected KEY = VALUE", s);
	*eq = '\0';
	key = str_trim(s);
	val = str_trim(eq + 1);
	for (k = 0; k < NR_HEADER_KEYS; k++)
		if (!strcmp(key, header_keys[k]))
			break;
	i = k < NR_HEADER_KEYS ? NR_ENTRIES + k : find_entry(key, ps->lim, &e);
	if (i < 0) {
		unknown_key(key, ps->lim, msg);
		return why(err, "%s", msg);
	}
	if (ps->first[i])
		return why(err, "%s: duplicate entry, first %s %u", key,
			   ps->unit, ps->first[i]);
	ps->first[i] = no;
	if (k < NR_HEADER_KEYS ? header_set(ps->h, k, val, msg) :
	    entry_set(ps->p, &e, val, ps->lim, msg))
		return why(err, "%s = %.40s%s: %s", key, val,
			   strlen(val) > 40 ? "..." : "", msg);
	return 0;
}

/*
 * The whole table once parsed: what is wrong now is in an entry the file
 * left as the table it was parsed onto had it (the device's, which older
 * tools may have filled with what is refused today).
 */
static int check_onto(const struct policy_limits *lim,
		      const struct fdpblk_policy *p, const char *name,
		      char *err)
{
	char msg[POLICY_ERR_LEN];

	if (!policy_check(lim, p, msg))
		return 0;
	return why(err, "%s: the device's %s; set it too", name, msg);
}

int policy_parse(FILE *f, const char *name, const struct policy_limits *lim,
		 struct fdpblk_policy *p, struct policy_header *h, char *err)
{
	char line[4096], msg[POLICY_ERR_LEN];
	unsigned int lineno = 0;
	struct parser ps;

	parser_init(&ps, "on line", lim, p, h);
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (!strchr(line, '\n') && !feof(f))
			return why(err, "%s:%u: line too long", name, lineno);
		if (parse_line(&ps, line, lineno, msg))
			return why(err, "%s:%u: %s", name, lineno, msg);
	}
	if (ferror(f))
		return why(err, "%s: %s", name, strerror(errno));
	return check_onto(lim, p, name, err);
}

int policy_parse_args(char *const *args, unsigned int n,
		      unsigned int first_idx, const struct policy_limits *lim,
		      struct fdpblk_policy *p, struct policy_header *h,
		      char *err)
{
	char line[4096], msg[POLICY_ERR_LEN];
	struct parser ps;
	unsigned int i;

	parser_init(&ps, "in argument", lim, p, h);
	for (i = 0; i < n; i++) {
		if (strlen(args[i]) >= sizeof(line))
			return why(err, "argument %u: too long", first_idx + i);
		strcpy(line, args[i]);
		if (parse_line(&ps, line, first_idx + i, msg))
			return why(err, "argument %u: %s", first_idx + i, msg);
	}
	return check_onto(lim, p, "arguments", err);
}

static void pids_str(const uint16_t *pid, unsigned int n, char *buf,
		     size_t len)
{
	pool_value(pid, n, buf, len);
	if (!n)
		snprintf(buf, len, "none");
}

int policy_header_check(const struct policy_header *h, const char *lower,
			const struct policy_limits *lim, char *err)
{
	uint16_t pid[FDPBLK_MAX_PH] = { 0 };
	char a[1024], b[1024];
	unsigned int i;

	if (h->lower[0] && strcmp(h->lower, lower))
		return why(err, "written for namespace %s, the device is on %s",
			   h->lower, lower);
	if (h->nr_pids < 0)
		return 0;
	pids_str(h->pid, h->nr_pids, a, sizeof(a));
	if (!lim->handles)
		return why(err, "written for placement IDs %s, the device's cannot be read",
			   a);
	for (i = 0; i < lim->max_ph; i++)
		pid[i] = lim->handles[i].pid;
	if ((unsigned int)h->nr_pids == lim->max_ph &&
	    !memcmp(pid, h->pid, lim->max_ph * sizeof(*pid)))
		return 0;
	pids_str(pid, lim->max_ph, b, sizeof(b));
	return why(err, "written for placement IDs %s (ph 1..%d), the device's are %s",
		   a, h->nr_pids, b);
}

int policy_check(const struct policy_limits *lim,
		 const struct fdpblk_policy *p, char *err)
{
	char name[32], val[2048], msg[POLICY_ERR_LEN];
	struct fdpblk_policy q;
	struct entry e;
	unsigned int i;

	if (p->data_pool_len > FDPBLK_POOL_MAX || p->meta_pool_len > FDPBLK_POOL_MAX)
		return why(err, "a pool has more than %d entries", FDPBLK_POOL_MAX);
	if (p->hint_map[0])
		return why(err, "hint.not_set must be 0");
	for (i = lim->nr_streams + 1; i <= FDPBLK_MAX_STREAMS; i++)
		if (p->stream_map[i])
			return why(err, "stream.%u: the device has streams 1..%u only",
				    i, lim->nr_streams);
	/* Every entry must read back as itself through the parser. */
	for (i = 0; entry_at(lim, i, &e); i++) {
		entry_name(&e, name, sizeof(name));
		entry_value(p, &e, val, sizeof(val));
		memcpy(&q, p, sizeof(q));
		if (entry_set(&q, &e, val, lim, msg))
			return why(err, "%s = %s: %s", name, val, msg);
	}
	return 0;
}

void policy_write(FILE *out, const struct fdpblk_policy *p,
		  const struct policy_limits *lim, const char *lower)
{
	unsigned int i;

	fprintf(out, "# fdpblk placement policy: %u handles (ph 1..%u, 0 = no directive), %u streams\n",
		lim->max_ph, lim->max_ph, lim->nr_streams);
	if (lower)
		fprintf(out, "lower = %s\n", lower);
	if (lim->handles) {
		fprintf(out, "placement_ids =");
		for (i = 0; i < lim->max_ph; i++)
			fprintf(out, " %u", lim->handles[i].pid);
		fprintf(out, "\n");
	}
	fprintf(out, "version = %" PRIu64 "\n", (uint64_t)p->version);
	policy_write_entries(out, p, lim);
}

void policy_write_entries(FILE *out, const struct fdpblk_policy *p,
			  const struct policy_limits *lim)
{
	char name[32], val[2048];
	struct entry e;
	unsigned int i;

	for (i = 0; entry_at(lim, i, &e); i++) {
		entry_name(&e, name, sizeof(name));
		entry_value(p, &e, val, sizeof(val));
		fprintf(out, "%s =%s%s\n", name, *val ? " " : "", val);
	}
}

void policy_diff(const struct fdpblk_policy *old,
		 const struct fdpblk_policy *new,
		 const struct policy_limits *lim,
		 void (*fn)(void *arg, const char *key, const char *old,
			    const char *new),
		 void *arg)
{
	char name[32], a[2048], b[2048];
	struct entry e;
	unsigned int i;

	for (i = 0; entry_at(lim, i, &e); i++) {
		entry_value(old, &e, a, sizeof(a));
		entry_value(new, &e, b, sizeof(b));
		if (strcmp(a, b)) {
			entry_name(&e, name, sizeof(name));
			fn(arg, name, a, b);
		}
	}
}

/* Mark in @seen each ph 1..max_ph that @val names (words are skipped). */
static void ph_tokens(const char *val, unsigned int max_ph, bool *seen)
{
	while (*val) {
		char *end;
		unsigned long ph = strtoul(val, &end, 10);

		if (end == val) {	/* a word ("follow"): skip it */
			val += strcspn(val, " ");
			val += strspn(val, " ");
			continue;
		}
		if (ph && ph <= max_ph)
			seen[ph] = true;
		val = end + strspn(end, " ");
	}
}

unsigned int policy_change_phs(const char *key, const char *old,
			       const char *new, const struct policy_limits *lim,
			       unsigned int *ph)
{
	bool seen[FDPBLK_MAX_PH + 1] = { false };
	unsigned int i, n = 0;

	if (!strcmp(key, "meta_chunk_kib"))
		return 0;
	ph_tokens(old, lim->max_ph, seen);
	ph_tokens(new, lim->max_ph, seen);
	for (i = 1; i <= lim->max_ph; i++)
		if (seen[i])
			ph[n++] = i;
	return n;
}

static void reason(struct policy_reasons *r, const char *fmt, ...)
{
	va_list ap;

	if (r->n == POLICY_AUTO_MAX_REASONS)
		return;
	va_start(ap, fmt);
	vsnprintf(r->line[r->n++], POLICY_ERR_LEN, fmt, ap);
	va_end(ap);
}

static void list_str(const uint16_t *v, unsigned int n, char *buf, size_t len)
{
	pool_value(v, n, buf, len);
	if (!n)
		snprintf(buf, len, "none");
}

int policy_auto(const struct policy_limits *lim, const uint8_t *ruht,
		int meta, struct fdpblk_policy *p,
		struct policy_reasons *r, char *err)
{
	unsigned int n = lim->max_ph, nd = 0, nm = 0, np, h, s, ph, persist = 0;
	uint16_t data[FDPBLK_MAX_PH], hints[FDPBLK_NR_HINTS];
	bool is_meta[FDPBLK_MAX_PH + 1] = { false };
	char a[1024], b[1024];

	if (!n)
		return why(err, "the device has no placement handles (pass-through)");
	if (meta < 0)
		meta = n >= 8 ? 2 : n >= 2 ? 1 : 0;
	if ((unsigned int)meta >= n)
		return why(err, "%d metadata handles leave none of the %u for data",
			   meta, n);
	policy_default(lim, p);

	/* Metadata: persistently isolated handles first, from the top. */
	for (ph = n; ph >= 1 && nm < (unsigned int)meta; ph--) {
		if (ruht[ph - 1] == FDP_RUHT_PERSISTENTLY_ISOLATED) {
			is_meta[ph] = true;
			nm++;
			persist++;
		}
	}
	for (ph = n; ph >= 1 && nm < (unsigned int)meta; ph--) {
		if (!is_meta[ph]) {
			is_meta[ph] = true;
			nm++;
		}
	}
	for (ph = 1; ph <= n; ph++) {
		if (is_meta[ph])
			p->meta_pool[p->meta_pool_len++] = ph;
		else
			data[nd++] = ph;
	}
	list_str(p->meta_pool, p->meta_pool_len, a, sizeof(a));
	if (!nm)
		reason(r, "meta_pool: none: with %u handle%s there is nothing to keep metadata apart on",
		       n, n == 1 ? "" : "s");
	else
		reason(r, "meta_pool: %s: file system metadata and journal (short-lived, rewritten in place) kept off the %u data handle%s%s",
		       a, nd, nd == 1 ? "" : "s",
		       persist ? "; persistently isolated handles preferred" : "");

	/* The five lifetimes in order over the data handles. */
	for (h = 1; h < FDPBLK_NR_HINTS; h++) {
		p->hint_map[h] = data[(h - 1) * nd / (FDPBLK_NR_HINTS - 1)];
		hints[h - 1] = p->hint_map[h];
	}
	list_str(hints, FDPBLK_NR_HINTS - 1, a, sizeof(a));
	reason(r, "hints none short medium long extreme -> %s: each lifetime on its own handle%s",
	       a, nd < FDPBLK_NR_HINTS - 1 ? " where there are enough, neighbours sharing" : "");
	p->default_ph = p->hint_map[1];
	reason(r, "default: %u: writes that say nothing go where 'no particular lifetime' (hint none) goes",
	       p->default_ph);

	/* Ranks: the handles hints leave free, if that makes a real pool. */
	np = nd > FDPBLK_NR_HINTS - 1 ? nd - (FDPBLK_NR_HINTS - 1) : 0;
	if (np >= 2) {
		memcpy(p->data_pool, data + FDPBLK_NR_HINTS - 1, np * sizeof(*data));
		p->data_pool_len = np;
		list_str(p->data_pool, np, a, sizeof(a));
		reason(r, "data_pool: %s: ranks get handles no hint uses", a);
	} else {
		memcpy(p->data_pool, data, nd * sizeof(*data));
		p->data_pool_len = nd;
		list_str(p->data_pool, nd, a, sizeof(a));
		reason(r, "data_pool: %s: ranks spread over every data handle (too few to keep ranks off the hints' handles)",
		       a);
	}
	/* Streams above the hints: their own handle unless it is metadata's. */
	for (s = LAST_HINT_STREAM + 1; s <= lim->nr_streams; s++) {
		ph = s <= n && !is_meta[s] ? s :
		     p->data_pool[(s - 1) % p->data_pool_len];
		p->stream_map[s] = ph;
	}
	snprintf(b, sizeof(b), "%u", p->meta_chunk_kib);
	reason(r, "streams: 1..%d follow the hints (O_DIRECT hints arrive as streams), higher ones the handle of their number unless it holds metadata, else the data pool; meta_chunk_kib %s",
	       LAST_HINT_STREAM, b);
	return policy_check(lim, p, err);
}
