// SPF's result vocabulary (RFC 7208 §2.6): the seven results, their words in
// Received-SPF and Authentication-Results, the qualifier that yields each
// match result, and the order of permissiveness the guess rules compare by.
#pragma once

#include <string_view>

namespace qauth::spf {

/// The results of check_host() (RFC 7208 §2.6).
enum class SpfResult { None, Neutral, Pass, Fail, Softfail, Temperror, Permerror };

/// The result word, one table for Received-SPF (RFC 7208 §9.1) and the
/// Authentication-Results spf= method (RFC 8601 §2.7.2): "none", "neutral",
/// "pass", "fail", "softfail", "temperror", "permerror".
std::string_view result_name(SpfResult r);

/// A directive's qualifier (RFC 7208 §4.6.2), as the character written.
enum class Qualifier : char { Pass = '+', Fail = '-', Softfail = '~', Neutral = '?' };

/// The result of a matching directive with this qualifier (RFC 7208 §4.6.2):
/// + pass, - fail, ~ softfail, ? neutral.
SpfResult qualifier_result(Qualifier q);

/// Rank of a verdict for the panel's guess rules (issue 7), higher is more
/// permissive: pass 5 > neutral 4 > none 3 > softfail 2 > fail 1; both
/// errors 0 (more_permissive() treats them apart).
int permissiveness(SpfResult r);

/// The more permissive of `a` (the policy's result) and `b` (the guess
/// rules' result), for the panel's algorithm:
/// - two verdicts: the higher permissiveness(); on equal rank `a`;
/// - `b` an error: `a`. A failed guess lookup says nothing about the sender;
/// - `a` an error, `b` a verdict: `b` when it is pass, neutral or none,
///   which no mode refuses more often than the error, else `a`. A guess
///   fail or softfail never turns the policy's temperror (try later) or
///   permerror (accepted up to mode 5) into a refusal.
SpfResult more_permissive(SpfResult a, SpfResult b);

}  // namespace qauth::spf
