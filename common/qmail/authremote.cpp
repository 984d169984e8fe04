#include "qmail/authremote.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

#include "dkim/keystore.hpp"
#include "qmail/authqueue.hpp"
#include "qmail/filter_chain.hpp"
#include "qmail/filter_process.hpp"
#include "qmail/wrapper.hpp"
#include "util/io.hpp"
#include "util/strings.hpp"
#include "util/tag_list.hpp"

namespace qauth::qmail {

namespace {

constexpr const char* kProg = "qmail-authremote";

// Nothing goes to fd 2: qmail-rspawn makes qmail-remote's fd 2 a copy of
// fd 1 (fd_copy(2,1) in qmail-rspawn.c), so any byte there would become part
// of the report, and a report that does not start with r, h, s, K, Z or D
// reads as a permanent failure. The reason is in the Z report, which
// qmail-send logs; the filters' stderr beyond their first line is dropped.

bool is_directory(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool has_key_directory(const ControlDir& control, std::string_view domain) {
    if (domain.empty() || domain.find('/') != std::string_view::npos || domain.front() == '.') return false;
    return is_directory(control.path("domainkeys/" + lower(domain)));
}

// Whether qmail-dkimsign would sign for `domain` (its selectors, without
// loading the keys: qmail-authremote links no crypto, and a key it cannot
// load is qmail-dkimsign's failure, which defers the message).
Result<bool> has_key(const ControlDir& control, std::string_view domain) {
    auto selectors = dkim::domain_selectors(control, lower(domain), {});
    if (!selectors) return std::unexpected(selectors.error());
    return !selectors->empty();
}

class Run {
public:
    explicit Run(const AuthremoteOptions& o) : options_(o) {}
    int go();

private:
    int defer(const std::string& why) {
        (void)io::write_all(1, temporary_report(why));
        return 0;
    }
    // Execs the next qmail-remote with `message` (from its start) on fd 0;
    // returns (the reason) only when that fails.
    std::string exec_next(int message);

    const AuthremoteOptions& options_;
    std::string next_;
};

std::string Run::exec_next(int message) {
    if (::lseek(message, 0, SEEK_SET) != 0) return std::string("seek: ") + std::strerror(errno);
    if (message != 0 && ::dup2(message, 0) < 0) return std::string("dup2: ") + std::strerror(errno);
    std::vector<char*> argv;
    argv.push_back(next_.data());
    std::vector<std::string> args = options_.args;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    default_signal(SIGPIPE);
    default_signal(SIGXFSZ);
    ::execv(next_.c_str(), argv.data());
    const int e = errno;
    ignore_signal(SIGPIPE);
    ignore_signal(SIGXFSZ);
    return "cannot run " + next_ + ": " + std::strerror(e);
}

int Run::go() {
    if (!io::reserve_standard_fds()) return 111;  // qmail-rspawn: "Unable to run qmail-remote", deferred
    wrapper_signals();
    next_ = next_remote_program();
    ::unsetenv("QMAILREMOTE");  // the next qmail-remote is never this program again
    if (options_.args.size() < 3) return defer("invoked improperly: usage: qmail-authremote host sender recip...");
    if (io::closed_at_start(0)) return defer("fd 0 (the message) is closed");

    auto dir = open_control_dir(options_.control_dir);
    if (!dir) return defer(dir.error().reason);
    auto timeout = dir->number(kTimeoutFile, kDefaultTimeout);
    if (!timeout) return defer(timeout.error().reason);
    auto spool = dir->value(kSpoolDirFile, "");
    if (!spool) return defer(spool.error().reason);
    const std::string spool_dir = spool->empty() ? io::temp_dir() : *spool;

    FilterChain chain{{kDefaultRemoteChain}};
    auto lines = dir->lines(kRemoteChainFile);
    if (!lines) return defer(lines.error().reason);
    if (*lines) {
        auto c = parse_chain_lines(**lines);
        if (!c) return defer(dir->path(kRemoteChainFile) + ": " + c.error().reason);
        chain = std::move(*c);
    }

    auto message = spool_fd(0, spool_dir);
    if (!message) return defer(message.error().reason);
    auto header = read_message_header(message->get());
    if (!header) return defer(header.error().reason);
    if (chain.empty()) return defer(exec_next(message->get()));
    if (signed_here(*header, *dir)) return defer(exec_next(message->get()));  // passed on unchanged
    const std::string& sender = options_.args[1];
    auto bounce = bounce_domain(*header, sender, *dir);
    if (!bounce) return defer(bounce.error().reason);
    if (*bounce) chain = with_signing_domain(std::move(chain), **bounce);

    ReadEnvelope envelope;
    envelope.sender = sender;
    envelope.recipients.assign(options_.args.begin() + 2, options_.args.end());
    export_filter_variables(envelope, [](const std::string&) {});  // QMAILRCPTS too long: left out

    ProcessOptions po;
    po.timeout = *timeout;
    po.log_fd = -1;  // not fd 2: see above
    po.program_dir = options_.program_dir;
    ProcessRunner runner(std::move(po));
    ChainOutcome outcome = run_chain(chain, std::move(*message), runner, spool_dir, *timeout);
    if (outcome.decision.step != Step::Next) {
        // "NAME: its first stderr line", or decide()'s "NAME exited N" as it is
        const std::string& f = outcome.filter;
        const std::string& why = outcome.decision.reason;
        const std::string by = f.empty() || why.starts_with(f + " ") ? "" : f + ": ";
        if (outcome.decision.step == Step::Drop) return defer(f + " exited 99 (consumed), not for remote delivery");
        return defer(by + why);
    }
    return defer(exec_next(outcome.message.get()));
}

}  // namespace

std::string temporary_report(std::string_view reason) {
    std::string text = printable(reason, 400);
    while (!text.empty() && (text.back() == '.' || text.back() == ' ')) text.pop_back();
    std::string r = "Z" + std::string(kProg) + ": " + text + ". (#4.3.0)\n";
    r.push_back('\0');
    return r;
}

std::string next_remote_program(const Environment& env) {
    if (const char* n = env("AUTHREMOTE_NEXT"); n && *n) return n;
    std::string home = qmail_home_from("");
    if (!home.empty() && home.back() != '/') home += '/';
    return home + "bin/qmail-remote";
}

bool is_null_sender(std::string_view sender) { return sender.empty() || sender == "#@[]"; }

Result<mail::Header> read_message_header(int fd) {
    std::string buf;
    std::size_t end = std::string::npos, sep = 0;
    char chunk[16 * 1024];
    off_t off = 0;
    while (buf.size() < kMaxRemoteHeader) {
        const ssize_t n = ::pread(fd, chunk, sizeof chunk, off);
        if (n < 0) {
            if (errno == EINTR) continue;
            return fail(std::string("reading the spool: ") + std::strerror(errno));
        }
        if (n == 0) break;
        buf.append(chunk, static_cast<std::size_t>(n));
        off += n;
        if (buf.starts_with("\n") || buf.starts_with("\r\n")) {
            end = 0;
            break;
        }
        if (auto p = buf.find("\n\n"); p != std::string::npos) end = p + 1, sep = 1;
        if (auto p = buf.find("\n\r\n"); p != std::string::npos && (end == std::string::npos || p + 1 < end))
            end = p + 1, sep = 2;
        if (end != std::string::npos) break;
    }
    mail::Header h;
    if (end == std::string::npos) end = std::min(buf.size(), kMaxRemoteHeader);
    const std::string_view block = std::string_view(buf).substr(0, end);
    mail::parse_fields(block, h.fields);
    h.bytes = block.size();
    h.separator = sep == 2 ? "\r\n" : sep == 1 ? "\n" : "";
    if (block.find("\r\n") != std::string_view::npos) h.line_end = mail::LineEnd::CrLf;
    return h;
}

bool signed_here(const mail::Header& header, const ControlDir& control) {
    for (const auto& f : header.fields) {
        if (f.is("Received") && f.unfolded_value().starts_with("(qmail ")) continue;
        if (!f.is("DKIM-Signature")) return false;
        auto tags = parse_tag_list(f.unfolded_value());
        const std::string* d = tags ? tags->find("d") : nullptr;
        return d && has_key_directory(control, *d);
    }
    return false;
}

Result<std::optional<std::string>> bounce_domain(const mail::Header& header, std::string_view sender,
                                                 const ControlDir& control) {
    if (!is_null_sender(sender)) return std::nullopt;
    const auto from = dkim::signing_domain(header, "");
    if (!from.domain.empty()) {
        auto k = has_key(control, from.domain);
        if (!k) return std::unexpected(k.error());
        if (*k) return std::nullopt;  // qmail-dkimsign signs it for its From domain
    }
    auto host = control.value("bouncehost", "");
    if (!host) return std::unexpected(host.error());
    if (host->empty()) {
        host = control.value("me", "");
        if (!host) return std::unexpected(host.error());
    }
    const std::string domain = lower(*host);
    if (domain.empty()) return std::nullopt;
    auto k = has_key(control, domain);
    if (!k) return std::unexpected(k.error());
    if (!*k) return std::nullopt;
    return domain;
}

FilterChain with_signing_domain(FilterChain chain, const std::string& domain) {
    for (auto& command : chain) {
        if (filter_name(command) != kDefaultRemoteChain) continue;
        bool given = false;
        for (const auto& a : command) given = given || a == "--domain" || a.starts_with("--domain=");
        if (given) continue;
        command.push_back("--domain");
        command.push_back(domain);
    }
    return chain;
}

int run_authremote(const AuthremoteOptions& options) {
    Run run(options);
    return run.go();
}

}  // namespace qauth::qmail
