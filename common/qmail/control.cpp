#include "qmail/control.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sys/stat.h>

namespace qauth::qmail {

std::string control_dir_from(std::string_view option) {
    if (!option.empty()) return std::string(option);
    if (const char* env = std::getenv("QMAIL_CONTROL"); env && *env) return env;
    return "/var/qmail/control";
}

std::string ControlDir::path(std::string_view name) const {
    std::string p = dir_;
    if (!p.empty() && p.back() != '/') p += '/';
    p += name;
    return p;
}

Result<std::optional<std::vector<std::string>>> ControlDir::lines(std::string_view name) const {
    const std::string file = path(name);
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        if (errno == ENOENT || errno == ENOTDIR) return std::optional<std::vector<std::string>>{};
        return fail(file + ": cannot read: " + std::strerror(errno));
    }
    std::vector<std::string> out;
    std::string line;
    while (std::getline(in, line)) {
        if (auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
        while (!line.empty() && std::strchr(" \t\r", line.back())) line.pop_back();
        std::size_t start = line.find_first_not_of(" \t");
        if (start == std::string::npos) continue;
        out.push_back(line.substr(start));
    }
    if (in.bad()) return fail(file + ": read error");
    return std::optional<std::vector<std::string>>{std::move(out)};
}

Result<std::string> ControlDir::value(std::string_view name, std::string_view fallback) const {
    auto l = lines(name);
    if (!l) return std::unexpected(l.error());
    if (!*l || (*l)->empty()) return std::string(fallback);
    return (**l)[0];
}

Result<long> ControlDir::number(std::string_view name, long fallback) const {
    auto v = value(name, "");
    if (!v) return std::unexpected(v.error());
    if (v->empty()) return fallback;
    char* end = nullptr;
    errno = 0;
    long n = std::strtol(v->c_str(), &end, 10);
    if (errno || *end || n < 0) return fail(path(name) + ": not a non-negative number: " + *v);
    return n;
}

}  // namespace qauth::qmail
