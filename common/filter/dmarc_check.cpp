#include "filter/dmarc_check.hpp"

#include <random>

#include "authres/dkim.hpp"
#include "authres/parse.hpp"
#include "authres/spf.hpp"
#include "crypto/openssl_init.hpp"
#include "dmarc/evaluate.hpp"
#include "dmarc/inputs.hpp"
#include "filter/checker.hpp"
#include "mail/address.hpp"
#include "spf/policy.hpp"
#include "util/strings.hpp"

namespace qauth::filter {

namespace {

class DmarcCheckStage : public Stage {
public:
    DmarcCheckStage(const DmarcCheckConfig& config, bool enforce, std::string id,
                    std::unique_ptr<dns::Resolver> resolver)
        : config_(config), enforce_(enforce), authserv_id_(std::move(id)), resolver_(std::move(resolver)),
          verifier_(*resolver_, config.verify) {}

    Result<std::optional<Verdict>> begin(mail::Header& header) override {
        auth_ = dmarc::auth_results(authres::own_results(header, authserv_id_));
        if (!auth_.has_dkim) {
            trace("no dkim= result of this pass: verifying the signatures here");
            verifier_.begin(header);  // before forged fields go, as dkimverify does
            verifying_ = true;
        }
        authres::remove_forged(header, authserv_id_);
        // Only ours may ask a delivery rule to quarantine: drop any that came in.
        std::erase_if(header.fields, [](const mail::HeaderField& f) { return f.is(kQuarantineName); });
        if (!auth_.has_spf) check_spf(header);
        if (verifying_) return std::nullopt;
        return decide(header);
    }

    void body(std::string_view chunk) override {
        if (verifying_) verifier_.body(chunk);
    }

    Result<Verdict> finish(const mail::Header& header) override {
        if (verifying_) {
            auto results = verifier_.finish();
            for (const auto& r : results)
                if (!r.domain.empty()) auth_.dkim.push_back({r.domain, std::string(dkim::result_name(r.result))});
            for (auto& e : authres::dkim_entries(results)) extra_.push_back(std::move(e));
        }
        return decide(header);
    }

private:
    void trace(std::string_view line) const {
        if (config_.trace) config_.trace(line);
    }

    /// SPF for the envelope when no filter of this pass checked it (RFC 7208
    /// check_host() of the MAIL FROM domain, or HELO for the null sender).
    void check_spf(const mail::Header& header) {
        const qmail::Envelope env = qmail::resolve_envelope(config_.envelope, header, config_.env);
        auto ip = dns::IpAddress::parse(env.client_ip);
        if (!ip) {
            trace("no spf= result of this pass and no client IP: no SPF result");
            return;
        }
        const bool helo = env.sender.empty();
        const auto at = env.sender.rfind('@');
        const std::string domain = helo ? env.helo : env.sender.substr(at == std::string::npos ? 0 : at + 1);
        const std::string sender = helo ? "postmaster@" + env.helo : env.sender;
        trace("no spf= result of this pass: checking SPF for " + printable(domain));
        spf::CheckContext ctx{env.helo, authserv_id_, static_cast<std::int64_t>(config_.verify.now), {}, {}, {}};
        auto o = spf::evaluate(*resolver_, *ip, domain, sender, ctx, {}, std::nullopt);
        if (!domain.empty()) auth_.spf.push_back({lower(domain), std::string(spf::result_name(o.check.result))});
        extra_.push_back(authres::spf_entry(o.check, helo, domain));
    }

    Verdict field(std::vector<authres::MethodResult> dmarc, const mail::Header& header) {
        Verdict v;
        for (auto& e : dmarc) extra_.push_back(std::move(e));
        v.prepend.push_back(authres::format(authserv_id_, extra_, mail::eol(header.line_end)));
        return v;
    }

    Result<Verdict> decide(const mail::Header& header) {
        const std::string eol(mail::eol(header.line_end));
        auto domains = mail::from_domains(header);
        if (!domains) {
            const std::string why = printable(domains.error().reason);
            trace("From: " + why);
            if (enforce_) return refuse("5.7.1 DMARC: no usable From domain: " + why);
            return field({{"dmarc", "permerror", why, {}}}, header);
        }
        std::vector<dmarc::Verdict> verdicts;
        std::vector<authres::MethodResult> entries;
        std::random_device rd;
        auto sample = [&rd](int pct) { return static_cast<int>(rd() % 100) < pct; };
        for (const std::string& name : *domains) {
            auto from = dns::Domain::parse(name, dns::NameRules::Mail);
            if (!from) continue;  // from_domains() gives only usable names
            dmarc::Verdict d = dmarc::evaluate(*resolver_, *from, auth_, config_.discovery, sample, config_.trace);
            trace("dmarc " + std::string(dmarc::result_name(d.result)) + " for " + d.from_domain + ": " + d.reason);
            authres::MethodResult m{"dmarc", std::string(dmarc::result_name(d.result)), {}, {}, {}};
            // dis= is what is done with the message: the disposition when
            // enforcing, else none (it is delivered as it is).
            if (!d.policy_domain.empty())
                m.comment = "p=" + std::string(dmarc::policy_name(d.policy)) + " dis=" +
                            std::string(dmarc::policy_name(enforce_ ? d.disposition : dmarc::Policy::None));
            m.properties.push_back({"header.from", d.from_domain});
            if (!d.policy_domain.empty())
                m.properties.push_back({"policy.dmarc", std::string(dmarc::policy_name(d.policy))});
            entries.push_back(std::move(m));
            verdicts.push_back(std::move(d));
        }
        if (verdicts.empty()) {  // from_domains() gives only usable names: a defence
            if (enforce_) return refuse("5.7.1 DMARC: no usable From domain");
            return field({{"dmarc", "permerror", "no usable From domain", {}}}, header);
        }
        const dmarc::Verdict* worst = &verdicts.front();
        for (const auto& d : verdicts) worst = &dmarc::stricter(*worst, d);
        if (enforce_) {
            if (worst->result == dmarc::DmarcResult::Temperror)
                return Verdict{qmail::FilterStatus::Temporary,
                               "DMARC temperror for " + worst->from_domain + ": " + worst->reason + "; try again later",
                               {},
                               {}};
            if (worst->disposition == dmarc::Policy::Reject)
                return refuse("5.7.1 rejected by DMARC policy for " + worst->from_domain);
        }
        Verdict v = field(std::move(entries), header);
        if (enforce_ && worst->disposition == dmarc::Policy::Quarantine)
            v.prepend.insert(v.prepend.begin(), std::string(kQuarantineField) + " " + worst->from_domain + eol);
        return v;
    }

    const DmarcCheckConfig& config_;
    bool enforce_;
    std::string authserv_id_;
    std::unique_ptr<dns::Resolver> resolver_;
    dkim::Verifier verifier_;
    bool verifying_ = false;
    dmarc::AuthResults auth_;
    std::vector<authres::MethodResult> extra_;  // spf=/dkim= computed here, then dmarc=
};

}  // namespace

Result<std::unique_ptr<Stage>> make_dmarc_check(const DmarcCheckConfig& config) {
    auto control = qmail::open_control_dir(config.control_dir);
    if (!control) return std::unexpected(control.error());
    auto on = control->number("dmarc", 1);
    if (!on) return std::unexpected(on.error());
    if (*on == 0) return std::unique_ptr<Stage>(std::make_unique<PassStage>());
    bool enforce = false;
    if (config.enforce) {
        enforce = *config.enforce;
    } else {
        auto reject = control->number("dmarcreject", 0);
        if (!reject) return std::unexpected(reject.error());
        enforce = *reject != 0;
    }
    if (auto ready = crypto::init_openssl(); !ready) return std::unexpected(ready.error());
    auto checker = open_checker(config.authserv_id, *control, config.dns);
    if (!checker) return std::unexpected(checker.error());
    return std::unique_ptr<Stage>(std::make_unique<DmarcCheckStage>(config, enforce, std::move(checker->authserv_id),
                                                                    std::move(checker->resolver)));
}

}  // namespace qauth::filter
