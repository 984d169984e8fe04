// Where qmail-dkimsign finds its keys and its signing domain (DESIGN §5).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "crypto/keys.hpp"
#include "mail/header.hpp"
#include "qmail/control.hpp"
#include "util/result.hpp"

namespace qauth::dkim {

struct SigningKey {
    std::string selector;
    crypto::PrivateKey key;
};

/// The selectors load_domain_keys() loads for `domain`, without loading
/// them: `selectors`, or else those in domainkeys/DOMAIN/selector (default:
/// "default"), each once. Empty when the domain has no key directory (or is
/// not a mail domain name). Errors: the directory or list cannot be read, a
/// bad selector name. No crypto (key_selectors.cpp): for programs that only
/// ask whether a domain signs.
Result<std::vector<std::string>> domain_selectors(const qmail::ControlDir& control, std::string_view domain,
                                                  const std::vector<std::string>& selectors);

/// The keys to sign `domain` with: CONTROL/domainkeys/DOMAIN/SELECTOR for each
/// selector in `selectors`, or else in the file domainkeys/DOMAIN/selector
/// (default: "default"). An empty list when the domain has no key directory
/// (the message then goes out unsigned). Errors name the file: unreadable,
/// malformed or world-readable key, listed selector without key.
Result<std::vector<SigningKey>> load_domain_keys(const qmail::ControlDir& control, std::string_view domain,
                                                 const std::vector<std::string>& selectors);

/// What the signing domain turned out to be.
struct SigningDomain {
    std::string domain;   ///< empty when there is none to sign for
    std::string warning;  ///< why not, when the message must go out unsigned
};

/// The domain to sign for: that of RFC5322.From, else Sender, else
/// `envelope_sender` (RFC 6376 §5.1 leaves the choice to the signer; the From
/// domain is what DMARC aligns with), the first of each. choose_keys()
/// (dkim/sign_policy.hpp) has already refused a message with several From
/// fields.
SigningDomain signing_domain(const mail::Header& header, std::string_view envelope_sender);

}  // namespace qauth::dkim
