// common/mail/address: the address-list parser (RFC 5322 §3.4, §3.2) and the
// RFC5322.From domains DMARC evaluates (RFC 7489 §6.6.1).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "mail/address.hpp"
#include "testdata.hpp"

using namespace qauth;

using test::read_message;
using List = std::vector<std::string>;

TEST_CASE("addresses: quoted display names with specials, escaped quotes") {
    CHECK(mail::addresses("\"Doe, John\" <j@x.org>") == List{"j@x.org"});
    CHECK(mail::addresses("\"a <b@evil.example>, c\" <j@x.org>") == List{"j@x.org"});
    CHECK(mail::addresses("\"say \\\"hi\\\", <x@evil.example>\" <j@x.org>, k@y.org") == List{"j@x.org", "k@y.org"});
    CHECK(mail::addresses("\"Giant; \\\"Big\\\" Box\" <sysservices@example.net>") == List{"sysservices@example.net"});
    // A quoted local-part keeps its quotes (and its '@').
    CHECK(mail::addresses("\"a@b\"@x.org") == List{"\"a@b\"@x.org"});
    CHECK(*mail::address_domain("\"a@b\"@x.org") == "x.org");
}

TEST_CASE("addresses: nested comments with specials") {
    CHECK(mail::addresses("(a (nested, <x@evil.example>) @ c) j@x.org (k@evil.example)") == List{"j@x.org"});
    CHECK(mail::addresses("Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>") ==
          List{"pete@silly.test"});
    CHECK(mail::addresses("j@x.org (unterminated, <x@evil.example>").size() == 1);
}

TEST_CASE("addresses: encoded words are display names, never decoded into addresses") {
    CHECK(mail::addresses("=?utf-8?q?a@b.example?= <x@real.example>") == List{"x@real.example"});
    CHECK(mail::addresses("=?utf-8?b?YUBiLmV4YW1wbGU=?= <x@real.example>") == List{"x@real.example"});
    // RFC 2047 §5: an encoded word is not an addr-spec; as a local-part it is text.
    CHECK(mail::addresses("=?utf-8?q?a?=@real.example") == List{"=?utf-8?q?a?=@real.example"});
    // RFC 2047 §5(3): ',' is not allowed in an encoded word in a phrase, so it
    // separates mailboxes there; the first one has no domain (permerror).
    CHECK(mail::addresses("=?utf-8?q?Doe,_John?= <j@x.org>") == List{"=?utf-8?q?Doe", "j@x.org"});
    // An unquoted display name that looks like an address is still a display name.
    CHECK(mail::addresses("victim@victim.example <a@attacker.example>") == List{"a@attacker.example"});
}

TEST_CASE("addresses: obsolete forms (RFC 5322 §4.4)") {
    // CFWS around the dots of obs-local-part and obs-domain, inside and outside <>.
    CHECK(mail::addresses("John . Doe @ Example . ORG") == List{"John.Doe@Example.ORG"});
    CHECK(mail::addresses("Name <john . doe @ example . org>") == List{"john.doe@example.org"});
    CHECK(mail::addresses("<\"j d\" . x @ example.org>") == List{"\"j d\".x@example.org"});
    // obs-route is dropped: the addr-spec is what follows the ':'.
    CHECK(mail::addresses("<@route.example:a@b.example>") == List{"a@b.example"});
    CHECK(mail::addresses("Name <@r1.example,@r2.example: a@b.example>, c@d.example") ==
          List{"a@b.example", "c@d.example"});
    // obs-mbox-list: empty list elements.
    CHECK(mail::addresses("a@b.example,, ,c@d.example") == List{"a@b.example", "c@d.example"});
}

TEST_CASE("addresses: angle-addr without display name, groups") {
    CHECK(mail::addresses("<boss@nil.test>") == List{"boss@nil.test"});
    CHECK(mail::addresses("Undisclosed recipients:;").empty());
    CHECK(mail::addresses("A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one1.test>;") ==
          List{"c@a.test", "joe@where.test", "jdoe@one1.test"});
    CHECK(mail::addresses("\"Mary Smith: Personal Account\" <smith@home.example>") == List{"smith@home.example"});
}

TEST_CASE("addresses: a mailbox that is not an addr-spec is returned as found") {
    CHECK(mail::addresses("joe") == List{"joe"});
    CHECK(mail::addresses("John Doe") == List{"John Doe"});
    // Two words are not one addr-spec: the space stays, so no domain is usable.
    CHECK(mail::addresses("a@attacker.example victim@victim.example") ==
          List{"a@attacker.example victim@victim.example"});
    CHECK_FALSE(mail::address_domain("a@x.example y.example"));
}

TEST_CASE("parse_address_list: malformed lists are flagged, no address hidden") {
    auto ok = mail::parse_address_list("\"Doe, John\" <j@x.org>, k@y.org (c)");
    CHECK(ok.problem.empty());
    CHECK(ok.addresses == List{"j@x.org", "k@y.org"});

    // A second angle-addr in one mailbox: both addresses, and a problem.
    auto two = mail::parse_address_list("<victim@victim.example> <a@attacker.example>");
    CHECK(two.addresses == List{"victim@victim.example", "a@attacker.example"});
    CHECK_FALSE(two.problem.empty());
    // Text after the angle-addr.
    auto after = mail::parse_address_list("<a@attacker.example> victim@victim.example");
    CHECK_FALSE(after.problem.empty());
    CHECK(after.addresses.front() == "a@attacker.example");

    for (const char* bad : {"\"unterminated <a@b.example>", "a@b.example (unterminated", "Name <a@b.example",
                            "a@b.example>", "a@b.example)", "<>", "<@route.example>", "<a<b@c.example>",
                            "g1: g2: a@b.example;;",
                            // A fresh user's finds: a "group name" with an '@' showed one domain
                            // and gave DMARC another; so did a field split by a bare CR.
                            "a@example.com: b@evil.example;", "a@example.com From: b@evil.example",
                            "a@example.com\rFrom: b@evil.example", "a@b.example\x01", "a@b.ex\x7f"}) {
        CAPTURE(bad);
        CHECK_FALSE(mail::parse_address_list(bad).problem.empty());
    }
    // Unterminated: the quoted string runs to the end, the address is the text found.
    CHECK(mail::addresses("\"unterminated <a@b.example>") == List{"\"unterminated <a@b.example>"});
    CHECK(mail::addresses("Name <a@b.example") == List{"a@b.example"});
}

TEST_CASE("parse_address_list: bounds") {
    std::string many;
    for (int i = 0; i < 101; ++i) many += "a" + std::to_string(i) + "@x.example,";
    many += "victim@victim.example";
    auto r = mail::parse_address_list(many);
    CHECK(r.addresses.size() == 100);
    CHECK_FALSE(r.problem.empty());

    auto big = mail::parse_address_list(std::string(70000, ' ') + "a@b.example");
    CHECK(big.addresses.empty());
    CHECK_FALSE(big.problem.empty());
}

TEST_CASE("address_domain: case, trailing dot, IDN") {
    CHECK(*mail::address_domain("joe@Football.Example.COM.") == "football.example.com");
    CHECK(*mail::address_domain("joe@XN--BCHER-KVA.Example") == "xn--bcher-kva.example");
    // A U-label is not converted (no IDNA library): no usable domain.
    CHECK_FALSE(mail::address_domain("joe@b\xc3\xbc" "cher.example"));
    CHECK_FALSE(mail::address_domain("joe@[192.0.2.1]"));
}

namespace {
std::vector<std::string> domains_of(const std::string& header) {
    auto d = mail::from_domains(read_message(header + "\nbody\n").header);
    REQUIRE(d);
    return *d;
}
mail::FromProblem problem_of(const std::string& header) {
    auto d = mail::from_domains(read_message(header + "\nbody\n").header);
    REQUIRE_FALSE(d);
    CHECK_FALSE(d.error().reason.empty());
    return d.error().problem;
}
}  // namespace

TEST_CASE("from_domains: every form, normalised") {
    CHECK(domains_of("From: Joe SixPack <joe@Football.Example.COM.>\n") == List{"football.example.com"});
    CHECK(domains_of("From: \"Doe, John <x@evil.example>\" <j@x.org>\n") == List{"x.org"});
    CHECK(domains_of("From: =?utf-8?q?a@b.example?= <x@real.example>\n") == List{"real.example"});
    CHECK(domains_of("From: (a (b <c@evil.example>, d) @) <x@real.example>\n") == List{"real.example"});
    CHECK(domains_of("From: <@route.example:a@B.example>\n") == List{"b.example"});
    CHECK(domains_of("From: john . doe @ example . org\n") == List{"example.org"});
    CHECK(domains_of("From: \"a@b\"@x.org\n") == List{"x.org"});
    CHECK(domains_of("From: a@xn--bcher-kva.Example\n") == List{"xn--bcher-kva.example"});
    CHECK(domains_of("from: Folded\n <a@folded.example>\n") == List{"folded.example"});
    CHECK(domains_of("From: g: a@x.example, b@x.example;\n") == List{"x.example"});
    CHECK(domains_of("From: \"a@quoted.example\": b@x.example;\n") == List{"x.example"});
    CHECK(domains_of("From: \"tab\there\" <a@x.example>\n") == List{"x.example"});
}

TEST_CASE("from_domains: several From fields and addresses, deduplicated in first-seen order") {
    // The security case: a second From must not hide behind the first one's
    // signature; both domains are reported.
    CHECK(domains_of("From: a@signed.example\nSubject: x\nFrom: victim@victim.example\n") ==
          List{"signed.example", "victim.example"});
    CHECK(domains_of("From: a@X.example, b@y.example, c@x.example\nFrom: d@Y.example.\n") ==
          List{"x.example", "y.example"});
    CHECK(domains_of("From: <victim@victim.example>, Attacker <a@attacker.example>\n") ==
          List{"victim.example", "attacker.example"});
}

TEST_CASE("from_domains: typed reasons for dmarc=permerror") {
    using P = mail::FromProblem;
    CHECK(problem_of("Subject: no from\n") == P::NoField);
    CHECK(problem_of("From:\n") == P::NoAddress);
    CHECK(problem_of("From: (only a comment)\n") == P::NoAddress);
    CHECK(problem_of("From: undisclosed-recipients:;\n") == P::NoAddress);
    CHECK(problem_of("From: a@ok.example\nFrom: \n") == P::NoAddress);
    CHECK(problem_of("From: joe\n") == P::NoDomain);
    CHECK(problem_of("From: John Doe\n") == P::NoDomain);
    CHECK(problem_of("From: joe@\n") == P::NoDomain);
    CHECK(problem_of("From: joe@[192.0.2.1]\n") == P::NoDomain);
    CHECK(problem_of("From: a@b@victim.example\n") == P::NoDomain);
    CHECK(problem_of("From: a@attacker.example victim@victim.example\n") == P::NoDomain);
    CHECK(problem_of("From: joe@b\xc3\xbc" "cher.example\n") == P::NoDomain);
    CHECK(problem_of("From: a@ok.example\nFrom: joe\n") == P::NoDomain);
    CHECK(problem_of("From: <victim@victim.example> <a@attacker.example>\n") == P::Malformed);
    CHECK(problem_of("From: <a@attacker.example> victim@victim.example\n") == P::Malformed);
    CHECK(problem_of("From: a@example.com: b@evil.example;\n") == P::Malformed);
    CHECK(problem_of("From: a@example.com\rFrom: b@evil.example\n") == P::Malformed);
    CHECK(problem_of("From: \"unterminated <a@b.example>\n") == P::Malformed);
    CHECK(problem_of("From: a@b.example (unterminated\n") == P::Malformed);
    CHECK(problem_of("From: Name <a@b.example\n") == P::Malformed);
    CHECK(problem_of("From: <>\n") == P::Malformed);
    std::string many = "From: ";
    for (int i = 0; i < 60; ++i) many += "a" + std::to_string(i) + "@x.example,";
    CHECK(problem_of(many + "\n" + many + "\n") == P::Malformed);
}
