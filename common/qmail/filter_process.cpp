#include "qmail/filter_process.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <poll.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/io.hpp"

namespace qauth::qmail {

namespace {

constexpr int kCannotRun = 111;
// How often the exit of a filter is checked for when there is no pidfd.
constexpr int kExitPollMs = 20;  // DESIGN §3: a filter that cannot run is a temporary failure

// The first stderr line, then everything after it to the log.
class StderrSplitter {
public:
    explicit StderrSplitter(int log_fd) : log_fd_(log_fd) {}
    void feed(std::string_view data) {
        if (!done_) {
            const auto lf = data.find('\n');
            const auto part = data.substr(0, lf);
            if (first_.size() < kMaxFirstLine) first_.append(part.substr(0, kMaxFirstLine - first_.size()));
            if (lf == std::string_view::npos) return;
            done_ = true;
            data.remove_prefix(lf + 1);
        }
        if (log_fd_ >= 0 && !data.empty()) (void)io::write_all(log_fd_, data);
    }
    std::string take() {
        if (!first_.empty() && first_.back() == '\r') first_.pop_back();
        return std::move(first_);
    }

private:
    int log_fd_;
    bool done_ = false;
    std::string first_;
};

long now_ms() {
    timespec ts;
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

FilterEnd cannot_run(std::string why) { return FilterEnd{FilterEnd::How::Exited, kCannotRun, std::move(why)}; }

// In the child, between fork and exec.
[[noreturn]] void run_child(const std::string& path, char* const* argv, int in, int out, int err,
                            const std::vector<int>& close_fds, const std::string& name) {
    ::setpgid(0, 0);
    if (::dup2(in, 0) < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0) ::_exit(kCannotRun);
    for (int fd : close_fds)
        if (fd > 2) ::close(fd);
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    ::sigaction(SIGPIPE, &dfl, nullptr);
    ::sigaction(SIGXFSZ, &dfl, nullptr);
    if (path.find('/') != std::string::npos)
        ::execv(path.c_str(), argv);
    else
        ::execvp(path.c_str(), argv);
    const std::string msg = "cannot run " + name + ": " + std::strerror(errno) + "\n";
    (void)!::write(2, msg.data(), msg.size());
    ::_exit(kCannotRun);
}

}  // namespace

std::string resolve_program(std::string_view name, std::string_view program_dir) {
    if (name.find('/') != std::string_view::npos || program_dir.empty()) return std::string(name);
    std::string p(program_dir);
    if (p.back() != '/') p += '/';
    p += name;
    struct stat st;
    if (::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(p.c_str(), X_OK) == 0) return p;
    return std::string(name);
}

FilterEnd ProcessRunner::run(const FilterCommand& command, int in, int out) {
    const std::string name = filter_name(command);
    if (command.empty()) return cannot_run("empty filter command");
    const std::string path = resolve_program(command[0], options_.program_dir);
    std::vector<char*> argv;
    for (const auto& a : command) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);

    int p[2];
    if (::pipe2(p, O_CLOEXEC) != 0) return cannot_run("cannot run " + name + ": pipe: " + std::strerror(errno));
    io::Fd err_r(p[0]), err_w(p[1]);
    const pid_t pid = ::fork();
    if (pid < 0) return cannot_run("cannot run " + name + ": fork: " + std::strerror(errno));
    if (pid == 0) run_child(path, argv.data(), in, out, err_w.get(), options_.close_in_child, name);
    ::setpgid(pid, pid);  // also here: whichever runs first, the group exists before any kill
    err_w.reset(-1);
    // glibc 2.36's <sys/pidfd.h> lacks extern "C" for C++: the system call itself.
    io::Fd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));

    StderrSplitter split(options_.log_fd);
    const long deadline = options_.timeout > 0 ? now_ms() + options_.timeout * 1000L : -1;
    bool timed_out = false;
    int status = 0;
    pid_t w = 0;  // pid once reaped
    char buf[8192];
    for (;;) {
        // Without a pidfd (a kernel before 5.3, valgrind) the exit is polled for.
        if (pidfd.get() < 0) {
            do w = ::waitpid(pid, &status, WNOHANG);
            while (w < 0 && errno == EINTR);
            if (w != 0) break;
        }
        pollfd fds[2];
        nfds_t n = 0;
        if (err_r.get() >= 0) fds[n++] = {err_r.get(), POLLIN, 0};
        if (pidfd.get() >= 0) fds[n++] = {pidfd.get(), POLLIN, 0};
        int wait_ms = -1;
        if (deadline >= 0) wait_ms = static_cast<int>(std::max(0L, deadline - now_ms()));
        if (pidfd.get() < 0) wait_ms = wait_ms < 0 ? kExitPollMs : std::min(wait_ms, kExitPollMs);
        const int r = ::poll(fds, n, wait_ms);
        if (r < 0 && errno != EINTR) break;  // then wait for it below
        if (r == 0 && deadline >= 0 && now_ms() >= deadline) {
            timed_out = true;
            break;
        }
        bool exited = false;
        for (nfds_t i = 0; r > 0 && i < n; ++i) {
            if (!fds[i].revents) continue;
            if (fds[i].fd == pidfd.get()) {
                exited = true;
            } else {
                auto got = io::read_some(err_r.get(), buf, sizeof buf);
                if (!got || *got == 0)
                    err_r.reset(-1);
                else
                    split.feed(std::string_view(buf, *got));
            }
        }
        if (exited) break;
    }
    if (timed_out) {
        ::kill(-pid, SIGKILL);
        ::kill(pid, SIGKILL);
    }
    if (w == 0) {
        do w = ::waitpid(pid, &status, 0);
        while (w < 0 && errno == EINTR);
    }
    ::kill(-pid, SIGKILL);  // anything it left behind
    if (err_r.get() >= 0) {  // what it wrote before exiting, without waiting for leftovers
        ::fcntl(err_r.get(), F_SETFL, O_NONBLOCK);
        for (;;) {
            const ssize_t got = ::read(err_r.get(), buf, sizeof buf);
            if (got <= 0) break;
            split.feed(std::string_view(buf, static_cast<std::size_t>(got)));
        }
    }
    FilterEnd end;
    end.first_line = split.take();
    if (timed_out) {
        end.how = FilterEnd::How::TimedOut;
    } else if (w < 0) {
        return cannot_run("waiting for " + name + ": " + std::strerror(errno));
    } else if (WIFSIGNALED(status)) {
        end.how = FilterEnd::How::Signaled;
        end.code = WTERMSIG(status);
    } else {
        end.code = WEXITSTATUS(status);
    }
    return end;
}

}  // namespace qauth::qmail
