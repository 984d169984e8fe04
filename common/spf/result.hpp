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

/// Rank of a result for the panel's guess rules (issue 7), higher is more
/// permissive: pass 5 > neutral 4 > none 3 > softfail 2 > fail 1. Both
/// errors rank 0, below every verdict: a failed lookup says nothing about
/// the sender, so it must never be taken over a verdict that was reached.
int permissiveness(SpfResult r);

/// The more permissive of `a` (the policy's result) and `b` (the guess
/// rules' result) by permissiveness(): an error never wins over a
/// non-error, so a guess check that fails with temperror or permerror leaves
/// the policy's verdict as it is. On equal rank (including two errors) `a`
/// is returned, so the policy's own error is kept.
SpfResult more_permissive(SpfResult a, SpfResult b);

}  // namespace qauth::spf
