#include "qmail/queue.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "qmail/control.hpp"
#include "util/strings.hpp"

namespace qauth::qmail {

namespace {

// notqmail's qmail.c reads at most this much custom error text from fd 6.
constexpr std::size_t kMaxCustomError = 255;
// The longest reason we return (util/diag.hpp prints up to 400 bytes).
constexpr std::size_t kMaxReason = 400;
// Descriptors the child moves its pipe ends to first, so that none of them
// can be one of 0, 1 and 6 while those are being set up.
constexpr int kChildHighFd = 10;
// How the child reports a failure before or at exec: which step, then errno.
enum : char { kStepChdir = 'c', kStepExec = 'x', kStepSetup = 's' };

// Blocks SIGPIPE while it lives, so that a write to a pipe whose reader has
// gone fails with EPIPE instead of killing us; a SIGPIPE raised meanwhile
// is taken off the pending set again (unless one was pending before), and
// the old mask comes back. Nothing process-wide changes for good.
class SigpipeBlocked {
public:
    SigpipeBlocked() {
        sigemptyset(&pipe_);
        sigaddset(&pipe_, SIGPIPE);
        ::pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
        sigset_t pending;
        was_pending_ = ::sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE);
    }
    ~SigpipeBlocked() {
        sigset_t pending;
        if (!was_pending_ && ::sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE)) {
            const timespec now{0, 0};
            while (::sigtimedwait(&pipe_, nullptr, &now) < 0 && errno == EINTR) {}
        }
        ::pthread_sigmask(SIG_SETMASK, &old_, nullptr);
    }
    SigpipeBlocked(const SigpipeBlocked&) = delete;
    SigpipeBlocked& operator=(const SigpipeBlocked&) = delete;

private:
    sigset_t pipe_, old_;
    bool was_pending_ = false;
};

std::string errno_text(int e) { return std::strerror(e); }

// A pipe, both ends close-on-exec.
Result<void> make_pipe(io::Fd& read_end, io::Fd& write_end) {
    int p[2];
    if (::pipe2(p, O_CLOEXEC) != 0) return fail("cannot make a pipe: " + errno_text(errno));
    read_end.reset(p[0]);
    write_end.reset(p[1]);
    return {};
}

// In the child, between fork and exec: only async-signal-safe calls.
[[noreturn]] void child_fail(int report, char step, int code) {
    char msg[1 + sizeof(int)];
    const int e = errno;
    msg[0] = step;
    std::memcpy(msg + 1, &e, sizeof e);
    ssize_t n;
    do n = ::write(report, msg, sizeof msg);
    while (n < 0 && errno == EINTR);
    ::_exit(code);
}

[[noreturn]] void run_child(int message, int envelope, int errors, int report, const char* home,
                            const char* program) {
    int fds[3] = {message, envelope, errors};
    for (int& fd : fds) {
        if (fd < 0) continue;
        fd = ::fcntl(fd, F_DUPFD_CLOEXEC, kChildHighFd);
        if (fd < 0) child_fail(report, kStepSetup, 120);
    }
    report = ::fcntl(report, F_DUPFD_CLOEXEC, kChildHighFd);
    if (report < 0) ::_exit(120);
    // dup2 clears close-on-exec on the copy; the high originals close at exec.
    if (::dup2(fds[0], 0) < 0 || ::dup2(fds[1], 1) < 0) child_fail(report, kStepSetup, 120);
    if (fds[2] < 0)
        ::close(6);  // no custom error channel: the program must not find one
    else if (::dup2(fds[2], 6) < 0)
        child_fail(report, kStepSetup, 120);
    // qmail-queue gets SIGPIPE as it would from any qmail program.
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    ::sigaction(SIGPIPE, &dfl, nullptr);
    if (*home && ::chdir(home) != 0) child_fail(report, kStepChdir, 61);  // qmail.c: 61
    char* argv[] = {const_cast<char*>(program), nullptr};
    ::execv(program, argv);
    child_fail(report, kStepExec, 120);  // qmail.c: 120, "unable to exec qq"
}

std::string base_name(std::string_view path) {
    auto slash = path.rfind('/');
    std::string name(slash == std::string_view::npos ? path : path.substr(slash + 1));
    return name.empty() ? std::string(path) : name;
}

QueueOutcome temporary(std::string reason, int exit = -1) {
    return QueueOutcome{FilterStatus::Temporary, printable(reason, kMaxReason), exit, {}};
}

}  // namespace

std::string queue_program(std::string_view home, const Environment& env) {
    if (const char* q = env("QMAILQUEUE"); q && *q) return q;
    std::string p(home);
    if (!p.empty() && p.back() != '/') p += '/';
    return p + "bin/qmail-queue";
}

QueueClient::Child::~Child() {
    if (pid > 0) (void)wait();
}

int QueueClient::Child::wait() {
    int status = 0;
    pid_t r;
    do r = ::waitpid(pid, &status, 0);
    while (r < 0 && errno == EINTR);
    pid = -1;
    return r < 0 ? -1 : status;
}

QueueClient::QueueClient(Child child, int message, int envelope, int errors, std::string name)
    : child_(std::move(child)),
      message_(message),
      envelope_(envelope),
      errors_(errors),
      out_(message, name + " (message on fd 0)"),
      name_(std::move(name)) {}

Result<QueueClient> QueueClient::start(const QueueOptions& options) {
    const std::string home = qmail_home_from(options.home);
    const std::string program = options.program.empty() ? queue_program(home) : options.program;
    const std::string name = base_name(program);
    io::Fd msg_r, msg_w, env_r, env_w, err_r, err_w, rep_r, rep_w;
    for (auto [r, w] : {std::pair{&msg_r, &msg_w}, {&env_r, &env_w}, {&rep_r, &rep_w}})
        if (auto p = make_pipe(*r, *w); !p) return fail("cannot start " + name + ": " + p.error().reason);
    if (options.custom_error)
        if (auto p = make_pipe(err_r, err_w); !p) return fail("cannot start " + name + ": " + p.error().reason);

    const pid_t pid = ::fork();
    if (pid < 0) return fail("cannot start " + name + ": fork: " + errno_text(errno));
    if (pid == 0) run_child(msg_r.get(), env_r.get(), err_w.get(), rep_w.get(), home.c_str(), program.c_str());
    Child child(pid);
    rep_w.reset(-1);  // the child's ends go; EOF on the report pipe now means exec succeeded
    msg_r.reset(-1);
    env_r.reset(-1);
    err_w.reset(-1);

    char report[1 + sizeof(int)];
    std::size_t got = 0;
    while (got < sizeof report) {
        auto n = io::read_some(rep_r.get(), report + got, sizeof report - got);
        if (!n) {  // close our ends first, or the child, reaped below, may wait for them
            msg_w.reset(-1);
            env_w.reset(-1);
            err_r.reset(-1);
            return fail("cannot start " + name + ": " + n.error().reason);
        }
        if (*n == 0) break;
        got += *n;
    }
    if (got > 0) {
        int e = 0;
        if (got == sizeof report) std::memcpy(&e, report + 1, sizeof e);
        (void)child.wait();
        if (report[0] == kStepChdir)
            return fail("cannot run " + program + ": cannot change to the qmail home " + home + ": " + errno_text(e));
        if (report[0] == kStepExec) return fail("cannot run " + program + ": " + errno_text(e));
        return fail("cannot run " + program + ": setting up its descriptors: " + errno_text(e));
    }
    return QueueClient(std::move(child), msg_w.release(), env_w.release(), err_r.release(), name);
}

QueueClient::~QueueClient() = default;

Result<void> QueueClient::write(std::string_view data) {
    SigpipeBlocked guard;
    return out_.write(data);
}

Result<void> QueueClient::copy_from(int fd, std::string_view fd_name) {
    SigpipeBlocked guard;
    char buf[64 * 1024];
    for (;;) {
        auto n = io::read_some(fd, buf, sizeof buf);
        if (!n) {
            if (local_error_.empty()) local_error_ = std::string(fd_name) + ": " + n.error().reason;
            return fail(local_error_);
        }
        if (*n == 0) return {};
        if (auto w = out_.write(std::string_view(buf, *n)); !w) return w;
    }
}

QueueOutcome QueueClient::finish(const QueueEnvelope& envelope) {
    if (finished_) return temporary("queueing through " + name_ + ": already finished");
    finished_ = true;
    std::string write_error;
    {
        SigpipeBlocked guard;
        auto w = out_.flush();
        if (!w) write_error = w.error().reason;
        if (!message_.close() && write_error.empty())
            write_error = name_ + " (message on fd 0): close: " + errno_text(errno);
        // The envelope goes only after a whole message, so that a program that
        // queues (qmail-queue) never queues a truncated one.
        if (write_error.empty() && local_error_.empty()) {
            if (auto e = io::write_all(envelope_.get(), envelope.bytes()); !e)
                write_error = name_ + " (envelope on fd 1): " + e.error().reason;
        }
        if (!envelope_.close() && write_error.empty())
            write_error = name_ + " (envelope on fd 1): close: " + errno_text(errno);
    }
    std::string custom;
    if (errors_.get() >= 0) {
        char buf[kMaxCustomError];
        while (custom.size() < kMaxCustomError) {
            auto n = io::read_some(errors_.get(), buf, kMaxCustomError - custom.size());
            if (!n || *n == 0) break;  // a read error on fd 6: as if it said nothing
            custom.append(buf, *n);
        }
        errors_.reset(-1);
    }
    const int status = child_.wait();
    if (status == -1) return temporary("waiting for " + name_ + ": " + errno_text(errno));
    if (WIFSIGNALED(status)) {
        const int sig = WTERMSIG(status);
        const char* what = ::strsignal(sig);
        return temporary(name_ + " was killed by signal " + std::to_string(sig) + " (" + (what ? what : "?") + ")");
    }
    if (!WIFEXITED(status)) return temporary(name_ + " ended with wait status " + std::to_string(status));
    const int exit = WEXITSTATUS(status);
    if (!local_error_.empty())
        return temporary("not queued: " + local_error_ + " (" + name_ + " exited " + std::to_string(exit) + ")", exit);
    if (exit == 0) {
        if (write_error.empty()) return QueueOutcome{FilterStatus::Ok, {}, 0, {}};
        return temporary(write_error + " (" + name_ + " exited 0 without the whole message)", 0);
    }
    const std::string prefix = name_ + " exited " + std::to_string(exit) + ": ";
    if (exit == exit_code(QueueStatus::CustomError) && custom.size() >= 3) {
        QueueOutcome out;
        out.exit = exit;
        out.status = custom[0] == 'D' ? FilterStatus::Permanent : FilterStatus::Temporary;
        const std::string text = printable(std::string_view(custom).substr(1), kMaxCustomError - 1);
        out.custom_error = (custom[0] == 'D' ? "D" : "Z") + text;
        out.reason = printable(prefix + text, kMaxReason);
        return out;
    }
    QueueOutcome out;
    out.exit = exit;
    out.status = is_permanent_queue_exit(exit) ? FilterStatus::Permanent : FilterStatus::Temporary;
    out.reason = printable(prefix + queue_exit_text(exit), kMaxReason);
    return out;
}

QueueOutcome queue_message(const QueueOptions& options, const QueueEnvelope& envelope, std::string_view prefix,
                           int fd) {
    auto client = QueueClient::start(options);
    if (!client) return temporary(client.error().reason);
    // Errors are sticky and reported by finish(), which also decides the status.
    if (client->write(prefix) && fd >= 0) (void)client->copy_from(fd, "the message");
    return client->finish(envelope);
}

}  // namespace qauth::qmail
