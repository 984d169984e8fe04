// The one resolver interface every protocol uses (DESIGN §6). Answers keep
// NXDOMAIN, "no data" and temporary failure apart, because SPF (RFC 7208 §5),
// DKIM (RFC 6376 §6.1.2) and DMARC (RFC 7489 §6.6.3) map them differently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dns/address.hpp"
#include "util/result.hpp"

namespace qauth::dns {

/// RR types we ask for (RFC 1035 §3.2.2, RFC 3596 for AAAA).
enum class RrType : std::uint16_t { A = 1, NS = 2, CNAME = 5, PTR = 12, MX = 15, TXT = 16, AAAA = 28 };

/// How a lookup ended.
enum class Status {
    Answer,    ///< at least one record of the asked type
    NxDomain,  ///< RCODE 3: the name does not exist
    NoData,    ///< the name exists but has no record of this type
    TempFail,  ///< timeout, SERVFAIL, REFUSED, network or parse trouble: try later
};

/// One MX record (RFC 1035 §3.3.9).
struct Mx {
    std::uint16_t preference = 0;
    std::string host;  ///< lower-case, no trailing dot; "" for the root
    /// The null MX "0 ." (RFC 7505): the domain accepts no mail.
    bool null() const { return host.empty(); }
    friend bool operator==(const Mx&, const Mx&) = default;
};

/// The records of one lookup, in the order the server gave them.
///
/// `records` holds every type as text:
/// TXT: one string per RR, its character-strings joined with nothing between
///      (RFC 7208 §3.3, RFC 6376 §3.6.2.2). This is TXT's typed form too.
/// A/AAAA: the address in text form ("192.0.2.1", "2001:db8::1").
/// MX: "PREFERENCE HOST" with HOST lower-case, no trailing dot ("10 mx.example.com").
/// PTR, NS, CNAME: the target name, lower-case, no trailing dot. This is the
///      typed form of names: canonical_name() form, to compare or query again.
/// A target name that is the root (the null MX of RFC 7505) is written ".".
///
/// The typed forms, in the same order, so that SPF never parses text again:
/// `addresses` for A and AAAA, `mx` for MX; both empty for other types.
struct Answer {
    Status status = Status::TempFail;
    std::vector<std::string> records;
    std::string error;  ///< for TempFail (and NxDomain for a name that cannot
                        ///< exist): one line saying why (no CR/LF)
    std::vector<IpAddress> addresses{};  ///< A, AAAA: one per record
    std::vector<Mx> mx{};                ///< MX: one per record
};

/// One question of a batch (Resolver::query_all).
struct Question {
    std::string name;
    RrType type;
};

/// A DNS resolver. Implementations: ldns (network), zone files (offline),
/// and a per-process cache in front of either.
class Resolver {
public:
    virtual ~Resolver() = default;
    /// Looks up `name` (with or without trailing dot, any letter case) for `type`.
    /// The name is taken byte for byte (no "\DDD" escapes); one that cannot be
    /// a domain name (empty label, label over 63 octets, over 255 in all) is
    /// NxDomain with `error` set, asked of no one.
    /// Never throws; every failure is an Answer with status TempFail.
    virtual Answer query(std::string_view name, RrType type) = 0;

    /// Looks up every question of `questions`; returns one Answer per
    /// question, in their order, each what query() would give for it (so
    /// never throws, and every failure is that question's TempFail). For
    /// lookups that do not depend on each other, such as the addresses of
    /// the MX hosts of one SPF mx term (RFC 7208 §5.4): the network resolver
    /// sends them at once, so the batch costs about one round trip instead
    /// of one per question. This default asks query() one after another.
    virtual std::vector<Answer> query_all(std::span<const Question> questions);
};

/// Where answers come from; filled from --dns-server, --dns-zone, --dns-timeout.
struct Options {
    std::vector<std::string> servers;  ///< "IP" or "IP@PORT"; empty = /etc/resolv.conf
    std::vector<std::string> zones;    ///< RFC 1035 master files; non-empty = offline
    int timeout_seconds = 5;           ///< per try
    int retries = 2;                   ///< further tries after the first
};

/// Builds the resolver that `opts` describes, wrapped in a per-process cache.
/// Zone files are read now (errors name the file and line); the network
/// resolver is set up lazily on its first query so start-up stays cheap.
/// Checks: timeout_seconds 1..60, retries 0..10, servers "IP" or "IP@PORT";
/// the error names the option.
Result<std::unique_ptr<Resolver>> make_resolver(const Options& opts);

/// Puts a cache in front of `inner`: each (name, type), compared the way
/// query() does (any case, trailing dot or not), is asked of `inner` once and
/// its Answer, whatever the status, is kept for the cache's life. When full,
/// an arbitrary entry makes room. query_all() answers the cached questions
/// itself and passes the others (each once, however often the batch repeats
/// it) to `inner` as one query_all() batch, caching what comes back.
std::unique_ptr<Resolver> make_cached_resolver(std::unique_ptr<Resolver> inner,
                                               std::size_t max_entries = 1024);

}  // namespace qauth::dns
