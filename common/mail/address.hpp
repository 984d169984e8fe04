// Mail addresses in header fields (RFC 5322 §3.4) and envelopes.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace qauth::mail {

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
    ///
    /// A mailbox that is not an addr-spec is still returned, as the text
    /// found, so that no address a reader might see is hidden: "joe" (no
    /// '@'), "John Doe", "a@x.example b@y.example" (whitespace between two
    /// words is kept as one space). Callers that need a domain check it;
    /// address_domain() finds none in the last two.
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

}  // namespace qauth::mail
