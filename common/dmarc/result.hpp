// DMARC's result vocabulary: the dmarc= results of Authentication-Results
// (RFC 8601 §2.7.1, RFC 7489 §11.2), the policies a Domain Owner can ask
// for (p=, sp=, np=: RFC 7489 §6.3, RFC 9989 §4.7) and the two identifier
// alignment modes (RFC 7489 §3.1, RFC 9989 §4.4). Each enum is turned into
// text here and nowhere else.
#pragma once

#include <string_view>

namespace qauth::dmarc {

/// The result of DMARC evaluation of one RFC5322.From domain.
enum class DmarcResult { None, Pass, Fail, Temperror, Permerror };

/// The result word of the Authentication-Results dmarc= method (RFC 8601
/// §2.7.1): "none", "pass", "fail", "temperror", "permerror".
std::string_view result_name(DmarcResult r);

/// The Domain Owner's requested handling of mail that fails DMARC (the
/// values of p=, sp= and np=, RFC 7489 §6.3; np= from RFC 9091 §4, kept by
/// RFC 9989).
enum class Policy { None, Quarantine, Reject };

/// The policy as the record writes it, lower case: "none", "quarantine",
/// "reject" (also the policy.dmarc= value and the "(p=... dis=...)" comment).
std::string_view policy_name(Policy p);

/// Identifier alignment (adkim=, aspf=): relaxed means the same
/// organizational domain, strict the same domain (RFC 7489 §3.1.1,
/// §3.1.2; unchanged in RFC 9989). Relaxed is the default.
enum class Alignment { Relaxed, Strict };

/// "relaxed" or "strict" (for --trace); the record writes "r" and "s".
std::string_view alignment_name(Alignment a);

}  // namespace qauth::dmarc
