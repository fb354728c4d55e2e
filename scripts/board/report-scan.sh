# Patterns of kernel reports that fail a test run. Sourced by the runner;
# reads a kernel log on standard input.
# shellcheck shell=sh

# Oopses, BUG/WARN, the sanitizers, lockdep, hung tasks and RCU stalls,
# list corruption, kmemleak finding leaks or switching itself off, and the
# interrupt core's complaints (an unhandled or spurious interrupt, an
# unbalanced enable).
REPORT_RE='BUG:|BUG [a-z0-9_-]+ \(|kernel BUG|WARNING:|UBSAN:|ODEBUG:|Oops|Unable to handle kernel|Internal error:|Kernel panic|INFO: task .* blocked|blocked for more than|detected stall|rcu_.* stall|soft lockup|hard LOCKUP|list_(add|del) corruption|kmemleak: .*new suspected|kmemleak: Kernel memory leak detector disabled|kmemleak: .*disabled|OF: ERROR|irq [0-9]+: nobody cared|Disabling IRQ #|Unbalanced enable|Unbalanced IRQ|Spurious|possible recursive locking|circular locking|inconsistent lock state|sleeping function called'

# report_scan - succeed when the log on stdin has no report.
report_scan() {
	! grep -Eq "$REPORT_RE"
}

# report_show - print the log on stdin as TAP diagnostics, from the first
# report on.
report_show() {
	_log=$(cat)
	_first=$(printf '%s\n' "$_log" | grep -En "$REPORT_RE" | head -n1 | cut -d: -f1)
	printf '%s\n' "$_log" | tail -n +"${_first:-1}" | head -n 120 |
		sed 's/^/# dmesg: /'
}
