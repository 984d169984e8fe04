#include "srs/guarded.hpp"

#include <array>

#include "srs/hash.hpp"
#include "srs/local_domains.hpp"
#include "srs/timestamp.hpp"
#include "util/strings.hpp"

namespace qauth::srs {

namespace {

enum class Tag { None, Srs0, Srs1 };

/// The tag of an SRS local part: "SRS0" or "SRS1" in any case followed by
/// '=', '+' or '-' (Mail::SRS's $SRS0RE and $SRS1RE).
Tag tag_of(std::string_view local) {
    if (local.size() < 5 || !iequals(local.substr(0, 3), "SRS")) return Tag::None;
    char sep = local[4];
    if (sep != '=' && sep != '+' && sep != '-') return Tag::None;
    if (local[3] == '0') return Tag::Srs0;
    if (local[3] == '1') return Tag::Srs1;
    return Tag::None;
}

/// `s` split at '=' into at most N fields, the last one taking the rest
/// (Perl's split with a limit); nullopt when there are fewer than N.
template <std::size_t N>
std::optional<std::array<std::string_view, N>> fields(std::string_view s) {
    std::array<std::string_view, N> out;
    for (std::size_t i = 0; i + 1 < N; ++i) {
        std::size_t eq = s.find('=');
        if (eq == std::string_view::npos) return std::nullopt;
        out[i] = s.substr(0, eq);
        s.remove_prefix(eq + 1);
    }
    out[N - 1] = s;
    return out;
}

template <std::size_t N>
bool any_empty(const std::array<std::string_view, N>& f) {
    for (auto v : f)
        if (v.empty()) return true;
    return false;
}

std::unexpected<Error> refuse_sender(std::string_view why) { return fail("5.1.7 SRS: " + std::string(why)); }
std::unexpected<Error> refuse_bounce(std::string_view why) { return fail("5.1.1 SRS: " + std::string(why)); }

/// The address a reversed SRS address stands for, `local@host`, checked: the
/// decoded host must be a domain name or address literal (domain_ok), and
/// the whole a valid address (the local part quoted by format_address when
/// it is no dot-atom). `what` names the host ("original domain", "hop host").
Result<std::string> reversed_address(std::string_view local, std::string_view host, std::string_view what) {
    if (!domain_ok(host))
        return refuse_bounce(std::string(what) + " is not a domain name or address literal: " + printable(host));
    std::string out = format_address(local, host);
    if (auto a = parse_address(out); !a) return refuse_bounce("the reversed address is malformed: " + a.error().reason);
    return out;
}

/// The SRS local part for sender local@host (Mail::SRS::Guarded::compile).
Result<std::string> compile(const Params& p, std::string_view local, std::string_view host, std::int64_t now) {
    const std::string_view secret = p.secrets.front().view();
    std::string out;
    switch (tag_of(local)) {
        case Tag::Srs1: {
            auto f = fields<3>(local.substr(5));
            if (!f || (*f)[1].empty() || (*f)[2].empty()) return refuse_sender("malformed SRS1 sender");
            auto [old_hash, hop, rest] = *f;
            out = std::string("SRS1") + p.separator + hash_create(secret, {hop, rest}, p.hashlength) + "=";
            out.append(hop).append("=").append(rest);
            return out;
        }
        case Tag::Srs0: {
            std::string_view rest = local.substr(4);  // the separator stays
            out = std::string("SRS1") + p.separator + hash_create(secret, {host, rest}, p.hashlength) + "=";
            out.append(host).append("=").append(rest);
            return out;
        }
        case Tag::None: break;
    }
    std::string stamp = timestamp_encode(now);
    out = std::string("SRS0") + p.separator + hash_create(secret, {stamp, host, local}, p.hashlength) + "=";
    out.append(stamp).append("=").append(host).append("=").append(local);
    return out;
}

}  // namespace

Result<Rewritten> rewrite(const Params& p, std::string_view sender, std::int64_t now) {
    auto unchanged = [&](std::string why) { return Rewritten{std::string(sender), false, std::move(why)}; };
    if (is_null_sender(sender)) return unchanged("null sender");
    if (p.domain.empty()) return unchanged("SRS is off (no srs_domain)");
    auto a = parse_address(sender);
    if (!a) return refuse_sender(a.error().reason);
    if (!p.always_rewrite && (iequals(a->domain, p.domain) || is_local_domain(a->domain, p.local_domains)))
        return unchanged("local domain");
    if (p.secrets.empty()) return fail("SRS: no secret");  // config::load makes sure there is one
    auto local = compile(p, a->local, a->domain, now);
    if (!local) return std::unexpected(local.error());
    std::string out = format_address(*local, p.domain);
    if (out.size() > kMaxAddress)
        return refuse_sender("the rewritten address would be " + std::to_string(out.size()) +
                             " octets, over RFC 5321 4.5.3.1.3's 256-octet path limit");
    return Rewritten{std::move(out), true, {}};
}

Result<std::string> reverse(const Params& p, std::string_view address, std::int64_t now) {
    auto a = parse_address(address);
    if (!a) return refuse_bounce(a.error().reason);
    if (p.domain.empty()) return refuse_bounce("SRS is off (no srs_domain)");
    if (!iequals(a->domain, p.domain)) return refuse_bounce("not an address of our SRS domain " + p.domain);
    std::string_view local = a->local;
    switch (tag_of(local)) {
        case Tag::Srs0: {
            auto f = fields<4>(local.substr(5));
            if (!f || any_empty(*f)) return refuse_bounce("malformed SRS0 address");
            auto [hash, stamp, host, user] = *f;
            if (!hash_verify(hash, p.secrets, {stamp, host, user}, p.hashmin)) return refuse_bounce("invalid hash");
            if (auto t = timestamp_check(stamp, now, p.maxage); !t) return std::unexpected(t.error());
            return reversed_address(user, host, "the original domain");
        }
        case Tag::Srs1: {
            auto f = fields<3>(local.substr(5));
            if (!f || any_empty(*f)) return refuse_bounce("malformed SRS1 address");
            auto [hash, hop, rest] = *f;
            if (hash.find('.') != std::string_view::npos) return refuse_bounce("hashless SRS1 address refused");
            if (!hash_verify(hash, p.secrets, {hop, rest}, p.hashmin)) return refuse_bounce("invalid hash");
            return reversed_address("SRS0" + std::string(rest), hop, "the SRS1 hop host");
        }
        case Tag::None: break;
    }
    return refuse_bounce("not an SRS address");
}

}  // namespace qauth::srs
