// common/qmail/envelope_reader, custom_error, authqueue_chain, filter_chain:
// the parts of qmail-authqueue that need no process: the envelope read on
// fd 1, the chain files, the exit mapping table (DESIGN §3), the fd 6 text,
// and the chain run through a FilterRunner stand-in.
#include <doctest/doctest.h>

#include <map>
#include <csignal>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include "qmail/authqueue.hpp"
#include "qmail/authqueue_chain.hpp"
#include "qmail/control.hpp"
#include "qmail/custom_error.hpp"
#include "qmail/envelope_reader.hpp"
#include "qmail/filter_chain.hpp"
#include "qmail/filter_process.hpp"
#include "qmail/queue_envelope.hpp"
#include "testdata.hpp"

using namespace qauth;
using namespace qauth::qmail;
using namespace std::string_literals;
using test::FakeEnv;

TEST_CASE("envelope reader: valid envelopes, bytes kept, encode_envelope gives them again") {
    const std::string one = "Fa@b.example\0Tc@d.example\0\0"s;
    auto e = parse_queue_envelope(one);
    REQUIRE(e.has_value());
    CHECK(e->sender == "a@b.example");
    CHECK(e->recipients == std::vector<std::string>{"c@d.example"});
    CHECK(e->bytes == one);
    CHECK(encode_envelope(e->sender, e->recipients)->bytes() == one);

    auto null = parse_queue_envelope("F\0Tpostmaster@x.example\0\0"s);
    REQUIRE(null.has_value());
    CHECK(null->sender.empty());

    std::string many = "Fs@x\0"s;
    std::vector<std::string> rcpts;
    for (int i = 0; i < 5000; ++i) {
        rcpts.push_back("r" + std::to_string(i) + "@y.example");
        many += "T" + rcpts.back() + '\0';
    }
    many += '\0';
    auto m = parse_queue_envelope(many);
    REQUIRE(m.has_value());
    CHECK(m->recipients == rcpts);
    CHECK(m->bytes == many);
}

TEST_CASE("envelope reader: every malformed form is an envelope format error") {
    const std::string addr(kMaxQueueAddress + 1, 'a');
    std::string too_many = "Fs\0"s;
    for (std::size_t i = 0; i <= kMaxQueueRecipients; ++i) too_many += "Tr\0"s;
    too_many += '\0';
    const std::vector<std::pair<const char*, std::string>> bad = {
        {"empty", ""},
        {"missing F", "Tc@d\0\0"s},
        {"garbage", "hello world\n"},
        {"sender without NUL", "Fa@b"},
        {"no recipient list end (missing final NUL)", "Fa@b\0Tc@d\0"s},
        {"T without NUL", "Fa@b\0Tc@d"s},
        {"no recipient", "Fa@b\0\0"s},
        {"empty recipient", "Fa@b\0T\0\0"s},
        {"record not T", "Fa@b\0Xc@d\0\0"s},
        {"bytes after the final NUL", "Fa@b\0Tc@d\0\0junk"s},
        {"over-long sender", "F" + addr + '\0' + "Tc@d\0\0"s},
        {"over-long recipient", "Fa@b\0T"s + addr + '\0' + '\0'},
        {"too many recipients", too_many},
        {"over the byte limit", "Fa@b\0"s + std::string(kMaxEnvelopeBytes, 'x')},
    };
    for (const auto& [what, bytes] : bad) {
        CAPTURE(what);
        auto e = parse_queue_envelope(bytes);
        REQUIRE_FALSE(e.has_value());
        CHECK(e.error().reason.starts_with("envelope format error: "));
    }
}

TEST_CASE("envelope reader: read_queue_envelope from a descriptor, bounded") {
    int p[2];
    REQUIRE(::pipe(p) == 0);
    const std::string env = "Fa@b\0Tc@d\0Te@f\0\0"s;
    REQUIRE(::write(p[1], env.data(), env.size()) == static_cast<ssize_t>(env.size()));
    ::close(p[1]);
    auto e = read_queue_envelope(p[0]);
    ::close(p[0]);
    REQUIRE(e.has_value());
    CHECK(e->recipients.size() == 2);
    auto closed = read_queue_envelope(-1);
    REQUIRE_FALSE(closed.has_value());
    CHECK(closed.error().reason.starts_with("reading the envelope: read error"));
}

TEST_CASE("chain files: one filter per line, split on blanks, no shell") {
    const std::vector<std::string> lines = {"spfcheck", "dkimverify  --authserv-id\tmx.example",
                                            "/usr/local/bin/dmarccheck 'quoted' $HOME;"};
    auto c = parse_chain_lines(lines);
    REQUIRE(c.has_value());
    REQUIRE(c->size() == 3);
    CHECK((*c)[0] == FilterCommand{"spfcheck"});
    CHECK((*c)[1] == FilterCommand{"dkimverify", "--authserv-id", "mx.example"});
    CHECK((*c)[2] == FilterCommand{"/usr/local/bin/dmarccheck", "'quoted'", "$HOME;"});
    CHECK(filter_name((*c)[2]) == "dmarccheck");

    std::vector<std::string> long_chain(kMaxChainFilters + 1, "cat");
    CHECK_FALSE(parse_chain_lines(long_chain).has_value());
    std::string many_words = "cat";
    for (std::size_t i = 0; i < kMaxFilterArgs; ++i) many_words += " x";
    CHECK_FALSE(parse_chain_lines(std::vector<std::string>{many_words}).has_value());
}

TEST_CASE("chain files: read through ControlDir, comments and blank lines ignored") {
    test::TempDir d;
    d.write("authqueue/incoming", "# the incoming chain\n\nspfcheck   # SPF first\n  dkimverify --x\n\n");
    ControlDir dir(d.path);
    auto lines = dir.lines("authqueue/incoming");
    REQUIRE(lines.has_value());
    REQUIRE(lines->has_value());
    auto c = parse_chain_lines(**lines);
    REQUIRE(c.has_value());
    CHECK(*c == FilterChain{{"spfcheck"}, {"dkimverify", "--x"}});
}

TEST_CASE("chain on the command line: qmail-qfilter's -- between filters") {
    const std::vector<std::string> args = {"--", "spfcheck", "--ip", "1.2.3.4", "--", "--", "cat", "--"};
    CHECK(chain_from_args(args) == FilterChain{{"spfcheck", "--ip", "1.2.3.4"}, {"cat"}});
    CHECK(chain_from_args(std::vector<std::string>{}).empty());
}

TEST_CASE("chain direction: outgoing for relay clients, authenticated and local senders") {
    CHECK(chain_direction(FakeEnv{{{"TCPREMOTEIP", "192.0.2.1"}}}.fn()) == Direction::Incoming);
    CHECK(chain_direction(FakeEnv{{{"TCPREMOTEIP", "192.0.2.1"}, {"RELAYCLIENT", ""}}}.fn()) == Direction::Outgoing);
    CHECK(chain_direction(FakeEnv{{{"TCPREMOTEIP", "192.0.2.1"}, {"SMTPAUTHUSER", "u"}}}.fn()) ==
          Direction::Outgoing);
    CHECK(chain_direction(FakeEnv{{{"TCPREMOTEIP", "192.0.2.1"}, {"SMTPAUTHUSER", ""}}}.fn()) ==
          Direction::Incoming);
    CHECK(chain_direction(FakeEnv{}.fn()) == Direction::Outgoing);
    CHECK(chain_direction(FakeEnv{{{"TCPREMOTEIP", ""}}}.fn()) == Direction::Outgoing);
    CHECK(chain_file(Direction::Incoming) == "authqueue/incoming");
    CHECK(chain_file(Direction::Outgoing) == "authqueue/outgoing");
}

TEST_CASE("exit mapping table (DESIGN §3): filter ending -> step -> qmail-queue answer") {
    using How = FilterEnd::How;
    const CustomErrorChannel notqmail{6, 82}, eighty_eight{4, 88};
    struct Row {
        FilterEnd end;
        Step step;
        int plain;      // no channel
        int custom;     // with fd 6
        char kind;      // the text's first byte with a channel, 0: none
    };
    const std::vector<Row> table = {
        {{How::Exited, 0, ""}, Step::Next, 71, 71, 0},
        {{How::Exited, 99, ""}, Step::Drop, 0, 0, 0},
        {{How::Exited, 100, "5.7.1 no"}, Step::Refuse, 31, 82, 'D'},
        {{How::Exited, 111, "x: fatal: dns"}, Step::Defer, 71, 82, 'Z'},
        {{How::Exited, 1, ""}, Step::Defer, 71, 82, 'Z'},
        {{How::Exited, 31, ""}, Step::Defer, 71, 82, 'Z'},
        {{How::Exited, 127, ""}, Step::Defer, 71, 82, 'Z'},
        {{How::Signaled, 11, ""}, Step::Defer, 71, 82, 'Z'},
        {{How::TimedOut, 0, ""}, Step::Defer, 71, 82, 'Z'},
    };
    for (const auto& row : table) {
        CAPTURE(row.end.code);
        const Decision d = decide("f", row.end, 300);
        CHECK(d.step == row.step);
        if (row.step == Step::Next) continue;
        const Answer plain = answer(d, std::nullopt);
        CHECK(plain.exit == row.plain);
        CHECK(plain.text.empty());
        const Answer custom = answer(d, notqmail);
        CHECK(custom.exit == row.custom);
        if (row.kind) {
            REQUIRE_FALSE(custom.text.empty());
            CHECK(custom.text[0] == row.kind);
            CHECK(answer(d, eighty_eight).exit == 88);
        } else {
            CHECK(custom.text.empty());
        }
    }
    CHECK(decide("spfcheck", {How::Exited, 100, "5.7.1 SPF fail"}, 300).reason == "5.7.1 SPF fail");
    CHECK(decide("spfcheck", {How::Exited, 100, ""}, 300).reason == "spfcheck exited 100");
    CHECK(decide("dkimverify", {How::Signaled, 9, ""}, 300).reason == "dkimverify was killed by signal 9");
    CHECK(decide("dmarccheck", {How::TimedOut, 0, "half"}, 7).reason == "dmarccheck timed out after 7 s");
}

TEST_CASE("fd 6 text: one line, no controls, at most 255 bytes, a status code of its class") {
    CHECK(custom_error_text('D', "5.7.1 SPF fail: go away") == "D5.7.1 SPF fail: go away");
    CHECK(custom_error_text('Z', "4.4.3 DNS timeout") == "Z4.4.3 DNS timeout");
    CHECK(custom_error_text('Z', "spfcheck: fatal: DNS timeout") == "Z4.3.0 spfcheck: fatal: DNS timeout");
    CHECK(custom_error_text('D', "refused") == "D5.7.1 refused");
    CHECK(custom_error_text('D', "4.7.1 wrong class") == "D5.7.1 4.7.1 wrong class");
    CHECK(custom_error_text('Z', "5.7.1 wrong class") == "Z4.3.0 5.7.1 wrong class");
    CHECK(custom_error_text('D', "") == "D5.7.1");
    CHECK(custom_error_text('D', "5.7.1 a\r\nb\tc\x01\xe4") == "D5.7.1 a b c\\x01\\xe4");
    const std::string t = custom_error_text('D', "5.7.1 " + std::string(1000, 'x'));
    CHECK(t.size() <= kMaxCustomErrorText);
    CHECK(t.size() >= kMaxCustomErrorText - 3);
    CHECK(t.starts_with("D5.7.1 xxx"));
    for (char c : t) CHECK((c >= 0x20 && c < 0x7f));
}

namespace {
bool open_6_and_4(int fd) { return fd == 6 || fd == 4 || fd == 2 || fd == 9; }
bool none_open(int) { return false; }
}  // namespace

TEST_CASE("custom error conventions: notqmail, sagredo, indimail, none") {
    CHECK(parse_custom_error_convention("") == CustomErrorConvention::Notqmail);
    CHECK(parse_custom_error_convention("notqmail") == CustomErrorConvention::Notqmail);
    CHECK(parse_custom_error_convention("sagredo") == CustomErrorConvention::Sagredo);
    CHECK(parse_custom_error_convention("indimail") == CustomErrorConvention::Indimail);
    CHECK(parse_custom_error_convention("none") == CustomErrorConvention::None);
    CHECK_FALSE(parse_custom_error_convention("netqmail").has_value());

    FakeEnv none, fd9{{{"ERROR_FD", "9"}}}, off{{{"ERROR_FD", "-1"}}};
    auto ch = custom_error_channel(CustomErrorConvention::Notqmail, fd9.fn(), open_6_and_4);
    REQUIRE(ch.has_value());
    CHECK((ch->fd == 6 && ch->exit == 82));  // notqmail ignores ERROR_FD
    CHECK_FALSE(custom_error_channel(CustomErrorConvention::Notqmail, none.fn(), none_open).has_value());
    ch = custom_error_channel(CustomErrorConvention::Sagredo, none.fn(), open_6_and_4);
    REQUIRE(ch.has_value());
    CHECK((ch->fd == 4 && ch->exit == 88));
    ch = custom_error_channel(CustomErrorConvention::Indimail, none.fn(), open_6_and_4);
    REQUIRE(ch.has_value());
    CHECK((ch->fd == 2 && ch->exit == 88));
    ch = custom_error_channel(CustomErrorConvention::Indimail, fd9.fn(), open_6_and_4);
    REQUIRE(ch.has_value());
    CHECK(ch->fd == 9);
    CHECK_FALSE(custom_error_channel(CustomErrorConvention::Indimail, off.fn(), open_6_and_4).has_value());
    CHECK_FALSE(custom_error_channel(CustomErrorConvention::None, none.fn(), open_6_and_4).has_value());
}

TEST_CASE("filter variables: qmail-qfilter's names") {
    ReadEnvelope e{"alice@mail.example.org", {"b@x.example", "c@y.example"}, ""};
    auto v = filter_variables(e);
    std::map<std::string, std::string> m(v.begin(), v.end());
    CHECK(m["SENDER"] == "alice@mail.example.org");
    CHECK(m["RECIPIENT"] == "b@x.example");
    CHECK(m["QMAILUSER"] == "alice");
    CHECK(m["QMAILHOST"] == "mail.example.org");
    CHECK(m["QMAILRCPTS"] == "b@x.example\nc@y.example\n");
    ReadEnvelope bounce{"", {"b@x.example"}, ""};
    auto b = filter_variables(bounce);
    std::map<std::string, std::string> mb(b.begin(), b.end());
    CHECK(mb["SENDER"].empty());
    CHECK(mb["QMAILUSER"].empty());
    CHECK(mb["QMAILHOST"].empty());
    CHECK(next_queue_program(FakeEnv{{{"AUTHQUEUE_NEXT", "/x/qq"}, {"QMAILQUEUE", "/y"}}}.fn()) == "/x/qq");
    CHECK(next_queue_program(FakeEnv{{{"QMAILQUEUE", "/y"}}}.fn()).ends_with("/bin/qmail-queue"));
}

TEST_CASE("resolve_program: a path as it is, else beside qmail-authqueue, else PATH") {
    test::TempDir d;
    d.write("spfcheck", "#!/bin/sh\n");
    d.write("plain", "");
    REQUIRE(::chmod((d.path + "/spfcheck").c_str(), 0755) == 0);
    CHECK(resolve_program("spfcheck", d.path) == d.path + "/spfcheck");
    CHECK(resolve_program("plain", d.path) == "plain");  // not executable there: PATH
    CHECK(resolve_program("cat", d.path) == "cat");
    CHECK(resolve_program("./x/spfcheck", d.path) == "./x/spfcheck");
    CHECK(resolve_program("spfcheck", "") == "spfcheck");
}

namespace {

// A FilterRunner stand-in: each call appends its tag to what it reads and
// ends as told.
struct FakeRunner : FilterRunner {
    std::vector<FilterEnd> ends;
    std::vector<std::string> seen;
    bool write = true;
    FilterEnd run(const FilterCommand& command, int in, int out) override {
        std::string input;
        char buf[4096];
        ssize_t n;
        while ((n = ::read(in, buf, sizeof buf)) > 0) input.append(buf, static_cast<std::size_t>(n));
        seen.push_back(input);
        if (write) {
            const std::string output = input + command.back();
            REQUIRE(::write(out, output.data(), output.size()) == static_cast<ssize_t>(output.size()));
        }
        FilterEnd e = ends.empty() ? FilterEnd{} : ends.front();
        if (!ends.empty()) ends.erase(ends.begin());
        return e;
    }
};

io::Fd spool_of(const std::string& text) {
    auto fd = io::open_temp("/tmp");
    REQUIRE(fd.has_value());
    REQUIRE(io::write_all(*fd, text).has_value());
    return io::Fd(*fd);
}

std::string contents(int fd) {
    ::lseek(fd, 0, SEEK_SET);
    std::string s;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof buf)) > 0) s.append(buf, static_cast<std::size_t>(n));
    return s;
}

}  // namespace

TEST_CASE("run_chain: each filter reads the last one's spool from its start") {
    FakeRunner r;
    const FilterChain chain{{"a", "1"}, {"b", "2"}, {"c", "3"}};
    auto out = run_chain(chain, spool_of("msg"), r, "/tmp", 300);
    CHECK(out.decision.step == Step::Next);
    CHECK(r.seen == std::vector<std::string>{"msg", "msg1", "msg12"});
    CHECK(contents(out.message.get()) == "msg123");
}

TEST_CASE("run_chain: the first filter that does not pass decides, the rest do not run") {
    FakeRunner r;
    r.ends = {FilterEnd{}, FilterEnd{FilterEnd::How::Exited, 100, "5.7.1 no"}};
    auto out = run_chain(FilterChain{{"a", "1"}, {"/x/b", "2"}, {"c", "3"}}, spool_of("m"), r, "/tmp", 300);
    CHECK(out.decision.step == Step::Refuse);
    CHECK(out.decision.reason == "5.7.1 no");
    CHECK(out.filter == "b");
    CHECK(r.seen.size() == 2);

    FakeRunner warn;
    warn.ends = {FilterEnd{FilterEnd::How::Exited, 0, "warning: x"}};
    auto w = run_chain(FilterChain{{"a", "1"}}, spool_of("m"), warn, "/tmp", 300);
    CHECK(w.decision.step == Step::Next);
    CHECK(w.notes == std::vector<std::string>{"a: warning: x"});
}

TEST_CASE("run_chain: exit 0 without output is a temporary failure; a spool that cannot be made too") {
    FakeRunner r;
    r.write = false;
    auto out = run_chain(FilterChain{{"a", "1"}}, spool_of("m"), r, "/tmp", 300);
    CHECK(out.decision.step == Step::Defer);
    CHECK(out.decision.reason == "a exited 0 without writing the message");
    FakeRunner empty_ok;
    empty_ok.write = false;
    CHECK(run_chain(FilterChain{{"a", "1"}}, spool_of(""), empty_ok, "/tmp", 300).decision.step == Step::Next);
    FakeRunner nodir;
    auto bad = run_chain(FilterChain{{"a", "1"}}, spool_of("m"), nodir, "/nonexistent/spool", 300);
    CHECK(bad.decision.step == Step::Defer);
    CHECK(bad.decision.reason.find("/nonexistent/spool") != std::string::npos);
    CHECK(nodir.seen.empty());
}

namespace {

// Runs `script` (sh -c) through a ProcessRunner on input "in\n"; the
// ending, what it wrote, and what reached the log.
struct Ran {
    FilterEnd end;
    std::string out, log;
};

Ran run_sh(const std::string& script, long timeout = 10) {
    int p[2];
    REQUIRE(::pipe(p) == 0);
    ProcessOptions o;
    o.timeout = timeout;
    o.log_fd = p[1];
    ProcessRunner runner(o);
    io::Fd in = spool_of("in\n");
    ::lseek(in.get(), 0, SEEK_SET);
    auto out = io::open_temp("/tmp");
    REQUIRE(out.has_value());
    io::Fd o_fd(*out);
    Ran r;
    r.end = runner.run(FilterCommand{"/bin/sh", "-c", script}, in.get(), o_fd.get());
    ::close(p[1]);
    char buf[4096];
    ssize_t n;
    while ((n = ::read(p[0], buf, sizeof buf)) > 0) r.log.append(buf, static_cast<std::size_t>(n));
    ::close(p[0]);
    r.out = contents(o_fd.get());
    return r;
}

}  // namespace

TEST_CASE("ProcessRunner: fd 0 and 1 are the spools, the first stderr line is the reason, the rest is logged") {
    auto r = run_sh("cat; echo added; printf '5.7.1 first\\r\\nsecond\\nthird' >&2; exit 100");
    CHECK(r.end.how == FilterEnd::How::Exited);
    CHECK(r.end.code == 100);
    CHECK(r.end.first_line == "5.7.1 first");
    CHECK(r.log == "second\nthird");
    CHECK(r.out == "in\nadded\n");
    auto quiet = run_sh("exit 0");
    CHECK(quiet.end.code == 0);
    CHECK(quiet.end.first_line.empty());
    auto partial = run_sh("printf 'no newline' >&2; exit 111");
    CHECK(partial.end.first_line == "no newline");
    auto longline = run_sh("head -c 5000 /dev/zero | tr '\\\\0' x >&2; echo >&2; echo next >&2; exit 111");
    CHECK(longline.end.first_line.size() == kMaxFirstLine);
    CHECK(longline.log == "next\n");
}

TEST_CASE("ProcessRunner: signals, time-outs and programs that cannot run") {
    auto sig = run_sh("kill -SEGV $$");
    CHECK(sig.end.how == FilterEnd::How::Signaled);
    CHECK(sig.end.code == SIGSEGV);
    auto slow = run_sh("echo started >&2; sleep 20", 1);
    CHECK(slow.end.how == FilterEnd::How::TimedOut);
    CHECK(slow.end.first_line == "started");
    ProcessRunner runner(ProcessOptions{});
    io::Fd in = spool_of("");
    auto missing = runner.run(FilterCommand{"/nonexistent/prog"}, in.get(), in.get());
    CHECK(missing.how == FilterEnd::How::Exited);
    CHECK(missing.code == 111);
    CHECK(missing.first_line == "cannot run prog: No such file or directory");
}
