# tests/lib-exit.sh: clean-up at exit for the shell test libraries
# (tests/lib-dns.sh, tests/lib-qmail.sh), which may be sourced with or
# without tests/lib.sh and in any order.
#
#   at_exit FUNC
#       Runs FUNC when the script exits, before the EXIT trap that was in
#       place when at_exit first ran (tests/lib.sh's removal of $T), and
#       after any FUNC registered later. Registering FUNC twice runs it once.

_AT_EXIT_FUNCS=${_AT_EXIT_FUNCS:-}
_AT_EXIT_PREVIOUS=${_AT_EXIT_PREVIOUS:-}

at_exit() {
    case " $_AT_EXIT_FUNCS " in *" $1 "*) return 0 ;; esac
    local current
    current=$(trap -p EXIT)
    case $current in
        *_at_exit_run*) ;;
        *) eval "set -- $1 $current"; _AT_EXIT_PREVIOUS=${4:-}; trap '_at_exit_run' EXIT ;;
    esac
    _AT_EXIT_FUNCS="$1 $_AT_EXIT_FUNCS"
}

_at_exit_run() {
    local f
    for f in $_AT_EXIT_FUNCS; do "$f"; done
    eval "$_AT_EXIT_PREVIOUS"
}
