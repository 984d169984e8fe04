// common/qmail/queue*: the qmail-queue client against small stand-in
// scripts for qmail-queue that record what they get on fd 0 and fd 1, write
// to fd 6, exit with a chosen status, die by a signal or close fd 0 early.
#include <doctest/doctest.h>

#include <csignal>
#include <dirent.h>
#include <fcntl.h>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include "qmail/control.hpp"
#include "qmail/queue.hpp"
#include "qmail/queue_envelope.hpp"
#include "testdata.hpp"

using namespace qauth;
using qmail::FilterStatus;
using test::FakeEnv;
using test::TempDir;

namespace {

using namespace std::string_literals;

qmail::QueueEnvelope envelope(std::string_view sender, std::vector<std::string> rcpts) {
    auto e = qmail::encode_envelope(sender, rcpts);
    REQUIRE(e.has_value());
    return *e;
}

// A stand-in for qmail-queue in `d`: records fd 0 in d/message, fd 1 in
// d/envelope, its working directory, whether fd 6 is open and its open
// descriptors (d/fds, ls -l of /proc/PID/fd), then runs `tail` (shell code;
// default "exit 0").
std::string standin(const TempDir& d, const std::string& tail = "exit 0", const std::string& name = "qq") {
    const std::string& D = d.path;
    d.write(name, "#!/bin/sh\n"
                  "cat > '" + D + "/message' || exit 54\n"
                  "cat <&1 > '" + D + "/envelope' || exit 54\n"
                  "pwd > '" + D + "/cwd'\n"
                  "if [ -e /proc/$$/fd/6 ]; then echo open; else echo closed; fi > '" + D + "/fd6'\n"
                  "ls -l /proc/self/fd > '" + D + "/fds'\n" + tail + "\n");
    const std::string path = D + "/" + name;
    REQUIRE(::chmod(path.c_str(), 0755) == 0);
    return path;
}

// A stand-in that only runs `body` (no recording).
std::string script(const TempDir& d, const std::string& body, const std::string& name = "qq") {
    d.write(name, "#!/bin/sh\n" + body + "\n");
    const std::string path = d.path + "/" + name;
    REQUIRE(::chmod(path.c_str(), 0755) == 0);
    return path;
}

qmail::QueueOptions run(const TempDir& d, const std::string& program) {
    qmail::QueueOptions o;
    o.program = program;
    o.home = d.path;
    return o;
}

qmail::QueueOutcome queue_text(const qmail::QueueOptions& o, const std::string& message,
                               const qmail::QueueEnvelope& e = envelope("a@example.org", {"b@example.net"})) {
    return qmail::queue_message(o, e, message);
}

int open_fds() {
    int n = 0;
    DIR* d = ::opendir("/proc/self/fd");
    REQUIRE(d != nullptr);
    while (auto* ent = ::readdir(d)) n += ent->d_name[0] != '.';
    ::closedir(d);
    return n;
}

const std::string kMessage = "From: a@example.org\nSubject: test\n\nbody\r\nbare\rcr and \x01 NUL\0 8bit \xe4\n"s;

}  // namespace

TEST_CASE("queue envelope: qmail-queue(8) encoding, exact bytes") {
    CHECK(envelope("a@example.org", {"b@example.net", "c@example.com"}).bytes() ==
          "Fa@example.org\0Tb@example.net\0Tc@example.com\0\0"s);
    CHECK(envelope("", {"b@example.net"}).bytes() == "F\0Tb@example.net\0\0"s);  // the null sender
    CHECK(envelope("#@[]", {"x"}).bytes() == "F#@[]\0Tx\0\0"s);  // passed as it is
}

TEST_CASE("queue envelope: what cannot be encoded") {
    auto reason = [](std::string_view sender, std::vector<std::string> rcpts) {
        auto e = qmail::encode_envelope(sender, rcpts);
        REQUIRE_FALSE(e.has_value());
        return e.error().reason;
    };
    CHECK(reason("a@example.org", {}) == "qmail-queue envelope: no recipient");
    CHECK(reason("a\0b@example.org"s, {"b@example.net"}).find("sender contains a NUL byte") != std::string::npos);
    CHECK(reason("a@example.org", {"b@example.net", "c\0@x"s}).find("recipient 2 contains a NUL byte") !=
          std::string::npos);
    CHECK(reason("a@example.org", {"b@example.net", ""}) == "qmail-queue envelope: recipient 2 is empty");
    CHECK(reason(std::string(qmail::kMaxQueueAddress + 1, 'a'), {"b"}).find("sender is longer than 4096") !=
          std::string::npos);
    CHECK(reason("a", {std::string(qmail::kMaxQueueAddress + 1, 'a')}).find("recipient 1 is longer") !=
          std::string::npos);
    CHECK(qmail::encode_envelope("a", std::vector<std::string>{std::string(qmail::kMaxQueueAddress, 'a')}).has_value());
    std::vector<std::string> many(qmail::kMaxQueueRecipients + 1, "r@x");
    CHECK(reason("a", many) == "qmail-queue envelope: more than 10000 recipients");
    many.pop_back();
    CHECK(qmail::encode_envelope("a", many).has_value());
}

TEST_CASE("Delivered-To line as qmail-local writes DTLINE") {
    CHECK(qmail::delivered_to_line("qmtest-fwd@qauth.test") == "Delivered-To: qmtest-fwd@qauth.test\n");
    CHECK(qmail::delivered_to_line("a\nb@x") == "Delivered-To: a_b@x\n");  // qmail-local: LF becomes '_'
    CHECK(qmail::delivered_to_line("") == "Delivered-To: \n");
}

TEST_CASE("Delivered-To for a .qmail program: $DTLINE when it is one such line, else from $RECIPIENT") {
    FakeEnv e;
    CHECK(qmail::delivered_to_from(e.fn()) == "");
    e.vars["RECIPIENT"] = "qmtest-fwd@qauth.test";
    CHECK(qmail::delivered_to_from(e.fn()) == "Delivered-To: qmtest-fwd@qauth.test\n");
    e.vars["DTLINE"] = "Delivered-To: alias-x@qauth.test\n";  // as qmail-local exported it
    CHECK(qmail::delivered_to_from(e.fn()) == "Delivered-To: alias-x@qauth.test\n");
    for (const char* bad : {"Delivered-To: a@x", "Delivered-To: a@x\nX-Evil: 1\n", "X-Other: a\n", ""}) {
        CAPTURE(bad);
        e.vars["DTLINE"] = bad;
        CHECK(qmail::delivered_to_from(e.fn()) == "Delivered-To: qmtest-fwd@qauth.test\n");
    }
}

TEST_CASE("queue program: $QMAILQUEUE when set and not empty, else HOME/bin/qmail-queue") {
    FakeEnv fake;
    auto& vars = fake.vars;
    const qmail::Environment env = fake.fn();
    CHECK(qmail::queue_program("/var/qmail", env) == "/var/qmail/bin/qmail-queue");
    CHECK(qmail::queue_program("/opt/qmail/", env) == "/opt/qmail/bin/qmail-queue");
    vars["QMAILQUEUE"] = "";
    CHECK(qmail::queue_program("/var/qmail", env) == "/var/qmail/bin/qmail-queue");
    vars["QMAILQUEUE"] = "/usr/bin/qmail-authqueue";
    CHECK(qmail::queue_program("/var/qmail", env) == "/usr/bin/qmail-authqueue");
}

TEST_CASE("queue: exit 0 is Ok; message and envelope bytes exact; cwd, fd 6, no descriptor leaks") {
    TempDir d;
    const std::string qq = standin(d);
    const int before = open_fds();
    auto e = envelope("a@example.org", {"b@example.net", "c@example.com"});
    auto out = qmail::queue_message(run(d, qq), e, qmail::delivered_to_line("x@qauth.test") + kMessage);
    CHECK(out.ok());
    CHECK(out.status == FilterStatus::Ok);
    CHECK(out.exit == 0);
    CHECK(out.reason.empty());
    CHECK(out.custom_error.empty());
    CHECK(test::slurp(d.path + "/message") == "Delivered-To: x@qauth.test\n" + kMessage);
    CHECK(test::slurp(d.path + "/envelope") == "Fa@example.org\0Tb@example.net\0Tc@example.com\0\0"s);
    CHECK(test::slurp(d.path + "/cwd") == d.path + "\n");  // the qmail home, as qmail.c chdir's
    CHECK(test::slurp(d.path + "/fd6") == "open\n");
    // The program has its 0 and 6 (1 is ls's output file here, 2 is ours)
    // and what this process has open without close-on-exec; nothing else.
    std::set<std::string> allowed = {"0", "1", "2", "6"}, extra;
    for (const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) {
        int fd = std::stoi(e.path().filename().string());
        int flags = ::fcntl(fd, F_GETFD);
        if (flags >= 0 && !(flags & FD_CLOEXEC)) allowed.insert(e.path().filename().string());
    }
    std::istringstream fds(test::slurp(d.path + "/fds"));
    std::string seen;
    for (std::string line; std::getline(fds, line);) {
        auto arrow = line.find(" -> ");
        if (arrow == std::string::npos) continue;
        auto start = line.rfind(' ', arrow - 1);
        std::string fd = line.substr(start + 1, arrow - start - 1), target = line.substr(arrow + 4);
        seen += fd + " ";
        if (!allowed.count(fd) && !target.starts_with("/proc/")) extra.insert(fd + " -> " + target);
    }
    CAPTURE(seen);
    CHECK(seen.starts_with("0 1 "));
    CHECK(seen.find(" 6 ") != std::string::npos);
    CHECK(extra.empty());
    CHECK(open_fds() == before);
}

TEST_CASE("queue: without custom_error the program's fd 6 is closed") {
    TempDir d;
    auto o = run(d, standin(d));
    o.custom_error = false;
    CHECK(queue_text(o, kMessage).ok());
    CHECK(test::slurp(d.path + "/fd6") == "closed\n");
}

TEST_CASE("queue: the program is HOME/bin/qmail-queue unless options.program says otherwise") {
    TempDir d;
    std::filesystem::create_directories(d.path + "/bin");
    standin(d, "exit 0", "bin/qmail-queue");
    const char* saved = std::getenv("QMAILQUEUE");
    std::string keep = saved ? saved : "";
    ::unsetenv("QMAILQUEUE");
    qmail::QueueOptions o;
    o.home = d.path;
    auto out = queue_text(o, kMessage);
    if (saved) ::setenv("QMAILQUEUE", keep.c_str(), 1);
    CHECK(out.ok());
    CHECK(test::slurp(d.path + "/message") == kMessage);
}

TEST_CASE("queue: a prefix and a large input file are streamed whole (copy_from)") {
    TempDir d;
    const std::string qq = standin(d);
    std::string big;
    for (int i = 0; big.size() < 3 * 1024 * 1024; ++i) big += "line " + std::to_string(i) + " of a large body\n";
    d.write("input", big);
    io::Fd in(::open((d.path + "/input").c_str(), O_RDONLY | O_CLOEXEC));
    REQUIRE(in.get() >= 0);
    auto out = qmail::queue_message(run(d, qq), envelope("", {"r@x"}), "Delivered-To: r@x\n", in.get());
    CHECK(out.ok());
    CHECK(test::slurp(d.path + "/message") == "Delivered-To: r@x\n" + big);
    CHECK(test::slurp(d.path + "/envelope") == "F\0Tr@x\0\0"s);

    // the client piece by piece: write, copy_from, write, finish
    REQUIRE(::lseek(in.get(), 0, SEEK_SET) == 0);
    auto c = qmail::QueueClient::start(run(d, qq));
    REQUIRE(c.has_value());
    CHECK(c->name() == "qq");
    CHECK(c->write("A\n").has_value());
    CHECK(c->copy_from(in.get(), "input").has_value());
    CHECK(c->write("Z\n").has_value());
    auto o2 = c->finish(envelope("s@x", {"r@x"}));
    CHECK(o2.ok());
    CHECK(test::slurp(d.path + "/message") == "A\n" + big + "Z\n");
    auto again = c->finish(envelope("s@x", {"r@x"}));
    CHECK(again.status == FilterStatus::Temporary);
    CHECK(again.reason == "queueing through qq: already finished");
}

TEST_CASE("queue: exits 11-40 are permanent, with qmail-queue(8)'s reason") {
    TempDir d;
    for (int code : {11, 12, 31, 40}) {
        CAPTURE(code);
        auto out = queue_text(run(d, standin(d, "exit " + std::to_string(code))), kMessage);
        CHECK(out.status == FilterStatus::Permanent);
        CHECK(out.exit == code);
        CHECK(out.custom_error.empty());
    }
    auto out = queue_text(run(d, standin(d, "exit 31")), kMessage);
    CHECK(out.reason == "qq exited 31: mail server permanently refuses to send the message to any recipients");
    CHECK(queue_text(run(d, standin(d, "exit 11")), kMessage).reason == "qq exited 11: address too long");
    CHECK(queue_text(run(d, standin(d, "exit 12")), kMessage).reason == "qq exited 12: permanent error");
}

TEST_CASE("queue: every other exit is temporary") {
    TempDir d;
    const std::map<int, std::string> want = {
        {1, "temporary error"},
        {10, "temporary error"},
        {41, "temporary error"},
        {51, "out of memory"},
        {53, "write error; e.g., disk full"},
        {54, "unable to read the message or envelope"},
        {55, "unable to read a configuration file"},
        {61, "problem with the qmail home directory"},
        {71, "mail server temporarily refuses to send the message to any recipients"},
        {81, "internal bug; e.g., segmentation fault"},
        {82, "custom error without a reason on descriptor 6"},
        {91, "envelope format error"},
        {100, "temporary error"},
        {111, "temporary error"},
        {115, "temporary error"},  // qmail.c's old alias of 11; not in qmail-queue(8)
        {120, "temporary error"},
        {255, "temporary error"},
    };
    for (const auto& [code, text] : want) {
        CAPTURE(code);
        auto out = queue_text(run(d, standin(d, "exit " + std::to_string(code))), kMessage);
        CHECK(out.status == FilterStatus::Temporary);
        CHECK(out.exit == code);
        CHECK(out.reason == "qq exited " + std::to_string(code) + ": " + text);
    }
}

TEST_CASE("queue: exit 82 with notqmail's custom error text on fd 6") {
    TempDir d;
    struct Case {
        std::string fd6;
        FilterStatus status;
        std::string reason, custom;
    };
    const std::vector<Case> cases = {
        {"Dno thanks (#5.7.1)", FilterStatus::Permanent, "qq exited 82: no thanks (#5.7.1)", "Dno thanks (#5.7.1)"},
        {"Ztry later (#4.3.0)", FilterStatus::Temporary, "qq exited 82: try later (#4.3.0)", "Ztry later (#4.3.0)"},
        // another first byte: temporary, stripped (notqmail: 451 without it)
        {"Xodd letter", FilterStatus::Temporary, "qq exited 82: odd letter", "Zodd letter"},
        // CR, LF and controls never reach the reason or the text to pass on
        {"Dtwo\r\nlines\x01\x7f", FilterStatus::Permanent, "qq exited 82: two lines\\x01\\x7f", "Dtwo lines\\x01\\x7f"},
        {"Dab", FilterStatus::Permanent, "qq exited 82: ab", "Dab"},
        // fewer than 3 bytes: notqmail's generic temporary answer
        {"Dx", FilterStatus::Temporary, "qq exited 82: custom error without a reason on descriptor 6", ""},
        {"", FilterStatus::Temporary, "qq exited 82: custom error without a reason on descriptor 6", ""},
    };
    for (const auto& c : cases) {
        CAPTURE(c.fd6);
        d.write("errmsg", c.fd6);
        auto out = queue_text(run(d, standin(d, "cat '" + d.path + "/errmsg' >&6; exit 82")), kMessage);
        CHECK(out.status == c.status);
        CHECK(out.exit == 82);
        CHECK(out.reason == c.reason);
        CHECK(out.custom_error == c.custom);
    }
    // at most 255 bytes are read, as notqmail's qmail.c does
    d.write("errmsg", "D" + std::string(1000, 'x'));
    auto out = queue_text(run(d, standin(d, "cat '" + d.path + "/errmsg' >&6 2>/dev/null; exit 82")), kMessage);
    CHECK(out.status == FilterStatus::Permanent);
    CHECK(out.custom_error == "D" + std::string(254, 'x'));
    // fd 6 text without exit 82 is not looked at
    d.write("errmsg", "Dignored");
    out = queue_text(run(d, standin(d, "cat '" + d.path + "/errmsg' >&6; exit 71")), kMessage);
    CHECK(out.status == FilterStatus::Temporary);
    CHECK(out.custom_error.empty());
    out = queue_text(run(d, standin(d, "cat '" + d.path + "/errmsg' >&6; exit 0")), kMessage);
    CHECK(out.ok());
}

TEST_CASE("queue: a program killed by a signal is temporary") {
    TempDir d;
    for (int sig : {SIGKILL, SIGSEGV, SIGTERM}) {
        CAPTURE(sig);
        auto out = queue_text(run(d, standin(d, "kill -" + std::to_string(sig) + " $$")), kMessage);
        CHECK(out.status == FilterStatus::Temporary);
        CHECK(out.exit == -1);
        CHECK(out.reason.starts_with("qq was killed by signal " + std::to_string(sig) + " ("));
    }
}

TEST_CASE("queue: a program that closes fd 0 early gets no envelope; SIGPIPE does not kill us") {
    TempDir d;
    const std::string big(2 * 1024 * 1024, 'x');  // more than a pipe holds
    // exit 0 after not reading the message: temporary (qmail.c: "qq read error")
    const std::string early = script(d, "exec 0<&-; cat <&1 > '" + d.path + "/envelope'; exit 0");
    auto out = queue_text(run(d, early), big);
    CHECK(out.status == FilterStatus::Temporary);
    CHECK(out.exit == 0);
    CHECK(out.reason == "qq (message on fd 0): write error: Broken pipe (qq exited 0 without the whole message)");
    CHECK(test::slurp(d.path + "/envelope").empty());  // nothing it could queue
    // its own exit status decides when it is not 0, as in qmail.c
    out = queue_text(run(d, script(d, "exec 0<&-; exit 31")), big);
    CHECK(out.status == FilterStatus::Permanent);
    out = queue_text(run(d, script(d, "exec 0<&-; exit 54")), big);
    CHECK(out.status == FilterStatus::Temporary);
    CHECK(out.reason == "qq exited 54: unable to read the message or envelope");
    // the envelope pipe closed early: exit 0 is still not a success
    out = queue_text(run(d, script(d, "cat >/dev/null; exec 1>&-; sleep 0.2; exit 0")),
                     "m", envelope("s", std::vector<std::string>(20, std::string(4000, 'r'))));
    CHECK(out.status == FilterStatus::Temporary);
    CHECK(out.reason.find("envelope on fd 1") != std::string::npos);
    sigset_t pending;
    REQUIRE(::sigpending(&pending) == 0);
    CHECK_FALSE(sigismember(&pending, SIGPIPE));  // no SIGPIPE left behind
}

TEST_CASE("queue: a program that cannot run, or a home that cannot be entered, is temporary") {
    TempDir d;
    auto out = queue_text(run(d, d.path + "/missing"), kMessage);
    CHECK(out.status == FilterStatus::Temporary);
    CHECK(out.exit == -1);
    CHECK(out.reason == "cannot run " + d.path + "/missing: No such file or directory");
    d.write("plain", "#!/bin/sh\nexit 0\n");  // mode 0644
    out = queue_text(run(d, d.path + "/plain"), kMessage);
    CHECK(out.status == FilterStatus::Temporary);
    CHECK(out.reason == "cannot run " + d.path + "/plain: Permission denied");
    auto o = run(d, standin(d));
    o.home = d.path + "/nohome";
    out = queue_text(o, kMessage);
    CHECK(out.status == FilterStatus::Temporary);
    CHECK(out.reason == "cannot run " + d.path + "/qq: cannot change to the qmail home " + d.path +
                            "/nohome: No such file or directory");
    auto c = qmail::QueueClient::start(run(d, d.path + "/missing"));
    REQUIRE_FALSE(c.has_value());
    CHECK(c.error().reason == "cannot run " + d.path + "/missing: No such file or directory");
}

TEST_CASE("queue: a read error on our input is temporary and sends no envelope") {
    TempDir d;
    const std::string qq = standin(d);
    io::Fd wronly(::open((d.path + "/out").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
    REQUIRE(wronly.get() >= 0);
    auto out = qmail::queue_message(run(d, qq), envelope("s@x", {"r@x"}), "Delivered-To: r@x\n", wronly.get());
    CHECK(out.status == FilterStatus::Temporary);
    CHECK(out.exit == 0);
    CHECK(out.reason == "not queued: the message: read error: Bad file descriptor (qq exited 0)");
    CHECK(test::slurp(d.path + "/message") == "Delivered-To: r@x\n");
    CHECK(test::slurp(d.path + "/envelope").empty());
}

TEST_CASE("queue: a client dropped before finish() sends no envelope and reaps the program") {
    TempDir d;
    const std::string qq = standin(d, "echo done > '" + d.path + "/done'");
    const int before = open_fds();
    {
        auto c = qmail::QueueClient::start(run(d, qq));
        REQUIRE(c.has_value());
        CHECK(c->write(kMessage).has_value());
    }
    CHECK(test::slurp(d.path + "/done") == "done\n");  // it ran to its end before we went on
    CHECK(kMessage.starts_with(test::slurp(d.path + "/message")));  // buffered bytes need not go
    CHECK(test::slurp(d.path + "/envelope").empty());
    CHECK(open_fds() == before);
}
