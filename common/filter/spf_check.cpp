#include "filter/spf_check.hpp"

#include <charconv>

#include "authres/authres.hpp"
#include "authres/spf.hpp"
#include "filter/checker.hpp"
#include "spf/macro.hpp"
#include "spf/received.hpp"
#include "util/strings.hpp"

namespace qauth::filter {

namespace {

/// One identity checked (RFC 7208 §2.3, §2.4).
struct Identity {
    bool helo = false;   ///< the HELO identity, else MAIL FROM
    std::string domain;  ///< <domain> of check_host()
    std::string sender;  ///< <sender> of check_host()
    spf::Outcome outcome;
};

class SpfCheckStage : public Stage {
public:
    SpfCheckStage(const SpfCheckConfig& config, int mode, spf::Rules rules, std::string explanation, std::string id,
                  std::unique_ptr<dns::Resolver> resolver)
        : config_(config), mode_(mode), rules_(std::move(rules)), explanation_(std::move(explanation)),
          authserv_id_(std::move(id)), resolver_(std::move(resolver)) {}

    Result<std::optional<Verdict>> begin(mail::Header& header) override {
        const qmail::Envelope env = qmail::resolve_envelope(config_.envelope, header, config_.env);
        if (env.authenticated()) {
            trace("relay client or authenticated sender: not checked");
            return pass_unchanged();
        }
        if (env.client_ip.empty()) {  // not from SMTP: nothing to check
            trace("no client IP (not received by SMTP): not checked");
            return pass_unchanged();
        }
        trace("envelope: client-ip " + printable(env.client_ip) + ", sender <" + printable(env.sender) +
              ">, helo " + quoted_string(env.helo) + ", mode " + std::to_string(mode_));
        auto ip = dns::IpAddress::parse(env.client_ip);
        if (!ip)
            return fail("client IP " + quoted_string(env.client_ip) + " from " +
                        (!config_.envelope.ip.empty() ? "--ip" : config_.env("TCPREMOTEIP") ? "$TCPREMOTEIP"
                                                                                            : "the Received: line") +
                        " is not an IP address");
        authres::remove_forged(header, authserv_id_);

        spf::CheckContext context{env.helo, authserv_id_, config_.now, config_.trace, {}, {}};
        std::vector<Identity> checked;
        // §2.3: a HELO check first (--helo-check), then MAIL FROM; with the
        // null sender the HELO identity is the only one (§2.4).
        if (config_.helo_check || env.sender.empty()) checked.push_back(check_helo(*ip, env.helo, context));
        if (!env.sender.empty()) checked.push_back(check_mailfrom(*ip, env.sender, context));

        Verdict v;
        std::optional<Verdict> deferred;
        std::vector<authres::MethodResult> entries;
        const std::string eol(mail::eol(header.line_end));
        for (const Identity& i : checked) {
            const spf::CheckResult& r = i.outcome.check;
            switch (spf::decide(mode_, r.result)) {
            case spf::Action::Refuse: return refuse(refusal(i, *ip, context));
            case spf::Action::Defer:
                if (!deferred)
                    deferred = Verdict{qmail::FilterStatus::Temporary,
                                       "SPF temperror for " + quoted_string(i.domain) + ": " + r.reason +
                                           "; try again later",
                                       {},
                                       {}};
                break;
            case spf::Action::Accept: break;
            }
            v.prepend.push_back(spf::received_spf({r, i.helo ? "helo" : "mailfrom", i.sender, env.sender, env.helo,
                                                   env.client_ip, authserv_id_, i.outcome.from_guess},
                                                  eol));
            entries.push_back(authres::spf_entry(r, i.helo, i.domain));
        }
        if (deferred) return *deferred;
        v.prepend.push_back(authres::format(authserv_id_, entries, eol));
        return v;
    }

    void body(std::string_view) override {}
    Result<Verdict> finish(const mail::Header&) override { return pass_unchanged(); }  // begin() decides

private:
    void trace(std::string_view line) const {
        if (config_.trace) config_.trace(line);
    }

    Identity check_helo(const dns::IpAddress& ip, const std::string& helo, const spf::CheckContext& context) {
        Identity i{true, helo, "postmaster@" + helo, {}};
        // §2.3: the HELO identity has no local rules and no --record (they
        // are the MAIL FROM domain's); a missing name is none (§4.3).
        i.outcome = spf::evaluate(*resolver_, ip, i.domain, i.sender, context, {{}, rules_.guess, rules_.guess_mode},
                                  std::nullopt);
        return i;
    }

    Identity check_mailfrom(const dns::IpAddress& ip, const std::string& sender, const spf::CheckContext& context) {
        const auto at = sender.rfind('@');
        Identity i{false, at == std::string::npos ? sender : sender.substr(at + 1), sender, {}};
        i.outcome = spf::evaluate(*resolver_, ip, i.domain, i.sender, context, rules_, config_.record);
        return i;
    }

    /// "5.7.1 SPF fail: <explanation>" (RFC 7208 §8.4), one line; the
    /// record's exp= when it gave one, else ours expanded. Other refused
    /// results say why before it.
    std::string refusal(const Identity& i, const dns::IpAddress& ip, const spf::CheckContext& context) {
        const spf::CheckResult& r = i.outcome.check;
        std::string text = "5.7.1 SPF " + std::string(spf::result_name(r.result));
        if (i.helo) text += i.domain.empty() ? " for an empty HELO" : " for HELO " + printable(i.domain, 100);
        text += ": ";
        if (r.result != spf::SpfResult::Fail) text += printable(r.reason) + "; ";
        return text + (r.explanation.empty()
                           ? spf::expand_explanation(*resolver_, ip, i.domain, i.sender, context, explanation_)
                           : r.explanation);
    }

    const SpfCheckConfig& config_;
    int mode_;
    spf::Rules rules_;
    std::string explanation_;
    std::string authserv_id_;
    std::unique_ptr<dns::Resolver> resolver_;
};

/// A setting from the option, else the control file's lines joined by a
/// space (a long rule list may be written over several lines), else "".
Result<std::string> setting(const std::optional<std::string>& option, const qmail::ControlDir& control,
                            std::string_view file) {
    if (option) return *option;
    auto lines = control.lines(file);
    if (!lines) return std::unexpected(lines.error());
    std::string joined;
    for (const auto& l : lines->value_or(std::vector<std::string>{})) joined += (joined.empty() ? "" : " ") + l;
    return joined;
}

/// setting() passed through `check` (a parser taking the text and giving a
/// Result), whose error is prefixed with the option or the file it came from.
template <typename Check>
auto checked_setting(const std::optional<std::string>& option, const qmail::ControlDir& control,
                     std::string_view file, std::string_view option_name, Check check)
    -> decltype(check(std::string_view())) {
    auto text = setting(option, control, file);
    if (!text) return std::unexpected(text.error());
    auto checked = check(*text);
    if (!checked)
        return fail((option ? std::string(option_name) : control.path(file)) + ": " + checked.error().reason);
    return checked;
}

/// The mode: --mode, else $SPFBEHAVIOR, else control/spfbehavior, else 1.
Result<int> check_mode(const SpfCheckConfig& config, const qmail::ControlDir& control) {
    auto in_range = [](long m) { return m >= spf::kMinMode && m <= spf::kMaxMode; };
    const std::string range = " must be a number from 0 to 6";
    if (config.mode) {
        if (!in_range(*config.mode)) return fail("--mode" + range);
        return *config.mode;
    }
    if (const char* env = config.env("SPFBEHAVIOR"); env && *env) {
        const std::string_view text(env);
        int m = -1;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), m);
        if (ec != std::errc() || end != text.data() + text.size() || !in_range(m))
            return fail("SPFBEHAVIOR=" + quoted_string(text) + ":" + range);
        return m;
    }
    auto m = control.number("spfbehavior", 1);
    if (!m) return std::unexpected(m.error());
    if (!in_range(*m)) return fail(control.path("spfbehavior") + ":" + range);
    return static_cast<int>(*m);
}

}  // namespace

Result<std::unique_ptr<Stage>> make_spf_check(const SpfCheckConfig& config) {
    auto control = qmail::open_control_dir(config.control_dir);
    if (!control) return std::unexpected(control.error());
    auto mode = check_mode(config, *control);
    if (!mode) return std::unexpected(mode.error());
    if (*mode == 0) return std::unique_ptr<Stage>(std::make_unique<PassStage>());

    spf::Rules rules;
    rules.guess_mode = config.guess_mode;
    auto local = checked_setting(config.local, *control, "spfrules", "--local", spf::parse_local_rules);
    if (!local) return std::unexpected(local.error());
    rules.local = std::move(*local);
    auto guess = checked_setting(config.guess, *control, "spfguess", "--guess", spf::parse_guess_rules);
    if (!guess) return std::unexpected(guess.error());
    rules.guess = std::move(*guess);
    if (config.record)
        if (auto r = spf::parse_record(*config.record); !r) return fail("--record: " + r.error().reason);
    auto explanation = checked_setting(config.explanation, *control, "spfexp", "--explanation",
                                       [](std::string_view text) -> Result<std::string> {
                                           if (text.empty()) text = kDefaultExplanation;
                                           auto ok = spf::check_macro_string(text, spf::MacroUse::Explanation);
                                           if (!ok) return std::unexpected(ok.error());
                                           return std::string(text);
                                       });
    if (!explanation) return std::unexpected(explanation.error());

    auto checker = open_checker(config.authserv_id, *control, config.dns);
    if (!checker) return std::unexpected(checker.error());
    return std::unique_ptr<Stage>(std::make_unique<SpfCheckStage>(config, *mode, std::move(rules),
                                                                   std::move(*explanation),
                                                                   std::move(checker->authserv_id),
                                                                   std::move(checker->resolver)));
}

}  // namespace qauth::filter
