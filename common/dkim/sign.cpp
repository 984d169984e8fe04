#include "dkim/sign.hpp"

#include "crypto/base64.hpp"
#include "dkim/header_hash.hpp"
#include "dkim/signature.hpp"
#include "mail/fold.hpp"

namespace qauth::dkim {

std::vector<std::string> default_signed_headers(const mail::Header& header) {
    static constexpr std::string_view recommended[] = {
        "from", "reply-to", "subject", "date", "to", "cc", "resent-date", "resent-from", "resent-to", "resent-cc",
        "in-reply-to", "references", "list-id", "list-help", "list-unsubscribe", "list-subscribe", "list-post",
        "list-owner", "list-archive", "message-id", "mime-version", "content-type", "content-transfer-encoding"};
    std::vector<std::string> names;
    for (const auto& f : header.fields) {
        for (std::string_view r : recommended) {
            if (f.is(r)) {
                names.emplace_back(r);
                break;
            }
        }
    }
    names.emplace_back("from");  // oversign From
    return names;
}

Result<std::string> sign_header(const mail::Header& header, const std::vector<std::string>& names, Canon canon,
                                std::string_view sig_field, const crypto::PrivateKey& key) {
    std::string data;
    signed_header_data(header, names, canon, sig_field, data);
    auto digest = crypto::digest(crypto::HashAlg::Sha256, data);
    auto sig = key.sign_digest(crypto::HashAlg::Sha256, digest);
    if (!sig) return std::unexpected(sig.error());
    return crypto::base64_encode(*sig);
}

namespace {

struct Body {
    Canon canon;
    BodyCanonicalizer canonicalizer;
    std::string digest;
};

}  // namespace

struct Signer::Impl {
    std::vector<SignParams> params;
    std::vector<std::unique_ptr<Body>> bodies;  // one per body canonicalization
    std::vector<std::size_t> body_of;           // params index -> bodies index
};

Signer::Signer(std::vector<SignParams> params) : impl_(std::make_unique<Impl>()) {
    impl_->params = std::move(params);
    for (const auto& p : impl_->params) {
        std::size_t i = 0;
        while (i < impl_->bodies.size() && impl_->bodies[i]->canon != p.body_canon) ++i;
        if (i == impl_->bodies.size())
            impl_->bodies.push_back(std::make_unique<Body>(
                Body{p.body_canon, BodyCanonicalizer(p.body_canon, crypto::HashAlg::Sha256, std::nullopt), {}}));
        impl_->body_of.push_back(i);
    }
}

Signer::~Signer() = default;

void Signer::body(std::string_view chunk) {
    for (auto& b : impl_->bodies) b->canonicalizer.update(chunk);
}

Result<std::vector<std::string>> Signer::finish(const mail::Header& header, std::string_view eol) {
    for (auto& b : impl_->bodies) b->digest = b->canonicalizer.finish();
    std::vector<std::string> fields;
    for (std::size_t n = 0; n < impl_->params.size(); ++n) {
        const SignParams& p = impl_->params[n];
        const Body& body = *impl_->bodies[impl_->body_of[n]];
        Algorithm alg{p.key->type(), crypto::HashAlg::Sha256};
        std::vector<std::string> names = p.headers.empty() ? default_signed_headers(header) : p.headers;

        // Tag order as in RFC 6376 §3.5's example; b= last so it can be filled in.
        mail::Folder f("DKIM-Signature:", eol);
        f.word("v=1;");
        f.word("a=" + algorithm_name(alg) + ";");
        f.word("c=" + std::string(canon_name(p.header_canon)) + "/" + std::string(canon_name(p.body_canon)) + ";");
        f.word("d=" + p.domain + ";");
        if (p.identity) f.word("i=" + encode_dkim_qp(*p.identity) + ";");
        f.word("s=" + p.selector + ";");
        f.word("t=" + std::to_string(p.now) + ";");
        if (p.expire_after) f.word("x=" + std::to_string(p.now + *p.expire_after) + ";");
        if (p.body_length) f.word("l=" + std::to_string(body.canonicalizer.length()) + ";");
        for (std::size_t i = 0; i < names.size(); ++i)
            f.word((i == 0 ? "h=" : "") + names[i] + (i + 1 < names.size() ? ":" : ";"), i > 0);
        f.word("bh=" + crypto::base64_encode(body.digest) + ";");
        f.word("b=");
        auto b = sign_header(header, names, p.header_canon, f.text(), *p.key);
        if (!b) return std::unexpected(b.error());
        f.breakable(*b);
        fields.push_back(f.finish());
    }
    return fields;
}

}  // namespace qauth::dkim
