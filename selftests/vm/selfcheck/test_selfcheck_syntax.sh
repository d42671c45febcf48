#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: has a syntax error on purpose: bash exits 2, which the
# kselftest runner calls XFAIL, before any trap runs. vm/check.sh runs it in
# its runner self-check to prove that this fails the run; it is not part of
# the suite.

. "$(dirname "$0")/../../test_common.sh"
if then
_pass
