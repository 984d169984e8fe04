// common/filter/runner: the one filter sequence (DESIGN §2, §3, §7).
#include <doctest/doctest.h>

#include <cstdio>
#include <fcntl.h>
#include <string>
#include <thread>
#include <unistd.h>

#include "filter/runner.hpp"
#include "testdata.hpp"

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

// Reads `fd` to its end on a thread of its own, so that a pipe never fills.
struct Drain {
    std::string text;
    std::thread thread;
    explicit Drain(int fd)
        : thread([this, fd] {
              char buf[65536];
              for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) text.append(buf, static_cast<std::size_t>(n));
          }) {}
    std::string get() {
        thread.join();
        return text;
    }
};

// run() with `input` arriving on a pipe (written by a thread, so larger than
// the pipe buffer), and the output on a pipe when `pipe_out`, else a file.
Run run_piped(filter::Stage& stage, const std::string& input, bool pipe_out = false, bool check = false) {
    int in[2], out[2];
    REQUIRE(::pipe(in) == 0);
    std::thread feed([&] {
        std::string_view rest = input;
        for (ssize_t n; !rest.empty() && (n = ::write(in[1], rest.data(), rest.size())) > 0;)
            rest.remove_prefix(static_cast<std::size_t>(n));
        ::close(in[1]);
    });
    filter::RunOptions o;
    o.check = check;
    o.input = in[0];
    Run r;
    if (pipe_out) {
        REQUIRE(::pipe(out) == 0);
        Drain drain(out[0]);
        o.output = out[1];
        r.status = filter::run("test", stage, o);
        ::close(out[1]);
        r.out = drain.get();
        ::close(out[0]);
    } else {
        std::FILE* f = std::tmpfile();
        o.output = fileno(f);
        r.status = filter::run("test", stage, o);
        r.out = read_all(f);
        std::fclose(f);
    }
    feed.join();
    ::close(in[0]);
    return r;
}

// A message of `lines` numbered body lines: the body outgrows the spool's
// memory (1 MiB) and the reader's 64 KiB blocks, and a block copied from the
// wrong offset shows.
std::string big_message(int lines) {
    std::string m = "From: a@example.com\nSubject: big\n\n";
    for (int i = 0; i < lines; ++i) m += "line " + std::to_string(i) + " of the body, in plain text\n";
    return m;
}

// Probe that, once it has seen the body, cuts the input file to `keep` bytes
// (or, with `append`, adds to it; with `overwrite`, writes it over the last
// bytes, the length unchanged): the file changes between the two reads.
struct Changer : Probe {
    int fd = -1;
    long keep = 0;
    std::string append, overwrite;
    Result<Verdict> finish(const mail::Header& h) override {
        if (!overwrite.empty()) {
            const off_t end = ::lseek(fd, 0, SEEK_END);
            REQUIRE(::pwrite(fd, overwrite.data(), overwrite.size(), end - static_cast<off_t>(overwrite.size())) ==
                    static_cast<ssize_t>(overwrite.size()));
        } else if (append.empty()) {
            REQUIRE(::ftruncate(fd, keep) == 0);
        } else {
            REQUIRE(::pwrite(fd, append.data(), append.size(), ::lseek(fd, 0, SEEK_END)) ==
                    static_cast<ssize_t>(append.size()));
        }
        return Probe::finish(h);
    }
};

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

TEST_CASE("runner: a regular file and a pipe on input give the same bytes") {
    const std::string msg = big_message(100000);  // about 3.7 MB
    Probe file, pipe, pipe2;
    file.last.prepend = pipe.last.prepend = pipe2.last.prepend = {"X-Ours: 1\n"};
    auto f = run(file, msg);  // tmpfile: read again, not spooled
    auto p = run_piped(pipe, msg);
    auto q = run_piped(pipe2, msg, true);
    CHECK(f.status == 0);
    CHECK(p.status == 0);
    CHECK(q.status == 0);
    CHECK(f.out == "X-Ours: 1\n" + msg);
    CHECK(p.out == f.out);
    CHECK(q.out == f.out);
    CHECK(file.seen_body == pipe.seen_body);
    CHECK(file.seen_body.size() == msg.size() - msg.find("\n\n") - 2);
    for (bool check : {false, true}) {  // a small message too, and --check
        Probe a, b;
        a.last.prepend = b.last.prepend = {"X-Ours: 1\r\n"};
        const std::string crlf = "From: a@example.com\r\n\r\nx\r\n";
        auto f = run(a, crlf, check);
        auto p = run_piped(b, crlf, false, check);
        CHECK(f.status == 0);
        CHECK(p.status == 0);
        CHECK(f.out == p.out);
        CHECK(f.out == (check ? "" : "X-Ours: 1\r\n" + crlf));
    }
}

TEST_CASE("runner: an input file whose offset is not 0 at the start") {
    const std::string lead = "a line someone read before us\n";
    for (const std::string& msg : {kMsg, big_message(50000)}) {
        for (bool early : {false, true}) {
            std::FILE* in = std::tmpfile();
            std::FILE* out = std::tmpfile();
            const std::string all = lead + msg;
            std::fwrite(all.data(), 1, all.size(), in);
            std::fflush(in);
            ::lseek(fileno(in), static_cast<off_t>(lead.size()), SEEK_SET);
            Probe p;
            p.last.prepend = {"X-Ours: 1\n"};
            if (early) p.early = p.last;
            filter::RunOptions o;
            o.input = fileno(in);
            o.output = fileno(out);
            CHECK(filter::run("test", p, o) == 0);
            CHECK(read_all(out) == "X-Ours: 1\n" + msg);
            if (!early) CHECK(p.seen_body == msg.substr(msg.find("\n\n") + 2));
            std::fclose(in);
            std::fclose(out);
        }
    }
}

TEST_CASE("runner: an input file that shrinks before the body is copied: 111, never 0") {
    const std::string msg = big_message(50000);
    const long body_at = static_cast<long>(msg.find("\n\n") + 2);
    for (long keep : {0L, body_at, body_at + 100000, static_cast<long>(msg.size()) - 1}) {
        CAPTURE(keep);
        std::FILE* in = std::tmpfile();
        std::FILE* out = std::tmpfile();
        std::fwrite(msg.data(), 1, msg.size(), in);
        std::fflush(in);
        std::rewind(in);
        Changer c;
        c.fd = fileno(in);
        c.keep = keep;
        c.last.prepend = {"X-Ours: 1\n"};
        filter::RunOptions o;
        o.input = fileno(in);
        o.output = fileno(out);
        CHECK(filter::run("test", c, o) == 111);
        CHECK(read_all(out).size() < msg.size() + 10);  // whatever was written is short: the status says so
        std::fclose(in);
        std::fclose(out);
    }
}

TEST_CASE("runner: an input file changed after the stage saw the body: 111, never 0") {
    for (int how = 0; how < 2; ++how) {
        CAPTURE(how);
        std::FILE* in = std::tmpfile();
        std::fwrite(kMsg.data(), 1, kMsg.size(), in);
        std::fflush(in);
        std::rewind(in);
        std::FILE* out = std::tmpfile();
        Changer c;
        c.fd = fileno(in);
        if (how == 0)
            c.append = "added later\n";
        else
            c.overwrite = "LINES\n";  // same length: only the file's times tell
        filter::RunOptions o;
        o.input = fileno(in);
        o.output = fileno(out);
        CHECK(filter::run("test", c, o) == 111);
        std::fclose(in);
        std::fclose(out);
    }
}

TEST_CASE("runner: input and output the same file (<f 1<>f): the spool, not a second read") {
    test::TempDir dir;
    const std::string path = dir.path + "/f";
    const std::string msg = big_message(50000);
    {
        std::FILE* f = std::fopen(path.c_str(), "w");
        REQUIRE(f);
        std::fwrite(msg.data(), 1, msg.size(), f);
        std::fclose(f);
    }
    const int in = ::open(path.c_str(), O_RDONLY);
    const int out = ::open(path.c_str(), O_WRONLY);  // 1<>f: not appending, not truncated
    REQUIRE(in >= 0);
    REQUIRE(out >= 0);
    Probe p;
    p.last.prepend = {"X-Ours: 1\n"};
    filter::RunOptions o;
    o.input = in;
    o.output = out;
    CHECK(filter::run("test", p, o) == 0);
    ::close(in);
    ::close(out);
    std::FILE* f = std::fopen(path.c_str(), "r");
    REQUIRE(f);
    CHECK(read_all(f) == "X-Ours: 1\n" + msg);
    std::fclose(f);
}

TEST_CASE("runner: an input file copied to a pipe, and to an O_APPEND file (no sendfile)") {
    const std::string msg = big_message(50000);
    std::FILE* in = std::tmpfile();
    std::fwrite(msg.data(), 1, msg.size(), in);
    std::fflush(in);
    filter::RunOptions o;
    o.input = fileno(in);

    int p[2];
    REQUIRE(::pipe(p) == 0);
    Drain drain(p[0]);
    std::rewind(in);
    Probe a;
    a.last.prepend = {"X-Ours: 1\n"};
    o.output = p[1];
    CHECK(filter::run("test", a, o) == 0);
    ::close(p[1]);
    CHECK(drain.get() == "X-Ours: 1\n" + msg);
    ::close(p[0]);

    std::FILE* out = std::tmpfile();
    int append = ::open(("/proc/self/fd/" + std::to_string(fileno(out))).c_str(), O_WRONLY | O_APPEND);
    REQUIRE(append >= 0);
    std::rewind(in);
    Probe b;
    b.last.prepend = {"X-Ours: 1\n"};
    o.output = append;
    CHECK(filter::run("test", b, o) == 0);
    ::close(append);
    CHECK(read_all(out) == "X-Ours: 1\n" + msg);
    std::fclose(out);
    std::fclose(in);
}
