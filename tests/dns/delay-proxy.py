#!/usr/bin/python3
"""A DNS server that answers late, to measure round trips (tests/lib-dns.sh
dns_delay_start, scripts/bench).

    delay-proxy.py --listen IP:PORT --upstream IP:PORT --delay-ms MS --count-file FILE
                   [--peak-file PEAK]

Listens on UDP IP:PORT (PORT 0: any free port; the one taken is printed on
stdout as soon as it listens), passes each query unchanged to the upstream
server (NSD of dns_start) and sends its reply back MS milliseconds after the
query arrived. Every query has its own clock, so queries sent together are
answered together: N parallel queries cost one delay, N sequential ones N
delays. After each query FILE holds the number received so far (written
whole, then renamed, so a reader never sees half a number); PEAK, the most
queries held at once (received, reply not yet sent): 1 for a client that
asks one at a time, the batch's size for one that sends a batch together,
whatever the machine's load. UDP only: a
client that falls back to TCP finds nothing there. Runs until killed.
Standard library only.
"""

import argparse
import os
import socket
import sys
import threading
import time

# An upstream that does not answer within this is given up: the client sees a
# timeout, as it would from a real server.
UPSTREAM_TIMEOUT = 2.0
MAX_DATAGRAM = 65535


def address(text):
    host, _, port = text.rpartition(":")
    return host, int(port)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--listen", type=address, required=True)
    ap.add_argument("--upstream", type=address, required=True)
    ap.add_argument("--delay-ms", type=int, required=True)
    ap.add_argument("--count-file", required=True)
    ap.add_argument("--peak-file")
    args = ap.parse_args()

    listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    listener.bind(args.listen)
    print(listener.getsockname()[1], flush=True)
    delay = args.delay_ms / 1000.0
    lock = threading.Lock()
    count = [0]
    held = [0]
    peak = [0]

    def write_number(path, n):
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % n)
        os.replace(tmp, path)

    def note_query():
        with lock:
            count[0] += 1
            write_number(args.count_file, count[0])
            held[0] += 1
            if held[0] > peak[0] and args.peak_file:
                peak[0] = held[0]
                write_number(args.peak_file, peak[0])

    def note_done():
        with lock:
            held[0] -= 1

    def relay(query, client, arrived):
        up = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            up.settimeout(UPSTREAM_TIMEOUT)
            up.connect(args.upstream)
            up.send(query)
            reply = up.recv(MAX_DATAGRAM)
        except OSError:
            note_done()
            return
        finally:
            up.close()
        wait = arrived + delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        # no longer held before the client can see the reply and ask again
        note_done()
        listener.sendto(reply, client)

    write_number(args.count_file, 0)
    if args.peak_file:
        write_number(args.peak_file, 0)
    while True:
        query, client = listener.recvfrom(MAX_DATAGRAM)
        arrived = time.monotonic()
        note_query()
        threading.Thread(target=relay, args=(query, client, arrived), daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
