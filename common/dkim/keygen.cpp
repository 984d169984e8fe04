#include "dkim/keygen.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>

#include <sys/stat.h>
#include <unistd.h>

#include "crypto/base64.hpp"
#include "crypto/secret.hpp"
#include "dns/domain.hpp"
#include "qmail/control.hpp"
#include "util/atomic_file.hpp"
#include "util/io.hpp"
#include "util/strings.hpp"

namespace qauth::dkim {
namespace {

constexpr std::string_view kDomainkey = "._domainkey.";
constexpr std::size_t kMaxName = 253;         // RFC 1035 §2.3.4, as text without the root dot
constexpr std::size_t kMaxCharString = 255;   // RFC 1035 §3.3: one length octet
// The selector file lists a few names; the signer's own bound (control files).
constexpr std::size_t kMaxSelectorFile = 1u << 20;

std::string errno_text() { return std::strerror(errno); }

/// The directory `dir` when an admin gave it to the signer's user (it is not
/// root's, as after INSTALL's chown -R): what is made in it takes its owner,
/// group and group-read bit, so that a new selector or domain is readable by
/// the signer at once. nullopt for a root-owned directory (keys stay root's, 0600).
std::optional<struct stat> handed_over(const std::string& dir) {
    struct stat st;
    if (::stat(dir.c_str(), &st) != 0 || st.st_uid == 0) return std::nullopt;
    return st;
}

/// Creates directory `dir` (0750, less under a stricter umask) unless it
/// exists; a new one takes the owner and group of a handed_over() parent.
Result<void> make_dir(const std::string& dir) {
    if (::mkdir(dir.c_str(), 0750) == 0) {
        if (auto parent = handed_over(io::parent_dir(dir)); parent && ::geteuid() == 0)
            if (::chown(dir.c_str(), parent->st_uid, parent->st_gid) != 0)
                return fail(dir + ": cannot set owner: " + errno_text());
    } else if (errno != EEXIST) {
        return fail(dir + ": cannot create: " + errno_text());
    }
    struct stat st;
    if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return fail(dir + ": not a directory");
    return {};
}

bool exists(const std::string& path) {
    struct stat st;
    return ::lstat(path.c_str(), &st) == 0;
}

Result<crypto::PrivateKey> make_key(const KeygenRequest& req, const std::string& key_file) {
    if (auto control = qmail::open_control_dir(req.control_dir); !control) return std::unexpected(control.error());
    // Checked before the (possibly long) key generation; the final link
    // refuses an existing key again in case one appeared meanwhile.
    if (!req.replace && exists(key_file)) return fail(key_file + ": exists already; not replaced without --force");
    return crypto::generate_private_key(req.type, req.bits);
}

Result<void> install_key(const KeygenRequest& req, const crypto::PrivateKey& key, const std::string& domain_dir,
                         const std::string& key_file, std::string_view selector) {
    for (const std::string& dir : {io::parent_dir(domain_dir), domain_dir})
        if (auto ok = make_dir(dir); !ok) return ok;
    if (auto ok = install_key_file(key_file, crypto::SecretString(key.to_pem()).view(), req.replace); !ok) return ok;
    if (auto ok = activate_selector(domain_dir, selector); !ok) return std::unexpected(ok.error());
    return {};
}

}  // namespace

Result<std::string> keygen_domain(std::string_view name) {
    auto domain = dns::Domain::parse(name, dns::NameRules::Host);
    if (!domain)
        return fail("bad domain '" + printable(name) + "': " + domain.error().reason +
                    " (want letters, digits, hyphens and dots, RFC 1123 2.1; IDNs as xn--)");
    // An address such as 1.2.3.4 is no domain: top-level labels are not all digits (RFC 3696 2).
    const std::string& d = domain->str();
    if (d.find_first_not_of("0123456789", d.rfind('.') + 1) == std::string::npos)
        return fail("bad domain '" + printable(name) + "': RFC 3696 2: the last label is all digits");
    return d;
}

Result<std::string> keygen_selector(std::string_view name) {
    // A selector is relative: no trailing dot, unlike a domain.
    if (name.ends_with('.') || !dns::Domain::parse(name, dns::NameRules::Host))
        return fail("bad selector '" + printable(name) +
                    "': want letters, digits, hyphens and dots (RFC 6376 3.1)");
    if (name == "selector") return fail("bad selector 'selector': that file lists the active selectors");
    return std::string(name);
}

std::string key_record_text(const crypto::PrivateKey& key) {
    return "v=DKIM1; k=" + std::string(crypto::key_type_name(key.type())) +
           "; p=" + crypto::base64_encode(key.public_key_bytes());
}

std::string zone_txt(std::string_view text) {
    std::string out = "( ";
    for (std::size_t i = 0; i == 0 || i < text.size(); i += kMaxCharString) {
        if (i > 0) out += "\n\t";
        out.append("\"").append(text.substr(i, kMaxCharString)) += '"';
    }
    return out + " )";
}

std::string zone_key_record(std::string_view selector, std::string_view domain, std::string_view record_text) {
    std::string out;
    out.append(selector).append(kDomainkey).append(domain).append(". IN TXT ").append(zone_txt(record_text)) += '\n';
    return out;
}

std::string zone_policy_record(std::string_view domain) {
    std::string out;
    out.append(kDomainkey.substr(1)).append(domain).append(". IN TXT \"o=-\"\n");
    return out;
}

std::string zone_records(std::string_view selector, std::string_view domain, std::string_view record_text) {
    return zone_key_record(selector, domain, record_text) + zone_policy_record(domain);
}

Result<void> install_key_file(const std::string& path, std::string_view pem, bool replace) {
    struct stat old;
    if (replace && ::stat(path.c_str(), &old) == 0) {
        // Keep a replaced key readable by whoever could read the old one (the
        // signer's user or group), never by everyone.
        return io::write_file_atomically(path, pem, {(old.st_mode & S_IRGRP) ? 0640u : 0600u, &old, true});
    }
    if (auto dir = handed_over(io::parent_dir(path)))
        return io::write_file_atomically(path, pem, {(dir->st_mode & S_IRGRP) ? 0640u : 0600u, &*dir, replace});
    return io::write_file_atomically(path, pem, {0600, nullptr, replace});
}

Result<bool> activate_selector(const std::string& domain_dir, std::string_view selector) {
    const std::string file = domain_dir + "/selector";
    // Two runs for the same domain must not both read the old list and each
    // rename its own new one over it: the read-modify-rename holds the lock.
    auto lock = io::DirLock::acquire(domain_dir);
    if (!lock) return std::unexpected(lock.error());
    auto listed = qmail::ControlDir(domain_dir).lines("selector");
    if (!listed) return std::unexpected(listed.error());
    const std::vector<std::string> active = listed->value_or(std::vector<std::string>{});
    if (std::find(active.begin(), active.end(), selector) != active.end()) return false;

    bool missing = false;
    auto text = io::read_file(file, kMaxSelectorFile, &missing);
    if (!text && !missing) return std::unexpected(text.error());
    // A new list takes its directory's owner and group, as the keys do
    // (handed_over), so that a chown -R by the admin stays in force.
    struct stat old;
    const bool had_file = !missing && ::stat(file.c_str(), &old) == 0;
    const bool dir_owner = !had_file && ::stat(domain_dir.c_str(), &old) == 0;
    std::string out = had_file ? *text : std::string();
    if (!out.empty() && out.back() != '\n') out += '\n';
    if (active.empty() && selector != "default" && exists(domain_dir + "/default")) out += "default\n";
    out.append(selector) += '\n';
    if (auto ok = io::write_file_atomically(
            file, out, {had_file ? (old.st_mode & 0666) : 0644u, had_file || dir_owner ? &old : nullptr, true});
        !ok)
        return std::unexpected(ok.error());
    return true;
}

Result<KeygenOutcome> run_keygen(const KeygenRequest& req, const Publish& publish) {
    auto domain = keygen_domain(req.domain);
    if (!domain) return std::unexpected(domain.error());
    auto selector = keygen_selector(req.selector);
    if (!selector) return std::unexpected(selector.error());
    std::vector<std::string> domains{*domain};
    for (const auto& alias : req.aliases) {
        auto d = keygen_domain(alias);
        if (!d) return std::unexpected(d.error());
        if (std::find(domains.begin(), domains.end(), *d) == domains.end()) domains.push_back(*d);
    }
    for (const auto& d : domains)
        if (selector->size() + kDomainkey.size() + d.size() > kMaxName)
            return fail("name too long for DNS: " + *selector + std::string(kDomainkey) + d);

    const std::string domain_dir = qmail::ControlDir(req.control_dir).path("domainkeys/" + *domain);
    KeygenOutcome out{domain_dir + "/" + *selector, {}};
    auto key = req.print_only ? crypto::load_private_key(out.key_file) : make_key(req, out.key_file);
    if (!key) return std::unexpected(key.error());

    std::string kind(crypto::key_type_name(key->type()));
    if (key->type() == crypto::KeyType::Rsa) kind += " " + std::to_string(key->bits()) + "-bit";
    out.records = "; DKIM " + kind + " key, selector " + *selector + ": private key in " +
                  printable(out.key_file, 1000) + "\n";
    const std::string text = key_record_text(*key);
    for (const auto& d : domains) out.records += zone_records(*selector, d, text);
    // The records go out before the key is installed and activated: when they
    // cannot be written, nothing has changed and the command can be rerun.
    if (auto ok = publish(out.records); !ok) return fail(ok.error().reason + "; no key was installed");
    if (!req.print_only)
        if (auto ok = install_key(req, *key, domain_dir, out.key_file, *selector); !ok)
            return fail(ok.error().reason + " (ignore the records printed above)");
    return out;
}

}  // namespace qauth::dkim
