#include "dns/org_domain.hpp"

#include <libpsl.h>
#include <sys/stat.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <utility>

namespace qauth::dns {

namespace {

// The standard list once standard() has built it: public_suffix_list_used()
// reads it without loading anything. Constant-initialised, so no start-up code.
std::atomic<const Result<PublicSuffixList>*> loaded_list{nullptr};

// Modification time of `path`, or nothing when it cannot be stat'ed.
std::optional<std::time_t> mtime(const char* path) {
    struct stat st {};
    if (path == nullptr || *path == '\0' || ::stat(path, &st) != 0) return std::nullopt;
    return st.st_mtime;
}

std::string utc_date(std::time_t t) {
    std::tm tm{};
    char buf[16] = "";
    if (gmtime_r(&t, &tm) != nullptr) std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

}  // namespace

void PublicSuffixList::Free::operator()(psl_ctx_st* p) const {
    // The built-in list belongs to libpsl.
    if (p != psl_builtin()) psl_free(p);
}

Result<PublicSuffixList> PublicSuffixList::load(const std::string& path) {
    errno = 0;
    psl_ctx_t* ctx = psl_load_file(path.c_str());
    if (ctx == nullptr) {
        const int err = errno;
        return fail("public suffix list " + path + ": " +
                    (err != 0 ? std::strerror(err) : "libpsl cannot load it"));
    }
    PublicSuffixList list(ctx, path);
    // A .dafsa has no rule count (-1); a text file without one rule is not a list.
    if (psl_suffix_count(ctx) == 0) return fail("public suffix list " + path + ": no rules in it");
    return list;
}

Result<PublicSuffixList> PublicSuffixList::load_default() {
    if (const char* file = std::getenv("QAUTH_PSL_FILE"); file != nullptr && *file != '\0') {
        auto r = load(file);
        if (!r) return fail("QAUTH_PSL_FILE: " + r.error().reason);
        return r;
    }
    // psl_latest(NULL)'s choice, keeping the name of what was taken: the
    // newest of the two files (the .dafsa first on a tie) that is newer than
    // the built-in list, else the built-in list.
    const std::time_t builtin_time = psl_builtin_file_time();
    const char* dist = psl_dist_filename();     // Debian: public_suffix_list.dafsa
    const char* text = psl_builtin_filename();  // Debian: public_suffix_list.dat
    std::pair<const char*, std::optional<std::time_t>> files[2] = {{dist, mtime(dist)}, {text, mtime(text)}};
    if (files[1].second && (!files[0].second || *files[1].second > *files[0].second)) std::swap(files[0], files[1]);
    for (const auto& [file, t] : files)
        if (t && *t > builtin_time)
            if (auto r = load(file)) return r;
    if (const psl_ctx_t* builtin = psl_builtin(); builtin != nullptr)
        return PublicSuffixList(const_cast<psl_ctx_t*>(builtin), "libpsl built-in list (from " +
                                                                     std::string(text ? text : "?") + ", " +
                                                                     utc_date(builtin_time) + ")");
    return fail("no public suffix list: libpsl has no built-in list and cannot load " +
                std::string(dist ? dist : "(none)") + " or " + std::string(text ? text : "(none)") +
                " (Debian package publicsuffix)");
}

Result<const PublicSuffixList*> PublicSuffixList::standard() {
    static const Result<PublicSuffixList> list = load_default();
    loaded_list.store(&list, std::memory_order_release);
    if (!list) return std::unexpected(list.error());
    return &*list;
}

Result<std::string> PublicSuffixList::organizational_domain(const Domain& d) const {
    const std::string& name = d.str();
    if (name.empty()) return fail("RFC 7489 3.2: the root has no organizational domain");
    for (unsigned char c : name)
        if (c <= 0x20 || c >= 0x7f)
            return fail("RFC 7489 3.2: the name has a byte outside printable ASCII "
                        "(an IDN is asked in its A-label form, RFC 5890 2.3.2.1)");
    // Steps 3-4: libpsl matches the longest rule (wildcards and exceptions
    // included) and returns a pointer into `name` at the label before it.
    // No such label: the name is itself a public suffix (header comment).
    const char* org = psl_registrable_domain(ctx_.get(), name.c_str());
    if (org == nullptr) return name;
    return std::string(org);
}

Result<std::string> organizational_domain(const Domain& d) {
    auto list = PublicSuffixList::standard();
    if (!list) return std::unexpected(list.error());
    return (*list)->organizational_domain(d);
}

std::optional<Result<std::string>> public_suffix_list_used() {
    const Result<PublicSuffixList>* list = loaded_list.load(std::memory_order_acquire);
    if (list == nullptr) return std::nullopt;
    if (!*list) return Result<std::string>(std::unexpected((*list).error()));
    return Result<std::string>((*list)->source());
}

}  // namespace qauth::dns
