#include "qmail/wrapper.hpp"

#include <csignal>
#include <cstdlib>
#include <unistd.h>

namespace qauth::qmail {

void ignore_signal(int sig) {
    struct sigaction sa {};
    sa.sa_handler = SIG_IGN;
    ::sigaction(sig, &sa, nullptr);
}

void default_signal(int sig) {
    struct sigaction sa {};
    sa.sa_handler = SIG_DFL;
    ::sigaction(sig, &sa, nullptr);
}

void wrapper_signals() {
    ignore_signal(SIGPIPE);
    ignore_signal(SIGXFSZ);
    default_signal(SIGCHLD);
}

Result<io::Fd> spool_fd(int from, const std::string& dir) {
    auto fd = io::open_temp(dir);
    if (!fd) return std::unexpected(fd.error());
    io::Fd spool(*fd);
    io::Writer out(spool.get(), "spool in " + dir);
    char buf[64 * 1024];
    for (;;) {
        auto n = io::read_some(from, buf, sizeof buf);
        if (!n) return fail("reading the message: " + n.error().reason);
        if (*n == 0) break;
        if (auto w = out.write(std::string_view(buf, *n)); !w) return std::unexpected(w.error());
    }
    if (auto w = out.flush(); !w) return std::unexpected(w.error());
    return spool;
}

std::vector<std::pair<std::string, std::string>> filter_variables(const ReadEnvelope& envelope) {
    const std::string& s = envelope.sender;
    const auto at = s.rfind('@');
    std::string rcpts;
    for (const auto& r : envelope.recipients) rcpts += r + "\n";
    return {
        {"SENDER", s},
        {"RECIPIENT", envelope.recipients.empty() ? std::string() : envelope.recipients.front()},
        {"QMAILUSER", at == std::string::npos ? s : s.substr(0, at)},
        {"QMAILHOST", at == std::string::npos ? std::string() : s.substr(at + 1)},
        {"QMAILRCPTS", rcpts},
    };
}

void export_filter_variables(const ReadEnvelope& envelope, const std::function<void(const std::string&)>& warn) {
    for (const auto& [name, value] : filter_variables(envelope)) {
        if (name == "QMAILRCPTS" && value.size() > kMaxRcptsVariable) {
            warn("QMAILRCPTS left out: " + std::to_string(envelope.recipients.size()) + " recipients");
            continue;
        }
        ::setenv(name.c_str(), value.c_str(), 1);
    }
}

std::string own_directory() {
    char buf[4096];
    const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0) return {};
    std::string path(buf, static_cast<std::size_t>(n));
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

}  // namespace qauth::qmail
