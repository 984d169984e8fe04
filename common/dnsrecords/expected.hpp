// What a domain should publish (qauth-dnsrecords): the template's records
// (dnsrecords/template.hpp), the DMARC record for outgoing policy, and the
// DKIM key records of every key under control/domainkeys/DOMAIN/, in RFC
// 1035 master-file syntax.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/keys.hpp"
#include "qmail/control.hpp"
#include "util/result.hpp"

namespace qauth::dnsrecords {

/// The DMARC record published when the template gives none for
/// _dmarc.DOMAIN: monitoring only (RFC 9989 §4.7: p=none asks receivers for
/// no action; the hosting panel's default for outgoing policy).
inline constexpr std::string_view kDefaultDmarc = "v=DMARC1; p=none";

enum class RecordKind {
    Txt,         ///< a template record that is neither SPF nor DMARC
    Spf,         ///< v=spf1 (RFC 7208 §4.5)
    Dmarc,       ///< v=DMARC1 at _dmarc.DOMAIN (RFC 9989 §4.7)
    DkimKey,     ///< SELECTOR._domainkey.DOMAIN (RFC 6376 §3.6.1)
    DkimPolicy,  ///< _domainkey.DOMAIN "o=-" (RFC 4870 §3.6.2, historic; printed, not checked)
};

/// One record we would publish.
struct ExpectedRecord {
    RecordKind kind = RecordKind::Txt;
    std::string domain;  ///< the domain (or alias) it is published for
    std::string name;    ///< owner name, lower-case, no trailing dot
    std::string text;    ///< the TXT text, strings joined
    /// DkimKey only: the selector, the key file, the private key, and
    /// whether the selector is active (listed in domainkeys/DOMAIN/selector,
    /// default "default"): the signer signs with it.
    std::string selector;
    std::string key_file;
    std::shared_ptr<const crypto::PrivateKey> key;
    bool active = false;
};

/// What to print for.
struct Request {
    std::string domain;                ///< as given: checked by dkim::keygen_domain
    std::vector<std::string> aliases;  ///< the same, each
    std::optional<std::string> ip;     ///< for <ip>: checked as an IP address
};

/// The records for the domain and each alias, in that order (an alias given
/// twice, or equal to the domain, once). Per domain: the template's records
/// (read_template, expand_template), then kDefaultDmarc at _dmarc.DOMAIN
/// unless the template has a v=DMARC1 record there, then per key (sorted by
/// selector) its key record, then one DkimPolicy record when it has keys.
///
/// The keys of a domain are the files of control/domainkeys/DOMAIN/ whose
/// names are selectors (dns::NameRules::Mail, not "selector"; dot files and
/// editor backups are skipped): all of them, the inactive ones too, since a
/// key must be published before it signs. An alias without a key directory
/// of its own is published with the domain's keys (as dkimkeygen --alias
/// prints them). Errors (configuration trouble, exit 111): a bad domain,
/// alias or --ip, a template error, a key file that does not load (named), a
/// selector listed as active without a key file, a name too long for DNS.
Result<std::vector<ExpectedRecord>> expected_records(const qmail::ControlDir& control, const Request& request);

/// Zone-file TXT data for `text`: one quoted character-string when it fits
/// in 255 octets, else "( ... )" with one string per line as dkim::zone_txt
/// writes key records (RFC 1035 §3.3.14, §5.1). '"' and '\' are escaped,
/// bytes outside printable ASCII written as \DDD.
std::string txt_data(std::string_view text);

/// The records in master-file syntax, "NAME. IN TXT DATA" per record, with a
/// ';' comment line before each domain's records and before each DKIM key
/// (type, size, selector, key file, active or not).
std::string zone_text(const std::vector<ExpectedRecord>& records);

}  // namespace qauth::dnsrecords
