// The one formatting of a tier's points multiplier.
#include <doctest/doctest.h>

#include "memberdesk/multiplier.hpp"

using namespace memberdesk;

namespace multiplier_test {

TEST_CASE("multiplier: a percent reads as ×N with no trailing zeros") {
    CHECK(format_multiplier(100) == "×1");
    CHECK(format_multiplier(110) == "×1.1");
    CHECK(format_multiplier(125) == "×1.25");
    CHECK(format_multiplier(150) == "×1.5");
    CHECK(format_multiplier(200) == "×2");
}

TEST_CASE("multiplier: the benefit line says the same multiplier in both languages") {
    CHECK(multiplier_benefit(125).en == "×1.25 points");
    CHECK(multiplier_benefit(125).zh == "积分×1.25");
}

}  // namespace multiplier_test
