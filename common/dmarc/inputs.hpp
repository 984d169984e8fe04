// What DMARC evaluates (RFC 7489 §4.2, RFC 9989): the SPF and DKIM results
// of this pass, as our own filters wrote them in the leading block of
// Authentication-Results fields (authres/parse.hpp, DESIGN §7).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "authres/authres.hpp"

namespace qauth::dmarc {

/// An authenticated identifier and its result word ("pass", "fail", ...,
/// lower case, as RFC 8601 registers them for the method).
struct Identifier {
    std::string domain;  ///< lower case, no trailing dot
    std::string result;
};

/// The SPF and DKIM results DMARC can align (RFC 7489 §3.1).
struct AuthResults {
    /// spf= entries: the smtp.mailfrom domains (given as a domain or as a
    /// whole address: both are read, unlike OpenDMARC, which drops the
    /// address form); the smtp.helo ones only when there is none of those
    /// (RFC 7489 §4.2: the HELO identity stands in when MAIL FROM is null).
    std::vector<Identifier> spf;
    /// dkim= entries: header.d (RFC 7489 §3.1.1).
    std::vector<Identifier> dkim;
    bool has_spf = false, has_dkim = false;  ///< an entry of the method was there at all
};

/// The SPF and DKIM results among `results` (own_results()), top to bottom.
/// Entries without a usable domain still count for has_spf/has_dkim (the
/// filter ran) but give no identifier; other methods are ignored.
AuthResults auth_results(const std::vector<authres::MethodResult>& results);

}  // namespace qauth::dmarc
