// The Received-SPF header field (RFC 7208 §9.1): the result, a comment
// saying it in words, and the key-value pairs a later reader (a DMARC
// checker, a spam filter) can parse.
#pragma once

#include <string>
#include <string_view>

#include "spf/eval.hpp"

namespace qauth::spf {

/// What one Received-SPF field reports.
struct ReceivedSpf {
    const CheckResult& check;  ///< the result, its mechanism and reason
    std::string_view identity; ///< "mailfrom" or "helo" (§9.1 identity=)
    std::string_view sender;   ///< the checked <sender> ("a@example.com", "postmaster@helo")
    std::string_view envelope_from;  ///< MAIL FROM as received, "" for <>
    std::string_view helo;           ///< the HELO/EHLO argument, "" when unknown
    std::string_view client_ip;      ///< as text
    std::string_view receiver;       ///< our host name (control/me)
    bool guess = false;              ///< the guess rules decided it
};

/// The whole field, folded at 78 columns, lines ended with `eol`:
///   Received-SPF: pass (host.example: domain of a@example.com designates
///   	192.0.2.1 as permitted sender) client-ip=192.0.2.1;
///   	envelope-from="a@example.com"; helo=mail.example.com;
///   	receiver=host.example; identity=mailfrom; mechanism="ip4:192.0.2.0/24";
/// The comment's wording follows libspf2 and pyspf for each result; errors
/// add problem="reason" (§9.1). Every value from the message or DNS goes
/// through printable() and is quoted unless it is a dot-atom, and comment
/// text has '(' ')' '\' escaped, so nothing raw reaches the header.
std::string received_spf(const ReceivedSpf& r, std::string_view eol);

}  // namespace qauth::spf
