// spfcheck: check the SMTP client against the sender's SPF policy (RFC
// 7208), prepend Received-SPF and Authentication-Results, and accept or
// refuse by the check mode. Options and wiring only; the work is in
// common/filter/spf_check and common/spf (DESIGN §9).
#include <map>
#include <optional>
#include <string>

#include "cli/cli.hpp"
#include "dns/cli.hpp"
#include "filter/spf_check.hpp"
#include "util/diag.hpp"

using namespace qauth;

namespace {
constexpr const char* kProg = "spfcheck";
}  // namespace

int main(int argc, char** argv) {
    cli::start(kProg);
    CLI::App app{"Check the SMTP client against the sender's SPF policy and prepend Received-SPF (RFC 7208).", kProg};
    filter::SpfCheckConfig c;
    std::optional<std::uint64_t> now;
    bool trace = false;
    cli::add_control_dir(app, c.control_dir);
    cli::add_optional(app, "--authserv-id", c.authserv_id, "authserv-id and receiver (default: control/me)");
    cli::add_dns(app, c.dns);
    cli::add_now(app, now);
    cli::add_envelope(app, c.envelope);
    app.add_option("--mode", c.mode, "check mode 0-6 (default $SPFBEHAVIOR, control/spfbehavior, 1)")
        ->check(CLI::Range(spf::kMinMode, spf::kMaxMode));
    cli::add_optional(app, "--local", c.local, "local rules: SPF terms tried before the record's final all");
    cli::add_optional(app, "--guess", c.guess, "guess rules, e.g. 'v=spf1 a/24 mx/24 ptr ?all'");
    app.add_option("--guess-mode", c.guess_mode, "more-permissive (default) or fallback (only without a record)")
        ->transform(CLI::CheckedTransformer(std::map<std::string, spf::GuessMode>{
            {"more-permissive", spf::GuessMode::MorePermissive}, {"fallback", spf::GuessMode::Fallback}}))
        ->option_text("more-permissive|fallback");
    cli::add_optional(app, "--explanation", c.explanation, "refusal text, macros allowed (default control/spfexp)");
    cli::add_optional(app, "--record", c.record, "evaluate this record for the sender's domain instead of DNS");
    app.add_flag("--helo-check", c.helo_check, "check the HELO identity as well");
    app.add_flag("--trace", trace, "explain each term, DNS query and limit on stderr");
    app.add_flag("--check", c.check, "write nothing; answer by exit status only");
    cli::parse(app, argc, argv);
    c.now = static_cast<std::int64_t>(cli::now_or_clock(now));
    if (trace) c.trace = [](std::string_view line) { diag(kProg, "trace", line); };

    auto stage = filter::make_spf_check(c);
    if (!stage) cli::fatal(kProg, stage.error());
    return filter::run(kProg, **stage, {c.check});
}
