// qmail-dkimsign's signing policy (RFC 6376 §5, DESIGN §5): which options
// make a sound signature, which domain and keys sign a message, and what each
// signature is made with.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dkim/canon.hpp"
#include "dkim/keystore.hpp"
#include "dkim/sign.hpp"
#include "mail/header.hpp"
#include "qmail/control.hpp"
#include "util/result.hpp"

namespace qauth::dkim {

/// A header this close to the reader's limits (mail/reader.hpp) is not
/// signed: the fields we and later hops prepend would push it past the
/// verifier's limit, where the signed fields are no longer seen and the
/// signature fails.
inline constexpr std::size_t kSignRoomLines = 1000;
inline constexpr std::size_t kSignRoomBytes = 1u << 20;

/// The signing options as given on the command line.
struct SignOptions {
    std::string domain;                  ///< --domain: d=, instead of the message's domain
    std::string key_file;                ///< --key, with exactly one selector
    std::vector<std::string> selectors;  ///< --selector
    std::string canon = "relaxed/relaxed";
    std::optional<std::string> headers;  ///< --headers: colon-separated names
    std::string identity;                ///< --identity: i=
    std::optional<std::uint64_t> expire;  ///< --expire: x= = t= + this
    bool body_length = false;            ///< --body-length: l=
};

/// The checked options.
struct SignPolicy {
    std::string domain;                  ///< lower-case; empty: from the message
    std::string key_file;
    std::vector<std::string> selectors;  ///< empty: the domain's selector file
    Canon header_canon = Canon::Relaxed, body_canon = Canon::Relaxed;
    std::vector<std::string> headers;    ///< empty: default_signed_headers()
    std::optional<std::string> identity;
    std::optional<std::uint64_t> expire;
    bool body_length = false;
};

/// Checks `options`; every error is a usage error: a c= that is not
/// simple/relaxed, --key without exactly one --selector, a --domain or
/// --selector that is no domain name, --headers empty, with an empty name,
/// more than kMaxSignedFields names, without From (RFC 6376 §5.4) or with a
/// name that is not a field name (RFC 5322 §3.6.8; ';' would end h=), an --identity that is not printable, or one outside --domain
/// (RFC 6376 §3.5 i=).
Result<SignPolicy> check_sign_options(const SignOptions& options);

/// The domain, keys and h= names to sign one message with.
struct KeyChoice {
    std::string domain;             ///< d=; empty when the message goes out unsigned
    std::vector<SigningKey> keys;   ///< empty when the message goes out unsigned
    std::vector<std::string> names; ///< h=: policy.headers or the default list
    std::string warning;            ///< why it goes out unsigned, when it does
};

/// Chooses the signing domain (policy.domain, else signing_domain() of the
/// header and `envelope_sender`) and loads its keys (policy.key_file, else the
/// control directory's). A message goes out unsigned, with a warning, when it
/// has more than one From field (RFC 5322 §3.6; verifiers say policy), no
/// usable domain, a header within kSignRoomLines/Bytes of the reader's limit,
/// or more fields to sign than an h= may name (kMaxSignedFields); and
/// silently when its domain has no key directory. The h= names are
/// policy.headers or default_signed_headers(); a "dkim-signature" among them
/// is listed at most as many times as the message has DKIM-Signature fields:
/// the field being made must not be in its own h= (RFC 6376 §3.5), and a
/// verifier would take it for one. Errors:
/// a key that cannot be loaded; no key for a --domain named by the admin;
/// an --identity outside the message's domain (a usage error).
Result<KeyChoice> choose_keys(const SignPolicy& policy, const qmail::ControlDir& control,
                              const mail::Header& header, std::string_view envelope_sender);

/// The parameters of each signature for `choice`, signed at `now` (Unix seconds).
std::vector<SignParams> sign_params(const SignPolicy& policy, const KeyChoice& choice, std::uint64_t now);

}  // namespace qauth::dkim
