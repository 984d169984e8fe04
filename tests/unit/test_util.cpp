// common/util: the body spool and the buffered writer (DESIGN §2: large
// bodies go to an unlinked temporary file; output is complete or an error),
// and the header-text sanitiser.
#include <doctest/doctest.h>

#include <cstdio>
#include <fcntl.h>
#include <functional>
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

}  // namespace

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
