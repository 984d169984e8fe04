// The SPF evaluator: check_host() of RFC 7208 §4, with the mechanisms of
// §5, the modifiers of §6 and the processing limits of §4.6.4. The record
// parser (spf/record.hpp) and the macro expander (spf/macro.hpp) do the
// syntax; this file does the DNS work and decides the result.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dns/address.hpp"
#include "dns/resolver.hpp"
#include "spf/record.hpp"
#include "spf/result.hpp"

namespace qauth::spf {

/// RFC 7208 §4.6.4: at most 10 terms that query DNS (include, a, mx, ptr,
/// exists, redirect) in one check, nested includes and redirects included.
constexpr int kMaxDnsTerms = 10;
/// RFC 7208 §4.6.4: at most 2 "void lookups" (NXDOMAIN or no data).
constexpr int kMaxVoidLookups = 2;
/// RFC 7208 §4.6.4: an mx term may look up the addresses of 10 MX names;
/// more MX records are a permerror.
constexpr std::size_t kMaxMxNames = 10;
/// RFC 7208 §4.6.4: a ptr term or %{p} looks at the first 10 PTR names;
/// the rest are ignored.
constexpr std::size_t kMaxPtrNames = 10;

/// The §4.6.4 counters of one check: one object, passed along through
/// includes and redirects, so that the limits hold for the whole evaluation
/// and loops of include/redirect end by them.
struct Budget {
    int dns_terms = 0;     ///< DNS-querying terms evaluated so far
    /// Void answers (NXDOMAIN or no data) so far. Counted, as pyspf does:
    /// the query of an a, mx, ptr or exists term and the address lookup of
    /// each MX name. Not counted: record lookups (include and redirect make
    /// a missing record a permerror anyway), the address lookups that
    /// validate PTR names (§5.5 skips such a name), %{p} and exp= (no terms).
    int void_lookups = 0;
};

/// How CheckResult::reason starts when a local rule matched (not the
/// domain's own policy: Received-SPF says so, and DMARC can tell).
inline constexpr std::string_view kLocalRuleReason = "local rule ";

/// What check_host() decided.
struct CheckResult {
    SpfResult result = SpfResult::None;
    /// One line saying what decided it, for Received-SPF comments and
    /// --trace: "mechanism ip4:192.0.2.0/24 matched", "no mechanism
    /// matched, default neutral", or the problem, citing the rule ("RFC
    /// 7208 4.6.4: more than 10 DNS-querying terms").
    std::string reason;
    /// Only for fail: the exp= explanation (RFC 7208 §6.2), expanded; short
    /// printable ASCII is kept as it is, anything else goes through
    /// printable() (no CR, LF or other controls). Empty when the record has
    /// no exp= or it could not be used.
    std::string explanation;
    /// The directive that matched ("ip4:192.0.2.0/24", directive_text()
    /// form), for Received-SPF's mechanism= (RFC 7208 §9.1); empty when the
    /// result came from no mechanism (default, none, errors).
    std::string mechanism;
};

/// Called with one line per term evaluated, per DNS query and answer, per
/// change of the §4.6.4 counters, and with the final reason (--trace).
using Trace = std::function<void(std::string_view)>;

/// What the macros need beyond the check's own arguments (RFC 7208 §7.3).
struct CheckContext {
    std::string helo;            ///< h: the HELO/EHLO domain
    std::string receiver;        ///< r: our host name ("" is "unknown")
    std::int64_t timestamp = 0;  ///< t: seconds since the epoch
    Trace trace;                 ///< optional
    /// --record: this text stands for <domain>'s record at the top level,
    /// instead of the TXT lookup (includes and redirects still look theirs up).
    std::optional<std::string> record;
    /// Local rules (control/spfrules, spf/policy.hpp): directives evaluated
    /// at the top level only, where the record's final "all" would be, i.e.
    /// before it, or after the record's last directive when that is not
    /// "all" (before a redirect= then). A match reports "local rule ...
    /// matched"; they count against the same §4.6.4 limits. When <domain>
    /// has no record they are evaluated alone, and the result stays none
    /// when none of them matches.
    std::vector<Directive> local_rules;
};

/// check_host(<ip>, <domain>, <sender>) of RFC 7208 §4, asking `dns`.
///
/// Takes the client address (a v4-mapped IPv6 one is evaluated as IPv4,
/// §5 and RFC 4291 §2.5.5.2), the domain whose policy is checked, and the
/// sender: "local@domain", or a domain alone (no "@"), whose local part is
/// then "postmaster" (§4.3); an empty sender is postmaster@<domain>.
///
/// Returns the result and why (see CheckResult); never fails otherwise:
/// - <domain> not a multi-label name: none (§4.3); TXT lookup NXDOMAIN or
///   no data, or no v=spf1 record: none; DNS failure: temperror (§4.4);
///   several records or a syntax error: permerror (§4.5, §4.6).
/// - Terms left to right (§4.6); the first matching mechanism's qualifier
///   decides; else redirect= (§6.1: its result, permerror when the target
///   has no record); else neutral (§4.7).
/// - DNS failure in a mechanism: temperror (§5), but in ptr's own lookups
///   the term or the name is skipped (§5.5); more than kMaxDnsTerms
///   DNS-querying terms, more than kMaxVoidLookups void lookups, more than
///   kMaxMxNames MX names, a macro error: permerror.
/// - include (§5.2): inner pass matches; fail, softfail, neutral do not;
///   temperror is temperror; permerror or none is permerror.
/// - On fail, exp= is fetched and expanded (§6.2); any error in it leaves
///   the explanation empty and changes nothing else.
///
/// DNS: the address lookups of one mx term (one per MX name) and of one ptr
/// term or %{p} (one per PTR name) are asked with one query_all(), so that
/// they cost one round trip instead of one each: `v=spf1 mx -all` with 5
/// MX hosts takes 3 (record, MX, addresses) where a query at a time takes 7.
/// The answers are then taken in the order the names came, as if asked one
/// by one: results, trace lines and the §4.6.4 counters are the same.
/// The cost: when an early MX host matches (or its lookup ends the check),
/// the lookups of the later hosts were sent anyway, at most 9 queries that
/// sequential evaluation would not send, and never another round trip; they
/// are not traced, as they decide nothing. (ptr looks at all its names in
/// any case.) RFC 7208 §11 asks evaluators to bound the DNS load a record
/// can cause: this stays within the bound §4.6.4 sets for the term (10 MX
/// or PTR names), and nothing beyond the term being evaluated is fetched
/// early (no look-ahead into later terms or include: records), so a record
/// can make us send no query that its own terms could not.
CheckResult check_host(dns::Resolver& dns, const dns::IpAddress& ip, std::string_view domain,
                       std::string_view sender, const CheckContext& context = {});

/// Expands an explanation string of our own (control/spfexp, RFC 7208 §6.2
/// and §7: every macro letter, %{p} by the client's validated name) for a
/// check of <domain> by <sender> as check_host() takes them, and cleans it
/// like an exp= text: printable ASCII only, at most 400 bytes. A text that
/// is no valid macro-string (callers check it at start-up with
/// check_macro_string()) comes back through printable() unexpanded.
std::string expand_explanation(dns::Resolver& dns, const dns::IpAddress& ip, std::string_view domain,
                               std::string_view sender, const CheckContext& context, std::string_view text);

}  // namespace qauth::spf
