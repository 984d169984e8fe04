// dkimkeygen's logic: making a DKIM signing key where qmail-dkimsign looks
// for it (DESIGN §5: CONTROL/domainkeys/DOMAIN/SELECTOR, active selectors in
// CONTROL/domainkeys/DOMAIN/selector) and the DNS records that publish it
// (RFC 6376 §3.6.1, RFC 8463 §4).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/keys.hpp"
#include "util/result.hpp"

namespace qauth::dkim {

/// `name` lower-cased, without one trailing dot, when it is a host name
/// under dns::NameRules::Host (dns/domain.hpp): labels of 1..63 letters,
/// digits and inner hyphens (RFC 1035 §2.3.1; IDNs in their xn-- form), 253
/// octets at most. Anything else is refused with "bad domain ...", which also
/// keeps the name safe as a path component.
Result<std::string> keygen_domain(std::string_view name);

/// `name` when it is a selector (RFC 6376 §3.1: sub-domain *("." sub-domain),
/// RFC 5321 §4.1.2 sub-domain): dns::NameRules::Host without a trailing dot.
/// Case is kept (it names the key file).
/// "selector" is refused: that file in the domain's directory is the list of
/// active selectors.
Result<std::string> keygen_selector(std::string_view name);

/// The key record text, "v=DKIM1; k=rsa; p=BASE64" (RFC 6376 §3.6.1; k=ed25519
/// with the raw 32-byte key for Ed25519, RFC 8463 §4).
std::string key_record_text(const crypto::PrivateKey& key);

/// Zone-file TXT data for `text` (base64 and tag syntax only: no quotes or
/// backslashes): quoted character-strings of at most 255 octets (RFC 1035
/// §3.3.14, §5.1), inside parentheses, one string per line.
std::string zone_txt(std::string_view text);

/// The key record line: SELECTOR._domainkey.DOMAIN. IN TXT with
/// `record_text` as zone_txt() writes it, ending in a newline.
std::string zone_key_record(std::string_view selector, std::string_view domain, std::string_view record_text);

/// The DomainKeys policy record line _domainkey.DOMAIN. IN TXT "o=-" (RFC
/// 4870 §3.6.2: all mail from the domain is signed), ending in a newline.
std::string zone_policy_record(std::string_view domain);

/// The two records for `domain`: zone_key_record(), then zone_policy_record().
std::string zone_records(std::string_view selector, std::string_view domain, std::string_view record_text);

/// Writes `pem` as the key file `path`, mode 0600, with
/// io::write_file_atomically: a temporary file in the same directory, synced
/// and then renamed (`replace`) or linked
/// (otherwise, so that an existing key is never overwritten): a crash leaves
/// the old key or the new one, never part of one. A replaced key passes on
/// its owner and group (when we may set them) and, if it was group-readable,
/// mode 0640: whoever runs the signer keeps access; everyone else has none.
/// A new key in a directory that is not root's (handed to the signer's user,
/// INSTALL) takes that directory's owner and group, and mode 0640 when the
/// directory is group-readable; new directories under it do the same.
Result<void> install_key_file(const std::string& path, std::string_view pem, bool replace);

/// Adds `selector` to the active selector file `domain_dir`/selector (one
/// per line, comments kept), creating it when missing; replaced atomically
/// (io::write_file_atomically) under an exclusive lock on `domain_dir`
/// (io::DirLock), so that parallel runs for one domain lose no entry. The
/// file is read with io::read_file: bounded, and a FIFO does not block.
/// While the file is missing or lists nothing the signer uses "default", so
/// if a "default" key exists it is listed too, to stay active. Returns false
/// when the selector was already listed (nothing written).
Result<bool> activate_selector(const std::string& domain_dir, std::string_view selector);

/// What dkimkeygen was asked to do.
struct KeygenRequest {
    crypto::KeyType type = crypto::KeyType::Rsa;
    std::size_t bits = 2048;           ///< RSA only
    std::string domain;                ///< checked by keygen_domain
    std::string selector = "default";  ///< checked by keygen_selector
    std::vector<std::string> aliases;  ///< more domains published with the same key
    std::string control_dir;           ///< the control directory, which must exist
    bool replace = false;              ///< --force: replace an existing key
    bool print_only = false;           ///< --print: the records of the existing key
};

struct KeygenOutcome {
    std::string key_file;  ///< where the key is
    std::string records;   ///< zone-file text: a ';' comment naming the key file, then the records
};

/// Writes the records somewhere (standard output, for the program).
using Publish = std::function<Result<void>(const std::string& records)>;

/// Makes the key (unless print_only), formats the records for the domain and
/// each alias and hands them to `publish`; only when that succeeds is the key
/// installed and its selector activated, so a failed publish changes nothing.
/// Errors name the file or the bad argument.
Result<KeygenOutcome> run_keygen(const KeygenRequest& request, const Publish& publish);

}  // namespace qauth::dkim
