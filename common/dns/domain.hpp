// Validated domain names: the one type behind DKIM d=/s=/i=, address
// domains, dkimkeygen's names and DNS query names, and DMARC alignment next.
// The organizational domain (RFC 7489 §3.2, public suffix list through
// libpsl) lives beside it, in dns/org_domain.hpp.
#pragma once

#include <string>
#include <string_view>

#include "util/result.hpp"

namespace qauth::dns {

/// Which labels a name may have. Common to all: ASCII letters are
/// lower-cased (RFC 4343 §3), one trailing dot (the absolute form) is
/// removed, labels are 1..63 octets and the name at most 253 octets without
/// that dot, i.e. 255 in wire form (RFC 1035 §2.3.4). The text is taken
/// byte for byte: no "\." or "\DDD" escapes.
enum class NameRules {
    /// Host names (RFC 1123 §2.1, RFC 5321 §4.1.2 sub-domain): letters,
    /// digits and hyphens, a letter or digit at both ends of each label.
    /// What dkimkeygen accepts for domains and selectors: such a name is also
    /// safe as one path component. IDNs in their A-label (xn--) form.
    Host,
    /// Names in mail authentication: Host labels, and '_' anywhere in a label
    /// (RFC 2181 §11; underscored names such as _domainkey and _dmarc, RFC
    /// 8552, and selectors that real senders use). DKIM d= and s= (RFC 6376
    /// §3.5: selectors are sub-domains too), address domains, DMARC domains.
    /// Also safe as a path component.
    Mail,
    /// DNS query names (RFC 2181 §11): any byte but '.' in a label, and the
    /// root ("." or, after the dot is removed, "") is a name too.
    Query,
};

/// A domain name that passed NameRules: lower-case, without trailing dot.
class Domain {
public:
    /// Checks and normalises `text`. Errors cite the rule that failed
    /// ("RFC 1035 2.3.4: label longer than 63 octets").
    static Result<Domain> parse(std::string_view text, NameRules rules);

    /// The name: lower-case, no trailing dot, "" for the root.
    const std::string& str() const { return name_; }

    /// True when this name equals `parent` or is a subdomain of it, label by
    /// label ("a.example.com" is within "example.com", "badexample.com" is
    /// not; every name is within the root). DKIM i= inside d= (RFC 6376
    /// §3.5), relaxed DMARC alignment (RFC 7489 §3.1).
    bool within(const Domain& parent) const;

    friend bool operator==(const Domain&, const Domain&) = default;

private:
    explicit Domain(std::string name) : name_(std::move(name)) {}
    std::string name_;
};

}  // namespace qauth::dns
