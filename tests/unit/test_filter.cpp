// common/filter/runner: the one filter sequence (DESIGN §2, §3, §7).
#include <doctest/doctest.h>

#include <cstdio>
#include <fcntl.h>
#include <string>
#include <unistd.h>

#include "filter/runner.hpp"

using namespace qauth;
using filter::Verdict;

namespace {

// A stage that records what it saw and answers with a fixed verdict.
struct Probe : filter::Stage {
    std::optional<Verdict> early;
    Verdict last;
    std::string seen_body;
    bool finished = false;
    Result<std::optional<Verdict>> begin(mail::Header&) override { return early; }
    void body(std::string_view chunk) override { seen_body += chunk; }
    Result<Verdict> finish(const mail::Header&) override {
        finished = true;
        return last;
    }
};

std::string read_all(std::FILE* f) {
    std::string out;
    std::rewind(f);
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) out.append(buf, n);
    return out;
}

struct Run {
    int status;
    std::string out;
};

Run run(filter::Stage& stage, const std::string& input, bool check = false) {
    std::FILE* in = std::tmpfile();
    std::FILE* out = std::tmpfile();
    std::fwrite(input.data(), 1, input.size(), in);
    std::fflush(in);
    std::rewind(in);
    filter::RunOptions o;
    o.check = check;
    o.input = fileno(in);
    o.output = fileno(out);
    Run r{filter::run("test", stage, o), read_all(out)};
    std::fclose(in);
    std::fclose(out);
    return r;
}

const std::string kMsg = "From: a@example.com\nSubject: s\n\nbody\nlines\n";

}  // namespace

TEST_CASE("runner: our fields on top, the message byte for byte below") {
    Probe p;
    p.last.prepend = {"X-Ours: 1\n"};
    auto r = run(p, kMsg);
    CHECK(r.status == 0);
    CHECK(r.out == "X-Ours: 1\n" + kMsg);
    CHECK(p.seen_body == "body\nlines\n");
}

TEST_CASE("runner: a verdict from the header streams the body unseen") {
    Probe p;
    p.early = filter::pass_unchanged();
    auto r = run(p, kMsg);
    CHECK(r.status == 0);
    CHECK(r.out == kMsg);
    CHECK(p.seen_body.empty());
    CHECK_FALSE(p.finished);
}

TEST_CASE("runner: refusal, temporary failure, consumed; --check writes nothing") {
    Probe p;
    p.last = filter::refuse("5.7.1 no");
    auto r = run(p, kMsg);
    CHECK(r.status == 100);
    CHECK(r.out.empty());
    p.last = Verdict{qmail::FilterStatus::Temporary, "DNS", {}, {}};
    CHECK(run(p, kMsg).status == 111);
    p.last = Verdict{qmail::FilterStatus::Consumed, "", {}, {}};
    r = run(p, kMsg);
    CHECK(r.status == 99);
    CHECK(r.out.empty());
    p.last = Verdict{};
    p.last.prepend = {"X-Ours: 1\n"};
    r = run(p, kMsg, true);
    CHECK(r.status == 0);
    CHECK(r.out.empty());
}

TEST_CASE("runner: a leading continuation line never continues our field (DESIGN 7)") {
    Probe p;
    p.last.prepend = {"X-Ours: 1\r\n"};
    std::string msg = " ; dkim=pass\r\nFrom: a@example.com\r\n\r\nx\r\n";
    auto r = run(p, msg);
    CHECK(r.out == "X-Ours: 1\r\n" + std::string(filter::kOrphanField) + "\r\n" + msg);
    p.last.prepend.clear();  // nothing prepended: nothing to guard
    CHECK(run(p, msg).out == msg);
}

TEST_CASE("runner: an oversized header goes to oversized(), refused by default") {
    Probe p;
    std::string msg;
    for (std::size_t i = 0; i < 100001; ++i) msg += "X: y\n";
    msg += "\nbody\n";
    auto r = run(p, msg);
    CHECK(r.status == 100);
    CHECK(r.out.empty());
    filter::PassStage off;
    r = run(off, msg);
    CHECK(r.status == 0);
    CHECK(r.out == msg);
}

TEST_CASE("runner: a full output is a temporary failure naming it") {
    Probe p;
    std::FILE* in = std::tmpfile();
    std::fwrite(kMsg.data(), 1, kMsg.size(), in);
    std::rewind(in);
    int full = ::open("/dev/full", O_WRONLY);
    REQUIRE(full >= 0);
    filter::RunOptions o;
    o.input = fileno(in);
    o.output = full;
    CHECK(filter::run("test", p, o) == 111);
    ::close(full);
    std::fclose(in);
}
