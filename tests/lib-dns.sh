# tests/lib-dns.sh: real DNS servers on loopback for the shell suites (the
# tests of this library are tests/dns/harness.sh). Source it (after
# tests/lib.sh, or on its own) from a test script run by bash as root:
#
#   . "$TOP/tests/lib-dns.sh"
#
#   dns_start ZONEFILE...
#       Serves the records of the RFC 1035 master files with NSD on
#       127.0.0.1, UDP and TCP, at a free high port. Sets DNS_PORT and
#       DNS_SERVER (127.0.0.1@PORT, the form --dns-server takes). Stops the
#       server of an earlier dns_start: one at a time. Returns non-zero, with
#       the reason on stderr, when a file does not parse or NSD fails.
#   dns_private CMD [ARG...]
#       Runs CMD in new mount, network and PID namespaces where lo is up,
#       127.0.0.1:53 serves the zones of the last dns_start, and
#       /etc/resolv.conf reads "nameserver 127.0.0.1": for peer tools that
#       only use the system resolver (dkimpy, opendkim, Mail::DKIM, dig).
#       stdin, stdout and stderr pass through; the status is CMD's, or 125
#       when the namespace could not be set up. CMD must be a program, not a
#       shell function of the caller: use `bash -c '...'` for more. Several
#       may run at once. Nothing outside the namespaces changes, and
#       everything in them ends with CMD.
#       With DNS_PRIVATE_DELAY_MS=MS in the environment, the namespace's
#       127.0.0.1:53 is tests/dns/delay-proxy.py in front of that NSD (moved
#       to port 5300): every UDP answer comes MS milliseconds after its query,
#       and with DNS_PRIVATE_COUNT_FILE=FILE the number of queries received is
#       in FILE when CMD ends. For timing peer tools (scripts/bench).
#   dns_delay_start MS
#       Starts tests/dns/delay-proxy.py on 127.0.0.1 at a free port in front
#       of the dns_start server: each UDP query is answered MS milliseconds
#       after it came, each on its own clock, so queries sent together cost
#       one delay and queries sent one after another one delay each. UDP
#       only. Sets DELAY_PORT and DELAY_SERVER (127.0.0.1@PORT). Returns
#       non-zero, with the reason on stderr, when it does not start.
#   dns_delay_count
#       Prints how many queries the dns_delay_start proxy has received.
#   dns_delay_peak
#       Prints the most queries that proxy has held at once (received, not
#       yet answered): 1 for one question at a time, N for N sent together.
#   dns_delay_stop
#       Stops that proxy; dns_stop and the next dns_delay_start do too.
#   dns_stop
#       Stops the dns_start server. Done at exit anyway (at_exit of
#       tests/lib-exit.sh, before the EXIT trap found in place), and the server
#       is killed even then if the script dies by SIGKILL.
#
# What is served: each file with a SOA record is a zone of its own; every
# other record goes into one zone at the root with a made-up SOA. So every
# name absent from the files is NXDOMAIN, a name with other types only (or
# with only names below it, RFC 8020) is NOERROR without data, CNAMEs are
# followed by the server, and TXT character-strings stay apart. Differences
# from --dns-zone: ";qauth: tempfail" pragmas are ignored (the records are
# served), and NSD expands wildcards (RFC 4592).
#
# Example:
#   dns_start "$TESTDATA/dkim/rfc8463.zone" "$TOP/tests/data/dns/basic.zone" || exit 1
#   dkimverify --dns-server "$DNS_SERVER" <msg.eml
#   dns_private /usr/bin/dkimverify <msg.eml   # dkimpy asks 127.0.0.1:53
#
# Needs (scripts/install-deps): nsd, ldnsutils (ldns-read-zone), iproute2
# (ip, ss), util-linux (unshare, setpriv, mount).

. "$(dirname "${BASH_SOURCE[0]}")/lib-exit.sh"
_DNS_PID=${_DNS_PID:-}
_DNS_DIR=${_DNS_DIR:-}
_DNS_DELAY_PID=${_DNS_DELAY_PID:-}
_DNS_PROXY=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/dns/delay-proxy.py
# Where NSD listens inside dns_private when the delay proxy takes port 53.
_DNS_PRIVATE_BEHIND=5300

dns_start() {
    if [ $# -eq 0 ]; then echo "usage: dns_start ZONEFILE..." >&2; return 2; fi
    dns_stop
    at_exit dns_stop
    _DNS_DIR=$(mktemp -d "${TMPDIR:-/tmp}/qauth-dns.XXXXXX") || return 1
    if ! _dns_build "$_DNS_DIR" "$@"; then dns_stop; return 1; fi
    printf 'nameserver 127.0.0.1\n' >"$_DNS_DIR/resolv.conf"

    local attempt port
    for attempt in 1 2 3 4 5 6 7 8 9 10; do
        port=$(_dns_free_port) || break
        _dns_conf "$_DNS_DIR" "$port" "$_DNS_DIR" >"$_DNS_DIR/nsd.conf"
        rm -f "$_DNS_DIR/nsd.pid"
        # A PID namespace of its own, so that killing unshare ends every NSD
        # process; pdeathsig kills unshare when this shell dies.
        setpriv --pdeathsig KILL unshare --pid --fork --kill-child \
            nsd -d -c "$_DNS_DIR/nsd.conf" >"$_DNS_DIR/nsd.log" 2>&1 &
        _DNS_PID=$!
        if _dns_wait_ready "$_DNS_DIR/nsd.log" "$_DNS_PID"; then
            DNS_PORT=$port
            DNS_SERVER=127.0.0.1@$port
            export DNS_PORT DNS_SERVER
            return 0
        fi
        _dns_kill
        grep -q 'Address already in use' "$_DNS_DIR/nsd.log" || break
    done
    if [ -f "$_DNS_DIR/nsd.log" ]; then
        echo "dns_start: nsd did not start:" >&2
        sed 's/^/  /' "$_DNS_DIR/nsd.log" >&2
    fi
    dns_stop
    return 1
}

dns_stop() {
    dns_delay_stop
    _dns_kill
    if [ -n "$_DNS_DIR" ]; then rm -rf "$_DNS_DIR"; fi
    _DNS_DIR=
    unset DNS_PORT DNS_SERVER
}

dns_private() {
    if [ $# -eq 0 ]; then echo "usage: dns_private CMD [ARG...]" >&2; return 2; fi
    if [ -z "$_DNS_DIR" ]; then echo "dns_private: no zones: call dns_start first" >&2; return 125; fi
    local state rc port=53
    state=$(mktemp -d "$_DNS_DIR/private.XXXXXX") || return 125
    [ -n "${DNS_PRIVATE_DELAY_MS:-}" ] && port=$_DNS_PRIVATE_BEHIND
    _dns_conf "$_DNS_DIR" "$port" "$state" >"$state/nsd.conf"
    unshare --mount --net --pid --fork --kill-child --mount-proc \
        bash -c "$(declare -f _dns_private_init _dns_wait_ready _dns_wait_port); _dns_private_init \"\$@\"" \
        dns_private "$_DNS_DIR/resolv.conf" "$state" "${DNS_PRIVATE_DELAY_MS:-}" \
        "${DNS_PRIVATE_COUNT_FILE:-$state/count}" "$_DNS_PROXY" "$_DNS_PRIVATE_BEHIND" "$@"
    rc=$?
    rm -rf "$state"
    return "$rc"
}

# PID 1 of dns_private's namespaces: RESOLV_CONF STATE_DIR DELAY_MS
# COUNT_FILE PROXY BEHIND_PORT CMD... (DELAY_MS empty: no proxy). When it
# ends, the kernel kills NSD and the proxy.
_dns_private_init() {
    local resolv_conf=$1 state=$2 delay=$3 count=$4 proxy=$5 behind=$6
    shift 6
    ip link set lo up &&
        mount --bind "$resolv_conf" /etc/resolv.conf || {
        echo "dns_private: cannot set up the namespace" >&2
        exit 125
    }
    nsd -d -c "$state/nsd.conf" >"$state/nsd.log" 2>&1 &
    if ! _dns_wait_ready "$state/nsd.log" $!; then
        echo "dns_private: nsd did not start:" >&2
        sed 's/^/  /' "$state/nsd.log" >&2
        exit 125
    fi
    if [ -n "$delay" ]; then
        "$proxy" --listen 127.0.0.1:53 --upstream "127.0.0.1:$behind" --delay-ms "$delay" \
            --count-file "$count" >"$state/proxy.port" 2>"$state/proxy.log" &
        if ! _dns_wait_port "$state/proxy.port" $!; then
            echo "dns_private: the delay proxy did not start: $(cat "$state/proxy.log")" >&2
            exit 125
        fi
    fi
    "$@"  # not exec: PID 1 would ignore the signals CMD does not handle
    exit
}

# _dns_wait_ready LOG PID: waits up to 5 s for the NSD that logs to LOG,
# process PID, to say it serves.
_dns_wait_ready() {
    local log=$1 pid=$2 i
    for ((i = 0; i < 250; i++)); do
        grep -q 'nsd started' "$log" 2>/dev/null && return 0
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.02
    done
    return 1
}

# _dns_wait_port FILE PID: waits up to 5 s for the delay proxy, process PID,
# to write the port it listens on into FILE.
_dns_wait_port() {
    local file=$1 pid=$2 i
    for ((i = 0; i < 250; i++)); do
        [ -s "$file" ] && return 0
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.02
    done
    return 1
}

dns_delay_start() {
    if [ $# -ne 1 ]; then echo "usage: dns_delay_start MS" >&2; return 2; fi
    if [ -z "${DNS_PORT:-}" ]; then echo "dns_delay_start: no server: call dns_start first" >&2; return 1; fi
    dns_delay_stop
    setpriv --pdeathsig KILL "$_DNS_PROXY" --listen 127.0.0.1:0 --upstream "127.0.0.1:$DNS_PORT" \
        --delay-ms "$1" --count-file "$_DNS_DIR/delay.count" --peak-file "$_DNS_DIR/delay.peak" \
        >"$_DNS_DIR/delay.port" 2>"$_DNS_DIR/delay.log" &
    _DNS_DELAY_PID=$!
    if ! _dns_wait_port "$_DNS_DIR/delay.port" "$_DNS_DELAY_PID"; then
        echo "dns_delay_start: the proxy did not start: $(cat "$_DNS_DIR/delay.log")" >&2
        dns_delay_stop
        return 1
    fi
    DELAY_PORT=$(head -n1 "$_DNS_DIR/delay.port")
    DELAY_SERVER=127.0.0.1@$DELAY_PORT
    export DELAY_PORT DELAY_SERVER
}

dns_delay_count() { cat "$_DNS_DIR/delay.count" 2>/dev/null || echo 0; }
dns_delay_peak() { cat "$_DNS_DIR/delay.peak" 2>/dev/null || echo 0; }

dns_delay_stop() {
    if [ -n "$_DNS_DELAY_PID" ]; then
        kill "$_DNS_DELAY_PID" 2>/dev/null
        wait "$_DNS_DELAY_PID" 2>/dev/null
        _DNS_DELAY_PID=
    fi
    unset DELAY_PORT DELAY_SERVER
    return 0
}

_dns_kill() {
    if [ -n "$_DNS_PID" ]; then
        # NSD's first process is PID 1 of the namespace: killed first, it takes
        # the others with it and is reaped by unshare, which then exits. (Killed
        # the other way round, it would be left a zombie of init.)
        local init=
        { read -r init _ <"/proc/$_DNS_PID/task/$_DNS_PID/children"; } 2>/dev/null
        kill -KILL "${init:-$_DNS_PID}" 2>/dev/null
        wait "$_DNS_PID" 2>/dev/null
        _DNS_PID=
    fi
    return 0
}

# A port in 20000..59999 with no UDP or TCP socket on it now. NSD may still
# lose a race for it; dns_start then tries another.
_dns_free_port() {
    local i port
    for ((i = 0; i < 50; i++)); do
        port=$((20000 + RANDOM % 40000))
        if [ -z "$(ss -Hantu "( sport = :$port )")" ]; then echo "$port"; return 0; fi
    done
    echo "dns_start: no free port found" >&2
    return 1
}

# The zone files of DIR from the records of FILE...: ldns-read-zone writes
# one RR per line with absolute names (and names the line of a syntax
# error); awk puts each RR into the zone of the closest SOA owner above it.
_dns_build() {
    local dir=$1 file
    shift
    : >"$dir/all.rr"
    for file in "$@"; do
        if ! ldns-read-zone "$file" >>"$dir/all.rr" 2>"$dir/err"; then
            echo "dns_start: $file: $(tr '\n' ' ' <"$dir/err")" >&2
            return 1
        fi
    done
    awk -F '\t' -v dir="$dir" '
        function zone_of(name) {
            name = tolower(name)
            while (!(name in zone)) {
                if (!sub(/^[^.]*\./, "", name) || name == "") name = "."
            }
            return zone[name]
        }
        NR == FNR {
            if ($4 == "SOA") {
                apex = tolower($1)
                if (apex in zone) { print "dns_start: two SOA records for " $1 > "/dev/stderr"; exit 1 }
                zone[apex] = n++
                print apex "\t" dir "/zone" zone[apex] ".zone" > (dir "/zones")
            }
            next
        }
        FNR == 1 && !("." in zone) {
            zone["."] = n++
            print ".\t" dir "/zone" zone["."] ".zone" > (dir "/zones")
            print ".\t60\tIN\tSOA\tns.qauth.invalid. hostmaster.qauth.invalid. 1 3600 600 86400 60" \
                > (dir "/zone" zone["."] ".zone")
        }
        { print > (dir "/zone" zone_of($1) ".zone") }
    ' "$dir/all.rr" "$dir/all.rr" || return 1
    if [ ! -s "$dir/all.rr" ]; then  # awk saw no line: the root zone alone
        printf '.\t%s\n' "$dir/zone0.zone" >"$dir/zones"
        printf '.\t60\tIN\tSOA\tns.qauth.invalid. hostmaster.qauth.invalid. 1 3600 600 86400 60\n' >"$dir/zone0.zone"
    fi
    local apex zonefile
    while IFS=$'\t' read -r apex zonefile; do
        if ! nsd-checkzone "$apex" "$zonefile" >"$dir/err" 2>&1; then
            echo "dns_start: records of $* as zone $apex: $(tr '\n' ' ' <"$dir/err")" >&2
            return 1
        fi
    done <"$dir/zones"
}

# nsd.conf for the zones of DIR on 127.0.0.1@PORT, state files in STATE.
_dns_conf() {
    local dir=$1 port=$2 state=$3 apex zonefile
    cat <<EOF
server:
    ip-address: 127.0.0.1
    port: $port
    do-ip6: no
    username: ""
    chroot: ""
    database: ""
    zonelistfile: "$state/zone.list"
    xfrdfile: "$state/xfrd.state"
    xfrdir: "$state"
    pidfile: "$state/nsd.pid"
    server-count: 1
    verbosity: 0
    hide-version: yes
remote-control:
    control-enable: no
EOF
    while IFS=$'\t' read -r apex zonefile; do
        printf 'zone:\n    name: "%s"\n    zonefile: "%s"\n' "$apex" "$zonefile"
    done <"$dir/zones"
}
