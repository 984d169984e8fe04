#include "dnsrecords/expected.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <dirent.h>
#include <sys/stat.h>

#include "dkim/key_record.hpp"
#include "dkim/keygen.hpp"
#include "dmarc/record.hpp"
#include "dns/address.hpp"
#include "dns/domain.hpp"
#include "dnsrecords/template.hpp"
#include "spf/record.hpp"
#include "util/strings.hpp"

namespace qauth::dnsrecords {
namespace {

constexpr std::size_t kMaxCharString = 255;  // RFC 1035 §3.3: one length octet
constexpr std::size_t kMaxName = 253;        // RFC 1035 §2.3.4, as text without the root dot
constexpr std::size_t kMaxKeys = 100;        // key files per domain directory

/// The selectors that have a key file in `dir`, sorted; empty when `dir`
/// does not exist.
Result<std::vector<std::string>> key_selectors(const std::string& dir) {
    std::vector<std::string> out;
    std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(dir.c_str()), ::closedir);
    if (!d) {
        if (errno == ENOENT || errno == ENOTDIR) return out;
        return fail(dir + ": cannot read: " + std::strerror(errno));
    }
    while (const dirent* e = ::readdir(d.get())) {
        std::string name = e->d_name;
        if (name == "selector" || name.starts_with('.') || !dns::Domain::parse(name, dns::NameRules::Mail)) continue;
        struct stat st;
        if (::stat((dir + "/" + name).c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
        if (out.size() == kMaxKeys) return fail(dir + ": more than " + std::to_string(kMaxKeys) + " key files");
        out.push_back(std::move(name));
    }
    std::sort(out.begin(), out.end());
    return out;
}

/// The DkimKey records of the keys in domainkeys/`key_domain`/, published at `domain`.
Result<std::vector<ExpectedRecord>> key_records(const qmail::ControlDir& control, const std::string& key_domain,
                                                const std::string& domain) {
    const std::string rel = "domainkeys/" + key_domain;
    auto selectors = key_selectors(control.path(rel));
    if (!selectors) return std::unexpected(selectors.error());
    std::vector<ExpectedRecord> out;
    if (selectors->empty()) return out;
    auto listed = control.lines(rel + "/selector");
    if (!listed) return std::unexpected(listed.error());
    std::vector<std::string> active = *listed && !(*listed)->empty() ? **listed : std::vector<std::string>{"default"};
    for (const auto& sel : active)
        if (std::find(selectors->begin(), selectors->end(), sel) == selectors->end())
            return fail(control.path(rel + "/selector") + ": selector " + printable(sel) +
                        " is active but has no key file: the signer fails on it");
    for (const auto& sel : *selectors) {
        ExpectedRecord r;
        r.kind = RecordKind::DkimKey;
        r.domain = domain;
        r.name = dkim::key_query_name(sel, domain);
        if (r.name.size() > kMaxName) return fail("name too long for DNS: " + r.name);
        r.selector = sel;
        r.key_file = control.path(rel + "/" + sel);
        auto key = crypto::load_private_key(r.key_file);
        if (!key) return std::unexpected(key.error());
        r.text = dkim::key_record_text(*key);
        r.key = std::make_shared<const crypto::PrivateKey>(std::move(*key));
        r.active = std::find(active.begin(), active.end(), sel) != active.end();
        out.push_back(std::move(r));
    }
    return out;
}

RecordKind kind_of(const TxtRecord& t, const std::string& domain) {
    if (spf::is_spf_record(t.text)) return RecordKind::Spf;
    if (dmarc::is_dmarc_record(t.text) && t.name == "_dmarc." + domain) return RecordKind::Dmarc;
    return RecordKind::Txt;
}

/// The records of one domain; `key_domain` holds its keys.
Result<std::vector<ExpectedRecord>> domain_records(const qmail::ControlDir& control, const std::string& tmpl,
                                                   const std::string& domain, const std::string& key_domain,
                                                   const std::optional<std::string>& ip) {
    auto txt = expand_template(tmpl, domain, ip, control.path("dnstemplate"));
    if (!txt) return std::unexpected(txt.error());
    std::vector<ExpectedRecord> out;
    bool dmarc = false;
    for (auto& t : *txt) {
        ExpectedRecord r;
        r.kind = kind_of(t, domain);
        dmarc = dmarc || r.kind == RecordKind::Dmarc;
        r.domain = domain;
        r.name = std::move(t.name);
        r.text = std::move(t.text);
        out.push_back(std::move(r));
    }
    if (!dmarc) {
        ExpectedRecord r;
        r.kind = RecordKind::Dmarc;
        r.domain = domain;
        r.name = "_dmarc." + domain;
        if (r.name.size() > kMaxName) return fail("name too long for DNS: " + r.name);
        r.text = kDefaultDmarc;
        out.push_back(std::move(r));
    }
    auto keys = key_records(control, key_domain, domain);
    if (!keys) return std::unexpected(keys.error());
    if (!keys->empty()) {
        for (auto& k : *keys) out.push_back(std::move(k));
        ExpectedRecord r;
        r.kind = RecordKind::DkimPolicy;
        r.domain = domain;
        r.name = "_domainkey." + domain;
        r.text = "o=-";
        out.push_back(std::move(r));
    }
    return out;
}

bool has_key_dir(const qmail::ControlDir& control, const std::string& domain) {
    struct stat st;
    return ::stat(control.path("domainkeys/" + domain).c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string zone_string(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (u < 0x20 || u >= 0x7f) {
            char buf[5];
            std::snprintf(buf, sizeof buf, "\\%03u", u);
            out += buf;
        } else {
            out += c;
        }
    }
    return out + '"';
}

}  // namespace

Result<std::vector<ExpectedRecord>> expected_records(const qmail::ControlDir& control, const Request& request) {
    auto domain = dkim::keygen_domain(request.domain);
    if (!domain) return usage_error(domain.error().reason);
    std::vector<std::string> domains{*domain};
    for (const auto& a : request.aliases) {
        auto d = dkim::keygen_domain(a);
        if (!d) return usage_error("--alias: " + d.error().reason);
        if (std::find(domains.begin(), domains.end(), *d) == domains.end()) domains.push_back(*d);
    }
    std::optional<std::string> ip;
    if (request.ip) {
        auto addr = dns::IpAddress::parse(*request.ip);
        if (!addr) return usage_error("--ip: not an IP address: " + printable(*request.ip));
        ip = addr->str();
    }
    auto tmpl = read_template(control);
    if (!tmpl) return std::unexpected(tmpl.error());
    std::vector<ExpectedRecord> out;
    for (const auto& d : domains) {
        const std::string& key_domain = (d == *domain || has_key_dir(control, d)) ? d : *domain;
        auto recs = domain_records(control, *tmpl, d, key_domain, ip);
        if (!recs) return std::unexpected(recs.error());
        for (auto& r : *recs) out.push_back(std::move(r));
    }
    return out;
}

std::string txt_data(std::string_view text) {
    if (text.size() <= kMaxCharString) return zone_string(text);
    std::string out = "( ";
    for (std::size_t i = 0; i < text.size(); i += kMaxCharString) {
        if (i > 0) out += "\n\t";
        out += zone_string(text.substr(i, kMaxCharString));
    }
    return out + " )";
}

std::string zone_text(const std::vector<ExpectedRecord>& records) {
    std::string out, domain;
    for (const auto& r : records) {
        if (r.domain != domain) {
            domain = r.domain;
            out += "; " + domain + "\n";
        }
        if (r.kind == RecordKind::DkimKey) {
            std::string kind(crypto::key_type_name(r.key->type()));
            if (r.key->type() == crypto::KeyType::Rsa) kind += " " + std::to_string(r.key->bits()) + "-bit";
            out += "; DKIM " + kind + " key, selector " + r.selector + (r.active ? " (active)" : " (not active)") +
                   ": private key in " + printable(r.key_file, 1000) + "\n";
            out += dkim::zone_key_record(r.selector, r.domain, r.text);
        } else if (r.kind == RecordKind::DkimPolicy) {
            out += dkim::zone_policy_record(r.domain);
        } else {
            out += r.name + ". IN TXT " + txt_data(r.text) + "\n";
        }
    }
    return out;
}

}  // namespace qauth::dnsrecords
