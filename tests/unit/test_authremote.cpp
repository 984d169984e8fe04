// common/qmail/authremote: the parts of qmail-authremote that need no
// process: qmail-remote's temporary report, the next qmail-remote, the
// header read from the spool, "signed here already", the bounce's signing
// domain and the --domain added to qmail-dkimsign.
#include <doctest/doctest.h>

#include <cstdio>
#include <string>
#include <unistd.h>

#include "dkim/domain_switch.hpp"
#include "qmail/authremote.hpp"
#include "qmail/control.hpp"
#include "testdata.hpp"

using namespace qauth;
using namespace qauth::qmail;
using namespace std::string_literals;
using test::FakeEnv;
using test::TempDir;

namespace {

void make_key(const TempDir& d, const std::string& domain) {
    dkim::KeygenRequest r;
    r.type = crypto::KeyType::Ed25519;
    r.domain = domain;
    r.control_dir = d.path;
    auto on = dkim::enable_signing(r, [](const std::string&) -> Result<void> { return {}; });
    REQUIRE_MESSAGE(on.has_value(), (on ? "" : on.error().reason));
}

mail::Header header_of(const std::string& text) {
    FILE* f = std::tmpfile();
    REQUIRE(f != nullptr);
    REQUIRE(std::fwrite(text.data(), 1, text.size(), f) == text.size());
    std::fflush(f);
    auto h = read_message_header(::fileno(f));
    std::fclose(f);
    REQUIRE(h.has_value());
    return *h;
}

const std::string kSig =
    "DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed; d=example.com; s=default;\n"
    " h=from:to; bh=AAAA; b=BBBB\n";

}  // namespace

TEST_CASE("authremote: the temporary report is qmail-remote's Z message report, NUL-terminated, no recipient report") {
    CHECK(temporary_report("qmail-dkimsign exited 1") ==
          "Zqmail-authremote: qmail-dkimsign exited 1. (#4.3.0)\n\0"s);
    CHECK(temporary_report("cannot run /x: No such file or directory.") ==
          "Zqmail-authremote: cannot run /x: No such file or directory. (#4.3.0)\n\0"s);
    CHECK(temporary_report("a\nb\0c"s).find('\n') == temporary_report("a\nb\0c"s).size() - 2);  // one line
}

TEST_CASE("authremote: the next qmail-remote is AUTHREMOTE_NEXT, never QMAILREMOTE") {
    CHECK(next_remote_program(FakeEnv{{{"AUTHREMOTE_NEXT", "/x/qr"}, {"QMAILREMOTE", "/y"}}}.fn()) == "/x/qr");
    CHECK(next_remote_program(FakeEnv{{{"QMAILREMOTE", "/y"}, {"AUTHREMOTE_NEXT", ""}}}.fn()).ends_with("/bin/qmail-remote"));
    CHECK(is_null_sender(""));
    CHECK(is_null_sender("#@[]"));
    CHECK_FALSE(is_null_sender("a@example.com"));
}

TEST_CASE("authremote: the header is read from the spool up to its empty line") {
    auto h = header_of("From: a@example.com\nSubject: x\n\nFrom: body@evil.example\n");
    REQUIRE(h.fields.size() == 2);
    CHECK(h.fields[0].is("From"));
    CHECK(h.separator == "\n");
    auto crlf = header_of("From: a@example.com\r\n\r\nbody\r\n");
    REQUIRE(crlf.fields.size() == 1);
    CHECK(crlf.separator == "\r\n");
    CHECK(header_of("\nbody\n").fields.empty());
    CHECK(header_of("").fields.empty());
}

TEST_CASE("authremote: signed here is our DKIM-Signature at the top, after qmail-queue's Received lines only") {
    TempDir d;
    make_key(d, "example.com");
    ControlDir dir(d.path);
    const std::string rcvd = "Received: (qmail 123 invoked from network); 2 Dec 2026 07:00:00 -0000\n";
    CHECK(signed_here(header_of(kSig + "From: a@example.com\n\nx\n"), dir));
    CHECK(signed_here(header_of(rcvd + kSig + "From: a@example.com\n\nx\n"), dir));
    // a forward: Delivered-To on top, the signature is not the last hop's
    CHECK_FALSE(signed_here(header_of("Delivered-To: u@example.com\n" + rcvd + kSig + "\nx\n"), dir));
    // another domain's signature
    std::string other = kSig;
    other.replace(other.find("example.com"), 11, "elsewhere.example");
    CHECK_FALSE(signed_here(header_of(other + "From: a@example.com\n\nx\n"), dir));
    CHECK_FALSE(signed_here(header_of("From: a@example.com\n\nx\n"), dir));
    CHECK_FALSE(signed_here(header_of("Received: from x by y\n" + kSig + "\nx\n"), dir));
}

TEST_CASE("authremote: a bounce is signed for bouncehost, else me, only when it has a key") {
    TempDir d;
    ControlDir dir(d.path);
    make_key(d, "bounce.example");
    const auto foreign = header_of("From: MAILER-DAEMON@mx.example\n\nx\n");
    auto none = bounce_domain(foreign, "", dir);  // no bouncehost, no me
    REQUIRE(none.has_value());
    CHECK(!*none);
    d.write("me", "Bounce.Example\n");
    auto me = bounce_domain(foreign, "", dir);
    REQUIRE(me.has_value());
    CHECK(*me == std::optional<std::string>("bounce.example"));
    d.write("bouncehost", "nokey.example\n");
    auto nokey = bounce_domain(foreign, "#@[]", dir);
    REQUIRE(nokey.has_value());
    CHECK(!*nokey);  // bouncehost wins over me, and has no key
    d.write("bouncehost", "bounce.example\n");
    CHECK(*bounce_domain(foreign, "#@[]", dir) == std::optional<std::string>("bounce.example"));
    CHECK(!*bounce_domain(foreign, "a@example.com", dir));  // not a bounce
    make_key(d, "mx.example");
    CHECK(!*bounce_domain(foreign, "", dir));  // the From domain is ours: qmail-dkimsign signs it as it is
    d.write("domainkeys/bounce.example/selector", "bad/name\n");
    CHECK_FALSE(bounce_domain(header_of("From: x@elsewhere.example\n\nx\n"), "", dir).has_value());  // an error: deferred
}

TEST_CASE("authremote: --domain goes to every qmail-dkimsign without one") {
    FilterChain c{{"spfcheck"}, {"/usr/bin/qmail-dkimsign", "--selector", "s"}, {"qmail-dkimsign", "--domain", "x"}};
    auto out = with_signing_domain(c, "b.example");
    CHECK(out[0] == FilterCommand{"spfcheck"});
    CHECK(out[1] == FilterCommand{"/usr/bin/qmail-dkimsign", "--selector", "s", "--domain", "b.example"});
    CHECK(out[2] == FilterCommand{"qmail-dkimsign", "--domain", "x"});
}
