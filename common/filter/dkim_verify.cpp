#include "filter/dkim_verify.hpp"

#include "authres/dkim.hpp"
#include "crypto/openssl_init.hpp"
#include "filter/checker.hpp"

namespace qauth::filter {

namespace {

class DkimVerifyStage : public Stage {
public:
    DkimVerifyStage(std::string authserv_id, std::unique_ptr<dns::Resolver> resolver, dkim::VerifyOptions options,
                    bool check)
        : authserv_id_(std::move(authserv_id)), resolver_(std::move(resolver)), verifier_(*resolver_, options),
          check_(check) {}

    Result<std::optional<Verdict>> begin(mail::Header& header) override {
        verifier_.begin(header);  // hashes the header before forged fields go
        authres::remove_forged(header, authserv_id_);
        return std::nullopt;
    }

    void body(std::string_view chunk) override { verifier_.body(chunk); }

    Result<Verdict> finish(const mail::Header& header) override {
        auto results = verifier_.finish();
        if (!check_) {
            Verdict v;
            v.prepend.push_back(
                authres::format(authserv_id_, authres::dkim_entries(results), mail::eol(header.line_end)));
            return v;
        }
        const dkim::SignatureResult* best = dkim::best(results);
        if (best && best->result == dkim::DkimResult::Pass) return Verdict{};
        if (best && best->result == dkim::DkimResult::TempError)
            return Verdict{qmail::FilterStatus::Temporary, "DKIM key lookup failed; try again later", {}, {}};
        std::string why = best ? best->reason() : "no DKIM signature";
        return refuse("5.7.1 DKIM " + std::string(dkim::result_name(dkim::best_result(results))) + ": " + why);
    }

private:
    std::string authserv_id_;
    std::unique_ptr<dns::Resolver> resolver_;
    dkim::Verifier verifier_;
    bool check_;
};

}  // namespace

Result<std::unique_ptr<Stage>> make_dkim_verify(const DkimVerifyConfig& config) {
    auto control = qmail::open_control_dir(config.control_dir);
    if (!control) return std::unexpected(control.error());
    auto enabled = control->number("dkimverify", 1);
    if (!enabled) return std::unexpected(enabled.error());
    bool verify = *enabled != 0;
    if (!verify) {  // control/dmarc is read only in this rare case
        auto dmarc = control->number("dmarc", 1);
        if (!dmarc) return std::unexpected(dmarc.error());
        verify = *dmarc != 0;
    }
    if (!verify) return std::unique_ptr<Stage>(std::make_unique<PassStage>());
    // Here, not at the first key record: a bad OPENSSL_CONF is a
    // configuration error, not a permerror of the signature.
    if (auto ready = crypto::init_openssl(); !ready) return std::unexpected(ready.error());
    auto checker = open_checker(config.authserv_id, *control, config.dns);
    if (!checker) return std::unexpected(checker.error());
    return std::unique_ptr<Stage>(std::make_unique<DkimVerifyStage>(
        std::move(checker->authserv_id), std::move(checker->resolver), config.verify, config.check));
}

}  // namespace qauth::filter
