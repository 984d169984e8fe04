#include "dkim/sign_policy.hpp"

#include <algorithm>

#include "dkim/signature.hpp"
#include "dns/domain.hpp"
#include "mail/address.hpp"
#include "mail/reader.hpp"
#include "util/strings.hpp"

namespace qauth::dkim {

namespace {

// RFC 6376 §3.5 i=: the identity's domain is d= or a subdomain of it.
Result<void> check_identity(const std::string& identity, const std::string& domain) {
    auto idom = dns::Domain::parse(mail::address_domain(identity).value_or(""), dns::NameRules::Mail);
    auto sdom = dns::Domain::parse(domain, dns::NameRules::Mail);
    if (!idom || !sdom || !idom->within(*sdom))
        return usage_error("--identity " + identity + " is not in the signing domain " + domain);
    return {};
}

// The h= names for `header`: the admin's list with "dkim-signature" capped at
// the fields present, or the default list.
std::vector<std::string> signed_names(const SignPolicy& policy, const mail::Header& header) {
    if (policy.headers.empty()) return default_signed_headers(header);
    std::vector<std::string> names;
    std::size_t sigs_left = header.count("DKIM-Signature");
    for (const auto& n : policy.headers) {
        if (iequals(n, "dkim-signature")) {
            if (sigs_left == 0) continue;
            --sigs_left;
        }
        names.push_back(n);
    }
    return names;
}

}  // namespace

Result<SignPolicy> check_sign_options(const SignOptions& o) {
    SignPolicy p;
    auto canon = parse_canon_pair(o.canon);
    if (!canon) return usage_error("--canon must be simple or relaxed, optionally /simple or /relaxed");
    p.header_canon = canon->first;
    p.body_canon = canon->second;
    if (!o.key_file.empty() && o.selectors.size() != 1) return usage_error("--key needs exactly one --selector");
    p.key_file = o.key_file;
    p.domain = lower(o.domain);
    if (!p.domain.empty() && !dns::Domain::parse(p.domain, dns::NameRules::Mail)) return usage_error("--domain: not a domain name");
    for (const auto& s : o.selectors)
        if (!dns::Domain::parse(s, dns::NameRules::Mail) || s == "selector")  // "selector" is the file listing the active ones
            return usage_error("--selector: bad selector name: " + s);
    p.selectors = o.selectors;
    if (o.headers) {
        if (o.headers->empty()) return usage_error("--headers: no header field names");
        p.headers = split(*o.headers, ':');
        if (p.headers.size() > kMaxSignedFields)
            return usage_error("--headers: more than " + std::to_string(kMaxSignedFields) + " names");
        for (const auto& n : p.headers)
            if (n.empty()) return usage_error("--headers: an empty name");
        for (const auto& n : p.headers)
            for (char c : n)  // RFC 5322 3.6.8 field names; ';' would end the h= tag
                if (c < 33 || c > 126 || c == ';') return usage_error("--headers: not a header field name: " + n);
        if (std::none_of(p.headers.begin(), p.headers.end(), [](const auto& n) { return iequals(n, "from"); }))
            return usage_error("--headers must include From (RFC 6376 5.4)");
    }
    if (!o.identity.empty()) {
        for (char c : o.identity)  // a printable address; i= encodes ';' and '=' itself
            if (c < 33 || c > 126) return usage_error("--identity: not an address");
        if (!p.domain.empty())
            if (auto ok = check_identity(o.identity, p.domain); !ok) return std::unexpected(ok.error());
        p.identity = o.identity;
    }
    p.expire = o.expire;
    p.body_length = o.body_length;
    return p;
}

Result<KeyChoice> choose_keys(const SignPolicy& policy, const qmail::ControlDir& control, const mail::Header& header,
                              std::string_view envelope_sender) {
    KeyChoice c;
    if (header.lines + kSignRoomLines > mail::kMaxHeaderLines || header.bytes + kSignRoomBytes > mail::kMaxHeaderBytes) {
        c.warning = "header of " + std::to_string(header.lines) + " lines, " + std::to_string(header.bytes) +
                    " bytes is too close to the limit a verifier reads; not signed";
        return c;
    }
    if (auto froms = header.count("From"); froms > 1) {
        c.warning = "message has " + std::to_string(froms) + " From fields; not signed";
        return c;
    }
    c.names = signed_names(policy, header);
    if (c.names.size() > kMaxSignedFields) {
        c.warning = "more than " + std::to_string(kMaxSignedFields) + " fields to sign; not signed";
        return c;
    }
    SigningDomain sd{policy.domain, ""};
    if (policy.domain.empty()) sd = signing_domain(header, envelope_sender);
    c.warning = sd.warning;
    if (sd.domain.empty()) return c;
    if (policy.identity)
        if (auto ok = check_identity(*policy.identity, sd.domain); !ok) return std::unexpected(ok.error());
    if (!policy.key_file.empty()) {
        auto key = crypto::load_private_key(policy.key_file);
        if (!key) return std::unexpected(key.error());
        c.keys.push_back({policy.selectors[0], std::move(*key)});
    } else {
        auto loaded = load_domain_keys(control, sd.domain, policy.selectors);
        if (!loaded) return std::unexpected(loaded.error());
        c.keys = std::move(*loaded);
    }
    // An admin who names the domain wants it signed: no key is a configuration error.
    if (c.keys.empty() && !policy.domain.empty()) return fail(control.path("domainkeys/" + policy.domain) + ": no key");
    c.domain = std::move(sd.domain);
    return c;
}

std::vector<SignParams> sign_params(const SignPolicy& policy, const KeyChoice& choice, std::uint64_t now) {
    std::vector<SignParams> params;
    for (const auto& k : choice.keys)
        params.push_back({choice.domain, k.selector, &k.key, policy.header_canon, policy.body_canon, choice.names,
                          policy.identity, policy.expire, policy.body_length, now});
    return params;
}

}  // namespace qauth::dkim
