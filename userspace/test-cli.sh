#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: fdpctl's command line on the host, no device needed: help
# lists every command and exits 0; every command and sub-command takes
# --help; every option help names is taken by the parser, in each of its
# spellings, and every short option is in the man page; unknown commands
# are usage errors; --version names the version and the ABI; a command
# takes -o json or refuses it, an error under it is a JSON document too,
# and a failed write to stdout (full disk, closed pipe) fails; bash
# completion offers the commands, sub-commands, options and values fdpctl
# names; numbers, sizes, options and device names are parsed strictly. One
# TAP line per case; exits 1 if any failed.
#
#   test-cli.sh FDPCTL MANPAGE

fdpctl=$1 man=$2
nr=0 failed=0

result() { # OK(0|1) DESCRIPTION [DETAIL]
	nr=$((nr + 1))
	if [ "$1" = 0 ]; then
		echo "ok $nr - $2"
	else
		echo "not ok $nr - $2"
		[ -z "${3:-}" ] || echo "#   $3"
		failed=$((failed + 1))
	fi
}

# expect STATUS DESCRIPTION ARGS...: fdpctl ARGS exits STATUS; its help
# (status 0) on stdout and nothing on stderr, its error (2) on stderr.
expect() {
	local want=$1 desc=$2 rc=0 out err
	shift 2
	out=$("$fdpctl" "$@" 2>/tmp/fdpctl-test-cli.$$) || rc=$?
	err=$(cat /tmp/fdpctl-test-cli.$$)
	rm -f /tmp/fdpctl-test-cli.$$
	if [ "$rc" != "$want" ]; then
		result 1 "$desc" "fdpctl $*: exit $rc, not $want: $err"
	elif [ "$want" = 0 ] && { [ -z "$out" ] || [ -n "$err" ]; }; then
		result 1 "$desc" "fdpctl $*: stdout '${out:0:40}', stderr '$err'"
	elif [ "$want" = 2 ] && [[ $err != "fdpctl: "* || -n $out ]]; then
		result 1 "$desc" "fdpctl $*: stderr '$err'"
	else
		result 0 "$desc"
	fi
}

# A value each option's callback takes, by the name help gives it.
sample() {
	case $1 in
	'normal|json') echo json ;;
	START+LEN) echo 0+8 ;;
	PATH) echo /sys/fs/cgroup ;;
	NAME) echo name ;;
	initially\|persistently) echo persistently ;;
	greedy\|fifo\|cost-benefit) echo fifo ;;
	*) echo 1 ;;
	esac
}

expect 0 "help" help
expect 0 "--help" --help
rc=0
out=$("$fdpctl" 2>&1 >/dev/null) || rc=$?
[ "$rc" = 2 ] && [[ $out == "usage: fdpctl COMMAND"* ]]
result $? "no command: the list on stderr, exit 2" "exit $rc"
expect 2 "help nosuch: a usage error" help nosuch
expect 2 "help policy nosuch: a usage error" help policy nosuch
expect 2 "nosuch: a usage error" nosuch
list=$("$fdpctl" help)
for cmd in $("$fdpctl" help --list-commands); do
	[[ $list == *$'\n  '"$cmd "* ]]
	result $? "help lists $cmd with its summary"
	expect 0 "$cmd --help" "$cmd" --help
	expect 0 "$cmd -h" "$cmd" -h
	expect 0 "help $cmd" help "$cmd"
	subs=$("$fdpctl" help --list-commands "$cmd")
	for sub in "" $subs; do
		what="$cmd${sub:+ $sub}"
		[ -z "$sub" ] || expect 0 "$what --help" "$cmd" "$sub" --help
		# A command with sub-commands takes options after one only.
		[ -n "$sub" ] || [ -z "$subs" ] || continue
		while read -r opt value; do
			if [ "$opt" = --cgroup ] && [ ! -e /sys/fs/cgroup/cgroup.procs ]; then
				nr=$((nr + 1))
				echo "ok $nr - $what takes $opt # SKIP no cgroup v2 at /sys/fs/cgroup"
				continue
			fi
			expect 0 "$what takes $opt" "$cmd" $sub $opt \
				${value:+"$(sample "$value")"} --help
			if [[ $opt != --* ]]; then
				grep -q -- "\\\\$opt\\b" "$man"
				result $? "the man page documents $what $opt" \
					"no \\$opt in $man"
			fi
		done < <("$fdpctl" help --list-options "$cmd" $sub)
	done
done
while read -r opt value; do
	grep -q -- "\\$opt\b" "$man"
	result $? "the man page documents fdpctl $opt" "no \\$opt in $man"
done < <("$fdpctl" help --list-options | grep -v -- '^--')
# err CASE STATUS MESSAGE ARGS...: fdpctl ARGS exits STATUS with exactly
# MESSAGE on stderr.
err() {
	local desc=$1 want=$2 msg=$3 rc=0 out
	shift 3
	out=$("$fdpctl" "$@" 2>&1 >/dev/null) || rc=$?
	[ "$rc" = "$want" ] && [ "$out" = "$msg" ]
	result $? "$desc" "fdpctl $*: exit $rc: $out"
}
# Strict parsing. A value is read before --help ends the command line.
err "a long option missing its value names itself" 2 \
	"fdpctl: create: --name: missing value" create /dev/nvme0n1 --name
err "a short option missing its value" 2 "fdpctl: top: -i: missing value" \
	top /dev/fdpblk0 -i
err "an unknown long option, by its spelling" 2 \
	"fdpctl: create: --bogus: unknown option" create /dev/nvme0n1 --bogus=1
expect 0 "a leading 0 is decimal (--streams 08)" create /dev/nvme0n1 --streams 08 --help
expect 0 "0x is hexadecimal (--streams 0xff)" create /dev/nvme0n1 --streams 0xff --help
err "--streams 0x100 is 256" 2 "fdpctl: --streams 0x100: must be 1..255" \
	create /dev/nvme0n1 --streams 0x100
for r in 0+1TiB 1MiB+4KiB 010+8 0+1T; do
	expect 0 "--range $r is taken" rank set /dev/fdpblk0 --range "$r" 1 --help
done
expect 2 "--range 0+1KB is refused" rank set /dev/fdpblk0 --range 0+1KB 1
# policy: auto pushes with --apply only, and has no --dry-run; set needs
# something to set.
expect 2 "policy auto takes --apply, not --dry-run" policy auto /dev/fdpblk0 --dry-run
expect 2 "policy set without a file or entries" policy set /dev/fdpblk0
expect 2 "policy set --apply is auto's" policy set /dev/fdpblk0 f --apply
err "policy set: a FILE among KEY=VALUE entries" 2 \
	"fdpctl: policy set: argument 3: 'f': expected KEY=VALUE (a FILE comes alone)" \
	policy set /dev/fdpblk0 default=1 f
# A cgroup by id: no directory needed, so a removed one's rank can go.
expect 0 "rank clear --cgroup-id takes an id without a directory" \
	rank clear /dev/fdpblk0 --cgroup-id 0x7fffffffffff --help
err "--cgroup-id 0 is refused" 2 "fdpctl: --cgroup-id 0: must be a cgroup id, 1 or more" \
	rank clear /dev/fdpblk0 --cgroup-id 0
err "--cgroup with --cgroup-id is a usage error" 2 \
	"fdpctl: rank: wrong arguments (usage: fdpctl rank set|clear|list|load|save /dev/fdpblkN [--range START+LEN | --cgroup PATH | --cgroup-id ID | --all] [RANK] [FILE|-] [--replace] [-o normal|json])" \
	rank clear /dev/fdpblk0 --cgroup-id 5 --range 0+8
# Around a command, run and waf exit as timeout(1): 125 for their own
# failure, usage errors too; waf without a command as every command.
err "run: a usage error is 125" 125 \
	"fdpctl: run: wrong arguments (usage: fdpctl run --rank R /dev/fdpblkN [-o normal|json] -- COMMAND...)" \
	run --rank 1 /dev/fdpblk0
err "run: a bad -o is 125" 125 "fdpctl: -o xml: must be normal or json" \
	run --rank 1 -o xml /dev/fdpblk0 -- true
err "run: no such device is 125" 125 "fdpctl: /dev/fdpblk999: no such fdpblk device" \
	run --rank 1 /dev/fdpblk999 -- true
err "waf: a usage error around a command is 125" 125 \
	"fdpctl: waf: wrong arguments (usage: fdpctl waf NAMESPACE [-o normal|json] [-- COMMAND...])" \
	waf /dev/nvme0n1 --
err "waf: no such namespace around a command is 125" 125 "fdpctl: /dev/nvme9n9: no such device" \
	waf /dev/nvme9n9 -- true
err "waf: no such namespace without a command is 1" 1 "fdpctl: /dev/nvme9n9: no such device" \
	waf /dev/nvme9n9
for d in "fdpblk 1" fdpblk+1 fdpblk01 /dev/fdpblk01; do
	err "device '$d' is refused" 1 \
		"fdpctl: $d: not an fdpblk device (/dev/fdpblkN or a device name)" \
		remove "$d"
done

# Output you can script. A command or sub-command without -o refuses it
# as an option it does not know, with its operand given (the usage error
# must be for -o, not for a missing operand); trace's -o is its file.
nr_refusing=0
for cmd in $("$fdpctl" help --list-commands); do
	subs=$("$fdpctl" help --list-commands "$cmd")
	for sub in ${subs:-""}; do
		what="$cmd${sub:+ $sub}"
		"$fdpctl" help --list-options "$cmd" $sub | grep -q -- '^--output-format' && continue
		msg="fdpctl: $what: -o: unknown option"
		[ "$cmd" != trace ] ||
			msg="fdpctl: trace: -o json: -o names the output file, and the trace is text only (for a file of that name, write ./json)"
		err "$what refuses -o json" 2 "$msg" "$cmd" $sub /dev/fdpblk0 -o json
		nr_refusing=$((nr_refusing + 1))
	done
done
[ "$nr_refusing" -ge 5 ]
result $? "the refusal cases ran: $nr_refusing commands have no -o"
err "list refuses --raw with -o json" 2 \
	"fdpctl: list: wrong arguments (usage: fdpctl list [-n|--noheadings] [-r|--raw] [-o normal|json])" \
	list --raw -o json
# A write that fails exits non-zero, saying so (util-linux's close_stdout).
if [ -w /dev/full ]; then
	rc=0
	msg=$("$fdpctl" help 2>&1 >/dev/full) || rc=$?
	[ "$rc" = 1 ] && [ "$msg" = "fdpctl: write error: No space left on device" ]
	result $? "help > /dev/full: exit 1, a message" "exit $rc: $msg"
fi
# A pipe whose reader has gone, with SIGPIPE ignored (as under a service
# manager or a shell that ignores it): EPIPE, exit 1, a message. The read
# end is closed before fdpctl starts, so no write can succeed.
out=$(python3 - "$fdpctl" <<'PY' 2>&1
import os, signal, subprocess, sys
r, w = os.pipe()
os.close(r)
p = subprocess.run([sys.argv[1], "help"], stdout=w, stderr=subprocess.PIPE,
                   preexec_fn=lambda: signal.signal(signal.SIGPIPE, signal.SIG_IGN))
print(p.returncode, p.stderr.decode().strip())
PY
)
[ "$out" = "1 fdpctl: write error: Broken pipe" ]
result $? "help into a closed pipe: exit 1, a message" "$out"

# Bash completion from fdpctl.bash-completion, asking the fdpctl under
# test for its names (compopt works only inside a real completion: a
# no-op here). comp WORD...: the candidates for the last word.
comp() {
	bash -c '. "$1"; compopt() { :; }; shift; COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1)); _fdpctl; printf "%s\n" "${COMPREPLY[@]}"' \
		_ "$(dirname "$0")/fdpctl.bash-completion" "$fdpctl" "$@" | sort -u | tr '\n' ' '
}
comp_is() { # DESCRIPTION WANT WORD...
	local desc=$1 want=$2 got
	shift 2
	got=$(comp "$@")
	[ "$got" = "$want " ]
	result $? "completion: $desc" "fdpctl $*: '$got', not '$want '"
}
comp_is "a command" "policy" pol
comp_is "every command" "$("$fdpctl" help --list-commands | sort | tr '\n' ' ' | sed 's/ $//')" ""
comp_is "policy's sub-commands" "advise auto set show" policy ""
comp_is "an option's spellings" "--interval" top /dev/fdpblk0 --int
comp_is "-o's values" "json normal" top /dev/fdpblk0 -o ""
comp_is "FDP event types" "ru_not_fully_written ru_time_limit_exceeded" \
	events-config /dev/ng0n1 --enable ru_
comp_is "policy set's keys" "hint.extreme= hint.long= hint.medium= hint.none= hint.short=" \
	policy set /dev/fdpblk0 hint.
comp_is "help's commands" "rank remove revalidate run" help r
comp_is "help's sub-commands" "list load" help rank l
comp_is "a command after run's --" "mkfifo" run --rank 1 /dev/fdpblk0 -- mkfif
comp_is "no operand after help COMMAND SUB" "" help rank list ""
# Under -o json an error is also a document on stdout, the message on stderr.
if command -v jq >/dev/null; then
	json_err() { # DESCRIPTION FILTER ARGS...
		local desc=$1 filter=$2 out rc=0
		shift 2
		out=$("$fdpctl" "$@" 2>/dev/null) || rc=$?
		[ "$rc" != 0 ] && [ -n "$out" ] && jq -e "$filter" <<<"$out" >/dev/null
		result $? "$desc" "fdpctl $*: exit $rc: $out"
	}
	json_err "an error in JSON, with its errno" \
		'.error == "/nonexistent/nvme0n1: no such device" and .errno == 2' \
		status /nonexistent/nvme0n1 -o json
	json_err "an error without an errno: null" \
		'.error == "fdpblk01: not an fdpblk device (/dev/fdpblkN or a device name)" and .errno == null' \
		remove fdpblk01 -o json
	json_err "a usage error in JSON" '.error | startswith("waf: wrong arguments")' \
		waf -o json /dev/nvme0n1 --
	# -o json anywhere on the line: an error found before it is JSON too.
	json_err "an unknown option before -o json: JSON" \
		'.error | startswith("list: --bogus: unknown option")' list --bogus -o json
	json_err "a bad number before -o json: JSON" '.error | test("--interval")' \
		top /dev/fdpblk0 --interval x -o json
	# After --, -o json is the command's: the error stays text.
	out=$("$fdpctl" waf /nonexistent/nvme0n1 -- true -o json 2>/dev/null)
	[ -z "$out" ]
	result $? "-o json after -- is not fdpctl's" "$out"
fi

# Model sizes: bytes in the forms parse_bytes takes, the same for model
# and policy advise; a capacity or RU size of 0 is refused, a warm-up of 0
# is none.
err "model --capacity 0 is refused" 2 "fdpctl: --capacity 0: must be 1 byte or more" \
	model /dev/null --capacity 0
err "advise --ru-size 1KB is refused" 2 \
	"fdpctl: --ru-size 1KB: must be bytes (a number, or one with K, M, G, T, KiB...)" \
	policy advise /dev/fdpblk0 --ru-size 1KB --trace /dev/null
expect 0 "model --warmup 0 is taken" model /dev/null --warmup 0 --help

# model: each policy's offline classification against the trace's ph=.
# The policy the trace was placed under agrees on every write (the range
# rank splits nothing: the writes are inside or outside it); one with
# another data pool differs first at the ranked write.
mt=$(mktemp -d)
printf '%s\n' '# placed under p-same and the ranks' 'w 0 8 hint=2 ph=2' \
	'w 8 8 meta=1 ph=8' 'w 2048 16 ph=3' 'w 4096 8 hint=1 ph=1' > "$mt/trace"
printf '%s\n' 'default = 1' 'hint.short = 2' 'meta_pool = 8' 'data_pool = 3' > "$mt/p-same"
printf '%s\n' 'default = 1' 'hint.short = 2' 'meta_pool = 8' 'data_pool = 4' > "$mt/p-other"
echo 'range 1M 1M 0' > "$mt/ranks"
out=$("$fdpctl" model "$mt/trace" --policy "$mt/p-same" --policy "$mt/p-other" \
	--ranks "$mt/ranks" --capacity 1G --ru-size 1M 2>&1)
[[ $out == *"$mt/p-same"*" 4 of 4 writes got the trace's ph"$'\n'* &&
	$out == *"$mt/p-other"*" 3 of 4 writes got the trace's ph; the first other at line 4: ph 4, the trace's 3"* ]]
result $? "model: offline classification against the trace's ph, per policy" "$out"
# A rank on an ancestor cgroup places the writes of its descendants: the
# trace's c lines give the ancestry of cgroups this host does not have
# (ids no cgroup here has); without them the rank reaches nothing.
printf '%s\n' 'c 9000000003 9000000002' 'c 9000000002 9000000001' \
	'w 0 8 cgroup=9000000003 ph=3' 'c 9000000003 9000000002' > "$mt/trace-cg"
grep -v '^c ' "$mt/trace-cg" > "$mt/trace-nocg"
echo 'cgroup id:9000000001 0' > "$mt/ranks-cg"
out=$("$fdpctl" model "$mt/trace-cg" --policy "$mt/p-same" --ranks "$mt/ranks-cg" \
	--capacity 1G --ru-size 1M 2>&1)
[[ $out == *"$mt/p-same"*" 1 of 1 writes got the trace's ph"$'\n'* ]]
result $? "model: a cgroup rank reaches a descendant by the trace's c lines" "$out"
out=$("$fdpctl" model "$mt/trace-nocg" --policy "$mt/p-same" --ranks "$mt/ranks-cg" \
	--capacity 1G --ru-size 1M 2>&1)
[[ $out == *"$mt/p-same"*" 0 of 1 writes got the trace's ph; the first other at line 1: ph 1, the trace's 3"* ]]
result $? "model: ... and not without them" "$out"
printf '%s\n' 'c 9000000003 9000000002' 'c 9000000003 9000000004' > "$mt/trace-bad"
err "model: a cgroup given two parents is refused" 1 \
	"fdpctl: $mt/trace-bad:2: c: cgroup 9000000003 had parent 9000000002 already" \
	model "$mt/trace-bad" --capacity 1G --ru-size 1M
rm -rf "$mt"

out=$("$fdpctl" --version)
[[ $out =~ ^fdpctl\ [^\ ]+$'\n'fdpblk\ ABI\ [0-9]+$ ]]
result $? "--version: fdpctl VERSION, fdpblk ABI N" "$out"
[ "$("$fdpctl" version)" = "$out" ] && [ "$("$fdpctl" -V)" = "$out" ]
result $? "version and -V say the same as --version"

echo "1..$nr"
echo "# $((nr - failed)) passed, $failed failed"
[ "$failed" = 0 ]
