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

/* An option as help shows it on the left: "-o, --output-format FMT". */
static void opt_spelling(const struct opt *o, char *buf, size_t len)
{
	char s[8] = "    ";

	if (!(o->flags & OPT_LONG_ONLY))
		snprintf(s, sizeof(s), "-%c, ", o->key);
	snprintf(buf, len, "%s--%s%s%s", s, o->name, o->arg ? " " : "",
		 o->arg ? o->arg : "");
}

/* The options of up to three tables, their help in one column. */
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
			width = n > width ? n : width;
		}
	}
	fprintf(f, "\noptions:\n");
	for (i = 0; i < nt; i++) {
		for (o = t[i]; o && o->name; o++) {
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
	fprintf(f, "usage: fdpctl COMMAND [ARGS]\n"
		"       fdpctl help [COMMAND [SUB-COMMAND]]\n"
		"       fdpctl --version\n\n"
		"A NAMESPACE is /dev/nvmeXnY, /dev/ngXnY, or an fdpblk device\n"
		"standing for the namespace under it. See fdpctl(8).\n");
	help_list(f, "commands", cmds);
	fprintf(f, "\nSee 'fdpctl help COMMAND' for a command's usage and options.\n");
}

void help_cmd(FILE *f, const struct cmd *c, const struct cmd *sub)
{
	const struct opt *t[3];
	unsigned int nt = 0;

	if (sub) {
		fprintf(f, "usage: fdpctl %s %s%s%s\n\n%s\n", c->name, sub->name,
			*sub->usage ? " " : "", sub->usage, sub->summary);
		t[nt++] = sub->opts;
	} else {
		fprintf(f, "usage: fdpctl %s%s%s\n\n%s\n", c->name,
			*c->usage ? " " : "", c->usage, c->summary);
		if (c->subs)
			help_list(f, "sub-commands", c->subs);
	}
	t[nt++] = c->opts;
	t[nt++] = help_opt;
	help_opts(f, t, nt);
	if (c->subs && !sub)
		fprintf(f, "\nSee 'fdpctl help %s SUB-COMMAND' for a sub-command's usage and options.\n",
			c->name);
}

int cmd_help(int argc, char **argv)
{
	const struct cmd *c, *sub = NULL;
	int idx;

	idx = parse_opts(argc, argv, NULL, NULL);
	if (idx < 0)
		return 2;
	if (argc - idx > 2)
		return usage_error();
	if (argc == idx) {
		help_all(stdout);
		return 0;
	}
	c = find_cmd(cmds, argv[idx]);
	if (!c) {
		fprintf(stderr, "fdpctl: %s: unknown command (see fdpctl help)\n",
			argv[idx]);
		return 2;
	}
	if (argc - idx == 2) {
		sub = find_cmd(c->subs, argv[idx + 1]);
		if (!sub) {
			fprintf(stderr, "fdpctl: %s %s: unknown command (see fdpctl help %s)\n",
				argv[idx], argv[idx + 1], argv[idx]);
			return 2;
		}
	}
	help_cmd(stdout, c, sub);
	return 0;
}

/*
 * The ABI is the one in the uapi header fdpctl was built with; the loaded
 * module's is fdpctl features'.
 */
int cmd_version(int argc, char **argv)
{
	int idx = simple_args(argc, argv, 0);

	if (idx < 0)
		return 2;
	printf("fdpctl %s\nfdpblk ABI %d\n", FDPCTL_VERSION, FDPBLK_ABI_VERSION);
	return 0;
}
