// common/dkim/keygen: names, record formatting, key and selector files.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <sys/stat.h>

#include "crypto/base64.hpp"
#include "crypto/keys.hpp"
#include "dkim/keygen.hpp"
#include "testdata.hpp"

using namespace qauth;
namespace fs = std::filesystem;

namespace {

const std::string kDkimData = test::testdata("dkim/");

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void spit(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

unsigned mode_of(const std::string& path) {
    struct stat st;
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

/// The names in `dir`, sorted, space-separated.
std::string listing(const std::string& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : " ") + n;
    return out;
}

using test::TempDir;

/// A request for an Ed25519 key (quick to make) for example.com in `control_dir`.
dkim::KeygenRequest ed25519_request(const std::string& control_dir) {
    dkim::KeygenRequest req;
    req.control_dir = control_dir;
    req.domain = "example.com";
    req.type = crypto::KeyType::Ed25519;
    return req;
}

template <typename T>
T must(Result<T> r) {
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().reason));
    return std::move(*r);
}

}  // namespace

TEST_CASE("keygen: domain names are lower-cased and must be plausible") {
    CHECK(must(dkim::keygen_domain("Example.COM")) == "example.com");
    CHECK(must(dkim::keygen_domain("example.com.")) == "example.com");
    CHECK(must(dkim::keygen_domain("xn--bcher-kva.example")) == "xn--bcher-kva.example");
    CHECK(must(dkim::keygen_domain("3com.example")) == "3com.example");
    CHECK(must(dkim::keygen_domain("localhost")) == "localhost");
    CHECK(must(dkim::keygen_domain(std::string(63, 'a') + ".example")).size() == 71);
    for (std::string bad : {"", ".", "..", "example..com", ".example.com", "example.com..", "-a.example", "a-.example",
                            "a_b.example", "a/b.example", "../etc", "a b.example", "a.example\n", "\xc3\xa9.example",
                            "*.example"}) {
        CAPTURE(bad);
        auto r = dkim::keygen_domain(bad);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().reason.find("bad domain") == 0);
    }
    auto long_label = dkim::keygen_domain(std::string(64, 'a') + ".example");
    REQUIRE_FALSE(long_label.has_value());
    CHECK(long_label.error().reason.find("longer than 63") != std::string::npos);  // the real cause is named
    for (std::string address : {"1.2.3.4", "192.0.2.1.", "10"}) {
        CAPTURE(address);
        CHECK(dkim::keygen_domain(address).error().reason.find("RFC 3696 2") != std::string::npos);
    }
    std::string long_name;
    while (long_name.size() < 254) long_name += "abcdefghi.";
    CHECK_FALSE(dkim::keygen_domain(long_name.substr(0, 254)).has_value());
}

TEST_CASE("keygen: selectors follow RFC 6376 3.1, keep their case, and cannot be 'selector'") {
    for (const char* good : {"default", "s2024", "Sel-1", "a.b", "2024-01"}) CHECK(must(dkim::keygen_selector(good)) == good);
    for (const char* bad : {"", "selector", "a_b", "../x", "a/b", "-x", "x-", ".x", "x.", "a..b", "a b", "x\n"}) {
        CAPTURE(bad);
        CHECK_FALSE(dkim::keygen_selector(bad).has_value());
    }
}

TEST_CASE("keygen: key record text equals the RFC 8463 A.2 records" * test::needs_testdata()) {
    auto ed = must(crypto::parse_private_key(slurp(kDkimData + "rfc8463-ed25519-seed.b64")));
    CHECK(dkim::key_record_text(ed) == "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
    auto rsa = must(crypto::parse_private_key(slurp(kDkimData + "rfc8463-rsa-private.pem")));
    CHECK(dkim::key_record_text(rsa) ==
          "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWR"
          "iGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutAC"
          "DfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3"
          "Ip3G+2kryOTIKT+l/K4w3QIDAQAB");
}

TEST_CASE("keygen: TXT text is split into character-strings of at most 255 bytes") {
    CHECK(dkim::zone_txt("v=DKIM1") == "( \"v=DKIM1\" )");
    CHECK(dkim::zone_txt("") == "( \"\" )");
    const std::string a255(255, 'a');
    CHECK(dkim::zone_txt(a255) == "( \"" + a255 + "\" )");
    CHECK(dkim::zone_txt(a255 + "b") == "( \"" + a255 + "\"\n\t\"b\" )");
    CHECK(dkim::zone_txt(a255 + a255 + "c") == "( \"" + a255 + "\"\n\t\"" + a255 + "\"\n\t\"c\" )");
}

TEST_CASE("keygen: the two records of a domain") {
    CHECK(dkim::zone_records("sel", "example.com", "v=DKIM1; k=ed25519; p=AAAA") ==
          "sel._domainkey.example.com. IN TXT ( \"v=DKIM1; k=ed25519; p=AAAA\" )\n"
          "_domainkey.example.com. IN TXT \"o=-\"\n");
}

TEST_CASE("keygen: key files are installed atomically, 0600, never overwritten by accident") {
    TempDir dir;
    const std::string key = dir.path + "/default";
    REQUIRE(dkim::install_key_file(key, "KEY ONE\n", false).has_value());
    CHECK(slurp(key) == "KEY ONE\n");
    CHECK(mode_of(key) == 0600);

    auto again = dkim::install_key_file(key, "KEY TWO\n", false);
    REQUIRE_FALSE(again.has_value());
    CHECK(again.error().reason.find(key + ": exists already") == 0);
    CHECK(slurp(key) == "KEY ONE\n");

    REQUIRE(dkim::install_key_file(key, "KEY TWO\n", true).has_value());
    CHECK(slurp(key) == "KEY TWO\n");
    CHECK(mode_of(key) == 0600);

    REQUIRE(::chmod(key.c_str(), 0640) == 0);
    REQUIRE(dkim::install_key_file(key, "KEY THREE\n", true).has_value());
    CHECK(mode_of(key) == 0640);  // the signer's group keeps access
    REQUIRE(::chmod(key.c_str(), 0644) == 0);
    REQUIRE(dkim::install_key_file(key, "KEY FOUR\n", true).has_value());
    CHECK(mode_of(key) == 0640);  // group access kept, world access dropped
    CHECK(listing(dir.path) == "default");  // no temporary file left

    CHECK_FALSE(dkim::install_key_file(dir.path + "/missing/dir/key", "K", false).has_value());
}

TEST_CASE("keygen: the active selector file") {
    TempDir dir;
    const std::string file = dir.path + "/selector";
    SUBCASE("created when missing; no duplicates") {
        CHECK(must(dkim::activate_selector(dir.path, "s1")) == true);
        CHECK(slurp(file) == "s1\n");
        CHECK(mode_of(file) == 0644);
        CHECK(must(dkim::activate_selector(dir.path, "s1")) == false);
        CHECK(must(dkim::activate_selector(dir.path, "s2")) == true);
        CHECK(slurp(file) == "s1\ns2\n");
        CHECK(listing(dir.path) == "selector");
    }
    SUBCASE("an implicit 'default' (no file, key present) stays active") {
        spit(dir.path + "/default", "key");
        CHECK(must(dkim::activate_selector(dir.path, "new")) == true);
        CHECK(slurp(file) == "default\nnew\n");
    }
    SUBCASE("'default' itself is written once") {
        spit(dir.path + "/default", "key");
        CHECK(must(dkim::activate_selector(dir.path, "default")) == true);
        CHECK(slurp(file) == "default\n");
    }
    SUBCASE("comments and a missing final newline are handled; comments do not count as selectors") {
        spit(file, "# keys\nold  # retiring");
        CHECK(must(dkim::activate_selector(dir.path, "retiring")) == true);
        CHECK(slurp(file) == "# keys\nold  # retiring\nretiring\n");
        CHECK(must(dkim::activate_selector(dir.path, "old")) == false);
    }
    SUBCASE("a comment-only file also means 'default'") {
        spit(file, "# nothing yet\n");
        spit(dir.path + "/default", "key");
        CHECK(must(dkim::activate_selector(dir.path, "s1")) == true);
        CHECK(slurp(file) == "# nothing yet\ndefault\ns1\n");
    }
}

namespace {
const qauth::dkim::Publish kDiscard = [](const std::string&) -> qauth::Result<void> { return {}; };
}  // namespace

TEST_CASE("keygen: run_keygen makes, installs and prints; --print reads back") {
    TempDir control;
    dkim::KeygenRequest req;
    req.type = crypto::KeyType::Ed25519;
    req.domain = "Example.COM";
    req.selector = "ed";
    req.aliases = {"example.net", "EXAMPLE.com"};
    req.control_dir = control.path;
    auto made = must(dkim::run_keygen(req, kDiscard));
    const std::string key_file = control.path + "/domainkeys/example.com/ed";
    CHECK(made.key_file == key_file);
    CHECK(mode_of(key_file) == 0600);
    CHECK(slurp(control.path + "/domainkeys/example.com/selector") == "ed\n");

    auto key = must(crypto::load_private_key(key_file));
    const std::string text = dkim::key_record_text(key);
    CHECK(made.records == "; DKIM ed25519 key, selector ed: private key in " + key_file + "\n" +
                              dkim::zone_records("ed", "example.com", text) +
                              dkim::zone_records("ed", "example.net", text));

    auto refused = dkim::run_keygen(req, kDiscard);
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().reason.find(key_file) == 0);

    req.print_only = true;
    CHECK(must(dkim::run_keygen(req, kDiscard)).records == made.records);

    req.print_only = false;
    req.replace = true;
    auto replaced = must(dkim::run_keygen(req, kDiscard));
    CHECK(replaced.records != made.records);
    CHECK(slurp(control.path + "/domainkeys/example.com/selector") == "ed\n");
}

TEST_CASE("keygen: run_keygen refusals name what is wrong") {
    TempDir control;
    dkim::KeygenRequest req;
    req.type = crypto::KeyType::Ed25519;
    req.control_dir = control.path + "/missing";
    req.domain = "example.com";
    auto r = dkim::run_keygen(req, kDiscard);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().reason.find(req.control_dir + ": control directory") == 0);

    req.control_dir = control.path;
    req.domain = "../etc";
    CHECK(dkim::run_keygen(req, kDiscard).error().reason.find("bad domain") == 0);
    req.domain = "example.com";
    req.aliases = {"bad/alias"};
    CHECK(dkim::run_keygen(req, kDiscard).error().reason.find("bad domain") == 0);
    req.aliases = {};
    req.selector = std::string(63, 's') + "." + std::string(63, 's') + "." + std::string(63, 's');
    req.domain = std::string(60, 'd') + ".example";  // 191 + 12 + 68 > 253
    CHECK(dkim::run_keygen(req, kDiscard).error().reason.find("name too long") == 0);
    req.domain = "example.com";
    req.selector = "default";
    req.type = crypto::KeyType::Rsa;
    req.bits = 512;
    CHECK(dkim::run_keygen(req, kDiscard).error().reason.find("512 bits refused") != std::string::npos);
    CHECK(listing(control.path).empty());  // nothing made for refused requests
}

TEST_CASE("keygen: records that cannot be written leave nothing behind") {
    TempDir dir;
    dkim::KeygenRequest req = ed25519_request(dir.path);
    auto r = dkim::run_keygen(req, [](const std::string&) -> Result<void> { return fail("disk full"); });
    REQUIRE_FALSE(r);
    CHECK(r.error().reason == "disk full; no key was installed");
    struct stat st;
    CHECK(::stat((dir.path + "/domainkeys/example.com/default").c_str(), &st) != 0);
    CHECK(::stat((dir.path + "/domainkeys/example.com/selector").c_str(), &st) != 0);
}

TEST_CASE("keygen: a key file writable by everyone is refused like a world-readable one") {
    TempDir dir;
    dkim::KeygenRequest req = ed25519_request(dir.path);
    must(dkim::run_keygen(req, kDiscard));
    const std::string key = dir.path + "/domainkeys/example.com/default";
    CHECK(crypto::load_private_key(key));
    for (unsigned mode : {0602u, 0622u, 0644u}) {
        CAPTURE(mode);
        REQUIRE(::chmod(key.c_str(), mode) == 0);
        auto r = crypto::load_private_key(key);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().reason.find(key + ": key file is") == 0);
    }
    REQUIRE(::chmod(key.c_str(), 0640) == 0);
    CHECK(crypto::load_private_key(key));
}
