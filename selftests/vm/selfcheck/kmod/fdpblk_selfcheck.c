// SPDX-License-Identifier: GPL-2.0
/*
 * The runner self-check's kernel module (selftests/vm/check.sh): provokes,
 * on load, one real report of a kernel checker that LKDTM cannot provoke,
 * so that the verdict is seen to fail a run on that report alone.
 *
 *   provoke=abba   take two mutexes in both orders: lockdep reports a
 *                  possible circular locking dependency (no deadlock: one
 *                  thread, one order after the other)
 *   provoke=leak   allocate 16 objects and lose every pointer: kmemleak
 *                  reports unreferenced objects (16, because a stale copy
 *                  of a pointer, on a stack or in a register save area,
 *                  can hide one of them from a scan)
 *
 * Never loaded outside the self-check.
 */
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>

static char *provoke = "";
module_param(provoke, charp, 0444);
MODULE_PARM_DESC(provoke, "abba or leak");

static DEFINE_MUTEX(fdpblk_selfcheck_a);
static DEFINE_MUTEX(fdpblk_selfcheck_b);

static void fdpblk_selfcheck_abba(void)
{
	mutex_lock(&fdpblk_selfcheck_a);
	mutex_lock(&fdpblk_selfcheck_b);
	mutex_unlock(&fdpblk_selfcheck_b);
	mutex_unlock(&fdpblk_selfcheck_a);

	mutex_lock(&fdpblk_selfcheck_b);
	mutex_lock(&fdpblk_selfcheck_a);
	mutex_unlock(&fdpblk_selfcheck_a);
	mutex_unlock(&fdpblk_selfcheck_b);
}

/*
 * Leak objects no allocator bookkeeping points to. Small kmalloc objects
 * come from per-CPU arrays of object pointers whose stale slots keep them
 * "referenced" until reused: in a test-bed guest only one of 16 leaked
 * 64..1024-byte objects was reported, after three scans. Objects above
 * KMALLOC_MAX_CACHE_SIZE come from the page allocator, which kmemleak does
 * not scan, and are reported at the first scan that finds them old enough.
 */
static noinline void fdpblk_selfcheck_leak(void)
{
	unsigned int i;

	for (i = 0; i < 16; i++) {
		char *p = kmalloc(4 * KMALLOC_MAX_CACHE_SIZE, GFP_KERNEL);

		if (p)
			memset(p, 0x5a, 4 * KMALLOC_MAX_CACHE_SIZE);
	}
	pr_info("fdpblk_selfcheck: leaked 16 objects\n");
}

static int __init fdpblk_selfcheck_init(void)
{
	if (!strcmp(provoke, "abba"))
		fdpblk_selfcheck_abba();
	else if (!strcmp(provoke, "leak"))
		fdpblk_selfcheck_leak();
	else
		return -EINVAL;
	return 0;
}
module_init(fdpblk_selfcheck_init);

MODULE_DESCRIPTION("fdpblk runner self-check: provokes lockdep and kmemleak reports");
MODULE_LICENSE("GPL");
