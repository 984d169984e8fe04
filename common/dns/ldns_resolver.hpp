// Network resolver built on ldns (DESIGN §6).
#pragma once

#include <memory>
#include <string_view>

#include "dns/resolver.hpp"

namespace qauth::dns {

/// A resolver that asks `opts.servers` (or the servers of /etc/resolv.conf when
/// empty) with `opts.timeout_seconds` per try and `opts.retries` further tries.
/// Nothing is read or opened until the first query. Truncated UDP answers are
/// retried over TCP. Every failure (no server, timeout, SERVFAIL, REFUSED,
/// malformed answer) becomes Status::TempFail with a one-line reason.
///
/// Each try asks the servers in turn (RFC 1035 §7.2), moving on after a
/// timeout, a network error, a reply that does not match the query's ID and
/// question (RFC 5452 §3), or an RCODE other than NOERROR and NXDOMAIN.
/// One query() therefore takes at most about (retries + 1) x servers x
/// timeout_seconds: TCP fallback and CNAME follow-up queries share that
/// deadline. A server that let a query time out is asked after the others
/// from then on, and not at all once the process has waited that long on
/// silent servers: a message with many lookups is not held up once per
/// lookup by a dead server. Queries carry RD and EDNS0 with a 1232-byte UDP size. A CNAME
/// chain that a reply leaves unfinished is asked for again from its last name.
///
/// query_all() sends the first try of every question at once over UDP to the
/// first server, each from a socket of its own (at most 16 in flight; more
/// go in further rounds), and takes the replies as they arrive, checked as
/// above. A question that needs more (no usable reply, TC=1, which is asked
/// again over TCP, a CNAME chain to follow) then goes on through the same
/// tries and servers as query(), one question after another. A whole round
/// shares one query's deadline, so a batch against a dead server costs what
/// one query() costs, and against a live one about one round trip.
/// `opts` must have passed make_resolver()'s checks (servers: check_server()).
std::unique_ptr<Resolver> make_ldns_resolver(const Options& opts);

/// Checks one --dns-server value: "IP" or "IP@PORT", IPv4 or IPv6 address,
/// port 1..65535 (default 53). The error says what is wrong with it.
Result<void> check_server(std::string_view spec);

}  // namespace qauth::dns
