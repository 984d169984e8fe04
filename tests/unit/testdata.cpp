// tests/unit/testdata.hpp: where the test files are, and the note at the end
// of a run that says why cases needing the public test data were skipped.
#include "testdata.hpp"

#include <cstring>
#include <ostream>
#include <sys/stat.h>

#ifndef QAUTH_TOP
#define QAUTH_TOP "."  // built without the Makefile: run from the top directory
#endif

namespace qauth::test {

namespace {
std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? v : "";
}
}  // namespace

std::string top_dir() {
    std::string top = env("TOP");
    return top.empty() ? QAUTH_TOP : top;
}

std::string source_file(const std::string& rel) { return top_dir() + "/" + rel; }

std::string testdata_dir() {
    if (auto dir = env("QAUTH_TESTDATA"); !dir.empty()) return dir;
    if (auto shared = env("SHARED"); !shared.empty()) return shared + "/testdata";
    return top_dir() + "/../shared/testdata";
}

std::string testdata(const std::string& rel) { return testdata_dir() + "/" + rel; }

bool have_testdata() {
    struct stat st;
    return ::stat(testdata_dir().c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool testdata_required() { return env("CI") == "true" || env("QAUTH_REQUIRE_TESTDATA") == "1"; }

namespace {

// Counts the skipped cases that need the public test data and, at the end
// of the run, says in one line why they were skipped.
struct TestdataListener : doctest::IReporter {
    std::ostream& out;
    unsigned skipped = 0;
    explicit TestdataListener(const doctest::ContextOptions& o) : out(*o.cout) {}

    void test_case_skipped(const doctest::TestCaseData& tc) override {
        if (tc.m_skip && tc.m_description && std::strcmp(tc.m_description, kNeedsTestdata) == 0) ++skipped;
    }
    void test_run_end(const doctest::TestRunStats&) override {
        if (testdata_required() && !have_testdata())
            out << "[qauth] no public test data at " << testdata_dir()
                << ": its cases fail, as CI=true or QAUTH_REQUIRE_TESTDATA=1 requires it\n";
        if (skipped)
            out << "[qauth] " << skipped << " test cases skipped: no public test data at " << testdata_dir()
                << " (RFC 8463 test vectors, the Mail::DKIM test corpus, pyspf's RFC 7208 suite, see README"
                   " under make check; or set QAUTH_TESTDATA=DIR)\n";
    }
    void report_query(const doctest::QueryData&) override {}
    void test_run_start() override {}
    void test_case_start(const doctest::TestCaseData&) override {}
    void test_case_reenter(const doctest::TestCaseData&) override {}
    void test_case_end(const doctest::CurrentTestCaseStats&) override {}
    void test_case_exception(const doctest::TestCaseException&) override {}
    void subcase_start(const doctest::SubcaseSignature&) override {}
    void subcase_end() override {}
    void log_assert(const doctest::AssertData&) override {}
    void log_message(const doctest::MessageData&) override {}
};

}  // namespace

REGISTER_LISTENER("qauth-testdata", 1, TestdataListener);

// Skipped without the data, as the cases that need it; in CI it runs, and
// fails when the data is missing, so a green CI run never skipped them.
TEST_CASE("public test data is present" * needs_testdata()) {
    INFO("public test data directory: ", testdata_dir());
    CHECK(have_testdata());
    CHECK(std::ifstream(testdata("dkim/rfc8463.zone")).good());
}

}  // namespace qauth::test
