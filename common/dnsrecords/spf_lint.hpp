// Linting a published SPF record (RFC 7208): what every receiver will make
// of it, found by walking the record and the records it includes.
#pragma once

#include <string_view>

#include "dns/resolver.hpp"
#include "dnsrecords/finding.hpp"
#include "spf/record.hpp"

namespace qauth::dnsrecords {

/// The walk stops counting here: far over the limit of 10, so a loop of
/// include: or redirect= ends, and the count says how bad it is.
constexpr int kMaxCountedTerms = 50;
/// Includes nested deeper than this are not followed.
constexpr int kMaxIncludeDepth = 10;

/// What a record costs every receiver (RFC 7208 §4.6.4), counted over the
/// whole tree of include: and redirect= records, as check_host() would if
/// no mechanism matched (the worst case, which a sender outside the policy
/// meets).
struct SpfCost {
    /// include, a, mx, ptr, exists and redirect terms (redirect only where
    /// the record has no "all", §6.1); over spf::kMaxDnsTerms is a permerror.
    int dns_terms = 0;
    /// Void answers (NXDOMAIN or no data) of a, mx (and each MX host's A
    /// lookup) and exists terms, asked as an IPv4 client's check asks them;
    /// over spf::kMaxVoidLookups is a permerror. Targets with macros are
    /// counted as terms but not asked.
    int void_lookups = 0;
    bool stopped = false;  ///< the walk hit kMaxCountedTerms: dns_terms is a lower bound
};

/// Walks `record`, the SPF record of `domain`, asking `dns` for the records
/// of its includes and redirect and for the targets of a, mx and exists.
/// Adds to `lint`, under `domain`'s name: includes or redirects without a
/// record (§5.2, §6.1), with several (§4.5) or broken ones (§4.6), loops
/// (§4.6.4), more than spf::kMaxMxNames MX names (§4.6.4), ptr terms (§5.5:
/// SHOULD NOT be used); DNS temporary failures go to lint.trouble.
SpfCost spf_cost(dns::Resolver& dns, std::string_view domain, const spf::Record& record, Lint& lint);

/// Checks the SPF record published at `name` against `expected` (our text,
/// which parses): none (§4.5, receivers see "none"), several (§4.5,
/// permerror), a syntax error (§4.6, permerror), a record that differs from
/// ours (compared term by term, so "a" equals "+a"), then spf_cost() and its
/// limits: more than 10 DNS-querying terms, more than 2 void lookups (§4.6.4).
void lint_spf(dns::Resolver& dns, std::string_view name, std::string_view expected, Lint& lint);

}  // namespace qauth::dnsrecords
