#include "qmail/authqueue.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "qmail/authqueue_chain.hpp"
#include "qmail/control.hpp"
#include "qmail/custom_error.hpp"
#include "qmail/filter_chain.hpp"
#include "qmail/filter_process.hpp"
#include "qmail/status.hpp"
#include "qmail/wrapper.hpp"
#include "util/io.hpp"
#include "util/strings.hpp"

namespace qauth::qmail {

namespace {

constexpr const char* kProg = "qmail-authqueue";
// The descriptors whose state at start-up is remembered: a channel counts
// only when the caller opened it, never when a file of ours took its number.
constexpr int kSnapshotFds = 64;

std::uint64_t g_open_at_start = 0;

void snapshot_fds() {
    for (int fd = 0; fd < kSnapshotFds; ++fd)
        if (::fcntl(fd, F_GETFD) >= 0) g_open_at_start |= std::uint64_t{1} << fd;
}

bool open_at_start(int fd) {
    if (fd >= 0 && fd < kSnapshotFds) return g_open_at_start & (std::uint64_t{1} << fd);
    return fd >= 0 && ::fcntl(fd, F_GETFD) >= 0;
}

class Run {
public:
    explicit Run(const AuthqueueOptions& o) : options_(o) {}
    int go();

private:
    void log(std::string_view line) const {
        if (quiet_) return;
        const std::string l = std::string(kProg) + ": " + printable(line, 400) + "\n";
        (void)io::write_all(2, l);
    }
    int config_error(const std::string& why) {
        log("fatal: " + why);
        return exit_code(QueueStatus::ConfigError);
    }
    int finish(const Decision& d, const std::string& filter);
    int defer(std::string why) { return finish(Decision{Step::Defer, std::move(why)}, {}); }
    // Execs the next qmail-queue with `message` on fd 0 and `envelope` on
    // fd 1; returns (the errno text) only when that fails.
    std::string exec_next(int message, int envelope);
    Result<io::Fd> envelope_file(std::string_view bytes);

    const AuthqueueOptions& options_;
    std::optional<CustomErrorChannel> channel_;
    bool quiet_ = false;  // the channel is fd 2 (indimail): nothing else may go there
    std::string next_, spool_dir_;
};

int Run::finish(const Decision& d, const std::string& filter) {
    const std::string by = filter.empty() ? "" : " by " + filter;
    switch (d.step) {
        case Step::Drop: log("message consumed" + by + " (exit 99): accepted, not queued"); break;
        case Step::Refuse: log("refused" + by + ": " + d.reason); break;
        default: log("deferred" + by + ": " + d.reason); break;
    }
    Answer a = answer(d, channel_);
    if (!a.text.empty() && !io::write_all(channel_->fd, a.text))
        a.exit = exit_code(d.step == Step::Refuse ? QueueStatus::Refused : QueueStatus::TempRefused);
    return a.exit;
}

std::string Run::exec_next(int message, int envelope) {
    for (int fd : {message, envelope})  // the spools: from their start (fd 0 and 1 are the caller's pipes)
        if (fd > 1 && ::lseek(fd, 0, SEEK_SET) != 0) return std::string("seek: ") + std::strerror(errno);
    if ((message != 0 && ::dup2(message, 0) < 0) || (envelope != 1 && ::dup2(envelope, 1) < 0))
        return std::string("dup2: ") + std::strerror(errno);
    default_signal(SIGPIPE);
    default_signal(SIGXFSZ);
    char* argv[] = {next_.data(), nullptr};
    ::execv(next_.c_str(), argv);
    const int e = errno;
    ignore_signal(SIGPIPE);
    ignore_signal(SIGXFSZ);
    return "cannot run " + next_ + ": " + std::strerror(e);
}

Result<io::Fd> Run::envelope_file(std::string_view bytes) {
    int fd = ::memfd_create("qmail-authqueue-envelope", MFD_CLOEXEC);
    if (fd < 0) {
        auto t = io::open_temp(spool_dir_);
        if (!t) return std::unexpected(t.error());
        fd = *t;
    }
    io::Fd f(fd);
    if (auto w = io::write_all(f.get(), bytes); !w) return fail("envelope spool: " + w.error().reason);
    return f;
}

int Run::go() {
    snapshot_fds();
    if (!io::reserve_standard_fds()) return exit_code(QueueStatus::TempRefused);
    wrapper_signals();

    auto dir = open_control_dir(options_.control_dir);
    if (!dir) return config_error(dir.error().reason);
    auto conv_word = dir->value(kCustomErrorFile, "notqmail");
    if (!conv_word) return config_error(conv_word.error().reason);
    auto conv = parse_custom_error_convention(*conv_word);
    if (!conv) return config_error(dir->path(kCustomErrorFile) + ": " + conv.error().reason);
    channel_ = custom_error_channel(*conv, process_env, open_at_start);
    quiet_ = channel_ && channel_->fd == 2;
    auto timeout = dir->number(kTimeoutFile, kDefaultTimeout);
    if (!timeout) return config_error(timeout.error().reason);
    auto spool = dir->value(kSpoolDirFile, "");
    if (!spool) return config_error(spool.error().reason);
    spool_dir_ = spool->empty() ? io::temp_dir() : *spool;

    FilterChain chain;
    if (!options_.args.empty()) {
        chain = chain_from_args(options_.args);
    } else {
        const auto file = std::string(chain_file(chain_direction()));
        auto lines = dir->lines(file);
        if (!lines) return config_error(lines.error().reason);
        if (*lines) {
            auto c = parse_chain_lines(**lines);
            if (!c) return config_error(dir->path(file) + ": " + c.error().reason);
            chain = std::move(*c);
        }
    }
    next_ = next_queue_program();
    ::unsetenv("QMAILQUEUE");  // a filter that queues must not come back here

    if (io::closed_at_start(0) || io::closed_at_start(1))
        return defer(std::string("fd ") + (io::closed_at_start(0) ? "0 (the message)" : "1 (the envelope)") +
                     " is closed");
    // Nothing to run: the real qmail-queue reads the caller's descriptors
    // itself and checks the envelope (exit 91).
    if (chain.empty()) return defer(exec_next(0, 1));

    auto message = spool_fd(0, spool_dir_);
    if (!message) return defer(message.error().reason);
    auto envelope = read_queue_envelope(1);
    if (!envelope) return defer(envelope.error().reason);
    export_filter_variables(*envelope, [this](const std::string& w) { log("warning: " + w); });

    ProcessOptions po;
    po.timeout = *timeout;
    po.log_fd = quiet_ ? -1 : 2;
    if (channel_ && channel_->fd > 2) po.close_in_child.push_back(channel_->fd);
    if (open_at_start(6)) po.close_in_child.push_back(6);
    po.program_dir = options_.program_dir;
    ProcessRunner runner(std::move(po));
    ChainOutcome outcome = run_chain(chain, std::move(*message), runner, spool_dir_, *timeout);
    for (const auto& note : outcome.notes) log(note);
    if (outcome.decision.step != Step::Next) return finish(outcome.decision, outcome.filter);

    auto env_fd = envelope_file(envelope->bytes);
    if (!env_fd) return defer(env_fd.error().reason);
    return defer(exec_next(outcome.message.get(), env_fd->get()));
}

}  // namespace

std::string next_queue_program(const Environment& env) {
    if (const char* n = env("AUTHQUEUE_NEXT"); n && *n) return n;
    std::string home = qmail_home_from("");
    if (!home.empty() && home.back() != '/') home += '/';
    return home + "bin/qmail-queue";
}

int run_authqueue(const AuthqueueOptions& options) {
    Run run(options);
    return run.go();
}

}  // namespace qauth::qmail
