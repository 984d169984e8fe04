// The hosting panel's rules around check_host() (issue 7): local rules,
// guess rules, and the check modes that turn a result into accept, refuse
// or try later. check_host() itself is spf/eval.hpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dns/resolver.hpp"
#include "spf/eval.hpp"
#include "spf/record.hpp"
#include "util/result.hpp"

namespace qauth::spf {

/// Local rules (control/spfrules, --local): SPF directives, "v=spf1" in
/// front optional, no modifiers (a redirect= or exp= of our own would
/// change whose policy is evaluated). An error (naming the rule) for a
/// syntax error or a modifier; an empty text is no rules.
Result<std::vector<Directive>> parse_local_rules(std::string_view text);

/// Guess rules (control/spfguess, --guess): a whole record, "v=spf1" in
/// front optional ("v=spf1 +a/24 +mx/24 +ptr ?all"), returned as the record
/// text to evaluate; an error for a syntax error.
Result<std::string> parse_guess_rules(std::string_view text);

/// When the guess rules are evaluated.
enum class GuessMode {
    /// The panel's algorithm: always, and the more permissive of the
    /// policy's and the guess rules' results is taken (more_permissive()).
    MorePermissive,
    /// Only when the domain has no SPF record (result none), as the classic
    /// qmail SPF patch does; a guess result less permissive than none
    /// (softfail, fail) or an error keeps none.
    Fallback,
};

/// How one identity is checked.
struct Rules {
    std::vector<Directive> local;  ///< parse_local_rules(); empty: none
    std::string guess;             ///< parse_guess_rules(); empty: none
    GuessMode guess_mode = GuessMode::MorePermissive;
};

/// What evaluate() decided.
struct Outcome {
    CheckResult check;        ///< the result taken, with its reason and explanation
    bool from_guess = false;  ///< the guess rules decided it
};

/// Checks one identity: check_host() of `domain` with the local rules at
/// the top level (1), then, per `rules.guess_mode` and unless (1) gave pass,
/// the guess rules alone as a record for `domain` with their own §4.6.4
/// budget (2), and takes the more permissive result (3), saying which in
/// the trace ("taken: ..."). When the guess rules decide, the reason
/// starts "guess rules: " and the explanation is theirs (empty unless they
/// carry exp=). `context` as for check_host(); its record and local_rules
/// are set from `record` (--record) and `rules`.
Outcome evaluate(dns::Resolver& dns, const dns::IpAddress& ip, std::string_view domain, std::string_view sender,
                 CheckContext context, const Rules& rules, const std::optional<std::string>& record);

/// The check modes (control/spfbehavior, $SPFBEHAVIOR, --mode).
constexpr int kMinMode = 0, kMaxMode = 6;

/// What a mode does with a result.
enum class Action {
    Accept,  ///< write the message (with our fields from mode 1 on)
    Refuse,  ///< 5.7.1: refuse permanently
    Defer,   ///< try later (exit 111)
};

/// The panel's modes: 0 off and 1 headers only accept everything; 2 also
/// defers temperror; 3 also refuses fail; 4 also softfail; 5 also neutral;
/// 6 refuses everything that is not pass (none and permerror too), but
/// still defers temperror: DNS trouble is never a permanent refusal.
Action decide(int mode, SpfResult result);

}  // namespace qauth::spf
