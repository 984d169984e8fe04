#include "dnsrecords/dkim_lint.hpp"

#include "crypto/hash.hpp"
#include "dkim/key_record.hpp"
#include "dnsrecords/query.hpp"

namespace qauth::dnsrecords {
namespace {

/// True when `published` is the public half of `ours`: a signature made with
/// ours verifies under it.
bool same_key(const crypto::PrivateKey& ours, const crypto::PublicKey& published) {
    const std::string digest = crypto::digest(crypto::HashAlg::Sha256, "qauth-dnsrecords key check");
    auto sig = ours.sign_digest(crypto::HashAlg::Sha256, digest);
    return sig && published.verify_digest(crypto::HashAlg::Sha256, digest, *sig);
}

void lint_one(const ExpectedRecord& key, const std::string& text, Lint& lint) {
    const std::string& where = key.name;
    auto rec = dkim::parse_key_record(text);
    if (!rec) {
        lint.add(where, rec.error().reason + " (verifiers PERMFAIL every signature)");
        return;
    }
    if (rec->testing)
        lint.add(where, "RFC 6376 3.6.1: t=y (testing) is on: verifiers may treat the mail as unsigned; remove it");
    if (rec->public_key.empty()) {
        lint.add(where, "RFC 6376 3.6.1: empty p=: the key is revoked; want the key of " + key.key_file);
        return;
    }
    if (rec->type != key.key->type()) {
        lint.add(where, "RFC 6376 3.6.1: k=" + std::string(crypto::key_type_name(rec->type)) + " but our key " +
                            key.key_file + " is " + std::string(crypto::key_type_name(key.key->type())));
        return;
    }
    if (!dkim::key_allows_hash(*rec, crypto::HashAlg::Sha256))
        lint.add(where, "RFC 6376 3.6.1: h= does not allow sha256, which the signer uses");
    auto pub = crypto::parse_public_key(rec->type, rec->public_key);
    if (!pub) {
        lint.add(where, "RFC 6376 3.6.1: p= is no usable key: " + pub.error().reason);
        return;
    }
    if (pub->type() == crypto::KeyType::Rsa && pub->bits() < kMinRsaBits)
        lint.add(where, "RFC 8301 3.2: " + std::to_string(pub->bits()) +
                            "-bit RSA key: verifiers MUST NOT accept keys under 1024 bits");
    if (!same_key(*key.key, *pub))
        lint.add(where, "RFC 6376 3.6.1: p= is not the public key of our private key " + key.key_file +
                            ": every signature fails");
}

}  // namespace

void lint_dkim_key(dns::Resolver& dns, const ExpectedRecord& key, Lint& lint) {
    auto a = ask(dns, key.name, dns::RrType::TXT, lint);
    if (!a) return;
    if (a->records.empty()) {
        lint.add(key.name, "RFC 6376 3.6.2.1: no key record for selector " + key.selector +
                               (key.active ? ", which the signer uses: every signature fails"
                                           : " (not active yet: publish it before using it)"));
        return;
    }
    if (a->records.size() > 1)
        lint.add(key.name, "RFC 6376 3.6.2.2: " + std::to_string(a->records.size()) +
                               " TXT records: a verifier may use any one; publish one");
    for (const auto& text : a->records) lint_one(key, text, lint);
}

}  // namespace qauth::dnsrecords
