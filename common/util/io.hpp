// Complete reads and writes on file descriptors, the copy of a file range to
// an output, and the body spool that keeps large messages out of memory
// (DESIGN §2).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <sys/types.h>

#include "util/result.hpp"

namespace qauth::io {

/// Owns a file descriptor: closed when the owner goes out of scope.
class Fd {
public:
    explicit Fd(int fd = -1) : fd_(fd) {}
    ~Fd();
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    Fd(Fd&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
    int get() const { return fd_; }
    /// Closes the descriptor held, if any, and takes `fd`.
    void reset(int fd);
    /// Gives up ownership: returns the descriptor, which the caller closes.
    int release() {
        int fd = fd_;
        fd_ = -1;
        return fd;
    }
    /// Closes now; false when close(2) reports an error (data written to
    /// the file may then be lost).
    bool close();

private:
    int fd_;
};

/// Reads the whole regular file `path`, at most `max` bytes. Errors name the
/// file: missing (errno ENOENT in `missing` when given), not a regular file
/// (a FIFO or device is refused without blocking), larger than `max`, or a
/// read error.
Result<std::string> read_file(const std::string& path, std::size_t max, bool* missing = nullptr);

/// Reads `fd` to its end, at most `max` bytes. Errors start with `name` (the
/// file's path, or "standard input"): larger than `max`, or a read error.
Result<std::string> read_all(int fd, std::size_t max, const std::string& name);

/// Reads up to `size` bytes from `fd` into `buf`, retrying on EINTR.
/// Returns the count (0 at end of input) or an error naming the errno text.
Result<std::size_t> read_some(int fd, char* buf, std::size_t size);

/// Writes all of `data` to `fd`, retrying on EINTR and short writes.
Result<void> write_all(int fd, std::string_view data);

/// Writes all of `text` to standard output (fd 1), for a program's report.
/// Errors: "standard output is closed" when fd 1 was closed at start (see
/// closed_at_start: the program must not report into /dev/null as if it
/// were read), "standard output: write error: ..." for a failed write.
Result<void> print_stdout(std::string_view text);

/// A program's --help: `text` on standard output. Returns the exit status:
/// 0, or 111 (DESIGN §3) with the write error on stderr as "PROGRAM: fatal:
/// ..." (a help text that did not get out is no success).
int print_help(std::string_view program, std::string_view text);

/// Opens /dev/null on each of fd 0, 1 and 2 that is closed, so that no file
/// opened later takes their numbers, and remembers which were closed (see
/// closed_at_start). False when /dev/null cannot be opened.
bool reserve_standard_fds();

/// True when `fd` (0, 1 or 2) was closed before reserve_standard_fds() ran.
bool closed_at_start(int fd);

/// Buffered writer on a file descriptor. Errors are sticky: after the first
/// failure every later call fails too, so callers may check only at flush().
/// Errors name the output: `name` ("standard output" by default).
class Writer {
public:
    explicit Writer(int fd, std::string name = "standard output") : fd_(fd), name_(std::move(name)) {}
    Result<void> write(std::string_view data);
    Result<void> flush();

    /// Flushes, then writes the `count` bytes of the file `in` that start at
    /// `offset`, read at explicit offsets (the file's own offset is neither
    /// used nor moved): with sendfile(2), in the kernel, where it can write
    /// to this output; else (an O_APPEND output, a kernel or file system
    /// without it) with pread(2) and write(2). `in_name` names the input in
    /// errors. Fails, stickily, on a read or write error, and when the file
    /// ends before `count` bytes: it changed since they were read.
    Result<void> copy_range(int in, std::string_view in_name, off_t offset, std::uint64_t count);

private:
    Result<void> write_out(std::string_view data);

    int fd_;
    std::string name_;
    std::string buf_;
    Result<void> state_{};
};

/// The directory of temporary files: $TMPDIR when set and not empty, else /tmp.
std::string temp_dir();

/// Opens an unlinked read-write file nobody else can open in directory `dir`
/// (close-on-exec, mode 0600): O_TMPFILE where the file system supports it,
/// else mkostemp followed by unlink. Returns the descriptor, which the
/// caller owns; the error names the directory and the errno text.
Result<int> open_temp(const std::string& dir);

/// Holds a message body for later output: in memory up to `memory_limit`
/// bytes, then in an unlinked temporary file under $TMPDIR (or /tmp), so peak
/// memory does not grow with the message.
class Spool {
public:
    explicit Spool(std::size_t memory_limit = 1 << 20) : limit_(memory_limit) {}
    Spool(const Spool&) = delete;
    Spool& operator=(const Spool&) = delete;

    /// Appends `data`; fails when the temporary file cannot be created or
    /// written (the error names its directory).
    Result<void> append(std::string_view data);
    /// Writes everything appended so far to `out`, in order.
    Result<void> copy_to(Writer& out);
    /// Bytes appended so far.
    std::size_t size() const { return size_; }

private:
    std::size_t limit_;
    std::size_t size_ = 0;
    std::string mem_;
    Fd file_;
    std::string dir_;  // where the file is, for error messages
};

}  // namespace qauth::io
