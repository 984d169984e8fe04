// Authentication-Results entries for DKIM results (RFC 8601 §2.7.1).
#pragma once

#include <vector>

#include "authres/authres.hpp"
#include "dkim/result.hpp"

namespace qauth::authres {

/// One "dkim=..." resinfo per result, top to bottom, with reason (and a note
/// when the key is in test mode, RFC 6376 §3.6.1 t=y), header.d, header.i,
/// header.s, header.a and header.b; one dkim=none when `results` is empty.
std::vector<MethodResult> dkim_entries(const std::vector<dkim::SignatureResult>& results);

}  // namespace qauth::authres
