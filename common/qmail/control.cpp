#include "qmail/control.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sys/stat.h>

#include "util/io.hpp"
#include "util/strings.hpp"

namespace qauth::qmail {

std::string control_dir_from(std::string_view option) {
    if (!option.empty()) return std::string(option);
    if (const char* env = std::getenv("QMAIL_CONTROL"); env && *env) return env;
    return "/var/qmail/control";
}

std::string qmail_home_from(std::string_view option) {
    if (!option.empty()) return std::string(option);
    if (const char* env = std::getenv("QMAIL_HOME"); env && *env) return env;
    return "/var/qmail";
}

Result<ControlDir> open_control_dir(std::string_view option) {
    std::string dir = control_dir_from(option);
    struct stat st;
    if (::stat(dir.c_str(), &st) != 0) return fail(dir + ": control directory: " + std::strerror(errno));
    if (!S_ISDIR(st.st_mode)) return fail(dir + ": control directory: not a directory");
    return ControlDir(std::move(dir));
}

std::vector<std::string> control_lines(std::string_view text) {
    std::vector<std::string> out;
    for (auto& line : split(text, '\n')) {
        if (auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
        while (!line.empty() && std::strchr(" \t\r", line.back())) line.pop_back();
        std::size_t start = line.find_first_not_of(" \t");
        if (start == std::string::npos) continue;
        out.push_back(line.substr(start));
    }
    return out;
}

std::string ControlDir::path(std::string_view name) const {
    std::string p = dir_;
    if (!p.empty() && p.back() != '/') p += '/';
    p += name;
    return p;
}

Result<std::optional<std::vector<std::string>>> ControlDir::lines(std::string_view name) const {
    bool missing = false;
    auto text = io::read_file(path(name), kMaxControlFile, &missing);
    if (!text) {
        if (missing) return std::optional<std::vector<std::string>>{};
        return std::unexpected(text.error());
    }
    if (text->find('\0') != std::string::npos) return fail(path(name) + ": contains a NUL byte");
    return std::optional<std::vector<std::string>>{control_lines(*text)};
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
