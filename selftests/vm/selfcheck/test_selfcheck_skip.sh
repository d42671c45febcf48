#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: needs a tool that does not exist. Outside the test VM that
# is a skip; inside it, a test-bed defect that must fail the run.
# vm/check.sh runs it in its runner self-check; it is not part of the suite.

. "$(dirname "$0")/../../test_common.sh"
_require_cmd fdpblk-selfcheck-no-such-tool
_pass
