// common/qmail/control: qmail control files (DESIGN §5) and where the
// control directory is.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <future>
#include <optional>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include "qmail/control.hpp"

#include "testdata.hpp"

using namespace qauth;
namespace fs = std::filesystem;

namespace {

using Lines = std::vector<std::string>;

using test::TempDir;

/// lines(name), which must not fail.
std::optional<Lines> lines_of(const qmail::ControlDir& c, const std::string& name) {
    auto r = c.lines(name);
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().reason));
    return *r;
}

/// Sets (or, with nullptr, unsets) an environment variable for one scope.
struct EnvVar {
    std::string name;
    std::optional<std::string> saved;
    EnvVar(const char* n, const char* value) : name(n) {
        if (const char* old = std::getenv(n)) saved = old;
        if (value)
            ::setenv(n, value, 1);
        else
            ::unsetenv(n);
    }
    ~EnvVar() {
        if (saved)
            ::setenv(name.c_str(), saved->c_str(), 1);
        else
            ::unsetenv(name.c_str());
    }
};

}  // namespace

TEST_CASE("control lines: comments, blank lines and surrounding whitespace are dropped") {
    TempDir d;
    qmail::ControlDir c(d.path);
    d.write("list", "first\n# a comment line\n\n  second  \t\nthird # trailing comment\n\t \n#\nlast\r\n");
    CHECK(lines_of(c, "list") == Lines{"first", "second", "third", "last"});
    d.write("inner", "a  b\tc\n");  // whitespace inside a value stays
    CHECK(lines_of(c, "inner") == Lines{"a  b\tc"});
    d.write("nonl", "no newline at the end");
    CHECK(lines_of(c, "nonl") == Lines{"no newline at the end"});
    d.write("domainkeys/example.com/selector", "sel\n");  // a path below the directory
    CHECK(lines_of(c, "domainkeys/example.com/selector") == Lines{"sel"});
}

TEST_CASE("control lines: a missing file is nullopt, an empty one no lines") {
    TempDir d;
    qmail::ControlDir c(d.path);
    CHECK_FALSE(lines_of(c, "absent").has_value());
    CHECK_FALSE(lines_of(c, "no/such/dir/file").has_value());
    d.write("empty", "");
    auto e = lines_of(c, "empty");
    REQUIRE(e.has_value());
    CHECK(e->empty());
    d.write("comments", "# only\n  # comments\n\n");
    auto only = lines_of(c, "comments");
    REQUIRE(only.has_value());
    CHECK(only->empty());
}

TEST_CASE("control lines: unreadable files are errors that name the file") {
    TempDir d;
    qmail::ControlDir c(d.path);
    d.write("nul", std::string("me\0evil\n", 8));
    auto nul = c.lines("nul");
    REQUIRE_FALSE(nul.has_value());
    CHECK(nul.error().reason == d.path + "/nul: contains a NUL byte");
    fs::create_directory(d.path + "/adir");
    auto dir = c.lines("adir");
    REQUIRE_FALSE(dir.has_value());
    CHECK(dir.error().reason.find(d.path + "/adir: ") == 0);
    d.write("huge", std::string((1u << 20) + 1, 'x'));  // over the 1 MiB limit
    auto huge = c.lines("huge");
    REQUIRE_FALSE(huge.has_value());
    CHECK(huge.error().reason.find(d.path + "/huge: larger than") == 0);
}

TEST_CASE("control lines: a FIFO is refused at once, not read (which would block)") {
    TempDir d;
    const std::string fifo = d.path + "/me";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    qmail::ControlDir c(d.path);
    auto pending = std::async(std::launch::async, [&] { return c.lines("me"); });
    bool done = pending.wait_for(std::chrono::seconds(5)) == std::future_status::ready;
    if (!done) {  // unblock the reader so that the test ends
        int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
        if (fd >= 0) ::close(fd);
    }
    REQUIRE(done);
    auto r = pending.get();
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().reason == fifo + ": not a regular file");
}

TEST_CASE("control value: the first line, or the fallback when missing or empty") {
    TempDir d;
    qmail::ControlDir c(d.path);
    CHECK(*c.value("me", "fallback.example") == "fallback.example");
    d.write("me", "\n# comment\n  mx.example.com  \nsecond.example\n");
    CHECK(*c.value("me", "fallback.example") == "mx.example.com");
    d.write("blank", "\n\n# nothing\n");
    CHECK(*c.value("blank", "fb") == "fb");
    CHECK(*c.value("blank", "") == "");
    d.write("nul", std::string("a\0", 2));
    auto bad = c.value("nul", "fb");
    REQUIRE_FALSE(bad.has_value());  // an unreadable file is no missing file
    CHECK(bad.error().reason.find("contains a NUL byte") != std::string::npos);
}

TEST_CASE("control number: non-negative decimal, fallback when missing, errors name the file") {
    TempDir d;
    qmail::ControlDir c(d.path);
    CHECK(*c.number("timeout", 1200) == 1200);
    d.write("timeout", "30\n");
    CHECK(*c.number("timeout", 1200) == 30);
    d.write("zero", "0\n");
    CHECK(*c.number("zero", 7) == 0);
    d.write("spaced", "  45 # seconds\n");
    CHECK(*c.number("spaced", 7) == 45);
    d.write("empty", "# none\n");
    CHECK(*c.number("empty", 7) == 7);
    for (const char* bad : {"-1", "12abc", "abc", "1.5", "0x10", "99999999999999999999999"}) {
        CAPTURE(bad);
        d.write("bad", std::string(bad) + "\n");
        auto r = c.number("bad", 7);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().reason == d.path + "/bad: not a non-negative number: " + bad);
    }
}

TEST_CASE("control dir: the option, else $QMAIL_CONTROL, else /var/qmail/control; qmail home likewise") {
    struct Rule {
        const char* var;
        std::string (*from)(std::string_view);
        const char* fallback;
    };
    for (const Rule& r : {Rule{"QMAIL_CONTROL", qmail::control_dir_from, "/var/qmail/control"},
                          Rule{"QMAIL_HOME", qmail::qmail_home_from, "/var/qmail"}}) {
        CAPTURE(r.var);
        {
            EnvVar env(r.var, "/etc/qmail-env");
            CHECK(r.from("/opt/control") == "/opt/control");
            CHECK(r.from("") == "/etc/qmail-env");
        }
        {
            EnvVar env(r.var, "");
            CHECK(r.from("") == r.fallback);
        }
        {
            EnvVar env(r.var, nullptr);
            CHECK(r.from("") == r.fallback);
            CHECK(r.from("relative/control") == "relative/control");
        }
    }
    CHECK(qmail::ControlDir("/c").path("me") == "/c/me");
    CHECK(qmail::ControlDir("/c/").path("me") == "/c/me");
    CHECK(qmail::ControlDir("/c").path("domainkeys/x/sel") == "/c/domainkeys/x/sel");
}
