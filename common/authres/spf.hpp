// The Authentication-Results entry for an SPF result (RFC 8601 §2.7.2).
#pragma once

#include <string_view>

#include "authres/authres.hpp"
#include "spf/eval.hpp"

namespace qauth::authres {

/// "spf=RESULT reason=... smtp.mailfrom=DOMAIN" for the MAIL FROM identity,
/// or "... smtp.helo=NAME" for HELO (`helo_identity`). `value` is the
/// domain checked: the domain part of the MAIL FROM (a domain, not the
/// address, as DMARC checkers such as OpenDMARC read it) or the HELO name.
MethodResult spf_entry(const spf::CheckResult& check, bool helo_identity, std::string_view value);

}  // namespace qauth::authres
