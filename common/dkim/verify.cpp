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

using authres::AuthResult;

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

    void decide(Pending& p, AuthResult r, std::string reason) {
        p.result.result = r;
        p.result.reason = std::move(reason);
        p.decided = true;
    }

    void check(Pending& p);
};

Verifier::Verifier(dns::Resolver& resolver, VerifyOptions options)
    : impl_(std::make_unique<Impl>(Impl{resolver, options, {}, {}})) {}
Verifier::~Verifier() = default;

std::size_t Verifier::begin(const mail::Header& header) {
    for (const auto& field : header.fields) {
        if (!field.is("DKIM-Signature")) continue;
        if (impl_->sigs.size() >= impl_->opt.max_signatures) break;
        Pending p;
        auto sig = parse_signature(field.value());
        if (!sig) {
            describe_unparsed(field.value(), p.result);
            impl_->decide(p, AuthResult::PermError, sig.error().reason);
            impl_->sigs.push_back(std::move(p));
            continue;
        }
        p.result.domain = sig->domain;
        p.result.identity = sig->identity;
        p.result.selector = sig->selector;
        p.result.algorithm = algorithm_name(sig->algorithm);
        p.result.b_prefix = sig->b_text.substr(0, 8);
        if (auto t = check_expiry(*sig, impl_->opt.now); !t) {
            impl_->decide(p, AuthResult::PermError, t.error().reason);
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
        return decide(p, AuthResult::TempError, "key lookup failed: " + answer.error);
    if (answer.status != dns::Status::Answer)
        return decide(p, AuthResult::PermError, "RFC 6376 6.1.2: no key for signature");

    // Several TXT records: use the first that is a valid key record (§6.1.2).
    Result<KeyRecord> key = fail("RFC 6376 6.1.2: no key for signature");
    for (const auto& txt : answer.records) {
        auto k = parse_key_record(txt);
        if (k || &txt == &answer.records.front()) key = std::move(k);
        if (key) break;
    }
    if (!key) return decide(p, AuthResult::PermError, key.error().reason);
    p.result.testing = key->testing;
    if (sig.algorithm.hash == crypto::HashAlg::Sha1 && !opt.allow_sha1)
        return decide(p, AuthResult::PermError, "RFC 8301 3.1: rsa-sha1 is not accepted");
    if (key->public_key.empty()) return decide(p, AuthResult::PermError, "RFC 6376 3.6.1: key revoked");
    if (key->type != sig.algorithm.key)
        return decide(p, AuthResult::PermError, "RFC 6376 3.6.1: key type k= does not match a=");
    if (!key_allows_hash(*key, sig.algorithm.hash))
        return decide(p, AuthResult::PermError, "RFC 6376 3.6.1: key h= does not allow the hash of a=");
    if (key->strict) {
        std::string_view idom = std::string_view(sig.identity).substr(sig.identity.rfind('@') + 1);
        if (!iequals(idom, sig.domain))
            return decide(p, AuthResult::PermError, "RFC 6376 3.6.1: key t=s forbids i= in a subdomain of d=");
    }
    auto pub = crypto::parse_public_key(key->type, key->public_key);
    if (!pub) return decide(p, AuthResult::PermError, "RFC 6376 3.6.1: " + pub.error().reason);
    if (pub->type() == crypto::KeyType::Rsa && pub->bits() < opt.min_rsa_bits)
        return decide(p, AuthResult::PermError,
                      "RFC 8301 3.2: RSA key of " + std::to_string(pub->bits()) + " bits is too short");

    if (sig.length && body.canonicalizer.length() < *sig.length)
        return decide(p, AuthResult::Fail, "RFC 6376 6.1.3: body is shorter than l=");
    if (body.digest.size() != sig.body_hash.size() ||
        sodium_memcmp(body.digest.data(), sig.body_hash.data(), body.digest.size()) != 0)
        return decide(p, AuthResult::Fail, "RFC 6376 6.1.3: body hash did not verify");
    if (!pub->verify_digest(sig.algorithm.hash, p.header_digest, sig.signature))
        return decide(p, AuthResult::Fail, "RFC 6376 6.1.3: signature did not verify");
    decide(p, AuthResult::Pass, "");
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

std::vector<authres::MethodResult> to_authres(const std::vector<SignatureResult>& results) {
    std::vector<authres::MethodResult> out;
    if (results.empty()) {
        out.push_back({"dkim", AuthResult::None, "", {}});
        return out;
    }
    for (const auto& r : results) {
        authres::MethodResult m{"dkim", r.result, r.reason, {}};
        if (r.testing && r.result != AuthResult::Pass) m.reason += " (key in test mode)";
        auto add = [&](const char* name, const std::string& v) {
            if (!v.empty()) m.properties.push_back({name, v});
        };
        add("header.d", r.domain);
        add("header.i", r.identity);
        add("header.s", r.selector);
        add("header.a", r.algorithm);
        add("header.b", r.b_prefix);
        out.push_back(std::move(m));
    }
    return out;
}

AuthResult best_result(const std::vector<SignatureResult>& results) {
    // Order of preference when summarizing (RFC 6376 §6.3: one pass is enough).
    static constexpr AuthResult order[] = {AuthResult::Pass, AuthResult::TempError, AuthResult::Fail,
                                           AuthResult::PermError, AuthResult::Neutral, AuthResult::Policy};
    for (AuthResult want : order)
        for (const auto& r : results)
            if (r.result == want) return want;
    return AuthResult::None;
}

}  // namespace qauth::dkim
