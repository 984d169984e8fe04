#include "srs/config.hpp"

#include <sys/stat.h>

#include "dns/domain.hpp"
#include "qmail/control.hpp"
#include "srs/address.hpp"
#include "srs/hash.hpp"
#include "srs/timestamp.hpp"
#include "util/io.hpp"
#include "util/strings.hpp"

namespace qauth::srs {

namespace {

/// The control directory, opened on first use; or none at all (`off`),
/// when every file reads as missing.
class LazyControl {
public:
    LazyControl(std::string_view option, bool off) : option_(option), off_(off) {}
    std::string path(std::string_view name) const { return qmail::ControlDir(qmail::control_dir_from(option_)).path(name); }
    Result<std::optional<std::vector<std::string>>> lines(std::string_view name) {
        if (off_) return std::optional<std::vector<std::string>>{};
        auto d = get();
        if (!d) return std::unexpected(d.error());
        return (*d)->lines(name);
    }
    Result<std::string> value(std::string_view name, std::string_view fallback) {
        if (off_) return std::string(fallback);
        auto d = get();
        if (!d) return std::unexpected(d.error());
        return (*d)->value(name, fallback);
    }
    Result<long> number(std::string_view name, long fallback) {
        if (off_) return fallback;
        auto d = get();
        if (!d) return std::unexpected(d.error());
        return (*d)->number(name, fallback);
    }

private:
    Result<const qmail::ControlDir*> get() {
        if (!dir_) {
            auto d = qmail::open_control_dir(option_);
            if (!d) return std::unexpected(d.error());
            dir_.emplace(std::move(*d));
        }
        return &*dir_;
    }
    std::string option_;
    bool off_;
    std::optional<qmail::ControlDir> dir_;
};

/// `name` as a number in [lo, hi], `fallback` when missing.
Result<long> ranged(LazyControl& c, std::string_view name, long fallback, long lo, long hi) {
    auto n = c.number(name, fallback);
    if (!n) return n;
    if (*n < lo || *n > hi)
        return fail(c.path(name) + ": " + std::to_string(*n) + " is out of range " + std::to_string(lo) + "-" +
                    std::to_string(hi));
    return n;
}

Result<void> load_secrets(LazyControl& c, std::vector<crypto::SecretString>& out, const Warn& warn) {
    // The directory must exist: its files are read.
    if (auto probe = c.value("srs_secrets", ""); !probe) return std::unexpected(probe.error());
    const std::string path = c.path("srs_secrets");
    bool missing = false;
    auto text = io::read_file(path, kMaxSecretsFile, &missing);
    if (!text) {
        if (missing) return fail(path + ": missing: SRS needs a secret (srs_domain is set)");
        return std::unexpected(text.error());
    }
    crypto::SecretString file(std::move(*text));
    struct stat st;
    if (::stat(path.c_str(), &st) == 0 && (st.st_mode & S_IROTH))
        warn(path + " is readable by every user: chmod o-r it (mode 0600 or 0640)");
    auto lines = secret_lines(file.view());
    if (!lines) return fail(path + ": " + lines.error().reason);
    for (std::string_view line : *lines) out.emplace_back(std::string(line));
    if (out.empty()) return fail(path + ": holds no secret (SRS needs one: srs_domain is set)");
    return {};
}

Result<void> load_rewrite(LazyControl& c, const Overrides& o, Params& p) {
    if (o.hashlength) {
        p.hashlength = *o.hashlength;
    } else {
        auto n = ranged(c, "srs_hashlength", 4, 1, kMaxHashLength);
        if (!n) return std::unexpected(n.error());
        p.hashlength = static_cast<std::size_t>(*n);
    }
    if (o.separator) {
        p.separator = *o.separator;
    } else {
        auto s = c.value("srs_separator", "=");
        if (!s) return std::unexpected(s.error());
        if (*s != "=" && *s != "+" && *s != "-")
            return fail(c.path("srs_separator") + ": must be =, + or -, not " + *s);
        p.separator = (*s)[0];
    }
    p.always_rewrite = o.always_rewrite;
    if (!p.always_rewrite) {
        auto n = ranged(c, "srs_alwaysrewrite", 0, 0, 1);
        if (!n) return std::unexpected(n.error());
        p.always_rewrite = *n == 1;
    }
    if (!p.always_rewrite) {
        for (const char* name : {"rcpthosts", "locals"}) {
            auto l = c.lines(name);
            if (!l) return std::unexpected(l.error());
            if (*l) p.local_domains.insert(p.local_domains.end(), (*l)->begin(), (*l)->end());
        }
        p.local_domains.insert(p.local_domains.end(), o.local_domains.begin(), o.local_domains.end());
    }
    return {};
}

Result<void> load_reverse(LazyControl& c, const Overrides& o, Params& p) {
    if (o.maxage) {
        p.maxage = *o.maxage;
    } else {
        auto n = ranged(c, "srs_maxage", 21, 1, kTimeSlots - 1);
        if (!n) return std::unexpected(n.error());
        p.maxage = static_cast<unsigned>(*n);
    }
    if (o.hashmin) {
        p.hashmin = *o.hashmin;
        return {};
    }
    auto given = c.value("srs_hashmin", "");
    if (!given) return std::unexpected(given.error());
    if (given->empty()) {  // Mail::SRS: HashMin defaults to HashLength
        if (o.hashlength) {
            p.hashmin = *o.hashlength;
            return {};
        }
        auto n = ranged(c, "srs_hashlength", 4, 1, kMaxHashLength);
        if (!n) return std::unexpected(n.error());
        p.hashmin = static_cast<std::size_t>(*n);
        return {};
    }
    auto n = ranged(c, "srs_hashmin", 4, 1, kMaxHashLength);
    if (!n) return std::unexpected(n.error());
    p.hashmin = static_cast<std::size_t>(*n);
    return {};
}

}  // namespace

Result<std::vector<std::string_view>> secret_lines(std::string_view text) {
    std::vector<std::string_view> out;
    std::string_view rest = text;
    while (!rest.empty()) {
        std::size_t nl = rest.find('\n');
        std::string_view line = rest.substr(0, nl);
        rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty() || line.front() == '#' || line.find_first_not_of(" \t") == std::string_view::npos)
            continue;
        if (line.find('\0') != std::string_view::npos) return fail("contains a NUL byte");
        out.push_back(line);
    }
    return out;
}

Result<Params> load(Operation op, const Overrides& o, const Warn& warn) {
    // Domain and secrets on the command line and no --control-dir: a
    // script's call, no control file is read.
    LazyControl c(o.control_dir, o.domain && !o.secrets.empty() && o.control_dir.empty());
    Params p;
    if (o.domain) {
        p.domain = *o.domain;
    } else {
        auto d = c.value("srs_domain", "");
        if (!d) return std::unexpected(d.error());
        p.domain = std::move(*d);
    }
    if (p.domain.empty()) {
        if (op == Operation::Rewrite) return p;
        std::string where = o.domain ? std::string("--srs-domain") : c.path("srs_domain");
        return fail(where + " is missing or empty: SRS is off, so no address can be reversed");
    }
    auto name = dns::Domain::parse(p.domain, dns::NameRules::Mail);
    if (!name) {
        std::string where = o.domain ? std::string("--srs-domain") : c.path("srs_domain");
        return fail(where + ": not a domain name: " + printable(p.domain) + " (" + name.error().reason + ")");
    }
    p.domain = name->str();  // lower-case, no trailing dot: the form minted and compared
    if (!o.secrets.empty()) {
        for (const auto& s : o.secrets) p.secrets.emplace_back(s);
    } else if (auto s = load_secrets(c, p.secrets, warn); !s) {
        return std::unexpected(s.error());
    }
    auto rest = op == Operation::Rewrite ? load_rewrite(c, o, p) : load_reverse(c, o, p);
    if (!rest) return std::unexpected(rest.error());
    return p;
}

}  // namespace qauth::srs
