#include "dkim/domain_switch.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>

#include <sys/stat.h>
#include <unistd.h>

#include "qmail/control.hpp"
#include "util/atomic_file.hpp"

namespace qauth::dkim {
namespace {

std::string errno_text() { return std::strerror(errno); }

/// What is at `path`, not following a link.
enum class Entry { Missing, Directory, Link, Other };

Result<Entry> entry_at(const std::string& path) {
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0) {
        if (errno == ENOENT) return Entry::Missing;
        return fail(path + ": cannot access: " + errno_text());
    }
    if (S_ISLNK(st.st_mode)) return Entry::Link;
    return S_ISDIR(st.st_mode) ? Entry::Directory : Entry::Other;
}

/// The target of link `path`, "" when it is none.
std::string link_target(const std::string& path) {
    char buf[512];
    ssize_t n = ::readlink(path.c_str(), buf, sizeof buf);
    return n > 0 && static_cast<std::size_t>(n) < sizeof buf ? std::string(buf, static_cast<std::size_t>(n)) : "";
}

/// Renames `from` to `to` and syncs both directories.
Result<void> move_dir(const std::string& from, const std::string& to) {
    if (::rename(from.c_str(), to.c_str()) != 0) return fail(from + ": cannot rename to " + to + ": " + errno_text());
    if (auto ok = io::sync_dir(io::parent_dir(to)); !ok) return ok;
    return io::sync_dir(io::parent_dir(from));
}

/// Whether alias `alias` may be linked: missing, or linked to `domain` already
/// (true: nothing to do); a refusal for anything else.
Result<bool> alias_linked(const std::string& keys, const std::string& alias, const std::string& domain) {
    const std::string path = keys + "/" + alias;
    auto e = entry_at(path);
    if (!e) return std::unexpected(e.error());
    if (*e == Entry::Missing) return false;
    if (*e == Entry::Link && link_target(path) == domain) return true;
    return usage_error(path + " exists and is not a link to " + domain +
                       ": that domain signs with keys of its own (qauth-config dkim disable " + alias + " first)");
}

}  // namespace

Result<EnableOutcome> enable_signing(const KeygenRequest& request, const Publish& publish) {
    auto domain = keygen_domain(request.domain);
    if (!domain) return usage_error(domain.error().reason);
    KeygenRequest req = request;
    req.domain = *domain;
    req.aliases.clear();
    for (const auto& a : request.aliases) {
        auto d = keygen_domain(a);
        if (!d) return usage_error(d.error().reason);
        if (*d == *domain) return usage_error(*d + " is the domain itself, not an alias");
        if (std::find(req.aliases.begin(), req.aliases.end(), *d) == req.aliases.end()) req.aliases.push_back(*d);
    }
    auto control = qmail::open_control_dir(req.control_dir);
    if (!control) return std::unexpected(control.error());
    const std::string keys = control->path("domainkeys");
    const std::string dir = keys + "/" + *domain, parked = keys + "/" + kDisabledDir + "/" + *domain;

    // Every refusal before anything changes.
    auto here = entry_at(dir);
    if (!here) return std::unexpected(here.error());
    if (*here == Entry::Link)
        return usage_error(dir + " is a link to " + link_target(dir) + ": " + *domain +
                           " is an alias; enable that domain with --alias " + *domain);
    auto away = entry_at(parked);
    if (!away) return std::unexpected(away.error());
    if (*here != Entry::Missing && *away != Entry::Missing)
        return usage_error(dir + " and " + parked + " both exist: remove the one not wanted");
    std::vector<std::string> to_link;
    for (const auto& a : req.aliases) {
        auto linked = alias_linked(keys, a, *domain);
        if (!linked) return std::unexpected(linked.error());
        if (!*linked) to_link.push_back(a);
    }

    EnableOutcome out;
    if (*here == Entry::Missing && *away != Entry::Missing) {
        if (auto ok = move_dir(parked, dir); !ok) return std::unexpected(ok.error());
        out.restored = true;
    }
    struct stat st;
    const std::string key_file = dir + "/" + req.selector;
    req.print_only = !req.replace && ::stat(key_file.c_str(), &st) == 0;
    auto made = run_keygen(req, publish);
    if (!made) return std::unexpected(made.error());
    out.made_key = !req.print_only;
    out.key_file = made->key_file;
    if (req.print_only)  // the kept key signs from now on, too
        if (auto ok = activate_selector(dir, req.selector); !ok) return std::unexpected(ok.error());
    for (const auto& a : to_link) {
        const std::string path = keys + "/" + a;
        if (::symlink(domain->c_str(), path.c_str()) != 0)
            return fail(path + ": cannot link to " + *domain + ": " + errno_text());
        out.linked.push_back(a);
    }
    if (!to_link.empty())
        if (auto ok = io::sync_dir(keys); !ok) return std::unexpected(ok.error());
    return out;
}

Result<DisableOutcome> disable_signing(const std::string& control_dir, const std::string& name) {
    auto domain = keygen_domain(name);
    if (!domain) return usage_error(domain.error().reason);
    auto control = qmail::open_control_dir(control_dir);
    if (!control) return std::unexpected(control.error());
    const std::string keys = control->path("domainkeys"), park = keys + "/" + kDisabledDir;
    const std::string dir = keys + "/" + *domain;
    DisableOutcome out;
    out.parked = park + "/" + *domain;

    auto here = entry_at(dir);
    if (!here) return std::unexpected(here.error());
    if (*here == Entry::Link) {
        out.alias_of = link_target(dir);
        out.parked.clear();
        if (::unlink(dir.c_str()) != 0) return fail(dir + ": cannot remove: " + errno_text());
        if (auto ok = io::sync_dir(keys); !ok) return std::unexpected(ok.error());
        return out;
    }
    auto away = entry_at(out.parked);
    if (!away) return std::unexpected(away.error());
    if (*here == Entry::Missing) {
        if (*away == Entry::Missing) return usage_error("no DKIM key directory for " + *domain + " in " + keys);
        out.already = true;
        return out;
    }
    if (*here != Entry::Directory) return usage_error(dir + ": not a directory");
    if (*away != Entry::Missing) return usage_error(out.parked + " exists already: remove the one not wanted");
    if (::mkdir(park.c_str(), 0750) != 0 && errno != EEXIST) return fail(park + ": cannot create: " + errno_text());
    if (auto ok = move_dir(dir, out.parked); !ok) return std::unexpected(ok.error());
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(keys, ec))
        if (e.is_symlink(ec) && link_target(e.path().string()) == *domain)
            out.aliases.push_back(e.path().filename().string());
    std::sort(out.aliases.begin(), out.aliases.end());
    return out;
}

Result<std::vector<DomainState>> signing_domains(const std::string& control_dir) {
    auto control = qmail::open_control_dir(control_dir);
    if (!control) return std::unexpected(control.error());
    std::vector<DomainState> out;
    const std::string keys = control->path("domainkeys");
    for (const bool parked : {false, true}) {
        const std::string dir = parked ? keys + "/" + kDisabledDir : keys;
        std::error_code ec;
        std::filesystem::directory_iterator it(dir, ec);
        if (ec == std::errc::no_such_file_or_directory) continue;
        if (ec) return fail(dir + ": cannot read: " + ec.message());
        for (const auto& e : it) {
            DomainState d;
            d.domain = e.path().filename().string();
            if (parked) d.state = DomainState::State::Disabled;
            if (d.domain.starts_with(".") || !keygen_domain(d.domain)) continue;  // not a domain's directory
            if (e.is_symlink(ec)) {
                d.state = DomainState::State::Alias;
                d.alias_of = link_target(e.path().string());
                d.signed_now = e.is_directory(ec);  // follows the link
            } else if (!e.is_directory(ec)) {
                continue;
            } else {
                auto listed = qmail::ControlDir(e.path().string()).lines("selector");
                if (!listed) return std::unexpected(listed.error());
                d.selectors = *listed && !(*listed)->empty() ? **listed : std::vector<std::string>{"default"};
            }
            out.push_back(std::move(d));
        }
    }
    std::sort(out.begin(), out.end(), [](const DomainState& a, const DomainState& b) { return a.domain < b.domain; });
    return out;
}

}  // namespace qauth::dkim
