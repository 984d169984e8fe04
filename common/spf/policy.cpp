#include "spf/policy.hpp"

#include "util/strings.hpp"

namespace qauth::spf {

namespace {

/// `text` with "v=spf1 " in front unless it is there already.
std::string as_record(std::string_view text) {
    text = trim_fws(text);
    return is_spf_record(text) ? std::string(text) : "v=spf1 " + std::string(text);
}

}  // namespace

Result<std::vector<Directive>> parse_local_rules(std::string_view text) {
    std::vector<Directive> rules;
    if (trim_fws(text).empty()) return rules;
    auto record = parse_record(as_record(text));
    if (!record) return fail("local rules: " + record.error().reason);
    for (Term& term : record->terms) {
        if (auto* d = std::get_if<Directive>(&term)) {
            rules.push_back(std::move(*d));
            continue;
        }
        return fail("local rules: modifier \"" + std::get<Modifier>(term).name + "=\" not allowed, only directives");
    }
    return rules;
}

Result<std::string> parse_guess_rules(std::string_view text) {
    if (trim_fws(text).empty()) return std::string();
    std::string record = as_record(text);
    if (auto parsed = parse_record(record); !parsed) return fail("guess rules: " + parsed.error().reason);
    return record;
}

Outcome evaluate(dns::Resolver& dns, const dns::IpAddress& ip, std::string_view domain, std::string_view sender,
                 CheckContext context, const Rules& rules, const std::optional<std::string>& record) {
    context.record = record;
    context.local_rules = rules.local;
    Outcome policy{check_host(dns, ip, domain, sender, context), false};
    // Nothing is more permissive than pass: its guess queries would be wasted.
    if (rules.guess.empty() || policy.check.result == SpfResult::Pass) return policy;
    if (rules.guess_mode == GuessMode::Fallback && policy.check.result != SpfResult::None) return policy;
    context.record = rules.guess;
    context.local_rules.clear();
    if (context.trace) context.trace("guess rules: " + rules.guess);
    CheckResult guess = check_host(dns, ip, domain, sender, context);
    // In both modes an error of the guess check never makes the result worse.
    const bool keep = more_permissive(policy.check.result, guess.result) == policy.check.result;
    if (context.trace)
        context.trace(std::string("taken: ") + (keep ? "the policy's " : "the guess rules' ") +
                      std::string(result_name(keep ? policy.check.result : guess.result)));
    if (keep) return policy;
    guess.reason = "guess rules: " + guess.reason;
    return Outcome{std::move(guess), true};
}

Action decide(int mode, SpfResult result) {
    if (mode <= 1 || result == SpfResult::Pass) return Action::Accept;
    if (result == SpfResult::Temperror) return Action::Defer;
    switch (result) {
    case SpfResult::Fail: return mode >= 3 ? Action::Refuse : Action::Accept;
    case SpfResult::Softfail: return mode >= 4 ? Action::Refuse : Action::Accept;
    case SpfResult::Neutral: return mode >= 5 ? Action::Refuse : Action::Accept;
    default: return mode >= 6 ? Action::Refuse : Action::Accept;  // none, permerror
    }
}

}  // namespace qauth::spf
