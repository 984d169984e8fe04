// common/dkim/domain_switch: signing switched on and off per domain, and
// that the keystore (what qmail-dkimsign loads) sees each state.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "dkim/domain_report.hpp"
#include "dkim/domain_switch.hpp"
#include "dkim/keystore.hpp"
#include "qmail/control.hpp"

#include "testdata.hpp"

using namespace qauth;
namespace fs = std::filesystem;
using test::TempDir;

namespace {

dkim::KeygenRequest request(const TempDir& d, const std::string& domain, std::vector<std::string> aliases = {}) {
    dkim::KeygenRequest r;
    r.type = crypto::KeyType::Ed25519;  // fast to make
    r.domain = domain;
    r.aliases = std::move(aliases);
    r.control_dir = d.path;
    return r;
}

const dkim::Publish kDiscard = [](const std::string&) -> Result<void> { return {}; };

/// The selectors the keystore loads for `domain`.
std::size_t keys_loaded(const TempDir& d, const std::string& domain) {
    auto keys = dkim::load_domain_keys(qmail::ControlDir(d.path), domain, {});
    REQUIRE_MESSAGE(keys.has_value(), (keys ? "" : keys.error().reason));
    return keys->size();
}

}  // namespace

TEST_CASE("domain switch: enable links aliases, disable parks the keys, enable restores them") {
    TempDir d;
    auto on = dkim::enable_signing(request(d, "Example.COM", {"example.net", "EXAMPLE.net"}), kDiscard);
    REQUIRE_MESSAGE(on.has_value(), (on ? "" : on.error().reason));
    CHECK(on->made_key);
    CHECK(!on->restored);
    CHECK(on->linked == std::vector<std::string>{"example.net"});
    CHECK(fs::read_symlink(d.path + "/domainkeys/example.net") == "example.com");
    CHECK(keys_loaded(d, "example.com") == 1);
    CHECK(keys_loaded(d, "example.net") == 1);  // through the link

    auto again = dkim::enable_signing(request(d, "example.com", {"example.net"}), kDiscard);
    REQUIRE(again.has_value());
    CHECK(!again->made_key);  // kept
    CHECK(again->linked.empty());

    auto off = dkim::disable_signing(d.path, "example.com");
    REQUIRE_MESSAGE(off.has_value(), (off ? "" : off.error().reason));
    CHECK(off->parked == d.path + "/domainkeys/.disabled/example.com");
    CHECK(off->aliases == std::vector<std::string>{"example.net"});
    CHECK(fs::exists(off->parked + "/default"));
    CHECK(keys_loaded(d, "example.com") == 0);
    CHECK(keys_loaded(d, "example.net") == 0);
    CHECK(dkim::disable_signing(d.path, "example.com")->already);

    auto states = dkim::signing_domains(d.path);
    REQUIRE(states.has_value());
    REQUIRE(states->size() == 2);
    CHECK((*states)[0].state == dkim::DomainState::State::Disabled);
    CHECK((*states)[1].state == dkim::DomainState::State::Alias);
    CHECK(!(*states)[1].signed_now);

    auto back = dkim::enable_signing(request(d, "example.com"), kDiscard);
    REQUIRE(back.has_value());
    CHECK(back->restored);
    CHECK(!back->made_key);
    CHECK(keys_loaded(d, "example.net") == 1);
}

TEST_CASE("domain switch: refusals change nothing") {
    TempDir d;
    REQUIRE(dkim::enable_signing(request(d, "example.com", {"example.net"}), kDiscard).has_value());
    d.write("domainkeys/other.example/selector", "default\n");

    auto own_keys = dkim::enable_signing(request(d, "example.com", {"other.example"}), kDiscard);
    REQUIRE(!own_keys.has_value());
    CHECK(own_keys.error().usage);
    CHECK(!fs::is_symlink(d.path + "/domainkeys/other.example"));

    auto alias = dkim::enable_signing(request(d, "example.net"), kDiscard);
    REQUIRE(!alias.has_value());
    CHECK(alias.error().usage);
    CHECK(alias.error().reason.find("is an alias") != std::string::npos);

    auto itself = dkim::enable_signing(request(d, "example.com", {"example.com"}), kDiscard);
    REQUIRE(!itself.has_value());
    CHECK(itself.error().usage);

    auto none = dkim::disable_signing(d.path, "nokeys.example");
    REQUIRE(!none.has_value());
    CHECK(none.error().usage);
    CHECK(!dkim::disable_signing(d.path, "../x").has_value());

    fs::create_directories(d.path + "/domainkeys/.disabled/example.com");  // both parked and active
    auto both = dkim::enable_signing(request(d, "example.com"), kDiscard);
    REQUIRE(!both.has_value());
    CHECK(both.error().reason.find("both exist") != std::string::npos);

    auto alias_off = dkim::disable_signing(d.path, "example.net");  // an alias: its link goes
    REQUIRE(alias_off.has_value());
    CHECK(alias_off->alias_of == "example.com");
    CHECK(!fs::exists(fs::symlink_status(d.path + "/domainkeys/example.net")));
    CHECK(fs::exists(d.path + "/domainkeys/example.com/default"));
}

TEST_CASE("domain reports: the lines qauth-config dkim prints") {
    dkim::EnableOutcome e;
    e.restored = true;
    e.key_file = "/c/domainkeys/example.com/default";
    e.linked = {"example.net"};
    CHECK(dkim::enable_report(e, "example.com") ==
          "; signing of example.com restored from domainkeys/.disabled\n"
          "; existing key kept: /c/domainkeys/example.com/default\n"
          "; example.net is signed with this key: domainkeys/example.net -> example.com\n");
    e = {};
    e.made_key = true;
    CHECK(dkim::enable_report(e, "example.com").empty());
    dkim::DisableOutcome off;
    off.parked = "/c/domainkeys/.disabled/example.com";
    off.aliases = {"example.net"};
    CHECK(dkim::disable_report(off, "example.com") ==
          "DKIM signing of example.com stopped; its keys are kept in /c/domainkeys/.disabled/example.com\n"
          "DKIM signing of its alias example.net stopped too\n");
    off = {};
    off.alias_of = "example.com";
    CHECK(dkim::disable_report(off, "example.net") ==
          "DKIM signing of example.net stopped: its link to example.com is removed\n");
    std::vector<dkim::DomainState> ds(2);
    ds[0].domain = "a.example";
    ds[0].selectors = {"default", "ed"};
    ds[1].domain = "b.example";
    ds[1].state = dkim::DomainState::State::Alias;
    ds[1].alias_of = "gone.example";
    ds[1].signed_now = false;
    CHECK(dkim::show_report(ds) ==
          "a.example  signing, selectors default ed\n"
          "b.example  alias of gone.example (not signed: no such key directory)\n");
}
