// DMARC policy discovery and the organizational domain, in the two ways an
// admin can choose (issue 8): RFC 9989's DNS tree walk (the default) and RFC
// 7489's lookup of the From domain and then its organizational domain from
// the Public Suffix List (dns/org_domain.hpp), as OpenDMARC does it.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "dmarc/record.hpp"
#include "dmarc/result.hpp"
#include "dns/domain.hpp"
#include "dns/resolver.hpp"

namespace qauth::dmarc {

/// How policies and organizational domains are found.
enum class Discovery {
    TreeWalk,  ///< RFC 9989: _dmarc records up the tree, psd= ends it; records read as Rfc::Dmarcbis
    Psl,       ///< RFC 7489 §6.6.3 and §3.2 with the PSL; records read as Rfc::Rfc7489 (pct honoured)
};

/// RFC 9989: a tree walk asks at most this many _dmarc names.
constexpr int kMaxTreeWalkQueries = 8;

using Trace = std::function<void(std::string_view)>;

/// A policy record and the name it was found at (the Policy Domain).
struct Found {
    Record record;
    std::string domain;
};

/// What discovery found for one RFC5322.From domain.
struct Discovered {
    /// Temperror when a DNS lookup failed (the caller answers temperror,
    /// never a verdict); else None.
    DmarcResult error = DmarcResult::None;
    std::optional<Found> policy;  ///< nullopt: no policy, DMARC does not apply
    std::string org_domain;       ///< the From domain's organizational domain
    /// The From domain is a non-existent domain, for np=: NXDOMAIN (RFC
    /// 9989, after RFC 8020), or in psl mode also no data for A, AAAA and
    /// MX (RFC 9091 §2.7); only asked when the policy came from another
    /// name.
    bool nonexistent = false;
    std::string reason;  ///< one line: where the policy came from, or why none
};

/// Finds the policy for `from` (RFC 7489 §6.6.3 / RFC 9989 tree walk),
/// its organizational domain, and whether it exists. Queries, records
/// ignored (several, or unparsable) and the list used go to `trace`.
Discovered discover(dns::Resolver& dns, const dns::Domain& from, Discovery mode, const Trace& trace = {});

/// The organizational domain of `d` (RFC 7489 §3.2 with the PSL, or the
/// RFC 9989 tree walk, whose answers the resolver's cache keeps), for
/// relaxed alignment. Errors: DNS trouble in the walk (temperror), a name
/// the PSL cannot take.
Result<std::string> organizational_domain(dns::Resolver& dns, const dns::Domain& d, Discovery mode,
                                          const Trace& trace = {});

/// The policy that applies to a failing message from `from` (RFC 7489
/// §6.6.3 step 6 and RFC 9989): p= when the record is the From domain's
/// own; else np= for a non-existent From domain (RFC 9091), else sp=, else p=.
Policy applicable_policy(const Discovered& d, const dns::Domain& from);

}  // namespace qauth::dmarc
