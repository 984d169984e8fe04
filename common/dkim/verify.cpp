#include "dkim/verify.hpp"

#include <optional>
#include <sodium/utils.h>

#include "crypto/keys.hpp"
#include "dkim/canon.hpp"
#include "dkim/header_hash.hpp"
#include "dkim/key_record.hpp"
#include "dkim/signature.hpp"
#include "util/strings.hpp"
#include "util/tag_list.hpp"

namespace qauth::dkim {


namespace {

// One body hash shared by every signature with the same c=, hash and l=.
struct BodyHash {
    Canon canon;
    crypto::HashAlg alg;
    std::optional<std::uint64_t> limit;
    BodyCanonicalizer canonicalizer;
    std::string digest;
};

struct Pending {
    SignatureResult result;
    std::optional<Signature> sig;   // set when the field parsed
    std::string header_digest;      // hash of the signed header data
    std::size_t body = 0;           // index into bodies
    bool decided = false;           // result final before any DNS lookup
};

// Best-effort fields for a signature that failed to parse, for the A-R.
void describe_unparsed(std::string_view value, SignatureResult& r) {
    auto tags = parse_tag_list(value);
    if (!tags) return;
    if (auto d = tags->find("d")) r.domain = *d;
    if (auto s = tags->find("s")) r.selector = *s;
    if (auto a = tags->find("a")) r.algorithm = *a;
    if (auto b = tags->find("b")) r.b_prefix = strip_fws(*b).substr(0, 8);
}

}  // namespace

struct Verifier::Impl {
    dns::Resolver& resolver;
    VerifyOptions opt;
    std::vector<Pending> sigs;
    std::vector<std::unique_ptr<BodyHash>> bodies;

    std::size_t body_for(const Signature& s) {
        for (std::size_t i = 0; i < bodies.size(); ++i) {
            auto& b = *bodies[i];
            if (b.canon == s.body_canon && b.alg == s.algorithm.hash && b.limit == s.length) return i;
        }
        bodies.push_back(std::make_unique<BodyHash>(
            BodyHash{s.body_canon, s.algorithm.hash, s.length, BodyCanonicalizer(s.body_canon, s.algorithm.hash, s.length), {}}));
        return bodies.size() - 1;
    }

    std::size_t from_fields = 0;

    void decide(Pending& p, DkimResult r, Failure why, std::string detail = {}) {
        p.result.result = r;
        p.result.failure = why;
        p.result.detail = std::move(detail);
        p.decided = true;
    }

    void check(Pending& p);
};

Verifier::Verifier(dns::Resolver& resolver, VerifyOptions options)
    : impl_(std::make_unique<Impl>(Impl{resolver, options, {}, {}})) {}
Verifier::~Verifier() = default;

std::size_t Verifier::begin(const mail::Header& header) {
    impl_->from_fields = header.count("From");
    for (const auto& field : header.fields) {
        if (!field.is("DKIM-Signature")) continue;
        if (impl_->sigs.size() >= impl_->opt.max_signatures) break;
        Pending p;
        auto sig = parse_signature(field.value());
        if (!sig) {
            describe_unparsed(field.value(), p.result);
            impl_->decide(p, DkimResult::PermError, Failure::BadSignature, sig.error().reason);
            impl_->sigs.push_back(std::move(p));
            continue;
        }
        p.result.domain = sig->domain;
        p.result.identity = sig->identity;
        p.result.selector = sig->selector;
        p.result.algorithm = algorithm_name(sig->algorithm);
        p.result.b_prefix = sig->b_text.substr(0, 8);
        if (auto t = check_expiry(*sig, impl_->opt.now); !t) {
            impl_->decide(p, DkimResult::PermError, Failure::Expired, t.error().reason);
        } else {
            std::string data;
            signed_header_data(header, sig->headers, sig->header_canon, remove_b_value(field.raw), data);
            p.header_digest = crypto::digest(sig->algorithm.hash, data);
            p.body = impl_->body_for(*sig);
        }
        p.sig = std::move(*sig);
        impl_->sigs.push_back(std::move(p));
    }
    return impl_->sigs.size();
}

void Verifier::body(std::string_view chunk) {
    for (auto& b : impl_->bodies) b->canonicalizer.update(chunk);
}

void Verifier::Impl::check(Pending& p) {
    const Signature& sig = *p.sig;
    const BodyHash& body = *bodies[p.body];
    // The key is fetched before the RFC 8301 policy is applied, so that DNS
    // trouble shows as temperror whatever the algorithm.
    auto answer = resolver.query(key_query_name(sig.selector, sig.domain), dns::RrType::TXT);
    if (answer.status == dns::Status::TempFail)
        return decide(p, DkimResult::TempError, Failure::KeyLookup, answer.error);
    if (answer.status != dns::Status::Answer)
        return decide(p, DkimResult::PermError, Failure::NoKey);

    // Several TXT records: use the first that is a valid key record (§6.1.2).
    Result<KeyRecord> key = fail("RFC 6376 6.1.2: no key for signature");
    for (const auto& txt : answer.records) {
        auto k = parse_key_record(txt);
        if (k || &txt == &answer.records.front()) key = std::move(k);
        if (key) break;
    }
    if (!key) return decide(p, DkimResult::PermError, Failure::BadKeyRecord, key.error().reason);
    p.result.testing = key->testing;
    if (sig.algorithm.hash == crypto::HashAlg::Sha1 && !opt.allow_sha1)
        return decide(p, DkimResult::PermError, Failure::Sha1);
    if (key->public_key.empty()) return decide(p, DkimResult::PermError, Failure::KeyRevoked);
    if (key->type != sig.algorithm.key)
        return decide(p, DkimResult::PermError, Failure::KeyTypeMismatch);
    if (!key_allows_hash(*key, sig.algorithm.hash))
        return decide(p, DkimResult::PermError, Failure::HashNotAllowed);
    if (key->strict) {
        std::string_view idom = std::string_view(sig.identity).substr(sig.identity.rfind('@') + 1);
        if (!iequals(idom, sig.domain))
            return decide(p, DkimResult::PermError, Failure::StrictIdentity);
    }
    auto pub = crypto::parse_public_key(key->type, key->public_key);
    if (!pub) return decide(p, DkimResult::PermError, Failure::BadPublicKey, pub.error().reason);
    if (pub->type() == crypto::KeyType::Rsa && pub->bits() < opt.min_rsa_bits)
        return decide(p, DkimResult::PermError, Failure::ShortKey, std::to_string(pub->bits()) + " bits");

    if (sig.length && body.canonicalizer.length() < *sig.length)
        return decide(p, DkimResult::Fail, Failure::BodyTooShort);
    if (body.digest.size() != sig.body_hash.size() ||
        sodium_memcmp(body.digest.data(), sig.body_hash.data(), body.digest.size()) != 0)
        return decide(p, DkimResult::Fail, Failure::BodyHash);
    if (!pub->verify_digest(sig.algorithm.hash, p.header_digest, sig.signature))
        return decide(p, DkimResult::Fail, Failure::SignatureBad);
    if (from_fields > 1) return decide(p, DkimResult::Policy, Failure::SeveralFrom);
    decide(p, DkimResult::Pass, Failure::None);
}

std::vector<SignatureResult> Verifier::finish() {
    for (auto& b : impl_->bodies) b->digest = b->canonicalizer.finish();
    std::vector<SignatureResult> out;
    for (auto& p : impl_->sigs) {
        if (!p.decided) impl_->check(p);
        out.push_back(p.result);
    }
    return out;
}

}  // namespace qauth::dkim
