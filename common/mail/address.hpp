// Mail addresses in header fields (RFC 5322 §3.4) and envelopes, and the
// RFC5322.From domains that DMARC evaluates.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace qauth::mail {

struct Header;

/// What parse_address_list() found in one address-list or mailbox-list
/// field value (From:, Sender:, To:; RFC 5322 §3.4, with the obsolete
/// syntax of §4.4).
struct AddressList {
    /// The addr-spec of each mailbox, in order. Comments (nested, with any
    /// specials inside) and display names (phrases, quoted strings with
    /// commas, '<', '>', '@' or escaped quotes, RFC 2047 encoded words, which
    /// are never decoded) are dropped; groups are opened, a group without
    /// members adds nothing; an obs-route ("<@r1,@r2:a@b>") is dropped;
    /// folding whitespace and comments next to '.' and '@' (obs-local-part,
    /// obs-domain) are removed; empty list elements are skipped. Quoted
    /// local-parts keep their quotes and escapes ("\"a b\"@x.org").
    /// A display name is never an address, even when it looks like one:
    /// "victim@victim.example <a@attacker.example>" is a@attacker.example
    /// (what a reader is shown is the client's business; DMARC covers the
    /// addr-spec).
    ///
    /// A mailbox that is not an addr-spec is still returned, as the text
    /// found, so that no address a reader might see is hidden: "joe" (no
    /// '@'), "John Doe", "a@x.example b@y.example" (whitespace between two
    /// words is kept as one space). Callers that need a domain check it
    /// (from_domains() does); address_domain() finds none in the last two.
    std::vector<std::string> addresses;
    /// Empty when the value is a well-formed list; otherwise the first thing
    /// wrong with it, citing the rule ("RFC 5322 3.2.4: unterminated quoted
    /// string"). Defined results for each case:
    /// - an unterminated quoted string or comment runs to the end of the
    ///   value (the quoted text stays in the address as found, the comment
    ///   is dropped); an unterminated angle-addr ends at the end of the value;
    /// - a second angle-addr in one mailbox, or text after an angle-addr:
    ///   each angle-addr is an address, the text after it is dropped;
    /// - "<>", an obs-route with no addr-spec ("<@a.example>", returned
    ///   as found), '<' inside an angle-addr, a stray '>' or ')' (kept as
    ///   text), a group inside a group;
    /// - more than 100 mailboxes (the rest are dropped) or a value longer
    ///   than 64 KiB (the rest is not read).
    /// ';' outside a group separates mailboxes like ',' (a common sender
    /// error) and is not a problem; neither is a group without its ';'.
    std::string problem;
};

/// Parses an address-list or mailbox-list field value (unfolded), as
/// documented at AddressList. Never fails; bounded: at most 100 addresses,
/// values up to 64 KiB.
AddressList parse_address_list(std::string_view field_value);

/// parse_address_list(field_value).addresses: for callers that want the
/// addresses and treat a malformed list as best effort (the DKIM signer
/// choosing its signing domain).
std::vector<std::string> addresses(std::string_view field_value);

/// The domain of an addr-spec or envelope address ("a@Example.COM." ->
/// "example.com"): the text after the last '@', lower-case, without a
/// trailing dot. nullopt when there is no '@', or the domain is empty, a
/// domain literal, or not a name under dns::NameRules::Mail
/// (dns/domain.hpp). A U-label (UTF-8) domain is not converted to an
/// A-label (there is no IDNA library here) and is such a name: nullopt.
/// Envelope addresses may hold several '@' (qmail unquotes
/// <"a@b"@c> to a@b@c): the last one starts the domain.
std::optional<std::string> address_domain(std::string_view address);

/// Why the RFC5322.From domains could not be determined. DMARC reports each
/// as dmarc=permerror (RFC 7489 §6.6.1 leaves such messages to local policy;
/// qauth treats them as failing, and the caller refuses them when enforcing).
enum class FromProblem : std::uint8_t {
    /// The header has no From field (RFC 5322 §3.6 requires one).
    NoField,
    /// A From field holds no mailbox: empty, only comments, or only groups
    /// without members ("undisclosed-recipients:;").
    NoAddress,
    /// A mailbox has no usable domain: no '@' ("From: joe"), several '@'
    /// outside quotes, a domain literal, a name that is not a host name, or
    /// a U-label (UTF-8) domain. RFC 9989 requires a U-label to be converted
    /// to its A-label; qauth has no IDNA library, and looking up no policy
    /// for it would let a sender escape the A-label domain's policy, so it
    /// is an error instead.
    NoDomain,
    /// A From field value is not a well-formed address list
    /// (AddressList::problem), or the From fields hold more than 100
    /// mailboxes in all. Not guessed around: a reader's client may show an
    /// address the parser would have missed.
    Malformed,
};

/// A FromProblem with a one-line reason citing the rule. The reason may
/// quote the offending address: sanitise it (util/strings.hpp printable())
/// before it goes into a header field or a diagnostic.
struct FromError {
    FromProblem problem;
    std::string reason;
};

/// The RFC5322.From domains DMARC evaluates (RFC 7489 §6.6.1, RFC 9989
/// "Extract Author Domain"): the domain of every mailbox in every From
/// field, top to bottom, as address_domain() gives it (lower case, no
/// trailing dot), each domain once, in the order first seen. Several From
/// fields or several mailboxes yield every domain: the caller evaluates each
/// and applies the strictest outcome (RFC 7489 §6.6.1; RFC 9989 exempts a
/// multi-domain From from DMARC instead, which would let a second From
/// domain escape the first one's policy). An error names the first problem
/// found, field by field from the top: see FromProblem.
std::expected<std::vector<std::string>, FromError> from_domains(const Header& header);

}  // namespace qauth::mail
