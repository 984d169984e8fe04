#include "util/io.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <cstdint>
#include <fcntl.h>
#include <poll.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/diag.hpp"

namespace qauth::io {

Fd::~Fd() {
    if (fd_ >= 0) ::close(fd_);
}

void Fd::reset(int fd) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
}

bool Fd::close() {
    int fd = fd_;
    fd_ = -1;
    return ::close(fd) == 0;
}

Result<std::size_t> read_some(int fd, char* buf, std::size_t size) {
    for (;;) {
        ssize_t n = ::read(fd, buf, size);
        if (n >= 0) return static_cast<std::size_t>(n);
        if (errno == EAGAIN || errno == EWOULDBLOCK) {  // a non-blocking input: wait for data
            pollfd p{fd, POLLIN, 0};
            if (::poll(&p, 1, -1) >= 0 || errno == EINTR) continue;
        }
        if (errno != EINTR) return fail(std::string("read error: ") + std::strerror(errno));
    }
}

Result<std::string> read_file(const std::string& path, std::size_t max, bool* missing) {
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
    if (missing) *missing = fd.get() < 0 && (errno == ENOENT || errno == ENOTDIR);
    if (fd.get() < 0) return fail(path + ": cannot open: " + std::strerror(errno));
    struct stat st;
    if (::fstat(fd.get(), &st) != 0) return fail(path + ": cannot stat: " + std::strerror(errno));
    if (!S_ISREG(st.st_mode)) return fail(path + ": not a regular file");
    if (static_cast<std::uint64_t>(st.st_size) > max)
        return fail(path + ": larger than " + std::to_string(max) + " bytes");
    return read_all(fd.get(), max, path);  // the file may grow while it is read
}

Result<std::string> read_all(int fd, std::size_t max, const std::string& name) {
    std::string text;
    char buf[16384];
    for (;;) {
        auto n = read_some(fd, buf, sizeof buf);
        if (!n) return fail(name + ": " + n.error().reason);
        if (*n == 0) return text;
        if (text.size() + *n > max) return fail(name + ": larger than " + std::to_string(max) + " bytes");
        text.append(buf, *n);
    }
}

Result<void> write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return fail(std::string("write error: ") + std::strerror(errno));
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return {};
}

Result<void> print_stdout(std::string_view text) {
    if (closed_at_start(1)) return fail("standard output is closed");
    if (auto w = write_all(1, text); !w) return fail("standard output: " + w.error().reason);
    return {};
}

int print_help(std::string_view program, std::string_view text) {
    if (auto written = print_stdout(text); !written) {
        report(program, written.error());
        return 111;
    }
    return 0;
}

namespace {
constexpr std::size_t kWriterBuffer = 64 * 1024;
unsigned g_closed_fds = 0;  // bit n: fd n was closed at start
}  // namespace

bool reserve_standard_fds() {
    for (int fd = 0; fd <= 2; ++fd) {
        if (::fcntl(fd, F_GETFD) >= 0) continue;
        g_closed_fds |= 1u << fd;
        if (::open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) != fd) return false;
    }
    return true;
}

bool closed_at_start(int fd) { return fd >= 0 && fd <= 2 && (g_closed_fds & (1u << fd)); }

Result<void> Writer::write_out(std::string_view data) {
    auto r = write_all(fd_, data);
    if (!r) return fail(name_ + ": " + r.error().reason);
    return r;
}

Result<void> Writer::write(std::string_view data) {
    if (!state_) return state_;
    if (buf_.size() + data.size() <= kWriterBuffer) {
        buf_.append(data);
        return {};
    }
    if (auto r = flush(); !r) return r;
    if (data.size() >= kWriterBuffer) return state_ = write_out(data);
    buf_.append(data);
    return {};
}

Result<void> Writer::flush() {
    if (!state_) return state_;
    if (!buf_.empty()) {
        state_ = write_out(buf_);
        buf_.clear();
    }
    return state_;
}

namespace {

// The most one sendfile(2) call moves (Linux stops at 0x7ffff000 anyway).
constexpr std::size_t kCopyStep = std::size_t{1} << 30;

// sendfile(2) cannot do this copy, though plain reads and writes can: the
// output has O_APPEND or the kernel or file system has no splice for it.
bool sendfile_unsupported(int e) { return e == EINVAL || e == ENOSYS || e == EOPNOTSUPP; }

}  // namespace

Result<void> Writer::copy_range(int in, std::string_view in_name, off_t offset, std::uint64_t count) {
    if (auto r = flush(); !r) return r;
    bool kernel = true;
    std::string buf;
    while (count > 0) {
        const std::size_t step = std::min<std::uint64_t>(count, kCopyStep);
        ssize_t n;
        if (kernel) {
            n = ::sendfile(fd_, in, &offset, step);  // moves `offset`, not the file's
            if (n < 0 && sendfile_unsupported(errno)) {
                kernel = false;
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            if (n < 0)  // mostly the output's (full, too large, closed), rarely the input's
                return state_ = fail(name_ + ": write error: " + std::strerror(errno) + " (copying from " +
                                     std::string(in_name) + ")");
        } else {
            buf.resize(kWriterBuffer);
            n = ::pread(in, buf.data(), std::min(step, buf.size()), offset);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) return state_ = fail(std::string(in_name) + ": read error: " + std::strerror(errno));
            if (n > 0) {
                if (auto r = write_out(std::string_view(buf.data(), static_cast<std::size_t>(n))); !r) return state_ = r;
                offset += n;
            }
        }
        if (n == 0)
            return state_ = fail(std::string(in_name) + ": the file now ends before byte " +
                                 std::to_string(offset + count) + ", the end of the message read from it");
        count -= static_cast<std::uint64_t>(n);
    }
    return state_;
}

std::string temp_dir() {
    const char* dir = std::getenv("TMPDIR");
    return (dir && *dir) ? dir : "/tmp";
}

Result<int> open_temp(const std::string& d) {
    int fd = ::open(d.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0) return fd;
    std::string tmpl = d + "/qauth.XXXXXX";
    fd = ::mkostemp(tmpl.data(), O_CLOEXEC);
    if (fd < 0) return fail("cannot create temporary file in " + d + ": " + std::strerror(errno));
    ::unlink(tmpl.c_str());
    return fd;
}

Result<void> Spool::append(std::string_view data) {
    size_ += data.size();
    if (file_.get() < 0 && mem_.size() + data.size() <= limit_) {
        mem_.append(data);
        return {};
    }
    auto named = [&](Result<void> r) -> Result<void> {
        if (!r) return fail("temporary file in " + dir_ + ": " + r.error().reason);
        return r;
    };
    if (file_.get() < 0) {
        dir_ = temp_dir();
        auto fd = open_temp(dir_);
        if (!fd) return std::unexpected(fd.error());
        file_.reset(*fd);
        if (auto r = named(write_all(file_.get(), mem_)); !r) return r;
        std::string().swap(mem_);
    }
    return named(write_all(file_.get(), data));
}

Result<void> Spool::copy_to(Writer& out) {
    if (file_.get() < 0) return out.write(mem_);
    if (::lseek(file_.get(), 0, SEEK_SET) < 0)
        return fail("temporary file in " + dir_ + ": seek: " + std::strerror(errno));
    std::string buf(kWriterBuffer, '\0');
    for (;;) {
        auto n = read_some(file_.get(), buf.data(), buf.size());
        if (!n) return fail("temporary file in " + dir_ + ": " + n.error().reason);
        if (*n == 0) return {};
        if (auto r = out.write(std::string_view(buf.data(), *n)); !r) return r;
    }
}

}  // namespace qauth::io
