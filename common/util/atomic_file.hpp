// Failure-atomic file replacement and advisory locks, for the admin tools that
// change files in the control directory (dkimkeygen today; qauth-config next).
#pragma once

#include <string>
#include <string_view>

#include <sys/stat.h>

#include "util/io.hpp"
#include "util/result.hpp"

namespace qauth::io {

/// How write_file_atomically() makes the new file.
struct AtomicWrite {
    mode_t mode = 0644;                 ///< permissions of the new file, set by fchmod (the umask does not apply)
    const struct stat* owner = nullptr; ///< when set, the new file gets this uid/gid where we may (root)
    bool replace = true;                ///< rename over an existing file; false: hard-link, fail if it exists
};

/// Makes `content` the file `path`, so that a crash leaves the old file or
/// the new one, never part of one: a temporary file beside it ("." + name +
/// ".XXXXXX", a name no selector or control file can have), written with
/// `how.mode` (and owner), fsync'ed, then renamed over `path` or, without
/// `how.replace`, hard-linked so that an existing file stays (the error then
/// says "exists already"). The directory is fsync'ed last so that the new name
/// survives a crash. The temporary file is removed on every failure. Errors
/// name the file or directory and the errno text.
Result<void> write_file_atomically(const std::string& path, std::string_view content, const AtomicWrite& how);

/// fsync(2) of directory `dir`, so that a name made, renamed or removed in
/// it survives a crash. Errors name the directory.
Result<void> sync_dir(const std::string& dir);

/// The directory part of `path` ("." without a slash, "/" for "/x").
std::string parent_dir(const std::string& path);

/// An exclusive flock(2) on a file or directory, held for the lock's life.
/// For read-modify-rename updates: every writer of the file takes the lock
/// on its directory first (the file itself is replaced, so it cannot carry
/// the lock). Advisory: readers need not lock, since they see either file.
class DirLock {
public:
    /// Blocks until the lock on `dir` is ours. Errors name the directory.
    static Result<DirLock> acquire(const std::string& dir);
    DirLock(DirLock&&) = default;

private:
    explicit DirLock(int fd) : fd_(fd) {}
    Fd fd_;  // closing it releases the lock
};

}  // namespace qauth::io
