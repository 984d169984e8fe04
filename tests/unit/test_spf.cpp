// SPF foundations (RFC 7208): result words and permissiveness.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "spf/result.hpp"

using namespace qauth;
using namespace qauth::spf;

TEST_CASE("spf result: words, qualifiers, permissiveness") {
    CHECK(result_name(SpfResult::None) == "none");
    CHECK(result_name(SpfResult::Neutral) == "neutral");
    CHECK(result_name(SpfResult::Pass) == "pass");
    CHECK(result_name(SpfResult::Fail) == "fail");
    CHECK(result_name(SpfResult::Softfail) == "softfail");
    CHECK(result_name(SpfResult::Temperror) == "temperror");
    CHECK(result_name(SpfResult::Permerror) == "permerror");

    CHECK(qualifier_result(Qualifier::Pass) == SpfResult::Pass);
    CHECK(qualifier_result(Qualifier::Fail) == SpfResult::Fail);
    CHECK(qualifier_result(Qualifier::Softfail) == SpfResult::Softfail);
    CHECK(qualifier_result(Qualifier::Neutral) == SpfResult::Neutral);

    // pass > neutral > none > softfail > fail
    const std::vector<SpfResult> order{SpfResult::Fail, SpfResult::Softfail, SpfResult::None, SpfResult::Neutral,
                                       SpfResult::Pass};
    for (std::size_t i = 0; i < order.size(); ++i)
        for (std::size_t j = 0; j < order.size(); ++j) {
            CHECK(more_permissive(order[i], order[j]) == order[std::max(i, j)]);
            CHECK((permissiveness(order[i]) < permissiveness(order[j])) == (i < j));
        }
    // An error never wins over a verdict, on either side; two errors keep the first.
    for (SpfResult err : {SpfResult::Temperror, SpfResult::Permerror})
        for (SpfResult r : order) {
            CHECK(more_permissive(r, err) == r);
            CHECK(more_permissive(err, r) == r);
        }
    CHECK(more_permissive(SpfResult::Temperror, SpfResult::Permerror) == SpfResult::Temperror);
    CHECK(more_permissive(SpfResult::Permerror, SpfResult::Temperror) == SpfResult::Permerror);
}

