// common/qmail: the status model and the envelope resolver (DESIGN §3, §4).
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "qmail/envelope.hpp"
#include "qmail/status.hpp"
#include "testdata.hpp"

using namespace qauth;
using qmail::FilterStatus;
using qmail::QueueStatus;

TEST_CASE("status model: filter exits map to qmail-queue statuses (DESIGN 3)") {
    CHECK(qmail::queue_status(0) == QueueStatus::Ok);
    CHECK(qmail::queue_status(99) == QueueStatus::Ok);
    CHECK(qmail::exit_code(qmail::queue_status(100)) == 31);
    CHECK(qmail::exit_code(qmail::queue_status(111)) == 71);
    CHECK(qmail::queue_status(1) == QueueStatus::TempRefused);    // unknown
    CHECK(qmail::queue_status(139) == QueueStatus::TempRefused);  // a crash seen through the shell
    CHECK(qmail::is_permanent(QueueStatus::Refused));
    CHECK_FALSE(qmail::is_permanent(QueueStatus::TempRefused));
    CHECK_FALSE(qmail::is_permanent(QueueStatus::ConfigError));  // 55: qmail-smtpd says 451
    CHECK(qmail::exit_code(FilterStatus::Permanent) == 100);
    CHECK(qmail::exit_code(QueueStatus::CustomError) == 82);
}

namespace {

using test::FakeEnv;

mail::Header header_of(const std::string& text) { return test::read_message(text).header; }

const mail::Header kNoHeader;

}  // namespace

TEST_CASE("envelope: sender precedence") {
    FakeEnv env;
    qmail::EnvelopeOptions o;
    CHECK(qmail::resolve_envelope(o, kNoHeader, env.fn()).sender == "");
    env.vars = {{"QMAILUSER", "u"}, {"QMAILHOST", "h.example"}};
    CHECK(qmail::resolve_envelope(o, kNoHeader, env.fn()).sender == "u@h.example");
    env.vars["SENDER"] = "s@example.com";
    CHECK(qmail::resolve_envelope(o, kNoHeader, env.fn()).sender == "s@example.com");
    env.vars["SENDER"] = "";  // a bounce under qmail-local; qmail-qfilter's variables still say who
    CHECK(qmail::resolve_envelope(o, kNoHeader, env.fn()).sender == "u@h.example");
    o.sender = "";  // --sender '' is the null sender, whatever the environment says
    CHECK(qmail::resolve_envelope(o, kNoHeader, env.fn()).sender == "");
    o.sender = "<>";  // and so is --sender '<>' (it was the domain "<>" to SPF and DMARC)
    CHECK(qmail::resolve_envelope(o, kNoHeader, env.fn()).sender == "");
    o.sender = "opt@example.org";
    CHECK(qmail::resolve_envelope(o, kNoHeader, env.fn()).sender == "opt@example.org");
}

TEST_CASE("envelope: recipients, relay and authentication") {
    FakeEnv env{{{"QMAILRCPTS", "a@x.example\nb@y.example\n"}}};
    qmail::EnvelopeOptions o;
    auto e = qmail::resolve_envelope(o, kNoHeader, env.fn());
    CHECK(e.recipients == std::vector<std::string>{"a@x.example", "b@y.example"});
    CHECK_FALSE(e.authenticated());
    env.vars["RECIPIENT"] = "local@z.example";
    env.vars["RELAYCLIENT"] = "";  // set, even empty, means a relay client (qmail-smtpd)
    e = qmail::resolve_envelope(o, kNoHeader, env.fn());
    CHECK(e.recipients == std::vector<std::string>{"local@z.example"});
    CHECK(e.relay_client);
    CHECK(e.authenticated());
    o.recipients = {"opt@example.com"};
    env.vars = {{"SMTPAUTHUSER", "alice"}};
    e = qmail::resolve_envelope(o, kNoHeader, env.fn());
    CHECK(e.recipients == std::vector<std::string>{"opt@example.com"});
    CHECK(e.auth_user == "alice");
    CHECK(e.authenticated());
}

TEST_CASE("envelope: qmail-smtpd's Received line (received.c)") {
    auto r = qmail::parse_qmail_received(
        "from mail.example.org (HELO mx.example.org) (joe@192.0.2.7) by mx.test with SMTP; 1 Dec 2026 12:00:00 -0000");
    REQUIRE(r);
    CHECK(r->host == "mail.example.org");
    CHECK(r->helo == "mx.example.org");
    CHECK(r->ip == "192.0.2.7");
    r = qmail::parse_qmail_received("from unknown (2001:db8::5) by mx.test with SMTP; date");
    REQUIRE(r);  // no HELO part: it equalled the host
    CHECK(r->helo == "unknown");
    CHECK(r->ip == "2001:db8::5");
    r = qmail::parse_qmail_received("from host.example (HELO ) (192.0.2.8) by mx.test with SMTP; date");
    REQUIRE(r);  // a bare HELO: received.c writes it when it differs from the host
    CHECK(r->helo == "");
    CHECK_FALSE(qmail::parse_qmail_received("from a.example ([192.0.2.1]) by b.example (Postfix) with ESMTP id X"));
    CHECK_FALSE(qmail::parse_qmail_received("by mx.test with SMTP"));
    CHECK_FALSE(qmail::parse_qmail_received("from host (HELO unclosed"));
}

TEST_CASE("envelope: --trust-received looks below qmail-queue's own Received lines") {
    // As a .qmail delivery sees it: qmail-queue's line on top of qmail-smtpd's
    // (twice after a forward), qmail-local's fields above them.
    auto h = header_of(
        "Delivered-To: u@mx.test\n"
        "Received: (qmail 4711 invoked by alias); 2 Dec 2026 10:00:01 -0000\n"
        "Received: (qmail 4710 invoked from network); 2 Dec 2026 10:00:00 -0000\n"
        "Received: from top.example (HELO helo.top) (198.51.100.9)\n  by mx.test with SMTP; date\n"
        "Received: from forged.example (203.0.113.1)\n  by mx.test with SMTP; date\n\nx\n");
    FakeEnv env;
    qmail::EnvelopeOptions o;
    o.trust_received = true;
    auto e = qmail::resolve_envelope(o, h, env.fn());
    CHECK(e.client_ip == "198.51.100.9");
    CHECK(e.helo == "helo.top");
    // Only qmail-queue's lines are passed over: any other first line ends the search.
    h = header_of("Received: by relay.example; date\nReceived: from x (203.0.113.1)\n  by mx.test; d\n\nx\n");
    CHECK(qmail::resolve_envelope(o, h, env.fn()).client_ip == "");
    // A local user's message: what its author wrote below is not qmail-smtpd's.
    h = header_of(
        "Received: (qmail 5 invoked by uid 1000); d\n"
        "Received: from x (HELO y.example) (192.0.2.99)\n  by mx.test with SMTP; d\n\nx\n");
    CHECK(qmail::resolve_envelope(o, h, env.fn()).client_ip == "");
}

TEST_CASE("envelope: client and HELO precedence; Received only when trusted") {
    auto h = header_of(
        "Received: from top.example (HELO helo.top) (198.51.100.9)\n  by mx.test with SMTP; date\n"
        "Received: from second.example (203.0.113.1)\n  by mx.test with SMTP; date\nFrom: a@b.example\n\nx\n");
    FakeEnv env;
    qmail::EnvelopeOptions o;
    auto e = qmail::resolve_envelope(o, h, env.fn());
    CHECK(e.client_ip == "");  // not trusted: the sender may have written it
    o.trust_received = true;
    e = qmail::resolve_envelope(o, h, env.fn());
    CHECK(e.client_ip == "198.51.100.9");  // the topmost one
    CHECK(e.client_host == "top.example");
    CHECK(e.helo == "helo.top");
    env.vars = {{"TCPREMOTEIP", "192.0.2.1"}, {"TCPREMOTEHOST", "env.example"}, {"HELO", "env.helo"}};
    e = qmail::resolve_envelope(o, h, env.fn());
    CHECK(e.client_ip == "192.0.2.1");
    CHECK(e.client_host == "env.example");
    CHECK(e.helo == "env.helo");
    o.ip = "192.0.2.99";
    o.helo = "opt.helo";
    e = qmail::resolve_envelope(o, h, env.fn());
    CHECK(e.client_ip == "192.0.2.99");
    CHECK(e.helo == "opt.helo");
}
