// Organizational domain, RFC 7489 §3.2, with the Public Suffix List of
// Debian's publicsuffix package (scripts/install-deps installs it, so a
// missing list is a failure here, not a skip). The expectations are those of
// the list installed on Debian 12 (publicsuffix 20230209); the rules they
// rely on: co.uk, *.kawasaki.jp with !city.kawasaki.jp, *.ck with !www.ck,
// blogspot.com and github.io (private section), рф, 公司.cn. A later list
// that drops one of them fails here, on purpose: look before changing.
#include <doctest/doctest.h>

#include <libpsl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

#include "dns/domain.hpp"
#include "dns/org_domain.hpp"

using namespace qauth::dns;

namespace {

const std::string kDafsa = "/usr/share/publicsuffix/public_suffix_list.dafsa";
const std::string kText = "/usr/share/publicsuffix/public_suffix_list.dat";

std::string org(const PublicSuffixList& psl, std::string_view name) {
    auto d = Domain::parse(name, NameRules::Mail);
    REQUIRE_MESSAGE(d, name);
    auto o = psl.organizational_domain(*d);
    REQUIRE_MESSAGE(o, name);
    return *o;
}

// Name -> organizational domain, for every form of the list.
struct Case {
    const char* name;
    const char* org;
};
const std::vector<Case> kCases = {
    // ICANN rules, RFC 7489 §3.2 steps 3-4.
    {"example.co.uk", "example.co.uk"},
    {"a.b.example.co.uk", "example.co.uk"},
    {"mail.example.com", "example.com"},
    // A public suffix itself: no (x+1)th label, the name itself.
    {"co.uk", "co.uk"},
    {"com", "com"},
    // Wildcard and exception: *.kawasaki.jp, !city.kawasaki.jp.
    {"kawasaki.jp", "kawasaki.jp"},
    {"foo.kawasaki.jp", "foo.kawasaki.jp"},  // a public suffix by the wildcard
    {"a.foo.kawasaki.jp", "a.foo.kawasaki.jp"},
    {"b.a.foo.kawasaki.jp", "a.foo.kawasaki.jp"},
    {"city.kawasaki.jp", "city.kawasaki.jp"},  // the exception: registrable
    {"a.city.kawasaki.jp", "city.kawasaki.jp"},
    // The same on a TLD: *.ck, !www.ck.
    {"c.ck", "c.ck"},
    {"a.b.c.ck", "b.c.ck"},
    {"www.ck", "www.ck"},
    {"mail.www.ck", "www.ck"},
    // Private section entries count (org_domain.hpp).
    {"blogspot.com", "blogspot.com"},
    {"alice.blogspot.com", "alice.blogspot.com"},
    {"www.alice.blogspot.com", "alice.blogspot.com"},
    {"github.io", "github.io"},
    {"bob.github.io", "bob.github.io"},
    {"x.y.bob.github.io", "bob.github.io"},
    // Single labels and unlisted TLDs: the implicit "*" rule.
    {"localhost", "localhost"},
    {"example.invalid", "example.invalid"},
    {"a.b.example.invalid", "example.invalid"},
    // IDN A-labels: рф (xn--p1ai) and 公司.cn (xn--55qx5d.cn), whose rule the
    // .dat writes as a U-label.
    {"xn--p1ai", "xn--p1ai"},
    {"a.xn--b1aew.xn--p1ai", "xn--b1aew.xn--p1ai"},
    {"xn--55qx5d.cn", "xn--55qx5d.cn"},
    {"www.xn--85x722f.xn--55qx5d.cn", "xn--85x722f.xn--55qx5d.cn"},
    // Underscored names (DMARC's own query names).
    {"_dmarc.mail.example.co.uk", "example.co.uk"},
};

void check_cases(const PublicSuffixList& psl) {
    for (const Case& c : kCases) {
        CAPTURE(c.name);
        CHECK(org(psl, c.name) == c.org);
    }
}

std::string temp_file(const std::string& text) {
    char path[] = "/tmp/qauth-psl-XXXXXX";
    const int fd = ::mkstemp(path);
    REQUIRE(fd >= 0);
    ::close(fd);
    std::ofstream(path) << text;
    return path;
}

// Sets or unsets an environment variable for one scope.
struct EnvVar {
    std::string name;
    std::string old;
    bool had;
    EnvVar(std::string n, const char* value) : name(std::move(n)) {
        const char* o = std::getenv(name.c_str());
        had = o != nullptr;
        if (had) old = o;
        if (value) ::setenv(name.c_str(), value, 1); else ::unsetenv(name.c_str());
    }
    ~EnvVar() {
        if (had) ::setenv(name.c_str(), old.c_str(), 1); else ::unsetenv(name.c_str());
    }
};

}  // namespace

TEST_CASE("organizational domain: Debian's DAFSA list (RFC 7489 3.2)") {
    auto psl = PublicSuffixList::load(kDafsa);
    REQUIRE_MESSAGE(psl, (psl ? "" : psl.error().reason));
    CHECK(psl->source() == kDafsa);
    check_cases(*psl);
}

TEST_CASE("organizational domain: Debian's text list gives the same answers") {
    auto psl = PublicSuffixList::load(kText);
    REQUIRE_MESSAGE(psl, (psl ? "" : psl.error().reason));
    CHECK(psl->source() == kText);
    check_cases(*psl);
}

TEST_CASE("organizational domain: the standard list is psl_latest()'s choice, loaded once") {
    EnvVar env("QAUTH_PSL_FILE", nullptr);
    auto psl = PublicSuffixList::load_default();
    REQUIRE_MESSAGE(psl, (psl ? "" : psl.error().reason));
    // psl_latest() takes the newest file newer than the built-in data; on
    // Debian 12 that is the .dafsa (made a minute after the .dat that the
    // built-in data comes from).
    struct stat dafsa {}, text {};
    REQUIRE(::stat(kDafsa.c_str(), &dafsa) == 0);
    REQUIRE(::stat(kText.c_str(), &text) == 0);
    const std::time_t builtin = psl_builtin_file_time();
    if (dafsa.st_mtime > builtin && dafsa.st_mtime >= text.st_mtime)
        CHECK(psl->source() == kDafsa);
    else if (text.st_mtime > builtin)
        CHECK(psl->source() == kText);
    else
        CHECK(psl->source().starts_with("libpsl built-in list (from "));
    MESSAGE("standard public suffix list: " << psl->source());
    check_cases(*psl);

    // standard() is the same list, kept; public_suffix_list_used() names it.
    auto s1 = PublicSuffixList::standard();
    REQUIRE(s1);
    auto s2 = PublicSuffixList::standard();
    REQUIRE(s2);
    CHECK(*s1 == *s2);
    auto used = public_suffix_list_used();
    REQUIRE(used.has_value());
    REQUIRE(used->has_value());
    CHECK(**used == (*s1)->source());
    auto d = Domain::parse("a.b.example.co.uk", NameRules::Mail);
    REQUIRE(d);
    CHECK(organizational_domain(*d) == "example.co.uk");
}

TEST_CASE("organizational domain: Domain has lower-cased and stripped the dot for libpsl") {
    auto psl = PublicSuffixList::load(kDafsa);
    REQUIRE(psl);
    CHECK(org(*psl, "A.B.Example.CO.UK.") == "example.co.uk");
    CHECK(org(*psl, "CO.UK.") == "co.uk");
    CHECK(org(*psl, "WWW.City.Kawasaki.JP") == "city.kawasaki.jp");
    CHECK(org(*psl, "Alice.BlogSpot.com.") == "alice.blogspot.com");
    CHECK(org(*psl, "XN--P1AI.") == "xn--p1ai");
}

TEST_CASE("organizational domain: names it has no answer for") {
    auto psl = PublicSuffixList::load(kDafsa);
    REQUIRE(psl);
    auto root = Domain::parse(".", NameRules::Query);
    REQUIRE(root);
    auto r = psl->organizational_domain(*root);
    REQUIRE_FALSE(r);
    CHECK(r.error().reason.starts_with("RFC 7489 3.2:"));
    // A raw U-label (only NameRules::Query lets one through): A-labels only.
    auto u = Domain::parse("\xd0\xbf\xd1\x80\xd0\xb8\xd0\xbc\xd0\xb5\xd1\x80.\xd1\x80\xd1\x84", NameRules::Query);
    REQUIRE(u);
    auto ru = psl->organizational_domain(*u);
    REQUIRE_FALSE(ru);
    CHECK(ru.error().reason.find("A-label") != std::string::npos);
}

TEST_CASE("organizational domain: a list of one's own, by file and by QAUTH_PSL_FILE") {
    const std::string file = temp_file("// test list\nexample\n*.wild.example\n!ok.wild.example\n");
    auto psl = PublicSuffixList::load(file);
    REQUIRE_MESSAGE(psl, (psl ? "" : psl.error().reason));
    CHECK(psl->source() == file);
    CHECK(org(*psl, "a.b.example") == "b.example");
    CHECK(org(*psl, "x.wild.example") == "x.wild.example");
    CHECK(org(*psl, "y.x.wild.example") == "y.x.wild.example");
    CHECK(org(*psl, "y.ok.wild.example") == "ok.wild.example");
    CHECK(org(*psl, "a.b.example.co.uk") == "co.uk");  // not in this list: "*" rule
    {
        EnvVar env("QAUTH_PSL_FILE", file.c_str());
        auto d = PublicSuffixList::load_default();
        REQUIRE(d);
        CHECK(d->source() == file);
        CHECK(org(*d, "a.b.example") == "b.example");
    }
    {
        // An override that cannot be loaded is an error, not the system list.
        EnvVar env("QAUTH_PSL_FILE", "/nonexistent/psl.dat");
        auto d = PublicSuffixList::load_default();
        REQUIRE_FALSE(d);
        CHECK(d.error().reason ==
              "QAUTH_PSL_FILE: public suffix list /nonexistent/psl.dat: No such file or directory");
    }
    {
        EnvVar env("QAUTH_PSL_FILE", "");  // empty: as if unset
        auto d = PublicSuffixList::load_default();
        REQUIRE(d);
        CHECK(d->source() != file);
    }
    ::unlink(file.c_str());

    const std::string empty = temp_file("// no rules\n");
    auto e = PublicSuffixList::load(empty);
    REQUIRE_FALSE(e);
    CHECK(e.error().reason == "public suffix list " + empty + ": no rules in it");
    ::unlink(empty.c_str());
}
