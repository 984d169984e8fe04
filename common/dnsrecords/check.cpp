#include "dnsrecords/check.hpp"

#include <algorithm>

#include "dnsrecords/dkim_lint.hpp"
#include "dnsrecords/dmarc_lint.hpp"
#include "dnsrecords/query.hpp"
#include "dnsrecords/spf_lint.hpp"

namespace qauth::dnsrecords {
namespace {

void lint_txt(dns::Resolver& dns, const ExpectedRecord& r, Lint& lint) {
    auto a = ask(dns, r.name, dns::RrType::TXT, lint);
    if (!a) return;
    if (std::find(a->records.begin(), a->records.end(), r.text) == a->records.end())
        lint.add(r.name, "RFC 1035 3.3.14: no TXT record \"" + r.text + "\" (from control/dnstemplate)");
}

}  // namespace

Lint check_records(dns::Resolver& dns, const std::vector<ExpectedRecord>& expected) {
    Lint lint;
    for (const auto& r : expected) {
        switch (r.kind) {
            case RecordKind::Spf:
                lint_spf(dns, r.name, r.text, lint);
                break;
            case RecordKind::Dmarc:
                lint_dmarc(dns, r.domain, r.name, r.text, lint);
                break;
            case RecordKind::DkimKey:
                lint_dkim_key(dns, r, lint);
                break;
            case RecordKind::Txt:
                lint_txt(dns, r, lint);
                break;
            case RecordKind::DkimPolicy:
                break;
        }
    }
    return lint;
}

}  // namespace qauth::dnsrecords
