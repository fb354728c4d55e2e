# Patterns of kernel reports that fail a test run. Sourced by the runner;
# reads a kernel log on standard input.
# shellcheck shell=sh

REPORT_RE='BUG:|BUG [a-z0-9_-]+ \(|kernel BUG|WARNING:|UBSAN:|ODEBUG:|Oops|Unable to handle kernel|Internal error:|Kernel panic|INFO: task .* blocked|detected stall|soft lockup|list_(add|del) corruption|kmemleak: .*new suspected|OF: ERROR'

# report_scan - succeed when the log on stdin has no report.
report_scan() {
	! grep -Eq "$REPORT_RE"
}

# report_show - print the log on stdin as TAP diagnostics, from the first
# report on.
report_show() {
	awk -v re="$REPORT_RE" 'found || $0 ~ re { found = 1; print "# dmesg: " $0 }' |
		head -n 120
}
