// The one place where the unit tests find their files: the project's own
// test files (tests/data/...) and the shared, read-only public test data
// (RFC 8463 test vectors, the Mail::DKIM test corpus, pyspf's RFC 7208
// suite), and how a case that needs the public data is skipped without it.
//
// The public data is looked for in $QAUTH_TESTDATA, else $SHARED/testdata,
// else <top>/../shared/testdata, where <top> is $TOP or the top directory
// the unit tests were built in (QAUTH_TOP, set by the Makefile for
// testdata.cpp), so build/bin/unit-tests runs from any directory.
//
// A case that reads the public data is declared
//     TEST_CASE("..." * test::needs_testdata())
// and is skipped (counted as skipped in doctest's summary, with one line
// saying why at the end of the run) when the data is absent, as in a plain
// clone of the project. In CI (CI=true or QAUTH_REQUIRE_TESTDATA=1) it is
// never skipped: it runs and fails, and so does "public test data is present".
#pragma once

#include <doctest/doctest.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <unistd.h>

#include "mail/reader.hpp"

namespace qauth::test {

/// The project's top directory: $TOP, else the one the tests were built in.
std::string top_dir();

/// Path of `rel` (e.g. "tests/data/dns/basic.zone") under top_dir().
std::string source_file(const std::string& rel);

/// Directory of the public test data (see above); it may not exist.
std::string testdata_dir();

/// Path of `rel` (e.g. "dkim/rfc8463.zone") under testdata_dir().
std::string testdata(const std::string& rel);

/// True when testdata_dir() is a directory.
bool have_testdata();

/// True when missing test data must fail rather than skip (CI=true, or
/// QAUTH_REQUIRE_TESTDATA=1).
bool testdata_required();

/// Marks the description of the cases that need the public test data; the
/// listener in testdata.cpp counts their skips and says why.
inline constexpr const char* kNeedsTestdata = "needs the public test data";

/// Decorator: skip the case when the public test data is absent (unless
/// testdata_required()).
struct needs_testdata {
    void fill(doctest::detail::TestCase& tc) const {
        if (!have_testdata() && !testdata_required()) tc.m_skip = true;
        tc.m_description = kNeedsTestdata;
    }
    void fill(doctest::detail::TestSuite&) const {}
};

/// Whole contents of a file ("" when missing, which the tests then detect).
inline std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// A message read through mail::Reader: its header and its whole body, and
/// Reader::consumed() after the header and after the body.
struct Parsed {
    mail::Header header;
    std::string body;
    std::uint64_t header_consumed = 0, consumed = 0;
};

/// Reads `input` as a message, through a temporary file, with the reader's
/// header limit `max_header`.
inline Parsed read_message(const std::string& input, std::size_t max_header = mail::kMaxHeaderBytes) {
    std::FILE* f = std::tmpfile();
    std::fwrite(input.data(), 1, input.size(), f);
    std::fflush(f);
    std::rewind(f);
    mail::Reader r(fileno(f), max_header);
    Parsed p;
    p.header = *r.read_header();
    p.header_consumed = r.consumed();
    (void)r.read_body([&](std::string_view c) -> Result<void> {
        p.body += c;
        return {};
    });
    p.consumed = r.consumed();
    std::fclose(f);
    return p;
}

/// An environment for the code that takes a qmail::Environment (a function
/// from a variable's name to its value, nullptr when unset): the variables
/// in `vars`, nothing else. fn() refers to this object.
struct FakeEnv {
    std::map<std::string, std::string> vars;
    std::function<const char*(const char*)> fn() const {
        return [this](const char* name) -> const char* {
            auto it = vars.find(name);
            return it == vars.end() ? nullptr : it->second.c_str();
        };
    }
};

/// A fresh directory under /tmp, removed with its contents at scope exit.
struct TempDir {
    std::string path;
    TempDir() {
        char name[] = "/tmp/qauth-unit-XXXXXX";
        REQUIRE(::mkdtemp(name) != nullptr);
        path = name;
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    /// Writes `text` to `name` (relative, parent directories made).
    void write(const std::string& name, const std::string& text) const {
        std::filesystem::create_directories(std::filesystem::path(path + "/" + name).parent_path());
        std::ofstream(path + "/" + name, std::ios::binary) << text;
    }
};

}  // namespace qauth::test
