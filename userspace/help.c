// SPDX-License-Identifier: GPL-2.0
/*
 * fdpctl help, and every command's --help: generated from the command
 * table, so that what help says is what the parser takes. And fdpctl
 * version: what fdpctl is, and the module ABI it was built for.
 */
#include <stdio.h>
#include <string.h>
#include <linux/fdpblk.h>

#include "cmd.h"
#include "version.h"

/* What fdpctl takes before a command (read by main()). */
static const struct opt main_opts[] = {
	{ "help", 'h', 0, NULL, "this list (fdpctl help)" },
	{ "version", 'V', 0, NULL, "fdpctl's version (fdpctl version)" },
	OPT_END,
};

/* An option as help shows it on the left: "-o, --output-format FMT". */
static void opt_spelling(const struct opt *o, char *buf, size_t len)
{
	char s[8] = "    ";

	if (!(o->flags & OPT_LONG_ONLY))
		snprintf(s, sizeof(s), "-%c, ", o->key);
	snprintf(buf, len, "%s--%s%s%s", s, o->name, o->arg ? " " : "",
		 o->arg ? o->arg : "");
}

/* The option tables of @c (of its @sub), in help's order: how many. */
static unsigned int opt_tables(const struct cmd *c, const struct cmd *sub,
			       const struct opt **t)
{
	unsigned int nt = 0;

	if (!c) {
		t[nt++] = main_opts;
		return nt;
	}
	if (sub)
		t[nt++] = sub->opts;
	t[nt++] = c->opts;
	t[nt++] = help_opt;
	return nt;
}

/* The options of tables @t, their help in one column. */
static void help_opts(FILE *f, const struct opt *const *t, unsigned int nt)
{
	const struct opt *o;
	char buf[128];
	int width = 0, n;
	unsigned int i;

	for (i = 0; i < nt; i++) {
		for (o = t[i]; o && o->name; o++) {
			opt_spelling(o, buf, sizeof(buf));
			n = strlen(buf);
			if (!(o->flags & OPT_HIDDEN) && n > width)
				width = n;
		}
	}
	fprintf(f, "\noptions:\n");
	for (i = 0; i < nt; i++) {
		for (o = t[i]; o && o->name; o++) {
			if (o->flags & OPT_HIDDEN)
				continue;
			opt_spelling(o, buf, sizeof(buf));
			fprintf(f, "  %-*s  %s\n", width, buf, o->help);
		}
	}
}

/* Names and summaries of a command table, in one column. */
static void help_list(FILE *f, const char *title, const struct cmd *c)
{
	const struct cmd *p;
	int width = 0, n;

	for (p = c; p->name; p++) {
		n = strlen(p->name);
		width = n > width ? n : width;
	}
	fprintf(f, "\n%s:\n", title);
	for (p = c; p->name; p++)
		fprintf(f, "  %-*s  %s\n", width, p->name, p->summary);
}

void help_all(FILE *f)
{
	const struct opt *t[3];

	fprintf(f, "usage: fdpctl COMMAND [ARGS]\n"
		"       fdpctl help [COMMAND [SUB-COMMAND]]\n"
		"       fdpctl --version\n\n"
		"A NAMESPACE is /dev/nvmeXnY, /dev/ngXnY, or an fdpblk device\n"
		"standing for the namespace under it. See fdpctl(8).\n");
	help_list(f, "commands", cmds);
	help_opts(f, t, opt_tables(NULL, NULL, t));
	fprintf(f, "\nSee 'fdpctl help COMMAND' for a command's usage and options.\n");
}

void help_cmd(FILE *f, const struct cmd *c, const struct cmd *sub)
{
	const struct opt *t[3];

	if (sub) {
		fprintf(f, "usage: fdpctl %s %s%s%s\n\n%s\n", c->name, sub->name,
			*sub->usage ? " " : "", sub->usage, sub->summary);
	} else {
		fprintf(f, "usage: fdpctl %s%s%s\n\n%s\n", c->name,
			*c->usage ? " " : "", c->usage, c->summary);
		if (c->subs)
			help_list(f, "sub-commands", c->subs);
	}
	help_opts(f, t, opt_tables(c, sub, t));
	if (c->subs && !sub)
		fprintf(f, "\nSee 'fdpctl help %s SUB-COMMAND' for a sub-command's usage and options.\n",
			c->name);
}

/*
 * For the bash completion (fdpctl.bash-completion), so that it completes
 * what this fdpctl takes: every spelling of the options of @c (@sub of
 * it; without @c, fdpctl's own), one a line, with its value's name.
 */
static void list_options(const struct cmd *c, const struct cmd *sub)
{
	const struct opt *t[3], *o;
	unsigned int nt, i;

	nt = opt_tables(c, sub, t);
	for (i = 0; i < nt; i++) {
		for (o = t[i]; o && o->name; o++) {
			if (o->flags & OPT_HIDDEN)
				continue;
			if (!(o->flags & OPT_LONG_ONLY))
				printf("-%c%s%s\n", o->key, o->arg ? " " : "",
				       o->arg ? o->arg : "");
			printf("--%s%s%s\n", o->name, o->arg ? " " : "",
			       o->arg ? o->arg : "");
		}
	}
}

static int help_mode(int key, const char *arg, void *data)
{
	(void)arg;
	*(int *)data = key;
	return 0;
}

int cmd_help(int argc, char **argv)
{
	const struct cmd *c = NULL, *sub = NULL, *p;
	int idx, mode = 0;

	idx = parse_opts(argc, argv, help_mode, &mode);
	if (idx < 0)
		return 2;
	if (argc - idx > 2)
		return usage_error();
	if (argc - idx >= 1) {
		c = find_cmd(cmds, argv[idx]);
		if (!c) {
			errorf(0, "%s: unknown command (see fdpctl help)",
				argv[idx]);
			return 2;
		}
	}
	if (argc - idx == 2) {
		sub = find_cmd(c->subs, argv[idx + 1]);
		if (!sub) {
			errorf(0, "%s %s: unknown command (see fdpctl help %s)",
				argv[idx], argv[idx + 1], argv[idx]);
			return 2;
		}
	}
	if (mode == 'C') {
		/* The commands, or a command's sub-commands. */
		for (p = c ? (sub ? NULL : c->subs) : cmds; p && p->name; p++)
			printf("%s\n", p->name);
	} else if (mode == 'O') {
		list_options(c, sub);
	} else if (c) {
		help_cmd(stdout, c, sub);
	} else {
		help_all(stdout);
	}
	return 0;
}

/*
 * The ABI is the one in the uapi header fdpctl was built with; the loaded
 * module's is fdpctl features'.
 */
int cmd_version(int argc, char **argv)
{
	int idx = parse_args(argc, argv, 0, NULL, NULL);

	if (idx < 0)
		return 2;
	printf("fdpctl %s\nfdpblk ABI %d\n", FDPCTL_VERSION, FDPBLK_ABI_VERSION);
	return 0;
}
