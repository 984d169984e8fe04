// common/srs/dot_qmail: what the .qmail modes take from qmail-local's
// environment (sender, the SRS recipient) and which forward targets they
// refuse. Queueing itself is tested through the program
// (tests/integration/srsfilter-queue.sh, tests/qmail/srs.sh).
#include <doctest/doctest.h>

#include <string>

#include "srs/dot_qmail.hpp"
#include "testdata.hpp"

using namespace qauth;
using test::FakeEnv;

TEST_SUITE_BEGIN("srs");

TEST_CASE("incoming_sender: option, $NEWSENDER (forward only), $SENDER") {
    FakeEnv e{{{"SENDER", "s@example.com"}, {"NEWSENDER", "n@example.com"}}};
    CHECK(srs::incoming_sender(std::nullopt, true, e.fn()) == "n@example.com");
    CHECK(srs::incoming_sender(std::nullopt, false, e.fn()) == "s@example.com");
    CHECK(srs::incoming_sender(std::string("o@example.com"), true, e.fn()) == "o@example.com");
    FakeEnv bounce{{{"SENDER", ""}, {"NEWSENDER", ""}}};
    CHECK(srs::incoming_sender(std::nullopt, true, bounce.fn()) == "");
    FakeEnv only{{{"SENDER", "s@example.com"}}};
    CHECK(srs::incoming_sender(std::nullopt, true, only.fn()) == "s@example.com");
    FakeEnv none;
    CHECK_FALSE(srs::incoming_sender(std::nullopt, true, none.fn()));
}

TEST_CASE("bounce_recipient: $DEFAULT, else $EXT2, else $RECIPIENT from its SRS tag; at $HOST, else the SRS domain") {
    FakeEnv all{{{"DEFAULT", "SRS0=a=b=c=d"}, {"EXT2", "x"}, {"RECIPIENT", "y@z"}, {"HOST", "srs.example"}}};
    CHECK(srs::bounce_recipient("srs.test", all.fn()) == "SRS0=a=b=c=d@srs.example");
    FakeEnv ext2{{{"DEFAULT", ""}, {"EXT2", "SRS0=a=b=c=d"}}};
    CHECK(srs::bounce_recipient("srs.test", ext2.fn()) == "SRS0=a=b=c=d@srs.test");
    FakeEnv rcpt{{{"RECIPIENT", "alias-srs-srs1=h=hop==x=y=z=u@srs.example"}}};
    CHECK(srs::bounce_recipient("srs.test", rcpt.fn()) == "srs1=h=hop==x=y=z=u@srs.test");
    FakeEnv first{{{"RECIPIENT", "SRS0+a=b=c=d-SRS0=x@srs.example"}}};
    CHECK(srs::bounce_recipient("srs.test", first.fn()) == "SRS0+a=b=c=d-SRS0=x@srs.test");
    FakeEnv plain{{{"RECIPIENT", "alias-srs-postmaster@srs.example"}}};
    CHECK(srs::bounce_recipient("srs.test", plain.fn()) == "alias-srs-postmaster@srs.test");
    FakeEnv none{{{"HOST", "srs.example"}}};
    CHECK_FALSE(srs::bounce_recipient("srs.test", none.fn()));
}

TEST_CASE("forward_target_problem: empty, too long, control characters") {
    CHECK(srs::forward_target_problem("a@example.com").empty());
    CHECK(srs::forward_target_problem("\"john doe\"@example.com").empty());
    CHECK_FALSE(srs::forward_target_problem("").empty());
    CHECK_FALSE(srs::forward_target_problem(std::string(255, 'a')).empty());
    CHECK(srs::forward_target_problem(std::string(254, 'a')).empty());
    for (const char* bad : {"a\rb@x", "a\nb@x", "a\tb@x", "a\x7f@x"}) CHECK_FALSE(srs::forward_target_problem(bad).empty());
    CHECK_FALSE(srs::forward_target_problem(std::string("a\0b@x", 5)).empty());
}

TEST_SUITE_END();

TEST_CASE("DotOutcome::exit_code: the .qmail line's status, 99 with --stop only when queued") {
    using qmail::FilterStatus;
    CHECK(srs::DotOutcome{FilterStatus::Ok, ""}.exit_code(false) == 0);
    CHECK(srs::DotOutcome{FilterStatus::Ok, ""}.exit_code(true) == 99);
    CHECK(srs::DotOutcome{FilterStatus::Permanent, "5.1.1 x"}.exit_code(true) == 100);
    CHECK(srs::DotOutcome{FilterStatus::Temporary, "4.3.0 x"}.exit_code(true) == 111);
}
