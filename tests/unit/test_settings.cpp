// common/qmail/settings and control_write: the table of qauth-config's
// settings, value checks, effective values and their sources, the panel's
// dkimverify/dmarc rule, and safe writes.
#include <doctest/doctest.h>

#include <filesystem>
#include <set>
#include <string>
#include <sys/stat.h>
#include <vector>

#include "qmail/control_write.hpp"
#include "qmail/settings.hpp"
#include "srs/config.hpp"

#include "testdata.hpp"

using namespace qauth;
using test::TempDir;

namespace {

const qmail::Setting& named(const char* name) {
    const qmail::Setting* s = qmail::find_setting(name);
    REQUIRE_MESSAGE(s != nullptr, name);
    return *s;
}

/// check_value()'s file content, or "ERROR: reason" (always a usage error).
std::string checked(const char* name, std::string_view value) {
    auto r = qmail::check_value(named(name), value);
    if (r) return *r;
    CHECK(r.error().usage);
    return "ERROR: " + r.error().reason;
}

qmail::Effective effective_of(const qmail::ControlDir& c, const char* name, const qmail::Environment& env) {
    auto e = qmail::effective(named(name), c, env);
    REQUIRE_MESSAGE(e.has_value(), (e ? "" : e.error().reason));
    return *e;
}

const char* no_env(const char*) { return nullptr; }

std::optional<std::string> refusal(const qmail::ControlDir& c, const char* name, std::optional<std::string> v) {
    auto r = qmail::panel_rule_refusal(c, name, v);
    REQUIRE(r.has_value());
    return *r;
}

}  // namespace

TEST_CASE("settings table: every file of DESIGN section 5, once, each with a description") {
    std::set<std::string> names;
    for (const auto& s : qmail::settings()) {
        CHECK(names.insert(std::string(s.name)).second);
        CHECK(!s.description.empty());
        CHECK(qmail::find_setting(s.name) == &s);
    }
    CHECK(names == std::set<std::string>{"dkimsign", "dkimverify", "dmarc", "dmarcreject", "spfbehavior", "spfrules",
                                         "spfguess", "spfexp", "srs_domain", "srs_secrets", "srs_maxage",
                                         "srs_hashlength", "srs_hashmin", "srs_separator", "srs_alwaysrewrite"});
    CHECK(qmail::find_setting("me") == nullptr);
    CHECK(named("spfbehavior").env == "SPFBEHAVIOR");
    CHECK(named("srs_secrets").secret());
    CHECK(named("spfrules").multi_line());
    CHECK(!named("srs_domain").multi_line());
}

TEST_CASE("settings table: the SRS defaults are those srs::load() uses") {
    TempDir d;
    d.write("srs_domain", "srs.example\n");
    d.write("srs_secrets", "s3cret\n");
    srs::Overrides o;
    o.control_dir = d.path;
    auto rw = srs::load(srs::Operation::Rewrite, o, [](std::string_view) {});
    REQUIRE(rw.has_value());
    auto rv = srs::load(srs::Operation::Reverse, o, [](std::string_view) {});
    REQUIRE(rv.has_value());
    CHECK(named("srs_hashlength").fallback == std::to_string(rw->hashlength));
    CHECK(named("srs_separator").fallback == std::string(1, rw->separator));
    CHECK(named("srs_alwaysrewrite").fallback == (rw->always_rewrite ? "1" : "0"));
    CHECK(named("srs_maxage").fallback == std::to_string(rv->maxage));
    CHECK(named("srs_hashmin").default_of == "srs_hashlength");
    CHECK(rv->hashmin == rw->hashlength);
}

TEST_CASE("check_value: switches, ranges, separators, domains") {
    CHECK(checked("dkimsign", "0") == "0\n");
    CHECK(checked("dkimsign", "1\n") == "1\n");
    CHECK(checked("dkimsign", "yes") == "ERROR: dkimsign: not 0 or 1: \"yes\" (want 0 or 1)");
    CHECK(checked("dkimsign", "2").starts_with("ERROR:"));
    CHECK(checked("dmarc", "") == "ERROR: dmarc: empty value: unset it to go back to the default");
    CHECK(checked("spfbehavior", "6") == "6\n");
    CHECK(checked("spfbehavior", "0") == "0\n");
    CHECK(checked("spfbehavior", "7") == "ERROR: spfbehavior: 7 is out of range (want 0-6)");
    CHECK(checked("spfbehavior", "-1").starts_with("ERROR: spfbehavior: not a number"));
    CHECK(checked("spfbehavior", " 3").starts_with("ERROR:"));
    CHECK(checked("srs_maxage", "1023") == "1023\n");
    CHECK(checked("srs_maxage", "1024") == "ERROR: srs_maxage: 1024 is out of range (want 1-1023)");
    CHECK(checked("srs_maxage", "0").starts_with("ERROR:"));
    CHECK(checked("srs_hashlength", "27") == "27\n");
    CHECK(checked("srs_hashlength", "28").starts_with("ERROR:"));
    CHECK(checked("srs_hashmin", "99999999999999").starts_with("ERROR: srs_hashmin: not a number"));
    for (const char* sep : {"=", "+", "-"}) CHECK(checked("srs_separator", sep) == std::string(sep) + "\n");
    CHECK(checked("srs_separator", "==") == "ERROR: srs_separator: not a separator: \"==\" (want = + or -)");
    CHECK(checked("srs_domain", "SRS.Example.COM.") == "srs.example.com\n");
    CHECK(checked("srs_domain", "1.2.3.4").starts_with("ERROR: srs_domain: bad domain"));
    CHECK(checked("srs_domain", "../etc").starts_with("ERROR: srs_domain: bad domain"));
    CHECK(checked("dkimsign", "1\n0\n").starts_with("ERROR: dkimsign: one line only"));
    CHECK(checked("dkimsign", std::string_view("1\0", 2)) == "ERROR: dkimsign: the value contains a NUL byte");
}

TEST_CASE("check_value: SPF rules, guess rules and explanations are parsed as spfcheck parses them") {
    CHECK(checked("spfrules", "a:relay.example ip4:192.0.2.0/24") == "a:relay.example ip4:192.0.2.0/24\n");
    CHECK(checked("spfrules", "# ours\na:relay.example\nip4:192.0.2.0/24\n") ==
          "# ours\na:relay.example\nip4:192.0.2.0/24\n");  // kept as written
    CHECK(checked("spfrules", "redirect=other.example").starts_with("ERROR: spfrules: "));
    CHECK(checked("spfrules", "ip4:300.1.1.1").starts_with("ERROR: spfrules: "));
    CHECK(checked("spfguess", "v=spf1 a/24 mx/24 ?all") == "v=spf1 a/24 mx/24 ?all\n");
    CHECK(checked("spfguess", "v=spf1 bogus:x").starts_with("ERROR: spfguess: "));
    CHECK(checked("spfexp", "See http://%{d}/spf") == "See http://%{d}/spf\n");
    CHECK(checked("spfexp", "bad %{q}").starts_with("ERROR: spfexp: "));
    CHECK(checked("spfrules", "# only a comment\n") ==
          "ERROR: spfrules: empty value: unset it to go back to the default");
}

TEST_CASE("check_value: SRS secrets, one a line, comments skipped") {
    CHECK(checked("srs_secrets", "new secret\nold # secret\n") == "new secret\nold # secret\n");
    CHECK(checked("srs_secrets", "one") == "one\n");
    CHECK(checked("srs_secrets", "# none\n\n").starts_with("ERROR: srs_secrets: "));
}

TEST_CASE("effective: default, control file and environment, each named as the source") {
    TempDir d;
    qmail::ControlDir c(d.path);
    auto e = effective_of(c, "spfbehavior", no_env);
    CHECK(e.value == "1");
    CHECK(e.source == "default");
    CHECK(e.number == 1);
    d.write("spfbehavior", "# strict\n3\n");
    e = effective_of(c, "spfbehavior", no_env);
    CHECK(e.value == "3");
    CHECK(e.source == "control/spfbehavior");
    e = effective_of(c, "spfbehavior", [](const char* n) { return std::string(n) == "SPFBEHAVIOR" ? "5" : nullptr; });
    CHECK(e.value == "5");
    CHECK(e.source == "env SPFBEHAVIOR");
    e = effective_of(c, "spfbehavior", [](const char*) { return ""; });  // empty: not set
    CHECK(e.source == "control/spfbehavior");
    d.write("dkimsign", "\n# empty\n");
    CHECK(effective_of(c, "dkimsign", no_env).source == "default");
    d.write("dmarc", "yes\n");
    e = effective_of(c, "dmarc", no_env);
    CHECK(e.value == "yes");
    CHECK(e.warning.find("not 0 or 1") != std::string::npos);
    CHECK(!e.number);
    CHECK(effective_of(c, "spfrules", no_env).value == "(none)");
    d.write("spfrules", "a:one.example\n# c\nmx:two.example\n");
    CHECK(effective_of(c, "spfrules", no_env).value == "a:one.example mx:two.example");
}

TEST_CASE("effective: srs_hashmin follows srs_hashlength; secrets are counted, never shown") {
    TempDir d;
    qmail::ControlDir c(d.path);
    d.write("srs_hashlength", "8\n");
    auto e = effective_of(c, "srs_hashmin", no_env);
    CHECK(e.value == "8");
    CHECK(e.source == "default (srs_hashlength)");
    CHECK(effective_of(c, "srs_secrets", no_env).value == "(none)");
    d.write("srs_secrets", "top secret\n# old:\nolder secret\n");
    ::chmod((d.path + "/srs_secrets").c_str(), 0600);
    e = effective_of(c, "srs_secrets", no_env);
    CHECK(e.value == "2 secrets, mode 0600");
    CHECK(e.warning.empty());
    ::chmod((d.path + "/srs_secrets").c_str(), 0644);
    e = effective_of(c, "srs_secrets", no_env);
    CHECK(e.value == "2 secrets, mode 0644");
    CHECK(e.warning.find("readable by every user") != std::string::npos);
    CHECK(e.value.find("secret\n") == std::string::npos);
}

TEST_CASE("panel rule: no dkimverify 0 while DMARC is on, no DMARC on while dkimverify is 0") {
    TempDir d;
    qmail::ControlDir c(d.path);
    CHECK(refusal(c, "dkimverify", "0\n") ==
          "DKIM verification stays on while DMARC is on (dmarc is 1): set dmarc 0 first");
    CHECK(!refusal(c, "dkimverify", "1\n"));
    CHECK(!refusal(c, "dmarc", "1\n"));
    CHECK(!refusal(c, "spfbehavior", "0\n"));
    d.write("dmarc", "0\n");
    CHECK(!refusal(c, "dkimverify", "0\n"));
    d.write("dkimverify", "0\n");
    CHECK(refusal(c, "dmarc", "1\n") ==
          "DMARC needs DKIM verification, which is off (dkimverify is 0): set dkimverify 1 first");
    CHECK(refusal(c, "dmarc", std::nullopt).has_value());  // unset: back to the default 1
    CHECK(!refusal(c, "dmarc", "0\n"));
    CHECK(!refusal(c, "dkimverify", std::nullopt));
}

TEST_CASE("change_setting: written with a newline, owner and mode kept, removed by unset, refusal changes nothing") {
    TempDir d;
    qmail::ControlDir c(d.path);
    const std::string path = d.path + "/spfbehavior";
    REQUIRE(qmail::change_setting(c, named("spfbehavior"), "3\n").has_value());
    CHECK(test::slurp(path) == "3\n");
    struct stat st;
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0644);
    ::chmod(path.c_str(), 0640);
    REQUIRE(qmail::change_setting(c, named("spfbehavior"), "4\n").has_value());
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0640);
    CHECK(test::slurp(path) == "4\n");
    REQUIRE(qmail::change_setting(c, named("spfbehavior"), std::nullopt).has_value());
    CHECK(!std::filesystem::exists(path));
    REQUIRE(qmail::change_setting(c, named("spfbehavior"), std::nullopt).has_value());  // twice is fine

    REQUIRE(qmail::change_setting(c, named("srs_secrets"), "s\n").has_value());
    REQUIRE(::stat((d.path + "/srs_secrets").c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0600);
    ::chmod((d.path + "/srs_secrets").c_str(), 0644);
    REQUIRE(qmail::change_setting(c, named("srs_secrets"), "t\n").has_value());
    REQUIRE(::stat((d.path + "/srs_secrets").c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0640);  // kept, less the bits for others

    auto refused = qmail::change_setting(c, named("dkimverify"), "0\n");
    REQUIRE(!refused.has_value());
    CHECK(refused.error().usage);
    CHECK(!std::filesystem::exists(d.path + "/dkimverify"));
    for (const auto& e : std::filesystem::directory_iterator(d.path))  // no temporary file left
        CHECK(!e.path().filename().string().starts_with("."));
}

TEST_CASE("settings_table: NAME and SOURCE padded to the widest plus two, warnings in order") {
    TempDir d;
    d.write("spfbehavior", "3\n");
    d.write("dmarc", "7\n");
    qmail::ControlDir c(d.path);
    const std::vector<const qmail::Setting*> chosen{&named("dmarc"), &named("spfbehavior"), &named("srs_domain")};
    auto t = qmail::settings_table(chosen, c, no_env);
    REQUIRE(t.has_value());
    CHECK(t->text ==
          "dmarc        control/dmarc        7\n"
          "spfbehavior  control/spfbehavior  3\n"
          "srs_domain   default              (none)\n");
    REQUIRE(t->warnings.size() == 1);
    CHECK(t->warnings[0].starts_with(d.path + "/dmarc: "));
    auto one = qmail::settings_table(std::vector<const qmail::Setting*>{&named("spfbehavior")}, c, no_env);
    REQUIRE(one.has_value());
    CHECK(one->text == "spfbehavior  control/spfbehavior  3\n");
    CHECK(one->warnings.empty());
}
