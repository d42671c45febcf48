#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: passes when the tree is built (and, in the test VM, the
# namespaces are there). vm/check.sh runs it as the control of its runner
# self-checks, and as the one test of each kernel self-check, so that a run
# fails by the deliberate fault alone; it is not part of the suite.

. "$(dirname "$0")/../../test_common.sh"
[ -f "$FDPBLK_KO" ] || _fail "$FDPBLK_KO not built"
if [ "${FDPBLK_IN_VM:-0}" = 1 ]; then
	_require_ns FDPBLK_NS_FDP8
fi
_pass
