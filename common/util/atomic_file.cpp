#include "util/atomic_file.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace qauth::io {
namespace {

std::string errno_text() { return std::strerror(errno); }

/// A temporary file's name, unlinked at scope exit unless released.
class TempName {
public:
    explicit TempName(std::string path) : path_(std::move(path)) {}
    ~TempName() {
        if (!path_.empty()) ::unlink(path_.c_str());
    }
    TempName(const TempName&) = delete;
    TempName& operator=(const TempName&) = delete;
    const std::string& path() const { return path_; }
    void release() { path_.clear(); }

private:
    std::string path_;
};

}  // namespace

std::string parent_dir(const std::string& path) {
    std::size_t slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

Result<void> write_file_atomically(const std::string& path, std::string_view content, const AtomicWrite& how) {
    const std::string dir = parent_dir(path);
    const std::size_t slash = path.rfind('/');
    std::string pattern = dir + "/." + path.substr(slash == std::string::npos ? 0 : slash + 1) + ".XXXXXX";
    Fd fd(::mkstemp(pattern.data()));
    if (fd.get() < 0) return fail(dir + ": cannot create a temporary file: " + errno_text());
    TempName tmp(pattern);
    if (how.owner && ::fchown(fd.get(), how.owner->st_uid, how.owner->st_gid) != 0 && errno != EPERM)
        return fail(tmp.path() + ": cannot set owner: " + errno_text());
    if (::fchmod(fd.get(), how.mode) != 0) return fail(tmp.path() + ": cannot set mode: " + errno_text());
    if (auto w = write_all(fd.get(), content); !w) return fail(tmp.path() + ": " + w.error().reason);
    if (::fsync(fd.get()) != 0 || !fd.close()) return fail(tmp.path() + ": cannot write: " + errno_text());

    if (how.replace) {
        if (::rename(tmp.path().c_str(), path.c_str()) != 0)
            return fail(path + ": cannot replace: " + errno_text());
        tmp.release();
    } else if (::link(tmp.path().c_str(), path.c_str()) != 0) {
        if (errno == EEXIST) return fail(path + ": exists already; not replaced without --force");
        return fail(path + ": cannot create: " + errno_text());
    }
    return sync_dir(dir);
}

Result<void> sync_dir(const std::string& dir) {
    Fd dirfd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dirfd.get() < 0 || ::fsync(dirfd.get()) != 0) return fail(dir + ": cannot sync: " + errno_text());
    return {};
}

Result<DirLock> DirLock::acquire(const std::string& dir) {
    Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0) return fail(dir + ": cannot open to lock: " + errno_text());
    while (::flock(fd.get(), LOCK_EX) != 0)
        if (errno != EINTR) return fail(dir + ": cannot lock: " + errno_text());
    return DirLock(fd.release());
}

}  // namespace qauth::io
