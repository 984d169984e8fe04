#include "filter/dkim_sign.hpp"

#include "dkim/sign.hpp"

namespace qauth::filter {

namespace {

class DkimSignStage : public Stage {
public:
    DkimSignStage(dkim::SignPolicy policy, qmail::ControlDir control, qmail::EnvelopeOptions envelope,
                  std::uint64_t now, bool enabled)
        : policy_(std::move(policy)), control_(std::move(control)), envelope_(std::move(envelope)), now_(now),
          enabled_(enabled) {}

    Result<std::optional<Verdict>> begin(mail::Header& header) override {
        if (!enabled_) return pass_unchanged();
        auto sender = qmail::resolve_envelope(envelope_, header).sender;
        auto choice = dkim::choose_keys(policy_, control_, header, sender);
        if (!choice) return std::unexpected(choice.error());
        if (choice->keys.empty()) return pass_unchanged(choice->warning);
        choice_ = std::move(*choice);
        signer_ = std::make_unique<dkim::Signer>(dkim::sign_params(policy_, choice_, now_));
        return std::nullopt;
    }

    // Unsigned rather than refused: outgoing mail loses nothing by it, and a
    // signature over a header the verifier cannot read whole would fail.
    Verdict oversized(const mail::Header&) override {
        return pass_unchanged(enabled_ ? "header exceeds the reader's limit; not signed" : "");
    }

    void body(std::string_view chunk) override { signer_->body(chunk); }

    Result<Verdict> finish(const mail::Header& header) override {
        auto fields = signer_->finish(header, mail::eol(header.line_end));
        if (!fields) return std::unexpected(fields.error());
        Verdict v;
        v.prepend = std::move(*fields);
        return v;
    }

private:
    dkim::SignPolicy policy_;
    qmail::ControlDir control_;
    qmail::EnvelopeOptions envelope_;
    std::uint64_t now_;
    bool enabled_;
    dkim::KeyChoice choice_;                 // owns the keys signer_ points to
    std::unique_ptr<dkim::Signer> signer_;
};

}  // namespace

Result<std::unique_ptr<Stage>> make_dkim_sign(const DkimSignConfig& config) {
    auto policy = dkim::check_sign_options(config.sign);
    if (!policy) return std::unexpected(policy.error());
    auto control = qmail::open_control_dir(config.control_dir);
    if (!control) return std::unexpected(control.error());
    auto enabled = control->number("dkimsign", 1);
    if (!enabled) return std::unexpected(enabled.error());
    return std::make_unique<DkimSignStage>(std::move(*policy), std::move(*control), config.envelope, config.now,
                                           *enabled != 0);
}

}  // namespace qauth::filter
