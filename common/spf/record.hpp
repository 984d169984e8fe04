// SPF records (RFC 7208 §4.5, §4.6, §12): choosing the record among a
// name's TXT strings and parsing it into typed terms. Domain-specs are kept
// unexpanded; the evaluator expands them (spf/macro.hpp) when it reaches
// the term, as §4.6.4 and §5 require.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "dns/address.hpp"
#include "spf/result.hpp"
#include "util/result.hpp"

namespace qauth::spf {

/// The mechanisms of RFC 7208 §5.
enum class Mechanism { All, Include, A, Mx, Ptr, Ip4, Ip6, Exists };

/// A directive: [qualifier] mechanism (RFC 7208 §4.6.1, §5).
struct Directive {
    Qualifier qualifier = Qualifier::Pass;  ///< "+" when none is written (§4.6.2)
    Mechanism mechanism = Mechanism::All;
    /// include, exists (required), a, mx, ptr (optional: empty means the
    /// current <domain>): the macro-string as written.
    std::string domain_spec;
    /// ip4 and ip6 only: the network, of the mechanism's family.
    std::optional<dns::IpAddress> network;
    /// Prefix lengths: ip4 uses ip4_cidr, ip6 uses ip6_cidr, a and mx use
    /// both (dual-cidr-length, §5.6); 32 and 128 when not written.
    unsigned ip4_cidr = 32;
    unsigned ip6_cidr = 128;

    friend bool operator==(const Directive&, const Directive&) = default;
};

/// The text of a directive for --trace and Received-SPF comments, in the
/// record's syntax with names lower-case: "-ip4:192.0.2.0/24", "a:%{d}/24//64",
/// "include:example.net" (the "+" qualifier and default CIDR lengths left out).
std::string directive_text(const Directive& d);

/// The modifiers of RFC 7208 §6; any other name is Unknown, kept for
/// --trace and ignored by evaluation (§6).
enum class ModifierKind { Redirect, Exp, Unknown };

/// A modifier: name "=" value (RFC 7208 §4.6.1).
struct Modifier {
    ModifierKind kind = ModifierKind::Unknown;
    std::string name;   ///< as written
    std::string value;  ///< the domain-spec or macro-string, unexpanded

    friend bool operator==(const Modifier&, const Modifier&) = default;
};

using Term = std::variant<Directive, Modifier>;

/// A parsed record: its terms in the order written.
struct Record {
    std::vector<Term> terms;

    /// The redirect= or exp= modifier (at most one each, §6), or nullptr.
    const Modifier* find(ModifierKind kind) const;
};

/// Bounds of a record: far above what DNS carries in practice (a TXT RRset
/// fits 64 KiB), so that no input makes the parser's work unbounded.
constexpr std::size_t kMaxRecordSize = 64 * 1024;
constexpr std::size_t kMaxTerms = 1000;

/// True when `text` is an SPF record by its version: "v=spf1" in any case,
/// then SP or the end (RFC 7208 §4.5).
bool is_spf_record(std::string_view text);

/// Chooses the SPF record among the TXT records of a name (RFC 7208 §4.5),
/// each given with its strings already joined (§3.3). Records that are not
/// is_spf_record() are ignored. Returns the one record, nullopt when there
/// is none (result "none"), or an error when there are several (permerror).
Result<std::optional<std::string_view>> select_record(std::span<const std::string> txt_records);

/// Parses a record (RFC 7208 §4.5, §4.6, §12 ABNF). Any syntax error
/// anywhere is an error (a permerror, §4.6), with the reason citing the
/// rule ("RFC 7208 4.6.1: unknown mechanism \"foo\""): a bad version, terms
/// not separated by SP, unknown mechanisms, a malformed argument, network or
/// CIDR length (ip4 up to 32, ip6 up to 128, no leading zeros), a domain-spec
/// that is no macro-string or does not end in a macro or a "." toplabel
/// (§7.1), a bad modifier name, redirect= or exp= twice (§6), and records
/// beyond kMaxRecordSize or kMaxTerms.
Result<Record> parse_record(std::string_view text);

}  // namespace qauth::spf
