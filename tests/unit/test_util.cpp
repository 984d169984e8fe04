// common/util: the body spool and the buffered writer (DESIGN §2: large
// bodies go to an unlinked temporary file; output is complete or an error),
// the copy of a file range to a writer, and the header-text sanitiser.
#include <doctest/doctest.h>

#include <cstdio>
#include <fcntl.h>
#include <functional>
#include <thread>
#include <unistd.h>

#include "util/io.hpp"
#include "util/strings.hpp"

using namespace qauth;

namespace {

// Everything written to a Writer on a temporary file.
std::string written(const std::function<void(io::Writer&)>& fn) {
    std::FILE* f = std::tmpfile();
    io::Writer w(fileno(f));
    fn(w);
    CHECK(w.flush());
    std::string out;
    std::rewind(f);
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) out.append(buf, n);
    std::fclose(f);
    return out;
}

// A temporary file holding `text`, its offset left at `at`.
std::FILE* file_of(const std::string& text, long at) {
    std::FILE* f = std::tmpfile();
    std::fwrite(text.data(), 1, text.size(), f);
    std::fflush(f);
    ::lseek(fileno(f), at, SEEK_SET);
    return f;
}

// 300,000 bytes that differ from their neighbours, so that a range copied
// from the wrong offset shows.
std::string numbered() {
    std::string s;
    for (int i = 0; s.size() < 300000; ++i) s += std::to_string(i) + (i % 7 ? ' ' : '\n');
    return s.substr(0, 300000);
}

}  // namespace

TEST_CASE("copy_range: the range asked for, after what is buffered, the input's offset untouched") {
    const std::string text = numbered();
    std::FILE* in = file_of(text, 7);
    std::string out = written([&](io::Writer& w) {
        CHECK(w.write("head:"));
        CHECK(w.copy_range(fileno(in), "input", 1000, 250000));
        CHECK(w.copy_range(fileno(in), "input", 5, 0));
        CHECK(w.write(":tail"));
    });
    CHECK(out == "head:" + text.substr(1000, 250000) + ":tail");
    CHECK(::lseek(fileno(in), 0, SEEK_CUR) == 7);
    std::fclose(in);
}

TEST_CASE("copy_range: an O_APPEND output (no sendfile) and a pipe get the same bytes") {
    const std::string text = numbered();
    std::FILE* in = file_of(text, 0);
    std::FILE* tmp = std::tmpfile();
    int append = ::open(("/proc/self/fd/" + std::to_string(fileno(tmp))).c_str(), O_WRONLY | O_APPEND);
    REQUIRE(append >= 0);
    io::Writer a(append);
    CHECK(a.write("x"));
    CHECK(a.copy_range(fileno(in), "input", 3, text.size() - 3));
    CHECK(a.flush());
    ::close(append);
    std::string got;
    std::rewind(tmp);
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, tmp)) > 0;) got.append(buf, n);
    CHECK(got == "x" + text.substr(3));
    std::fclose(tmp);

    int p[2];
    REQUIRE(::pipe(p) == 0);
    std::string piped;
    std::thread reader([&] {
        char b[4096];
        for (ssize_t n; (n = ::read(p[0], b, sizeof b)) > 0;) piped.append(b, static_cast<std::size_t>(n));
    });
    io::Writer w(p[1]);
    CHECK(w.write("x"));
    CHECK(w.copy_range(fileno(in), "input", 3, text.size() - 3));
    CHECK(w.flush());
    ::close(p[1]);
    reader.join();
    ::close(p[0]);
    CHECK(piped == "x" + text.substr(3));
    std::fclose(in);
}

TEST_CASE("copy_range: a file shorter than the range fails, naming it, and stays failed") {
    std::FILE* in = file_of(std::string(1000, 'a'), 0);
    std::FILE* out = std::tmpfile();
    io::Writer w(fileno(out));
    auto r = w.copy_range(fileno(in), "standard input", 900, 200);
    REQUIRE_FALSE(r);
    CHECK(r.error().reason == "standard input: the file now ends before byte 1100, the end of the message read from it");
    CHECK_FALSE(w.write("x"));
    CHECK_FALSE(w.flush());
    CHECK_FALSE(io::Writer(fileno(out)).copy_range(fileno(in), "standard input", 2000, 1));  // past the end
    std::fclose(out);

    int full = ::open("/dev/full", O_WRONLY);
    REQUIRE(full >= 0);
    io::Writer f(full);
    r = f.copy_range(fileno(in), "standard input", 0, 1000);
    REQUIRE_FALSE(r);
    CHECK(r.error().reason.find("standard output") != std::string::npos);
    ::close(full);
    std::fclose(in);
}

TEST_CASE("spool keeps order across the memory limit") {
    std::string expect;
    std::string out = written([&](io::Writer& w) {
        io::Spool s(100);
        for (int i = 0; i < 50; ++i) {
            std::string piece = std::to_string(i) + std::string(i, 'x') + "\n";
            expect += piece;
            CHECK(s.append(piece));
        }
        CHECK(s.size() == expect.size());
        CHECK(s.copy_to(w));
    });
    CHECK(out == expect);
}

TEST_CASE("spool in memory, and big writes through the writer") {
    std::string big(300000, 'b');
    std::string out = written([&](io::Writer& w) {
        io::Spool s;
        CHECK(s.append("small"));
        CHECK(s.copy_to(w));
        CHECK(w.write(big));
        CHECK(w.write("end"));
    });
    CHECK(out == "small" + big + "end");
}

TEST_CASE("write errors are reported and stay reported") {
    int fd = ::open("/dev/full", O_WRONLY);
    REQUIRE(fd >= 0);
    io::Writer w(fd);
    CHECK(w.write("x"));  // buffered
    CHECK_FALSE(w.flush());
    CHECK_FALSE(w.write("y"));
    ::close(fd);
}

TEST_CASE("header-text sanitiser: 8-bit bytes and controls are escaped, never deleted") {
    CHECK(printable("ex\xc3\xa4mple.com") == "ex\\xc3\\xa4mple.com");
    CHECK(printable("m\xc3\xa9x.test") == "m\\xc3\\xa9x.test");
    CHECK(printable("a\x7f\x1b[2J") == "a\\x7f\\x1b[2J");
    CHECK(printable("  a \t\r\n b  ") == "a b");
    // Capped: a longer text ends in "...", an escape is never cut.
    CHECK(printable("abcdefgh", 8) == "abcdefgh");
    CHECK(printable("abcdefghi", 8) == "abcde...");
    CHECK(printable("ab\xff\xff" "cdef", 8) == "ab...");
    CHECK(printable("ab\xff" "cdef", 9) == "ab\\xff...");
    CHECK(printable(std::string(300, 'x')).size() == 200);
    // Idempotent: A-R quoting sanitises values a second time.
    for (std::string t : {std::string("ex\xc3\xa4mple.com"), std::string(300, '\xe9'), std::string("a\\xffb")})
        CHECK(printable(printable(t)) == printable(t));
}

TEST_CASE("read_all: the whole input up to the bound, an error naming the input beyond it") {
    int p[2];
    REQUIRE(::pipe(p) == 0);
    REQUIRE(::write(p[1], "0123456789", 10) == 10);
    ::close(p[1]);
    auto all = io::read_all(p[0], 10, "standard input");
    ::close(p[0]);
    REQUIRE(all.has_value());
    CHECK(*all == "0123456789");
    REQUIRE(::pipe(p) == 0);
    REQUIRE(::write(p[1], "0123456789", 10) == 10);
    ::close(p[1]);
    auto over = io::read_all(p[0], 9, "standard input");
    ::close(p[0]);
    REQUIRE(!over.has_value());
    CHECK(over.error().reason == "standard input: larger than 9 bytes");
}
