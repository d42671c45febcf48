#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: fails on purpose. vm/check.sh runs it in its runner
# self-check to prove that a failing test fails the run; it is not part of
# the suite.

echo "FAIL: test_selfcheck_fail: failing on purpose"
exit 1
