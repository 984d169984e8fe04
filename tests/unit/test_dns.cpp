// DNS subsystem: zone-file resolver, cache, option checks, and the ldns
// resolver (a silent server here; a live one when tests/dns/ldns-resolver.sh
// sets QAUTH_TEST_DNS_SERVER).
#include <doctest/doctest.h>

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "dns/address.hpp"
#include "dns/domain.hpp"
#include "dns/ldns_resolver.hpp"
#include "dns/ldns_util.hpp"
#include "dns/resolver.hpp"
#include "dns/text.hpp"
#include "dns/zone_resolver.hpp"
#include "util/strings.hpp"
#include "testdata.hpp"

using namespace qauth::dns;

namespace {

// Our files, under the top directory (tests/unit/testdata.hpp).
std::string data(const std::string& rel) { return qauth::test::source_file("tests/data/dns/" + rel); }

std::unique_ptr<Resolver> zones(std::vector<std::string> files) {
    auto r = make_zone_resolver(files);
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().reason));
    return std::move(*r);
}

using Records = std::vector<std::string>;

const std::string kRfc8463Rsa =
    "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/"
    "J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+"
    "2kryOTIKT+l/K4w3QIDAQAB";

std::string big_text() {
    std::string s;
    for (char c = 'a'; c <= 'h'; ++c) s.append(200, c);
    return s;
}

// The answers that tests/data/dns/basic.zone gives, from any resolver that
// serves it (the zone resolver, or the ldns resolver asking a real server).
void check_basic_zone(Resolver& r) {
    auto a = r.query("one.example.com", RrType::TXT);
    CHECK(a.status == Status::Answer);
    CHECK(a.records == Records{"v=spf1 -all"});
    CHECK(a.error.empty());

    CHECK(r.query("multi.example.com", RrType::TXT).records == Records{"part one; part two end"});
    CHECK(r.query("two.example.com", RrType::TXT).records == Records{"first", "second"});
    a = r.query("empty.example.com", RrType::TXT);
    CHECK(a.status == Status::Answer);
    CHECK(a.records == Records{""});
    CHECK(r.query("raw.example.com", RrType::TXT).records == Records{"q\"b\\t\ts;"});
    CHECK(r.query("big.example.com", RrType::TXT).records == Records{big_text()});

    // Any letter case, trailing dot or not, in the question and in the zone.
    CHECK(r.query("ONE.Example.Com.", RrType::TXT).records == Records{"v=spf1 -all"});
    CHECK(r.query("mixed.case.example.com", RrType::TXT).records == Records{"mixed"});

    CHECK(r.query("host.example.com", RrType::A).records == Records{"192.0.2.1", "192.0.2.2"});
    CHECK(r.query("host.example.com", RrType::AAAA).records == Records{"2001:db8::1"});
    CHECK(r.query("example.com", RrType::MX).records == Records{"10 mx1.example.com", "20 mx2.example.com"});
    CHECK(r.query("nullmx.example.com", RrType::MX).records == Records{"0 ."});  // RFC 7505
    CHECK(r.query("1.2.0.192.in-addr.arpa", RrType::PTR).records == Records{"host.example.com"});

    // Typed answers: addresses and MX preference + host, read from the wire form.
    auto ip = [](const char* t) { return *IpAddress::parse(t); };
    auto a4 = r.query("host.example.com", RrType::A);
    CHECK(a4.addresses == std::vector<IpAddress>{ip("192.0.2.1"), ip("192.0.2.2")});
    CHECK(a4.addresses[0].v4());
    CHECK(a4.mx.empty());
    auto a6 = r.query("host.example.com", RrType::AAAA);
    REQUIRE(a6.addresses.size() == 1);
    CHECK(a6.addresses[0] == ip("2001:db8::1"));
    CHECK(a6.addresses[0].family() == IpAddress::Family::V6);
    auto mx = r.query("example.com", RrType::MX);
    CHECK(mx.mx == std::vector<Mx>{{10, "mx1.example.com"}, {20, "mx2.example.com"}});
    CHECK(mx.addresses.empty());
    CHECK_FALSE(mx.mx[0].null());
    auto nullmx = r.query("nullmx.example.com", RrType::MX);
    REQUIRE(nullmx.mx.size() == 1);
    CHECK(nullmx.mx[0].preference == 0);
    CHECK(nullmx.mx[0].null());  // RFC 7505: host "." is the root, ""
    auto ptr = r.query(reverse_name(ip("192.0.2.1")), RrType::PTR);
    CHECK(ptr.records == Records{"host.example.com"});  // names are the text form
    CHECK(ptr.addresses.empty());
    CHECK(r.query("hostalias.example.com", RrType::A).addresses.size() == 2);  // through the CNAME
    CHECK(r.query("one.example.com", RrType::TXT).addresses.empty());

    CHECK(r.query("nothere.example.com", RrType::TXT).status == Status::NxDomain);
    CHECK(r.query("one.example.com", RrType::A).status == Status::NoData);
    CHECK(r.query("host.example.com", RrType::TXT).status == Status::NoData);
    // RFC 8020: a name with nothing but names below it exists.
    CHECK(r.query("ent.example.com", RrType::TXT).status == Status::NoData);
    CHECK(r.query("deep.ent.example.com", RrType::TXT).records == Records{"below an empty non-terminal"});
    CHECK(r.query("x.deep.ent.example.com", RrType::TXT).status == Status::NxDomain);

    // CNAMEs: followed to the records of the asked type; asked for, returned.
    CHECK(r.query("alias.example.com", RrType::TXT).records == Records{"part one; part two end"});
    CHECK(r.query("hostalias.example.com", RrType::A).records == Records{"192.0.2.1", "192.0.2.2"});
    CHECK(r.query("hostalias.example.com", RrType::TXT).status == Status::NoData);
    CHECK(r.query("alias.example.com", RrType::CNAME).records == Records{"alias2.example.com"});
    CHECK(r.query("dangling.example.com", RrType::TXT).status == Status::NxDomain);
    a = r.query("loop1.example.com", RrType::TXT);
    CHECK(a.status == Status::TempFail);
    CHECK(!a.error.empty());

    // A name that cannot exist is NXDOMAIN without asking anyone.
    a = r.query("a..example.com", RrType::TXT);
    CHECK(a.status == Status::NxDomain);
    CHECK(a.error.find("not a valid domain name") != std::string::npos);
    CHECK(r.query(std::string(64, 'x') + ".example.com", RrType::TXT).status == Status::NxDomain);
}

// The answers of tests/data/dns/origin.zone and cross.zone: $ORIGIN and
// relative names, SOA and NS, and a CNAME from one file into the other.
void check_origin_zones(Resolver& r) {
    CHECK(r.query("example.org", RrType::TXT).records == Records{"v=spf1 ip4:192.0.2.0/24 -all"});
    CHECK(r.query("_dmarc.example.org", RrType::TXT).records == Records{"v=DMARC1; p=reject"});
    CHECK(r.query("example.org", RrType::NS).records == Records{"ns.example.org"});
    CHECK(r.query("ns.example.org", RrType::A).records == Records{"192.0.2.53"});
    CHECK(r.query("www.example.org", RrType::CNAME).records == Records{"example.org"});
    CHECK(r.query("to-org.example.net", RrType::TXT).records == Records{"v=spf1 ip4:192.0.2.0/24 -all"});
    CHECK(r.query("nothere.example.org", RrType::TXT).status == Status::NxDomain);
    CHECK(r.query("ns.example.org", RrType::TXT).status == Status::NoData);
}

// Counts the questions that reach it.
struct CountingResolver : Resolver {
    int asked = 0;
    Answer query(std::string_view name, RrType) override {
        ++asked;
        if (name.starts_with("fail")) return Answer{Status::TempFail, {}, "simulated"};
        return Answer{Status::Answer, {"answer " + std::to_string(asked)}, {}};
    }
};

// Records the batches that reach it; answers "NAME/TYPE", or TempFail for
// names starting with "fail".
struct BatchRecorder : Resolver {
    std::vector<std::vector<std::string>> batches;  // "name/TYPE" per question
    int single = 0;                                 // query() calls
    Answer query(std::string_view name, RrType type) override {
        ++single;
        return reply(name, type);
    }
    std::vector<Answer> query_all(std::span<const Question> questions) override {
        auto& batch = batches.emplace_back();
        std::vector<Answer> answers;
        for (const Question& q : questions) {
            batch.push_back(q.name + "/" + std::string(type_name(q.type)));
            answers.push_back(reply(q.name, q.type));
        }
        return answers;
    }
    static Answer reply(std::string_view name, RrType type) {
        if (name.starts_with("fail")) return Answer{Status::TempFail, {}, "simulated"};
        return Answer{Status::Answer, {std::string(name) + "/" + std::string(type_name(type))}, {}};
    }
};

// The first record of each answer, "" for none.
Records firsts(const std::vector<Answer>& answers) {
    Records out;
    for (const Answer& a : answers) out.push_back(a.records.empty() ? "" : a.records.front());
    return out;
}

// A UDP socket on 127.0.0.1 that never answers.
struct SilentServer {
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    std::string spec;
    SilentServer() {
        sockaddr_in sa{};
        sa.sin_family = AF_INET;
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof sa;
        REQUIRE(fd >= 0);
        REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&sa), len) == 0);
        REQUIRE(getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len) == 0);
        spec = "127.0.0.1@" + std::to_string(ntohs(sa.sin_port));
    }
    ~SilentServer() { close(fd); }
    SilentServer(const SilentServer&) = delete;
    SilentServer& operator=(const SilentServer&) = delete;
};

// How ScriptedServer answers one query.
struct Reply {
    ldns_pkt_rcode rcode = LDNS_RCODE_NOERROR;
    std::vector<std::string> answer;  // RRs in zone-file syntax
    bool truncated = false;
    bool wrong_id = false;  // as a spoofer that guessed wrong would
    bool garbage = false;   // not a DNS message at all
};

Reply answer(std::vector<std::string> rrs, ldns_pkt_rcode rcode = LDNS_RCODE_NOERROR) {
    Reply r;
    r.answer = std::move(rrs);
    r.rcode = rcode;
    return r;
}

// A reply with one of the flags of Reply set.
Reply odd(bool Reply::*flag) {
    Reply r;
    r.*flag = true;
    return r;
}

// A UDP server on 127.0.0.1 that answers each query as `script` says, for
// replies no well-behaved server gives on demand.
class ScriptedServer {
public:
    explicit ScriptedServer(std::function<Reply(const std::string& qname)> script)
        : script_(std::move(script)), thread_([this] { serve(); }) {}
    ~ScriptedServer() {
        stop_ = true;
        thread_.join();
    }
    ScriptedServer(const ScriptedServer&) = delete;
    ScriptedServer& operator=(const ScriptedServer&) = delete;

    const std::string& spec() const { return socket_.spec; }
    int queries() const { return queries_; }

private:
    void serve() {
        while (!stop_) {
            pollfd p{socket_.fd, POLLIN, 0};
            if (poll(&p, 1, 20) != 1) continue;
            std::uint8_t buf[512];
            sockaddr_storage from{};
            socklen_t len = sizeof from;
            ssize_t n = recvfrom(socket_.fd, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len);
            ldns_pkt* raw = nullptr;
            if (n <= 0 || ldns_wire2pkt(&raw, buf, static_cast<std::size_t>(n)) != LDNS_STATUS_OK) continue;
            LdnsPtr<ldns_pkt> query(raw);
            ++queries_;
            const ldns_rr* q = ldns_rr_list_rr(ldns_pkt_question(query.get()), 0);
            std::string wire = build(query.get(), q, script_(dname_key(ldns_rr_owner(q))));
            sendto(socket_.fd, wire.data(), wire.size(), 0, reinterpret_cast<sockaddr*>(&from), len);
        }
    }

    static std::string build(const ldns_pkt* query, const ldns_rr* question, const Reply& how) {
        if (how.garbage) return "\x01\x02garbage";
        LdnsPtr<ldns_pkt> reply(ldns_pkt_new());
        ldns_pkt_set_id(reply.get(), static_cast<std::uint16_t>(ldns_pkt_id(query) + (how.wrong_id ? 1 : 0)));
        ldns_pkt_set_qr(reply.get(), true);
        ldns_pkt_set_rd(reply.get(), true);
        ldns_pkt_set_ra(reply.get(), true);
        ldns_pkt_set_tc(reply.get(), how.truncated);
        ldns_pkt_set_rcode(reply.get(), how.rcode);
        ldns_pkt_push_rr(reply.get(), LDNS_SECTION_QUESTION, ldns_rr_clone(question));
        for (const std::string& text : how.answer) {
            ldns_rr* rr = nullptr;
            CHECK(ldns_rr_new_frm_str(&rr, text.c_str(), 300, nullptr, nullptr) == LDNS_STATUS_OK);
            ldns_pkt_push_rr(reply.get(), LDNS_SECTION_ANSWER, rr);
        }
        std::uint8_t* wire = nullptr;
        std::size_t size = 0;
        CHECK(ldns_pkt2wire(&wire, reply.get(), &size) == LDNS_STATUS_OK);
        std::unique_ptr<std::uint8_t, decltype(&std::free)> owned(wire, &std::free);
        return std::string(reinterpret_cast<const char*>(wire), size);
    }

    SilentServer socket_;
    std::function<Reply(const std::string&)> script_;
    std::atomic<bool> stop_{false};
    std::atomic<int> queries_{0};
    std::thread thread_;
};

std::unique_ptr<Resolver> ask_only(std::vector<std::string> servers, int retries = 0) {
    Options opts;
    opts.servers = std::move(servers);
    opts.timeout_seconds = 1;
    opts.retries = retries;
    return make_ldns_resolver(opts);
}

double seconds_for(Resolver& r, std::string_view name, Answer& out) {
    auto t0 = std::chrono::steady_clock::now();
    out = r.query(name, RrType::TXT);
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

TEST_CASE("canonical_name: case, trailing dot, limits") {
    CHECK(canonical_name("Example.COM.") == "example.com");
    CHECK(canonical_name("example.com") == "example.com");
    CHECK(canonical_name(".") == "");
    CHECK(!canonical_name(""));
    CHECK(!canonical_name(".example.com"));
    CHECK(!canonical_name("example..com"));
    CHECK(!canonical_name("example.com.."));
    CHECK(canonical_name(std::string(63, 'a') + ".com"));
    CHECK(!canonical_name(std::string(64, 'a') + ".com"));
    std::string n = std::string(63, 'a') + "." + std::string(63, 'b') + "." + std::string(63, 'c') + "." +
                    std::string(61, 'd');  // 253 characters: 255 octets on the wire
    CHECK(canonical_name(n));
    CHECK(!canonical_name(n + "d"));
    // one_line() is gone: DNS errors use the one sanitiser, printable().
    CHECK(qauth::printable("a\r\nb\tc\x7f") == "a b c\\x7f");
}

TEST_CASE("zone resolver: records of tests/data/dns/basic.zone") {
    auto r = zones({data("basic.zone")});
    check_basic_zone(*r);
}

TEST_CASE("zone resolver: $ORIGIN, SOA, NS, and a CNAME into another file") {
    auto r = zones({data("basic.zone"), data("origin.zone"), data("cross.zone")});
    check_origin_zones(*r);
    check_basic_zone(*r);
}

TEST_CASE("zone resolver: the tempfail pragma") {
    auto r = zones({data("basic.zone")});
    for (RrType t : {RrType::TXT, RrType::A, RrType::MX}) {
        auto a = r->query("Broken.Example.com.", t);
        CHECK(a.status == Status::TempFail);
        CHECK(a.records.empty());
        CHECK(a.error.find("simulated failure") != std::string::npos);
        CHECK(a.error.find("basic.zone:6") != std::string::npos);
    }
    auto a = r->query("tempalias.example.com", RrType::TXT);  // a CNAME to it
    CHECK(a.status == Status::TempFail);
    CHECK(a.error == "tempalias.example.com/TXT: simulated failure of broken.example.com/TXT (" +
                         data("basic.zone") + ":6)");
}

TEST_CASE("zone resolver: the tempfail pragma for some types only") {
    auto r = zones({data("tempfail.zone")});
    CHECK(r->query("txtonly.example.org", RrType::TXT).status == Status::TempFail);
    CHECK(r->query("txtonly.example.org", RrType::A).records == Records{"192.0.2.1"});
    CHECK(r->query("txtonly.example.org", RrType::MX).status == Status::NoData);
    CHECK(r->query("partial.example.org", RrType::A).records == Records{"192.0.2.2"});
    CHECK(r->query("partial.example.org", RrType::MX).status == Status::NoData);
    for (RrType t : {RrType::TXT, RrType::AAAA, RrType::PTR}) {
        auto a = r->query("Partial.example.org.", t);
        CHECK(a.status == Status::TempFail);
        CHECK(a.error.find("tempfail.zone:7") != std::string::npos);
    }
}

TEST_CASE("zone resolver: a tempfail pragma with an unknown type or a bare except is an error") {
    for (std::string_view text : {";qauth: tempfail x.example.org NOTATYPE\n", ";qauth: tempfail x.example.org except\n"}) {
        qauth::test::TempDir dir;
        dir.write("pragma.zone", std::string(text));
        auto r = make_zone_resolver({dir.path + "/pragma.zone"});
        REQUIRE(!r);
        CHECK(r.error().reason.find("pragma.zone:1: bad pragma") != std::string::npos);
    }
}

TEST_CASE("zone resolver: CNAME chains are followed for at most 8 links") {
    auto r = zones({data("chain.zone")});
    CHECK(r->query("link1.example.net", RrType::TXT).records == Records{"end of chain"});
    auto a = r->query("link0.example.net", RrType::TXT);
    CHECK(a.status == Status::TempFail);
    CHECK(a.error.find("CNAME chain") != std::string::npos);
}

TEST_CASE("zone resolver: the shared RFC 8463 zone, four strings joined" * qauth::test::needs_testdata()) {
    auto r = zones({data("basic.zone"), qauth::test::testdata("dkim/rfc8463.zone")});
    auto a = r->query("test._domainkey.football.example.com", RrType::TXT);
    REQUIRE(a.status == Status::Answer);
    CHECK(a.records == Records{kRfc8463Rsa});
    CHECK(r->query("brisbane._domainkey.football.example.com.", RrType::TXT).records ==
          Records{"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="});
    CHECK(r->query("_domainkey.football.example.com", RrType::TXT).status == Status::NoData);
    CHECK(r->query("nope._domainkey.football.example.com", RrType::TXT).status == Status::NxDomain);
    CHECK(r->query("one.example.com", RrType::TXT).status == Status::Answer);  // both files loaded
}

TEST_CASE("zone resolver: errors name the file and line") {
    auto r = make_zone_resolver({data("basic.zone"), data("bad.zone")});
    REQUIRE(!r);
    CHECK(r.error().reason.find("bad.zone:3: ") != std::string::npos);

    r = make_zone_resolver({data("bad-pragma.zone")});
    REQUIRE(!r);
    CHECK(r.error().reason.find("bad-pragma.zone:2: ") != std::string::npos);

    // ldns would end the line at a NUL byte and drop the rest unseen.
    char tmpl[] = "/tmp/qauth-nul.XXXXXX";
    int fd = ::mkstemp(tmpl);
    REQUIRE(fd >= 0);
    std::string text("a.example. IN TXT \"x\"\nb.example. IN TXT \"y\0z\"\n", 46);
    REQUIRE(::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
    ::close(fd);
    r = make_zone_resolver({tmpl});
    ::unlink(tmpl);
    REQUIRE(!r);
    CHECK(r.error().reason.find(std::string(tmpl) + ":2: NUL byte") != std::string::npos);

    r = make_zone_resolver({data("no-such.zone")});
    REQUIRE(!r);
    CHECK(r.error().reason.find("no-such.zone: cannot open") != std::string::npos);

    r = make_zone_resolver({});
    REQUIRE(r);
    CHECK((*r)->query("example.com", RrType::TXT).status == Status::NxDomain);
}

TEST_CASE("cache: each question is asked once, whatever the answer") {
    auto counting = std::make_unique<CountingResolver>();
    CountingResolver* inner = counting.get();
    auto r = make_cached_resolver(std::move(counting), 3);

    CHECK(r->query("a.example", RrType::TXT).records == Records{"answer 1"});
    CHECK(r->query("A.Example.", RrType::TXT).records == Records{"answer 1"});
    CHECK(inner->asked == 1);
    CHECK(r->query("a.example", RrType::A).records == Records{"answer 2"});  // another type
    CHECK(inner->asked == 2);

    auto f = r->query("fail.example", RrType::TXT);
    CHECK(f.status == Status::TempFail);
    CHECK(r->query("FAIL.example", RrType::TXT).error == "simulated");
    CHECK(inner->asked == 3);

    // Full (3 entries): a new question evicts one old one and is then cached.
    CHECK(r->query("b.example", RrType::TXT).records == Records{"answer 4"});
    CHECK(r->query("b.example", RrType::TXT).records == Records{"answer 4"});
    CHECK(inner->asked == 4);
}

TEST_CASE("cache: query_all answers hits itself and forwards the misses once, in order") {
    auto recorder = std::make_unique<BatchRecorder>();
    BatchRecorder* inner = recorder.get();
    auto r = make_cached_resolver(std::move(recorder));

    CHECK(r->query("b.example", RrType::A).records == Records{"b.example/A"});
    const std::vector<Question> batch{{"a.example", RrType::A},
                                      {"B.Example.", RrType::A},  // a hit: asked by query() above
                                      {"c.example", RrType::AAAA},
                                      {"a.example.", RrType::A},  // the same miss again
                                      {"fail.example", RrType::A},
                                      {"a..example", RrType::A}};  // cannot exist: not cached
    auto answers = r->query_all(batch);
    REQUIRE(answers.size() == batch.size());
    CHECK(firsts(answers) == Records{"a.example/A", "b.example/A", "c.example/AAAA", "a.example/A", "", "a..example/A"});
    CHECK(answers[4].status == Status::TempFail);
    REQUIRE(inner->batches.size() == 1);
    CHECK(inner->batches[0] ==
          std::vector<std::string>{"a.example/A", "c.example/AAAA", "fail.example/A", "a..example/A"});
    CHECK(inner->single == 1);

    // Now all cached, failures included: nothing reaches the inner resolver.
    answers = r->query_all(std::vector<Question>{{"c.example", RrType::AAAA}, {"FAIL.example", RrType::A}});
    CHECK(firsts(answers) == Records{"c.example/AAAA", ""});
    CHECK(answers[1].error == "simulated");
    CHECK(inner->batches.size() == 1);
    CHECK(r->query("a.example", RrType::A).records == Records{"a.example/A"});
    CHECK(inner->single == 1);
    CHECK(r->query_all({}).empty());
    CHECK(inner->batches.size() == 1);
}

TEST_CASE("Resolver::query_all by default asks query() in turn") {
    auto r = zones({data("basic.zone")});
    auto answers = r->query_all(std::vector<Question>{
        {"host.example.com", RrType::A}, {"nothere.example.com", RrType::TXT}, {"one.example.com", RrType::A}});
    REQUIRE(answers.size() == 3);
    CHECK(answers[0].records == Records{"192.0.2.1", "192.0.2.2"});
    CHECK(answers[1].status == Status::NxDomain);
    CHECK(answers[2].status == Status::NoData);
}

TEST_CASE("cache: typed answers are kept with the text") {
    auto r = make_cached_resolver(zones({data("basic.zone")}));
    for (int i = 0; i < 2; ++i) {
        CHECK(r->query("host.example.com", RrType::A).addresses.size() == 2);
        CHECK(r->query("HOST.example.com.", RrType::AAAA).addresses == std::vector<IpAddress>{*IpAddress::parse("2001:db8::1")});
        CHECK(r->query("nullmx.example.com", RrType::MX).mx == std::vector<Mx>{{0, ""}});
    }
}

TEST_CASE("make_resolver: zones win, and options are checked") {
    Options opts;
    opts.zones = {data("basic.zone")};
    opts.servers = {"192.0.2.53"};  // never asked: the zones answer
    auto r = make_resolver(opts);
    REQUIRE(r);
    CHECK((*r)->query("one.example.com", RrType::TXT).records == Records{"v=spf1 -all"});

    opts.zones = {data("bad.zone")};
    r = make_resolver(opts);
    REQUIRE(!r);
    CHECK(r.error().reason.starts_with("--dns-zone: "));

    Options bad;
    for (int t : {0, 61}) {
        bad.timeout_seconds = t;
        r = make_resolver(bad);
        REQUIRE(!r);
        CHECK(r.error().reason.starts_with("--dns-timeout: "));
    }
    bad = Options{};
    bad.retries = -1;
    CHECK(!make_resolver(bad));

    for (const char* s : {"192.0.2.1", "192.0.2.1@5353", "2001:db8::1", "::1@53", "127.0.0.1@65535"}) {
        CHECK_MESSAGE(check_server(s), s);
        bad = Options{};
        bad.servers = {s};
        CHECK_MESSAGE(make_resolver(bad), s);
    }
    for (const char* s : {"", "example.com", "192.0.2.1@", "192.0.2.1@0", "192.0.2.1@65536", "192.0.2.1@53x",
                          "192.0.2.1@-1", "192.0.2.256", "[::1]:53", "1.2.3.4:53"}) {
        CHECK_MESSAGE(!check_server(s), s);
        bad = Options{};
        bad.servers = {"192.0.2.1", s};
        r = make_resolver(bad);
        REQUIRE_MESSAGE(!r, s);
        CHECK(r.error().reason.starts_with("--dns-server: "));
    }
}

TEST_CASE("ldns resolver: a silent server times out after timeout x tries") {
    SilentServer silent;
    Options opts;
    opts.servers = {silent.spec};
    opts.timeout_seconds = 1;
    opts.retries = 0;
    auto r = make_ldns_resolver(opts);
    Answer a;
    double t = seconds_for(*r, "example.com", a);
    CHECK(a.status == Status::TempFail);
    CHECK(a.error.find(silent.spec) != std::string::npos);
    CHECK(a.error.find("no reply") != std::string::npos);
    CHECK(t >= 0.9);
    CHECK(t < 1.8);

    opts.retries = 1;  // one more try: twice as long, and the server is tried again
    r = make_ldns_resolver(opts);
    t = seconds_for(*r, "example.com", a);
    CHECK(a.status == Status::TempFail);
    CHECK(t >= 1.9);
    CHECK(t < 2.8);
}

TEST_CASE("ldns resolver: RCODEs, bad replies and CNAME chains cut short") {
    SUBCASE("SERVFAIL is TempFail, after every try") {
        ScriptedServer s([](const std::string&) { return answer({}, LDNS_RCODE_SERVFAIL); });
        auto a = ask_only({s.spec()}, 1)->query("x.test", RrType::TXT);
        CHECK(a.status == Status::TempFail);
        CHECK(a.error == "x.test/TXT: " + s.spec() + ": SERVFAIL");
        CHECK(s.queries() == 2);
    }
    SUBCASE("REFUSED sends us on to the next server") {
        ScriptedServer refuses([](const std::string&) { return answer({}, LDNS_RCODE_REFUSED); });
        ScriptedServer answers([](const std::string&) { return answer({"x.test. TXT \"ok\""}); });
        auto r = ask_only({refuses.spec(), answers.spec()});
        CHECK(r->query("x.test", RrType::TXT).records == Records{"ok"});
        ScriptedServer refuses2([](const std::string&) { return answer({}, LDNS_RCODE_REFUSED); });
        auto a = ask_only({refuses.spec(), refuses2.spec()})->query("x.test", RrType::TXT);
        CHECK(a.status == Status::TempFail);
        CHECK(a.error == "x.test/TXT: " + refuses2.spec() + ": REFUSED");
    }
    SUBCASE("a reply with another ID is not taken") {
        ScriptedServer s([](const std::string&) {
            Reply r = answer({"x.test. TXT \"forged\""});
            r.wrong_id = true;
            return r;
        });
        auto a = ask_only({s.spec()})->query("x.test", RrType::TXT);
        CHECK(a.status == Status::TempFail);
        CHECK(a.error.find("does not match the query") != std::string::npos);
    }
    SUBCASE("garbage is TempFail") {
        ScriptedServer s([](const std::string&) { return odd(&Reply::garbage); });
        CHECK(ask_only({s.spec()})->query("x.test", RrType::TXT).status == Status::TempFail);
    }
    SUBCASE("truncated, and no TCP to fall back to") {
        ScriptedServer s([](const std::string&) { return odd(&Reply::truncated); });
        auto a = ask_only({s.spec()})->query("x.test", RrType::TXT);
        CHECK(a.status == Status::TempFail);
    }
    SUBCASE("records of other names and types are not the answer") {
        ScriptedServer s([](const std::string&) {
            return answer({"other.test. TXT \"no\"", "x.test. A 192.0.2.1", "X.Test. TXT \"b\" \"c\"",
                           "x.test. TXT \"a\""});
        });
        CHECK(ask_only({s.spec()})->query("x.test", RrType::TXT).records == Records{"bc", "a"});
    }
    SUBCASE("a chain the reply leaves unfinished is asked for from its end") {
        ScriptedServer s([](const std::string& name) {
            if (name == "a.test") return answer({"a.test. CNAME b.test."});
            return answer({"b.test. TXT \"at b\""});
        });
        CHECK(ask_only({s.spec()})->query("a.test", RrType::TXT).records == Records{"at b"});
        CHECK(s.queries() == 2);
    }
    SUBCASE("NXDOMAIN at the end of a chain, and a chain that loops") {
        ScriptedServer s([](const std::string& name) {
            if (name == "a.test") return answer({"a.test. CNAME b.test."}, LDNS_RCODE_NXDOMAIN);
            return answer({name + ". CNAME " + name + "."});
        });
        auto r = ask_only({s.spec()});
        CHECK(r->query("a.test", RrType::TXT).status == Status::NxDomain);
        auto a = r->query("self.test", RrType::TXT);
        CHECK(a.status == Status::TempFail);
        CHECK(a.error.find("CNAME chain") != std::string::npos);
        CHECK(r->query("self.test", RrType::CNAME).records == Records{"self.test"});
    }
}

TEST_CASE("ldns resolver: query_all keeps the rules of query()") {
    // One server that answers by name: the statuses and bad replies of the
    // test case above, all in one batch, each as query() gives it.
    ScriptedServer s([](const std::string& name) {
        if (name == "ok.test") return answer({"ok.test. TXT \"ok\""});
        if (name == "nx.test") return answer({}, LDNS_RCODE_NXDOMAIN);
        if (name == "nodata.test") return answer({});
        if (name == "servfail.test") return answer({}, LDNS_RCODE_SERVFAIL);
        if (name == "forged.test") return odd(&Reply::wrong_id);
        if (name == "tc.test") return odd(&Reply::truncated);
        if (name == "a.test") return answer({"a.test. CNAME b.test."});
        if (name == "b.test") return answer({"b.test. TXT \"at b\""});
        return answer({}, LDNS_RCODE_REFUSED);
    });
    auto r = ask_only({s.spec()}, 1);
    const std::vector<Question> batch{{"ok.test", RrType::TXT},     {"nx.test", RrType::TXT},
                                      {"nodata.test", RrType::TXT}, {"servfail.test", RrType::TXT},
                                      {"forged.test", RrType::TXT}, {"tc.test", RrType::TXT},
                                      {"a.test", RrType::TXT},      {"a..test", RrType::TXT}};
    auto answers = r->query_all(batch);
    REQUIRE(answers.size() == batch.size());
    CHECK(answers[0].records == Records{"ok"});
    CHECK(answers[1].status == Status::NxDomain);
    CHECK(answers[2].status == Status::NoData);
    CHECK(answers[3].status == Status::TempFail);
    CHECK(answers[3].error == "servfail.test/TXT: " + s.spec() + ": SERVFAIL");
    CHECK(answers[4].status == Status::TempFail);
    CHECK(answers[4].error.find("does not match the query") != std::string::npos);
    CHECK(answers[5].status == Status::TempFail);  // truncated, and no TCP to fall back to
    CHECK(answers[6].records == Records{"at b"});  // the chain's end asked for after the batch
    CHECK(answers[7].status == Status::NxDomain);  // cannot exist: asked of no one
    // Each question's tries as query() takes them: 2 for those that fail
    // (retries 1), 1 for the rest, plus b.test; tc.test's TCP tries reach
    // no one.
    CHECK(s.queries() == 1 + 1 + 1 + 2 + 2 + 1 + 2);

    // More than 16 at once: sent in rounds, answers still in order.
    std::vector<Question> many;
    for (int i = 0; i < 40; ++i) many.push_back({i % 2 ? "ok.test" : "nx.test", RrType::TXT});
    answers = r->query_all(many);
    REQUIRE(answers.size() == many.size());
    for (int i = 0; i < 40; ++i) CHECK(answers[i].status == (i % 2 ? Status::Answer : Status::NxDomain));
    CHECK(r->query_all({}).empty());
}

TEST_CASE("ldns resolver: query_all against a silent server waits one query's time, not one per question") {
    SilentServer silent;
    auto r = ask_only({silent.spec}, 1);
    std::vector<Question> batch(5, Question{"example.com", RrType::TXT});
    auto t0 = std::chrono::steady_clock::now();
    auto answers = r->query_all(batch);
    double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    REQUIRE(answers.size() == 5);
    for (const Answer& a : answers) {
        CHECK(a.status == Status::TempFail);
        CHECK(a.error.find(silent.spec) != std::string::npos);
    }
    CHECK(t >= 1.9);  // timeout 1 s x 2 tries
    CHECK(t < 2.8);
}

TEST_CASE("ldns resolver: setup is lazy, and its errors are answers") {
    Options opts;
    opts.servers = {"not-an-address"};  // make_resolver would refuse it
    auto r = make_ldns_resolver(opts);
    auto a = r->query("example.com", RrType::TXT);
    CHECK(a.status == Status::TempFail);
    CHECK(a.error.find("--dns-server: bad address") != std::string::npos);
    CHECK(r->query("a..b", RrType::TXT).status == Status::NxDomain);
    auto answers = r->query_all(std::vector<Question>{{"example.com", RrType::TXT}, {"a..b", RrType::TXT}});
    REQUIRE(answers.size() == 2);
    CHECK(answers[0].error.find("--dns-server: bad address") != std::string::npos);
    CHECK(answers[1].status == Status::NxDomain);
}

// Run by tests/dns/ldns-resolver.sh, which serves basic, chain, origin and
// cross.zone of tests/data/dns and the shared rfc8463.zone with a real DNS
// server on loopback, and sets QAUTH_TEST_DNS_SERVER=IP@PORT. Test suite
// "live-dns": scripts/run-tests does not count its skip in the unit suite.
TEST_CASE("ldns resolver against a live DNS server (QAUTH_TEST_DNS_SERVER)" * doctest::test_suite("live-dns") *
          doctest::skip(std::getenv("QAUTH_TEST_DNS_SERVER") == nullptr)) {
    const std::string server = std::getenv("QAUTH_TEST_DNS_SERVER");
    Options opts;
    opts.servers = {server};
    opts.timeout_seconds = 2;
    opts.retries = 1;

    SUBCASE("records, statuses, CNAMEs, TCP fallback") {
        auto r = make_ldns_resolver(opts);
        check_basic_zone(*r);
        check_origin_zones(*r);
        CHECK(r->query("test._domainkey.football.example.com", RrType::TXT).records == Records{kRfc8463Rsa});
        CHECK(r->query("link1.example.net", RrType::TXT).records == Records{"end of chain"});
        auto a = r->query("link0.example.net", RrType::TXT);
        CHECK(a.status == Status::TempFail);
        CHECK(a.error.find("CNAME chain") != std::string::npos);
    }
    SUBCASE("query_all: a batch answered as query() answers each question") {
        const std::vector<Question> batch{
            {"host.example.com", RrType::A},    {"host.example.com", RrType::AAAA},
            {"nothere.example.com", RrType::A}, {"host.example.com", RrType::TXT},   // NXDOMAIN, no data
            {"example.com", RrType::MX},        {"hostalias.example.com", RrType::A},  // through a CNAME
            {"big.example.com", RrType::TXT},   // truncated over UDP: over TCP
            {"1.2.0.192.in-addr.arpa", RrType::PTR},
            {"link1.example.net", RrType::TXT}, {"link0.example.net", RrType::TXT}};  // chain too long
        auto r = make_ldns_resolver(opts);
        auto answers = r->query_all(batch);
        REQUIRE(answers.size() == batch.size());
        auto one = make_ldns_resolver(opts);
        for (std::size_t i = 0; i < batch.size(); ++i) {
            CAPTURE(batch[i].name);
            Answer want = one->query(batch[i].name, batch[i].type);
            CHECK(answers[i].status == want.status);
            CHECK(answers[i].records == want.records);
            CHECK(answers[i].addresses == want.addresses);
            CHECK(answers[i].mx == want.mx);
        }
        CHECK(answers[0].records == Records{"192.0.2.1", "192.0.2.2"});
        CHECK(answers[1].records == Records{"2001:db8::1"});
        CHECK(answers[2].status == Status::NxDomain);
        CHECK(answers[3].status == Status::NoData);
        CHECK(answers[6].records == Records{big_text()});
        CHECK(answers[9].status == Status::TempFail);
    }
    SUBCASE("through make_resolver and its cache") {
        auto r = make_resolver(opts);
        REQUIRE(r);
        check_basic_zone(**r);
    }
    SUBCASE("a silent server first: the next one answers") {
        SilentServer silent;
        opts.servers = {silent.spec, server};
        opts.timeout_seconds = 1;
        opts.retries = 0;
        auto r = make_ldns_resolver(opts);
        Answer a;
        double t = seconds_for(*r, "one.example.com", a);
        CHECK(a.records == Records{"v=spf1 -all"});
        CHECK(t >= 0.9);
        CHECK(t < 1.8);
        t = seconds_for(*r, "two.example.com", a);  // the one that answered goes first now
        CHECK(a.records == Records{"first", "second"});
        CHECK(t < 0.5);
    }
}

// Run by tests/dns/ldns-resolver.sh with QAUTH_TEST_DNS_DELAYED=IP@PORT: the
// same server behind tests/dns/delay-proxy.py, which answers each query
// 50 ms after it came.
TEST_CASE("ldns resolver: query_all sends a batch in parallel (QAUTH_TEST_DNS_DELAYED)" *
          doctest::test_suite("live-dns") * doctest::skip(std::getenv("QAUTH_TEST_DNS_DELAYED") == nullptr)) {
    Options opts;
    opts.servers = {std::getenv("QAUTH_TEST_DNS_DELAYED")};
    opts.timeout_seconds = 2;
    opts.retries = 1;
    auto r = make_ldns_resolver(opts);
    std::vector<Question> batch;
    for (int i = 0; i < 4; ++i) {
        batch.push_back({"host.example.com", RrType::A});
        batch.push_back({"host.example.com", RrType::AAAA});
        batch.push_back({"nothere.example.com", RrType::A});
    }
    auto t0 = std::chrono::steady_clock::now();
    Answer single = r->query("one.example.com", RrType::TXT);
    auto t1 = std::chrono::steady_clock::now();
    auto answers = r->query_all(batch);
    auto t2 = std::chrono::steady_clock::now();
    CHECK(single.records == Records{"v=spf1 -all"});
    REQUIRE(answers.size() == batch.size());
    for (std::size_t i = 0; i < batch.size(); i += 3) {
        CHECK(answers[i].records == Records{"192.0.2.1", "192.0.2.2"});
        CHECK(answers[i + 1].records == Records{"2001:db8::1"});
        CHECK(answers[i + 2].status == Status::NxDomain);
    }
    // Both waited for the delay. That the 12 went out together, not one at a
    // time, tests/dns/ldns-resolver.sh reads from the proxy afterwards (the
    // most queries it held at once), not from a clock a loaded machine slows.
    const double one = std::chrono::duration<double>(t1 - t0).count();
    const double all = std::chrono::duration<double>(t2 - t1).count();
    CHECK(one >= 0.045);
    CHECK(all >= 0.045);
}

TEST_CASE("IpAddress: parse, format, v4-mapped, networks; PTR names (RFC 1035 3.5, RFC 3596 2.5)") {
    auto v4 = IpAddress::parse("192.0.2.1");
    REQUIRE(v4);
    CHECK(v4->v4());
    CHECK(v4->bytes().size() == 4);
    CHECK(v4->bytes()[0] == 192);
    CHECK(v4->str() == "192.0.2.1");
    auto v6 = IpAddress::parse("2001:DB8:0:0:0:0:0:1");
    REQUIRE(v6);
    CHECK(v6->bytes().size() == 16);
    CHECK(v6->str() == "2001:db8::1");
    for (const char* bad : {"", "192.0.2", "192.0.2.256", "192.0.2.1/24", "[2001:db8::1]", "2001:db8::1%eth0", "x", " 192.0.2.1"})
        CHECK_FALSE(IpAddress::parse(bad));
    // A NUL inside is no end of the text (an SPF record's ip4: from DNS may hold one).
    for (std::string_view bad : {std::string_view("192.0.2.1\0", 10), std::string_view("192.0.2.1\0xyz", 13),
                                 std::string_view("2001:db8::1\0", 12), std::string_view("\0", 1)})
        CHECK_FALSE(IpAddress::parse(bad));
    const std::uint8_t raw[4] = {198, 51, 100, 7};
    CHECK(IpAddress::from_bytes(raw)->str() == "198.51.100.7");
    CHECK_FALSE(IpAddress::from_bytes(std::span<const std::uint8_t>(raw, 3)));

    auto mapped = *IpAddress::parse("::ffff:192.0.2.1");
    CHECK(mapped.v4_mapped());
    CHECK_FALSE(mapped.v4());
    CHECK(mapped.unmapped() == *v4);
    CHECK(v4->mapped() == mapped);
    CHECK(v4->unmapped() == *v4);
    CHECK_FALSE(v6->v4_mapped());
    CHECK(v6->unmapped() == *v6);
    CHECK(mapped != *v4);  // different families until unmapped

    CHECK(v4->in_network(*IpAddress::parse("192.0.2.0"), 24));
    CHECK(v4->in_network(*IpAddress::parse("192.0.0.0"), 22));
    CHECK_FALSE(v4->in_network(*IpAddress::parse("192.0.3.0"), 24));
    CHECK(v4->in_network(*IpAddress::parse("10.0.0.0"), 0));
    CHECK(v4->in_network(*v4, 32));
    CHECK(v4->in_network(*v4, 99));  // longer than the address: the whole address
    CHECK_FALSE(v4->in_network(*IpAddress::parse("192.0.2.2"), 32));
    CHECK_FALSE(v4->in_network(*v6, 0));  // families differ
    CHECK(v6->in_network(*IpAddress::parse("2001:db8::"), 32));
    CHECK_FALSE(v6->in_network(*IpAddress::parse("2001:db9::"), 32));
    CHECK(IpAddress::parse("2001:db8::ff")->in_network(*IpAddress::parse("2001:db8::80"), 121));

    CHECK(reverse_name(*v4) == "1.2.0.192.in-addr.arpa");
    CHECK(reverse_name(*IpAddress::parse("10.20.30.40")) == "40.30.20.10.in-addr.arpa");
    CHECK(reverse_name(*v6) == "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
    CHECK(reverse_name(mapped) == "1.0.2.0.0.0.0.c.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa");
    CHECK(canonical_name(reverse_name(*v6)) == reverse_name(*v6));
}

TEST_CASE("Domain: the rule sets, normalisation and within()") {
    using qauth::dns::Domain;
    using qauth::dns::NameRules;
    auto ok = [](std::string_view t, NameRules r) { return Domain::parse(t, r).has_value(); };
    for (NameRules r : {NameRules::Host, NameRules::Mail, NameRules::Query}) {
        CAPTURE(static_cast<int>(r));
        CHECK(Domain::parse("Example.COM.", r)->str() == "example.com");
        CHECK(ok("xn--bcher-kva.example", r));
        CHECK(ok(std::string(63, 'a') + ".com", r));
        for (std::string bad : {std::string(), std::string(".."), std::string(".example.com"), std::string("example..com"), std::string("example.com.."), std::string(64, 'a') + ".com"})
            CHECK_FALSE(ok(bad, r));
        std::string n;
        while (n.size() < 260) n += "abcdefghi.";
        n = n.substr(0, 253);  // labels of 9, ends in "abc"
        CHECK(ok(n, r));
        CHECK_FALSE(ok(n + "d", r));
    }
    // Host: LDH with letter-or-digit ends; Mail adds '_' (RFC 2181 11); Query any byte.
    CHECK_FALSE(ok("a_b.example", NameRules::Host));
    CHECK(ok("a_b.example", NameRules::Mail));
    CHECK(ok("_domainkey.example", NameRules::Mail));
    CHECK(ok("sel._domainkey.example.com", NameRules::Mail));
    for (NameRules r : {NameRules::Host, NameRules::Mail}) {
        for (const char* bad : {"-a.example", "a-.example", "a/b", "a b", "\xc3\xa9.example", "*.example", "[192.0.2.1]", "."})
            CHECK_FALSE(ok(bad, r));
    }
    CHECK(ok("a b.\xc3\xa9\x01", NameRules::Query));
    CHECK(Domain::parse(".", NameRules::Query)->str().empty());  // the root
    CHECK(Domain::parse("A\xc3\x89", NameRules::Query)->str() == "a\xc3\x89");  // ASCII only is folded
    CHECK(Domain::parse("-a.example", NameRules::Host).error().reason.find("RFC 5321 4.1.2") == 0);

    auto d = [](std::string_view t) { return *Domain::parse(t, NameRules::Mail); };
    CHECK(d("a.example.com").within(d("example.com")));
    CHECK(d("Example.COM").within(d("example.com.")));
    CHECK(d("x.y.example.com").within(d("Y.example.com")));
    CHECK_FALSE(d("badexample.com").within(d("example.com")));
    CHECK_FALSE(d("example.com").within(d("a.example.com")));
    CHECK_FALSE(d("example.co").within(d("example.com")));
    CHECK(d("example.com").within(*Domain::parse(".", NameRules::Query)));
}
